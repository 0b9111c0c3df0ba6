"""_base_client against a hostile or careless server: each test, an attack that worked.

- A server dripping its answer a byte at a time outlasted `Timeouts.total` (8).
- A huge (or decompression-bomb) body was read whole into memory (12).
- Credentials reached logs (user-info, query keys) and `repr`, and followed a
  redirect to another origin (11).

The slow servers are real sockets on 127.0.0.1, each test bounded to seconds.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, Literal

import httpx
import pytest
from specgen_runtime import models
from specgen_runtime._base_client import (
    _POOL,
    DEFAULT_MAX_RESPONSE_BYTES,
    shown_url,
)
from specgen_runtime.errors import (
    ApiError,
    ResponseTooLargeError,
    ServerError,
    TotalTimeoutError,
    TransportError,
)
from specgen_runtime.retries import NO_RETRIES, RetryPolicy
from specgen_runtime.timeouts import Timeouts

from tests.runtime.pets_client import (
    BASE_URL,
    AsyncClient,
    BearerAuth,
    Client,
    Credential,
    KeyAuth,
    QueryKey,
)

SECRET = "s3cr3t-value"
PET_JSON = b'{"petId": 1, "name": "Rex"}'
TOTAL = 0.6
"""The total timeout of the deadline tests, in seconds."""
MARGIN = 0.5
"""How late past it a call may return: thread start-up and a slow CI machine."""


# --- a slow server -------------------------------------------------------------


class DripServer:
    """Answers every request on 127.0.0.1 with a pet, one byte of `part` per `interval`.

    `part` is `"headers"`, `"body"` or `"nothing"` (it reads the request and waits).
    """

    def __init__(
        self, part: Literal["headers", "body", "nothing"], interval: float = 0.1
    ) -> None:
        self.part = part
        self.interval = interval
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(
                target=self._answer, args=(connection,), daemon=True
            ).start()

    def _answer(self, connection: socket.socket) -> None:
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(PET_JSON)
        )
        with connection:
            try:
                connection.recv(65536)
                if self.part == "nothing":
                    self.stop.wait(30)
                    return
                if self.part == "body":
                    connection.sendall(head)
                for byte in head if self.part == "headers" else PET_JSON:
                    if self.stop.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
                if self.part == "headers":
                    connection.sendall(PET_JSON)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def drip() -> Iterator[type[DripServer]]:
    servers: list[DripServer] = []

    class Tracked(DripServer):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            servers.append(self)

    yield Tracked
    for server in servers:
        server.close()


def timed_sync_call(url: str, **options: Any) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        with Client(base_url=url, auth=KeyAuth(SECRET), **options) as client:
            client.get_pet(1)
    except Exception as error:
        return time.monotonic() - started, error
    return time.monotonic() - started, None


def timed_async_call(url: str, **options: Any) -> tuple[float, BaseException | None]:
    async def run() -> None:
        async with AsyncClient(base_url=url, auth=KeyAuth(SECRET), **options) as client:
            await client.get_pet(1)

    started = time.monotonic()
    try:
        asyncio.run(run())
    except Exception as error:
        return time.monotonic() - started, error
    return time.monotonic() - started, None


# --- 8: the total timeout is a deadline ----------------------------------------


@pytest.mark.parametrize("timed_call", [timed_sync_call, timed_async_call])
@pytest.mark.parametrize("part", ["body", "headers", "nothing"])
def test_a_dripping_server_cannot_outlast_the_total_timeout(
    drip: type[DripServer], part: Literal["headers", "body", "nothing"], timed_call: Any
) -> None:
    """Before: each byte came within the read timeout, so no timeout ever fired.

    The body drips for 2.7 s and the headers for 8 s; `total` is 0.6 s.
    """
    server = drip(part)
    elapsed, error = timed_call(server.url, timeout=Timeouts(total=TOTAL))
    assert isinstance(error, TotalTimeoutError), error
    assert TOTAL - 0.05 <= elapsed < TOTAL + MARGIN
    assert str(error) == "GET /pets/1: no response within the total timeout of 0.6s"
    assert isinstance(error, TransportError)  # what callers already catch


def test_the_deadline_covers_retries_and_their_waits(drip: type[DripServer]) -> None:
    server = drip("body", interval=0.05)  # each answer takes 1.4 s
    policy = RetryPolicy(max_retries=50, initial_delay=0.0, jitter=0.0)
    elapsed, error = timed_sync_call(
        server.url, timeout=Timeouts(total=TOTAL), retries=policy
    )
    assert isinstance(error, TotalTimeoutError) and elapsed < TOTAL + MARGIN


def test_without_a_total_a_slow_server_is_waited_for(drip: type[DripServer]) -> None:
    server = drip("body", interval=0.01)
    elapsed, error = timed_sync_call(server.url, timeout=Timeouts(read=5))
    assert error is None and elapsed > 0.25


def test_a_fast_answer_within_the_total_is_unaffected(drip: type[DripServer]) -> None:
    server = drip("body", interval=0.001)
    for timed_call in (timed_sync_call, timed_async_call):
        elapsed, error = timed_call(server.url, timeout=Timeouts(total=5))
        assert error is None and elapsed < 2


@pytest.mark.parametrize("part", ["body", "headers", "nothing"])
def test_an_abandoned_exchange_does_not_linger(
    drip: type[DripServer], part: Literal["headers", "body", "nothing"]
) -> None:
    """Past the deadline the connection is shut down, so its worker thread ends too.

    With your own http client, which stays open (closing ours would end it too).
    """
    server = drip(part)
    with httpx.Client() as http:
        _, error = timed_sync_call(
            server.url, timeout=Timeouts(total=TOTAL), http_client=http
        )
        assert isinstance(error, TotalTimeoutError)
        deadline = time.monotonic() + 1
        while _POOL.busy and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _POOL.busy == 0


def test_a_trace_extension_of_yours_still_sees_every_event(
    drip: type[DripServer],
) -> None:
    """The deadline's worker traces connections too, and passes every event on."""
    events: list[str] = []

    def trace(event: str, info: dict[str, Any]) -> None:
        events.append(event)

    def on_request(request: httpx.Request) -> None:
        request.extensions["trace"] = trace

    server = drip("body", interval=0.001)
    _, error = timed_sync_call(
        server.url, timeout=Timeouts(total=5), on_request=[on_request]
    )
    assert error is None
    assert "connection.connect_tcp.complete" in events
    assert "http11.receive_response_body.complete" in events


def mock_call(**options: Any) -> None:
    http = httpx.Client(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, content=PET_JSON))
    )
    with Client(http_client=http, **options) as client:
        assert client.get_pet(1).name == "Rex"


def _pool_threads() -> int:
    """The deadline pool's threads alive (named after their module); other tests'
    threads may come and go meanwhile."""
    return sum(t.name == _POOL.__module__ for t in threading.enumerate())


def test_the_threads_of_the_deadline_are_reused() -> None:
    mock_call(timeout=Timeouts(total=5))
    before = _pool_threads()
    for _ in range(20):
        mock_call(timeout=Timeouts(total=5))
    assert _pool_threads() == before >= 1 and _POOL.busy == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_gets_threads_of_its_own() -> None:
    """The parent's threads do not exist in a child: it must not wait for them."""
    mock_call(timeout=Timeouts(total=5))  # the parent has an idle thread now
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        try:
            mock_call(timeout=Timeouts(total=2))
        except BaseException:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


# --- 12: a cap on the response body --------------------------------------------


class Chunks:
    """A streamed body of `count` chunks of `size` bytes, counting those pulled."""

    def __init__(self, count: int, size: int = 1000) -> None:
        self.count = count
        self.chunk = b"x" * size
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield self.chunk


def capped_client(reply: httpx.Response, **options: Any) -> Client:
    return Client(
        auth=KeyAuth(SECRET),
        http_client=httpx.Client(transport=httpx.MockTransport(lambda _: reply)),
        **options,
    )


def test_a_huge_body_is_refused_while_it_streams_in() -> None:
    """Before: 100 MB were read whole, with no way to cap them."""
    body = Chunks(100_000)  # 100 MB
    with (
        capped_client(
            httpx.Response(200, content=body), max_response_bytes=10_000
        ) as client,
        pytest.raises(ResponseTooLargeError) as raised,
    ):
        client.get_pet(1)
    assert body.pulled == 11
    error = raised.value
    assert (error.status_code, error.limit) == (200, 10_000)
    assert (
        str(error)
        == "GET /v1/pets/1: HTTP 200 body is larger than the limit of 10000 bytes"
    )


def test_a_declared_length_beyond_the_cap_is_refused_before_reading() -> None:
    body = Chunks(20)
    reply = httpx.Response(200, content=body, headers={"Content-Length": "20000"})
    with (
        capped_client(reply, max_response_bytes=10_000) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.get_pet(1)
    assert body.pulled == 0


def test_a_body_longer_than_its_declared_length_is_refused() -> None:
    """A body that declares a length within the cap is read in one go; a transport
    of the caller's that sends more than it declared is still refused."""
    body = Chunks(20)
    reply = httpx.Response(200, content=body, headers={"Content-Length": "100"})
    with (
        capped_client(reply, max_response_bytes=10_000) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.get_pet(1)


def test_the_cap_counts_the_decoded_body_so_a_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"0" * 20_000_000)  # 20 MB in about 20 KB
    reply = httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"})
    with (
        capped_client(reply, max_response_bytes=1_000_000) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.get_pet(1)


def test_a_body_of_exactly_the_cap_is_read() -> None:
    reply = httpx.Response(200, content=PET_JSON)
    with capped_client(reply, max_response_bytes=len(PET_JSON)) as client:
        assert client.get_pet(1).name == "Rex"
    with (
        capped_client(
            httpx.Response(200, content=PET_JSON), max_response_bytes=len(PET_JSON) - 1
        ) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.get_pet(1)


def test_error_bodies_are_capped_too_and_a_capped_body_is_not_retried() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, content=Chunks(100))

    client = Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_response_bytes=1000,
    )
    with client, pytest.raises(ResponseTooLargeError) as raised:
        client.get_pet(1)
    assert raised.value.status_code == 503 and len(calls) == 1


def test_the_default_cap_is_64_mib_and_none_turns_it_off() -> None:
    assert Client().max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES == 64 * 2**20
    body = b'{"petId": 1, "name": "' + b"x" * 2_000_000 + b'"}'
    with capped_client(httpx.Response(200, content=body), max_response_bytes=None) as c:
        assert len(c.get_pet(1).name) == 2_000_000


def test_the_async_client_caps_bodies_the_same_way() -> None:
    async def run() -> None:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(
                lambda _: httpx.Response(200, content=b"x" * 5000)
            )
        )
        async with AsyncClient(http_client=http, max_response_bytes=1000) as client:
            await client.get_pet(1)

    with pytest.raises(ResponseTooLargeError):
        asyncio.run(run())


# --- 11: secrets stay out of logs and reprs --------------------------------------


@pytest.mark.parametrize(
    ("base_url", "shown"),
    [
        ("https://user:pw@h.test/api", "https://***@h.test/api"),
        ("https://token@h.test", "https://***@h.test"),
        ("https://h.test:8443/api/", "https://h.test:8443/api"),
    ],
)
def test_repr_never_shows_user_info(base_url: str, shown: str) -> None:
    client = Client(base_url=base_url)
    assert repr(client) == f"Client(base_url={shown!r})"
    assert "pw" not in repr(client) and "token" not in repr(client)


def answered(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=PET_JSON)


def test_user_info_in_the_base_url_is_in_no_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Before: `https://user:pw@host` was in our log line and in httpx's."""
    http = httpx.Client(transport=httpx.MockTransport(answered))
    with (
        caplog.at_level(logging.INFO),
        Client(base_url="https://user:pw@h.test", http_client=http) as client,
    ):
        client.get_pet(1)
    lines = [r.getMessage() for r in caplog.records]
    assert "GET https://***@h.test/pets/1 -> 200 in" in lines[-1]
    assert any(
        line.startswith("HTTP Request: GET https://***@h.test/") for line in lines
    )
    assert "pw" not in caplog.text and "user" not in caplog.text


def test_a_query_credential_is_sent_but_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Before: httpx's INFO line showed `?api_key=<the key>`."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"message": "no"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        caplog.at_level(logging.DEBUG),
        Client(auth=QueryKey(SECRET), http_client=http) as client,
        pytest.raises(ApiError) as raised,
    ):
        client.get_pet(1, verbose=True)
    assert seen[0].url.params["api_key"] == SECRET
    httpx_line = next(r.getMessage() for r in caplog.records if r.name == "httpx")
    assert httpx_line.startswith(
        f'HTTP Request: GET {BASE_URL}/pets/1?verbose=true&api_key=*** "HTTP/1.1 404'
    )
    assert SECRET not in caplog.text
    assert SECRET not in str(raised.value) and SECRET not in repr(raised.value)


def test_shown_url_hides_only_the_secret_parameters() -> None:
    url = httpx.URL("https://u:p@h.test/a%2Fb?api_key=k&api_key=k2&page=2#frag")
    assert shown_url(url) == "https://***@h.test/a%2Fb"
    assert (
        shown_url(url, secret_params={"api_key"})
        == "https://***@h.test/a%2Fb?api_key=***&api_key=***&page=2"
    )


# --- 11: credentials never follow a redirect to another origin -------------------


class Redirecting:
    """Redirects the first request to `location`, then answers with a pet."""

    def __init__(self, location: str, status: int = 302) -> None:
        self.location = location
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) == 1:
            return httpx.Response(self.status, headers={"Location": self.location})
        return httpx.Response(200, content=PET_JSON)


def following_client(
    handler: Redirecting, credential: Credential, **http_options: Any
) -> Client:
    http = httpx.Client(
        transport=httpx.MockTransport(handler), follow_redirects=True, **http_options
    )
    return Client(auth=credential, http_client=http, headers={"X-Team": "blue"})


SENSITIVE = ("X-Api-Key", "Authorization", "Cookie", "X-Team", "X-Trace")


@pytest.mark.parametrize("auth", [KeyAuth(SECRET), BearerAuth(SECRET)], ids=type)
def test_a_redirect_to_another_origin_carries_no_credential(auth: Credential) -> None:
    """Before: httpx dropped `Authorization`, but sent `X-Api-Key` to the other host."""
    handler = Redirecting("https://elsewhere.test/steal")
    with following_client(handler, auth) as client:
        raw = client.raw.get_pet(1, x_trace="t", session="sid")
    first, second = handler.requests
    assert any(SECRET in value for value in first.headers.values())
    assert str(second.url) == "https://elsewhere.test/steal"
    assert [h for h in SENSITIVE if h in second.headers] == []
    assert SECRET not in str(second.headers) and second.headers["User-Agent"]
    assert raw.status_code == 200
    assert [r.status_code for r in raw.http_response.history] == [302]


@pytest.mark.parametrize(
    "location",
    [
        "http://api.example.test/v1/pets/2",  # another scheme
        "https://api.example.test:8443/v1/pets/2",  # another port
        "https://sub.api.example.test/v1/pets/2",  # another host
    ],
)
def test_any_other_scheme_host_or_port_is_another_origin(location: str) -> None:
    handler = Redirecting(location)
    with following_client(handler, KeyAuth(SECRET)) as client:
        client.get_pet(1)
    assert "X-Api-Key" not in handler.requests[1].headers


def test_a_redirect_within_the_origin_keeps_the_credential() -> None:
    handler = Redirecting("/v1/pets/2", status=307)
    with following_client(handler, KeyAuth(SECRET)) as client:
        client.get_pet(1)
    second = handler.requests[1]
    assert str(second.url) == "https://api.example.test/v1/pets/2"
    assert (second.headers["X-Api-Key"], second.headers["X-Team"]) == (SECRET, "blue")


def test_a_query_credential_echoed_to_another_origin_is_removed() -> None:
    handler = Redirecting(f"https://elsewhere.test/x?api_key={SECRET}&page=2")
    with following_client(handler, QueryKey(SECRET)) as client:
        client.get_pet(1)
    assert handler.requests[0].url.params["api_key"] == SECRET
    assert str(handler.requests[1].url) == "https://elsewhere.test/x?page=2"


def test_the_http_clients_own_auth_is_not_sent_along_a_redirect() -> None:
    handler = Redirecting("https://elsewhere.test/x")
    with following_client(handler, KeyAuth(SECRET), auth=("me", "pw")) as client:
        client.get_pet(1)
    assert "Authorization" in handler.requests[0].headers
    assert "Authorization" not in handler.requests[1].headers


def test_coming_back_to_the_origin_does_not_bring_the_credential_back() -> None:
    replies = iter(
        [
            httpx.Response(302, headers={"Location": "https://elsewhere.test/x"}),
            httpx.Response(302, headers={"Location": f"{BASE_URL}/pets/3"}),
            httpx.Response(200, content=PET_JSON),
        ]
    )
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return next(replies)

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    with Client(auth=KeyAuth(SECRET), http_client=http) as client:
        client.get_pet(1)
    assert ["X-Api-Key" in r.headers for r in requests] == [True, False, False]


def test_redirects_are_limited_as_the_http_client_says() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/v1/again"})

    http = httpx.Client(
        transport=httpx.MockTransport(handler), follow_redirects=True, max_redirects=3
    )
    with Client(http_client=http) as client, pytest.raises(TransportError) as raised:
        client.get_pet(1)
    assert str(raised.value).startswith(
        "GET /v1/again: too many redirects from api.example.test"
    )


def test_without_follow_redirects_a_redirect_is_the_answer() -> None:
    handler = Redirecting("https://elsewhere.test/x")
    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        Client(auth=KeyAuth(SECRET), http_client=http) as client,
        pytest.raises(ApiError) as raised,
    ):
        client.get_pet(1)
    assert raised.value.status_code == 302 and len(handler.requests) == 1


def test_hooks_and_logs_see_every_hop(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []
    handler = Redirecting("https://elsewhere.test/x")
    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    client = Client(
        auth=KeyAuth(SECRET),
        http_client=http,
        on_request=[lambda r: seen.append(str(r.url))],
        on_response=[lambda r: seen.append(str(r.status_code))],
    )
    with caplog.at_level(logging.INFO, logger="specgen_runtime"), client:
        client.get_pet(1)
    assert seen == [f"{BASE_URL}/pets/1", "302", "https://elsewhere.test/x", "200"]
    ours = [r.getMessage() for r in caplog.records if r.name == "specgen_runtime"]
    assert [line.split(" in ")[0] for line in ours] == [
        f"GET {BASE_URL}/pets/1 -> 302",
        "GET https://elsewhere.test/x -> 200",
    ]


def test_the_async_client_strips_credentials_across_origins_too() -> None:
    handler = Redirecting("https://elsewhere.test/steal")

    async def run() -> models.Pet:
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(handler), follow_redirects=True
        )
        async with AsyncClient(auth=KeyAuth(SECRET), http_client=http) as client:
            return await client.get_pet(1)

    assert asyncio.run(run()).name == "Rex"
    assert "X-Api-Key" not in handler.requests[1].headers


def test_a_redirected_post_within_the_origin_keeps_its_body() -> None:
    handler = Redirecting("/v1/pets/elsewhere", status=308)

    def created(request: httpx.Request) -> httpx.Response:
        handler.requests.append(request)
        if len(handler.requests) == 1:
            return httpx.Response(308, headers={"Location": "/v1/pets/elsewhere"})
        return httpx.Response(201, content=PET_JSON)

    http = httpx.Client(transport=httpx.MockTransport(created), follow_redirects=True)
    with Client(http_client=http, retries=NO_RETRIES) as client:
        client.create_pet(body=models.Pet(petId=1, name="Rex"))
    assert [r.method for r in handler.requests] == ["POST", "POST"]
    assert handler.requests[1].content == b'{"petId":1,"name":"Rex"}'


def test_server_errors_after_a_redirect_are_still_typed() -> None:
    replies = iter(
        [httpx.Response(302, headers={"Location": "/v1/x"}), httpx.Response(500)]
    )
    http = httpx.Client(
        transport=httpx.MockTransport(lambda _: next(replies)), follow_redirects=True
    )
    with Client(http_client=http) as client, pytest.raises(ServerError):
        client.get_pet(1)
