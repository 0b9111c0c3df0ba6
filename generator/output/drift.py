"""How checked-in output differs from what its spec generates now.

Used by `specgen check` and by the golden tests.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.config import Target
from generator.output.manifest import MANIFEST_NAME, Manifest
from generator.pipeline import generate_files

DriftKind = Literal["missing", "changed", "stale", "edited"]


@dataclass(frozen=True)
class FileDrift:
    """One file that is not what generation would write."""

    name: str
    kind: DriftKind
    expected: bytes = b""
    actual: bytes = b""

    @property
    def summary(self) -> str:
        return {
            "missing": "would be created",
            "changed": "differs",
            "stale": "would be removed",
            "edited": "edited by hand since it was generated",
        }[self.kind] + f": {self.name}"

    def unified_diff(self, context: int = 3) -> list[str]:
        return list(
            difflib.unified_diff(
                self.actual.decode("utf-8", "replace").splitlines(),
                self.expected.decode("utf-8", "replace").splitlines(),
                f"on disk/{self.name}",
                f"generated/{self.name}",
                lineterm="",
                n=context,
            )
        )


def drift(target: Target) -> list[FileDrift]:
    """Files specgen owns in `target.output` that differ from a fresh generation, in name order.

    A user's own files (not in the manifest) are none of our business and never reported.
    """
    generated = generate_files(target)
    expected = {**generated.files, MANIFEST_NAME: generated.manifest.to_bytes()}
    previous = Manifest.read(target.output)
    owned = set(previous.files) | {MANIFEST_NAME} if previous else set()
    edited = set(previous.edited_by_hand(target.output)) if previous else set()
    found: list[FileDrift] = []
    for name in sorted(expected.keys() | owned):
        path: Path = target.output / name
        actual = path.read_bytes() if path.is_file() else None
        if name not in expected:
            if actual is not None:
                found.append(FileDrift(name, "stale", actual=actual))
        elif actual is None:
            found.append(FileDrift(name, "missing", expected=expected[name]))
        elif actual != expected[name]:
            kind: DriftKind = "edited" if name in edited else "changed"
            found.append(FileDrift(name, kind, expected[name], actual))
    return found
