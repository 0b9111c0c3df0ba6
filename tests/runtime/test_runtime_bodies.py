"""Request bodies as users write them: a model or a dict, checked before sending."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from specgen_runtime import models
from specgen_runtime._endpoint import Endpoint, Outcome, build_request
from specgen_runtime.errors import ClientError, RequestValidationError

from tests.runtime.pets_client import Client, KeyAuth

CREATE: Endpoint[Any] = Endpoint(
    "POST",
    "/pets",
    outcomes=(Outcome("201", True, lambda m: m.Pet),),
    body=lambda m: m.Pet,
    body_required=True,
)
OPTIONAL: Endpoint[Any] = Endpoint("PATCH", "/pets", body=lambda m: m.Pet)


def test_a_model_body_is_sent_as_its_json() -> None:
    body = models.Pet(petId=1, name="Rex")
    assert build_request(CREATE, (), body).json == {"petId": 1, "name": "Rex"}


def test_a_dict_body_is_validated_into_the_model_and_sent() -> None:
    sent = build_request(CREATE, (), {"petId": 1, "name": "Rex", "kind": "dog"}).json
    assert sent == {"petId": 1, "name": "Rex", "kind": "dog"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Rex"}, "petId"),
        ({"petId": "one", "name": "Rex"}, "petId"),
        ({"petId": 1, "name": 5}, "name"),
    ],
)
def test_an_invalid_dict_is_a_request_validation_error_naming_the_field(
    body: dict[str, Any], field: str
) -> None:
    with pytest.raises(RequestValidationError) as raised:
        build_request(CREATE, (), body)
    error = raised.value
    assert isinstance(error, ValueError) and isinstance(error, ClientError)
    assert str(error).startswith("POST /pets: the request body is invalid: ")
    assert f"{field}: " in str(error)
    assert isinstance(error.errors, ValidationError)


def test_a_model_of_another_class_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="must be a Pet or a dict, not a"):
        build_request(CREATE, (), models.Problem(message="x"))


def test_no_body_for_a_required_body_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="is required: pass body="):
        build_request(CREATE, (), None)


def test_no_body_for_an_optional_body_sends_none() -> None:
    assert build_request(OPTIONAL, (), None).json is None


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError("nothing may be sent")


@pytest.mark.parametrize(
    "body", [None, {"name": "Rex"}, models.Problem(message="x")], ids=repr
)
def test_nothing_is_sent_for_a_wrong_body(body: object) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_never))
    with (
        Client(http_client=http, auth=KeyAuth("k")) as client,
        pytest.raises(RequestValidationError),
    ):
        client._send(CREATE, (), body, {})
