"""Format a whole package cheaply: each distinct piece once, from a persistent cache, across cores.

black is the formatter of record and by far the slowest step on big specs. So
imports are sorted per file (isort is quick), then each Python module is cut
into pieces black formats the same alone as together (`generator.chunks`: the
header, then one per top-level class or function). Every formatted piece is
kept in a cache keyed by its content, the file kind, the package name and the
versions and settings of black and isort: an unchanged class is never
formatted twice, on any run, and a changed schema costs one piece. What is left
is spread over the machine's cores. The bytes are exactly what black and isort
produce for the whole file.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path

from generator.chunks import Piece, join_pieces, split_module
from generator.formatting import format_black, format_markdown, sort_imports

PARALLEL_THRESHOLD = 400_000
"""Below this many characters to format, worker processes cost more than they save."""


def default_cache_dir() -> Path:
    """`SPECGEN_CACHE_DIR`, else the user's cache folder."""
    configured = os.environ.get("SPECGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen" / "format"


@dataclass(frozen=True)
class _Job:
    """One piece to format: `name` is the file it belongs to, for error messages."""

    name: str
    text: str
    package: str

    @cached_property
    def key(self) -> str:
        """The cache key: the text and everything else that decides the result."""
        salt = _salt("md" if self.name.endswith(".md") else "py", self.package)
        return hashlib.sha256((salt + self.text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _salt(kind: str, package: str) -> str:
    """Everything besides the text that decides a formatted result."""
    return f"black {version('black')} isort {version('isort')} py311 88 {kind} {package}\n"


def _format_one(job: _Job) -> str:
    if job.name.endswith(".md"):
        return format_markdown(job.text, name=job.name, package=job.package)
    return format_black(job.text, name=job.name)


def format_files(files: dict[str, str], package: str, cache_dir: Path | None, *, parallel: bool = True) -> dict[str, str]:
    """Formatted versions of the `.py` and `.md` files among `files`; others unchanged.

    `parallel=False` keeps the work in this process (already one of several).
    """
    pieces: dict[str, list[Piece]] = {}
    jobs_of: dict[str, list[_Job]] = {}
    for name, text in files.items():
        if name.endswith(".py"):
            pieces[name] = split_module(sort_imports(text, name=name, package=package))
            jobs_of[name] = [_Job(name, piece.source, package) for piece in pieces[name]]
        elif name.endswith(".md"):
            jobs_of[name] = [_Job(name, text, package)]
    done: dict[str, str] = {}
    pending: dict[str, _Job] = {}
    for job in (job for jobs in jobs_of.values() for job in jobs):
        key = job.key
        if key in done or key in pending:
            continue
        cached = _load(cache_dir, key)
        if cached is not None:
            done[key] = cached
        else:
            pending[key] = job
    formatted = _run(pending, parallel=parallel)
    for key, text in formatted.items():
        done[key] = text
        _store(cache_dir, key, text)
    result = dict(files)
    for name, jobs in jobs_of.items():
        outputs = [done[job.key] for job in jobs]
        if name in pieces:
            result[name] = join_pieces([piece.unwrap(out) for piece, out in zip(pieces[name], outputs, strict=True)], pieces[name])
        else:
            result[name] = outputs[0]
    return result


def _run(pending: dict[str, _Job], *, parallel: bool) -> dict[str, str]:
    """Format the pending pieces, largest first, on every core when there is enough to do."""
    order = sorted(pending, key=lambda key: (-len(pending[key].text), key))
    jobs = [pending[key] for key in order]
    if parallel and sum(len(job.text) for job in jobs) > PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        import black  # noqa: F401, PLC0415 - loaded once here, so forked workers start with it

        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            return dict(zip(order, pool.map(_format_one, jobs), strict=True))
    return {key: _format_one(job) for key, job in zip(order, jobs, strict=True)}


def _load(cache_dir: Path | None, key: str) -> str | None:
    if cache_dir is None:
        return None
    try:
        return (cache_dir / key[:2] / key).read_text(encoding="utf-8")
    except OSError:
        return None


def _store(cache_dir: Path | None, key: str, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    if cache_dir is None:
        return
    target = cache_dir / key[:2] / key
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError:
        pass
