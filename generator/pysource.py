"""Python source fragments, written the way black would write them.

black is the formatter of record and still formats every generated file; but
it is several times slower on a line it must split or re-quote than on one it
only has to read. So the templates' busiest lines are laid out here in black's
style to begin with. A layout that differs from black's costs only time: black
still decides the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.formatting import LINE_LENGTH


def string_literal(text: str) -> str:
    """A Python literal for `text`, double-quoted as black prefers."""
    literal = repr(text)
    if not literal.startswith("'") or text.count('"') > text.count("'"):
        return literal  # black too keeps the quotes that need fewer escapes
    return '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'


def data_literal(value: Any) -> str:
    """JSON-like data as a one-line Python literal, strings double-quoted."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{data_literal(key)}: {data_literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(data_literal(item) for item in value) + "]"
    return repr(value)


def assignment(target: str, value: Any, indent: int = 0) -> str:
    """`target = value` for JSON-like data: one line when it fits, else collections one item per line, as black does."""
    return f"{target} = {_laid_out(value, indent, len(target) + 3, 0)}"


def _laid_out(value: Any, indent: int, before: int, after: int) -> str:
    """`value` starting `before` columns after `indent`, followed by `after` characters on its last line.

    Like black: a collection that does not fit puts its one item on a line of
    its own, or its items one per line with a trailing comma.
    """
    one_line = data_literal(value)
    if indent + before + len(one_line) + after <= LINE_LENGTH or not isinstance(value, dict | list) or not value:
        return one_line
    inner = " " * (indent + 4)
    if isinstance(value, dict):
        heads = [f"{data_literal(key)}: " for key in value]
        items = [head + _laid_out(item, indent + 4, len(head), int(len(value) > 1)) for head, item in zip(heads, value.values(), strict=True)]
    else:
        items = [_laid_out(item, indent + 4, 0, int(len(value) > 1)) for item in value]
    body = f"{inner}{items[0]}\n" if len(items) == 1 else "".join(f"{inner}{item},\n" for item in items)
    brackets = "{}" if isinstance(value, dict) else "[]"
    return brackets[0] + "\n" + body + " " * indent + brackets[1]


def tuple_literal(items: list[str]) -> str:
    """A one-line tuple of Python expressions, with the comma a single item needs."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def call(head: str, arguments: list[Expression], indent: int, after: int = 0) -> str:
    """`head(arguments)` starting `indent` columns in and followed by `after` characters.

    One line, the arguments on one line, or one each.
    """
    return Call(head, tuple(arguments)).laid_out(indent, after)


@dataclass(frozen=True)
class Call:
    """A call whose layout depends on where it starts."""

    head: str
    arguments: tuple[Expression, ...]

    def one_line(self) -> str:
        return f"{self.head}({', '.join(one_line(argument) for argument in self.arguments)})"

    def laid_out(self, indent: int, after: int) -> str:
        joined = ", ".join(one_line(argument) for argument in self.arguments)
        if indent + len(self.head) + len(joined) + 2 + after <= LINE_LENGTH:
            return f"{self.head}({joined})"
        inner = " " * (indent + 4)
        if len(inner) + len(joined) <= LINE_LENGTH:
            return f"{self.head}(\n{inner}{joined}\n{' ' * indent})"
        return f"{self.head}(\n" + _one_per_line(self.arguments, indent + 4) + " " * indent + ")"


@dataclass(frozen=True)
class TupleDisplay:
    """A tuple whose layout depends on where it starts."""

    items: tuple[Expression, ...]

    def one_line(self) -> str:
        return tuple_literal([one_line(item) for item in self.items])

    def laid_out(self, indent: int, after: int) -> str:
        flat = self.one_line()
        if indent + len(flat) + after <= LINE_LENGTH:
            return flat
        return "(\n" + _one_per_line(self.items, indent + 4) + " " * indent + ")"


Expression = str | Call | TupleDisplay
"""Python source: a plain string is laid out as it is."""


def one_line(expression: Expression) -> str:
    return expression if isinstance(expression, str) else expression.one_line()


def _one_per_line(items: tuple[Expression, ...], indent: int) -> str:
    """Each item on a line of its own, `indent` columns in, with a trailing comma."""
    inner = " " * indent
    return "".join(f"{inner}{item if isinstance(item, str) else item.laid_out(indent, after=1)},\n" for item in items)


def exploded_assignment(name: str, annotation: str, value: Call) -> str:
    """`name: annotation = value`, the call's arguments one per line behind a magic trailing comma.

    When `... = head(` is too long, black wraps the value in parentheses; when
    even `... = (` is, it splits the annotation's subscript instead.
    """
    target = f"{name}: {annotation}"
    opening = f"{target} = {value.head}("
    arguments = _one_per_line(value.arguments, 4)
    if len(opening) <= LINE_LENGTH:
        return f"{opening}\n{arguments})"
    if len(target) + 4 <= LINE_LENGTH:
        return f"{target} = (\n    {value.head}(\n" + _one_per_line(value.arguments, 8) + "    )\n)"
    subscript = _split_subscript(annotation)
    if subscript is None or len(name) + len(subscript[0]) + 3 > LINE_LENGTH:
        return f"{opening}\n{arguments})"  # rare enough to leave to black
    generic, body = subscript
    return f"{name}: {generic}[\n{body}\n] = {value.head}(\n{arguments})"


def _split_subscript(annotation: str) -> tuple[str, str] | None:
    """`Generic[A | B]` split as black splits it four columns in: `A | B` on one line, or one member per line."""
    generic, bracket, inner = annotation.partition("[")
    if not bracket or not annotation.endswith("]") or not generic.isidentifier():
        return None
    inner = inner[:-1]
    if 4 + len(inner) <= LINE_LENGTH:
        return generic, f"    {inner}"
    members = _union_members(inner)
    lines = [f"    {members[0]}", *(f"    | {member}" for member in members[1:])]
    if len(members) < 2 or any(len(line) > LINE_LENGTH for line in lines):
        return None
    return generic, "\n".join(lines)


def _union_members(annotation: str) -> list[str]:
    """The members of a union written `A | B[C | D]`, split only outside brackets."""
    members, depth, start = [], 0, 0
    for index, character in enumerate(annotation):
        depth += (character in "[(") - (character in "])")
        if depth == 0 and annotation.startswith(" | ", index):
            members.append(annotation[start:index])
            start = index + 3
    return [*members, annotation[start:]]
