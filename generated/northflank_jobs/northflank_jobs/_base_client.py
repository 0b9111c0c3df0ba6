"""What every client does, whatever the API: send, retry, time out, hook, log.

Part of the runtime specgen ships in every generated package. `Client` and
`AsyncClient` subclass `BaseClient` and `AsyncBaseClient` with one method per
operation, and give what depends on the spec as class attributes: the default
base URL, the user agent, and where a credential comes from when given none.

What a call promises, whatever the server does:

- `Timeouts.total` is a deadline for the whole call (connect, headers, every read
  of the body, redirects, retries and their waits): at the deadline it raises
  `TotalTimeoutError`, even against a server that sends one byte at a time.
- A body longer than `max_response_bytes` (decoded) raises
  `ResponseTooLargeError` while it streams in, before it is all in memory.
- Credentials go to the origin of `base_url` only: a redirect to another
  origin carries none of the headers the client adds but `User-Agent` and
  `Accept`, and no credential query parameter.
- Logs and `repr` never show credentials: user-info in a URL is shown as
  `***@`, and the value of a credential query parameter is `***` in httpx's
  own log line too (this module adds a filter to the `httpx` logger).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import queue
import random
import socket
import threading
import time
from collections.abc import (
    Awaitable,
    Callable,
    Collection,
    Coroutine,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache, partial, update_wrapper
from types import TracebackType
from typing import (
    Any,
    ClassVar,
    Concatenate,
    Generic,
    ParamSpec,
    Protocol,
    Self,
    TypedDict,
    TypeVar,
    cast,
)
from urllib.parse import unquote, urlsplit

import httpx
from pydantic_core import to_json, to_jsonable_python

from ._endpoint import (
    EncodedJson,
    Endpoint,
    RequestParts,
    build_request,
    parse_response,
)
from .errors import (
    MissingCredentialError,
    RequestValidationError,
    ResponseTooLargeError,
    TotalTimeoutError,
    TransportError,
)
from .response import ApiResponse
from .retries import RetryPolicy
from .timeouts import Timeouts

T = TypeVar("T")
P = ParamSpec("P")

_TIMEOUTS = Timeouts()
_RETRIES = RetryPolicy()

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""64 MiB: far more than an API answer needs, far less than would exhaust memory."""

RequestHook = Callable[[httpx.Request], None]
ResponseHook = Callable[[httpx.Response], None]
AsyncRequestHook = Callable[[httpx.Request], Awaitable[None] | None]
AsyncResponseHook = Callable[[httpx.Response], Awaitable[None] | None]

_KEPT_ACROSS_ORIGINS = frozenset({"user-agent", "accept"})
"""The only headers the client adds that a redirect to another origin keeps."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DEADLINE_SLACK = 0.01
"""An httpx timeout this close to the deadline was the deadline (cut to it)."""
_CONNECTED = frozenset(
    {"connection.connect_tcp.complete", "connection.start_tls.complete"}
)
"""httpcore's trace events that hand over the stream of a new connection."""
_IDLE_SECONDS = 30.0
"""How long a thread of the deadline pool waits for another exchange before ending."""


class SupportsApply(Protocol):
    """A credential: the classes of the generated `auth.py`."""

    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None: ...


C = TypeVar("C", bound=SupportsApply)


QueryValue = str | int | float | bool | Sequence[str | int | float | bool]
"""A query parameter's value as `extra_query` takes it; a sequence repeats the name."""


class CallOptions(TypedDict, total=False):
    """What every operation also takes, for one call: `retries=...`, `timeout=...`,
    and what the spec does not document (`extra_headers=...`)."""

    retries: RetryPolicy | None
    """The retry policy, instead of the client's."""
    timeout: Timeouts | None
    """The timeouts, instead of the client's."""
    extra_headers: Mapping[str, str] | None
    """Headers sent besides the operation's; they win over every other, the
    credential's too."""
    extra_query: Mapping[str, QueryValue] | None
    """Query parameters sent besides the operation's; they win over its own."""
    extra_body: Mapping[str, object] | None
    """Fields merged into the JSON object body (winning over its own, and not
    validated), or the whole body of an operation that has none."""


def with_extras(
    endpoint: Endpoint[Any], request: RequestParts, options: CallOptions
) -> RequestParts:
    """`request` with the call's `extra_headers`, `extra_query` and `extra_body`.

    Raises:
        RequestValidationError: for `extra_body` with a body that is no JSON object.
    """
    headers = options.get("extra_headers") or {}
    query = options.get("extra_query") or {}
    extra = options.get("extra_body")
    if not headers and not query and extra is None:
        return request
    body = request.json
    if extra is not None:
        body = request.json_data
        fields = to_jsonable_python(extra)
        other = (request.data, request.files, request.content)
        if body is None and other == (None, None, None):
            body = fields
        elif isinstance(body, dict):
            body = {**body, **fields}
        else:
            raise RequestValidationError(
                endpoint.method,
                endpoint.path,
                "is no JSON object: extra_body has nothing to merge into",
            )
    return replace(
        request,
        params={**request.params, **query},
        json=body,
        extra_headers=dict(headers),
    )


# --- what logs and reprs show ------------------------------------------------

_SECRET_PARAMS: set[str] = set()
"""Query parameters a credential of this package set: httpx's log hides their values."""


def shown_url(url: httpx.URL | str, *, secret_params: Collection[str] = ()) -> str:
    """`url` as logs and reprs show it: user-info as `***@`, and no query unless asked.

    With `secret_params`, the query is kept and their values are `***`.
    """
    text = str(url)
    try:
        url = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    if not url.scheme:  # relative, or not a URL: no user-info to hide
        return text.split("?")[0]
    userinfo = "***@" if url.userinfo else ""
    raw_path, _, query = url.raw_path.decode("ascii").partition("?")
    shown = f"{url.scheme}://{userinfo}{url.netloc.decode('ascii')}{raw_path}"
    if not secret_params or not query:
        return shown
    pairs = []
    for pair in query.split("&"):
        name = unquote(pair.partition("=")[0].replace("+", " "))
        pairs.append(f"{pair.partition('=')[0]}=***" if name in secret_params else pair)
    return f"{shown}?{'&'.join(pairs)}"


class _RedactUrls(logging.Filter):
    """httpx logs each request's URL whole: hide user-info and credential parameters."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            record.args = tuple(
                shown_url(a, secret_params=_SECRET_PARAMS)
                if isinstance(a, httpx.URL)
                else a
                for a in args
            )
        return True


_HTTPX_LOG_FILTER = _RedactUrls()
logging.getLogger("httpx").addFilter(_HTTPX_LOG_FILTER)


@lru_cache(maxsize=512)
def _parsed_url(url: str) -> httpx.URL:
    """`url` parsed once: calls to the same resource reuse it (httpx's URLs are
    immutable), and parsing costs more than the rest of building a request."""
    return httpx.URL(url)


def _url_and_params(
    url: str, params: dict[str, Any]
) -> tuple[httpx.URL, dict[str, Any] | None]:
    """A call's URL, and the query parameters httpx is to add to it (None: none, for
    an empty mapping still costs a URL copy).

    A path the spec writes with a query of its own (`/key?list`, `/{bucket}?acl`)
    keeps it, first and as written: given parameters, httpx would replace it.
    """
    parsed = _parsed_url(url)
    if not params:
        return parsed, None
    if not parsed.query:
        return parsed, params
    added = str(httpx.QueryParams(params)).encode("ascii")
    return parsed.copy_with(query=parsed.query + b"&" + added), None


@lru_cache(maxsize=64)
def _whole_attempt(timeouts: Timeouts) -> dict[str, float | None]:
    """The httpx timeouts of an attempt without a total deadline, made once (as the
    request's `timeout` extension holds them; each request gets its own copy)."""
    return timeouts.for_attempt(None).as_dict()


_BUILDS_AS_HTTPX: dict[type, bool] = {}
_BUILDING = (
    "build_request",
    "_merge_url",
    "_merge_headers",
    "_merge_cookies",
    "_merge_queryparams",
)


def _builds_as_httpx(cls: type) -> bool:
    """Whether `cls` builds requests as httpx's own clients do: each method
    `build_request` relies on is httpx's own, not a subclass's.

    Read from the class itself, not from `httpx.Client`, which users and tests
    may have replaced with a factory function.
    """
    known = _BUILDS_AS_HTTPX.get(cls)
    if known is None:
        known = all(_defined_by_httpx(cls, name) for name in _BUILDING)
        _BUILDS_AS_HTTPX[cls] = known
    return known


def _defined_by_httpx(cls: type, name: str) -> bool:
    owner = next((c for c in cls.__mro__ if name in vars(c)), None)
    return owner is not None and owner.__module__.split(".")[0] == "httpx"


def _build_request(
    http: httpx.Client | httpx.AsyncClient,
    method: str,
    url: httpx.URL,
    *,
    params: dict[str, Any] | None,
    headers: dict[str, str],
    data: Any,
    files: Any,
    content: Any,
    timeout: dict[str, float | None],
) -> httpx.Request:
    """The request `http.build_request` would build, for less.

    httpx merges the call's headers into its client's one by one, each a scan of
    all of them; with no cookies or query parameters on the http client, the same
    request is built here in one pass: the client's headers but those the call
    sets (whatever their case), then the call's, in order.
    """
    if http.cookies or http.params or not _builds_as_httpx(type(http)):
        return http.build_request(
            method,
            url,
            params=params,
            headers=headers,
            data=data,
            files=files,
            content=content,
            extensions={"timeout": timeout},
        )
    try:  # as `httpx.Headers` encodes them
        ours = [(k.encode("ascii"), v.encode("ascii")) for k, v in headers.items()]
    except (AttributeError, UnicodeError):
        ours = httpx.Headers(headers).raw  # bytes are kept; the rest fails as in httpx
    replaced = {key.lower() for key, _ in ours}
    merged = [item for item in http.headers.raw if item[0].lower() not in replaced]
    merged += ours
    return httpx.Request(
        method,
        url,
        params=params,
        headers=merged,
        data=data,
        files=files,
        content=content,
        extensions={"timeout": timeout},
    )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))


def _host(url: str) -> str:
    """The host (and port, when given) of `url`, as error messages name it."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    return parsed.host + (f":{parsed.port}" if parsed.port else "")


_CANNOT_CONNECT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)
"""Transport errors that mean no connection was made: `cannot reach` the host."""


def _transport_message(error: httpx.TransportError, url: str) -> str:
    """What a `TransportError` says: the host, httpx's error, and its short detail.

    The detail is left out when it could quote the URL (a query can hold a key).
    """
    how = "cannot reach" if isinstance(error, _CANNOT_CONNECT) else "no response from"
    detail = " ".join(str(error).split())
    shown = f"{how} {_host(url)}: {type(error).__name__}"
    if detail and "://" not in detail and "?" not in detail and len(detail) <= 200:
        shown += f" ({detail})"
    return shown


def _checked_base_url(base: str, owner: str) -> str:
    """`base` without its trailing slash; ValueError unless it is an http(s) URL."""
    parts = urlsplit(base)
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.netloc:
        hint = ""
        if base and "://" not in base and not base.startswith("/"):
            hint = f" (did you mean {shown_url(f'http://{base}').rstrip('/')!r}?)"
        raise ValueError(
            f"{owner} needs a base_url starting with http:// or https://;"
            f" got {shown_url(base).rstrip('/')!r}{hint}"
        )
    return base.rstrip("/")


def _without_params(url: httpx.URL, names: Collection[str]) -> httpx.URL:
    for name in names:
        url = url.copy_remove_param(name)
    return url


# --- one call ----------------------------------------------------------------


class _DeadlineError(Exception):
    """The call's deadline passed; the loop raises `TotalTimeoutError`."""


@dataclass
class _Call:
    """A call in progress: what is sent, until when, what must not leave the origin."""

    method: str
    url: str
    params: dict[str, Any]
    headers: dict[str, str]
    json: Any
    data: Any
    files: Any
    content: Any
    """A form's fields, multipart parts, raw content: what `RequestParts` holds."""
    stream: bool
    """A success's body is left for the caller to read (a `Download`)."""
    policy: RetryPolicy
    timeouts: Timeouts
    started: float
    deadline: float | None
    origin: tuple[str, str, int | None]
    headers_before: dict[str, str]
    """The headers before the credential and `extra_headers` were applied: those
    they set or changed are private (`private_headers`)."""
    secret_params: frozenset[str]
    """Query parameters the credential set."""
    last: httpx.Request | None = None
    """The request sent last, for error messages."""

    @cached_property
    def private_headers(self) -> frozenset[str]:
        """Lower-case names of the headers a redirect to another origin drops;
        worked out for the first such redirect, not for every call."""
        before = self.headers_before
        applied = {
            k.lower()
            for k, v in self.headers.items()
            if k not in before or before[k] != v
        }
        return frozenset(
            {k.lower() for k in self.headers} - _KEPT_ACROSS_ORIGINS
            | applied
            | {"authorization", "cookie"}
        )


class _Body:
    """A response body read chunk by chunk, refused as soon as it outgrows `limit`."""

    __slots__ = ("_chunks", "_limit", "_response", "_size")

    def __init__(self, response: httpx.Response, limit: int | None) -> None:
        self._response = response
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        declared = _declared_length(response)
        if limit is not None and declared is not None and declared > limit:
            raise ResponseTooLargeError(response, limit)

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._limit is not None and self._size > self._limit:
            raise ResponseTooLargeError(self._response, self._limit)
        self._chunks.append(chunk)

    def keep(self) -> None:
        """Make the body the response's `content`, as `Response.read()` would have."""
        self._response._content = b"".join(self._chunks)


def _fits_at_once(response: httpx.Response, limit: int | None) -> bool:
    """True when `response`'s body may be read in one go, as httpx reads it: there
    is no limit, or its declared, unencoded length is within it (h11 holds a server
    to that length). Any other body is counted chunk by chunk (`_Body`)."""
    if limit is None:
        return True
    declared = _declared_length(response)
    return declared is not None and declared <= limit


def _check_read(response: httpx.Response, limit: int | None) -> None:
    """Refuse a body read in one go that is longer than it said (a transport of
    the caller's need not hold to its Content-Length)."""
    if limit is not None and len(response.content) > limit:
        raise ResponseTooLargeError(response, limit)


def _declared_length(response: httpx.Response) -> int | None:
    """The Content-Length of an unencoded body (what it will decode to), else None.

    One pass over the raw headers: each lookup by name would be a pass of its own.
    A header sent twice counts as its values joined, as `Headers.get` gives them.
    """
    codings: list[bytes] = []
    lengths: list[bytes] = []
    for name, value in response.headers.raw:
        name = name.lower()
        if name == b"content-length":
            lengths.append(value)
        elif name == b"content-encoding":
            codings.append(value)
    if codings and b", ".join(codings).lower() != b"identity":
        return None
    length = b", ".join(lengths)
    return int(length) if length.isdigit() else None


class _Worker:
    """One exchange in a thread of the pool, so the caller can leave at the deadline.

    A blocking read cannot be interrupted, and httpx's timeouts bound each read,
    not their sum: a server sending a byte every second would never time out.
    """

    def __init__(self, exchange: Callable[[_Worker], httpx.Response]) -> None:
        self.cancelled = threading.Event()
        self.response: httpx.Response | None = None
        """Set once the headers are in: its connection is shut if the caller leaves."""
        self.stream: object = None
        """The connection's stream, when the exchange opened one (httpcore's trace)."""
        self._exchange = exchange
        self._done = threading.Event()
        self._result: httpx.Response | None = None
        self._error: BaseException | None = None

    def run_within(self, seconds: float) -> httpx.Response:
        _POOL.run(partial(contextvars.copy_context().run, self._run))
        if not self._done.wait(seconds):
            self.cancelled.set()
            self._shut()
            raise _DeadlineError
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def _run(self) -> None:
        try:
            self._result = self._exchange(self)
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
            self._error = error
        finally:
            self._done.set()

    def traced(self, request: httpx.Request) -> None:
        """Have httpcore tell this worker the stream of a connection it opens."""
        outer = request.extensions.get("trace")
        if isinstance(outer, _Tracer):  # a redirect copies the extensions
            outer = outer.outer
        request.extensions = {**request.extensions, "trace": _Tracer(self, outer)}

    def _shut(self) -> None:
        """Unblock the abandoned read, so the thread and its connection end now.

        A connection reused from the pool is known once the headers are in.
        """
        stream = (
            self.stream
            if self.response is None
            else self.response.extensions.get("network_stream", self.stream)
        )
        sock = getattr(stream, "get_extra_info", lambda _: None)("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                # socket.socket's own, not SSLSocket's (that one is not thread-safe).
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Pool:
    """The threads that run exchanges under a deadline, kept for the next ones.

    Starting a thread per exchange costs far more than handing it to one waiting.
    A thread whose exchange was abandoned joins the idle ones when it ends.
    """

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self.reset()

    def reset(self) -> None:
        """Forget every thread: a forked child has none of them."""
        self._lock = threading.Lock()
        self._idle: list[_PoolThread] = []
        self.busy = 0
        """Exchanges running, abandoned ones included."""

    def run(self, job: Callable[[], object]) -> None:
        with self._lock:
            thread = self._idle.pop() if self._idle else None
            self.busy += 1
        (thread or _PoolThread(self)).jobs.put(job)

    def done(self, thread: _PoolThread) -> bool:
        """`thread` ended its job: whether it stays, idle, for another."""
        with self._lock:
            self.busy -= 1
            if len(self._idle) < self._keep:
                self._idle.append(thread)
                return True
            return False

    def retire(self, thread: _PoolThread) -> bool:
        """Whether `thread`, idle too long, may end (it was not just given a job)."""
        with self._lock:
            if thread in self._idle:
                self._idle.remove(thread)
                return True
            return False


class _PoolThread:
    def __init__(self, pool: _Pool) -> None:
        self.jobs: queue.SimpleQueue[Callable[[], object]] = queue.SimpleQueue()
        self._pool = pool
        threading.Thread(target=self._loop, name=__name__, daemon=True).start()

    def _loop(self) -> None:
        while True:
            try:
                job = self.jobs.get(timeout=_IDLE_SECONDS)
            except queue.Empty:
                if self._pool.retire(self):
                    return
                continue
            job()  # never raises: `_Worker._run` hands every error to its caller
            if not self._pool.done(self):
                return


_POOL = _Pool(keep=8)
os.register_at_fork(after_in_child=_POOL.reset)


class _Tracer:
    """httpcore's `trace` extension: hands a worker its new connection's stream."""

    def __init__(self, worker: _Worker, outer: Callable[..., Any] | None) -> None:
        self.worker = worker
        self.outer = outer
        """The trace extension the request had already, called too."""

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event in _CONNECTED:
            self.worker.stream = info.get("return_value")
        if self.outer is not None:
            self.outer(event, info)


def _fits(delay: float, call: _Call, now: float) -> bool:
    """Whether waiting `delay` seconds still leaves time within the total timeout."""
    return (
        call.timeouts.total is None or now + delay - call.started < call.timeouts.total
    )


# --- what both clients share -------------------------------------------------


class _Core(Generic[C]):
    """The state and the decisions of a client; the subclasses do the I/O."""

    _default_base_url: ClassVar[str] = ""
    """The spec's first server, without a trailing slash."""
    _user_agent: ClassVar[str] = ""
    """The package's product token (`my-api/1.0`); httpx's is added after it."""
    _logger: ClassVar[logging.Logger] = logging.getLogger(__name__.rpartition(".")[0])
    """Where calls are logged: the package's logger."""
    _credential_names: ClassVar[frozenset[str]] = frozenset()
    """Lower-case names of the headers, query parameters and cookies credentials use.

    Set in a client's own headers (or its http client's), they stand for a
    credential: an operation that needs one is then sent.
    """
    _credential_hint: ClassVar[str] = "pass auth=..."
    """How to configure a credential, as `MissingCredentialError` tells it."""

    base_url: str
    timeouts: Timeouts
    retries: RetryPolicy
    max_response_bytes: int | None
    _clock: Callable[[], float]
    _random: random.Random

    def _setup(
        self,
        base_url: str | None,
        auth: C | None,
        timeout: Timeouts | float,
        headers: Mapping[str, str] | None,
        retries: RetryPolicy,
        max_response_bytes: int | None,
    ) -> None:
        if max_response_bytes is not None and max_response_bytes < 0:
            raise ValueError("max_response_bytes must be None or at least 0")
        base = self._default_base_url if base_url is None else base_url
        if not base:
            # The spec's server is relative (`/api/v1`), has variables without
            # defaults, or is missing: no URL to guess.
            raise ValueError(
                f"{type(self).__name__} needs base_url=...: the spec names no"
                " absolute server URL"
            )
        self.base_url = _checked_base_url(base, type(self).__name__)
        self._origin_of: tuple[str, tuple[str, str, int | None]] = (
            self.base_url,
            _origin(httpx.URL(self.base_url)),
        )
        self.timeouts = (
            timeout
            if isinstance(timeout, Timeouts)
            else Timeouts(connect=timeout, read=timeout)
        )
        self.retries = retries
        self.max_response_bytes = max_response_bytes
        self._auth = auth if auth is not None else self._default_credential()
        agent = f"{self._user_agent} httpx/{httpx.__version__}".strip()
        self._headers = {"User-Agent": agent, **(headers or {})}
        self._clock = time.monotonic
        self._random = random.Random()  # noqa: S311 - jitter, not secrets

    def _default_credential(self) -> C | None:
        """The credential when given none; generated clients read the environment."""
        return None

    def _check_credential(
        self,
        endpoint: Endpoint[Any],
        http: httpx.Client | httpx.AsyncClient,
        request: RequestParts | None = None,
    ) -> None:
        """Raise `MissingCredentialError` if `endpoint` needs a credential and has none.

        A credential is set when the client has one (`auth=` or the environment),
        its http client authenticates (`httpx.Client(auth=...)`), `base_url` has
        user-info, or the headers, query parameters or cookies given to either
        (or to the call: `extra_headers`, `extra_query`) carry one of the
        credentials' names.
        """
        if not endpoint.requires_credential or self._auth is not None:
            return
        if http.auth is not None or urlsplit(self.base_url).username:
            return  # httpx sends the user-info of a URL as basic auth
        given = {name.lower() for name in self._headers} | {
            name.lower() for name in http.headers
        }
        given |= {name.lower() for name in http.params}
        given |= {name.lower() for name in http.cookies}
        if request is not None:  # the call's own extra headers and query
            given |= {name.lower() for name in request.extra_headers}
            given |= {name.lower() for name in request.params}
        if given & (self._credential_names | {"authorization"}):
            return
        raise MissingCredentialError(
            f"{endpoint.method} {endpoint.path} requires a credential and"
            f" {type(self).__name__} has none: {self._credential_hint}"
        )

    def __repr__(self) -> str:
        shown = shown_url(self.base_url).rstrip("/")
        return f"{type(self).__name__}(base_url={shown!r})"

    def _begin(
        self,
        request: RequestParts,
        retries: RetryPolicy | None,
        timeout: Timeouts | None,
    ) -> _Call:
        timeouts = timeout or self.timeouts
        started = self._clock()
        headers = {**self._headers, **request.headers}
        params = dict(request.params)
        before_headers = dict(headers)
        secret_params: frozenset[str] = frozenset()
        if self._auth is not None:
            before_params = dict(params)
            self._auth.apply(headers, params)
            secret_params = frozenset(
                k
                for k, v in params.items()
                if k not in before_params or before_params[k] != v
            )
            if secret_params:
                _SECRET_PARAMS.update(secret_params)
        headers.update(request.extra_headers)
        return _Call(
            request.method,
            self.base_url + request.path,
            params,
            headers,
            request.json,
            request.data,
            request.files,
            request.content,
            request.stream,
            retries or self.retries,
            timeouts,
            started,
            None if timeouts.total is None else started + timeouts.total,
            self._base_origin(),
            before_headers,
            secret_params,
        )

    def _base_origin(self) -> tuple[str, str, int | None]:
        """The origin of `base_url`, that of every call's URL (a path cannot change it);
        parsed again only when `base_url` changed."""
        base, origin = self._origin_of
        if base != self.base_url:
            origin = _origin(httpx.URL(self.base_url))
            self._origin_of = (self.base_url, origin)
        return origin

    def _remaining(self, call: _Call) -> float | None:
        """Seconds left before the deadline (None: no deadline); raises if none are."""
        if call.deadline is None:
            return None
        left = call.deadline - self._clock()
        if left <= 0:
            raise _DeadlineError
        return left

    def _first_request(
        self, http: httpx.Client | httpx.AsyncClient, call: _Call
    ) -> httpx.Request:
        remaining = self._remaining(call)
        headers, content = call.headers, call.content
        if call.json is not None and content is None:
            # Encoded by pydantic-core as httpx would write it (compact, UTF-8), at a
            # fraction of the cost of `json.dumps`.
            body = call.json
            content = body.encoded if type(body) is EncodedJson else to_json(body)
            if not any(name.lower() == "content-type" for name in headers):
                headers = {**headers, "Content-Type": "application/json"}
        url, params = _url_and_params(call.url, call.params)
        return _build_request(
            http,
            call.method,
            url,
            params=params,
            headers=headers,
            data=call.data,
            files=call.files,
            content=content,
            timeout=(
                dict(_whole_attempt(call.timeouts))
                if remaining is None
                else call.timeouts.for_attempt(remaining).as_dict()
            ),
        )

    def _redirect(
        self,
        call: _Call,
        response: httpx.Response,
        history: list[httpx.Response],
        http: httpx.Client | httpx.AsyncClient,
    ) -> httpx.Request | None:
        """The next request when `http` follows redirects and this is one, else None.

        httpx builds it (method, body, cookies); the client sends it, so that
        nothing of the credential goes to another origin.
        """
        following = response.next_request
        if following is None or not http.follow_redirects:
            return None
        history.append(response)
        if len(history) > http.max_redirects:
            raise TransportError(
                f"too many redirects from {_host(call.url)}"
                f" (more than {http.max_redirects})",
                request=response.request,
            )
        if _origin(following.url) != call.origin:
            for name in call.private_headers:
                following.headers.pop(name, None)
            if call.secret_params:
                following.url = _without_params(following.url, call.secret_params)
        timeout = call.timeouts.for_attempt(self._remaining(call))
        following.extensions = {**following.extensions, "timeout": timeout.as_dict()}
        return following

    def _log_exchange(
        self, request: httpx.Request, response: httpx.Response, started: float
    ) -> None:
        if not self._logger.isEnabledFor(logging.INFO):
            return  # `shown_url` parses the URL again: only for a line that is kept
        self._logger.info(
            "%s %s -> %d in %.3fs",
            request.method,
            shown_url(request.url),
            response.status_code,
            self._clock() - started,
        )

    def _delay_after_error(
        self, call: _Call, error: httpx.TransportError, retry: int
    ) -> float:
        """How long to wait before retrying after `error`; raises when not retrying."""
        shown = shown_url(call.url)
        if (
            isinstance(error, httpx.TimeoutException)
            and call.deadline is not None
            and self._clock() >= call.deadline - _DEADLINE_SLACK
        ):
            raise self._expired(call) from error
        delay = call.policy.after_error(error, retry, self._random)
        if delay is None or not _fits(delay, call, self._clock()):
            self._logger.warning(
                "%s %s failed: %s", call.method, shown, type(error).__name__
            )
            raise TransportError(
                _transport_message(error, call.url), request=call.last
            ) from error
        self._logger.warning(
            "%s %s failed (%s); retry %d in %.2fs",
            call.method,
            shown,
            type(error).__name__,
            retry + 1,
            delay,
        )
        return delay

    def _delay_after_response(
        self, call: _Call, response: httpx.Response, retry: int
    ) -> float | None:
        """How long to wait before retrying after `response`, or None to keep it."""
        delay = call.policy.after_response(call.method, response, retry, self._random)
        if delay is None or not _fits(delay, call, self._clock()):
            return None
        self._logger.warning(
            "%s %s -> %d; retry %d in %.2fs",
            call.method,
            shown_url(call.url),
            response.status_code,
            retry + 1,
            delay,
        )
        return delay

    def _expired(self, call: _Call) -> TotalTimeoutError:
        self._logger.warning(
            "%s %s: no response within the total timeout of %gs",
            call.method,
            shown_url(call.url),
            call.timeouts.total,
        )
        return TotalTimeoutError(
            f"no response within the total timeout of {call.timeouts.total:g}s",
            request=call.last,
        )


# --- the synchronous client --------------------------------------------------


class BaseClient(_Core[C]):
    """A synchronous client; the generated `Client` adds one method per operation.

    Args:
        base_url: Where the API lives; defaults to the spec's first server
            (its variables' defaults filled in), required when that is relative.
        auth: The credential sent with every request. When None, it is read
            from the environment (see the package README), if set there.
        timeout: A `Timeouts` (connect, read, total) or seconds for each.
        headers: Extra headers sent with every request.
        retries: When to retry; `RetryPolicy(max_retries=0)` turns retrying off.
        http_client: Your own `httpx.Client` (proxies, mTLS, event hooks); it is
            not closed by this client. By default the client owns one.
        on_request: Called with each `httpx.Request` before it is sent.
        on_response: Called with each `httpx.Response` as it arrives.
        max_response_bytes: The longest response body read (decoded), or None
            for no limit; a longer one raises `ResponseTooLargeError`.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        auth: C | None = None,
        timeout: Timeouts | float = _TIMEOUTS,
        headers: Mapping[str, str] | None = None,
        retries: RetryPolicy = _RETRIES,
        http_client: httpx.Client | None = None,
        on_request: Sequence[RequestHook] = (),
        on_response: Sequence[ResponseHook] = (),
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._setup(base_url, auth, timeout, headers, retries, max_response_bytes)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()
        self._on_request = tuple(on_request)
        self._on_response = tuple(on_response)
        self._sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Close the underlying connection pool, if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> T:
        """What an operation returns: the parsed body."""
        return self._respond(endpoint, values, body, options).parsed

    def _respond(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> ApiResponse[T]:
        """Call `endpoint` with these parameter values (in its order) and body."""
        request = build_request(endpoint, values, body)
        if options:
            request = with_extras(endpoint, request, options)
        self._check_credential(endpoint, self._http, request)
        parse = partial(parse_response, endpoint)
        return self._call(
            request, parse, options.get("retries"), options.get("timeout")
        )

    def _call(
        self,
        request: RequestParts,
        parse: Callable[[httpx.Response], T],
        retries: RetryPolicy | None,
        timeout: Timeouts | None,
    ) -> ApiResponse[T]:
        """Send `request`, retrying as the policy allows; parse the final response."""
        call = self._begin(request, retries, timeout)
        retry = 0
        while True:
            try:
                response = self._attempt(call)
            except _DeadlineError:
                raise self._expired(call) from None
            except httpx.TransportError as error:
                delay = self._delay_after_error(call, error, retry)
            else:
                later = self._delay_after_response(call, response, retry)
                if later is None:
                    return ApiResponse(
                        response.status_code,
                        response.headers,
                        parse(response),
                        response,
                    )
                delay = later
            self._sleep(delay)
            retry += 1

    def _attempt(self, call: _Call) -> httpx.Response:
        """One attempt: the request, and the redirects the http client follows."""
        request = self._first_request(self._http, call)
        history: list[httpx.Response] = []
        while True:
            for request_hook in self._on_request:
                request_hook(request)
            call.last = request
            started = self._clock()
            response = self._exchange(call, request, first=not history)
            response.history = list(history)
            self._log_exchange(request, response, started)
            for response_hook in self._on_response:
                response_hook(response)
            following = self._redirect(call, response, history, self._http)
            if following is None:
                return response
            request = following

    def _exchange(
        self, call: _Call, request: httpx.Request, *, first: bool
    ) -> httpx.Response:
        """Send `request` and read its body, within what is left of the deadline."""
        remaining = self._remaining(call)
        if remaining is None:
            return self._fetch(request, None, first=first, stream=call.stream)
        fetch = partial(self._fetch, request, first=first, stream=call.stream)
        return _Worker(fetch).run_within(remaining)

    def _fetch(
        self,
        request: httpx.Request,
        worker: _Worker | None,
        *,
        first: bool,
        stream: bool = False,
    ) -> httpx.Response:
        if worker is not None:
            worker.traced(request)
        response = self._http.send(
            request,
            stream=True,
            follow_redirects=False,
            # The http client's own auth is for the request it was given, not redirects.
            auth=httpx.USE_CLIENT_DEFAULT if first else None,
        )
        if stream and response.is_success:
            return response  # a `Download`: its body is the caller's to read
        limit = self.max_response_bytes
        try:
            if worker is None and _fits_at_once(response, limit):
                response.read()
                _check_read(response, limit)
                return response
            if worker is not None:
                worker.response = response
            body = _Body(response, limit)
            for chunk in response.iter_bytes():
                if worker is not None and worker.cancelled.is_set():
                    raise _DeadlineError
                body.add(chunk)
            body.keep()
        finally:
            response.close()
        return response


class BaseRawClient:
    """The operations of a client, each returning the whole `ApiResponse`.

    The generated `RawClient` holds `Client`'s own methods, run with this object
    as `self`: they call nothing but `self._send`, which here keeps the status
    and headers with the parsed body.
    """

    def __init__(self, client: BaseClient[Any]) -> None:
        self._client = client

    def _send(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> ApiResponse[T]:
        return self._client._respond(endpoint, values, body, options)


def whole_response(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[BaseRawClient, P], ApiResponse[T]]:
    """`Client`'s `method` for `RawClient`: run with it as `self`."""

    def whole(
        raw: BaseRawClient, /, *args: P.args, **kwargs: P.kwargs
    ) -> ApiResponse[T]:
        return cast("ApiResponse[T]", method(raw, *args, **kwargs))

    update_wrapper(whole, method)
    return whole


# --- the asynchronous client -------------------------------------------------


class AsyncBaseClient(_Core[C]):
    """An asynchronous client; the generated `AsyncClient` adds the operations.

    It takes the same arguments as `BaseClient`, with an `httpx.AsyncClient`;
    hooks may be coroutine functions.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        auth: C | None = None,
        timeout: Timeouts | float = _TIMEOUTS,
        headers: Mapping[str, str] | None = None,
        retries: RetryPolicy = _RETRIES,
        http_client: httpx.AsyncClient | None = None,
        on_request: Sequence[AsyncRequestHook] = (),
        on_response: Sequence[AsyncResponseHook] = (),
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._setup(base_url, auth, timeout, headers, retries, max_response_bytes)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self._on_request = tuple(on_request)
        self._on_response = tuple(on_response)
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def close(self) -> None:
        """Close the underlying connection pool, if this client created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _send(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> T:
        """What an operation returns: the parsed body."""
        return (await self._respond(endpoint, values, body, options)).parsed

    async def _respond(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> ApiResponse[T]:
        """Call `endpoint` with these parameter values (in its order) and body."""
        request = build_request(endpoint, values, body)
        if options:
            request = with_extras(endpoint, request, options)
        self._check_credential(endpoint, self._http, request)
        parse = partial(parse_response, endpoint)
        return await self._call(
            request, parse, options.get("retries"), options.get("timeout")
        )

    async def _call(
        self,
        request: RequestParts,
        parse: Callable[[httpx.Response], T],
        retries: RetryPolicy | None,
        timeout: Timeouts | None,
    ) -> ApiResponse[T]:
        """Send `request`, retrying as the policy allows; parse the final response."""
        call = self._begin(request, retries, timeout)
        retry = 0
        while True:
            try:
                response = await self._attempt(call)
            except _DeadlineError:
                raise self._expired(call) from None
            except httpx.TransportError as error:
                delay = self._delay_after_error(call, error, retry)
            else:
                later = self._delay_after_response(call, response, retry)
                if later is None:
                    return ApiResponse(
                        response.status_code,
                        response.headers,
                        parse(response),
                        response,
                    )
                delay = later
            await self._sleep(delay)
            retry += 1

    async def _attempt(self, call: _Call) -> httpx.Response:
        """One attempt: the request, and the redirects the http client follows."""
        request = self._first_request(self._http, call)
        history: list[httpx.Response] = []
        while True:
            for request_hook in self._on_request:
                await _maybe_await(request_hook(request))
            call.last = request
            started = self._clock()
            response = await self._exchange(call, request, first=not history)
            response.history = list(history)
            self._log_exchange(request, response, started)
            for response_hook in self._on_response:
                await _maybe_await(response_hook(response))
            following = self._redirect(call, response, history, self._http)
            if following is None:
                return response
            request = following

    async def _exchange(
        self, call: _Call, request: httpx.Request, *, first: bool
    ) -> httpx.Response:
        """Send `request` and read its body, within what is left of the deadline."""
        remaining = self._remaining(call)
        if remaining is None:
            return await self._fetch(request, first=first, stream=call.stream)
        try:
            async with asyncio.timeout(remaining) as deadline:
                return await self._fetch(request, first=first, stream=call.stream)
        except TimeoutError:
            if deadline.expired():
                raise _DeadlineError from None
            raise

    async def _fetch(
        self, request: httpx.Request, *, first: bool, stream: bool = False
    ) -> httpx.Response:
        response = await self._http.send(
            request,
            stream=True,
            follow_redirects=False,
            auth=httpx.USE_CLIENT_DEFAULT if first else None,
        )
        if stream and response.is_success:
            return response  # a `Download`: its body is the caller's to read
        limit = self.max_response_bytes
        try:
            if _fits_at_once(response, limit):
                await response.aread()
                _check_read(response, limit)
                return response
            body = _Body(response, limit)
            async for chunk in response.aiter_bytes():
                body.add(chunk)
            body.keep()
        finally:
            await response.aclose()
        return response


class AsyncBaseRawClient:
    """The operations of an async client, each returning the whole `ApiResponse`."""

    def __init__(self, client: AsyncBaseClient[Any]) -> None:
        self._client = client

    async def _send(
        self,
        endpoint: Endpoint[T],
        values: tuple[object, ...],
        body: object,
        options: CallOptions,
    ) -> ApiResponse[T]:
        return await self._client._respond(endpoint, values, body, options)


def awaited(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[AsyncBaseClient[Any], P], Coroutine[Any, Any, T]]:
    """`Client`'s `method` for `AsyncClient`.

    It runs with the async client as `self`, whose `_send` gives a coroutine to await.
    """

    async def run(
        client: AsyncBaseClient[Any], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await cast("Awaitable[T]", method(client, *args, **kwargs))

    update_wrapper(run, method)
    return run


def awaited_whole_response(
    method: Callable[Concatenate[Any, P], T],
) -> Callable[Concatenate[AsyncBaseRawClient, P], Coroutine[Any, Any, ApiResponse[T]]]:
    """`Client`'s `method` for `AsyncRawClient`: run with it as `self`, awaited."""

    async def whole(
        raw: AsyncBaseRawClient, /, *args: P.args, **kwargs: P.kwargs
    ) -> ApiResponse[T]:
        return await cast("Awaitable[ApiResponse[T]]", method(raw, *args, **kwargs))

    update_wrapper(whole, method)
    return whole


async def _maybe_await(result: Awaitable[None] | None) -> None:
    """Hooks may be plain functions or coroutines."""
    if result is not None:
        await result
