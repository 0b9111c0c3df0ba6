"""A component's class is named after its key, whatever inline class the generator
reaches first (generator/loading/normalize.py hoists the inline schemas that would
take its name)."""

from __future__ import annotations

import copy
import types
from typing import Any

import pytest

from generator.loading.normalize import normalize
from generator.models.codegen import generate_models
from tests.standalone import import_models

REF = "#/components/schemas/"
INLINE = {"type": "object", "properties": {"inline": {"type": "string"}}}
"""An inline object: its class has a field `inline`."""
OWN = {"type": "object", "properties": {"own": {"type": "integer"}}}
"""A component object: its class has a field `own`, which the inline one has not."""
ENUM = {"type": "string", "enum": ["a", "b"]}


def document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> Any:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": copy.deepcopy(schemas)},
    }


def models(given: dict[str, Any], name: str) -> types.ModuleType:
    """The models module of the normalised `given`, imported with a stand-in `pkg._base`."""
    source = generate_models(
        normalize(given), package="pkg", header="Test.", template_dir=None
    ).source
    return import_models(source, name)


def test_the_items_of_roles_do_not_take_the_role_component_s_name() -> None:
    """airflow: `User.roles` is an array of inline objects, whose class the generator
    names `Role`, the singular of `roles`; it reaches them before the `Role` component."""
    schemas = {"User": holding(roles=array(INLINE)), "Role": OWN}
    module = models(document(schemas), "inline_roles")
    assert set(module.Role.model_fields) == {"own"}
    (item,) = module.User.model_fields["roles"].annotation.__args__[0].__args__
    assert set(item.model_fields) == {"inline"}


def holding(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def array(items: Any) -> dict[str, Any]:
    return {"type": "array", "items": items}


OTHER = holding(other={"type": "string"})
LIMITED = {"type": "string", "maxLength": 3}
LIMITED_ARRAY = {"type": "array", "maxItems": 16, "items": {"type": "string"}}
SHADOWING = {
    "property": {"T": holding(role=INLINE), "Role": OWN},
    "property enum": {"T": holding(role=ENUM), "Role": OWN},
    "items": {"T": holding(roles=array(INLINE)), "Role": OWN},
    "enum items": {"T": holding(roles=array(ENUM)), "Role": OWN},
    "irregular plural": {"T": holding(people=array(INLINE)), "Person": OWN},
    "no singular": {"T": holding(status=array(INLINE)), "StatusItem": OWN},
    "items of items": {"T": holding(roles=array(array(INLINE))), "Role": OWN},
    "branches of items": {
        "T": holding(roles=array({"oneOf": [INLINE, ENUM]})),
        "Roles": OWN,
    },
    "nested": {"T": holding(a=holding(roles=array(INLINE))), "Role": OWN},
    "in allOf": {"T": {"allOf": [holding(roles=array(INLINE))]}, "Role": OWN},
    "numbered": {"T": holding(role=INLINE), "Role": OWN, "Role1": OWN},
    "root items": {"Things": array(INLINE), "Thing": OWN},
    "root map": {
        "Things": {"type": "object", "additionalProperties": INLINE},
        "Things1": OWN,
    },
    "root branches": {"Pet": {"oneOf": [INLINE, OTHER]}, "Pet1": OWN},
    # A constrained scalar or array is named too, but for a property's own (OpenAI's
    # `image: anyOf: [binary, {type: array, maxItems: 16}]` took `Image`).
    "constrained branch": {
        "T": holding(image={"anyOf": [{"type": "string"}, LIMITED_ARRAY]}),
        "Image": OWN,
    },
    "constrained items": {"T": holding(roles=array(LIMITED)), "Role": OWN},
    "constrained map values": {
        "T": holding(image={"type": "object", "additionalProperties": LIMITED}),
        "ImageAdditionalProperty": OWN,
    },
    "constrained root items": {"Tags": array(LIMITED), "Tag": OWN},
    # Each branch merged with the properties beside it (OpenAI's `ImageRefParam`).
    "merged branches": {
        "Ref": {
            **holding(url={"type": "string"}, file={"type": "string"}),
            "anyOf": [{"required": ["url"]}, {"required": ["file"]}],
        },
        "Ref2": OWN,
    },
}


@pytest.mark.parametrize("case", SHADOWING)
def test_no_inline_class_takes_a_component_s_name(case: str) -> None:
    module = models(document(SHADOWING[case]), "inline_" + case.replace(" ", "_"))
    shadowed = [name for name, schema in SHADOWING[case].items() if schema is OWN]
    for name in shadowed:
        assert set(getattr(module, name).model_fields) == {"own"}, name


def test_components_keep_their_order_without_numbered_names() -> None:
    given = document({"B": OWN, "A2": OWN, "A": OWN})
    assert list(normalize(given)["components"]["schemas"]) == ["B", "A2", "A"]
    given = document({"A": OWN, "B": OWN, "A2": OWN, "A21": OWN})
    assert list(normalize(given)["components"]["schemas"]) == ["A21", "A2", "A", "B"]


def test_a_constrained_property_stays_in_place() -> None:
    given = document({"T": holding(image=LIMITED_ARRAY), "Image": OWN})
    assert sorted(normalize(given)["components"]["schemas"]) == ["Image", "T"]


def test_an_inline_schema_of_a_hoisted_body_does_not_take_a_name() -> None:
    content = {"application/json": {"schema": holding(roles=array(INLINE))}}
    operation = {
        "operationId": "makeUser",
        "requestBody": {"content": content},
        "responses": {"204": {"description": "ok"}},
    }
    paths = {"/u": {"post": operation}}
    given = document({"Role": OWN}, paths)
    assert sorted(normalize(given)["components"]["schemas"]) == [
        "MakeUserBody",
        "MakeUserBodyRole",
        "Role",
    ]
    assert set(models(given, "inline_body").Role.model_fields) == {"own"}


def test_hoisted_names_do_not_depend_on_the_order_of_components() -> None:
    user = holding(roles=array(INLINE))
    first = normalize(document({"User": user, "Role": OWN}))["components"]["schemas"]
    last = normalize(document({"Role": OWN, "User": user}))["components"]["schemas"]
    assert first == last
    assert first["UserRole"] == INLINE
    assert first["User"]["properties"]["roles"]["items"] == {"$ref": REF + "UserRole"}


def test_inline_classes_that_shadow_nothing_stay_inline() -> None:
    schemas = {
        "T": holding(roles=array(INLINE), kind=ENUM),
        "Things": array(INLINE),
        "Pet": {"oneOf": [INLINE, OWN]},
        "Role2x": OWN,
    }  # fmt: skip
    assert sorted(normalize(document(schemas))["components"]["schemas"]) == sorted(
        schemas
    )


def test_a_hoisted_name_that_is_shadowed_in_turn_is_hoisted_too() -> None:
    """Hoisting `T.role` makes `TRole`, which `U.tRole`'s class would take."""
    schemas = {
        "U": {"type": "object", "properties": {"tRole": INLINE}},
        "T": {"type": "object", "properties": {"role": INLINE}},
        "Role": OWN,
    }
    normal = normalize(document(schemas))["components"]["schemas"]
    assert normal["U"]["properties"]["tRole"] == {"$ref": REF + "UTRole"}
    assert normal["T"]["properties"]["role"] == {"$ref": REF + "TRole"}


def test_unions_and_maps_named_like_a_component_stay_inline() -> None:
    """They get no class of their own (`Role | None`, `dict[str, Role]`): hoisted, each
    would be a RootModel around what it holds."""
    ref = {"$ref": REF + "Role"}
    schemas = {
        "T": holding(
            role={"anyOf": [ref, {"type": "null"}]},
            roles=array({"oneOf": [ref, {"$ref": REF + "Other"}]}),
            by_name={"type": "object", "additionalProperties": ref},
            only={"allOf": [ref], "description": "The role."},
        ),
        "Role": OWN,
        "Other": OWN,
        "ByName": OWN,
        "Only": OWN,
    }
    assert normalize(document(schemas))["components"]["schemas"] == schemas
    module = models(document(schemas), "inline_unions")
    assert module.T.model_validate({"role": None, "by_name": {"a": {"own": 1}}})


def test_each_hoisted_schema_is_told_where_the_spec_writes_it() -> None:
    content = {"application/json": {"schema": holding(roles=array(INLINE))}}
    operation = {
        "operationId": "makeUser",
        "requestBody": {"content": content},
        "responses": {"204": {"description": "ok"}},
    }
    origins: dict[str, str] = {}
    normalize(
        document({"Role": OWN, "T": holding(role=INLINE)}, {"/u": {"post": operation}}),
        origins,
    )
    body = "/paths/~1u/post/requestBody/content/application~1json/schema"
    assert origins == {
        "MakeUserBody": body,
        "MakeUserBodyRole": f"{body}/properties/roles/items",
        "TRole": "/components/schemas/T/properties/role",
    }
