"""The full response of a call, for `client.raw.<operation>(...)`.

Part of the runtime specgen ships in every generated package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A success response: status, headers, parsed body, and httpx's response."""

    status_code: int
    headers: httpx.Headers
    parsed: T
    http_response: httpx.Response
