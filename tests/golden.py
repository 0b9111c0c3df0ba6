"""Small golden files kept beside tests (template unit tests, customisation output).

`SPECGEN_UPDATE_GOLDEN=1 python -m pytest tests` rewrites them; review the diff.
The checked-in generated packages are updated by `specgen generate` instead.
"""

from __future__ import annotations

import os
from pathlib import Path

UPDATE = os.environ.get("SPECGEN_UPDATE_GOLDEN") == "1"
HINT = (
    "Update with `SPECGEN_UPDATE_GOLDEN=1 python -m pytest tests` and review the diff."
)


def assert_golden_tree(actual: dict[str, str], folder: Path) -> None:
    """`folder` holds exactly the files of `actual` (relative path → text)."""
    if UPDATE:
        for stale in (
            [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
        ):
            stale.unlink()
        for name, text in actual.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    assert sorted(actual) == sorted(expected), HINT
    for name in actual:
        assert actual[name] == expected[name], f"{folder / name} differs. {HINT}"
