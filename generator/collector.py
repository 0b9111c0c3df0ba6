"""When Python's cyclic garbage collector runs during generation.

Generation builds big object graphs that live to the end (the loaded spec,
datamodel-code-generator's parse of it, the validation cases, the intermediate
model) and makes little cyclic garbage. Each full collection walks all of that
again, for nothing: on Qovery's full spec that was about a sixth of a cold
run's CPU time. So the collector is paused while a package is generated.

black is the exception: its syntax trees are cycles, and a worker formatting
thousands of pieces without collecting would keep every one of them. Its
workers collect, but first freeze what they inherited from the parent with
the fork, so no collection walks the parent's graphs (nor touches their
pages, which would copy them).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (an explicit `gc.collect()` still works)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collecting_worker() -> None:
    """Initializer of forked workers that make cyclic garbage: collect only what the worker allocates."""
    gc.freeze()
    gc.enable()
