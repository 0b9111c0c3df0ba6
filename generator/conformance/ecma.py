"""ECMA-262 patterns (what OpenAPI patterns are), matched by specgen in linear time.

A spec brings both the patterns and the strings specgen matches them against, so
a backtracking engine lets a 12-line spec hang generation (`^(a+)+$` against
`aaaa…!`). `matcher` runs patterns on jsonschema-rs's Rust `regex` engine, which
is linear-time and reads ECMA-262 syntax. Engines differ on `\\d`, `\\w`, `\\s`
and `\\b`, so the models and the reference both get them spelled as ECMA-262
means them (`ecma_classes`), and `.` as the models read it; a model field that
only Python's `re` can check runs under `re.ASCII` (`ecma_pattern`). The
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

_OUTSIDE_CLASS = {".": "[^\\n]"}
"""What a model's Rust regex and Python's `re` read `.` as, which the reference reads alike."""
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


_Ranges = tuple[tuple[int, int], ...]

_ECMA_CLASSES: dict[str, _Ranges] = {
    "d": ((0x30, 0x39),),
    "w": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "s": (
        (0x09, 0x0D),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
    ),
}
"""ECMA-262's `\\d`, `\\w` (ASCII) and `\\s` (its WhiteSpace and LineTerminator):
Rust's `\\d` and `\\w` are Unicode, its `\\s` takes U+0085 and not U+FEFF, and
Python's differ again, with or without `re.ASCII`."""


def _escaped(code: int) -> str:
    """`code` as an escape that Rust's regex, Python's `re` and jsonschema-rs all read."""
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _complement(ranges: _Ranges) -> _Ranges:
    gaps: list[tuple[int, int]] = []
    low = 0
    for start, end in ranges:
        if start > low:
            gaps.append((low, start - 1))
        low = end + 1
    return (*gaps, (low, 0x10FFFF)) if low <= 0x10FFFF else tuple(gaps)


def _members(ranges: _Ranges) -> str:
    return "".join(
        _escaped(lo) if lo == hi else f"{_escaped(lo)}-{_escaped(hi)}"
        for lo, hi in ranges
    )


_AS_WRITTEN = {"d": "0-9", "w": "0-9A-Za-z_"}


def _class_members(letter: str) -> str:
    """The members, for inside a class, of ECMA's `\\<letter>` (`\\S`: all but `\\s`)."""
    ranges = _ECMA_CLASSES[letter.lower()]
    if letter.isupper():
        return _members(_complement(ranges))
    return _AS_WRITTEN.get(letter) or _members(ranges)


_BOUNDARIES = {"b": "(?-u:\\b)", "B": "(?-u:\\B)"}
"""ECMA-262's word boundaries, which are ASCII's `\\w` (Rust's are Unicode's)."""


def ecma_classes(pattern: str, *, boundaries: bool = True) -> str:
    """`pattern` with `\\d`, `\\w`, `\\s`, their negations and (`boundaries`) `\\b` and
    `\\B` spelled as ECMA-262 means them, so every engine agrees: a model's Rust regex
    takes `٠` for `\\d` and U+0085 for `\\s`, which the spec's pattern refuses.

    Python's `re` cannot read the spelled boundaries (its `re.ASCII` `\\b` is
    already ECMA's): `boundaries=False` leaves them for a pattern only `re` runs.
    """
    out: list[str] = []
    in_class = dash = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        piece = pattern[index : index + 2] if char == "\\" else char
        index += len(piece)
        letter = piece[1:]
        if len(piece) == 2 and letter.lower() in _ECMA_CLASSES:
            if not in_class:
                own = _class_members(letter.lower())
                out.append(f"[^{own}]" if letter.isupper() else f"[{own}]")
                continue
            if dash:  # `[a-\\d]` is `a`, `-` and a digit, no range
                out[-1] = "\\-"
            out.append(_class_members(letter))
            if (
                pattern[index : index + 1] == "-"
                and pattern[index + 1 : index + 2] != "]"
            ):
                # nor is `[\\d-a]`
                out.append("\\-")
                index += 1
            dash = False
            continue
        if in_class and piece == "\\b":
            out.append("\\x08")  # a backspace, in a class
        elif boundaries and not in_class and letter in _BOUNDARIES:
            out.append(_BOUNDARIES[letter])
        else:
            out.append(piece)
        dash = in_class and piece == "-"
        if piece == "[" and not in_class:
            in_class = True
        elif piece == "]" and in_class:
            in_class = False
    return "".join(out)


def models_pattern(pattern: str) -> str:
    """`pattern` as a model's field checks it: `ecma_classes`, boundaries spelled only
    where Rust runs it (a pattern Rust refuses goes to `re` under `re.ASCII`)."""
    spelled = ecma_classes(pattern)
    return ecma_classes(pattern, boundaries=False) if rust_rejects(spelled) else spelled


def _as_the_reference_reads(pattern: str) -> str:
    """`pattern` as the reference runs it: `ecma_classes`, and `.` as the models read it
    (`[^\\n]`, where ECMA-262 also refuses `\\r`, U+2028 and U+2029)."""
    out: list[str] = []
    in_class = False
    index = 0
    spelled = ecma_classes(pattern)
    while index < len(spelled):
        char = spelled[index]
        piece = spelled[index : index + 2] if char == "\\" else char
        index += len(piece)
        out.append(piece if in_class else _OUTSIDE_CLASS.get(piece, piece))
        if piece == "[" and not in_class:
            in_class = True
        elif piece == "]" and in_class:
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
            {"pattern": _as_the_reference_reads(pattern)}, pattern_options=_LINEAR
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
    return {"linear": _as_the_reference_reads(pattern)} if found is not None else {}


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
