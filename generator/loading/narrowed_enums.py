"""An `enum` beside `allOf: [{$ref: AnEnum}]`, spelled as the values it leaves.

`{type: integer, enum: [4], allOf: [{$ref: TriggerType}]}` admits 4 alone, but
datamodel-code-generator writes it `TriggerType`, every member of it: the
`enum` is dropped, and the branches of a `oneOf` told apart by such fields
(Discord's `trigger_type` of each rule kind) can no longer be. When every
`allOf` member refers to a schema that only lists values (`enum`, `const`, or
a `oneOf`/`anyOf` of those, with annotations), the schema is `enum: [4]`
alone, which it writes `Literal[4]` (several values: an enum class of them).
"""

from __future__ import annotations

from typing import Any

from generator.pointers import resolve_pointer

_ANNOTATIONS = frozenset(
    {"title", "description", "format", "deprecated", "examples", "example", "default"}
)
"""Keywords beside a value list that admit every value (`format` is no assertion here)."""
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


def narrow_enum(node: dict[str, Any], document: dict[str, Any]) -> None:
    """Spell `node`'s `enum` beside an `allOf` of value lists as its admitted values, in place.

    `document` is what its `$ref`s point into; `node`'s own subschemas are not visited.
    """
    enum, members = node.get("enum"), node.get("allOf")
    if not (isinstance(enum, list) and isinstance(members, list) and members):
        return
    allowed = [_listed_values(member, document, 0) for member in members]
    if any(values is None for values in allowed):
        return
    kept = [
        value
        for value in enum
        if _has_type(value, node.get("type"))
        and all(_among(value, values or []) for values in allowed)
    ]
    if kept:  # none: unsatisfiable, kept as written rather than spelled `enum: []`
        del node["allOf"]
        node["enum"] = kept


def _listed_values(
    schema: Any, document: dict[str, Any], depth: int
) -> list[Any] | None:
    """The values `schema` admits when it only lists values, else None."""
    if not isinstance(schema, dict) or depth > 32:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if len(schema) > 1 or not ref.startswith("#"):
            return None
        try:
            target = resolve_pointer(document, ref[1:])
        except KeyError:
            return None
        return _listed_values(target, document, depth + 1)
    rest = {
        key
        for key in schema
        if key not in _ANNOTATIONS and not key.startswith("x-") and key != "type"
    }
    if rest == {"enum"} and isinstance(schema["enum"], list):
        values = schema["enum"]
    elif rest == {"const"}:
        values = [schema["const"]]
    elif (
        len(rest) == 1
        and rest <= {"oneOf", "anyOf"}
        and isinstance(schema[next(iter(rest))], list)
    ):
        values = []
        for branch in schema[next(iter(rest))]:
            listed = _listed_values(branch, document, depth + 1)
            if listed is None:
                return None
            values.extend(listed)
    else:
        return None
    return [value for value in values if _has_type(value, schema.get("type"))]


def _has_type(value: Any, kinds: Any) -> bool:
    """Whether `value` is of JSON Schema `type` `kinds` (a name, a list, or absent)."""
    if kinds is None:
        return True
    return any(
        _is(value, kind) for kind in (kinds if isinstance(kinds, list) else [kinds])
    )


def _is(value: Any, kind: Any) -> bool:
    types = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    if types is None:
        return True  # a type this does not know: not for it to refuse
    if isinstance(value, bool):
        return bool(kind == "boolean")
    if kind == "integer":
        return isinstance(value, int) or (
            isinstance(value, float) and value.is_integer()
        )
    return isinstance(value, types)


def _among(value: Any, values: list[Any]) -> bool:
    """JSON equality: `1` is not `true`, `1` is `1.0`."""
    return any(
        isinstance(value, bool) == isinstance(other, bool) and value == other
        for other in values
    )
