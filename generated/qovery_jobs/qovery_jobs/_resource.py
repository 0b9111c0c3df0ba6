"""Resources: the operations of one tag, reached as `client.<tag>.<operation>(...)`.

Part of the runtime specgen ships in every generated package. A client of an
API whose operations carry several tags groups them by tag, as the leading
SDKs do: `client.jobs.create_job(...)`, `client.raw.jobs.create_job(...)`. Each
group is a small object made on first use (a `cached_property` of the client),
so building a client costs nothing per group. Its methods are written exactly
like the client's: they call `self._send`, which here is the client's own
bound method, so a call through a resource adds no frame to the client's.
"""

from __future__ import annotations

from typing import Any

from ._base_client import AsyncBaseClient, BaseClient


class Resource:
    """Operations of a `Client`, each returning the parsed result."""

    __slots__ = ("_client", "_send")

    def __init__(self, client: BaseClient[Any]) -> None:
        self._client = client
        self._send = client._send

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class RawResource:
    """Operations of a `Client`, each returning the whole `ApiResponse`."""

    __slots__ = ("_client", "_send")

    def __init__(self, client: BaseClient[Any]) -> None:
        self._client = client
        self._send = client._respond

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class AsyncResource:
    """Operations of an `AsyncClient`, each a coroutine giving the parsed result."""

    __slots__ = ("_client", "_send")

    def __init__(self, client: AsyncBaseClient[Any]) -> None:
        self._client = client
        self._send = client._send

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class AsyncRawResource:
    """Operations of an `AsyncClient`, each a coroutine giving an `ApiResponse`."""

    __slots__ = ("_client", "_send")

    def __init__(self, client: AsyncBaseClient[Any]) -> None:
        self._client = client
        self._send = client._respond

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
