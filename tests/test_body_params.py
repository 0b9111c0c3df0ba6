"""The plain-data form of request models (`params.py`), as read from the generated models,
and the keyword arguments an object body's fields become."""

from __future__ import annotations

import textwrap
from typing import Any

from generator.intermediate.build import ApiBuilder
from generator.intermediate.params import UPLOAD_TYPE, ParamsReader
from generator.models.codegen import ModelClass

MODELS = textwrap.dedent(
    '''
    from __future__ import annotations

    from enum import StrEnum
    from typing import Annotated, Literal
    from uuid import UUID

    from pydantic import MISSING, AwareDatetime, Field, RootModel, StrictInt, StrictStr

    from pkg._base import ApiModel


    class Kind(StrEnum):
        DOG = "dog"
        CAT = "cat"


    class Owner(ApiModel):
        full_name: Annotated[StrictStr, Field(alias="fullName")]
        """The owner's name."""


    class Base(ApiModel):
        id: UUID
        born: AwareDatetime | MISSING = MISSING


    class Pet(Base):
        name: StrictStr
        pet_code: StrictStr | MISSING = Field(MISSING, alias="pet-code")
        limit: StrictInt = 20
        note: StrictStr | None | MISSING = MISSING
        kind: Kind | MISSING = MISSING
        owners: list[Owner] | MISSING = MISSING
        tags: dict[str, StrictInt] | MISSING = MISSING
        mode: Literal["a", "b"]


    class Pets(RootModel[list[Pet]]):
        root: list[Pet]


    class PetParam(ApiModel):
        x: StrictStr


    class Unused(ApiModel):
        y: StrictStr
    '''
)


def keys_of(reader: ParamsReader, name: str) -> dict[str, tuple[str, str, bool]]:
    keys = reader.keys_of(name) or []
    return {k.key: (k.attribute, k.annotation, k.required) for k in keys}


def test_each_key_is_the_wire_name_typed_as_the_model_takes_it() -> None:
    reader = ParamsReader(MODELS)
    assert keys_of(reader, "Pet") == {
        "id": ("id", "str | UUID", True),
        "born": ("born", "str | datetime", False),
        "name": ("name", "str", True),
        "pet-code": ("pet_code", "str", False),
        "limit": ("limit", "int", False),
        "note": ("note", "str | None", False),
        "kind": ("kind", "models.Kind | KindParam", False),
        "owners": ("owners", "Sequence[models.Owner | OwnerParam]", False),
        "tags": ("tags", "dict[str, int]", False),
        "mode": ("mode", "Literal['a', 'b']", True),
    }
    assert keys_of(reader, "Owner") == {"fullName": ("full_name", "str", True)}


def test_definitions_are_the_reachable_classes_in_module_order() -> None:
    reader = ParamsReader(MODELS)
    found = {d.model: d for d in reader.definitions(["Pets"])}
    assert list(found) == ["Kind", "Owner", "Base", "Pet", "Pets"]
    assert found["Kind"].alias == 'Literal["dog", "cat"]'
    assert found["Pets"].alias == "Sequence[models.Pet | PetParam2]"
    assert found["Pet"].functional  # `pet-code` is no identifier
    assert not found["Owner"].functional
    assert found["Owner"].keys[0].description == "The owner's name."


def test_a_name_taken_by_a_class_gets_a_number() -> None:
    reader = ParamsReader(MODELS)
    assert reader.names["PetParam"] == "PetParamParam"
    assert reader.names["Pet"] == "PetParam2"  # `PetParam` is a model's name
    assert reader.qualified("models.Pet | PetParam2") == "models.Pet | params.PetParam2"


def test_a_body_takes_each_model_or_its_plain_data() -> None:
    reader = ParamsReader(MODELS)
    assert reader.body_signature("models.Owner") == "models.Owner | params.OwnerParam"
    assert (
        reader.body_signature("list[models.Owner]")
        == "Sequence[models.Owner | params.OwnerParam]"
    )
    assert reader.body_signature("list[str]") == "list[str]"


COVARIANCE = textwrap.dedent(
    """
    from pydantic import RootModel, StrictStr

    from pkg._base import ApiModel


    class Owner(ApiModel):
        name: StrictStr


    class Code(RootModel[StrictStr]):
        root: StrictStr


    class Holder(ApiModel):
        owners: list[Owner]
        by_name: dict[str, Owner]
        owners_or_names: list[Owner | StrictStr]
        codes: list[Code]
        names: list[StrictStr]
    """
)


def test_a_container_of_models_is_covariant_unless_text_would_pass_for_it() -> None:
    """`list` is invariant: a `list[models.Owner]` is no `list[models.Owner |
    OwnerParam]` to mypy, so such a list is taken as a `Sequence` (a dict as a
    `Mapping`), but not where a `str` would pass for the sequence (its items, or a
    RootModel's plain form, `str`): the client refuses a string for a list."""
    reader = ParamsReader(COVARIANCE)
    assert {k: a for k, (_, a, _) in keys_of(reader, "Holder").items()} == {
        "owners": "Sequence[models.Owner | OwnerParam]",
        "by_name": "Mapping[str, models.Owner | OwnerParam]",
        "owners_or_names": "list[models.Owner | OwnerParam | str]",
        "codes": "list[models.Code | CodeParam]",
        "names": "list[str]",
    }
    assert (
        reader.body_signature("dict[str, models.Owner] | None")
        == "Mapping[str, models.Owner | params.OwnerParam] | None"
    )
    assert (
        reader.body_signature("list[models.Code]")
        == "list[models.Code | params.CodeParam]"
    )
    assert reader.body_signature("list[list[models.Owner]]") == (
        "Sequence[Sequence[models.Owner | params.OwnerParam]]"
    )


def _document(properties: dict[str, Any], parameter: str = "timeout") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{thingId}": {
                "post": {
                    "parameters": [
                        {
                            "name": "thingId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": parameter,
                            "in": "query",
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"}
                            }
                        }
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {"Thing": {"type": "object", "properties": properties}}
        },
    }


def test_keywords_are_made_unique_among_the_method_s_other_arguments() -> None:
    source = textwrap.dedent(
        """
        from pydantic import MISSING, StrictStr
        from pkg._base import ApiModel


        class Thing(ApiModel):
            thing_id: StrictStr
            body: StrictStr | MISSING = MISSING
            timeout: StrictStr | MISSING = MISSING
            extra_body: StrictStr | MISSING = MISSING
            content_type: StrictStr | MISSING = MISSING
            other: StrictStr | MISSING = MISSING
        """
    )
    document = _document({})
    builder = ApiBuilder(
        document, {"Thing": ModelClass("Thing", "model")}, params=ParamsReader(source)
    )
    (operation,) = builder.operations()
    assert [p.python_name for p in operation.parameters] == ["thing_id", "timeout_2"]
    body = operation.request_body
    assert body is not None
    assert body.signature.annotation == "models.Thing | params.ThingParam"
    assert body.plain_name == "params.ThingParam"
    assert not body.takes_dict
    assert [(k.name, k.key, k.required) for k in body.keywords] == [
        ("thing_id_2", "thing_id", True),
        ("body_2", "body", False),
        ("timeout_3", "timeout", False),
        ("extra_body_2", "extra_body", False),
        ("content_type_2", "content_type", False),
        ("other", "other", False),
    ]


def test_without_the_models_a_model_body_takes_any_dict() -> None:
    builder = ApiBuilder(_document({}), {"Thing": ModelClass("Thing", "model")})
    (operation,) = builder.operations()
    body = operation.request_body
    assert body is not None
    assert body.takes_dict and body.keywords == () and body.plain is None


def test_a_multipart_file_part_takes_what_the_client_sends_as_a_file() -> None:
    source = textwrap.dedent(
        """
        from pydantic import MISSING
        from pkg._base import ApiModel


        class Upload(ApiModel):
            file: bytes
            more: list[bytes] | MISSING = MISSING
            raw: bytes | MISSING = MISSING
        """
    )
    reader = ParamsReader(source)
    (upload, plain) = reader.definitions(["Upload"], {"Upload": {"file", "more"}})
    assert (upload.name, upload.alias) == ("FileUpload", UPLOAD_TYPE)
    assert [(k.key, k.annotation) for k in plain.keys] == [
        ("file", "FileUpload"),
        ("more", "list[FileUpload]"),
        ("raw", "bytes"),  # no file part: bytes, as in JSON
    ]
    (alone,) = reader.definitions(["Upload"])  # sent as JSON too: no file there
    assert [k.annotation for k in alone.keys] == ["bytes", "list[bytes]", "bytes"]
    assert reader.qualified("list[FileUpload]") == "list[params.FileUpload]"
