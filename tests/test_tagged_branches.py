"""A discriminator never narrows a class its own schema says otherwise about
(generator/loading/tagged_branches.py, in normalisation): the branch is picked
through `<Branch>Tagged`, and the class keeps what it declares wherever else it
is used. The traits are DigitalOcean's actions and Jellyfin's socket messages
(tests/fixtures/realworld_cases/vendor_shapes.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from generator.conformance.json_schema import schema_definitions
from generator.loading.normalize import normalize
from tests.test_inline_class_names import document, models

REF = "#/components/schemas/"

ACTIONS = {
    "Action": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": ["reboot", "power_on", "rename"]}
        },
    },
    "ActionRename": {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}, "name": {"type": "string"}},
    },
    "Post": {
        "anyOf": [{"$ref": REF + "Action"}, {"$ref": REF + "ActionRename"}],
        "discriminator": {
            "propertyName": "type",
            "mapping": {
                "reboot": REF + "Action",
                "power_on": "Action",
                "rename": REF + "ActionRename",
            },
        },
    },
}
"""DigitalOcean's shape: `Action` lists every type, the mapping gives it two."""


def message(tag: str) -> dict[str, Any]:
    """Jellyfin's shape: the tag is optional, with a default, and lists both kinds."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "Id": {"type": "string"},
            "MessageType": {
                "type": "string",
                "enum": ["KeepAlive", "Play"],
                "default": tag,
            },
        },
    }


MESSAGES = {
    "KeepAliveMessage": message("KeepAlive"),
    "PlayMessage": message("Play"),
    "Outbound": {
        "oneOf": [{"$ref": REF + "KeepAliveMessage"}, {"$ref": REF + "PlayMessage"}],
        "discriminator": {
            "propertyName": "MessageType",
            "mapping": {
                "KeepAlive": REF + "KeepAliveMessage",
                "Play": REF + "PlayMessage",
            },
        },
    },
}


def test_a_branch_fixing_other_values_is_picked_through_its_own_component() -> None:
    schemas = normalize(document(ACTIONS))["components"]["schemas"]
    assert schemas["ActionTagged"]["allOf"] == [{"$ref": REF + "Action"}]
    assert schemas["Post"]["anyOf"] == [
        {"$ref": REF + "ActionTagged"},
        {"$ref": REF + "ActionRename"},  # declares no values: nothing contradicted
    ]
    assert schemas["Post"]["discriminator"]["mapping"] == {
        "reboot": REF + "ActionTagged",
        "power_on": REF + "ActionTagged",
        "rename": REF + "ActionRename",
    }
    assert schemas["Action"] == ACTIONS["Action"]


def test_the_class_keeps_its_values_and_the_union_follows_the_mapping() -> None:
    module = models(document(ACTIONS), "tagged_actions")
    assert module.Action.model_validate({"type": "rename"}).type == "rename"
    picked = module.Post.model_validate({"type": "power_on"}).root
    assert type(picked) is module.ActionTagged and isinstance(picked, module.Action)
    assert type(module.Post.model_validate({"type": "rename"}).root).__name__ == (
        "ActionRename"
    )
    with pytest.raises(ValidationError):
        module.ActionTagged.model_validate({"type": "rename"})


def test_an_optional_tag_keeps_its_default_in_the_class() -> None:
    module = models(document(MESSAGES), "tagged_messages")
    assert module.KeepAliveMessage.model_validate({}).message_type == "KeepAlive"
    assert module.PlayMessage.model_validate({"MessageType": "KeepAlive"})
    picked = module.Outbound.model_validate({"MessageType": "Play", "Id": "x"}).root
    assert type(picked) is module.PlayMessageTagged
    with pytest.raises(ValidationError):
        module.Outbound.model_validate({"Id": "x"})  # the union needs the tag


def test_the_reference_agrees_about_both_classes() -> None:
    definitions = schema_definitions(normalize(document(MESSAGES)))
    assert "required" not in definitions["KeepAliveMessage"]
    tagged = definitions["KeepAliveMessageTagged"]
    assert tagged["required"] == ["MessageType"]
    assert {"properties": {"MessageType": {"enum": ["KeepAlive"]}}} in tagged["allOf"]


@pytest.mark.parametrize(
    "declared",
    [
        {"type": "string", "const": "rename"},
        {"type": "string", "enum": ["rename"]},
        {"type": "string"},
    ],
)
def test_a_branch_the_narrowing_does_not_contradict_is_left_alone(
    declared: dict[str, Any],
) -> None:
    schemas = {
        **ACTIONS,
        "ActionRename": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": declared},
        },
    }
    normalized = normalize(document(schemas))["components"]["schemas"]
    assert "ActionRenameTagged" not in normalized
    assert {"$ref": REF + "ActionRename"} in normalized["Post"]["anyOf"]


def test_a_branch_the_mapping_does_not_name_keeps_the_tag_it_fixes() -> None:
    """`Cat` fixing `petType: cat`, picked by name: datamodel-code-generator reads
    its tag as `cat`, which is what it declares."""
    schemas = {
        "Cat": {
            "type": "object",
            "required": ["petType"],
            "properties": {"petType": {"type": "string", "enum": ["cat"]}},
        },
        "Pet": {
            "oneOf": [{"$ref": REF + "Cat"}],
            "discriminator": {"propertyName": "petType"},
        },
    }
    normalized = normalize(document(schemas))["components"]["schemas"]
    assert set(normalized) == {"Cat", "Pet"}
    assert "mapping" not in normalized["Pet"]["discriminator"]


def test_one_component_serves_every_union_giving_the_same_tags() -> None:
    inline = {
        "type": "object",
        "properties": {"action": ACTIONS["Post"]},
    }
    schemas = normalize(document({**ACTIONS, "Holder": inline}))["components"][
        "schemas"
    ]
    assert [name for name in schemas if name.startswith("ActionTagged")] == [
        "ActionTagged"
    ]
    held = schemas["Holder"]["properties"]["action"]
    assert held["anyOf"][0] == {"$ref": REF + "ActionTagged"}


def auth(tag: str) -> dict[str, Any]:
    """Mistral's connector credentials: the tag is one value, optional, with a default."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["value"],
        "properties": {
            "type": {"type": "string", "enum": [tag], "default": tag},
            "value": {"type": "string"},
        },
    }


def union(*names: str) -> dict[str, Any]:
    return {
        "oneOf": [{"$ref": REF + name} for name in names],
        "discriminator": {
            "propertyName": "type",
            "mapping": {name.lower(): REF + name for name in names},
        },
    }


def mistral_models(held: dict[str, Any], name: str) -> Any:
    """The models of a 3.1 document whose `Holder.held` is `held`, over Mistral's
    `Token` and `Key` credentials, a `Plain` branch that leaves its tag free, and
    `One`, the union of `Plain` alone."""
    plain = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}},
    }
    one = {
        "oneOf": [{"$ref": REF + "Plain"}],
        "discriminator": {"propertyName": "type", "mapping": {"p": REF + "Plain"}},
    }
    schemas = {
        "Token": auth("token"),
        "Key": auth("key"),
        "Plain": plain,
        "Holder": {"type": "object", "properties": {"held": held}},
    }
    if held == {"$ref": REF + "One"}:
        schemas["One"] = one
    return models({**document(schemas), "openapi": "3.1.0"}, name)


def test_a_nullable_discriminated_union_tags_its_branches() -> None:
    """Mistral's `CustomConnector.authorization` (FastAPI's optional discriminated
    union): `anyOf: [{oneOf, discriminator}, {type: "null"}]` lost its
    discriminator, and the picked `TokenTagged` took an instance without `type`."""
    held = {"anyOf": [union("Token", "Key"), {"type": "null"}], "title": "Held"}
    module = mistral_models(held, "tagged_nullable_union")
    picked = module.Holder.model_validate({"held": {"type": "key", "value": "v"}})
    assert type(picked.held) is module.KeyTagged
    assert module.Holder.model_validate({"held": None}).held is None
    with pytest.raises(ValidationError):
        module.Holder.model_validate({"held": {"value": "v"}})
    with pytest.raises(ValidationError):
        module.TokenTagged.model_validate({"value": "v"})
    assert module.Token.model_validate({"value": "v"}).type == "token"


@pytest.mark.parametrize("where", ["items", "component"])
def test_a_one_branch_discriminated_union_tags_its_branch(where: str) -> None:
    """Mistral's `JobIn.integrations: items: {oneOf: [WandbIntegration],
    discriminator}`: read as its one branch, the union tagged nothing where it
    became a `RootModel` (an array's items, a component of its own)."""
    one = union("Token")
    held = {"type": "array", "items": one} if where == "items" else one
    if where == "component":
        held = {"$ref": REF + "One"}
    schemas = {"Token": auth("token"), "Holder": {"properties": {"held": held}}}
    if where == "component":
        schemas["One"] = one
    module = models({**document(schemas), "openapi": "3.1.0"}, f"tagged_one_{where}")
    with pytest.raises(ValidationError):
        module.TokenTagged.model_validate({"value": "v"})
    sent = {"type": "token", "value": "v"}
    assert module.Holder.model_validate({"held": [sent] if where == "items" else sent})


@pytest.mark.parametrize("where", ["items", "component", "property", "nullable"])
def test_a_one_branch_union_narrows_a_branch_leaving_its_tag_free(where: str) -> None:
    """A branch whose `type` is any string takes only its tag wherever the union
    of it alone sits, as the reference reads it (`schema_definitions`)."""
    one = {
        "oneOf": [{"$ref": REF + "Plain"}],
        "discriminator": {"propertyName": "type", "mapping": {"p": REF + "Plain"}},
    }
    held = {
        "items": {"type": "array", "items": one},
        "component": {"$ref": REF + "One"},
        "property": one,
        "nullable": {"anyOf": [one, {"type": "null"}]},
    }[where]
    module = mistral_models(held, f"tagged_plain_{where}")
    assert module.Plain.model_validate({"type": "p"}).type == "p"
    with pytest.raises(ValidationError):
        module.Plain.model_validate({"type": "other"})
