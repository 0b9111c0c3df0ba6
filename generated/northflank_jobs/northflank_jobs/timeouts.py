"""How long a call may take.

Part of the runtime specgen ships in every generated package.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Timeouts:
    """Seconds a call may take.

    Attributes:
        connect: To establish a connection.
        read: Between two chunks of the response (and to send the request).
        total: For the whole call, retries and their waits included; None for no limit.
            A deadline: the call raises `TotalTimeoutError` when it passes, even
            while a server sends its answer a byte at a time.
    """

    connect: float = 10.0
    read: float = 60.0
    total: float | None = None

    def for_attempt(self, remaining: float | None) -> httpx.Timeout:
        """httpx timeouts for one attempt, cut to what is left of `total`."""
        read = self.read if remaining is None else max(0.001, min(self.read, remaining))
        connect = (
            self.connect
            if remaining is None
            else max(0.001, min(self.connect, remaining))
        )
        return httpx.Timeout(read, connect=connect)
