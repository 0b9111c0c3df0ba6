"""The spec's own examples judged against their schemas, and samples built where it has
no valid one.

Generated tests and the package README call operations with example bodies and
mock responses with example results. An example that breaks its schema would
make them fail for the spec's mistake, so each is judged by the reference
validator (`generator.conformance.reference`) first: a broken one is reported
and not used. Where no valid example is left, a sample is built from the schema
by the validation cases' builder and judged the same way, so it is valid by
construction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.conformance.cases import CaseBuilder, string_pool
from generator.conformance.json_schema import schema_definitions, to_json_schema
from generator.intermediate.nullable import (
    nullable_classes,
    spell_nullable,
    with_nullable_spelled,
)

_PLAIN: tuple[Any, ...] = ({"sample": "value"}, "sample", 1, [])
"""Tried when the builder finds no instance, as for a schema that allows any JSON."""
_NONE_FOUND = object()
_INLINE = "specgen-sample-"
"""The `$defs` names the inline schemas get beside the component schemas."""


class Samples:
    """Judges and builds instances of the component schemas and of the inline schemas
    given by key.
    """

    def __init__(self, document: dict[str, Any], inline: Mapping[str, Any]) -> None:
        """`inline`: OpenAPI schemas outside `components/schemas` (bodies, parameters),
        keyed by their JSON pointer.
        """
        definitions = schema_definitions(with_nullable_spelled(document))
        classes = nullable_classes((document.get("components") or {}).get("schemas"))
        self._names: dict[str, str] = {}
        by_text: dict[str, str] = {}
        """One name per distinct schema, so equal ones (a `$ref` to the same model)
        share a validator.
        """
        for key, schema in inline.items():
            spelled = to_json_schema(spell_nullable(schema, classes))
            text = json.dumps(spelled, sort_keys=True, default=str)
            if text not in by_text:
                by_text[text] = f"{_INLINE}{len(by_text)}"
                definitions[by_text[text]] = spelled
            self._names[key] = by_text[text]
        self._builder = CaseBuilder(definitions, string_pool(document))
        self._built: dict[str, tuple[bool, Any]] = {}

    def _name(self, key: str) -> str | None:
        return self._names.get(key)

    def judge(self, key: str, value: Any) -> bool | None:
        """Whether `value` is valid for the schema at `key`; None when only a
        backtracking engine could tell.
        """
        name = self._name(key)
        return None if name is None else self._builder.reference.judge(name, value)

    def build(self, key: str) -> tuple[bool, Any]:
        """(True, a valid instance) of the schema at `key`, an array of it holding one
        item; (False, None) when none is found.
        """
        name = self._name(key)
        if name is None or name in self._built:
            return self._built.get(name or "", (False, None))
        found: tuple[bool, Any] = (False, None)
        if name is not None:
            for maximal in (True, False):
                try:
                    value = self._builder.sample(
                        {"$ref": f"#/$defs/{name}"}, maximal=maximal
                    )
                except (LookupError, RecursionError):
                    continue
                if self._builder.reference.judge(name, value) is True:
                    found = (True, value)
                    break
            else:  # a schema without a type (`schema: {}`) has no sample of its own
                plain = next(
                    (
                        v
                        for v in _PLAIN
                        if self._builder.reference.judge(name, v) is True
                    ),
                    _NONE_FOUND,
                )
                found = (True, plain) if plain is not _NONE_FOUND else found
        self._built[name] = found
        return found

    def unknown_fields(self, key: str, value: Any) -> list[str]:
        """The keys in `value` (as `a.b` paths) that its schema neither defines nor
        allows by `additionalProperties`.

        JSON Schema allows them, but request models refuse them (a typo is an
        error), so an example holding one cannot be sent as it is. Where a
        `oneOf`/`anyOf` leaves the branch open, nothing is said.
        """
        name = self._name(key)
        found: list[str] = []
        if name is not None:
            self._unknown({"$ref": f"#/$defs/{name}"}, value, "", found, 0)
        return found

    def _unknown(
        self, node: Any, value: Any, path: str, found: list[str], depth: int
    ) -> None:
        node = self._builder.resolve(node)
        if depth > 32 or value is None:
            return
        branches = [
            b
            for key in ("oneOf", "anyOf")
            for b in node.get(key) or []
            if self._builder.resolve(b).get("type") != "null"
        ]
        if branches:
            if len(branches) == 1:  # a nullable schema, as `spell_nullable` writes it
                self._unknown(branches[0], value, path, found, depth + 1)
            return
        if isinstance(value, dict):
            properties, _ = self._builder.properties(node)
            closed = (
                bool(properties)
                and "additionalProperties" not in node
                and "patternProperties" not in node
            )
            for key, item in value.items():
                if key in properties:
                    self._unknown(
                        properties[key], item, f"{path}{key}.", found, depth + 1
                    )
                elif closed:
                    found.append(f"{path}{key}")
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for item in value:
                self._unknown(node["items"], item, path, found, depth + 1)
