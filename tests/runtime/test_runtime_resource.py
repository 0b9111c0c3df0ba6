"""_resource: a resource calls through its client, parsed or whole, sync or async.

Resources are written as the templates write them, over the small client of
`pets_client.py`; the names a generated client's own attributes take are the
ones the generator keeps operations and resources from.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Unpack

import httpx
from specgen_runtime import models
from specgen_runtime._base_client import CallOptions
from specgen_runtime._resource import (
    AsyncRawResource,
    AsyncResource,
    RawResource,
    Resource,
)
from specgen_runtime.response import ApiResponse

from generator.intermediate.build import CLIENT_ATTRIBUTES
from tests.runtime.pets_client import GET_PET, AsyncClient, Client

PET = {"petId": 7, "name": "Rex"}


class Pets(Resource):
    def get_pet(self, pet_id: int, **options: Unpack[CallOptions]) -> models.Pet:
        return self._send(GET_PET, (pet_id, None, None, None), None, options)


class RawPets(RawResource):
    def get_pet(
        self, pet_id: int, **options: Unpack[CallOptions]
    ) -> ApiResponse[models.Pet]:
        return self._send(GET_PET, (pet_id, None, None, None), None, options)


class AsyncPets(AsyncResource):
    async def get_pet(self, pet_id: int, **options: Unpack[CallOptions]) -> models.Pet:
        return await self._send(GET_PET, (pet_id, None, None, None), None, options)


class AsyncRawPets(AsyncRawResource):
    async def get_pet(
        self, pet_id: int, **options: Unpack[CallOptions]
    ) -> ApiResponse[models.Pet]:
        return await self._send(GET_PET, (pet_id, None, None, None), None, options)


def answer(request: httpx.Request) -> httpx.Response:
    assert request.url.path.endswith("/pets/7")
    return httpx.Response(200, json=PET, headers={"X-Request-Id": "r1"})


def test_a_resource_sends_through_its_client_parsed_or_whole() -> None:
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with Client(http_client=http) as client:
        pet = Pets(client).get_pet(7)
        whole = RawPets(client).get_pet(7)
    assert isinstance(pet, models.Pet) and pet.name == "Rex"
    assert isinstance(whole, ApiResponse)
    assert (whole.status_code, whole.headers["X-Request-Id"]) == (200, "r1")
    assert whole.parsed == pet


def test_an_async_resource_gives_coroutines_parsed_or_whole() -> None:
    async def run() -> tuple[Any, Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with AsyncClient(http_client=http) as client:
            call = AsyncPets(client).get_pet(7)
            assert inspect.iscoroutine(call)
            return await call, await AsyncRawPets(client).get_pet(7)

    pet, whole = asyncio.run(run())
    assert isinstance(pet, models.Pet) and whole.parsed == pet
    assert whole.status_code == 200


def test_a_resource_holds_its_client_and_says_so() -> None:
    client = Client()
    pets = Pets(client)
    assert pets._client is client
    assert repr(pets) == f"<Pets of {client!r}>"
    client.close()


def test_no_operation_or_resource_can_shadow_a_public_attribute_of_a_client() -> None:
    for made in (Client(), AsyncClient()):
        public = {name for name in dir(made) if not name.startswith("_")}
        own = {"raw", "get_pet", "create_pet"}  # what pets_client.py adds
        assert public - own <= CLIENT_ATTRIBUTES
        assert "raw" in CLIENT_ATTRIBUTES
