"""datamodel-code-generator's worker process: same output as in-process, and it never
outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.config import load_targets
from generator.models import beside, codegen
from generator.output.drift import drift
from tests.conftest import DATA_DIR, REPO_ROOT

TARGETS = load_targets(REPO_ROOT / "pyproject.toml")
needs_worker = pytest.mark.skipif(
    not (Path("/proc/self/task").exists() and beside.worth_a_process()),
    reason="needs Linux's /proc and a second core (else no worker is started)",
)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_one_process_writes_the_same_bytes(
    target: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On one core the models are made in this process: the golden files do not change."""
    monkeypatch.setattr(beside, "worth_a_process", lambda: False)
    found = drift(target)  # type: ignore[arg-type]
    assert not found, [item.summary for item in found]


@pytest.mark.slow
@needs_worker
def test_a_killed_run_leaves_no_worker_behind(tmp_path: Path) -> None:
    spec = DATA_DIR / "corpus" / "qovery-openapi.yaml"
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    command += ["--package", "corpus", "--output", str(tmp_path / "out")]
    run = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while not workers and time.monotonic() < deadline and run.poll() is None:
            workers = children(run.pid)
            time.sleep(0.01)
        assert workers, "the run started no worker"
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), (
            "a worker outlived its killed parent"
        )
    finally:
        if run.poll() is None:
            run.kill()
    assert not (tmp_path / "out").exists()


def _forever(*_: object) -> None:
    signal.pause()


@needs_worker
def test_a_failed_run_kills_the_worker_instead_of_waiting_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bad spec fails before the models are asked for: the worker, still busy (here:
    forever), is killed, so the error comes at once."""
    monkeypatch.setattr(beside, "_serve", _forever)
    before = children(os.getpid())
    with pytest.raises(ValueError, match="bad spec"), beside.models_beside():
        workers = children(os.getpid()) - before
        raise ValueError("bad spec")
    assert workers
    assert not any(alive(pid) for pid in workers)


def test_an_error_in_the_worker_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(document: object, **_: object) -> None:
        raise ValueError(f"refused {document}")

    monkeypatch.setattr(codegen, "generate_models", refuse)
    job = beside.ModelsJob("p", "header", Path("."))
    with beside.models_beside() as start, pytest.raises(ValueError, match="refused"):
        start(job, {"openapi": "3.1.0"}).module()


@needs_worker
def test_the_worker_started_early_is_the_one_a_run_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(beside, "_serve", _forever)
    before = children(os.getpid())
    with beside.worker_started_early():
        early = children(os.getpid()) - before
        assert len(early) == 1
        with beside.models_beside():
            assert children(os.getpid()) - before == early  # no second worker
        assert not any(alive(pid) for pid in early)
        with beside.models_beside():  # a second run forks its own
            second = children(os.getpid()) - before
            assert len(second) == 1
            assert second != early
    assert not any(alive(pid) for pid in second)


@needs_worker
def test_a_worker_started_early_and_not_taken_is_killed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An up-to-date run takes no worker: the one started early goes with the command."""
    monkeypatch.setattr(beside, "_serve", _forever)
    before = children(os.getpid())
    with beside.worker_started_early():
        early = children(os.getpid()) - before
    assert early
    assert not any(alive(pid) for pid in early)
