"""An `enum` beside `allOf: [{$ref: AnEnum}]` admits its own values only, in the models
too (generator/loading/narrowed_enums.py, in normalisation), so the branches of a
`oneOf` that such fields tell apart stay apart (Discord's rules, one `trigger_type`
per kind)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from generator.loading.normalize import normalize
from tests.test_inline_class_names import document, models

REF = "#/components/schemas/"
TRIGGER = {
    "type": "integer",
    "format": "int32",
    "oneOf": [
        {"title": "KEYWORD", "const": 1},
        {"title": "SPAM", "const": 3, "description": "Spam."},
        {"title": "PROFILE", "const": 6},
    ],
}
"""Discord's way of writing an enum: a `oneOf` of constants with titles."""


def narrowed(values: list[Any], kind: str = "integer") -> dict[str, Any]:
    return {"type": kind, "enum": values, "allOf": [{"$ref": REF + "Trigger"}]}


def strings(required: list[str] | None = None, *names: str) -> dict[str, Any]:
    """An object whose properties `names` are arrays of strings."""
    words = {"type": "array", "items": {"type": "string"}}
    return {
        "type": "object",
        "required": required or [],
        "properties": dict.fromkeys(names, words),
    }


def rule(trigger: list[Any], metadata: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["trigger_type", "metadata"],
        "properties": {
            "trigger_type": narrowed(trigger),
            "metadata": {"$ref": REF + metadata},
        },
    }


SCHEMAS = {
    "Trigger": TRIGGER,
    "KeywordRule": rule([1], "KeywordMetadata"),
    "ProfileRule": rule([6], "ProfileMetadata"),
    "KeywordMetadata": strings(["keywords"], "keywords"),
    "ProfileMetadata": strings(None, "words"),
    "AnyRule": {"oneOf": [{"$ref": REF + "KeywordRule"}, {"$ref": REF + "ProfileRule"}]},
    "SomeRule": {"type": "object", "properties": {"trigger_type": narrowed([3, 6])}},
}  # fmt: skip


def test_the_enum_is_spelled_as_the_values_it_leaves() -> None:
    schemas = normalize(document(SCHEMAS))["components"]["schemas"]
    assert schemas["KeywordRule"]["properties"]["trigger_type"] == {
        "type": "integer",
        "enum": [1],
    }
    assert schemas["SomeRule"]["properties"]["trigger_type"]["enum"] == [3, 6]
    assert schemas["Trigger"] == TRIGGER


@pytest.mark.parametrize(
    ("schema", "target", "enum"),
    [
        (narrowed([1, 2, 3]), TRIGGER, [1, 3]),  # 2 is no Trigger: refused either way
        (narrowed([1, True, 1.0]), TRIGGER, [1, 1.0]),  # true is no integer
        (narrowed(["a", "b"], "string"), {"type": "string", "enum": ["b", "c"]}, ["b"]),
        (
            narrowed(["b"], "string"),
            {"anyOf": [{"const": "b"}, {"enum": ["c"]}]},
            ["b"],
        ),
    ],
)
def test_only_values_the_reference_admits_are_kept(
    schema: dict[str, Any], target: dict[str, Any], enum: list[Any]
) -> None:
    given = document({"Trigger": target, "Rule": {"properties": {"value": schema}}})
    normal = normalize(given)["components"]["schemas"]
    assert normal["Rule"]["properties"]["value"]["enum"] == enum


@pytest.mark.parametrize(
    "target",
    [
        {"type": "object", "properties": {"a": {"type": "string"}}},  # no value list
        {"type": "integer", "enum": [1, 2], "minimum": 2},  # more than values
        {"oneOf": [{"const": 1}, {"type": "integer", "minimum": 5}]},
    ],
)
def test_an_enum_beside_other_schemas_is_kept_as_written(
    target: dict[str, Any],
) -> None:
    given = document(
        {"Trigger": target, "Rule": {"properties": {"value": narrowed([1])}}}
    )
    normal = normalize(given)["components"]["schemas"]
    assert normal["Rule"]["properties"]["value"] == narrowed([1])


def test_an_enum_that_admits_nothing_is_kept_as_written() -> None:
    given = document(
        {"Trigger": TRIGGER, "Rule": {"properties": {"value": narrowed([2])}}}
    )
    normal = normalize(given)["components"]["schemas"]
    assert normal["Rule"]["properties"]["value"] == narrowed([2])


def test_the_models_admit_only_the_listed_values() -> None:
    module = models(document(SCHEMAS), "narrowed_rules")
    keyword = {"trigger_type": 1, "metadata": {"keywords": ["spam"]}}
    assert module.KeywordRule.model_validate(keyword).trigger_type == 1
    with pytest.raises(ValidationError):
        module.KeywordRule.model_validate({**keyword, "trigger_type": 6})
    some = module.SomeRule
    assert some.model_validate({"trigger_type": 3}).model_dump() == {"trigger_type": 3}
    with pytest.raises(ValidationError):
        some.model_validate({"trigger_type": 1})


def test_the_branches_of_a_one_of_are_told_apart_by_the_narrowed_field() -> None:
    """A profile rule without `metadata.keywords` is no keyword rule, and a keyword rule
    without `metadata` is neither."""
    module = models(document(SCHEMAS), "narrowed_one_of")
    profile = module.AnyRule.model_validate({"trigger_type": 6, "metadata": {}})
    assert isinstance(profile.root, module.ProfileRule)
    with pytest.raises(ValidationError):
        module.AnyRule.model_validate({"trigger_type": 1, "metadata": {}})
    with pytest.raises(ValidationError):
        module.AnyRule.model_validate({"trigger_type": 1})
