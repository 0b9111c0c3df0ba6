"""Every mapping of a document that may be a schema, for the loading passes that
amend schemas in place.

Instances (`default`, `example`, `enum`...) are not walked into, `x-` extensions
neither, and a mapping keyed by names the spec chose (`properties`, `schemas`...)
is no schema itself. The deepest mappings come first, so a pass that removes a
keyword never disturbs the walk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.pointers import join_pointer
from generator.schema_keywords import INSTANCE_KEYWORDS, NAME_MAPS


def schema_mappings(
    node: Any, pointer: str = "", parent: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, mapping) for each mapping below `node` that may be a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            text = str(key)
            if text.startswith("x-") or (
                text in INSTANCE_KEYWORDS and parent not in NAME_MAPS
            ):
                continue
            yield from schema_mappings(value, join_pointer(pointer, text), text)
        if parent not in NAME_MAPS:
            yield pointer, node
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_mappings(value, join_pointer(pointer, index))
