"""timeouts: the httpx timeouts of one attempt, cut to what is left of the total."""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from specgen_runtime.timeouts import Timeouts


def test_defaults() -> None:
    assert Timeouts() == Timeouts(connect=10.0, read=60.0, total=None)


def test_without_a_total_each_attempt_gets_the_configured_timeouts() -> None:
    timeout = Timeouts(connect=3.0, read=20.0).for_attempt(None)
    assert timeout == httpx.Timeout(20.0, connect=3.0)
    assert (timeout.connect, timeout.read, timeout.write) == (3.0, 20.0, 20.0)


def test_the_read_timeout_also_bounds_sending_the_request() -> None:
    """`read` covers sending the request too, says the docstring: httpx's `write`."""
    assert Timeouts(read=7.0).for_attempt(None).write == 7.0


@pytest.mark.parametrize(
    ("remaining", "connect", "read"),
    [
        (100.0, 10.0, 60.0),  # plenty left: unchanged
        (60.0, 10.0, 60.0),
        (30.0, 10.0, 30.0),  # only the read timeout is cut
        (4.0, 4.0, 4.0),  # both are cut
        (0.5, 0.5, 0.5),
    ],
)
def test_an_attempt_never_outlasts_what_is_left(
    remaining: float, connect: float, read: float
) -> None:
    timeout = Timeouts(total=120.0).for_attempt(remaining)
    assert (timeout.connect, timeout.read, timeout.write) == (connect, read, read)


@pytest.mark.parametrize("remaining", [0.0, -5.0, 0.0001])
def test_an_exhausted_budget_still_gives_a_positive_timeout(remaining: float) -> None:
    """Never a zero or negative timeout: a millisecond is the floor."""
    timeout = Timeouts().for_attempt(remaining)
    assert (timeout.connect, timeout.read) == (0.001, 0.001)


def test_timeouts_cannot_be_changed_once_made() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Timeouts().read = 1.0  # type: ignore[misc]
