"""A spec's patterns cannot choose how long generation, or validation by the package, takes.

specgen matches patterns on a linear-time engine, and a pattern only Python's
backtracking `re` can run (look-around, back-references) is checked with `re`
in its own field alone, with a warning naming its pointer. Anything that would
hang runs in a subprocess with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.config import make_target
from generator.conformance.cases import CaseBuilder
from generator.conformance.ecma import (
    ecma_classes,
    ecma_pattern,
    matcher,
    stored_pattern,
)
from generator.conformance.patterns import check_patterns
from generator.models.codegen import confine_python_patterns
from generator.pipeline import build_api_for
from tests.conftest import REPO_ROOT
from tests.judgements import disagreements

EVIL = "a" * 30 + "!"
"""Takes `re` minutes against `^(a+)+$`, doubling with each `a`."""
ATTACK = f"""\
openapi: 3.1.0
info: {{title: attack, version: '1'}}
paths: {{}}
components:
  schemas:
    Thing:
      type: object
      properties:
        code: {{type: string, pattern: '^(a+)+$', examples: ['{EVIL}']}}
        ident: {{type: string, pattern: '^(?!admin)[a-z]+$'}}
        note: {{type: string, default: '{EVIL}'}}
        kind: {{type: string, enum: ['{EVIL}', plain]}}
"""
POINTER = "#/components/schemas/Thing/properties"
LONG = "a" * 30
HOSTILE = f"""\
openapi: 3.1.0
info: {{title: hostile, version: '1'}}
paths: {{}}
components:
  schemas:
    Thing:
      type: object
      required: [code, word]
      properties:
        code: {{type: string, pattern: '^(a+)+$', examples: ['{LONG}']}}
        word: {{type: string, pattern: '^((a+)+|.{{0,3}})$', examples: ['{LONG}']}}
        ident: {{type: string, pattern: '^(?!admin)[a-z]+$'}}
        guarded: {{type: string, pattern: '^(?=a)(a+)+$'}}
"""
"""Every short string matches `word`, so its stored pattern case is `LONG + "\\n"`:
minutes for `re`."""


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("attack")
    spec = root / "attack.yaml"
    spec.write_text(ATTACK, encoding="utf-8")
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    command += ["--package", "attack", "--output", str(root / "out")]
    try:
        result = subprocess.run(
            command,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            "generating a spec with `^(a+)+$` and `aaaa…!` did not finish in 60 s"
        )
    return root / "out", result


def test_generation_of_a_redos_spec_finishes_and_warns(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, result = generated
    assert result.returncode == 0, result.stderr[-2000:]
    warnings = result.stderr
    assert (
        f"{POINTER}/code/pattern: the spec's own example '{EVIL}' does not match"
        in warnings
    )
    backtracking = "pattern '^(?!admin)[a-z]+$' needs Python's backtracking"
    assert f"{POINTER}/ident/pattern: {backtracking}" in warnings
    assert "no maxLength bounds its input" in warnings


def test_the_generated_model_keeps_rust_and_confines_python_re_to_its_field(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    output, result = generated
    assert result.returncode == 0, result.stderr[-2000:]
    assert "regex_engine" not in (output / "attack" / "models.py").read_text(
        encoding="utf-8"
    )
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(output)!r})
        from pydantic import ValidationError
        from attack._base import RESPONSE_CONTEXT
        from attack.models import Thing

        def accepts(**fields):
            try:
                Thing.model_validate(fields, context=RESPONSE_CONTEXT)
            except ValidationError:
                return False
            return True

        assert Thing.model_config.get("regex_engine") is None, Thing.model_config
        started = time.perf_counter()
        assert not accepts(code={EVIL!r}), "the pattern is still enforced"
        print(f"{{time.perf_counter() - started:.6f}}", file=sys.stderr)
        assert accepts(code="aaaa")
        assert accepts(ident="bob") and not accepts(ident="admin")
        assert not accepts(ident="bob\\n"), "`$` is the very end, as in ECMA-262"
        print("ok")
        """
    )
    try:
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"validating {EVIL!r} against `^(a+)+$` did not finish in 20 s")
    assert run.returncode == 0 and run.stdout.split() == ["ok"], run.stderr[-2000:]


def test_python_re_patterns_are_warnings_that_say_what_bounds_their_input() -> None:
    def thing(**field: object) -> dict[str, object]:
        return {"components": {"schemas": {"Thing": {"properties": {"f": field}}}}}

    spec = Path("s")
    (bounded,) = check_patterns(
        thing(type="string", pattern="^(?=x)x+$", maxLength=8), spec
    )
    assert bounded.level.value == "warning"
    assert bounded.pointer == "/components/schemas/Thing/properties/f/pattern"
    assert "its maxLength 8 bounds the input" in bounded.message
    (unbounded,) = check_patterns(thing(type="string", pattern=r"^(\w)\1$"), spec)
    assert "no maxLength bounds its input" in unbounded.message
    assert "no validation case that needs to match it" in unbounded.message
    assert (
        check_patterns(thing(type="string", pattern="^(a+)+$", examples=["aaa"]), spec)
        == []
    )


def test_look_around_patterns_make_no_case_that_needs_them_and_others_still_do() -> (
    None
):
    definitions = {
        "Thing": {
            "type": "object",
            "properties": {
                "ident": {"type": "string", "pattern": "^(?!admin)[a-z]+$"},
                "code": {"type": "string", "pattern": "^[a-z]+$"},
            },
        }
    }
    builder = CaseBuilder(definitions, ["bob", "admin"])
    assert builder.reference.judge("Thing", {"ident": "bob"}) is None
    assert builder.reference.judge("Thing", {"ident": 1}) is False, (
        "no string: no pattern run"
    )
    assert builder.reference.judge("Thing", {"code": "bob"}) is True
    assert builder.reference.judge("Thing", {"code": "BOB"}) is False
    cases = builder.cases("Thing", is_request=False)
    assert not any("ident" in json.dumps(c.instance) for c in cases)
    assert {c.rule for c in cases if c.field == "code"} >= {"pattern", "type"}


@pytest.mark.parametrize(
    "pattern",
    ["^.$", "^\\s$", "^\\S$", "^[\\s]$", "^[^\\S]$", "^[\\Sa]$", "^\\d\\w$", "a\\b"],
)
def test_the_linear_engine_reads_patterns_as_a_model_field_on_re_does(
    pattern: str,
) -> None:
    """A field only `re` can check gets the spec's pattern with ECMA-262's classes
    spelled, all but the boundaries `re` cannot read (`models_pattern`)."""
    linear = matcher(pattern)
    assert linear is not None
    python = re.compile(ecma_pattern(ecma_classes(pattern, boundaries=False)), re.ASCII)
    texts = [
        "a",
        " ",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\xa0",
        "\u2028",
        "\ufeff",
        "\U0001f600",
        "\x85",
        "\x1c",
        "1a",
        "aé",
    ]
    for text in [*texts, "٣a"]:
        assert linear.search(text) is bool(python.search(text)), (pattern, text)


def test_judgements_agree_with_python_re_on_unicode_spaces_and_returns(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spaces.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Thing:\n      type: object\n      required: [a, b]\n      properties:\n"
        "        a: {type: string, pattern: '^.+$'}\n"
        "        b: {type: string, pattern: '^\\S+$'}\n"
        '        c: {type: string, enum: ["x\\ry", "x\\u00a0y", "x\\u2028y"]}\n',
        encoding="utf-8",
    )
    api = build_api_for(
        make_target(spec, "pkg", tmp_path / "unused", None, REPO_ROOT)
    ).api
    data = json.loads(api.validation_data)
    assert data["cases"] and disagreements(data) == []


def test_confining_rewrites_only_patterns_rust_refuses() -> None:
    source = textwrap.dedent(
        '''\
        """Models."""

        from __future__ import annotations

        from typing import Annotated

        from pydantic import BaseModel, ConfigDict, Field


        class Thing(BaseModel):
            model_config = ConfigDict(
                regex_engine="python-re",
            )
            re: Annotated[str | None, Field(pattern="^(?!admin)[a-z]+$")] = None
            code: Annotated[str | None, Field(pattern="^(a+)+$")] = None


        class Open(BaseModel):
            model_config = ConfigDict(extra="allow", regex_engine="python-re")
            ident: Annotated[str | None, Field(pattern="^(?=x)x$")] = None
        '''
    )
    confined = confine_python_patterns(source)
    assert "regex_engine" not in confined and 'ConfigDict(extra="allow")' in confined
    assert "import re as _re\nfrom typing import Annotated\n" in confined
    assert "Field(pattern=_re.compile('^(?!admin)[a-z]+\\\\Z', _re.ASCII))" in confined
    assert 'Field(pattern="^(a+)+$")' in confined
    namespace: dict[str, object] = {}
    exec(
        compile(confined, "models.py", "exec"), namespace
    )  # a field named `re` shadows nothing
    assert confine_python_patterns(confined) == confined
    assert confine_python_patterns('"""No patterns."""\n') == '"""No patterns."""\n'


@pytest.mark.slow
def test_the_generated_tests_of_a_redos_spec_pass_in_time(tmp_path: Path) -> None:
    """They match as specgen did, in linear time, and leave out what needs a look-around pattern."""
    spec = tmp_path / "hostile.yaml"
    spec.write_text(HOSTILE, encoding="utf-8")
    output = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    command += ["--package", "hostile", "--output", str(output)]
    made = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert made.returncode == 0, made.stderr[-2000:]
    data = json.loads(
        (output / "tests" / "validation_cases.json").read_text(encoding="utf-8")
    )
    assert data["patterns"]["^(a+)+$"] == {"linear": "^(a+)+$"}
    assert data["patterns"]["^(?!admin)[a-z]+$"] == {}, (
        "no linear-time engine: never run"
    )
    stored = {case["id"]: case for case in data["cases"]}
    assert stored["Thing-word-pattern"]["value"] == LONG + "\n", (
        "the case `re` would hang on is there"
    )
    pytest_command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rs",
    ]
    environment = {**os.environ, "PYTHONPATH": str(output)}
    try:
        run = subprocess.run(
            pytest_command,
            cwd=output,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            "the generated tests of a spec with `^(a+)+$` did not finish in 120 s"
        )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "passed" in run.stdout.splitlines()[-1]


def test_stored_patterns_say_which_engine_matches() -> None:
    assert stored_pattern("^.\\s\\b$") == {
        "linear": "^[^\\n][\\x09-\\x0d\\x20\\xa0\\u1680\\u2000-\\u200a\\u2028-\\u2029"
        "\\u202f\\u205f\\u3000\\ufeff](?-u:\\b)$"
    }
    for unmatched in ("^(?=x)x+$", "^[^]$", "^\\p{L}$"):
        assert stored_pattern(unmatched) == {}, "a judgement needing it is undecided"


def test_the_generated_test_extras_pin_the_jsonschema_rs_specgen_uses() -> None:
    pinned = re.search(
        r'"(jsonschema-rs==[^"]+)"',
        (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"),
    )
    assert pinned is not None
    template = (REPO_ROOT / "templates" / "pyproject.toml.jinja").read_text(
        encoding="utf-8"
    )
    extras = template.split("\ntest = [", 1)[1].split("\n]", 1)[0]
    assert f'"{pinned.group(1)}"' in extras
