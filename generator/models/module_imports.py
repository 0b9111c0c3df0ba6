"""Imports of a generated module's text, added or dropped by the passes that amend it."""

from __future__ import annotations

import ast

from generator.models.source_edits import SourceEdits


def imported(source: str, module: str, name: str) -> str:
    """`source` importing `name` from `module` too (the formatter sorts the line in)."""
    tree = ast.parse(source)
    edits = SourceEdits(source)
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == module
            and not node.level
        ):
            if any(a.name == name and a.asname is None for a in node.names):
                return source
            names = ", ".join([*(ast.unparse(a) for a in node.names), name])
            edits.replace(
                edits.start(node), edits.end(node), f"from {module} import {names}"
            )
            return edits.result()
    imports = [
        n
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")
    ]
    future = [
        n for n in tree.body if isinstance(n, ast.ImportFrom) and n not in imports
    ]
    position = (
        edits.lines[imports[0].lineno - 1]
        if imports
        else edits.end(future[-1]) + 1
        if future
        else 0
    )
    edits.replace(position, position, f"from {module} import {name}\n")
    return edits.result()


def unused_import_dropped(source: str, module: str, name: str) -> str:
    """`source` without `from module import name` when nothing uses `name` any more."""
    tree = ast.parse(source)
    if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(tree)):
        return source
    edited = SourceEdits(source)
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == module
            and node.level == 0
        ):
            kept = [a for a in node.names if a.name != name or a.asname is not None]
            if len(kept) == len(node.names):
                continue
            names = ", ".join(ast.unparse(a) for a in kept)
            line = edited.lines[node.lineno - 1]
            text = f"from {module} import {names}\n" if kept else ""
            edited.replace(line, edited.end(node) + 1, text)
    return edited.result()
