"""pydantic's `conint(...)`-style calls in datamodel-code-generator's output, as
`Annotated` types, which type checkers read.

Inside a union (`type: [integer, string]` with bounds, as protobuf's int64 is
written by ConnectRPC's emitter) datamodel-code-generator writes
`conint(ge=100, le=599, strict=True) | StrictStr`: pydantic takes it, but mypy
refuses a call in an annotation. `Annotated[StrictInt, Field(ge=100, le=599)]`
means the same to pydantic and is a type to mypy.
"""

from __future__ import annotations

import ast
import re

from generator.models.module_imports import imported, unused_import_dropped
from generator.models.source_edits import SourceEdits, parsed_module

_SCALARS = {
    "conint": ("int", "StrictInt"),
    "confloat": ("float", "StrictFloat"),
    "constr": ("str", "StrictStr"),
    "conbytes": ("bytes", "StrictBytes"),
}
"""Each scalar constructor: its type, and the strict one."""
_COLLECTIONS = {"conlist": "list", "conset": "set", "confrozenset": "frozenset"}
_CALL = re.compile(r"\bcon(?:int|float|str|bytes|list|set|frozenset)\(")


def constrained_calls_annotated(source: str) -> str:
    """`source` with each `conint(...)`, `constr(...)`, `conlist(...)` (and the like)
    written as `Annotated[type, Field(...)]`."""
    if _CALL.search(source) is None:
        return source
    tree = parsed_module(source)
    edits = SourceEdits(source)
    used: set[str] = set()
    calls = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_constructor(n)
    ]
    inner = {
        id(argument)
        for call in calls
        for argument in (*call.args, *(k.value for k in call.keywords))
    }
    for call in calls:
        spelled = None if id(call) in inner else _annotated(edits, call, used)
        if spelled is not None:
            edits.replace_node(call, spelled)
    if not edits.edits:
        return source
    result = edits.result()
    for name in sorted(used | {"Field"}):
        result = imported(result, "pydantic", name)
    result = imported(result, "typing", "Annotated")
    for name in (*_SCALARS, *_COLLECTIONS):
        result = unused_import_dropped(result, "pydantic", name)
    return result


def _is_constructor(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id in (
        *_SCALARS,
        *_COLLECTIONS,
    )


def _annotated(edits: SourceEdits, node: ast.AST, used: set[str]) -> str | None:
    """`node` as an `Annotated` type when it is a constructor call, else None.

    Arguments that are themselves such calls (`conlist(constr(...))`) are written
    the same way, inside.
    """
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    name = node.func.id
    keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
    if len(keywords) != len(node.keywords):
        return None
    if name in _SCALARS and not node.args:
        plain, strict = _SCALARS[name]
        is_strict = _is_true(keywords.pop("strict", None))
        base = strict if is_strict else plain
        if is_strict:
            used.add(strict)
    elif name in _COLLECTIONS and len(node.args) == 1:
        item = _annotated(edits, node.args[0], used) or edits.text(node.args[0])
        base = f"{_COLLECTIONS[name]}[{item}]"
    else:
        return None
    if not keywords:
        return base
    arguments = ", ".join(f"{k}={_text(edits, v, used)}" for k, v in keywords.items())
    return f"Annotated[{base}, Field({arguments})]"


def _text(edits: SourceEdits, value: ast.expr, used: set[str]) -> str:
    return _annotated(edits, value, used) or edits.text(value)


def _is_true(value: ast.expr | None) -> bool:
    return isinstance(value, ast.Constant) and value.value is True
