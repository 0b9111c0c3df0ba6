"""JSON Schema's keywords by what their values hold, for every stage that walks schemas.

The shape check, the nullable spelling and the model builder each walk a
schema into its subschemas or set its annotations apart; they agree on which
keywords are which because they read them here. Tuples keep document order,
so what is reported while walking them comes out in the same order each run.
"""

from __future__ import annotations

from typing import Any

SCHEMA_MAPS = (
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
)
"""Keywords mapping names to schemas: a property may be called `nullable` or `items`."""
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
"""Keywords holding a list of schemas."""
SCHEMA_VALUES = (
    "not",
    "additionalProperties",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
)
"""Keywords holding one schema. `items` is apart: drafts 4 to 7 also let it hold a list."""
ANNOTATIONS = (
    "title",
    "description",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "externalDocs",
    "xml",
)
"""Keywords that describe a value without constraining it."""
INSTANCE_KEYWORDS = frozenset({"default", "example", "examples", "enum", "const"})
"""Keywords whose values are instances, not schemas: never walked into."""
TYPE_NAMES = frozenset(
    {"null", "boolean", "object", "array", "number", "integer", "string"}
)
"""The values `type` may hold."""
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "definitions",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "variables",
        "content",
        "encoding",
        "examples",
        "links",
        "callbacks",
        "securitySchemes",
        "requestBodies",
        "pathItems",
        "paths",
        "webhooks",
        "mapping",
    }
)
"""Mappings keyed by names the spec chose: a key there named `default`, `enum`... is a
name (of a property, a schema), not a keyword; and the mapping itself is no schema."""

OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "patternProperties"}
)
"""Keywords that apply to objects alone."""
SHAPING_KEYWORDS = frozenset(
    {"$ref", "allOf", "anyOf", "oneOf", "enum", "const", "not"}
)
"""Keywords that give a schema its shape without `type`."""


def reads_as_object(schema: dict[str, Any]) -> bool:
    """Whether a schema without `type` is read as an object: it says only what
    objects have (`properties`, a map's `additionalProperties`), nothing shaping it
    otherwise. JSON Schema would take any non-object too; OpenAPI tools, the
    models and the reference validator among them, and the specs' authors, read an
    object."""
    return (
        "type" not in schema
        and bool(OBJECT_KEYWORDS & set(schema))
        and not SHAPING_KEYWORDS & set(schema)
    )
