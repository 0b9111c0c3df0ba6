"""Walking a curated spec's data and its schemas, shared by the spec tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _token(key: object) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every value in a document, with its JSON pointer."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{_token(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def schema_nodes(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema (not example data, not vendor extensions) below a schema, with
    its pointer."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in (node.get(key) or {}).items():
            yield from schema_nodes(sub, f"{pointer}/{key}/{_token(name)}")
    for key in (
        "items",
        "additionalProperties",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
        "contains",
    ):
        if isinstance(node.get(key), dict):
            yield from schema_nodes(node[key], f"{pointer}/{key}")
    for key in ("oneOf", "anyOf", "allOf", "prefixItems"):
        for index, sub in enumerate(node.get(key) or []):
            yield from schema_nodes(sub, f"{pointer}/{key}/{index}")
