"""Python source fragments, written the way black would write them.

black is the formatter of record and still formats every generated file; but
it is several times slower on a line it must split or re-quote than on one it
only has to read. So the templates' busiest lines are laid out here in black's
style to begin with. A layout that differs from black's costs only time: black
still decides the bytes.
"""

from __future__ import annotations

from typing import Any

LINE_LENGTH = 88


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


def tuple_display(items: list[str], indent: int) -> str:
    """A tuple of Python expressions that starts `indent` columns in and is followed by `,`.

    On one line when it fits, else one item per line with a trailing comma, as black does.
    """
    one_line = tuple_literal(items)
    if indent + len(one_line) + 1 <= LINE_LENGTH:
        return one_line
    inner = " " * (indent + 4)
    return "(\n" + "".join(f"{inner}{item},\n" for item in items) + " " * indent + ")"


def call(head: str, arguments: list[str], indent: int) -> str:
    """`head(arguments)` as a statement starting `indent` columns in: one line, the arguments on one line, or one each."""
    joined = ", ".join(arguments)
    if indent + len(head) + len(joined) + 2 <= LINE_LENGTH:
        return f"{head}({joined})"
    inner = " " * (indent + 4)
    if len(inner) + len(joined) <= LINE_LENGTH:
        return f"{head}(\n{inner}{joined}\n{' ' * indent})"
    return f"{head}(\n" + "".join(f"{inner}{argument},\n" for argument in arguments) + " " * indent + ")"
