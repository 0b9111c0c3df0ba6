"""Check every `pattern` of a spec before generating: one the models cannot honour is a warning.

Specs write ECMA-262 patterns; the reference validator runs them through
Python's `re` (with `$` made the very end of the string, full-match
semantics) and pydantic through its own engine. A pattern that does not
compile, uses ECMA-only syntax, or rejects the spec's own examples would make
the generated models and the spec disagree silently, so each is reported with
its JSON pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.problems import Level, Problem, join_pointer
from generator.conformance.ecma import compiled

_ECMA_ONLY = (
    (re.compile(r"\(\?<[A-Za-z]"), "named groups `(?<name>…)` are ECMA-only syntax (Python spells them `(?P<name>…)`)"),
    (re.compile(r"\\[pP]\{"), "Unicode property escapes `\\p{…}` are not supported by Python's `re`"),
    (re.compile(r"\\u\{"), "code point escapes `\\u{…}` are not supported by Python's `re`"),
    (re.compile(r"\\k<"), "named back-references `\\k<name>` are ECMA-only syntax"),
    (re.compile(r"\[\^?\]"), "an empty class `[]` or `[^]` means something else in Python"),
    (re.compile(r"\\c[A-Za-z]"), "control escapes `\\cX` are not supported by Python's `re`"),
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
    values = [*(schema.get("examples") or []), *([schema["example"]] if "example" in schema else [])]
    values += [schema["default"]] if "default" in schema else []
    values += list(schema.get("enum") or [])
    return [v for v in values if isinstance(v, str)]


def check_patterns(document: dict[str, Any], spec: Path) -> list[Problem]:
    """Warnings for the patterns of `document` that the generated models cannot honour."""
    problems: list[Problem] = []
    for pointer, pattern, schema in _patterns(document, ""):
        reason = next((why for detector, why in _ECMA_ONLY if detector.search(pattern)), None)
        if reason is not None:
            problems.append(Problem(Level.WARNING, spec, pointer, f"pattern {pattern!r} cannot be honoured: {reason}"))
            continue
        try:
            regex = compiled(pattern)
        except re.error as exc:
            problems.append(Problem(Level.WARNING, spec, pointer, f"pattern {pattern!r} does not compile in Python: {exc}"))
            continue
        for example in _own_examples(schema):
            if not regex.search(example):
                problems.append(Problem(Level.WARNING, spec, pointer, f"the spec's own example {example!r} does not match pattern {pattern!r}"))
    return problems
