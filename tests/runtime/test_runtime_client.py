"""_base_client: the send, retry and redirect loop, hooks, logging and raw responses.

Against httpx's mock transport with a fake clock (nothing sleeps), through the
small client of `pets_client.py`, built as the templates build one.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from specgen_runtime import models
from specgen_runtime.errors import (
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from specgen_runtime.response import ApiResponse
from specgen_runtime.retries import NO_RETRIES, RetryPolicy
from specgen_runtime.timeouts import Timeouts

from tests.runtime.pets_client import (
    BASE_URL,
    FROM_ENVIRONMENT,
    AsyncClient,
    BearerAuth,
    Client,
    KeyAuth,
)

SECRET = "s3cr3t-value"
PET = {"petId": 1, "name": "Rex"}
Reply = httpx.Response | Exception


class Scripted:
    """A mock transport handler answering with a script of responses or exceptions."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply

    @property
    def request(self) -> httpx.Request:
        assert len(self.requests) == 1
        return self.requests[0]


class FakeTime:
    """A clock and a sleep that only pretend."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def make_client(
    script: Scripted, fake: FakeTime | None = None, **options: Any
) -> Client:
    options.setdefault("auth", KeyAuth(SECRET))
    client = Client(
        http_client=httpx.Client(transport=httpx.MockTransport(script)), **options
    )
    fake = fake or FakeTime()
    client._sleep, client._clock, client._random = (
        fake.sleep,
        fake.clock,
        random.Random(7),
    )
    return client


def make_async_client(
    script: Scripted, fake: FakeTime | None = None, **options: Any
) -> AsyncClient:
    options.setdefault("auth", KeyAuth(SECRET))
    client = AsyncClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(script)),
        **options,
    )
    fake = fake or FakeTime()
    client._sleep, client._clock, client._random = (
        fake.asleep,
        fake.clock,
        random.Random(7),
    )
    return client


def ok() -> httpx.Response:
    return httpx.Response(200, json=PET)


@pytest.fixture(autouse=True)
def no_credential_in_the_environment() -> Iterator[None]:
    FROM_ENVIRONMENT.clear()
    yield
    FROM_ENVIRONMENT.clear()


# --- one call ------------------------------------------------------------------


def test_a_call_sends_the_request_and_returns_the_parsed_body() -> None:
    script = Scripted(ok())
    with make_client(script) as client:
        pet = client.get_pet(7, verbose=True, x_trace="t-1", session="abc")
    assert pet == models.Pet(petId=1, name="Rex")
    request = script.request
    assert (request.method, str(request.url)) == (
        "GET",
        f"{BASE_URL}/pets/7?verbose=true",
    )
    assert request.headers["X-Trace"] == "t-1"
    assert request.headers["Cookie"] == "session=abc"
    assert request.headers["X-Api-Key"] == SECRET
    assert request.headers["User-Agent"] == f"pets/1.0 httpx/{httpx.__version__}"


def test_a_body_is_sent_as_json() -> None:
    script = Scripted(httpx.Response(201, json=PET))
    with make_client(script) as client:
        client.create_pet(body=models.Pet(petId=1, name="Rex"))
    assert script.request.content == b'{"petId":1,"name":"Rex"}'
    assert script.request.headers["Content-Type"] == "application/json"


def test_base_url_headers_and_timeout_options() -> None:
    script = Scripted(ok())
    client = make_client(
        script, base_url="https://other.test/api/", headers={"X-Team": "a"}, timeout=3
    )
    with client:
        client.get_pet(1)
    assert str(script.request.url) == "https://other.test/api/pets/1"
    assert script.request.headers["X-Team"] == "a"
    assert client.timeouts == Timeouts(connect=3, read=3)
    assert script.request.extensions["timeout"] == {
        "connect": 3,
        "read": 3,
        "write": 3,
        "pool": 3,
    }


def test_without_auth_the_credential_comes_from_the_environment() -> None:
    FROM_ENVIRONMENT.append(BearerAuth("from-env"))
    script = Scripted(ok())
    with make_client(script, auth=None) as client:
        client.get_pet(1)
    assert script.request.headers["Authorization"] == "Bearer from-env"


def test_an_error_status_raises_its_error() -> None:
    script = Scripted(httpx.Response(404, json={"message": "no"}))
    with make_client(script) as client, pytest.raises(NotFoundError) as raised:
        client.get_pet(1)
    assert raised.value.parsed == models.Problem(message="no")
    assert SECRET not in str(raised.value)


def test_raw_gives_status_headers_parsed_body_and_the_response() -> None:
    script = Scripted(httpx.Response(200, json=PET, headers={"X-Request-Id": "r1"}))
    with make_client(script) as client:
        raw = client.raw.get_pet(1)
    assert isinstance(raw, ApiResponse)
    assert (raw.status_code, raw.headers["X-Request-Id"]) == (200, "r1")
    assert raw.parsed == models.Pet(petId=1, name="Rex")
    assert raw.http_response.json() == PET and raw.http_response.is_closed
    assert client.raw is client.raw


def test_hooks_see_every_request_before_it_is_sent_and_every_response() -> None:
    seen: list[str] = []

    def on_request(request: httpx.Request) -> None:
        request.headers["X-Signed"] = "yes"
        seen.append(f"request {request.method}")

    def on_response(response: httpx.Response) -> None:
        seen.append(f"response {response.status_code} {response.json()['name']}")

    script = Scripted(httpx.Response(503, json=PET), ok())
    with make_client(
        script, on_request=[on_request], on_response=[on_response]
    ) as client:
        client.get_pet(1)
    assert seen == [
        "request GET",
        "response 503 Rex",
        "request GET",
        "response 200 Rex",
    ]
    assert all(r.headers["X-Signed"] == "yes" for r in script.requests)


def test_your_own_http_client_is_left_open_and_ours_is_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Scripted(ok())))
    with Client(http_client=http):
        pass
    assert not http.is_closed
    client = Client()
    client.close()
    assert client._http.is_closed


@pytest.mark.parametrize("limit", [-1, -100])
def test_a_negative_size_limit_is_refused(limit: int) -> None:
    with pytest.raises(ValueError, match="max_response_bytes"):
        Client(max_response_bytes=limit)


# --- retries -------------------------------------------------------------------


def test_a_connection_failure_is_retried_with_backoff() -> None:
    fake = FakeTime()
    refused = httpx.ConnectError("refused")
    script = Scripted(refused, refused, ok())
    with make_client(script, fake) as client:
        assert client.get_pet(1).name == "Rex"
    assert len(script.requests) == 3
    assert len(fake.sleeps) == 2
    assert 0.375 <= fake.sleeps[0] <= 0.5 and 0.75 <= fake.sleeps[1] <= 1.0


def test_when_retries_run_out_a_transport_error_is_raised() -> None:
    fake = FakeTime()
    script = Scripted(httpx.ConnectError("refused"))
    with (
        make_client(script, fake, retries=RetryPolicy(max_retries=3)) as client,
        pytest.raises(TransportError) as raised,
    ):
        client.get_pet(1)
    assert len(script.requests) == 4 and len(fake.sleeps) == 3
    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert (
        str(raised.value)
        == "GET /v1/pets/1: cannot reach api.example.test: ConnectError (refused)"
    )


def test_a_read_timeout_is_not_retried() -> None:
    script = Scripted(httpx.ReadTimeout("slow"), ok())
    with make_client(script) as client, pytest.raises(TransportError):
        client.get_pet(1)
    assert len(script.requests) == 1


def test_an_idempotent_call_is_retried_on_503_and_a_post_is_not() -> None:
    script = Scripted(httpx.Response(503), ok())
    with make_client(script) as client:
        client.get_pet(1)
    assert len(script.requests) == 2
    script = Scripted(httpx.Response(503), httpx.Response(201, json=PET))
    with make_client(script) as client, pytest.raises(ServerError):
        client.create_pet(body=models.Pet(petId=1, name="Rex"))
    assert len(script.requests) == 1


def test_retry_after_is_honoured() -> None:
    fake = FakeTime()
    script = Scripted(httpx.Response(429, headers={"Retry-After": "7"}), ok())
    with make_client(script, fake) as client:
        client.get_pet(1)
    assert fake.sleeps == [7.0]


@pytest.mark.parametrize("value", ["²", "١٢", "soon", "-1"])
def test_an_unreadable_retry_after_falls_back_to_the_backoff(value: str) -> None:
    """`Retry-After: ²` is a digit to `str.isdigit`: it must not crash or be 2 s."""
    fake = FakeTime()
    script = Scripted(
        httpx.Response(503, headers=[(b"Retry-After", value.encode())]), ok()
    )
    with make_client(script, fake) as client:
        assert client.get_pet(1).name == "Rex"
    assert len(fake.sleeps) == 1 and 0.375 <= fake.sleeps[0] <= 0.5


def test_a_retry_after_beyond_the_total_timeout_is_not_waited_for() -> None:
    fake = FakeTime()
    script = Scripted(httpx.Response(429, headers={"Retry-After": "30"}), ok())
    with (
        make_client(script, fake, timeout=Timeouts(total=10)) as client,
        pytest.raises(RateLimitError),
    ):
        client.get_pet(1)
    assert fake.sleeps == [] and len(script.requests) == 1


def test_a_per_call_policy_and_timeout_replace_the_clients() -> None:
    script = Scripted(httpx.Response(503), ok())
    with make_client(script, retries=NO_RETRIES) as client:
        client.get_pet(1, retries=RetryPolicy(), timeout=Timeouts(read=2))
    assert len(script.requests) == 2
    assert script.requests[0].extensions["timeout"]["read"] == 2


# --- logging ------------------------------------------------------------------


def test_each_exchange_and_each_retry_is_logged_without_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = Scripted(httpx.Response(503), ok())
    with caplog.at_level(logging.INFO), make_client(script) as client:
        client.get_pet(1, session="cookie-secret")
    ours = [r.getMessage() for r in caplog.records if r.name == "specgen_runtime"]
    assert ours[0] == f"GET {BASE_URL}/pets/1 -> 503 in 0.000s"
    assert ours[1].startswith(f"GET {BASE_URL}/pets/1 -> 503; retry 1 in 0.")
    assert ours[2] == f"GET {BASE_URL}/pets/1 -> 200 in 0.000s"
    assert SECRET not in caplog.text and "cookie-secret" not in caplog.text


def test_the_clients_logger_is_the_packages() -> None:
    assert Client._logger is logging.getLogger("specgen_runtime")


# --- async ---------------------------------------------------------------------


def test_the_async_client_calls_retries_and_returns_the_same() -> None:
    fake = FakeTime()
    script = Scripted(httpx.ConnectError("refused"), ok())

    async def run() -> models.Pet:
        async with make_async_client(script, fake) as client:
            return await client.get_pet(7, verbose=False)

    assert asyncio.run(run()) == models.Pet(petId=1, name="Rex")
    assert len(script.requests) == 2 and len(fake.sleeps) == 1
    assert str(script.requests[1].url) == f"{BASE_URL}/pets/7?verbose=false"


def test_async_hooks_may_be_coroutines_or_plain_functions() -> None:
    seen: list[str] = []

    async def on_request(request: httpx.Request) -> None:
        seen.append("async request")

    def on_response(response: httpx.Response) -> None:
        seen.append(f"plain response {response.status_code}")

    async def run() -> ApiResponse[models.Pet]:
        client = make_async_client(
            Scripted(ok()), on_request=[on_request], on_response=[on_response]
        )
        async with client:
            return await client.raw.get_pet(1)

    raw = asyncio.run(run())
    assert (raw.status_code, raw.parsed.name) == (200, "Rex")
    assert seen == ["async request", "plain response 200"]


def test_the_async_client_leaves_your_http_client_open() -> None:
    async def run() -> httpx.AsyncClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(Scripted(ok())))
        async with AsyncClient(http_client=http):
            pass
        return http

    assert not asyncio.run(run()).is_closed


# --- the worker thread of a call with a deadline --------------------------------

TRACE: contextvars.ContextVar[str] = contextvars.ContextVar("trace", default="")


def test_with_a_deadline_the_exchange_sees_the_callers_context_and_errors() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(TRACE.get())
        raise httpx.ReadError("reset")

    TRACE.set("from-the-caller")
    client = Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        timeout=Timeouts(total=5),
    )
    with client, pytest.raises(TransportError) as raised:
        client.get_pet(1)
    assert seen == ["from-the-caller"]
    assert isinstance(raised.value.__cause__, httpx.ReadError)


# --- building requests: as httpx's own build_request would ---------------------------


def _same_request(a: httpx.Request, b: httpx.Request) -> None:
    assert (a.method, str(a.url), a.headers.raw, a.extensions) == (
        b.method,
        str(b.url),
        b.headers.raw,
        b.extensions,
    )
    assert a.read() == b.read()


@pytest.mark.parametrize(
    "call",
    [
        {"headers": {}, "content": None, "data": None, "files": None, "params": None},
        {
            "headers": {"accept": "application/json", "X-Trace": "1"},
            "content": b'{"a":1}',
            "data": None,
            "files": None,
            "params": {"q": ["a", "b"], "n": "1"},
        },
        {
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            "content": None,
            "data": {"a": "1", "b": ["x", "y"]},
            "files": None,
            "params": None,
        },
        {
            "headers": {"USER-AGENT": "mine"},
            "content": None,
            "data": {"a": "1"},
            "files": [("f", ("n.txt", b"hi", "text/plain"))],
            "params": None,
        },
    ],
)
@pytest.mark.parametrize(
    "client_headers",
    [{}, {"User-Agent": "ua", "Accept": "*/*", "x-trace": "client"}],
)
def test_requests_are_built_as_httpx_builds_them(
    call: dict[str, Any], client_headers: dict[str, str]
) -> None:
    """The one-pass builder must give exactly httpx's request: same URL, headers
    (order and case included), body and extensions."""
    from specgen_runtime._base_client import _build_request

    timeout = {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}
    url = httpx.URL("https://api.example.test/pets/1")
    with httpx.Client(headers=client_headers) as http:
        expected = http.build_request(
            "POST", url, extensions={"timeout": timeout}, **call
        )
        if call["files"]:  # a multipart boundary is random: compare without it
            boundary = expected.headers["Content-Type"].split("boundary=")[1]
            call = {**call, "headers": {**call["headers"]}}
            built = _build_request(http, "POST", url, timeout=timeout, **call)
            assert built.headers["Content-Type"].startswith("multipart/form-data")
            assert (
                built.read().replace(
                    built.headers["Content-Type"].split("boundary=")[1].encode(),
                    boundary.encode(),
                )
                == expected.read()
            )
            return
        _same_request(
            _build_request(http, "POST", url, timeout=timeout, **call), expected
        )


def test_a_client_with_cookies_or_params_builds_through_httpx() -> None:
    from specgen_runtime._base_client import _build_request

    url = httpx.URL("https://api.example.test/pets")
    timeout = {"connect": None, "read": None, "write": None, "pool": None}
    with httpx.Client(params={"k": "v"}, cookies={"c": "1"}) as http:
        built = _build_request(
            http,
            "GET",
            url,
            params={"q": "1"},
            headers={},
            data=None,
            files=None,
            content=None,
            timeout=timeout,
        )
        expected = http.build_request(
            "GET", url, params={"q": "1"}, extensions={"timeout": timeout}
        )
    _same_request(built, expected)


def test_a_patched_httpx_client_does_not_break_building(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Users and tests replace `httpx.Client` with a factory function; the builder
    must still know httpx's own methods."""
    from specgen_runtime._base_client import _build_request

    real = httpx.Client
    monkeypatch.setattr(httpx, "Client", lambda *a, **k: real(*a, **k))
    url = httpx.URL("https://api.example.test/pets")
    timeout = {"connect": None, "read": None, "write": None, "pool": None}
    with real() as http:

        class Mine(real):  # type: ignore[misc,valid-type]
            pass

        for client in (http, Mine()):
            built = _build_request(
                client,
                "GET",
                url,
                params=None,
                headers={"a": "1"},
                data=None,
                files=None,
                content=None,
                timeout=timeout,
            )
            assert built.headers["a"] == "1"


def test_a_subclass_that_builds_its_own_requests_is_used() -> None:
    from specgen_runtime._base_client import _build_request

    class Stamping(httpx.Client):
        def build_request(self, *args: Any, **kwargs: Any) -> httpx.Request:
            request = super().build_request(*args, **kwargs)
            request.headers["X-Stamped"] = "1"
            return request

    url = httpx.URL("https://api.example.test/pets")
    timeout = {"connect": None, "read": None, "write": None, "pool": None}
    with Stamping() as http:
        built = _build_request(
            http,
            "GET",
            url,
            params=None,
            headers={},
            data=None,
            files=None,
            content=None,
            timeout=timeout,
        )
    assert built.headers["X-Stamped"] == "1"
