"""OpenAPI schemas as plain JSON Schema 2020-12, for the reference validator and generated tests."""

from __future__ import annotations

from typing import Any

_SCHEMA_REF = "#/components/schemas/"


def to_json_schema(node: Any) -> Any:
    """An OpenAPI schema as plain JSON Schema 2020-12: `$ref`s into `$defs`, 3.0 `nullable` as a type.

    A new tree: dicts and lists are rebuilt, so nothing of `node` is shared or changed.
    """
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
    return {name: to_json_schema(schema) for name, schema in schemas.items()}
