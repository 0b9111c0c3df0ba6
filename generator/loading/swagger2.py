"""Swagger 2.0 in: converted to OpenAPI 3.0 by swagger2openapi, when Node and it are installed.

specgen reads OpenAPI 3; swagger2openapi (npm, pinned in package.json beside Prism) is the
well-kept converter, so specgen runs it rather than converting by hand. It runs in a
subprocess with a timeout, on a JSON copy of the document specgen has already read and
parsed (bounded), alone in a temporary folder, with external references left as they are
(`--resolve=false`): it reads no other file and fetches no URL. The loader then bundles
those references under its own rules, as for any OpenAPI document. `--patch` lets the
converter fix the small slips it knows (as its online service does).

The converted document is what later stages see, so the line numbers and JSON pointers of
their messages refer to it; the warning says so and how to write it out.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.loading.parsing import parse_json
from generator.problems import Level, Problem, SpecError

CONVERTER = "swagger2openapi"
PINNED = "7.0.8"
"""The version package.json pins, named in the hint for installing it."""
TIMEOUT_SECONDS = 60.0
"""Longest a conversion may run: it never hangs generation."""
LOCAL_BIN = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / CONVERTER
"""Where `npm ci` in a specgen checkout installs the converter; else it is looked up on PATH."""
ENABLE_HINT = (
    f"install Node.js and `npm install -g {CONVERTER}@{PINNED}` to have specgen convert it, "
    "or convert it to OpenAPI 3 yourself"
)
_ERROR_NAME = re.compile(r"^\w*(Error|Exception): ")


@dataclass(frozen=True)
class Converted:
    """A Swagger 2.0 document as OpenAPI 3.0."""

    text: str
    """The converted document as the converter wrote it (JSON): later line numbers are its."""
    document: Any
    warning: Problem
    command: str
    """The command that writes the converted document out, for the user to read it."""

    def explain(self, error: SpecError) -> SpecError:
        """`error` with each of its lines saying its line and pointer are the converted one's."""
        where = (
            f"in the document converted from Swagger 2.0 (`{self.command}` writes it): "
        )
        return SpecError(
            [dataclasses.replace(p, message=where + p.message) for p in error.problems]
        )


def converter_command() -> list[str] | None:
    """How to run the converter with Node (checkout's copy first, then PATH), or None."""
    node = shutil.which("node")
    if node is None:
        return None
    for candidate in (str(LOCAL_BIN), shutil.which(CONVERTER)):
        if candidate and os.path.isfile(candidate):
            return [node, str(Path(candidate).resolve())]
    return None


def _version(command: list[str]) -> str:
    """The converter's version, from the package.json beside its script ("" if unreadable)."""
    try:
        package = json.loads(
            (Path(command[-1]).parent / "package.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return ""
    version = package.get("version") if isinstance(package, dict) else None
    return f" {version}" if isinstance(version, str) else ""


def _first_message(stderr: str) -> str:
    """The converter's error without its stack trace: the first line that is no `at ...`."""
    for line in stderr.splitlines():
        line = line.strip()
        if line and not line.startswith("at "):
            return _ERROR_NAME.sub("", line)[:300]
    return "it exited without saying why"


def convert(document: dict[str, Any], path: Path, line: int | None) -> Converted:
    """`document` (which has a `swagger` key) as OpenAPI 3.0, or `SpecError` in one line.

    `path` and `line` place errors at the document's `swagger` key.
    """

    def refused(message: str) -> SpecError:
        return SpecError([Problem(Level.ERROR, path, "/swagger", message, line)])

    version = document.get("swagger")
    if version != "2.0":
        raise refused(
            f"Swagger {version!r} is not supported: specgen reads OpenAPI 3.0 and 3.1, "
            "and converts Swagger '2.0'"
        )
    command = converter_command()
    if command is None:
        raise refused(
            f"Swagger 2.0 needs {CONVERTER} (and Node.js), which were not found: "
            + ENABLE_HINT
        )
    with tempfile.TemporaryDirectory(prefix="specgen-swagger2-") as folder:
        source = Path(folder) / "swagger.json"
        source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        try:
            result = subprocess.run(
                [*command, "--patch", "--resolve=false", str(source)],
                cwd=folder,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise refused(
                f"{CONVERTER} did not convert this Swagger 2.0 document "
                f"within {TIMEOUT_SECONDS:g} s"
            ) from None
        except OSError as exc:
            raise refused(f"{CONVERTER} could not be run: {exc.strerror}") from None
    if result.returncode != 0:
        raise refused(
            f"{CONVERTER} could not convert this Swagger 2.0 document: "
            + _first_message(result.stderr)
        )
    try:
        converted = parse_json(result.stdout, path)
    except SpecError:
        converted = None
    openapi = converted.get("openapi") if isinstance(converted, dict) else None
    if not isinstance(openapi, str):
        raise refused(
            f"{CONVERTER} wrote no OpenAPI document: " + _first_message(result.stderr)
        )
    writes = f"{CONVERTER} --patch {path.name} -o {path.stem}.openapi.json"
    warning = (
        f"converted from Swagger 2.0 to OpenAPI {openapi} by {CONVERTER}"
        f"{_version(command)}: line numbers and JSON pointers in later messages refer "
        f"to the converted document, which `{writes}` writes"
    )
    return Converted(
        result.stdout,
        converted,
        Problem(Level.WARNING, path, "", warning, None),
        writes,
    )
