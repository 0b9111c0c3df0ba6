"""The component schemas as the reference validator reads them, made once per document.

The validation cases, the samples and the model all judge instances against the
same `$defs`: JSON Schema with OpenAPI's nullable idioms spelled out. On a big
spec making them is a tenth of a second, so they are made once for the
normalised document (which nothing changes afterwards) and shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.conformance.json_schema import schema_definitions
from generator.intermediate.nullable import with_nullable_spelled

_MADE: list[tuple[dict[str, Any], Mapping[str, Any]]] = []
"""The last document asked for, kept alive so its `id` is never another's, and its
definitions."""


def reference_definitions(document: dict[str, Any]) -> Mapping[str, Any]:
    """`document`'s component schemas as JSON Schema `$defs`, nullable spelled out.

    Shared: a caller that adds definitions copies the mapping first.
    """
    if _MADE and _MADE[0][0] is document:
        return _MADE[0][1]
    definitions = schema_definitions(with_nullable_spelled(document))
    _MADE[:] = [(document, definitions)]
    return definitions
