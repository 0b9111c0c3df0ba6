"""Hostile input to the loading stage (tests/fixtures/hostile_loading): JSON that YAML misreads,
`$ref`s that leave the spec's folder or name devices, alias and `$ref` bombs, misshapen
documents, and carriage returns. Each is refused with one line per problem, or loaded right."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.loading import parsing, reading
from generator.loading.loader import load_spec
from generator.problems import SpecError
from tests.conftest import DATA_DIR, REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "hostile_loading"
HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def problems_of(path: Path, **options: Any) -> list[str]:
    with pytest.raises(SpecError) as raised:
        load_spec(path, **options)
    return [str(problem) for problem in raised.value.problems]


def within(seconds: float, action: Callable[[], object]) -> object:
    """`action()`, failing the test (instead of hanging it) when it takes longer than `seconds`."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(action())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"took longer than {seconds} s"
    return outcome[0]


# --- 1. JSON is parsed as JSON ------------------------------------------------------------------


def test_json_with_surrogate_pair_escapes_loads() -> None:
    document = load_spec(FIXTURES / "surrogate_pair.json").document
    assert document["info"]["title"] == "Rockets \U0001f680"
    assert (
        document["components"]["schemas"]["Rocket"]["properties"]["name"]["example"]
        == "\U0001f680"
    )


def test_lone_surrogates_become_replacement_characters() -> None:
    document = load_spec(FIXTURES / "lone_surrogate.json").document
    assert document["info"]["title"] == "Half a rocket \ufffd"
    schema = document["components"]["schemas"]["Half\ufffd"]
    assert schema["description"] == "tail \ufffd and head \ufffd"
    assert schema["properties"]["name"]["enum"] == ["\ufffd", "ok"]
    json.dumps(document, ensure_ascii=False).encode(
        "utf-8"
    )  # every later stage writes UTF-8


def test_json_content_in_a_yaml_file_is_parsed_as_json(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    shutil.copy(FIXTURES / "surrogate_pair.json", spec)
    assert load_spec(spec).document["info"]["title"] == "Rockets \U0001f680"


def test_raw_control_characters_in_json_strings_load_as_before(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "a\tb", "version": "1"}, "paths": {}}'
    )
    assert load_spec(spec).document["info"]["title"] == "a\tb"


def test_flow_style_yaml_starting_with_a_brace_is_still_yaml(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("{openapi: 3.1.0, info: {title: t, version: '1'}, paths: {}}\n")
    assert load_spec(spec).document["info"] == {"title": "t", "version": "1"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nan.json", ":5: error: not valid JSON: NaN is not a JSON number"),
        ("infinity.json", ":6: error: not valid JSON: -Infinity is not a JSON number"),
        (
            "huge_float.json",
            ":5: error: not valid JSON: number 1e400 is too large for a float",
        ),
        ("duplicate_key.json", ":8: error: not valid JSON: duplicate key 'type'"),
        (
            "syntax_error.json",
            ":5: error: not valid JSON: Expecting property name enclosed in double",
        ),
        (
            "nesting_deep.json",
            f": error: #/x-deep{'/0' * 64}: nested deeper than 64 levels",
        ),
        ("nesting_3000.json", ": error: nested deeper than 64 levels"),
    ],
)
def test_what_json_refuses_is_one_problem_with_its_line(
    name: str, expected: str
) -> None:
    [problem] = problems_of(FIXTURES / name)
    assert problem.startswith(f"{FIXTURES / name}{expected}")


@pytest.mark.slow
def test_real_json_specs_parse_as_before() -> None:
    yaml = pytest.importorskip("yaml")
    for path in sorted((DATA_DIR / "realworld").glob("*/*.json")):
        text = path.read_text(encoding="utf-8")
        try:
            old = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            continue  # Twilio's: PyYAML refuses its emoji escapes, the reason JSON is JSON now
        assert parsing.parse_text(text, path) == old, path


# --- 2. `$ref`s stay in the spec's folder; only regular files of bounded size are read ----------


def test_refs_leaving_the_folder_are_each_one_problem_at_the_ref() -> None:
    spec = FIXTURES / "refs" / "escapes.yaml"
    problems = problems_of(spec)
    names = ["Absolute", "Up", "FileUri", "Encoded", "Remote", "Urn", "Device"]
    assert len(problems) == len(names)
    for line, (name, problem) in enumerate(zip(names, problems, strict=True), start=6):
        assert problem.startswith(
            f"{spec}:{line}: error: #/components/schemas/{name}/$ref: $ref "
        )
        assert " cannot be followed: " in problem
    outside = [p for p in problems if "is outside the folder specs may read" in p]
    assert len(outside) == 5 and all("--allow-refs-from" in p for p in outside)
    assert "remote files are not fetched" in problems[4]
    assert "'urn' scheme is not supported" in problems[5]


def test_refs_inside_the_folder_load() -> None:
    loaded = load_spec(FIXTURES / "refs" / "ok.yaml")
    schemas = loaded.document["components"]["schemas"]
    assert schemas["Same"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"] == {"name": {"type": "string"}}
    assert "Pet2" not in schemas
    assert loaded.sources == ("inside.yaml", "ok.yaml")


def _project(tmp_path: Path, ref: str) -> Path:
    (tmp_path / "spec").mkdir(exist_ok=True)
    (tmp_path / "shared").mkdir(exist_ok=True)
    (tmp_path / "shared" / "pet.yaml").write_text("Pet: {type: string}\n")
    spec = tmp_path / "spec" / "api.yaml"
    spec.write_text(HEAD + f"components:\n  schemas:\n    Pet: {{$ref: '{ref}'}}\n")
    return spec


def test_allowed_roots_widen_where_refs_may_lead(tmp_path: Path) -> None:
    spec = _project(tmp_path, "../shared/pet.yaml#/Pet")
    [problem] = problems_of(spec)
    assert (
        f"{tmp_path / 'shared' / 'pet.yaml'} is outside the folder specs may read"
        in problem
    )
    loaded = load_spec(spec, allowed_roots=[tmp_path / "shared"])
    assert loaded.document["components"]["schemas"] == {"Pet": {"type": "string"}}
    assert loaded.sources == ("../shared/pet.yaml", "api.yaml")


def test_a_symlink_inside_the_folder_leading_out_is_refused(tmp_path: Path) -> None:
    spec = _project(tmp_path, "pet.yaml#/Pet")
    (tmp_path / "spec" / "pet.yaml").symlink_to(tmp_path / "shared" / "pet.yaml")
    [problem] = problems_of(spec)
    assert problem.startswith(
        f"{spec}:6: error: #/components/schemas/Pet/$ref: $ref 'pet.yaml#/Pet'"
    )
    assert f"{tmp_path / 'shared' / 'pet.yaml'} is outside the folder" in problem
    (tmp_path / "spec" / "loop.yaml").symlink_to(tmp_path / "spec" / "loop.yaml")
    spec.write_text(
        HEAD + "components:\n  schemas:\n    Pet: {$ref: 'loop.yaml#/Pet'}\n"
    )
    [problem] = problems_of(spec)
    assert "cannot be followed: cannot resolve the path" in problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_devices_and_folders_are_refused_without_reading(tmp_path: Path) -> None:
    spec = _project(tmp_path, "pipe.yaml#/Pet")
    os.mkfifo(
        tmp_path / "spec" / "pipe.yaml"
    )  # opening it to read would wait for a writer
    problems = within(10, lambda: problems_of(spec))
    assert problems == [
        f"{spec}:6: error: #/components/schemas/Pet/$ref: $ref 'pipe.yaml#/Pet' cannot be "
        f"followed: {tmp_path / 'spec' / 'pipe.yaml'}: not a regular file (a device, FIFO or "
        "socket is never read)"
    ]
    spec.write_text(
        HEAD
        + "components:\n  schemas:\n    Zero: {$ref: '/dev/zero'}\n    Dir: {$ref: '.'}\n"
    )
    problems = within(
        10, lambda: problems_of(spec, allowed_roots=[Path("/dev")])
    )  # never ends
    assert isinstance(problems, list) and len(problems) == 2
    assert problems[0].endswith(
        "cannot be followed: /dev/zero: not a regular file (a device, FIFO or socket "
        "is never read)"
    )
    assert problems[1].endswith(
        f"cannot be followed: {tmp_path / 'spec'}: is a directory, not a file"
    )
    [problem] = problems_of(tmp_path / "spec")
    assert problem == f"{tmp_path / 'spec'}: error: is a directory, not a file"


def test_files_larger_than_the_cap_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _project(tmp_path, "big.yaml#/Pet")
    (tmp_path / "spec" / "big.yaml").write_text(
        "Pet: {type: string}\n" + "# padding\n" * 100
    )
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 500)
    [problem] = problems_of(spec)
    big = tmp_path / "spec" / "big.yaml"
    assert problem.endswith(
        f"cannot be followed: {big}: file is larger than 500 bytes (1,020)"
    )
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 50)
    assert problems_of(spec) == [
        f"{spec}: error: file is larger than 50 bytes ({spec.stat().st_size})"
    ]


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_the_cap_holds_for_files_whose_size_stat_does_not_know(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _project(
        tmp_path, "/proc/self/status#/Pet"
    )  # stat says 0 bytes; it holds more
    assert Path("/proc/self/status").stat().st_size == 0
    monkeypatch.setattr(
        reading, "MAX_FILE_BYTES", 400
    )  # the spec is smaller, the status larger
    [problem] = problems_of(spec, allowed_roots=[Path("/proc")])
    assert problem.endswith("/status: file is larger than 400 bytes")


def test_a_missing_referenced_file_is_named_at_the_ref(tmp_path: Path) -> None:
    spec = _project(tmp_path, "gone.yaml#/Pet")
    assert problems_of(spec) == [
        f"{spec}:6: error: #/components/schemas/Pet/$ref: $ref 'gone.yaml#/Pet' "
        f"cannot be followed: {tmp_path / 'spec' / 'gone.yaml'}: file does not exist"
    ]


# --- 3. Bombs: YAML aliases and `$ref`s that multiply --------------------------------------------


def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    spec = FIXTURES / "billion_laughs.yaml"
    started = time.perf_counter()
    problems = within(30, lambda: problems_of(spec))
    assert time.perf_counter() - started < 1.0
    assert problems == [
        f"{spec}: error: YAML aliases expand this document to 490,329,061 values, more than "
        "5,000,000 (72 aliases)"
    ]


def test_ref_bomb_through_other_files_is_refused_in_well_under_a_second() -> None:
    spec = FIXTURES / "ref_bomb" / "openapi.yaml"
    started = time.perf_counter()
    problems = within(30, lambda: problems_of(spec))
    assert time.perf_counter() - started < 1.0
    assert problems == [
        f"{spec}: error: inlining $refs to other files makes the document larger than "
        "5,000,000 values"
    ]


def test_aliases_count_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing, "MAX_NODES", 100)
    spec = tmp_path / "api.yaml"
    anchor = "  a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
    spec.write_text(
        HEAD + "x-many:\n" + anchor + "".join(f"  b{i}: *a\n" for i in range(5))
    )
    assert load_spec(spec).document["x-many"]["b4"] == list(range(1, 10))
    spec.write_text(
        HEAD + "x-many:\n" + anchor + "".join(f"  b{i}: *a\n" for i in range(10))
    )
    [problem] = problems_of(spec)
    assert (
        "YAML aliases expand this document to 117 values, more than 100 (10 aliases)"
        in problem
    )


def test_aliased_and_merged_subtrees_are_loaded_apart() -> None:
    schemas = load_spec(FIXTURES / "merge_keys.yaml").document["components"]["schemas"]
    assert schemas["Named"] == {
        "type": "object",
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
        "description": "A base with a name",
    }
    assert schemas["Base"]["properties"] is not schemas["Named"]["properties"]


def test_long_chains_of_refs_to_other_files_are_no_recursion_error(
    tmp_path: Path,
) -> None:
    count = 1500
    (tmp_path / "defs.yaml").write_text(
        "schemas:\n"
        + "".join(
            f"  S{i}: {{type: object, properties: {{next: {{$ref: '#/schemas/S{i + 1}'}}}}}}\n"
            for i in range(count)
        )
        + f"  S{count}: {{type: string}}\n"
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(
        HEAD + "components:\n  schemas:\n    Root: {$ref: 'defs.yaml#/schemas/S0'}\n"
    )
    assert len(load_spec(spec).document["components"]["schemas"]) == count + 1
    (tmp_path / "links.yaml").write_text(
        "".join(f"l{i}: {{$ref: '#/l{i + 1}'}}\n" for i in range(count)) + "end: 1\n"
    )
    spec.write_text(HEAD + "x-link: {$ref: 'links.yaml#/l0'}\n")
    [problem] = problems_of(spec)
    assert "$refs to other files chain too long here" in problem


@pytest.mark.slow
@pytest.mark.parametrize(
    "spec",
    [
        DATA_DIR / "corpus" / "qovery-openapi.yaml",
        *sorted((DATA_DIR / "realworld").glob("*/*")),
    ],
    ids=lambda path: path.parent.name,
)
def test_real_specs_load(spec: Path) -> None:
    from generator.loading.swagger2 import converter_command

    swagger = "swagger" in spec.read_text(encoding="utf-8")[:200]
    if swagger and converter_command() is None:
        pytest.skip("Swagger 2.0 without swagger2openapi (npm ci installs it)")
    assert load_spec(spec).document["info"]["title"]


# --- 4. Misshapen documents: one line per problem from the real command, nothing written --------

REFUSED = sorted(
    [
        *(FIXTURES / "shapes").glob("*.yaml"),
        FIXTURES / "billion_laughs.yaml",
        FIXTURES / "ref_bomb" / "openapi.yaml",
        *(
            FIXTURES / name
            for name in (
                "nan.json",
                "infinity.json",
                "huge_float.json",
                "duplicate_key.json",
                "syntax_error.json",
                "nesting_deep.json",
                "nesting_3000.json",
                "integer_key_twice.yaml",
            )
        ),
        FIXTURES / "refs" / "escapes.yaml",
    ]
)


@pytest.mark.parametrize("spec", REFUSED, ids=lambda path: path.stem)
def test_the_command_refuses_with_one_line_per_problem(
    tmp_path: Path, spec: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["generate", "--spec", str(spec), "--package", "p", "--output", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines and all(
        line.startswith("specgen: ") and spec.name in line for line in lines
    ), lines
    assert result.stdout == ""
    assert not out.exists()


def test_several_problems_are_reported_together() -> None:
    spec = FIXTURES / "shapes" / "several_problems.yaml"
    operation, schema = "#/paths/~1x/get", "#/components/schemas/A"
    assert problems_of(spec) == [
        f"{spec}:1: error: `info` is missing (a mapping with `title` and `version`)",
        f"{spec}:5: error: {operation}/parameters/0: `in` must be one of path, query, "
        "header, cookie (it is missing)",
        f"{spec}:6: error: {operation}/responses/200: a response must be a mapping, "
        "not the integer 5",
        f"{spec}:9: error: {schema}/type: must be a type name or a list of them, "
        "not the integer 123",
        f"{spec}:9: error: {schema}/properties: `properties` must be a mapping, "
        "not a list",
    ]


def test_misshapen_targets_of_refs_to_other_files_are_named_in_their_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.yaml").write_text("Pet:\n  type: object\n  properties: [name]\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        HEAD + "components:\n  schemas:\n    Pet: {$ref: 'bad.yaml#/Pet'}\n"
    )
    assert problems_of(spec) == [
        f"{tmp_path / 'bad.yaml'}:3: error: #/Pet/properties: `properties` must be a "
        "mapping, not a list"
    ]


def test_integer_keys_are_the_strings_written() -> None:
    responses = load_spec(FIXTURES / "integer_keys.yaml").document["paths"]["/x"][
        "get"
    ]["responses"]
    assert list(responses) == ["200", "404", "0x1F"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "key_boolean",
            ":9: error: #/components/schemas/A/properties/true: key 'true' is read as a "
            "boolean, not a string: quote it",
        ),
        (
            "key_null",
            ":7: error: #/paths/~1x/get/responses/~0: key '~' is read as null, not a "
            "string: quote it",
        ),
        (
            "tag_binary",
            ":8: error: #/components/schemas/A/default: YAML tag '!!binary' has no JSON equivalent",
        ),
        (
            "float_nan",
            ":8: error: #/components/schemas/A/default: .nan is not a JSON number",
        ),
        (
            "alias_recursive",
            ":4: error: #/x-loop/0: a YAML alias stands for a node containing it: the document "
            "is infinite",
        ),
        (
            "openapi_number",
            ":1: error: #/openapi: the OpenAPI version must be a string such as '3.1.0', not "
            "float 3.1 (quote it)",
        ),
    ],
)
def test_what_json_cannot_hold_is_named_where_it_is(name: str, expected: str) -> None:
    spec = FIXTURES / "shapes" / f"{name}.yaml"
    assert problems_of(spec) == [f"{spec}{expected}"]


# --- 5. Carriage returns --------------------------------------------------------------------------


def test_carriage_returns_load() -> None:
    yaml_doc = load_spec(FIXTURES / "carriage_return.yaml").document
    assert (
        yaml_doc["info"]["title"] == "Raw CR"
    )  # YAML reads a raw CR as a line break, folded
    assert yaml_doc["info"]["description"] == "block\nraise SystemExit(2)\n"
    item = yaml_doc["components"]["schemas"]["Item"]
    assert item["description"] == "quoted raise SystemExit(3)"
    assert (
        item["properties"]["name"]["description"] == "escaped\rraise SystemExit(4)"
    )  # an escape is kept
    json_doc = load_spec(FIXTURES / "carriage_return.json").document
    assert json_doc["paths"]["/items"]["get"]["summary"] == "List\rraise SystemExit(3)"
