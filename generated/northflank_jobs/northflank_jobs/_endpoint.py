"""Operations as data, and the one request builder and response parser that read them.

Part of the runtime specgen ships in every generated package.

`_operations.py` describes each operation of the spec as an `Endpoint`: its
method, path, parameters and documented responses. `build_request` and
`parse_response` do no I/O, so `Client` and `AsyncClient` share them and they are
tested without a network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, partial
from types import ModuleType
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import to_json

from ._base import RESPONSE_CONTEXT, parsing_response
from .errors import ApiError, RequestValidationError, ResponseValidationError

T = TypeVar("T")
Location = Literal["path", "query", "header", "cookie"]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DOT_SEGMENTS = frozenset({".", ".."})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""A cookie name: an HTTP token (RFC 9110), so it cannot end the pair or add one."""
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
"""RFC 6265 cookie-octets that `quote` would encode; `%` is not one, so it is."""


@dataclass(frozen=True)
class RequestParts:
    """A request, but for where the API lives and how to authenticate."""

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None


@dataclass(frozen=True)
class Outcome:
    """A documented response: the status it answers, what its JSON body is read into."""

    status: str
    """`"201"`, `"4XX"` or `"default"`, as the spec writes it."""
    success: bool
    body: Callable[[ModuleType], Any] | None = None
    """Given the models module, the type of the body; None when there is no body."""
    unwrap: bool = False
    """The body's type is a RootModel and callers get its `.root`."""

    def matches(self, status: int) -> bool:
        if self.status.isdigit():
            return status == int(self.status)
        if self.status[1:].upper() == "XX":
            return status // 100 == int(self.status[0])
        return True

    def read(self, data: Any, models: ModuleType) -> Any:
        """`data` validated as a response body; unknown fields and enums are kept."""
        assert self.body is not None
        target = self.body(models)
        if isinstance(target, type) and issubclass(target, BaseModel):
            parsed = target.model_validate(
                data, context=RESPONSE_CONTEXT, by_name=False
            )
            return cast(Any, parsed).root if self.unwrap else parsed
        return _adapter(target).validate_python(
            data, context=RESPONSE_CONTEXT, by_name=False
        )


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """One operation; `T` is what a call returns."""

    method: str
    path: str
    parameters: tuple[tuple[str, Location], ...] = ()
    """Wire name and location of each parameter, in the order a call passes values."""
    outcomes: tuple[Outcome, ...] = ()
    """The responses a call reads, in the spec's order: successes, errors with body."""
    body: Callable[[ModuleType], Any] | None = None
    """Given the models module, the type a body that is no model is validated as."""
    body_required: bool = False
    """The spec requires a request body: `body=None` is refused."""
    requires_credential: bool = False
    """The operation's security requirement has no empty alternative: it needs auth."""


def build_request(
    endpoint: Endpoint[Any], values: Sequence[object], body: object
) -> RequestParts:
    """The request for `endpoint` with these values (None leaves a parameter out).

    Raises:
        RequestValidationError: for a body that does not match the spec, or none
            when one is required (a ValueError too).
        ValueError: for an empty path value, or a cookie name that is not a token.
    """
    if body is None and endpoint.body_required:
        raise RequestValidationError(
            endpoint.method, endpoint.path, "is required: pass body=..."
        )
    segments: dict[str, str] = {}
    params: dict[str, Any] = {}
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for (name, location), value in zip(endpoint.parameters, values, strict=True):
        if value is None:
            continue
        if location == "path":
            segments[name] = _path_value(name, value)
        elif location == "query":
            params[name] = (
                [_text(item) for item in value]
                if isinstance(value, list | tuple)
                else _text(value)
            )
        elif location == "header":
            headers[name] = _text(value)
        else:
            cookies.append(_cookie(name, value))
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return RequestParts(
        endpoint.method,
        fill_path(endpoint.path, segments),
        params,
        headers,
        None if body is None else _payload(endpoint, body),
    )


def fill_path(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by its encoded value from `values`.

    A segment that comes out as `.` or `..` is sent as `%2E` or `%2E%2E`: left as
    it is, the URL would be normalised to another path (`/env/../job` is `/job`).
    """
    segments = template.split("/")
    for index, segment in enumerate(segments):
        if "{" not in segment:
            continue
        filled = _PLACEHOLDER.sub(
            lambda match: values.get(match.group(1), match.group(0)), segment
        )
        segments[index] = (
            filled.replace(".", "%2E") if filled in _DOT_SEGMENTS else filled
        )
    return "/".join(segments)


def parse_response(endpoint: Endpoint[T], response: httpx.Response) -> T:
    """The result of a call, or the `ApiError` (a subclass per status) it means.

    Raises:
        ApiError: for any status but a documented success.
        ResponseValidationError: when a success body does not match the spec.
    """
    from . import models  # on the first response parsed, not when the package loads

    for outcome in endpoint.outcomes:
        if not outcome.matches(response.status_code):
            continue
        if outcome.success and outcome.body is None:
            return cast(T, None)
        if outcome.success:
            with parsing_response():
                try:
                    return cast(T, outcome.read(response.json(), models))
                except ValueError as exc:
                    raise ResponseValidationError(response, exc) from exc
        with parsing_response():
            raise ApiError.from_response(response, partial(outcome.read, models=models))
    raise ApiError.from_response(response)


@cache
def _adapter(target: Any) -> TypeAdapter[Any]:
    """One TypeAdapter per body type that is not a model class: building one costs."""
    return TypeAdapter(target)


def _text(value: object) -> str:
    """How a parameter value is written in a URL or header."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _path_value(name: str, value: object) -> str:
    """A path value percent-encoded whole (`/` too), so it stays one segment."""
    text = _text(value)
    if not text:
        # `/environment//job` is another route to many servers and proxies.
        raise ValueError(f"path parameter {name!r} is empty")
    return quote(text, safe="")


def _cookie(name: str, value: object) -> str:
    """`name=value` with the value percent-encoded: `;` or `,` cannot add a cookie."""
    if not _TOKEN.fullmatch(name):
        raise ValueError(f"cookie parameter name {name!r} is not an HTTP token")
    return f"{name}={quote(_text(value), safe=_COOKIE_SAFE)}"


def _payload(endpoint: Endpoint[Any], body: object) -> Any:
    """The JSON of a request body, validated again so nothing invalid is ever sent.

    A model can be made invalid after it was built (`model_construct`, nested
    mutation); this raises pydantic's `ValidationError`, naming the field. A
    body that is no model (a list of models, a string) is validated as the
    type the spec declares, before and after it is dumped.
    """
    try:
        return _validated_payload(endpoint, body)
    except ValidationError as exc:
        raise RequestValidationError(
            endpoint.method, endpoint.path, f"is invalid: {_fields(exc)}", exc
        ) from exc


def _validated_payload(endpoint: Endpoint[Any], body: object) -> Any:
    from . import models  # as in parse_response: models load on first use

    target = Any if endpoint.body is None else endpoint.body(models)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if isinstance(body, BaseModel) and not isinstance(body, target):
            raise RequestValidationError(
                endpoint.method,
                endpoint.path,
                f"must be a {target.__name__} or a dict, not a {type(body).__name__}",
            )
        if not isinstance(body, BaseModel):
            # A plain dict or list, validated as the JSON it will be sent as.
            body = target.model_validate_json(to_json(body))
    if isinstance(body, BaseModel):
        data = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        type(body).model_validate(data)
        return data
    adapter = _adapter(target)
    data = adapter.dump_python(
        adapter.validate_python(body), mode="json", by_alias=True, exclude_unset=True
    )
    adapter.validate_python(data)
    return data


def _fields(error: ValidationError) -> str:
    """Each wrong field of `error` and what is wrong with it, on one line."""
    shown = []
    for item in error.errors(include_url=False, include_input=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(the body)"
        shown.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
