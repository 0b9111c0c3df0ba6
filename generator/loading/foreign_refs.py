"""Schema `$ref`s to schemas outside `components/schemas`, put in place.

A schema may refer to one written elsewhere in the document: PagerDuty's
`type: {$ref: '#/components/parameters/method_type/schema'}` reuses a query
parameter's enum. Nothing downstream has a name for such a schema: the
reference validator knows the component schemas only (it failed with an
internal error), and the models would name a class after the word `schema`.
Each such reference is replaced by what it refers to, or by a reference to the
component schema its chain of references ends at.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.loading.loader import is_schema_position
from generator.loading.schema_walk import schema_mappings
from generator.pointers import SCHEMA_PREFIX, resolve_pointer, schema_name

_ROUNDS = 16
"""Most times a copy put in place is looked at again for references of its own: a
schema that holds itself this way is no finite schema, and is read as any value."""
_CHAIN = 64
"""Most references followed from one."""


def foreign_refs_put_in_place(document: dict[str, Any]) -> None:
    """Replace (in place) each schema's `$ref` to a schema outside `components/schemas`."""
    for _ in range(_ROUNDS):
        found = [
            node
            for pointer, node in schema_mappings(document)
            if _is_foreign(node.get("$ref")) and is_schema_position(pointer)
        ]
        if not found:
            return
        for node in found:
            target = _followed(document, node["$ref"])
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node.clear()
            node.update({**target, **siblings})
    for pointer, node in schema_mappings(document):
        if _is_foreign(node.get("$ref")) and is_schema_position(pointer):
            del node["$ref"]


def _is_foreign(ref: Any) -> bool:
    """Whether `ref` is a local reference to no component schema (nor into one)."""
    return (
        isinstance(ref, str)
        and ref.startswith("#/")
        and not ref.startswith(SCHEMA_PREFIX)
    )


def _followed(document: dict[str, Any], ref: str) -> dict[str, Any]:
    """What `ref` finally stands for: a copy of the schema, or `{"$ref": component}`
    when its chain reaches a component schema; `{}` when it leads nowhere."""
    for _ in range(_CHAIN):
        if schema_name(ref) is not None or ref.startswith(SCHEMA_PREFIX):
            return {"$ref": ref}
        try:
            target = resolve_pointer(document, ref[1:])
        except KeyError:
            return {}
        if not isinstance(target, dict):
            return {}
        following = target.get("$ref")
        if not (isinstance(following, str) and following.startswith("#")):
            return copy.deepcopy(target)
        ref = following
    return {}
