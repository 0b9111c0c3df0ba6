"""Split a Python module into pieces black formats the same alone as together.

black lays out each top-level class or function by itself, and what joins two
of them is always two blank lines (and it keeps two blank lines between other
top-level statements); inside a class, each method by itself, joined by one
blank line. So a module whose imports are sorted can be cut before each
top-level `class`/`def` (with its decorators) that follows a blank line, and a
big class again before each such method; each piece is formatted on its own (a
method inside a stand-in `class _:`, so it keeps its indentation and line
length) and the pieces are joined back: the bytes are those black gives the
whole module. That lets a big module be formatted on every core, lets the
format cache keep one entry per class or method, so changing one schema
re-formats one piece, and lets a piece that is already formatted cost black one
pass instead of two.

Any subset of those cuts keeps that property, so neighbouring pieces are then
grouped again (`group_pieces`): each call of black costs about a fifth of a
millisecond before its first line, and Qovery's full spec has about 2,900 pieces.
"""

from __future__ import annotations

import ast
import zlib
from dataclasses import dataclass

from generator.formatting import LINE_LENGTH

CLASS_SPLIT_LINES = 150
"""Classes longer than this are cut into their methods too."""
STAND_IN = "class _:\n"
"""The header a method piece is formatted under."""
GROUP_EVERY = 8
"""A group of pieces ends, on average, every this many pieces: where a piece's own text says."""
GROUP_CHARS = 6_000
"""A group ends once it holds this many characters: one change re-formats little, and work spreads over cores."""


@dataclass(frozen=True)
class Piece:
    """Part of a module: `member` pieces are methods of the class before them."""

    text: str
    member: bool = False

    @property
    def source(self) -> str:
        """What black is given for this piece.

        Without the blank lines that separated it from the next piece: black
        drops them, and any change at all makes it format everything twice.
        """
        text = self.text.rstrip(" \t\n") + "\n"
        return STAND_IN + text if self.member else text

    def unwrap(self, formatted: str) -> str:
        """black's output for `source`, without the stand-in header."""
        if not self.member:
            return formatted.strip("\n")
        assert formatted.startswith(STAND_IN), formatted[:40]
        return formatted[len(STAND_IN) :].strip("\n")


def split_module(source: str) -> list[Piece]:
    """The pieces of `source` (one, when it cannot be cut or does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [Piece(source)]  # black reports it, naming the file
    lines = source.splitlines(keepends=True)
    cuts: list[tuple[int, bool]] = []
    for node in tree.body:
        start = _cut_before(node, lines, indent="")
        if start is not None:
            cuts.append((start, False))
        if isinstance(node, ast.ClassDef) and (node.end_lineno or 0) - node.lineno > CLASS_SPLIT_LINES:
            cuts.extend((start, True) for start in (_cut_before(child, lines, "    ") for child in node.body[1:]) if start is not None)
    bounds = [(0, False), *cuts, (len(lines), False)]
    pieces = [Piece("".join(lines[a:b]), member) for (a, member), (b, _) in zip(bounds, bounds[1:], strict=False) if a < b]
    return [piece for piece in pieces if piece.text.strip()] or [Piece(source)]


def group_pieces(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of one kind merged into fewer, larger pieces, formatted by one call of black each.

    Top-level pieces merge with top-level ones, methods with the methods of
    the same class, joined by the blank lines black puts there (whatever the
    template wrote: a group that black changes costs it a second pass). Where
    a group ends is decided by the text of the piece that ends it (its
    checksum), not by counting from the top: inserting, removing or changing
    one piece changes the group it is in, and at most the one after, so the
    format cache still reuses every other group.
    """
    grouped: list[Piece] = []
    texts: list[str] = []
    size = 0
    alone = [_long_code_line(piece.text) for piece in pieces]
    for index, piece in enumerate(pieces):
        texts.append(piece.text.rstrip(" \t\n"))
        size += len(texts[-1])
        last = index + 1 == len(pieces)
        if last or pieces[index + 1].member != piece.member or size >= GROUP_CHARS or alone[index] or alone[index + 1] or _ends_group(piece):
            grouped.append(Piece(_separator(piece.member).join(texts) + "\n", piece.member))
            texts, size = [], 0
    return grouped


def _separator(member: bool) -> str:
    """What black puts between two methods of a class, or two top-level pieces."""
    return "\n\n" if member else "\n\n\n"


def _ends_group(piece: Piece) -> bool:
    return zlib.crc32(piece.source.encode("utf-8")) % GROUP_EVERY == 0


def _long_code_line(text: str) -> bool:
    """Whether `text` has a line of code longer than black allows, which black would split.

    Such a piece costs black a second pass, and so would the whole group it
    was in: it is kept alone. Long lines of docstrings do not count (black
    leaves them as they are); a string is only seen by its triple quotes, as
    this is a guess that saves time, never one that changes the output.
    """
    in_string = False
    for line in text.splitlines():
        if len(line) > LINE_LENGTH and not in_string and not line.lstrip().startswith(("#", '"""')):
            return True
        if line.count('"""') % 2:
            in_string = not in_string
    return False


def join_pieces(formatted: list[str], pieces: list[Piece]) -> str:
    """The formatted pieces as one module, joined the way black joins definitions and methods."""
    out = formatted[0]
    for text, piece in zip(formatted[1:], pieces[1:], strict=True):
        out += _separator(piece.member) + text
    return out + "\n"


def _cut_before(node: ast.stmt, lines: list[str], indent: str) -> int | None:
    """The line index a definition's piece starts at, when it can be cut there.

    Any other top-level statement can be cut before when two blank lines
    precede it: black keeps those, and joins the pieces with as many.
    """
    if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        first = node.lineno - 1
        alone = not indent and node.col_offset == 0 and first >= 3  # not after `;` on a line of its own
        return first if alone and not lines[first - 1].strip() and not lines[first - 2].strip() else None
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    if first < 2 or lines[first - 1].strip():
        return None  # nothing before it, or a comment or code right above that black keeps with it
    line = lines[first]
    if not line.startswith(tuple(indent + start for start in ("class ", "def ", "async def ", "@"))):
        return None
    return first
