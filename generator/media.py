"""Media types, read one way by every stage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

BodyKind = Literal["json", "form", "multipart", "text", "binary"]
"""How a body is written and read: JSON; a form, urlencoded or multipart; text
(`str`); anything else, raw bytes."""

_TEXT_TYPES = frozenset(
    {
        "application/x-yaml",
        "application/yaml",
        "application/xml",
        "application/javascript",
        "application/ecmascript",
        "application/csv",
        "application/x-ndjson",
        "application/graphql",
        "application/sql",
        "application/x-sh",
    }
)
"""Types outside `text/` whose content is text: a client gives them as `str`."""

_PREFERENCE: dict[BodyKind, int] = {
    "json": 0,
    "form": 1,
    "multipart": 2,
    "text": 3,
    "binary": 4,
}
"""Which of several media types a body defaults to: JSON first, raw bytes last."""


def essence(content_type: str) -> str:
    """`type/subtype`, lower-cased, without parameters.

    `application/json; charset=utf-8` → `application/json`.
    """
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    """JSON, or a JSON-based type (`application/problem+json`, `application/vnd.api+json`)."""
    base = essence(content_type)
    return base == "application/json" or base.endswith("+json")


def kind_of(content_type: str) -> BodyKind:
    """How a body of this media type is written and read.

    Text is `text/*`, a `+xml`/`+yaml` suffix or a known textual application type;
    every type not recognised (`*/*`, `image/*`, a vendor's own) is raw bytes, the
    one reading that never loses a byte.
    """
    base = essence(content_type)
    if is_json(base):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if (
        base.startswith("text/")
        or base in _TEXT_TYPES
        or base.endswith(("+xml", "+yaml", "+csv"))
    ):
        return "text"
    return "binary"


def preferred(content_types: Iterable[str]) -> list[str]:
    """The media types in the order a client picks them: JSON first, then forms,
    text, raw bytes; the spec's order among equals."""
    return sorted(content_types, key=lambda ct: _PREFERENCE[kind_of(ct)])


def is_concrete(content_type: str) -> bool:
    """A type a request can declare as its `Content-Type` (no `*` range)."""
    return "*" not in essence(content_type)


_RANGE_DEFAULTS = {
    "image": "image/png",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "text": "text/plain",
    "font": "font/woff2",
}


def range_example(content_type: str) -> str:
    """A concrete type a range (`image/*`, `*/*`) admits, for examples and tests."""
    major = essence(content_type).split("/", 1)[0]
    return _RANGE_DEFAULTS.get(major, "application/octet-stream")
