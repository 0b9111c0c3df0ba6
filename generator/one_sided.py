"""Properties required on one side of the API only: OpenAPI's `readOnly` and `writeOnly`.

OpenAPI (3.0 and 3.1) says a required property marked `readOnly` is required in
responses only, and one marked `writeOnly` in requests only: the API sets an
`id` or a `created_at`, and a client sends a `password` it never gets back.
Code-first pipelines write both directions into one component that way
(drf-spectacular: every `id`; PagerDuty's references). Read as plain `required`,
such a component makes a client invent an `id` to create an object, and refuse
the API's answer that leaves out the password it was sent.

Each stage sees one side through these functions: the models
(`generator.models.codegen`), and the reference validator's two views of the
schemas (`generator.intermediate.definitions`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

from generator.models.rewrite import MAX_DEPTH, rewritten
from generator.pointers import follow_refs

Side = Literal["readOnly", "writeOnly"]
"""The flag that makes a required property required on one side only."""
IN_RESPONSES = "x-specgen-required-in-responses"
"""Told to the models' template: the properties this class requires in responses only."""
IN_REQUESTS = "x-specgen-required-in-requests"
"""Told to the models' template: the properties this class requires in requests only."""


def side_of(root: Any, schema: Any) -> Side | None:
    """The one flag `schema` (a property's) carries, itself, through its `$ref`s or in
    an `allOf` member; None when it carries neither, or both."""
    flags: set[str] = set()
    pending = [schema]
    seen = 0
    while pending and seen < MAX_DEPTH:
        seen += 1
        node = pending.pop()
        if not isinstance(node, dict):
            continue
        flags |= {f for f in ("readOnly", "writeOnly") if node.get(f) is True}
        if isinstance(node.get("$ref"), str):
            pending.append(follow_refs(root, {"$ref": node["$ref"]}))
        members = node.get("allOf")
        pending.extend(members if isinstance(members, list) else ())
    if flags == {"readOnly"}:
        return "readOnly"
    if flags == {"writeOnly"}:
        return "writeOnly"
    return None


def declared(root: Any, schema: Any, name: str, depth: int = 0) -> Any:
    """The declaration of property `name` in object schema `schema` (its own
    `properties`, else an `allOf` member's, `$ref`s followed); None without one."""
    node = follow_refs(root, schema)
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return None
    properties = node.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name]
    for member in node.get("allOf") or []:
        found = declared(root, member, name, depth + 1)
        if found is not None:
            return found
    return None


def one_sided(root: Any, schema: dict[str, Any], context: Any) -> dict[str, Side]:
    """The names `schema` requires that are one-sided, with their side; properties
    are looked up in `context` (`schema` itself, or the `allOf` holding it)."""
    required = schema.get("required")
    if not isinstance(required, list):
        return {}
    found: dict[str, Side] = {}
    for name in required:
        if isinstance(name, str):
            side = side_of(root, declared(root, context, name))
            if side is not None:
                found[name] = side
    return found


def _required_without(schema: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """`schema` (copied) without `names` in its `required`."""
    kept = [n for n in schema["required"] if n not in names]
    copied = {k: v for k, v in schema.items() if k != "required"}
    return {**copied, "required": kept} if kept else copied


def view(root: Any, schema: Any, dropped: Side) -> Any:
    """`schema` as one side reads it: names of the `dropped` side out of every
    `required` in it (copied where it changes). The response view drops
    `writeOnly` ones, the request view `readOnly` ones."""

    def rewrite(node: dict[str, Any]) -> dict[str, Any]:
        names = _dropped_names(root, node, dropped)
        return node if not names else _apply(node, names)

    return rewritten(schema, rewrite)


def _dropped_names(
    root: Any, node: dict[str, Any], dropped: Side
) -> dict[int | None, set[str]]:
    """The names to drop, by where they are required: None for `node` itself, an
    index for an inline `allOf` member (which may require what a sibling declares)."""
    found: dict[int | None, set[str]] = {}
    own = {n for n, s in one_sided(root, node, node).items() if s == dropped}
    if own:
        found[None] = own
    members = node.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else ()):
        if isinstance(member, dict) and "$ref" not in member:
            names = {
                n for n, s in one_sided(root, member, node).items() if s == dropped
            }
            if names:
                found[index] = names
    return found


def _apply(node: dict[str, Any], names: dict[int | None, set[str]]) -> dict[str, Any]:
    """`node` without the `names` (see `_dropped_names`) in its `required`s."""
    result = _required_without(node, names[None]) if None in names else dict(node)
    if any(index is not None for index in names):
        result["allOf"] = [
            _required_without(member, names[index]) if index in names else member
            for index, member in enumerate(node["allOf"])
        ]
    return result


def told_to_models(root: Any, schema: Any, *, in_requests: bool) -> Any:
    """A component schema as the models read it: no one-sided name required, and
    each object schema that had some naming them for the template (`IN_RESPONSES`,
    `IN_REQUESTS`), so the model enforces them on their side at run time.

    A component no request body reaches is only ever a response: its `readOnly`
    names stay plainly required, and its `writeOnly` ones (never sent back) are
    dropped without a word.
    """

    def rewrite(node: dict[str, Any]) -> dict[str, Any]:
        sides = {"readOnly", "writeOnly"} if in_requests else {"writeOnly"}
        by_place: dict[int | None, set[str]] = {}
        marks: dict[str, set[str]] = {}
        for side in sides:
            for place, names in _dropped_names(root, node, side).items():  # type: ignore[arg-type]
                by_place.setdefault(place, set()).update(names)
                if in_requests:
                    key = IN_RESPONSES if side == "readOnly" else IN_REQUESTS
                    marks.setdefault(key, set()).update(names)
        result = _apply(node, by_place) if by_place else node
        members = result.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else ()):
            # An inline member's own marks: its properties are the class's of `node`.
            if isinstance(member, dict) and ({IN_RESPONSES, IN_REQUESTS} & set(member)):
                if result is node:
                    result = dict(node)
                if result["allOf"] is node.get("allOf"):
                    result["allOf"] = list(node["allOf"])
                for key in (IN_RESPONSES, IN_REQUESTS):
                    marks.setdefault(key, set()).update(member.get(key) or ())
                result["allOf"][index] = {
                    k: v
                    for k, v in member.items()
                    if k not in (IN_RESPONSES, IN_REQUESTS)
                }
        for key, names in marks.items():
            if names:
                result = {**result, key: sorted(set(result.get(key) or ()) | names)}
        return result

    return rewritten(schema, rewrite)


def models_document(
    document: dict[str, Any], requests: Collection[str]
) -> dict[str, Any]:
    """`document` as datamodel-code-generator is given it: each component schema
    `told_to_models`, those in `requests` (reached from a request body) as both
    sides' (copied where it changes)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    told = {
        name: told_to_models(document, schema, in_requests=name in requests)
        for name, schema in schemas.items()
    }
    if all(told[name] is schemas[name] for name in schemas):
        return document
    return {**document, "components": {**document["components"], "schemas": told}}
