"""Regenerated files whose bytes did not change are linked from the old output, not
written again: same bytes, and the old output stays whole until the swap."""

from __future__ import annotations

import os
from pathlib import Path

from generator.output.manifest import Manifest
from generator.output.writer import write_tree


def _write(files: dict[str, bytes], output: Path) -> None:
    write_tree(files, output, Manifest.for_files(files, "inputs", ()))


def test_an_unchanged_file_is_the_old_file(tmp_path: Path) -> None:
    output = tmp_path / "out"
    _write({"pkg/a.py": b"a = 1\n", "pkg/b.py": b"b = 1\n"}, output)
    before = {name: (output / name).stat().st_ino for name in ("pkg/a.py", "pkg/b.py")}
    _write({"pkg/a.py": b"a = 1\n", "pkg/b.py": b"b = 2\n"}, output)
    assert (output / "pkg/a.py").stat().st_ino == before["pkg/a.py"]
    assert (output / "pkg/a.py").stat().st_nlink == 1  # the old output is gone
    assert (output / "pkg/b.py").stat().st_ino != before["pkg/b.py"]
    assert (output / "pkg/b.py").read_bytes() == b"b = 2\n"


def test_a_symlink_in_the_output_is_never_linked(tmp_path: Path) -> None:
    output = tmp_path / "out"
    files = {"a.py": b"a = 1\n"}
    _write(files, output)
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_bytes(b"a = 1\n")
    (output / "a.py").unlink()
    os.symlink(elsewhere, output / "a.py")
    _write(files, output)
    assert not (output / "a.py").is_symlink()
    assert (output / "a.py").read_bytes() == b"a = 1\n"
    assert (output / "a.py").stat().st_ino != elsewhere.stat().st_ino
