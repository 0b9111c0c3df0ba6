"""Format a whole package cheaply: each distinct content once, from a persistent cache, across cores.

black is the formatter of record and by far the slowest step on big specs, so
every formatted result is kept in a cache keyed by the content, the file kind,
the package name and the versions and settings of black and isort: an
unchanged file is never formatted twice, on any run. What is left is spread
over the machine's cores. The bytes are exactly what black and isort produce.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path

from generator.formatting import format_markdown, format_python

PARALLEL_THRESHOLD = 400_000
"""Below this many characters to format, worker processes cost more than they save."""


def default_cache_dir() -> Path:
    """`SPECGEN_CACHE_DIR`, else the user's cache folder."""
    configured = os.environ.get("SPECGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen" / "format"


def _key(name: str, text: str, package: str) -> str:
    kind = "md" if name.endswith(".md") else "py"
    salt = f"black {version('black')} isort {version('isort')} py311 88 {kind} {package}\n"
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def _format_one(job: tuple[str, str, str]) -> str:
    name, text, package = job
    if name.endswith(".md"):
        return format_markdown(text, name=name, package=package)
    return format_python(text, name=name, package=package)


def format_files(files: dict[str, str], package: str, cache_dir: Path | None) -> dict[str, str]:
    """Formatted versions of the `.py` and `.md` files among `files`; others unchanged."""
    result = dict(files)
    pending: dict[str, tuple[str, str]] = {}
    for name, text in files.items():
        if not name.endswith((".py", ".md")):
            continue
        key = _key(name, text, package)
        cached = cache_dir / key[:2] / key if cache_dir is not None else None
        if cached is not None and cached.is_file():
            result[name] = cached.read_text(encoding="utf-8")
        else:
            pending[name] = (key, text)
    jobs = [(name, text, package) for name, (_, text) in sorted(pending.items())]
    if sum(len(text) for _, text, _ in jobs) > PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            formatted = list(pool.map(_format_one, sorted(jobs, key=lambda j: -len(j[1]))))
        outputs = dict(zip([j[0] for j in sorted(jobs, key=lambda j: -len(j[1]))], formatted, strict=True))
    else:
        outputs = {name: _format_one((name, text, package)) for name, text, _ in jobs}
    for name, text in outputs.items():
        result[name] = text
        if cache_dir is not None:
            _store(cache_dir, pending[name][0], text)
    return result


def _store(cache_dir: Path, key: str, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    target = cache_dir / key[:2] / key
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError:
        pass
