"""ECMA-262 regular expressions (what OpenAPI patterns are) run with Python's `re`."""

from __future__ import annotations

import re
from functools import lru_cache


def ecma_pattern(pattern: str) -> str:
    """Translate an ECMA-262 pattern to Python's `re`: an unescaped `$` outside a class is the very end."""
    out: list[str] = []
    in_class = escaped = False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(ecma_pattern(pattern), re.ASCII)
