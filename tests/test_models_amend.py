"""What datamodel-code-generator is told, or has amended, so real specs give typed,
complete models (generator/models/amend.py), and how the classes are read back."""

from __future__ import annotations

import ast
import sys
import types
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from generator.models.amend import (
    literals_as_members,
    nullable_objects_spelled_nullable,
    rebuild_incomplete,
    recursive_arrays_as_unions,
)
from generator.models.codegen import describe_classes, generate_models

REF = "#/components/schemas/"


def document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def models_of(schemas: dict[str, Any], name: str) -> tuple[str, types.ModuleType]:
    """The models module's source for `schemas`, and the module, imported.

    Its `pkg._base` is a stand-in: a bare pydantic model, and no unknown members.
    """
    source = generate_models(
        document(schemas), package="pkg", header="Test.", template_dir=None
    ).source
    base = types.ModuleType("pkg._base")
    base.ApiModel = type("ApiModel", (BaseModel,), {})  # type: ignore[attr-defined]
    base.unknown_member = lambda cls, value: None  # type: ignore[attr-defined]
    module = types.ModuleType(name)
    stand_ins = {"pkg": types.ModuleType("pkg"), "pkg._base": base, name: module}
    sys.modules.update(stand_ins)
    try:
        exec(compile(source, name, "exec"), module.__dict__)
    finally:
        for key in stand_ins:
            del sys.modules[key]
    return source, module


def test_a_recursive_array_is_an_anyof_for_the_generator_only() -> None:
    tree = {
        "type": "array",
        "description": "A tree.",
        "items": {"type": "object", "additionalProperties": {"$ref": REF + "Tree"}},
    }
    given = document({"Tree": tree, "Flat": {"type": "array", "items": {}}})
    changed = recursive_arrays_as_unions(given)
    assert changed["components"]["schemas"]["Tree"] == {
        "description": "A tree.",
        "anyOf": [{"type": "array", "items": tree["items"]}],
    }
    assert (
        changed["components"]["schemas"]["Flat"]
        is given["components"]["schemas"]["Flat"]
    )
    assert given["components"]["schemas"]["Tree"] is tree  # not edited
    nullable = document({"Tree": {**tree, "nullable": True}})
    assert recursive_arrays_as_unions(nullable) is nullable


def test_a_recursive_array_gets_its_item_type() -> None:
    tree = {
        "type": "array",
        "items": {"type": "object", "additionalProperties": {"$ref": REF + "Tree"}},
    }
    source, module = models_of({"Tree": tree}, "amend_tree")
    assert "RootModel[list]" not in source
    assert module.Tree.model_validate([{"a": [{}]}]).root[0]["a"].root == [{}]
    with pytest.raises(ValidationError):
        module.Tree.model_validate([1])
    assert module.Tree.__pydantic_complete__


def test_a_narrowed_enum_is_spelled_with_its_members() -> None:
    schemas = {
        "Invitation": {
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"type": "string", "enum": ["pending", "revoked"]}
            },
        },
        "Revoked": {
            "allOf": [
                {"$ref": REF + "Invitation"},
                {
                    "type": "object",
                    "properties": {"status": {"type": "string", "enum": ["revoked"]}},
                },
            ]
        },
    }
    source, module = models_of(schemas, "amend_narrowed")
    assert "Literal[Status.REVOKED]" in source, source
    revoked = module.Revoked.model_validate({"status": "revoked"})
    assert revoked.status is module.Status.REVOKED
    assert revoked.model_dump(mode="json") == {"status": "revoked"}
    with pytest.raises(ValidationError):
        module.Revoked.model_validate({"status": "pending"})


def test_literals_that_narrow_nothing_stay() -> None:
    source = (
        "class A(BaseModel):\n    kind: Literal['a']\n\n\n"
        "class B(A):\n    kind: Literal['b']\n"
    )
    assert literals_as_members(source) == source


def test_every_model_with_a_forward_reference_is_rebuilt() -> None:
    source = (
        "class A(BaseModel):\n    b: B | None = None\n\n\n"
        "class C(BaseModel):\n    a: A\n\n\n"
        "class B(BaseModel):\n    x: int\n\n\n"
        "class D(BaseModel):\n    a: A\n    note: str = Field(examples=['B'])\n\n\n"
        "A.model_rebuild()\n"
    )
    amended = rebuild_incomplete(source)
    assert amended.endswith("A.model_rebuild()\nC.model_rebuild()\n")
    assert rebuild_incomplete(amended) == amended


def test_models_referring_to_later_ones_are_complete_at_import() -> None:
    """Qdrant's filters: datamodel-code-generator rebuilds `Filter`, not `Nested`."""
    schemas = {
        "Nested": {
            "type": "object",
            "required": ["filter"],
            "properties": {"filter": {"$ref": REF + "Filter"}},
        },
        "Filter": {
            "type": "object",
            "properties": {
                "should": {
                    "anyOf": [
                        {"$ref": REF + "Condition"},
                        {"type": "array", "items": {"$ref": REF + "Condition"}},
                        {"nullable": True},
                    ]
                }
            },
        },
        "Condition": {
            "anyOf": [
                {"$ref": REF + "Leaf"},
                {"$ref": REF + "NestedCondition"},
                {"$ref": REF + "Filter"},
            ]
        },
        "NestedCondition": {
            "type": "object",
            "required": ["nested"],
            "properties": {"nested": {"$ref": REF + "Nested"}},
        },
        "Leaf": {"type": "object", "properties": {"key": {"type": "string"}}},
    }
    _, module = models_of(schemas, "amend_forward")
    incomplete = [
        name
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__pydantic_generic_metadata__["origin"] is None
        and not value.__pydantic_complete__
    ]
    assert incomplete == []


def test_a_password_is_a_string_not_a_secret() -> None:
    schemas = {
        "Login": {
            "type": "object",
            "properties": {"password": {"type": "string", "format": "password"}},
        }
    }
    source, module = models_of(schemas, "amend_password")
    assert "SecretStr" not in source
    login = module.Login.model_validate({"password": "hunter2"})
    assert login.model_dump(mode="json", exclude_unset=True) == {"password": "hunter2"}


def test_a_root_model_over_an_enum_is_no_enum() -> None:
    source = (
        "class Colour(StrEnum):\n    RED = 'red'\n\n\n"
        "class MaybeColour(RootModel[Colour | None]):\n    root: Colour | None\n"
    )
    described = describe_classes(ast.parse(source))
    assert (described["Colour"].kind, described["MaybeColour"].kind) == ("enum", "root")


def test_a_31_nullable_map_keeps_its_value_type() -> None:
    words = {"type": "string", "minLength": 1}
    schemas = {
        "Names": {
            "type": "object",
            "properties": {
                "names": {"type": ["object", "null"], "additionalProperties": words}
            },
        }
    }
    given = {**document(schemas), "openapi": "3.1.0"}
    told = nullable_objects_spelled_nullable(given)
    assert told["components"]["schemas"]["Names"]["properties"]["names"] == {
        "type": "object",
        "nullable": True,
        "additionalProperties": words,
    }
    assert given["components"]["schemas"]["Names"]["properties"]["names"]["type"] == [
        "object",
        "null",
    ]
    _, module = models_of(schemas, "amend_nullable_map")
    assert module.Names.model_validate({"names": None}).names is None
    with pytest.raises(ValidationError):
        module.Names.model_validate({"names": {"en": ""}})
