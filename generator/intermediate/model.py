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
from typing import Any, Literal

from generator.conformance.cases import ValidationCase
from generator.conformance.ecma import stored_pattern
from generator.intermediate.versions import package_version
from generator.naming import ClassName, PythonIdentifier
from generator.problems import Problem

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
            case_of.setdefault(id(case.instance), case.test_id)
    return stored


_OPERATIONS_MODULE_NAMES = frozenset({"TYPE_CHECKING", "RESPONSE_CONTEXT"})
"""Upper-case names `_operations.py` already uses, which no endpoint constant may take."""


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

    always_model: bool = False
    """True when every value of this type, as callers get it, is a pydantic model (no
    None, no list).
    """

    @property
    def parsed_as(self) -> str:
        """What a body of this type is validated as: the RootModel when there is one
        (callers get its `.root`).
        """
        return self.root_model or self.annotation

    @property
    def parsed_as_value(self) -> str:
        """`parsed_as` as an expression `_operations.py` evaluates with `models` a parameter.

        There a type checker reads `list[models.Pet]` as a type naming an
        undefined `models.Pet`, so a generic whose arguments mention a model is
        spelled `GenericAlias(list, (models.Pet,))`: the same type at run time.
        """
        return runtime_type(self.parsed_as)

    @property
    def needs_generic_alias(self) -> bool:
        """Whether `parsed_as_value` names `types.GenericAlias`."""
        return "GenericAlias(" in self.parsed_as_value

    @property
    def uses_adapter(self) -> bool:
        """Whether `validate_call` needs pydantic's `TypeAdapter` (and `stdlib`,
        `models` imported).
        """
        return not self.is_model_class and bool(self.models or self.stdlib)

    def validate_call(self, data: str) -> str:
        """An expression making a value of this type from the JSON-like expression
        `data`, as a caller builds a request body.

        A model validates it; JSON data of a type naming no model nor import
        (`str`, `list[int]`) is the value itself.
        """
        if self.is_model_class:
            return f"{self.annotation}.model_validate({data})"
        if self.uses_adapter:
            return f"TypeAdapter({self.annotation}).validate_python({data})"
        return data


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
                or node.value.id == "Literal"
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
    sample: str = "None"
    """A Python expression holding a valid value, for generated tests and examples."""
    encoded_sample: str = ""
    """The sample as it appears in a URL path."""
    sample_stdlib: tuple[tuple[str, str], ...] = ()
    """What `sample` needs imported."""


@dataclass(frozen=True)
class RequestBody:
    """The JSON body of an operation, always a generated model."""

    content_type: str
    type: TypeRef
    required: bool
    description: str


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: str
    """`"201"`, `"4XX"` or `"default"`, as the spec writes it."""
    description: str
    content_type: str | None
    type: TypeRef | None
    is_success: bool


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

    @property
    def has_body_example(self) -> bool:
        return self.request_body is not None and self.body_example is not None

    @property
    def sample_arguments(self) -> list[str]:
        """Python arguments for a call with the required parameters' samples and the
        example body (`body_constant`).
        """
        arguments = [p.sample for p in self.parameters if p.required]
        if self.request_body is not None and self.body_example is not None:
            arguments.append(
                f"body={self.request_body.type.validate_call(self.body_constant)}"
            )
        return arguments

    @property
    def body_constant(self) -> str:
        """The generated client tests' constant holding the example body."""
        return f"BODY_{self.method_name.upper()}"

    @property
    def result_constant(self) -> str:
        """The generated client tests' constant holding the example success body."""
        return f"RESULT_{self.method_name.upper()}"

    @property
    def client_test_constants(self) -> list[tuple[str, Any]]:
        """The generated client tests' constants for this operation: the example body
        and success body it has.
        """
        constants = [
            (self.body_constant, self.body_example),
            (self.result_constant, self.success_example),
        ]
        return [(name, value) for name, value in constants if value is not None]

    @property
    def is_client_tested(self) -> bool:
        """The generated client tests can call it: it takes no body, or there is a valid
        one (`body_example`).
        """
        return self.request_body is None or self.body_example is not None

    @property
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

    @property
    def sample_stdlib(self) -> tuple[tuple[str, str], ...]:
        """Imports the required parameters' samples need."""
        return tuple(
            sorted({s for p in self.parameters if p.required for s in p.sample_stdlib})
        )

    @property
    def first_error(self) -> Response | None:
        """The first documented error with a concrete status code, for generated tests."""
        return next(
            (r for r in self.error_responses if _is_status_code(r.status)), None
        )

    @property
    def pointer(self) -> str:
        """Where the operation is in the spec, as a JSON pointer."""
        return (
            "/paths/"
            + self.path.replace("~", "~0").replace("/", "~1")
            + "/"
            + self.http_method.lower()
        )

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @property
    def cookie_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "cookie")

    @property
    def success(self) -> Response | None:
        """The first documented 2xx response: what the method returns."""
        return next((r for r in self.responses if r.is_success), None)

    @property
    def sample_path(self) -> str:
        """The URL path for the parameters' samples, percent-encoded like the client does."""
        path = self.path
        for parameter in self.path_parameters:
            path = path.replace("{" + parameter.name + "}", parameter.encoded_sample)
        return path

    @property
    def return_annotation(self) -> str:
        success = self.success
        return success.type.annotation if success and success.type else "None"

    @property
    def error_responses(self) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if not r.is_success)

    @property
    def endpoint_name(self) -> str:
        """The constant in `_operations.py` that describes this operation: `CREATE_JOB`."""
        name = self.method_name.upper()
        return f"{name}_" if name in _OPERATIONS_MODULE_NAMES else name

    @property
    def keyword_only(self) -> bool:
        """Whether the method has keyword-only parameters besides the per-call options
        (the body, optional parameters).
        """
        return self.request_body is not None or any(
            not p.required for p in self.parameters
        )

    @property
    def outcomes(self) -> tuple[Response, ...]:
        """The responses a call reads, in the spec's order: successes, and errors with a body.

        Errors without a body are left out: any undocumented status raises the same way.
        """
        return tuple(r for r in self.responses if r.is_success or r.type is not None)


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

    @property
    def pointer(self) -> str:
        return "/components/securitySchemes/" + self.key.replace("~", "~0").replace(
            "/", "~1"
        )

    @property
    def sample_call(self) -> str:
        """Python that builds this credential with a dummy secret, for examples and tests."""
        if self.kind == "basic":
            return f'{self.class_name}("user", "secret")'
        return f'{self.class_name}("secret")'

    @property
    def sample_sent(self) -> str:
        """What `sample_call`'s credential puts in its header, cookie or query parameter."""
        if self.kind == "basic":
            return "Basic dXNlcjpzZWNyZXQ="
        return self.value_prefix + "secret"

    @property
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

    @property
    def resolved_url(self) -> str:
        """`url` with each variable's default put in; empty when a variable has no default."""
        url = self.url
        for variable in self.variables:
            url = url.replace("{" + variable.name + "}", variable.default)
        return "" if re.search(r"\{[^{}]*\}", url) else url.rstrip("/")

    @property
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

    @property
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

    @property
    def is_object(self) -> bool:
        return isinstance(self.value, dict)

    @property
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
    validation_cases: tuple[ValidationCase, ...] = ()
    """Valid and invalid instances of every model, judged by the reference validator."""
    schema_definitions: dict[str, Any] = field(default_factory=dict)
    """Every component schema as JSON Schema 2020-12 `$defs`: what the reference
    validates against.
    """
    request_models: tuple[str, ...] = ()
    """Schemas reachable from a request body: their models are strict."""
    model_dependencies: tuple[str, ...] = ()
    """Extra requirements the models need (`email-validator` for `format: email`)."""
    webhooks: tuple[Webhook, ...] = ()
    """The requests the API sends, with a JSON payload, in spec order."""
    warnings: tuple[Problem, ...] = ()
    """What generation reports about the spec without failing (examples that break their
    schema, webhooks without a JSON payload).
    """

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
        types = [r.type for o in self.operations for r in o.responses if r.type]
        types += [o.request_body.type for o in self.operations if o.request_body]
        needed = {s for t in types for s in t.stdlib}
        if any(t.needs_generic_alias for t in types):
            needed.add(("types", "GenericAlias"))
        return tuple(sorted(needed))

    @property
    def clients_use_models(self) -> bool:
        """Whether the clients' method signatures mention any model."""
        return any(t.models for t in self._signature_types())

    @property
    def client_stdlib(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted({s for t in self._signature_types() for s in t.stdlib}))

    def _signature_types(self) -> list[TypeRef]:
        """Every type the clients' method signatures mention."""
        types: list[TypeRef] = []
        for operation in self.operations:
            types.extend(p.type for p in operation.parameters)
            if operation.request_body:
                types.append(operation.request_body.type)
            types.extend(r.type for r in operation.responses if r.type and r.is_success)
        return types

    @property
    def header(self) -> str:
        """The first lines of every generated Python file."""
        return f"Generated by specgen from {self.spec_label}. Do not edit by hand."


def _patterns_in(node: Any) -> set[str]:
    """Every `pattern` string in a set of schemas."""
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns_in(value) for value in node))
    return set()
