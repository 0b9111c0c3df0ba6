"""The component schemas as the reference validator reads them, made once per document.

The validation cases, the samples and the model all judge instances against the
same `$defs`: JSON Schema with OpenAPI's nullable idioms spelled out, as a
response reads it (a required `writeOnly` property left out: the API never sends
it back, `generator.one_sided`). A request reads the schemas that differ for it
(a required `readOnly` property left out instead) from `request_definitions`. On
a big spec making them is a tenth of a second, so they are made once for the
normalised document (which nothing changes afterwards) and shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.conformance.json_schema import schema_definitions
from generator.intermediate.nullable import with_nullable_spelled
from generator.one_sided import view

_MADE: list[tuple[dict[str, Any], Mapping[str, Any], Mapping[str, Any]]] = []
"""The last document asked for, kept alive so its `id` is never another's, and its
definitions: as responses and as requests read them."""


def _made(document: dict[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    if _MADE and _MADE[0][0] is document:
        return _MADE[0][1], _MADE[0][2]
    plain = schema_definitions(with_nullable_spelled(document))
    root = {"$defs": plain}
    responses = {
        name: view(root, schema, "writeOnly") for name, schema in plain.items()
    }
    requests = {
        name: told
        for name, schema in plain.items()
        if (told := view(root, schema, "readOnly")) != responses[name]
    }
    _MADE[:] = [(document, responses, requests)]
    return responses, requests


def reference_definitions(document: dict[str, Any]) -> Mapping[str, Any]:
    """`document`'s component schemas as JSON Schema `$defs`, as responses read them.

    Shared: a caller that adds definitions copies the mapping first.
    """
    return _made(document)[0]


def request_definitions(document: dict[str, Any]) -> Mapping[str, Any]:
    """The component schemas a request reads otherwise than a response, as requests
    read them: laid over `reference_definitions`, the `$defs` of a request."""
    return _made(document)[1]
