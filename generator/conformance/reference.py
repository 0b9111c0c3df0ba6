"""The reference validator: JSON Schema 2020-12 as the spec means it.

Validation cases are judged by it, thousands of times for a big spec, so it is
jsonschema-rs (compiled, and compiling each model's schemas once) rather than
python-jsonschema, which spent seconds resolving `$ref`s. Two things make it
faithful to OpenAPI rather than to any one library: `pattern` is our own
keyword, running ECMA-262 semantics through `generator.conformance.ecma` (`$` is the end of
the string, `\\d` is ASCII), exactly like the python-jsonschema reference of the
generated tests, which checks every stored judgement again; and formats are not
checked, so cases never depend on which format checkers are installed.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from generator.conformance.ecma import compiled

_DEFINITIONS = "urn:specgen:definitions"
"""Where the component schemas live for the validator: `#/$defs/<name>` below it."""


class _EcmaPattern:
    """The `pattern` keyword, as ECMA-262 reads the pattern."""

    def __init__(self, parent_schema: dict[str, Any], value: str, schema_path: list[str | int]) -> None:
        self.pattern = value

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not compiled(self.pattern).search(instance):
            raise ValueError(f"{instance!r} does not match {self.pattern!r}")


class Reference:
    """Validates instances of any component schema against the spec."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {str(name): schema for name, schema in definitions.items()}}
        self._registry = jsonschema_rs.Registry([(_DEFINITIONS, document)])
        self._validators: dict[str, Any] = {}

    def validator(self, name: str) -> Any:
        if name not in self._validators:
            self._validators[name] = jsonschema_rs.Draft202012Validator(
                {"$ref": f"{_DEFINITIONS}#/$defs/{name}"}, registry=self._registry, keywords={"pattern": _EcmaPattern}, validate_formats=False
            )
        return self._validators[name]

    def is_valid(self, name: str, instance: Any) -> bool:
        return bool(self.validator(name).is_valid(instance))
