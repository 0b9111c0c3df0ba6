"""The manifest a generated folder carries: which files specgen wrote, with their hashes.

It is what lets regeneration keep a user's own files, notice files a user
edited by hand, remove files generated for schemas that no longer exist, and
skip work when the inputs have not changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = ".specgen-manifest.json"


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """Generated files (relative POSIX path → sha256) and a fingerprint of the inputs."""

    files: dict[str, str]
    inputs: str = ""
    """A hash of everything generation read: spec files, templates, tool versions."""
    sources: tuple[str, ...] = ()
    """The spec files read, relative to the main spec's folder (external `$ref`s included)."""

    def to_bytes(self) -> bytes:
        data = {
            "generated": "Written by specgen: the files it generated here, so regeneration can"
            " keep yours. Do not edit by hand.",
            "inputs": self.inputs,
            "sources": list(self.sources),
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(data, indent=2) + "\n").encode("utf-8")

    @classmethod
    def for_files(
        cls, files: dict[str, bytes], inputs: str, sources: tuple[str, ...]
    ) -> Manifest:
        return cls(
            {name: digest(content) for name, content in files.items()}, inputs, sources
        )

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest in `folder`, or None when there is none (or it is unreadable)."""
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict):
            return None
        sources = data.get("sources")
        return cls(
            {str(k): str(v) for k, v in files.items()},
            str(data.get("inputs", "")),
            tuple(str(s) for s in sources) if isinstance(sources, list) else (),
        )

    def edited_by_hand(self, folder: Path) -> list[str]:
        """Generated files whose content on disk no longer matches what was generated."""
        edited = []
        for name, expected in sorted(self.files.items()):
            path = folder / name
            if path.is_file() and digest(path.read_bytes()) != expected:
                edited.append(name)
        return edited
