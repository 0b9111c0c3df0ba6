"""The reference validator: JSON Schema 2020-12 as the spec means it.

Validation cases are judged by it, thousands of times for a big spec, so it is
jsonschema-rs (compiled, and keeping the validators of the models being judged,
`_KEPT`) rather than python-jsonschema, which spent seconds resolving `$ref`s. Two things make it
faithful to OpenAPI rather than to any one library: `pattern` is our own
keyword, matching ECMA-262 patterns in linear time through
`generator.conformance.ecma` (`$` is the end of the string, `\\d` is ASCII)
on the same engine and rewritten pattern as the python-jsonschema reference of
the generated tests, which checks every stored judgement again; and formats are
not checked, so cases never depend on which format checkers are installed.

A judgement that needs a pattern no linear-time engine takes is undecided
(`judge` returns None): the spec chose the pattern, and a backtracking engine
would let it choose how long generation takes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

import jsonschema_rs

from generator.conformance.ecma import matcher

_DEFINITIONS = "urn:specgen:definitions"
"""Where the component schemas live for the validator: `#/$defs/<name>` below it."""
_KEPT = 64
"""Validators kept compiled. Each holds every schema its model reaches, so keeping all of a
1,500-schema spec's took 120 MB; callers judge one model (or body) at a time."""


class _Verdict:
    """Set when the judgement under way needed a pattern without a linear-time matcher."""

    undecided = False


class _EcmaPattern:
    """The `pattern` keyword, as ECMA-262 reads the pattern."""

    verdict: ClassVar[_Verdict]

    def __init__(
        self, parent_schema: dict[str, Any], value: str, schema_path: list[str | int]
    ) -> None:
        self.pattern = value

    def validate(self, instance: Any) -> None:
        if not isinstance(instance, str):
            return
        found = matcher(self.pattern)
        if found is None:
            self.verdict.undecided = True
            raise ValueError(f"{self.pattern!r} cannot be matched in linear time")
        if not found.search(instance):
            raise ValueError(f"{instance!r} does not match {self.pattern!r}")


class Reference:
    """Validates instances of any component schema against the spec."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {str(name): schema for name, schema in definitions.items()},
        }
        self._registry = jsonschema_rs.Registry([(_DEFINITIONS, document)])
        self._validators: OrderedDict[str, Any] = OrderedDict()
        self._verdict = _Verdict()
        self._pattern = type("_Pattern", (_EcmaPattern,), {"verdict": self._verdict})

    def validator(self, name: str) -> Any:
        if name in self._validators:
            self._validators.move_to_end(name)
        else:
            self._validators[name] = jsonschema_rs.Draft202012Validator(
                {"$ref": f"{_DEFINITIONS}#/$defs/{name}"},
                registry=self._registry,
                keywords={"pattern": self._pattern},
                validate_formats=False,
            )
            if len(self._validators) > _KEPT:
                self._validators.popitem(last=False)
        return self._validators[name]

    def judge(self, name: str, instance: Any) -> bool | None:
        """Whether `instance` is a valid `name`; None when only a backtracking engine could tell."""
        self._verdict.undecided = False
        valid = bool(self.validator(name).is_valid(instance))
        return None if self._verdict.undecided else valid

    def is_valid(self, name: str, instance: Any) -> bool:
        """`judge`, with an undecided instance counted as invalid."""
        return self.judge(name, instance) is True

    def judge_schema(self, schema: dict[str, Any], instance: Any) -> bool | None:
        """`judge` for a schema that is no component (a `oneOf` branch written inline):
        its `#/$defs/…` references name the component schemas. Not kept compiled.
        """
        self._verdict.undecided = False
        validator = jsonschema_rs.Draft202012Validator(
            _absolute(schema, 0),
            registry=self._registry,
            keywords={"pattern": self._pattern},
            validate_formats=False,
        )
        valid = bool(validator.is_valid(instance))
        return None if self._verdict.undecided else valid


def _absolute(node: Any, depth: int) -> Any:
    """`node` with each `#…` reference made one into the definitions' document."""
    if depth > 256:
        return node
    if isinstance(node, list):
        return [_absolute(item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _DEFINITIONS + value
        if key == "$ref" and isinstance(value, str) and value.startswith("#")
        else _absolute(value, depth + 1)
        for key, value in node.items()
    }
