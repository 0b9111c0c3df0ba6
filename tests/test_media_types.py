"""Every media type a body can have, from the spec to the wire and back.

tests/fixtures/media/media.yaml has one operation per media type: JSON, forms
(with each `style`), multipart (files, arrays of files, JSON parts), raw bytes
(`application/octet-stream`, `image/*`, `*/*`), text, YAML and CSV, and a body
offered as several types. Fast tests read the intermediate model; the slow ones
send each body to Prism, which checks it against the spec (`sl-violations`), and
parse what Prism answers into the Python type the method promises.
"""

from __future__ import annotations

import importlib
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.intermediate.model import Api, Operation
from generator.media import kind_of, preferred
from generator.pipeline import build_api_for, generate_files
from tests.conftest import REPO_ROOT
from tests.test_contract import PRISM, Violations, free_port
from tests.test_realworld import target_for

SPEC = REPO_ROOT / "tests" / "fixtures" / "media" / "media.yaml"
PACKAGE = "fx_media"


@cache
def api() -> Api:
    return build_api_for(target_for(SPEC, PACKAGE)).api


def operation(name: str) -> Operation:
    return next(op for op in api().operations if op.method_name == name)


# --- the intermediate model --------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", "json"),
        ("application/problem+json; charset=utf-8", "json"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data", "multipart"),
        ("text/plain", "text"),
        ("text/csv", "text"),
        ("application/x-yaml", "text"),
        ("application/atom+xml", "text"),
        ("application/octet-stream", "binary"),
        ("image/*", "binary"),
        ("*/*", "binary"),
        ("application/zip", "binary"),
        ("openapi/python/client", "binary"),
    ],
)
def test_each_media_type_has_one_kind(content_type: str, kind: str) -> None:
    assert kind_of(content_type) == kind


def test_json_is_preferred_then_forms_then_text_then_bytes() -> None:
    given = ["application/octet-stream", "text/plain", "multipart/form-data"]
    assert preferred([*given, "application/json"])[0] == "application/json"
    assert preferred(given) == ["multipart/form-data", "text/plain", given[0]]


def test_every_body_and_payload_of_the_fixture_is_modelled() -> None:
    for op in api().operations:
        for response in op.responses:
            if response.content_type is not None:
                assert response.type is not None, (op.method_name, response.status)
    bodies = {op.method_name: op.request_body for op in api().operations}
    assert all(bodies[name] for name in ("create_pet", "upload", "put_blob"))
    assert [m.kind for m in bodies["create_pet"].media] == ["json", "form", "multipart"]


@pytest.mark.parametrize(
    ("method", "annotation", "content_type", "default"),
    [
        (
            "create_pet",
            "models.Pet",
            'Literal["application/json", "application/x-www-form-urlencoded", '
            '"multipart/form-data"]',
            "application/json",
        ),
        ("search", "models.Search", "", "application/x-www-form-urlencoded"),
        ("upload", "models.UploadBody", "", "multipart/form-data"),
        ("put_blob", "bytes | IO[bytes]", "", "application/octet-stream"),
        ("put_avatar", "bytes | IO[bytes]", "str", None),
        ("post_anything", "bytes | IO[bytes]", "str", "application/octet-stream"),
        ("post_note", "str", "", "text/plain"),
        ("put_config", "str", "", "application/x-yaml"),
    ],
)
def test_request_bodies_are_typed_by_media_type(
    method: str, annotation: str, content_type: str, default: str | None
) -> None:
    body = operation(method).request_body
    assert body is not None
    assert body.type.annotation == annotation
    assert body.content_type_annotation == content_type
    assert body.content_type_default == default


def test_form_and_multipart_encodings_come_from_the_spec() -> None:
    search = operation("search").request_body
    upload = operation("upload").request_body
    assert search is not None and upload is not None
    fields = {f.name: f for f in search.media[0].fields}
    assert (fields["tags"].style, fields["tags"].explode) == ("form", False)
    assert (fields["filter"].style, fields["filter"].explode) == ("deepObject", True)
    assert "ids" not in fields  # form, exploded: a plain field
    parts = {f.name: f for f in upload.media[0].fields}
    assert parts["file"].is_file and parts["attachments"].is_file
    assert parts["meta"].content_type == "application/json"


@pytest.mark.parametrize(
    ("method", "returns", "accept"),
    [
        ("get_pet", "models.Pet", "application/json, text/plain"),
        ("search", "str", "text/plain"),
        ("get_blob", "bytes", "application/octet-stream"),
        ("post_note", "str", "text/plain"),
        ("get_config", "str", "application/x-yaml"),
        ("get_report", "str", "text/csv"),
        ("put_blob", "None", ""),
    ],
)
def test_responses_are_typed_and_asked_for_by_media_type(
    method: str, returns: str, accept: str
) -> None:
    op = operation(method)
    assert op.return_annotation == returns
    assert op.accept == accept


def test_an_error_is_read_by_its_media_type_as_a_success_is() -> None:
    (missing,) = operation("get_pet").error_responses
    assert (missing.status, missing.kind, missing.content_type) == (
        "404",
        "text",
        "text/plain",
    )
    assert missing.type is not None and missing.type.annotation == "str"
    operations = (
        generate_files(target_for(SPEC, PACKAGE))
        .files[f"{PACKAGE}/_operations.py"]
        .decode()
    )
    assert 'Outcome("404", False, kind="text")' in operations


def test_a_binary_or_text_success_gets_a_streamed_variant_and_json_does_not() -> None:
    streamed = {op.method_name: op.stream_method_name for op in api().operations}
    assert streamed["get_blob"] == "get_blob_stream"
    assert operation("get_blob").stream_endpoint_name == "GET_BLOB_STREAM"
    kinds = {op.method_name: op.success.kind for op in api().operations if op.success}
    assert (
        {name for name, stream in streamed.items() if stream}
        == {name for name, kind in kinds.items() if kind in ("binary", "text")}
        == {"get_blob", "search", "post_note", "get_config", "get_report"}
    )


def test_the_readme_explains_the_media_types_and_calls_each_kind() -> None:
    files = generate_files(target_for(SPEC, PACKAGE)).files
    readme = files["README.md"].decode()
    section = readme.split("## Request and response bodies")[1].split("\n## ")[0]
    for phrase in (
        "`style` and `explode`",
        "(file name, content, media type)",
        "`Download`",
    ):
        assert phrase in section
    shown = [what for what, _ in api().media_examples]
    assert shown == [
        "choice",
        "form",
        "multipart",
        "binary",
        "text",
        "text_response",
        "download",
    ]
    assert 'content_type="application/x-www-form-urlencoded"' in section
    assert "client.get_blob_stream(" in section and ".encode()" in section


# --- the package against Prism -----------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("media")
    for relative, content in generate_files(target_for(SPEC, PACKAGE)).files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith(PACKAGE)]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    """One Prism for the module, mocking the fixture spec (422 for a bad request)."""
    if not PRISM.exists():
        if os.environ.get("CI"):
            pytest.fail("Prism is not installed: .ci/run installs it with `npm ci`")
        pytest.skip("Prism is not installed; run `npm ci` to run the contract tests")
    port = free_port()
    command = [str(PRISM), "mock", "--errors", "-h", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*command, str(SPEC)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Prism did not start: {_output(process)}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _output(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.terminate()
    return process.stdout.read() if process.stdout else ""


@pytest.fixture
def violations() -> Violations:
    return Violations()


@pytest.fixture
def client(package: ModuleType, prism: str, violations: Violations) -> Iterator[Any]:
    with package.Client(
        base_url=prism,
        on_request=[violations.request],
        on_response=[violations.response],
    ) as made:
        yield made
    assert violations.sent > 0
    assert violations.found == []


PET = {"name": "Rex", "kind": "dog", "age": 3}


@pytest.mark.slow
@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_one_body_in_each_of_its_media_types(
    client: Any, package: ModuleType, content_type: str
) -> None:
    created = client.create_pet(body=PET, content_type=content_type)
    assert isinstance(created, package.models.Pet)


@pytest.mark.slow
def test_a_form_with_each_style_answers_text(client: Any) -> None:
    body = {
        "q": "rex",
        "tags": ["good", "small"],
        "ids": [1, 2],
        "filter": {"kind": "dog", "color": "brown"},
    }
    answer = client.search(body=body)
    assert isinstance(answer, str) and answer == "Rex\nFelix\n"


@pytest.mark.slow
def test_multipart_files_and_arrays_of_files(
    client: Any, package: ModuleType, tmp_path: Path
) -> None:
    """Prism reads no JSON part (`meta` "must be object"): the runtime's tests
    check those (tests/runtime/test_runtime_media.py)."""
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    with photo.open("rb") as opened:
        stored = client.upload(
            body={
                "file": opened,
                "attachments": [b"first", ("second.txt", b"second", "text/plain")],
                "note": "two files",
            }
        )
    assert isinstance(stored, package.models.Stored)
    model = package.models.UploadBody(file=b"bytes in a model")
    assert isinstance(client.upload(body=model), package.models.Stored)


@pytest.mark.slow
def test_raw_bytes_in_and_out(client: Any) -> None:
    assert client.put_blob("b1", body=b"\x00\x01\xff") is None
    assert client.put_blob("b1", body=io.BytesIO(b"streamed " * 10_000)) is None
    assert client.put_avatar(body=b"\x89PNG", content_type="image/png") is None
    assert client.post_anything(body=b"anything") is None
    assert isinstance(client.get_blob("b1"), bytes)
    with client.get_blob_stream("b1") as download:
        assert download.status_code == 200
        assert b"".join(download.iter_bytes()) == client.get_blob("b1")


@pytest.mark.slow
def test_text_yaml_and_csv(client: Any) -> None:
    assert client.post_note(body="Remember the milk") == "Remember the milk"
    assert client.put_config(body="name: media\n") is None
    assert client.get_config() == "name: media\nreplicas: 2\n"
    assert client.get_report() == "name,kind\nRex,dog\n"


@pytest.mark.slow
def test_a_json_response_is_asked_for_among_others(
    client: Any, package: ModuleType
) -> None:
    assert isinstance(client.get_pet(1), package.models.Pet)


@pytest.mark.slow
def test_a_text_error_is_raised_with_its_text_parsed(
    client: Any, package: ModuleType
) -> None:
    with pytest.raises(package.NotFoundError) as raised:
        client.get_pet(1, extra_headers={"Prefer": "code=404"})
    assert raised.value.parsed == "No pet has this id"
    assert isinstance(raised.value.parsed, str)
    assert str(raised.value) == "GET /pets/1 failed with HTTP 404: No pet has this id"


@pytest.mark.slow
def test_prism_refuses_what_the_spec_does_not_allow(
    package: ModuleType, prism: str
) -> None:
    """The check above can fail: a body in a type the operation does not take is
    refused by Prism (422), so the ones it accepts were judged."""
    with package.Client(base_url=prism) as plain, httpx.Client() as http:
        response = http.post(
            f"{prism}/notes", content=b"{}", headers={"Content-Type": "image/png"}
        )
        assert response.status_code in (415, 422)
        with pytest.raises(ValueError, match="not one the API documents"):
            plain.create_pet(body=PET, content_type="text/plain")
