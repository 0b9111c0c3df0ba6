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

import copy
import functools
import json
import re
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.conformance.cases import CaseBuilder, string_pool
from generator.conformance.formats import format_holds
from generator.conformance.json_schema import to_json_schema
from generator.intermediate.definitions import (
    reference_definitions,
    request_definitions,
)
from generator.intermediate.nullable import (
    is_null_schema,
    nullable_classes,
    spell_nullable,
)
from generator.pointers import follow_refs

_PLAIN: tuple[Any, ...] = ({"sample": "value"}, "sample", 1, [])
"""Tried when the builder finds no instance, as for a schema that allows any JSON."""
_NONE_FOUND = object()
_COMMON_STRINGS = (
    "1",
    "0",
    "123456789",
    "a",
    "abc",
    "ABC",
    "Sample",
    "sample-1",
    "sample_1",
    "en",
    "en-US",
    "US",
    "+15555550100",
    "#ffffff",
    "ffffff",
)
"""Tried after the spec's own strings for a patterned string (numeric ids, codes, colours):
the builder only draws from candidates."""
_INLINE = "specgen-sample-"
_DEFS = "#/$defs/"
_Position = tuple[dict[str, Any], Any, str, tuple[Any, Any] | None]
_RESPELLED: dict[str, type] = {"date-time": datetime, "time": time}
"""Formats whose text the models give back in their own spelling."""


@functools.cache
def _adapter(kind: type) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _pydantic_spelling(kind: type, text: str) -> str:
    """`text` as pydantic dumps the `kind` it reads from it (unchanged if it reads none)."""
    adapter = _adapter(kind)
    try:
        spelled = adapter.dump_python(adapter.validate_python(text), mode="json")
    except ValidationError:
        return text
    return spelled if isinstance(spelled, str) else text


"""The `$defs` names the inline schemas get beside the component schemas."""


_FINER_THAN_MICROSECONDS = re.compile(r"\d\d:\d\d:\d\d\.\d{7,}")


class Samples:
    """Judges and builds instances of the component schemas and of the inline schemas
    given by key.
    """

    def __init__(self, document: dict[str, Any], inline: Mapping[str, Any]) -> None:
        """`inline`: OpenAPI schemas outside `components/schemas` (bodies, parameters),
        keyed by their JSON pointer.
        """
        self._document = document
        self._inline = dict(inline)
        definitions = dict(reference_definitions(document))
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
        pool = [*string_pool(document), *_COMMON_STRINGS]
        self._builder = CaseBuilder(definitions, pool)
        differ = request_definitions(document)
        self._request_builder = (
            CaseBuilder({**definitions, **differ}, pool) if differ else self._builder
        )
        """Judges and builds what a request sends: a required `readOnly` property
        (an `id`) may be left out there, a required `writeOnly` one may not."""
        self._built: dict[tuple[str, bool], tuple[bool, Any]] = {}

    def _side(self, key: str, request: bool | None) -> CaseBuilder:
        """The builder of the side `request` says; by default, a request body's for
        the schema of one (its pointer says so), else a response's."""
        if request is None:
            request = key.startswith("/paths/") and "/requestBody/" in key
        return self._request_builder if request else self._builder

    def _name(self, key: str) -> str | None:
        return self._names.get(key)

    def judge(
        self, key: str, value: Any, *, request: bool | None = None
    ) -> bool | None:
        """Whether `value` is valid for the schema at `key` (on the side `request`
        says: see `_side`); None when only a backtracking engine could tell.
        """
        name = self._name(key)
        if name is None:
            return None
        return self._side(key, request).reference.judge(name, value)

    def build(self, key: str, *, request: bool | None = None) -> tuple[bool, Any]:
        """(True, a valid instance) of the schema at `key` (on the side `request`
        says), an array of it holding one item; (False, None) when none is found.
        """
        name = self._name(key)
        builder = self._side(key, request)
        side = (name or "", builder is self._request_builder)
        if name is None or side in self._built:
            return self._built.get(side, (False, None))
        found: tuple[bool, Any] = (False, None)
        if name is not None:
            for maximal in (True, False):
                try:
                    value = builder.sample({"$ref": f"#/$defs/{name}"}, maximal=maximal)
                except (LookupError, RecursionError):
                    continue
                tagged = copy.deepcopy(value)
                self._tag(self._inline.get(key), tagged, 0)
                if builder.reference.judge(name, tagged) is True:
                    value = tagged
                if builder.reference.judge(
                    name, value
                ) is True and not self.format_errors(key, value):
                    found = (True, value)
                    break
            else:  # a schema without a type (`schema: {}`) has no sample of its own
                plain = next(
                    (v for v in _PLAIN if builder.reference.judge(name, v) is True),
                    _NONE_FOUND,
                )
                found = (True, plain) if plain is not _NONE_FOUND else found
        self._built[side] = found
        return found

    def _tag(self, schema: Any, value: Any, depth: int) -> None:
        """Put in each discriminator's property the samples leave out, in place.

        The reference ignores `discriminator` (JSON Schema has none), so a
        branch's sample lacks its tag when the branch does not require it; the
        models' discriminated unions need it. The builder samples a union's first
        non-null branch: its tag is the mapping's key for it, else its name.
        """
        schema = follow_refs(self._document, schema)
        if not isinstance(schema, dict) or depth > 32:
            return
        if isinstance(value, list):
            for item in value:
                self._tag(schema.get("items"), item, depth + 1)
            return
        if not isinstance(value, dict):
            return
        branches = [
            b
            for k in ("oneOf", "anyOf")
            for b in schema.get(k) or []
            if not is_null_schema(b)
        ]
        discriminator = schema.get("discriminator")
        if (
            branches
            and isinstance(discriminator, dict)
            and isinstance(discriminator.get("propertyName"), str)
        ):
            ref = branches[0].get("$ref") if isinstance(branches[0], dict) else None
            if isinstance(ref, str):
                tag = self._tag_of(ref, discriminator)
                value.setdefault(discriminator["propertyName"], tag)
        if branches:
            self._tag(branches[0], value, depth + 1)
        for member in schema.get("allOf") or []:
            self._tag(member, value, depth + 1)
        found = schema.get("properties")
        properties: dict[str, Any] = found if isinstance(found, dict) else {}
        for name, item in value.items():
            if name in properties:
                self._tag(properties[name], item, depth + 1)

    def _tag_of(self, ref: str, discriminator: dict[str, Any]) -> Any:
        """The discriminator value of the branch at `ref`: the one its own schema
        allows (a `const`, a single `enum`, a `default`), else the mapping's key for
        it, else its name."""
        branch = follow_refs(self._document, {"$ref": ref})
        found = branch.get("properties") if isinstance(branch, dict) else None
        own = (
            found.get(discriminator["propertyName"])
            if isinstance(found, dict)
            else None
        )
        if isinstance(own, dict):
            if "const" in own:
                return own["const"]
            if isinstance(own.get("enum"), list) and len(own["enum"]) == 1:
                return own["enum"][0]
            if "default" in own:
                return own["default"]
        raw = discriminator.get("mapping")
        mapping: dict[str, Any] = raw if isinstance(raw, dict) else {}
        return next((k for k, v in mapping.items() if v == ref), ref.rsplit("/", 1)[-1])

    def unknown_fields(self, key: str, value: Any) -> list[str]:
        """The keys in `value` (as `a.b` paths) that its schema neither defines nor
        allows by `additionalProperties`.

        JSON Schema allows them, but request models refuse them (a typo is an
        error), so an example holding one cannot be sent as it is. Inside a
        `oneOf`/`anyOf`, the one branch that takes the value is read (DigitalOcean's
        volume actions, whose examples hold a field their branch lacks); where
        several may, nothing is said.
        """
        return self._unknown_in(self._positions(key, value, request=True))

    def _unknown_in(self, positions: list[_Position]) -> list[str]:
        """The keys of the objects at `positions` their schema neither defines nor
        allows (see `unknown_fields`)."""
        found: list[str] = []
        for node, item, path, _ in positions:
            if isinstance(item, dict):
                properties, _ = self._builder.properties(node)
                closed = bool(properties) and not {
                    "additionalProperties",
                    "patternProperties",
                } & set(node)
                found += [f"{path}{k}" for k in item if closed and k not in properties]
        return found

    def _unknown_below(self, branch: Any, value: Any, depth: int) -> list[str]:
        """The keys of `value` a request model of the union branch `branch` refuses
        (none: it takes `value`)."""
        positions: list[_Position] = []
        self._walk(branch, value, "", positions, depth + 1, None, True)
        return self._unknown_in(positions)

    def format_errors(self, key: str, value: Any) -> list[str]:
        """The strings in `value` (as `a.b` paths) that break the `format` their schema gives.

        The reference validator leaves formats unchecked (so that no case depends
        on which checkers are installed), but the models check these ones: a
        relative `uri`, say, would fail them.
        """
        return [
            path.rstrip(".") or "(the value)"
            for node, item, path, _ in self._positions(key, value)
            if isinstance(item, str) and not format_holds(node.get("format"), item)
        ]

    def respelled(self, key: str, value: Any) -> Any:
        """`value` with each `date-time` and `time` string spelled as the models give
        it back (`.123Z` as `.123000Z`, `.000Z` as `Z`): the same instant. An example
        so spelled is what a model round-trips and sends (PagerDuty's, Plaid's);
        `value` itself is not changed. Each optional constant it leaves out (one
        value, and that value its default) is put in: the models send it even at
        its default (`_base.ApiModel.model_post_init`), as Mistral's `type`s."""
        copied = copy.deepcopy(value)
        for node, item, _, place in self._positions(key, copied):
            form = node.get("format")
            if isinstance(item, str) and form in _RESPELLED:
                spelled = _pydantic_spelling(_RESPELLED[form], item)
                if place is None:
                    return spelled
                holder, at = place
                holder[at] = spelled
            elif isinstance(item, dict):
                item.update(self._constants_left_out(node, item))
        return copied

    def _constants_left_out(
        self, node: dict[str, Any], item: dict[str, Any]
    ) -> dict[str, Any]:
        """The optional properties of `node` that `item` leaves out and whose schema
        fixes one value (`const`, a one-value `enum`) that is also its default: the
        `Literal` fields a model counts as set, with their values."""
        properties, required = self._builder.properties(node)
        found: dict[str, Any] = {}
        for name, declared in properties.items():
            schema = self._builder.resolve(declared)
            enum = schema.get("enum")
            values = (
                [schema["const"]]
                if "const" in schema
                else enum
                if isinstance(enum, list)
                else []
            )
            if (
                name not in item
                and name not in required
                and len(values) == 1
                and "default" in schema
                and schema["default"] == values[0]
                and type(schema["default"]) is type(values[0])
            ):
                found[name] = values[0]
        return found

    def finer_than_microseconds(self, key: str, value: Any) -> list[str]:
        """The `date-time` and `time` strings in `value` with more than six fractional
        digits: the models hold microseconds, so they would not give them back."""
        return [
            path.rstrip(".") or "(the value)"
            for node, item, path, _ in self._positions(key, value)
            if isinstance(item, str)
            and node.get("format") in ("date-time", "time")
            and _FINER_THAN_MICROSECONDS.search(item) is not None
        ]

    def _positions(
        self, key: str, value: Any, *, request: bool = False
    ) -> list[_Position]:
        """Each (schema, value, path, place) of `value` where its schema is known:
        through properties (`allOf` merged), items, a nullable wrapper and the one
        branch of a `oneOf`/`anyOf` that takes the value, not into a union whose
        branch is open. The place is (holder, key), None for `value` itself."""
        name = self._name(key)
        found: list[_Position] = []
        if name is not None:
            self._walk({"$ref": f"#/$defs/{name}"}, value, "", found, 0, None, request)
        return found

    def _takes(self, branch: Any, value: Any) -> bool:
        """Whether the union branch `branch` may take `value`, by the reference."""
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        reference = self._builder.reference
        if isinstance(ref, str) and ref.startswith(_DEFS):
            return reference.judge(ref[len(_DEFS) :], value) is not False
        return (
            isinstance(branch, dict)
            and reference.judge_schema(branch, value) is not False
        )

    def _walk(
        self,
        node: Any,
        value: Any,
        path: str,
        found: list[_Position],
        depth: int,
        place: tuple[Any, Any] | None,
        request: bool = False,
    ) -> None:
        """Collect `_positions` into `found`; for a `request`, a union's branch is
        the one its request model would take (no key it does not define)."""
        node = self._builder.resolve(node)
        if depth > 32 or value is None:
            return
        branches = [
            b
            for key in ("oneOf", "anyOf")
            for b in node.get(key) or []
            if self._builder.resolve(b).get("type") != "null"
        ]
        if len(branches) > 1:
            taking = [b for b in branches if self._takes(b, value)]
            unknown = {
                id(b): len(self._unknown_below(b, value, depth)) if request else 0
                for b in taking
            }
            closed = [b for b in taking if not unknown[id(b)]]
            if len(closed) == 1:
                branches = closed
            elif closed or not taking:
                return  # open: the models may pick any of them
            else:
                # Taken only with keys the request models refuse: the branch
                # refusing fewest says which (PagerDuty's alert grouping `config`).
                branches = [min(taking, key=lambda b: unknown[id(b)])]
        if branches:  # a nullable schema, as `spell_nullable` writes it, or the one taking `value`
            self._walk(branches[0], value, path, found, depth + 1, place, request)
            return
        found.append((node, value, path, place))
        if isinstance(value, dict):
            properties, _ = self._builder.properties(node)
            for key, item in value.items():
                if key in properties:
                    self._walk(
                        properties[key],
                        item,
                        f"{path}{key}.",
                        found,
                        depth + 1,
                        (value, key),
                        request,
                    )
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for index, item in enumerate(value):
                self._walk(
                    node["items"],
                    item,
                    f"{path}{index}.",
                    found,
                    depth + 1,
                    (value, index),
                    request,
                )
