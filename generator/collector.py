"""When Python's cyclic garbage collector runs during generation.

Generation builds big object graphs that live to the end (the loaded spec,
datamodel-code-generator's parse of it, the validation cases, the intermediate
model) and makes little cyclic garbage. Each full collection walks all of that
again, for nothing: on Qovery's full spec that was about a sixth of a cold
run's CPU time. So the collector is paused while a package is generated.

black is the exception: its syntax trees are cycles, hundreds of thousands
of them per worker. Its workers first freeze what they inherited from the
parent with the fork, so no collection walks the parent's graphs (nor touches
their pages, which would copy them). Then they collect only once
`WORKER_GARBAGE_LIMIT` objects have piled up (`collect_when_due`): a
collection costs about as much as freeing what it finds, which a worker that
exits first never pays, and the limit bounds the memory it holds.
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


WORKER_GARBAGE_LIMIT = 1_000_000
"""Objects a worker may allocate between collections, about 100 MB of black's syntax trees.

On Qovery's full spec neither worker reaches it (each stays under 190 MB,
below datamodel-code-generator's own peak); collecting there cost 0.45 s of
CPU per worker.
"""


def bulk_collecting_worker() -> None:
    """Initializer of forked workers that make cyclic garbage: only what they allocate is ever walked."""
    gc.freeze()
    gc.disable()


def collect_when_due() -> None:
    """Collect once enough has been allocated since the last collection for garbage to matter."""
    if gc.get_count()[0] > WORKER_GARBAGE_LIMIT:
        gc.collect()
