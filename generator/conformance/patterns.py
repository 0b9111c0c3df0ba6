"""Check every `pattern` of a spec before generating: one the models cannot honour is a warning.

Specs write ECMA-262 patterns; the reference validator matches them in linear
time (with `$` the very end of the string, full-match semantics) and pydantic
through its own engine. A pattern that does not compile, uses ECMA-only
syntax, or rejects the spec's own examples would make the generated models and
the spec disagree silently, so each is reported with its JSON pointer.

So is a pattern that only Python's backtracking `re` can run (look-around,
back-references): the model checks that one field with `re`
(`generator.models.codegen`), the spec's examples are not checked against it,
and no validation case that would need to match it is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.conformance.ecma import ecma_pattern, matcher, rust_rejects
from generator.problems import Level, Problem, join_pointer

_ECMA_ONLY = (
    (
        re.compile(r"\(\?<[A-Za-z]"),
        "named groups `(?<name>…)` are ECMA-only syntax (Python spells them `(?P<name>…)`)",
    ),
    (
        re.compile(r"\\[pP]\{"),
        "Unicode property escapes `\\p{…}` are not supported by Python's `re`",
    ),
    (
        re.compile(r"\\u\{"),
        "code point escapes `\\u{…}` are not supported by Python's `re`",
    ),
    (re.compile(r"\\k<"), "named back-references `\\k<name>` are ECMA-only syntax"),
    (
        re.compile(r"\[\^?\]"),
        "an empty class `[]` or `[^]` means something else in Python",
    ),
    (
        re.compile(r"\\c[A-Za-z]"),
        "control escapes `\\cX` are not supported by Python's `re`",
    ),
)


def _patterns(node: Any, pointer: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (pointer, pattern, schema holding it) in the document."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield join_pointer(pointer, "pattern"), node["pattern"], node
        for key, value in node.items():
            if key not in ("examples", "example", "default", "enum", "const"):
                yield from _patterns(value, join_pointer(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _patterns(value, join_pointer(pointer, index))


def _own_examples(schema: dict[str, Any]) -> list[str]:
    values = [*(schema.get("examples") or [])]
    values += [schema["example"]] if "example" in schema else []
    values += [schema["default"]] if "default" in schema else []
    values += list(schema.get("enum") or [])
    return [v for v in values if isinstance(v, str)]


_NO_CASES = "specgen generates no validation case that needs to match it"


def _backtracking(pattern: str, schema: dict[str, Any], matched: bool) -> str:
    """The warning for a pattern without a linear-time engine: where its cost lands."""
    cases = "" if matched else f"; {_NO_CASES}"
    if not rust_rejects(pattern):
        return (
            f"pattern {pattern!r} has no linear-time matcher for ECMA-262 here{cases}"
        )
    bound = schema.get("maxLength")
    cost = (
        f"its maxLength {bound} bounds the input it runs on"
        if isinstance(bound, int) and not isinstance(bound, bool)
        else "no maxLength bounds its input (`re` can take exponential time on a long value)"
    )
    return (
        f"pattern {pattern!r} needs Python's backtracking `re` (look-around or a back-reference):"
        f" the model checks this field alone with it (its other fields keep the linear-time"
        f" Rust engine), and {cost}{cases}"
    )


def check_patterns(document: dict[str, Any], spec: Path) -> list[Problem]:
    """Warnings for the patterns of `document` that the generated models cannot honour."""
    problems: list[Problem] = []

    def warn(pointer: str, message: str) -> None:
        problems.append(Problem(Level.WARNING, spec, pointer, message))

    for pointer, pattern, schema in _patterns(document, ""):
        reason = next(
            (why for detector, why in _ECMA_ONLY if detector.search(pattern)), None
        )
        if reason is not None:
            warn(pointer, f"pattern {pattern!r} cannot be honoured: {reason}")
            continue
        try:
            re.compile(ecma_pattern(pattern), re.ASCII)
        except (re.error, RecursionError, OverflowError) as exc:
            warn(pointer, f"pattern {pattern!r} does not compile in Python: {exc}")
            continue
        regex = matcher(pattern)
        if regex is None or rust_rejects(pattern):
            warn(pointer, _backtracking(pattern, schema, regex is not None))
        if regex is None:
            continue
        for example in _own_examples(schema):
            if not regex.search(example):
                warn(
                    pointer,
                    f"the spec's own example {example!r} does not match pattern {pattern!r}",
                )
    return problems
