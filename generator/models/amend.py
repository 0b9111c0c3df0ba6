"""What datamodel-code-generator cannot be told, said in its input or amended in its output.

Four gaps, each found on a real spec and each closed generically:

- An array component whose items refer to the component itself becomes a bare
  `RootModel[list]` (its self-reference guard drops the item type): every item
  is accepted and `mypy --strict` refuses the missing type argument. Handed to
  it as the one branch of an `anyOf`, the same schema becomes the recursive
  `RootModel[list[dict[str, "Tree"]]]` it means (`recursive_arrays_as_unions`).
- A 3.1 nullable map, `type: [object, "null"]` with `additionalProperties`,
  becomes `dict[str, Any]`: its values go unchecked. Spelled as 3.0 does
  (`nullable: true`), it becomes `dict[str, Value] | None`
  (`nullable_objects_spelled_nullable`).
- An `allOf` member that narrows an inherited string enum to some of its values
  (`status: enum [revoked]` over `status: Status`) becomes `Literal["revoked"]`
  in the subclass, which is not a `Status`: mypy refuses the override, and code
  reading `Invitation.status` gets a `str` where it was promised a `Status`.
  `Literal[Status.REVOKED]` says the same and is one (`literals_as_members`).
- It calls `model_rebuild()` after only some of the classes that refer to a
  class defined later, so the others are incomplete at import, and are built on
  first use instead, in whatever thread that is (`rebuild_incomplete`).
"""

from __future__ import annotations

import ast
import contextlib
from typing import Any

from generator.models.source_edits import SourceEdits

_DATA = frozenset({"enum", "const", "default", "example", "examples"})
"""Keywords whose value is data, never a schema."""
_ARRAY_KEYWORDS = ("type", "items", "minItems", "maxItems", "uniqueItems")
"""What the `anyOf` branch of a recursive array takes; the rest stays beside it."""


def nullable_objects_spelled_nullable(node: Any, depth: int = 0) -> Any:
    """`node` with each `type: [object, "null"]` written `type: object, nullable: true`.

    datamodel-code-generator reads the 3.1 spelling of a nullable map as
    `dict[str, Any]`, dropping its value type; the 3.0 spelling it reads whole.
    A new tree where something changes; `node` itself is never edited.
    """
    if depth > 256:
        return node
    if isinstance(node, list):
        items = [nullable_objects_spelled_nullable(i, depth + 1) for i in node]
        return (
            items if any(a is not b for a, b in zip(items, node, strict=True)) else node
        )
    if not isinstance(node, dict):
        return node
    changed = {
        k: nullable_objects_spelled_nullable(v, depth + 1)
        for k, v in node.items()
        if k not in _DATA
    }
    kinds = node.get("type")
    if isinstance(kinds, list) and sorted(map(str, kinds)) == ["null", "object"]:
        changed["type"], changed["nullable"] = "object", True
    elif all(changed[k] is node[k] for k in changed):
        return node
    return {**node, **changed}


def recursive_arrays_as_unions(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each self-referencing array component made a one-branch `anyOf`.

    Only for a plain, non-nullable `type: array` that is not already a
    composition; the document is copied where it changes, never edited.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    changed: dict[str, Any] = {}
    for name, schema in schemas.items():
        if not _is_recursive_array(str(name), schema):
            continue
        branch = {k: schema[k] for k in _ARRAY_KEYWORDS if k in schema}
        rest = {k: v for k, v in schema.items() if k not in _ARRAY_KEYWORDS}
        changed[name] = {**rest, "anyOf": [branch]}
    if not changed:
        return document
    components = {**document["components"], "schemas": {**schemas, **changed}}
    return {**document, "components": components}


def _is_recursive_array(name: str, schema: Any) -> bool:
    if not (
        isinstance(schema, dict)
        and schema.get("type") == "array"
        and "items" in schema
        and not schema.get("nullable")
        and not {"anyOf", "oneOf", "allOf", "$ref"} & set(schema)
    ):
        return False
    pointer = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
    return _refers_to(schema["items"], pointer, 0)


def _refers_to(node: Any, pointer: str, depth: int) -> bool:
    """Whether `node` holds a `$ref` to `pointer`, without following other references."""
    if depth > 64:
        return False
    if isinstance(node, dict):
        if node.get("$ref") == pointer:
            return True
        return any(_refers_to(v, pointer, depth + 1) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to(v, pointer, depth + 1) for v in node)
    return False


_VALUE_ENUMS = frozenset({"StrEnum", "IntEnum"})
"""Enum bases whose members equal their values, so pydantic takes a value for a member."""


def literals_as_members(source: str) -> str:
    """`source` with each `Literal` that narrows an inherited enum field spelled with its
    members: `Literal[Status.REVOKED]`, a `Status`, validated from `"revoked"` all the same.
    """
    tree = ast.parse(source)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    members = {
        name: _members(node)
        for name, node in classes.items()
        if any(ast.unparse(b) in _VALUE_ENUMS for b in node.bases)
    }
    if not members:
        return source
    edits = SourceEdits(source)
    for node in classes.values():
        for field in node.body:
            if not (
                isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
            ):
                continue
            inherited = _inherited(classes, node, field.target.id, 0)
            if inherited is None:
                continue
            enums = [
                n.id
                for n in ast.walk(inherited)
                if isinstance(n, ast.Name) and n.id in members
            ]
            for literal in _literals(field.annotation):
                values = _literal_values(literal)
                owner = next(
                    (e for e in enums if values and set(values) <= set(members[e])),
                    None,
                )
                if owner is None:
                    continue
                spelled = ", ".join(f"{owner}.{members[owner][v]}" for v in values)
                edits.replace_node(literal.slice, spelled)
                if (
                    isinstance(field.value, ast.Constant)
                    and field.value.value in values
                ):
                    edits.replace_node(
                        field.value, f"{owner}.{members[owner][field.value.value]}"
                    )
    return edits.result() if edits.edits else source


def _members(node: ast.ClassDef) -> dict[Any, str]:
    """An enum class's values, each to its member's name."""
    return {
        s.value.value: s.targets[0].id
        for s in node.body
        if isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Name)
        and isinstance(s.value, ast.Constant)
    }


def _inherited(
    classes: dict[str, ast.ClassDef], node: ast.ClassDef, field: str, depth: int
) -> ast.expr | None:
    """The annotation a base class of `node` (nearest first) gives `field`."""
    if depth > 32:
        return None
    for base in node.bases:
        parent = classes.get(base.id) if isinstance(base, ast.Name) else None
        if parent is None:
            continue
        for statement in parent.body:
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == field
            ):
                return statement.annotation
        found = _inherited(classes, parent, field, depth + 1)
        if found is not None:
            return found
    return None


def _literals(annotation: ast.expr) -> list[ast.Subscript]:
    return [
        n
        for n in ast.walk(annotation)
        if isinstance(n, ast.Subscript)
        and isinstance(n.value, ast.Name)
        and n.value.id == "Literal"
    ]


def _literal_values(literal: ast.Subscript) -> list[Any]:
    """The constants of `Literal[...]`, or none when one of them is something else."""
    items = (
        literal.slice.elts if isinstance(literal.slice, ast.Tuple) else [literal.slice]
    )
    if not all(isinstance(i, ast.Constant) for i in items):
        return []
    return [i.value for i in items if isinstance(i, ast.Constant)]


def rebuild_incomplete(source: str) -> str:
    """`source` with `X.model_rebuild()` after the classes for every model class that
    needs (itself, or through the classes it needs) a class defined after it.

    Such a model cannot be built where it is defined; pydantic would build it on
    first use. The calls datamodel-code-generator wrote are kept.
    """
    tree = ast.parse(source)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    order = {c.name: i for i, c in enumerate(classes)}
    rebuilt = {
        s.value.func.value.id
        for s in tree.body
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute)
        and s.value.func.attr == "model_rebuild"
        and isinstance(s.value.func.value, ast.Name)
    }
    refers = {c.name: _referenced(c) & set(order) for c in classes}
    missing = [
        c.name
        for c in classes
        if c.name not in rebuilt and _reaches_later(c.name, refers, order)
    ]
    if not missing:
        return source
    calls = "".join(f"{name}.model_rebuild()\n" for name in missing)
    separator = "" if rebuilt else "\n\n"
    return source.rstrip("\n") + "\n" + separator + calls


def _reaches_later(
    name: str, refers: dict[str, set[str]], order: dict[str, int]
) -> bool:
    """Whether a class defined after `name` is among the classes `name` needs, through
    any chain of classes: pydantic can build `name` where it is defined only without."""
    seen, todo = {name}, list(refers[name])
    while todo:
        other = todo.pop()
        if other in seen:
            continue
        if order[other] > order[name]:
            return True
        seen.add(other)
        todo.extend(refers[other])
    return False


def _referenced(node: ast.ClassDef) -> set[str]:
    """The names a class's bases and field annotations use as types, forward
    references included (not what a `Field(...)` holds: examples, descriptions)."""
    found: set[str] = set()
    todo: list[ast.AST] = [*node.bases]
    todo += [s.annotation for s in node.body if isinstance(s, ast.AnnAssign)]
    while todo:
        item = todo.pop()
        if isinstance(item, ast.Call) or (
            isinstance(item, ast.Subscript) and ast.unparse(item.value) == "Literal"
        ):
            continue
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            with contextlib.suppress(SyntaxError):  # a string that is no type
                todo.append(ast.parse(item.value, mode="eval").body)
        todo.extend(ast.iter_child_nodes(item))
    return found
