"""An inline object that takes `{}` alone, given a class that refuses every key.

Box writes OpenAPI 3.0's "null schema type" as a branch, `anyOf: [{$ref:
SignRequestSignerInputValidation}, {type: object, nullable: true,
additionalProperties: false}]`. Inline, datamodel-code-generator reads the object
as `dict[str, Any]`: any object was taken, `{"validation_type": null}` among
them. A component schema saying the same becomes a class without fields and
with `extra="forbid"`, so each inline one refers to such a component, added
once (`EmptyObject`, numbered past a name the spec uses).
"""

from __future__ import annotations

from typing import Any

from generator.models.rewrite import rewritten
from generator.pointers import SCHEMA_PREFIX
from generator.schema_keywords import INSTANCE_KEYWORDS

NAME = "EmptyObject"
_EMPTY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "An object without any key.",
}
_OPEN_TO = frozenset({"patternProperties", "properties", "oneOf", "anyOf", "allOf"})
_KEEPS = frozenset({"type", "nullable", "additionalProperties", "title", "description"})
"""What a closed empty object may say besides: more (`not`, bounds) is left as it is."""


def empty_objects_classed(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each inline closed empty object a `$ref` to one such component.

    Copied where it changes, never edited.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    name = _free_name(schemas)
    target = {"$ref": SCHEMA_PREFIX + name}

    def classed(node: dict[str, Any]) -> dict[str, Any]:
        if not _closed_empty(node):
            return node
        return {**target, "nullable": True} if node.get("nullable") is True else target

    changed = False
    result: dict[str, Any] = {}
    for key, schema in schemas.items():
        if not isinstance(schema, dict):
            result[key] = schema
            continue
        inner = {
            k: v
            if k in INSTANCE_KEYWORDS or str(k).startswith("x-")
            else rewritten(v, classed, str(k))
            for k, v in schema.items()
        }
        if any(inner[k] is not schema[k] for k in schema):
            changed = True
            result[key] = inner
        else:
            result[key] = schema
    if not changed:
        return document
    result[name] = dict(_EMPTY)
    return {**document, "components": {**document["components"], "schemas": result}}


def _closed_empty(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        and schema.get("additionalProperties") is False
        and not _OPEN_TO & set(schema)
        and set(schema) <= _KEEPS
    )


def _free_name(schemas: dict[str, Any]) -> str:
    if NAME not in schemas:
        return NAME
    number = 1
    while f"{NAME}{number}" in schemas:
        number += 1
    return f"{NAME}{number}"
