"""What `allOf` members and referenced defaults mean, as the generated models enforce it
(generator/models/allof_members.py, overrides.py, referenced_defaults.py)."""

from __future__ import annotations

import types
from enum import Enum
from typing import Any

import pytest
from pydantic import ValidationError

from generator.models.codegen import generate_models
from generator.models.overrides import refused_overrides_flattened
from tests.standalone import import_models

REF = "#/components/schemas/"


def models_of(schemas: dict[str, Any], name: str) -> types.ModuleType:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    source = generate_models(
        document, package="pkg", header="Test.", template_dir=None
    ).source
    return import_models(source, name)


REQUEST = {
    "type": "object",
    "properties": {
        "assignee": {"type": "string"},
        "window": {"type": "object", "properties": {"start": {"type": "string"}}},
        "note": {"type": "string", "default": "none"},
    },
}


def inside_a_property(*members: dict[str, Any]) -> dict[str, Any]:
    """A body whose `data` is an inline `allOf` (a component's is read whole already)."""
    return {"type": "object", "properties": {"data": {"allOf": list(members)}}}


def test_a_member_that_only_requires_makes_the_properties_required() -> None:
    schemas = {
        "Request": REQUEST,
        "Body": inside_a_property(
            {"$ref": REF + "Request"},
            {"type": "object", "required": ["assignee", "window", "note"]},
        ),
    }
    models = models_of(schemas, "required_only")
    with pytest.raises(ValidationError) as raised:
        models.Body.model_validate({"data": {"note": "x"}})
    assert {e["loc"] for e in raised.value.errors()} == {
        ("data", "assignee"),
        ("data", "window"),
    }
    body = models.Body.model_validate(
        {"data": {"assignee": "a", "window": {}, "note": "x"}}
    )
    assert isinstance(body.data, models.Request)  # still the schema it refines
    assert type(body.data.window) is type(models.Request(window={}).window)
    assert models.Request.model_validate({}).note == "none"


def test_a_requirement_declared_through_an_alias_and_a_chain_of_allof() -> None:
    schemas = {
        "Request": REQUEST,
        "Alias": {"$ref": REF + "Request"},
        "Middle": {"allOf": [{"$ref": REF + "Alias"}, {"type": "object"}]},
        "Body": inside_a_property({"$ref": REF + "Middle"}, {"required": ["assignee"]}),
    }
    models = models_of(schemas, "required_chain")
    with pytest.raises(ValidationError):
        models.Body.model_validate({"data": {}})
    assert models.Body.model_validate({"data": {"assignee": "a"}}).data.assignee == "a"


def test_a_requirement_nobody_declares_is_a_key_of_any_value() -> None:
    schemas = {
        "Request": REQUEST,
        "Body": inside_a_property({"$ref": REF + "Request"}, {"required": ["nobody"]}),
    }
    models = models_of(schemas, "required_undeclared")
    with pytest.raises(ValidationError, match="nobody"):
        models.Body.model_validate({"data": {"assignee": "a"}})
    assert models.Body.model_validate({"data": {"nobody": [1]}}).data.nobody == [1]


def rate_schemas() -> dict[str, Any]:
    return {
        "User": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Placeholder": {"type": "object", "properties": {"label": {"type": "string"}}},
        "Rate": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "resource": {"$ref": REF + "User"},
                "rate": {"type": "number"},
            },
        },
        "PlaceholderRate": {
            "allOf": [
                {"$ref": REF + "Rate"},
                {
                    "type": "object",
                    "properties": {"resource": {"$ref": REF + "Placeholder"}},
                },
            ]
        },
        "RequiredRate": {
            "allOf": [
                {"$ref": REF + "Rate"},
                {
                    "type": "object",
                    "required": ["rate"],
                    "properties": {"rate": {"type": "number", "minimum": 0}},
                },
            ]
        },
    }


def test_a_member_that_re_types_a_field_holds_the_fields_instead_of_inheriting() -> (
    None
):
    models = models_of(rate_schemas(), "retyped")
    assert not issubclass(models.PlaceholderRate, models.Rate)
    rate = models.PlaceholderRate.model_validate(
        {"resource": {"label": "x"}, "rate": 1.5}
    )
    assert isinstance(rate.resource, models.Placeholder)
    assert rate.rate == 1.5
    with pytest.raises(ValidationError, match="other"):  # Rate's closed config holds
        models.PlaceholderRate.model_validate({"other": 1})


def test_an_override_mypy_takes_keeps_the_subclass() -> None:
    models = models_of(rate_schemas(), "narrowed")
    assert issubclass(models.RequiredRate, models.Rate)
    with pytest.raises(ValidationError):
        models.RequiredRate.model_validate({})


def test_flattening_merges_the_config_and_keeps_other_bases() -> None:
    source = '''
from pydantic import BaseModel, ConfigDict

class Base(BaseModel):
    """Base."""
    model_config = ConfigDict(extra="forbid")
    a: int
    """The a."""
    b: str


class Mixin(BaseModel):
    c: int = 0


class Child(Base, Mixin):
    """Child."""
    model_config = ConfigDict(populate_by_name=True)
    b: bytes
'''
    flattened = refused_overrides_flattened(source)
    namespace: dict[str, Any] = {}
    exec(compile(flattened, "flattened", "exec"), namespace)
    child = namespace["Child"]
    assert [b.__name__ for b in child.__bases__] == ["BaseModel", "Mixin"] or [
        b.__name__ for b in child.__bases__
    ] == ["Mixin"]
    assert list(child.model_fields) == ["c", "a", "b"]
    assert child.model_config["extra"] == "forbid"
    assert child.model_config["populate_by_name"] is True
    assert child.__doc__ == "Child."
    assert child.model_fields["a"].description is None  # docstrings stay as written
    assert '"""The a."""' in flattened
    assert refused_overrides_flattened(flattened) == flattened


def enum_schemas() -> dict[str, Any]:
    kinds = {"type": "string", "enum": ["SLACK", "EMAIL", "TEAMS"]}
    return {
        "Kind": kinds,
        "Base": {"type": "object", "properties": {"kind": {"$ref": REF + "Kind"}}},
        "Same": {
            "allOf": [
                {"$ref": REF + "Base"},
                {"type": "object", "properties": {"kind": {**kinds, "nullable": True}}},
            ]
        },
        "Narrowed": {
            "allOf": [
                {"$ref": REF + "Base"},
                {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": ["SLACK", "TEAMS"]}
                    },
                },
            ]
        },
    }


def test_an_enum_restated_over_a_referenced_one_is_that_enum() -> None:
    models = models_of(enum_schemas(), "enum_same")
    same = models.Same.model_validate({"kind": None})
    assert same.kind is None
    assert models.Same.model_validate({"kind": "EMAIL"}).kind is models.Kind.EMAIL


def test_an_enum_narrowed_over_a_referenced_one_refuses_the_values_it_leaves_out() -> (
    None
):
    models = models_of(enum_schemas(), "enum_narrowed")
    kind = type(models.Narrowed.model_validate({"kind": "SLACK"}).kind)
    assert issubclass(kind, Enum)
    assert [m.value for m in kind] == ["SLACK", "TEAMS"]
    assert len(kind.__members__) == 2  # no repeated members
    with pytest.raises(ValidationError):
        models.Narrowed.model_validate({"kind": "EMAIL"})


def test_a_referenced_default_takes_no_null() -> None:
    schemas = {
        "Mode": {
            "type": "string",
            "enum": ["DOCKER", "BUILDPACKS"],
            "default": "DOCKER",
        },
        "Count": {"type": "integer", "minimum": 1, "default": 2},
        "Tags": {"type": "array", "items": {"type": "string"}, "default": ["web"]},
        "App": {
            "type": "object",
            "required": ["required_mode"],
            "properties": {
                "mode": {"$ref": REF + "Mode"},
                "count": {"$ref": REF + "Count", "description": "How many."},
                "tags": {"$ref": REF + "Tags"},
                "required_mode": {"$ref": REF + "Mode"},
            },
        },
    }
    models = models_of(schemas, "referenced_defaults")
    app = models.App.model_validate({"required_mode": "BUILDPACKS"})
    assert app.mode is models.Mode.DOCKER
    assert app.count.root == 2
    assert app.tags.root == ["web"]
    for field in ("mode", "count", "tags"):
        with pytest.raises(ValidationError) as raised:
            models.App.model_validate({"required_mode": "DOCKER", field: None})
        assert raised.value.errors()[0]["loc"][0] == field
    with pytest.raises(ValidationError):
        models.Tags.model_validate(None)
    with pytest.raises(ValidationError):  # required stays required, default or not
        models.App.model_validate({})


def test_a_requirement_of_a_property_the_holder_declares_keeps_its_type() -> None:
    holder = inside_a_property({"$ref": REF + "Request"}, {"required": ["extra"]})
    holder["properties"]["data"]["properties"] = {"extra": {"type": "integer"}}
    models = models_of({"Request": REQUEST, "Body": holder}, "required_beside")
    with pytest.raises(ValidationError, match="extra"):
        models.Body.model_validate({"data": {}})
    with pytest.raises(ValidationError, match="integer"):
        models.Body.model_validate({"data": {"extra": "x"}})
    assert models.Body.model_validate({"data": {"extra": 1}}).data.extra == 1


RESPONSE_PROPERTIES = {
    "type": "object",
    "properties": {
        "top_logprobs": {
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}],
        },
    },
}
"""OpenAI's `ModelResponseProperties`: `top_logprobs` may be null."""


def test_a_typed_declaration_over_an_inline_union_is_what_the_model_takes() -> None:
    """OpenAI's `CreateModelResponseProperties` says `top_logprobs` is an integer
    up to 20: null and 21 are refused, as the spec's `allOf` refuses them."""
    schemas = {
        "ModelResponseProperties": RESPONSE_PROPERTIES,
        "CreateModelResponseProperties": {
            "allOf": [
                {"$ref": REF + "ModelResponseProperties"},
                {
                    "type": "object",
                    "properties": {
                        "top_logprobs": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 20,
                            "description": "At most 20.",
                        }
                    },
                },
            ]
        },
    }
    module = models_of(schemas, "union_override")
    model = module.CreateModelResponseProperties
    assert model.model_validate({"top_logprobs": 20}).model_dump()["top_logprobs"] == 20
    for refused in (None, 21):
        with pytest.raises(ValidationError):
            model.model_validate({"top_logprobs": refused})
    base = module.ModelResponseProperties.model_validate({"top_logprobs": None})
    assert base.top_logprobs is None
