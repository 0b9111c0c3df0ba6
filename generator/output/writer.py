"""Write a generated package without ever losing anything.

Everything is written to a temporary sibling folder first (`.<name>.new-*`); only when that
succeeded are the user's own entries moved into it and is it swapped in place of the old
output with two renames, so a failure leaves the previous output byte-identical. The manifest
of the previous run says which files specgen owns: a user's own entries (files, symlinks,
folders, `.git`) are moved over as they are, files generated earlier for things that no
longer exist are dropped, and generated files edited by hand stop the write unless forced.

A symlinked output stays a link: the folder it points to is the one swapped. One run at a time
writes an output (a `flock` on `.<name>.specgen-lock` beside it); under that lock a run first
repairs what a killed run left: an output renamed away but not replaced is restored, the
user's entries moved into a staging folder are moved back, stale staging folders go.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.output.manifest import MANIFEST_NAME, Manifest, digest

_NEVER_CARRIED = {"__pycache__"}
JOURNAL_NAME = ".specgen-moved.json"
"""In a staging folder: the user's entries moved into it, so a later run can move them back."""
LOCK_TIMEOUT = 120.0
"""Seconds a run waits for another run writing the same output before giving up."""
_POLL = 0.05


class EditedFilesError(Exception):
    """Generated files were edited by hand; overwriting them needs `--force`."""

    def __init__(self, output: Path, names: list[str]) -> None:
        self.lines = [
            f"{output / name}: edited by hand since it was generated;"
            " keep your change elsewhere or pass --force"
            for name in names
        ]
        super().__init__("\n".join(self.lines))


Update = Callable[[bytes], bytes]
"""A user file's new bytes, from its current ones."""


class OutputError(Exception):
    """The output could not be written (an OS error, something in the way); nothing changed.

    The message is one line naming the output, the path at fault and the OS's reason.
    """


def write_tree(
    files: dict[str, bytes],
    output: Path,
    manifest: Manifest,
    *,
    force: bool = False,
    updated: dict[str, Update] | None = None,
) -> None:
    """Replace what specgen owns in `output` with `files`, keeping everything else.

    `updated` rewrites user-owned files (CHANGELOG.md) from their current bytes (empty
    when absent) with the function given for each.
    """
    real = _real(output)
    try:
        if real.exists() and not real.is_dir():
            message = "is a file, not a folder; move it or choose another output"
            raise OutputError(f"{output}: {message}")
        real.parent.mkdir(parents=True, exist_ok=True)
        with _locked(real, output):
            _recover(real)
            _write_locked(files, output, real, manifest, force, updated or {})
    except OSError as exc:
        raise _output_error(exc, output, real) from exc


def recover(output: Path) -> None:
    """Repair what a killed run left beside `output`, so even an up-to-date run gets it back.

    Cheap when there is nothing to repair: no lock is taken, nothing is written.
    """
    real = _real(output)
    if not (
        _leftovers(real, "new")
        or _leftovers(real, "old")
        or (real / JOURNAL_NAME).exists()
    ):
        return
    try:
        with _locked(real, output):
            _recover(real)
    except OSError as exc:
        raise _output_error(exc, output, real) from exc


def user_entries(folder: Path, keep: set[str]) -> list[str]:
    """The entries in `folder` that are the user's, each as high up as possible.

    A folder holding nothing specgen writes or wrote (`keep`) is one entry, moved whole in one
    rename (a `.git`, an empty folder); symlinks are entries, never followed.
    """
    split = [name.split("/") for name in keep]
    inside = {"/".join(parts[:n]) for parts in split for n in range(1, len(parts))}
    found: list[str] = []

    def walk(prefix: str) -> None:
        with os.scandir(folder / prefix if prefix else folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            relative = f"{prefix}/{entry.name}" if prefix else entry.name
            if entry.name in _NEVER_CARRIED or relative in keep:
                continue
            if relative in (MANIFEST_NAME, JOURNAL_NAME):
                continue
            if relative in inside and entry.is_dir(follow_symlinks=False):
                walk(relative)
            else:
                found.append(relative)

    if folder.is_dir():
        walk("")
    return found


def _write_locked(
    files: dict[str, bytes],
    output: Path,
    real: Path,
    manifest: Manifest,
    force: bool,
    updated: dict[str, Update],
) -> None:
    """Stage the new output, move the user's entries in, swap; undo it all on any failure."""
    previous = Manifest.read(real)
    same: set[str] = set()
    if previous is not None and not force:
        edited = previous.edited_by_hand(real)
        if edited:
            raise EditedFilesError(output, edited)
        same = {
            name
            for name, content in files.items()
            if previous.files.get(name) == digest(content)
        }
    mode = _folder_mode(real)
    staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.new-", dir=real.parent))
    try:
        staging.chmod(mode)  # mkdtemp's 0o700 must not become the output's mode
        _stage(
            staging, real, {**files, MANIFEST_NAME: manifest.to_bytes()}, updated, same
        )
        owned = set(previous.files) if previous else set()
        entries = user_entries(real, set(files) | owned | set(updated))
        for relative in entries:
            if os.path.lexists(staging / relative):
                kind = "folder" if (staging / relative).is_dir() else "file"
                raise OutputError(
                    f"{output / relative}: is in the way of a generated {kind}; move it elsewhere"
                )
        if entries:
            _write_journal(staging, entries)
        for relative in entries:
            _move_in(real, staging, relative)
        _swap(staging, real)
    except BaseException:
        if (
            real.is_dir()
        ):  # else the old output is in `.old-*` and the next run restores it
            _move_back(staging, real)
        raise
    finally:
        if staging.is_dir() and not (staging / JOURNAL_NAME).exists():
            shutil.rmtree(
                staging, ignore_errors=True
            )  # a leftover goes on the next run
    (real / JOURNAL_NAME).unlink(missing_ok=True)


def _stage(
    staging: Path,
    real: Path,
    files: dict[str, bytes],
    updated: dict[str, Update],
    same: Collection[str] = (),
) -> None:
    """Write the generated files aside, and the user's updated files as new copies.

    A file of `same` (its bytes in the output are those to write) is a second link
    to the output's file: no bytes written, and the output keeps its own link.
    """
    for relative, content in files.items():
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative in same and _linked(real / relative, target):
            continue
        target.write_bytes(content)
    for relative, update in updated.items():
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        old = b""
        if (real / relative).is_file():
            shutil.copy2(
                real / relative, target
            )  # copied, not moved: the old one stays intact
            old = target.read_bytes()
        target.write_bytes(update(old))


def _linked(source: Path, target: Path) -> bool:
    """Whether `target` is now a hard link to `source`, a regular file (never a link)."""
    try:
        if not stat.S_ISREG(os.lstat(source).st_mode):
            return False
        os.link(source, target, follow_symlinks=False)
    except OSError:  # no hard links there, another file system: written instead
        return False
    return True


def _write_journal(staging: Path, entries: list[str]) -> None:
    """Record the entries about to be moved into `staging`, atomically, before moving any."""
    draft = staging / f"{JOURNAL_NAME}.draft"
    draft.write_bytes(json.dumps(entries).encode("utf-8"))
    draft.rename(staging / JOURNAL_NAME)


def _move_in(real: Path, staging: Path, relative: str) -> None:
    """Move one user entry from the output into `staging` (its folders made as in the output)."""
    target = staging / relative
    parent = target.parent
    missing = []
    while not parent.is_dir():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir()
        shutil.copystat(real / folder.relative_to(staging), folder)
    (real / relative).rename(target)


def _move_back(staging: Path, real: Path) -> None:
    """Move the journaled user entries from `staging` back into `real`; drop the journal if done.

    An entry the output has again (or whose folder is gone) stays, and so does the journal:
    the staging folder is then kept rather than deleted with the user's entry in it.
    """
    journal = staging / JOURNAL_NAME
    try:
        entries = json.loads(journal.read_bytes())
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        return  # unreadable: keep the staging folder, never guess
    if not isinstance(entries, list):
        return
    for relative in reversed([str(e) for e in entries]):
        source, target = staging / relative, real / relative
        if (
            os.path.lexists(source)
            and not os.path.lexists(target)
            and target.parent.is_dir()
        ):
            source.rename(target)
    if not any(os.path.lexists(staging / str(e)) for e in entries):
        journal.unlink()


def _recover(real: Path) -> None:
    """Under the lock, undo what a killed run left: every `.new-*` and `.old-*` is stale now."""
    retired = _leftovers(real, "old")
    if not real.exists() and retired:
        newest = max(retired, key=lambda p: p.lstat().st_ctime)
        newest.rename(real)
        retired.remove(newest)
    for staging in _leftovers(real, "new"):
        if real.is_dir():
            _move_back(staging, real)
        if not (staging / JOURNAL_NAME).exists():
            shutil.rmtree(staging)
    if not real.is_dir():
        return
    (real / JOURNAL_NAME).unlink(
        missing_ok=True
    )  # a kill after the swap, before its removal
    for old in retired:
        owned = Manifest.read(old)
        keep = set(owned.files) if owned else set()
        if all(os.path.lexists(real / entry) for entry in user_entries(old, keep)):
            shutil.rmtree(
                old
            )  # else it holds a user's entry the output lacks: leave it


def _leftovers(real: Path, kind: str) -> list[Path]:
    """specgen's own `.<name>.new-*` or `.<name>.old-*` folders beside `real` (mkdtemp names)."""
    pattern = re.compile(rf"\.{re.escape(real.name)}\.{kind}-[a-z0-9_]{{8}}")
    try:
        names = os.listdir(real.parent)
    except OSError:
        return []
    found = [real.parent / n for n in sorted(names) if pattern.fullmatch(n)]
    return [p for p in found if p.is_dir() and not p.is_symlink()]


@contextmanager
def _locked(real: Path, output: Path) -> Iterator[None]:
    """Hold the output's lock, waiting up to LOCK_TIMEOUT for another run to finish.

    The lock file is removed when released; a run that locked a file removed meanwhile
    (its inode is no longer the path's) locks again, so removal never lets two runs in.
    """
    path = real.parent / f".{real.name}.specgen-lock"
    timeout = LOCK_TIMEOUT
    deadline = time.monotonic() + timeout
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OutputError(
                            f"{output}: another specgen run is writing it;"
                            f" gave up waiting after {timeout:g} s"
                        ) from None
                    time.sleep(_POLL)
            held = os.fstat(descriptor)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
        except BaseException:
            os.close(descriptor)
            raise
        if current is not None and (current.st_dev, current.st_ino) == (
            held.st_dev,
            held.st_ino,
        ):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        try:
            path.unlink(missing_ok=True)
        finally:
            os.close(descriptor)


def _real(output: Path) -> Path:
    """Where the output really is: a symlinked output (or parent) is written where it points."""
    try:
        return output.resolve()
    except (
        OSError,
        RuntimeError,
    ) as exc:  # a symlink loop: RuntimeError up to Python 3.12
        raise OutputError(f"{output}: cannot find the output folder: {exc}") from None


def _output_error(exc: OSError, output: Path, real: Path) -> OutputError:
    """One line for the user: the output, the path at fault (when another) and the OS reason."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = Path(os.fsdecode(exc.filename)) if exc.filename else real
    target = "the output" if where in (real, output) else str(where)
    return OutputError(f"{output}: cannot write {target}: {reason}".replace("\n", " "))


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
    shutil.rmtree(
        retired, ignore_errors=True
    )  # the write is done; a leftover goes next run
