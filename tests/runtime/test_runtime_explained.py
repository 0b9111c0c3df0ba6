"""Errors that explain themselves: the server's words, the host, the URL, auth."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from specgen_runtime._endpoint import Endpoint, Outcome
from specgen_runtime.errors import (
    ApiError,
    BadRequestError,
    ClientError,
    MissingCredentialError,
    ResponseValidationError,
    TransportError,
)
from specgen_runtime.retries import NO_RETRIES

from tests.runtime.pets_client import AsyncClient, Client, KeyAuth

SECRET = "s3cr3t-token"
REQUEST = httpx.Request(
    "POST",
    f"https://api.example.com/v1/jobs?api_key={SECRET}",
    headers={"Authorization": f"Bearer {SECRET}"},
)
SECURED: Endpoint[None] = Endpoint(
    "GET", "/secured", outcomes=(Outcome("204", True),), requires_credential=True
)


def error_for(status: int, **kwargs: Any) -> ApiError:
    return ApiError.from_response(httpx.Response(status, request=REQUEST, **kwargs))


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"message": "name must not be empty"}, "name must not be empty"),
        ({"error": "invalid_grant", "error_description": "expired"}, "expired"),
        ({"error": {"code": 7, "message": "quota exceeded"}}, "quota exceeded"),
        ({"detail": "Not enough credits"}, "Not enough credits"),
        ({"title": "Bad Request", "status": 400}, "Bad Request"),
        ([{"message": "first problem"}], "first problem"),
    ],
)
def test_the_message_quotes_the_servers_explanation_from_json(
    body: Any, said: str
) -> None:
    error = error_for(400, json=body)
    assert type(error) is BadRequestError
    assert str(error) == f"POST /v1/jobs failed with HTTP 400: {said}"


def test_a_text_body_is_quoted_on_one_line_and_cut_short() -> None:
    text = "upstream\r\nexploded\x1b[31m " + "x" * 500
    error = error_for(502, text=text)
    message = str(error)
    assert message.startswith("POST /v1/jobs failed with HTTP 502: upstream exploded")
    assert "\n" not in message and "\x1b" not in message
    assert len(message) < len("POST /v1/jobs failed with HTTP 502: ") + 201


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"token": SECRET}},
        {"content": b"<html>oops</html>", "headers": {"Content-Type": "text/html"}},
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        {"content": b""},
    ],
    ids=["no explaining field", "html", "broken json", "empty"],
)
def test_without_an_explanation_the_message_is_method_path_status(
    kwargs: dict[str, Any],
) -> None:
    assert str(error_for(500, **kwargs)) == "POST /v1/jobs failed with HTTP 500"


def test_headers_and_query_are_never_quoted() -> None:
    error = error_for(
        401,
        json={"message": "bad key"},
        headers={"X-Echo": SECRET, "Set-Cookie": SECRET},
    )
    assert SECRET not in str(error) + repr(error)
    assert str(error) == "POST /v1/jobs failed with HTTP 401: bad key"


def test_the_error_keeps_the_httpx_request_and_response() -> None:
    reply = httpx.Response(409, request=REQUEST, json={"message": "taken"})
    error = ApiError.from_response(reply)
    assert error.response is reply
    assert error.request is REQUEST


def test_a_response_validation_error_is_an_api_error() -> None:
    reply = httpx.Response(200, request=REQUEST, json={"id": "x"})
    error = ResponseValidationError(reply, ValueError("id is not an integer"))
    assert isinstance(error, ApiError) and isinstance(error, ClientError)
    assert (error.request, error.response, error.parsed) == (REQUEST, reply, None)
    with pytest.raises(ApiError):
        raise error


def test_a_client_error_call_is_caught_by_except_api_error() -> None:
    http = httpx.Client(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, json={"id": "x"}))
    )
    with (
        Client(http_client=http, auth=KeyAuth(SECRET)) as client,
        pytest.raises(ApiError) as raised,
    ):
        client.get_pet(1)
    assert type(raised.value) is ResponseValidationError
    assert raised.value.response is not None
    assert raised.value.request is not None
    assert raised.value.request.url.path == "/v1/pets/1"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), "cannot reach"),
        (httpx.ConnectTimeout("timed out"), "cannot reach"),
        (httpx.ReadTimeout("timed out"), "no response from"),
        (httpx.RemoteProtocolError("Server disconnected"), "no response from"),
    ],
)
def test_a_transport_error_names_the_host(error: Exception, said: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Client(base_url="https://api.qovery.test:8443", http_client=http)
    with client, pytest.raises(TransportError) as raised:
        client.get_pet(1, retries=NO_RETRIES)
    assert str(raised.value).startswith(
        f"GET /pets/1: {said} api.qovery.test:8443: {type(error).__name__} ("
    )


def test_a_transport_error_never_quotes_a_detail_holding_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"failed for {request.url}")

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        Client(http_client=http, auth=KeyAuth(SECRET)) as client,
        pytest.raises(TransportError) as raised,
    ):
        client.get_pet(1, retries=NO_RETRIES)
    assert str(raised.value) == (
        "GET /v1/pets/1: cannot reach api.example.test: ConnectError"
    )


@pytest.mark.parametrize(
    "base_url",
    [
        "127.0.0.1:4010",
        "api.example.com",
        "ftp://api.example.com",
        "/api/v1",
        "http://",
    ],
)
def test_a_base_url_without_http_or_https_is_refused_when_the_client_is_built(
    base_url: str,
) -> None:
    with pytest.raises(ValueError, match=r"needs?|http:// or https://") as raised:
        Client(base_url=base_url)
    assert "http:// or https://" in str(raised.value)
    with pytest.raises(ValueError, match="http:// or https://"):
        AsyncClient(base_url=base_url)


def test_a_base_url_with_user_info_is_not_shown_in_the_error() -> None:
    with pytest.raises(ValueError) as raised:
        Client(base_url="ftp://user:pw@h.test")
    assert "pw" not in str(raised.value)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:4010", "HTTPS://api.example.com/v1/"]
)
def test_http_and_https_base_urls_are_accepted(base_url: str) -> None:
    assert Client(base_url=base_url).base_url == base_url.rstrip("/")


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("nothing may be sent")


def test_an_operation_needing_a_credential_refuses_to_send_without_one() -> None:
    http = httpx.Client(transport=httpx.MockTransport(_never))
    with (
        Client(http_client=http) as client,
        pytest.raises(MissingCredentialError) as raised,
    ):
        client._send(SECURED, (), None, {})
    assert str(raised.value).startswith(
        "GET /secured requires a credential and Client has none: pass auth="
    )
    assert isinstance(raised.value, ClientError)


def test_the_async_client_refuses_too() -> None:
    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_never))
        async with AsyncClient(http_client=http) as client:
            with pytest.raises(MissingCredentialError):
                await client._send(SECURED, (), None, {})

    asyncio.run(run())


def _no_content(request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


@pytest.mark.parametrize(
    "setup",
    [
        {"auth": KeyAuth(SECRET)},
        {"headers": {"authorization": "Bearer x"}},
        {"http_headers": {"Authorization": "Bearer x"}},
        {"http_auth": ("user", "pw")},
    ],
    ids=["auth", "client headers", "http client headers", "http client auth"],
)
def test_a_credential_given_any_way_lets_the_call_go(setup: dict[str, Any]) -> None:
    http = httpx.Client(
        transport=httpx.MockTransport(_no_content),
        headers=setup.pop("http_headers", None),
        auth=setup.pop("http_auth", None),
    )
    with Client(http_client=http, **setup) as client:
        assert client._send(SECURED, (), None, {}) is None


def test_an_operation_needing_no_credential_is_sent_without_one() -> None:
    open_endpoint: Endpoint[None] = Endpoint(
        "GET", "/open", outcomes=(Outcome("204", True),)
    )
    http = httpx.Client(transport=httpx.MockTransport(_no_content))
    with Client(http_client=http) as client:
        assert client._send(open_endpoint, (), None, {}) is None


def test_user_info_in_the_base_url_counts_as_a_credential() -> None:
    http = httpx.Client(transport=httpx.MockTransport(_no_content))
    with Client(base_url="https://u:p@api.example.test", http_client=http) as client:
        assert client._send(SECURED, (), None, {}) is None
