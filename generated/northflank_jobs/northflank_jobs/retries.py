"""When and how long to wait before sending a request again.

Part of the runtime specgen ships in every generated package.

Retries are on by default only where they are safe: a connection that failed
before the request was sent (any method), and 429 or 503 answers to idempotent
methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE). A POST or PATCH is never sent
twice unless you opt in with `retry_non_idempotent=True`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures that guarantee the server never saw the request."""


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries; pass one to the client or to a single call.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        initial_delay: Seconds before the first retry; doubles each time.
        max_delay: Cap on the computed delay, in seconds.
        jitter: Random fraction (0-1) taken off each delay, so clients spread out.
        retry_statuses: Statuses worth retrying.
        retry_non_idempotent: Also retry POST and PATCH on those statuses.
        max_retry_after: A `Retry-After` longer than this (seconds) is not waited for.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    retry_statuses: frozenset[int] = field(
        default_factory=lambda: frozenset({429, 503})
    )
    retry_non_idempotent: bool = False
    max_retry_after: float = 60.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Exponential backoff with jitter for the `retry`-th retry (0-based)."""
        # 2.0**1024 overflows; long before that the delay has reached max_delay.
        delay: float = min(self.max_delay, self.initial_delay * 2.0 ** min(retry, 1000))
        return delay * (1.0 - self.jitter * rng.random())

    def after_response(
        self, method: str, response: httpx.Response, retry: int, rng: random.Random
    ) -> float | None:
        """Seconds to wait before retrying after `response`, or None to stop."""
        if retry >= self.max_retries or response.status_code not in self.retry_statuses:
            return None
        if method.upper() not in IDEMPOTENT_METHODS and not self.retry_non_idempotent:
            return None
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(retry, rng)

    def after_error(
        self, error: httpx.TransportError, retry: int, rng: random.Random
    ) -> float | None:
        """Seconds to wait before retrying after a transport failure, or None."""
        if retry >= self.max_retries or not isinstance(error, NOT_SENT):
            return None
        return self.backoff(retry, rng)


NO_RETRIES = RetryPolicy(max_retries=0)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds to wait: delta-seconds or an HTTP date.

    None when the header is absent or unreadable; a date in the past is 0.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # not "²": str.isdigit is Unicode's
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
