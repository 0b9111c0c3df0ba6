"""OpenAPI schemas as plain JSON Schema 2020-12, for the reference validator and generated tests."""

from __future__ import annotations

from typing import Any

from generator.pointers import SCHEMA_PREFIX
from generator.schema_keywords import reads_as_object

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

    `$ref`s point into `$defs`, and 3.0 `nullable` becomes a type. A schema
    with object keywords and no `type` (`properties`, `required`) is an object:
    JSON Schema would take any non-object too, but OpenAPI tools, the models
    among them, read it as an object, and so do the authors of such specs.

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
    if reads_as_object(result):
        result["type"] = "object"
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
        result["$ref"] = "#/$defs/" + ref[len(SCHEMA_PREFIX) :]
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
    """Every component schema of a normalised document, as JSON Schema `$defs`.

    A schema that is a branch of a `discriminator`, unless it fixes its tag
    itself, requires the property and takes only its tags there (the mapping's
    keys for it, else its name): OpenAPI says so, and the models check it even
    where the schema is used alone. JSON Schema has no discriminator, so the
    reference would take any value.
    """
    schemas = (document.get("components") or {}).get("schemas") or {}
    definitions = {name: to_json_schema(schema) for name, schema in schemas.items()}
    for (name, tag_property), tags in discriminator_tags(document).items():
        schema = definitions.get(name)
        if not isinstance(schema, dict):
            continue
        properties = schema.get("properties")
        declared = (
            properties.get(tag_property) if isinstance(properties, dict) else None
        )
        if isinstance(declared, dict) and {"enum", "const"} & set(declared):
            continue  # the schema fixes its tag itself, and says whether it is required
        if isinstance(properties, dict) and isinstance(declared, dict):
            properties[tag_property] = {**declared, "enum": tags}
        else:
            only = {"properties": {tag_property: {"enum": tags}}}
            schema["allOf"] = [*(schema.get("allOf") or []), only]
        required = schema.get("required")
        held = required if isinstance(required, list) else []
        if tag_property not in held:
            schema["required"] = [*held, tag_property]
    return definitions


def discriminator_tags(document: Any) -> dict[tuple[str, str], list[Any]]:
    """(component, property) → the tags a discriminator anywhere in `document` gives it."""
    found: dict[tuple[str, str], list[Any]] = {}
    todo, seen = [document], 0
    while todo and seen < 1_000_000:
        node, seen = todo.pop(), seen + 1
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        todo.extend(v for k, v in node.items() if k not in _VALUES)
        discriminator = node.get("discriminator")
        if not (
            isinstance(discriminator, dict)
            and isinstance(discriminator.get("propertyName"), str)
        ):
            continue
        raw = discriminator.get("mapping")
        mapping: dict[str, Any] = raw if isinstance(raw, dict) else {}
        for key in ("oneOf", "anyOf"):
            for branch in node.get(key) or []:
                ref = _branch_ref(branch)
                if not (isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX)):
                    continue
                name = ref[len(SCHEMA_PREFIX) :]
                tags = [t for t, target in mapping.items() if target in (ref, name)]
                held = found.setdefault((name, discriminator["propertyName"]), [])
                held += [t for t in tags or [name] if t not in held]
    return found


def _branch_ref(branch: Any) -> Any:
    """The `$ref` of a union branch, also when a nullable class's null wraps it
    (`anyOf: [{$ref}, {type: null}]`, as `with_nullable_spelled` writes it)."""
    if not isinstance(branch, dict):
        return None
    if "$ref" in branch:
        return branch["$ref"]
    for key in ("anyOf", "oneOf"):
        members = [
            m
            for m in branch.get(key) or []
            if not (isinstance(m, dict) and m.get("type") == "null")
        ]
        if len(members) == 1 and isinstance(members[0], dict):
            return members[0].get("$ref")
    return None
