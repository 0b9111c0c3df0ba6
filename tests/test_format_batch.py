"""The format cache and the parallel path give exactly black's bytes, and skip work they can."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import format_batch
from generator.chunks import Piece, group_pieces, split_module
from generator.formatting import FormattingError, format_python
from tests.conftest import REPO_ROOT

UGLY = "x = {  'a':1,'b' :2 }\nimport os\nimport sys\n"


def test_cache_is_filled_then_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"pkg/a.py": UGLY, "README.md": "```python\nx=1\n```\n", "data.json": "{ }"}
    first = format_batch.format_files(files, "pkg", tmp_path)
    assert first["pkg/a.py"] == format_python(UGLY, name="a.py", package="pkg")
    assert first["README.md"] == "```python\nx = 1\n```\n" and first["data.json"] == "{ }"
    assert len(list(tmp_path.rglob("*"))) == 4  # two entries, each in its own shard folder

    def refuse(job: format_batch._Job) -> str:
        raise AssertionError(f"{job.name} was formatted again")

    monkeypatch.setattr(format_batch, "_format_one", refuse)
    assert format_batch.format_files(files, "pkg", tmp_path) == first


def test_parallel_path_matches_the_serial_one(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"pkg/m{i}.py": UGLY + f"y{i} = [1,2,3]\n" for i in range(6)}
    serial = format_batch.format_files(files, "pkg", None)
    monkeypatch.setattr(format_batch, "PARALLEL_THRESHOLD", 0)
    assert format_batch.format_files(files, "pkg", None) == serial


def test_files_handed_in_twice_or_in_steps_are_formatted_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    formatted: list[str] = []
    real = format_batch._format_one

    def counting(job: format_batch._Job) -> str:
        formatted.append(job.text)
        return real(job)

    monkeypatch.setattr(format_batch, "_format_one", counting)
    first = {"pkg/a.py": UGLY + "\n\ndef f( ):\n  return 1\n"}
    with format_batch.FormatBatch("pkg", None, parallel=False) as batch:
        batch.add(first)
        batch.add({**first, "pkg/b.py": UGLY})
        result = batch.results()
    assert result == {name: format_python(text, name=name, package="pkg") for name, text in {**first, "pkg/b.py": UGLY}.items()}
    assert len(formatted) == len(set(formatted)) == 2  # a.py's header (b.py's too) and `f`


def test_a_batch_started_on_the_pool_gives_the_serial_bytes() -> None:
    files = {f"pkg/m{i}.py": UGLY + f"\n\ndef f{i}( ):\n  return {i}\n" for i in range(4)}
    serial = format_batch.format_files(files, "pkg", None, parallel=False)
    with format_batch.FormatBatch("pkg", None, parallel=True) as batch:
        batch.add(dict(list(files.items())[:2]))
        batch.add(dict(list(files.items())[2:]))
        assert batch.results() == serial


@pytest.mark.parametrize("parallel", [True, False])
def test_a_prefetched_file_that_is_not_python_is_no_error_unless_handed_in(parallel: bool) -> None:
    files = {"pkg/a.py": UGLY, "pkg/b.py": UGLY + "\n\ndef g( ):\n  return 2\n"}
    with format_batch.FormatBatch("pkg", None, parallel=parallel) as batch:
        batch.prefetch({"pkg/a.py": "def f(:\n    pass\n", "pkg/b.py": files["pkg/b.py"]})
        batch.add(files)
        assert batch.results() == format_batch.format_files(files, "pkg", None, parallel=False)
    with format_batch.FormatBatch("pkg", None, parallel=parallel) as batch:
        batch.prefetch({"pkg/a.py": "def f(:\n    pass\n"})
        batch.add({"pkg/a.py": "def f(:\n    pass\n"})
        with pytest.raises(FormattingError, match="pkg/a.py"):
            batch.results()


def test_cache_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "c"))
    assert format_batch.default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("SPECGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert format_batch.default_cache_dir() == tmp_path / "x" / "specgen" / "format"


TRICKY = """\"\"\"Module docstring.

class NotADefinition: this line is text in a string.
\"\"\"
import os
from typing import overload
x=1

@overload
def f(a: int) -> int: ...

@overload
def f(a: str) -> str: ...
def f(a):  return a

# a comment that belongs to the class below
class A :
    y=[1,2,]

    def m(self): pass



# a comment between definitions

class B(A): pass
B.z = {  }

async def g(): await   h()
if os.name:

    def h(): pass
"""


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "generated").rglob("*.py")),
)
def test_pieces_formatted_alone_give_the_bytes_of_the_whole_file(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every checked-in generated module, with its layout undone, formats the same in pieces (every class cut into its methods) as whole."""
    monkeypatch.setattr("generator.chunks.CLASS_SPLIT_LINES", 2)
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    squashed = source.replace("\n\n\n", "\n\n")  # a template's spacing, not black's
    pieces = split_module(squashed)
    whole = format_python(squashed, name=path, package="pkg")
    assert format_batch.format_files({path: squashed}, "pkg", None)[path] == whole
    assert len(pieces) > 1 or "class " not in source


def test_pieces_of_a_tricky_module_give_the_bytes_of_the_whole_file() -> None:
    pieces = split_module(TRICKY)
    # header; the overloads and f; A with the comment before it; B; g (h is not top-level)
    assert [piece.text.split("\n")[0] for piece in pieces][1:] == ["@overload", "@overload", "class B(A): pass", "async def g(): await   h()"], pieces
    assert not any(piece.text.startswith("class NotADefinition") for piece in pieces)
    assert format_batch.format_files({"m.py": TRICKY}, "pkg", None)["m.py"] == format_python(TRICKY, name="m.py", package="pkg")


def test_methods_of_a_big_class_are_pieces_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (
        "class Big :\n    \"\"\"Doc.\"\"\"\n    x=1\n\n    def a(self): return  1\n    # attached to b\n    def b(self): pass\n\n"
        "    # a comment after a blank line\n\n    @property\n    def c(self) -> int:\n        \"\"\"Doc\n        of c.\"\"\"\n        return {'k':  1}['k']\n\n\n\n"
        "    async def d(self):\n        def inner(): pass\n\n        return inner\nBig.x = 2\n"
    )
    monkeypatch.setattr("generator.chunks.CLASS_SPLIT_LINES", 2)
    pieces = split_module(source)
    assert [p.member for p in pieces] == [False, True, True, True], pieces
    assert format_batch.format_files({"m.py": source}, "pkg", None)["m.py"] == format_python(source, name="m.py", package="pkg")


def test_statements_after_two_blank_lines_are_pieces_of_their_own() -> None:
    source = "import os\nX = {  'a':1 }\n\n\nY: dict[str, int] = dict(\n    a=1,\n)\n\n\n\n# about Z\nZ = (os.sep,\n  1)\n\n\nif X:\n    W = 1\n"
    pieces = split_module(source)
    assert [piece.text.split("\n")[0] for piece in pieces] == ["import os", "Y: dict[str, int] = dict(", "if X:"], pieces
    assert format_batch.format_files({"m.py": source}, "pkg", None)["m.py"] == format_python(source, name="m.py", package="pkg")


def _recording_isort(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = format_batch.sort_imports

    def recording(text: str, *, name: str, package: str) -> str:
        seen.append(text)
        return real(text, name=name, package=package)

    monkeypatch.setattr(format_batch, "sort_imports", recording)
    return seen


def test_only_the_first_piece_goes_through_isort_when_it_holds_every_import(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recording_isort(monkeypatch)
    source = "import sys\nimport os\n\n\nclass A:\n    '''Text that comes\n    from the spec.'''\n\n\ndef f():\n    return os, sys\n"
    assert format_batch.format_files({"m.py": source}, "pkg", None)["m.py"] == format_python(source, name="m.py", package="pkg")
    assert seen == ["import sys\nimport os\n\n\n"]


@pytest.mark.parametrize(
    "tail",
    [
        "def f():\n    import json\n    return os, sys, json\n",
        "def f():\n    from json import dumps\n    return os, sys, dumps\n",
        "def f():\n    return os, sys\n\n\nimport json\n",
    ],
)
def test_an_import_further_down_sends_the_whole_module_through_isort(tail: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recording_isort(monkeypatch)
    source = f"import sys\nimport os\n\n\n{tail}"
    assert format_batch.format_files({"m.py": source}, "pkg", None)["m.py"] == format_python(source, name="m.py", package="pkg")
    assert seen == [source]


def test_a_batch_is_cold_without_a_cache_or_with_an_empty_one(tmp_path: Path) -> None:
    assert format_batch.FormatBatch("pkg", None).cold
    assert format_batch.FormatBatch("pkg", tmp_path / "missing").cold
    assert format_batch.FormatBatch("pkg", tmp_path).cold
    format_batch.format_files({"pkg/a.py": UGLY}, "pkg", tmp_path)
    assert not format_batch.FormatBatch("pkg", tmp_path).cold


def _definitions(count: int, changed: int | None = None) -> str:
    bodies = [f"def f{i}(x):\n    return x + {i if i != changed else -1}\n" for i in range(count)]
    return "import os\n\n\n" + "\n\n".join(bodies)


def test_groups_keep_the_text_and_never_mix_methods_with_top_level_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.chunks.CLASS_SPLIT_LINES", 2)
    methods = "".join(f"    def m{i}(self):\n        return {i}\n\n\n" for i in range(40))  # one blank line too many each
    source = _definitions(40) + "\n\nclass Big:\n" + methods + "\nX = 1\n"
    pieces = split_module(source)
    groups = group_pieces(pieces)
    def lines(texts: list[str]) -> list[str]:
        return [line for text in texts for line in text.splitlines() if line.strip()]

    assert lines([group.text for group in groups]) == lines([source])  # only blank lines may differ
    assert 1 < len(groups) < len(pieces) / 2  # a few large pieces, still more than one
    members = [group for group in groups if group.member]
    assert members and all(group.text.lstrip().startswith("def m") and "class Big" not in group.text and "X = 1" not in group.text for group in members)
    assert format_batch.format_files({"m.py": source}, "pkg", None)["m.py"] == format_python(source, name="m.py", package="pkg")
    assert all("\n\n\n    def" not in group.source for group in members), "joined by the one blank line black puts there"


def test_a_group_ends_where_its_last_piece_says_so_one_change_leaves_the_other_groups_alone() -> None:
    before = [group.text for group in group_pieces(split_module(_definitions(200)))]
    after = [group.text for group in group_pieces(split_module(_definitions(200, changed=100)))]
    assert len(set(after) - set(before)) <= 2, "only the changed piece's group, and the one after if it merged"
    assert len(set(before) & set(after)) >= len(before) - 2


def test_groups_stay_small_enough_to_spread_over_cores() -> None:
    pieces = [Piece(f"def f{i}():\n    return {'x' * 400!r}\n\n\n") for i in range(200)]
    assert all(len(group.text) < format_batch.BATCH_CHARS for group in group_pieces(pieces))
