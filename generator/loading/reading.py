"""Read spec files without trusting them: confined to allowed folders, regular files, capped size.

A spec names other files in `$ref`s, so a spec from elsewhere must not make
us read `/etc/passwd` (and copy it into generated code), hang on a FIFO, or
swallow `/dev/zero`. Every check names the file it refused and why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest spec file read (bytes): Qovery's complete spec is 1 MB. Read at call time, so tests
can lower it."""


class ReadRefused(Exception):
    """A file that is not read, with the reason, for the caller to turn into a `Problem`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def resolved(path: Path) -> Path:
    """`path` absolute with every symlink followed; a symlink loop is refused."""
    try:
        return path.resolve()
    except (
        OSError,
        RuntimeError,
    ) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ReadRefused(f"cannot resolve the path: {exc}") from None


def outside_roots(path: Path, roots: Iterable[Path]) -> str | None:
    """Why resolved `path` may not be read (None when it lies under one of `roots`)."""
    roots = tuple(roots)
    if any(path.is_relative_to(root) for root in roots):
        return None
    allowed = ", ".join(str(root) for root in roots)
    return f"{path} is outside the folder{'s' if len(roots) > 1 else ''} specs may read ({allowed})"


def read_capped(path: Path) -> bytes:
    """The bytes of regular file `path`, refused when larger than `MAX_FILE_BYTES`.

    The kind and size are checked before opening (a FIFO would block the open,
    `/dev/zero` never ends) and again on the open file; at most cap + 1 bytes
    are read, for files whose size `stat` does not know (`/proc`) or that grow.
    """
    limit = MAX_FILE_BYTES
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ReadRefused("file does not exist") from None
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    _check_kind(info, limit)
    flags = (
        os.O_RDONLY
        | os.O_NONBLOCK
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_NOFOLLOW", 0)
    )
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_kind(
            os.fstat(handle.fileno()), limit
        )  # the file may have been swapped since stat
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ReadRefused(f"file is larger than {limit:,} bytes")
    return data


def _check_kind(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ReadRefused("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadRefused("not a regular file (a device, FIFO or socket is never read)")
    if info.st_size > limit:
        raise ReadRefused(f"file is larger than {limit:,} bytes ({info.st_size:,})")
