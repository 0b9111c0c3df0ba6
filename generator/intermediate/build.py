"""Build the intermediate model (`generator.intermediate.model.Api`) from an effective document."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote
from uuid import UUID

from generator.conformance.cases import CaseBuilder, ValidationCase, string_pool
from generator.conformance.json_schema import discriminator_tags
from generator.intermediate.constraints import (
    STRICT,
    breaking_value,
    checked,
    constraints_of,
)
from generator.intermediate.definitions import (
    reference_definitions,
    request_definitions,
)
from generator.intermediate.model import (
    Api,
    BodyField,
    BodyKeyword,
    BodyMedia,
    Example,
    Operation,
    Parameter,
    ParameterLocation,
    RequestBody,
    Response,
    Sample,
    SampleKind,
    SecurityScheme,
    Server,
    ServerVariable,
    TypeRef,
    Webhook,
)
from generator.intermediate.nullable import (
    declares_nullable,
    is_null_schema,
)
from generator.intermediate.params import (
    PARAMS,
    ParamsReader,
    annotation_models,
    annotation_stdlib,
)
from generator.intermediate.resources import group_by_tag
from generator.intermediate.samples import Samples
from generator.loading.normalize import iter_operations, operation_base_name
from generator.loading.shape import HTTP_METHODS
from generator.loading.status_keys import STATUS_KEY
from generator.media import BodyKind, essence, is_json, kind_of, preferred
from generator.models.codegen import ModelClass
from generator.naming import ClassName, NameRegistry, PythonIdentifier
from generator.pointers import SCHEMA_PREFIX, resolve_pointer, unescape_pointer_token
from generator.problems import Level, Problem, SpecError, join_pointer
from generator.rendering.literals import data_literal
from generator.schema_keywords import ANNOTATIONS

_FORMATS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "uuid": ("UUID", (("uuid", "UUID"),)),
    "date-time": ("datetime", (("datetime", "datetime"),)),
    "date": ("date", (("datetime", "date"),)),
}
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")
_ANY = TypeRef("Any", stdlib=(("typing", "Any"),))
_NONE = TypeRef("None")
_ANNOTATION_KEYS = frozenset({*ANNOTATIONS, "nullable"})


MODELS = "models"
"""Generated code names model classes through their module (`models.Job`), so no
schema name can collide with a name of ours or of the standard library."""

_SAMPLE_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


_FORMAT_SAMPLES: dict[str, tuple[SampleKind, tuple[tuple[str, str], ...]]] = {
    "uuid": ("uuid", (("uuid", "UUID"),)),
    "date-time": ("date-time", (("datetime", "datetime"),)),
    "date": ("date", (("datetime", "date"),)),
}
"""The sample kind of a string of a format `_FORMATS` types, and what its value imports."""


_FORMAT_GUESSES = {
    "uuid": _SAMPLE_UUID,
    "date-time": "2024-05-06T07:08:09Z",
    "date": "2024-05-06",
    "email": "someone@example.com",
    "uri": "https://example.com/path",
}
"""Parameter samples for the string formats the models check (the reference validator does not)."""


def _json_kind(schema: dict[str, Any]) -> str | None:
    """The one non-null JSON type a schema declares, if it declares one."""
    kinds = schema.get("type")
    concrete = [
        k
        for k in (kinds if isinstance(kinds, list) else [kinds])
        if k not in (None, "null")
    ]
    return str(concrete[0]) if len(concrete) == 1 else None


def _guess(schema: dict[str, Any], builder: ApiBuilder, depth: int = 0) -> Any:
    """A plausible parameter value before any is proven valid.

    The default, the first enum value, or one of the type.
    """
    schema = builder.deref(schema) if depth < 16 else {}
    if not isinstance(schema, dict):
        return "sample"
    branches = [
        b
        for key in ("oneOf", "anyOf", "allOf")
        for b in schema.get(key) or []
        if not is_null_schema(b)
    ]
    if "default" not in schema and "type" not in schema and branches:
        return _guess(branches[0], builder, depth + 1)
    if "default" in schema:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    kind = _json_kind(schema)
    if kind == "string" and schema.get("format") in _FORMAT_GUESSES:
        return _FORMAT_GUESSES[schema["format"]]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return (
            [_guess(schema["items"], builder, depth + 1)]
            if isinstance(schema.get("items"), dict)
            else []
        )
    return "sample id/1" if "pattern" not in schema else "sample"


def _wire_text(schema: Any, value: Any, builder: ApiBuilder) -> str:
    """How the client writes the sample's Python value in a URL (`_endpoint._text`).

    Bools lower-case, dates as `str()` of the value.
    """
    schema = builder.deref(schema) if isinstance(schema, dict) else {}
    if isinstance(value, bool):
        return "true" if value else "false"
    if (
        isinstance(schema, dict)
        and isinstance(value, str)
        and _json_kind(schema) == "string"
    ):
        try:
            if schema.get("format") == "date-time":
                return str(datetime.fromisoformat(value))
            if schema.get("format") == "date":
                return str(date.fromisoformat(value))
            if schema.get("format") == "uuid":
                return str(UUID(value))
        except ValueError:
            return value
    return str(value)


def _union_members(annotation: str) -> list[str]:
    """The members of a union annotation, split at its top-level bars only.

    `dict[str, A | B]` is one member.
    """
    members, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += {"[": 1, "(": 1, "]": -1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            members.append(annotation[start:index].strip())
            start = index + 1
    members.append(annotation[start:].strip())
    return members


def _merge(*refs: TypeRef) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    models = tuple(dict.fromkeys(m for r in refs for m in r.models))
    stdlib = tuple(dict.fromkeys(s for r in refs for s in r.stdlib))
    return models, stdlib


CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "request",
        "raw",
        "base_url",
        "timeouts",
        "retries",
        "max_response_bytes",
        "whole",
        "run",
    }
)
"""Names the generated clients already use, which no operation's method may take."""

METHOD_ARGUMENTS = frozenset(
    {
        "self",
        "body",
        "content_type",
        "options",
        "retries",
        "timeout",
        "extra_headers",
        "extra_query",
        "extra_body",
    }
)
"""The arguments every method may have besides its parameters and body fields (the
per-call options are `CallOptions`' keys), which neither may take."""


_FILE_CONTENT = TypeRef("bytes | IO[bytes]", stdlib=(("typing", "IO"),))
"""A raw request body: bytes, or a binary file object, streamed as it is read."""


_WILDCARDS = frozenset({"*/*", "application/*"})
"""Media types that name no format: what a response of one holds is in its schema."""


def _read_kind(kind: BodyKind) -> BodyKind:
    """How a response of this kind is read: a form or multipart answer (rare) as bytes."""
    return kind if kind in ("json", "text") else "binary"


def _as_kind(sample: Any, kind: BodyKind) -> Any:
    """A sample body as the kind is sent: text and bytes as a string (the spec's
    example, or the schema's sample; other JSON as its text)."""
    if (
        kind in ("text", "binary")
        and sample is not None
        and not isinstance(sample, str)
    ):
        return json.dumps(sample)
    return sample


class ApiBuilder:
    """Walks one normalised document and produces the `Api` templates render."""

    def __init__(
        self,
        document: dict[str, Any],
        classes: dict[str, ModelClass],
        spec: Path = Path("openapi"),
        params: ParamsReader | None = None,
    ) -> None:
        self.document = document
        self.classes = classes
        self.params = params
        """The generated models as plain data (`params.py`); None when they are not
        known, and then a model body takes any dict."""
        self.spec = spec
        """The spec file warnings name."""
        components = document.get("components") or {}
        self.schemas: dict[str, Any] = components.get("schemas") or {}
        self._unwrapping: set[str] = set()
        """RootModels whose root type is being worked out, so a cycle of them ends."""
        self._roots_inline = False
        """While typing parameters: a RootModel is its root type.

        A URL holds the value, not the model.
        """
        self._checking = False
        """While typing what a parameter's value is checked as (`Parameter.checked`)."""
        self._unchecked: list[str] = []
        """Why a constraint met while `_checking` cannot be checked."""
        self.warnings: list[Problem] = []
        self._warned: set[str] = set()
        self._samples: Samples | None = None

    # --- references -----------------------------------------------------
    def deref(self, node: Any) -> Any:
        """Follow local `$ref`s (parameters, responses, bodies) to their target."""
        seen: set[str] = set()
        while (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and node["$ref"] not in seen
        ):
            ref = node["$ref"]
            seen.add(ref)
            node = resolve_pointer(self.document, ref.partition("#")[2])
        return node

    # --- types ----------------------------------------------------------
    def type_of(self, schema: Any) -> TypeRef:
        """The Python annotation for a schema as the clients use it.

        Every nullable idiom adds `| None`, as datamodel-code-generator reads
        them (`generator.intermediate.nullable`): a 3.0 `nullable: true` beside
        `type`, `$ref` or `allOf`/`oneOf`/`anyOf`; 3.1 `type: [T, "null"]`; a
        `{type: "null"}` or `{const: null}` branch; a `$ref` to a nullable schema.
        """
        if not isinstance(schema, dict):
            return _ANY
        nullable = declares_nullable(schema)
        ref = schema.get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(SCHEMA_PREFIX)
            and "/" not in ref[len(SCHEMA_PREFIX) :]
        ):
            name = ref[len(SCHEMA_PREFIX) :]
            base = self._class_type(name)
            return (
                self._union([base, _NONE])
                if nullable or declares_nullable(self.schemas.get(name))
                else base
            )
        if isinstance(ref, str):
            target = self.type_of(self.deref(schema))
            return self._union([target, _NONE]) if nullable else target
        if is_null_schema(schema):
            return _NONE
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                members = [
                    self.type_of(s) for s in schema[key] if not is_null_schema(s)
                ]
                return self._union(
                    [*members, _NONE] if nullable else members or [_NONE]
                )
        merged = self._all_of(schema)
        if merged is not None:
            return self._union([merged, _NONE]) if nullable else merged
        raw_type = schema.get("type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        concrete = [t for t in types if t not in (None, "null")]
        base = (
            self._union([self._scalar(schema, kind) for kind in concrete])
            if len(concrete) > 1
            else self._scalar(schema, concrete[0] if concrete else None)
        )
        return self._union([base, _NONE]) if nullable else base

    def _all_of(self, schema: dict[str, Any]) -> TypeRef | None:
        """The type of an `allOf` of one schema, else None.

        drf-spectacular writes `allOf: [$ref]` beside `nullable`.

        Members that only annotate (a description, a default) do not count; an
        `allOf` merging several schemas inline has no class the clients can name.
        """
        members = schema.get("allOf")
        if not isinstance(members, list) or schema.get("properties"):
            return None
        typed = [
            m
            for m in members
            if not (isinstance(m, dict) and set(m) <= _ANNOTATION_KEYS)
        ]
        return self.type_of(typed[0]) if len(typed) == 1 else None

    def _scalar(self, schema: dict[str, Any], kind: str | None) -> TypeRef:
        found = self._plain_scalar(schema, kind)
        return self._checked_scalar(schema, kind, found) if self._checking else found

    def _checked_scalar(
        self, schema: dict[str, Any], kind: str | None, found: TypeRef
    ) -> TypeRef:
        """`found` as a parameter's value is checked: strict, with its constraints."""
        if found.annotation.startswith("Literal[") or (
            kind == "string" and schema.get("format") in _FORMATS
        ):
            return found
        if kind in STRICT:
            found = TypeRef(STRICT[kind], stdlib=(("pydantic", STRICT[kind]),))
        elif kind != "array":
            return found
        constraints, unusable = constraints_of(schema, kind)
        if unusable:
            self._unchecked.append(unusable)
        return checked(found, constraints)

    def _plain_scalar(self, schema: dict[str, Any], kind: str | None) -> TypeRef:
        if "const" in schema:
            return TypeRef(
                f"Literal[{data_literal(schema['const'])}]",
                stdlib=(("typing", "Literal"),),
            )
        if (
            isinstance(schema.get("enum"), list)
            and schema["enum"]
            and all(
                isinstance(v, str | int) and not isinstance(v, bool)
                for v in schema["enum"]
            )
        ):
            values = ", ".join(data_literal(v) for v in schema["enum"])
            return TypeRef(f"Literal[{values}]", stdlib=(("typing", "Literal"),))
        if kind == "array":
            item = self.type_of(schema.get("items"))
            models, stdlib = _merge(item)
            return TypeRef(f"list[{item.annotation}]", models, stdlib)
        if kind == "object":
            value = (
                self.type_of(schema.get("additionalProperties"))
                if isinstance(schema.get("additionalProperties"), dict)
                else TypeRef("Any", stdlib=(("typing", "Any"),))
            )
            models, stdlib = _merge(value)
            return TypeRef(f"dict[str, {value.annotation}]", models, stdlib)
        if kind == "string" and schema.get("format") in _FORMATS:
            annotation, stdlib = _FORMATS[schema["format"]]
            return TypeRef(annotation, stdlib=stdlib)
        if kind in _SCALARS:
            return TypeRef(_SCALARS[kind])
        return TypeRef("Any", stdlib=(("typing", "Any"),))

    def _union(self, members: list[TypeRef]) -> TypeRef:
        annotations = list(
            dict.fromkeys(a for m in members for a in _union_members(m.annotation))
        )
        if "None" in annotations:
            annotations = [a for a in annotations if a != "None"] + ["None"]
        annotation = " | ".join(annotations)
        same = next((m for m in members if m.annotation == annotation), None)
        if same is not None:
            # `X | None` and None: the member as it is (a RootModel it is parsed as, too)
            return same
        models, stdlib = _merge(*members)
        return TypeRef(annotation, models, stdlib)

    def _class_type(self, name: str) -> TypeRef:
        described = self.classes.get(name)
        if described is None:
            raise RuntimeError(
                f"datamodel-code-generator produced no class for schema {name!r}"
            )
        if described.kind == "root" and described.root_members:
            members = " | ".join(f"{MODELS}.{m}" for m in described.root_members)
            always = all(
                self.classes[m].kind == "model"
                for m in described.root_members
                if m in self.classes
            )
            return TypeRef(
                members,
                (name, *described.root_members),
                root_model=f"{MODELS}.{name}",
                always_model=always,
            )
        if described.kind == "root" and name not in self._unwrapping:
            nullable = self._nullable_root(name)
            if nullable is not None:
                return nullable
            if self._roots_inline:
                return self._root_inline(name)
        return TypeRef(
            f"{MODELS}.{name}",
            (name,),
            is_model_class=described.kind != "enum",
            has_fields=described.kind == "model",
            always_model=described.kind != "enum",
        )

    def _root_inline(self, name: str) -> TypeRef:
        """A RootModel's root type, written out: what a parameter of it holds and sends."""
        self._unwrapping.add(name)
        try:
            return self.type_of(self.schemas.get(name))
        finally:
            self._unwrapping.discard(name)

    def _nullable_root(self, name: str) -> TypeRef | None:
        """What the `.root` of a RootModel over classes or null is, else None.

        Such a RootModel is `anyOf: [{$ref: X}, {type: "null"}]`.

        Like a RootModel over a union of classes, callers get the root: `models.X | None`.
        """
        self._unwrapping.add(name)
        try:
            inner = self.type_of(self.schemas.get(name))
        finally:
            self._unwrapping.discard(name)
        members = inner.annotation.split(" | ")
        classes = [m[len(MODELS) + 1 :] for m in members if m.startswith(f"{MODELS}.")]
        if (
            "None" not in members
            or len(classes) != len(members) - 1
            or set(classes) != set(inner.models)
        ):
            return None  # not only classes and null, or a member is itself unwrapped
        return TypeRef(
            inner.annotation,
            (name, *inner.models),
            inner.stdlib,
            root_model=f"{MODELS}.{name}",
        )

    # --- examples and samples -------------------------------------------
    def located(self, node: Any, pointer: str) -> tuple[Any, str]:
        """`deref`, keeping the JSON pointer of where the target is."""
        seen: set[str] = set()
        while (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#")
            and node["$ref"] not in seen
        ):
            seen.add(node["$ref"])
            pointer = node["$ref"].partition("#")[2]
            node = resolve_pointer(self.document, pointer)
        return node, pointer

    def _json_media_at(self, holder: Any, pointer: str) -> tuple[Any, str]:
        """The first JSON media type object of a request body or response, and its pointer.

        (None, "") without one.
        """
        holder, pointer = self.located(holder, pointer)
        content = holder.get("content") if isinstance(holder, dict) else None
        if not isinstance(content, dict):
            return None, ""
        for content_type, media in content.items():
            if is_json(str(content_type)) and isinstance(media, dict):
                return media, join_pointer(pointer, "content", str(content_type))
        return None, ""

    def _body_media_at(self, holder: Any, pointer: str) -> tuple[Any, str]:
        """The media type object a request body or response is sent as by default
        (`generator.media.preferred`: JSON first), and its pointer; (None, "") without one.
        """
        holder, pointer = self.located(holder, pointer)
        content = holder.get("content") if isinstance(holder, dict) else None
        if not isinstance(content, dict):
            return None, ""
        usable = [str(ct) for ct, m in content.items() if isinstance(m, dict)]
        if not usable:
            return None, ""
        first = preferred(usable)[0]
        return content[first], join_pointer(pointer, "content", first)

    def _success_at(self, operation: dict[str, Any], pointer: str) -> tuple[Any, str]:
        """The first 2xx response and its pointer.

        In status order, as `Operation.success` picks it.
        """
        responses = operation.get("responses") or {}
        for status, response in sorted(responses.items(), key=lambda kv: str(kv[0])):
            if str(status).startswith("2"):
                return response, join_pointer(pointer, "responses", str(status))
        if "default" in responses:  # the only response documented for a success
            return responses["default"], join_pointer(pointer, "responses", "default")
        return None, ""

    def _schemas_to_judge(self) -> dict[str, Any]:
        """Every schema whose examples are judged or whose samples are built, by JSON pointer."""
        found: dict[str, Any] = {}
        for path, method, item, operation in iter_operations(self.document):
            pointer = join_pointer("/paths", path, method)
            holders = [
                self._body_media_at(
                    operation.get("requestBody"), join_pointer(pointer, "requestBody")
                )
            ]
            holders.append(self._body_media_at(*self._success_at(operation, pointer)))
            for media, at in holders:
                if isinstance(media, dict):
                    found[join_pointer(at, "schema")] = media.get("schema", {})
            for param, at in self._raw_parameters(item, operation, pointer):
                found[join_pointer(at, "schema")] = param.get("schema", {})
        for name, webhook in (self.document.get("webhooks") or {}).items():
            if isinstance(webhook, dict):
                for method in HTTP_METHODS:
                    if isinstance(webhook.get(method), dict):
                        at = join_pointer("/webhooks", str(name), method, "requestBody")
                        media, media_at = self._json_media_at(
                            webhook[method].get("requestBody"), at
                        )
                        if isinstance(media, dict):
                            found[join_pointer(media_at, "schema")] = media.get(
                                "schema", {}
                            )
        for name in self.schemas:
            found[join_pointer("/components/schemas", name)] = {
                "$ref": SCHEMA_PREFIX + name
            }
        return found

    @property
    def samples(self) -> Samples:
        if self._samples is None:
            self._samples = Samples(self.document, self._schemas_to_judge())
        return self._samples

    def warn(self, pointer: str, message: str) -> None:
        """A generation warning about the spec, once per pointer."""
        if pointer not in self._warned:
            self._warned.add(pointer)
            self.warnings.append(Problem(Level.WARNING, self.spec, pointer, message))

    def valid_example(
        self,
        schema_at: str,
        candidates: list[tuple[str, Any]],
        *,
        request: bool = False,
    ) -> tuple[bool, Any]:
        """The first of the spec's `candidates` (pointer, value) valid for its schema.

        The schema is the one at `schema_at`; each invalid one is a warning.

        An example the reference validator cannot judge (a pattern only a
        backtracking engine runs) counts as valid. A string breaking a `format`
        the models check (which the reference leaves unchecked) disqualifies one;
        for a request, so do fields the schema does not define: request models
        refuse them. The one chosen has its date-times spelled as the models give
        them back (`Samples.respelled`).
        """
        chosen: tuple[bool, Any] = (False, None)
        for pointer, value in candidates:
            verdict = self.samples.judge(schema_at, value, request=request)
            if verdict is False:
                self.warn(
                    pointer,
                    "example does not match its schema; "
                    "the generated tests and README do not use it",
                )
                continue
            unknown = self.samples.unknown_fields(schema_at, value) if request else []
            if unknown:
                names = ", ".join(unknown)
                self.warn(
                    pointer,
                    f"example has fields its schema does not define ({names}), "
                    "which request models refuse; "
                    "the generated tests and README do not use it",
                )
                continue
            broken = self.samples.format_errors(schema_at, value)
            if broken:
                self.warn(
                    pointer,
                    f"example breaks the format of {', '.join(broken)}; "
                    "the generated tests and README do not use it",
                )
                continue
            finer = self.samples.finer_than_microseconds(schema_at, value)
            if finer:
                self.warn(
                    pointer,
                    f"example times {', '.join(finer)} finer than microseconds, which "
                    "the models keep (so they would not give it back as written); "
                    "the generated tests and README do not use it",
                )
                continue
            if not chosen[0]:
                chosen = (True, self.samples.respelled(schema_at, value))
        return chosen

    def media_examples(
        self, media: dict[str, Any], pointer: str
    ) -> list[tuple[str, Any]]:
        """The examples of a media type object and of its schema, with their pointers.

        In the order they are tried.
        """
        found: list[tuple[str, Any]] = []
        if "example" in media:
            found.append((join_pointer(pointer, "example"), media["example"]))
        for key, named in (
            (media.get("examples") or {}).items()
            if isinstance(media.get("examples"), dict)
            else ()
        ):
            named, at = self.located(named, join_pointer(pointer, "examples", str(key)))
            if isinstance(named, dict) and "value" in named:
                found.append((join_pointer(at, "value"), named["value"]))
        found.extend(
            self.schema_examples(media.get("schema"), join_pointer(pointer, "schema"))
        )
        return found

    def schema_examples(self, schema: Any, pointer: str) -> list[tuple[str, Any]]:
        schema, pointer = self.located(schema, pointer)
        if not isinstance(schema, dict):
            return []
        found = (
            [
                (join_pointer(pointer, "examples", i), v)
                for i, v in enumerate(schema["examples"])
            ]
            if isinstance(schema.get("examples"), list)
            else []
        )
        if "example" in schema:
            found.append((join_pointer(pointer, "example"), schema["example"]))
        return found

    def body_sample(self, media: Any, pointer: str, *, request: bool) -> Any:
        """A valid body for a JSON media type object, None without one.

        The spec's first valid example, else one built from its schema.
        """
        if not isinstance(media, dict):
            return None
        schema_at = join_pointer(pointer, "schema")
        found, value = self.valid_example(
            schema_at, self.media_examples(media, pointer), request=request
        )
        if not found:
            found, value = self.samples.build(schema_at, request=request)
        return value if found else None

    def wrong_body(self, media: Any, pointer: str) -> tuple[bool, Any]:
        """A JSON value the media type's schema refuses.

        For the generated tests of an invalid response; (False, None) when it accepts any.
        """
        if not isinstance(media, dict):
            return False, None
        for candidate in (
            ["not", "an", "object"],
            "not an object",
            {"specgen": ["not", "a", "list"]},
            12345,
        ):
            if self.samples.judge(join_pointer(pointer, "schema"), candidate) is False:
                return True, candidate
        return False, None

    # --- operations -----------------------------------------------------
    def _raw_parameters(
        self, path_item: dict[str, Any], operation: dict[str, Any], pointer: str
    ) -> list[tuple[dict[str, Any], str]]:
        """The operation's parameters, each with its pointer.

        Those of the path item, overridden by the operation's own.
        """
        item_pointer = pointer.rsplit("/", 1)[0]
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for base, raws in (
            (item_pointer, path_item.get("parameters")),
            (pointer, operation.get("parameters")),
        ):
            for index, raw in enumerate(raws if isinstance(raws, list) else []):
                param, at = self.located(raw, join_pointer(base, "parameters", index))
                if (
                    isinstance(param, dict)
                    and param.get("in") in _LOCATIONS
                    and isinstance(param.get("name"), str)
                ):
                    merged[(param["in"], param["name"])] = (param, at)
        return list(merged.values())

    def parameters(
        self,
        path_item: dict[str, Any],
        operation: dict[str, Any],
        names: NameRegistry,
        pointer: str = "",
    ) -> tuple[Parameter, ...]:
        located = self._raw_parameters(path_item, operation, pointer)
        ordered = sorted(
            located,
            key=lambda pa: (
                not pa[0].get("required", False) and pa[0]["in"] != "path",
                _LOCATIONS.index(pa[0]["in"]),
            ),
        )
        result = []
        for param, at in ordered:
            schema = param.get("schema") or {}
            has_default = isinstance(schema, dict) and "default" in schema
            required = bool(param.get("required", False)) or param["in"] == "path"
            self._roots_inline = True
            try:
                type_ref = self.type_of(schema)
                self._checking = True
                checked_ref = self.type_of(schema)
            finally:
                self._roots_inline = self._checking = False
            for reason in dict.fromkeys(self._unchecked):
                self.warn(join_pointer(at, "schema"), f"{reason}: it is not checked")
            self._unchecked.clear()
            sample, encoded = self.parameter_sample(param, at)
            if not required and not type_ref.annotation.endswith("None"):
                type_ref = self._union([type_ref, TypeRef("None")])
            if not required and not checked_ref.annotation.endswith("None"):
                # Not `_union`: a pattern's text may hold a bar or a bracket.
                checked_ref = TypeRef(
                    f"{checked_ref.annotation} | None",
                    checked_ref.models,
                    checked_ref.stdlib,
                )
            value_schema = self.deref(schema)
            value_schema = value_schema if isinstance(value_schema, dict) else {}
            kind = _json_kind(value_schema)
            constraints = constraints_of(value_schema, kind)[0]
            breaking = breaking_value(value_schema, kind, constraints)
            result.append(
                Parameter(
                    name=param["name"],
                    python_name=names.claim(PythonIdentifier(param["name"])),
                    location=param["in"],
                    required=required,
                    type=type_ref,
                    description=str(param.get("description") or ""),
                    default=schema.get("default") if has_default else None,
                    has_default=has_default,
                    explode=bool(
                        param.get("explode", param.get("style", "form") == "form")
                    ),
                    deprecated=bool(param.get("deprecated", False)),
                    sample=sample,
                    encoded_sample=encoded,
                    constraints=constraints,
                    checked=checked_ref,
                    invalid_sample=Sample(breaking[1]) if breaking[0] else None,
                    invalid_rule=breaking[2],
                )
            )
        return tuple(result)

    def parameter_sample(
        self, param: dict[str, Any], pointer: str
    ) -> tuple[Sample, str]:
        """A valid value for a parameter, and its text as sent in a path.

        The spec's first valid example; else a plain guess (a string with a
        space and a slash, to exercise encoding) when the reference accepts it;
        else one built from the schema.
        """
        schema_at = join_pointer(pointer, "schema")
        raw_schema = param.get("schema") or {}
        schema, _ = self.located(raw_schema, schema_at)
        schema = schema if isinstance(schema, dict) else {}
        candidates = (
            [(join_pointer(pointer, "example"), param["example"])]
            if "example" in param
            else []
        )
        examples = param.get("examples")
        for key, named in examples.items() if isinstance(examples, dict) else ():
            named, at = self.located(named, join_pointer(pointer, "examples", str(key)))
            if isinstance(named, dict) and "value" in named:
                candidates.append((join_pointer(at, "value"), named["value"]))
        candidates += self.schema_examples(raw_schema, schema_at)
        found, value = self.valid_example(schema_at, candidates)
        if not found:
            value = _guess(schema, self)
            if self.samples.judge(schema_at, value) is False:
                built, sample = self.samples.build(schema_at)
                value = sample if built else value
        sample = self.python_value(raw_schema, value)
        return sample, quote(_wire_text(raw_schema, value, self), safe="")

    def python_value(self, schema: Any, value: Any, depth: int = 0) -> Sample:
        """`value` (JSON data valid for `schema`) as the sample of the Python value
        of the type `type_of(schema)` says.
        """
        if not isinstance(schema, dict) or depth > 16:
            return Sample(value)
        ref = schema.get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(SCHEMA_PREFIX)
            and ref[len(SCHEMA_PREFIX) :] in self.classes
        ):
            name = ref[len(SCHEMA_PREFIX) :]
            kind = self.classes[name].kind
            if value is not None and kind != "root":
                return Sample(value, kind, class_name=name)
        if isinstance(ref, str):
            return self.python_value(self.deref(schema), value, depth + 1)
        if value is None:
            return Sample(None)
        for key in ("oneOf", "anyOf", "allOf"):
            branches = (
                [b for b in schema.get(key) or [] if not is_null_schema(b)]
                if isinstance(schema.get(key), list)
                else []
            )
            if branches:
                return self.python_value(branches[0], value, depth + 1)
        json_kind = _json_kind(schema)
        if json_kind == "array" and isinstance(value, list):
            items = tuple(
                self.python_value(schema.get("items"), item, depth + 1)
                for item in value
            )
            stdlib = tuple(dict.fromkeys(s for item in items for s in item.stdlib))
            return Sample(value, "list", items=items, stdlib=stdlib)
        formatted = _FORMAT_SAMPLES.get(str(schema.get("format")))
        if (
            json_kind == "string"
            and isinstance(value, str)
            and formatted is not None
            and not schema.get("enum")
        ):
            sample_kind, stdlib = formatted
            return Sample(value, sample_kind, stdlib=stdlib)
        return Sample(value)

    def request_body(self, operation: dict[str, Any]) -> RequestBody | None:
        """The body with every media type the spec allows, the default (JSON) first."""
        body = self.deref(operation.get("requestBody"))
        if not isinstance(body, dict):
            return None
        content = body.get("content")
        if not isinstance(content, dict):
            return None
        usable = [str(ct) for ct, m in content.items() if isinstance(m, dict)]
        by_type: dict[str, BodyMedia] = {}
        for content_type in preferred(usable):  # the first of a content type is kept
            one = self._body_media(content_type, content[content_type])
            by_type.setdefault(one.content_type, one)
        media = tuple(by_type.values())
        if not media:
            return None
        types = list({m.type.annotation: m.type for m in media}.values())
        union = self._union(types) if len(types) > 1 else None
        return RequestBody(
            media[0].content_type,
            media[0].type,
            bool(body.get("required", False)),
            str(body.get("description") or ""),
            media,
            union,
            self._plain(union or media[0].type),
            self._plain_name(media[0].type),
        )

    def _plain_name(self, taken: TypeRef) -> str:
        """The `params.py` name of a model class's plain form; empty for any other type."""
        if self.params is None or not taken.is_model_class:
            return ""
        return f"{PARAMS}.{self.params.names[taken.models[0]]}"

    def _plain(self, taken: TypeRef) -> TypeRef | None:
        """`taken` with each model also as its plain data (`params.JobRequestParam`);
        None when it names no model."""
        if self.params is None:
            return None
        annotation = self.params.body_signature(taken.annotation)
        if annotation == taken.annotation:
            return None
        stdlib = tuple(sorted({*taken.stdlib, *annotation_stdlib(annotation)}))
        return TypeRef(annotation, taken.models, stdlib)

    def body_keywords(
        self, body: RequestBody | None, parameters: tuple[Parameter, ...]
    ) -> RequestBody | None:
        """`body` with its fields as keyword arguments, when it is an object: the default
        media type's model, which every media type taking data takes.

        Each keyword is the model's attribute, made unique among the method's other
        arguments, so a field `timeout` is `timeout_2` beside the per-call option."""
        if body is None or self.params is None or not body.type.is_model_class:
            return body
        if len({m.type.annotation for m in body.media if m.parsed_type}) != 1:
            return body
        first = body.media[0] if body.media else None
        files = (
            {f.name for f in first.fields if f.is_file}
            if first is not None and first.kind == "multipart"
            else set()
        )
        keys = self.params.keys_of(body.type.models[0], files)
        if not keys:
            return body
        names = NameRegistry(
            {*METHOD_ARGUMENTS, *(str(p.python_name) for p in parameters)}
        )
        keywords = []
        for key in keys:
            annotation = self.params.qualified(key.annotation)
            keywords.append(
                BodyKeyword(
                    names.claim(PythonIdentifier(key.attribute)),
                    key.key,
                    TypeRef(
                        annotation,
                        annotation_models(annotation),
                        annotation_stdlib(annotation),
                    ),
                    key.required,
                    key.description,
                )
            )
        return dataclasses.replace(body, keywords=tuple(keywords))

    def _body_media(self, content_type: str, media: dict[str, Any]) -> BodyMedia:
        """One media type of a request body: its Python type and, for a form or
        multipart body, how each property is encoded."""
        kind = kind_of(content_type)
        if (
            kind == "binary"
            and essence(content_type) in _WILDCARDS
            and self._is_structured(media.get("schema"))
        ):
            # Kubernetes' `*/*: {schema: {$ref: DaemonSet}}`: the model, sent as the
            # JSON the wildcard allows, not its bytes.
            content_type, kind = "application/json", "json"
        if kind == "text":
            return BodyMedia(content_type, kind, TypeRef("str"))
        if kind == "binary":
            return BodyMedia(content_type, kind, _FILE_CONTENT)
        schema = media.get("schema", {})
        fields: tuple[BodyField, ...] = ()
        if kind in ("form", "multipart"):
            fields = self._body_fields(schema, media.get("encoding"), kind)
        return BodyMedia(content_type, kind, self.type_of(schema), fields)

    def _body_fields(
        self, schema: Any, encoding: Any, kind: BodyKind
    ) -> tuple[BodyField, ...]:
        """The properties of a form or multipart body that are not sent as plain fields.

        `encoding` gives a property's `style`, `explode` (true by default only
        with style `form`) and multipart `contentType`; a multipart property
        whose schema is binary (`format: binary`, 3.1 `contentEncoding` or
        `contentMediaType`), or an array of such, is a file.
        """
        encodings = encoding if isinstance(encoding, dict) else {}
        properties = self._properties(schema)
        found = []
        for name in dict.fromkeys([*properties, *map(str, encodings)]):
            spec = encodings.get(name)
            spec = spec if isinstance(spec, dict) else {}
            style = spec.get("style") if isinstance(spec.get("style"), str) else "form"
            explode = spec.get("explode", style == "form")
            part_type = spec.get("contentType")
            field_ = BodyField(
                name,
                style=str(style) if kind == "form" else "form",
                explode=bool(explode) if kind == "form" else True,
                content_type=str(part_type)
                if kind == "multipart" and isinstance(part_type, str)
                else "",
                is_file=kind == "multipart"
                and self._is_binary(properties.get(name), items=True),
            )
            if not field_.is_default:
                found.append(field_)
        return tuple(found)

    def _properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """The properties of an object schema, `allOf` members' included."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 16:
            return {}
        found: dict[str, Any] = {}
        for member in schema.get("allOf") or ():
            found |= self._properties(member, depth + 1)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            found |= {str(k): v for k, v in properties.items()}
        return found

    def _is_binary(self, schema: Any, *, items: bool = False) -> bool:
        """Whether a schema is file content, or (with `items`) an array of it."""
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return False
        if items and isinstance(schema.get("items"), dict):
            return self._is_binary(schema["items"])
        return (
            schema.get("format") == "binary"
            or schema.get("contentEncoding") == "binary"
            or "contentMediaType" in schema
        )

    def response_kind(self, content_type: str, media: Any) -> BodyKind:
        """How a response body of `content_type` is read.

        A wildcard type (`*/*`, `application/*`) is raw bytes, unless its schema is
        structured data (an object, an array, a composition of schemas): then it is
        JSON, as the server sends it. Spring's springdoc documents every response so.
        """
        kind = kind_of(content_type)
        if kind != "binary" or essence(content_type) not in _WILDCARDS:
            return kind
        schema = media.get("schema") if isinstance(media, dict) else None
        return "json" if self._is_structured(schema) else kind

    def _is_structured(self, schema: Any, depth: int = 0) -> bool:
        """Whether a schema describes JSON structure: an object, an array, or a
        composition of schemas (not a string, a number, or any value at all)."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or depth > 16:
            return False
        declared = schema.get("type")
        types = {declared} if isinstance(declared, str) else set(declared or ())
        if types & {"object", "array"} or "properties" in schema or "items" in schema:
            return True
        return any(
            self._is_structured(branch, depth + 1)
            for key in ("allOf", "oneOf", "anyOf")
            for branch in schema.get(key) or ()
        )

    def responses(self, operation: dict[str, Any]) -> tuple[Response, ...]:
        result = []
        for status, raw in (operation.get("responses") or {}).items():
            response = self.deref(raw)
            if not isinstance(response, dict):
                continue
            status = str(status)
            content = response.get("content")
            content = content if isinstance(content, dict) else {}
            usable = [str(ct) for ct, m in content.items() if isinstance(m, dict)]
            read = preferred(usable)[0] if usable else None
            kind = self.response_kind(read, content[read]) if read else "json"
            type_ref: TypeRef | None = None
            if read is not None and kind == "json":
                # `schema: {}` (or none) is any JSON, not no body.
                type_ref = self.type_of(content[read].get("schema", {}))
            elif read is not None:
                type_ref = TypeRef("str" if kind == "text" else "bytes")
            result.append(
                Response(
                    status,
                    str(response.get("description") or ""),
                    read,
                    type_ref,
                    status.startswith("2") and STATUS_KEY.fullmatch(status) is not None,
                    _read_kind(kind),
                )
            )
        default = next((r for r in result if r.status == "default"), None)
        if default is not None and not any(r.status.startswith("2") for r in result):
            # `default` documents every status no other key does: with no 2xx among
            # those, it is the success too. A 2xx reads as it; any other status
            # stays an error whose body it also describes.
            result.append(dataclasses.replace(default, status="2XX", is_success=True))
        elif not any(r.is_success for r in result):
            # no success documented at all: a 2xx is one without a body, not an error
            result.append(Response("2XX", "", None, None, True))
        return tuple(sorted(result, key=lambda r: (not r.is_success, r.status)))

    def _model_media(self, holder: Any) -> list[Any]:
        """The media type objects of a body whose schema becomes a request model:
        JSON, form and multipart."""
        holder = self.deref(holder)
        content = holder.get("content") if isinstance(holder, dict) else None
        return [
            m
            for ct, m in (content.items() if isinstance(content, dict) else ())
            if kind_of(str(ct)) in ("json", "form", "multipart")
        ]

    def operations(self) -> Iterator[Operation]:
        method_names = NameRegistry(CLIENT_ATTRIBUTES)
        global_security = self.document.get("security")
        for path, method, item, operation in iter_operations(self.document):
            security = operation.get("security", global_security) or []
            pointer = join_pointer("/paths", path, method)
            body_media, body_at = self._body_media_at(
                operation.get("requestBody"), join_pointer(pointer, "requestBody")
            )
            success_media, success_at = self._body_media_at(
                *self._success_at(operation, pointer)
            )
            success_kind = (
                self.response_kind(
                    unescape_pointer_token(success_at.rsplit("/", 1)[-1]), success_media
                )
                if isinstance(success_media, dict)
                else "json"
            )
            wrong_found, wrong = (
                self.wrong_body(success_media, success_at)
                if success_kind == "json"
                else (False, None)
            )
            request_body = self.request_body(operation)
            parameters = self.parameters(
                item, operation, NameRegistry(METHOD_ARGUMENTS), pointer
            )
            method_name = method_names.claim(
                PythonIdentifier(
                    operation_base_name(method, path, operation), fallback="call"
                )
            )
            # Bytes and text (an NDJSON event stream that never ends, a big CSV)
            # may be read as they arrive.
            streams = success_kind in ("binary", "text") and success_media is not None
            yield Operation(
                operation_id=operation_base_name(method, path, operation),
                method_name=method_name,
                stream_method_name=method_names.claim(
                    PythonIdentifier(f"{method_name}_stream")
                )
                if streams
                else None,
                http_method=method.upper(),
                # A fragment (`/v1/items#stream`, two operations on one path) is
                # never sent: the URL path is what comes before it.
                path=path.partition("#")[0],
                summary=str(operation.get("summary") or "").strip(),
                description=str(operation.get("description") or "").strip(),
                tags=tuple(str(t) for t in operation.get("tags") or ()),
                deprecated=bool(operation.get("deprecated", False)),
                parameters=parameters,
                request_body=self.body_keywords(request_body, parameters),
                responses=self.responses(operation),
                security=tuple(tuple(req) for req in security if isinstance(req, dict)),
                body_example=_as_kind(
                    self.body_sample(body_media, body_at, request=True),
                    request_body.kind if request_body else "json",
                ),
                success_example=_as_kind(
                    self.body_sample(success_media, success_at, request=False),
                    success_kind,
                ),
                wrong_success_body=wrong,
                has_wrong_success_body=wrong_found,
            )

    def security_schemes(
        self, package: str, spec: Path = Path("openapi")
    ) -> tuple[SecurityScheme, ...]:
        """One credential class per usable scheme; an apiKey the spec places nowhere valid
        is a `SpecError` (`spec` names the file), never a guess."""
        raw = (self.document.get("components") or {}).get("securitySchemes") or {}
        problems = [
            p
            for k, s in raw.items()
            for p in api_key_problems(str(k), self.deref(s), spec)
        ]
        if problems:
            raise SpecError(problems)
        # Case-insensitive: `ApiKey` and `APIKey` must not share an environment variable
        # (`API_KEY_AUTH`), nor generated test names made from the lower-cased class name.
        names = NameRegistry({"Auth", "Credential"}, ignore_case=True)
        env_vars = NameRegistry(ignore_case=True)
        result = []
        for key, scheme in raw.items():
            key, scheme = str(key), self.deref(scheme)
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            description = str(scheme.get("description") or "").strip()
            base = key if key.lower().endswith("auth") else f"{key}Auth"
            class_name = names.claim(ClassName(base))
            env_var = env_vars.claim(
                f"{package}_{PythonIdentifier(class_name)}".upper()
            )
            if kind == "apiKey":
                location = _API_KEY_LOCATIONS[scheme["in"]]
                prefix = str(scheme.get("x-specgen-value-prefix", ""))
                parameter = str(scheme["name"])
                result.append(
                    SecurityScheme(
                        key,
                        class_name,
                        "apiKey",
                        location,
                        parameter,
                        prefix,
                        description,
                        env_var,
                    )
                )
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                result.append(
                    SecurityScheme(
                        key,
                        class_name,
                        "basic",
                        "header",
                        "Authorization",
                        "Basic ",
                        description,
                    )
                )
            elif kind in ("http", "oauth2", "openIdConnect"):
                result.append(
                    SecurityScheme(
                        key,
                        class_name,
                        "bearer",
                        "header",
                        "Authorization",
                        "Bearer ",
                        description,
                        env_var,
                    )
                )
        return tuple(result)

    def examples(self, request_models: tuple[str, ...]) -> tuple[Example, ...]:
        """The component schemas' own examples that are valid (`valid_example`).

        The others are warnings.
        """
        found = []
        for name, schema in self.schemas.items():
            if not isinstance(schema, dict):
                continue
            pointer = join_pointer("/components/schemas", name)
            is_request = name in request_models
            described = self.classes.get(name)
            for at, value in self.schema_examples(schema, pointer):
                if value is None and described is not None and described.kind != "root":
                    continue  # a nullable model's null: its class holds no `None`
                valid, spelled = self.valid_example(
                    pointer, [(at, value)], request=is_request
                )
                if valid:
                    found.append(Example(name, at, spelled, is_request))
        return tuple(found)

    def webhooks(self) -> tuple[Webhook, ...]:
        """One parser per webhook operation with a JSON payload.

        One without is a warning, never silently left out.
        """
        names = NameRegistry()
        found = []
        for key, item in (self.document.get("webhooks") or {}).items():
            item, item_at = self.located(item, join_pointer("/webhooks", str(key)))
            if not isinstance(item, dict):
                continue
            methods = [m for m in HTTP_METHODS if isinstance(item.get(m), dict)]
            for method in methods:
                operation, at = item[method], join_pointer(item_at, method)
                media, media_at = self._json_media_at(
                    operation.get("requestBody"), join_pointer(at, "requestBody")
                )
                if not isinstance(media, dict):
                    self.warn(
                        at,
                        "webhook has no JSON payload "
                        "(application/json or +json request body): "
                        "no parser is generated for it",
                    )
                    continue
                content_type = (
                    media_at.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
                )
                base = (
                    f"parse_webhook_{key}"
                    if len(methods) == 1
                    else f"parse_webhook_{key}_{method}"
                )
                body = self.deref(operation.get("requestBody"))
                found.append(
                    Webhook(
                        name=str(key),
                        method=method.upper(),
                        function_name=names.claim(PythonIdentifier(base)),
                        content_type=content_type,
                        type=self.type_of(media.get("schema", {})),
                        summary=str(operation.get("summary") or "").strip(),
                        description=str(
                            operation.get("description")
                            or (body or {}).get("description")
                            or ""
                        ).strip(),
                        example=self.body_sample(media, media_at, request=False),
                    )
                )
        return tuple(found)

    def servers(self) -> tuple[Server, ...]:
        """The spec's servers with their variables.

        A variable without a string default is a warning.
        """
        result = []
        for index, server in enumerate(self.document.get("servers") or []):
            if not isinstance(server, dict):
                continue
            variables = []
            raw = server.get("variables")
            for name, variable in raw.items() if isinstance(raw, dict) else ():
                if not isinstance(variable, dict):
                    variable = {}
                if not isinstance(
                    variable.get("default"), str | int | float
                ) or isinstance(variable.get("default"), bool):
                    self.warn(
                        join_pointer("/servers", index, "variables", str(name)),
                        "server variable has no default: clients need `base_url`",
                    )
                    continue
                enum = tuple(
                    str(v)
                    for v in variable.get("enum") or ()
                    if isinstance(v, str | int | float)
                )
                variables.append(
                    ServerVariable(
                        str(name),
                        str(variable["default"]),
                        enum,
                        str(variable.get("description") or "").strip(),
                    )
                )
            result.append(
                Server(
                    str(server.get("url", "")).rstrip("/"),
                    str(server.get("description") or ""),
                    tuple(variables),
                )
            )
        return tuple(result)

    def request_models(self, operations: tuple[Operation, ...]) -> tuple[str, ...]:
        """Every schema reachable from a request body: these models are strict."""
        return tuple(
            sorted(
                _reachable(
                    [
                        m
                        for op in operations
                        if op.request_body
                        for media in op.request_body.media
                        for m in media.type.models
                    ],
                    self.schemas,
                )
            )
        )


_API_KEY_LOCATIONS: dict[str, Literal["header", "query", "cookie"]] = {
    "header": "header",
    "query": "query",
    "cookie": "cookie",
}
"""Where OpenAPI lets an apiKey go; an explicit mapping, so no other value can reach a template."""


def api_key_problems(key: str, scheme: Any, spec: Path) -> list[Problem]:
    """Why an apiKey scheme cannot be generated: `in` must be header, query or cookie (not
    path, which OpenAPI does not allow for an apiKey) and `name` a non-empty string."""
    if not isinstance(scheme, dict) or scheme.get("type") != "apiKey":
        return []
    pointer = join_pointer("/components/securitySchemes", key)
    problems = []
    if not isinstance(scheme.get("in"), str) or scheme["in"] not in _API_KEY_LOCATIONS:
        at = join_pointer(pointer, "in")
        message = (
            f"an apiKey goes in the header, query or cookie, not {scheme.get('in')!r}"
        )
        problems.append(Problem(Level.ERROR, spec, at, message))
    if not isinstance(scheme.get("name"), str) or not scheme["name"]:
        message = "an apiKey needs the `name` of its header, query parameter or cookie"
        at = join_pointer(pointer, "name")
        problems.append(Problem(Level.ERROR, spec, at, message))
    return problems


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            yield ref[len(SCHEMA_PREFIX) :].split("/")[0]
        for value in node.values():
            yield from _refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs_in(value)


def _reachable(start: list[str], schemas: dict[str, Any]) -> set[str]:
    """The component schemas named in `start` and every one they reference, transitively."""
    pending, seen = list(start), set()
    while pending:
        name = pending.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            pending.extend(_refs_in(schemas[name]))
    return seen


def request_schema_names(document: dict[str, Any]) -> frozenset[str]:
    """The component schemas reachable from a JSON request body, read from the document alone.

    `ApiBuilder.request_models` says the same from the built operations; this
    one needs no models, so validation cases can be made while they are.
    """
    builder = ApiBuilder(document, {})
    bodies = (
        media
        for _, _, _, operation in iter_operations(document)
        for media in builder._model_media(operation.get("requestBody"))
    )
    return frozenset(
        _reachable(
            [
                name
                for media in bodies
                if isinstance(media, dict)
                for name in _refs_in(media.get("schema"))
            ],
            builder.schemas,
        )
    )


def validation_cases(
    document: dict[str, Any], request_models: Collection[str] | None = None
) -> dict[str, list[ValidationCase]]:
    """Every component schema's validation cases.

    The slow part of building the model, so it can run apart.
    """
    requests = (
        request_schema_names(document) if request_models is None else request_models
    )
    definitions = reference_definitions(document)
    pool = string_pool(document)
    builder = CaseBuilder(dict(definitions), pool)
    differ = request_definitions(document)
    request_builder = (
        CaseBuilder({**definitions, **differ}, pool) if differ else builder
    )
    return {
        name: (request_builder if name in requests else builder).cases(
            name, name in requests
        )
        for name in definitions
    }


def component_classes(
    document: dict[str, Any], classes: dict[str, ModelClass]
) -> dict[str, ModelClass]:
    """The classes the model is built from: the component schemas' own, in the spec's order.

    The classes datamodel-code-generator makes for inline objects matter only
    as members of their union (`root_members`), and its order of classes not
    at all: the same component classes always give the same model.
    """
    schemas = (document.get("components") or {}).get("schemas") or {}
    return {name: classes[name] for name in schemas if name in classes}


def _discriminated(
    document: dict[str, Any], classes: dict[str, ModelClass]
) -> tuple[str, ...]:
    """The component classes a discriminator picks, in the spec's order."""
    picked = {name for name, _ in discriminator_tags(document)}
    return tuple(name for name in classes if name in picked)


def _is_enum(classes: dict[str, ModelClass], name: str) -> bool:
    described = classes.get(name)
    return described is not None and described.kind == "enum"


def _multipart_files(operations: tuple[Operation, ...]) -> dict[str, set[str]]:
    """For each model sent only as multipart (never as JSON or a form, where a file is
    no value), the properties that are file parts."""
    kinds: dict[str, set[str]] = {}
    files: dict[str, set[str]] = {}
    for op in operations:
        for media in op.request_body.media if op.request_body else ():
            if media.parsed_type is None or not media.type.is_model_class:
                continue
            model = media.type.models[0]
            kinds.setdefault(model, set()).add(media.kind)
            files.setdefault(model, set()).update(
                f.name for f in media.fields if f.is_file
            )
    return {m: files[m] for m, used in kinds.items() if used == {"multipart"}}


def build_api(
    document: dict[str, Any],
    classes: dict[str, ModelClass],
    *,
    package: str,
    distribution: str,
    spec_label: str,
    cases: dict[str, list[ValidationCase]] | None = None,
    models_source: str | None = None,
) -> Api:
    """The intermediate model for one normalised document.

    `cases` when `validation_cases` already ran; `models_source`, the generated
    models module, for the plain-data form of request bodies (`params.py`).
    """
    classes = component_classes(document, classes)
    params = ParamsReader(models_source) if models_source is not None else None
    builder = ApiBuilder(document, classes, Path(spec_label), params)
    info = document.get("info") or {}
    operations, resources = group_by_tag(
        builder.operations(), document.get("tags"), CLIENT_ATTRIBUTES
    )
    request_models = builder.request_models(operations)
    servers = builder.servers()
    webhooks = builder.webhooks()
    examples = builder.examples(request_models)
    definitions = reference_definitions(document)
    if cases is None or request_schema_names(document) != frozenset(request_models):
        cases = validation_cases(document, request_models)
    model_cases = tuple(
        case
        for name, described in classes.items()
        if described.kind != "enum" and name in cases
        for case in cases[name]
    )
    return Api(
        title=str(info.get("title") or package),
        version=str(info.get("version") or "0.0.0"),
        description=str(info.get("description") or "").strip(),
        package=PythonIdentifier(package),
        distribution=distribution,
        spec_label=spec_label,
        servers=servers,
        operations=operations,
        security_schemes=builder.security_schemes(package, Path(spec_label)),
        model_names=tuple(classes),
        examples=tuple(e for e in examples if not _is_enum(classes, e.model)),
        enum_examples=tuple(e for e in examples if _is_enum(classes, e.model)),
        discriminated_models=_discriminated(document, classes),
        validation_cases=model_cases,
        schema_definitions=dict(definitions),
        request_definitions={
            name: schema
            for name, schema in request_definitions(document).items()
            if name in request_models  # what a request reaches, with its references
        },
        request_models=request_models,
        webhooks=webhooks,
        resources=resources,
        warnings=tuple(builder.warnings),
        body_params=params.definitions(
            [
                m
                for op in operations
                if op.request_body
                for media in op.request_body.media
                if media.parsed_type
                for m in media.type.models
            ],
            _multipart_files(operations),
        )
        if params is not None
        else (),
    )
