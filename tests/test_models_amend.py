"""What datamodel-code-generator is told, or has amended, so real specs give typed,
complete models (generator/models/amend.py), and how the classes are read back."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from generator.config import make_target
from generator.models.amend import (
    constrained_strings_unformatted,
    defaults_as_values,
    literals_as_members,
    nullable_objects_spelled_nullable,
    rebuild_incomplete,
    recursive_arrays_as_unions,
)
from generator.models.codegen import describe_classes, generate_models
from generator.pipeline import generate_target
from tests.conftest import REPO_ROOT
from tests.standalone import import_models

REF = "#/components/schemas/"


def document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def models_of(schemas: dict[str, Any], name: str) -> tuple[str, types.ModuleType]:
    """The models module's source for `schemas`, and the module, imported.

    Its `pkg._base` is a stand-in: a bare pydantic model, and no unknown members.
    """
    source = generate_models(
        document(schemas), package="pkg", header="Test.", template_dir=None
    ).source
    return source, import_models(source, name)


def test_a_recursive_array_is_an_anyof_for_the_generator_only() -> None:
    tree = {
        "type": "array",
        "description": "A tree.",
        "items": {"type": "object", "additionalProperties": {"$ref": REF + "Tree"}},
    }
    given = document({"Tree": tree, "Flat": {"type": "array", "items": {}}})
    changed = recursive_arrays_as_unions(given)
    assert changed["components"]["schemas"]["Tree"] == {
        "description": "A tree.",
        "anyOf": [{"type": "array", "items": tree["items"]}],
    }
    assert (
        changed["components"]["schemas"]["Flat"]
        is given["components"]["schemas"]["Flat"]
    )
    assert given["components"]["schemas"]["Tree"] is tree  # not edited
    nullable = document({"Tree": {**tree, "nullable": True}})
    assert recursive_arrays_as_unions(nullable) is nullable


def test_a_recursive_array_gets_its_item_type() -> None:
    tree = {
        "type": "array",
        "items": {"type": "object", "additionalProperties": {"$ref": REF + "Tree"}},
    }
    source, module = models_of({"Tree": tree}, "amend_tree")
    assert "RootModel[list]" not in source
    assert module.Tree.model_validate([{"a": [{}]}]).root[0]["a"].root == [{}]
    with pytest.raises(ValidationError):
        module.Tree.model_validate([1])
    assert module.Tree.__pydantic_complete__


def test_a_narrowed_enum_is_spelled_with_its_members() -> None:
    schemas = {
        "Invitation": {
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"type": "string", "enum": ["pending", "revoked"]}
            },
        },
        "Revoked": {
            "allOf": [
                {"$ref": REF + "Invitation"},
                {
                    "type": "object",
                    "properties": {"status": {"type": "string", "enum": ["revoked"]}},
                },
            ]
        },
    }
    source, module = models_of(schemas, "amend_narrowed")
    assert "Literal[Status.REVOKED]" in source, source
    revoked = module.Revoked.model_validate({"status": "revoked"})
    assert revoked.status is module.Status.REVOKED
    assert revoked.model_dump(mode="json") == {"status": "revoked"}
    with pytest.raises(ValidationError):
        module.Revoked.model_validate({"status": "pending"})


def test_literals_that_narrow_nothing_stay() -> None:
    source = (
        "class A(BaseModel):\n    kind: Literal['a']\n\n\n"
        "class B(A):\n    kind: Literal['b']\n"
    )
    assert literals_as_members(source) == source


def test_every_model_with_a_forward_reference_is_rebuilt() -> None:
    source = (
        "class A(BaseModel):\n    b: B | None = None\n\n\n"
        "class C(BaseModel):\n    a: A\n\n\n"
        "class B(BaseModel):\n    x: int\n\n\n"
        "class D(BaseModel):\n    a: A\n    note: str = Field(examples=['B'])\n\n\n"
        "A.model_rebuild()\n"
    )
    amended = rebuild_incomplete(source)
    assert amended.endswith("A.model_rebuild()\nC.model_rebuild()\n")
    assert rebuild_incomplete(amended) == amended


def test_models_referring_to_later_ones_are_complete_at_import() -> None:
    """Qdrant's filters: datamodel-code-generator rebuilds `Filter`, not `Nested`."""
    schemas = {
        "Nested": {
            "type": "object",
            "required": ["filter"],
            "properties": {"filter": {"$ref": REF + "Filter"}},
        },
        "Filter": {
            "type": "object",
            "properties": {
                "should": {
                    "anyOf": [
                        {"$ref": REF + "Condition"},
                        {"type": "array", "items": {"$ref": REF + "Condition"}},
                        {"nullable": True},
                    ]
                }
            },
        },
        "Condition": {
            "anyOf": [
                {"$ref": REF + "Leaf"},
                {"$ref": REF + "NestedCondition"},
                {"$ref": REF + "Filter"},
            ]
        },
        "NestedCondition": {
            "type": "object",
            "required": ["nested"],
            "properties": {"nested": {"$ref": REF + "Nested"}},
        },
        "Leaf": {"type": "object", "properties": {"key": {"type": "string"}}},
    }
    _, module = models_of(schemas, "amend_forward")
    incomplete = [
        name
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__pydantic_generic_metadata__["origin"] is None
        and not value.__pydantic_complete__
    ]
    assert incomplete == []


def test_a_password_is_a_string_not_a_secret() -> None:
    schemas = {
        "Login": {
            "type": "object",
            "properties": {"password": {"type": "string", "format": "password"}},
        }
    }
    source, module = models_of(schemas, "amend_password")
    assert "SecretStr" not in source
    login = module.Login.model_validate({"password": "hunter2"})
    assert login.model_dump(mode="json", exclude_unset=True) == {"password": "hunter2"}


def test_base64_text_is_kept_as_sent() -> None:
    """`format: byte` is base64 text: pydantic's `Base64Str` would decode it, refuse
    binary contents that are not UTF-8, and refuse text JSON Schema allows."""
    schemas = {
        "Image": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": {"type": "string", "format": "byte"}},
        }
    }
    source, module = models_of(schemas, "amend_byte")
    assert "Base64" not in source
    binary = "/9j/4AAQSkZJRg=="  # a JPEG's first bytes: not UTF-8 once decoded
    image = module.Image.model_validate({"data": binary})
    assert image.data == binary
    assert module.Image.model_validate({"data": "0"}).data == "0"
    assert image.model_dump(mode="json") == {"data": binary}


def test_a_root_model_over_an_enum_is_no_enum() -> None:
    source = (
        "class Colour(StrEnum):\n    RED = 'red'\n\n\n"
        "class MaybeColour(RootModel[Colour | None]):\n    root: Colour | None\n"
    )
    described = describe_classes(ast.parse(source))
    assert (described["Colour"].kind, described["MaybeColour"].kind) == ("enum", "root")


def test_a_31_nullable_map_keeps_its_value_type() -> None:
    words = {"type": "string", "minLength": 1}
    schemas = {
        "Names": {
            "type": "object",
            "properties": {
                "names": {"type": ["object", "null"], "additionalProperties": words}
            },
        }
    }
    given = {**document(schemas), "openapi": "3.1.0"}
    told = nullable_objects_spelled_nullable(given)
    assert told["components"]["schemas"]["Names"]["properties"]["names"] == {
        "type": "object",
        "nullable": True,
        "additionalProperties": words,
    }
    assert given["components"]["schemas"]["Names"]["properties"]["names"]["type"] == [
        "object",
        "null",
    ]
    _, module = models_of(schemas, "amend_nullable_map")
    assert module.Names.model_validate({"names": None}).names is None
    with pytest.raises(ValidationError):
        module.Names.model_validate({"names": {"en": ""}})


def test_a_constrained_uri_is_handed_over_as_a_string() -> None:
    uri = {"type": "string", "format": "uri", "maxLength": 20}
    plain = {"type": "string", "format": "uri"}
    given = document(
        {"T": {"type": "object", "properties": {"a": uri, "b": plain}}, "U": uri}
    )
    told = constrained_strings_unformatted(given)
    schemas = told["components"]["schemas"]
    assert schemas["U"] == {"type": "string", "maxLength": 20}
    assert schemas["T"]["properties"] == {
        "a": {"type": "string", "maxLength": 20},
        "b": plain,
    }
    assert given["components"]["schemas"]["U"] is uri and "format" in uri  # not edited
    unchanged = document({"T": {"type": "object", "properties": {"b": plain}}})
    assert constrained_strings_unformatted(unchanged) is unchanged
    hostname = {"type": "string", "format": "hostname", "maxLength": 9}
    assert constrained_strings_unformatted(hostname) is hostname  # its length is kept


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        (
            {"type": "string", "format": "uri", "maxLength": 20},
            "https://example.com/",  # exactly 20, as sent (AnyUrl measures no text)
            "https://example.com/a",
        ),
        (
            {"type": ["string", "null"], "format": "uri", "minLength": 12},
            "https://a.io",
            "https://a.i",
        ),
        (
            {"type": "string", "format": "uri", "pattern": "^https://"},
            "https://a.io",
            "http://a.io",
        ),
        (
            {"type": "string", "format": "hostname", "pattern": "^api\\."},
            "api.example.com",
            "www.example.com",
        ),
    ],
)
def test_a_formatted_string_keeps_its_length_and_pattern(
    schema: dict[str, Any], valid: str, invalid: str
) -> None:
    """datamodel-code-generator writes a `format: uri` string as `AnyUrl` without them."""
    _, module = models_of(
        {"T": {"type": "object", "required": ["a"], "properties": {"a": schema}}},
        "amend_uri",
    )
    assert module.T.model_validate({"a": valid}).a == valid
    with pytest.raises(ValidationError):
        module.T.model_validate({"a": invalid})


def test_a_plain_uri_is_checked_and_kept_as_written() -> None:
    """pydantic's `AnyUrl` would send `https://openstat.us/` for `https://openstat.us`
    (openstatus' webhooks) and drop `:443`; the runtime's `UriStr` checks the same."""
    source, module = models_of(
        {
            "T": {
                "type": "object",
                "properties": {"a": {"type": "string", "format": "uri"}},
            }
        },
        "amend_plain_uri",
    )
    assert "from pkg._base import UriStr, unknown_member" in source
    assert "AnyUrl" not in source
    for url in ("https://openstat.us", "https://example.com:443/hooks/invoke"):
        assert module.T.model_validate({"a": url}).model_dump() == {"a": url}
    with pytest.raises(ValidationError):
        module.T.model_validate({"a": "not a url"})


def _defaults() -> dict[str, Any]:
    """Defaults that are JSON data where the field's type wants a value (FastAPI's
    `$ref` beside `default`, utoipa's `tool_choice`)."""
    cfg = {"allOf": [{"$ref": REF + "Cfg"}]}
    return {
        "Cfg": {"type": "object", "properties": {"enabled": {"type": "boolean"}}},
        "Mode": {"type": "string", "enum": ["fast", "slow"]},
        "Choice": {
            "oneOf": [
                {"type": "string", "enum": ["auto", "none"]},
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
            ]
        },
        "Holder": {
            "type": "object",
            "properties": {
                "cfg": {**cfg, "default": {"enabled": False}},
                "cfgs": {"type": "array", "items": cfg, "default": [{"enabled": True}]},
                "by_name": {
                    "type": "object",
                    "additionalProperties": cfg,
                    "default": {"a": {"enabled": True}},
                },
                "choice": {
                    "allOf": [{"$ref": REF + "Choice"}],
                    "default": "auto",
                    "nullable": True,
                },
                "when": {"type": "string", "format": "date", "default": "2024-05-06"},
                "mode": {"allOf": [{"$ref": REF + "Mode"}], "default": "slow"},
                "plain": {"type": "object", "default": {"a": 1}},
                "words": {
                    "type": "array",
                    "items": {"type": "string"},
                    "default": ["a"],
                },
            },
        },
    }


def test_a_default_of_a_model_is_the_model_built_from_its_data() -> None:
    source, module = models_of(_defaults(), "amend_defaults")
    holder = module.Holder
    tree = ast.parse(source)
    values = {
        ast.unparse(s.target): ast.unparse(s.value)
        for c in tree.body
        if isinstance(c, ast.ClassDef) and c.name == "Holder"
        for s in c.body
        if isinstance(s, ast.AnnAssign) and s.value is not None
    }
    assert values["cfg"] == (
        "Field(default_factory=lambda: Cfg.model_validate({'enabled': False}))"
    )
    assert values["cfgs"] == (
        "Field(default_factory=lambda: [Cfg.model_validate({'enabled': True})])"
    )
    assert values["by_name"] == (
        "Field(default_factory=lambda: {'a': Cfg.model_validate({'enabled': True})})"
    )
    assert (
        values["choice"]
        == "Field(default_factory=lambda: Choice.model_validate('auto'))"
    )
    assert values["when"] == "TypeAdapter[date](date).validate_python('2024-05-06')"
    assert values["mode"] == "Mode.SLOW"
    assert (values["plain"], values["words"]) == ("{'a': 1}", "['a']")  # as written
    made, other = holder(), holder()
    assert isinstance(made.cfg, module.Cfg) and made.cfg.enabled is False
    assert made.cfg is not other.cfg and made.cfgs is not other.cfgs
    assert isinstance(made.choice.root, module.Choice1)
    assert made.when == date(2024, 5, 6)
    assert made.model_dump(mode="json") == {
        "cfg": {"enabled": False},
        "cfgs": [{"enabled": True}],
        "by_name": {"a": {"enabled": True}},
        "choice": "auto",
        "when": "2024-05-06",
        "mode": "slow",
        "plain": {"a": 1},
        "words": ["a"],
    }
    assert holder.model_validate(made.model_dump()) == made
    assert made.model_fields_set == set()  # defaults are not sent as set


def test_defaults_mypy_takes_as_written_stay() -> None:
    source = (
        "from pydantic import Field\n\n\n"
        "class Cfg(ApiModel):\n    enabled: bool = False\n\n\n"
        "class T(ApiModel):\n"
        "    a: dict[str, Any] = {'a': [1]}\n"
        "    b: Literal['x'] | Cfg = 'x'\n"
        "    c: Annotated[StrictFloat, Field(ge=0)] = 1\n"
        "    d: list[StrictStr] | None = None\n"
        "    e: list[Cfg] = []\n"
        "    f: Cfg | MISSING = MISSING\n"
        "    g: Cfg = Field(default_factory=Cfg)\n"
    )
    assert defaults_as_values(source) == source
    changed = defaults_as_values(source.replace("= []", "= [{'enabled': True}]"))
    assert (
        "e: list[Cfg] = Field(default_factory=lambda: [Cfg.model_validate(" in changed
    )


def test_a_value_of_a_union_of_models_is_validated_by_its_type() -> None:
    source = (
        "from __future__ import annotations\n\nfrom pydantic import Field\n\n\n"
        "class A(ApiModel):\n    a: int\n\n\n"
        "class B(ApiModel):\n    b: int\n\n\n"
        "class T(ApiModel):\n    x: A | B = {'b': 1}\n"
    )
    changed = defaults_as_values(source)
    assert "from pydantic import Field, TypeAdapter\n" in changed
    assert (
        "x: A | B = Field(default_factory=lambda: "
        "TypeAdapter[A | B](A | B).validate_python({'b': 1}))"
    ) in changed


@pytest.mark.slow  # mypy --strict and its own tests, over a generated package
def test_a_package_with_model_defaults_passes_mypy_strict_and_its_tests(
    tmp_path: Path,
) -> None:
    """A request body of those defaults (with a field to give: a body of nothing
    but defaults is another matter)."""
    spec = tmp_path / "spec.json"
    schemas = _defaults()
    schemas["Holder"]["required"] = ["name"]
    schemas["Holder"]["properties"]["name"] = {"type": "string"}
    holder = {"$ref": REF + "Holder"}
    body = {"required": True, "content": {"application/json": {"schema": holder}}}
    ok = {"description": "ok"}
    spec.write_text(
        json.dumps(
            {
                **document(schemas),
                "servers": [{"url": "https://api.example.test"}],
                "paths": {
                    "/x": {
                        "post": {
                            "operationId": "postX",
                            "requestBody": body,
                            "responses": {"200": ok},
                        }
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    output = tmp_path / "out"
    generate_target(make_target(spec, "defaults", output, None, REPO_ROOT))
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "defaults"],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(output)},
    )
    assert tests.returncode == 0, tests.stdout[-3000:]


def test_a_patterns_digits_and_word_characters_are_ascii_as_in_ecma_262() -> None:
    schemas = {
        "Hours": {
            "type": "object",
            "properties": {
                "open": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
                "code": {"type": "string", "pattern": r"^[\w-]+$"},
            },
        }
    }
    _, models = models_of(schemas, "ascii_shorthands")
    assert models.Hours.model_validate({"open": "09:30", "code": "a_b-1"})
    for field, value in (("open", "0٩:30"), ("code", "é")):
        with pytest.raises(ValidationError):
            models.Hours.model_validate({field: value})


def test_a_number_with_a_time_format_stays_a_number() -> None:
    """Prefect's `{type: number, format: time-delta}`: seconds, sent as a number."""
    schemas = {
        "History": {
            "type": "object",
            "properties": {
                "interval": {"type": "number", "format": "time-delta"},
                "at": {"type": "integer", "format": "date-time"},
            },
        }
    }
    source, models = models_of(schemas, "number_formats")
    history = models.History.model_validate({"interval": 1.5, "at": 1700000000})
    assert history.model_dump(mode="json") == {"interval": 1.5, "at": 1700000000}
    assert "timedelta" not in source and "datetime" not in source


def test_bounds_of_one_type_among_several_are_a_type_mypy_reads() -> None:
    """ConnectRPC's protobuf int64, `type: [integer, string]` with bounds: written
    `conint(...) | StrictStr` by datamodel-code-generator, which mypy refuses."""
    source, module = models_of(
        {
            "T": {
                "type": "object",
                "properties": {
                    "code": {
                        "type": ["integer", "string"],
                        "minimum": 100,
                        "maximum": 599,
                    },
                    "tags": {
                        "type": ["array", "null"],
                        "minItems": 1,
                        "items": {"type": ["string", "integer"], "maxLength": 3},
                    },
                },
            }
        },
        "amend_constrained_calls",
    )
    assert "conint(" not in source and "constr(" not in source
    assert "Annotated[StrictInt, Field(ge=100, le=599)] | StrictStr" in source
    assert module.T.model_validate({"code": 150, "tags": ["abc", 7]}).code == 150
    assert module.T.model_validate({"code": "any text"}).code == "any text"
    for wrong in ({"code": 99}, {"code": 600}, {"tags": ["abcd"]}, {"tags": []}):
        with pytest.raises(ValidationError):
            module.T.model_validate(wrong)


def test_a_deprecated_schema_that_is_no_object_can_still_be_made() -> None:
    """dagu's `Tags`: `Field(deprecated=True)` on `root` left no way to set it."""
    source, module = models_of(
        {"Tags": {"deprecated": True, "type": "array", "items": {"type": "string"}}},
        "amend_deprecated_root",
    )
    assert module.Tags.model_validate(["a"]).root == ["a"]
    assert module.Tags.__doc__ == "Deprecated by the API."
    assert "deprecated=True" not in source


def test_an_open_map_written_as_an_empty_schema_is_a_model_open_to_extra_fields() -> (
    None
):
    """Spiff Arena: `additionalProperties: {}` means `true`, and gets its model."""
    _, module = models_of(
        {
            "Empty": {"type": "object", "additionalProperties": {}},
            "Open": {"type": "object", "additionalProperties": True},
        },
        "amend_open_maps",
    )
    for name in ("Empty", "Open"):
        model = getattr(module, name)
        assert model.model_config.get("extra") == "allow"
        assert model.model_validate({"any": 1}).model_extra == {"any": 1}


def test_a_map_without_type_is_a_typed_dict_as_the_reference_reads_it() -> None:
    """lichess-org/api f59dc80, doc/specs/schemas/Crosstable.yaml: `users` is
    `additionalProperties: {type: number}` without `type: object`."""
    schemas = {
        "Crosstable": {
            "type": "object",
            "properties": {"users": {"additionalProperties": {"type": "number"}}},
            "required": ["users"],
        }
    }
    source, module = models_of(schemas, "models_typeless_map")
    assert "users: dict[str, StrictFloat]" in source
    assert module.Crosstable(users={"neio": 201.5}).users == {"neio": 201.5}
    with pytest.raises(ValidationError):
        module.Crosstable(users=None)
