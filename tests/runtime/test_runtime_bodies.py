"""Request bodies as users write them: a model or a dict, checked before sending."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any, overload

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
    assert build_request(CREATE, (), body).json_data == {"petId": 1, "name": "Rex"}


def test_a_dict_body_is_validated_into_the_model_and_sent() -> None:
    sent = build_request(
        CREATE, (), {"petId": 1, "name": "Rex", "kind": "dog"}
    ).json_data
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
    assert build_request(OPTIONAL, (), None).json_data is None


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


# --- a body's fields as keywords (`Endpoint.with_fields`) ---------------------

FIELDS: Endpoint[Any] = Endpoint(
    "POST",
    "/pets",
    outcomes=(Outcome("201", True, lambda m: m.Pet),),
    body=lambda m: m.Pet,
    body_required=True,
    fields=(("pet_id", "petId"), ("name", "name"), ("kind", "kind")),
)
OPTIONAL_FIELDS: Endpoint[Any] = Endpoint(
    "PATCH", "/pets", body=lambda m: m.Pet, fields=FIELDS.fields
)
EMPTY: Endpoint[Any] = Endpoint(
    "PUT",
    "/pets",
    body=lambda m: m.Pet,
    body_required=True,
    fields=FIELDS.fields,
    empty_body=True,
)


def test_fields_make_a_dict_under_their_wire_names_and_options_stay_options() -> None:
    arguments: dict[str, Any] = {"pet_id": 1, "name": "Rex", "timeout": None}
    body, options = FIELDS.with_fields(None, arguments)
    assert body == {"petId": 1, "name": "Rex"}
    assert options == {"timeout": None}
    assert build_request(FIELDS, (), body).json_data == {"petId": 1, "name": "Rex"}


def test_a_body_without_fields_is_passed_as_it_is() -> None:
    pet = models.Pet(petId=1, name="Rex")
    assert FIELDS.with_fields(pet, {"retries": None}) == (pet, {"retries": None})
    assert OPTIONAL_FIELDS.with_fields(None, {}) == (None, {})


def test_a_required_body_of_no_fields_is_refused_unless_empty_is_valid() -> None:
    with pytest.raises(RequestValidationError, match="or its fields as keywords"):
        FIELDS.with_fields(None, {"timeout": None})
    assert EMPTY.with_fields(None, {}) == ({}, {})


def test_a_body_and_fields_together_are_refused() -> None:
    with pytest.raises(RequestValidationError, match=r"is given twice: .*\(name\)"):
        FIELDS.with_fields({"petId": 1, "name": "Rex"}, {"name": "Max"})


def test_a_keyword_neither_field_nor_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        FIELDS.with_fields(None, {"name": "Rex", "nmae": "x"})


def test_wrong_fields_are_a_request_validation_error_naming_the_field() -> None:
    body, _ = FIELDS.with_fields(None, {"pet_id": "one", "name": "Rex"})
    with pytest.raises(RequestValidationError, match="petId: "):
        build_request(FIELDS, (), body)


def test_a_dict_holding_what_json_cannot_is_a_request_validation_error() -> None:
    with pytest.raises(RequestValidationError, match="is not JSON data"):
        build_request(CREATE, (), {"petId": 1, "name": object()})


def test_the_options_the_runtime_knows_are_call_options() -> None:
    from specgen_runtime._base_client import CallOptions
    from specgen_runtime._endpoint import _CALL_OPTIONS

    assert frozenset(CallOptions.__annotations__) == _CALL_OPTIONS


# --- plain data in any sequence or mapping (`params.py` says `Sequence`) ------


class Row(Sequence[Any]):
    """A caller's own sequence: no list, no tuple, nothing `to_json` knows."""

    def __init__(self, *items: Any) -> None:
        self._items = list(items)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)


PETS: Endpoint[Any] = Endpoint("PUT", "/pets", body=lambda m: list[m.Pet])
NAMES: Endpoint[Any] = Endpoint("PUT", "/names", body=lambda m: m.Names)


@pytest.mark.parametrize(
    "body",
    [
        Row(models.Pet(petId=1, name="Rex"), {"petId": 2, "name": "Max"}),
        (models.Pet(petId=1, name="Rex"), {"petId": 2, "name": "Max"}),
    ],
    ids=["own sequence", "tuple"],
)
def test_a_list_body_takes_any_sequence_of_models_and_plain_data(body: object) -> None:
    sent = build_request(PETS, (), body).json_data
    assert sent == [{"petId": 1, "name": "Rex"}, {"petId": 2, "name": "Max"}]


def test_plain_data_takes_any_sequence_and_mapping_as_json() -> None:
    assert build_request(NAMES, (), Row("a", "b")).json_data == ["a", "b"]
    pet = MappingProxyType({"petId": 1, "name": "Rex"})
    assert build_request(CREATE, (), pet).json_data == {"petId": 1, "name": "Rex"}


def test_a_string_is_no_sequence_of_plain_data() -> None:
    with pytest.raises(RequestValidationError, match="is invalid"):
        build_request(NAMES, (), "ab")
