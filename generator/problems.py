"""Problems found in a spec, collected as values and reported together.

Exceptions are for bugs; a bad spec yields `Problem`s. `SpecError` carries them
to the CLI, which prints one line per problem and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from generator.pointers import (
    escape_pointer_token,
    join_pointer,
    unescape_pointer_token,
)

__all__ = [
    "Level",
    "Problem",
    "SpecError",
    "escape_pointer_token",
    "join_pointer",
    "unescape_pointer_token",
]


class Level(StrEnum):
    """How bad a problem is: errors stop generation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec, located by file, JSON pointer and (when known) line."""

    level: Level
    file: Path
    pointer: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.line is not None:
            where += f":{self.line}"
        if not self.pointer:
            return f"{where}: {self.level.value}: {self.message}"
        pointer = self.pointer if self.pointer.startswith("#") else "#" + self.pointer
        return f"{where}: {self.level.value}: {pointer}: {self.message}"


class SpecError(Exception):
    """Raised when a spec cannot be generated; carries every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
