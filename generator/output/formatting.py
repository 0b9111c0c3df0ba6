"""Formatting of generated files in one pass: ruff by default, black on request.

ruff sorts imports (its isort rule) and formats every Python file, and the
Python blocks of the Markdown files, in two runs of its binary over a scratch
folder: the 39k lines of Qovery's full spec take about a tenth of a second.
The models' files are formatted so by the worker that made them
(`models.beside`), the rest of the package by the pipeline: the package's own
name is given as first-party, so a file formats the same whichever others are
beside it.
With `formatter = "black"`, ruff still sorts the imports and black formats
each whole file. Both run with explicit settings, so no configuration file on
the machine can change the output.

Given a cache entry, a file whose text was formatted last run is taken from it:
what a formatter makes of a file depends on its text and its path alone, and on
which other files are there (isort tells first-party imports by the modules it
finds): the entry's key names every path, and the files taken from it are there,
empty, while the others are formatted. The scratch folder is on `/dev/shm` when
that has room: a thousand files are written there in a tenth of the time.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal, get_args

from generator.caching import read_entry, write_entry

Formatter = Literal["ruff", "black"]
FORMATTERS: tuple[Formatter, ...] = get_args(Formatter)
LINE_LENGTH = 88
"""The line length of generated code, and of specgen's own."""
TARGET_VERSION = "py311"
_PYTHON_BLOCK = re.compile(r"(^```python\n)(.*?)(^```$)", re.S | re.M)
_MARKDOWN_BLOCKS = "_markdown_blocks"
"""The scratch folder's subfolder holding Markdown's Python blocks as modules."""


class FormattingError(Exception):
    """Rendered output is not valid Python, or a formatter is missing.

    Invalid output means a template, ours or a user's, is broken.
    """


def formatter_versions(formatter: Formatter) -> str:
    """The versions that decide the output bytes, for the manifest's input hash."""
    names = ("ruff", "black") if formatter == "black" else ("ruff",)
    return "; ".join(f"{name} {_version(name)}" for name in names)


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def format_files(
    files: dict[str, str],
    *,
    package: str,
    formatter: Formatter = "ruff",
    cache: Path | None = None,
) -> dict[str, str]:
    """`files` (relative path → text) with every `.py` file and Markdown Python block formatted.

    `cache`: the target's entry of the files formatted last run, updated.
    """
    python = {name: text for name, text in files.items() if name.endswith(".py")}
    blocks: dict[str, str] = {}
    for name, text in files.items():
        if name.endswith(".md"):
            for index, match in enumerate(_PYTHON_BLOCK.finditer(text)):
                blocks[f"{_MARKDOWN_BLOCKS}/{_block_module(name, index)}"] = match[2]
    sources = python | blocks
    if cache is None:
        formatted = _run(sources, package=package, formatter=formatter)
    else:
        formatted = _run_cached(sources, package, formatter, cache)
    result = dict(files)
    for name in python:
        result[name] = formatted[name]
    for name, text in files.items():
        if name.endswith(".md"):
            result[name] = _replace_blocks(name, text, formatted)
    return result


def _run_cached(
    sources: dict[str, str], package: str, formatter: Formatter, cache: Path
) -> dict[str, str]:
    """`_run`, with the files formatted last run (the entry at `cache`) taken from it."""
    settings = f"{formatter_versions(formatter)}\n{formatter}\n{package}\n"
    settings += f"{LINE_LENGTH}\n{TARGET_VERSION}\n" + "\n".join(sorted(sources))
    key = hashlib.sha256(settings.encode() + Path(__file__).read_bytes()).hexdigest()
    known = read_entry(cache, key)
    if not isinstance(known, dict):
        known = {}
    ids = {
        name: hashlib.sha256(
            f"{name}\0{text}".encode(errors="surrogatepass")
        ).hexdigest()
        for name, text in sources.items()
    }
    done = {n: known[i] for n, i in ids.items() if isinstance(known.get(i), str)}
    todo = {name: text for name, text in sources.items() if name not in done}
    if todo:
        beside = [name for name in sources if name not in todo]
        done |= _run(todo, package=package, formatter=formatter, beside=beside)
    if todo or len(known) != len(ids):
        write_entry(cache, key, {ids[name]: done[name] for name in sorted(sources)})
    return done


def _block_module(markdown: str, index: int) -> str:
    return re.sub(r"\W", "_", markdown) + f"_{index}.py"


def _replace_blocks(name: str, text: str, formatted: dict[str, str]) -> str:
    counter = iter(range(len(text)))

    def replace(match: re.Match[str]) -> str:
        block = formatted[f"{_MARKDOWN_BLOCKS}/{_block_module(name, next(counter))}"]
        return match[1] + block + match[3]

    return _PYTHON_BLOCK.sub(replace, text)


def _run(
    sources: dict[str, str],
    *,
    package: str,
    formatter: Formatter,
    beside: Iterable[str] = (),
) -> dict[str, str]:
    """`sources` formatted, with the files `beside` there too, empty."""
    if not sources:
        return {}
    size = sum(len(text) for text in sources.values())
    with tempfile.TemporaryDirectory(
        prefix="specgen-format-", dir=_scratch_parent(size)
    ) as scratch:
        root = Path(scratch)
        for name in beside:
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        for name, text in sources.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        _ruff(
            [
                "check",
                "--select",
                "I",
                "--fix",
                "--exit-zero",
                "--output-format",
                "concise",
            ],
            root,
            package,
        )
        if formatter == "black":
            _black(root, sources)
        else:
            _ruff(["format"], root, package)
        return {name: (root / name).read_text(encoding="utf-8") for name in sources}


SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - a private folder is made in it


def _scratch_parent(size: int) -> Path | None:
    """`/dev/shm` when it is a writable folder with room for `size` characters and
    more; None (the usual temporary folder) otherwise."""
    try:
        if not (SHARED_MEMORY.is_dir() and os.access(SHARED_MEMORY, os.W_OK)):
            return None
        free = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    return SHARED_MEMORY if free.f_bavail * free.f_frsize > 8 * size + 2**26 else None


def _ruff(arguments: list[str], root: Path, package: str) -> None:
    """Run ruff on `root`; a syntax error in a rendered file is a `FormattingError` naming it."""
    command = [
        _ruff_binary(),
        *arguments,
        "--isolated",
        "--no-cache",
        "--quiet",
        "--line-length",
        str(LINE_LENGTH),
        "--target-version",
        TARGET_VERSION,
        "--config",
        f"lint.isort.known-first-party = [{_toml_string(package)}]",
        ".",
    ]
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False
    )
    problems = [line for line in done.stdout.splitlines() if "invalid-syntax" in line]
    if problems or done.returncode != 0:
        detail = (problems or done.stderr.strip().splitlines() or ["ruff failed"])[0]
        raise FormattingError(f"rendered code is not valid Python: {_shown(detail)}")


def _shown(detail: str) -> str:
    """ruff's message with a Markdown block's scratch module named as the block it came from."""
    return detail.removeprefix("error: ").replace(
        f"{_MARKDOWN_BLOCKS}/", "python block in "
    )


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:  # pragma: no cover - ruff is a dependency
        raise FormattingError("ruff is not installed: `pip install ruff`") from None
    return str(find_ruff_bin())


def _black(root: Path, sources: dict[str, str]) -> None:
    try:
        import black
    except ImportError:
        raise FormattingError(
            "formatter black is not installed: `pip install 'specgen[black]'`"
        ) from None
    from black.mode import Mode, TargetVersion

    mode = Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    for name in sources:
        path = root / name
        try:
            path.write_text(
                black.format_str(path.read_text(encoding="utf-8"), mode=mode),
                encoding="utf-8",
            )
        except black.parsing.InvalidInput as exc:
            raise FormattingError(
                f"rendered code is not valid Python: {_shown(name)}: {exc}"
            ) from None
