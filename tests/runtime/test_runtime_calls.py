"""The per-call surface: parameters checked before sending, and the extra_* escape hatches."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Annotated, Any, Literal

import httpx
import pytest
from pydantic import AfterValidator, Field, StrictFloat, StrictInt, StrictStr
from specgen_runtime import models
from specgen_runtime._base_client import (
    AsyncBaseClient,
    BaseClient,
    CallOptions,
    with_extras,
)
from specgen_runtime._endpoint import (
    Endpoint,
    Outcome,
    RequestParts,
    build_request,
    unique_items,
)
from specgen_runtime.errors import MissingCredentialError, RequestValidationError

CHECKED: Endpoint[Any] = Endpoint(
    "GET",
    "/items/{code}",
    parameters=(
        ("code", "path"),
        ("limit", "query"),
        ("ratio", "query"),
        ("tags", "query"),
        ("mode", "query"),
        ("since", "query"),
        ("X-Trace", "header"),
        ("session", "cookie"),
    ),
    checks=lambda models: (
        Annotated[StrictStr, Field(max_length=8, pattern="^[a-z]{2}[0-9]+$")],
        Annotated[StrictInt, Field(ge=1, le=100)] | None,
        Annotated[StrictFloat, Field(gt=0, lt=1, multiple_of=0.25)] | None,
        Annotated[
            list[Annotated[StrictStr, Field(min_length=2)]],
            Field(min_length=1, max_length=3),
            AfterValidator(unique_items),
        ]
        | None,
        Literal["fast", "slow"] | None,
        datetime | None,
        Annotated[StrictStr, Field(pattern=re.compile(r"^t-\d+\Z", re.ASCII))] | None,
        Annotated[StrictStr, Field(max_length=4)] | None,
    ),
)
VALID: dict[str, object] = {
    "code": "ab12",
    "limit": 10,
    "ratio": 0.5,
    "tags": ["aa", "bb"],
    "mode": "fast",
    "since": datetime(2024, 5, 6),
    "X-Trace": "t-1",
    "session": "abcd",
}


def values(**changed: object) -> tuple[object, ...]:
    merged = {**VALID, **changed}
    return tuple(merged[name] for name, _ in CHECKED.parameters)


def refused(**changed: object) -> str:
    with pytest.raises(RequestValidationError) as caught:
        build_request(CHECKED, values(**changed), None)
    return str(caught.value)


def test_valid_values_pass_and_are_sent_as_given() -> None:
    parts = build_request(CHECKED, values(), None)
    assert parts.path == "/items/ab12"
    assert parts.params["limit"] == "10" and parts.params["tags"] == ["aa", "bb"]


def test_optional_parameters_may_be_left_out() -> None:
    left_out = {name: None for name, _ in CHECKED.parameters[1:]}
    assert build_request(CHECKED, values(**left_out), None).params == {}


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("limit", 0, "query parameter 'limit' is invalid: Input should be greater"),
        ("limit", 101, "query parameter 'limit' is invalid: Input should be less"),
        ("limit", "5", "query parameter 'limit' is invalid: Input should be a valid"),
        ("limit", True, "query parameter 'limit' is invalid"),
        ("ratio", 0, "query parameter 'ratio' is invalid: Input should be greater"),
        (
            "ratio",
            0.3,
            "query parameter 'ratio' is invalid: Input should be a multiple",
        ),
        ("tags", [], "query parameter 'tags' is invalid: List should have at least 1"),
        ("tags", ["aa"] * 4, "query parameter 'tags' is invalid: List should have at"),
        (
            "tags",
            ["aa", "aa"],
            "query parameter 'tags' is invalid: List should have un",
        ),
        ("tags", ["aa", "b"], "query parameter 'tags'[1] is invalid: String should"),
        ("mode", "quick", "query parameter 'mode' is invalid: Input should be 'fast'"),
        ("since", "yesterday", "query parameter 'since' is invalid"),
        (
            "X-Trace",
            "t-x",
            "header parameter 'X-Trace' is invalid: String should match",
        ),
        ("session", "abcde", "cookie parameter 'session' is invalid: String should"),
        ("code", "AB12", "path parameter 'code' is invalid: String should match"),
        ("code", "ab123456789", "path parameter 'code' is invalid: String should have"),
    ],
)
def test_each_constraint_is_checked_before_sending(
    name: str, value: object, said: str
) -> None:
    message = refused(**{name: value})
    assert message.startswith("GET /items/{code}: "), message
    assert said in message


def test_a_required_parameter_cannot_be_none() -> None:
    assert "path parameter 'code' is required" in refused(code=None)


def test_every_wrong_parameter_is_named_and_the_error_is_pydantic_s() -> None:
    with pytest.raises(RequestValidationError) as caught:
        build_request(CHECKED, values(limit=0, mode="quick"), None)
    assert "'limit'" in str(caught.value) and "'mode'" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert caught.value.errors is not None


def test_python_s_pattern_reads_dollar_as_ecma_does() -> None:
    # `\Z`, as `ecma_pattern` writes `$`: a trailing newline does not match.
    assert "'X-Trace'" in refused(**{"X-Trace": "t-1\n"})


def test_the_validator_is_built_once_per_endpoint() -> None:
    build_request(CHECKED, values(), None)
    first = CHECKED.__dict__["_checker"]
    build_request(CHECKED, values(limit=2), None)
    assert CHECKED.__dict__["_checker"] is first


def test_an_endpoint_without_checks_validates_nothing() -> None:
    plain: Endpoint[Any] = Endpoint("GET", "/x", parameters=(("q", "query"),))
    assert build_request(plain, ("anything",), None).params == {"q": "anything"}


@pytest.mark.parametrize("items", [[1, 2, 3], ["a"], []])
def test_unique_items_keeps_distinct_lists(items: list[object]) -> None:
    assert unique_items(items) is items


# --- extra_headers, extra_query, extra_body ----------------------------------

POST: Endpoint[Any] = Endpoint(
    "POST",
    "/things",
    parameters=(("q", "query"),),
    outcomes=(Outcome("200", True, lambda m: m.Pet),),
    body=lambda models: models.Pet,
)
SECURED: Endpoint[Any] = Endpoint(
    "GET",
    "/secured",
    outcomes=(Outcome("200", True, lambda m: m.Pet),),
    requires_credential=True,
)
PET = {"petId": 1, "name": "Rex"}


def test_extras_merge_into_the_request() -> None:
    parts = RequestParts("POST", "/things", {"q": "1"}, {"X-A": "a"}, {"id": 1})
    options: CallOptions = {
        "extra_headers": {"X-B": "b"},
        "extra_query": {"q": "2", "more": [1, True]},
        "extra_body": {"note": "hi", "id": 2},
    }
    merged = with_extras(POST, parts, options)
    assert merged.params == {"q": "2", "more": [1, True]}
    assert merged.json_data == {"id": 2, "note": "hi"}
    assert merged.extra_headers == {"X-B": "b"} and merged.headers == {"X-A": "a"}


def test_no_extras_is_the_same_request() -> None:
    parts = RequestParts("GET", "/x")
    assert with_extras(POST, parts, {"retries": None}) is parts


def test_extra_body_is_the_body_of_an_operation_without_one() -> None:
    parts = with_extras(POST, RequestParts("POST", "/x"), {"extra_body": {"a": 1}})
    assert parts.json_data == {"a": 1}


def test_extra_body_values_are_made_json() -> None:
    extra = {"when": datetime(2024, 5, 6)}
    parts = with_extras(POST, RequestParts("POST", "/x"), {"extra_body": extra})
    assert parts.json_data == {"when": "2024-05-06T00:00:00"}


def test_extra_body_needs_an_object_body() -> None:
    parts = RequestParts("POST", "/x", json=[1, 2])
    with pytest.raises(RequestValidationError, match="no JSON object"):
        with_extras(POST, parts, {"extra_body": {"a": 1}})


class _Client(BaseClient[Any]):
    _default_base_url = "https://api.example.test"
    _credential_names = frozenset({"x-api-key"})

    def post(self, body: object, **options: Any) -> Any:
        return self._send(POST, ("1",), body, options)

    def secured(self, **options: Any) -> Any:
        return self._send(SECURED, (), None, options)


class _Async(AsyncBaseClient[Any]):
    _default_base_url = "https://api.example.test"

    async def post(self, body: object, **options: Any) -> Any:
        return await self._send(POST, ("1",), body, options)


class _Key:
    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None:
        headers["X-Api-Key"] = "from-auth"


def _recording() -> tuple[list[httpx.Request], httpx.MockTransport]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=PET)

    return sent, httpx.MockTransport(handler)


LISTED: Endpoint[Any] = Endpoint(
    "GET",
    "/key?list",
    parameters=(("search", "query"),),
    outcomes=(Outcome("200", True, lambda m: m.Pet),),
)
"""A path the spec writes with a query of its own, as Garage's admin API does."""


class _Listing(BaseClient[Any]):
    _default_base_url = "https://api.example.test/v1"

    def list_keys(self, search: str | None = None, **options: Any) -> Any:
        return self._send(LISTED, (search,), None, options)


@pytest.mark.parametrize(
    ("search", "extra", "query"),
    [
        (None, None, "list"),
        ("a b", None, "list&search=a+b"),
        (None, {"page": [1, 2]}, "list&page=1&page=2"),
        ("x", {"page": 3}, "list&search=x&page=3"),
    ],
)
def test_a_path_with_its_own_query_keeps_it_first_and_as_written(
    search: str | None, extra: dict[str, Any] | None, query: str
) -> None:
    """httpx, given parameters, replaces a URL's query (and writes `list` as `list=`)."""
    sent, transport = _recording()
    client = _Listing(http_client=httpx.Client(transport=transport))
    client.list_keys(search, **({"extra_query": extra} if extra else {}))
    assert sent[0].url.raw_path == f"/v1/key?{query}".encode()


def test_a_call_sends_its_extras() -> None:
    sent, transport = _recording()
    client = _Client(auth=_Key(), http_client=httpx.Client(transport=transport))
    result = client.post(
        PET,
        extra_headers={"X-Api-Key": "override", "X-Extra": "1"},
        extra_query={"debug": True},
        extra_body={"undocumented": [1]},
    )
    assert result == models.Pet.model_validate(PET)
    request = sent[0]
    assert request.headers["x-api-key"] == "override"  # over the credential's
    assert request.headers["x-extra"] == "1"
    assert request.url.params["debug"] == "true" and request.url.params["q"] == "1"
    assert request.read() == b'{"petId":1,"name":"Rex","undocumented":[1]}'


def test_the_async_client_sends_extras_too() -> None:
    sent, transport = _recording()
    client = _Async(http_client=httpx.AsyncClient(transport=transport))
    asyncio.run(client.post(PET, extra_headers={"X-Extra": "1"}))
    assert sent[0].headers["x-extra"] == "1"


def test_extra_headers_can_carry_the_credential() -> None:
    sent, transport = _recording()
    client = _Client(http_client=httpx.Client(transport=transport))
    with pytest.raises(MissingCredentialError):
        client.secured()
    assert sent == []
    client.secured(extra_headers={"X-Api-Key": "k"})
    assert sent[0].headers["x-api-key"] == "k"


def test_extra_headers_do_not_follow_a_redirect_to_another_origin() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.host == "api.example.test":
            return httpx.Response(302, headers={"Location": "https://other.test/"})
        return httpx.Response(200, json=PET)

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    _Client(http_client=http).post(PET, extra_headers={"X-Secret": "s"})
    assert "x-secret" in sent[0].headers and "x-secret" not in sent[1].headers


def test_extra_body_is_refused_beside_a_body_that_is_not_json() -> None:
    parts = RequestParts("POST", "/x", data={"a": ["1"]})
    with pytest.raises(RequestValidationError, match="no JSON object"):
        with_extras(POST, parts, {"extra_body": {"b": 2}})


# --- what a call does not redo -----------------------------------------------


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each validation of a `Pet` as a whole, recorded."""
    seen: list[object] = []
    original = models.Pet.model_validate_json.__func__  # type: ignore[attr-defined]

    def counted(cls: Any, data: Any, **kwargs: Any) -> Any:
        seen.append(data)
        return original(cls, data, **kwargs)

    monkeypatch.setattr(models.Pet, "model_validate_json", classmethod(counted))
    return seen


def test_a_model_sent_again_unchanged_is_not_validated_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pet = models.Pet.model_validate(PET)
    seen = _counting(monkeypatch)
    for _ in range(3):
        assert build_request(POST, ("1",), pet).json_data == PET
    assert len(seen) == 1


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_a_model_changed_since_it_was_sent_is_validated_again() -> None:
    pet = models.Pet.model_validate(PET)
    build_request(POST, ("1",), pet)
    pet.__dict__["pet_id"] = "one"  # past validate_assignment, as a nested change is
    with pytest.raises(RequestValidationError, match="petId"):
        build_request(POST, ("1",), pet)


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_a_model_made_without_validation_is_refused_every_time() -> None:
    pet = models.Pet.model_construct(petId="one", name="Rex")
    for _ in range(2):
        with pytest.raises(RequestValidationError, match="petId"):
            build_request(POST, ("1",), pet)


def test_the_same_json_of_another_model_is_validated_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = models.Pet.model_validate(PET), models.Pet.model_validate(PET)
    seen = _counting(monkeypatch)
    build_request(POST, ("1",), first)
    build_request(POST, ("1",), second)
    assert len(seen) == 2


def test_a_json_body_is_sent_compact_with_its_media_type() -> None:
    sent, transport = _recording()
    _Client(http_client=httpx.Client(transport=transport)).post(PET)
    assert sent[0].headers["content-type"] == "application/json"
    assert sent[0].read() == b'{"petId":1,"name":"Rex"}'


def test_a_call_to_the_same_url_twice_sends_it_twice_the_same() -> None:
    sent, transport = _recording()
    client = _Client(http_client=httpx.Client(transport=transport))
    client.post(PET)
    client.base_url = "https://other.example.test/v2"
    client.post(PET, extra_query={"page": 2})
    client.post(PET)
    urls = [str(request.url) for request in sent]
    assert urls == [
        "https://api.example.test/things?q=1",
        "https://other.example.test/v2/things?q=1&page=2",
        "https://other.example.test/v2/things?q=1",
    ]


def test_the_exchange_is_logged_when_info_is_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, transport = _recording()
    client = _Client(http_client=httpx.Client(transport=transport))
    with caplog.at_level("INFO", logger="specgen_runtime"):
        client.post(PET)
    assert any(
        "POST https://api.example.test/things -> 200" in r.message
        for r in caplog.records
    )
