"""Real OpenAPI 3 specs: nothing dropped, nothing crashes, every package typed and tested.

Fast tests read the intermediate model, and the packages generated, of small
hand-written specs (tests/fixtures/realworld_cases): OpenAPI's nullable idioms,
`schema: {}`, array and string bodies, server URLs, examples that break their
schema, webhooks. The slow corpus test generates a package for every vendored
real spec (tests/data/realworld) and checks it the way a user would.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from generator.config import Target, make_target
from generator.conformance.json_schema import schema_definitions, to_json_schema
from generator.conformance.reference import Reference
from generator.intermediate.model import Api, Operation, Sample
from generator.intermediate.nullable import (
    nullable_classes,
    spell_nullable,
    with_nullable_spelled,
)
from generator.loading.inapplicable_keywords import (
    SHOWN_ALIKE,
    drop_inapplicable_keywords,
)
from generator.loading.loader import load_spec
from generator.loading.normalize import iter_operations, operation_base_name
from generator.loading.path_templates import declare_template_parameters
from generator.loading.wrong_defaults import drop_wrong_defaults
from generator.pipeline import Built, build_api_for, generate_files
from generator.rendering.defaults import default_templates
from generator.rendering.templates import make_environment
from tests.conftest import DATA_DIR, REPO_ROOT

CASES = REPO_ROOT / "tests" / "fixtures" / "realworld_cases"
REALWORLD = DATA_DIR / "realworld"


def target_for(spec: Path, package: str, output: Path | None = None) -> Target:
    return make_target(spec, package, output or Path("unused"), None, REPO_ROOT)


@cache
def built(case: str) -> Built:
    return build_api_for(target_for(CASES / f"{case}.yaml", f"fx_{case}"))


def operation(api: Api, name: str) -> Operation:
    return next(op for op in api.operations if op.method_name == name)


# --- OpenAPI's nullable idioms -------------------------------------------------


@pytest.mark.parametrize(
    ("method", "annotation"),
    [
        (
            "get_all_of",
            "models.GetAllOfResponse200 | None",
        ),  # hoisted: `allOf: [$ref]` beside `nullable`
        ("get_one_of", "models.Pet | models.Toy | None"),
        ("get_nullable_component", "models.MaybeOwner | None"),
        ("post_holder", "models.Holder"),
    ],
)
def test_openapi_30_nullable_idioms_return_none_too(
    method: str, annotation: str
) -> None:
    assert operation(built("nullable_30").api, method).return_annotation == annotation


@pytest.mark.parametrize(
    ("method", "annotation"),
    [
        ("get_type_list", "str | None"),
        ("get_any_of_null", "models.Pet | None"),
        ("get_one_of_const_null", "models.Pet | None"),
        ("get_maybe_pet", "models.Pet | None"),
        ("get_holder", "models.Holder"),
    ],
)
def test_openapi_31_nullable_idioms_return_none_too(
    method: str, annotation: str
) -> None:
    assert operation(built("nullable_31").api, method).return_annotation == annotation


def test_a_root_model_over_a_class_or_null_gives_its_root() -> None:
    success = operation(built("nullable_31").api, "get_maybe_pet").success
    assert success is not None and success.type is not None
    assert success.type.root_model == "models.MaybePet"
    assert success.type.parsed_as == "models.MaybePet"


def test_spell_nullable_says_null_the_json_schema_way() -> None:
    ref = {"$ref": "#/components/schemas/Pet"}
    assert spell_nullable({"type": "string", "nullable": True}) == {
        "type": ["string", "null"]
    }
    assert spell_nullable({"type": "string", "enum": ["a"], "nullable": True}) == {
        "type": ["string", "null"],
        "enum": ["a", None],
    }
    assert spell_nullable({"allOf": [ref], "nullable": True, "description": "d"}) == {
        "description": "d",
        "anyOf": [{"allOf": [ref]}, {"type": "null"}],
    }
    assert spell_nullable({"oneOf": [ref], "nullable": True}) == {
        "anyOf": [{"oneOf": [ref]}, {"type": "null"}]
    }
    assert spell_nullable({**ref, "nullable": True}) == {
        "anyOf": [ref, {"type": "null"}]
    }
    assert (
        spell_nullable({"nullable": True}) == {}
    )  # OpenAPI 3.0.3: it only extends `type`
    nested = {
        "type": "object",
        "properties": {"nullable": {"type": "integer", "nullable": True}},
    }
    assert spell_nullable(nested) == {
        "type": "object",
        "properties": {"nullable": {"type": ["integer", "null"]}},
    }


def test_a_nullable_class_moves_its_null_to_its_uses() -> None:
    document = built("nullable_30").document
    assert "MaybeOwner" in nullable_classes(document["components"]["schemas"])
    spelled = with_nullable_spelled(document)["components"]["schemas"]
    assert spelled["MaybeOwner"]["type"] == "object"
    assert spelled["Holder"]["properties"]["owner"] == {
        "anyOf": [{"$ref": "#/components/schemas/MaybeOwner"}, {"type": "null"}]
    }


def test_the_reference_accepts_null_where_the_models_do() -> None:
    document = built("nullable_30").document
    reference = Reference(schema_definitions(with_nullable_spelled(document)))
    holder = {"pet": None, "toy": None, "owner": None, "count": None}
    assert reference.judge("Holder", holder) is True
    assert (
        reference.judge("Holder", {**holder, "count": 0}) is False
    )  # 3.0's boolean exclusiveMinimum


# --- bodies ------------------------------------------------------------------


def test_any_json_schema_is_any_json_not_no_body() -> None:
    op = operation(built("nullable_30").api, "post_any")
    assert op.return_annotation == "Any"
    assert op.request_body is not None and op.request_body.type.annotation == "Any"
    assert op.success_example is not None and op.body_example is not None


def test_array_and_string_bodies_are_typed() -> None:
    api = built("nullable_30").api
    replace = operation(api, "replace_pets")
    rename = operation(api, "rename_pet")
    assert (
        replace.request_body is not None
        and replace.request_body.type.annotation == "list[models.Pet]"
    )
    assert (
        replace.request_body.type.parsed_as_value == "GenericAlias(list, (models.Pet,))"
    )
    assert ("types", "GenericAlias") in api.operation_stdlib
    assert (
        rename.request_body is not None and rename.request_body.type.annotation == "str"
    )
    env = make_environment([default_templates()])
    body = env.from_string(
        '{% import "partials/samples.jinja" as samples %}'
        "{{ samples.body(op.request_body, op.body_constant) }}"
    )
    assert (
        body.render(op=replace)
        == "TypeAdapter(list[models.Pet]).validate_python(BODY_REPLACE_PETS)"
    )
    assert body.render(op=rename) == "BODY_RENAME_PET"


# --- examples and samples ----------------------------------------------------


def test_examples_that_break_their_schema_are_warnings_with_their_pointer() -> None:
    warned = {w.pointer: w for w in built("nullable_30").api.warnings}
    assert set(warned) == {
        "/paths/~1holder/post/requestBody/content/application~1json/example",
        "/paths/~1holder/post/responses/201/content/application~1json/example",
        "/paths/~1pets/get/parameters/0/example",
        "/components/schemas/Pet/example",
    }
    assert all(
        w.level.value == "warning" and w.file.name == "nullable_30.yaml"
        for w in warned.values()
    )
    assert (
        "unknownField"
        in warned[
            "/paths/~1holder/post/requestBody/content/application~1json/example"
        ].message
    )


def test_broken_examples_are_not_used_and_samples_are_valid() -> None:
    built_case = built("nullable_30")
    api, document = built_case.api, built_case.document
    assert api.examples == ()  # Pet's own example has an empty name
    holder = operation(api, "post_holder")
    assert holder.body_example is not None and "unknownField" not in holder.body_example
    assert (
        holder.success_example is not None
        and holder.success_example.get("toy") != "not-an-object"
    )
    limit = operation(api, "list_pets").parameters[0]
    assert limit.name == "limit" and limit.sample == Sample(1)
    # Judged again by the reference validator, against the schemas as the spec writes them.
    definitions = schema_definitions(with_nullable_spelled(document))
    classes = nullable_classes(document["components"]["schemas"])
    for op in api.operations:
        for value, media_of in (
            (op.body_example, _request_schema),
            (op.success_example, _success_schema),
        ):
            if value is None:
                continue
            schema = media_of(document, op)
            reference = Reference(
                {
                    **definitions,
                    "Sample": to_json_schema(spell_nullable(schema, classes)),
                }
            )
            assert reference.judge("Sample", value) is True, (op.method_name, value)


def _request_schema(document: dict[str, Any], op: Operation) -> Any:
    body = _operation_node(document, op)["requestBody"]
    return body["content"]["application/json"].get("schema", {})


def _success_schema(document: dict[str, Any], op: Operation) -> Any:
    assert op.success is not None and op.success.content_type is not None
    response = _operation_node(document, op)["responses"][op.success.status]
    return response["content"][op.success.content_type].get("schema", {})


def _operation_node(document: dict[str, Any], op: Operation) -> dict[str, Any]:
    return next(
        o
        for path, method, _, o in iter_operations(document)
        if path == op.path and method == op.http_method.lower()
    )


def test_parameter_samples_have_the_parameter_type() -> None:
    api = built("nullable_30").api
    born = operation(api, "list_pets").parameters[1]
    assert born.sample.kind == "date-time"
    assert born.sample.value == "2024-05-06T07:08:09Z"
    assert born.sample_stdlib == (("datetime", "datetime"),)
    pet_id = operation(api, "rename_pet").parameters[0]
    assert (
        pet_id.sample.kind == "uuid"
        and pet_id.encoded_sample == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    )


# --- servers -----------------------------------------------------------------


def test_server_variables_give_the_default_base_url() -> None:
    api = built("nullable_30").api
    assert api.default_base_url == "https://eu.api.example.test/v1"
    assert [(v.name, v.default, v.enum) for v in api.server_variables] == [
        ("region", "eu", ("eu", "us")),
        ("version", "v1", ()),
    ]


def test_a_relative_server_gives_no_default_base_url() -> None:
    api = built("nullable_31").api
    assert api.servers[0].url == "/api/v1"
    assert api.default_base_url == ""
    assert api.example_base_url == "https://your-server.example/api/v1"


# --- webhooks ----------------------------------------------------------------


def test_webhooks_get_typed_parsers_and_one_without_json_is_a_warning() -> None:
    api = built("nullable_31").api
    assert [(w.function_name, w.type.annotation) for w in api.webhooks] == [
        ("parse_webhook_pet_adopted", "models.Pet"),
        ("parse_webhook_pets_counted", "list[models.Pet]"),
    ]
    assert api.webhooks[0].example == {"name": "Rex"}
    assert [w.pointer for w in api.warnings] == ["/webhooks/formOnly/post"]


def test_the_webhook_example_spec_gets_a_parser() -> None:
    api = build_api_for(
        target_for(
            REALWORLD / "webhook-example" / "webhook-example.yaml", "webhook_example"
        )
    ).api
    assert [(w.name, w.function_name, w.type.annotation) for w in api.webhooks] == [
        ("newPet", "parse_webhook_new_pet", "models.Pet")
    ]


# --- path templates no parameter declares ---------------------------------------


def test_a_path_expression_no_parameter_declares_is_a_required_string() -> None:
    api = built("path_templates").api
    path_parameters = {
        op.method_name: sorted(
            (p.name, p.required, p.type.annotation)
            for p in op.parameters
            if p.location == "path"
        )
        for op in api.operations
    }
    assert path_parameters == {
        "get_app": [("app_id", True, "str")],
        "delete_app": [("app_id", True, "str")],  # declared through a $ref: kept
        "get_msg": [("app_id", True, "str"), ("msg_id", True, "int")],
    }
    assert [
        (w.pointer, w.level.value, w.line)
        for w in built("path_templates").load_warnings
    ] == [
        ("/paths/~1apps~1{app_id}/get", "warning", 13),
        ("/paths/~1apps~1{app_id}~1msgs~1{msg_id}/get", "warning", 36),
    ]


def test_a_declared_path_parameter_is_not_copied_to_an_aliased_item() -> None:
    shared = {"get": {"responses": {}}}
    document: dict[str, Any] = {"paths": {"/a/{x}": shared, "/b": shared}}
    warnings = declare_template_parameters(document, Path("spec.yaml"))
    assert [w.pointer for w in warnings] == ["/paths/~1a~1{x}/get"]
    assert document["paths"]["/a/{x}"]["get"]["parameters"] == [
        {"name": "x", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert document["paths"]["/b"] is shared and "parameters" not in shared["get"]


@contextmanager
def generated(case: str, root: Path) -> Iterator[ModuleType]:
    """The package of fixture `case`, written under `root` and imported (then forgotten)."""
    package = f"fx_{case}"
    for relative, content in generate_files(
        target_for(CASES / f"{case}.yaml", package)
    ).files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.split(".")[0] == package]:
            del sys.modules[name]


def test_the_client_sends_the_undeclared_path_value(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    with (
        generated("path_templates", tmp_path) as package,
        answering(package, {"name": "a"}, sent) as client,
    ):
        client.get_app("app 1")
        client.get_msg(app_id="app_2", msg_id=7)
    assert [r.url.raw_path for r in sent] == [b"/apps/app%201", b"/apps/app_2/msgs/7"]


def test_a_path_with_a_query_is_a_warning_and_keeps_its_query(tmp_path: Path) -> None:
    assert [
        (w.pointer, w.line, w.message.split(",")[0])
        for w in built("path_queries").load_warnings
    ] == [
        ("/paths/~1key?list", 14, "the path holds a query (`?list`)"),
        ("/paths/~1bucket~1{name}?acl", 45, "the path holds a query (`?acl`)"),
    ]
    sent: list[httpx.Request] = []
    with (
        generated("path_queries", tmp_path) as package,
        answering(package, [{"accessKeyId": "k"}], sent) as client,
    ):
        client.list_keys()
    with (
        generated("path_queries", tmp_path) as package,
        answering(package, {"accessKeyId": "k"}, sent) as client,
    ):
        client.get_key(search="a b")
    assert [r.url.raw_path for r in sent] == [b"/v1/key?list", b"/v1/key?search=a+b"]


# --- what Java and .NET emitters write ------------------------------------------


def test_status_keys_with_reasons_and_array_lengths_are_warned_and_fixed() -> None:
    assert [(w.pointer, w.line) for w in built("java_dotnet_shapes").load_warnings] == [
        ("/paths/~1things~1{id}/put/responses/204 NO_CONTENT", 26),
        ("/components/schemas/ThingList/properties/forms/minLength", 95),
    ]


def test_many_alike_inapplicable_keywords_are_one_warning_past_the_first() -> None:
    """Kubernetes' 510 `uniqueItems: true` on objects: three shown, the rest counted."""
    schemas = {
        f"Thing{i}": {"type": "object", "uniqueItems": True}
        for i in range(SHOWN_ALIKE + 3)
    }
    schemas["Name"] = {"type": "string", "minItems": 1}
    document = {"components": {"schemas": schemas}}
    warnings = drop_inapplicable_keywords(document, Path("k8s.json"))
    assert [w.pointer for w in warnings] == [
        *(f"/components/schemas/Thing{i}/uniqueItems" for i in range(SHOWN_ALIKE + 1)),
        "/components/schemas/Name/minItems",
    ]
    assert warnings[SHOWN_ALIKE].message == (
        "uniqueItems True left out the same way here and in 2 more schemas of type object"
    )
    assert not any("uniqueItems" in s for s in schemas.values())


def test_one_alike_inapplicable_keyword_past_the_shown_is_shown_not_counted() -> None:
    """Halo's four `properties` on `conditions` arrays read "here and in 0 more"."""

    def warned(count: int) -> list[str]:
        document = {
            "components": {
                "schemas": {
                    f"Status{i}": {"type": "array", "properties": {"type": {}}}
                    for i in range(count)
                }
            }
        }
        return [w.message for w in drop_inapplicable_keywords(document, Path("h.json"))]

    one_past = warned(SHOWN_ALIKE + 1)
    assert len(one_past) == SHOWN_ALIKE + 1
    assert all("applies to objects only" in m for m in one_past)
    assert warned(SHOWN_ALIKE + 2)[-1] == (
        "properties … left out the same way here and in 1 more schema of type array"
    )


def test_framework_shapes_show_each_of_four_alike_array_properties() -> None:
    """springdoc's `empty` of a Java list on four arrays: four warnings, none "0 more"."""
    warnings = [
        w for w in built("framework_shapes").load_warnings if "properties" in w.message
    ]
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/components/schemas/Conditions/properties", 62),
        ("/components/schemas/PostStatus/properties/conditions/properties", 74),
        ("/components/schemas/PageStatus/properties/conditions/properties", 84),
        ("/components/schemas/ThemeStatus/properties/conditions/properties", 94),
    ]
    assert all("applies to objects only" in w.message for w in warnings)


def test_a_pattern_no_spec_string_matches_gets_a_sample_drawn_from_it() -> None:
    op = operation(built("java_dotnet_shapes").api, "get_log_file")
    assert op.sample_path == "/log/file/0.txt"


def _status_reply(
    status: int, data: Any = None, media: str = "application/json"
) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        content = b"" if data is None else json.dumps(data).encode()
        return httpx.Response(status, content=content, headers={"Content-Type": media})

    return handler


@pytest.mark.parametrize(
    ("call", "status", "data", "returned"),
    [
        ("put_thing", 204, None, None),
        ("list_things", 200, {"items": [{"name": "a"}], "forms": []}, "ThingList"),
        ("count_things", 200, None, None),  # no success documented: a 2xx has no body
        ("raw_thing", 200, {"name": "a"}, "Thing"),  # */* of a model: JSON
        ("thing_file", 200, {"name": "a"}, b'{"name": "a"}'),  # */* of a file: bytes
    ],
)
def test_successes_of_java_and_dotnet_shapes(
    tmp_path: Path, call: str, status: int, data: Any, returned: Any
) -> None:
    with generated("java_dotnet_shapes", tmp_path) as package:
        transport = httpx.MockTransport(_status_reply(status, data))
        client = package.Client(http_client=httpx.Client(transport=transport))
        method = getattr(client, call)
        result = method("t1") if call == "put_thing" else method()
        if returned == "ThingList":
            assert isinstance(result, package.models.ThingList) and result.forms == []
        elif returned == "Thing":
            assert isinstance(result, package.models.Thing) and result.name == "a"
        else:
            assert result == returned


@pytest.mark.parametrize(
    ("call", "status", "parsed"),
    [
        ("put_thing", 409, None),  # `204 NO_CONTENT` no longer matches every status
        ("list_things", 404, "ThingList"),  # `default` is the error's body too
        ("count_things", 404, None),
    ],
)
def test_errors_of_java_and_dotnet_shapes(
    tmp_path: Path, call: str, status: int, parsed: str | None
) -> None:
    body = {"items": [], "forms": []}
    with generated("java_dotnet_shapes", tmp_path) as package:
        transport = httpx.MockTransport(_status_reply(status, body))
        client = package.Client(http_client=httpx.Client(transport=transport))
        method = getattr(client, call)
        with pytest.raises(package.errors.ApiError) as raised:
            method("t1") if call == "put_thing" else method()
        assert raised.value.status_code == status
        if parsed:
            assert isinstance(raised.value.parsed, getattr(package.models, parsed))


def test_yaml_12_numbers_and_path_fragments_are_read_as_meant() -> None:
    loaded = built("more_emitters")
    events = loaded.document["paths"]["/events"]["get"]
    assert events["parameters"][0]["schema"]["minimum"] == 1e-08  # not "1e-08"
    paths = {op.method_name: op.sample_path for op in loaded.api.operations}
    assert paths["create_item_stream"] == paths["create_item"] == "/v1/items"
    assert [w.pointer for w in loaded.load_warnings] == ["/paths/~1v1~1items#stream"]


def test_an_allof_member_naming_an_alias_keeps_the_aliased_fields() -> None:
    """datamodel-code-generator dropped a member that is an alias (`Base: {$ref: X}`)."""
    assert (
        "class SettingResponse(SettingCompact):" in built("allof_aliases").models_source
    )


# --- defaults of another type than their schema's --------------------------------


def test_a_default_of_another_type_than_its_schema_is_left_out_with_a_warning() -> None:
    loaded = load_spec(CASES / "string_defaults.yaml")
    assert [(w.pointer, w.line) for w in loaded.warnings] == [
        ("/paths/~1generate/post/parameters/0/schema/default", 19),
        (
            "/paths/~1generate/post/responses/default/content/application~1json"
            "/schema/properties/code/default",
            42,
        ),
        ("/components/schemas/Parameters/properties/max_tokens/default", 66),
        ("/components/schemas/Parameters/properties/details/default", 69),
        ("/components/schemas/Parameters/properties/temperature/default", 73),
        ("/components/schemas/Parameters/properties/grammar/default", 88),
    ]
    assert "'1024' is not of its schema's type (integer or null)" in (
        loaded.warnings[2].message
    )
    parameters = loaded.document["components"]["schemas"]["Parameters"]
    assert {
        name: schema["default"]
        for name, schema in parameters["properties"].items()
        if "default" in schema
    } == {"top_k": 10, "ratio": 1, "adapter_id": "null"}
    # A property named `default`, and an example that looks like a schema, stay.
    assert parameters["properties"]["properties"]["properties"]["default"] == {
        "type": "string"
    }
    assert parameters["example"]["properties"]["default"] == "not a default"


def test_a_number_field_holding_an_integer_is_no_integer_field(
    tmp_path: Path,
) -> None:
    """The generated test that strict integer fields refuse 1.0 picks an integer
    field: `ratio` (a number whose sample is 1) takes 1.0."""
    for relative, content in generate_files(
        target_for(CASES / "string_defaults.yaml", "fx_string_defaults")
    ).files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(content)
    result = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_validation.py",
            "-k",
            "integer_fields_refuse_one_point_zero",
        ],
        tmp_path,
        {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 passed" in result.stdout


def test_a_default_is_judged_through_refs_and_branches_and_a_cycle_ends() -> None:
    loop = {"oneOf": [{"$ref": "#/components/schemas/Loop"}, {"type": "array"}]}
    choice = {"oneOf": [{"enum": ["auto"]}, {"type": "object"}]}
    document: dict[str, Any] = {
        "components": {
            "schemas": {
                "Loop": loop,
                "Choice": choice,
                "Holder": {
                    "type": "object",
                    "properties": {
                        "a": {"$ref": "#/components/schemas/Loop", "default": "x"},
                        "b": {"type": "string", "default": 1},
                        "c": {
                            "allOf": [{"$ref": "#/components/schemas/Choice"}],
                            "default": "auto",
                        },
                        "d": {
                            "allOf": [{"$ref": "#/components/schemas/Choice"}],
                            "default": 1,
                        },
                    },
                },
            }
        }
    }
    warnings = drop_wrong_defaults(document, Path("spec.yaml"))
    assert [w.pointer for w in warnings] == [
        "/components/schemas/Holder/properties/b/default",
        "/components/schemas/Holder/properties/d/default",
    ]
    kept = document["components"]["schemas"]["Holder"]["properties"]
    assert (kept["a"]["default"], kept["c"]["default"]) == ("x", "auto")


def test_a_default_breaking_its_format_is_left_out_with_a_warning() -> None:
    """openstatus: `format: date` with the date-time the spec was built at; the
    models module would fail at import validating it."""
    date = {"type": "string", "nullable": True, "format": "date"}
    document = {
        "components": {
            "schemas": {
                "Report": {
                    "type": "object",
                    "properties": {
                        "at": {**date, "default": "2026-02-12T22:01:46.114Z"},
                        "on": {**date, "default": "2026-02-12"},
                    },
                }
            }
        }
    }
    warnings = drop_wrong_defaults(document, Path("spec.yaml"))
    assert [(w.pointer, w.message) for w in warnings] == [
        (
            "/components/schemas/Report/properties/at/default",
            "default '2026-02-12T22:01:46.114Z' is no date string, as its format"
            " says: left out, so the server's own default applies",
        )
    ]
    kept = document["components"]["schemas"]["Report"]["properties"]
    assert "default" not in kept["at"] and kept["on"]["default"] == "2026-02-12"


def test_a_field_whose_default_was_left_out_is_not_sent(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    with generated("string_defaults", tmp_path) as package:
        models = importlib.import_module("fx_string_defaults.models")
        parameters = models.Parameters(inputs="Deep Learning?")
        dumped = parameters.model_dump(mode="json")
        assert {"max_tokens", "details", "temperature", "grammar"}.isdisjoint(dumped)
        assert (dumped["top_k"], dumped["ratio"], dumped["adapter_id"]) == (
            10,
            1.0,
            "null",
        )
        with answering(package, {"inputs": "?"}, sent) as client:
            client.generate(body=parameters)
    assert sent[0].url.query == b""
    assert json.loads(sent[0].content) == {"inputs": "Deep Learning?"}


# --- what vendors' specs write: DigitalOcean, Hetzner, Kubernetes, Prefect ---------


def test_a_wildcard_body_of_structured_data_is_its_model_sent_as_json() -> None:
    body = operation(built("vendor_shapes").api, "create_daemon_set").request_body
    assert body is not None
    assert [(m.content_type, m.kind) for m in body.media] == [
        ("application/json", "json")
    ]
    assert body.type.annotation == "models.DaemonSet"


def test_vendor_shapes_warn_where_they_lose_something() -> None:
    loaded = built("vendor_shapes")
    warned = {
        w.pointer: w.message for w in (*loaded.load_warnings, *loaded.api.warnings)
    }
    assert (
        "lacks the required selector"
        in warned["/components/schemas/daemon_set/properties/spec/default"]
    )
    assert "finer than microseconds" in warned["/components/schemas/FloatingIp/example"]
    media = "/paths/~1volumes~1actions/post/requestBody/content/application~1json"
    assert (
        "does not define (volume_name)"
        in warned[f"{media}/examples/VolumeActionAttach/value"]
    )
    assert f"{media}/examples/VolumeActionDetach/value" not in warned


def test_a_class_a_discriminator_picks_keeps_what_it_declares(tmp_path: Path) -> None:
    """DigitalOcean's `action` lists every type; the discriminator that picks it for
    two of them must not make an answered `rename` action unreadable."""
    sent: list[httpx.Request] = []
    with generated("vendor_shapes", tmp_path) as package:
        models = importlib.import_module("fx_vendor_shapes.models")
        reply = {"type": "rename", "id": 7}
        with answering(package, reply, sent, base_url="https://do.test") as client:
            answer = client.actions.post_droplet_action(
                body=models.ActionTagged(type="reboot")
            )
        assert type(answer) is models.Action and answer.type == "rename"
        message = models.OutboundWebSocketMessage.model_validate(
            {"MessageType": "Play", "ItemId": "x"}
        ).root
        assert type(message) is models.PlayMessageTagged
        assert models.OutboundKeepAliveMessage.model_validate(
            {}
        ).message_type.value == ("KeepAlive")
    assert json.loads(sent[0].content) == {"type": "reboot"}
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "picks a subclass named `<Class>Tagged` instead" in readme


def test_the_classes_a_discriminator_picks_are_named_for_the_readme() -> None:
    picked = built("vendor_shapes").api.discriminated_models
    assert {"ActionTagged", "ActionRename", "PlayMessageTagged"} <= set(picked)
    assert not {"Action", "PlayMessage", "Trip"} & set(picked)
    assert built("string_formats").api.discriminated_models == ()


def test_a_literal_path_is_sampled_as_httpx_sends_it() -> None:
    upload = operation(built("vendor_shapes").api, "upload_batch_file")
    assert upload.sample_path == "/%3Cupload_url%3E"


# --- what more vendors write: PagerDuty, Plaid, OpenAI, openstatus, Spiff Arena ---


def test_more_vendor_shapes_warn_of_what_their_models_cannot_take() -> None:
    built_shapes = built("more_vendor_shapes")
    warned = {w.pointer for w in built_shapes.load_warnings}
    warned |= {w.pointer for w in built_shapes.api.warnings}
    assert {
        "/components/schemas/RecordRequest/properties/on/default",
        "/components/schemas/Sighting/example",
    } <= warned
    examples = {e.model: e.value for e in built_shapes.api.examples}
    assert examples["Record"]["created_at"] == "2026-02-24T17:15:42.123000Z"
    assert "Sighting" not in examples


def test_more_vendor_shapes_generate_models_that_take_what_the_specs_mean(
    tmp_path: Path,
) -> None:
    with generated("more_vendor_shapes", tmp_path) as package:
        models = importlib.import_module("fx_more_vendor_shapes.models")
        record = models.Record.model_validate(
            {"id": "r", "type": "oauth", "created_by": None, "completed_at": None}
        )
        assert record.type == models.Type.OAUTH and record.created_by is None
        for seconds in (1.5, 1):
            timed = models.Record.model_validate({"id": "r", "created_unix": seconds})
            assert timed.created_unix == seconds
        with pytest.raises(ValueError, match="completed_at"):
            models.Record.model_validate({"id": "r", "completed_at": 12345})
        request = models.RecordRequest(title="t", hook="https://openstat.us", code=200)
        assert request.prompt == "<|endoftext|>"
        dumped = request.model_dump(mode="json", exclude_unset=True)
        assert dumped == {"title": "t", "hook": "https://openstat.us", "code": 200}
        for code in (99, 600):
            with pytest.raises(ValueError, match="code"):
                models.RecordRequest(title="t", code=code)
        assert models.RecordRequest(title="t", code="any").code == "any"
        assert models.Tags(["a"]).root == ["a"]
        assert models.AccountName("old").root == "old"
        for open_model in (models.Payload, models.CreateInstanceBody):
            assert open_model.model_validate({"k": 1}).model_extra == {"k": 1}
        daily = {"type": "daily_restriction", "duration_seconds": 60}
        layer = models.Layer.model_validate(
            {"restrictions": [daily], "currency": "BTC"}
        )
        assert type(layer.restrictions[0]) is models.Restriction
        tool = models.Tool.model_validate({"type": "web_search_2025_08_26"}).root
        assert type(tool) is models.WebSearchTool
        with package.Client() as client:
            doc = client.records.list_records.__doc__
        entry = "PermissionDeniedError: For HTTP 403 (Caller is not authorized. The"
        assert entry in doc  # one entry of Raises, not two paragraphs


# --- what Mistral writes (FastAPI, Speakeasy): closed classes, one-branch unions ---


def test_typespec_vendor_shapes_tag_the_branches_their_unions_pick(
    tmp_path: Path,
) -> None:
    """Mistral's optional discriminated union and its array of a one-branch union:
    the branches they pick take only their tag, which they leave optional."""
    with generated("typespec_vendor_shapes", tmp_path):
        models = importlib.import_module("fx_typespec_vendor_shapes.models")
        connector = models.CustomConnector.model_validate(
            {"connector_id": "c", "authorization": {"type": "api-key", "value": "v"}}
        )
        assert type(connector.authorization) is models.APIKeyAuthTagged
        assert models.CustomConnector(connector_id="c", authorization=None)
        for wrong in ({"value": "v"}, {"type": "basic", "value": "v"}):
            with pytest.raises(ValueError, match="authorization"):
                models.CustomConnector(connector_id="c", authorization=wrong)
        wandb = {"project": "p", "api_key": "k" * 40}
        with pytest.raises(ValueError, match="integrations"):
            models.JobIn.model_validate({"model": "m", "integrations": [wandb]})
        job = {"model": "m", "integrations": [{**wandb, "type": "wandb"}]}
        assert models.JobIn.model_validate(job).integrations[0].root.project == "p"
        assert models.WandbIntegration.model_validate(wandb).type == "wandb"


def test_an_example_leaving_out_a_constant_is_sampled_as_the_model_sends_it() -> None:
    """Mistral's `type: {enum: [connector], default: connector}`: the model sends it
    even at its default, so the generated tests expect it in the body sent."""
    create = operation(built("typespec_vendor_shapes").api, "create_connector")
    assert create.body_example == {
        "connector_id": "c1",
        "authorization": {"type": "api-key", "value": "secret"},
        "type": "connector",
    }


def generated_tests_run(
    target: Target, folder: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    """pytest over the generated package of `target`, written into `folder`."""
    for relative, content in generate_files(target).files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
    return run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
        folder,
        {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_a_closed_body_the_resilience_test_sends_holds_no_unknown_field(
    tmp_path: Path,
) -> None:
    """Mistral's bodies are `additionalProperties: false`: `model_construct` leaves
    an unknown field out of such a class, so the generated test cannot expect the
    client to refuse it; it checks none is sent."""
    target = make_target(
        CASES / "typespec_vendor_shapes.yaml",
        "fx_typespec_vendor_shapes",
        Path("unused"),
        REPO_ROOT / "templates",
        REPO_ROOT,
    )
    result = generated_tests_run(
        target, tmp_path, "tests/test_resilience.py", "-k", "invalid_request_is_stopped"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 passed" in result.stdout


def test_a_map_body_is_not_tested_for_refusing_an_unknown_key(tmp_path: Path) -> None:
    """Box's metadata bodies are maps (a RootModel of a dict): any key is one more
    entry, so the generated tests that expect an unknown field refused (or built
    with `model_construct`) are for models with fields only."""
    built_api = built("map_bodies").api
    body = operation(built_api, "set_metadata").request_body
    assert body is not None and body.type.is_model_class and not body.type.has_fields
    target = target_for(CASES / "map_bodies.yaml", "fx_map_bodies")
    result = generated_tests_run(
        target, tmp_path, "tests/test_bodies.py", "tests/test_resilience.py"
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert " failed" not in result.stdout


# --- what Box writes: unions under a type, narrowing members, overlapping branches -


def _class_text(source: str, name: str) -> str:
    start = source.index(f"class {name}(")
    end = source.find("\n\n\nclass ", start)
    return source[start:] if end < 0 else source[start:end]


def test_a_union_under_a_type_refusing_null_takes_no_none() -> None:
    """`type: object` beside a `oneOf` refuses null, whatever a branch says."""
    source = built("composition_exactness").models_source
    assert "RootModel[FileBase | FolderBase]" in _class_text(source, "AssociatedItem")
    assert "inline: FolderBase | Inline | MISSING" in _class_text(source, "Association")


def test_an_allof_member_narrowing_an_inherited_property_keeps_its_narrowing() -> None:
    source = built("composition_exactness").models_source
    assert "context_info: ContextInfo | MISSING" in _class_text(source, "ConflictError")
    assert "conflicts:" in _class_text(source, "ContextInfo")
    assert "metadata: dict[str, dict[str, FolderBase]]" in _class_text(
        source, "FolderFull"
    )


def test_an_inline_closed_empty_object_is_a_class_refusing_every_key() -> None:
    source = built("composition_exactness").models_source
    assert "Validation | EmptyObject | None" in _class_text(source, "SignerInput")
    assert "extra='forbid'" in _class_text(source, "EmptyObject")


def test_only_a_one_of_whose_branches_may_overlap_counts_them() -> None:
    source = built("composition_exactness").models_source
    for name in ("FilterValue", "Validation"):
        assert "exactly_one_branch" in _class_text(source, name), name
    # Told apart by the required `type`'s values: no count at runtime.
    assert "exactly_one_branch" not in _class_text(source, "AssociatedItem")


def test_a_value_two_one_of_branches_take_is_refused(tmp_path: Path) -> None:
    """JSON Schema's `oneOf`: exactly one branch; a request judges unknown keys as the
    branch models do, so a range's own fields still tell the ranges apart."""
    with generated("composition_exactness", tmp_path):
        models = importlib.import_module("fx_composition_exactness.models")
        with pytest.raises(ValidationError, match="validation_type"):
            models.Validation.model_validate({})
        taken = models.Validation.model_validate({"validation_type": "date_eu"}).root
        assert type(taken) is models.DateEUValidation
        assert type(models.FilterValue.model_validate({"lt": 1.5}).root) is (
            models.FloatRange
        )
        with pytest.raises(ValidationError, match="FloatRange, DateRange"):
            models.FilterValue.model_validate({})
        assert models.FilterValue.model_validate("x").root == "x"
        with pytest.raises(ValidationError):
            models.Association.model_validate({"item": None})


# --- the generated packages of the fixtures, imported here ---------------------


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, ModuleType]]:
    """Both fixtures' packages, written to a temporary folder and importable."""
    root = tmp_path_factory.mktemp("realworld_cases")
    for case in ("nullable_30", "nullable_31"):
        for relative, content in generate_files(
            target_for(CASES / f"{case}.yaml", f"fx_{case}")
        ).files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(content)
    sys.path.insert(0, str(root))
    try:
        yield {
            case: importlib.import_module(f"fx_{case}")
            for case in ("nullable_30", "nullable_31")
        }
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith("fx_nullable_")]:
            del sys.modules[name]


def json_reply(data: Any) -> httpx.Response:
    """A 200 holding `data` as JSON, `null` included (httpx's `json=None` sends no body)."""
    return httpx.Response(
        200,
        content=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
    )


def answering(
    package: ModuleType, reply: Any, sent: list[httpx.Request], **options: Any
) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return json_reply(reply)

    client: Any = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
    )
    return client


def test_models_accept_null_for_every_idiom(packages: dict[str, ModuleType]) -> None:
    models30 = importlib.import_module("fx_nullable_30.models")
    models31 = importlib.import_module("fx_nullable_31.models")
    holder30 = models30.Holder.model_validate(
        {"pet": None, "toy": None, "owner": None, "count": None}
    )
    assert (holder30.pet, holder30.toy, holder30.owner, holder30.count) == (
        None,
        None,
        None,
        None,
    )
    holder31 = models31.Holder.model_validate(
        {"a": None, "b": None, "c": None, "d": None}
    )
    assert (holder31.a, holder31.b, holder31.c, holder31.d) == (None, None, None, None)


@pytest.mark.parametrize(
    ("case", "method"),
    [
        ("nullable_30", "get_all_of"),
        ("nullable_30", "get_one_of"),
        ("nullable_30", "get_nullable_component"),
        ("nullable_31", "get_type_list"),
        ("nullable_31", "get_any_of_null"),
        ("nullable_31", "get_one_of_const_null"),
        ("nullable_31", "get_maybe_pet"),
    ],
)
def test_clients_return_none_for_a_null_body(
    packages: dict[str, ModuleType], case: str, method: str
) -> None:
    sent: list[httpx.Request] = []
    with answering(
        packages[case], None, sent, base_url="https://api.example.test"
    ) as client:
        assert getattr(client, method)() is None
    value = {"get_type_list": "Rex", "get_nullable_component": {"id": 7}}.get(
        method, {"name": "Rex"}
    )
    with answering(
        packages[case], value, sent, base_url="https://api.example.test"
    ) as client:
        result = getattr(client, method)()
    assert result.model_dump() == value if isinstance(value, dict) else result == value


def test_array_string_and_any_bodies_are_validated_and_sent_as_json(
    packages: dict[str, ModuleType],
) -> None:
    models = importlib.import_module("fx_nullable_30.models")
    invalid = packages["nullable_30"].RequestValidationError
    replies = {
        "/v1/pets/3fa85f64-5717-4562-b3fc-2c963f66afa6/name": "Rex",
        "/v1/any": {"what": ["ever"]},
    }
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        path = request.url.path
        return json_reply(replies[path]) if path in replies else httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with packages["nullable_30"].Client(http_client=http) as client:
        assert client.replace_pets(body=[models.Pet(name="Rex")]) is None
        assert client.rename_pet(_uuid(), body="Rex") == "Rex"
        assert client.post_any(body=[1, {"two": None}]) == {"what": ["ever"]}
        with pytest.raises(invalid, match="name"):
            client.replace_pets(body=[models.Pet.model_construct(name="")])
        with pytest.raises(
            invalid
        ):  # its declared type (an inline `minLength` is not yet)
            client.rename_pet(_uuid(), body=5)
    assert [json.loads(r.content) for r in sent] == [
        [{"name": "Rex"}],
        "Rex",
        [1, {"two": None}],
    ]


def _uuid() -> Any:
    from uuid import UUID

    return UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")


def test_a_client_without_an_absolute_server_needs_base_url(
    packages: dict[str, ModuleType],
) -> None:
    package = packages["nullable_31"]
    with pytest.raises(ValueError, match="base_url"):
        package.Client()
    with pytest.raises(ValueError, match="base_url"):
        package.AsyncClient()
    servers = importlib.import_module("fx_nullable_31.servers")
    assert servers.DEFAULT_BASE_URL == "" and servers.SERVER_URL == "/api/v1"
    with pytest.raises(ValueError, match="relative"):
        servers.server_url()


def test_server_variables_are_exposed_and_overridable(
    packages: dict[str, ModuleType],
) -> None:
    servers = importlib.import_module("fx_nullable_30.servers")
    assert servers.SERVER_VARIABLES == {"region": "eu", "version": "v1"}
    assert servers.server_url(region="us") == "https://us.api.example.test/v1"
    with pytest.raises(ValueError, match="one of"):
        servers.server_url(region="mars")
    with packages["nullable_30"].Client() as client:
        assert client.base_url == "https://eu.api.example.test/v1"
    with packages["nullable_30"].Client(
        base_url=servers.server_url(region="us")
    ) as client:
        assert client.base_url == "https://us.api.example.test/v1"

    async def default_async() -> str:
        async with packages["nullable_30"].AsyncClient() as client:
            return str(client.base_url)

    assert asyncio.run(default_async()) == "https://eu.api.example.test/v1"


def test_webhook_parsers_read_bytes_text_and_json(
    packages: dict[str, ModuleType],
) -> None:
    webhooks = importlib.import_module("fx_nullable_31.webhooks")
    models = importlib.import_module("fx_nullable_31.models")
    for payload in (b'{"name": "Rex"}', '{"name": "Rex"}', {"name": "Rex"}):
        pet = webhooks.parse_webhook_pet_adopted(payload)
        assert isinstance(pet, models.Pet) and pet.name == "Rex"
    assert webhooks.parse_webhook_pet_adopted(
        {"name": "Rex", "added": 1}
    ).model_extra == {"added": 1}
    pets = webhooks.parse_webhook_pets_counted(b'[{"name": "a"}, {"name": "b"}]')
    assert [p.name for p in pets] == ["a", "b"]
    with pytest.raises(ValueError):
        webhooks.parse_webhook_pet_adopted(b'{"name": 1}')
    with pytest.raises(ValueError):
        webhooks.parse_webhook_pet_adopted(b"not json")


# --- the corpus: every vendored real spec, as a user would see it ---------------


@dataclass(frozen=True)
class Spec:
    """A vendored real spec and what its generated package cannot do yet."""

    folder: str
    file: str
    lacking: tuple[tuple[str, str], ...] = ()
    """(check, what specgen still lacks for it): the check is a strict xfail, so it flips
    when fixed.
    """
    base: Path | None = None
    """Where the file is, when not in its folder of tests/data/realworld."""

    @property
    def path(self) -> Path:
        return (self.base or REALWORLD / self.folder) / self.file

    @property
    def missing(self) -> dict[str, str]:
        return dict(self.lacking)

    @property
    def package(self) -> str:
        return "rw_" + self.folder.replace("-", "_").replace(".", "_")


OWN_TESTS = "own_tests"
SPECS = [
    Spec("petstore-expanded", "petstore-expanded.yaml"),
    Spec("webhook-example", "webhook-example.yaml"),
    Spec("opc-3.0", "baseline_openapi_3.0.json"),
    Spec("opc-3.1", "baseline_openapi_3.1.yaml"),
    Spec("airflow", "airflow_2.0.1_api_v1_openapi.yaml"),
    Spec("spotify", "fixed-spotify-open-api.yml"),
    Spec("qdrant", "openapi.json"),
    Spec("clerk", "2025-11-10.yml"),
    Spec("discord", "openapi.json"),
    Spec("twilio", "twilio_api_v2010.json"),
    Spec("svix", "openapi.json"),
    Spec("coordnet", "schema.yml"),
    Spec("text-generation-inference", "openapi.json"),
    Spec("private-gpt", "openapi.json"),
    Spec("museum", "openapi.yaml"),
    Spec("prefect", "schema.json"),
    Spec("kubernetes-apps-v1", "apis__apps__v1_openapi.json"),
    Spec("hetzner-cloud", "hcloud.json"),
    Spec("coolify", "openapi.yaml"),
    Spec("wanderer", "openapi.json"),
    Spec("mistral", "openapi.yaml"),
]
FIXTURE_SPECS = [
    Spec(name, f"{name}.yaml", base=CASES)
    for name in (
        "nullable_30",
        "nullable_31",
        "bodies",
        "path_templates",
        "path_queries",
        "java_dotnet_shapes",
        "more_emitters",
        "root_defaults",
        "allof_aliases",
        "allof_overrides",
        "composition_exactness",
        "vendor_shapes",
        "more_vendor_shapes",
        "vendor_shapes_31",
        "string_formats",
        "string_defaults",
        "typespec_vendor_shapes",
        "framework_shapes",
        "map_bodies",
        "read_write_only",
    )
]
"""The hand-written specs, generated and checked the same way."""
CORPUS_SPEC = Spec("qovery-corpus", "qovery-openapi.yaml", base=DATA_DIR / "corpus")
"""Qovery's full public spec (tests/data/corpus), checked as any other real spec."""
ALL_SPECS = [*SPECS, CORPUS_SPEC, *FIXTURE_SPECS]
SWAGGER_2 = REALWORLD / "petstore-v2.0" / "petstore.yaml"
DIFFERENTIAL = "test_models_agree_with_the_reference"
"""The generated hypothesis test drawing instances of every model: seconds per model, minutes
on big specs (over ten on Spotify's alone)."""
DIFFERENTIAL_MODELS = 12
"""A package with at most this many models also runs DIFFERENTIAL; the others run every
other generated test (their validation cases among them)."""
CHECKS = (
    "generates",
    "operations",
    "json_payloads",
    "payloads",
    "imports",
    "mypy",
    "own_tests",
)
MODULES = ("models", "client", "async_client", "servers", "webhooks", "_operations")
"""The modules of a package a user imports, or its clients do."""


def test_the_corpus_is_every_vendored_spec() -> None:
    folders = {p.name for p in REALWORLD.iterdir() if p.is_dir()}
    assert folders == {s.folder for s in SPECS} | {SWAGGER_2.parent.name}


def cases() -> list[Any]:
    return [
        pytest.param(
            spec,
            check,
            id=f"{spec.folder}-{check}",
            marks=[
                pytest.mark.xfail(
                    strict=True, raises=AssertionError, reason=spec.missing[check]
                )
            ]
            if check in spec.missing
            else [],
        )
        for spec in ALL_SPECS
        for check in CHECKS
    ]


def run(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=timeout,
    )


@dataclass
class Corpus:
    """Every spec generated once; each check of the packages run once, when first asked
    for, two packages at a time (the corpus must fit two cores).

    The packages run on this interpreter, whose dev dependencies are their test extras:
    installing a generated package into a fresh venv is tests/test_generated_packages.py's
    job, and one here would cost a pip install per run.
    """

    root: Path
    generated: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per check, per spec folder: how long it took (the test's cost, measured)."""
    results: dict[str, dict[str, subprocess.CompletedProcess[str]]] = field(
        default_factory=dict
    )

    def output(self, spec: Spec) -> Path:
        return self.root / spec.folder

    def _timed(
        self, check: str, spec: Spec, command: list[str], cwd: Path
    ) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(self.output(spec)),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        started = time.perf_counter()
        result = run(command, cwd, env)
        self.seconds.setdefault(check, {})[spec.folder] = time.perf_counter() - started
        return result

    def generate(self) -> None:
        def one(spec: Spec) -> subprocess.CompletedProcess[str]:
            return self._timed(
                "generates",
                spec,
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "generate",
                    "--spec",
                    str(spec.path),
                    "--package",
                    spec.package,
                    "--output",
                    str(self.output(spec)),
                ],
                REPO_ROOT,
            )

        with ThreadPoolExecutor(2) as pool:
            done = pool.map(one, ALL_SPECS)
            self.generated = {s.folder: r for s, r in zip(ALL_SPECS, done, strict=True)}

    def result(self, check: str, spec: Spec) -> subprocess.CompletedProcess[str]:
        """`check` run on `spec`'s package (on every generated package, the first time)."""
        if check not in self.results:
            specs = [s for s in ALL_SPECS if self.generated[s.folder].returncode == 0]
            with ThreadPoolExecutor(2) as pool:
                done = pool.map(
                    lambda s: self._timed(
                        check, s, self.command(check, s), self.output(s)
                    ),
                    specs,
                )
                self.results[check] = {
                    s.folder: r for s, r in zip(specs, done, strict=True)
                }
        return self.results[check][spec.folder]

    def command(self, check: str, spec: Spec) -> list[str]:
        if check == "imports":
            modules = ", ".join(f"{spec.package}.{m}" for m in MODULES)
            every = (  # a split models package loads each model's module on first use
                f"import importlib, pkgutil, {spec.package}; [importlib.import_module"
                f"(m.name) for m in pkgutil.walk_packages({spec.package}.__path__,"
                f" '{spec.package}.')]"
            )
            return [
                sys.executable,
                "-W",
                "error",
                "-c",
                f"import {spec.package}, {modules}; {every}",
            ]
        if check == "mypy":
            return [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                spec.package,
                "tests",
            ]
        assert check == "own_tests", check
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
        return (
            command
            if self.models(spec) <= DIFFERENTIAL_MODELS
            else [
                *command,
                "-k",
                f"not {DIFFERENTIAL}",
            ]
        )

    def models(self, spec: Spec) -> int:
        """How many models the package's validation cases are about."""
        stored = self.output(spec) / "tests" / "validation_cases.json"
        return len(json.loads(stored.read_text(encoding="utf-8"))["$defs"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    made = Corpus(tmp_path_factory.mktemp("realworld"))
    made.generate()
    return made


@cache
def corpus_model(spec: Spec) -> Built:
    return build_api_for(target_for(spec.path, spec.package))


def _media(node: Any, document: dict[str, Any]) -> dict[str, Any]:
    """The `content` of a request body or response, `$ref`s followed."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 16:
        target: Any = document
        for token in node["$ref"].partition("#")[2].split("/")[1:]:
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    content = node.get("content") if isinstance(node, dict) else None
    return content if isinstance(content, dict) else {}


def _is_json(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def missing_payloads(spec: Spec, *, json_only: bool) -> list[str]:
    """Every body the spec declares that the intermediate model has not: a request body,
    a response payload.
    """
    built_spec = corpus_model(spec)
    document, by_key = (
        built_spec.document,
        # By operationId (else method and path as the spec writes it): a path key
        # with a `#fragment` shares its path and method with another operation.
        {op.operation_id: op for op in built_spec.api.operations},
    )
    missing = []
    for path, method, _, raw in iter_operations(document):
        op = by_key[operation_base_name(method, path, raw)]
        where = f"{method.upper()} {path}"
        body = [
            ct
            for ct in _media(raw.get("requestBody"), document)
            if _is_json(ct) or not json_only
        ]
        if body and op.request_body is None:
            missing.append(f"{where}: request body {body}")
        for status, response in (raw.get("responses") or {}).items():
            content = [
                ct for ct in _media(response, document) if _is_json(ct) or not json_only
            ]
            declared = next((r for r in op.responses if r.status == str(status)), None)
            if content and (declared is None or declared.type is None):
                missing.append(f"{where}: {status} response {content}")
        if (
            op.success is not None
            and op.success.type is not None
            and op.return_annotation == "None"
        ):
            missing.append(f"{where}: returns None")
    return missing


@pytest.mark.slow
@pytest.mark.parametrize(("spec", "check"), cases())
def test_real_spec(corpus: Corpus, spec: Spec, check: str) -> None:
    generated = corpus.generated[spec.folder]
    assert generated.returncode == 0, generated.stderr[-3000:]
    if check == "generates":
        assert "Traceback" not in generated.stderr
        return
    if check == "operations":
        api = corpus_model(spec).api
        assert len(api.operations) == sum(
            1 for _ in iter_operations(corpus_model(spec).document)
        )
        client = (corpus.output(spec) / spec.package / "client.py").read_text(
            encoding="utf-8"
        )
        assert [
            op.method_name
            for op in api.operations
            if f"    def {op.method_name}(" not in client
        ] == []
        return
    if check in ("json_payloads", "payloads"):
        assert missing_payloads(spec, json_only=check == "json_payloads") == []
        return
    result = corpus.result(check, spec)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
