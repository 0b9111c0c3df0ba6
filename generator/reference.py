"""The reference validator: JSON Schema 2020-12 as the spec means it.

Generated models are checked against this, in generated tests and when
validation cases are made. Two things make it faithful to OpenAPI rather than
to Python: patterns follow ECMA-262 (`$` is the end of the string, `\\d` is
ASCII), and formats are checked where a checker is installed.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from generator.ecma import compiled



def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    if isinstance(instance, str) and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


ReferenceValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


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
