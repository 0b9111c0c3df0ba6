"""Checks for the curated Northflank "Run job" spec (specs/northflank-jobs.yaml).

The facts come from the Northflank documentation page
(tests/data/seeds/northflank-run-job.txt, SEED-N) and tests/data/spec-notes.md (section 2
and the hard cases N1..N12); tests/data/README.md says where each comes from. Instances
are validated with jsonschema's Draft 2020-12 validator against the spec's own component
schemas.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.spec_walk import schema_nodes, walk

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SPEC_PATH = REPO / "specs" / "northflank-jobs.yaml"
SEED_PATH = DATA / "seeds" / "northflank-run-job.txt"
SPEC_URI = "urn:specgen:northflank-jobs"

OPERATION_PATH = "/v1/projects/{projectId}/jobs/{jobId}/runs"

# The imagePath pattern exactly as the document prints it (SEED-N L238).
DOC_IMAGE_PATH_PATTERN = (
    r"^(?:(?:https?:\/\/)?([a-zA-Z0-9\-]+\.[a-zA-Z0-9\.\-]+)(\/v1)?)?(?:\/)?([a-zA-Z/-9\.\-_]+)"
    r"(?:\:([a-zA-Z/-9\.\-_\:]+)|\@([a-zA-Z/-9\.\-_\:]+))$"
)
DOCKER_CONFIG_TYPES = [
    "default",
    "customEntrypoint",
    "customCommand",
    "customEntrypointCustomCommand",
]
BUILDPACK_CONFIG_TYPES = [
    "default",
    "customProcess",
    "customCommand",
    "customEntrypointCustomCommand",
    "originalEntrypointCustomCommand",
]
STORAGE_SIZES = [
    1024,
    2048,
    5120,
    10240,
    20480,
    30720,
    40960,
    51200,
    61440,
    81920,
    102400,
    122880,
    153600,
    204800,
]
SHM_SIZES = [64, 128, 256, 512, 1024, 2048, 5120, 10240]

DEP = "RunJobRequest.deployment"

# (field path from a component schema, JSON type, required in its parent object (None:
#  conditional, see the hard cases below), constraints, description from the document).
#  Paths walk through $ref, oneOf and anyOf; "enum" also accepts the set of `const` values
#  of a discriminated oneOf.
FACTS: list[tuple[str, str, bool | None, dict[str, Any], str | None]] = [
    (
        "RunJobRequest.runtimeEnvironment",
        "object",
        False,
        {},
        "An object containing the environment variables overrides to use when running the job. "
        "Keys may only contain letters, numbers, hyphens, forward slashes and dots.",
    ),
    (
        "RunJobRequest.runtimeFiles",
        "object",
        False,
        {},
        "Secret files as JSON object, encrypted at rest. File path must be absolute",
    ),
    (
        "RunJobRequest.runtimeFiles.*.data",
        "string",
        True,
        {"contentEncoding": "base64"},
        "base64 encoded string of the file contents",
    ),
    (
        "RunJobRequest.runtimeFiles.*.encoding",
        "string",
        False,
        {"enum": ["utf-8", "base64"]},
        None,
    ),
    ("RunJobRequest.billing", "object", False, {}, None),
    (
        "RunJobRequest.billing.deploymentPlan",
        "string",
        False,
        {"pattern": "^[A-Za-z0-9-]+$"},
        "The ID of the deployment plan override to use.",
    ),
    (DEP, "object", False, {}, "Override the job run deployment source."),
    (
        f"{DEP}.docker",
        "object",
        False,
        {},
        "Allows for customization of docker runtime",
    ),
    (
        f"{DEP}.docker.configType",
        "string",
        True,
        {"enum": DOCKER_CONFIG_TYPES},
        "Type of entrypoint & command override configuration",
    ),
    (
        f"{DEP}.docker.customEntrypoint",
        "string",
        None,
        {},
        "Custom entrypoint which should be used. Required in case where `configType` is "
        "`customEntrypoint` or `customEntrypointCustomCommand`",
    ),
    (
        f"{DEP}.docker.customCommand",
        "string",
        None,
        {},
        "Custom command which should be used. Required in case where `configType` is "
        "`customCommand` or `customEntrypointCustomCommand`",
    ),
    (
        f"{DEP}.buildpack",
        "object",
        False,
        {},
        "Allows for customization of buildpack runtime",
    ),
    (
        f"{DEP}.buildpack.configType",
        "string",
        True,
        {"enum": BUILDPACK_CONFIG_TYPES},
        "Type of buildpack run configuration",
    ),
    (
        f"{DEP}.buildpack.customProcess",
        "string",
        None,
        {},
        "Custom process which should be run. Required in case where `configType` is "
        "`customProcess`",
    ),
    (
        f"{DEP}.buildpack.customEntrypoint",
        "string",
        None,
        {},
        "Custom entrypoint which should be run. Required in case where `configType` is "
        "`customEntrypointCustomCommand`",
    ),
    (
        f"{DEP}.buildpack.customCommand",
        "string",
        None,
        {},
        "Custom command which should be run. Required in case where `configType` is "
        "`customCommand`, `customEntrypointCustomCommand` or `originalEntrypointCustomCommand`",
    ),
    (f"{DEP}.storage", "object", False, {}, None),
    (f"{DEP}.storage.ephemeralStorage", "object", False, {}, None),
    (
        f"{DEP}.storage.ephemeralStorage.storageSize",
        "integer",
        False,
        {"enum": STORAGE_SIZES, "minimum": 1024, "maximum": 204800},
        "Ephemeral storage per container in MB",
    ),
    (
        f"{DEP}.storage.shmSize",
        "integer",
        False,
        {"enum": SHM_SIZES, "minimum": 64, "maximum": 10240},
        "Configures the amount of available memory-backed disk space available to /dev/shm",
    ),
    (f"{DEP}.internal", "object", False, {}, "Optional: Specify the commit to run"),
    (
        f"{DEP}.internal.id",
        "string",
        False,
        {
            "minLength": 3,
            "maxLength": 54,
            "pattern": "^[a-zA-Z](-?[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)?$",
        },
        "ID of the build service to deploy",
    ),
    (f"{DEP}.internal.branch", "string", False, {}, "Branch to deploy"),
    (
        f"{DEP}.internal.buildSHA",
        "string",
        False,
        {},
        "Commit SHA to deploy, or 'latest' to deploy the most recent commit",
    ),
    (
        f"{DEP}.internal.buildId",
        "string",
        False,
        {},
        "ID of the build that should be deployed",
    ),
    (
        f"{DEP}.external",
        "object",
        False,
        {},
        "Optional: Specify the external image to run",
    ),
    (
        f"{DEP}.external.imagePath",
        "string",
        True,
        {},
        "Image to be deployed. When not deploying from Dockerhub the URL must be specified.",
    ),
    (
        f"{DEP}.external.credentials",
        "string",
        False,
        {"pattern": "^[A-Za-z0-9-]+$"},
        "ID of the saved credentials to use to access this external image.",
    ),
    ("RunJobResponse.data", "object", True, {}, "Result data."),
    ("RunJobResponse.data.id", "string", True, {}, "The ID of the job run"),
    ("RunJobResponse.data.runName", "string", True, {}, "The name of the job run"),
]


# --------------------------------------------------------------------------- helpers
@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return _spec()


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED_PATH.is_file():
        pytest.fail(
            f"{SEED_PATH} is missing: it is vendored in tests/data (see tests/data/README.md)"
        )
    return SEED_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


@cache
def validator_for(pointer: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for the spec node at `pointer` (e.g. /components/schemas/X)."""
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry())


def schema_validator(name: str) -> Draft202012Validator:
    return validator_for(f"/components/schemas/{name}")


def is_valid(name: str, instance: Any) -> bool:
    return schema_validator(name).is_valid(instance)


def deref(node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/components/schemas/"), f"unexpected $ref {ref}"
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        node = _spec()["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node


def expand(node: Any) -> list[dict[str, Any]]:
    """The node (dereferenced) and, recursively, every oneOf/anyOf/allOf member."""
    node = deref(node)
    out = [node]
    for key in ("oneOf", "anyOf", "allOf"):
        for member in node.get(key, []):
            out.extend(expand(member))
    return out


def lookup(path: str) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """All (parent object schema, property name, property schema) reachable along `path`.

    `*` steps into additionalProperties (map values)."""
    root, *parts = path.split(".")
    current: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
        ({}, root, _spec()["components"]["schemas"][root])
    ]
    for part in parts:
        found = []
        for _, _, schema in current:
            for member in expand(schema):
                if part == "*":
                    if isinstance(member.get("additionalProperties"), dict):
                        found.append((member, part, member["additionalProperties"]))
                elif part in member.get("properties", {}):
                    found.append((member, part, member["properties"][part]))
        current = found
    return current


def types_of(node: Any) -> set[str]:
    types: set[str] = set()
    for member in expand(node):
        t = member.get("type")
        if isinstance(t, str):
            types.add(t)
        elif isinstance(t, list):
            types.update(t)
    return types


def values_of(node: Any) -> set[Any]:
    """Enum values, or the const values of the alternatives (discriminated oneOf)."""
    values: set[Any] = set()
    for member in expand(node):
        values.update(member.get("enum", []))
        if "const" in member:
            values.add(member["const"])
        # a discriminated union: the property lives in the variants
    return values


def all_schema_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, schema in _spec()["components"]["schemas"].items():
        yield from schema_nodes(schema, f"/components/schemas/{name}")


def nodes_for_property(name: str) -> list[dict[str, Any]]:
    """Every schema (expanded) declared for a property called `name` anywhere in the spec."""
    out: list[dict[str, Any]] = []
    for _, node in all_schema_nodes():
        if name in (node.get("properties") or {}):
            out.extend(expand(node["properties"][name]))
    return out


def seed_request_example(seed: str) -> Any:
    match = re.search(r"--data '(\{.*?\})' \\", seed)
    assert match, "the seed's curl example was not found"
    return json.loads(match.group(1))


def seed_response_example(seed: str) -> Any:
    start = seed.index("{", seed.index("Example response"))
    return json.JSONDecoder().raw_decode(seed[start:])[0]


def request_with_deployment(deployment: Any) -> dict[str, Any]:
    return {"deployment": deployment}


# ------------------------------------------------------------- 1. the spec is valid
def test_spec_passes_openapi_spec_validator(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate_openapi(spec)


def test_operation_shape(spec: dict[str, Any]) -> None:
    assert spec["servers"] == [
        {"url": "https://api.northflank.com", "description": "Northflank API"}
    ]
    assert list(spec["paths"]) == [OPERATION_PATH]
    path_item = spec["paths"][OPERATION_PATH]
    assert list(path_item) == ["post"]
    op = path_item["post"]
    assert op["operationId"] == "runJob"
    assert op["summary"] == "Run job"
    assert op["description"].startswith("Starts a new job run for the given job")
    assert "Project > Jobs > General > Read" in op["description"]
    assert op["tags"] == ["Jobs"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"projectId", "jobId"}
    for name, description in (
        ("projectId", "ID of the project"),
        ("jobId", "ID of the job"),
    ):
        assert params[name]["in"] == "path"
        assert params[name]["required"] is True
        assert params[name]["schema"] == {"type": "string"}
        assert params[name]["description"] == description
    body = op["requestBody"]
    assert (
        body["required"] is False
    )  # no field is required and the page never says a body is needed
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RunJobRequest"
    }
    ok = op["responses"]["200"]
    assert ok["description"] == "Details about the new job run."
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RunJobResponse"
    }
    assert set(ok["headers"]) == {
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    }
    assert "201" not in op["responses"]
    for status in ("400", "401", "403", "404", "409", "429", "5XX"):
        ref = op["responses"][status]["$ref"]
        response = spec["components"]["responses"][ref.rsplit("/", 1)[1]]
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiError"
        }
    too_many = spec["components"]["responses"]["TooManyRequests"]
    assert set(too_many["headers"]) == {
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    }
    for header in spec["components"]["headers"].values():
        assert header["schema"]["type"] == "integer"


def test_security(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"bearerAuth"}
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["bearerAuth"]["description"]
    assert spec["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"][OPERATION_PATH]["post"]


# --------------------------------------------------------------- 2. style rules
def test_no_nullable_keyword(spec: dict[str, Any]) -> None:
    offenders = [
        p for p, node in walk(spec) if isinstance(node, dict) and "nullable" in node
    ]
    assert not offenders, f"`nullable` is not allowed in OpenAPI 3.1 specs: {offenders}"


def test_every_enum_and_const_has_a_type(spec: dict[str, Any]) -> None:
    for pointer, node in all_schema_nodes():
        if "enum" in node or "const" in node:
            assert "type" in node, f"{pointer}: enum/const without `type`"
            values = node.get("enum", [node.get("const")])
            expected = {"string": str, "integer": int}[node["type"]]
            assert all(
                isinstance(v, expected) and not isinstance(v, bool) for v in values
            ), pointer


def test_component_names_and_conventions(spec: dict[str, Any]) -> None:
    for name in spec["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) and name.isidentifier(), name
    for pointer, node in all_schema_nodes():
        # The API forbids no extra keys that the document shows; keep models open.
        assert node.get("additionalProperties") is not False, pointer
        if "examples" in node:
            assert isinstance(node["examples"], list) and node["examples"], pointer
        assert "example" not in node, f"{pointer}: use `examples` (a list)"
    for pointer, node in walk(spec):
        if isinstance(node, dict) and "x-specgen-note" in node:
            assert (
                isinstance(node["x-specgen-note"], str)
                and node["x-specgen-note"].strip()
            ), pointer
    assert "x-specgen-note" in spec


def test_patterns_are_single_quoted_in_the_yaml() -> None:
    lines = [
        line.strip() for line in SPEC_PATH.read_text(encoding="utf-8").splitlines()
    ]
    pattern_lines = [line for line in lines if line.startswith("pattern:")]
    assert len(pattern_lines) >= 6
    for line in pattern_lines:
        assert re.fullmatch(r"pattern: '.*'", line), line


def test_every_pattern_compiles() -> None:
    patterns = [node["pattern"] for _, node in all_schema_nodes() if "pattern" in node]
    for pattern in patterns:
        re.compile(pattern)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_patterns_compile_as_ecmascript_unicode_regexps() -> None:
    """N7: JSON Schema patterns are ECMAScript regexps; many validators compile them
    with the u flag."""
    patterns = [node["pattern"] for _, node in all_schema_nodes() if "pattern" in node]
    script = (
        "const ps = JSON.parse(process.argv[1]); const bad = [];"
        "for (const p of ps) { try { new RegExp(p, 'u'); } catch (e) { bad.push(p); } }"
        "console.log(JSON.stringify(bad));"
    )
    result = subprocess.run(
        ["node", "-e", script, json.dumps(patterns)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    # and the document's own pattern really is the problem the spec works around
    result = subprocess.run(
        ["node", "-e", script, json.dumps([DOC_IMAGE_PATH_PATTERN])],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert json.loads(result.stdout) == [DOC_IMAGE_PATH_PATTERN]


# ------------------------------------------------------- 3. seed cross-check (table)
@pytest.mark.parametrize(
    ("path", "json_type", "required", "constraints", "description"),
    FACTS,
    ids=[f[0] for f in FACTS],
)
def test_fact_from_document_is_in_spec(
    path: str,
    json_type: str,
    required: bool | None,
    constraints: dict[str, Any],
    description: str | None,
) -> None:
    found = lookup(path)
    assert found, f"{path} is not in the spec"
    for parent, name, prop in found:
        assert types_of(prop) == {json_type}, f"{path}: types {types_of(prop)}"
        if name != "*" and parent and required is not None:
            assert (name in parent.get("required", [])) is required, (
                f"{path}: required should be {required}"
            )
        resolved = deref(prop)
        for key, expected in constraints.items():
            if key != "enum":
                assert resolved.get(key) == expected, (
                    f"{path}: {key}={resolved.get(key)!r}"
                )
        if description is not None:
            texts = {prop.get("description"), resolved.get("description")}
            assert description in texts, f"{path}: description {texts}"
    if required is None:
        # conditional: required by some configType variants and not by others
        flags = {name in parent.get("required", []) for parent, name, _ in found}
        assert flags == {True, False}, f"{path}: required flags {flags}"
    if "enum" in constraints:
        # a discriminated oneOf spreads the values over its variants (one const each)
        values = {value for _, _, prop in found for value in values_of(prop)}
        assert values == set(constraints["enum"]), f"{path}: enum {values}"
    # the request never requires a top-level field (2.2)
    assert "required" not in deref({"$ref": "#/components/schemas/RunJobRequest"})


def test_deployment_alternatives_are_documented() -> None:
    branches = deref({"$ref": "#/components/schemas/DeploymentOverride"})["anyOf"]
    descriptions = sorted(deref(b)["description"] for b in branches)
    assert descriptions == [
        "Optional: Override the run to use a previously built commit",
        "Optional: Override the run to use an external image",
    ]
    internal, external = (deref(b) for b in branches)
    assert set(internal["properties"]) == {"docker", "buildpack", "storage", "internal"}
    assert set(external["properties"]) == {"docker", "buildpack", "storage", "external"}


def test_build_sha_alternatives() -> None:
    ((_, _, prop),) = lookup(f"{DEP}.internal.buildSHA")
    alternatives = prop["oneOf"]
    assert {
        "type": "string",
        "minLength": 40,
        "maxLength": 40,
        "description": "A commit sha.",
    } in alternatives
    assert {
        "type": "string",
        "const": "latest",
        "description": "Latest commit.",
    } in alternatives


def test_image_path_pattern_is_the_documents_pattern() -> None:
    """N7: the spec writes \\: and \\@ as : and @; the regexp must otherwise be the document's."""
    for _, _, prop in lookup(f"{DEP}.external.imagePath"):
        pattern = prop["pattern"]
        assert pattern == DOC_IMAGE_PATH_PATTERN.replace("\\:", ":").replace("\\@", "@")
        samples = [
            "nginx",
            "nginx:latest",
            "library/nginx:1.27",
            "python@sha256:abc123",
            "docker.io/library/python:3.12-slim",
            "https://registry.example.com/v1/org/img:1.0",
            "registry.example.com:5000/img:tag",
            "img:",
            ":tag",
            "UPPER/Case_1.2:tag",
            "a b:c",
            "host.io/repo@digest:with:colons",
            "ghcr.io/o/r@sha256:0f",
            "x:y\n",
        ]
        for sample in samples:
            assert bool(re.search(pattern, sample)) == bool(
                re.search(DOC_IMAGE_PATH_PATTERN, sample)
            ), sample


def _seed_fields(seed: str) -> list[tuple[str, list[str]]]:
    """(field name, the lines that follow it up to the next bullet) for each `• name` in
    the seed."""
    lines = [
        line.strip()
        for line in seed.split("API\nCLI\nJS Client\n\n      POST")[0].splitlines()
    ]
    fields: list[tuple[str, list[str]]] = []
    for index, line in enumerate(lines):
        match = re.fullmatch(r"• (\w+)", line)
        if match and match.group(1) not in {"string", "OR"}:
            body = []
            for following in lines[index + 1 :]:
                if following.startswith("•") or following == "OR":
                    break
                if following:
                    body.append(following)
            fields.append((match.group(1), body))
    return fields


def test_seed_field_names_are_properties(seed: str, spec: dict[str, Any]) -> None:
    fields = _seed_fields(seed)
    names = {name for name, _ in fields}
    assert len(names) >= 25, names
    params = {p["name"] for p in spec["paths"][OPERATION_PATH]["post"]["parameters"]}
    assert params == {"projectId", "jobId"} <= names
    for name in names - params:
        assert nodes_for_property(name), (
            f"{name} from the document is not a property in the spec"
        )


def test_seed_descriptions_are_in_spec(seed: str, spec: dict[str, Any]) -> None:
    descriptions = {
        node["description"]
        for _, node in walk(spec)
        if isinstance(node, dict) and isinstance(node.get("description"), str)
    }
    keywords = {"pattern", "one of", "min", "max", "min length", "max length"}
    checked = 0
    for name, body in _seed_fields(seed):
        # body[0] is the type line ("string required", "{object}", ...); body[1] the
        # description if any
        if len(body) >= 2 and body[1] not in keywords:
            assert body[1] in descriptions, f"{name}: {body[1]!r}"
            checked += 1
    assert checked >= 25
    for text in (
        "Response object.",
        "Result data.",
        "A commit sha.",
        "Latest commit.",
        "Optional: Override the run to use a previously built commit",
        "Optional: Override the run to use an external image",
    ):
        assert text in seed and text in descriptions, text


def test_seed_constraints_are_in_spec(seed: str) -> None:
    keyword_of = {
        "pattern": "pattern",
        "min": "minimum",
        "max": "maximum",
        "min length": "minLength",
        "max length": "maxLength",
    }
    checked = 0
    for name, body in _seed_fields(seed):
        nodes = nodes_for_property(name)
        for index, line in enumerate(body[:-1]):
            value_line = body[index + 1]
            if line in keyword_of:
                key = keyword_of[line]
                value: Any = value_line if key == "pattern" else int(value_line)
                if name == "imagePath":
                    value = value.replace("\\:", ":").replace("\\@", "@")
                assert any(node.get(key) == value for node in nodes), (
                    f"{name}: {key} {value!r}"
                )
                checked += 1
            elif line == "one of":
                values = {int(v) if v.isdigit() else v for v in value_line.split(", ")}
                candidates = [values_of(node) for node in nodes]
                # a discriminated oneOf spreads the values over its variants, one const each
                for _, union in all_schema_nodes():
                    if union.get("discriminator", {}).get("propertyName") == name:
                        candidates.append(
                            {
                                v
                                for member in union["oneOf"]
                                for v in values_of(deref(member)["properties"][name])
                            }
                        )
                assert values in candidates, f"{name}: one of {values}"
                checked += 1
    assert checked >= 20


def test_seed_examples_validate(seed: str, spec: dict[str, Any]) -> None:
    request = seed_request_example(seed)
    response = seed_response_example(seed)
    assert set(request) == {
        "runtimeEnvironment",
        "runtimeFiles",
        "billing",
        "deployment",
    }  # N1: siblings
    schema_validator("RunJobRequest").validate(request)
    schema_validator("RunJobResponse").validate(response)
    assert request in spec["components"]["schemas"]["RunJobRequest"]["examples"]
    assert response in spec["components"]["schemas"]["RunJobResponse"]["examples"]


# -------------------------------------------------------- 4. schema-level examples
def _examples() -> list[tuple[str, int, Any]]:
    return [
        (pointer, index, example)
        for pointer, node in all_schema_nodes()
        for index, example in enumerate(node.get("examples") or [])
    ]


@pytest.mark.parametrize(
    ("pointer", "index", "example"),
    _examples(),
    ids=lambda v: str(v)[:60] if isinstance(v, str) else "",
)
def test_schema_examples_validate(pointer: str, index: int, example: Any) -> None:
    errors = sorted(validator_for(pointer).iter_errors(example), key=str)
    assert not errors, f"{pointer} examples[{index}]: {[e.message for e in errors]}"


def test_request_and_response_have_full_examples(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    request_examples = schemas["RunJobRequest"]["examples"]
    assert any(
        set(e) == {"runtimeEnvironment", "runtimeFiles", "billing", "deployment"}
        for e in request_examples
    )
    assert any("external" in e.get("deployment", {}) for e in request_examples)
    assert any("internal" in e.get("deployment", {}) for e in request_examples)
    assert schemas["RunJobResponse"]["examples"]
    assert len(_examples()) >= 20


# ------------------------------------------------------------------ 5. hard cases
@pytest.mark.parametrize("branch", ["internal", "external"])
@pytest.mark.parametrize(
    ("docker", "valid"),
    [
        ({"configType": "default"}, True),
        ({"configType": "customEntrypoint"}, False),
        ({"configType": "customEntrypoint", "customEntrypoint": "/entry.sh"}, True),
        ({"configType": "customEntrypoint", "customCommand": "run"}, False),
        ({"configType": "customCommand"}, False),
        ({"configType": "customCommand", "customCommand": "run"}, True),
        (
            {
                "configType": "customEntrypointCustomCommand",
                "customEntrypoint": "/entry.sh",
            },
            False,
        ),
        (
            {"configType": "customEntrypointCustomCommand", "customCommand": "run"},
            False,
        ),
        (
            {
                "configType": "customEntrypointCustomCommand",
                "customEntrypoint": "/entry.sh",
                "customCommand": "run",
            },
            True,
        ),
        (
            {"configType": "customProcess", "customProcess": "web"},
            False,
        ),  # a buildpack-only value (N4)
        ({"customEntrypoint": "/entry.sh"}, False),  # configType is required
        ({"configType": "bogus"}, False),
        ({"configType": "customEntrypoint", "customEntrypoint": 5}, False),
    ],
)
def test_docker_config_type_rules(
    branch: str, docker: dict[str, Any], valid: bool
) -> None:
    source = (
        {"internal": {"id": "build-service"}}
        if branch == "internal"
        else {"external": {"imagePath": "nginx:1"}}
    )
    assert (
        is_valid("RunJobRequest", request_with_deployment({"docker": docker, **source}))
        is valid
    )
    assert is_valid("DockerRuntimeConfig", docker) is valid


@pytest.mark.parametrize("branch", ["internal", "external"])
@pytest.mark.parametrize(
    ("buildpack", "valid"),
    [
        ({"configType": "default"}, True),
        ({"configType": "customProcess"}, False),
        ({"configType": "customProcess", "customProcess": "worker"}, True),
        ({"configType": "customCommand"}, False),
        ({"configType": "customCommand", "customCommand": "run"}, True),
        (
            {"configType": "customEntrypointCustomCommand", "customCommand": "run"},
            False,
        ),
        (
            {"configType": "customEntrypointCustomCommand", "customEntrypoint": "/e"},
            False,
        ),
        (
            {
                "configType": "customEntrypointCustomCommand",
                "customEntrypoint": "/e",
                "customCommand": "run",
            },
            True,
        ),
        ({"configType": "originalEntrypointCustomCommand"}, False),
        (
            {"configType": "originalEntrypointCustomCommand", "customEntrypoint": "/e"},
            False,
        ),
        (
            {"configType": "originalEntrypointCustomCommand", "customCommand": "run"},
            True,
        ),
        (
            {"configType": "customEntrypoint", "customEntrypoint": "/e"},
            False,
        ),  # a docker-only value (N4)
        ({"customProcess": "worker"}, False),
    ],
)
def test_buildpack_config_type_rules(
    branch: str, buildpack: dict[str, Any], valid: bool
) -> None:
    source = (
        {"internal": {"id": "build-service"}}
        if branch == "internal"
        else {"external": {"imagePath": "nginx:1"}}
    )
    assert (
        is_valid(
            "RunJobRequest", request_with_deployment({"buildpack": buildpack, **source})
        )
        is valid
    )
    assert is_valid("BuildpackRuntimeConfig", buildpack) is valid


@pytest.mark.parametrize(
    ("union", "types"),
    [
        ("DockerRuntimeConfig", DOCKER_CONFIG_TYPES),
        ("BuildpackRuntimeConfig", BUILDPACK_CONFIG_TYPES),
    ],
)
def test_discriminator_mapping_is_consistent(
    spec: dict[str, Any], union: str, types: list[str]
) -> None:
    schema = spec["components"]["schemas"][union]
    assert schema["discriminator"]["propertyName"] == "configType"
    mapping = schema["discriminator"]["mapping"]
    assert list(mapping) == types
    assert sorted(mapping.values()) == sorted(
        member["$ref"] for member in schema["oneOf"]
    )
    for value, ref in mapping.items():
        variant = deref({"$ref": ref})
        assert variant["properties"]["configType"]["const"] == value
        assert "configType" in variant["required"]
        assert "default" not in variant["properties"]["configType"]


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        (
            "VARIABLE_1",
            True,
        ),  # the document's own example key (N9 decision: underscores allowed)
        ("app.config/mode-1", True),
        ("ABC123", True),
        ("MY VAR", False),
        ("A=B", False),
        ("$HOME", False),
        ("ключ", False),
        ("", False),
    ],
)
def test_runtime_environment_keys(key: str, valid: bool) -> None:
    assert is_valid("RunJobRequest", {"runtimeEnvironment": {key: "value"}}) is valid


def test_runtime_environment_values_are_strings() -> None:
    assert is_valid("RuntimeEnvironment", {"PORT": "8080"})
    assert not is_valid("RuntimeEnvironment", {"PORT": 8080})
    assert not is_valid("RuntimeEnvironment", {"PORT": None})


@pytest.mark.parametrize(
    ("files", "valid"),
    [
        ({"/dir/fileName": {"data": "aGVsbG8=", "encoding": "utf-8"}}, True),
        ({"/dir/fileName": {"data": "aGVsbG8=", "encoding": "base64"}}, True),
        ({"/dir/fileName": {"data": "aGVsbG8="}}, True),
        (
            {"dir/fileName": {"data": "aGVsbG8=", "encoding": "utf-8"}},
            False,
        ),  # not absolute
        ({"/": {"data": "aGVsbG8="}}, False),
        ({"/dir/fileName": {"encoding": "utf-8"}}, False),  # data missing
        ({"/dir/fileName": {"data": "aGVsbG8=", "encoding": "latin1"}}, False),
        ({"/dir/fileName": "aGVsbG8="}, False),
    ],
)
def test_runtime_files(files: dict[str, Any], valid: bool) -> None:
    assert is_valid("RunJobRequest", {"runtimeFiles": files}) is valid


@pytest.mark.parametrize(
    ("sha", "valid"),
    [
        ("a" * 40, True),
        ("3f786850e387550fdab836ed7e6dc881de23001b", True),
        ("latest", True),
        ("3f786850e387550fdab836ed7e6dc881de23001", False),  # 39 hex characters
        ("3f786850e387550fdab836ed7e6dc881de23001bc", False),  # 41
        ("LATEST", False),
        ("", False),
        (40, False),
    ],
)
def test_build_sha(sha: Any, valid: bool) -> None:
    assert is_valid("InternalDeploymentSource", {"buildSHA": sha}) is valid
    assert (
        is_valid(
            "RunJobRequest", request_with_deployment({"internal": {"buildSHA": sha}})
        )
        is valid
    )


@pytest.mark.parametrize(
    ("build_service", "valid"),
    [
        ("example-build-service", True),
        ("abc", True),
        ("a" * 54, True),
        ("ab", False),  # the pattern allows it, minLength does not (N8)
        ("a", False),
        ("a" * 55, False),
        ("1abc", False),
        ("my--service", False),
        ("service-", False),
        ("my_service", False),
    ],
)
def test_internal_id(build_service: str, valid: bool) -> None:
    assert is_valid("InternalDeploymentSource", {"id": build_service}) is valid


@pytest.mark.parametrize(
    ("storage", "valid"),
    [
        ({"ephemeralStorage": {"storageSize": 1024}}, True),
        ({"ephemeralStorage": {"storageSize": 204800}}, True),
        (
            {"ephemeralStorage": {"storageSize": 3000}},
            False,
        ),  # inside min/max, not in the enum (N6)
        ({"ephemeralStorage": {"storageSize": 512}}, False),
        ({"ephemeralStorage": {"storageSize": 409600}}, False),
        ({"ephemeralStorage": {"storageSize": "1024"}}, False),
        ({"shmSize": 64}, True),
        ({"shmSize": 10240}, True),
        ({"shmSize": 100}, False),
        ({"shmSize": 32}, False),
        ({"shmSize": 20480}, False),
        ({"ephemeralStorage": {}, "shmSize": 256}, True),
    ],
)
def test_storage(storage: dict[str, Any], valid: bool) -> None:
    assert is_valid("DeploymentStorage", storage) is valid
    assert (
        is_valid("RunJobRequest", request_with_deployment({"storage": storage}))
        is valid
    )


@pytest.mark.parametrize(
    ("image", "valid"),
    [
        ("nginx:latest", True),
        ("python@sha256:4c1e0a", True),
        ("docker.io/library/python:3.12-slim", True),
        ("https://registry.example.com/v1/org/img:1.0", True),
        ("nginx", False),  # a tag or digest is mandatory (N7)
        ("nginx:", False),
        ("my image:tag", False),
    ],
)
def test_external_image_path(image: str, valid: bool) -> None:
    assert is_valid("ExternalDeploymentSource", {"imagePath": image}) is valid


def test_external_requires_image_path_and_credentials_pattern() -> None:
    assert not is_valid("ExternalDeploymentSource", {"credentials": "creds"})
    assert is_valid(
        "ExternalDeploymentSource",
        {"imagePath": "nginx:1", "credentials": "my-creds-1"},
    )
    assert not is_valid(
        "ExternalDeploymentSource", {"imagePath": "nginx:1", "credentials": "my_creds"}
    )
    assert not is_valid("RunJobRequest", request_with_deployment({"external": {}}))


@pytest.mark.parametrize(
    ("plan", "valid"),
    [
        ("nf-compute-20", True),
        ("a", True),
        ("nf compute", False),
        ("nf_compute", False),
        ("", False),
    ],
)
def test_deployment_plan(plan: str, valid: bool) -> None:
    assert is_valid("BillingOverride", {"deploymentPlan": plan}) is valid


@pytest.mark.parametrize(
    ("deployment", "valid"),
    [
        (
            {},
            True,
        ),  # ambiguous under a literal oneOf (N2); valid under the spec's anyOf
        ({"docker": {"configType": "default"}}, True),
        ({"internal": {"id": "build-service", "buildSHA": "latest"}}, True),
        ({"external": {"imagePath": "nginx:1"}}, True),
        (
            {"internal": {"id": "build-service"}, "external": {"imagePath": "nginx:1"}},
            False,
        ),
        ({"internal": {"id": "x"}}, False),
        ({"external": {"imagePath": "nginx"}}, False),
        ("nginx:1", False),
    ],
)
def test_deployment_alternatives(deployment: Any, valid: bool) -> None:
    assert is_valid("RunJobRequest", request_with_deployment(deployment)) is valid


def test_literal_one_of_would_reject_the_documents_example(seed: str) -> None:
    """N2: why the spec does not use the document's oneOf literally."""
    schemas = dict(_spec()["components"]["schemas"])
    literal = dict(schemas["DeploymentOverride"])
    literal["oneOf"] = literal.pop("anyOf")
    schemas["DeploymentOverride"] = literal
    for name in ("InternalDeploymentOverride", "ExternalDeploymentOverride"):
        schemas[name] = {k: v for k, v in schemas[name].items() if k != "not"}
    spec = {**_spec(), "components": {**_spec()["components"], "schemas": schemas}}
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/RunJobRequest"}, registry=registry
    )
    assert not validator.is_valid(seed_request_example(seed))
    assert schema_validator("RunJobRequest").is_valid(seed_request_example(seed))


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        (
            {
                "data": {
                    "id": "d34582a4-35bd-4c71-8e7c-e36999b88723",
                    "runName": "example-job-1",
                }
            },
            True,
        ),
        (
            {
                "data": {"id": "not-a-uuid-but-a-string", "runName": "r", "extra": 1},
                "more": True,
            },
            True,
        ),
        ({"data": {"id": "d34582a4-35bd-4c71-8e7c-e36999b88723"}}, False),
        ({"data": {"runName": "example-job-1"}}, False),
        (
            {"id": "d34582a4", "runName": "example-job-1"},
            False,
        ),  # not wrapped in data (N11)
        ({"data": None}, False),
        ({"data": {"id": 5, "runName": "r"}}, False),
    ],
)
def test_response_envelope(body: Any, valid: bool) -> None:
    assert is_valid("RunJobResponse", body) is valid


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        (
            {
                "error": {
                    "status": 404,
                    "message": "Not found",
                    "id": "abc",
                    "details": {},
                }
            },
            True,
        ),
        ({"code": "not_found", "message": "Job not found", "status": 404}, True),
        (
            {
                "code": "not_found",
                "message": "Job not found",
                "status": 404,
                "data": {"field": "x"},
            },
            True,
        ),
        ({"message": "Job not found"}, False),
        ({"code": "not_found", "message": "Job not found"}, False),
        ({"error": "boom"}, False),
    ],
)
def test_api_error(body: Any, valid: bool) -> None:
    assert is_valid("ApiError", body) is valid


def test_request_body_accepts_empty_and_unknown_top_level_keys() -> None:
    assert is_valid("RunJobRequest", {})
    assert not is_valid("RunJobRequest", {"runtimeEnvironment": "FOO=bar"})
    assert not is_valid("RunJobRequest", {"billing": {"deploymentPlan": 20}})
