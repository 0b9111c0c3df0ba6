"""A deprecated schema that is no object, its class usable again.

datamodel-code-generator writes `deprecated: true` on a component that becomes a
`RootModel` (dagu's `Tags`, an array) as `root: Annotated[..., Field(deprecated=True)]`.
pydantic then refuses to set `root` at all (`AttributeError: root`), so no
instance can be made. The class says it is deprecated in its docstring instead.
"""

from __future__ import annotations

import ast

from generator.models.source_edits import SourceEdits, parsed_module

_NOTE = "Deprecated by the API."


def deprecated_roots_usable(source: str) -> str:
    """`source` with `deprecated=True` taken off each `RootModel`'s `root` field."""
    if "deprecated=True" not in source:
        return source
    tree = parsed_module(source)
    edits = SourceEdits(source)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and _is_root_model(node):
            _undeprecated(edits, node)
    return edits.result() if edits.edits else source


def _is_root_model(node: ast.ClassDef) -> bool:
    return any(
        isinstance(base, ast.Subscript) and ast.unparse(base.value) == "RootModel"
        for base in node.bases
    )


def _undeprecated(edits: SourceEdits, node: ast.ClassDef) -> None:
    for statement in node.body:
        if not (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == "root"
            and isinstance(statement.annotation, ast.Subscript)
            and ast.unparse(statement.annotation.value) == "Annotated"
            and isinstance(statement.annotation.slice, ast.Tuple)
        ):
            continue
        kind, *metadata = statement.annotation.slice.elts
        kept = [_without_deprecated(edits, m) for m in metadata]
        if all(text == edits.text(m) for text, m in zip(kept, metadata, strict=True)):
            return
        spelled = [t for t in kept if t != "Field()"]
        annotation = (
            f"Annotated[{', '.join([edits.text(kind), *spelled])}]"
            if spelled
            else edits.text(kind)
        )
        edits.replace_node(statement.annotation, annotation)
        _say_deprecated(edits, node)
        return


def _without_deprecated(edits: SourceEdits, metadata: ast.expr) -> str:
    """`metadata` (a `Field(...)` call) without its `deprecated=True`, as text."""
    if not (
        isinstance(metadata, ast.Call)
        and ast.unparse(metadata.func) == "Field"
        and any(k.arg == "deprecated" for k in metadata.keywords)
    ):
        return edits.text(metadata)
    arguments = [edits.text(a) for a in metadata.args] + [
        edits.text(k) for k in metadata.keywords if k.arg != "deprecated"
    ]
    return f"Field({', '.join(arguments)})"


def _say_deprecated(edits: SourceEdits, node: ast.ClassDef) -> None:
    """Put `_NOTE` in the class's docstring (a new one when it has none)."""
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        text = f"{first.value.value.rstrip()}\n\n{_NOTE}"
        edits.replace_node(first.value, _docstring(text))
        return
    at = edits.start(first)
    edits.replace(at, at, f"{_docstring(_NOTE)}\n{' ' * first.col_offset}")


def _docstring(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'"""{escaped}"""'
