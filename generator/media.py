"""Media types, read one way by every stage."""

from __future__ import annotations


def essence(content_type: str) -> str:
    """`type/subtype`, lower-cased, without parameters.

    `application/json; charset=utf-8` → `application/json`.
    """
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    """JSON, or a JSON-based type (`application/problem+json`, `application/vnd.api+json`)."""
    base = essence(content_type)
    return base == "application/json" or base.endswith("+json")
