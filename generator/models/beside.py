"""datamodel-code-generator in a second process, while this one makes the validation cases.

datamodel-code-generator is most of a big spec's generation time, and nothing
else depends on it until the intermediate model is built. On a machine with
two cores or more it runs in a forked worker that imports it while this
process reads the spec; on one core it runs here. The worker dies with its
parent (Linux's parent-death signal), so a killed run leaves no process behind;
when generation fails first (a bad spec), the worker is killed at once rather
than waited for, so an error costs no more than reading the spec.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from generator.models.codegen import ModelsModule
    from generator.output.formatting import Formatter

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ModelsJob:
    """One run of `generate_models`, as a picklable call."""

    package: str
    header: str
    template_dir: Path
    cache: Path | None = None
    """The target's cache entry (`generator.models.incremental`); None: no cache."""
    formatter: Formatter = "ruff"
    format_cache: Path | None = None
    """The cache entry of the models' formatted files (`output.formatting`); None: none."""

    def __call__(self, document: dict[str, Any]) -> Iterator[object]:
        """The models module, then the files it becomes in the package
        (`split.models_files`), formatted: those are made while the intermediate
        model is built, half of a big spec's formatting off the parent's path."""
        from generator.models.incremental import models_module
        from generator.models.split import models_files
        from generator.output.formatting import format_files

        module = models_module(
            document,
            package=self.package,
            header=self.header,
            template_dir=self.template_dir,
            cache=self.cache,
        )
        yield module
        files = {
            f"{self.package}/{name}": text
            for name, text in models_files(module.source, self.package).items()
        }
        yield format_files(
            files,
            package=self.package,
            formatter=self.formatter,
            cache=self.format_cache,
        )


class Models:
    """A job's results as they come: `module()` first, then `files()`."""

    def __init__(self, parts: Callable[[], object]) -> None:
        self._next = parts
        self._module: ModelsModule | None = None

    def module(self) -> ModelsModule:
        if self._module is None:
            self._module = cast("ModelsModule", self._next())
        return self._module

    def files(self) -> dict[str, str]:
        self.module()
        return cast("dict[str, str]", self._next())


ModelsStarter = Callable[[ModelsJob, dict[str, Any]], Models]
"""Starts a job on a document; what it returns waits for each result when asked."""


def _die_with(parent: int) -> None:
    """Arm the parent-death signal; exit now if the parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent still kills it on exit
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _serve(connection: Connection, parent: int) -> None:
    """In the worker: import datamodel-code-generator ahead of the job, run the one job,
    send back each of its results as it comes, or its exception."""
    _die_with(parent)
    # The slow imports, done while the parent reads the spec: the parser, and what
    # its `generate` imports only when first called.
    import datamodel_code_generator.config
    import datamodel_code_generator.model.pydantic_v2
    import datamodel_code_generator.parser.openapi  # noqa: F401
    import jinja2  # noqa: F401

    from generator.models import incremental, split  # noqa: F401

    try:
        job, document = connection.recv()
    except EOFError:  # the parent failed before it had a job
        return
    try:
        for part in job(document):
            _send(connection, (True, part))
    except Exception as exc:  # noqa: BLE001 - the parent raises it as its own
        _send(connection, (False, exc))


def _send(connection: Connection, reply: tuple[bool, object]) -> None:
    try:
        connection.send(reply)
    except Exception as exc:  # noqa: BLE001 - an exception that cannot be pickled
        connection.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


def worth_a_process() -> bool:
    """Whether a second core can take datamodel-code-generator's work."""
    return (
        os.cpu_count() or 1
    ) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _ask(connection: Connection) -> ModelsStarter:
    def start(job: ModelsJob, document: dict[str, Any]) -> Models:
        # Sent from a thread: the pipe holds 64 KiB and the worker reads only once
        # its import is done, while this process goes on with the cases.
        def send() -> None:
            # OSError, ValueError: the worker was killed, generation failed first.
            with contextlib.suppress(OSError, ValueError):
                connection.send((job, document))

        sending = threading.Thread(target=send, daemon=True)
        sending.start()

        def result() -> object:
            sending.join()
            try:
                ok, value = connection.recv()
            except EOFError:
                raise RuntimeError(
                    "datamodel-code-generator's worker process died"
                ) from None
            if not ok:
                assert isinstance(value, BaseException)
                raise value
            return value

        return Models(result)

    return start


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection

    def stop(self) -> None:
        self.process.kill()  # done with its one job, or no longer needed
        self.process.join()
        self.connection.close()


def _fork() -> _Worker:
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, os.getpid()), daemon=True)
    process.start()
    theirs.close()
    return _Worker(process, ours)


_early: _Worker | None = None
"""The worker `worker_started_early` forked, until a run takes it."""


@contextmanager
def worker_started_early() -> Iterator[None]:
    """Fork the first run's worker now, before anything else is imported or read.

    The command line enters this first thing: the worker's imports (a third of a
    second, most of a small spec's run) then go on while this process starts up
    and decides what needs generating. A worker no run took is killed on exit.
    """
    global _early
    if _early is not None or not worth_a_process():
        yield
        return
    _early = _fork()
    try:
        yield
    finally:
        spare, _early = _early, None
        if spare is not None:
            spare.stop()


@contextmanager
def models_beside() -> Iterator[ModelsStarter]:
    """A starter that runs jobs in a worker (the one started early, else one started
    now), or here when a worker is not worth it."""
    global _early
    if not worth_a_process():
        yield lambda job, document: Models(iter(job(document)).__next__)
        return
    worker, _early = (_early or _fork()), None
    try:
        yield _ask(worker.connection)
    finally:
        worker.stop()
