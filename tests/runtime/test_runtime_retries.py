"""retries: which failures are retried, how long to wait, and `Retry-After`."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from specgen_runtime.retries import NO_RETRIES, RetryPolicy, parse_retry_after

NOW = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)


class FixedRandom(random.Random):
    """A `random.Random` whose `random()` is always `value`: jitter made predictable."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


NO_JITTER = FixedRandom(0.0)


def reply(status: int, retry_after: str | None = None) -> httpx.Response:
    """A response as received: a `Retry-After` is bytes on the wire (here UTF-8)."""
    headers = [] if retry_after is None else [(b"Retry-After", retry_after.encode())]
    return httpx.Response(status, headers=headers)


# --- backoff -----------------------------------------------------------------


def test_backoff_doubles_from_the_initial_delay_up_to_the_cap() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(retry, NO_JITTER) for retry in range(7)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        8.0,
        8.0,
    ]


def test_jitter_takes_up_to_its_fraction_off_the_delay() -> None:
    policy = RetryPolicy(initial_delay=2.0, jitter=0.25)
    assert policy.backoff(0, FixedRandom(0.0)) == 2.0
    assert policy.backoff(0, FixedRandom(0.5)) == 1.75
    assert policy.backoff(0, FixedRandom(0.999)) == pytest.approx(1.5, abs=0.001)


def test_jittered_delays_spread_within_their_bounds() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.5)
    rng = random.Random(1234)
    delays = [policy.backoff(1, rng) for _ in range(200)]
    assert all(1.0 < d <= 2.0 for d in delays)
    assert max(delays) - min(delays) > 0.8  # spread out, not all alike


def test_without_jitter_the_delay_does_not_depend_on_the_random_source() -> None:
    policy = RetryPolicy(jitter=0.0)
    assert (
        policy.backoff(2, FixedRandom(0.9))
        == policy.backoff(2, random.Random(7))
        == 2.0
    )


@pytest.mark.parametrize("retry", [1023, 1024, 1100, 10**6])
def test_backoff_of_a_very_late_retry_is_the_cap_not_an_overflow(retry: int) -> None:
    assert RetryPolicy(max_retries=10**7).backoff(retry, NO_JITTER) == 8.0
    assert RetryPolicy(initial_delay=0.0).backoff(retry, NO_JITTER) == 0.0


# --- after_response ----------------------------------------------------------


@pytest.mark.parametrize(
    "method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get", "Delete"]
)
@pytest.mark.parametrize("status", [429, 503])
def test_idempotent_methods_are_retried_on_429_and_503(
    method: str, status: int
) -> None:
    assert RetryPolicy().after_response(method, reply(status), 0, NO_JITTER) == 0.5


@pytest.mark.parametrize("status", [200, 201, 400, 404, 409, 500, 502, 504])
def test_other_statuses_are_not_retried_by_default(status: int) -> None:
    assert RetryPolicy().after_response("GET", reply(status), 0, NO_JITTER) is None


@pytest.mark.parametrize("method", ["POST", "PATCH", "post"])
def test_post_and_patch_are_retried_only_when_asked(method: str) -> None:
    assert RetryPolicy().after_response(method, reply(503), 0, NO_JITTER) is None
    assert (
        RetryPolicy(retry_non_idempotent=True).after_response(
            method, reply(503), 0, NO_JITTER
        )
        == 0.5
    )


def test_the_retried_statuses_can_be_chosen() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({500, 502}))
    assert policy.after_response("GET", reply(502), 0, NO_JITTER) == 0.5
    assert policy.after_response("GET", reply(503), 0, NO_JITTER) is None


def test_retries_stop_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=3)
    waits = [
        policy.after_response("GET", reply(503), retry, NO_JITTER) for retry in range(5)
    ]
    assert waits == [0.5, 1.0, 2.0, None, None]


def test_no_retries_never_retries() -> None:
    assert NO_RETRIES.after_response("GET", reply(503), 0, NO_JITTER) is None
    assert NO_RETRIES.after_error(httpx.ConnectError("refused"), 0, NO_JITTER) is None


def test_retry_after_seconds_replace_the_backoff() -> None:
    policy = RetryPolicy(max_delay=1.0)
    assert policy.after_response("GET", reply(429, "7"), 0, FixedRandom(0.9)) == 7.0
    assert policy.after_response("GET", reply(429, "0"), 1, NO_JITTER) == 0.0


def test_retry_after_longer_than_max_retry_after_stops_retrying() -> None:
    assert RetryPolicy().after_response("GET", reply(429, "60"), 0, NO_JITTER) == 60.0
    assert RetryPolicy().after_response("GET", reply(429, "61"), 0, NO_JITTER) is None
    assert (
        RetryPolicy(max_retry_after=300).after_response(
            "GET", reply(429, "120"), 0, NO_JITTER
        )
        == 120.0
    )


def test_retry_after_as_a_date() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wait = RetryPolicy().after_response("GET", reply(503, soon), 0, NO_JITTER)
    assert wait is not None and 25 < wait <= 30


@pytest.mark.parametrize(
    "value", ["soon", "", "1.5", "-3", "²", "¹²", "١٢", "3 seconds"]
)
def test_an_unreadable_retry_after_falls_back_to_the_backoff(value: str) -> None:
    assert RetryPolicy().after_response("GET", reply(503, value), 1, NO_JITTER) == 1.0


def test_retry_after_is_not_a_reason_to_retry_by_itself() -> None:
    assert RetryPolicy().after_response("GET", reply(500, "1"), 0, NO_JITTER) is None
    assert RetryPolicy().after_response("POST", reply(429, "1"), 0, NO_JITTER) is None


# --- after_error -------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow dns"),
        httpx.PoolTimeout("pool full"),
    ],
    ids=type,
)
def test_failures_before_the_request_was_sent_are_retried(
    error: httpx.TransportError,
) -> None:
    policy = RetryPolicy()
    assert [policy.after_error(error, retry, NO_JITTER) for retry in range(3)] == [
        0.5,
        1.0,
        None,
    ]


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("slow"),
        httpx.WriteTimeout("slow"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("eof"),
    ],
    ids=type,
)
def test_failures_after_the_request_may_have_been_sent_are_not_retried(
    error: httpx.TransportError,
) -> None:
    assert (
        RetryPolicy(retry_non_idempotent=True).after_error(error, 0, NO_JITTER) is None
    )


# --- the policy object -------------------------------------------------------


def test_a_policy_cannot_be_changed_once_made() -> None:
    """Clients take `RetryPolicy()` as a default argument: one object shared by all."""
    policy = RetryPolicy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.max_retries = 5  # type: ignore[misc]
    assert policy == RetryPolicy() and hash(policy) == hash(RetryPolicy())
    assert RetryPolicy().retry_statuses == frozenset({429, 503})


# --- parse_retry_after -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0", 0.0), ("5", 5.0), (" 12 ", 12.0), ("007", 7.0), ("86400", 86400.0)],
)
def test_delta_seconds(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("Mon, 01 Jan 2024 12:00:30 GMT", 30.0),  # IMF-fixdate
        ("Monday, 01-Jan-24 12:00:30 GMT", 30.0),  # obsolete RFC 850
        ("Mon Jan  1 12:00:30 2024", 30.0),  # obsolete asctime, no zone: UTC
        ("Mon, 01 Jan 2024 13:00:30 +0100", 30.0),
        ("Mon, 01 Jan 2024 12:00:30 -0000", 30.0),
        ("Mon, 01 Jan 2024 11:59:00 GMT", 0.0),  # already past: no wait
    ],
)
def test_http_dates_are_seconds_from_now(value: str, seconds: float) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_without_now_dates_count_from_the_current_time() -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    wait = parse_retry_after(in_an_hour)
    assert wait is not None and 3590 < wait <= 3600


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "soon",
        "-1",
        "+5",
        "1.5",
        "1e3",
        "²",  # a digit to str.isdigit, not to float
        "٣",  # an Arabic-Indic digit: delta-seconds are ASCII digits
        "Mon, 32 Jan 2024 12:00:00 GMT",
        "Mon, 01 Foo 2024 12:00:00 GMT",
    ],
)
def test_unreadable_values_are_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None
