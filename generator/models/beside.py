"""datamodel-code-generator in a second process, while this one makes the validation cases.

datamodel-code-generator is most of a big spec's generation time, and nothing
else depends on it until the intermediate model is built. On a machine with
two cores or more it runs in a forked worker that imports it while this
process reads the spec; on one core it runs here. The worker dies with its
parent (Linux's parent-death signal), so a killed run leaves no process behind.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.models.codegen import ModelsModule, generate_models

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ModelsJob:
    """One run of `generate_models`, as a picklable call."""

    package: str
    header: str
    template_dir: Path

    def __call__(self, document: dict[str, Any]) -> ModelsModule:
        return generate_models(
            document,
            package=self.package,
            header=self.header,
            template_dir=self.template_dir,
        )


ModelsStarter = Callable[[ModelsJob, dict[str, Any]], Callable[[], ModelsModule]]
"""Starts a job on a document; what it returns waits for the models."""


def _worker_start(parent: int) -> None:
    """In the worker: die with the parent, then import datamodel-code-generator ahead of the job."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (
        OSError,
        AttributeError,
    ):  # not Linux: the pool's own shutdown still applies
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    import datamodel_code_generator.parser.openapi  # noqa: F401 - the slow import, done early


def worth_a_process() -> bool:
    """Whether a second core can take datamodel-code-generator's work."""
    return (
        os.cpu_count() or 1
    ) > 1 and "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def models_beside() -> Iterator[ModelsStarter]:
    """A starter that runs jobs in a worker started now, or here when a worker is not worth it."""
    if not worth_a_process():
        yield lambda job, document: lambda: job(document)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=_worker_start,
        initargs=(os.getpid(),),
    ) as pool:
        pool.submit(int)  # starts the worker, and its import, now
        yield lambda job, document: pool.submit(job, document).result
