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
