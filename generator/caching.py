"""Where specgen keeps, per target, what makes its next run faster, and how.

Each entry is one file in a user cache folder, outside the output: a first line
of JSON naming its format, its key (a hash of everything besides its content that
decides whether it applies) and a hash of its content, then the content as JSON.
An entry that is missing, damaged, of another format or for another key is no
entry: the run does the work instead. Writing is one rename, so a reader never
sees half an entry; an entry that cannot be written is no error either. Each
kind keeps its `KEPT` most recently used entries: targets come and go (every
test run generates into folders of its own).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "SPECGEN_CACHE_DIR"
"""Where the cache goes; empty: no cache. Default: `$XDG_CACHE_HOME/specgen`, else
`~/.cache/specgen`."""
FORMAT = 1
"""The version of an entry's layout."""
KEPT = 32
"""Entries of one kind kept; the least recently used beyond are removed."""

log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """The user's cache folder for specgen, or None when caching is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "specgen"
    try:
        return Path.home() / ".cache" / "specgen"
    except RuntimeError:  # no home folder to be found
        return None


def entry_path(kind: str, output: Path, package: str) -> Path | None:
    """The `kind` entry of the target writing `package` into `output`."""
    root = cache_dir()
    if root is None:
        return None
    target = f"{output.resolve()}\n{package}".encode()
    return root / kind / f"{hashlib.sha256(target).hexdigest()[:32]}.json"


def read_entry(path: Path, key: str) -> Any:
    """The content of the entry at `path` made for `key`, or None."""
    try:
        with path.open("rb") as file:
            head = json.loads(file.readline())
            content = file.read()
        if not (
            isinstance(head, dict)
            and head.get("format") == FORMAT
            and head.get("key") == key
            and head.get("digest") == hashlib.sha256(content).hexdigest()
        ):
            return None
        found = json.loads(content)
        os.utime(path)  # used: the last to be removed
        return found
    except (OSError, ValueError):
        return None


def write_entry(path: Path, key: str, content: Any) -> None:
    """Replace the entry at `path` with `content` (JSON data) for `key`.

    The content is written as it is encoded, its hash taken on the way and put in
    the first line afterwards (a hash is of fixed length): a big spec's formatted
    files are megabytes of text, and a whole copy of them, as JSON and as bytes,
    would be the peak of the run's memory.
    """
    scratch: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, prefix=".", suffix=".tmp", delete=False
        ) as file:
            scratch = Path(file.name)
            file.write(_head(key, "0" * 64))
            digest = hashlib.sha256()
            encoder = json.JSONEncoder(ensure_ascii=False)
            for chunk in encoder.iterencode(content):
                data = chunk.encode("utf-8")
                digest.update(data)
                file.write(data)
            file.seek(0)
            file.write(_head(key, digest.hexdigest()))
        os.replace(scratch, path)
        _prune(path.parent)
    except (OSError, ValueError, TypeError) as exc:  # what JSON cannot carry
        log.debug("cache entry %s not written: %s", path, exc)
        if scratch is not None:
            scratch.unlink(missing_ok=True)


def _head(key: str, digest: str) -> bytes:
    """An entry's first line, of the same length for every digest."""
    head = {"format": FORMAT, "key": key, "digest": digest}
    return json.dumps(head).encode() + b"\n"


def _prune(folder: Path) -> None:
    """Remove the least recently used entries of `folder` beyond `KEPT`."""
    entries = []
    for path in folder.glob("*.json"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:  # removed meanwhile by another run
            continue
    for _, path in sorted(entries, reverse=True)[KEPT:]:
        path.unlink(missing_ok=True)
