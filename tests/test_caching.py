"""The cache's entries: read back only as written, and no more of them than kept."""

from __future__ import annotations

import os
from pathlib import Path

from generator import caching


def test_an_entry_is_read_back_for_its_key_alone(tmp_path: Path) -> None:
    path = tmp_path / "kind" / "entry.json"
    caching.write_entry(path, "key", {"a": [1, "ü"]})
    assert caching.read_entry(path, "key") == {"a": [1, "ü"]}
    assert caching.read_entry(path, "other") is None
    path.write_bytes(path.read_bytes().replace(b"1", b"2"))
    assert caching.read_entry(path, "key") is None


def test_text_json_cannot_carry_is_no_entry_and_no_error(tmp_path: Path) -> None:
    path = tmp_path / "entry.json"
    caching.write_entry(path, "key", {"a": "\ud800"})
    assert caching.read_entry(path, "key") is None
    assert list(tmp_path.iterdir()) == []


def test_the_least_recently_used_entries_go(tmp_path: Path) -> None:
    paths = [tmp_path / f"{n:02}.json" for n in range(caching.KEPT)]
    for age, path in enumerate(paths):
        caching.write_entry(path, "key", age)
        os.utime(path, (1000 + age, 1000 + age))
    assert caching.read_entry(paths[0], "key") == 0  # used again: kept
    for name in ("a", "b", "c"):
        caching.write_entry(tmp_path / f"new-{name}.json", "key", name)
    kept = {p.name for p in tmp_path.glob("*.json")}
    assert len(kept) == caching.KEPT
    assert {"00.json", "new-a.json", "new-c.json"} <= kept
    assert not {"01.json", "02.json", "03.json"} & kept
