"""Problems found in a spec, collected as values and reported together.

Exceptions are for bugs; a bad spec yields `Problem`s. `SpecError` carries them
to the CLI, which prints one line per problem and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Level(str, Enum):
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


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo `escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON pointer (called for every node of a spec: most tokens need no escaping)."""
    for token in tokens:
        text = str(token)
        base += "/" + (
            escape_pointer_token(text) if "~" in text or "/" in text else text
        )
    return base
