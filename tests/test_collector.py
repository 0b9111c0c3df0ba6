"""The collector is paused while a package is generated, and black's workers collect in bulk."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from generator import collector, format_batch


def test_paused_restores_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused and left it so
    assert gc.isenabled()


def test_paused_restores_it_when_generation_fails() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError
    assert gc.isenabled()


def _cycles(count: int) -> None:
    for _ in range(count):
        node: list[object] = []
        node.append(node)


def test_garbage_is_collected_once_it_is_due(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector, "WORKER_GARBAGE_LIMIT", 1_000)
    with collector.paused():
        gc.collect()
        _cycles(500)
        collector.collect_when_due()
        assert gc.get_count()[0] >= 500  # not due yet: nothing walked
        _cycles(1_000)
        collector.collect_when_due()
        assert gc.get_count()[0] < 100


def test_each_piece_formatted_leaves_no_more_than_the_limit_of_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Here as in the workers (where the collector is off), black's syntax trees do not pile up."""
    monkeypatch.setattr(collector, "WORKER_GARBAGE_LIMIT", 1_000)
    with collector.paused():
        gc.collect()
        for number in range(5):
            format_batch._format_one(format_batch._Job("pkg/m.py", f"x = [{number},{number + 1}]\n" * 200, "pkg"))
            assert gc.get_count()[0] < 1_000 + 1_000


def test_a_generation_leaves_the_collector_on(tmp_path: Path) -> None:
    from generator.config import make_target  # noqa: PLC0415
    from generator.pipeline import generate_files  # noqa: PLC0415
    from tests.conftest import REPO_ROOT  # noqa: PLC0415

    target = make_target(REPO_ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml", "mini", tmp_path / "out", None, REPO_ROOT)
    assert generate_files(target, no_cache=True).files
    assert gc.isenabled()
