"""The reference validator: JSON Schema 2020-12 as the spec means it.

Generated models are checked against this, in generated tests and when
validation cases are made. Two things make it faithful to OpenAPI rather than
to Python: patterns follow ECMA-262 (`$` is the end of the string, `\\d` is
ASCII), and formats are checked where a checker is installed.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

_SCHEMA_REF = "#/components/schemas/"


def ecma_pattern(pattern: str) -> str:
    """Translate an ECMA-262 pattern to Python's `re`: an unescaped `$` outside a class is the very end."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma_pattern(pattern), re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    if isinstance(instance, str) and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


ReferenceValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


def to_json_schema(node: Any) -> Any:
    """An OpenAPI schema as plain JSON Schema 2020-12: `$ref`s into `$defs`, 3.0 `nullable` as a type."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: to_json_schema(value) for key, value in node.items() if key not in ("discriminator", "xml", "externalDocs", "example")}
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        result["$ref"] = "#/$defs/" + ref[len(_SCHEMA_REF) :]
    if result.pop("nullable", False) is True and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    return result


def schema_definitions(document: dict[str, Any]) -> dict[str, Any]:
    """Every component schema of a normalised document, as JSON Schema `$defs`."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    return {name: to_json_schema(copy.deepcopy(schema)) for name, schema in schemas.items()}


class Reference:
    """Validates instances of any component schema against the spec."""

    def __init__(self, definitions: dict[str, Any], *, check_formats: bool = False) -> None:
        self.definitions = definitions
        self.check_formats = check_formats
        """Off when making cases, so they never depend on which format checkers are installed."""
        self._validators: dict[str, Any] = {}

    def validator(self, name: str) -> Any:
        if name not in self._validators:
            schema = {"$ref": f"#/$defs/{name}", "$defs": self.definitions}
            checker = Draft202012Validator.FORMAT_CHECKER if self.check_formats else None
            self._validators[name] = ReferenceValidator(schema, format_checker=checker)
        return self._validators[name]

    def is_valid(self, name: str, instance: Any) -> bool:
        return bool(self.validator(name).is_valid(instance))
