"""Schema defaults of another JSON type than their schema's, strings that break their
`format`, or objects without what their schema requires, left out with a warning.

Some emitters write every default as a string: utoipa (Rust) turns
`#[schema(default = "1024")]` into `{"type": "integer", "default": "1024"}`, and
`"false"` or `"null"` likewise. Such a default is no value its field can hold: kept,
the model would give a field an instance of the wrong type (`max_tokens: int | None =
"1024"`, which mypy refuses) and send it. Left out, the field is unset unless a
caller sets it, and the server applies its own default, as it does for any field
not sent. Guessing the value meant (`1024`) is not done: `"null"` shows it can be
anything. A date default that is a date-time (openstatus' `format: date` with
`default: "2026-02-12T22:01:46.114Z"`, the time the spec was built) would fail the
model's own class at import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.conformance.formats import format_holds
from generator.loading.schema_walk import schema_mappings
from generator.pointers import follow_refs, join_pointer, resolve_pointer
from generator.problems import Level, Problem
from generator.schema_keywords import TYPE_NAMES

_DEPTH = 16
"""Most `$ref`s and branches followed to tell a schema's types."""
_STEPS = 100_000
"""Most schemas looked at to tell the types of all of a document's defaults."""


def drop_wrong_defaults(document: dict[str, Any], file: Path) -> list[Problem]:
    """Remove (in place) each schema `default` of a JSON type its schema does not
    allow, or a string breaking its format; a warning for each."""
    typing = _Typing(document)
    warnings = []
    for pointer, schema in schema_mappings(document):
        if "default" not in schema:
            continue
        form = schema.get("format")
        default = schema["default"]
        if isinstance(default, str) and not format_holds(form, default):
            schema.pop("default")
            warnings.append(
                Problem(
                    Level.WARNING,
                    file,
                    join_pointer(pointer, "default"),
                    f"default {default!r} is no {form} string, as its format says:"
                    " left out, so the server's own default applies",
                )
            )
            continue
        allowed = typing.types(schema, _DEPTH)
        if allowed is None or _json_type(schema["default"]) in allowed:
            missing = _missing_required(document, schema, schema["default"])
            if missing:
                value = schema.pop("default")
                names = ", ".join(missing)
                warnings.append(
                    Problem(
                        Level.WARNING,
                        file,
                        join_pointer(pointer, "default"),
                        f"default {value!r} lacks the required {names}: left out, "
                        "so the server's own default applies",
                    )
                )
            continue
        value = schema.pop("default")
        warnings.append(
            Problem(
                Level.WARNING,
                file,
                join_pointer(pointer, "default"),
                f"default {value!r} is not of its schema's type "
                f"({' or '.join(_shown(allowed))}): left out, so the "
                "server's own default applies",
            )
        )
    return warnings


def _missing_required(document: dict[str, Any], schema: Any, value: Any) -> list[str]:
    """The properties an object default leaves out that its schema (through its
    `$ref`s and `allOf`) requires: Kubernetes' `spec: {allOf: [$ref], default: {}}`,
    whose model could never be built from it, so no object without `spec` could."""
    if not isinstance(value, dict):
        return []
    required: list[str] = []
    pending, seen = [schema], 0
    while pending and seen < _DEPTH:
        node = follow_refs(document, pending.pop())
        seen += 1
        if not isinstance(node, dict):
            continue
        names = node.get("required")
        required += (
            [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
        )
        members = node.get("allOf")
        pending += members if isinstance(members, list) else []
    return [n for n in dict.fromkeys(required) if n not in value]


class _Typing:
    """The JSON types schemas of one document allow, each `$ref`'s worked out once
    and all of them within `_STEPS`, so no spec makes this take long."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.targets: dict[str, set[str] | None] = {}
        self.steps = 0

    def types(self, schema: Any, depth: int) -> set[str] | None:
        """The JSON types an instance of `schema` can have, or None when any can
        (or when telling takes more than `depth` links, or too long).

        `type` says it (with 3.0's `nullable`), else a `$ref`'s target does,
        `allOf`'s branches together, `oneOf`'s or `anyOf`'s each, or the values
        of `enum` and `const`. A `type` that is no type name says nothing.
        """
        self.steps += 1
        if not isinstance(schema, dict) or depth <= 0 or self.steps > _STEPS:
            return None
        found = self._own(schema, depth)
        if found is not None and schema.get("nullable") is True:
            found = found | {"null"}
        return found

    def _own(self, schema: dict[str, Any], depth: int) -> set[str] | None:
        declared = schema.get("type")
        if declared is not None:
            names = [declared] if isinstance(declared, str) else declared
            if not isinstance(names, list) or not all(n in TYPE_NAMES for n in names):
                return None
            return set(names) | ({"integer"} if "number" in names else set())
        if isinstance(schema.get("enum"), list):
            return {_json_type(value) for value in schema["enum"]}
        if "const" in schema:
            return {_json_type(schema["const"])}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._target(ref, depth)
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                union: set[str] = set()
                for branch in branches:
                    types = self.types(branch, depth - 1)
                    if types is None:
                        return None
                    union |= types
                return union
        branches = schema.get("allOf")
        if isinstance(branches, list):
            known = [self.types(branch, depth - 1) for branch in branches]
            sets = [types for types in known if types is not None]
            return set.intersection(*sets) if sets else None
        return None

    def _target(self, ref: str, depth: int) -> set[str] | None:
        if ref not in self.targets:
            self.targets[ref] = None  # a cycle back here tells nothing
            try:
                target = resolve_pointer(self.document, ref.partition("#")[2])
            except KeyError:
                return None
            self.targets[ref] = self.types(target, depth - 1)
        return self.targets[ref]


def _shown(types: set[str]) -> list[str]:
    """`types` as a schema would name them: `number` covers `integer`."""
    return sorted(types - {"integer"} if "number" in types else types)


def _json_type(value: Any) -> str:
    """The JSON Schema type name of a JSON value (`1.0` is an integer, as in 2020-12)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
