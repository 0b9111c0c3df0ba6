"""Operations as data, and the one request builder and response parser that read them.

Part of the runtime specgen ships in every generated package.

`_operations.py` describes each operation of the spec as an `Endpoint`: its
method, path, parameters, the media types its body can be sent as, and its
documented responses. `build_request` and `parse_response` do no I/O, so `Client`
and `AsyncClient` share them and they are tested without a network.

Bodies are written by httpx (`json=`, `data=`, `files=`, `content=`); this module
decides what goes where: a form's fields by OpenAPI's `style` and `explode`, a
multipart body's files and JSON parts, raw bytes or a file object streamed as is.
"""

from __future__ import annotations

import json
import os
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cache, cached_property, lru_cache, partial
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError, PydanticSerializationError, to_json

from ._base import RESPONSE_CONTEXT, parsing_response
from .errors import ApiError, BodyKind, RequestValidationError, ResponseValidationError
from .response import Download

if TYPE_CHECKING:
    from ._base_client import CallOptions

T = TypeVar("T")
Location = Literal["path", "query", "header", "cookie"]
Kind = Literal["json", "form", "multipart", "text", "binary"]
"""How a body is written or read: JSON, a form (urlencoded, multipart), text, bytes."""
_CHUNK = 64 * 1024
"""How much of a file object is read at a time while it is sent."""

_CALL_OPTIONS = frozenset(
    {"retries", "timeout", "extra_headers", "extra_query", "extra_body"}
)
"""`CallOptions`' keys: the keywords of a call that are not body fields."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DOT_SEGMENTS = frozenset({".", ".."})
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")
"""Text `quote` leaves as it is (RFC 3986's unreserved characters)."""
_PERCENT_ENCODED = [
    chr(code) if _UNRESERVED.match(chr(code)) else f"%{code:02X}" for code in range(128)
]
"""Each ASCII character as `quote(text, safe="")` writes it, by code, to translate
with (a list: a dict would raise a KeyError inside for every character kept)."""
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""A cookie name: an HTTP token (RFC 9110), so it cannot end the pair or add one."""
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
"""RFC 6265 cookie-octets that `quote` would encode; `%` is not one, so it is."""


@dataclass(slots=True)
class RequestParts:
    """A request, but for where the API lives and how to authenticate.

    Not changed once built (`dataclasses.replace` makes another); not frozen, as
    a frozen dataclass costs a call per field to build, and one is built per call.
    """

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    """A JSON body: a model's as the bytes it was checked as (`EncodedJson`), any
    other as its data (`json_data` decodes both)."""
    data: dict[str, list[str]] | None = None
    """A urlencoded form's fields (a list per name: a name can repeat)."""
    files: list[tuple[str, Any]] | None = None
    """A multipart body's parts in order, as httpx's `files=` takes them."""
    content: bytes | Iterable[bytes] | None = None
    """A raw body: text encoded, bytes, or a file object's chunks."""
    stream: bool = False
    """A success's body is left unread, for the caller to read as it arrives."""
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    """The call's `extra_headers`: sent after everything else, the credential too."""

    @property
    def json_data(self) -> Any:
        """The JSON body as data (None: no JSON body), decoded if held encoded."""
        body = self.json
        return body.data if isinstance(body, EncodedJson) else body


@dataclass(frozen=True)
class Encoding:
    """How one property of a form or multipart body is sent (the spec's `encoding`)."""

    name: str
    style: str = "form"
    """`form`, `spaceDelimited`, `pipeDelimited` or `deepObject`."""
    explode: bool = True
    content_type: str = ""
    """A multipart part's type (`application/json`); by default objects are JSON."""
    file: bool = False
    """A multipart file (or list of files): bytes, a file object, or a tuple."""


@dataclass(frozen=True)
class Media:
    """A media type a request body can be sent as."""

    content_type: str
    kind: Kind = "json"
    body: Callable[[ModuleType], Any] | None = None
    """Given the models module, the type a JSON or form body is validated as."""
    encoding: tuple[Encoding, ...] = ()
    """The properties not sent as plain fields (form and multipart)."""


@dataclass(frozen=True)
class Payload:
    """A body with the media type the caller chose for it (`content_type=`)."""

    value: object
    content_type: str | None


@dataclass(frozen=True)
class Outcome:
    """A documented response: the status it answers, and how its body is read (the
    same way for an error as for a success)."""

    status: str
    """`"201"`, `"4XX"` or `"default"`, as the spec writes it."""
    success: bool
    body: Callable[[ModuleType], Any] | None = None
    """Given the models module, the type of the body; None when there is no body."""
    unwrap: bool = False
    """The body's type is a RootModel and callers get its `.root`."""
    kind: BodyKind = "json"
    """How the body is read: JSON into `body`, text as `str`, anything else as bytes."""

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

    def read_json(self, content: bytes, models: ModuleType) -> Any:
        """`read` of a body still in bytes: parsed and validated by pydantic-core
        in one pass, for less than `json.loads` then `read`. What it cannot parse
        (a byte-order mark, UTF-16, `NaN`) goes through `json.loads`, as before.

        Raises:
            ValueError: pydantic's `ValidationError`, or `json.loads`' error.
        """
        assert self.body is not None
        target = self.body(models)
        try:
            if isinstance(target, type) and issubclass(target, BaseModel):
                parsed = target.model_validate_json(
                    content, context=RESPONSE_CONTEXT, by_name=False
                )
                return cast(Any, parsed).root if self.unwrap else parsed
            return _adapter(target).validate_json(
                content, context=RESPONSE_CONTEXT, by_name=False
            )
        except ValidationError as exc:
            if any(error["type"] != "json_invalid" for error in exc.errors()):
                raise
        return self.read(json.loads(content), models)


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
    """Given the models module, the type of a JSON body (when `media` is empty)."""
    body_required: bool = False
    """The spec requires a request body: `body=None` is refused."""
    requires_credential: bool = False
    """The operation's security requirement has no empty alternative: it needs auth."""
    media: tuple[Media, ...] = ()
    """The media types the body can be sent as, the default first; none: JSON."""
    accept: str = ""
    """The `Accept` header: the media types the responses are documented in."""
    streamed: bool = False
    """A success is returned as a `Download`, its body unread (`<method>_stream`)."""
    fields: tuple[tuple[str, str], ...] = ()
    """For an object body: each keyword a method takes for a field, and the field's
    name on the wire (`with_fields`)."""
    empty_body: bool = False
    """The body is required but none of its fields is: a call passing neither `body`
    nor a field sends `{}` (`with_fields`)."""

    def streaming(self) -> Endpoint[Download]:
        """This operation with its success returned unread, as a `Download`."""
        return cast("Endpoint[Download]", replace(self, streamed=True))

    def payload(self, body: object, content_type: str | None) -> Payload:
        """`body` to be sent as `content_type` (None: the default media type)."""
        return Payload(body, content_type)

    @cached_property
    def _field_keys(self) -> dict[str, str]:
        return dict(self.fields)

    def with_fields(
        self, body: object, arguments: dict[str, Any]
    ) -> tuple[object, CallOptions]:
        """The body of a call passing its fields as keywords, and the call's options.

        `arguments` are the method's other keywords: fields (`fields`) and options.
        The fields make a dict, validated into the model like any dict body. With
        neither `body` nor a field, there is no body (`{}` when that is valid for a
        required body, `empty_body`), as the method's overloads let type checkers say.

        Raises:
            RequestValidationError: for both `body=` and fields.
            TypeError: for a keyword that is neither a field nor an option.
        """
        if arguments.keys() <= _CALL_OPTIONS and (
            body is not None or not (self.empty_body or self.body_required)
        ):
            return body, cast("CallOptions", arguments)
        keys = self._field_keys
        named = [name for name in arguments if name in keys]
        given = {keys[name]: arguments.pop(name) for name in named}
        unknown = sorted(arguments.keys() - _CALL_OPTIONS)
        if unknown:
            raise TypeError(
                f"{self.method} {self.path}: unexpected keyword argument"
                f" {unknown[0]!r}: neither a field of the body nor a call option"
            )
        if body is not None:
            if not given:
                return body, cast("CallOptions", arguments)
            raise RequestValidationError(
                self.method,
                self.path,
                "is given twice: pass body=... or its fields as keywords"
                f" ({', '.join(named)}), not both",
            )
        if not given and not self.empty_body:
            if self.body_required:
                raise RequestValidationError(
                    self.method,
                    self.path,
                    "is required: pass body=... or its fields as keywords",
                )
            return None, cast("CallOptions", arguments)
        return given, cast("CallOptions", arguments)

    @cached_property
    def _json_media(self) -> tuple[Media]:
        """The one media type of an endpoint that documents none: JSON, made once."""
        return (Media("application/json", "json", self.body),)

    def media_for(self, content_type: str | None) -> Media:
        """The media type a body is sent as: the one named, else the default.

        Raises:
            ValueError: for a type the spec does not document for this body.
        """
        known = self.media or self._json_media
        if content_type is None:
            return known[0]
        wanted = _essence(content_type)
        for media in known:
            if _essence(media.content_type) == wanted or _in_range(
                wanted, media.content_type
            ):
                return media
        allowed = ", ".join(m.content_type for m in known)
        raise ValueError(
            f"{self.method} {self.path}: content_type {content_type!r} is not one"
            f" the API documents ({allowed})"
        )

    checks: Callable[[ModuleType], tuple[Any, ...]] | None = None
    """Given the models module, the type each parameter value is validated as (its
    constraints in `Annotated` metadata), in `parameters` order."""

    @cached_property
    def _checker(self) -> TypeAdapter[Any] | None:
        """One validator of all the parameter values, built on the first call."""
        if self.checks is None:
            return None
        from . import models  # as in parse_response: models load on first use

        types = self.checks(models)
        shape: Any = tuple.__class_getitem__(types) if types else tuple[()]
        return TypeAdapter(shape)

    def check(self, values: Sequence[object]) -> None:
        """Refuse parameter values the spec does not allow, before anything is sent.

        Raises:
            RequestValidationError: naming each wrong parameter and what is wrong.
        """
        checker = self._checker
        if checker is None:
            return
        try:
            checker.validate_python(values)
        except ValidationError as exc:
            raise RequestValidationError(
                self.method,
                self.path,
                _parameter_errors(self, exc),
                exc,
                subject="",
            ) from exc


def build_request(
    endpoint: Endpoint[Any], values: Sequence[object], body: object
) -> RequestParts:
    """The request for `endpoint` with these values (None leaves a parameter out).

    Raises:
        RequestValidationError: for a body that does not match the spec, or none
            when one is required (a ValueError too).
        ValueError: for an empty path value, or a cookie name that is not a token.
    """
    parts = _request(endpoint, values, body)
    return replace(parts, stream=True) if endpoint.streamed else parts


def _request(
    endpoint: Endpoint[Any], values: Sequence[object], body: object
) -> RequestParts:
    endpoint.check(values)
    content_type = body.content_type if isinstance(body, Payload) else None
    if isinstance(body, Payload):
        body = body.value
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
    if endpoint.accept:
        headers["Accept"] = endpoint.accept
    path = fill_path(endpoint.path, segments)
    if body is None:
        return RequestParts(endpoint.method, path, params, headers)
    media = endpoint.media_for(content_type)
    sent_as = content_type or media.content_type
    if media.kind == "json":
        if _essence(sent_as) != "application/json":
            headers["Content-Type"] = sent_as  # httpx would say application/json
        data = _payload(endpoint, media, body, encoded=True)
        return RequestParts(endpoint.method, path, params, headers, json=data)
    if media.kind == "form":
        fields = _form_fields(_payload(endpoint, media, body), media.encoding)
        if not fields:  # httpx would send no body and no type: an empty form
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return RequestParts(endpoint.method, path, params, headers, content=b"")
        return RequestParts(endpoint.method, path, params, headers, data=fields)
    if media.kind == "multipart":
        parts = _multipart(endpoint, media, body)
        if not parts:  # httpx sends no body for no parts: an empty multipart one
            boundary = os.urandom(16).hex()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            empty = f"--{boundary}--\r\n".encode("ascii")
            return RequestParts(endpoint.method, path, params, headers, content=empty)
        return RequestParts(endpoint.method, path, params, headers, files=parts)
    headers["Content-Type"] = _concrete(sent_as, media.kind)
    raw = _raw_content(endpoint, media.kind, body)
    return RequestParts(endpoint.method, path, params, headers, content=raw)


def fill_path(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by its encoded value from `values`.

    A segment that comes out as `.` or `..`, filled or written so in the spec, is
    sent as `%2E` or `%2E%2E`: left as it is, the URL would be normalised to
    another path (`/env/../job` is `/job`, `/llm/.` is `/llm/`).
    """
    form, names = _path_form(template)
    filled = [values.get(name, f"{{{name}}}") for name in names]
    if all(value.strip(".") for value in filled):
        # A segment is all dots only if each of its values is: not one here.
        return form.format(*filled)
    segments = template.split("/")
    for index, segment in enumerate(segments):
        if "{" not in segment:
            segments[index] = _literal_segment(segment)
            continue
        segment = _PLACEHOLDER.sub(
            lambda match: values.get(match.group(1), match.group(0)), segment
        )
        segments[index] = (
            segment.replace(".", "%2E") if segment in _DOT_SEGMENTS else segment
        )
    return "/".join(segments)


def _literal_segment(segment: str) -> str:
    """A segment of the spec's path as sent: `.` and `..` encoded, or the URL
    would lose them."""
    return segment.replace(".", "%2E") if segment in _DOT_SEGMENTS else segment


@lru_cache(maxsize=1024)
def _path_form(template: str) -> tuple[str, tuple[str, ...]]:
    """`template` as a `str.format` string with positional fields, and the names
    they stand for, in order; worked out once per path. Positions, not names: a
    name can hold `.` or `[`, which `format` would read as an attribute or index."""
    names: list[str] = []
    segments = []
    for segment in template.split("/"):
        pieces = (
            _PLACEHOLDER.split(segment)
            if "{" in segment
            else [_literal_segment(segment)]
        )
        form = ""
        for index, piece in enumerate(pieces):
            if index % 2:
                form += f"{{{len(names)}}}"
                names.append(piece)
            else:
                form += piece.replace("{", "{{").replace("}", "}}")
        segments.append(form)
    return "/".join(segments), tuple(names)


def parse_response(endpoint: Endpoint[T], response: httpx.Response) -> T:
    """The result of a call, or the `ApiError` (a subclass per status) it means.

    Raises:
        ApiError: for any status but a documented success.
        ResponseValidationError: when a success body does not match the spec.
    """
    models = _models()  # on the first response parsed, not when the package loads
    for outcome in endpoint.outcomes:
        if not outcome.matches(response.status_code):
            continue
        if outcome.success and endpoint.streamed:
            return cast(T, Download(response))
        if outcome.success and outcome.kind == "text":
            return cast(T, response.text)
        if outcome.success and outcome.kind == "binary":
            return cast(T, response.content)
        if outcome.success and outcome.body is None:
            return cast(T, None)
        if outcome.success:
            with parsing_response():
                try:
                    return cast(T, outcome.read_json(response.content, models))
                except ValueError as exc:
                    raise ResponseValidationError(response, exc) from exc
        if outcome.kind != "json":
            raise ApiError.from_response(response, kind=outcome.kind)
        with parsing_response():
            raise ApiError.from_response(response, partial(outcome.read, models=models))
    raise ApiError.from_response(response)


@cache
def _models() -> ModuleType:
    """The package's models, imported on first use (not when the package loads),
    then kept: an import statement costs a microsecond on every call."""
    from . import models

    return models


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
    if _UNRESERVED.fullmatch(text):
        return text  # what `quote` gives back, for less (an id, a UUID)
    if text.isascii():  # its UTF-8 is itself: each other character is one byte
        return text.translate(_PERCENT_ENCODED)
    return quote(text, safe="")


def _cookie(name: str, value: object) -> str:
    """`name=value` with the value percent-encoded: `;` or `,` cannot add a cookie."""
    if not _TOKEN.fullmatch(name):
        raise ValueError(f"cookie parameter name {name!r} is not an HTTP token")
    return f"{name}={quote(_text(value), safe=_COOKIE_SAFE)}"


def _payload(
    endpoint: Endpoint[Any], media: Media, body: object, *, encoded: bool = False
) -> Any:
    """The JSON of a request body, validated again so nothing invalid is ever sent.

    A model can be made invalid after it was built (`model_construct`, nested
    mutation); this raises pydantic's `ValidationError`, naming the field. A
    body that is no model (a list of models, a string) is validated as the
    type the spec declares, before and after it is dumped.

    With `encoded`, a model's JSON comes as the bytes it was checked as
    (`EncodedJson`), for a body sent as JSON; else it is the decoded value.
    """
    try:
        data = _validated_payload(endpoint, media, body)
    except ValidationError as exc:
        raise RequestValidationError(
            endpoint.method, endpoint.path, f"is invalid: {_fields(exc)}", exc
        ) from exc
    except PydanticSerializationError as exc:  # a dict holding what JSON cannot
        raise RequestValidationError(
            endpoint.method, endpoint.path, f"is not JSON data: {exc}"
        ) from exc
    return data if encoded or not isinstance(data, EncodedJson) else data.data


def _validated_payload(endpoint: Endpoint[Any], media: Media, body: object) -> Any:
    models = _models()  # as in parse_response: models load on first use
    target = Any if media.body is None else media.body(models)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if isinstance(body, BaseModel) and not isinstance(body, target):
            raise RequestValidationError(
                endpoint.method,
                endpoint.path,
                f"must be a {target.__name__} or a dict, not a {type(body).__name__}",
            )
        if not isinstance(body, BaseModel):
            # A plain dict or list, validated as the JSON it will be sent as.
            fresh = target.model_validate_json(to_json(body, fallback=_json_data))
            return EncodedJson(_encoded(fresh))
    if isinstance(body, BaseModel):
        return _checked_dump(body)
    adapter = _adapter(target)
    data = adapter.dump_python(
        adapter.validate_python(body), mode="json", by_alias=True, exclude_unset=True
    )
    adapter.validate_python(data)
    return data


def _json_data(value: object) -> object:
    """A sequence or mapping `to_json` does not know (a caller's own `Sequence`, a
    `MappingProxyType`) as the list or dict it stands for: plain data takes any,
    as `params.py` says (`Sequence[models.Probe | ProbeParam]`)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    raise PydanticSerializationError(f"Unable to serialize unknown type: {type(value)}")


_VALIDATED: dict[int, tuple[weakref.ref[BaseModel], bytes]] = {}
"""Each live model sent before: by `id`, the JSON it was validated as."""


def _checked_dump(body: BaseModel) -> EncodedJson:
    """`body` as the JSON it is sent as, validated by its class as that JSON.

    A model sent again unchanged (its JSON the same as when last validated) is
    not validated again: the check is only for models changed or made invalid
    since they were built, and re-validating cost more than the whole exchange.
    """
    sent = _encoded(body)
    key = id(body)
    known = _VALIDATED.get(key)
    if known is None or known[0]() is not body or known[1] != sent:
        type(body).model_validate_json(sent)
        _VALIDATED[key] = (weakref.ref(body, partial(_forget, key)), sent)
    return EncodedJson(sent)


def _encoded(model: BaseModel) -> bytes:
    """`model` as JSON, by alias and with the fields set: what the client sends."""
    return model.__pydantic_serializer__.to_json(
        model, by_alias=True, exclude_unset=True
    )


class EncodedJson:
    """A model body as the JSON bytes it was checked as: the client sends those,
    and decodes them only when `extra_body` is merged into the object."""

    __slots__ = ("encoded",)

    def __init__(self, encoded: bytes) -> None:
        self.encoded = encoded

    @property
    def data(self) -> Any:
        """The JSON value, decoded."""
        return json.loads(self.encoded)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EncodedJson) and other.encoded == self.encoded

    def __hash__(self) -> int:
        return hash(self.encoded)

    def __repr__(self) -> str:
        return f"EncodedJson({self.encoded!r})"


def _forget(key: int, _: object) -> None:
    _VALIDATED.pop(key, None)


def _parameter_errors(endpoint: Endpoint[Any], error: ValidationError) -> str:
    """Each wrong parameter of `error`, by location and wire name, on one line."""
    shown = []
    for item in error.errors(include_url=False)[:5]:
        index, *inside = item["loc"]
        name, location = endpoint.parameters[int(index)]
        where = "".join(f"[{part}]" for part in inside)
        problem = (
            "is required (None leaves out only an optional parameter)"
            if item.get("input", ...) is None and not inside
            else f"is invalid: {item['msg']}"
        )
        shown.append(f"{location} parameter {name!r}{where} {problem}")
    more = error.error_count() - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def unique_items(items: list[T]) -> list[T]:
    """A list whose items are all different (`uniqueItems`), else a pydantic error.

    pydantic's `Field` has no such constraint; parameter checks use this as an
    `AfterValidator`. JSON equality: the list's items are already validated.
    """
    for index, item in enumerate(items):
        if item in items[:index]:
            raise PydanticCustomError(
                "unique_items",
                "List should have unique items: item {index} repeats an earlier one",
                {"index": index},
            )
    return items


def _fields(error: ValidationError) -> str:
    """Each wrong field of `error` and what is wrong with it, on one line."""
    shown = []
    for item in error.errors(include_url=False, include_input=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(the body)"
        shown.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


# --- bodies other than JSON ---------------------------------------------------


def _essence(content_type: str) -> str:
    """`type/subtype`, lower-cased, without parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def _in_range(content_type: str, documented: str) -> bool:
    """Whether a concrete type is one a range the spec documents admits (`image/*`)."""
    major, _, minor = _essence(documented).partition("/")
    return minor == "*" and (major == "*" or content_type.startswith(major + "/"))


def _concrete(content_type: str, kind: Kind) -> str:
    """The `Content-Type` sent: `*/*` is bytes, and text says its charset.

    Raises:
        ValueError: for another range (`image/*`): only the caller knows the type.
    """
    base = _essence(content_type)
    if base in ("*/*", "application/*"):
        return "application/octet-stream"
    if "*" in base:
        raise ValueError(
            f"content_type {content_type!r} is a range: pass the body's own type"
        )
    if kind == "text" and "charset" not in content_type.lower():
        return f"{content_type}; charset=utf-8"
    return content_type


def _raw_content(endpoint: Endpoint[Any], kind: Kind, body: object) -> Any:
    """Text as UTF-8; bytes as they are; a file object read chunk by chunk."""
    if kind == "text":
        if not isinstance(body, str):
            raise RequestValidationError(
                endpoint.method,
                endpoint.path,
                f"must be a str, not a {type(body).__name__}",
            )
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if callable(getattr(body, "read", None)) and not isinstance(body, str):
        return _FileChunks(cast("IO[bytes]", body))
    raise RequestValidationError(
        endpoint.method,
        endpoint.path,
        f"must be bytes or a binary file, not a {type(body).__name__}",
    )


class _FileChunks:
    """A binary file's content, a chunk at a time (a text file is refused).

    Iterated again (a retry, a redirect), a seekable file starts over from where
    it was when given; httpx sends an iterable that is no generator again.
    """

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        seekable = getattr(file, "seekable", None)
        self._start = file.tell() if callable(seekable) and seekable() else None
        self._sent = False

    def __iter__(self) -> Iterator[bytes]:
        if self._start is not None:
            self._file.seek(self._start)
        elif self._sent:
            raise TypeError("a file that cannot seek is sent once: it is not retried")
        self._sent = True
        while chunk := self._file.read(_CHUNK):
            if not isinstance(chunk, bytes):
                raise TypeError("a request body file must be opened in binary mode")
            yield chunk


def _form_text(value: object) -> str:
    """A form value as text: booleans as JSON writes them, anything nested as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _form_fields(data: object, encodings: tuple[Encoding, ...]) -> dict[str, list[str]]:
    """A urlencoded body's fields, each property by its `style` and `explode`.

    As OpenAPI serialises query parameters: an array exploded repeats the name,
    else joins its items (`,`, space or `|`); an object exploded in `form` style
    gives its own fields, else `name=k1,v1,k2,v2`; `deepObject` is `name[k]=v`.
    """
    if not isinstance(data, dict):
        raise ValueError("a form body must be an object")
    how = {e.name: e for e in encodings}
    fields: dict[str, list[str]] = {}

    def add(name: str, text: str) -> None:
        fields.setdefault(name, []).append(text)

    for name, value in data.items():
        encoding = how.get(name, Encoding(name))
        if value is None:
            continue
        if isinstance(value, list):
            if encoding.explode:
                for item in value:
                    add(name, _form_text(item))
            else:
                joiner = _DELIMITERS.get(encoding.style, ",")
                add(name, joiner.join(_form_text(item) for item in value))
        elif isinstance(value, dict):
            if encoding.style == "deepObject":
                _deep_object(name, value, add)
            elif encoding.explode:
                for key, item in value.items():
                    add(str(key), _form_text(item))
            else:
                pairs = [t for k, v in value.items() for t in (str(k), _form_text(v))]
                add(name, ",".join(pairs))
        else:
            add(name, _form_text(value))
    return fields


def _deep_object(name: str, value: object, add: Callable[[str, str], None]) -> None:
    """`name[key]=value`, nested objects as `name[a][b]`, arrays as `name[a][]`."""
    if isinstance(value, dict):
        for key, item in value.items():
            _deep_object(f"{name}[{key}]", item, add)
    elif isinstance(value, list):
        for item in value:
            _deep_object(f"{name}[]", item, add)
    elif value is not None:
        add(name, _form_text(value))


def _multipart(
    endpoint: Endpoint[Any], media: Media, body: object
) -> list[tuple[str, Any]]:
    """A multipart body's parts, in order: files as given, objects as JSON parts.

    The other fields are validated as the spec's type, each file standing in as
    empty bytes: a file object or a tuple is no value a model holds.
    """
    files = {e.name for e in media.encoding if e.file}
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="python", by_alias=True, exclude_unset=True)
    given: dict[str, Any] = {}
    if isinstance(body, Mapping):
        body = dict(body)
        for name in files & set(body):
            given[name] = body[name]
            many = isinstance(given[name], list)
            body[name] = [b""] * len(given[name]) if many else b""
    data = _payload(endpoint, media, body)
    if not isinstance(data, dict):
        raise RequestValidationError(
            endpoint.method, endpoint.path, "must be an object (multipart/form-data)"
        )
    how = {e.name: e for e in media.encoding}
    parts: list[tuple[str, Any]] = []
    for name, value in data.items():
        if name in given:
            items = given[name] if isinstance(given[name], list) else [given[name]]
            parts.extend((name, _file_part(endpoint, name, item)) for item in items)
            continue
        if value is None:
            continue
        part_type = how[name].content_type if name in how else ""
        each = value if isinstance(value, list) and not part_type else [value]
        parts.extend((name, _data_part(item, part_type)) for item in each)
    return parts


def _data_part(value: object, content_type: str) -> tuple[None, bytes, str | None]:
    """A field's part: JSON when its type says so or it is an object, else text."""
    as_json = "json" in _essence(content_type) or (
        not content_type and isinstance(value, dict)
    )
    if as_json:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return (None, text.encode("utf-8"), content_type or "application/json")
    return (None, _form_text(value).encode("utf-8"), content_type or None)


def _file_part(endpoint: Endpoint[Any], name: str, value: object) -> Any:
    """A file as httpx sends it: a str (what a model may hold) as its UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8")
    content = value[1] if isinstance(value, tuple) and len(value) in (2, 3) else value
    if isinstance(content, bytes | bytearray | memoryview | str) or (
        callable(getattr(content, "read", None)) and not isinstance(content, str)
    ):
        return value
    raise RequestValidationError(
        endpoint.method,
        endpoint.path,
        f"field {name!r} must be bytes, a binary file or a (name, content, type)"
        f" tuple, not a {type(content).__name__}",
    )
