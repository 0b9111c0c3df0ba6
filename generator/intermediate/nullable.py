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

_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
"""Keywords mapping names to schemas: a property may be called `nullable`."""
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_VALUES = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"}
)
_ANNOTATIONS = frozenset({"title", "description", "default", "readOnly", "writeOnly", "deprecated", "example", "examples", "externalDocs", "xml"})
"""Kept on the outside when a nullable schema is wrapped: they describe the whole value."""
_NULL = {"type": "null"}


def is_null_schema(schema: Any) -> bool:
    """Whether a schema accepts null and nothing else: `{type: "null"}`, `{const: null}`, `{enum: [null]}`."""
    if not isinstance(schema, dict):
        return False
    return schema.get("type") == "null" or ("const" in schema and schema["const"] is None) or schema.get("enum") == [None]


def declares_nullable(schema: Any) -> bool:
    """Whether a schema says null is allowed beside its other values, by any of the idioms."""
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    if schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(isinstance(schema.get(key), list) and any(is_null_schema(b) for b in schema[key]) for key in ("anyOf", "oneOf"))


def spell_nullable(schema: Any) -> Any:
    """A copy of `schema` with every 3.0 `nullable` said as JSON Schema 2020-12 says it.

    `{type: T, nullable: true}` → `{type: [T, "null"]}` (and `null` added to an
    enum, which would refuse it); beside `$ref`, `allOf`, `oneOf` or `anyOf` →
    `{anyOf: [<the schema>, {type: "null"}]}`. Without any of those,
    `nullable` adds nothing (OpenAPI 3.0.3: it only extends `type`), as
    datamodel-code-generator reads it.
    """
    if isinstance(schema, list):
        return [spell_nullable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            result[key] = {name: spell_nullable(item) for name, item in value.items()}
        elif (key in _SCHEMA_LISTS and isinstance(value, list)) or (key in _SCHEMA_VALUES and isinstance(value, dict)):
            result[key] = spell_nullable(value)
        else:
            result[key] = value
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
    if not {"$ref", "allOf", "oneOf", "anyOf", "enum", "const"} & set(result):
        return result
    outer = {key: value for key, value in result.items() if key in _ANNOTATIONS}
    inner = {key: value for key, value in result.items() if key not in _ANNOTATIONS}
    return {**outer, "anyOf": [inner, dict(_NULL)]}


def with_nullable_spelled(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with its component schemas through `spell_nullable`, for the reference validator's view."""
    components = document.get("components") or {}
    schemas = components.get("schemas") or {}
    if not isinstance(schemas, dict):
        return document
    spelled = {name: spell_nullable(schema) for name, schema in schemas.items()}
    return {**document, "components": {**components, "schemas": spelled}}
