"""Instances and mutations that prove generated models enforce the spec exactly.

For every component schema: a minimal valid instance (required fields only, and
those whose one allowed value the models always send), a
maximal one (every field that can be added while staying valid), a valid
instance per `oneOf` branch, and one mutation per rule (missing required
field, wrong type, value outside an enum, broken pattern or length, number or
array out of range, null where not nullable, map key breaking
`propertyNames`, unknown field on a request model). Every case's expected
outcome comes from the reference validator, never from the generated code.

A model's cases stay about its own schema, so their number and size grow with
the spec, not with all each schema reaches (which doubles per level where
references fan out): a field typed as another component
schema holds that schema's minimal instance (its own cases show it whole), and
of the mutations inside it only the first of each rule kind the model has no
case of yet, and the first per such field, are kept (`_kept`). On a 3.2 MB
spec of 1,574 schemas (four vendored specs in one), `validation_cases.json` went
from 47,683 cases in 28 MB to 31,771 in 10 MB: about 1 KB per schema property.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.conformance.ecma import matcher
from generator.conformance.formats import format_holds
from generator.conformance.pattern_samples import pattern_sample
from generator.pointers import follow_refs

_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
_FORMAT_SAMPLES: dict[str, Any] = {
    "uuid": _UUID,
    "date-time": "2024-05-06T07:08:09Z",
    "date": "2024-05-06",
    "uri": "https://example.com/path",
    "email": "someone@example.com",
    "byte": "c3BlY2dlbg==",
    # The other formats the models type and the reference checks (`timedelta`,
    # `time`, `IPv4Address`...): a string of none of them is no valid case.
    "time": "07:08:09Z",
    "duration": "P1DT2H3M4S",
    "idn-email": "someone@example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}
_WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "12345",
    "number": "1.5",
    "boolean": "true",
    "array": "not an array",
    "object": "not an object",
}
_SHAPING = frozenset(
    {"type", "properties", "allOf", "oneOf", "anyOf", "enum", "const", "items", "not"}
)
"""Keywords without which a schema takes any JSON value."""
_MAX_DEPTH = 12
_MAX_VALUES = 10_000
"""Values one model's instances may hold: nine required fields of nine required
fields... of a string is 9**9 values, in a spec of 4 KB. A model past it gets no
cases (its fields' own models do)."""
_MAX_JUDGED = 5_000
"""Mutations of one model judged by the reference (each judgement walks the whole instance);
past it, the model keeps the cases made so far."""


class _OverBudget(LookupError):
    """A model's instances would be too big, or too many, to make in bounded time."""


@dataclass(frozen=True)
class Mutation:
    """How an instance was made from another.

    One value put at `path`, or (with `removed`) the key at `path` taken out.
    """

    base: Any
    """The instance it was made from (itself a case's instance, as a rule)."""
    path: tuple[str, ...]
    value: Any = None
    removed: bool = False
    grown: int = 0
    """With `grown`, the value at `path` is the base's string with that many `a`s
    more, or its list with the first item that many times more: stored so, a
    `maxLength: 152133` case is a few bytes."""

    @property
    def stored(self) -> dict[str, Any]:
        """The change as `validation_cases.json` stores it, beside the case it is made from."""
        change: dict[str, Any] = {"at": list(self.path)}
        if self.removed:
            return change | {"remove": True}
        return change | ({"grow": self.grown} if self.grown else {"value": self.value})


REMADE: Any = object()
"""The instance of a case that keeps only its `grown` mutation: a `maxLength: 10485760`
string, held by each of a big spec's cases, took 600 MB (OpenAI's)."""


@dataclass(frozen=True)
class ValidationCase:
    """One instance of a model and whether the spec accepts it."""

    model: str
    rule: str
    field: str
    """The JSON path of the field the rule is about (`schedule.cronjob`).

    Empty for the whole model."""
    held: Any
    """The instance, or `REMADE` when `mutation` makes it again when asked (`instance`)."""
    valid: bool
    variant: str = ""
    """The `oneOf` branch of the model the case is about, when the model is a `oneOf`."""
    mutation: Mutation | None = None
    """How `instance` was made from another instance, so it can be stored as that change alone."""
    inside: tuple[str, ...] = ()
    """The field typed as another component schema whose value the change is in; empty when
    the change is in the model's own fields."""

    @property
    def instance(self) -> Any:
        """The instance the case is about."""
        if self.held is REMADE:
            assert self.mutation is not None
            return applied(self.mutation)
        return self.held

    @cached_property
    def test_id(self) -> str:
        return "-".join(
            part for part in (self.model, self.variant, self.field, self.rule) if part
        )

    @property
    def rule_kind(self) -> str:
        """The rule without its detail: `branch-CronJob` → `branch`."""
        return self.rule.split("-")[0] if self.rule.startswith("branch-") else self.rule

    @property
    def field_name(self) -> str:
        """The last name on the path: what an error must mention (a key may hold a dot)."""
        if self.mutation is not None and self.mutation.path:
            return self.mutation.path[-1]
        return self.field.rsplit(".", 1)[-1] if self.field else ""


class CaseBuilder:
    """Synthesises and mutates instances of the component schemas of one document."""

    def __init__(self, definitions: dict[str, Any], string_pool: list[str]) -> None:
        from generator.conformance.reference import Reference

        self.definitions = definitions
        self._root = {"$defs": definitions}
        self.reference = Reference(definitions)
        self.string_pool = string_pool
        self._pattern_samples: dict[
            tuple[str, int, int, tuple[str, ...]], str | None
        ] = {}
        """`_matching`'s answers: a spec asks for the same patterned string again and again."""
        self._values_left = _MAX_VALUES
        self._judgements_left = _MAX_JUDGED

    # --- schemas ----------------------------------------------------------
    def resolve(self, node: Any) -> dict[str, Any]:
        """What `node`'s `$ref`s lead to; a reference may point inside a schema
        (`#/$defs/Tag/allOf/0`, as PagerDuty's do)."""
        found = follow_refs(self._root, node)
        return found if isinstance(found, dict) else {}

    def properties(self, node: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of an object schema, `allOf` members merged."""
        properties: dict[str, Any] = dict(node.get("properties") or {})
        required = set(node.get("required") or [])
        for member in node.get("allOf") or []:
            more, needed = self.properties(self.resolve(member))
            properties.update(more)
            required |= needed
        return properties, required

    def borrows(self, schema: Any) -> bool:
        """Whether `schema` names another component schema with fields of its own.

        Those fields are shown by that schema's own cases.

        A `$ref`, or the one `allOf` member of a nullable 3.0 field. A map or list
        component is not one: it has no maximal instance of its own.
        """
        if not isinstance(schema, dict):
            return False
        members = schema.get("allOf") or []
        named = "$ref" in schema or (
            len(members) == 1 and isinstance(members[0], dict) and "$ref" in members[0]
        )
        return named and bool(self.properties(self.resolve(schema))[0])

    def keeps_extra(self, schema: dict[str, Any], depth: int = 0) -> bool:
        """Whether the model of `schema` keeps keys it does not declare, in requests
        too: the schema allows them (`_declares_extra`), or an `allOf` member does,
        whose class the model inherits from with its configuration (Spiff Arena's
        body, `allOf: [{$ref: Payload}]` over an open `Payload`)."""
        if _declares_extra(schema):
            return True
        return depth < _MAX_DEPTH and any(
            self.keeps_extra(self.resolve(member), depth + 1)
            for member in schema.get("allOf") or []
        )

    def takes_any_object(self, name: str) -> bool:
        """Whether a branch of the schema `name` takes any object (`{}`, 3.0's bare
        `nullable`, an object of no properties) or keys it does not declare (a map,
        OpenAI's `VectorStoreFileAttributes`): its model takes an unknown field
        there, in requests too."""
        root = self.resolve({"$ref": f"#/$defs/{name}"})
        return any(
            _any_object(resolved) or self.keeps_extra(resolved)
            for key in ("oneOf", "anyOf")
            for branch in root.get(key) or []
            if isinstance(resolved := self.resolve(branch), dict)
        )

    # --- synthesis --------------------------------------------------------
    def sample(self, node: Any, maximal: bool, depth: int = 0) -> Any:
        """A value for `node`, or raise LookupError when none can be made.

        `maximal` stops at another component schema: its value there is its minimal one.
        """
        maximal = maximal and not self.borrows(node)
        node = self.resolve(node)
        if depth > _MAX_DEPTH:
            raise LookupError("too deep")
        self._values_left -= 1
        if self._values_left < 0:
            raise _OverBudget("instances too big")
        if "const" in node:
            return copy.deepcopy(node["const"])
        if node.get("enum"):
            return copy.deepcopy(
                next((v for v in node["enum"] if v is not None), node["enum"][0])
            )
        if "default" in node and node["default"] is not None:
            return copy.deepcopy(node["default"])
        for key in ("oneOf", "anyOf"):
            for branch in node.get(key) or []:
                if self.resolve(branch).get("type") == "null":
                    continue
                try:
                    value = self.sample(branch, maximal, depth + 1)
                except LookupError:
                    continue
                return value
        types = node.get("type")
        kind = (
            next((t for t in types if t != "null"), None)
            if isinstance(types, list)
            else types
        )
        if kind is None and (node.get("properties") or node.get("allOf")):
            kind = "object"
        if kind == "object":
            return self._object(node, maximal, depth)
        if kind == "array":
            count = max(node.get("minItems", 0), 1 if maximal else 0)
            return [
                self.sample(node.get("items", {}), maximal, depth + 1)
                for _ in range(count)
            ]
        if kind == "string":
            return self._string(node)
        if kind in ("integer", "number"):
            return self._number(node, kind)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        if node.get("examples"):
            return copy.deepcopy(node["examples"][0])
        raise LookupError("no type")

    def _object(
        self, node: dict[str, Any], maximal: bool, depth: int
    ) -> dict[str, Any]:
        properties, required = self.properties(node)
        value: dict[str, Any] = {}
        fixed = {k for k, v in properties.items() if _one_value(self.resolve(v))}
        for name in sorted(required | fixed):
            value[name] = self.sample(properties.get(name, {}), maximal, depth + 1)
        extra = node.get("additionalProperties")
        if maximal and not properties and isinstance(extra, dict):
            key = self._map_key(node.get("propertyNames") or {})
            if key is not None:
                value[key] = self.sample(extra, maximal, depth + 1)
        return value

    def _map_key(self, names: dict[str, Any]) -> str | None:
        """A key allowed by `propertyNames`, from the strings the spec itself uses."""
        pattern = names.get("pattern")
        high: int = names.get("maxLength", 10**6)
        if pattern is None:
            return next((c for c in ["key", *self.string_pool] if len(c) <= high), None)
        return self._matching(pattern, 0, high, ("key",))

    def _string(self, node: dict[str, Any]) -> str:
        examples = node.get("examples")
        if examples and format_holds(node.get("format"), str(examples[0])):
            return str(examples[0])
        if node.get("format") in _FORMAT_SAMPLES:
            return str(_FORMAT_SAMPLES[node["format"]])
        low: int = node.get("minLength", 0)
        high: int = node.get("maxLength", 10**6)
        if "pattern" in node:
            found = self._matching(node["pattern"], low, high)
            if found is None:
                raise LookupError(f"no known string matches {node['pattern']!r}")
            return found
        return "x" * max(low, min(high, 8))

    def _matching(
        self, pattern: str, low: int, high: int, first: tuple[str, ...] = ()
    ) -> str | None:
        """The first of `first` and the pool that `pattern` and the lengths allow;
        else a string drawn from the pattern (`pattern_samples`).

        None when none does, or when `pattern` has no linear-time matcher: the spec
        chose both the pattern and the strings, and must not choose our run time.
        """
        key = (pattern, low, high, first)
        if key not in self._pattern_samples:
            regex = matcher(pattern)
            pool = (c for c in (*first, *self.string_pool) if low <= len(c) <= high)
            found = next((c for c in pool if regex.search(c)), None) if regex else None
            if found is None and regex is not None:
                drawn = pattern_sample(pattern, low, high)
                found = drawn if drawn is not None and regex.search(drawn) else None
            self._pattern_samples[key] = found
        return self._pattern_samples[key]

    @staticmethod
    def _number(node: dict[str, Any], kind: str) -> int | float:
        value: float = 1
        if "minimum" in node:
            value = (
                max(value, node["minimum"])
                if "maximum" not in node or node["maximum"] >= 1
                else node["minimum"]
            )
        if "exclusiveMinimum" in node:
            value = max(value, node["exclusiveMinimum"] + 1)
        if "maximum" in node:
            value = min(value, node["maximum"])
        if "exclusiveMaximum" in node:
            value = min(value, node["exclusiveMaximum"] - 1)
        return int(value) if kind == "integer" else float(value)

    def maximal(self, name: str, minimal: Any) -> Any:
        """Grow `minimal` greedily: every optional field (recursively) that keeps it valid."""
        instance = copy.deepcopy(minimal)
        self._grow(
            instance, self.resolve({"$ref": f"#/$defs/{name}"}), name, instance, 0
        )
        return instance

    def _grow(
        self, root: Any, node: dict[str, Any], name: str, target: Any, depth: int
    ) -> None:
        if not isinstance(target, dict) or depth > _MAX_DEPTH:
            return
        properties, _ = self.properties(node)
        for key, schema in sorted(properties.items()):
            borrowed = self.borrows(schema)
            if key not in target:
                for maximal in (False,) if borrowed else (True, False):
                    try:
                        target[key] = self.sample(schema, maximal, depth + 1)
                    except LookupError:
                        continue
                    if self.reference.judge(name, root) is True:
                        break
                    del target[key]
            if (
                key in target and not borrowed
            ):  # another component's own maximal case shows it whole
                self._grow(root, self.resolve(schema), name, target[key], depth + 1)

    # --- cases ------------------------------------------------------------
    def cases(self, name: str, is_request: bool) -> list[ValidationCase]:
        self._values_left, self._judgements_left = _MAX_VALUES, _MAX_JUDGED
        try:
            return self._cases(name, is_request)
        except _OverBudget:
            return []

    def _cases(self, name: str, is_request: bool) -> list[ValidationCase]:
        try:
            minimal = self.sample({"$ref": f"#/$defs/{name}"}, maximal=False)
        except _OverBudget:
            raise
        except LookupError:
            return []
        if self.reference.judge(name, minimal) is not True:
            return []
        maximal = self.maximal(name, minimal)
        found = [ValidationCase(name, "minimal", "", minimal, True)]
        if maximal != minimal:
            found.append(ValidationCase(name, "maximal", "", maximal, True))
        else:
            maximal = minimal  # the mutations' base is then the minimal case's instance
        seen: set[str] = set()
        root = self.resolve({"$ref": f"#/$defs/{name}"})
        for case in self._mutations(name, maximal, root, (), is_request, 0):
            if case.test_id not in seen:
                seen.add(case.test_id)
                found.append(case)
        for case in self._root_branches(name, root, is_request):
            if case.test_id not in seen:
                seen.add(case.test_id)
                found.append(case)
        return _kept(found)

    def _root_branches(
        self, name: str, root: dict[str, Any], is_request: bool
    ) -> Iterator[ValidationCase]:
        """For a model that is a `oneOf`: a valid instance of each branch, and its mutations."""
        for key in ("oneOf", "anyOf"):
            for index, branch in enumerate(root.get(key) or []):
                try:
                    instance = self.sample(branch, maximal=False, depth=1)
                except LookupError:
                    continue
                label = branch.get("$ref", f"#{index}").rsplit("/", 1)[-1]
                if (
                    isinstance(instance, dict)
                    and self.reference.judge(name, instance) is True
                ):
                    yield ValidationCase(name, f"branch-{label}", "", instance, True)
                    for case in self._mutations(
                        name, instance, self.resolve(branch), (), is_request, 1
                    ):
                        yield dataclasses.replace(case, variant=label)

    def _case(
        self,
        name: str,
        rule: str,
        mutation: Mutation,
        *,
        valid: bool = False,
        inside: tuple[str, ...] = (),
    ) -> Iterator[ValidationCase]:
        """The mutation as a case when the reference judges it as `valid` says.

        By default: when it breaks the rule. An undecided judgement (a pattern
        without a linear-time matcher) makes no case.
        """
        self._judgements_left -= 1
        if self._judgements_left < 0:
            return  # enough of this model's mutations judged: the rest of its tree is not
        instance = applied(mutation)
        if self.reference.judge(name, instance) is valid:
            yield ValidationCase(
                name,
                rule,
                ".".join(mutation.path),
                REMADE if mutation.grown else instance,
                valid,
                mutation=mutation,
                inside=inside,
            )

    def _mutations(
        self,
        name: str,
        root: Any,
        node: dict[str, Any],
        path: tuple[str, ...],
        is_request: bool,
        depth: int,
        inside: tuple[str, ...] = (),
    ) -> Iterator[ValidationCase]:
        holder: Any = root
        for key in path:
            holder = holder[key]
        if not isinstance(holder, dict) or depth > _MAX_DEPTH:
            return
        properties, required = self.properties(node)
        if (
            is_request
            and not path
            and not self.keeps_extra(node)
            and not self.takes_any_object(name)
        ):
            # The schema allows extra keys; request models deliberately do not (a typo is an error).
            unknown = Mutation(root, ("specgenUnknownField",), 1)
            yield ValidationCase(
                name,
                "unknown-field",
                "specgenUnknownField",
                applied(unknown),
                False,
                mutation=unknown,
            )
        for key, declared in sorted(properties.items()):
            default = self.resolve(declared).get(
                "default",
                declared.get("default") if isinstance(declared, dict) else None,
            )
            if isinstance(declared, dict) and (
                "default" in declared or "default" in self.resolve(declared)
            ):
                yield from self._case(
                    name,
                    "default",
                    Mutation(root, (*path, key), copy.deepcopy(default)),
                    valid=True,
                    inside=inside,
                )
        for key in sorted(holder):
            declared = properties.get(key, {})
            schema = self.resolve(declared)
            here = (*path, key)
            held = (
                declared if key in properties else node.get("additionalProperties")
            )  # a map's value
            within = inside or (here if self.borrows(held) else ())
            value = holder[key]
            if key in required:
                yield from self._case(
                    name, "required", Mutation(root, here, removed=True), inside=inside
                )
            types = schema.get("type")
            kinds = (
                set(types) if isinstance(types, list) else {types} if types else set()
            )
            wrong = (
                next((v for t, v in _WRONG_TYPE.items() if t in kinds), None)
                if kinds
                else None
            )
            if wrong is not None:
                yield from self._case(
                    name, "type", Mutation(root, here, wrong), inside=inside
                )
            if "null" not in kinds and not any(
                self.resolve(b).get("type") == "null"
                for b in schema.get("anyOf") or schema.get("oneOf") or []
            ):
                yield from self._case(
                    name, "null", Mutation(root, here, None), inside=inside
                )
            if schema.get("enum"):
                outside = (
                    "NOT_A_KNOWN_VALUE"
                    if isinstance(schema["enum"][0], str)
                    else 987654
                )
                yield from self._case(
                    name, "enum", Mutation(root, here, outside), inside=inside
                )
            yield from self._constraint_cases(name, root, here, schema, value, inside)
            if isinstance(value, dict):
                yield from self._mutations(
                    name, root, schema, here, is_request, depth + 1, within
                )
                for branch_key in ("oneOf", "anyOf"):
                    branches = schema.get(branch_key) or []
                    if len(branches) > 1:
                        yield from self._branch_cases(
                            name, root, here, branches, is_request, depth, inside
                        )

    def _constraint_cases(
        self,
        name: str,
        root: Any,
        here: tuple[str, ...],
        schema: dict[str, Any],
        value: Any,
        inside: tuple[str, ...],
    ) -> Iterator[ValidationCase]:
        def put(replacement: Any) -> Mutation:
            return Mutation(root, here, replacement)

        def grow(count: int) -> Mutation:
            return Mutation(root, here, grown=count)

        def case(rule: str, mutation: Mutation) -> Iterator[ValidationCase]:
            return self._case(name, rule, mutation, inside=inside)

        if isinstance(value, str):
            if "pattern" in schema:
                for candidate in ("", " ", "!!", "a b", value + "\n", "\n" + value):
                    broken = list(case("pattern", put(candidate)))
                    if broken:
                        yield from broken
                        break
            if schema.get("minLength", 0) > 0:
                yield from case("minLength", put(value[: schema["minLength"] - 1]))
            if "maxLength" in schema and schema["maxLength"] >= len(value):
                yield from case("maxLength", grow(schema["maxLength"] + 1 - len(value)))
        if isinstance(value, int | float) and not isinstance(value, bool):
            for rule, bound, delta in (
                ("minimum", "minimum", -1),
                ("maximum", "maximum", 1),
                ("exclusiveMinimum", "exclusiveMinimum", 0),
                ("exclusiveMaximum", "exclusiveMaximum", 0),
            ):
                if bound in schema:
                    yield from case(rule, put(schema[bound] + delta))
        if isinstance(value, list):
            if schema.get("minItems", 0) > 0:
                yield from case("minItems", put(value[: schema["minItems"] - 1]))
            if "maxItems" in schema and value and schema["maxItems"] >= len(value):
                yield from case("maxItems", grow(schema["maxItems"] + 1 - len(value)))
        if isinstance(value, dict) and "propertyNames" in schema and value:
            first = next(iter(value.values()))
            yield from case("propertyNames", put({**value, "not a valid key!": first}))

    def _branch_cases(
        self,
        name: str,
        root: Any,
        here: tuple[str, ...],
        branches: list[Any],
        is_request: bool,
        depth: int,
        inside: tuple[str, ...],
    ) -> Iterator[ValidationCase]:
        samples = []
        for index, branch in enumerate(branches):
            resolved = self.resolve(branch)
            if resolved.get("type") == "null":
                continue
            try:
                sample = self.sample(branch, maximal=False, depth=depth + 1)
            except LookupError:
                continue
            label = branch.get("$ref", f"#{index}").rsplit("/", 1)[-1]
            within = inside or (here if self.borrows(branch) else ())
            for case in self._case(
                name,
                f"branch-{label}",
                Mutation(root, here, sample),
                valid=True,
                inside=inside,
            ):
                yield case
                samples.append(sample)
                yield from self._mutations(
                    name, case.instance, resolved, here, is_request, depth + 1, within
                )
        dicts = [s for s in samples if isinstance(s, dict)]
        if len(dicts) > 1:
            merged = {
                **dicts[0],
                **{k: v for k, v in dicts[1].items() if k not in dicts[0]},
            }
            if not any(self.model_takes(b, merged, is_request) for b in branches):
                yield from self._case(
                    name, "oneOf-ambiguous", Mutation(root, here, merged), inside=inside
                )

    def model_takes(self, branch: Any, value: Any, is_request: bool) -> bool:
        """Whether the model of a `oneOf` branch may take `value` (undecided: it may).

        The models validate a `oneOf` as pydantic does a union: a value any branch
        takes is taken, even one JSON Schema refuses for matching two. A value of two
        branches is refused only where no branch keeps keys it does not declare,
        as a request model does (unless its schema allows them): a response model
        keeps them in `model_extra`, for fields the API adds later.
        """
        resolved = self.resolve(branch)
        keeps_unknown = (
            not is_request or self.keeps_extra(resolved) or _any_object(resolved)
        )
        view = (
            branch
            if keeps_unknown or not isinstance(value, dict)
            else {"allOf": [branch], "unevaluatedProperties": False}
        )
        return self.reference.judge_schema(view, value) is not False


def _declares_extra(schema: dict[str, Any]) -> bool:
    """Whether `schema` allows keys it does not declare in so many words
    (`additionalProperties` true, `{}` or a schema): its model keeps them in
    requests too (`__specgen_open__`)."""
    return schema.get("additionalProperties") not in (None, False)


def _any_object(schema: dict[str, Any]) -> bool:
    """Whether `schema` takes every object: it shapes nothing, or it is an object
    of no properties whose other keys are free."""
    if not _SHAPING & set(schema):
        return True
    extra = schema.get("additionalProperties", True)
    return (
        schema.get("type") == "object"
        and not {"properties", "patternProperties", "allOf", "oneOf", "anyOf"}
        & set(schema)
        and (extra is True or extra == {})
    )


def _one_value(schema: dict[str, Any]) -> bool:
    """Whether a property allows one value only (`const`, or an `enum` of one).

    The models always send such a field, at its default when it is left out
    (a discriminator is one), so every instance holds it: what the models dump
    is then what was built.
    """
    if "const" in schema:
        return schema["const"] is not None
    values = schema.get("enum")
    return isinstance(values, list) and len(values) == 1 and values[0] is not None


def applied(mutation: Mutation) -> Any:
    """The instance `mutation` makes.

    Only the objects along its path are copied; the rest is shared with its base,
    as nothing changes a case's instance once it is made.
    """
    copied = dict(mutation.base)
    holder = copied
    for key in mutation.path[:-1]:
        holder[key] = dict(holder[key])
        holder = holder[key]
    last = mutation.path[-1]
    if mutation.removed:
        del holder[last]
    elif mutation.grown:
        old = holder[last]
        holder[last] = old + (
            "a" * mutation.grown if isinstance(old, str) else [old[0]] * mutation.grown
        )
    else:
        holder[last] = mutation.value
    return copied


def _kept(found: list[ValidationCase]) -> list[ValidationCase]:
    """The cases of a model but those inside another component's value that add nothing.

    Those show the other component's rules, which its own cases show: kept is the
    first of each rule kind the model has no case of, and the first invalid one per
    such field (the model does check what it holds). So a model's cases grow with
    its own fields, not with everything it reaches.
    """
    kinds = {case.rule_kind for case in found if not case.inside}
    entered: set[tuple[str, ...]] = set()
    kept: list[ValidationCase] = []
    for case in found:
        if case.inside:
            new_kind = case.rule_kind not in kinds
            first_inside = not case.valid and case.inside not in entered
            if not (new_kind or first_inside):
                continue
            kinds.add(case.rule_kind)
            if not case.valid:
                entered.add(case.inside)
        kept.append(case)
    return kept


def string_pool(document: Any) -> list[str]:
    """Every string in the spec's examples, defaults and enums.

    These are the candidates for patterned fields.
    """
    found: dict[str, None] = {}

    def walk(node: Any, in_example: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(
                    value,
                    in_example
                    or key in ("examples", "example", "default", "enum", "const"),
                )
        elif isinstance(node, list):
            for value in node:
                walk(value, in_example)
        elif isinstance(node, str) and in_example:
            found[node] = None

    walk(document, False)
    return sorted(found)
