"""Edits of a Python module's text at `ast` positions, applied at once.

datamodel-code-generator's output is amended by replacing nodes' text in place,
which keeps every other byte (comments, layout) as it was.
"""

from __future__ import annotations

import ast
import functools


class SourceEdits:
    """Edits of a module's text at `ast` positions (which count UTF-8 bytes)."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.lines = [0]
        for line in self.data.split(b"\n")[:-1]:
            self.lines.append(self.lines[-1] + len(line) + 1)
        self.edits: list[tuple[int, int, str]] = []

    def start(self, node: ast.expr | ast.stmt | ast.keyword) -> int:
        return self.lines[node.lineno - 1] + node.col_offset

    def end(self, node: ast.expr | ast.stmt | ast.keyword) -> int:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.lines[node.end_lineno - 1] + node.end_col_offset

    def text(self, node: ast.expr | ast.keyword) -> str:
        return self.data[self.start(node) : self.end(node)].decode("utf-8")

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def replace_node(self, node: ast.expr, text: str) -> None:
        self.replace(self.start(node), self.end(node), text)

    def result(self) -> str:
        data = self.data
        for start, end, text in sorted(self.edits, reverse=True):
            data = data[:start] + text.encode("utf-8") + data[end:]
        return data.decode("utf-8")


@functools.lru_cache(maxsize=2)
def parsed_module(source: str) -> ast.Module:
    """`ast.parse(source)`, once per text: most amendments change nothing, and the
    next one reads the same module (a big spec's takes a tenth of a second to
    parse). The tree is shared: read it, never change it."""
    return ast.parse(source)
