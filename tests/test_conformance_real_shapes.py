"""Shapes real specs use that the validation cases and the reference must read as the
models do (generator/conformance): typeless objects, discriminators, constant fields,
branches that take any JSON, keys holding a dot."""

from __future__ import annotations

from typing import Any

from generator.conformance.cases import CaseBuilder
from generator.conformance.json_schema import schema_definitions, to_json_schema
from generator.conformance.reference import Reference

REF = "#/components/schemas/"


def definitions(schemas: dict[str, Any]) -> dict[str, Any]:
    return schema_definitions({"components": {"schemas": schemas}})


def test_a_schema_with_properties_and_no_type_is_an_object() -> None:
    pet = {"required": ["id"], "properties": {"id": {"type": "integer"}}}
    assert to_json_schema(pet)["type"] == "object"
    assert Reference({"Pet": to_json_schema(pet)}).judge("Pet", None) is False
    assert "type" not in to_json_schema({"oneOf": [pet], "required": ["id"]})


def test_a_discriminator_branch_takes_only_its_tags() -> None:
    defined = definitions(
        {
            "Delta": {
                "oneOf": [{"$ref": REF + "Days"}, {"$ref": REF + "Cron"}],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"days": REF + "Days"},
                },
            },
            "Days": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Cron": {
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": ["cron"]}},
            },
        }
    )
    assert defined["Days"]["properties"]["kind"] == {"type": "string", "enum": ["days"]}
    assert defined["Days"]["required"] == ["kind"]
    assert defined["Cron"]["properties"]["kind"] == {"type": "string", "enum": ["cron"]}
    assert "required" not in defined["Cron"]  # it fixes its tag itself
    reference = Reference(defined)
    assert reference.judge("Days", {"kind": "other"}) is False
    assert reference.judge("Days", {"kind": "days"}) is True


def test_a_field_with_one_value_is_in_every_instance() -> None:
    builder = CaseBuilder(
        definitions(
            {
                "Track": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["track"]},
                        "name": {"type": "string"},
                    },
                }
            }
        ),
        [],
    )
    minimal = next(c for c in builder.cases("Track", False) if c.rule == "minimal")
    assert minimal.instance == {"type": "track"}


def test_no_unknown_field_case_where_a_branch_takes_any_json() -> None:
    schemas = {
        "Options": {"anyOf": [{"$ref": REF + "Config"}, {}]},
        "Config": {"type": "object", "properties": {"k": {"type": "integer"}}},
    }
    builder = CaseBuilder(definitions(schemas), [])
    assert builder.takes_any_object("Options")
    assert not builder.takes_any_object("Config")
    rules = {c.rule for c in builder.cases("Options", True)}
    assert "unknown-field" not in rules
    assert "unknown-field" in {c.rule for c in builder.cases("Config", True)}


def test_a_nullable_map_gets_no_unknown_field_case() -> None:
    """OpenAI's `VectorStoreFileAttributes`: `anyOf: [a map of numbers, strings and
    booleans, null]`; an unknown key holding 1 is one more entry, which it takes."""
    schemas = {
        "Attributes": {
            "anyOf": [
                {
                    "type": "object",
                    "maxProperties": 16,
                    "additionalProperties": {
                        "oneOf": [{"type": "string"}, {"type": "number"}]
                    },
                },
                {"type": "null"},
            ]
        },
    }
    builder = CaseBuilder(definitions(schemas), [])
    assert builder.takes_any_object("Attributes")
    assert "unknown-field" not in {c.rule for c in builder.cases("Attributes", True)}


def test_a_key_holding_a_dot_is_the_field_an_error_names() -> None:
    schemas = {
        "Body": {
            "type": "object",
            "required": ["Parameter1.Name"],
            "properties": {"Parameter1.Name": {"type": "string"}},
        }
    }
    cases = CaseBuilder(definitions(schemas), []).cases("Body", True)
    required = next(c for c in cases if c.rule == "required")
    assert required.field_name == "Parameter1.Name"


def _delta(open_text: bool = False, inline: bool = False) -> dict[str, Any]:
    """A `Choice` whose `delta` is a `oneOf` of two objects (ambiguous.yaml, TGI's
    ChatCompletionDelta): an instance with both branches' fields matches both."""
    text: dict[str, Any] = {
        "type": "object",
        "required": ["role", "content"],
        "properties": {"role": {"type": "string"}, "content": {"type": "string"}},
    }
    if open_text:
        text["additionalProperties"] = True
    calls = {
        "type": "object",
        "required": ["role", "calls"],
        "properties": {
            "role": {"type": "string"},
            "calls": {"type": "array", "items": {"type": "string"}},
        },
    }
    branches = [text, {"$ref": REF + "Calls"}] if inline else None
    return {
        "Text": text,
        "Calls": calls,
        "Delta": {
            "oneOf": branches or [{"$ref": REF + "Text"}, {"$ref": REF + "Calls"}]
        },
        "Choice": {
            "type": "object",
            "required": ["delta"],
            "properties": {"delta": {"$ref": REF + "Delta"}},
        },
    }


def _ambiguous(schemas: dict[str, Any], is_request: bool) -> list[Any]:
    cases = CaseBuilder(definitions(schemas), []).cases("Choice", is_request)
    return [c for c in cases if c.rule == "oneOf-ambiguous"]


def test_an_instance_of_two_open_branches_is_no_case_for_a_response_model() -> None:
    """A response model keeps unknown keys (`model_extra`), so each branch takes an
    instance holding both branches' fields: the model cannot refuse it."""
    assert _ambiguous(_delta(), is_request=False) == []
    assert _ambiguous(_delta(inline=True), is_request=False) == []


def test_an_instance_of_two_strict_branches_is_refused_in_a_request() -> None:
    """A request model refuses keys its schema does not declare: neither branch takes
    the other's fields, and the reference refuses the instance too."""
    (case,) = _ambiguous(_delta(), is_request=True)
    assert case.valid is False
    assert set(case.instance["delta"]) == {"role", "content", "calls"}
    assert len(_ambiguous(_delta(inline=True), is_request=True)) == 1


def test_a_branch_open_in_requests_too_takes_the_ambiguous_instance() -> None:
    """`additionalProperties: true` keeps unknown keys in requests as well."""
    assert _ambiguous(_delta(open_text=True), is_request=True) == []


def test_the_reference_judges_an_inline_schema_with_component_references() -> None:
    reference = Reference(definitions(_delta()))
    calls = {"allOf": [{"$ref": "#/$defs/Calls"}], "unevaluatedProperties": False}
    assert reference.judge_schema(calls, {"role": "a", "calls": []}) is True
    assert reference.judge_schema(calls, {"role": "a", "calls": [], "x": 1}) is False
    assert reference.judge_schema({"$ref": "#/$defs/Calls"}, {"role": "a"}) is False


def test_no_unknown_field_case_where_the_schema_allows_any_extra_key() -> None:
    """`additionalProperties: {}` is as open as `true`: the model keeps unknown keys
    in requests too (`__specgen_open__`), so it cannot refuse one."""
    for extra in ({}, True, {"type": "integer"}):
        schemas = {
            "Open": {
                "type": "object",
                "properties": {"k": {"type": "string"}},
                "additionalProperties": extra,
            }
        }
        rules = {
            c.rule for c in CaseBuilder(definitions(schemas), []).cases("Open", True)
        }
        assert "unknown-field" not in rules, extra


def test_no_unknown_field_case_where_an_allof_member_allows_extra_keys() -> None:
    """Spiff Arena's body, `allOf: [{$ref: Payload}]` over an open `Payload`: its
    class inherits `Payload`'s openness, so it keeps an unknown key in requests."""
    schemas = {
        "Payload": {"type": "object", "additionalProperties": True},
        "Body": {"allOf": [{"$ref": REF + "Payload"}], "nullable": True},
        "Closed": {"type": "object", "properties": {"k": {"type": "string"}}},
        "Strict": {"allOf": [{"$ref": REF + "Closed"}]},
    }
    builder = CaseBuilder(definitions(schemas), [])
    assert "unknown-field" not in {c.rule for c in builder.cases("Body", True)}
    assert "unknown-field" in {c.rule for c in builder.cases("Strict", True)}
