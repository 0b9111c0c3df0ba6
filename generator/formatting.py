"""Black is the formatter of record for every generated Python file; isort orders imports first."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import black
    import isort


LINE_LENGTH = 88
"""black's and isort's line length; what lays code out ahead of black uses it too."""


class FormattingError(Exception):
    """Rendered output is not valid Python: a template (ours or a user's) is broken."""


@lru_cache(maxsize=1)
def _black_mode() -> black.Mode:
    from black.mode import Mode, TargetVersion  # noqa: PLC0415 - black and isort load only when something is formatted

    return Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)


@lru_cache(maxsize=16)
def _isort_config(package: str) -> isort.Config:
    """Explicit settings, so no config file on the machine can change the output."""
    import isort  # noqa: PLC0415

    return isort.Config(profile="black", known_first_party=frozenset({package}), line_length=LINE_LENGTH)


_PYTHON_BLOCK = re.compile(r"(```python\n)(.*?)(```)", re.S)


def format_markdown(text: str, *, name: str, package: str) -> str:
    """Format the Python code blocks of a markdown document, leaving the prose alone."""
    return _PYTHON_BLOCK.sub(lambda m: m[1] + format_python(m[2], name=name, package=package) + m[3], text)


def format_python(source: str, *, name: str, package: str) -> str:
    """Return `source` with sorted imports, formatted by black; `name` says which output file it is."""
    return format_black(sort_imports(source, name=name, package=package), name=name)


def sort_imports(source: str, *, name: str, package: str) -> str:
    """isort's order for the imports of `source`."""
    import isort  # noqa: PLC0415

    try:
        return str(isort.code(source, config=_isort_config(package)))
    except isort.exceptions.ISortError as exc:
        raise FormattingError(f"{name}: rendered code is not valid Python: {exc}") from None


def format_black(source: str, *, name: str) -> str:
    """black's formatting of `source` (a module, or a piece of one: see `generator.chunks`)."""
    import black  # noqa: PLC0415

    try:
        return black.format_str(source, mode=_black_mode())
    except black.parsing.InvalidInput as exc:
        raise FormattingError(f"{name}: rendered code is not valid Python: {exc}") from None
