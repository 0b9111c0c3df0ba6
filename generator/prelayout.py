"""Over-long one-line statements laid out as black will, before black sees their piece.

black formats a piece twice whenever the first pass changes anything
(`black.format_str` runs a second pass to reach a fixed point). In
datamodel-code-generator's models most changes are a few field lines over 88
columns in an otherwise clean class, so whole classes went through black twice
for a line or two each. black lays out each logical line by itself, so such a
line is given to black alone (a few dozen tokens, under stand-in classes that
keep its indentation) and its layout is put back; the piece then costs one pass.

black still formats every piece afterwards: the bytes are black's either way,
and a statement this lays out differently than black would in place only costs
the second pass it meant to save.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Callable, Iterator

LINE_LENGTH = 88
INDENT = "    "
Formatter = Callable[[str], str]
"""black's formatting of a module's source."""


STATEMENT_START = re.compile(r"\s*(class |def |async def |[A-Za-z_][\w.]*\s*[:=])")
"""How a line that may be a statement to lay out starts; others (text in strings) need no parse."""


def prelayout(source: str, black: Formatter) -> str:
    """`source` with each over-long one-line statement of a module or class body in black's layout."""
    lines = source.splitlines(keepends=True)
    if not any(_too_long(line) and STATEMENT_START.match(line) for line in lines):
        return source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source  # black reports it
    by_depth: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for index, text, depth, body_lines in _candidates(tree.body, lines, depth=0):
        by_depth[depth].append((index, text, body_lines))
    laid_out: dict[int, str] = {}
    for depth, candidates in by_depth.items():
        laid_out.update(_alone(candidates, depth, black))
    return "".join(laid_out.get(index, line) for index, line in enumerate(lines)) if laid_out else source


def _too_long(line: str) -> bool:
    return len(line.rstrip("\r\n")) > LINE_LENGTH


def _candidates(body: list[ast.stmt], lines: list[str], depth: int) -> Iterator[tuple[int, str, int, int]]:
    """(line index, text to format, depth, lines of stand-in body) for the over-long lines of `body` that stand alone."""
    for node in body:
        index = node.lineno - 1
        line = lines[index]
        if isinstance(node, ast.ClassDef):
            yield from _candidates(node.body, lines, depth + 1)
        indent = INDENT * depth
        if not _too_long(line) or not line.startswith(indent) or line[len(indent)] == " ":
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and _whole_line(node, line):
            yield index, line, depth, 0
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and _header_on_one_line(node, line):
            yield index, line + indent + INDENT + "pass\n", depth, 1


def _whole_line(node: ast.stmt, line: str) -> bool:
    """The statement is all of its line: no other statement and no comment share it."""
    text = line.rstrip()
    return node.lineno == node.end_lineno and node.col_offset == len(text) - len(text.lstrip()) and node.end_col_offset == len(text)


def _header_on_one_line(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, line: str) -> bool:
    """`class …:` or `def …:` wholly on its line, with no comment, and its body below it."""
    return node.body[0].lineno > node.lineno and line.rstrip().endswith(":") and "#" not in line


def _alone(candidates: list[tuple[int, str, int]], depth: int, black: Formatter) -> dict[int, str]:
    """black's layout of each candidate (lines of depth `depth`) formatted by itself, in one call.

    They are given to black one after another, a blank line apart, under stand-in
    classes: black lays each out by itself, and never puts a blank line inside a
    statement written on one line, so its output splits back at the blank lines.
    """
    stand_in = "".join(INDENT * level + "class _:\n" for level in range(depth))
    formatted = black(stand_in + "\n".join(text for _, text, _ in candidates))
    if not formatted.startswith(stand_in):
        return {}
    layouts = re.split(r"\n(?:[ \t]*\n)+", formatted[len(stand_in) :].rstrip("\n"))
    if len(layouts) != len(candidates):
        return {}
    laid_out = {}
    for (index, _, body_lines), layout in zip(candidates, layouts, strict=True):
        out = (layout + "\n").splitlines(keepends=True)
        laid_out[index] = "".join(out[: len(out) - body_lines])
    return laid_out
