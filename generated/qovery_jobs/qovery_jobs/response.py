"""The full response of a call, for `client.raw.<operation>(...)`, and a download
read as it arrives, for `client.<operation>_stream(...)`.

Part of the runtime specgen ships in every generated package.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Generic, Self, TypeVar

import httpx

T = TypeVar("T")


@dataclass(frozen=True)
class ApiResponse(Generic[T]):
    """A success response: status, headers, parsed body, and httpx's response."""

    status_code: int
    headers: httpx.Headers
    parsed: T
    http_response: httpx.Response


class Download:
    """A success whose body has not been read: read it as it arrives, then close it.

    Bytes (`iter_bytes`, `write_to`) or text (`iter_text`, `iter_lines`: an
    NDJSON or event stream, line by line, however long it goes on).

    `with client.get_file_stream(...) as download:` (`async with` on an
    `AsyncClient`, after awaiting the call) closes the connection at the end.
    The call's total timeout and `max_response_bytes` stop at the headers: the
    body can be as long as the server sends, and each read waits at most the
    read timeout.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body, decoded (gzip and the like undone), a chunk at a time."""
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body as text (in its declared charset, else UTF-8), a chunk at a time."""
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """The body as text a line at a time, without line endings: one JSON value
        each for NDJSON (`json.loads(line)` unless it is blank)."""
        return self.http_response.iter_lines()

    def write_to(self, file: IO[bytes], chunk_size: int | None = None) -> int:
        """Write the body to a binary file as it arrives; the bytes written."""
        written = 0
        for chunk in self.iter_bytes(chunk_size):
            written += file.write(chunk) or len(chunk)
        return written

    def read(self) -> bytes:
        """The whole body, in memory."""
        return self.http_response.read()

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """`iter_bytes` of a download an `AsyncClient` started."""
        return self.http_response.aiter_bytes(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """`iter_text` of a download an `AsyncClient` started."""
        return self.http_response.aiter_text(chunk_size)

    def aiter_lines(self) -> AsyncIterator[str]:
        """`iter_lines` of a download an `AsyncClient` started."""
        return self.http_response.aiter_lines()

    async def aread(self) -> bytes:
        return await self.http_response.aread()

    async def aclose(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"Download(status_code={self.status_code})"
