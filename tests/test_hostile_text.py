"""Spec text that attacks what it lands in (tests/fixtures/hostile_text/): Markdown that would
become code the generated tests run, control characters in every piece of text, identifiers
Python reads as one name, package names that shadow modules, colliding security schemes."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.config import ConfigError, make_target
from generator.naming import (
    ClassName,
    NameRegistry,
    PythonIdentifier,
    nfkc_field_aliases,
)
from generator.pipeline import generate_target
from generator.rendering.templates import (
    comment_text,
    docstring_text,
    markdown_code,
    markdown_inline,
    markdown_text,
    python_string,
    toml_text,
)
from tests.conftest import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "hostile_text"
NASTY = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\r", "\r\n",
    "\u2028", "\u2029", "\ud800", "\udfff", "\u202e", "\u2066", '"""', "\\", "'''",
]  # fmt: skip
"""Characters that end or break a line, a literal, a file's encoding, or how text reads."""


def generate(tmp_path: Path, spec: str, package: str) -> Path:
    out = tmp_path / package
    generate_target(make_target(FIXTURES / spec, package, out, None, REPO_ROOT))
    return out


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def unsafe(text: str) -> set[str]:
    """The characters of `text` no generated file may hold raw."""
    return {
        c
        for c in text
        if c != "\n" and unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
    }


# --- the filters, alone ----------------------------------------------------------------------
@pytest.mark.parametrize("char", NASTY, ids=ascii)
def test_docstring_comment_and_string_filters_survive_every_character(
    char: str,
) -> None:
    text = f"before {char} after"
    source = (
        f'"""{docstring_text(text)}"""\n# {comment_text(text)}\n'
        f"value = {python_string(text)}\n"
    )
    assert not unsafe(source) and "\u202e" not in source and "\u2066" not in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "<filters>", "exec"), namespace)
    assert namespace["value"] == text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert namespace["__doc__"] == "\n".join(line.rstrip() for line in lines), (
        "the text, escaped"
    )
    assert len(source.splitlines()) == 2 + len(lines), (
        "no line break but the text's own"
    )


def test_docstring_text_escapes_exactly_the_unsafe_characters_of_all_unicode() -> None:
    """The filters find unsafe characters with one character class: it must be the
    categories no generated file may hold raw, plus the bidi controls, exactly."""
    bidi = set(
        "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    rewritten = {"\\", '"', "\r", "\n"}  # escaped or turned into a line break
    every = [chr(code) for code in range(0x110000) if chr(code) not in rewritten]
    escaped = {c for c in every if docstring_text(f"a{c}b") != f"a{c}b"}
    assert escaped == {c for c in every if c in bidi or unsafe(c)}


@pytest.mark.parametrize("char", NASTY, ids=ascii)
def test_toml_and_markdown_filters_survive_every_character(char: str) -> None:
    text = f"before {char} after"
    parsed = tomllib.loads(f"value = {toml_text(text)}\n")["value"]
    assert parsed == (
        text.replace(char, "\ufffd") if "\ud800" <= char <= "\udfff" else text
    )
    for rendered in (
        toml_text(text),
        markdown_text(text),
        markdown_inline(text),
        markdown_code(text),
    ):
        assert not unsafe(rendered) and "\u202e" not in rendered


@pytest.mark.parametrize(
    "text",
    [
        "```python\nopen('x', 'w')\n```",
        "~~~python\nx\n~~~",
        "    indented code",
        "<script>alert(1)</script>",
        "<!-- comment -->",
        "# heading\n## heading",
        "> quote",
        "- item\n+ item\n* item",
        "1. item\n2) item",
        "| a | b |\n|---|---|",
        "title\n===\n---",
        "[x]: javascript:alert(1)",
        "&#96;&#96;&#96;",
    ],
)
def test_markdown_text_opens_no_block(text: str) -> None:
    for line in markdown_text(text).splitlines():
        assert not re.match(
            r" {0,3}(`{3}|~{3}|<|#|>|[-+*] |\d+[.)]( |$)|\||=+$|-+$|\[)", line
        ), line
        assert not re.search(r"(?<!\\)[`<|&]", line), line


def test_markdown_code_span_holds_any_backticks() -> None:
    assert markdown_code("GET /a") == "`GET /a`"
    assert markdown_code("a ``b` c") == "``` a ``b` c ```"
    assert markdown_code("x|y", table=True) == "`x\\|y`"
    assert markdown_code("") == "` `"


# --- 1. the README: spec text is shown, never run ---------------------------------------------
@pytest.mark.slow
def test_readme_runs_no_code_from_the_spec(tmp_path: Path) -> None:
    out = generate(tmp_path, "readme.yaml", "pwn")
    readme = (out / "README.md").read_text(encoding="utf-8")
    fences = [
        line for line in readme.splitlines() if re.match(r" {0,3}(```|~~~)", line)
    ]
    assert fences == ["```sh", "```", *["```python", "```"] * 6], "a fence not of ours"
    blocks = re.findall(r"^```python\n(.*?)^```$", readme, flags=re.S | re.M)
    assert not any("PWNED" in block for block in blocks)
    for raw in ("<script", "<img", "<!-- an HTML", "<b>", "```python\nopen"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), readme), (
            f"{raw!r} reached the README"
        )
    headings = [line for line in readme.splitlines() if line.startswith("#")]
    assert "# A heading" not in headings and not any(
        h.startswith("# A") for h in headings
    )
    table = [line for line in readme.splitlines() if line.startswith("| `get_item`")]
    assert len(table) == 1 and len(re.findall(r"(?<!\\)\|", table[0])) == 4, (
        "a pipe split a cell"
    )
    suite = run(out, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    created = sorted(p.name for p in tmp_path.rglob("PWNED*"))
    assert not created, f"the spec's code ran: {created}"
    readme_tests = run(
        out, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_readme.py"
    )
    assert readme_tests.returncode == 0, (
        readme_tests.stdout[-3000:] + suite.stdout[-1000:]
    )
    assert "7 passed" in readme_tests.stdout, (
        "one test that the README shows them, one per example"
    )


# --- 3. control characters wherever they land --------------------------------------------------
def test_control_characters_everywhere_give_a_package_that_compiles_and_imports(
    tmp_path: Path,
) -> None:
    out = generate(tmp_path, "controls.yaml", "controls")
    for path in sorted(out.rglob("*.py")):
        compile(path.read_bytes(), str(path), "exec")
    tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    for path in sorted(out.rglob("*")):
        if path.suffix in (".py", ".md", ".toml") and path.name != "models.py":
            # models.py is datamodel-code-generator's: it compiles (above), though it keeps
            # U+2028 and DEL raw in its docstrings
            text = path.read_text(encoding="utf-8")
            assert not unsafe(text), (
                path.relative_to(out),
                sorted(map(ascii, unsafe(text))),
            )
    modules = "import controls, controls.models, controls.client, controls.async_client"
    imported = run(
        out, "-W", "error", "-c", f"{modules}, controls.auth; print(controls.__doc__)"
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
    assert "Title\x00nul" in imported.stdout, (
        "the docstring keeps the spec's text, escaped"
    )


# --- 2. identifiers Python reads as one --------------------------------------------------------
def test_names_compare_as_python_reads_them() -> None:
    registry = NameRegistry()
    names = [
        registry.claim(PythonIdentifier(raw)) for raw in ("ﬁeld", "field", "ｆｉｅｌｄ")
    ]
    assert names == ["field", "field_2", "field_3"]
    assert NameRegistry({"ﬁeld"}).claim("field") == "field_2"
    assert (
        PythonIdentifier("ｃｌａｓｓ") == "class_"
        and ClassName("Ｎｏｎｅ") == "NoneModel"
    )
    folded = NameRegistry(ignore_case=True)
    assert [folded.claim(ClassName(n)) for n in ("ApiKeyAuth", "APIKeyAuth")] == [
        "ApiKeyAuth",
        "APIKeyAuth2",
    ]


def test_nfkc_field_aliases_keep_every_property_apart() -> None:
    nested = {"example": {"ﬁx": 1}, "properties": {"ﬁeld_x": {}}}  # data, then a schema
    document = {"components": {"schemas": {"Thing": {"properties": {
        "ﬁeld": {}, "field": {}, "ｆｉｅｌｄ": {}, "ｍｏｄｅｌ_dump": {}, "example": nested,
    }}}}}  # fmt: skip
    assert nfkc_field_aliases(document) == {
        "ﬁeld": "field_2",
        "ｆｉｅｌｄ": "field_3",
        "ｍｏｄｅｌ_dump": "field_model_dump",
        "ﬁeld_x": "field_x",
    }
    assert (
        nfkc_field_aliases(
            {"components": {"schemas": {"A": {"properties": {"a": {}}}}}}
        )
        == {}
    )


def test_nfkc_properties_are_three_fields_with_datamodel_code_generator_aliases() -> (
    None
):
    """What `generate_models` gives once it passes `nfkc_field_aliases` as `aliases`."""
    from datamodel_code_generator import DataModelType, InputFileType, generate

    document = yaml.safe_load((FIXTURES / "nfkc.yaml").read_text(encoding="utf-8"))
    options: dict[str, Any] = {"snake_case_field": True, "formatters": []}
    source = generate(
        document,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        aliases=nfkc_field_aliases(document),
        **options,
    )
    assert isinstance(source, str)
    namespace: dict[str, Any] = {}
    exec(compile(source, "models.py", "exec"), namespace)
    thing = namespace["Thing"]
    assert list(thing.model_fields) == ["field_2", "field", "field_3"]
    parsed = thing.model_validate({"ﬁeld": "a", "field": 1, "ｆｉｅｌｄ": True})
    assert parsed.model_dump(by_alias=True) == {
        "ﬁeld": "a",
        "field": 1,
        "ｆｉｅｌｄ": True,
    }


def test_generated_models_keep_nfkc_properties_apart(tmp_path: Path) -> None:
    out = generate(tmp_path, "nfkc.yaml", "nfkc")
    script = (
        "from nfkc import models\n"
        "t = models.Thing.model_validate({'ﬁeld': 'a', 'field': 1, 'ｆｉｅｌｄ': True})\n"
        "print(sorted(t.model_dump(by_alias=True).items()))\n"
    )
    result = run(out, "-W", "error", "-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        result.stdout.strip() == "[('field', 1), ('ﬁeld', 'a'), ('ｆｉｅｌｄ', True)]"
    )


# --- 4. package names that shadow a module -----------------------------------------------------
@pytest.mark.parametrize(
    "package",
    [
        "os",
        "logging",
        "enum",
        "time",
        "json",
        "typing",
        "httpx",
        "pydantic",
        "tests",
        "conftest",
    ],
)
def test_package_names_that_shadow_a_module_are_refused(
    package: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=f"package name '{package}' would shadow"):
        make_target(
            FIXTURES / "schemes.yaml", package, tmp_path / "out", None, REPO_ROOT
        )
    spec = str(FIXTURES / "schemes.yaml")
    args = [
        "generate",
        "--spec",
        spec,
        "--package",
        package,
        "--output",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, (
        result.output
    )
    assert not (tmp_path / "out").exists()


# --- 5. security schemes -----------------------------------------------------------------------
@pytest.mark.slow
def test_schemes_differing_in_case_get_their_own_class_and_variable(
    tmp_path: Path,
) -> None:
    out = generate(tmp_path, "schemes.yaml", "schemes")
    auth = ast.parse((out / "schemes" / "auth.py").read_text(encoding="utf-8"))
    classes = [node.name for node in auth.body if isinstance(node, ast.ClassDef)]
    assert len({name.casefold() for name in classes}) == 3, classes
    script = (
        "from schemes.auth import ENVIRONMENT_VARIABLES as variables\n"
        "assert len({v.upper() for v in variables}) == 3, variables\n"
        "for name, make in variables.items():\n"
        "    headers, params = {}, {}\n"
        "    make('s').apply(headers, params)\n"
        "    print(name, make.__name__, sorted(headers.items()), sorted(params.items()))\n"
    )
    result = run(out, "-W", "error", "-c", script)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "SCHEMES_API_KEY_AUTH ApiKeyAuth [('X-Api-Key', 's')] []",
        "SCHEMES_API_KEY_AUTH2 APIKeyAuth2 [] [('api_key', 's')]",
        "SCHEMES_APIKEY_AUTH3 ApikeyAuth3 [('Cookie', 'session=s')] []",
    ]
    mypy = run(out, "-m", "mypy", "--strict", "--no-incremental", "schemes", "tests")
    assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_api_key_in_path_is_a_spec_error(tmp_path: Path) -> None:
    spec = str(FIXTURES / "scheme_in_path.yaml")
    args = [
        "generate",
        "--spec",
        spec,
        "--package",
        "path_key",
        "--output",
        str(tmp_path / "o"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert (
        "error: #/components/securitySchemes/PathKey/in: an apiKey goes in the header"
        in line
    )
    assert not (tmp_path / "o").exists()
