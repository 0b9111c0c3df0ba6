"""OpenAPI schemas as plain JSON Schema 2020-12, for the reference validator and generated tests."""

from __future__ import annotations

from typing import Any

_SCHEMA_REF = "#/components/schemas/"


_OPENAPI_ONLY = frozenset({"discriminator", "xml", "externalDocs", "example"})
_NAMED_SCHEMAS = frozenset(
    {"properties", "patternProperties", "$defs", "dependentSchemas"}
)
"""Keywords whose value maps names to schemas: a property may be called `example` or `nullable`."""
_VALUES = frozenset({"enum", "const", "default", "examples"})
"""Keywords whose value is data, not a schema: copied as they are."""


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    return [_copied(item) for item in value] if isinstance(value, list) else value


def to_json_schema(node: Any) -> Any:
    """An OpenAPI schema as plain JSON Schema 2020-12.

    `$ref`s point into `$defs`, and 3.0 `nullable` becomes a type.

    A new tree: dicts and lists are rebuilt, so nothing of `node` is shared or changed.
    OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become 2020-12's bounds.
    """
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _OPENAPI_ONLY:
            continue
        if key in _VALUES:
            result[key] = _copied(value)
        elif key in _NAMED_SCHEMAS and isinstance(value, dict):
            result[key] = {
                name: to_json_schema(schema) for name, schema in value.items()
            }
        else:
            result[key] = to_json_schema(value)
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        result["$ref"] = "#/$defs/" + ref[len(_SCHEMA_REF) :]
    if result.get("nullable") is True and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    if isinstance(result.get("nullable"), bool):
        del result["nullable"]
    for bound, exclusive in (
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ):
        if (
            isinstance(result.get(exclusive), bool)
            and result.pop(exclusive)
            and bound in result
        ):
            result[exclusive] = result.pop(bound)
    return result


def schema_definitions(document: dict[str, Any]) -> dict[str, Any]:
    """Every component schema of a normalised document, as JSON Schema `$defs`."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    return {name: to_json_schema(schema) for name, schema in schemas.items()}
