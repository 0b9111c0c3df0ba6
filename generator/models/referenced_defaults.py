"""Defaults a referenced schema gives, stated where datamodel-code-generator would make them
a reason to take null.

Qovery's `build_mode: {$ref: BuildModeEnum}`, whose component says
`default: DOCKER`, becomes `build_mode: BuildModeEnum | None = "DOCKER"`: the
default is taken from the component, but the field, having none of its own,
is made nullable, and a `null` the spec refuses is accepted. An array
component with a default becomes `RootModel[list[int] | None]` the same way.
Stated on the property (for a property that is not required: a required one
is sent whatever its default), and `nullable: false` stated on the array, the
same default comes without the null.
"""

from __future__ import annotations

from typing import Any

from generator.models.rewrite import schemas_rewritten
from generator.pointers import follow_refs
from generator.schema_keywords import ANNOTATIONS

_BESIDE_A_REF = frozenset(ANNOTATIONS) - {"default"}
"""What a property may say beside its `$ref` and still take the referenced default."""


def referenced_defaults_stated(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with those defaults stated; copied where it changes, never edited."""

    def state(node: dict[str, Any]) -> dict[str, Any]:
        properties = node.get("properties")
        if not isinstance(properties, dict):
            return node
        required = node.get("required")
        required = set(required) if isinstance(required, list) else set()
        stated = {
            name: {**schema, "default": default}
            for name, schema in properties.items()
            if name not in required
            and (default := _referenced_default(document, schema)) is not _NONE
        }
        if not stated:
            return node
        return {**node, "properties": {**properties, **stated}}

    stated = schemas_rewritten(document, state)
    schemas = (stated.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return stated
    arrays = {
        name: {**schema, "nullable": False}
        for name, schema in schemas.items()
        if _is_defaulted_array(schema)
    }
    if not arrays:
        return stated
    components = {**stated["components"], "schemas": {**schemas, **arrays}}
    return {**stated, "components": components}


_NONE = object()
"""No default to state (`None` is a default a schema may give)."""


def _referenced_default(document: dict[str, Any], schema: Any) -> Any:
    """The default the schema `schema` refers to gives, if `schema` says only its `$ref`."""
    if not (
        isinstance(schema, dict)
        and isinstance(schema.get("$ref"), str)
        and all(k == "$ref" or k in _BESIDE_A_REF or k.startswith("x-") for k in schema)
    ):
        return _NONE
    target = follow_refs(document, {"$ref": schema["$ref"]})
    if (
        not isinstance(target, dict)
        or "default" not in target
        or "$ref" in target
        or target.get("type") == "object"
        or "properties" in target
    ):
        return _NONE
    return target["default"]


def _is_defaulted_array(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "array"
        and "default" in schema
        and "nullable" not in schema
    )
