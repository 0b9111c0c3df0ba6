"""The validation cases grow with the spec, not with its square, and still cover every rule.

A vendor spec of 1,300 schemas once made 38,670 cases in a 34.8 MB
`validation_cases.json`: each model's instance held, whole, every schema it
reached, and was mutated everywhere inside them. Each model's cases are now
about its own fields; the schemas it reaches are shown whole by their own cases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.conformance.cases import CaseBuilder, ValidationCase
from generator.conformance.json_schema import to_json_schema
from generator.intermediate.model import Api
from generator.naming import PythonIdentifier
from tests.judgements import disagreements, with_instances


def stored(definitions: dict[str, Any]) -> tuple[dict[str, Any], list[ValidationCase]]:
    """`validation_cases.json` for `definitions`, and the cases it stores."""
    builder = CaseBuilder(definitions, [])
    cases = [
        case for name in definitions for case in builder.cases(name, is_request=False)
    ]
    api = Api(
        title="t",
        version="1",
        description="",
        package=PythonIdentifier("p"),
        distribution="p",
        spec_label="s.yaml",
        servers=(),
        operations=(),
        security_schemes=(),
        model_names=tuple(definitions),
        validation_cases=tuple(cases),
        schema_definitions=definitions,
    )
    return json.loads(api.validation_data), cases


def fanning_out(levels: int) -> dict[str, Any]:
    """Schemas `L0`…: each with a field of every rule kind and two optional references to the next.

    The values a `L0` instance could hold double with each level.
    """
    definitions: dict[str, Any] = {}
    for level in range(levels):
        fields: dict[str, Any] = {
            "name": {
                "type": "string",
                "pattern": "^[a-z]+$",
                "minLength": 1,
                "maxLength": 5000,
                "examples": ["abc"],
            },
            "count": {"type": "integer", "minimum": 0, "maximum": 10},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "tags": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": 300,
            },
        }
        if level + 1 < levels:
            fields |= {
                "left": {"$ref": f"#/$defs/L{level + 1}"},
                "right": {"$ref": f"#/$defs/L{level + 1}"},
            }
        definitions[f"L{level}"] = {
            "type": "object",
            "required": ["name", "tags"],
            "properties": fields,
        }
    return definitions


def test_cases_and_their_file_grow_linearly_when_references_fan_out() -> None:
    small, small_cases = stored(fanning_out(5))
    big, big_cases = stored(fanning_out(10))
    assert len(big_cases) <= 2.2 * len(small_cases), (len(small_cases), len(big_cases))
    size = len(json.dumps(big["cases"])), len(json.dumps(small["cases"]))
    assert size[0] <= 2.2 * size[1], size
    assert size[0] / len(big_cases) < 400, "no case embeds a big instance"
    assert disagreements(big) == []


def test_every_model_keeps_every_rule_kind_and_checks_what_it_holds() -> None:
    _, cases = stored(fanning_out(4))
    kinds = {
        "required",
        "type",
        "null",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
    }
    for model in ("L0", "L1", "L2", "L3"):
        own = [case for case in cases if case.model == model and not case.inside]
        assert {case.rule for case in own if not case.valid} == kinds, model
    l0 = [case for case in cases if case.model == "L0" and case.inside]
    assert {case.inside for case in l0 if not case.valid} == {("left",), ("right",)}, (
        "one check inside each held schema"
    )
    assert len(l0) == 2, "and no more: L1's rules are L1's cases"


def test_long_bounds_are_stored_as_growth_and_rebuilt() -> None:
    data, cases = stored(fanning_out(2))
    growing = [case for case in data["cases"] if "grow" in case]
    assert {case["rule"] for case in growing} == {"maxLength", "maxItems"}
    assert all(len(json.dumps(case)) < 300 for case in growing)
    assert [case["instance"] for case in with_instances(data["cases"])] == [
        case.instance for case in cases
    ]
    rebuilt = {case["id"]: case["instance"] for case in with_instances(data["cases"])}
    assert len(rebuilt["L1-name-maxLength"]["name"]) == 5001
    assert len(rebuilt["L1-tags-maxItems"]["tags"]) == 301


def test_a_field_holding_a_schema_holds_its_minimal_instance() -> None:
    definitions = {
        "Parent": {
            "type": "object",
            "properties": {
                "child": {"$ref": "#/$defs/Child"},
                "note": {"type": "string"},
            },
        },
        "Child": {
            "type": "object",
            "required": ["code"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z]+$"},
                "extra": {"type": "integer"},
            },
        },
    }
    builder = CaseBuilder(definitions, ["abc"])
    parent = {case.rule: case for case in builder.cases("Parent", is_request=False)}
    assert parent["maximal"].instance == {"child": {"code": "abc"}, "note": "xxxxxxxx"}
    child = {case.rule: case for case in builder.cases("Child", is_request=False)}
    assert child["maximal"].instance == {"code": "abc", "extra": 1}


def test_openapi_3_0_bounds_and_fields_named_like_keywords_survive_translation() -> (
    None
):
    schema = {
        "type": "object",
        "nullable": True,
        "properties": {
            "example": {
                "type": "integer",
                "minimum": 0,
                "exclusiveMinimum": True,
                "example": 3,
            },
            "nullable": {"type": "boolean"},
        },
        "example": {"example": 1},
        "default": {"nullable": True},
    }
    assert to_json_schema(schema) == {
        "type": ["object", "null"],
        "properties": {
            "example": {"type": "integer", "exclusiveMinimum": 0},
            "nullable": {"type": "boolean"},
        },
        "default": {"nullable": True},
    }
    assert to_json_schema({"maximum": 5, "exclusiveMaximum": False}) == {"maximum": 5}


def test_a_spec_whose_smallest_instance_is_exponential_generates_in_bounded_time(
    tmp_path: Path,
) -> None:
    """Nine required fields of nine required fields ... of a string: 9**9 values from 4 KB.

    The models whose instances would pass the budget get no cases; generation ends.
    """
    import subprocess
    import sys

    spec = (
        Path(__file__).parent / "fixtures" / "hostile_loading" / "local_ref_bomb.yaml"
    )
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    command += ["--package", "bomb", "--output", str(tmp_path / "out")]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    cases = (tmp_path / "out" / "tests" / "validation_cases.json").read_text()
    assert len(cases) < 1_000_000
