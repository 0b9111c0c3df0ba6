"""The writer against a hostile file system: symlinked outputs, the user's links, empty folders
and `.git`, kills mid-write, concurrent runs, and OS errors (read-only, full disk, denied)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli
from generator.cli import main
from generator.output import writer
from generator.output.manifest import MANIFEST_NAME, Manifest
from generator.output.writer import OutputError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "mini" / "openapi.yaml"
Tree = dict[str, tuple[object, ...]]


def args(out: Path, *extra: str) -> list[str]:
    spec = ["--spec", str(FIXTURE), "--package", "mini_pets", "--output", str(out)]
    return ["generate", *spec, *extra]


def generate(out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, args(out, *extra))
    return result.exit_code, result.output


def tree(folder: Path) -> Tree:
    """Everything under `folder` without following links: kind, mode, bytes or link target."""
    found: Tree = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            info = path.lstat()
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = ("dir", info.st_mode)
            else:
                found[key] = ("file", info.st_mode, path.read_bytes())
    return found


def hidden_siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    assert generate(folder)[0] == 0
    (folder / "NOTES.md").write_text("mine")
    (folder / "mini_pets" / "extra.py").write_text("# mine too\n")
    return folder


@pytest.fixture
def reported() -> None:
    """The CLI reports OutputError like its other user errors."""
    assert OutputError in cli.user_errors()


# 1. A symlinked output folder.


def test_symlinked_output_stays_a_link_and_its_target_is_updated(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real" / "client"
    assert generate(real)[0] == 0
    (real / "NOTES.md").write_text("mine")
    link = tmp_path / "out"
    link.symlink_to(Path("real") / "client")
    (real / "mini_pets" / "client.py").write_text("stale")
    code, output = generate(link, "--force")
    assert code == 0, output
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "client")
    assert (real / "NOTES.md").read_text() == "mine"
    assert (real / "mini_pets" / "client.py").read_text() != "stale"
    assert hidden_siblings(tmp_path) == [] and hidden_siblings(real.parent) == []


def test_dangling_symlinked_output_is_created_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "real" / "client")
    code, output = generate(link)
    assert code == 0, output
    assert (
        link.is_symlink() and (tmp_path / "real" / "client" / MANIFEST_NAME).is_file()
    )


# 2. The user's links, empty folders and `.git` are kept as they are, moved rather than copied.


def add_special_user_content(out: Path) -> None:
    (out / "link_to_notes").symlink_to("NOTES.md")
    (out / "dangling").symlink_to("nowhere/at/all")
    (out / "mini_pets" / "docs").symlink_to(out.parent, target_is_directory=True)
    (out / "empty").mkdir()
    (out / "mini_pets" / "empty_too").mkdir()
    git = out / ".git" / "objects" / "ab"
    git.mkdir(parents=True)
    (git / "cdef").write_bytes(b"\x00blob")
    (git / "cdef").chmod(0o444)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "vendor").mkdir()
    (out / "vendor" / ".git").write_text("gitdir: ../.git/modules/vendor\n")


def test_user_links_empty_folders_and_git_are_kept(out: Path) -> None:
    add_special_user_content(out)
    git_inode = (out / ".git").stat().st_ino
    before = {
        k: v for k, v in tree(out).items() if not k.startswith(("mini_pets/", "tests/"))
    }
    code, output = generate(out, "--force")
    assert code == 0, output
    after = tree(out)
    assert after["link_to_notes"] == ("link", "NOTES.md")
    assert after["dangling"] == ("link", "nowhere/at/all")
    assert after["mini_pets/docs"] == ("link", str(out.parent))
    assert after["empty"][0] == "dir" and after["mini_pets/empty_too"][0] == "dir"
    assert (out / ".git").stat().st_ino == git_inode, ".git was copied, not moved"
    for key, value in before.items():
        if key != MANIFEST_NAME and not key.startswith("."):
            assert after[key] == value, key
    assert {k: v for k, v in after.items() if k.startswith(".git")} == {
        k: v for k, v in before.items() if k.startswith(".git")
    }
    assert after["vendor/.git"] == before["vendor/.git"]
    assert hidden_siblings(out.parent) == []


def test_failure_before_the_swap_puts_moved_user_entries_back(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    add_special_user_content(out)
    before, git_inode = tree(out), (out / ".git").stat().st_ino

    def explode(staging: Path, output: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writer, "_swap", explode)
    code, output = generate(out, "--force")
    assert (
        code == 2
        and output == f"specgen: {out}: cannot write the output: Input/output error\n"
    )
    assert tree(out) == before and (out / ".git").stat().st_ino == git_inode
    assert hidden_siblings(out.parent) == []


def test_failure_while_moving_user_entries_puts_back_those_moved(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    add_special_user_content(out)
    before = tree(out)
    real_rename = os.rename
    moves: list[str] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        inside_out = Path(src).parent.parent == out.parent
        if inside_out and ".out.new-" not in str(src):
            moves.append(str(src))
            if len(moves) == 3:
                raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    code, output = generate(out, "--force")
    assert code == 2 and output.endswith(": Invalid cross-device link\n"), output
    assert len(moves) == 3
    assert tree(out) == before and hidden_siblings(out.parent) == []


# 3. and 4. Kills: between the two renames of the swap, and while staging.


def run_killed(out: Path, trigger: str) -> None:
    """Run `generate --force` in a process that SIGKILLs itself where `trigger` says: "swap"
    (the old output renamed away, the new one not yet in place), "staging" (writing the new
    files aside) or "moving" (putting the user's entries into the new output)."""
    script = textwrap.dedent(
        f"""
        import os, signal, pathlib
        from click.testing import CliRunner
        from generator.cli import main
        out = os.path.realpath({str(out)!r})
        staging = os.path.join(os.path.dirname(out), ".out.new-")
        trigger = {trigger!r}
        real_rename, real_write = os.rename, pathlib.Path.write_bytes
        seen = []
        def rename(src, dst):
            src, dst = os.fspath(src), os.fspath(dst)
            if trigger == "swap" and os.path.realpath(dst) == out and src.startswith(staging):
                os.kill(os.getpid(), signal.SIGKILL)
            if trigger == "moving" and dst.startswith(staging) and not src.startswith(staging):
                seen.append(src)
                if len(seen) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
            real_rename(src, dst)
        def write_bytes(self, data):
            if trigger == "staging" and str(self).startswith(staging):
                seen.append(self)
                if len(seen) == 5:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real_write(self, data)
        os.rename = rename
        pathlib.Path.write_bytes = write_bytes
        CliRunner().invoke(main, {args(out, "--force")!r}, catch_exceptions=False)
        raise SystemExit("not killed")
        """
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()


def test_kill_between_the_swap_renames_is_recovered_by_the_next_run(out: Path) -> None:
    add_special_user_content(out)
    before = tree(out)
    run_killed(out, "swap")
    assert not out.exists(), "the kill did not happen between the two renames"
    code, output = generate(out)
    assert code == 0, output
    after = tree(out)
    for key in (
        "NOTES.md",
        "mini_pets/extra.py",
        "link_to_notes",
        "empty",
        ".git/HEAD",
    ):
        assert after[key] == before[key], key
    assert hidden_siblings(out.parent) == []


def test_kill_while_staging_leaves_nothing_behind_after_the_next_run(out: Path) -> None:
    before = tree(out)
    run_killed(out, "staging")
    assert any(name.startswith(".out.new-") for name in hidden_siblings(out.parent))
    assert tree(out) == before
    assert (
        generate(out, "--force")[0] == 0
    )  # an up-to-date run writes nothing (see recover)
    assert hidden_siblings(out.parent) == []
    assert tree(out)["NOTES.md"] == before["NOTES.md"]


def test_kill_while_moving_user_entries_is_recovered_by_the_next_run(out: Path) -> None:
    add_special_user_content(out)
    before = tree(out)
    run_killed(out, "moving")
    assert generate(out, "--force")[0] == 0
    after = tree(out)
    kept = [
        k
        for k in before
        if not k.startswith(("mini_pets/", "tests/")) and k != MANIFEST_NAME
    ]
    kept += ["mini_pets/extra.py", "mini_pets/docs", "mini_pets/empty_too"]
    assert {k: after.get(k) for k in kept} == {k: before[k] for k in kept}
    assert hidden_siblings(out.parent) == []


def test_stale_staging_is_left_alone_while_another_run_holds_the_lock(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    stale = out.parent / ".out.new-abcd1234"
    stale.mkdir()
    monkeypatch.setattr(writer, "LOCK_TIMEOUT", 0.2)
    with held_lock(out):
        code, output = generate(out, "--force")
    assert code == 2 and "another specgen run is writing it" in output
    assert stale.is_dir()
    assert generate(out, "--force")[0] == 0
    assert not stale.exists()


# 5. Concurrent runs.


class held_lock:
    """Hold the output's lock from another process, as a concurrent run would."""

    def __init__(self, out: Path) -> None:
        self.lock = out.parent / f".{out.name}.specgen-lock"

    def __enter__(self) -> None:
        code = (
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(self.lock)!r}, os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE
        )
        assert (
            self.process.stdout is not None
            and self.process.stdout.readline() == b"locked\n"
        )

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()
        self.lock.unlink(missing_ok=True)


def test_a_run_waits_for_another_then_fails_on_one_line(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    before = tree(out)
    monkeypatch.setattr(writer, "LOCK_TIMEOUT", 0.3)
    started = time.monotonic()
    with held_lock(out):
        code, output = generate(out, "--force")
    assert time.monotonic() - started >= 0.3
    assert code == 2
    assert output == (
        f"specgen: {out}: another specgen run is writing it; gave up waiting after 0.3 s\n"
    )
    assert tree(out) == before


def test_concurrent_writes_take_turns(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = Manifest.read(out)
    assert manifest is not None
    files = {name: (out / name).read_bytes() for name in manifest.files}
    real_swap = writer._swap
    inside, most = [0], [0]
    entered, gate, count = threading.Event(), threading.Event(), threading.Lock()

    def slow_swap(staging: Path, output: Path) -> None:
        with count:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        if not entered.is_set():
            entered.set()
            gate.wait(10)
        try:
            real_swap(staging, output)
        finally:
            with count:
                inside[0] -= 1

    monkeypatch.setattr(writer, "_swap", slow_swap)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            writer.write_tree(files, out, manifest, force=True)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    first, second = threading.Thread(target=run), threading.Thread(target=run)
    first.start()
    assert entered.wait(10)
    second.start()
    time.sleep(0.5)
    gate.set()
    first.join(30)
    second.join(30)
    assert most[0] == 1, "two runs were swapping the same output at once"
    assert errors == []
    assert (out / "NOTES.md").read_text() == "mine" and hidden_siblings(
        out.parent
    ) == []


@pytest.mark.slow
def test_two_forced_runs_in_parallel_both_succeed(out: Path) -> None:
    command = [sys.executable, "-m", "generator", *args(out, "--force")]
    processes = [
        subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE) for _ in range(3)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert (out / "NOTES.md").read_text() == "mine" and hidden_siblings(
        out.parent
    ) == []


# 6. OS errors become one OutputError; the previous output stays byte-identical.


def failing_in(monkeypatch: pytest.MonkeyPatch, folder: Path, error: int) -> None:
    """Make creating, renaming and removing entries directly in `folder` fail with `error`."""

    def guard(real: Callable[..., object], *paths: int) -> Callable[..., object]:
        def call(*a: object, **k: object) -> object:
            for index in paths:
                if Path(str(a[index])).parent == folder:
                    raise OSError(error, os.strerror(error), str(a[index]))
            return real(*a, **k)

        return call

    real_open = os.open

    def open_(path: str, flags: int, *a: object, **k: object) -> int:
        if (
            flags & os.O_CREAT
            and Path(path).parent == folder
            and not Path(path).exists()
        ):
            raise OSError(error, os.strerror(error), path)
        return real_open(path, flags, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", guard(os.mkdir, 0))
    monkeypatch.setattr(os, "rename", guard(os.rename, 0, 1))
    monkeypatch.setattr(os, "unlink", guard(os.unlink, 0))
    monkeypatch.setattr(os, "rmdir", guard(os.rmdir, 0))


@pytest.mark.parametrize("error", [errno.EROFS, errno.EACCES], ids=["EROFS", "EACCES"])
def test_unwritable_output_parent_is_one_line_and_output_untouched(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None, error: int
) -> None:
    before = tree(out)
    failing_in(monkeypatch, out.parent, error)
    code, output = generate(out, "--force")
    monkeypatch.undo()
    assert code == 2, output
    assert output.count("\n") == 1 and output.startswith(
        f"specgen: {out}: cannot write "
    )
    assert output.endswith(f": {os.strerror(error)}\n")
    assert tree(out) == before and hidden_siblings(out.parent) == []


def test_disk_full_while_staging_is_one_line_and_output_untouched(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    before = tree(out)
    real_write = Path.write_bytes
    writes = [0]

    def write_bytes(self: Path, data: bytes) -> int:
        writes[0] += 1
        if writes[0] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    code, output = generate(out, "--force")
    assert code == 2, output
    assert output.count("\n") == 1 and output.startswith(
        f"specgen: {out}: cannot write "
    )
    assert output.endswith(": No space left on device\n")
    assert tree(out) == before and hidden_siblings(out.parent) == []


def test_permission_denied_on_the_swap_is_one_line_and_output_untouched(
    out: Path, monkeypatch: pytest.MonkeyPatch, reported: None
) -> None:
    add_special_user_content(out)
    before = tree(out)
    real_rename = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src) == out:
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    code, output = generate(out, "--force")
    assert code == 2, output
    assert output == f"specgen: {out}: cannot write the output: Permission denied\n"
    assert tree(out) == before and hidden_siblings(out.parent) == []


def test_file_where_the_output_folder_should_be(tmp_path: Path, reported: None) -> None:
    out = tmp_path / "out"
    out.write_text("my file")
    code, output = generate(out)
    assert code == 2
    assert (
        output
        == f"specgen: {out}: is a file, not a folder; move it or choose another output\n"
    )
    assert out.read_text() == "my file" and hidden_siblings(tmp_path) == []


def test_file_where_the_output_parent_should_be(tmp_path: Path, reported: None) -> None:
    (tmp_path / "parent").write_text("my file")
    out = tmp_path / "parent" / "out"
    code, output = generate(out)
    assert code == 2 and output.count("\n") == 1, output
    assert output.startswith(f"specgen: {out}: cannot write ")
    assert (tmp_path / "parent").read_text() == "my file"


def test_file_in_the_way_of_a_generated_folder(out: Path, reported: None) -> None:
    (out / "tests").rename(out / "tests_moved")
    (out / "tests").write_text("a file of mine where specgen puts a folder")
    before = tree(out)
    code, output = generate(out, "--force")
    assert code == 2
    assert output == (
        f"specgen: {out / 'tests'}: is in the way of a generated folder; move it elsewhere\n"
    )
    assert tree(out) == before and hidden_siblings(out.parent) == []


def test_recover_alone_repairs_what_a_kill_left(out: Path) -> None:
    add_special_user_content(out)
    before = tree(out)
    run_killed(out, "swap")
    writer.recover(out)
    assert tree(out) == before, (
        "the old output, the user's entries included, is back as it was"
    )
    assert hidden_siblings(out.parent) == []
    writer.recover(out)  # nothing to do: no lock file is left either
    assert hidden_siblings(out.parent) == []
