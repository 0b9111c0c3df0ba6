"""Optional fields tell type checkers the truth: "may be left out" is not "may be null".

A small spec is generated into a temporary folder, and `mypy --strict` checks two
user scripts against it: one doing what the spec allows (which must pass) and one
passing or assigning `None` where the spec forbids null, or using a field that may
be left out as if it were there (each of which must be an error naming the
argument or attribute). The same scripts then run: what mypy rejects, pydantic
rejects too, at the field.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest

from generator.config import make_target
from generator.pipeline import generate_target
from tests.conftest import REPO_ROOT
from tests.standalone import run_beside

pytestmark = pytest.mark.slow  # mypy --strict over a generated package, twice

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Honest", "version": "1.0.0"},
    "servers": [{"url": "https://honest.example.com"}],
    "paths": {
        "/owners/{ownerId}/pets": {
            "post": {
                "operationId": "createPet",
                "parameters": [
                    {
                        "name": "ownerId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Pet"}
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Pet"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Owner": {
                "type": "object",
                "required": ["fullName"],
                "properties": {"fullName": {"type": "string"}},
            },
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "tag": {"type": "string"},
                    "nickName": {"type": "string"},
                    "note": {"type": ["string", "null"]},
                    "gone": {"type": "null", "description": "Absent or null."},
                    "limit": {"type": "integer", "default": 20},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                    "vet": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Owner"},
                            {"type": "null"},
                        ]
                    },
                    "anything": {},
                },
            },
        }
    },
}

GOOD = """\
from pydantic import MISSING

from honest.models import Owner, Pet


def describe(pet: Pet) -> str:
    tag = pet.tag.upper() if pet.tag is not MISSING else "-"
    owner = pet.owner.full_name if pet.owner is not MISSING else "-"
    note: str | None = pet.note if pet.note is not MISSING else None
    limit: int = pet.limit
    return f"{pet.name} {tag} {owner} {note} {limit}"


pet = Pet(name="Rex", note=None, gone=None, vet=None, anything=None)
pet.note = None
pet.vet = Owner(full_name="Ann")
pet.tag = MISSING
left_out = Pet(name="Max")
assert describe(left_out) == "Max - - None 20"
ann = Owner(full_name="A")
assert describe(Pet(name="Rex", tag="t", owner=ann)) == "Rex T A None 20"
assert Pet.model_validate(pet.model_dump()) == pet
assert Pet.model_validate_json(left_out.model_dump_json()) == left_out
assert left_out.model_dump() == {"name": "Max", "limit": 20}
print("ok")
"""

BAD = {
    'Pet(name="Rex", tag=None)': (
        'Argument "tag" to "Pet" has incompatible type "None"; expected "str | MISSING"'
    ),
    'Pet(name="Rex", nick_name=None)': (
        'Argument "nick_name" to "Pet" has incompatible type "None";'
        ' expected "str | MISSING"'
    ),
    'Pet(name="Rex", owner=None)': (
        'Argument "owner" to "Pet" has incompatible type "None";'
        ' expected "Owner | MISSING"'
    ),
    'Pet(name="Rex", limit=None)': (
        'Argument "limit" to "Pet" has incompatible type "None"; expected "int"'
    ),
    'Pet(name="Rex").tag = None': (
        'Incompatible types in assignment (expression has type "None",'
        ' variable has type "str | MISSING")'
    ),
    'Pet(name="Rex").tag.upper()': (
        'Item "sentinel" of "str | MISSING" has no attribute "upper"'
    ),
    'Pet(name="Rex").owner.full_name': (
        'Item "sentinel" of "Owner | MISSING" has no attribute "full_name"'
    ),
}
"""Each line of the bad script, and the error mypy must give for it."""

RUNTIME_LOCATIONS = {
    'Pet(name="Rex", tag=None)': ("tag",),
    'Pet(name="Rex", nick_name=None)': ("nick_name",),
    'Pet(name="Rex", owner=None)': ("owner",),
    'Pet(name="Rex", limit=None)': ("limit",),
    'Pet(name="Rex").tag = None': ("tag",),
}
"""The bad lines pydantic rejects when they run, and the `loc` of its error."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the generated package `honest` and the two user scripts."""
    root = tmp_path_factory.mktemp("honest")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    generate_target(make_target(spec, "honest", root / "out", None, REPO_ROOT))
    out = root / "out"
    (out / "good.py").write_text(GOOD, encoding="utf-8")
    bad = "from honest.models import Pet\n\n" + "".join(f"{line}\n" for line in BAD)
    (out / "bad.py").write_text(bad, encoding="utf-8")
    return out


run = run_beside


@pytest.fixture(scope="module")
def mypy_errors(project: Path) -> dict[str, list[tuple[int, str]]]:
    """mypy --strict's errors on both scripts (one run), by file: (line, message)."""
    result = run(
        project,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        os.devnull,
        "--cache-dir",
        str(project / ".mypy_cache"),
        "--hide-error-context",
        "--no-pretty",
        "--show-error-codes",
        "good.py",
        "bad.py",
    )
    assert "error: " in result.stdout or result.returncode == 0, result.stdout
    errors: dict[str, list[tuple[int, str]]] = {"good.py": [], "bad.py": []}
    pattern = re.compile(r"^(good\.py|bad\.py):(\d+): error: (.*?)(?:  \[[\w-]+\])?$")
    for line in result.stdout.splitlines():
        match = pattern.match(line)
        if match:
            errors[match[1]].append((int(match[2]), match[3]))
        elif ": error:" in line:
            pytest.fail(f"mypy error outside the scripts: {line}")
    return errors


def test_what_the_spec_allows_passes_mypy_strict(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    assert mypy_errors["good.py"] == []


def test_null_where_the_spec_forbids_it_fails_mypy_strict_naming_the_argument(
    mypy_errors: dict[str, list[tuple[int, str]]],
) -> None:
    first_line = 3  # after the import and a blank line
    expected = [
        (number, message)
        for number, message in enumerate(BAD.values(), start=first_line)
    ]
    assert mypy_errors["bad.py"] == expected


def test_what_mypy_allows_runs(project: Path) -> None:
    result = run(project, "-W", "error", "good.py")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "ok\n"


def test_what_mypy_rejects_pydantic_rejects_at_the_field(project: Path) -> None:
    script = textwrap.dedent(
        """\
        import json, sys
        from pydantic import ValidationError
        from honest.models import Pet
        for line in json.loads(sys.argv[1]):
            try:
                exec(line)
            except ValidationError as error:
                print(json.dumps([list(e["loc"]) for e in error.errors()]))
            else:
                print("accepted")
        """
    )
    lines = list(RUNTIME_LOCATIONS)
    result = run(project, "-c", script, json.dumps(lines))
    assert result.returncode == 0, result.stderr[-2000:]
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        [list(loc)] for loc in RUNTIME_LOCATIONS.values()
    ]


def test_a_field_the_spec_makes_null_only_is_typed_none(project: Path) -> None:
    """`type: "null"` may be left out or null, nothing else; `{}` may be anything.

    Not `Annotated[None, Field(None)]`, which said neither."""
    models = (project / "honest" / "models.py").read_text(encoding="utf-8")
    assert "    gone: None | MISSING = MISSING\n" in models
    assert "    anything: Any | MISSING = MISSING\n" in models
    assert "Annotated[None" not in models
