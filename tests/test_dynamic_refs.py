"""`$recursiveRef` and `$dynamicRef` are read as the `$ref` they stand for
(generator/loading/dynamic_refs.py, at loading): the models, the reference
validator and the samples all see a recursive schema. The trait is OpenAI's
`CompoundFilter` (tests/fixtures/realworld_cases/more_vendor_shapes.yaml)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.loading.dynamic_refs import dynamic_refs_resolved
from tests.test_inline_class_names import document, models

REF = "#/components/schemas/"
SPEC = Path("openapi.yaml")

FILTERS = {
    "ComparisonFilter": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "key"],
        "properties": {
            "type": {"type": "string", "enum": ["eq", "ne"]},
            "key": {"type": "string"},
        },
    },
    "CompoundFilter": {
        "$recursiveAnchor": True,
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "filters"],
        "properties": {
            "type": {"type": "string", "enum": ["and", "or"]},
            "filters": {
                "type": "array",
                "items": {
                    "oneOf": [
                        {"$ref": REF + "ComparisonFilter"},
                        {"$recursiveRef": "#"},
                    ],
                    "discriminator": {"propertyName": "type"},
                },
            },
        },
    },
}
"""OpenAI's shape: the compound filter holds itself through its recursive anchor."""


def resolved(schemas: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    given = document(schemas)
    warnings = dynamic_refs_resolved(given, SPEC)
    return given["components"]["schemas"], [
        f"{w.pointer}: {w.message}" for w in warnings
    ]


def test_a_recursive_ref_is_a_ref_to_the_component_it_is_written_in() -> None:
    schemas, warnings = resolved(FILTERS)
    branches = schemas["CompoundFilter"]["properties"]["filters"]["items"]["oneOf"]
    assert branches[1] == {"$ref": REF + "CompoundFilter"}
    pointer = "/components/schemas/CompoundFilter/properties/filters/items/oneOf/1"
    assert warnings == [
        f"{pointer}: $recursiveRef is JSON Schema 2019-09's, not OpenAPI 3.1's; "
        "read as a $ref to CompoundFilter, which it is written in"
    ]


def test_the_models_nest_a_compound_filter_in_another() -> None:
    given = document(FILTERS)
    dynamic_refs_resolved(given, SPEC)
    module = models(given, "recursive_filters")
    nested = {"type": "or", "filters": [{"type": "eq", "key": "a"}]}
    data = {"type": "and", "filters": [nested, {"type": "ne", "key": "b"}]}
    built = module.CompoundFilter.model_validate(data)
    assert built.model_dump(mode="json", exclude_unset=True) == data
    with pytest.raises(ValidationError):  # a nested filter is no longer just anything
        module.CompoundFilter.model_validate({"type": "and", "filters": [{"a": 1}]})


def tree(ref: str) -> dict[str, Any]:
    return {
        "$dynamicAnchor": "node",
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$dynamicRef": ref}}},
    }


@pytest.mark.parametrize(
    ("ref", "target"),
    [
        ("#node", REF + "Tree"),
        ("#", REF + "Tree"),
        ("#/properties", REF + "Tree/properties"),
    ],
)
def test_a_dynamic_ref_is_a_ref_to_its_anchor_or_pointer(ref: str, target: str) -> None:
    schemas, warnings = resolved({"Tree": tree(ref)})
    assert schemas["Tree"]["properties"]["children"]["items"] == {"$ref": target}
    assert warnings == []


def test_an_anchor_declared_elsewhere_is_found_and_several_are_warned_about() -> None:
    given = {
        "Node": {"$dynamicAnchor": "node", "type": "object"},
        "Leaf": {"$dynamicAnchor": "node", "type": "string"},
        "List": {"type": "array", "items": {"$dynamicRef": "#node"}},
    }
    schemas, warnings = resolved(given)
    assert schemas["List"]["items"] == {"$ref": REF + "Node"}
    assert warnings == [
        "/components/schemas/List/items: $dynamicRef '#node': Node, Leaf declare "
        "its anchor; read as a $ref to Node's"
    ]


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"$dynamicRef": "#nowhere"}, "$dynamicRef '#nowhere' names no anchor"),
        (
            {"$dynamicRef": "other.json#x"},
            "$dynamicRef 'other.json#x' is not understood",
        ),
        ({"$recursiveRef": 1}, "$recursiveRef 1 is not understood"),
    ],
)
def test_a_reference_that_names_nothing_is_any_value_with_a_warning(
    node: dict[str, Any], message: str
) -> None:
    schemas, warnings = resolved({"Holder": {"type": "array", "items": node}})
    assert schemas["Holder"]["items"] == {}
    (warning,) = warnings
    assert warning.startswith(f"/components/schemas/Holder/items: {message}")


def test_a_document_without_them_is_left_as_it_is() -> None:
    given = document({"Tree": {"type": "object"}})
    before = copy.deepcopy(given)
    assert dynamic_refs_resolved(given, SPEC) == []
    assert given == before
