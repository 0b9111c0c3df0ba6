"""Patterns the models cannot honour are generation warnings naming the JSON pointer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.conformance.ecma import ecma_pattern, matcher
from generator.conformance.patterns import check_patterns

SPEC = Path("spec.yaml")


def schema(**properties: object) -> dict[str, object]:
    return {
        "components": {
            "schemas": {"Thing": {"type": "object", "properties": properties}}
        }
    }


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("^(?<year>[0-9]{4})$", "named groups `(?<name>…)` are ECMA-only syntax"),
        ("^\\p{L}+$", "Unicode property escapes"),
        ("^[^]$", "an empty class"),
        ("^(unclosed$", "does not compile in Python"),
    ],
)
def test_unhonourable_pattern_is_a_warning_with_its_pointer(
    pattern: str, message: str
) -> None:
    (problem,) = check_patterns(
        schema(code={"type": "string", "pattern": pattern}), SPEC
    )
    assert problem.level.value == "warning"
    assert problem.pointer == "/components/schemas/Thing/properties/code/pattern"
    assert message in problem.message


def test_spec_example_breaking_its_own_pattern_is_a_warning() -> None:
    document = schema(
        code={"type": "string", "pattern": "^[a-z]+$", "examples": ["abc", "ABC"]}
    )
    (problem,) = check_patterns(document, SPEC)
    assert (
        problem.message
        == "the spec's own example 'ABC' does not match pattern '^[a-z]+$'"
    )


def test_good_patterns_are_silent_and_use_full_match_semantics() -> None:
    assert (
        check_patterns(
            schema(code={"type": "string", "pattern": "^[a-z]+$", "examples": ["abc"]}),
            SPEC,
        )
        == []
    )
    assert ecma_pattern("^a$") == "^a\\Z"
    end, digit = matcher("^a$"), matcher("^\\d$")
    assert end is not None and digit is not None
    assert end.search("a") and not end.search("a\n")
    assert not digit.search("٣"), "ECMA \\d is ASCII only"


def test_warnings_reach_the_command_line(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Thing:\n      type: object\n      properties:\n"
        "        code: {type: string, pattern: '^\\p{L}+$'}\n"
    )
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(spec),
            "--package",
            "things",
            "--output",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0
    assert (
        f"specgen: {spec}:9: warning: #/components/schemas/Thing/properties/code/pattern: pattern"
        in result.output
    )
