"""A `oneOf` whose branches may take the same value, told to take exactly one.

datamodel-code-generator makes a `oneOf` a union, which takes a value any branch
takes. JSON Schema refuses a value two branches take: Box's
`SignRequestSignerInputValidation` has branches whose `validation_type` is
optional, so `{}` is no validation; its `MetadataFilterValue` has two ranges
whose fields are all optional. The component's `RootModel` gets the runtime's
`exactly_one_branch` validator, which counts the branches taking the value.

Counting costs a validation per branch, so a `oneOf` whose branches no value can
match twice gets none: branches of different JSON types, or objects requiring a
field whose allowed values (`enum`, `const`) differ (a tag, as a discriminator's).
"""

from __future__ import annotations

import ast
import itertools
import json
from typing import Any

from generator.models.module_imports import imported
from generator.models.source_edits import SourceEdits, parsed_module
from generator.pointers import follow_refs

VALIDATOR = "exactly_one_branch"
"""The runtime's validator (`{package}._base`)."""
_MAX_DEPTH = 16
_MAX_BRANCHES = 64
"""Branches compared pairwise at most; a bigger `oneOf` is counted at runtime."""
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "patternProperties"}
)


def ambiguous_one_ofs(document: dict[str, Any]) -> frozenset[str]:
    """The component schemas that are a `oneOf` two of whose branches may take one value."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return frozenset()
    found = set()
    for name, schema in schemas.items():
        branches = schema.get("oneOf") if isinstance(schema, dict) else None
        if not isinstance(branches, list):
            continue
        shapes = [_shape(document, b, 0) for b in branches]
        shapes = [s for s in shapes if s.types != {"null"}]
        if len(shapes) > _MAX_BRANCHES or any(
            not _disjoint(a, b) for a, b in itertools.combinations(shapes, 2)
        ):
            found.add(str(name))
    return frozenset(found)


class _Shape:
    """What tells a branch's values apart: its JSON types and its fields' values."""

    def __init__(self) -> None:
        self.types: set[str] | None = None
        """The JSON types it takes; None: any."""
        self.required: set[str] = set()
        self.values: dict[str, set[str] | None] = {}
        """Per field it declares: the values allowed (JSON text); None: any."""
        self.kinds: dict[str, set[str] | None] = {}
        """Per field it declares: the JSON types allowed; None: any."""


def _shape(document: dict[str, Any], schema: Any, depth: int) -> _Shape:
    shape = _Shape()
    _collect(document, schema, depth, shape)
    return shape


def _collect(document: dict[str, Any], schema: Any, depth: int, shape: _Shape) -> None:
    """Add what `schema`, through its `$ref`s and `allOf` members, says to `shape`."""
    schema = follow_refs(document, schema)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return
    types = _types(schema)
    if types is not None:
        both = types if shape.types is None else shape.types & types
        shape.types = both or None  # an empty intersection: judged at runtime
    if isinstance(schema.get("required"), list):
        shape.required |= {str(r) for r in schema["required"]}
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for key, value in properties.items():
            declared = follow_refs(document, value)
            if shape.values.get(str(key)) is None:
                shape.values[str(key)] = _values(declared)
            if shape.kinds.get(str(key)) is None:
                shape.kinds[str(key)] = (
                    _types(declared) if isinstance(declared, dict) else None
                )
    for member in schema.get("allOf") or []:
        _collect(document, member, depth + 1, shape)


def _types(schema: dict[str, Any]) -> set[str] | None:
    kinds = schema.get("type")
    if isinstance(kinds, str):
        found = {kinds}
    elif isinstance(kinds, list) and kinds:
        found = {str(k) for k in kinds}
    elif _OBJECT_KEYWORDS & set(schema):
        found = {"object"}
    else:
        return None
    if schema.get("nullable") is True:
        found.add("null")
    return found


def _values(schema: Any) -> set[str] | None:
    """The values a field's schema allows, as JSON text; None: any."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return {json.dumps(schema["const"], sort_keys=True)}
    if isinstance(schema.get("enum"), list):
        return {json.dumps(v, sort_keys=True) for v in schema["enum"]}
    return None


def _disjoint(a: _Shape, b: _Shape) -> bool:
    """Whether no value can be of both branches: of other types, or requiring a field
    the other allows other values (or types) of only."""
    if _apart(a.types, b.types, wide=True):
        return True
    return any(
        _apart(a.values.get(name), b.values.get(name))
        or _apart(a.kinds.get(name), b.kinds.get(name), wide=True)
        for name in a.required | b.required
    )


def _apart(first: set[str] | None, second: set[str] | None, wide: bool = False) -> bool:
    """Whether two sets of what is allowed (None: anything) share nothing; `wide`:
    JSON types, where an integer is a number too."""
    if first is None or second is None:
        return False
    if wide:
        first = {"number" if t == "integer" else t for t in first}
        second = {"number" if t == "integer" else t for t in second}
    return not first & second


def one_of_enforced(source: str, names: frozenset[str], package: str) -> str:
    """`source` with each `RootModel` in `names` validated by `exactly_one_branch`."""
    if not names:
        return source
    tree = parsed_module(source)
    edits = SourceEdits(source)
    for node in tree.body:
        if not (
            isinstance(node, ast.ClassDef)
            and node.name in names
            and any(
                isinstance(b, ast.Subscript) and ast.unparse(b.value) == "RootModel"
                for b in node.bases
            )
        ):
            continue
        last = node.body[-1]
        at = edits.end(last)
        edits.replace(
            at, at, f"\n\n    one_of_ = model_validator(mode='wrap')({VALIDATOR})"
        )
    if not edits.edits:
        return source
    result = imported(edits.result(), f"{package}._base", VALIDATOR)
    return imported(result, "pydantic", "model_validator")
