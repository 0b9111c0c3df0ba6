"""ECMA-262 patterns (what OpenAPI patterns are), matched by specgen in linear time.

A spec brings both the patterns and the strings specgen matches them against, so
a backtracking engine lets a 12-line spec hang generation (`^(a+)+$` against
`aaaa…!`). `matcher` runs patterns on jsonschema-rs's Rust `regex` engine, which
is linear-time and reads ECMA-262 syntax. A model field that only Python's `re`
can check reads `\\s`, `\\S` and `.` the `re.ASCII` way (`ecma_pattern`), so
`_as_python_reads` spells them so for every pattern, and all agree. The
generated tests' reference runs the same engine on the same rewritten pattern
(`stored_pattern`): a spec cannot hang their `pytest` either. A pattern no
linear-time engine takes (look-around, back-references) has no matcher:
callers skip whatever would need one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jsonschema_rs
from pydantic_core import SchemaError, SchemaValidator, core_schema

_ASCII_SPACE = "\\t\\n\\x0b\\x0c\\r "
"""Python's `\\s` under `re.ASCII`, written for a class."""
_NOT_ASCII_SPACE = "\\x00-\\x08\\x0e-\\x1f\\x21-\\u{10FFFF}"
"""Python's `\\S` under `re.ASCII`, written for a class."""
_OUTSIDE_CLASS = {
    ".": "[^\\n]",
    "\\s": f"[{_ASCII_SPACE}]",
    "\\S": f"[{_NOT_ASCII_SPACE}]",
}
_INSIDE_CLASS = {"\\s": _ASCII_SPACE, "\\S": _NOT_ASCII_SPACE}
_LINEAR = jsonschema_rs.RegexOptions()


def ecma_pattern(pattern: str) -> str:
    """ECMA-262 `pattern` for Python's `re`: an unescaped `$` outside a class is the very end."""
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


_ASCII_CLASSES = {"d": "0-9", "w": "0-9A-Za-z_"}
"""ECMA-262's `\\d` and `\\w`, which are ASCII (Rust's and Python's are Unicode)."""


def ascii_shorthands(pattern: str) -> str:
    """`pattern` with `\\d`, `\\D`, `\\w` and `\\W` spelled as the ASCII classes ECMA-262
    means: a model's Rust regex reads `\\d` as any Unicode digit (`٠`), which the
    spec's pattern refuses. Inside a class, a negated one stays as written."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            nxt = pattern[index + 1]
            index += 2
            if nxt.lower() in _ASCII_CLASSES and not (in_class and nxt.isupper()):
                members = _ASCII_CLASSES[nxt.lower()]
                if in_class:
                    out.append(members)
                else:
                    out.append(f"[^{members}]" if nxt.isupper() else f"[{members}]")
            else:
                out.append(char + nxt)
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _as_python_reads(pattern: str) -> str:
    """`pattern` with `.`, `\\s` and `\\S` spelled as `re.ASCII` reads them (ECMA's are Unicode)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        piece = pattern[index : index + 2] if char == "\\" else char
        index += len(piece)
        table = _INSIDE_CLASS if in_class else _OUTSIDE_CLASS
        out.append(table.get(piece, piece))
        if piece == "[":
            in_class = True
        elif piece == "]":
            in_class = False
    return "".join(out)


class Matcher:
    """One pattern on the linear-time engine, with `re.search` semantics."""

    def __init__(self, validator: jsonschema_rs.Validator) -> None:
        self._validator = validator

    def search(self, text: str) -> bool:
        return bool(self._validator.is_valid(text))


@lru_cache(maxsize=4096)
def python_compiles(pattern: str) -> bool:
    """Whether the generated tests' reference (and a model using `re`) can read `pattern`."""
    try:
        re.compile(ecma_pattern(pattern), re.ASCII)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


@lru_cache(maxsize=4096)
def matcher(pattern: str) -> Matcher | None:
    """`pattern` on the linear-time engine; None when that engine or Python cannot take it."""
    if not python_compiles(pattern) or re.search(r"(?<!\\)\[\^?\]", pattern):
        return None  # `[]` and `[^]` mean something else to Python: no engine would agree with it
    try:
        validator = jsonschema_rs.validator_for(
            {"pattern": _as_python_reads(pattern)}, pattern_options=_LINEAR
        )
    except (jsonschema_rs.ValidationError, ValueError):
        return None
    return Matcher(validator)


def stored_pattern(pattern: str) -> dict[str, str]:
    """How the generated tests match `pattern`, so they judge as specgen did and in linear time.

    `linear`: what `matcher` runs, for jsonschema-rs. Empty when there is no
    matcher: the tests leave out what would need one, as specgen does. Not even
    short strings go to `re`: `(?=a)(a|a|a|a|a|a|a|a|a|a)*$` takes it 7 s on 9 characters.
    """
    found = matcher(pattern)
    return {"linear": _as_python_reads(pattern)} if found is not None else {}


@lru_cache(maxsize=4096)
def rust_rejects(pattern: str) -> bool:
    """Whether pydantic-core's default (linear-time) engine refuses `pattern`.

    Such a pattern can only be checked with Python's backtracking `re`, which
    datamodel-code-generator would switch the whole model to.
    """
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return True
    return False
