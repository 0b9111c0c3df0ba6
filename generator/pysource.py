"""Python source fragments, written the way black would write them.

black is the formatter of record and still formats every generated file; but
it is several times slower on a line it must split or re-quote than on one it
only has to read. So the templates' busiest lines are laid out here in black's
style to begin with. A layout that differs from black's costs only time: black
still decides the bytes.
"""

from __future__ import annotations

LINE_LENGTH = 88


def string_literal(text: str) -> str:
    """A Python literal for `text`, double-quoted as black prefers."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        return '"' + literal[1:-1] + '"'
    return literal


def tuple_display(items: list[str], indent: int) -> str:
    """A tuple of Python expressions that starts `indent` columns in and ends with `,`.

    Two items or more are written one per line with a trailing comma, which
    black keeps; a single item stays on its line when it fits.
    """
    if not items:
        return "()"
    if len(items) == 1 and indent + len(items[0]) + 4 <= LINE_LENGTH:
        return f"({items[0]},)"
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
