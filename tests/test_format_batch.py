"""The format cache and the parallel path give exactly black's bytes, and skip work they can."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import format_batch
from generator.formatting import format_python

UGLY = "x = {  'a':1,'b' :2 }\nimport os\nimport sys\n"


def test_cache_is_filled_then_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"pkg/a.py": UGLY, "README.md": "```python\nx=1\n```\n", "data.json": "{ }"}
    first = format_batch.format_files(files, "pkg", tmp_path)
    assert first["pkg/a.py"] == format_python(UGLY, name="a.py", package="pkg")
    assert first["README.md"] == "```python\nx = 1\n```\n" and first["data.json"] == "{ }"
    assert len(list(tmp_path.rglob("*"))) == 4  # two entries, each in its own shard folder

    def refuse(job: tuple[str, str, str]) -> str:
        raise AssertionError(f"{job[0]} was formatted again")

    monkeypatch.setattr(format_batch, "_format_one", refuse)
    assert format_batch.format_files(files, "pkg", tmp_path) == first


def test_parallel_path_matches_the_serial_one(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"pkg/m{i}.py": UGLY + f"y{i} = [1,2,3]\n" for i in range(6)}
    serial = format_batch.format_files(files, "pkg", None)
    monkeypatch.setattr(format_batch, "PARALLEL_THRESHOLD", 0)
    assert format_batch.format_files(files, "pkg", None) == serial


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "c"))
    assert format_batch.default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("SPECGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert format_batch.default_cache_dir() == tmp_path / "x" / "specgen" / "format"
