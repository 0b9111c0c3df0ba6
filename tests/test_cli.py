"""The command line: generation, one-line errors with exit code 2, and no half-written output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "mini" / "openapi.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_one_off_generation_writes_a_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(FIXTURE),
            "--package",
            "mini_pets",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert set(snapshot(out)) >= {
        "pyproject.toml",
        "README.md",
        "mini_pets/__init__.py",
        "mini_pets/models.py",
        "mini_pets/client.py",
        "mini_pets/async_client.py",
        "mini_pets/py.typed",
        "tests/test_client.py",
    }
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], (
        "staging folders left behind"
    )


def test_bad_spec_is_one_line_exit_2_and_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      responses:\n        '200': {$ref: '#/nowhere'}\n"
    )
    result = run("generate", "--spec", str(bad), "--package", "p", "--output", str(out))
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"specgen: {bad}:7: error: #/paths/~1x/get/responses/200/$ref: "
        "$ref '#/nowhere' resolves nowhere\n"
    )
    assert snapshot(out) == {"keep.txt": b"previous output"}


def test_debug_shows_a_traceback(tmp_path: Path) -> None:
    result = run(
        "generate",
        "--spec",
        str(tmp_path / "missing.yaml"),
        "--package",
        "p",
        "--output",
        str(tmp_path / "o"),
        "--debug",
    )
    assert (
        result.returncode == 2
        and "Traceback" in result.stderr
        and "file does not exist" in result.stderr
    )


def test_incomplete_one_off_options_and_bad_package_names(tmp_path: Path) -> None:
    result = run("generate", "--spec", str(FIXTURE))
    assert (result.returncode, result.stderr) == (
        2,
        "specgen: --spec, --package and --output go together\n",
    )
    result = run(
        "generate",
        "--spec",
        str(FIXTURE),
        "--package",
        "class",
        "--output",
        str(tmp_path),
    )
    assert result.returncode == 2 and "not a valid Python identifier" in result.stderr


def test_targets_come_from_pyproject(tmp_path: Path) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text(
        f'[[tool.specgen.targets]]\nspec = "{FIXTURE.as_posix()}"\n'
        'package = "mini_pets"\noutput = "gen/mini"\n'
    )
    result = CliRunner().invoke(main, ["generate", "--config", str(project)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gen" / "mini" / "mini_pets" / "client.py").is_file()
    project.write_text("[tool.specgen]\n")
    result = run("generate", "--config", str(project))
    assert (
        result.returncode == 2 and "needs a non-empty `targets` list" in result.stderr
    )


def test_an_internal_error_is_one_line_with_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in specgen says so on one line, exit 3, and shows its traceback only with --debug."""
    import generator.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something\ninside broke")

    monkeypatch.setattr(generator.pipeline, "generate_target", broken)
    spec = Path(__file__).parent / "fixtures" / "mini" / "openapi.yaml"
    args = [
        "generate",
        "--spec",
        str(spec),
        "--package",
        "mini",
        "--output",
        str(tmp_path / "o"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "specgen: internal error (a bug in specgen, not in your spec): RuntimeError: "
        "something inside broke; rerun with --debug for the traceback"
    ]
    debug = CliRunner().invoke(main, [*args, "--debug"])
    assert debug.exit_code == 3 and "Traceback (most recent call last)" in debug.stderr


def test_allow_refs_from_widens_where_refs_may_read(tmp_path: Path) -> None:
    """A `$ref` out of the spec's folder is refused, unless the user names that folder."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "api").mkdir()
    for name in ("openapi.yaml", "shared.yaml"):
        (tmp_path / ("api" if name == "openapi.yaml" else "shared") / name).write_text(
            (FIXTURE.parent / name)
            .read_text()
            .replace("shared.yaml#", "../shared/shared.yaml#")
        )
    spec = tmp_path / "api" / "openapi.yaml"
    args = [
        "generate",
        "--spec",
        str(spec),
        "--package",
        "mini_pets",
        "--output",
        str(tmp_path / "out"),
    ]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "pass --allow-refs-from DIR" in refused.stderr
    assert not (tmp_path / "out").exists()
    allowed = CliRunner().invoke(
        main, [*args, "--allow-refs-from", str(tmp_path / "shared")]
    )
    assert allowed.exit_code == 0, allowed.output


def test_what_the_model_builder_warns_of_reaches_the_user(tmp_path: Path) -> None:
    """An example its schema refuses is a warning naming its pointer, not silence."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Pet:\n      type: object\n"
        "      required: [name]\n      properties: {name: {type: string}}\n"
        "      example: {age: 3}\n",
        encoding="utf-8",
    )
    result = run(
        "generate",
        "--spec",
        str(spec),
        "--package",
        "pets",
        "--output",
        str(tmp_path / "o"),
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"{spec}:10: warning: #/components/schemas/Pet/example:"
        " example does not match its schema"
    ) in result.stderr


def test_a_builder_warning_names_a_renamed_component_as_the_spec_does(
    tmp_path: Path,
) -> None:
    """`pet_record` is the class `PetRecord`; the warning points into the spec's text."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    pet_record:\n      type: object\n"
        "      required: [name]\n      properties: {name: {type: string}}\n"
        "      example: {age: 3}\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    result = run(
        "generate", "--spec", str(spec), "--package", "p", "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert f"{spec}:10: warning: #/components/schemas/pet_record/example:" in (
        result.stderr
    )


def test_a_warning_in_a_hoisted_schema_points_where_the_spec_writes_it(
    tmp_path: Path,
) -> None:
    """The inline body is the class `AddPetBody`, a component the spec does not
    have: the warning names the place the spec writes the schema at, and its line."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n"
        "    post:\n      operationId: addPet\n      requestBody:\n        content:\n"
        "          application/json:\n            schema:\n              type: object\n"
        "              required: [name]\n"
        "              properties: {name: {type: string}}\n"
        "              example: {age: 3}\n"
        "      responses: {'204': {description: done}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    result = run(
        "generate", "--spec", str(spec), "--package", "p", "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    pointer = "#/paths/~1pets/post/requestBody/content/application~1json/schema"
    assert f"{spec}:14: warning: {pointer}/example: example does not match" in (
        result.stderr
    )
