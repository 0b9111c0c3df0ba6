"""_endpoint: the request an `Endpoint` and values make, and how responses are read."""

from __future__ import annotations

from enum import Enum
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from specgen_runtime import models
from specgen_runtime._endpoint import (
    Endpoint,
    Outcome,
    RequestParts,
    build_request,
    fill_path,
    parse_response,
)
from specgen_runtime.errors import (
    ApiError,
    NotFoundError,
    RequestValidationError,
    ResponseValidationError,
    ServerError,
)

EVERY_LOCATION: Endpoint[Any] = Endpoint(
    "GET",
    "/pets/{petId}/toys/{toy}",
    parameters=(
        ("petId", "path"),
        ("toy", "path"),
        ("limit", "query"),
        ("tags", "query"),
        ("X-Trace", "header"),
        ("session", "cookie"),
        ("theme", "cookie"),
    ),
)


class Colour(Enum):
    RED = "red"


def build(*values: object, endpoint: Endpoint[Any] = EVERY_LOCATION) -> RequestParts:
    return build_request(endpoint, values, None)


def status(code: int, json: Any = None, text: str | None = None) -> httpx.Response:
    request = httpx.Request("GET", "https://api.example.test/pets/1")
    if text is not None:
        return httpx.Response(code, text=text, request=request)
    return httpx.Response(code, json=json, request=request)


# --- build_request: every location -------------------------------------------


def test_every_location_is_filled() -> None:
    parts = build(7, "ball", 10, ["a", "b"], "t-1", "abc", "dark")
    assert parts == RequestParts(
        "GET",
        "/pets/7/toys/ball",
        {"limit": "10", "tags": ["a", "b"]},
        {"X-Trace": "t-1", "Cookie": "session=abc; theme=dark"},
        None,
    )


def test_none_leaves_a_parameter_out() -> None:
    parts = build(7, "ball", None, None, None, None, "dark")
    assert (parts.params, parts.headers) == ({}, {"Cookie": "theme=dark"})
    assert build(7, "ball", None, None, None, None, None).headers == {}


def test_values_are_written_as_the_wire_expects() -> None:
    parts = build(True, Colour.RED, False, (1, Colour.RED), 2.5, None, None)
    assert parts.path == "/pets/true/toys/red"
    assert parts.params == {"limit": "false", "tags": ["1", "red"]}
    assert parts.headers == {"X-Trace": "2.5"}


def test_the_number_of_values_must_match_the_parameters() -> None:
    with pytest.raises(ValueError, match="zip"):
        build(7)


# --- build_request: path values stay one segment -----------------------------


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("?x=1#y", "%3Fx%3D1%23y"),
        ("100%", "100%25"),
        ("é ü", "%C3%A9%20%C3%BC"),
        ("{toy}", "%7Btoy%7D"),
        ("...", "..."),
        (".x", ".x"),
    ],
)
def test_a_path_value_is_percent_encoded_whole(value: str, segment: str) -> None:
    assert build(value, "t", None, None, None, None, None).path == (
        f"/pets/{segment}/toys/t"
    )


@pytest.mark.parametrize(("value", "segment"), [("..", "%2E%2E"), (".", "%2E")])
def test_dot_segments_are_encoded_so_they_are_not_resolved(
    value: str, segment: str
) -> None:
    """`/pets/../toys` would be sent as `/toys`: the dots are encoded instead."""
    parts = build(value, value, None, None, None, None, None)
    assert parts.path == f"/pets/{segment}/toys/{segment}"
    url = httpx.Request("GET", "https://api.example.test" + parts.path).url
    assert url.raw_path == f"/pets/{segment}/toys/{segment}".encode()


def test_dots_from_several_values_in_one_segment_are_encoded_too() -> None:
    assert fill_path("/a/{x}{y}/b", {"x": ".", "y": "."}) == "/a/%2E%2E/b"
    assert fill_path("/a/{x}{y}/b", {"x": ".", "y": "x"}) == "/a/.x/b"
    assert fill_path("/a/{x}.json", {"x": "."}) == "/a/..json"  # not a dot segment


def test_literal_dot_segments_of_the_template_reach_the_server() -> None:
    """A spec's path is appended to the server URL as written: httpx would resolve
    `/a/./1` to `/a/1`, another route (drf-spectacular writes paths like `/llm/.`)."""
    assert fill_path("/a/./{x}", {"x": "1"}) == "/a/%2E/1"
    assert fill_path("/llm/.", {}) == "/llm/%2E"
    assert fill_path("/a/../b/{x}", {"x": "."}) == "/a/%2E%2E/b/%2E"
    assert fill_path("/a/.b/{x}", {"x": "1"}) == "/a/.b/1"
    url = httpx.Request("GET", "https://api.example.test" + fill_path("/llm/.", {})).url
    assert url.raw_path == b"/llm/%2E"


def test_a_missing_value_leaves_its_placeholder() -> None:
    assert fill_path("/a/{missing}", {}) == "/a/{missing}"


def test_an_empty_path_value_is_refused() -> None:
    """`/pets//toys/t` is another route to many servers and proxies."""
    with pytest.raises(ValueError, match="path parameter 'petId' is empty"):
        build("", "t", None, None, None, None, None)


# --- build_request: cookies cannot add cookies -------------------------------


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("abc; admin=1", "abc%3B%20admin=1"),
        ("a,b", "a%2Cb"),
        ('"quoted"', "%22quoted%22"),
        ("back\\slash", "back%5Cslash"),
        ("line\r\nX-Injected: 1", "line%0D%0AX-Injected:%201"),
        ("100%", "100%25"),
        ("é", "%C3%A9"),
        ("a=b/c:d", "a=b/c:d"),
    ],
)
def test_a_cookie_value_is_percent_encoded(value: str, sent: str) -> None:
    parts = build(1, "t", None, None, None, value, None)
    assert parts.headers["Cookie"] == f"session={sent}"


def test_an_injected_cookie_does_not_reach_the_server_as_a_cookie() -> None:
    parts = build(1, "t", None, None, None, "abc; admin=1", "dark")
    request = httpx.Request("GET", "https://x.test/", headers=parts.headers)
    pairs = [pair.split("=", 1)[0] for pair in request.headers["Cookie"].split("; ")]
    assert pairs == ["session", "theme"]


@pytest.mark.parametrize("name", ["a;b", "a=b", "a b", "", "é", "a\r\n"])
def test_a_cookie_name_that_is_not_a_token_is_refused(name: str) -> None:
    endpoint: Endpoint[Any] = Endpoint("GET", "/", parameters=((name, "cookie"),))
    with pytest.raises(ValueError, match="is not an HTTP token"):
        build("v", endpoint=endpoint)


# --- build_request: the body -------------------------------------------------


def test_a_body_is_sent_as_the_spec_names_it() -> None:
    endpoint: Endpoint[Any] = Endpoint("POST", "/pets")
    body = models.Pet(petId=1, name="Rex")
    assert build_request(endpoint, (), body).json_data == {"petId": 1, "name": "Rex"}


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_a_body_made_invalid_after_it_was_built_is_not_sent() -> None:
    endpoint: Endpoint[Any] = Endpoint("POST", "/pets")
    body = models.Pet.model_construct(petId="one", name="Rex")
    with pytest.raises(RequestValidationError, match="petId") as raised:
        build_request(endpoint, (), body)
    assert isinstance(raised.value.errors, ValidationError)


# --- parse_response ----------------------------------------------------------

GET_PET: Endpoint[models.Pet] = Endpoint(
    "GET",
    "/pets/{petId}",
    outcomes=(
        Outcome("200", True, lambda m: m.Pet),
        Outcome("204", True),
        Outcome("404", False, lambda m: m.Problem),
        Outcome("5XX", False, lambda m: m.Problem),
    ),
)
NAMES: Endpoint[list[str]] = Endpoint(
    "GET", "/names", outcomes=(Outcome("2XX", True, lambda m: m.Names, unwrap=True),)
)
PETS: Endpoint[list[models.Pet]] = Endpoint(
    "GET",
    "/pets",
    outcomes=(
        Outcome("200", True, lambda _: list[models.Pet]),
        Outcome("default", False, lambda m: m.Problem),
    ),
)


def test_a_success_is_parsed_into_its_model_keeping_what_the_spec_does_not_know() -> (
    None
):
    pet = parse_response(
        GET_PET,
        status(200, {"petId": 1, "name": "Rex", "kind": "parrot", "later": True}),
    )
    assert (pet.pet_id, pet.name, pet.model_extra) == (1, "Rex", {"later": True})
    assert pet.kind is not None and pet.kind.name == "UNKNOWN_parrot"


def test_a_success_without_a_body_is_none() -> None:
    assert parse_response(GET_PET, status(204, text="")) is None


def test_a_root_model_is_unwrapped_and_ranges_match() -> None:
    assert parse_response(NAMES, status(206, ["a", "b"])) == ["a", "b"]


def test_a_body_that_is_not_a_model_class_is_validated_as_its_type() -> None:
    pets = parse_response(PETS, status(200, [{"petId": 1, "name": "Rex"}]))
    assert pets == [models.Pet(petId=1, name="Rex")]


@pytest.mark.parametrize(
    "reply",
    [status(200, {"petId": "one", "name": "Rex"}), status(200, text="<html>")],
    ids=["wrong-shape", "not-json"],
)
def test_a_success_body_not_matching_the_spec(reply: httpx.Response) -> None:
    with pytest.raises(ResponseValidationError) as raised:
        parse_response(GET_PET, reply)
    assert raised.value.status_code == 200 and raised.value.body == reply.content


def test_a_documented_error_is_raised_with_its_parsed_body() -> None:
    with pytest.raises(NotFoundError) as raised:
        parse_response(GET_PET, status(404, {"message": "no such pet"}))
    assert raised.value.parsed == models.Problem(message="no such pet")
    assert str(raised.value) == "GET /pets/1 failed with HTTP 404: no such pet"


def test_an_error_range_and_the_default_response() -> None:
    with pytest.raises(ServerError) as raised:
        parse_response(GET_PET, status(503, {"message": "down"}))
    assert raised.value.parsed == models.Problem(message="down")
    with pytest.raises(ApiError) as default:
        parse_response(PETS, status(418, {"message": "teapot"}))
    assert type(default.value) is ApiError
    assert default.value.parsed == models.Problem(message="teapot")


def test_an_error_body_not_matching_the_spec_is_kept_raw() -> None:
    with pytest.raises(NotFoundError) as raised:
        parse_response(GET_PET, status(404, text="gone"))
    assert (raised.value.parsed, raised.value.body) == (None, b"gone")


def test_an_undocumented_status_is_an_api_error_without_parsed_body() -> None:
    with pytest.raises(ApiError) as raised:
        parse_response(GET_PET, status(302, {"message": "elsewhere"}))
    assert (raised.value.status_code, raised.value.parsed) == (302, None)
