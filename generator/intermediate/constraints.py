"""What a parameter's schema documents beyond its type, and the type that checks all of it.

A generated client validates each parameter value before sending it, with
pydantic, against `Parameter.checked`: the parameter's type with JSON Schema's
strictness (`StrictInt`: `"1"` and `True` are no integers) and its constraints as
pydantic's `Field` arguments, `Annotated[StrictInt, Field(ge=1)]`. Patterns are
checked as the models check them (`generator.models.codegen`): on pydantic's
linear-time Rust engine, as the spec writes them, and only when Rust refuses one,
compiled for Python's `re` as ECMA-262 reads it. String formats are checked as
the models check them too: `format: email` and `format: uri` are the runtime's
`EmailStr` and `UriStr` (`_base.py`) in both, so a package whose parameters or
models take an email address depends on `email-validator` (`check_dependencies`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.conformance.ecma import (
    ecma_pattern,
    models_pattern,
    python_compiles,
    rust_rejects,
)
from generator.intermediate.model import Constraints, TypeRef
from generator.models.codegen import EMAIL_VALIDATOR
from generator.rendering.literals import data_literal, string_literal

STRICT = {
    "string": "StrictStr",
    "integer": "StrictInt",
    "number": "StrictFloat",
    "boolean": "StrictBool",
}
"""JSON Schema's types as pydantic checks them without coercion, as the models do."""

RUNTIME_BASE = "._base"
"""The generated package's `_base.py`, imported relatively by `_operations.py`."""

EMAIL = (RUNTIME_BASE, "EmailStr")

FORMAT_TYPES: dict[str, tuple[str, tuple[str, str]]] = {
    "uri": ("UriStr", (RUNTIME_BASE, "UriStr")),
    "ipv4": ("IPv4Address", ("ipaddress", "IPv4Address")),
    "ipv6": ("IPv6Address", ("ipaddress", "IPv6Address")),
    "time": ("time", ("datetime", "time")),
    "email": ("EmailStr", EMAIL),
    "idn-email": ("EmailStr", EMAIL),
}
"""String formats a parameter typed `str` is checked as (the text is what is sent);
email and URI as the models check them: pydantic's `EmailStr` would also take
`Jane <jane@example.com>`, which the models' refuses."""

UNIQUE_ITEMS = "unique_items"
"""The runtime's `_endpoint.unique_items`: pydantic has no `uniqueItems` of its own."""


def _number(value: Any) -> int | float | None:
    return (
        value
        if isinstance(value, int | float) and not isinstance(value, bool)
        else None
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def constraints_of(schema: dict[str, Any], kind: str | None) -> tuple[Constraints, str]:
    """The constraints of `schema` (of JSON type `kind`) a check can run, and why a
    documented pattern cannot be checked ("" when it can, or there is none)."""
    minimum, maximum = _number(schema.get("minimum")), _number(schema.get("maximum"))
    low, high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    # 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 gives the bound itself.
    ge = None if low is True else minimum
    gt = minimum if low is True else _number(low)
    le = None if high is True else maximum
    lt = maximum if high is True else _number(high)
    numbers: dict[str, Any] = {}
    if kind in ("integer", "number"):
        numbers = {
            "ge": ge,
            "gt": gt,
            "le": le,
            "lt": lt,
            "multiple_of": _number(schema.get("multipleOf")),
        }
    if kind == "string":
        pattern = schema.get("pattern")
        unusable = ""
        if (
            isinstance(pattern, str)
            and rust_rejects(pattern)
            and not python_compiles(pattern)
        ):
            unusable = f"pattern {pattern!r} is read by no regular expression engine"
        found = Constraints(
            min_length=_count(schema.get("minLength")),
            max_length=_count(schema.get("maxLength")),
            pattern=pattern if isinstance(pattern, str) and not unusable else None,
            format=schema.get("format")
            if schema.get("format") in FORMAT_TYPES
            else None,
        )
        return found, unusable
    if kind == "array":
        return Constraints(
            min_length=_count(schema.get("minItems")),
            max_length=_count(schema.get("maxItems")),
            unique_items=schema.get("uniqueItems") is True,
            counted="items",
        ), ""
    return Constraints(**numbers), ""


def check_dependencies(checks: Iterable[TypeRef]) -> tuple[str, ...]:
    """The requirements parameter checks of these types need besides pydantic."""
    uses_email = any(EMAIL in check.stdlib for check in checks)
    return EMAIL_VALIDATOR if uses_email else ()


def checked(base: TypeRef, constraints: Constraints) -> TypeRef:
    """`base` (a strict scalar or a list) with `constraints` as `Annotated` metadata."""
    if constraints.format is not None and constraints.pattern is None:
        # A formatted string is checked as its format (the text itself is sent);
        # pydantic runs no pattern on a format's type, so a pattern wins.
        annotation, needed = FORMAT_TYPES[constraints.format]
        base = TypeRef(annotation, stdlib=(needed,))
    arguments = [f"{name}={value!r}" for name, value in constraints.field_keywords]
    stdlib = list(base.stdlib)
    if constraints.pattern is not None:
        pattern = models_pattern(constraints.pattern)  # `\\d` as ECMA-262 means it
        if rust_rejects(pattern):
            compiled = string_literal(ecma_pattern(pattern))
            arguments.append(f"pattern=compile({compiled}, ASCII)")
            stdlib += [("re", "compile"), ("re", "ASCII")]
        else:
            arguments.append(f"pattern={data_literal(pattern)}")
    metadata = [f"Field({', '.join(arguments)})"] if arguments else []
    if constraints.unique_items:
        metadata.append(f"AfterValidator({UNIQUE_ITEMS})")
        stdlib.append(("pydantic", "AfterValidator"))
    if not metadata:
        return base
    if arguments:
        stdlib.append(("pydantic", "Field"))
    stdlib.append(("typing", "Annotated"))
    return TypeRef(
        f"Annotated[{base.annotation}, {', '.join(metadata)}]",
        base.models,
        tuple(dict.fromkeys(stdlib)),
    )


_NOT_A_MEMBER = "specgen-not-a-member"
_WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "1",
    "number": "1.5",
    "boolean": "yes",
    "array": "not-a-list",
}
"""A JSON value of another type than each kind: what a strict check refuses."""
_TYPED_FORMATS = frozenset({"uuid", "date-time", "date", *FORMAT_TYPES})
"""String formats a parameter is checked as a type of (its own, or `FORMAT_TYPES`)."""
_LONGEST = 1000
"""Longer strings than this are not made to break a `maxLength`."""


def breaking_value(
    schema: dict[str, Any], kind: str | None, constraints: Constraints
) -> tuple[bool, Any, str]:
    """A value the check of `schema` refuses, with what it breaks, for the generated
    tests: (found, value, rule). Only for a plain schema of one JSON type, whose
    keywords are all where `constraints_of` reads them."""
    if kind is None or {"oneOf", "anyOf", "allOf", "not", "$ref"} & set(schema):
        return False, None, ""
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return (
            (True, _NOT_A_MEMBER, "enum")
            if _NOT_A_MEMBER not in enum
            else (
                False,
                None,
                "",
            )
        )
    if kind in ("integer", "number"):
        one = 1 if kind == "integer" else 0.5
        for name, value in constraints.field_keywords:
            if name in ("ge", "le"):
                return True, value - one if name == "ge" else value + one, name
            if name in ("gt", "lt"):
                return True, value, name
    if kind == "string" and schema.get("format") in _TYPED_FORMATS:
        # A format's type may take other JSON types (a datetime, a number).
        return True, f"not valid as {schema['format']}", "format"
    if kind == "string":
        if constraints.max_length is not None and constraints.max_length < _LONGEST:
            return True, "a" * (constraints.max_length + 1), "max_length"
        if constraints.min_length:
            return True, "a" * (constraints.min_length - 1), "min_length"
    if kind in _WRONG_TYPE and "const" not in schema:
        return True, _WRONG_TYPE[kind], "type"
    return False, None, ""
