"""Bodies of every media type, written by `build_request` and read by `parse_response`.

Forms follow OpenAPI's serialisation (`style`, `explode`), multipart bodies carry
files, arrays of files and JSON parts, raw bodies are bytes or a file streamed,
text is UTF-8; responses come back as a model, `str` or `bytes`.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ConfigDict
from specgen_runtime import models
from specgen_runtime._base_client import AsyncBaseClient, BaseClient
from specgen_runtime._endpoint import (
    Encoding,
    Endpoint,
    Media,
    Outcome,
    build_request,
    parse_response,
)
from specgen_runtime.errors import (
    ApiError,
    RequestValidationError,
    ResponseTooLargeError,
)
from specgen_runtime.response import Download


class Upload(BaseModel):
    """A multipart body's model, as datamodel-code-generator writes one."""

    model_config = ConfigDict(extra="forbid")
    file: bytes
    attachments: list[bytes] | None = None
    meta: dict[str, Any] | None = None
    note: str | None = None


def endpoint(*media: Media, **options: Any) -> Endpoint[Any]:
    return Endpoint("POST", "/things", media=media, **options)


def form(*encoding: Encoding) -> Endpoint[Any]:
    return endpoint(Media("application/x-www-form-urlencoded", "form", None, encoding))


UPLOAD = endpoint(
    Media(
        "multipart/form-data",
        "multipart",
        lambda m: Upload,
        (
            Encoding("file", file=True),
            Encoding("attachments", file=True),
            Encoding("meta", content_type="application/json"),
        ),
    )
)


def sent(parts: Any) -> httpx.Request:
    """The request httpx makes of the parts, as the client builds it."""
    return httpx.Request(
        parts.method,
        "https://api.example.test" + parts.path,
        headers=parts.headers,
        json=parts.json_data,
        data=parts.data,
        files=parts.files,
        content=parts.content,
    )


# --- forms ---------------------------------------------------------------------


def test_a_form_is_urlencoded_by_httpx_with_arrays_exploded_by_default() -> None:
    parts = build_request(form(), (), {"q": "a b", "ids": [1, 2], "ok": True})
    request = sent(parts)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content == b"q=a+b&ids=1&ids=2&ok=true"


def test_an_empty_form_still_says_it_is_one() -> None:
    request = sent(build_request(form(), (), {}))
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.read() == b""


@pytest.mark.parametrize(
    ("style", "joined"),
    [("form", "a,b"), ("spaceDelimited", "a b"), ("pipeDelimited", "a|b")],
)
def test_an_array_not_exploded_is_joined_by_its_style(style: str, joined: str) -> None:
    encoding = Encoding("tags", style=style, explode=False)
    parts = build_request(form(encoding), (), {"tags": ["a", "b"]})
    assert parts.data == {"tags": [joined]}


def test_an_object_by_style_deep_object_or_form() -> None:
    value = {"filter": {"kind": "dog", "size": {"max": 3}, "tags": ["a", "b"]}}
    deep = build_request(form(Encoding("filter", style="deepObject")), (), value)
    assert deep.data == {
        "filter[kind]": ["dog"],
        "filter[size][max]": ["3"],
        "filter[tags][]": ["a", "b"],
    }
    exploded = build_request(form(), (), {"filter": {"kind": "dog", "age": 3}})
    assert exploded.data == {"kind": ["dog"], "age": ["3"]}
    flat = build_request(
        form(Encoding("filter", explode=False)), (), {"filter": {"kind": "dog"}}
    )
    assert flat.data == {"filter": ["kind,dog"]}


def test_a_form_body_is_validated_and_sent_by_its_wire_names() -> None:
    pets = endpoint(Media("application/x-www-form-urlencoded", "form", lambda m: m.Pet))
    parts = build_request(pets, (), models.Pet(petId=1, name="Rex"))
    assert parts.data == {"petId": ["1"], "name": ["Rex"]}
    with pytest.raises(RequestValidationError, match="petId"):
        build_request(pets, (), {"name": "Rex"})


# --- multipart -----------------------------------------------------------------


def test_multipart_files_arrays_of_files_and_a_json_part_in_order() -> None:
    opened = io.BytesIO(b"from a file")
    opened.name = "notes.txt"
    parts = build_request(
        UPLOAD,
        (),
        {
            "file": opened,
            "attachments": [b"raw", ("b.csv", b"x,y", "text/csv")],
            "meta": {"title": "t", "public": True},
            "note": "hi",
        },
    )
    assert [name for name, _ in parts.files or ()] == [
        "file",
        "attachments",
        "attachments",
        "meta",
        "note",
    ]
    body = sent(parts).read()
    assert b'name="file"; filename="notes.txt"\r\nContent-Type: text/plain' in body
    assert b"from a file" in body
    assert b'name="attachments"; filename="upload"' in body
    assert b'filename="b.csv"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n' in body
    assert (
        b'name="meta"\r\nContent-Type: application/json\r\n\r\n'
        b'{"title":"t","public":true}\r\n' in body
    )
    assert b'name="note"\r\n\r\nhi\r\n' in body


def test_an_empty_multipart_body_is_one_still() -> None:
    empty = endpoint(Media("multipart/form-data", "multipart"))
    request = sent(build_request(empty, (), {}))
    boundary = request.headers["Content-Type"].removeprefix(
        "multipart/form-data; boundary="
    )
    assert request.read() == f"--{boundary}--\r\n".encode()


def test_multipart_without_files_is_still_multipart() -> None:
    pets = endpoint(Media("multipart/form-data", "multipart", lambda m: m.Pet))
    request = sent(build_request(pets, (), {"petId": 1, "name": "Rex"}))
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="petId"\r\n\r\n1\r\n' in request.read()


def test_a_multipart_model_sends_its_bytes_and_objects_default_to_json() -> None:
    no_type = endpoint(
        Media(
            "multipart/form-data",
            "multipart",
            lambda m: Upload,
            (Encoding("file", file=True),),
        )
    )
    parts = build_request(no_type, (), Upload(file=b"\x00\xff", meta={"a": 1}))
    body = sent(parts).read()
    assert b"\x00\xff" in body
    assert b'name="meta"\r\nContent-Type: application/json\r\n\r\n{"a":1}' in body


def test_the_other_multipart_fields_are_validated_and_a_file_is_bytes_or_text() -> None:
    with pytest.raises(RequestValidationError, match="note"):
        build_request(UPLOAD, (), {"file": b"x", "note": 5})
    with pytest.raises(RequestValidationError, match="'file' must be bytes"):
        build_request(UPLOAD, (), {"file": 12})
    as_text = sent(build_request(UPLOAD, (), {"file": "café"})).read()
    assert (
        'filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\ncafé'.encode()
        in as_text
    )
    with pytest.raises(RequestValidationError, match="file"):
        build_request(UPLOAD, (), {"note": "no file"})


# --- raw bytes and text ----------------------------------------------------------


BLOB = endpoint(Media("application/octet-stream", "binary"))


def test_bytes_are_sent_as_they_are() -> None:
    request = sent(build_request(BLOB, (), bytearray(b"\x00\x01")))
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.read() == b"\x00\x01"


def test_a_file_is_streamed_in_chunks_and_again_from_its_start() -> None:
    data = b"0123456789" * 20_000
    opened = io.BytesIO(b"head" + data)
    opened.read(4)  # sent from where the caller left it
    content = build_request(BLOB, (), opened).content
    assert content is not None and not isinstance(content, bytes)
    chunks = list(content)
    assert len(chunks) > 1 and b"".join(chunks) == data
    assert b"".join(content) == data  # a retry sends it whole again


class Pipe(io.RawIOBase):
    """A binary stream that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def test_a_file_that_cannot_seek_is_sent_once_never_empty() -> None:
    content = build_request(BLOB, (), Pipe(b"once")).content
    assert content is not None and b"".join(content) == b"once"
    with pytest.raises(TypeError, match="sent once"):
        list(content)


def test_a_text_file_or_a_str_is_no_binary_body() -> None:
    with pytest.raises(RequestValidationError, match="must be bytes or a binary"):
        build_request(BLOB, (), "text")
    with pytest.raises(TypeError, match="binary mode"):
        list(build_request(BLOB, (), io.StringIO("text")).content or ())


def test_a_range_takes_the_caller_s_type() -> None:
    images = endpoint(Media("image/*", "binary"))
    chosen = build_request(images, (), images.payload(b"png", "image/png"))
    assert chosen.headers["Content-Type"] == "image/png"
    with pytest.raises(ValueError, match="is a range"):
        build_request(images, (), b"png")
    anything = endpoint(Media("*/*", "binary"))
    default = build_request(anything, (), anything.payload(b"x", None))
    assert default.headers["Content-Type"] == "application/octet-stream"


def test_text_is_utf_8_and_says_so() -> None:
    notes = endpoint(Media("application/x-yaml", "text"))
    parts = build_request(notes, (), "name: café\n")
    assert parts.headers["Content-Type"] == "application/x-yaml; charset=utf-8"
    assert parts.content == "name: café\n".encode()
    with pytest.raises(RequestValidationError, match="must be a str, not a bytes"):
        build_request(notes, (), b"bytes")


# --- choosing a media type, and Accept --------------------------------------------


PETS = endpoint(
    Media("application/json", "json", lambda m: m.Pet),
    Media("application/x-www-form-urlencoded", "form", lambda m: m.Pet),
    accept="application/json, text/plain",
)


def test_json_by_default_the_others_on_request() -> None:
    pet = {"petId": 1, "name": "Rex"}
    assert build_request(PETS, (), pet).json_data == pet
    as_form = build_request(
        PETS, (), PETS.payload(pet, "application/x-www-form-urlencoded")
    )
    assert as_form.json is None and as_form.data == {"petId": ["1"], "name": ["Rex"]}
    with pytest.raises(ValueError, match="not one the API documents"):
        build_request(PETS, (), PETS.payload(pet, "text/plain"))


def test_accept_names_the_documented_response_types() -> None:
    assert (
        build_request(PETS, (), None).headers["Accept"]
        == "application/json, text/plain"
    )
    assert "Accept" not in build_request(BLOB, (), None).headers


def test_a_json_based_type_is_sent_under_its_own_name() -> None:
    vendor = endpoint(Media("application/vnd.api+json", "json"))
    request = sent(build_request(vendor, (), {"a": 1}))
    assert request.headers["Content-Type"] == "application/vnd.api+json"
    assert json.loads(request.read()) == {"a": 1}


# --- responses --------------------------------------------------------------------


def answer(status: int, **kwargs: Any) -> httpx.Response:
    return httpx.Response(
        status, request=httpx.Request("GET", "https://api.example.test/x"), **kwargs
    )


READS = Endpoint(
    "GET",
    "/x",
    outcomes=(
        Outcome("200", True, kind="text"),
        Outcome("201", True, kind="binary"),
        Outcome("202", True, lambda m: m.Pet),
        Outcome("404", False, kind="text"),
    ),
)


def test_responses_are_text_bytes_or_a_model() -> None:
    assert parse_response(READS, answer(200, text="a,b\n1,2\n")) == "a,b\n1,2\n"
    assert parse_response(READS, answer(201, content=b"\x00\xff")) == b"\x00\xff"
    pet = parse_response(READS, answer(202, json={"petId": 1, "name": "Rex"}))
    assert isinstance(pet, models.Pet)


def test_a_text_error_keeps_its_text() -> None:
    with pytest.raises(ApiError) as raised:
        parse_response(READS, answer(404, text="no such thing"))
    assert raised.value.status_code == 404 and raised.value.body == b"no such thing"


# --- downloads, streamed --------------------------------------------------------


BLOB_OUT = Endpoint(
    "GET",
    "/blob",
    outcomes=(Outcome("200", True, kind="binary"), Outcome("404", False, kind="text")),
    accept="application/octet-stream, text/plain",
)
MEGABYTE = b"0123456789abcdef" * 65_536


def chunked(status: int, body: bytes, *, is_async: bool = False) -> Any:
    """A transport handler answering `body` in 4 KiB chunks, as a network would."""

    def parts() -> Iterator[bytes]:
        return (body[i : i + 4096] for i in range(0, len(body), 4096))

    async def async_parts() -> AsyncIterator[bytes]:
        for part in parts():
            yield part

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=async_parts() if is_async else parts())

    return handler


def test_a_streamed_download_is_returned_unread_and_read_as_it_arrives() -> None:
    http = httpx.Client(transport=httpx.MockTransport(chunked(200, MEGABYTE)))
    client: BaseClient[Any] = BaseClient(
        base_url="https://api.example.test", http_client=http, max_response_bytes=10
    )
    with client._send(BLOB_OUT.streaming(), (), None, {}) as download:
        assert isinstance(download, Download) and download.status_code == 200
        assert not download.http_response.is_stream_consumed
        target = io.BytesIO()
        assert download.write_to(target) == len(MEGABYTE)
    assert target.getvalue() == MEGABYTE and download.http_response.is_closed
    with pytest.raises(ResponseTooLargeError):  # the plain call keeps its limit
        client._send(BLOB_OUT, (), None, {})


def test_a_streamed_call_s_error_is_read_and_raised_as_usual() -> None:
    http = httpx.Client(transport=httpx.MockTransport(chunked(404, b"gone")))
    client: BaseClient[Any] = BaseClient(
        base_url="https://api.example.test", http_client=http
    )
    with pytest.raises(ApiError) as raised:
        client._send(BLOB_OUT.streaming(), (), None, {})
    assert raised.value.status_code == 404 and raised.value.body == b"gone"


def test_an_async_download_is_streamed_too() -> None:
    async def run() -> bytes:
        handler = chunked(200, MEGABYTE, is_async=True)
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client: AsyncBaseClient[Any] = AsyncBaseClient(
            base_url="https://api.example.test", http_client=http, max_response_bytes=1
        )
        download = await client._send(BLOB_OUT.streaming(), (), None, {})
        async with download:
            return b"".join([chunk async for chunk in download.aiter_bytes()])

    assert asyncio.run(run()) == MEGABYTE


EVENTS_OUT = Endpoint(
    "GET",
    "/events",
    outcomes=(Outcome("200", True, kind="text"),),
    accept="application/x-ndjson",
)


def test_a_text_stream_is_read_line_by_line_as_it_arrives() -> None:
    """An NDJSON event stream: each line as it comes, however long it goes on."""
    lines = b"".join(b'{"n": %d}\n' % n for n in range(20_000))
    http = httpx.Client(transport=httpx.MockTransport(chunked(200, lines)))
    client: BaseClient[Any] = BaseClient(
        base_url="https://api.example.test", http_client=http, max_response_bytes=10
    )
    with client._send(EVENTS_OUT.streaming(), (), None, {}) as download:
        read = [json.loads(line) for line in download.iter_lines() if line]
    assert read == [{"n": n} for n in range(20_000)]
    with client._send(EVENTS_OUT.streaming(), (), None, {}) as download:
        assert "".join(download.iter_text()) == lines.decode()


def test_an_async_text_stream_is_read_line_by_line() -> None:
    async def run() -> list[str]:
        handler = chunked(200, b"a\nb\n\nc", is_async=True)
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client: AsyncBaseClient[Any] = AsyncBaseClient(
            base_url="https://api.example.test", http_client=http
        )
        download = await client._send(EVENTS_OUT.streaming(), (), None, {})
        async with download:
            return [line async for line in download.aiter_lines()]

    assert asyncio.run(run()) == ["a", "b", "", "c"]
