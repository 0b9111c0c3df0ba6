"""Build the intermediate model (`generator.intermediate.model.Api`) from an effective document."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from generator.loading.loader import resolve_pointer
from generator.intermediate.model import (
    Api,
    Example,
    Operation,
    Parameter,
    ParameterLocation,
    RequestBody,
    Response,
    SecurityScheme,
    Server,
    TypeRef,
)
from generator.models.codegen import ModelClass
from generator.naming import ClassName, NameRegistry, PythonIdentifier
from generator.loading.normalize import SCHEMA_PREFIX, iter_operations, operation_base_name
from generator.problems import Level, Problem, SpecError, join_pointer
from generator.rendering.literals import data_literal, string_literal
from generator.conformance.json_schema import schema_definitions
from generator.conformance.cases import CaseBuilder, ValidationCase, string_pool

_FORMATS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "uuid": ("UUID", (("uuid", "UUID"),)),
    "date-time": ("datetime", (("datetime", "datetime"),)),
    "date": ("date", (("datetime", "date"),)),
}
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")


MODELS = "models"
"""Generated code names model classes through their module (`models.Job`), so no
schema name can collide with a name of ours or of the standard library."""

_SAMPLE_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def parameter_sample(param: dict[str, Any], schema: Any) -> tuple[str, str]:
    """A valid sample for a parameter: (Python expression, text as sent on the wire)."""
    schema = schema if isinstance(schema, dict) else {}
    if "example" in param:
        value: Any = param["example"]
    elif schema.get("examples"):
        value = schema["examples"][0]
    elif "default" in schema:
        value = schema["default"]
    elif schema.get("enum"):
        value = schema["enum"][0]
    elif schema.get("format") == "uuid":
        return f"UUID({string_literal(_SAMPLE_UUID)})", _SAMPLE_UUID
    elif schema.get("type") in ("integer", "number"):
        value = schema.get("minimum", 1)
    elif schema.get("type") == "boolean":
        value = True
    else:
        value = "sample id/1" if "pattern" not in schema else "sample"
    if schema.get("format") == "uuid" and isinstance(value, str):
        return f"UUID({string_literal(value)})", value
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return data_literal(value), quote(text, safe="")


def _merge(*refs: TypeRef) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    models = tuple(dict.fromkeys(m for r in refs for m in r.models))
    stdlib = tuple(dict.fromkeys(s for r in refs for s in r.stdlib))
    return models, stdlib


def _is_json(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


class ApiBuilder:
    """Walks one normalised document and produces the `Api` templates render."""

    def __init__(self, document: dict[str, Any], classes: dict[str, ModelClass]) -> None:
        self.document = document
        self.classes = classes
        components = document.get("components") or {}
        self.schemas: dict[str, Any] = components.get("schemas") or {}

    # --- references -----------------------------------------------------
    def deref(self, node: Any) -> Any:
        """Follow local `$ref`s (parameters, responses, bodies) to their target."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            ref = node["$ref"]
            seen.add(ref)
            node = resolve_pointer(self.document, ref.partition("#")[2])
        return node

    # --- types ----------------------------------------------------------
    def type_of(self, schema: Any) -> TypeRef:
        """The Python annotation for a schema as the clients use it."""
        if not isinstance(schema, dict):
            return TypeRef("Any", stdlib=(("typing", "Any"),))
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
            return self._class_type(ref[len(SCHEMA_PREFIX) :])
        if isinstance(ref, str):
            return self.type_of(self.deref(schema))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return self._union([self.type_of(s) for s in schema[key]])
        raw_type = schema.get("type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        nullable = "null" in types or schema.get("nullable") is True
        concrete = [t for t in types if t not in (None, "null")]
        base = self._scalar(schema, concrete[0] if len(concrete) == 1 else None)
        return self._union([base, TypeRef("None")]) if nullable else base

    def _scalar(self, schema: dict[str, Any], kind: str | None) -> TypeRef:
        if "const" in schema:
            return TypeRef(f"Literal[{data_literal(schema['const'])}]", stdlib=(("typing", "Literal"),))
        if isinstance(schema.get("enum"), list) and schema["enum"] and all(isinstance(v, str | int) and not isinstance(v, bool) for v in schema["enum"]):
            values = ", ".join(data_literal(v) for v in schema["enum"])
            return TypeRef(f"Literal[{values}]", stdlib=(("typing", "Literal"),))
        if kind == "array":
            item = self.type_of(schema.get("items"))
            models, stdlib = _merge(item)
            return TypeRef(f"list[{item.annotation}]", models, stdlib)
        if kind == "object":
            value = self.type_of(schema.get("additionalProperties")) if isinstance(schema.get("additionalProperties"), dict) else TypeRef("Any", stdlib=(("typing", "Any"),))
            models, stdlib = _merge(value)
            return TypeRef(f"dict[str, {value.annotation}]", models, stdlib)
        if kind == "string" and schema.get("format") in _FORMATS:
            annotation, stdlib = _FORMATS[schema["format"]]
            return TypeRef(annotation, stdlib=stdlib)
        if kind in _SCALARS:
            return TypeRef(_SCALARS[kind])
        return TypeRef("Any", stdlib=(("typing", "Any"),))

    def _union(self, members: list[TypeRef]) -> TypeRef:
        annotations = list(dict.fromkeys(m.annotation for m in members))
        if "None" in annotations:
            annotations = [a for a in annotations if a != "None"] + ["None"]
        models, stdlib = _merge(*members)
        return TypeRef(" | ".join(annotations), models, stdlib)

    def _class_type(self, name: str) -> TypeRef:
        described = self.classes.get(name)
        if described is None:
            raise RuntimeError(f"datamodel-code-generator produced no class for schema {name!r}")
        if described.kind == "root" and described.root_members:
            members = " | ".join(f"{MODELS}.{m}" for m in described.root_members)
            return TypeRef(members, (name, *described.root_members), root_model=f"{MODELS}.{name}")
        return TypeRef(f"{MODELS}.{name}", (name,), is_model_class=described.kind != "enum")

    # --- operations -----------------------------------------------------
    def parameters(self, path_item: dict[str, Any], operation: dict[str, Any], names: NameRegistry) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
            param = self.deref(raw)
            if isinstance(param, dict) and param.get("in") in _LOCATIONS and isinstance(param.get("name"), str):
                merged[(param["in"], param["name"])] = param
        ordered = sorted(merged.values(), key=lambda p: (not p.get("required", False) and p["in"] != "path", _LOCATIONS.index(p["in"])))
        result = []
        for param in ordered:
            schema = param.get("schema") or {}
            has_default = isinstance(schema, dict) and "default" in schema
            required = bool(param.get("required", False)) or param["in"] == "path"
            type_ref = self.type_of(schema)
            sample, encoded = parameter_sample(param, schema)
            if not required and not type_ref.annotation.endswith("None"):
                type_ref = self._union([type_ref, TypeRef("None")])
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
                    explode=bool(param.get("explode", param.get("style", "form") == "form")),
                    deprecated=bool(param.get("deprecated", False)),
                    sample=sample,
                    encoded_sample=encoded,
                    sample_stdlib=(("uuid", "UUID"),) if sample.startswith("UUID(") else (),
                )
            )
        return tuple(result)

    def request_body(self, operation: dict[str, Any]) -> RequestBody | None:
        body = self.deref(operation.get("requestBody"))
        if not isinstance(body, dict):
            return None
        for content_type, media in (body.get("content") or {}).items():
            if _is_json(content_type) and isinstance(media, dict):
                return RequestBody(content_type, self.type_of(media.get("schema")), bool(body.get("required", False)), str(body.get("description") or ""))
        return None

    def responses(self, operation: dict[str, Any]) -> tuple[Response, ...]:
        result = []
        for status, raw in (operation.get("responses") or {}).items():
            response = self.deref(raw)
            if not isinstance(response, dict):
                continue
            status = str(status)
            content = response.get("content") or {}
            json_type = next((ct for ct, m in content.items() if _is_json(ct) and isinstance(m, dict) and m.get("schema")), None)
            type_ref = self.type_of(content[json_type]["schema"]) if json_type else None
            result.append(Response(status, str(response.get("description") or ""), json_type, type_ref, status.startswith("2")))
        return tuple(sorted(result, key=lambda r: (not r.is_success, r.status)))

    def example_of(self, media: Any) -> Any:
        """The first example of a media type object or of the schema it names."""
        if not isinstance(media, dict):
            return None
        if "example" in media:
            return media["example"]
        for named in (media.get("examples") or {}).values():
            named = self.deref(named)
            if isinstance(named, dict) and "value" in named:
                return named["value"]
        schema = self.deref(media.get("schema"))
        if isinstance(schema, dict):
            if schema.get("examples"):
                return schema["examples"][0]
            return schema.get("example")
        return None

    def _json_media(self, holder: Any) -> Any:
        holder = self.deref(holder)
        content = holder.get("content") if isinstance(holder, dict) else None
        return next((m for ct, m in (content or {}).items() if _is_json(ct)), None)

    def success_example(self, operation: dict[str, Any]) -> Any:
        for status, response in sorted((operation.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
            if str(status).startswith("2"):
                return self.example_of(self._json_media(response))
        return None

    def operations(self) -> Iterator[Operation]:
        method_names = NameRegistry({"close", "request"})
        global_security = self.document.get("security")
        for path, method, item, operation in iter_operations(self.document):
            security = operation.get("security", global_security) or []
            yield Operation(
                operation_id=operation_base_name(method, path, operation),
                method_name=method_names.claim(PythonIdentifier(operation_base_name(method, path, operation), fallback="call")),
                http_method=method.upper(),
                path=path,
                summary=str(operation.get("summary") or "").strip(),
                description=str(operation.get("description") or "").strip(),
                tags=tuple(str(t) for t in operation.get("tags") or ()),
                deprecated=bool(operation.get("deprecated", False)),
                parameters=self.parameters(item, operation, NameRegistry({"self", "body", "options", "retries", "timeout"})),
                request_body=self.request_body(operation),
                responses=self.responses(operation),
                security=tuple(tuple(req) for req in security if isinstance(req, dict)),
                body_example=self.example_of(self._json_media(operation.get("requestBody"))),
                success_example=self.success_example(operation),
            )

    def security_schemes(
        self, package: str, spec: Path = Path("openapi")
    ) -> tuple[SecurityScheme, ...]:
        """One credential class per usable scheme; an apiKey the spec places nowhere valid
        is a `SpecError` (`spec` names the file), never a guess."""
        raw = (self.document.get("components") or {}).get("securitySchemes") or {}
        problems = [
            p for k, s in raw.items() for p in api_key_problems(str(k), self.deref(s), spec)
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
            env_var = env_vars.claim(f"{package}_{PythonIdentifier(class_name)}".upper())
            if kind == "apiKey":
                location = _API_KEY_LOCATIONS[scheme["in"]]
                prefix = str(scheme.get("x-specgen-value-prefix", ""))
                parameter = str(scheme["name"])
                result.append(
                    SecurityScheme(
                        key, class_name, "apiKey", location, parameter, prefix, description, env_var
                    )
                )
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                result.append(
                    SecurityScheme(
                        key, class_name, "basic", "header", "Authorization", "Basic ", description
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
        found = []
        for name, schema in self.schemas.items():
            if not isinstance(schema, dict):
                continue
            pointer = join_pointer("/components/schemas", name)
            for index, value in enumerate(schema.get("examples") or []):
                found.append(Example(name, join_pointer(pointer, "examples", index), value, name in request_models))
            if "example" in schema:
                found.append(Example(name, join_pointer(pointer, "example"), schema["example"], name in request_models))
        return tuple(found)

    def request_models(self, operations: tuple[Operation, ...]) -> tuple[str, ...]:
        """Every schema reachable from a request body: these models are strict."""
        return tuple(sorted(_reachable([m for op in operations if op.request_body for m in op.request_body.type.models], self.schemas)))


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
        message = f"an apiKey goes in the header, query or cookie, not {scheme.get('in')!r}"
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
    bodies = (builder._json_media(operation.get("requestBody")) for _, _, _, operation in iter_operations(document))
    return frozenset(_reachable([name for media in bodies if isinstance(media, dict) for name in _refs_in(media.get("schema"))], builder.schemas))


def validation_cases(document: dict[str, Any], request_models: Collection[str] | None = None) -> dict[str, list[ValidationCase]]:
    """Every component schema's validation cases; the slow part of building the model, so it can run apart."""
    requests = request_schema_names(document) if request_models is None else request_models
    definitions = schema_definitions(document)
    builder = CaseBuilder(definitions, string_pool(document))
    return {name: builder.cases(name, name in requests) for name in definitions}


def component_classes(document: dict[str, Any], classes: dict[str, ModelClass]) -> dict[str, ModelClass]:
    """The classes the model is built from: the component schemas' own, in the spec's order.

    The classes datamodel-code-generator makes for inline objects matter only
    as members of their union (`root_members`), and its order of classes not
    at all: the same component classes always give the same model.
    """
    schemas = (document.get("components") or {}).get("schemas") or {}
    return {name: classes[name] for name in schemas if name in classes}


def build_api(
    document: dict[str, Any],
    classes: dict[str, ModelClass],
    *,
    package: str,
    distribution: str,
    spec_label: str,
    cases: dict[str, list[ValidationCase]] | None = None,
) -> Api:
    """The intermediate model for one normalised document; `cases` when `validation_cases` already ran."""
    classes = component_classes(document, classes)
    builder = ApiBuilder(document, classes)
    info = document.get("info") or {}
    operations = tuple(builder.operations())
    request_models = builder.request_models(operations)
    servers = tuple(Server(str(s.get("url", "")).rstrip("/"), str(s.get("description") or "")) for s in document.get("servers") or [] if isinstance(s, dict))
    definitions = schema_definitions(document)
    if cases is None or request_schema_names(document) != frozenset(request_models):
        cases = validation_cases(document, request_models)
    model_cases = tuple(case for name, described in classes.items() if described.kind != "enum" and name in cases for case in cases[name])
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
        examples=builder.examples(request_models),
        validation_cases=model_cases,
        schema_definitions=definitions,
        request_models=request_models,
    )
