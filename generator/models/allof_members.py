"""What an `allOf` member says that datamodel-code-generator does not read, said so it does.

Gaps both found on Asana's spec, closed in one walk over the document:

- A member that refers to an alias component (a schema that is only a `$ref`,
  `Base: {$ref: Compact}`) is made a `RootModel`, which no model can inherit
  from, and dropped: the model built from the `allOf` lost every property of
  `Compact`. The member is made to refer to what the alias names.
- A member that requires properties only another member declares
  (`allOf: [{$ref: Request}, {required: [assignee]}]`, a request that needs what
  the shared schema leaves optional) is dropped too: the model is `Request`
  itself, and `assignee` stays optional. The member is given the declarations
  of the properties it requires (without their defaults: a required property is
  sent whatever its default; `{}`, any value, for one no member declares), and
  the model becomes a subclass requiring them.
- A member that declares again, with an `enum` of its own, a property another
  member declares by a `$ref` to an enum (Asana's nullable `resource_subtype`
  over `TaskCompact`'s) gets the two lists of values concatenated, as if its
  enum were a 3.0 `$ref`'s ignored sibling: an enum class whose members repeat
  (`default_task_1`), and which takes the values a narrowing member leaves out.
  Listing the same values, the member is said as that `$ref` (with its own
  `nullable` and annotations); narrowing them, as a one-branch `anyOf`, which is
  read as written.
- A member that declares again, with a type, a property another member declares
  as an inline union (`anyOf`, `oneOf`) is merged into each branch; it is said as
  a one-branch `anyOf` too (OpenAI's `top_logprobs`).

Gaps found on Box's spec (box/box-openapi at c9a878a):

- A member that declares again, as an object with properties, a property another
  member declares as a free-form object (`ConflictError`'s `context_info` over
  `ClientError`'s) was merged into a `dict[str, Any]`: the narrowing was lost.
  It is said as a one-branch `anyOf` that is not nullable, as `allOf` means both.
- An `allOf` of one typed map and members that only annotate (`File--Full`'s
  `metadata`) became a model open to any key; it is said as the map.
"""

from __future__ import annotations

import json
from typing import Any

from generator.models.rewrite import MAX_DEPTH, schemas_rewritten
from generator.pointers import SCHEMA_PREFIX, follow_refs
from generator.schema_keywords import ANNOTATIONS

_ALIAS_KEEPS = frozenset(ANNOTATIONS) - {"default", "xml"}
"""What an alias component may say beside its `$ref` and still be only an alias (a
default would change what it means)."""


def allof_members_completed(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each `allOf` member said so datamodel-code-generator reads all of it.

    The document is copied where it changes, never edited.
    """
    schemas = (document.get("components") or {}).get("schemas")

    def complete(node: dict[str, Any]) -> dict[str, Any]:
        members = node.get("allOf")
        if not isinstance(members, list) or not isinstance(schemas, dict):
            return node
        beside = {k: v for k, v in node.items() if k == "properties"}
        completed = _completed(document, schemas, members, beside)
        node = node if completed is members else {**node, "allOf": completed}
        return _typed_map_unwrapped(node)

    return schemas_rewritten(document, complete)


def _completed(
    document: dict[str, Any],
    schemas: dict[str, Any],
    members: list[Any],
    beside: dict[str, Any],
) -> list[Any]:
    """`members` of one `allOf`, aliases followed and requirements declared; `beside`,
    the properties the schema holding them declares itself."""
    followed = [_alias_followed(schemas, m) for m in members]
    completed = [
        _union_overrides_spelled(
            document,
            _enum_overrides_spelled(
                document,
                _requirements_declared(
                    document,
                    m,
                    others := [*(o for o in followed if o is not m), beside],
                ),
                others,
            ),
            others,
        )
        for m in followed
    ]
    if all(a is b for a, b in zip(completed, members, strict=True)):
        return members
    return completed


def _typed_map_unwrapped(node: dict[str, Any]) -> dict[str, Any]:
    """`node` as the one typed map its `allOf` holds, when its other members only annotate.

    Box's `metadata: allOf: [{type: object, additionalProperties: {type: object,
    additionalProperties: {$ref: Metadata--Full}}}, {description: ...}]` became a
    model without fields, open to any key: the map's value type was lost.
    """
    members = node.get("allOf")
    if not isinstance(members, list) or set(node) - _ALIAS_KEEPS - {"allOf", "type"}:
        return node
    shaped = [m for m in members if not _annotates_only(m)]
    if len(shaped) != 1 or len(members) < 2:
        return node
    (only,) = shaped
    if not (
        isinstance(only, dict)
        and isinstance(only.get("additionalProperties"), dict)
        and only.get("additionalProperties")
        and not {"$ref", "properties", "patternProperties", "allOf", "anyOf", "oneOf"}
        & set(only)
        and node.get("type", "object") == only.get("type", "object")
    ):
        return node
    notes = {k: v for m in members if m is not only for k, v in m.items()}
    beside = {k: v for k, v in node.items() if k != "allOf"}
    return {**notes, **only, **beside}


def _annotates_only(member: Any) -> bool:
    return isinstance(member, dict) and all(
        k in _ALIAS_KEEPS or str(k).startswith("x-") for k in member
    )


def _alias_followed(schemas: dict[str, Any], member: Any) -> Any:
    """`member`, referring to what the alias it refers to names."""
    if not (isinstance(member, dict) and isinstance(member.get("$ref"), str)):
        return member
    target = _alias_target(schemas, member["$ref"])
    return member if target == member["$ref"] else {**member, "$ref": target}


def _alias_target(schemas: dict[str, Any], ref: str) -> str:
    """What a chain of alias components starting at `ref` finally refers to."""
    seen: set[str] = set()
    while ref.startswith(SCHEMA_PREFIX) and ref not in seen:
        seen.add(ref)
        schema = schemas.get(ref[len(SCHEMA_PREFIX) :])
        if not (
            isinstance(schema, dict)
            and isinstance(schema.get("$ref"), str)
            and all(
                k == "$ref" or k in _ALIAS_KEEPS or k.startswith("x-") for k in schema
            )
        ):
            break
        ref = schema["$ref"]
    return ref


def _requirements_declared(
    document: dict[str, Any], member: Any, others: list[Any]
) -> Any:
    """`member`, given the declarations `others` make of properties it requires alone."""
    if not isinstance(member, dict) or "$ref" in member:
        return member
    required = member.get("required")
    own = member.get("properties")
    own = own if isinstance(own, dict) else {}
    if not isinstance(required, list):
        return member
    declared: dict[str, Any] = {}
    for name in required:
        if not isinstance(name, str) or name in own or name in declared:
            continue
        found = _first_declaration(document, others, name)
        declared[name] = (
            {k: v for k, v in found.items() if k != "default"}
            if isinstance(found, dict)
            else {}
            if found is None
            else found
        )
    if not declared:
        return member
    return {**member, "properties": {**own, **declared}}


def _enum_overrides_spelled(
    document: dict[str, Any], member: Any, others: list[Any]
) -> Any:
    """`member`, each of its enums over another member's referenced enum said so it is
    read as written."""
    if not isinstance(member, dict) or "$ref" in member:
        return member
    properties = member.get("properties")
    if not isinstance(properties, dict):
        return member
    spelled: dict[str, Any] = {}
    for name, schema in properties.items():
        if not (
            isinstance(schema, dict)
            and isinstance(schema.get("enum"), list)
            and not {"$ref", "allOf", "anyOf", "oneOf"} & set(schema)
        ):
            continue
        inherited = _first_declaration(document, others, name)
        if not (isinstance(inherited, dict) and isinstance(inherited.get("$ref"), str)):
            continue
        target = follow_refs(document, inherited)
        values = target.get("enum") if isinstance(target, dict) else None
        if not isinstance(values, list):
            continue
        if _same_values(values, schema["enum"]):
            kept = {k: v for k, v in schema.items() if k in _ANNOTATED_BESIDE}
            spelled[name] = {**kept, "$ref": inherited["$ref"]}
        else:
            spelled[name] = _one_branch(schema)
    if not spelled:
        return member
    return {**member, "properties": {**properties, **spelled}}


def _union_overrides_spelled(
    document: dict[str, Any], member: Any, others: list[Any]
) -> Any:
    """`member`, each typed property it declares over another member's union said
    so it is read as written.

    datamodel-code-generator merges such a declaration into each branch of the
    union instead of taking it: OpenAI's `CreateModelResponseProperties` says
    `top_logprobs` is an integer from 0 to 20 over `ModelResponseProperties`'
    `anyOf: [integer, null]`, and the model took null. As a one-branch `anyOf`
    the declaration replaces the other, as any other re-declared property does.
    """
    if not isinstance(member, dict) or "$ref" in member:
        return member
    properties = member.get("properties")
    if not isinstance(properties, dict):
        return member
    spelled: dict[str, Any] = {}
    for name, schema in properties.items():
        if not (
            isinstance(schema, dict)
            and "type" in schema
            and not {"$ref", "allOf", "anyOf", "oneOf"} & set(schema)
        ):
            continue
        inherited = _first_declaration(document, others, name)
        # Over a union behind a `$ref`, datamodel-code-generator merges the
        # declaration into its branches however it is said: left as it is.
        if isinstance(inherited, dict) and {"anyOf", "oneOf"} & set(inherited):
            spelled[name] = _one_branch(schema)
        elif _shaped_object(schema) and _free_form_object(document, inherited):
            # Said not nullable, or the override keeps the null of the inherited one.
            spelled[name] = {"nullable": False, **_one_branch(schema)}
    if not spelled:
        return member
    return {**member, "properties": {**properties, **spelled}}


_FREE_FORM_KEEPS = frozenset(ANNOTATIONS) | {"type", "nullable", "additionalProperties"}
"""What a free-form object may say and still take any object."""


def _shaped_object(schema: dict[str, Any]) -> bool:
    """Whether a declaration is an object with properties of its own."""
    return schema.get("type") == "object" and isinstance(schema.get("properties"), dict)


def _free_form_object(document: dict[str, Any], schema: Any) -> bool:
    """Whether `schema` takes any object (and maybe null): what a narrower object
    declared over it replaces, as `allOf` means both.

    Box's `ConflictError` says `context_info` holds `conflicts` over `ClientError`'s
    free-form `context_info`; merged, the model kept neither `conflicts` nor a
    type for it.
    """
    schema = follow_refs(document, schema)
    if not isinstance(schema, dict) or not set(schema) <= _FREE_FORM_KEEPS:
        return False
    kinds = schema.get("type")
    listed = kinds if isinstance(kinds, list) else [kinds]
    return {k for k in listed if k != "null"} <= {"object"} and schema.get(
        "additionalProperties", True
    ) in (True, {})


def _first_declaration(document: dict[str, Any], others: list[Any], name: str) -> Any:
    """How the first of `others` declaring property `name` declares it (None: none)."""
    return next(
        (
            d
            for d in (_declaration(document, o, name, 0, set()) for o in others)
            if d is not None
        ),
        None,
    )


def _one_branch(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` as a one-branch `anyOf`, its annotations beside: read as written."""
    kept = {k: v for k, v in schema.items() if k in _ANNOTATED_BESIDE}
    branch = {k: v for k, v in schema.items() if k not in _ANNOTATED_BESIDE}
    return {**kept, "anyOf": [branch]}


_ANNOTATED_BESIDE = frozenset(ANNOTATIONS) | {"nullable"}
"""What a re-spelled enum keeps outside its `$ref` or `anyOf` branch."""


def _same_values(first: list[Any], second: list[Any]) -> bool:
    """Whether two `enum` lists hold the same JSON values (`True` is no `1`)."""

    def keys(values: list[Any]) -> set[str]:
        return {json.dumps(v, sort_keys=True) for v in values}

    return keys(first) == keys(second)


def _declaration(
    document: dict[str, Any], schema: Any, name: str, depth: int, seen: set[int]
) -> Any:
    """The schema `schema` (through its references and `allOf`) declares property `name` by."""
    schema = follow_refs(document, schema)
    if depth > MAX_DEPTH or not isinstance(schema, dict) or id(schema) in seen:
        return None
    seen.add(id(schema))
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name]
    members = schema.get("allOf")
    for member in members if isinstance(members, list) else ():
        found = _declaration(document, member, name, depth + 1, seen)
        if found is not None:
            return found
    return None
