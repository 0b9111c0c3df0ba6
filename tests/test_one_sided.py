"""Required properties of one side only: `readOnly` in responses, `writeOnly` in requests.

Unit tests of `generator.one_sided`, and the generated package of
tests/fixtures/realworld_cases/read_write_only.yaml (drf-spectacular's and
PagerDuty's shapes) used as a caller would: create without the `id` the API
sets, get the account back without the password it was sent.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

from generator.config import make_target
from generator.one_sided import (
    IN_REQUESTS,
    IN_RESPONSES,
    models_document,
    side_of,
    told_to_models,
    view,
)
from generator.pipeline import build_api_for, generate_files
from tests.conftest import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "realworld_cases" / "read_write_only.yaml"
PACKAGE = "fx_read_write_only"

ACCOUNT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "password"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "name": {"type": "string"},
        "password": {"type": "string", "writeOnly": True},
    },
}


def test_a_flag_is_found_on_the_property_through_refs_and_allof() -> None:
    root = {"$defs": {"Id": {"type": "string", "readOnly": True}}}
    assert side_of(root, {"readOnly": True}) == "readOnly"
    assert side_of(root, {"$ref": "#/$defs/Id"}) == "readOnly"
    assert side_of(root, {"allOf": [{"$ref": "#/$defs/Id"}]}) == "readOnly"
    assert side_of(root, {"writeOnly": True, "type": "string"}) == "writeOnly"
    assert side_of(root, {"readOnly": True, "writeOnly": True}) is None
    assert side_of(root, {"type": "string"}) is None


def test_each_side_reads_the_other_sides_names_as_optional() -> None:
    assert view({}, ACCOUNT, "writeOnly")["required"] == ["id", "name"]
    assert view({}, ACCOUNT, "readOnly")["required"] == ["name", "password"]
    plain = {"type": "object", "required": ["name"], "properties": {"name": {}}}
    assert view({}, plain, "readOnly") is plain  # nothing to change: not copied


def test_a_sibling_allof_member_declaring_the_property_counts() -> None:
    """PagerDuty's `Reference`: `allOf: [{$ref: base}, {required: [id]}]`, `id`
    declared `readOnly` in the base."""
    root = {"$defs": {"Base": {"properties": {"id": {"readOnly": True}}}}}
    schema = {"allOf": [{"$ref": "#/$defs/Base"}, {"required": ["id", "kind"]}]}
    assert view(root, schema, "readOnly")["allOf"][1] == {"required": ["kind"]}
    told = told_to_models(root, schema, in_requests=True)
    assert told[IN_RESPONSES] == ["id"] and told["allOf"][1] == {"required": ["kind"]}


def test_the_models_are_told_each_sides_names() -> None:
    told = told_to_models({}, ACCOUNT, in_requests=True)
    assert told["required"] == ["name"]
    assert (told[IN_RESPONSES], told[IN_REQUESTS]) == (["id"], ["password"])
    assert ACCOUNT["required"] == ["id", "name", "password"]  # copied, not edited


def test_a_component_no_request_reaches_keeps_its_read_only_names_required() -> None:
    told = told_to_models({}, ACCOUNT, in_requests=False)
    assert told["required"] == ["id", "name"]  # the password never comes back
    assert IN_RESPONSES not in told and IN_REQUESTS not in told


def test_a_document_without_one_sided_names_is_given_as_it_is() -> None:
    document = {"components": {"schemas": {"A": {"type": "object"}}}}
    assert models_document(document, {"A"}) is document


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("read_write_only")
    target = make_target(FIXTURE, PACKAGE, root, None, REPO_ROOT)
    for relative, content in generate_files(target).files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith(PACKAGE)]:
            del sys.modules[name]


def _models() -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


def _response(model: type[Any], data: dict[str, Any]) -> Any:
    base = importlib.import_module(f"{PACKAGE}._base")
    return model.model_validate(data, context=base.RESPONSE_CONTEXT)


def _missing(error: ValidationError) -> list[tuple[Any, ...]]:
    return [e["loc"] for e in error.errors() if e["type"] == "missing"]


def test_a_request_leaves_out_what_the_api_sets(package: ModuleType) -> None:
    account = _models().Account(name="Ada", password="correct-horse")
    assert account.model_dump(mode="json") == {
        "name": "Ada",
        "password": "correct-horse",
    }


def test_a_request_must_hold_its_write_only_password(package: ModuleType) -> None:
    with pytest.raises(ValidationError) as raised:
        _models().Account(name="Ada")
    assert _missing(raised.value) == [("password",)]


def test_a_response_comes_without_the_password(package: ModuleType) -> None:
    account = _response(
        _models().Account,
        {
            "id": "9b2f4c1e-5d6a-4b7c-8d9e-0f1a2b3c4d5e",
            "url": "https://api.example.test/a",
            "created_at": "2024-05-06T07:08:09Z",
            "name": "Ada",
        },
    )
    assert str(account.id) == "9b2f4c1e-5d6a-4b7c-8d9e-0f1a2b3c4d5e"


def test_a_response_must_hold_what_the_api_sets(package: ModuleType) -> None:
    with pytest.raises(ValidationError) as raised:
        _response(_models().Account, {"name": "Ada"})
    assert _missing(raised.value) == [("created_at",), ("id",), ("url",)]
    given = {"id": "9b2f4c1e-5d6a-4b7c-8d9e-0f1a2b3c4d5e", "url": "u"}
    given |= {"created_at": "2024-05-06T07:08:09Z", "name": "Ada"}
    with pytest.raises(ValidationError) as raised:
        _response(_models().Account, {**given, "profile": {"handle": "ada"}})
    assert _missing(raised.value) == [("profile", "verified_at")]  # inline objects too


def test_a_reference_sends_its_id_and_may_leave_it_out(package: ModuleType) -> None:
    """PagerDuty's references are `readOnly` `id`s the API needs in requests: sent
    when given, required in responses through the base class."""
    reference = _models().UserReference(id="PXPGF42", type="user_reference")
    assert reference.model_dump(mode="json") == {
        "id": "PXPGF42",
        "type": "user_reference",
    }
    with pytest.raises(ValidationError) as raised:
        _response(_models().UserReference, {"type": "user_reference"})
    assert _missing(raised.value) == [("id",)]


def test_a_response_only_schema_keeps_its_fields_plainly_typed(
    package: ModuleType,
) -> None:
    fields = _models().Audit.model_fields
    assert fields["id"].is_required()
    assert not fields["signature"].is_required()  # written only: never read back
    assert _models().Audit.__specgen_required_in_responses__ == frozenset()


def test_the_plain_data_of_a_request_requires_the_password(package: ModuleType) -> None:
    params = importlib.import_module(f"{PACKAGE}.params")
    assert "password" in params.AccountParam.__required_keys__
    assert "id" in params.AccountParam.__optional_keys__


def test_examples_of_each_side_are_judged_by_that_side() -> None:
    """The request example leaves out `id`, the response example the password,
    and the reference's example holds an `id` declared through a pointer into
    another schema: none is a warning, and each is what the tests send."""
    target = make_target(FIXTURE, PACKAGE, Path("unused"), None, REPO_ROOT)
    api = build_api_for(target).api
    assert api.warnings == ()
    create = next(op for op in api.operations if op.method_name == "create_account")
    assert create.request_body is not None
    assert create.body_example == {
        "name": "Ada",
        "password": "correct-horse",
        "profile": {"handle": "ada"},
    }


def test_the_readme_says_which_models_require_fields_on_one_side(
    package: ModuleType,
) -> None:
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert "marks `readOnly` (the API sets it: an `id`)" in readme
    assert "(in `Account`, `Reference`)" in readme
