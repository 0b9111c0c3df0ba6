"""The intermediate model: everything templates may see, as plain typed dataclasses.

Templates only iterate these objects. Every decision (names, types, imports,
which response is the success, how a credential is sent) is made while
building the model, in `generator.intermediate.build`, never inside a template.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal
from urllib.parse import quote

from generator.conformance.cases import REMADE, ValidationCase
from generator.conformance.ecma import stored_pattern
from generator.intermediate.params import BodyParam, annotation_stdlib
from generator.intermediate.versions import package_version
from generator.media import BodyKind, essence, is_concrete, range_example
from generator.naming import ClassName, PythonIdentifier
from generator.problems import Problem
from generator.rendering.literals import string_literal

ParameterLocation = Literal["path", "query", "header", "cookie"]


def _one_entry_per_line(data: dict[str, Any]) -> str:
    """JSON with each schema and each case on a line of its own: small, and diffs read well."""

    dump = json.JSONEncoder(
        ensure_ascii=False
    ).encode  # one encoder for the thousands of entries

    def block(value: Any) -> str:
        if isinstance(value, dict) and value:
            return (
                "{\n"
                + ",\n".join(f"  {dump(k)}: {dump(v)}" for k, v in value.items())
                + "\n }"
            )
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(f"  {dump(v)}" for v in value) + "\n ]"
        return dump(value)

    return (
        "{\n"
        + ",\n".join(f" {dump(key)}: {block(value)}" for key, value in data.items())
        + "\n}"
    )


def _stored_cases(
    cases: tuple[ValidationCase, ...], request_models: Collection[str]
) -> list[dict[str, Any]]:
    """The cases as `validation_cases.json` stores them: a mutation as the case it
    changes, where, and what.

    Most cases are one change to a big valid instance: written out whole, the
    corpus's file was 10.8 MB. The generated tests rebuild each instance.
    """
    stored: list[dict[str, Any]] = []
    case_of: dict[int, str] = {}
    """A stored instance's object id → its case's id, for the cases made from it."""
    ids: set[str] = set()
    requests = frozenset(request_models)
    for case in cases:
        entry: dict[str, Any] = {
            "id": case.test_id,
            "model": case.model,
            "rule": case.rule_kind,
            "field": case.field_name,
            "request": case.model in requests,
            "valid": case.valid,
        }
        base = (
            case_of.get(id(case.mutation.base)) if case.mutation is not None else None
        )
        if case.mutation is None or base is None:
            entry["instance"] = case.instance
        else:
            entry |= {"from": base, **case.mutation.stored}
        stored.append(entry)
        if case.test_id not in ids:  # an id that is not unique cannot name a base
            ids.add(case.test_id)
            if case.held is not REMADE:  # a remade instance is the base of no case
                case_of.setdefault(id(case.held), case.test_id)
    return stored


_OPERATIONS_MODULE_NAMES = frozenset({"TYPE_CHECKING", "RESPONSE_CONTEXT"})
"""Upper-case names `_operations.py` already uses, which no endpoint constant may take."""


ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
"""The `ApiError` subclass `errors.py` raises for a status (`_BY_STATUS`); any other
5xx is a `ServerError`, any other status an `ApiError`."""


def _is_status_code(status: str) -> bool:
    """`"201"`, not `"4XX"`, `"default"` or `"2٠٠"` (Unicode digits are not a status code)."""
    return status.isascii() and status.isdigit()


@dataclass(frozen=True)
class TypeRef:
    """A Python type annotation plus what it needs imported.

    `annotation` is what users see (`JobRequest`, `list[str]`, `A | B`);
    `models` names the generated model classes it mentions; `stdlib` holds
    `(module, name)` pairs such as `("uuid", "UUID")`.
    """

    annotation: str
    """Model classes appear qualified by their module: `models.JobRequest`."""
    models: tuple[str, ...] = ()
    stdlib: tuple[tuple[str, str], ...] = ()
    root_model: str | None = None
    """Set when the spec names a RootModel whose `.root` is what callers get back."""
    is_model_class: bool = False
    """True when `annotation` is one generated pydantic model class."""

    has_fields: bool = False
    """True when that class is a `BaseModel`, not a `RootModel` (of a map, a list or a
    scalar): only a model with fields refuses, drops or keeps an unknown key by its
    `extra`; a map takes it as one more entry."""

    always_model: bool = False
    """True when every value of this type, as callers get it, is a pydantic model (no
    None, no list).
    """

    @cached_property
    def parsed_as(self) -> str:
        """What a body of this type is validated as: the RootModel when there is one
        (callers get its `.root`).
        """
        return self.root_model or self.annotation

    @cached_property
    def parsed_as_value(self) -> str:
        """`parsed_as` as an expression `_operations.py` evaluates with `models` a parameter.

        There a type checker reads `list[models.Pet]` as a type naming an
        undefined `models.Pet`, so a generic whose arguments mention a model is
        spelled `GenericAlias(list, (models.Pet,))`: the same type at run time.
        """
        return runtime_type(self.parsed_as)

    @cached_property
    def annotation_value(self) -> str:
        """`annotation` spelled the same way: a request body's type, what callers pass
        (a member of a RootModel's union, not the RootModel)."""
        return runtime_type(self.annotation)

    @cached_property
    def needs_generic_alias(self) -> bool:
        """Whether `parsed_as_value` or `annotation_value` names `types.GenericAlias`."""
        return "GenericAlias(" in self.parsed_as_value + self.annotation_value

    @cached_property
    def uses_adapter(self) -> bool:
        """Whether a value of this type is made from JSON data with pydantic's
        `TypeAdapter` (and `stdlib`, `models` imported): `partials/samples.jinja`'s
        `typed(type, data)`.
        """
        return not self.is_model_class and bool(self.models or self.stdlib)


def runtime_type(annotation: str) -> str:
    """`annotation` with each subscripted generic whose arguments mention `models.`
    spelled as a `GenericAlias` call.
    """
    if "[" not in annotation or "models." not in annotation:
        return annotation
    tree = ast.parse(annotation, mode="eval")

    class Spell(ast.NodeTransformer):
        def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
            self.generic_visit(node)
            if (
                not isinstance(node.value, ast.Name)
                or node.value.id in ("Literal", "Annotated")
                or "models." not in ast.unparse(node.slice)
            ):
                return node
            arguments = (
                node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            )
            return ast.Call(
                ast.Name("GenericAlias", ast.Load()),
                [node.value, ast.Tuple(list(arguments), ast.Load())],
                [],
            )

    return ast.unparse(Spell().visit(tree))


@dataclass(frozen=True)
class Constraints:
    """What a parameter's schema documents beyond its type, named as pydantic's `Field`
    names it: the client checks each before sending.

    `min_length`/`max_length` are a string's length or an array's number of items
    (`minLength`, `minItems`), as in pydantic. `gt`/`lt` come from either spelling
    of `exclusiveMinimum`/`exclusiveMaximum` (3.0's flag, 3.1's bound).
    """

    ge: int | float | None = None
    gt: int | float | None = None
    le: int | float | None = None
    lt: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    """ECMA-262, as the spec writes it; set only when an engine can run it."""
    unique_items: bool = False
    format: str | None = None
    """A string format checked beyond the type (`uri`, `ipv4`, `ipv6`, `time`,
    `email`)."""
    counted: Literal["characters", "items"] = "characters"
    """What `min_length` and `max_length` count: a string's or an array's."""

    @cached_property
    def field_keywords(self) -> tuple[tuple[str, int | float], ...]:
        """The numeric keywords that are set, as (pydantic `Field` name, value)."""
        named = (
            ("ge", self.ge),
            ("gt", self.gt),
            ("le", self.le),
            ("lt", self.lt),
            ("multiple_of", self.multiple_of),
            ("min_length", self.min_length),
            ("max_length", self.max_length),
        )
        return tuple((name, value) for name, value in named if value is not None)

    @cached_property
    def summary(self) -> str:
        """The constraints in words, for a docstring: `at least 1, at most 100`."""
        words = {
            "ge": "at least {}",
            "gt": "more than {}",
            "le": "at most {}",
            "lt": "less than {}",
            "multiple_of": "a multiple of {}",
            "min_length": f"at least {{}} {self.counted}",
            "max_length": f"at most {{}} {self.counted}",
        }
        parts = [words[name].format(value) for name, value in self.field_keywords]
        if self.pattern is not None:
            parts.append(f"matching `{self.pattern}`")
        if self.unique_items:
            parts.append("unique items")
        if self.format is not None:
            parts.append(f"format {self.format}")
        return ", ".join(parts)


SampleKind = Literal["data", "model", "enum", "uuid", "date-time", "date", "list"]


@dataclass(frozen=True)
class Sample:
    """A valid value for generated tests and examples, as what it means; the
    `partials/samples.jinja` macros write it as Python.

    `value` is the JSON data. `kind` says what Python value is made of it: the
    data itself (`data`), the data validated by the model class `class_name`
    (`model`) or the member of its enum (`enum`), a `UUID`, `datetime` or `date`
    of the string (`uuid`, `date-time`, `date`), or a list of `items`.
    """

    value: Any = None
    kind: SampleKind = "data"
    class_name: str = ""
    items: tuple[Sample, ...] = ()
    stdlib: tuple[tuple[str, str], ...] = ()
    """`(module, name)` imports the Python value needs, its items' included."""


@dataclass(frozen=True)
class Parameter:
    """One operation parameter (path, query, header or cookie)."""

    name: str
    """The name on the wire, exactly as the spec spells it."""
    python_name: PythonIdentifier
    location: ParameterLocation
    required: bool
    type: TypeRef
    description: str
    default: Any = None
    has_default: bool = False
    explode: bool = True
    deprecated: bool = False
    sample: Sample = field(default_factory=Sample)
    """A valid value, for generated tests and examples."""
    encoded_sample: str = ""
    """The sample as it appears in a URL path."""
    constraints: Constraints = field(default_factory=Constraints)
    """The documented constraints of the value itself (an array's items have theirs
    in `checked`)."""
    checked: TypeRef | None = None
    """What a value is validated as before sending: `type` with strict scalars and
    every constraint (`Annotated[StrictInt, Field(ge=1)] | None`); None when
    `type` says it all."""

    invalid_sample: Sample | None = None
    """A value the check refuses (JSON data), for the generated tests; None when
    none is known."""
    invalid_rule: str = ""
    """What `invalid_sample` breaks: `ge`, `max_length`, `enum`, `type`..."""

    @cached_property
    def sample_stdlib(self) -> tuple[tuple[str, str], ...]:
        """What the sample's Python value needs imported."""
        return self.sample.stdlib

    @cached_property
    def checked_type(self) -> TypeRef:
        return self.checked if self.checked is not None else self.type

    @cached_property
    def takes_any_text(self) -> bool:
        """Whether every string passes the parameter's check (`.` and `..` too)."""
        return self.checked_type.annotation.removesuffix(" | None") in (
            "StrictStr",
            "Any",
        )


@dataclass(frozen=True)
class ExampleNeeds:
    """What a README example imports: standard library names, `TypeAdapter`, models."""

    stdlib: tuple[tuple[str, str], ...]
    adapter: bool
    models: bool


@dataclass(frozen=True)
class BodyField:
    """How one property of a form or multipart body is sent: its media type's `encoding`."""

    name: str
    """The property's name, as the spec spells it."""
    style: str = "form"
    """`form`, `spaceDelimited`, `pipeDelimited` or `deepObject` (urlencoded forms)."""
    explode: bool = True
    content_type: str = ""
    """A multipart part's own type when the spec sets one (`application/json` parts)."""
    is_file: bool = False
    """A multipart file part (`format: binary`): bytes, a file object or a tuple."""

    @cached_property
    def is_default(self) -> bool:
        """Sent as a plain field: nothing for `Endpoint` to say about it."""
        return (
            self.style == "form"
            and self.explode
            and not self.content_type
            and not self.is_file
        )


@dataclass(frozen=True)
class BodyMedia:
    """One media type a request body can be sent as, and how."""

    content_type: str
    """As the spec writes it (`application/json`, `image/*`)."""
    kind: BodyKind
    type: TypeRef
    """What callers pass: the schema's type; `str` for text, bytes or a file for binary."""
    fields: tuple[BodyField, ...] = ()
    """Form and multipart properties that are not plain fields, in the spec's order."""

    @cached_property
    def parsed_type(self) -> TypeRef | None:
        """The type `Endpoint` validates a JSON, form or multipart body as; None for
        text and bytes, which are sent as given."""
        return self.type if self.kind in ("json", "form", "multipart") else None


@dataclass(frozen=True)
class BodyKeyword:
    """A top-level field of an object body, as a keyword argument of the method: callers
    may pass the body's fields instead of `body=`."""

    name: PythonIdentifier
    """The keyword: the model's attribute, made unique among the method's other
    arguments (its parameters, `body`, `content_type`, the per-call options)."""
    key: str
    """The field's name on the wire, which the client puts the value under."""
    type: TypeRef
    """What the keyword takes: the TypedDict key's type (`models.Probe | params.ProbeParam`)."""
    required: bool
    description: str = ""


@dataclass(frozen=True)
class RequestBody:
    """The body of an operation: each media type the spec allows, the default first."""

    content_type: str
    """The default media type: JSON when the spec allows it."""
    type: TypeRef
    """The default media type's type (what examples and tests send)."""
    required: bool
    description: str
    media: tuple[BodyMedia, ...] = ()
    """Every media type, in the order a client prefers them (`generator.media.preferred`)."""
    union: TypeRef | None = None
    """The union of the media types' types, when they differ."""
    plain: TypeRef | None = None
    """What callers pass with plain data: each model also as its `params.py` form
    (`models.JobRequest | params.JobRequestParam`); None when no model is taken."""
    plain_name: str = ""
    """The default media type's model's plain form, when it is a model
    (`params.JobRequestParam`); else empty."""
    keywords: tuple[BodyKeyword, ...] = ()
    """For an object body (a model, whatever the media type): its top-level fields as
    keyword arguments, in the model's order; empty for any other body."""

    @cached_property
    def signature(self) -> TypeRef:
        """What callers pass, as the method's `body` annotation says it."""
        return self.plain or self.union or self.type

    @cached_property
    def takes_dict(self) -> bool:
        """A media type's body is a model but there is no typed plain form of it (no
        `plain`), so the method takes any dict, validated into it."""
        return self.plain is None and (
            any(m.type.is_model_class for m in self.media)
            or (not self.media and self.type.is_model_class)
        )

    @cached_property
    def required_keywords(self) -> tuple[BodyKeyword, ...]:
        return tuple(k for k in self.keywords if k.required)

    @cached_property
    def kind(self) -> BodyKind:
        return self.media[0].kind if self.media else "json"

    @cached_property
    def is_plain_json(self) -> bool:
        """Sent as `application/json` only: `Endpoint.body` says all there is."""
        return (
            len(self.media) == 1
            and self.kind == "json"
            and essence(self.content_type) == "application/json"
        )

    @cached_property
    def content_type_annotation(self) -> str:
        """The `content_type` argument's type; empty when the method takes none.

        A `Literal` of the media types when there are several; `str` when the one
        media type is a range (`image/*`), which the caller makes concrete.
        """
        types = [m.content_type for m in self.media]
        if any(not is_concrete(t) for t in types):
            return "str"
        if len(types) > 1:
            return "Literal[" + ", ".join(string_literal(t) for t in types) + "]"
        return ""

    @cached_property
    def alternative(self) -> str | None:
        """Another media type taking the default's body as it is, for examples."""
        return self.alternatives[0].content_type if self.alternatives else None

    @cached_property
    def alternatives(self) -> tuple[BodyMedia, ...]:
        """The other concrete media types taking the default's body as it is: the
        generated tests send the example body as each."""
        first = self.media[0] if self.media else None
        return tuple(
            m
            for m in self.media[1:]
            if first and m.type == first.type and is_concrete(m.content_type)
        )

    @cached_property
    def content_type_default(self) -> str | None:
        """The `content_type` argument's default; None when the caller must give one
        (a range such as `image/*` has no type to assume)."""
        first = self.content_type
        if is_concrete(first):
            return first
        if essence(first) in ("*/*", "application/*"):
            return "application/octet-stream"
        return None

    @cached_property
    def content_type_sample(self) -> str:
        """What examples and tests pass as `content_type` when it has no default."""
        return range_example(self.content_type)

    @cached_property
    def argument_type(self) -> TypeRef | None:
        """The type an example body is validated into (`samples.body` names it, and
        its imports), None for text and bytes: the default media type's."""
        return self.media[0].type if self.kind not in ("binary", "text") else None


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: str
    """`"201"`, `"4XX"` or `"default"`, as the spec writes it."""
    description: str
    content_type: str | None
    """The media type read, of those the response documents: JSON first, then text,
    then bytes (`generator.media.preferred`)."""
    type: TypeRef | None
    is_success: bool
    kind: BodyKind = "json"
    """How the body is read: JSON into `type`, text as `str`, anything else as `bytes`."""


@dataclass(frozen=True)
class Operation:
    """One HTTP operation, which becomes one method on each client."""

    operation_id: str
    method_name: PythonIdentifier
    http_method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    """Alternatives (OR) of scheme-name sets (AND); empty means no auth needed."""
    body_example: Any = None
    """A valid JSON request body: the spec's first valid example, else one built from
    the schema; None when neither.
    """
    success_example: Any = None
    """A valid JSON success response body, found like `body_example`; None when there is none."""
    wrong_success_body: Any = None
    """JSON that the success response's schema refuses, for the generated tests of an
    invalid response.
    """
    has_wrong_success_body: bool = False
    """Whether there is such JSON (a schema accepting any JSON has none)."""
    stream_method_name: PythonIdentifier | None = None
    """The method reading a binary or text success as it arrives (`<method>_stream`),
    for large downloads and endless streams (NDJSON events); None when the success
    is JSON or there is none."""

    @cached_property
    def signature_types(self) -> list[TypeRef]:
        """Every type the clients' method for this operation mentions."""
        types = [p.type for p in self.parameters]
        if self.request_body:
            types.append(self.request_body.signature)
            types.extend(k.type for k in self.request_body.keywords)
        types.extend(r.type for r in self.responses if r.type and r.is_success)
        return types

    @cached_property
    def stream_call_path(self) -> str:
        """How a client reaches the streamed variant, as `call_path` the method."""
        prefix = self.call_path[: len(self.call_path) - len(self.method_name)]
        return prefix + (self.stream_method_name or "")

    @cached_property
    def stream_endpoint_name(self) -> str:
        """The constant in `_operations.py` describing the streamed variant."""
        return (self.stream_method_name or "").upper()

    resource: str = ""
    """The attribute of the clients that holds this operation's `Resource` (`jobs`),
    or empty when the operation is a method of the clients themselves.
    """
    owner: str = "Client"
    """The class defining the synchronous method: `Client`, or its resource's class
    (`Jobs`); `Async`, `Raw` and `AsyncRaw` before it name the other three.
    """

    @cached_property
    def call_path(self) -> str:
        """How a client reaches the method: `jobs.create_job`, or `create_job`."""
        if not self.resource:
            return self.method_name
        return f"{self.resource}.{self.method_name}"

    @cached_property
    def refused_parameters(self) -> tuple[Parameter, ...]:
        """The parameters with an `invalid_sample`, for the generated tests of a call
        passing it with everything else valid. Empty when the call needs a body and
        there is no example of one."""
        if not self.is_client_tested:
            return ()
        return tuple(p for p in self.parameters if p.invalid_sample is not None)

    @cached_property
    def requires_credential(self) -> bool:
        """Every alternative of the operation's security needs a credential."""
        return bool(self.security) and () not in self.security

    @cached_property
    def raised(self) -> tuple[tuple[str, str], ...]:
        """What a call raises, as (exception class, when) for its docstring: the class
        of each documented error status (`errors.py` picks them alike), then what any
        call may raise.
        """
        documented: dict[str, list[str]] = {}
        for response in self.error_responses:
            status = response.status.upper()
            if _is_status_code(status):
                code = int(status)
                name = ERROR_CLASSES.get(
                    code, "ServerError" if code >= 500 else "ApiError"
                )
            else:
                name = "ServerError" if status == "5XX" else "ApiError"
            shown = "any other status" if status == "DEFAULT" else f"HTTP {status}"
            # One line: a paragraph break (PagerDuty's) would end the Raises entry.
            description = " ".join(response.description.split()).rstrip(".")
            documented.setdefault(name, []).append(
                f"{shown} ({description})" if description else shown
            )
        raised = [
            (name, "For " + "; ".join(whens) + ".")
            for name, whens in documented.items()
            if name != "ApiError"
        ]
        other = "; ".join(documented.get("ApiError", []))
        raised.append(
            (
                "ApiError",
                "For any other status than a documented success"
                + (f": {other}." if other else "."),
            )
        )
        if self.success is not None and self.success.type is not None:
            raised.append(
                (
                    "ResponseValidationError",
                    "When a success body does not match the spec.",
                )
            )
        raised.append(
            (
                "RequestValidationError",
                "Before sending, when a parameter or the body does not match the spec.",
            )
        )
        if self.requires_credential:
            raised.append(
                ("MissingCredentialError", "Before sending, when no credential is set.")
            )
        raised.append(
            (
                "TransportError",
                "When no response arrived (`TotalTimeoutError` past the total timeout).",
            )
        )
        return tuple(raised)

    @cached_property
    def has_body_example(self) -> bool:
        return self.request_body is not None and self.body_example is not None

    @cached_property
    def sample_parameters(self) -> tuple[Parameter, ...]:
        """The parameters a call with samples passes: the required ones."""
        return tuple(p for p in self.parameters if p.required)

    @cached_property
    def sample_content_type(self) -> str | None:
        """The `content_type` a call with the example body must pass: None when the
        body's media type is the default or there is no example body."""
        body = self.request_body
        if body is None or self.body_example is None:
            return None
        if body.content_type_annotation and body.content_type_default is None:
            return body.content_type_sample
        return None

    @cached_property
    def body_constant(self) -> str:
        """The generated client tests' constant holding the example body."""
        return f"BODY_{self.method_name.upper()}"

    @cached_property
    def result_constant(self) -> str:
        """The generated client tests' constant holding the example success body."""
        return f"RESULT_{self.method_name.upper()}"

    @cached_property
    def client_test_constants(self) -> list[tuple[str, Any]]:
        """The generated client tests' constants for this operation: the example body
        and success body it has.
        """
        constants = [
            (self.body_constant, self.body_example),
            (self.result_constant, self.success_example),
        ]
        return [(name, value) for name, value in constants if value is not None]

    @cached_property
    def is_client_tested(self) -> bool:
        """The generated client tests can call it: it takes no body, or there is a valid
        one (`body_example`).
        """
        return self.request_body is None or self.body_example is not None

    @cached_property
    def checked_success_status(self) -> int | None:
        """The status the generated client tests answer a call with, or None when they
        cannot check a success.

        A success with a body needs a valid one (`success_example`) to be mocked.
        """
        success = self.success
        if success is None or (
            success.type is not None and self.success_example is None
        ):
            return None
        return int(success.status) if _is_status_code(success.status) else 200

    @cached_property
    def sample_stdlib(self) -> tuple[tuple[str, str], ...]:
        """Imports the required parameters' samples need."""
        return tuple(
            sorted({s for p in self.parameters if p.required for s in p.sample_stdlib})
        )

    @cached_property
    def first_error(self) -> Response | None:
        """The first documented error with a concrete status code, for generated tests."""
        return next(
            (r for r in self.error_responses if _is_status_code(r.status)), None
        )

    @cached_property
    def pointer(self) -> str:
        """Where the operation is in the spec, as a JSON pointer."""
        return (
            "/paths/"
            + self.path.replace("~", "~0").replace("/", "~1")
            + "/"
            + self.http_method.lower()
        )

    @cached_property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @cached_property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @cached_property
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @cached_property
    def cookie_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "cookie")

    @cached_property
    def success(self) -> Response | None:
        """The first documented 2xx response: what the method returns."""
        return next((r for r in self.responses if r.is_success), None)

    @cached_property
    def sample_path(self) -> str:
        """The URL path for the parameters' samples, percent-encoded like the client does."""
        path = "".join(
            piece if piece.startswith("{") else _percent_encoded_as_httpx(piece)
            for piece in _TEMPLATE_PIECES.split(self.path)
        )
        for parameter in self.path_parameters:
            path = path.replace("{" + parameter.name + "}", parameter.encoded_sample)
        # A `.` or `..` segment goes as `%2E`/`%2E%2E`, or the URL would lose it.
        return "/".join(
            segment.replace(".", "%2E") if segment in (".", "..") else segment
            for segment in path.split("/")
        )

    @cached_property
    def return_annotation(self) -> str:
        success = self.success
        return success.type.annotation if success and success.type else "None"

    @cached_property
    def accept(self) -> str:
        """The `Accept` header: the media type each response is read as, successes
        first; empty when no response has a body."""
        read = [r.content_type for r in self.responses if r.content_type]
        return ", ".join(dict.fromkeys(read))

    @cached_property
    def error_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if not r.is_success)

    @cached_property
    def endpoint_name(self) -> str:
        """The constant in `_operations.py` that describes this operation: `CREATE_JOB`."""
        name = self.method_name.upper()
        return f"{name}_" if name in _OPERATIONS_MODULE_NAMES else name

    @cached_property
    def keyword_only(self) -> bool:
        """Whether the method has keyword-only parameters besides the per-call options
        (the body, optional parameters).
        """
        return self.request_body is not None or any(
            not p.required for p in self.parameters
        )

    @cached_property
    def outcomes(self) -> tuple[Response, ...]:
        """The responses a call reads, in the spec's order: successes, and errors with a body.

        Errors without a body are left out: any undocumented status raises the same way.
        """
        return tuple(r for r in self.responses if r.is_success or r.type is not None)

    def error_kind(self, status: int) -> BodyKind | None:
        """How the client reads the error body of `status` (`ApiError.parsed`): the kind
        of the first of `outcomes` that matches it, as `Outcome.matches` does; None
        when none does.
        """
        for response in self.outcomes:
            code = response.status
            if (
                code == "default"
                or (_is_status_code(code) and int(code) == status)
                or (code[1:].upper() == "XX" and code[0] == str(status // 100))
            ):
                return None if response.is_success else response.kind
        return None


@dataclass(frozen=True)
class Resource:
    """The operations of one tag, which the clients reach as `client.<attribute_name>`.

    Only an API whose operations carry at least two tags has resources (see
    `generator.intermediate.resources` for the rule); every other keeps its
    operations as methods of the clients.
    """

    tag: str
    """The tag, as the spec spells it."""
    attribute_name: PythonIdentifier
    """The clients' attribute holding it (`jobs`), unique and safe."""
    class_name: ClassName
    """The synchronous class (`Jobs`); the others are `raw_class_name` and the async
    ones, all four free in the client modules.
    """
    description: str
    """The `description` of the spec's `tags` entry, or empty."""
    operations: tuple[Operation, ...]

    @cached_property
    def raw_class_name(self) -> str:
        return f"Raw{self.class_name}"

    @cached_property
    def async_class_name(self) -> str:
        return f"Async{self.class_name}"

    @cached_property
    def async_raw_class_name(self) -> str:
        return f"AsyncRaw{self.class_name}"


@dataclass(frozen=True)
class SecurityScheme:
    """A way to authenticate, which becomes one credential class in `auth.py`."""

    key: str
    """The scheme's name in `components/securitySchemes`."""
    class_name: ClassName
    kind: Literal["bearer", "basic", "apiKey"]
    location: Literal["header", "query", "cookie"]
    parameter_name: str
    """The header, query parameter or cookie carrying the credential."""
    value_prefix: str
    """Put before the secret: `"Bearer "`, `"Token "`, or nothing."""
    description: str
    env_var: str = ""
    """The environment variable a client reads this credential from when given none."""

    @cached_property
    def pointer(self) -> str:
        return "/components/securitySchemes/" + self.key.replace("~", "~0").replace(
            "/", "~1"
        )

    @cached_property
    def sample_secrets(self) -> tuple[str, ...]:
        """Dummy constructor arguments for a credential in examples and tests."""
        return ("user", "secret") if self.kind == "basic" else ("secret",)

    @cached_property
    def sample_sent(self) -> str:
        """What the credential of `sample_secrets` puts in its header, cookie or query
        parameter."""
        if self.kind == "basic":
            return "Basic dXNlcjpzZWNyZXQ="
        return self.value_prefix + "secret"

    @cached_property
    def secret_name(self) -> str:
        """The constructor argument holding the secret (basic auth takes two)."""
        return "token" if self.kind == "bearer" else "key"


@dataclass(frozen=True)
class Server:
    """One of the spec's `servers`."""

    url: str
    """As the spec writes it (without a trailing slash), `{variables}` included."""
    description: str
    variables: tuple[ServerVariable, ...] = ()

    @cached_property
    def resolved_url(self) -> str:
        """`url` with each variable's default put in; empty when a variable has no default."""
        url = self.url
        for variable in self.variables:
            url = url.replace("{" + variable.name + "}", variable.default)
        return "" if re.search(r"\{[^{}]*\}", url) else url.rstrip("/")

    @cached_property
    def is_absolute(self) -> bool:
        """Whether `resolved_url` can be a client's base URL: a scheme and a host
        (`/api/v1` is relative to the spec's own URL, which a client does not know).
        """
        return (
            re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+", self.resolved_url)
            is not None
        )


@dataclass(frozen=True)
class ServerVariable:
    """A `{name}` in a server URL: its default, and the values the spec allows (any,
    when `enum` is empty).
    """

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Webhook:
    """A request the API sends (3.1 `webhooks`), which becomes a typed parser of its
    JSON payload in `webhooks.py`.
    """

    name: str
    """The webhook's key in `webhooks`."""
    method: str
    function_name: PythonIdentifier
    """`parse_webhook_<name>`, unique and safe."""
    content_type: str
    type: TypeRef
    """The payload's type."""
    summary: str
    description: str
    example: Any = None
    """A valid payload: the spec's first valid example, else one built from the schema;
    None when neither.
    """

    @cached_property
    def pointer(self) -> str:
        return (
            "/webhooks/"
            + self.name.replace("~", "~0").replace("/", "~1")
            + "/"
            + self.method.lower()
        )


@dataclass(frozen=True)
class Example:
    """A named example instance of a model, taken from the spec."""

    model: str
    pointer: str
    value: Any
    is_request: bool = False
    """Request models are strict; examples of other models validate as responses."""

    @cached_property
    def is_object(self) -> bool:
        return isinstance(self.value, dict)

    @cached_property
    def test_id(self) -> str:
        """A readable pytest id: `JobRequest-examples-0`."""
        return self.model + "-" + "-".join(self.pointer.rsplit("/", 2)[-2:])


@dataclass
class Api:
    """The whole API as templates see it."""

    title: str
    version: str
    description: str
    package: PythonIdentifier
    distribution: str
    """The pip name of the generated distribution (`qovery-jobs`)."""
    spec_label: str
    """How generated headers name the spec: a stable, machine-independent path."""
    servers: tuple[Server, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    model_names: tuple[str, ...]
    """The component schemas' classes, in the spec's order (classes for inline objects
    are not listed).
    """
    examples: tuple[Example, ...] = ()
    """The valid examples of model classes (RootModels included)."""
    enum_examples: tuple[Example, ...] = ()
    """The valid examples of enum components: each is one member's value."""
    discriminated_models: tuple[str, ...] = ()
    """The model classes a discriminator picks (their tag property is narrowed to
    the values it gives them), in the spec's order."""
    validation_cases: tuple[ValidationCase, ...] = ()
    """Valid and invalid instances of every model, judged by the reference validator."""
    schema_definitions: dict[str, Any] = field(default_factory=dict)
    """Every component schema as JSON Schema 2020-12 `$defs`: what the reference
    validates against.
    """
    request_definitions: dict[str, Any] = field(default_factory=dict)
    """The `$defs` a request reads otherwise (`intermediate.definitions`), laid over
    `schema_definitions` for a request model's cases."""
    request_models: tuple[str, ...] = ()
    """Schemas reachable from a request body: their models are strict."""
    model_dependencies: tuple[str, ...] = ()
    """Extra requirements the models and parameter checks need (`email-validator`
    for `format: email`)."""
    webhooks: tuple[Webhook, ...] = ()
    """The requests the API sends, with a JSON payload, in spec order."""
    resources: tuple[Resource, ...] = ()
    """The operations grouped by tag; empty when the clients keep them all as methods."""
    warnings: tuple[Problem, ...] = ()
    """What generation reports about the spec without failing (examples that break their
    schema, webhooks without a JSON payload).
    """
    body_params: tuple[BodyParam, ...] = ()
    """What `params.py` defines: the plain-data form of each model reachable from a
    request body, in the models module's order."""

    @property
    def params_stdlib(self) -> tuple[tuple[str, str], ...]:
        """What `params.py` imports for the types its TypedDicts name."""
        return tuple(
            sorted(
                {
                    s
                    for p in self.body_params
                    for a in [p.alias, *(k.annotation for k in p.keys)]
                    if a
                    for s in annotation_stdlib(a)
                }
            )
        )

    @property
    def params_use_models(self) -> bool:
        """Whether `params.py` names a model (`models.Probe | ProbeParam`)."""
        return any(
            "models." in a
            for p in self.body_params
            for a in [p.alias, *(k.annotation for k in p.keys)]
        )

    @property
    def clients_use_params(self) -> bool:
        """Whether the clients' method signatures name `params.py`."""
        return any("params." in t.annotation for t in self._signature_types())

    @property
    def body_keywords(self) -> bool:
        """Whether some method takes its body's fields as keywords (`@overload`s)."""
        return any(o.request_body and o.request_body.keywords for o in self.operations)

    @property
    def client_operations(self) -> tuple[Operation, ...]:
        """The operations that are methods of the clients themselves: every one when
        there are no resources, else those without a tag.
        """
        return tuple(o for o in self.operations if not o.resource)

    @property
    def default_base_url(self) -> str:
        """The first server's URL with its variables' defaults, when that is absolute;
        else empty: then clients need `base_url`.
        """
        return (
            self.servers[0].resolved_url
            if self.servers and self.servers[0].is_absolute
            else ""
        )

    @property
    def example_base_url(self) -> str:
        """What the README's examples pass as `base_url`: `default_base_url`, else a
        placeholder host before the spec's relative URL.
        """
        if self.default_base_url:
            return self.default_base_url
        relative = self.servers[0].resolved_url if self.servers else ""
        path = relative if relative.startswith("/") else ""
        return "https://your-server.example" + path

    @property
    def server_variables(self) -> tuple[ServerVariable, ...]:
        """The first server's variables (the URL `default_base_url` is made from)."""
        return self.servers[0].variables if self.servers else ()

    @property
    def webhook_stdlib(self) -> tuple[tuple[str, str], ...]:
        """What `webhooks.py` imports for the payload types it names."""
        return tuple(sorted({s for w in self.webhooks for s in w.type.stdlib}))

    @property
    def package_version(self) -> str:
        """`info.version` as a PEP 440 version, else 0.0.0 (generation warns)."""
        return package_version(self.version)

    @property
    def primary_scheme(self) -> SecurityScheme | None:
        """The scheme examples and tests authenticate with: the first header-based one."""
        return next((s for s in self.security_schemes if s.location == "header"), None)

    @property
    def showcase(self) -> Operation | None:
        """The operation the README shows: the first one whose inputs have examples."""
        usable = [
            o for o in self.operations if o.request_body is None or o.has_body_example
        ]
        return usable[0] if usable else None

    @property
    def body_showcase(self) -> Operation | None:
        """The operation the README's `body_styles` example calls: the first whose
        object body takes its fields as keywords and has an example made of some of
        them (`{}` would show no keyword, and a key that is no field none either),
        so the three styles send the same request."""
        return next(
            (
                o
                for o in self.operations
                if o.request_body
                and o.request_body.keywords
                and o.request_body.plain_name
                and isinstance(o.body_example, dict)
                and o.body_example
                and o.body_example.keys() <= {k.key for k in o.request_body.keywords}
            ),
            None,
        )

    @property
    def validation_rules(self) -> tuple[str, ...]:
        """The rule kinds of the invalid cases, sorted: one generated test each."""
        return tuple(
            sorted({c.rule_kind for c in self.validation_cases if not c.valid})
        )

    @property
    def validation_data(self) -> str:
        """The validation cases and reference schemas as JSON, for the generated tests to load."""
        cases = _stored_cases(self.validation_cases, self.request_models)
        patterns = {
            p: stored_pattern(p) for p in sorted(_patterns_in(self.schema_definitions))
        }
        data = {
            "generated": self.header,
            "$defs": self.schema_definitions,
            **(
                {"request_defs": self.request_definitions}
                if self.request_definitions
                else {}
            ),
            "patterns": patterns,
            "cases": cases,
        }
        return _one_entry_per_line(data)

    @property
    def uses_basic_auth(self) -> bool:
        return any(s.kind == "basic" for s in self.security_schemes)

    @property
    def operation_stdlib(self) -> tuple[tuple[str, str], ...]:
        """What `_operations.py` imports for the request and response types it names."""
        types = [
            r.type
            for o in self.operations
            for r in o.responses
            if r.type and r.kind == "json"
        ]
        types += [
            m.type
            for o in self.operations
            if o.request_body
            for m in o.request_body.media
            if m.parsed_type
        ]
        types += [p.checked_type for o in self.operations for p in o.parameters]
        needed = {s for t in types for s in t.stdlib}
        if any(t.needs_generic_alias for t in types):
            needed.add(("types", "GenericAlias"))
        return tuple(sorted(needed))

    @property
    def extras_showcase(self) -> Operation | None:
        """The operation the generated tests send `extra_*` with: the first one they call
        and answer with a success, read as JSON or without a body."""
        return next(
            (
                o
                for o in self.operations
                if o.is_client_tested
                and o.checked_success_status is not None
                and (
                    o.success is None
                    or o.success.type is None
                    or o.success.kind == "json"
                )
            ),
            None,
        )

    @property
    def check_helpers(self) -> tuple[str, ...]:
        """What `_operations.py` imports from `_endpoint.py` for its parameter checks."""
        needed = "AfterValidator(unique_items)"
        return (
            ("unique_items",)
            if any(
                needed in p.checked_type.annotation
                for o in self.operations
                for p in o.parameters
            )
            else ()
        )

    @property
    def media_examples(self) -> tuple[tuple[str, Operation], ...]:
        """What the README's `bodies` example shows: the first operation of each way
        a body goes that is not plain JSON, when its inputs have samples.

        `choice` (a `content_type` to pick), `form`, `multipart`, `binary`, `text`,
        `text_response` and `download` (a streamed variant).
        """
        found: dict[str, Operation] = {}
        streams: dict[str, Operation] = {}
        for op in self.operations:
            body = op.request_body
            if body is not None and not op.has_body_example:
                continue
            if body is not None and body.alternative:
                found.setdefault("choice", op)
            if body is not None and body.kind != "json":
                found.setdefault(body.kind, op)
            success = op.success
            text = success is not None and success.type and success.kind == "text"
            if text and op not in found.values():
                found.setdefault("text_response", op)
            if op.stream_method_name and success is not None:
                # A download of bytes shows best; else a text stream, line by line.
                if success.kind == "binary":
                    found.setdefault("download", op)
                else:
                    streams.setdefault("download", op)
        found = {**streams, **found}
        order = ("choice", "form", "multipart", "binary", "text", "text_response")
        return tuple((k, found[k]) for k in (*order, "download") if k in found)

    @property
    def media_example_needs(self) -> ExampleNeeds:
        """What the `bodies` example imports for its samples."""
        shown = [op for _, op in self.media_examples]
        types = [
            op.request_body.argument_type
            for op in shown
            if op.request_body and op.has_body_example and op.request_body.argument_type
        ]
        stdlib = {s for op in shown for s in op.sample_stdlib}
        stdlib |= {s for t in types if t.uses_adapter for s in t.stdlib}
        return ExampleNeeds(
            tuple(sorted(stdlib)),
            any(t.uses_adapter for t in types),
            any(t.models for t in types),
        )

    @property
    def media_kinds(self) -> frozenset[str]:
        """The body kinds the API uses (`generator.media.BodyKind`), requests'
        and responses', with `choice` when a body has several media types."""
        kinds: set[str] = set()
        for op in self.operations:
            if op.request_body:
                kinds |= {m.kind for m in op.request_body.media}
                if len(op.request_body.media) > 1:
                    kinds.add("choice")
            kinds |= {r.kind for r in op.responses if r.type}
        return frozenset(kinds)

    @property
    def media_operations(self) -> tuple[Operation, ...]:
        """The operations with a body or a response other than plain JSON."""
        return tuple(
            op
            for op in self.operations
            if (op.request_body and not op.request_body.is_plain_json)
            or any(r.type and r.kind != "json" for r in op.responses)
        )

    @property
    def streams(self) -> bool:
        """Whether any operation has a streamed variant (`Download`)."""
        return any(o.stream_method_name for o in self.operations)

    @property
    def endpoint_names(self) -> tuple[str, ...]:
        """What `_operations.py` imports from `_endpoint` for its endpoints."""
        bodies = [o.request_body for o in self.operations if o.request_body]
        names = ["Endpoint", "Outcome"]
        if any(m.fields for b in bodies for m in b.media):
            names.insert(0, "Encoding")
        if any(not b.is_plain_json for b in bodies):
            names.insert(-1, "Media")
        return tuple(names)

    @property
    def clients_use_models(self) -> bool:
        """Whether the clients' method signatures mention any model."""
        return any(t.models for t in self._signature_types())

    @property
    def client_stdlib(self) -> tuple[tuple[str, str], ...]:
        needed = {s for t in self._signature_types() for s in t.stdlib}
        if any(
            o.request_body.content_type_annotation.startswith("Literal[")
            for o in self.operations
            if o.request_body
        ):
            needed.add(("typing", "Literal"))
        return tuple(sorted(needed))

    def _signature_types(self) -> list[TypeRef]:
        """Every type the clients' method signatures mention."""
        return [t for o in self.operations for t in o.signature_types]

    @property
    def header(self) -> str:
        """The first lines of every generated Python file."""
        return f"Generated by specgen from {self.spec_label}. Do not edit by hand."


_TEMPLATE_PIECES = re.compile(r"(\{[^{}]*\})")
_PATH_ENCODED = frozenset(' "<>`')
"""What httpx percent-encodes in a path (WHATWG's set), beside controls and non-ASCII;
`?`, `#` and braces never reach a path's literal text."""


def _percent_encoded_as_httpx(text: str) -> str:
    return "".join(
        c if " " < c < "\x7f" and c not in _PATH_ENCODED else quote(c, safe="")
        for c in text
    )


def _patterns_in(node: Any) -> set[str]:
    """Every `pattern` string in a set of schemas."""
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns_in(value) for value in node))
    return set()
