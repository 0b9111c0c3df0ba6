"""errors: the exception a response becomes, what it carries, what its message says."""

from __future__ import annotations

import copy
import json
import pickle
import re
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError
from specgen_runtime import errors
from specgen_runtime._endpoint import Endpoint, Outcome, parse_response
from specgen_runtime.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ClientError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)

SECRET = "s3cr3t-token"
REQUEST = httpx.Request(
    "GET",
    f"https://api.example.com/v1/pets/7?api_key={SECRET}",
    headers={"Authorization": f"Bearer {SECRET}"},
)


class Problem(BaseModel):
    title: str


def response(
    status: int, *, request: httpx.Request | None = REQUEST, **kwargs: Any
) -> httpx.Response:
    return httpx.Response(status, request=request, **kwargs)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
    ],
)
def test_each_status_with_a_class_of_its_own_becomes_that_class(
    status: int, error_class: type[ApiError]
) -> None:
    error = ApiError.from_response(response(status))
    assert type(error) is error_class
    assert isinstance(error, ApiError) and isinstance(error, ClientError)
    assert error.status_code == status


@pytest.mark.parametrize("status", [302, 304, 405, 410, 418, 451, 499])
def test_other_statuses_are_a_plain_api_error(status: int) -> None:
    assert type(ApiError.from_response(response(status))) is ApiError


def test_the_classes_are_chosen_by_status_whichever_class_is_asked() -> None:
    assert type(NotFoundError.from_response(response(503))) is ServerError


def test_the_error_keeps_the_response_status_headers_and_raw_body() -> None:
    reply = response(409, headers={"X-Request-Id": "abc"}, content=b"not json")
    error = ApiError.from_response(reply)
    assert error.status_code == 409
    assert error.headers["x-request-id"] == "abc"
    assert error.body == b"not json"
    assert error.parsed is None


def test_the_message_names_method_path_and_status_and_nothing_secret() -> None:
    error = ApiError.from_response(response(404, json={"token": SECRET}))
    assert str(error) == "GET /v1/pets/7 failed with HTTP 404"
    assert repr(error) == "NotFoundError(status_code=404)"
    assert SECRET not in str(error) + repr(error)


def test_a_response_without_a_request_still_makes_a_message() -> None:
    assert (
        str(ApiError.from_response(response(500, request=None)))
        == "request failed with HTTP 500"
    )


def test_the_body_is_parsed_with_the_given_function() -> None:
    seen: list[Any] = []

    def parse(data: Any) -> Problem:
        seen.append(data)
        return Problem.model_validate(data)

    error = ApiError.from_response(response(400, json={"title": "bad name"}), parse)
    assert seen == [{"title": "bad name"}]
    assert error.parsed == Problem(title="bad name")


@pytest.mark.parametrize(
    "content",
    [b"<html>gateway</html>", b"", b'{"title": 5}', b'{"other": "x"}'],
    ids=["not json", "empty", "wrong type", "missing field"],
)
def test_a_body_the_parser_cannot_read_leaves_parsed_none(content: bytes) -> None:
    error = ApiError.from_response(
        response(422, content=content), Problem.model_validate
    )
    assert type(error) is UnprocessableEntityError
    assert error.parsed is None
    assert error.body == content


def test_without_a_parser_a_json_body_is_not_parsed() -> None:
    assert ApiError.from_response(response(400, json={"title": "x"})).parsed is None


def test_a_text_error_is_parsed_as_its_text_and_quoted() -> None:
    reply = response(
        404, content=b"no pet 7", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    error = ApiError.from_response(reply, kind="text")
    assert type(error) is NotFoundError
    assert error.parsed == "no pet 7" and isinstance(error.parsed, str)
    assert error.body == b"no pet 7"
    assert str(error) == "GET /v1/pets/7 failed with HTTP 404: no pet 7"


def test_a_text_error_is_decoded_by_its_charset() -> None:
    reply = response(
        409,
        content="déjà pris".encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=latin-1"},
    )
    error = ApiError.from_response(reply, kind="text")
    assert error.parsed == "déjà pris"
    assert str(error).endswith(": déjà pris")


def test_a_text_error_is_text_whatever_it_holds() -> None:
    """As a text success is: the spec says text, so JSON-looking text stays a str."""
    error = ApiError.from_response(response(400, json={"title": "x"}), kind="text")
    assert error.parsed == '{"title":"x"}'
    assert ApiError.from_response(response(400), kind="text").parsed == ""


def test_a_binary_error_is_parsed_as_its_bytes_and_not_quoted() -> None:
    reply = response(
        500,
        content=b"\x00\xffcore",
        headers={"Content-Type": "application/octet-stream"},
    )
    error = ApiError.from_response(reply, Problem.model_validate, kind="binary")
    assert error.parsed == b"\x00\xffcore" and isinstance(error.parsed, bytes)
    assert str(error) == "GET /v1/pets/7 failed with HTTP 500"


@pytest.mark.parametrize(
    ("content_type", "quoted"),
    [
        ("text/plain", True),
        ("text/csv", True),
        ("text/markdown; charset=utf-8", True),
        ("text/html", False),
        ("text/xml", False),
        ("application/xml", False),
        ("application/problem+xml", False),
        ("application/octet-stream", False),
    ],
)
def test_a_text_body_is_quoted_unless_it_is_markup(
    content_type: str, quoted: bool
) -> None:
    reply = response(503, content=b"try later", headers={"Content-Type": content_type})
    said = str(ApiError.from_response(reply, kind="text"))
    assert said.endswith(": try later") is quoted


PETS: Endpoint[Any] = Endpoint(
    "GET",
    "/pets/{id}",
    outcomes=(
        Outcome("200", True, kind="text"),
        Outcome("400", False, lambda models: models.Problem),
        Outcome("404", False, kind="text"),
        Outcome("5XX", False, kind="binary"),
    ),
)


@pytest.mark.parametrize(
    ("reply", "parsed"),
    [
        (response(404, text="no pet 7"), "no pet 7"),
        (response(502, content=b"\x89PNG"), b"\x89PNG"),
        (response(418, text="teapot"), None),
    ],
    ids=["text", "binary", "undocumented"],
)
def test_parse_response_reads_an_error_as_its_documented_media_type(
    reply: httpx.Response, parsed: object
) -> None:
    with pytest.raises(ApiError) as raised:
        parse_response(PETS, reply)
    assert raised.value.parsed == parsed
    assert type(raised.value.parsed) is type(parsed)
    assert raised.value.body == reply.content


def test_parse_response_reads_a_json_error_into_its_model() -> None:
    with pytest.raises(BadRequestError) as raised:
        parse_response(PETS, response(400, json={"message": "bad id"}))
    assert raised.value.parsed is not None
    assert raised.value.parsed.message == "bad id"
    assert str(raised.value) == "GET /v1/pets/7 failed with HTTP 400: bad id"


def test_transport_error_names_the_request_but_not_its_query_or_headers() -> None:
    error = TransportError("connection refused", request=REQUEST)
    assert str(error) == "GET /v1/pets/7: connection refused"
    assert not isinstance(error, ApiError) and isinstance(error, ClientError)
    assert str(TransportError("timed out")) == "request: timed out"


def test_response_validation_error_carries_the_response_and_the_mismatch() -> None:
    try:
        Problem.model_validate({"title": 1})
    except ValidationError as exc:
        mismatch = exc
    reply = response(200, json={"title": 1}, headers={"X-Request-Id": "r1"})
    error = ResponseValidationError(reply, mismatch)
    assert str(error).startswith(
        "GET /v1/pets/7: HTTP 200 body does not match the spec:"
        " 1 validation error for Problem"
    )
    assert error.errors is mismatch
    assert (error.status_code, error.headers["x-request-id"], error.body) == (
        200,
        "r1",
        b'{"title":1}',
    )
    assert SECRET not in str(error)


def test_response_validation_error_for_a_body_that_is_not_json() -> None:
    reply = response(201, content=b"{oops")
    try:
        reply.json()
    except json.JSONDecodeError as exc:
        error = ResponseValidationError(reply, exc)
    assert "HTTP 201 body does not match the spec: Expecting property name" in str(
        error
    )
    assert isinstance(error, ApiError) and isinstance(error, ClientError)
    assert error.parsed is None and error.response is reply


def _round_trips(error: ClientError) -> list[Any]:
    return [pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)]


def test_api_errors_survive_pickle_and_copy() -> None:
    error = ApiError.from_response(
        response(429, json={"title": "slow down"}, headers={"Retry-After": "3"}),
        Problem.model_validate,
    )
    for again in _round_trips(error):
        assert type(again) is RateLimitError
        assert (
            str(again) == str(error) == "GET /v1/pets/7 failed with HTTP 429: slow down"
        )
        assert again.response is not None and again.response.status_code == 429
        assert again.request is not None and again.request.url.path == "/v1/pets/7"
        assert again.status_code == 429
        assert again.headers["retry-after"] == "3"
        assert again.body == error.body
        assert again.parsed == Problem(title="slow down")


def test_transport_and_validation_errors_survive_pickle_message_unchanged() -> None:
    transport = TransportError("connection refused", request=REQUEST)
    assert [str(e) for e in _round_trips(transport)] == [str(transport)] * 3
    try:
        Problem.model_validate({})
    except ValidationError as exc:
        validation = ResponseValidationError(response(200, json={}), exc)
    for again in _round_trips(validation):
        assert type(again) is ResponseValidationError
        assert str(again) == str(validation)
        assert isinstance(again.errors, ValidationError)


def test_the_module_docstring_tree_matches_the_classes() -> None:
    """The tree in the docstring is the documentation users read: it must not drift."""
    doc = errors.__doc__ or ""
    tree = dict(re.findall(r"── (\w+)\s+(\d{3}|5xx)\n", doc))
    by_status = {str(status): cls.__name__ for status, cls in errors._BY_STATUS.items()}
    assert {
        status: name for name, status in tree.items() if status != "5xx"
    } == by_status
    assert tree["ServerError"] == "5xx"
    documented = set(re.findall(r"── (\w+)", doc)) | {"ClientError"}
    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, ClientError)
    }
    assert documented == defined
