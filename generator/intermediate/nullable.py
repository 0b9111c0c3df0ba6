"""OpenAPI's nullable idioms, spelled the one way JSON Schema 2020-12 reads them.

datamodel-code-generator reads every idiom as nullable: 3.0 `nullable: true`
beside `type`, `$ref`, `allOf`, `oneOf` or `anyOf`, and 3.1 `type: [T, "null"]`,
`anyOf`/`oneOf` with a `{type: "null"}` or `{const: null}` branch. The
reference validator reads plain JSON Schema, where `nullable` means nothing, so
its view of a 3.0 schema must say null the 2020-12 way or the generated tests
would expect the models to refuse a null they rightly accept. The client's
annotations (`generator.intermediate.build`) use `is_null_schema` and
`declares_nullable` to agree with both.
"""

from __future__ import annotations

from typing import Any

from generator.pointers import SCHEMA_PREFIX
from generator.schema_keywords import (
    ANNOTATIONS,
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_VALUES,
)

_SCHEMA_VALUES = frozenset({*SCHEMA_VALUES, "items"})
"""Keywords holding one schema, `items` among them (OpenAPI gives it one schema)."""
_NULL = {"type": "null"}
_SHAPED = frozenset({"$ref", "allOf", "oneOf", "anyOf", "enum", "const"})
"""Keywords beside which `nullable` makes a union with null."""
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "patternProperties"}
)
"""Keywords that make a schema without `type` an object."""


def is_null_schema(schema: Any) -> bool:
    """Whether a schema accepts null and nothing else: `{type: "null"}`, `{const:
    null}`, `{enum: [null]}`.
    """
    if not isinstance(schema, dict):
        return False
    return (
        schema.get("type") == "null"
        or ("const" in schema and schema["const"] is None)
        or schema.get("enum") == [None]
    )


def declares_nullable(schema: Any) -> bool:
    """Whether a schema says null is allowed beside its other values, by any of the idioms."""
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    if schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(
        isinstance(schema.get(key), list)
        and any(is_null_schema(b) for b in schema[key])
        for key in ("anyOf", "oneOf")
    )


def nullable_classes(schemas: Any) -> frozenset[str]:
    """The component schemas that allow null at their top but become a class, which cannot be None.

    datamodel-code-generator makes a class of an object (or `allOf`, or enum)
    schema even when it is nullable, and types every use of it `X | None`
    instead: `with_nullable_spelled` moves the null to the uses the same way.
    """
    if not isinstance(schemas, dict):
        return frozenset()
    found = set()
    for name, schema in schemas.items():
        if not isinstance(schema, dict) or not _nullable_top(schema):
            continue
        kinds = schema.get("type")
        concrete = [
            k
            for k in (kinds if isinstance(kinds, list) else [kinds])
            if k not in (None, "null")
        ]
        shaped = concrete == ["object"] or (
            not concrete and bool({"properties", "allOf"} & set(schema))
        )
        if (shaped or isinstance(schema.get("enum"), list)) and not {
            "oneOf",
            "anyOf",
        } & set(schema):
            found.add(str(name))
    return frozenset(found)


def _nullable_top(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    return schema.get("nullable") is True or (
        isinstance(kinds, list) and "null" in kinds
    )


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A nullable component schema without its own null (its uses carry it)."""
    result = {key: value for key, value in schema.items() if key != "nullable"}
    kinds = result.get("type")
    if isinstance(kinds, list):
        kept = [k for k in kinds if k != "null"]
        result["type"] = kept[0] if len(kept) == 1 else kept
    if isinstance(result.get("enum"), list):
        result["enum"] = [v for v in result["enum"] if v is not None]
    return result


def spell_nullable(schema: Any, classes: frozenset[str] = frozenset()) -> Any:
    """A copy of `schema` with every 3.0 `nullable` said as JSON Schema 2020-12 says it.

    `{type: T, nullable: true}` → `{type: [T, "null"]}` (and `null` added to an
    enum, which would refuse it); beside `$ref`, `allOf`, `oneOf` or `anyOf` →
    `{anyOf: [<the schema>, {type: "null"}]}`; beside object keywords alone
    (`properties`, `required`...) → `{type: [object, "null"]}`. Without any of
    those, `nullable` adds nothing (OpenAPI 3.0.3: it only extends `type`), as
    datamodel-code-generator reads it. A `$ref` to one of `classes`
    (`nullable_classes`) allows null too.
    """
    if isinstance(schema, list):
        return [spell_nullable(item, classes) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {
                name: spell_nullable(item, classes) for name, item in value.items()
            }
        elif (key in SCHEMA_LISTS and isinstance(value, list)) or (
            key in _SCHEMA_VALUES and isinstance(value, dict)
        ):
            result[key] = spell_nullable(value, classes)
        else:
            result[key] = value
    ref = result.get("$ref")
    if (
        isinstance(ref, str)
        and ref.startswith(SCHEMA_PREFIX)
        and ref[len(SCHEMA_PREFIX) :] in classes
    ):
        result["nullable"] = True
    nullable = result.pop("nullable", None)
    if nullable is not True:
        return result
    kinds = result.get("type")
    if isinstance(kinds, str | list):
        listed = [kinds] if isinstance(kinds, str) else list(kinds)
        result["type"] = listed if "null" in listed else [*listed, "null"]
        if isinstance(result.get("enum"), list) and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
        return result
    if _OBJECT_KEYWORDS & set(result) and not _SHAPED & set(result):
        # An object by its keywords alone, as the models (and `to_json_schema`) read
        # it: PagerDuty's `created_by: {nullable: true, properties: ...}`.
        result["type"] = ["object", "null"]
        return result
    if not _SHAPED & set(result):
        return result
    # Annotations stay outside the wrapped schema: they describe the whole value.
    outer = {key: value for key, value in result.items() if key in ANNOTATIONS}
    inner = {key: value for key, value in result.items() if key not in ANNOTATIONS}
    return {**outer, "anyOf": [inner, dict(_NULL)]}


def with_nullable_spelled(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with its component schemas through `spell_nullable`, for the reference
    validator's view.

    A component in `nullable_classes` loses its own null, which each use gets:
    the class refuses None, and every field or body of it is `X | None`.
    """
    components = document.get("components") or {}
    schemas = components.get("schemas") or {}
    if not isinstance(schemas, dict):
        return document
    classes = nullable_classes(schemas)
    spelled = {
        name: spell_nullable(_not_null(schema) if name in classes else schema, classes)
        for name, schema in schemas.items()
    }
    return {**document, "components": {**components, "schemas": spelled}}


def type_refuses_null(schema: Any) -> bool:
    """Whether a schema's own `type` refuses null whatever its branches say.

    JSON Schema applies every keyword of a schema, so `{type: object, oneOf:
    [{$ref: File}, ...]}` refuses null even where `File` says `nullable: true`
    (OpenAPI 3.0.3: `nullable` only extends the `type` beside it).
    """
    if not isinstance(schema, dict) or schema.get("nullable") is True:
        return False
    kinds = schema.get("type")
    if isinstance(kinds, str):
        return kinds != "null"
    return isinstance(kinds, list) and bool(kinds) and "null" not in kinds
