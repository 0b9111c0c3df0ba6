"""Format a whole package cheaply: each distinct piece once, from a persistent cache, across cores.

black is the formatter of record and by far the slowest step on big specs. So
imports are sorted per file (isort is quick), then each Python module is cut
into pieces black formats the same alone as together (`generator.chunks`: the
header, then runs of neighbouring classes or functions). Every formatted piece is
kept in a cache keyed by its content, the file kind, the package name and the
versions and settings of black and isort: an unchanged class is never
formatted twice, on any run, and a changed schema costs one piece. What is left
is spread over the machine's cores, starting as soon as files are handed in, or
even before (`FormatBatch.prefetch`: files that will probably come, rendered
while datamodel-code-generator runs; a piece that comes out the same is done).
The bytes are exactly what black and isort produce for the whole file.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path

from generator.chunks import Piece, group_pieces, join_pieces, split_module
from generator.collector import bulk_collecting_worker, collect_when_due
from generator.formatting import LINE_LENGTH, FormattingError, format_black, format_markdown, sort_imports

PARALLEL_THRESHOLD = 400_000
"""Below this many characters to format, worker processes cost more than they save."""
FORMATTED = (".py", ".md")
"""The files formatted; others pass through as they came."""
BATCH_CHARS = 20_000
"""About this many characters of pieces go to a worker at a time."""
_IMPORT_OR_DIRECTIVE = re.compile(r"^[ \t]*(import[ \t]+[\w.]|from[ \t]+[\w.]+[ \t]+import\b)|isort:", re.M)
"""A line isort would sort, or an instruction to isort."""


def cores() -> int:
    """The machine's cores: with one, nothing is formatted or made beside this process."""
    return os.cpu_count() or 1


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
    return f"black {version('black')} isort {version('isort')} py311 {LINE_LENGTH} {kind} {package}\n"


def _format_one(job: _Job) -> str:
    """The formatted piece; black's garbage is collected when due, here or in a worker."""
    if job.name.endswith(".md"):
        formatted = format_markdown(job.text, name=job.name, package=job.package)
    else:
        formatted = format_black(job.text, name=job.name)
    collect_when_due()
    return formatted


def _worker_started() -> None:
    """A formatting worker collects garbage in bulk and yields the cores to the processes the run waits on."""
    bulk_collecting_worker()
    os.nice(5)  # below the models' process and the parent: the rest of the run waits on them


def _format_many(jobs: list[_Job]) -> list[str]:
    """One worker's share: several pieces per round trip, so the pool's overhead stays small."""
    return [_format_one(job) for job in jobs]


class FormatBatch:
    """Files handed in as they are ready, their pieces formatted meanwhile.

    With `parallel=True`, a pool on every core starts on the first files while
    the caller renders the next ones; with False everything is formatted here,
    at `results`; with None that is decided at `results` by how much there is.
    """

    def __init__(self, package: str, cache_dir: Path | None, *, parallel: bool | None = None) -> None:
        self.package = package
        self.cache_dir = cache_dir
        self.parallel = parallel
        self._files: dict[str, str] = {}
        self._handed_in: dict[str, tuple[list[Piece], list[_Job]]] = {}
        """The pieces and jobs of each `.py` and `.md` file handed in."""
        self._done: dict[str, str] = {}
        self._pending: dict[str, _Job] = {}
        self._running: list[tuple[list[str], Future[list[str]]]] = []
        self._submitted: dict[str, _Job] = {}
        self._split: dict[tuple[str, str], tuple[list[Piece], list[_Job]]] = {}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> FormatBatch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def add(self, files: dict[str, str]) -> None:
        """Hand in files; their `.py` and `.md` pieces not in the cache start formatting if a pool runs."""
        for name, text in files.items():
            self._files[name] = text
            if name.endswith(FORMATTED):
                self._handed_in[name] = self._queue(name, text)
        if self.parallel:
            self._submit()

    def prefetch(self, files: dict[str, str]) -> None:
        """Start formatting files that will probably be handed in later; they are not part of the results.

        What is handed in later with the same pieces costs nothing more.
        """
        for name, text in files.items():
            if name.endswith(FORMATTED):
                try:
                    self._queue(name, text)
                except FormattingError:
                    continue  # reported when (and only if) it is handed in
        if self.parallel:
            self._submit()

    def _queue(self, name: str, text: str) -> tuple[list[Piece], list[_Job]]:
        """The pieces of one file and their jobs; those neither done, nor cached, nor under way become pending."""
        if (name, text) in self._split:
            return self._split[name, text]
        if name.endswith(".py"):
            pieces = self._sorted_pieces(name, text)
            jobs = [_Job(name, piece.source, self.package) for piece in pieces]
        else:
            pieces, jobs = [], [_Job(name, text, self.package)]
        self._split[name, text] = pieces, jobs
        for job in jobs:
            key = job.key
            if key in self._done or key in self._pending or key in self._submitted:
                continue
            cached = _load(self.cache_dir, key)
            if cached is not None:
                self._done[key] = cached
            else:
                self._pending[key] = job
        return pieces, jobs

    def _sorted_pieces(self, name: str, text: str) -> list[Piece]:
        """The pieces of a module with its imports sorted.

        When every import is in the first piece, only that piece goes through
        isort: the rest is most of a big module, and isort would read it all
        to change nothing. Otherwise (an import further down, an isort
        directive), the whole module does, as before it is cut.
        """
        pieces = split_module(text)
        if len(pieces) > 1 and not any(_IMPORT_OR_DIRECTIVE.search(piece.text) for piece in pieces[1:]):
            head = pieces[0]
            return group_pieces([Piece(sort_imports(head.text, name=name, package=self.package), head.member), *pieces[1:]])
        return group_pieces(split_module(sort_imports(text, name=name, package=self.package)))

    def results(self) -> dict[str, str]:
        """Every file handed in, formatted (files other than `.py` and `.md` as they came)."""
        self._split.clear()  # prefetched texts that were not handed in are garbage now
        if self._pool is None and self.parallel is None:
            self.parallel = sum(len(job.text) for job in self._pending.values()) > PARALLEL_THRESHOLD
        if self.parallel:
            self._submit()
        needed = {job.key for _, jobs in self._handed_in.values() for job in jobs}
        for key, job in self._pending.items():
            if key in needed:
                self._finish(key, _format_one(job))
        self._pending.clear()
        for keys, future in self._running:
            try:
                texts = future.result()
            except FormattingError:
                # A piece of this batch is not valid Python, perhaps only a prefetched one:
                # the pieces handed in are formatted here, so an error raised is a real one.
                for key in keys:
                    if key in needed:
                        self._finish(key, _format_one(self._submitted[key]))
                continue
            for key, text in zip(keys, texts, strict=True):
                self._finish(key, text)
        self._running.clear()
        result = dict(self._files)
        for name, (pieces, jobs) in self._handed_in.items():
            outputs = [self._done[job.key] for job in jobs]
            if name.endswith(".py"):
                result[name] = join_pieces([piece.unwrap(out) for piece, out in zip(pieces, outputs, strict=True)], pieces)
            else:
                result[name] = outputs[0]
        return result

    def _finish(self, key: str, text: str) -> None:
        self._done[key] = text
        _store(self.cache_dir, key, text)

    @property
    def cold(self) -> bool:
        """No format cache to draw from (`--no-cache`, or none yet): every piece will be formatted."""
        if self.cache_dir is None:
            return True
        try:
            return not any(self.cache_dir.iterdir())
        except OSError:
            return True

    def start_workers(self) -> None:
        """Fork the formatting workers now (on a machine with several cores), while this process is small: what it builds afterwards is not theirs to copy."""
        if self._pool is not None or cores() < 2:
            return
        import black  # noqa: F401, PLC0415 - loaded once here, so forked workers start with it

        self._pool = ProcessPoolExecutor(max_workers=cores(), initializer=_worker_started)
        for _ in range(cores()):
            self._pool.submit(int)  # a no-op each, so every worker starts

    def _submit(self) -> None:
        """Send the pending pieces to the pool, largest first, a few at a time."""
        if not self._pending or cores() < 2:
            return
        self.start_workers()
        assert self._pool is not None
        order = sorted(self._pending, key=lambda key: (-len(self._pending[key].text), key))
        batch: list[str] = []
        size = 0
        for key in order:
            batch.append(key)
            size += len(self._pending[key].text)
            if size >= BATCH_CHARS or key == order[-1]:
                self._running.append((batch, self._pool.submit(_format_many, [self._pending[k] for k in batch])))
                batch, size = [], 0
        self._submitted.update(self._pending)
        self._pending.clear()


def format_files(files: dict[str, str], package: str, cache_dir: Path | None, *, parallel: bool | None = None) -> dict[str, str]:
    """Formatted versions of the `.py` and `.md` files among `files`; others unchanged."""
    with FormatBatch(package, cache_dir, parallel=parallel) as batch:
        batch.add(files)
        return batch.results()


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
