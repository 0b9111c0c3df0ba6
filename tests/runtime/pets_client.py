"""A small client built on the runtime the way the templates build one, for its tests.

What `client.py.jinja`, `async_client.py.jinja` and `auth.py.jinja` render for a
spec with two operations and three kinds of credential, written by hand.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Unpack

from specgen_runtime import models
from specgen_runtime._base_client import (
    AsyncBaseClient,
    AsyncBaseRawClient,
    BaseClient,
    BaseRawClient,
    CallOptions,
    awaited,
    awaited_whole_response,
    whole_response,
)
from specgen_runtime._endpoint import Endpoint, Outcome

BASE_URL = "https://api.example.test/v1"


class KeyAuth:
    """An apiKey in the header `X-Api-Key`."""

    __slots__ = ("_secret",)

    def __init__(self, key: str) -> None:
        self._secret = key

    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None:
        headers["X-Api-Key"] = self._secret


class QueryKey:
    """An apiKey in the query parameter `api_key`."""

    __slots__ = ("_secret",)

    def __init__(self, key: str) -> None:
        self._secret = key

    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None:
        params["api_key"] = self._secret


class BearerAuth:
    __slots__ = ("_secret",)

    def __init__(self, token: str) -> None:
        self._secret = token

    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None:
        headers["Authorization"] = "Bearer " + self._secret


Credential = KeyAuth | QueryKey | BearerAuth
FROM_ENVIRONMENT: list[Credential] = []
"""What `credential_from_env` finds: the tests put one here."""


def credential_from_env() -> Credential | None:
    return FROM_ENVIRONMENT[0] if FROM_ENVIRONMENT else None


GET_PET: Endpoint[models.Pet] = Endpoint(
    "GET",
    "/pets/{petId}",
    parameters=(
        ("petId", "path"),
        ("verbose", "query"),
        ("X-Trace", "header"),
        ("session", "cookie"),
    ),
    outcomes=(
        Outcome("200", True, lambda m: m.Pet),
        Outcome("404", False, lambda m: m.Problem),
    ),
)
CREATE_PET: Endpoint[models.Pet] = Endpoint(
    "POST", "/pets", outcomes=(Outcome("201", True, lambda m: m.Pet),)
)


class Client(BaseClient[Credential]):
    _default_base_url = BASE_URL
    _user_agent = "pets/1.0"

    def _default_credential(self) -> Credential | None:
        return credential_from_env()

    @cached_property
    def raw(self) -> RawClient:
        return RawClient(self)

    def get_pet(
        self,
        pet_id: Any,
        *,
        verbose: bool | None = None,
        x_trace: str | None = None,
        session: str | None = None,
        **options: Unpack[CallOptions],
    ) -> models.Pet:
        return self._send(GET_PET, (pet_id, verbose, x_trace, session), None, options)

    def create_pet(
        self, *, body: models.Pet, **options: Unpack[CallOptions]
    ) -> models.Pet:
        return self._send(CREATE_PET, (), body, options)


class RawClient(BaseRawClient):
    get_pet = whole_response(Client.get_pet)
    create_pet = whole_response(Client.create_pet)


class AsyncClient(AsyncBaseClient[Credential]):
    _default_base_url = BASE_URL
    _user_agent = "pets/1.0"

    def _default_credential(self) -> Credential | None:
        return credential_from_env()

    @cached_property
    def raw(self) -> AsyncRawClient:
        return AsyncRawClient(self)

    get_pet = awaited(Client.get_pet)
    create_pet = awaited(Client.create_pet)


class AsyncRawClient(AsyncBaseRawClient):
    get_pet = awaited_whole_response(Client.get_pet)
    create_pet = awaited_whole_response(Client.create_pet)
