"""Write a generated package without ever losing anything.

Everything is written to a temporary sibling folder first; only when that
succeeded is it swapped in place of the old output with two renames, so a
failure or an interrupt leaves the previous output byte-identical. The
manifest of the previous run says which files specgen owns: a user's own files
are carried over, files generated earlier for things that no longer exist are
dropped, and generated files edited by hand stop the write unless forced.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from generator.output.manifest import MANIFEST_NAME, Manifest

_NEVER_CARRIED = {"__pycache__"}


class EditedFilesError(Exception):
    """Generated files were edited by hand; overwriting them needs `--force`."""

    def __init__(self, output: Path, names: list[str]) -> None:
        self.lines = [f"{output / name}: edited by hand since it was generated; keep your change elsewhere or pass --force" for name in names]
        super().__init__("\n".join(self.lines))


def user_files(output: Path, previous: Manifest | None, generated: dict[str, bytes]) -> list[str]:
    """Files in `output` that specgen did not write and will not write: they must survive."""
    if not output.is_dir():
        return []
    owned = set(previous.files) if previous else set()
    kept = []
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if path.is_file() and relative != MANIFEST_NAME and relative not in generated and relative not in owned and not _NEVER_CARRIED & set(path.relative_to(output).parts):
            kept.append(relative)
    return kept


def write_tree(files: dict[str, bytes], output: Path, manifest: Manifest, *, force: bool = False, appended: dict[str, bytes] | None = None) -> None:
    """Replace what specgen owns in `output` with `files`, keeping everything else.

    `appended` adds text at the end of user-owned files (CHANGELOG.md), creating them if needed.
    """
    previous = Manifest.read(output)
    if previous is not None and not force:
        edited = previous.edited_by_hand(output)
        if edited:
            raise EditedFilesError(output, edited)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    staging.chmod(_folder_mode(output))  # mkdtemp's 0o700 must not become the output's mode
    try:
        for relative in user_files(output, previous, files):
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(output / relative, staging / relative)
        for relative, content in {**files, MANIFEST_NAME: manifest.to_bytes()}.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        for relative, content in (appended or {}).items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("ab") as stream:
                stream.write(content)
        _swap(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _folder_mode(output: Path) -> int:
    """The output folder's mode: what it has now, else what the user's umask gives a new folder."""
    if output.is_dir():
        return stat.S_IMODE(output.stat().st_mode)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` where `output` is, restoring the old output if the second rename fails."""
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except BaseException:
        retired.rename(output)
        raise
    shutil.rmtree(retired)
