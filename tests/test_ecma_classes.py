"""`\\d`, `\\w`, `\\s` and `\\b` as ECMA-262 means them, in the models and the reference
alike (generator/conformance/ecma.py): every engine specgen uses reads them otherwise."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from generator.conformance.ecma import ecma_classes, matcher, models_pattern
from tests.test_models_amend import models_of

ECMA_SPACES = (
    "\t\n\x0b\x0c\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
"""ECMA-262's WhiteSpace and LineTerminator, each `\\s` (a sample of U+2000-U+200A)."""
NOT_SPACES = "\x85\x1c\x1f\u180e\u200b\u2060aé_"
"""What Rust's (U+0085) or Python's (U+001C-U+001F) `\\s` takes, and ECMA's does not."""


@pytest.mark.parametrize(
    ("pattern", "text", "ecma"),
    [
        *((r"^\s$", c, True) for c in ECMA_SPACES),
        *((r"^\s$", c, False) for c in NOT_SPACES),
        *((r"^\S$", c, False) for c in ECMA_SPACES),
        *((r"^\S$", c, True) for c in NOT_SPACES),
        *((r"^[\s'-]$", c, True) for c in "\u00a0\ufeff'-"),
        (r"^[\S]$", "\x85", True),
        (r"^[^\S]$", "\ufeff", True),
        (r"^[^\S]$", "\x85", False),
        (r"^a\b", "aé", True),  # `é` is no ECMA word character: a boundary
        (r"^a\B", "aé", False),
        (r"^\d$", "٠", False),
        (r"^\w$", "é", False),
        (r"^[\b]$", "\x08", True),  # a backspace, in a class
    ],
)
def test_the_reference_and_models_read_shorthands_as_ecma_262(
    pattern: str, text: str, ecma: bool
) -> None:
    found = matcher(pattern)
    assert found is not None and found.search(text) is ecma
    _, models = models_of(
        {
            "S": {
                "type": "object",
                "properties": {"v": {"type": "string", "pattern": pattern}},
            }
        },
        "ecma_classes",
    )
    try:
        models.S.model_validate({"v": text})
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted is ecma


def test_a_pattern_only_python_runs_keeps_its_boundaries() -> None:
    """Python's `re` reads no `(?-u:\\b)`; under `re.ASCII` its `\\b` is ECMA's already."""
    assert models_pattern(r"\bfoo\b") == r"(?-u:\b)foo(?-u:\b)"
    assert models_pattern(r"(?=x)\bx\s") == r"(?=x)\bx" + ecma_classes(r"\s")
    assert ecma_classes(r"\\s") == r"\\s"  # an escaped backslash, then `s`
    assert ecma_classes(r"[\d-z]") == r"[0-9\-z]"  # a class escape ends no range
