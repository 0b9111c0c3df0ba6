"""Resources by tag: a big API's operations grouped as `client.<tag>.<operation>`.

The rule (generator/intermediate/resources.py) on made-up operations, the
intermediate model of a spec with several tags (tests/fixtures/resources/), and
the package generated from it: every client reaches each operation by the same
path, sync, async and raw, and resources are made on first use.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import make_target
from generator.intermediate.build import CLIENT_ATTRIBUTES
from generator.intermediate.model import Api, Operation, Parameter, TypeRef
from generator.intermediate.resources import CLIENT_MODULE_CLASSES, group_by_tag
from generator.naming import PythonIdentifier, snake_case
from generator.pipeline import build_api_for, generate_files

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = FIXTURES / "resources" / "openapi.yaml"
PACKAGE = "tagged_pets"
ODD_TAG = 'Quote """ `tick` \\ back<br>slash'


def operation(name: str, *tags: str) -> Operation:
    return Operation(
        operation_id=name,
        method_name=PythonIdentifier(name),
        http_method="GET",
        path=f"/{name}",
        summary="",
        description="",
        tags=tags,
        deprecated=False,
        parameters=(),
        request_body=None,
        responses=(),
        security=(),
    )


def grouped(
    *operations: Operation, tags: Any = None
) -> tuple[dict[str, str], dict[str, tuple[str, str, list[str]]]]:
    """Where each operation went (its call path), and each resource by tag:
    (attribute, class, methods)."""
    placed, resources = group_by_tag(operations, tags, CLIENT_ATTRIBUTES)
    assert [o.method_name for o in placed] == [o.method_name for o in operations]
    return (
        {o.method_name: o.call_path for o in placed},
        {
            r.tag: (
                r.attribute_name,
                r.class_name,
                [o.method_name for o in r.operations],
            )
            for r in resources
        },
    )


# --- the rule ------------------------------------------------------------------


def test_one_tag_or_none_keeps_every_operation_on_the_client() -> None:
    for operations in (
        (operation("a", "Jobs"), operation("b", "Jobs"), operation("c")),
        (operation("a"), operation("b", "")),
    ):
        paths, resources = grouped(*operations)
        assert resources == {}
        assert all(path == name for name, path in paths.items())


def test_each_operation_goes_to_its_first_tag_untagged_ones_stay() -> None:
    paths, resources = grouped(
        operation("list_pets", "Pets"),
        operation("place_order", "Store", "Pets"),
        operation("health"),
        operation("get_pet", "Pets", "Store"),
    )
    assert paths == {
        "list_pets": "pets.list_pets",
        "place_order": "store.place_order",
        "health": "health",
        "get_pet": "pets.get_pet",
    }
    assert resources == {
        "Pets": ("pets", "Pets", ["list_pets", "get_pet"]),
        "Store": ("store", "Store", ["place_order"]),
    }


def test_resources_follow_the_declared_tags_then_first_use() -> None:
    declared = [{"name": "Zoo", "description": "  Z.  "}, {"name": "Unused"}, "junk"]
    _, resources = group_by_tag(
        (operation("a", "Later"), operation("b", "Zoo")), declared, CLIENT_ATTRIBUTES
    )
    assert [(r.tag, r.description) for r in resources] == [
        ("Zoo", "Z."),
        ("Later", ""),
    ]


def test_tags_that_are_not_identifiers_get_safe_names() -> None:
    _, resources = grouped(
        operation("a", "Referral & Rewards"),
        operation("b", "123 go"),
        operation("c", "日本"),
        operation("d", "class"),
        operation("e", "IPs"),
    )
    assert {tag: names[:2] for tag, names in resources.items()} == {
        "Referral & Rewards": ("referral_rewards", "ReferralRewards"),
        "123 go": ("resource_123_go", "Resource123Go"),
        "日本": ("resource", "Resource"),
        "class": ("class_", "Class"),
        "IPs": ("ips", "IPs"),
    }
    for attribute, class_name, _ in resources.values():
        assert attribute.isidentifier() and class_name.isidentifier()


def test_names_the_clients_use_or_two_tags_share_get_a_suffix() -> None:
    paths, resources = grouped(
        operation("list_raw", "raw"),
        operation("closing", "close"),
        operation("pets"),  # an untagged method takes `pets` first
        operation("list_pets", "Pets"),
        operation("list_pets_2", "pets"),
        operation("list_clients", "Client"),
        operation("list_jobs", "Jobs"),
        operation("list_raw_jobs", "RawJobs"),
    )
    assert {tag: names[:2] for tag, names in resources.items()} == {
        "raw": ("raw_2", "Raw"),
        "close": ("close_2", "Close"),
        "Pets": ("pets_2", "Pets"),
        "pets": ("pets_3", "Pets2"),
        "Client": ("client", "Client2"),
        "Jobs": ("jobs", "Jobs"),
        "RawJobs": ("raw_jobs", "RawJobs2"),
    }
    assert paths["pets"] == "pets" and paths["list_pets"] == "pets_2.list_pets"


def test_a_tag_named_as_a_name_the_client_modules_import_gets_another_class() -> None:
    """`Download` (binary downloads) and the types the signatures import (`IO`)."""
    by_id = dataclasses.replace(
        operation("get_thing", "IO"),
        parameters=(
            Parameter(
                name="file",
                python_name=PythonIdentifier("file"),
                location="query",
                required=True,
                type=TypeRef("bytes | IO[bytes]", stdlib=(("typing", "IO"),)),
                description="",
            ),
        ),
    )
    _, resources = grouped(by_id, operation("download_archive", "Download"))
    assert {tag: names[1] for tag, names in resources.items()} == {
        "IO": "IO2",
        "Download": "Download2",
    }


TAG_TEXT = st.text(st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
    ["raw", "Raw", "Client", "RawClient", "Jobs", "RawJobs", "jobs", "close", "x"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TAG_TEXT, max_size=3), min_size=1, max_size=12))
def test_any_tags_give_unique_safe_names(tag_lists: list[list[str]]) -> None:
    operations = [operation(f"op_{i}", *tags) for i, tags in enumerate(tag_lists)]
    placed, resources = group_by_tag(operations, None, CLIENT_ATTRIBUTES)
    on_client = {o.method_name for o in placed if not o.resource}
    attributes = [r.attribute_name for r in resources]
    assert len(set(attributes)) == len(attributes)
    assert not set(attributes) & (CLIENT_ATTRIBUTES | on_client)
    classes = [
        name
        for r in resources
        for name in (
            r.class_name,
            r.raw_class_name,
            r.async_class_name,
            r.async_raw_class_name,
        )
    ]
    assert len(set(classes)) == len(classes)
    assert not set(classes) & CLIENT_MODULE_CLASSES
    assert all(name.isidentifier() for name in attributes + classes)
    grouped_ops = [o.method_name for r in resources for o in r.operations]
    assert sorted(grouped_ops + sorted(on_client)) == sorted(
        o.method_name for o in operations
    )
    for o in placed:
        first = o.tags[0] if o.tags else ""
        if resources:
            assert bool(o.resource) == bool(first)
            assert o.resource == next(
                (r.attribute_name for r in resources if r.tag == first), ""
            )
        else:
            assert not o.resource and o.owner == "Client"


def test_a_plural_acronym_is_one_word() -> None:
    assert [snake_case(w) for w in ("IPs", "listURLsNow", "HTTPServer")] == [
        "ips",
        "list_urls_now",
        "http_server",
    ]


# --- the intermediate model ----------------------------------------------------


@pytest.fixture(scope="module")
def api() -> Api:
    target = make_target(SPEC, PACKAGE, Path("unused"), None, FIXTURES.parent)
    return build_api_for(target).api


def test_the_model_groups_the_fixture_by_tag(api: Api) -> None:
    assert [
        (r.tag, r.attribute_name, r.class_name, r.description) for r in api.resources
    ] == [
        ("Store", "store", "Store", "Orders."),
        ("Pets", "pets", "Pets", "Everything about pets."),
        ("raw", "raw_2", "Raw", ""),
        ("Client", "client", "Client2", ""),
        ("Admin Tools", "admin_tools", "AdminTools", ""),
        (ODD_TAG, "quote_tick_back_br_slash", "QuoteTickBackBrSlash", ""),
    ]
    assert [o.method_name for o in api.client_operations] == ["health"]
    by_name = {str(o.method_name): o for o in api.operations}
    assert by_name["place_order"].call_path == "store.place_order"
    assert by_name["place_order"].owner == "Store"
    assert by_name["health"].owner == "Client"
    pets = api.resources[1]
    assert (pets.raw_class_name, pets.async_class_name, pets.async_raw_class_name) == (
        "RawPets",
        "AsyncPets",
        "AsyncRawPets",
    )


def test_a_spec_without_tags_is_flat() -> None:
    mini = FIXTURES / "mini" / "openapi.yaml"
    flat = build_api_for(
        make_target(mini, "mini_pets", Path("unused"), None, FIXTURES.parent)
    ).api
    assert flat.resources == ()
    assert flat.client_operations == flat.operations
    assert all(o.call_path == o.method_name for o in flat.operations)


# --- the generated package -----------------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The fixture's package, generated with the custom templates, and imported."""
    root = tmp_path_factory.mktemp("resources")
    target = make_target(
        SPEC, PACKAGE, root, FIXTURES / "custom_templates", FIXTURES.parent
    )
    for name, content in generate_files(target).files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


PET = {"id": 1, "name": "Rex"}


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/pets/1":
        return httpx.Response(200, json=PET)
    return httpx.Response(204)


def test_resources_are_attributes_made_on_first_use(
    package: ModuleType, api: Api
) -> None:
    http = httpx.Client(transport=httpx.MockTransport(answer))
    with package.Client(http_client=http) as client:
        names = [r.attribute_name for r in api.resources]
        assert not set(names) & set(vars(client))
        assert client.pets is client.pets and client.raw.pets is client.raw.pets
        assert type(client.pets).__name__ == "Pets"
        assert type(client.raw.pets).__name__ == "RawPets"
        assert type(client.client).__name__ == "Client2"
        pet = client.pets.get_pet(1)
        whole = client.raw.pets.get_pet(1)
        assert client.health() is None
        assert client.raw.health().status_code == 204
    assert pet.name == "Rex" and whole.status_code == 200 and whole.parsed == pet
    assert not hasattr(client, "get_pet"), "a tagged operation is not on the client"


def test_async_resources_have_coroutine_methods_of_their_own(
    package: ModuleType,
) -> None:
    async_module = importlib.import_module(f"{PACKAGE}.async_client")
    sync_module = importlib.import_module(f"{PACKAGE}.client")
    method = async_module.AsyncPets.get_pet
    assert method.__qualname__ == "AsyncPets.get_pet"
    assert async_module.AsyncRawPets.get_pet.__qualname__ == "AsyncRawPets.get_pet"
    assert inspect.iscoroutinefunction(method)
    sync = inspect.signature(sync_module.Pets.get_pet)
    assert inspect.signature(method) == sync
    raw = inspect.signature(async_module.AsyncRawPets.get_pet).return_annotation
    assert raw == "ApiResponse[models.Pet]"

    async def run() -> tuple[Any, Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with package.AsyncClient(http_client=http) as client:
            assert type(client.pets).__name__ == "AsyncPets"
            return await client.pets.get_pet(1), await client.raw.pets.get_pet(1)

    pet, whole = asyncio.run(run())
    assert pet.name == "Rex" and whole.parsed == pet


def test_the_client_methods_extension_point_still_extends_both_clients(
    package: ModuleType,
) -> None:
    names = [
        "place_order",
        "list_pets",
        "get_pet",
        "list_raw_things",
        "list_clients",
        "admin_stats",
        "odd_one",
        "health",
    ]
    with package.Client() as client:
        assert sorted(client.operation_names()) == sorted(names)
    assert inspect.iscoroutinefunction(package.AsyncClient.operation_names)


def test_a_tag_stays_text_in_docstrings(package: ModuleType) -> None:
    sync_module = importlib.import_module(f"{PACKAGE}.client")
    odd = sync_module.QuoteTickBackBrSlash
    assert (odd.__doc__ or "").startswith(f"The operations tagged `{ODD_TAG}`")
    attribute = sync_module.Client.quote_tick_back_br_slash
    assert ODD_TAG in (attribute.__doc__ or "")


def test_the_readme_explains_the_resources(package: ModuleType) -> None:
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert "client.pets.list_pets(" in readme
    assert "| `admin_tools` | `Admin Tools` | 1 |" in readme
    assert "| `pets.get_pet` |" in readme
