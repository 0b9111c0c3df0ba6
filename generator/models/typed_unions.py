"""A union under a `type` that refuses null, without the null its branches bring.

Box's `AppItemAssociatedItem` is `{type: object, oneOf: [{$ref: File--Base},
{$ref: Folder--Base}, ...]}` with `File--Base` `nullable: true`: JSON Schema
applies `type: object` too, so null is refused (OpenAPI 3.0.3: `nullable` only
extends the `type` beside it). datamodel-code-generator made the union `FileBase
| FolderBase | WebLinkBase | None`, and the same of an inline branch saying
`nullable: true` or a `{type: "null"}` branch.

An inline branch is told in the input (`null_branches_refused`): it loses its
null. A `$ref` to a nullable class cannot be (the class's uses elsewhere keep
their null), so the `None` is taken out of the union datamodel-code-generator
writes for the component (`refused_null_dropped`).
"""

from __future__ import annotations

import ast
from typing import Any

from generator.intermediate.nullable import is_null_schema, type_refuses_null
from generator.models.amend import unannotated
from generator.models.rewrite import schemas_rewritten
from generator.models.source_edits import SourceEdits, parsed_module

_UNIONS = ("oneOf", "anyOf")


def null_branches_refused(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each union under a `type` refusing null told its branches' null
    means nothing there. Copied where it changes, never edited."""
    return schemas_rewritten(document, _branches_refused)


def _branches_refused(node: dict[str, Any]) -> dict[str, Any]:
    if not type_refuses_null(node):
        return node
    changed = dict(node)
    for key in _UNIONS:
        branches = node.get(key)
        if not isinstance(branches, list):
            continue
        kept = [_without_null(b) for b in branches if not is_null_schema(b)]
        if kept and (
            len(kept) != len(branches)
            or any(a is not b for a, b in zip(kept, branches, strict=True))
        ):
            changed[key] = kept
    return node if all(changed[k] is node[k] for k in node) else changed


def _without_null(branch: Any) -> Any:
    """`branch` without a `nullable: true` or a `null` in its `type` list."""
    if not isinstance(branch, dict):
        return branch
    result = branch
    if branch.get("nullable") is True:
        result = {k: v for k, v in branch.items() if k != "nullable"}
    kinds = result.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        kept = [k for k in kinds if k != "null"]
        result = {**result, "type": kept[0] if len(kept) == 1 else kept}
    return result


def null_refusing_roots(document: dict[str, Any]) -> frozenset[str]:
    """The component schemas that are a union under a `type` refusing null."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return frozenset()
    return frozenset(
        str(name)
        for name, schema in schemas.items()
        if type_refuses_null(schema)
        and any(isinstance(schema.get(k), list) for k in _UNIONS)
    )


def refused_null_dropped(source: str, names: frozenset[str]) -> str:
    """`source` with `None` taken out of the root union of each `RootModel` in `names`."""
    if not names:
        return source
    tree = parsed_module(source)
    edits = SourceEdits(source)
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name in names):
            continue
        for base in node.bases:
            if (
                isinstance(base, ast.Subscript)
                and ast.unparse(base.value) == "RootModel"
            ):
                _drop_none(edits, base.slice)
        for statement in node.body:
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == "root"
            ):
                _drop_none(edits, unannotated(statement.annotation))
    return edits.result() if edits.edits else source


def _drop_none(edits: SourceEdits, union: ast.expr) -> None:
    members = _members(union)
    kept = [m for m in members if not (isinstance(m, ast.Constant) and m.value is None)]
    if kept and len(kept) != len(members):
        edits.replace_node(union, " | ".join(edits.text(m) for m in kept))


def _members(union: ast.expr) -> list[ast.expr]:
    if isinstance(union, ast.BinOp) and isinstance(union.op, ast.BitOr):
        return [*_members(union.left), *_members(union.right)]
    return [union]
