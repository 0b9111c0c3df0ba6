"""Lay out datamodel-code-generator's over-long lines the way black will.

datamodel-code-generator writes each field, class header and method header on
one line, however long. black splits such a line, and a piece it changes
costs it a second pass over the whole class (see `black.format_str`): on
Qovery's spec a third of the models' bytes were formatted twice, for about 350
lines. Here each such line is split as black splits it: at the last bracket
(the first, for a `def`), the body on its own line if it fits, else one
element per line with a trailing comma (a union: one member per line), and so
on inside. black still formats everything afterwards, so a line laid out
differently from black's choice costs only that second pass, never different
output; what is not modelled here (other delimiters, a head or tail that does
not fit, comments, strings black would requote) is left as it was.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.formatting import LINE_LENGTH

INDENT = "    "
_OPENING = "([{"
_CLOSING = ")]}"
_SIMPLE_DEFAULT = re.compile(r"(None|True|False|-?[0-9][0-9_.eE+-]*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?|\"[^\"\\]*\")")
"""Defaults black keeps behind the closing bracket (`] = None`): one atom, no brackets, no delimiter."""
_DELIMITERS = frozenset({"&", "^", "+", "-", "*", "/", "//", "%", "@", "<<", ">>", "**", "<", ">", "==", "!=", "<=", ">=", "->", "if", "else", "and", "or", "not", "in", "is", "lambda", "for", "async", "await", ":=", "."})
"""Operators and keywords black may split a line at, besides commas and a union's bars: a line needing that is left to black."""


_Layout = Callable[[str], "list[str] | None"]
"""The lines, indented, that one over-long line becomes; None to leave it as it is."""


@dataclass(frozen=True)
class _Bracket:
    """A top-level bracket pair of a line: offsets of the opening and the closing character."""

    opening: int
    closing: int
    literal: bool
    """A list, tuple, set or dict display (not a call or subscript): black explodes it if it has several elements."""


@dataclass(frozen=True)
class _Shape:
    """What black looks at on one logical line: its top-level brackets and delimiters."""

    brackets: tuple[_Bracket, ...]
    commas: tuple[int, ...]
    bars: tuple[int, ...]
    """The `|` of a union."""
    equals: int | None
    """Where ` = ` starts, in a statement with a default."""
    other_delimiters: bool


def lay_out_long_lines(source: str, tree: ast.Module) -> str:
    """`source` with the over-long one-line headers and fields of its top-level classes split as black would.

    `tree` is `source` parsed: it says which lines are code, not text inside a docstring.
    """
    lines = source.split("\n")
    laid_out: dict[int, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            _lay_out(lines, node, 0, _class_header, laid_out)
            _strip_docstring(lines, node)
            for member in node.body:
                if isinstance(member, ast.AnnAssign) and member.lineno == member.end_lineno:
                    _lay_out(lines, member, 1, _field, laid_out)
                elif isinstance(member, ast.FunctionDef):
                    _lay_out(lines, member, 1, _def_header, laid_out)
    for index, replacement in laid_out.items():
        lines[index] = "\n".join(replacement)
    return "\n".join(lines)


def _strip_docstring(lines: list[str], node: ast.ClassDef) -> None:
    """Trailing blanks off the lines of a class's docstring, as black strips them (unless a backslash makes it keep the text)."""
    first = node.body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)):
        return
    span = range(first.lineno - 1, first.end_lineno or first.lineno)
    if len(span) > 1 and not any("\\" in lines[index] for index in span):
        for index in span:
            lines[index] = lines[index].rstrip(" \t")


def _lay_out(lines: list[str], node: ast.stmt, depth: int, layout: _Layout, laid_out: dict[int, list[str]]) -> None:
    """Lay out the first line of `node` when it is too long, written on one line, at `depth`."""
    index = node.lineno - 1
    if isinstance(node, ast.ClassDef | ast.FunctionDef):
        if node.decorator_list:
            index = node.decorator_list[-1].end_lineno or index  # the header follows the decorators
        if node.body[0].lineno - 1 <= index or not lines[index].endswith(":"):
            return  # the header spans lines, or the body shares its line
    line = lines[index]
    indent = INDENT * depth
    if len(line) <= LINE_LENGTH or not line.startswith(indent) or line[len(indent)] == " " or "#" in line:
        return
    text = _black_quotes(line[len(indent) :])
    replacement = layout(text) if text is not None else None
    if replacement is not None:
        laid_out[index] = replacement


def _black_quotes(text: str) -> str | None:
    """`text` with its `'...'` strings in black's double quotes; None for a string this does not model."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    out, end = [], 0
    for kind, value, column in tokens:
        if kind != "string" or value.lstrip("rbf").startswith('"'):
            continue  # double-quoted, with no prefix or with one black keeps as it is
        body = value[1:-1]
        if not value.startswith("'") or "'" in body:
            return None  # a prefix or an escaped quote: black's rules are longer
        out += [text[end:column], value if '"' in body else f'"{body}"']
        end = column + len(value)
    return "".join(out) + text[end:] if out else text


def _field(text: str) -> list[str] | None:
    """The lines of a field of a class body, or None when black would do something not modelled here."""
    shape = _shape(text)
    if shape is None or shape.commas:
        return None
    target, default = (text[: shape.equals], text[shape.equals + 3 :]) if shape.equals is not None else (text, None)
    # Whether the target fits on the first line before the default (black measures it before its invisible "(", against 87).
    target_fits = len(INDENT) + len(target) + len(" = (") <= LINE_LENGTH
    if default is not None:
        empty = default in ("[]", "{}")
        if not (_SIMPLE_DEFAULT.fullmatch(default) or empty) or (empty and target_fits):
            return None  # an empty display after a short target: black's choice depends on more
        shape = _shape(target)  # the default is one atom: what matters is before it
        if shape is None:
            return None
    if shape.other_delimiters:
        return None
    ends_in_bracket = bool(shape.brackets) and shape.brackets[-1].closing == len(target) - 1
    if ends_in_bracket == bool(shape.bars):
        return None  # a union ending in a bracket, or one long name: black's choice depends on more
    if default is not None and target_fits:  # black wraps the default in parentheses
        return [f"{INDENT}{target} = (", f"{INDENT * 2}{default}", f"{INDENT})"]
    if ends_in_bracket:
        return _right_hand_split(text, shape.brackets[-1], depth=1)
    # A union: black puts it in parentheses of its own, after the name.
    name, annotation = target.split(": ", 1)
    lines = _lines(annotation, depth=2)
    tail = ")" if default is None else f") = {default}"
    if lines is None or len(INDENT) + len(tail) > LINE_LENGTH:
        return None
    return [f"{INDENT}{name}: (", *lines, INDENT + tail]


def _class_header(text: str) -> list[str] | None:
    """`class Name(Bases):` split at its parentheses, as black splits any line at its last bracket."""
    shape = _shape(text.removesuffix(":"))
    if shape is None or not shape.brackets or shape.brackets[-1].closing != len(text) - 2:
        return None
    return _right_hand_split(text, shape.brackets[-1], depth=0)


def _def_header(text: str) -> list[str] | None:
    """A method's `def` split at its parameters' parentheses (black splits a `def` at its first bracket)."""
    shape = _shape(text.removesuffix(":"))
    if shape is None or not text.startswith("def ") or not shape.brackets:
        return None
    parameters = shape.brackets[0]
    head, body, tail = text[: parameters.opening + 1], text[parameters.opening + 1 : parameters.closing], text[parameters.closing :]
    inner = _shape(body)
    if inner is None or not body or body.endswith(",") or inner.other_delimiters or inner.bars:
        return None
    if not inner.commas:
        body += ","  # black adds a trailing comma to a lone parameter
    lines = _lines(body, depth=2)
    if lines is None or len(INDENT) + max(len(head), len(tail)) > LINE_LENGTH:
        return None
    return [INDENT + head, *lines, INDENT + tail]


def _lines(text: str, depth: int, *, explode: bool = False) -> list[str] | None:
    """The lines of `text`, a line inside brackets at `depth`, as black splits it."""
    indent = INDENT * depth
    if not explode and len(indent) + len(text) <= LINE_LENGTH:
        return [indent + text]
    shape = _shape(text)
    if shape is None:
        return None
    commas = shape.commas[:-1] if text.endswith(",") else shape.commas
    # black splits at the delimiters of the highest priority: commas, else a union's bars.
    cuts, before = (commas, False) if commas else (shape.bars, True)
    if cuts:
        if not commas and shape.other_delimiters:
            return None  # commas outrank every other delimiter; bars do not
        out: list[str] = []
        start = 0
        for cut in (*cuts, len(text)):
            part = text[start:cut].strip()
            lines = _lines(part.removesuffix(",") + "," if commas else part, depth)
            if lines is None:
                return None
            out += lines
            start = cut if before else cut + 1
        return out
    if shape.other_delimiters:
        return None
    if not shape.brackets:
        return [indent + text]  # an atom black cannot split: it stays too long
    return _right_hand_split(text, shape.brackets[-1], depth)


def _right_hand_split(text: str, last: _Bracket, depth: int) -> list[str] | None:
    """Head up to the last bracket, its body indented, the closing bracket and what follows."""
    indent = INDENT * depth
    head, body, tail = text[: last.opening + 1], text[last.opening + 1 : last.closing].strip(), text[last.closing :]
    if not body or body.endswith(",") or len(indent) + max(len(head), len(tail)) > LINE_LENGTH:
        return None
    inner = _shape(body)
    if inner is None:
        return None
    several = bool(inner.commas)
    lines = _lines(body, depth + 1, explode=last.literal and several)
    if lines is None:
        return None
    return [indent + head, *lines, indent + tail]


_TOKEN = re.compile(
    r"(?P<string>[A-Za-z]{0,2}(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'))"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<number>\.?\d[\w.]*)"
    r"|(?P<op>\*\*=?|//=?|<<=?|>>=?|<=|>=|==|!=|->|:=|[-+*/%@&|^~<>=!]=?|[()\[\]{},:;.])"
    r"|(?P<space> +)"
)
"""One token of a line of code. A comment, a backslash or a triple quote matches nothing, or an empty string: either stops the scan."""


def _tokens(text: str) -> list[tuple[str, str, int]] | None:
    """The (kind, text, column) tokens of one line of code, or None when it holds something not modelled here."""
    tokens: list[tuple[str, str, int]] = []
    column = 0
    while column < len(text):
        match = _TOKEN.match(text, column)
        if match is None:
            return None
        kind, value = match.lastgroup or "", match.group()
        if kind == "string" and value.endswith(("''", '""')) and text[match.end() : match.end() + 1] in ("'", '"'):
            return None  # a triple-quoted string
        if kind != "space":
            tokens.append((kind, value, column))
        column = match.end()
    return tokens


def _shape(text: str) -> _Shape | None:
    """The top-level structure of `text`; None when it is not one line of code this models."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    brackets: list[_Bracket] = []
    commas: list[int] = []
    bars: list[int] = []
    equals: int | None = None
    other = False
    stack: list[tuple[int, bool]] = []
    previous = ""
    for kind, value, column in tokens:
        if kind == "string" and "f" in value[: value.index(value[-1])].lower():
            return None  # an f-string's braces are not brackets
        if kind == "op" and value in _OPENING:
            literal = not previous or keyword.iskeyword(previous) or not (previous[-1].isalnum() or previous[-1] in "_)]}\"'")
            stack.append((column, literal))
        elif kind == "op" and value in _CLOSING:
            if not stack:
                return None
            opening, literal = stack.pop()
            if not stack:
                brackets.append(_Bracket(opening, column, literal))
        elif stack:
            pass
        elif value == ",":
            commas.append(column)
        elif value == "|":
            bars.append(column)
        elif value == "=" and equals is None and text[column - 1 : column + 2] == " = ":
            equals = column - 1
        elif value in _DELIMITERS and kind in ("op", "name") and not _unary(value, previous):
            other = True
        previous = value
    if stack:
        return None
    return _Shape(tuple(brackets), tuple(commas), tuple(bars), equals, other)


def _unary(value: str, previous: str) -> bool:
    """A sign or a star that starts an operand: black does not split there."""
    return value in ("-", "+", "*", "**") and previous in ("", "=", "(", "[", "{", ",", ":")
