"""Examples of request bodies whose union branches all take them only with keys
their request models refuse (PagerDuty/api-schema 91a06fb, reference/REST/openapiv3.json:
`AlertGroupingSetting.config`, an `anyOf` of closed configurations whose examples
hold another configuration's fields): a warning, not a sample the tests send."""

from __future__ import annotations

from typing import Any

from generator.intermediate.samples import Samples

BODY = "/paths/~1settings/post/requestBody/content/application~1json/schema"
DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "components": {
        "schemas": {
            "Time": {"type": "object", "properties": {"timeout": {"type": "integer"}}},
            "Smart": {
                "type": "object",
                "properties": {"time_window": {"type": "integer"}},
            },
            "Open": {"type": "object", "additionalProperties": True},
        }
    },
}


def _samples(*branches: str) -> Samples:
    union = {"anyOf": [{"$ref": f"#/components/schemas/{b}"} for b in branches]}
    return Samples(DOCUMENT, {BODY: union})


def test_fields_no_branch_defines_are_named_from_the_closest_branch() -> None:
    value = {"aggregate": "all", "time_window": 900}
    assert _samples("Time", "Smart").unknown_fields(BODY, value) == ["aggregate"]


def test_a_value_one_branch_takes_whole_has_no_unknown_fields() -> None:
    assert _samples("Time", "Smart").unknown_fields(BODY, {"time_window": 900}) == []


def test_a_value_an_open_branch_takes_is_not_judged() -> None:
    value = {"aggregate": "all"}
    assert _samples("Time", "Open").unknown_fields(BODY, value) == []
