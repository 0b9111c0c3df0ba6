"""Contract tests: the generated clients against Prism mocking each curated spec.

Prism validates every request it receives against the spec (violations come
back in the `sl-violations` header, and with `--errors` as 422) and answers
with the spec's examples, or with random valid bodies when asked
`Prefer: dynamic=true`. The clients must send nothing Prism objects to, parse
everything it answers, stop invalid input before sending, and raise the typed
401 error without valid credentials.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest

from generator.config import Target, load_targets
from generator.intermediate.model import Api, Operation
from generator.pipeline import build_api_for
from generator.rendering.defaults import default_templates
from generator.rendering.templates import make_environment
from tests.conftest import REPO_ROOT
from tests.test_spec_qovery import seed_request_example

pytestmark = pytest.mark.slow  # Prism

PRISM = REPO_ROOT / "node_modules" / ".bin" / "prism"
TARGETS = load_targets(REPO_ROOT / "pyproject.toml")
DYNAMIC_ROUNDS = 8
PRISM_SEED = os.environ.get("SPECGEN_PRISM_SEED", "specgen")
QOVERY = next(t for t in TARGETS if t.spec.name == "qovery-jobs.yaml")


@dataclass
class Mock:
    """A running Prism and the generated package it serves."""

    url: str
    package: ModuleType
    api: Api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=TARGETS, ids=lambda t: t.package)
def mock(request: pytest.FixtureRequest) -> Iterator[Mock]:
    target: Target = request.param
    if not PRISM.exists():
        if os.environ.get("CI"):
            pytest.fail("Prism is not installed: .ci/run installs it with `npm ci`")
        pytest.skip("Prism is not installed; run `npm ci` to run the contract tests")
    port = free_port()
    process = subprocess.Popen(
        [
            str(PRISM),
            "mock",
            "--errors",
            # Dynamic bodies come from json-schema-faker; a fixed seed makes
            # them the same on every run, so a failure here can be reproduced.
            "--seed",
            PRISM_SEED,
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            str(target.spec),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(
                        f"Prism exited: {process.stdout.read() if process.stdout else ''}"
                    )
                time.sleep(0.2)
        else:
            pytest.fail("Prism did not start within 60 s")
        sys.path.insert(0, str(target.output))
        try:
            yield Mock(
                f"http://127.0.0.1:{port}",
                importlib.import_module(target.package),
                build_api_for(target).api,
            )
        finally:
            sys.path.remove(str(target.output))
    finally:
        process.terminate()
        process.wait(timeout=10)


class Violations:
    """Response hook collecting every violation Prism reports."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.sent = 0

    def request(self, request: httpx.Request) -> None:
        self.sent += 1

    def response(self, response: httpx.Response) -> None:
        if "sl-violations" in response.headers:
            self.found.append(response.headers["sl-violations"])


SAMPLE = make_environment([default_templates()]).from_string(
    '{% import "partials/samples.jinja" as samples %}{{ samples.value(sample) }}'
)
"""A parameter's sample written as the generated tests write it."""


def arguments(mock: Mock, op: Operation) -> list[Any]:
    return [
        eval(SAMPLE.render(sample=p.sample), {"UUID": UUID})
        for p in op.sample_parameters
    ]


def bodies(mock: Mock, op: Operation) -> list[Any]:
    """Every request example of the operation's body model, built into the model."""
    if op.request_body is None:
        return [None]
    model_name = op.request_body.type.models[0]
    models = importlib.import_module(
        f"{mock.package.__name__}.models"
    )  # loaded on first use, not on import
    model = getattr(models, model_name)
    examples = [e.value for e in mock.api.examples if e.model == model_name] or [
        op.body_example
    ]
    return [
        model.model_validate(example) for example in examples if example is not None
    ]


def credential(mock: Mock) -> Any:
    scheme = mock.api.primary_scheme
    assert scheme is not None
    return getattr(mock.package, scheme.class_name)("contract-test-token")


def client(mock: Mock, violations: Violations, **options: Any) -> Any:
    return mock.package.Client(
        base_url=mock.url,
        auth=credential(mock),
        on_request=[violations.request],
        on_response=[violations.response],
        **options,
    )


def test_every_example_request_is_accepted_and_parsed(mock: Mock) -> None:
    violations = Violations()
    for op in mock.api.operations:
        for body in bodies(mock, op):
            with client(mock, violations) as api_client:
                raw = getattr(api_client.raw, op.method_name)(
                    *arguments(mock, op), body=body
                )
            assert op.success is not None and str(raw.status_code) == op.success.status
            assert raw.parsed is not None or op.success.type is None
    assert violations.found == []


def test_dynamic_responses_with_unknown_fields_parse(mock: Mock) -> None:
    violations = Violations()
    op = mock.api.operations[0]
    body = bodies(mock, op)[0]
    with client(mock, violations, headers={"Prefer": "dynamic=true"}) as api_client:
        for _ in range(DYNAMIC_ROUNDS):
            raw = getattr(api_client.raw, op.method_name)(
                *arguments(mock, op), body=body
            )
            assert raw.parsed is not None or (
                op.success is not None and op.success.type is None
            )
    assert violations.found == []


def test_async_client_is_accepted_too(mock: Mock) -> None:
    violations = Violations()
    op = mock.api.operations[0]

    async def run() -> Any:
        async with mock.package.AsyncClient(
            base_url=mock.url,
            auth=credential(mock),
            on_request=[violations.request],
            on_response=[violations.response],
        ) as api_client:
            return await getattr(api_client, op.method_name)(
                *arguments(mock, op), body=bodies(mock, op)[0]
            )

    assert asyncio.run(run()) is not None
    assert violations.found == [] and violations.sent == 1


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_invalid_input_never_reaches_the_server(mock: Mock) -> None:
    violations = Violations()
    op = mock.api.operations[0]
    body = bodies(mock, op)[0]
    invalid = type(body).model_construct(
        **{**body.model_dump(by_alias=True, exclude_unset=True), "notInTheSpec": True}
    )
    with (
        client(mock, violations) as api_client,
        pytest.raises(ValueError, match="notInTheSpec"),
    ):
        getattr(api_client, op.method_name)(*arguments(mock, op), body=invalid)
    assert violations.sent == 0


def test_a_missing_credential_is_refused_before_sending(
    mock: Mock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every operation of both APIs needs a credential: without one, nothing is sent."""
    for scheme in mock.api.security_schemes:
        monkeypatch.delenv(scheme.env_var, raising=False)
    op = mock.api.operations[0]
    with (
        mock.package.Client(base_url=mock.url) as api_client,
        pytest.raises(mock.package.MissingCredentialError),
    ):
        getattr(api_client, op.method_name)(
            *arguments(mock, op), body=bodies(mock, op)[0]
        )


@pytest.mark.parametrize(
    "headers", [{"Authorization": "Basic bm90OnZhbGlk"}], ids=["wrong-scheme"]
)
def test_missing_or_wrong_credentials_raise_the_typed_401(
    mock: Mock, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if headers and any(
        s.kind == "apiKey" and s.parameter_name == "Authorization"
        for s in mock.api.security_schemes
    ):
        pytest.skip(
            "an apiKey scheme takes any Authorization value, so Prism cannot call one "
            "wrong (unit-tested with a mock transport)"
        )
    for scheme in mock.api.security_schemes:
        monkeypatch.delenv(scheme.env_var, raising=False)
    op = mock.api.operations[0]
    with (
        mock.package.Client(base_url=mock.url, headers=headers) as api_client,
        pytest.raises(mock.package.AuthenticationError) as raised,
    ):
        getattr(api_client, op.method_name)(
            *arguments(mock, op), body=bodies(mock, op)[0]
        )
    assert raised.value.status_code == 401


@pytest.mark.parametrize("mock", [QOVERY], indirect=True, ids=[QOVERY.package])
def test_the_documentation_pages_example_request_is_accepted(mock: Mock) -> None:
    """Qovery's "Create a job" page's own example request, which fills both `source`
    members, with a real URI for its `icon_uri` placeholder: the model takes it and Prism
    finds nothing wrong with what the client sends."""
    violations = Violations()
    example = seed_request_example()
    models = importlib.import_module(f"{mock.package.__name__}.models")
    body = models.JobRequest.model_validate(example)
    (op,) = (o for o in mock.api.operations if o.operation_id == "createJob")
    with client(mock, violations) as api_client:
        raw = getattr(api_client.raw, op.method_name)(*arguments(mock, op), body=body)
    assert raw.status_code == 201 and raw.parsed is not None
    assert violations.found == [] and violations.sent == 1
    # the same JSON straight to Prism: accepted as is, refused with the page's placeholder
    path = f"/environment/{UUID(int=1)}/job"
    headers = {"Authorization": "Bearer contract-test-token"}
    with httpx.Client(base_url=mock.url, headers=headers) as plain:
        accepted = plain.post(path, json=example)
        refused = plain.post(path, json={**example, "icon_uri": "<string>"})
    assert accepted.status_code == 201 and "sl-violations" not in accepted.headers
    # Prism answers an invalid request with the spec's 400 (422 where none is declared)
    assert refused.status_code in (400, 422)
    assert "icon_uri" in refused.headers["sl-violations"]


def test_prism_is_pinned_by_the_lock_file() -> None:
    lock = (REPO_ROOT / "package-lock.json").read_text(encoding="utf-8")
    assert '"node_modules/@stoplight/prism-cli"' in lock
    assert shutil.which("node") is not None or not os.environ.get("CI")
