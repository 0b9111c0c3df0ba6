"""Python literals for values that come from a spec: text and JSON-like data stay data.

Spec text never becomes code: every value a template writes into Python goes
through one of these, which only ever produce a literal (the formatter then
chooses quotes and line breaks).
"""

from __future__ import annotations

import math
from typing import Any


def string_literal(text: str) -> str:
    """A Python string literal holding `text`, whatever it contains.

    Double-quoted, as the formatter prefers.
    """
    literal = repr(text)
    if not literal.startswith("'") or text.count('"') > text.count("'"):
        return literal  # the quotes that need fewer escapes
    return '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'


def data_literal(value: Any) -> str:
    """JSON-like data (what YAML or JSON can hold) as a Python literal."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, dict):
        items = (
            f"{data_literal(key)}: {data_literal(item)}" for key, item in value.items()
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(data_literal(item) for item in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    return string_literal(
        str(value)
    )  # dates and the like, as YAML reads them: their text


_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(value: Any) -> str:
    """A TOML basic string holding `value` as text.

    Quotes, backslashes and control characters are escaped.

    A lone surrogate (JSON can spell one, UTF-8 cannot) becomes U+FFFD.
    """
    out = []
    for char in str(value):
        if "\ud800" <= char <= "\udfff":
            out.append("\ufffd")
        elif char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
