"""A schema tree rewritten bottom-up, copied only where something changes.

The models stage tells datamodel-code-generator what it would misread by
handing it a rewritten document; the document itself is shared by the other
stages and is never edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.schema_keywords import INSTANCE_KEYWORDS, NAME_MAPS

MAX_DEPTH = 256
"""How deep a tree is walked; the loading stage refuses deeper schemas already."""

Rewrite = Callable[[dict[str, Any]], dict[str, Any]]
"""One mapping, its subschemas rewritten already, to what it becomes (itself if unchanged)."""


def rewritten(node: Any, rewrite: Rewrite, parent: str = "", depth: int = 0) -> Any:
    """`node` with `rewrite` applied to each mapping that may be a schema, deepest first.

    Instances (`default`, `example`...) are not walked into, and a mapping keyed
    by names the spec chose (`properties`...) is not rewritten itself.
    """
    if depth > MAX_DEPTH:
        return node
    if isinstance(node, list):
        items = [rewritten(i, rewrite, "", depth + 1) for i in node]
        changed = any(a is not b for a, b in zip(items, node, strict=True))
        return items if changed else node
    if not isinstance(node, dict):
        return node
    names = parent in NAME_MAPS
    out = {
        k: v
        if not names and (k in INSTANCE_KEYWORDS or str(k).startswith("x-"))
        else rewritten(v, rewrite, str(k), depth + 1)
        for k, v in node.items()
    }
    current = node if all(out[k] is node[k] for k in node) else out
    return current if names else rewrite(current)


def schemas_rewritten(document: dict[str, Any], rewrite: Rewrite) -> dict[str, Any]:
    """`document` with its component schemas `rewritten` (itself if nothing changes)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    walked = rewritten(schemas, rewrite, "schemas")
    if walked is schemas:
        return document
    return {**document, "components": {**document["components"], "schemas": walked}}
