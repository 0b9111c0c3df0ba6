"""Samples drawn from a spec's own pattern, when none of its strings match."""

from __future__ import annotations

import pytest

from generator.conformance.ecma import matcher
from generator.conformance.pattern_samples import LONGEST_PATTERN, pattern_sample


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        (r"[-.a-zA-Z0-9]+?\.txt", 0, 100),  # Sonarr's log file names
        (r"^[a-z]{3}-\d{4}$", 8, 8),
        (r"^(?:[A-Z]{2}|[0-9]{5})$", 5, 5),  # the lengths choose the branch
        (r"^[\u4e00-\u9fa5]{2,8}$", 2, 8),
        (r"^\S+@\S+\.\S+$", 0, 64),
    ],
)
def test_a_sample_matches_its_pattern_and_lengths(
    pattern: str, low: int, high: int
) -> None:
    sample = pattern_sample(pattern, low, high)
    assert sample is not None and low <= len(sample) <= high
    found = matcher(pattern)
    assert found is not None and found.search(sample)


def test_the_same_pattern_gives_the_same_sample() -> None:
    pattern = r"^[A-Z][a-z]+-[0-9]{2,4}$"
    assert len({pattern_sample(pattern, 0, 20) for _ in range(3)}) == 1


@pytest.mark.parametrize(
    ("pattern", "low", "high"),
    [
        ("[", 0, 10),  # not a regular expression
        ("a{5000}", 0, 100),  # no string of these lengths
        ("^ab$", 3, 10),
        ("a" * (LONGEST_PATTERN + 1), 0, 10_000),  # not drawn from at all
    ],
)
def test_no_sample_when_none_can_fit(pattern: str, low: int, high: int) -> None:
    assert pattern_sample(pattern, low, high) is None
