"""response: `ApiResponse`, what `client.raw.<operation>(...)` returns."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from specgen_runtime.response import ApiResponse


def test_it_holds_status_headers_parsed_body_and_httpx_response_in_order() -> None:
    http_response = httpx.Response(201, headers={"Location": "/pets/7"}, json={"id": 7})
    # Clients build it positionally: the order of the fields is part of the contract.
    result = ApiResponse(
        http_response.status_code, http_response.headers, {"id": 7}, http_response
    )
    assert result.status_code == 201
    assert result.headers["location"] == "/pets/7"
    assert result.parsed == {"id": 7}
    assert result.http_response is http_response
    assert [f.name for f in dataclasses.fields(ApiResponse)] == [
        "status_code",
        "headers",
        "parsed",
        "http_response",
    ]


def test_it_is_generic_in_the_parsed_body() -> None:
    http_response = httpx.Response(200, json=[1, 2])
    result = ApiResponse[list[int]](200, http_response.headers, [1, 2], http_response)
    assert result.parsed == [1, 2]


def test_it_cannot_be_changed() -> None:
    http_response = httpx.Response(204)
    result = ApiResponse(204, http_response.headers, None, http_response)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.parsed = "other"  # type: ignore[misc]
