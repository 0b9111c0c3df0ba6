"""Request bodies tell type checkers what they take: the model, its plain data typed by
`params.py`, or its fields as keywords.

A small spec is generated into a temporary folder, and `mypy --strict` checks two
user scripts against it: one writing bodies in each style the client takes (which
must pass, and then run, sending what it says), and one writing them wrong: a
wrong or missing key, a value of the wrong type, a missing required keyword, a
keyword no field has. mypy must reject each wrong line, naming the key when the
dict is typed; run, each is refused before anything is sent.
"""

from __future__ import annotations

import copy
import json
import os
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.config import make_target
from generator.pipeline import generate_target
from tests.conftest import REPO_ROOT
from tests.standalone import run_beside
from tests.test_typing_honesty import SPEC as HONEST_SPEC

pytestmark = pytest.mark.slow  # mypy --strict over a generated package

SPEC: dict[str, Any] = copy.deepcopy(HONEST_SPEC)
_PET = SPEC["components"]["schemas"]["Pet"]["properties"]
_PET["pet-code"] = {"type": "string"}  # no identifier: a functional TypedDict key
_PET["kind"] = {"type": "string", "enum": ["dog", "cat"]}
_PET["timeout"] = {"type": "integer"}  # a per-call option's name: `timeout_2`
_PET["ownerId"] = {"type": "string"}  # the path parameter's name: `owner_id_2`
_PET["coOwners"] = {  # `list` is invariant: taken as a `Sequence`
    "type": "array",
    "items": {"$ref": "#/components/schemas/Owner"},
}

PREAMBLE = """\
import asyncio
import json

import httpx

from honest import AsyncClient, Client, models
from honest.params import OwnerParam, PetParam

sent: list[object] = []


def answer(request: httpx.Request) -> httpx.Response:
    sent.append(json.loads(request.content))
    return httpx.Response(201, json={"name": "Rex"})


client = Client(
    base_url="https://honest.example.com",
    http_client=httpx.Client(transport=httpx.MockTransport(answer)),
)
"""

GOOD = (
    PREAMBLE
    + """
owner: OwnerParam = {"fullName": "Ann"}
pet: PetParam = {
    "name": "Rex",
    "owner": owner,
    "pet-code": "R1",
    "kind": "dog",
    "note": None,
    "ownerId": "o-9",
    "timeout": 3,
}
client.create_pet("o1", body=pet)
client.create_pet("o1", body={"name": "Rex", "owner": models.Owner(full_name="Ann")})
client.create_pet("o1", body=models.Pet(name="Rex", kind=models.Kind.CAT))
created: models.Pet = client.create_pet(
    "o1", name="Rex", owner={"fullName": "Ann"}, pet_code="R1", timeout_2=3, owner_id_2="o-9"
)
client.raw.create_pet("o1", name="Rex", kind=models.Kind.DOG, timeout=None)
co_owners: list[models.Owner] = [models.Owner(full_name="Ann")]
co_owner_data: list[OwnerParam] = [{"fullName": "Bo"}]
client.create_pet("o1", name="Rex", co_owners=co_owners)
client.create_pet("o1", body={"name": "Rex", "coOwners": co_owner_data})
client.create_pet(
    "o1", name="Rex", co_owners=(models.Owner(full_name="Ann"), {"fullName": "Bo"})
)


async def main() -> None:
    async with AsyncClient(
        base_url="https://honest.example.com",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)),
    ) as client:
        await client.create_pet("o1", name="Rex", note=None)
        await client.raw.create_pet("o1", body={"name": "Rex", "vet": None})


asyncio.run(main())
print(json.dumps(sent))
"""
)

SENT = [
    {
        "name": "Rex",
        "note": None,
        "owner": {"fullName": "Ann"},
        "pet-code": "R1",
        "kind": "dog",
        "timeout": 3,
        "ownerId": "o-9",
    },
    {"name": "Rex", "owner": {"fullName": "Ann"}},
    {"name": "Rex", "kind": "cat"},
    {
        "name": "Rex",
        "owner": {"fullName": "Ann"},
        "pet-code": "R1",
        "timeout": 3,
        "ownerId": "o-9",
    },
    {"name": "Rex", "kind": "dog"},
    {"name": "Rex", "coOwners": [{"fullName": "Ann"}]},
    {"name": "Rex", "coOwners": [{"fullName": "Bo"}]},
    {"name": "Rex", "coOwners": [{"fullName": "Ann"}, {"fullName": "Bo"}]},
    {"name": "Rex", "note": None},
    {"name": "Rex", "vet": None},
]
"""What the good script sends, call by call: the fields given, under their wire names."""

NO_VARIANT = 'No overload variant of "create_pet" of "Client" matches argument types'

BAD = {
    # A typed dict: mypy names the key.
    'wrong_key: PetParam = {"nmae": "Rex"}': 'Missing key "name" for TypedDict "PetParam"',
    'wrong_type: PetParam = {"name": 5}': (
        'Incompatible types (expression has type "int", TypedDict item "name" has'
        ' type "str")'
    ),
    'missing: PetParam = {"tag": "x"}': 'Missing key "name" for TypedDict "PetParam"',
    'python_name: OwnerParam = {"full_name": "Ann"}': (
        'Missing key "fullName" for TypedDict "OwnerParam"'
    ),
    'wrong_value: PetParam = {"name": "Rex", "kind": "cow"}': (
        "Incompatible types (expression has type \"Literal['cow']\", TypedDict item"
        " \"kind\" has type \"Kind | Literal['dog', 'cat']\")"
    ),
    # In a call: no overload of the method takes it.
    'client.create_pet("o1", body={"nmae": "Rex"})': NO_VARIANT,
    'client.create_pet("o1", body={"name": 5})': NO_VARIANT,
    'client.create_pet("o1", body={"tag": "x"})': NO_VARIANT,
    'client.create_pet("o1", body={"name": "Rex", "owner": {"full_name": "A"}})': (
        NO_VARIANT
    ),
    'client.create_pet("o1", tag="x")': NO_VARIANT,
    'client.create_pet("o1", name=5)': NO_VARIANT,
    'client.create_pet("o1", name="Rex", nmae=1)': (
        'Unexpected keyword argument "nmae" for overloaded function "create_pet"'
        ' of "Client"'
    ),
    'client.create_pet("o1", body={"name": "Rex"}, name="Rex")': NO_VARIANT,
    'client.create_pet("o1", name="Rex", timeout=3)': NO_VARIANT,
    'client.create_pet("o1", name="Rex", co_owners="Ann")': (
        'Argument "co_owners" to "create_pet" of "Client" has incompatible type "str"'
    ),
}
"""Each line of the bad script, and the start of the first error mypy gives for it."""

REFUSED = {
    'client.create_pet("o1", body={"nmae": "Rex"})': "nmae",
    'client.create_pet("o1", body={"name": 5})': "name: ",
    'client.create_pet("o1", body={"tag": "x"})': "name: Field required",
    'client.create_pet("o1", body={"name": "Rex", "kind": "cow"})': "kind: ",
    'client.create_pet("o1", tag="x")': "name: Field required",
    'client.create_pet("o1", name=5)': "name: ",
    'client.create_pet("o1", name="Rex", nmae=1)': "TypeError: ",
    'client.create_pet("o1", body={"name": "Rex"}, name="Rex")': "is given twice",
    'client.create_pet("o1", name="Rex", co_owners="Ann")': "coOwners: ",
}
"""Wrong calls as they run: each refused before sending, by what the message says.

(A nested key spelled as the model's attribute, `full_name`, is no error at run time:
models take their attribute names too. The TypedDicts take the wire names only.)"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the generated package `honest` and the two user scripts."""
    root = tmp_path_factory.mktemp("bodies")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    generate_target(make_target(spec, "honest", root / "out", None, REPO_ROOT))
    out = root / "out"
    (out / "good.py").write_text(GOOD, encoding="utf-8")
    bad = PREAMBLE + "".join(f"{line}\n" for line in BAD)
    (out / "bad.py").write_text(bad, encoding="utf-8")
    return out


run = run_beside


@pytest.fixture(scope="module")
def mypy_errors(project: Path) -> dict[str, dict[int, str]]:
    """mypy --strict's first error on each line of both scripts (one run), by file."""
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
        "good.py",
        "bad.py",
    )
    errors: dict[str, dict[int, str]] = {"good.py": {}, "bad.py": {}}
    pattern = re.compile(r"^(good\.py|bad\.py):(\d+): error: (.*?)(?:  \[[\w-]+\])?$")
    for line in result.stdout.splitlines():
        match = pattern.match(line)
        if match:
            errors[match[1]].setdefault(int(match[2]), match[3])
        elif ": error:" in line:
            pytest.fail(f"mypy error outside the scripts: {line}")
    return errors


def test_each_body_style_passes_mypy_strict(
    mypy_errors: dict[str, dict[int, str]],
) -> None:
    assert mypy_errors["good.py"] == {}


def test_each_body_style_sends_the_fields_given_under_their_wire_names(
    project: Path,
) -> None:
    result = run(project, "-W", "error", "good.py")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == SENT


def test_a_wrong_body_fails_mypy_strict_on_its_line(
    mypy_errors: dict[str, dict[int, str]],
) -> None:
    first_line = PREAMBLE.count("\n") + 1
    found = {
        line: mypy_errors["bad.py"].get(number, "")
        for number, line in enumerate(BAD, start=first_line)
    }
    wrong = {
        line: said for line, said in found.items() if not said.startswith(BAD[line])
    }
    assert not wrong, wrong
    assert len(mypy_errors["bad.py"]) == len(BAD)


def test_what_mypy_rejects_is_refused_before_sending(project: Path) -> None:
    script = PREAMBLE + textwrap.dedent(
        """
        import sys
        from honest import RequestValidationError

        for line in json.loads(sys.argv[1]):
            try:
                exec(line)
            except RequestValidationError as error:
                print(json.dumps(str(error)))
            except TypeError as error:
                print(json.dumps(f"TypeError: {error}"))
            else:
                print(json.dumps("accepted"))
        assert sent == [], sent
        """
    )
    lines = list(REFUSED)
    result = run(project, "-c", script, json.dumps(lines))
    assert result.returncode == 0, result.stderr[-2000:]
    said = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(said) == len(lines)
    for line, message in zip(lines, said, strict=True):
        assert REFUSED[line] in message, (line, message)


def test_params_is_typed_dicts_keyed_by_wire_names(project: Path) -> None:
    """A key no identifier can be is written the functional way; optional keys are
    `NotRequired` at run time too, and importing the module loads no model."""
    source = (project / "honest" / "params.py").read_text(encoding="utf-8")
    assert 'PetParam = TypedDict(\n    "PetParam",' in source
    assert "class OwnerParam(TypedDict):" in source
    code = (
        "import sys, json; from honest import params;"
        "print(json.dumps([sorted(params.PetParam.__required_keys__),"
        " 'honest.models' in sys.modules]))"
    )
    result = run(project, "-c", code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == [["name"], False]
