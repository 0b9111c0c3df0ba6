"""Loading: YAML and JSON, relative-file references, and one clear problem per defect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.loading.loader import load_spec
from generator.problems import Level, Problem, SpecError

MINIMAL = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem_of(path: Path) -> str:
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    assert len(raised.value.problems) == 1
    return str(raised.value.problems[0])


def test_yaml_and_json_load_the_same(tmp_path: Path) -> None:
    yaml_doc = load_spec(write(tmp_path, "a.yaml", MINIMAL)).document
    json_doc = load_spec(write(tmp_path, "a.json", json.dumps(yaml_doc))).document
    assert (
        yaml_doc
        == json_doc
        == {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    )


def test_timestamps_stay_strings(tmp_path: Path) -> None:
    doc = load_spec(
        write(tmp_path, "a.yaml", MINIMAL + "x-when: 2024-01-01T00:00:00Z\n")
    ).document
    assert doc["x-when"] == "2024-01-01T00:00:00Z"


def test_scalars_are_read_by_yaml_1_2_as_openapi_recommends(tmp_path: Path) -> None:
    """Not YAML 1.1's base-60 `18:00`, `yes`/`on` booleans, `0755` octal or `1_000`."""
    doc = load_spec(
        write(
            tmp_path,
            "a.yaml",
            MINIMAL + "x-values: {close: 18:00, open: 09:00, yes: on, mode: 0755,"
            " big: 1_000, tiny: 1e-08, hex: 0x1F, oct: 0o17, flag: false}\n",
        )
    ).document
    assert doc["x-values"] == {
        "close": "18:00",
        "open": "09:00",
        "yes": "on",
        "mode": 755,
        "big": "1_000",
        "tiny": 1e-08,
        "hex": 31,
        "oct": 15,
        "flag": False,
    }


def test_relative_file_refs_are_bundled_into_components(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    write(
        tmp_path,
        "common/error.yaml",
        "Error:\n  type: object\n  properties:\n    detail: {$ref: '#/Detail'}\n"
        "Detail: {type: string}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Wrapper:\n      properties:\n"
            "        error: {$ref: 'common/error.yaml#/Error'}\n",
        ),
    )
    doc = load_spec(spec).document
    schemas = doc["components"]["schemas"]
    assert schemas["Wrapper"]["properties"]["error"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert schemas["Error"]["properties"]["detail"] == {
        "$ref": "#/components/schemas/Detail"
    }
    assert schemas["Detail"] == {"type": "string"}


def test_a_component_that_refers_to_its_file_is_that_schema(tmp_path: Path) -> None:
    """The multi-file layout (`User: {$ref: schemas/User.yaml}`, and paths referring
    to the file too): one `User`, not a `User2` wrapped by `User`."""
    (tmp_path / "schemas").mkdir()
    write(tmp_path, "schemas/Email.yaml", "type: string\nformat: email\n")
    write(
        tmp_path,
        "schemas/User.yaml",
        "type: object\nproperties:\n  email: {$ref: './Email.yaml'}\n",
    )
    write(
        tmp_path,
        "user.yaml",
        "get:\n  responses:\n    '200':\n      description: ok\n      content:\n"
        "        application/json: {schema: {$ref: 'schemas/User.yaml'}}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths:\n  /user: {$ref: 'user.yaml'}\ncomponents:\n  schemas:\n"
            "    User: {$ref: './schemas/User.yaml'}\n"
            "    Email: {$ref: 'schemas/Email.yaml'}\n",
        ),
    )
    doc = load_spec(spec).document
    assert doc["components"]["schemas"] == {
        "User": {
            "type": "object",
            "properties": {"email": {"$ref": "#/components/schemas/Email"}},
        },
        "Email": {"type": "string", "format": "email"},
    }
    content = doc["paths"]["/user"]["get"]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {
        "$ref": "#/components/schemas/User"
    }


def test_a_ref_from_another_file_to_a_root_component_is_local(
    tmp_path: Path,
) -> None:
    """Conjur's files refer back to `openapi.yml#/components/schemas/Kind`."""
    write(
        tmp_path,
        "kinds.yaml",
        "List:\n  type: array\n  items: {$ref: 'api.yaml#/components/schemas/Kind'}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Kind: {type: string}\n"
            "    Kinds: {$ref: 'kinds.yaml#/List'}\n",
        ),
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas == {
        "Kind": {"type": "string"},
        "Kinds": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
    }


def test_a_component_that_refers_to_itself_through_its_file_is_a_problem(
    tmp_path: Path,
) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n"
            "    Kind: {$ref: 'api.yaml#/components/schemas/Kind'}\n",
        ),
    )
    with pytest.raises(SpecError):
        load_spec(spec)


def test_a_ref_to_a_properties_map_in_another_file_is_put_in_place(
    tmp_path: Path,
) -> None:
    """DigitalOcean refers to a whole `properties` map; it is no schema of its own."""
    write(
        tmp_path,
        "attributes.yaml",
        "lb:\n  droplet_ids: {type: array, items: {type: integer}}\n"
        "  tag: {$ref: '#/tag'}\ntag: {type: string}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Lb:\n      type: object\n"
            "      properties: {$ref: 'attributes.yaml#/lb'}\n",
        ),
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["Lb"]["properties"] == {
        "droplet_ids": {"type": "array", "items": {"type": "integer"}},
        "tag": {"$ref": "#/components/schemas/Tag"},
    }
    assert set(schemas) == {"Lb", "Tag"}


def test_a_local_ref_to_a_properties_map_is_put_in_place(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\nx-shared:\n  a: {type: integer}\n"
            "  b: {$ref: '#/components/schemas/B'}\n"
            "components:\n  schemas:\n    B: {type: string}\n"
            "    Local: {type: object, properties: {$ref: '#/x-shared'}}\n",
        ),
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["Local"]["properties"] == {
        "a": {"type": "integer"},
        "b": {"$ref": "#/components/schemas/B"},
    }
    assert set(schemas) == {"B", "Local"}


def test_a_ref_to_a_map_that_is_no_map_is_one_problem(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\nx-shared: 3\ncomponents:\n  schemas:\n"
            "    Local: {type: object, properties: {$ref: '#/x-shared'}}\n",
        ),
    )
    assert "a map of schemas" in problem_of(spec)


def test_discriminator_mappings_to_other_files_follow_the_bundled_schemas(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "actions.yaml",
        "action: {type: object, properties: {type: {type: string}}}\n"
        "rename:\n  allOf: [{$ref: '#/action'}]\n"
        "  discriminator:\n    propertyName: type\n"
        "    mapping: {again: '#/rename', named: Other}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Other: {type: object}\n"
            "    Any:\n      oneOf: [{$ref: 'actions.yaml#/action'}, "
            "{$ref: 'actions.yaml#/rename'}]\n"
            "      discriminator:\n        propertyName: type\n        mapping:\n"
            "          reboot: 'actions.yaml#/action'\n"
            "          rename: 'actions.yaml#/rename'\n"
            "          other: '#/components/schemas/Other'\n          named: Other\n",
        ),
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["Any"]["discriminator"]["mapping"] == {
        "reboot": "#/components/schemas/Action",
        "rename": "#/components/schemas/Rename",
        "other": "#/components/schemas/Other",
        "named": "Other",
    }
    assert schemas["Rename"]["discriminator"]["mapping"] == {
        "again": "#/components/schemas/Rename",
        "named": "Other",
    }


def test_unresolvable_ref_names_pointer_and_line(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    A:\n"
            "      $ref: '#/components/schemas/Missing'\n",
        ),
    )
    message = problem_of(spec)
    assert message == (
        f"{spec}:7: error: #/components/schemas/A/$ref: "
        "$ref '#/components/schemas/Missing' resolves nowhere"
    )


def test_missing_external_file_target(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", "A: {type: string}\n")
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: 'other.yaml#/Nope'\n",
        ),
    )
    assert "resolves nowhere" in problem_of(
        spec
    ) and "#/components/schemas/A" in problem_of(spec)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file is empty"),
        ("openapi: [3.1.0\n", "not valid YAML: "),
        ("- a\n- b\n", "a spec must be a mapping, not list"),
        ("swagger: '1.2'\ninfo: {}\n", "#/swagger: Swagger '1.2' is not supported"),
        ("openapi: 4.0.0\n", "#/openapi: unsupported OpenAPI version '4.0.0'"),
        ("openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key 'openapi'"),
    ],
)
def test_bad_input_is_one_clear_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    message = problem_of(write(tmp_path, "bad.yaml", text))
    assert message.startswith(str(tmp_path / "bad.yaml"))
    assert expected in message


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    assert problem_of(
        write(tmp_path, "bad.yaml", "openapi: 3.1.0\ninfo:\n  title: [unclosed\n")
    ).startswith(f"{tmp_path / 'bad.yaml'}:4:")


def test_missing_file(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "nope.yaml").endswith("file does not exist")


def _with_schemas(schemas: str) -> str:
    return MINIMAL.replace(
        "paths: {}", "paths: {}\ncomponents:\n  schemas:\n" + schemas
    )


@pytest.mark.parametrize(
    ("schemas", "cycle"),
    [
        ("    A: {$ref: '#/components/schemas/A'}\n", "A -> A"),
        (
            "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "A -> B -> A",
        ),
        (
            "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n"
            "    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
            "A -> B -> A",
        ),
        (
            "    A: {oneOf: [{$ref: '#/components/schemas/B'}, {type: string}]}\n"
            "    B: {anyOf: [{allOf: [{$ref: '#/components/schemas/C'}]}, {type: integer}]}\n"
            "    C: {$ref: '#/components/schemas/A'}\n",
            "A -> B -> C -> A",
        ),
    ],
)
def test_ref_cycle_the_models_cannot_express_is_one_problem(
    tmp_path: Path, schemas: str, cycle: str
) -> None:
    spec = write(tmp_path, "api.yaml", _with_schemas(schemas))
    message = problem_of(spec)
    assert message.startswith(
        f"{spec}:6: error: #/components/schemas/A: $ref cycle {cycle} cannot be expressed as models"
    )


def test_recursion_through_properties_and_items_is_a_model_not_a_problem(
    tmp_path: Path,
) -> None:
    schemas = (
        "    Tree:\n      type: object\n      properties:\n"
        "        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n"
        "        parent: {oneOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}\n"
        "    Node: {allOf: [{$ref: '#/components/schemas/Tree'}]}\n"
    )
    assert set(
        load_spec(write(tmp_path, "api.yaml", _with_schemas(schemas))).document[
            "components"
        ]["schemas"]
    ) == {"Tree", "Node"}


def test_a_long_alias_chain_is_no_recursion_error(tmp_path: Path) -> None:
    chain = (
        "".join(
            f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}\n"
            for i in range(3000)
        )
        + "    S3000: {$ref: '#/components/schemas/S0'}\n"
    )
    assert "$ref cycle S0 -> S1 -> S2" in problem_of(
        write(tmp_path, "api.yaml", _with_schemas(chain))
    )


STATUS_WITH_REASON = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /x:
    put:
      responses:
        "204 NO_CONTENT": {description: done}
        "200": {description: ok}
        "200 OK": {description: a second 200}
        "OK": {description: no status}
"""


def test_a_status_with_its_reason_is_read_as_the_code(tmp_path: Path) -> None:
    loaded = load_spec(write(tmp_path, "a.yaml", STATUS_WITH_REASON))
    responses = loaded.document["paths"]["/x"]["put"]["responses"]
    assert list(responses) == ["204", "200", "200 OK", "OK"]
    messages = [w.message for w in loaded.warnings]
    assert (
        "response key '204 NO_CONTENT' is not a status code: read as '204'" in messages
    )
    assert sum("takes it for `default`" in m for m in messages) == 2


def test_an_object_default_without_what_its_schema_requires_is_left_out(
    tmp_path: Path,
) -> None:
    """Kubernetes' `spec: {allOf: [$ref: DaemonSetSpec], default: {}}`."""
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n"
            "    Spec: {type: object, required: [selector], properties: {selector: {}}}\n"
            "    Set:\n      type: object\n      properties:\n"
            "        spec: {allOf: [{$ref: '#/components/schemas/Spec'}], default: {}}\n"
            "        kept: {allOf: [{$ref: '#/components/schemas/Spec'}],"
            " default: {selector: a}}\n",
        ),
    )
    loaded = load_spec(spec)
    properties = loaded.document["components"]["schemas"]["Set"]["properties"]
    assert "default" not in properties["spec"]
    assert properties["kept"]["default"] == {"selector": "a"}
    assert [(w.pointer, w.message) for w in loaded.warnings] == [
        (
            "/components/schemas/Set/properties/spec/default",
            "default {} lacks the required selector: left out, so the server's own "
            "default applies",
        )
    ]


def test_problems_in_a_schema_from_another_file_name_that_file(
    tmp_path: Path,
) -> None:
    """A warning in a bundled schema points at its file and line: the spec's own
    text has no `#/components/schemas/Pet/...` to look for."""
    (tmp_path / "models").mkdir()
    pet = write(
        tmp_path,
        "models/pets.yaml",
        "pet:\n  type: object\n  properties:\n    name:\n      type: string\n"
        "      default: 5\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n"
            "    Pets: {type: array, items: {$ref: 'models/pets.yaml#/pet'}}\n",
        ),
    )
    loaded = load_spec(spec)
    [warning] = loaded.warnings
    assert (warning.file, warning.pointer, warning.line) == (
        pet,
        "/pet/properties/name/default",
        6,
    )
    later = Problem(Level.WARNING, spec, "#/components/schemas/Pet/example", "m")
    [located] = loaded.located([later])
    assert (located.file, located.pointer) == (pet, "/pet/example")
    inline = Problem(Level.WARNING, spec, "#/components/schemas/Pets/items", "m")
    assert loaded.located([inline])[0].file == spec


def test_a_problem_in_a_schema_of_another_file_names_that_file_and_line(
    tmp_path: Path,
) -> None:
    """DigitalOcean's spec is thousands of files: a warning about a schema written in
    one of them names it, its pointer there and its line, not the root spec."""
    (tmp_path / "models").mkdir()
    pet = write(
        tmp_path,
        "models/pet.yaml",
        "type: object\nproperties:\n  name:\n    type: string\n    default: 7\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Owner:\n      properties:\n"
            "        pet: {$ref: 'models/pet.yaml'}\n",
        ),
    )
    loaded = load_spec(spec)
    (warning,) = loaded.warnings
    assert (warning.file, warning.pointer, warning.line) == (
        pet.resolve(),
        "/properties/name/default",
        5,
    )
    later = Problem(Level.WARNING, spec, "#/components/schemas/Pet/properties", "x")
    own = Problem(Level.WARNING, spec, "#/components/schemas/Owner", "x")
    placed, kept = loaded.located([later, own])
    assert (placed.file, placed.pointer, placed.line) == (
        pet.resolve(),
        "/properties",
        3,  # where the value starts, as for a pointer in the spec itself
    )
    assert (kept.file, kept.line) == (spec, 7)


def _index_layout(tmp_path: Path, index: str) -> Path:
    """lichess-org/api's layout: `components: {schemas: {$ref: schemas/_index.yaml}}`,
    the index a map of `Name: {$ref: ./Name.yaml}`; a path answers with `User`."""
    (tmp_path / "schemas").mkdir()
    write(tmp_path, "schemas/_index.yaml", index)
    write(tmp_path, "schemas/Title.yaml", "type: string\nenum: [GM, IM]\n")
    write(
        tmp_path,
        "schemas/User.yaml",
        "type: object\nproperties:\n  title: {$ref: './Title.yaml'}\n",
    )
    return write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths:\n  /user:\n    get:\n      responses:\n        '200':\n"
            "          description: ok\n          content:\n            application/json:\n"
            "              schema: {$ref: '#/components/schemas/User'}\n"
            "components:\n  schemas:\n    $ref: ./schemas/_index.yaml\n",
        ),
    )


def test_a_ref_in_place_of_the_schemas_map_is_read_as_that_map(tmp_path: Path) -> None:
    index = "User:\n  $ref: ./User.yaml\nTitle:\n  $ref: './Title.yaml'\n"
    loaded = load_spec(_index_layout(tmp_path, index))
    assert loaded.document["components"]["schemas"] == {
        "User": {
            "type": "object",
            "properties": {"title": {"$ref": "#/components/schemas/Title"}},
        },
        "Title": {"type": "string", "enum": ["GM", "IM"]},
    }
    [warning] = loaded.warnings
    assert warning.level is Level.WARNING and warning.pointer == "/components/schemas"
    assert (
        "'./schemas/_index.yaml'" in warning.message and "2 entries" in warning.message
    )
    assert warning.line == 14


def test_a_ref_in_place_of_the_schemas_map_must_lead_to_a_map(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as raised:
        load_spec(_index_layout(tmp_path, "- just\n- a list\n"))
    first = raised.value.problems[0]  # then what refers to a schema it would hold
    assert first.pointer == "/components/schemas/$ref" and first.line == 14
    assert "leads to list" in first.message


def test_a_problem_in_a_path_item_of_another_file_names_that_file_and_line(
    tmp_path: Path,
) -> None:
    """Redocly's openapi-starter writes each path item in a file of its own
    (`/users: {$ref: paths/users.yaml}`): a warning about its example names that
    file, the pointer there and the line."""
    (tmp_path / "paths").mkdir()
    users = write(
        tmp_path,
        "paths/users.yaml",
        "get:\n  responses:\n    '200':\n      description: ok\n      content:\n"
        "        application/json:\n          schema: {type: integer}\n"
        "          example: not a number\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace("paths: {}", "paths:\n  /users: {$ref: 'paths/users.yaml'}\n"),
    )
    loaded = load_spec(spec)
    example = "/paths/~1users/get/responses/200/content/application~1json/example"
    [located] = loaded.located([Problem(Level.WARNING, spec, "#" + example, "m")])
    assert (located.file, located.pointer, located.line) == (
        users.resolve(),
        "/get/responses/200/content/application~1json/example",
        8,
    )
    own = Problem(Level.WARNING, spec, "#/info/title", "m")
    assert loaded.located([own])[0].file == spec
