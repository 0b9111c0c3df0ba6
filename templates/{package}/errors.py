"""Every error the clients of a generated package raise.

Part of the runtime specgen ships in every generated package.

    ClientError
    ├── ApiError                  an answer whose status is not a success for the call
    │   ├── BadRequestError            400
    │   ├── AuthenticationError        401
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404
    │   ├── ConflictError              409
    │   ├── UnprocessableEntityError   422
    │   ├── RateLimitError             429
    │   ├── ServerError                5xx
    │   └── ResponseValidationError    a success body that does not match the spec
    ├── TransportError            no response: connection refused, timeout, TLS…
    │   └── TotalTimeoutError          the call outlasted `Timeouts.total`
    ├── ResponseTooLargeError     a body longer than the client's `max_response_bytes`
    ├── MissingCredentialError    an operation that needs a credential, and none is set
    └── RequestValidationError    a body the operation does not take (a ValueError)

Messages name the method, the path and the status, and for an `ApiError` the
server's own explanation when its body has one (a short excerpt of the JSON
`message`, `error`, `detail` or `title`, or of a text body that is not markup);
never headers, query strings or credentials. A `TransportError` names the host
it could not reach.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Literal

import httpx


class ClientError(Exception):
    """Base class of every error raised by this package."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own would call `type(self)(*self.args)`, which the
        # subclasses' constructors do not take: pickle and copy the state instead.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(
    cls: type[ClientError], args: tuple[Any, ...], state: dict[str, Any]
) -> ClientError:
    """A `ClientError` unpickled: its message and attributes, without `__init__`."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


def _where(request: httpx.Request | None) -> str:
    return f"{request.method} {request.url.path}" if request is not None else "request"


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:
        return None


_EXCERPT_CHARS = 200
"""The longest excerpt of the server's explanation an error message quotes."""
_EXPLAINING_FIELDS = ("message", "error_description", "error", "detail", "title")
"""JSON fields that hold a human explanation, most specific first."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _excerpt(text: str) -> str:
    """`text` on one line, control characters removed, at most `_EXCERPT_CHARS`."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    if len(line) > _EXCERPT_CHARS:
        line = line[: _EXCERPT_CHARS - 1].rstrip() + "…"
    return line


def _explanation_in(data: Any, depth: int = 0) -> str:
    """The first explaining field of a JSON body (`{"error": {"message": ...}}` too)."""
    if isinstance(data, list) and data and depth < 2:
        return _explanation_in(data[0], depth + 1)
    if not isinstance(data, dict):
        return ""
    for name in _EXPLAINING_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict | list) and depth < 2:
            found = _explanation_in(value, depth + 1)
            if found:
                return found
    return ""


def _is_prose(media: str) -> bool:
    """A text type whose content can be quoted as it is: `text/*` but markup (HTML,
    XML), whose tags would fill the excerpt; no type at all counts as text."""
    if not media:
        return True
    markup = media == "text/html" or media.endswith(("/xml", "+xml"))
    return media.startswith("text/") and not markup


def explanation(response: httpx.Response) -> str:
    """A short excerpt of what the server said went wrong, or "" when it said nothing.

    From a JSON body, its first `message`, `error_description`, `error`,
    `detail` or `title` string (looked for one or two levels down too); from a
    text body (`text/plain`, `text/csv`…), its start. Nothing else of the
    response: an HTML or XML page is no explanation, and headers are never quoted.
    """
    media = response.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    content = response.content
    if not content:
        return ""
    if media == "application/json" or media.endswith("+json") or not media:
        try:
            return _excerpt(_explanation_in(json.loads(content)))
        except (ValueError, RecursionError):
            if media:
                return ""
    if _is_prose(media):
        head = content[: _EXCERPT_CHARS * 4]
        return _excerpt(head.decode(response.encoding or "utf-8", "replace"))
    return ""


BodyKind = Literal["json", "text", "binary"]
"""How the spec documents a response body: JSON, text (`str`), anything else (bytes)."""


class ApiError(ClientError):
    """The API answered with a status the operation does not treat as success.

    Its message quotes the server's own explanation when the body has one:
    `POST /jobs failed with HTTP 400: name must not be empty`.

    Attributes:
        status_code: The HTTP status.
        headers: The response headers.
        body: The raw response body.
        parsed: The body as the spec documents it for this status, as a success
            of that media type would be: JSON parsed into its model, text as a
            `str`, any other type as `bytes`. None when the spec documents no
            body for the status (or not the status), or a JSON body does not
            match its schema.
        request: The `httpx.Request` that was answered (the last one sent),
            or None.
        response: The `httpx.Response`, or None.
    """

    def __init__(
        self,
        status_code: int,
        headers: httpx.Headers,
        body: bytes,
        parsed: Any = None,
        *,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        said = "" if response is None else explanation(response)
        super().__init__(
            f"{_where(request)} failed with HTTP {status_code}"
            + (f": {said}" if said else "")
        )
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.parsed = parsed
        self.request = request
        self.response = response

    @classmethod
    def from_response(
        cls,
        response: httpx.Response,
        parse: Callable[[Any], Any] | None = None,
        *,
        kind: BodyKind = "json",
    ) -> ApiError:
        """The error of the right class for `response`.

        `parsed` follows `kind`, the media type the spec documents for the
        status: text is the body as a `str` and binary its `bytes`, as a success
        would be returned; JSON is the body passed through `parse`, and None when
        there is no `parse`, the body is not JSON or `parse` rejects it (raises
        ValueError).
        """
        parsed: Any = None
        if kind == "text":
            parsed = response.text
        elif kind == "binary":
            parsed = response.content
        elif parse is not None:
            try:
                parsed = parse(response.json())
            except ValueError:
                parsed = None
        error_class = _BY_STATUS.get(
            response.status_code,
            ServerError if response.status_code >= 500 else ApiError,
        )
        return error_class(
            response.status_code,
            response.headers,
            response.content,
            parsed,
            request=_request_of(response),
            response=response,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code})"


class BadRequestError(ApiError):
    """HTTP 400: the API rejected the request."""


class AuthenticationError(ApiError):
    """HTTP 401: credentials are missing or invalid."""


class PermissionDeniedError(ApiError):
    """HTTP 403: the credentials do not allow this."""


class NotFoundError(ApiError):
    """HTTP 404: the resource does not exist."""


class ConflictError(ApiError):
    """HTTP 409: the request conflicts with the resource's state."""


class UnprocessableEntityError(ApiError):
    """HTTP 422: the request is well-formed but invalid."""


class RateLimitError(ApiError):
    """HTTP 429: too many requests; see the `Retry-After` header."""


class ServerError(ApiError):
    """HTTP 5xx: the API failed."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


class TransportError(ClientError):
    """No response was received: connection refused, DNS, TLS, timeout."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(f"{_where(request)}: {message}")


class TotalTimeoutError(TransportError):
    """The call did not finish within `Timeouts.total` (retries and waits included).

    Raised at the deadline whatever the server does (a slow connect, headers or
    body sent a byte at a time), not when a read finally times out.
    """


class ResponseTooLargeError(ClientError):
    """A response body longer than the client's `max_response_bytes`.

    Raised while the body streams in, before the whole of it is held in memory;
    the body is not kept.

    Attributes:
        status_code, headers: the response.
        limit: the cap, in bytes (of the body as decoded).
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        super().__init__(
            f"{_where(_request_of(response))}: HTTP {response.status_code} body"
            f" is larger than the limit of {limit} bytes"
        )
        self.status_code = response.status_code
        self.headers = response.headers
        self.limit = limit


class ResponseValidationError(ApiError):
    """A success response whose body does not match the spec.

    An `ApiError` too: `except ApiError` catches every answer the call cannot
    return. `parsed` is None.

    Attributes:
        status_code, headers, body, request, response: the response.
        errors: what did not match (a pydantic `ValidationError` or a JSON error).
    """

    def __init__(self, response: httpx.Response, errors: Exception) -> None:
        ClientError.__init__(
            self,
            f"{_where(_request_of(response))}: HTTP {response.status_code} body"
            f" does not match the spec: {errors}",
        )
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = response.content
        self.parsed = None
        self.request = _request_of(response)
        self.response = response
        self.errors = errors


class RequestValidationError(ClientError, ValueError):
    """A request body or parameter that does not match the spec, found before anything
    is sent.

    Also a `ValueError`. The message names the fields or parameters that are wrong.

    Attributes:
        errors: The pydantic `ValidationError` behind it, or None (a body of
            another model class, or a required body missing).
    """

    def __init__(
        self,
        method: str,
        path: str,
        problem: str,
        errors: Exception | None = None,
        *,
        subject: str = "the request body",
    ) -> None:
        """`subject` is what `problem` is said of; empty when `problem` names it."""
        said = f"{subject} {problem}" if subject else problem
        super().__init__(f"{method} {path}: {said}")
        self.errors = errors


class MissingCredentialError(ClientError):
    """An operation that requires a credential was called with none configured.

    Raised before anything is sent.
    """
