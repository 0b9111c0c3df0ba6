"""Checks for the curated Qovery "Create a job" spec (specs/qovery-jobs.yaml).

The facts come from Qovery's documentation page (tests/data/seeds/qovery-create-job.txt, SEED-Q),
Qovery's published OpenAPI document (tests/data/corpus/qovery-openapi.yaml, REAL-Q) and
tests/data/spec-notes.md (section 1 and the hard cases Q1..Q18); tests/data/README.md says where
each comes from. Instances are validated with jsonschema's Draft 2020-12 validator against the
spec's own component schemas; the page's example request also with openapi-schema-validator
(OAS 3.1 here, OAS 3.0 against REAL-Q) and with the generated model (generated/qovery_jobs).
"""

from __future__ import annotations

import copy
import importlib
import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from openapi_spec_validator import validate as validate_openapi
from pydantic import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from tests.conftest import GENERATED_DIR
from tests.spec_walk import schema_nodes, walk

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SPEC_PATH = REPO / "specs" / "qovery-jobs.yaml"
SEED_PATH = DATA / "seeds" / "qovery-create-job.txt"
REAL_PATH = DATA / "corpus" / "qovery-openapi.yaml"
SPEC_URI = "urn:specgen:qovery-jobs"
REAL_URI = "urn:specgen:qovery-openapi"

OPERATION_PATH = "/environment/{environmentId}/job"
UUID = "3c90c3cc-0d44-4b50-8888-8dd25736052a"


# --------------------------------------------------------------------------- helpers
@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _real() -> dict[str, Any]:
    if not REAL_PATH.is_file():
        pytest.fail(
            f"{REAL_PATH} is missing: it is vendored in tests/data (see tests/data/README.md)"
        )
    return yaml.load(
        REAL_PATH.read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )


@lru_cache(maxsize=1)
def _seed() -> str:
    if not SEED_PATH.is_file():
        pytest.fail(
            f"{SEED_PATH} is missing: it is vendored in tests/data (see tests/data/README.md)"
        )
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return _spec()


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


@cache
def validator_for(pointer: str) -> Draft202012Validator:
    """A Draft 2020-12 validator (with format checks) for the spec node at `pointer`."""
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=_registry(),
        format_checker=FormatChecker(),
    )


@cache
def openapi_validator_for(name: str) -> Validator:
    """openapi-schema-validator's OAS 3.1 validator (with its format checks) for a component."""
    return OAS31Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/{name}"},
        registry=_registry(),
        format_checker=oas31_format_checker,
    )


@lru_cache(maxsize=1)
def _real_request_validator() -> Validator:
    """REAL-Q's own JobRequest under OAS 3.0 rules (`nullable`), with format checks."""
    resource = Resource.from_contents(_real(), default_specification=DRAFT4)
    return OAS30Validator(
        {"$ref": f"{REAL_URI}#/components/schemas/JobRequest"},
        registry=Registry().with_resource(REAL_URI, resource),
        format_checker=oas30_format_checker,
    )


def real_request_errors(instance: Any) -> list[str]:
    return [e.message for e in _real_request_validator().iter_errors(instance)]


def is_valid(name: str, instance: Any) -> bool:
    return validator_for(f"/components/schemas/{name}").is_valid(instance)


def errors(name: str, instance: Any) -> list[str]:
    return [
        e.message
        for e in validator_for(f"/components/schemas/{name}").iter_errors(instance)
    ]


def deref(node: Any, doc: dict[str, Any] | None = None) -> Any:
    doc = doc if doc is not None else _spec()
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/components/schemas/"), f"unexpected $ref {ref}"
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        node = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node


def expand(node: Any, doc: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The node (dereferenced) and, recursively, every oneOf/anyOf/allOf member."""
    node = deref(node, doc)
    out = [node]
    for key in ("oneOf", "anyOf", "allOf"):
        for member in node.get(key, []):
            out.extend(expand(member, doc))
    return out


def is_stub(node: Any) -> bool:
    """A null-only property that an exclusive alternative declares for the other
    alternative's key."""
    return isinstance(node, dict) and node.get("type") == "null" and "$ref" not in node


def lookup(path: str) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """All distinct (parent object schema, property name, property schema) reachable along `path`.

    `[]` steps into array items: "JobRequest.labels_groups[].id". The null-only stubs of the
    exclusive alternatives (see is_stub) are skipped."""
    root, *parts = path.replace("[]", ".[]").split(".")
    current: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
        ({}, root, _spec()["components"]["schemas"][root])
    ]
    for part in parts:
        found = []
        for _, _, schema in current:
            for member in expand(schema):
                if part == "[]":
                    if isinstance(member.get("items"), dict):
                        found.append((member, part, member["items"]))
                elif part in member.get("properties", {}) and not is_stub(
                    member["properties"][part]
                ):
                    found.append((member, part, member["properties"][part]))
        unique: dict[int, tuple[dict[str, Any], str, dict[str, Any]]] = {}
        for item in found:
            unique.setdefault(id(item[2]), item)
        current = list(unique.values())
    return current


def types_of(node: Any, doc: dict[str, Any] | None = None) -> set[str]:
    types: set[str] = set()
    for member in expand(node, doc):
        t = member.get("type")
        if isinstance(t, str):
            types.add(t)
        elif isinstance(t, list):
            types.update(t)
    return types


def values_of(node: Any, doc: dict[str, Any] | None = None) -> set[Any]:
    """Enum values, and const values (the branches of a discriminated oneOf)."""
    values: set[Any] = set()
    for member in expand(node, doc):
        values.update(member.get("enum", []))
        if "const" in member:
            values.add(member["const"])
    return values


def keyword_values(node: Any, key: str, doc: dict[str, Any] | None = None) -> list[Any]:
    return [member[key] for member in expand(node, doc) if key in member]


def descriptions(node: Any, doc: dict[str, Any] | None = None) -> set[str]:
    return {
        member["description"] for member in expand(node, doc) if "description" in member
    }


def norm(text: str) -> str:
    """Compare descriptions as the rendered page shows them: no backticks, collapsed blanks."""
    return " ".join(text.replace("`", "").split())


def all_schema_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, schema in _spec()["components"]["schemas"].items():
        yield from schema_nodes(schema, f"/components/schemas/{name}")


# ----------------------------------------------------------- seed text parsing
SEED_TYPE = re.compile(
    r"^(string|integer|boolean|object|object\[\]|enum<string>|string<[a-z-]+>)( \| null)?$"
)


def parse_seed_fields(section: str) -> dict[str, dict[str, Any]]:
    """The field list of one section of the rendered page (name, type line, flags, text)."""
    lines = [line.strip() for line in section.splitlines() if line.strip()]
    starts = [
        i
        for i in range(len(lines) - 1)
        if re.fullmatch(r"[A-Za-z_]+", lines[i]) and SEED_TYPE.fullmatch(lines[i + 1])
    ]
    fields: dict[str, dict[str, Any]] = {}
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        body = lines[start + 2 : end]
        match = SEED_TYPE.fullmatch(lines[start + 1])
        assert match
        field: dict[str, Any] = {
            "type": match.group(1),
            "nullable": bool(match.group(2)),
            "required": False,
            "read_only": False,
            "default": None,
            "minimum": None,
            "enum": [],
            "text": [],
        }
        i = 0
        while i < len(body):
            line = body[i]
            if line == "required":
                field["required"] = True
            elif line == "read-only":
                field["read_only"] = True
            elif line.startswith("default:"):
                field["default"] = line.split(":", 1)[1]
            elif line.startswith("Required range: x >= "):
                field["minimum"] = int(line.rsplit(" ", 1)[1])
            elif line == "Example:":
                i += 1  # skip the example value
            elif line == "Available options:":
                field["enum"] = [v.rstrip(",") for v in body[i + 1 :]]
                break
            elif line in ("header", "Response", "Create job"):
                pass
            else:
                field["text"].append(line)
            i += 1
        field["description"] = " ".join(field.pop("text")) or None
        fields[lines[start]] = field
    return fields


@lru_cache(maxsize=1)
def seed_sections() -> dict[str, dict[str, dict[str, Any]]]:
    seed = _seed()
    params = seed[seed.index("\nPath Parameters\n") : seed.index("\nBody\n")]
    body = seed[seed.index("\nBody\n") : seed.index("\nResponse\n")]
    response = seed[seed.index("\nResponse\n") :]
    return {
        "params": parse_seed_fields(params),
        "request": parse_seed_fields(body),
        "response": parse_seed_fields(response),
    }


def seed_examples() -> tuple[dict[str, Any], dict[str, Any]]:
    seed = _seed()
    match = re.search(r"--data '\s*(\{.*?\})\s*'\s*\n", seed, re.S)
    assert match, "the seed's curl example was not found"
    request = json.loads(match.group(1))
    start = seed.index("{", match.end())
    response = json.JSONDecoder().raw_decode(seed[start:])[0]
    return request, response


SEED_ICON_URI = "https://example.com/icons/job.svg"


def seed_request_example() -> dict[str, Any]:
    """The page's example request, with a real absolute URI for its `icon_uri` placeholder."""
    request, _ = seed_examples()
    assert request["icon_uri"] == "<string>"
    return {**request, "icon_uri": SEED_ICON_URI}


SEED_DEFAULTS = {"500": 500, "512": 512, "0": 0}


def test_seed_parser_finds_the_documented_fields() -> None:
    sections = seed_sections()
    assert set(sections["params"]) == {"environmentId"}
    assert len(sections["request"]) == 16
    assert {"name", "healthchecks", "icon_uri", "auto_deploy", "port"} <= set(
        sections["request"]
    )
    assert len(sections["response"]) == 25
    assert sections["response"]["service_type"]["enum"][:2] == [
        "APPLICATION",
        "DATABASE",
    ]
    assert (
        sections["request"]["port"]["nullable"]
        and sections["request"]["port"]["minimum"] == 1
    )


# ------------------------------------------------------------- 1. the spec is valid
def test_spec_passes_openapi_spec_validator(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate_openapi(spec)


def test_operation_shape(spec: dict[str, Any]) -> None:
    assert spec["servers"] == [{"url": "https://api.qovery.com"}]
    assert list(spec["paths"]) == [OPERATION_PATH]
    assert list(spec["paths"][OPERATION_PATH]) == ["post"]
    op = spec["paths"][OPERATION_PATH]["post"]
    assert op["operationId"] == "createJob"
    assert op["summary"] == "Create a job"
    assert op["description"]
    assert op["tags"] == ["Jobs"]
    (param,) = op["parameters"]
    assert (
        param["name"] == "environmentId"
        and param["in"] == "path"
        and param["required"] is True
    )
    assert param["schema"] == {"type": "string", "format": "uuid"}
    assert (
        param["description"]
        == seed_sections()["params"]["environmentId"]["description"]
        == "Environment ID"
    )
    body = op["requestBody"]
    assert (
        body["required"] is True
    )  # decided by the brief; REAL-Q omits it (Q15), see the note
    assert "x-specgen-note" in body
    assert body["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/JobRequest"}}
    }
    assert set(op["responses"]) == {"201", "400", "401", "403", "404", "409"}
    created = op["responses"]["201"]
    assert created["description"] == "Create job"
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobResponse"
    }
    expected = {
        "400": ("BadRequest", "Bad request"),
        "401": ("NotAuthorized", "Access token is missing or invalid"),
        "403": ("Forbidden", "Access forbidden"),
        "404": ("NotFound", "Resource not found"),
    }
    real_responses = _real()["components"]["responses"]
    for status, (name, description) in expected.items():
        assert op["responses"][status] == {"$ref": f"#/components/responses/{name}"}
        component = spec["components"]["responses"][name]
        assert component == {"description": description}  # REAL-Q: no body schema
        assert real_responses[status] == component
    assert op["responses"]["409"] == {
        "description": "Job name within the environment is already taken"
    }


def test_security(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"bearerAuth", "ApiKeyAuth"}
    bearer = schemes["bearerAuth"]
    assert (bearer["type"], bearer["scheme"], bearer["bearerFormat"]) == (
        "http",
        "bearer",
        "JWT",
    )
    assert "Authorization: Bearer <jwt>" in bearer["description"]
    api_key = schemes["ApiKeyAuth"]
    assert (api_key["type"], api_key["in"], api_key["name"]) == (
        "apiKey",
        "header",
        "Authorization",
    )
    assert api_key["x-specgen-value-prefix"] == "Token "
    assert "Token <api token>" in api_key["description"]
    assert spec["security"] == [{"bearerAuth": []}, {"ApiKeyAuth": []}]  # OR (Q14)
    assert "security" not in spec["paths"][OPERATION_PATH]["post"]


# --------------------------------------------------------------- 2. style rules
def test_no_nullable_keyword(spec: dict[str, Any]) -> None:
    offenders = [
        p for p, node in walk(spec) if isinstance(node, dict) and "nullable" in node
    ]
    assert not offenders, f"`nullable` is not allowed in OpenAPI 3.1 specs: {offenders}"


def test_every_enum_and_const_has_a_type(spec: dict[str, Any]) -> None:
    seen = 0
    for pointer, node in all_schema_nodes():
        if "enum" in node or "const" in node:
            seen += 1
            assert "type" in node, f"{pointer}: enum/const without `type`"
            values = node.get("enum", [node.get("const")])
            assert (
                all(isinstance(v, str) for v in values) and node["type"] == "string"
            ), pointer
    assert seen == 8  # 6 enums + 2 job_type consts


def test_component_names_and_conventions(spec: dict[str, Any]) -> None:
    for name in spec["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) and name.isidentifier(), name
    for pointer, node in all_schema_nodes():
        assert node.get("additionalProperties") is not False, (
            pointer
        )  # the API forbids no extras
        assert "example" not in node, f"{pointer}: use `examples` (a list)"
        if "examples" in node:
            assert isinstance(node["examples"], list) and node["examples"], pointer
        # nullability only as type [T, 'null'] or anyOf [$ref, {type: 'null'}]
        if isinstance(node.get("type"), list):
            assert len(node["type"]) == 2 and node["type"][1] == "null", pointer
    for pointer, node in walk(spec):
        if isinstance(node, dict) and "x-specgen-note" in node:
            assert (
                isinstance(node["x-specgen-note"], str)
                and node["x-specgen-note"].strip()
            ), pointer
    assert "x-specgen-note" in spec
    # every $ref resolves and every component is used
    text = json.dumps(spec)
    for ref in set(re.findall(r'"\$ref": "([^"]+)"', text)):
        kind, name = ref.split("/")[2:4]
        assert name in spec["components"][kind], ref
    for name in spec["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text, f"unused component {name}"


def test_named_components(spec: dict[str, Any]) -> None:
    expected = {
        "JobRequest",
        "JobSource",
        "JobSourceImage",
        "JobSourceDocker",
        "ApplicationGitRepositoryRequest",
        "GitProviderEnum",
        "CpuArchitectureEnum",
        "Healthcheck",
        "Probe",
        "ProbeType",
        "ProbeTypeTcp",
        "ProbeTypeHttp",
        "ProbeTypeExec",
        "ProbeTypeGrpc",
        "JobScheduleRequest",
        "LifecycleJobScheduleRequest",
        "CronJobScheduleRequest",
        "JobScheduleEvent",
        "CronjobRequest",
        "JobLifecycleTypeEnum",
        "ServiceAnnotationRequest",
        "ServiceLabelRequest",
        "JobResponse",
        "BaseJobResponse",
        "LifecycleJobResponse",
        "CronJobResponse",
        "LifecycleJobSchedule",
        "CronJobSchedule",
        "CronjobResponse",
        "ReferenceObject",
        "JobResponseSource",
        "JobImageSourceResponse",
        "JobDockerSourceResponse",
        "ContainerSource",
        "ContainerRegistryProviderDetailsResponse",
        "ContainerRegistryKindEnum",
        "JobSourceDockerResponse",
        "ApplicationGitRepository",
        "ServiceTypeEnum",
        "OrganizationAnnotationsGroupResponse",
        "Annotation",
        "OrganizationAnnotationsGroupScopeEnum",
        "OrganizationLabelsGroupResponse",
        "Label",
    }
    assert set(spec["components"]["schemas"]) == expected


# ------------------------------------------------------- 3. seed cross-check
SEED_TYPE_MAP = {
    "string": "string",
    "integer": "integer",
    "boolean": "boolean",
    "object": "object",
    "object[]": "array",
    "enum<string>": "string",
}


@pytest.mark.parametrize("direction", ["request", "response"])
def test_seed_field_list_is_in_spec(direction: str) -> None:
    root = {"request": "JobRequest", "response": "JobResponse"}[direction]
    problems: list[str] = []
    for name, fact in seed_sections()[direction].items():
        found = lookup(f"{root}.{name}")
        if not found:
            problems.append(f"{name}: missing")
            continue
        for parent, _, prop in found:
            kind = fact["type"]
            want = {SEED_TYPE_MAP.get(kind, "string")} | (
                {"null"} if fact["nullable"] else set()
            )
            if types_of(prop) != want:
                problems.append(f"{name}: types {types_of(prop)} != {want}")
            if kind.startswith("string<"):
                fmt = kind[len("string<") : -1]
                if keyword_values(prop, "format") != [fmt]:
                    problems.append(
                        f"{name}: format {keyword_values(prop, 'format')} != {fmt}"
                    )
            if kind == "object[]" and types_of(deref(prop)["items"]) != {"object"}:
                problems.append(f"{name}: items are not objects")
            if (name in parent.get("required", [])) is not fact["required"]:
                problems.append(f"{name}: required should be {fact['required']}")
            if fact["read_only"] and keyword_values(prop, "readOnly") != [True]:
                problems.append(f"{name}: not readOnly")
            if fact["default"] is not None and keyword_values(prop, "default") != [
                SEED_DEFAULTS[fact["default"]]
            ]:
                problems.append(
                    f"{name}: default {keyword_values(prop, 'default')} != {fact['default']}"
                )
            if fact["minimum"] is not None and keyword_values(prop, "minimum") != [
                fact["minimum"]
            ]:
                problems.append(
                    f"{name}: minimum {keyword_values(prop, 'minimum')} != {fact['minimum']}"
                )
            if fact["description"] and norm(fact["description"]) not in {
                norm(d) for d in descriptions(prop)
            }:
                problems.append(
                    f"{name}: description {descriptions(prop)} != {fact['description']!r}"
                )
        all_values = {v for _, _, prop in found for v in values_of(prop)}
        if fact["enum"] and not set(fact["enum"]) <= all_values:
            problems.append(f"{name}: enum {set(fact['enum']) - all_values} missing")
    assert not problems, "\n".join(problems)


def test_seed_required_sets_are_exact(spec: dict[str, Any]) -> None:
    request_required = {
        n for n, f in seed_sections()["request"].items() if f["required"]
    }
    assert request_required == {"name", "healthchecks"}
    assert (
        set(spec["components"]["schemas"]["JobRequest"]["required"]) == request_required
    )
    response_required = {
        n for n, f in seed_sections()["response"].items() if f["required"]
    }
    assert len(response_required) == 17
    for branch in ("LifecycleJobResponse", "CronJobResponse"):
        required = {
            r
            for member in expand({"$ref": f"#/components/schemas/{branch}"})
            for r in member.get("required", [])
        }
        assert required == response_required, branch


# Nested facts: the seed shows these only in its examples; the values come from spec-notes 1.3/1.4.
# (path, JSON types, required in the parent, constraints)
NESTED_FACTS: list[tuple[str, set[str], bool, dict[str, Any]]] = [
    (
        "JobRequest.source.image",
        {"object", "null"},
        False,
        {},
    ),  # a plain object with two optional nullable members, as in REAL-Q (Q3)
    ("JobRequest.source.image.image_name", {"string"}, False, {}),
    ("JobRequest.source.image.tag", {"string"}, False, {}),
    ("JobRequest.source.image.registry_id", {"string"}, False, {}),
    ("JobRequest.source.docker", {"object", "null"}, False, {}),
    ("JobRequest.source.docker.dockerfile_path", {"string", "null"}, False, {}),
    ("JobRequest.source.docker.dockerfile_raw", {"string", "null"}, False, {}),
    (
        "JobRequest.source.docker.docker_target_build_stage",
        {"string", "null"},
        False,
        {},
    ),
    ("JobRequest.source.docker.git_repository.url", {"string"}, True, {}),
    ("JobRequest.source.docker.git_repository.owner", {"string"}, True, {}),
    ("JobRequest.source.docker.git_repository.name", {"string"}, True, {}),
    (
        "JobRequest.source.docker.git_repository.provider",
        {"string"},
        True,
        {"enum": {"BITBUCKET", "GITHUB", "GITLAB"}},
    ),
    (
        "JobRequest.source.docker.git_repository.root_path",
        {"string"},
        False,
        {"default": "/"},
    ),
    (
        "JobRequest.source.docker.git_repository.git_token_id",
        {"string", "null"},
        False,
        {"format": "uuid"},
    ),
    (
        "JobRequest.cpu_architecture",
        {"string", "null"},
        False,
        {"enum": {"AMD64", "ARM64"}},
    ),
    ("JobRequest.ephemeral_storage_in_gib", {"integer"}, False, {"minimum": 0}),
    ("JobRequest.port", {"integer", "null"}, False, {"minimum": 1, "default": None}),
    ("JobRequest.healthchecks.readiness_probe", {"object", "null"}, False, {}),
    ("JobRequest.healthchecks.liveness_probe", {"object", "null"}, False, {}),
    ("Probe.type", {"object"}, False, {}),
    ("Probe.type.tcp", {"object", "null"}, False, {}),
    ("Probe.type.tcp.port", {"integer"}, False, {}),
    ("Probe.type.tcp.host", {"string", "null"}, False, {"default": None}),
    ("Probe.type.http", {"object", "null"}, False, {}),
    ("Probe.type.http.path", {"string"}, False, {"default": "/"}),
    (
        "Probe.type.http.scheme",
        {"string"},
        False,
        {"default": "HTTP", "enum": set()},
    ),  # Q5: no enum
    ("Probe.type.http.port", {"integer"}, False, {}),
    ("Probe.type.exec", {"object", "null"}, False, {}),
    ("Probe.type.exec.command", {"array"}, False, {"minItems": 1}),
    ("Probe.type.grpc", {"object", "null"}, False, {}),
    ("Probe.type.grpc.service", {"string", "null"}, False, {"default": None}),
    ("Probe.type.grpc.port", {"integer"}, False, {}),
    ("Probe.initial_delay_seconds", {"integer"}, False, {"default": 30}),
    ("Probe.period_seconds", {"integer"}, False, {"default": 10}),
    ("Probe.timeout_seconds", {"integer"}, False, {"default": 5}),
    ("Probe.success_threshold", {"integer"}, False, {"default": 1}),
    ("Probe.failure_threshold", {"integer"}, False, {"default": 9}),
    ("JobRequest.schedule.on_start.arguments", {"array"}, False, {}),
    ("JobRequest.schedule.on_stop.entrypoint", {"string"}, False, {}),
    ("JobRequest.schedule.on_delete.entrypoint", {"string"}, False, {}),
    (
        "JobRequest.schedule.lifecycle_type",
        {"string"},
        False,
        {"enum": {"GENERIC", "TERRAFORM", "CLOUDFORMATION"}},
    ),
    ("JobRequest.schedule.cronjob", {"object"}, True, {}),
    (
        "JobRequest.schedule.cronjob.scheduled_at",
        {"string"},
        True,
        {"format": "cron", "pattern": None},
    ),  # Q12
    ("JobRequest.schedule.cronjob.timezone", {"string"}, False, {}),  # Q13
    ("JobRequest.annotations_groups[].id", {"string"}, True, {"format": "uuid"}),
    ("JobRequest.labels_groups[].id", {"string"}, True, {"format": "uuid"}),
    (
        "JobResponse.environment.id",
        {"string"},
        True,
        {"format": "uuid", "readOnly": True},
    ),
    (
        "JobResponse.updated_at",
        {"string"},
        False,
        {"format": "date-time", "readOnly": True},
    ),
    ("JobResponse.maximum_gpu", {"integer"}, True, {"minimum": 0, "default": 0}),
    (
        "JobResponse.auto_deploy",
        {"boolean"},
        False,
        {},
    ),  # not nullable in the response (Q13)
    (
        "JobResponse.max_nb_restart",
        {"integer"},
        False,
        {"minimum": 0, "default": None},
    ),  # no default (Q11)
    (
        "JobResponse.service_type",
        {"string"},
        True,
        {
            "enum": {
                "APPLICATION",
                "DATABASE",
                "CONTAINER",
                "JOB",
                "HELM",
                "TERRAFORM",
                "ARGOCD_APP",
                "AGENTIC_WORKFLOW",
            }
        },
    ),
    ("JobResponse.job_type", {"string"}, True, {"enum": {"LIFECYCLE", "CRON"}}),
    ("JobResponse.source.image.image_name", {"string"}, True, {}),
    ("JobResponse.source.image.tag", {"string"}, True, {}),
    ("JobResponse.source.image.registry", {"object"}, True, {}),
    (
        "JobResponse.source.image.registry.id",
        {"string"},
        True,
        {"format": "uuid", "readOnly": None},
    ),  # Q9
    (
        "JobResponse.source.image.registry.kind",
        {"string"},
        True,
        {
            "enum": {
                "ECR",
                "SCALEWAY_CR",
                "DOCKER_HUB",
                "GITHUB_CR",
                "GITHUB_ENTERPRISE_CR",
                "GITLAB_CR",
                "PUBLIC_ECR",
                "DOCR",
                "GENERIC_CR",
                "GCP_ARTIFACT_REGISTRY",
                "AZURE_CR",
            }
        },
    ),
    (
        "JobResponse.source.docker.git_repository.deployed_commit_date",
        {"string"},
        False,
        {"format": "date-time", "readOnly": True},
    ),
    ("JobResponse.schedule.cronjob.timezone", {"string"}, True, {}),  # Q13
    ("JobResponse.schedule.cronjob.scheduled_at", {"string"}, True, {"format": "cron"}),
    (
        "JobResponse.annotations_groups[].scopes[]",
        {"string"},
        False,
        {
            "enum": {
                "DEPLOYMENTS",
                "STATEFUL_SETS",
                "SERVICES",
                "INGRESS",
                "GATEWAY_API_ROUTES",
                "HPA",
                "PODS",
                "SECRETS",
                "JOBS",
                "CRON_JOBS",
            }
        },
    ),
    ("JobResponse.annotations_groups[].annotations[].key", {"string"}, True, {}),
    (
        "JobResponse.labels_groups[].labels[].propagate_to_cloud_provider",
        {"boolean"},
        True,
        {},
    ),
]


@pytest.mark.parametrize(
    ("path", "json_types", "required", "constraints"),
    NESTED_FACTS,
    ids=[f[0] for f in NESTED_FACTS],
)
def test_nested_fact_is_in_spec(
    path: str, json_types: set[str], required: bool, constraints: dict[str, Any]
) -> None:
    found = lookup(path)
    assert found, f"{path} is not in the spec"
    for parent, name, prop in found:
        assert types_of(prop) == json_types, f"{path}: types {types_of(prop)}"
        if name != "[]":
            assert (name in parent.get("required", [])) is required, (
                f"{path}: required should be {required}"
            )
        for key, expected in constraints.items():
            if key == "enum":
                continue
            elif expected is None and key != "default":
                assert keyword_values(prop, key) == [], f"{path}: unexpected {key}"
            elif (
                expected is None
            ):  # default: null for nullable fields, no default otherwise
                want = [None] if "null" in json_types else []
                assert keyword_values(prop, key) == want, (
                    f"{path}: default {keyword_values(prop, key)}"
                )
            else:
                assert keyword_values(prop, key) == [expected], (
                    f"{path}: {key}={keyword_values(prop, key)}"
                )
    if "enum" in constraints:
        all_values = {v for _, _, prop in found for v in values_of(prop)}
        assert all_values == constraints["enum"], f"{path}: enum {all_values}"


def test_seed_request_example_is_accepted_by_the_spec() -> None:
    """The page's example request fills both source members (Q3); only its placeholder
    `icon_uri` "<string>", which is no URI, is refused, here as by REAL-Q."""
    request, _ = seed_examples()
    found = validator_for("/components/schemas/JobRequest").iter_errors(request)
    assert [(list(e.absolute_path), e.validator) for e in found] == [
        (["icon_uri"], "format")
    ]
    assert real_request_errors(request) == ["'<string>' is not a 'uri'"]
    example = seed_request_example()
    assert example["source"]["image"] and example["source"]["docker"]
    assert errors("JobRequest", example) == []
    assert [
        e.message for e in openapi_validator_for("JobRequest").iter_errors(example)
    ] == []
    assert real_request_errors(example) == []


def test_seed_request_example_is_accepted_by_the_generated_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(GENERATED_DIR / "qovery_jobs"))
    models = importlib.import_module("qovery_jobs.models")
    example = seed_request_example()
    job = models.JobRequest.model_validate(example)
    assert isinstance(job.source.image, models.JobSourceImage)
    assert isinstance(job.source.docker, models.JobSourceDocker)
    # what the client sends is the example, unchanged
    assert job.model_dump(mode="json", by_alias=True, exclude_unset=True) == example
    with pytest.raises(ValidationError, match="icon_uri"):
        models.JobRequest.model_validate({**example, "icon_uri": "<string>"})


def test_seed_response_example_against_the_spec() -> None:
    _, response = seed_examples()
    # The response example validates but for its "<string>" placeholder URIs (format errors
    # where a uri checker is installed), and it is a Lifecycle job.
    plain = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/JobResponse"}, registry=_registry()
    )
    assert list(plain.iter_errors(response)) == []
    formats = list(
        validator_for("/components/schemas/LifecycleJobResponse").iter_errors(response)
    )
    assert all(e.validator == "format" and e.instance == "<string>" for e in formats)
    assert not is_valid("CronJobResponse", response)


# ------------------------------------------------------- 4. real-spec cross-check
def collect(
    node: Any, doc: dict[str, Any], path: str, out: dict[str, list[dict[str, Any]]]
) -> None:
    """Every schema node reachable from `node`, grouped by property path ("a.b[].c")."""
    node = deref(node, doc)
    out.setdefault(path, []).append(node)
    for key in ("oneOf", "anyOf", "allOf"):
        for member in node.get(key, []):
            collect(member, doc, path, out)
    for name, sub in (node.get("properties") or {}).items():
        if is_stub(sub):
            continue
        collect(sub, doc, f"{path}.{name}" if path else name, out)
    if isinstance(node.get("items"), dict):
        collect(node["items"], doc, f"{path}[]", out)


def paths_of(doc: dict[str, Any], root: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    collect({"$ref": f"#/components/schemas/{root}"}, doc, "", out)
    return out


# Intentional differences from REAL-Q, with the reason. (path, keyword) pairs skipped below.
# None today: the request source, once exclusive here, follows REAL-Q (JobSource note, Q3).
REAL_EXCEPTIONS: dict[tuple[str, str, str], str] = {}
CHECKED_KEYWORDS = (
    "format",
    "default",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "readOnly",
)


@pytest.mark.parametrize("root", ["JobRequest", "JobResponse"])
def test_real_spec_is_covered(root: str) -> None:
    real = paths_of(_real(), root)
    ours = paths_of(_spec(), root)
    problems: list[str] = []
    for path, real_nodes in real.items():
        if path not in ours:
            problems.append(f"{path}: missing")
            continue
        our_nodes = ours[path]
        our_types = {
            t
            for n in our_nodes
            for t in (
                [n["type"]] if isinstance(n.get("type"), str) else n.get("type", [])
            )
        }
        our_values = {v for n in our_nodes for v in n.get("enum", [])} | {
            n["const"] for n in our_nodes if "const" in n
        }
        our_required = {r for n in our_nodes for r in n.get("required", [])}
        our_descriptions = {n["description"] for n in our_nodes if "description" in n}
        for node in real_nodes:
            if not set(node.get("enum", [])) <= our_values:
                problems.append(
                    f"{path}: enum values {set(node.get('enum', [])) - our_values} missing"
                )
            if not set(node.get("required", [])) <= our_required:
                problems.append(
                    f"{path}: required {set(node.get('required', [])) - our_required} missing"
                )
            if "description" in node and node["description"] not in our_descriptions:
                problems.append(f"{path}: description {node['description']!r} not kept")
            if "type" in node and node["type"] not in our_types:
                problems.append(f"{path}: type {node['type']} not in {our_types}")
            nullable = node.get("nullable")
            if nullable is not None and (root, path, "nullable") not in REAL_EXCEPTIONS:
                if nullable and "null" not in our_types:
                    problems.append(f"{path}: nullable in REAL-Q, null not accepted")
                if not nullable and "null" in our_types:
                    problems.append(f"{path}: not nullable in REAL-Q, null accepted")
            for key in CHECKED_KEYWORDS:
                if key in node and node[key] not in [
                    n.get(key, object()) for n in our_nodes
                ]:
                    problems.append(f"{path}: {key}={node[key]!r} not kept")
    assert not problems, "\n".join(problems)
    # the exceptions really are exceptions (and not stale)
    for exc_root, path, key in REAL_EXCEPTIONS:
        if exc_root == root:
            assert any(n.get(key) for n in real[path]), (path, key)
            assert "null" not in types_of(ours[path][0]), (path, key)


def test_real_spec_enums_without_type_are_typed_here() -> None:
    real = _real()["components"]["schemas"]
    ours = _spec()["components"]["schemas"]
    for name in ("CpuArchitectureEnum", "JobLifecycleTypeEnum"):  # Q6
        assert "type" not in real[name]
        assert (
            ours[name]["type"] == "string" and ours[name]["enum"] == real[name]["enum"]
        )
    assert set(ours["ServiceTypeEnum"]["enum"]) == set(
        real["ServiceTypeEnum"]["enum"]
    )  # Q16
    assert "AGENTIC_WORKFLOW" not in seed_sections()["response"]["service_type"]["enum"]


# ------------------------------------------------------- 5. examples validate
def example_sites() -> list[tuple[str, int]]:
    return [
        (pointer, i)
        for pointer, node in all_schema_nodes()
        for i in range(len(node.get("examples", [])))
    ]


def test_there_are_full_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert len(schemas["JobRequest"]["examples"]) >= 2
    assert len(schemas["JobResponse"]["examples"]) >= 2
    job_types = {e["job_type"] for e in schemas["JobResponse"]["examples"]}
    assert job_types == {"LIFECYCLE", "CRON"}
    assert len(example_sites()) >= 15


@pytest.mark.parametrize(
    ("pointer", "index"), example_sites(), ids=[f"{p}#{i}" for p, i in example_sites()]
)
def test_example_validates(pointer: str, index: int) -> None:
    node = _spec()
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    example = node["examples"][index]
    found = [e.message for e in validator_for(pointer).iter_errors(example)]
    assert not found, f"{pointer} examples[{index}]: {found}"


# ------------------------------------------------------- 6. hard cases (Q1..Q17)
def minimal_request(**extra: Any) -> dict[str, Any]:
    return {"name": "job", "healthchecks": {}, **extra}


def response(job_type: str, schedule: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {
        "id": UUID,
        "created_at": "2023-11-07T05:31:56Z",
        "environment": {"id": UUID},
        "maximum_cpu": 16000,
        "maximum_memory": 16384,
        "maximum_gpu": 0,
        "name": "job",
        "cpu": 500,
        "memory": 512,
        "gpu": 0,
        "auto_preview": False,
        "source": {
            "image": {
                "image_name": "img",
                "tag": "1",
                "registry": {"id": UUID, "name": "r", "url": "u", "kind": "ECR"},
            }
        },
        "healthchecks": {},
        "icon_uri": "https://example.com/i.svg",
        "service_type": "JOB",
        "job_type": job_type,
        "schedule": schedule,
    }
    body.update(extra)
    return body


CRON = {"cronjob": {"scheduled_at": "*/5 * * * *", "timezone": "Etc/UTC"}}
LIFECYCLE = {"on_start": {"arguments": ["a"]}, "lifecycle_type": "GENERIC"}


def test_q1_request_required_set_survives_flattening() -> None:
    assert is_valid("JobRequest", minimal_request())
    assert not is_valid("JobRequest", {"name": "job"})
    assert not is_valid("JobRequest", {"healthchecks": {}})
    assert "allOf" not in _spec()["components"]["schemas"]["JobRequest"]


def test_q2_response_oneof_is_discriminated_by_job_type(spec: dict[str, Any]) -> None:
    schema = spec["components"]["schemas"]["JobResponse"]
    mapping = schema["discriminator"]["mapping"]
    assert schema["discriminator"]["propertyName"] == "job_type"
    assert mapping == {
        "LIFECYCLE": "#/components/schemas/LifecycleJobResponse",
        "CRON": "#/components/schemas/CronJobResponse",
    }
    assert [m["$ref"] for m in schema["oneOf"]] == list(mapping.values())
    for value, ref in mapping.items():
        (job_type,) = lookup(f"{ref.rsplit('/', 1)[1]}.job_type")
        assert job_type[2] == {
            "type": "string",
            "const": value,
            "description": "type of job",
        }
    cron = response("CRON", CRON)
    # plain JSON Schema (discriminator ignored) accepts a CRON response: exactly one branch matches
    assert errors("JobResponse", cron) == []
    assert is_valid("CronJobResponse", cron) and not is_valid(
        "LifecycleJobResponse", cron
    )
    assert errors("JobResponse", response("LIFECYCLE", LIFECYCLE)) == []
    assert (
        errors("JobResponse", response("LIFECYCLE", {})) == []
    )  # the Lifecycle schedule has no required keys
    assert not is_valid(
        "JobResponse", response("CRON", LIFECYCLE)
    )  # CRON needs schedule.cronjob
    assert not is_valid("JobResponse", response("OTHER", LIFECYCLE))
    missing = response("CRON", CRON)
    del missing["job_type"]
    assert not is_valid("JobResponse", missing)


SOURCE_IMAGE = {"image_name": "img", "tag": "1", "registry_id": "r"}
SOURCE_DOCKER = {"dockerfile_path": "Dockerfile"}
REQUEST_SOURCES_ACCEPTED = [
    {"image": SOURCE_IMAGE},
    {"docker": SOURCE_DOCKER},
    {"image": SOURCE_IMAGE, "docker": SOURCE_DOCKER},  # the page's example fills both
    {"image": SOURCE_IMAGE, "docker": None},
    {"image": None, "docker": SOURCE_DOCKER},
    {},
    {"image": None, "docker": None},
    {"image": {}, "docker": {}},
]
REQUEST_SOURCES_REFUSED = [
    None,  # the source itself is not nullable in REAL-Q
    "image",
    {"image": "qovery/migrations"},
    {"image": {"tag": 1}},
    {"docker": {"git_repository": {"url": "https://github.com/o/n"}}},  # Q10
    {"docker": {"dockerfile_raw": 1}},
]


def test_q3_request_source_is_a_plain_object_as_in_real_q() -> None:
    """REAL-Q's request source has two optional nullable members and no oneOf (JobSource note)."""
    (real_source,) = paths_of(_real(), "JobRequest")["source"]
    assert "oneOf" not in real_source and "anyOf" not in real_source
    assert {
        name: member.get("nullable")
        for name, member in real_source["properties"].items()
    } == {"image": True, "docker": True}
    ours = _spec()["components"]["schemas"]["JobSource"]
    assert ours["type"] == "object" and "required" not in ours
    assert not {"oneOf", "anyOf", "allOf"} & set(ours)
    assert "REAL-Q" in ours["x-specgen-note"]
    for source in REQUEST_SOURCES_ACCEPTED:
        assert errors("JobRequest", minimal_request(source=source)) == [], source
        assert real_request_errors(minimal_request(source=source)) == [], source
    for source in REQUEST_SOURCES_REFUSED:
        assert not is_valid("JobRequest", minimal_request(source=source)), source
        assert real_request_errors(minimal_request(source=source)), source


def test_q3_response_source_alternatives_are_exclusive() -> None:
    base = response("LIFECYCLE", LIFECYCLE)
    assert is_valid("JobResponse", base)
    both = copy.deepcopy(base)
    both["source"]["docker"] = {"dockerfile_path": "Dockerfile"}
    assert not is_valid("JobResponse", both)
    neither = response("LIFECYCLE", LIFECYCLE, source={})
    assert not is_valid("JobResponse", neither)
    assert not is_valid("JobResponse", response("LIFECYCLE", LIFECYCLE, source=None))
    docker = response(
        "LIFECYCLE",
        LIFECYCLE,
        source={
            "docker": {
                "git_repository": {
                    "provider": "GITLAB",
                    "owner": "o",
                    "name": "n",
                    "url": "https://gitlab.com/o/n",
                    "git_token_id": None,
                }
            }
        },
    )
    assert is_valid("JobResponse", docker)
    image = copy.deepcopy(base)
    del image["source"]["image"][
        "registry"
    ]  # registry is required in the response image (ContainerSource)
    assert not is_valid("JobResponse", image)


def test_request_schedule_lifecycle_vs_cron() -> None:
    ok = [
        LIFECYCLE,
        {"on_stop": {}},
        {"on_delete": {"entrypoint": "/x"}},
        {"cronjob": {"scheduled_at": "* * * * *"}},
        {"on_start": {}, "cronjob": None},
        {"cronjob": {"scheduled_at": "* * * * *"}, "on_start": None},
    ]
    for schedule in ok:
        assert errors("JobRequest", minimal_request(schedule=schedule)) == [], schedule
    bad = [
        {},  # neither a Lifecycle event nor a cronjob
        {"lifecycle_type": "GENERIC"},  # Lifecycle needs at least one on_XXX
        {
            "on_start": {},
            "cronjob": {"scheduled_at": "* * * * *"},
        },  # Cron: only cronjob
        {"cronjob": {"timezone": "Etc/UTC"}},  # scheduled_at is required
        {"on_start": {}, "lifecycle_type": "OTHER"},
    ]
    for schedule in bad:
        assert not is_valid("JobRequest", minimal_request(schedule=schedule)), schedule


def test_q4_probe_type_is_a_plain_object_with_four_nullable_members() -> None:
    four = {
        "tcp": {"port": 1, "host": None},
        "http": {"path": "/", "scheme": "HTTP", "port": 1},
        "exec": {"command": ["sh"]},
        "grpc": {"service": None, "port": 1},
    }
    assert is_valid("Probe", {"type": four})
    assert is_valid("Probe", {"type": {}})
    assert is_valid(
        "Probe", {"type": {"tcp": None, "http": None, "exec": None, "grpc": None}}
    )
    assert not is_valid("Probe", {"type": None})
    assert not is_valid("Probe", {"type": {"exec": {"command": []}}})  # minItems 1
    probe_type = _spec()["components"]["schemas"]["ProbeType"]
    assert "oneOf" not in probe_type and "discriminator" not in probe_type
    assert is_valid("Healthcheck", {"readiness_probe": None, "liveness_probe": None})
    assert not is_valid("JobRequest", {"name": "job", "healthchecks": None})


def test_q5_http_scheme_has_no_enum() -> None:
    assert is_valid("ProbeTypeHttp", {"scheme": "FTP"})
    assert not is_valid("ProbeTypeHttp", {"scheme": 1})


def test_q7_cpu_architecture_accepts_null() -> None:
    for value in ("AMD64", "ARM64", None):
        assert is_valid("JobRequest", minimal_request(cpu_architecture=value))
        assert is_valid("JobResponse", response("CRON", CRON, cpu_architecture=value))
    assert not is_valid("JobRequest", minimal_request(cpu_architecture="X86"))


@pytest.mark.parametrize(
    ("field", "minimum"),
    [
        ("gpu", 0),
        ("ephemeral_storage_in_gib", 0),
        ("max_nb_restart", 0),
        ("max_duration_seconds", 0),
        ("port", 1),
    ],
)
def test_q8_request_ranges(field: str, minimum: int) -> None:
    assert is_valid("JobRequest", minimal_request(**{field: minimum}))
    assert not is_valid("JobRequest", minimal_request(**{field: minimum - 1}))
    assert not is_valid("JobRequest", minimal_request(**{field: 1.5}))
    assert is_valid("JobRequest", minimal_request(**{field: None})) is (field == "port")


@pytest.mark.parametrize(
    ("field", "minimum"),
    [
        ("gpu", 0),
        ("maximum_gpu", 0),
        ("max_nb_restart", 0),
        ("max_duration_seconds", 0),
        ("port", 1),
        ("ephemeral_storage_in_gib", 0),
    ],
)
def test_q8_response_ranges(field: str, minimum: int) -> None:
    assert is_valid("JobResponse", response("CRON", CRON, **{field: minimum}))
    assert not is_valid("JobResponse", response("CRON", CRON, **{field: minimum - 1}))


def test_q8_nullable_strings_default_to_null() -> None:
    assert is_valid("ProbeTypeTcp", {"host": None}) and is_valid(
        "ProbeTypeGrpc", {"service": None}
    )
    assert not is_valid("ProbeTypeTcp", {"port": None})


def test_q9_read_only_fields() -> None:
    read_only = {
        p
        for p, nodes in paths_of(_spec(), "JobResponse").items()
        if any(n.get("readOnly") for n in nodes)
    }
    assert read_only == {
        "id",
        "created_at",
        "updated_at",
        "environment.id",
        "source.docker.git_repository.deployed_commit_date",
        "annotations_groups[].id",
        "annotations_groups[].created_at",
        "annotations_groups[].updated_at",
        "labels_groups[].id",
        "labels_groups[].created_at",
        "labels_groups[].updated_at",
    }
    request_paths = paths_of(_spec(), "JobRequest")
    assert not [
        p for p, nodes in request_paths.items() if any(n.get("readOnly") for n in nodes)
    ]


def test_q10_git_repository_owner_and_name_are_required_and_declared() -> None:
    repo = {
        "url": "https://github.com/o/n",
        "owner": "o",
        "name": "n",
        "provider": "GITHUB",
    }
    assert is_valid("ApplicationGitRepositoryRequest", repo)
    for key in repo:
        partial = {k: v for k, v in repo.items() if k != key}
        assert not is_valid("ApplicationGitRepositoryRequest", partial), key
    props = _spec()["components"]["schemas"]["ApplicationGitRepositoryRequest"][
        "properties"
    ]
    assert props["owner"]["type"] == "string" and props["name"]["type"] == "string"
    assert not is_valid(
        "ApplicationGitRepositoryRequest", {**repo, "git_token_id": "not-a-uuid"}
    )
    assert is_valid("ApplicationGitRepositoryRequest", {**repo, "git_token_id": None})


def test_q13_direction_dependent_fields() -> None:
    assert is_valid(
        "JobRequest",
        minimal_request(schedule={"cronjob": {"scheduled_at": "* * * * *"}}),
    )
    assert not is_valid(
        "JobResponse", response("CRON", {"cronjob": {"scheduled_at": "* * * * *"}})
    )
    assert is_valid("JobRequest", minimal_request(auto_deploy=None))
    assert not is_valid("JobResponse", response("CRON", CRON, auto_deploy=None))
    assert is_valid("JobResponse", response("CRON", CRON, auto_deploy=False))


def test_q17_verbatim_copy_paste_descriptions() -> None:
    (maximum_gpu,) = lookup("JobResponse.maximum_gpu")
    assert maximum_gpu[2]["description"].startswith("Maximum memory")
    (registry_id,) = lookup("JobRequest.source.image.registry_id")
    assert registry_id[2]["description"] == "tag of the image container"
    (scheduled_at,) = lookup("JobResponse.schedule.cronjob.scheduled_at")
    assert scheduled_at[2]["description"].endswith("Timezone is UT\n")
    (scheduled_at,) = lookup("JobRequest.schedule.cronjob.scheduled_at")
    assert scheduled_at[2]["description"].endswith("Timezone is UTC\n")


def test_response_required_fields_are_enforced() -> None:
    full = response("LIFECYCLE", LIFECYCLE)
    for key in list(full):
        partial = {k: v for k, v in full.items() if k != key}
        assert not is_valid("JobResponse", partial), key
    assert not is_valid(
        "JobResponse", response("LIFECYCLE", LIFECYCLE, id="nope")
    )  # uuid format
    assert not is_valid(
        "JobResponse", response("LIFECYCLE", LIFECYCLE, service_type="LAMBDA")
    )
