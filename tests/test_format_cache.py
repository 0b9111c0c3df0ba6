"""Formatting from the last run's cache: the same text as formatting everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.output import formatting
from generator.output.formatting import format_files

FILES = {
    "pkg/__init__.py": '"""A package."""\n',
    "pkg/a.py": "import zlib\nimport helpers\nimport yaml\nimport os\nx  =  [1,2]\n",
    "pkg/b.py": "def f( a ):\n  return a\n",
    "helpers.py": "X  = 1\n",
    "README.md": "# Pkg\n\n```python\nimport  os\n```\n",
}


@pytest.fixture
def formatted_names(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files each formatter run was given."""
    runs: list[list[str]] = []
    real = formatting._run

    def spy(sources: dict[str, str], **options: Any) -> dict[str, str]:
        runs.append(sorted(sources))
        return real(sources, **options)

    monkeypatch.setattr(formatting, "_run", spy)
    return runs


def test_only_changed_files_are_formatted_again(
    tmp_path: Path, formatted_names: list[list[str]]
) -> None:
    cache = tmp_path / "entry.json"
    first = format_files(FILES, package="pkg", cache=cache)
    assert first == format_files(FILES, package="pkg")
    changed = {**FILES, "pkg/b.py": "def g( a ):\n  return a\n"}
    formatted_names.clear()
    again = format_files(changed, package="pkg", cache=cache)
    assert formatted_names == [["pkg/b.py"]]
    assert again == format_files(changed, package="pkg")
    formatted_names.clear()
    assert format_files(changed, package="pkg", cache=cache) == again
    assert formatted_names == []


def test_the_files_beside_decide_as_without_a_cache(tmp_path: Path) -> None:
    """isort tells first-party imports by the modules beside: a file taken from the
    cache was formatted among the same files."""
    alone = {name: text for name, text in FILES.items() if name != "helpers.py"}
    assert (
        format_files(alone, package="pkg")["pkg/a.py"]
        != format_files(FILES, package="pkg")["pkg/a.py"]
    )
    cache = tmp_path / "entry.json"
    format_files(FILES, package="pkg", cache=cache)
    assert format_files(alone, package="pkg", cache=cache) == format_files(
        alone, package="pkg"
    )


def test_a_damaged_entry_formats_everything(
    tmp_path: Path, formatted_names: list[list[str]]
) -> None:
    cache = tmp_path / "entry.json"
    expected = format_files(FILES, package="pkg", cache=cache)
    cache.write_bytes(cache.read_bytes()[:-20])
    formatted_names.clear()
    assert format_files(FILES, package="pkg", cache=cache) == expected
    assert len(formatted_names) == 1
    assert len(formatted_names[0]) == 5


def test_a_broken_file_is_still_refused(tmp_path: Path) -> None:
    cache = tmp_path / "entry.json"
    format_files(FILES, package="pkg", cache=cache)
    with pytest.raises(formatting.FormattingError):
        format_files({**FILES, "pkg/b.py": "def (\n"}, package="pkg", cache=cache)
