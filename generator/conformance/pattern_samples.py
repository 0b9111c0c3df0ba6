"""A string drawn from a `pattern` itself, for a patterned value none of the spec's strings fit.

Samples of patterned strings come from the spec's own strings and a few common
ones (`cases.CaseBuilder`). A pattern such as `[-.a-zA-Z0-9]+?\\.txt` (a file
name, in Sonarr's spec) matches none of them, and a parameter or field with no
sample would get an invalid one, which the generated client refuses before
sending. hypothesis draws strings from a regular expression: its first draws
are its simplest (`0.txt`), and derandomized they are the same on every run (the
pinned version keeps them so from one machine to the next). The caller keeps a
draw only if the linear-time matcher and the lengths accept it.
"""

from __future__ import annotations

import re

from generator.conformance.ecma import ecma_pattern

DRAWS = 50
"""Most strings drawn for one pattern before giving up: a few milliseconds each."""
LONGEST_PATTERN = 1_000
"""Longer patterns are not drawn from: the spec must not choose our run time."""


def pattern_sample(pattern: str, low: int, high: int) -> str | None:
    """A string of `low` to `high` characters that `pattern` (ECMA-262) finds, as
    hypothesis first draws one; None when no draw fits."""
    if len(pattern) > LONGEST_PATTERN:
        return None
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import HypothesisException

    try:
        strategy = st.from_regex(re.compile(ecma_pattern(pattern)), fullmatch=False)
        found: str = find(
            strategy,
            lambda text: low <= len(text) <= high,
            settings=settings(
                database=None,
                derandomize=True,
                max_examples=DRAWS,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            ),
        )
    except (HypothesisException, re.error, ValueError, OverflowError, RecursionError):
        return None
    return found
