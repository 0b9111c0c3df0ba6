"""specgen as users install it: templates are package data, and generated distributions are valid.

The slow test builds the sdist and the wheel, installs the wheel (not
editable) into a fresh virtual environment, and regenerates both curated
packages with it: they must equal `generated/` byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.config import load_targets
from generator.intermediate.versions import package_version, version_warning
from generator.rendering import defaults
from generator.rendering.catalog import all_templates
from generator.rendering.templates import comment_text
from tests.conftest import REPO_ROOT

MINI_SPEC = REPO_ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml"


def spec_folder(tmp_path: Path) -> Path:
    """A copy of the mini spec's folder (it has a second file its `$ref`s point into)."""
    for path in MINI_SPEC.parent.iterdir():
        shutil.copy2(path, tmp_path / path.name)
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_missing_default_templates_stop_generation_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "DEFAULTS_PACKAGE", "generator.no_such_templates")
    defaults.default_templates.cache_clear()
    try:
        out = tmp_path / "out"
        result = CliRunner().invoke(
            main,
            [
                "generate",
                "--spec",
                str(MINI_SPEC),
                "--package",
                "mini",
                "--output",
                str(out),
            ],
        )
        listing = CliRunner().invoke(main, ["templates", "list"])
    finally:
        defaults.default_templates.cache_clear()
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "specgen: specgen's default templates are missing from its installation "
        "(package generator.no_such_templates); reinstall specgen"
    ]
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert listing.exit_code == 2 and "default templates are missing" in listing.stderr


def test_incomplete_default_templates_are_missing_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder without the package's templates is not silently used (no fallback to
    datamodel-code-generator's)."""
    (tmp_path / "models").mkdir()
    monkeypatch.setattr(defaults.resources, "files", lambda package: tmp_path)
    defaults.default_templates.cache_clear()
    try:
        with pytest.raises(defaults.TemplatesMissingError):
            defaults.default_templates()
    finally:
        defaults.default_templates.cache_clear()


HOSTILE_TEXTS = [
    'Pets 🚀 "quoted" \\ back\\slash',
    "line one\nline two\r\nthird\rbare return",
    "tab\tand control \x01\x1f\x7f characters",
    "'''\"\"\" triple quotes and [brackets] = {braces}",
    "lone surrogate \ud83d here",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_generated_pyproject_is_valid_toml_for_hostile_titles(
    tmp_path: Path, text: str
) -> None:
    spec = yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))
    spec["info"]["title"] = text
    spec["info"]["description"] = text
    (spec_folder(tmp_path) / "openapi.json").write_text(
        json.dumps(spec), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.json"),
            "--package",
            "mini",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    project = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    expected = comment_text(text.replace("\ud83d", "\ufffd"))  # a summary: one line
    assert project["description"] == f"Typed Python client for {expected}"
    assert "\n" not in project["description"] and "\x01" not in project["description"]
    assert project["dependencies"][:2] == ["httpx>=0.27,<1", "pydantic>=2.14,<3"]


def test_model_dependencies_are_written_as_toml_strings(tmp_path: Path) -> None:
    spec = yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))
    first = next(iter(spec["components"]["schemas"].values()))
    first.setdefault("properties", {})["contact"] = {
        "type": "string",
        "format": "email",
    }
    (spec_folder(tmp_path) / "openapi.yaml").write_text(
        yaml.safe_dump(spec), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.yaml"),
            "--package",
            "mini",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "email-validator>=2"
        in tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))[
            "project"
        ]["dependencies"]
    )


@pytest.mark.parametrize(
    ("info_version", "expected"),
    [
        ("1.0.4", "1.0.4"),
        ("v2", "2"),
        ("1.0.0-beta", "1.0.0b0"),
        ("2025-11-10", "2025.11.10"),
        (" 3.1 ", "3.1"),
        ("²", "0.0.0"),
        ("١.٢", "0.0.0"),
        ("latest", "0.0.0"),
        ("1.0\x00", "0.0.0"),
    ],
)
def test_info_version_becomes_a_pep_440_version(
    info_version: str, expected: str
) -> None:
    assert package_version(info_version) == expected
    assert (version_warning(info_version) is None) == (expected != "0.0.0")


def test_an_unusable_version_is_a_warning_naming_its_pointer(tmp_path: Path) -> None:
    spec = yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))
    spec["info"]["version"] = "²"
    (spec_folder(tmp_path) / "openapi.yaml").write_text(
        yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(tmp_path / "openapi.yaml"),
            "--package",
            "mini",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    warning = (
        f"specgen: {tmp_path / 'openapi.yaml'}:34: warning: #/info/version: "
        "info.version '²' is not a PEP 440 version"
    )
    assert warning in result.stderr
    assert (
        tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "version"
        ]
        == "0.0.0"
    )


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_output_folder_gets_the_mode_the_umask_gives(
    tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "out"
    old = os.umask(umask)
    try:
        for _ in range(2):  # a new folder, then a regenerated one
            result = CliRunner().invoke(
                main,
                [
                    "generate",
                    "--spec",
                    str(MINI_SPEC),
                    "--package",
                    "mini",
                    "--output",
                    str(out),
                    "--force",
                ],
            )
            assert result.exit_code == 0, result.output
            assert out.stat().st_mode & 0o777 == 0o777 & ~umask
    finally:
        os.umask(old)


def test_regenerating_keeps_a_mode_the_user_chose(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        "generate",
        "--spec",
        str(MINI_SPEC),
        "--package",
        "mini",
        "--output",
        str(out),
        "--force",
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    out.chmod(0o750)
    assert CliRunner().invoke(main, args).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o750


@pytest.mark.slow
def test_the_built_wheel_regenerates_generated_byte_identical(tmp_path: Path) -> None:
    """The README's user quick start, with the wheel CI builds: install it, list
    templates, generate."""
    source = (
        tmp_path / "source"
    )  # what a clean checkout holds: no build/ or egg-info of earlier builds
    for name in ("generator", "templates"):
        shutil.copytree(
            REPO_ROOT / name,
            source / name,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, source / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--sdist",
            "--wheel",
            "--outdir",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    specgen = str(venv / "bin" / "specgen")
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing may come from it
    elsewhere.mkdir()

    listing = subprocess.run(
        [specgen, "templates", "list"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    listed = {line.split("  ", 1)[0] for line in listing.splitlines()}
    assert listed == set(all_templates([REPO_ROOT / "templates"])), listing
    assert all(
        "[default]" in line and "site-packages/generator/templates/" in line
        for line in listing.splitlines()
    )

    for target in load_targets(REPO_ROOT / "pyproject.toml"):
        out = elsewhere / target.package
        command = [
            specgen,
            "generate",
            "--spec",
            str(target.spec),
            "--package",
            target.package,
            "--output",
            str(out),
        ]
        done = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        # CHANGELOG.md is the history of earlier generations, which a fresh folder lacks.
        history = {"CHANGELOG.md"}
        expected = {k: v for k, v in tree(target.output).items() if k not in history}
        assert tree(out) == expected, (
            f"the wheel's {target.package} differs from {target.output}"
        )

    # The README's user quick start, with this venv's specgen and pip, on a user's spec.
    from tests.test_readme import user_quick_start

    _, generate, install_client = user_quick_start()
    user = tmp_path / "user"
    user.mkdir()
    spec_folder(user)  # openapi.yaml and the file its $refs point into
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    for line in (
        generate,
        install_client.replace("pip install", "python -m pip install -q", 1),
    ):
        done = subprocess.run(
            line,
            shell=True,
            cwd=user,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{line}: {done.stderr}"
    package = generate.split("--package ")[1].split()[0]
    imported = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-W",
            "error",
            "-c",
            f"import {package}; print({package}.Client)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0 and "Client" in imported.stdout, imported.stderr

    import tarfile

    with tarfile.open(sdist) as archive:
        names = {
            Path(name).relative_to(Path(name).parts[0]).as_posix()
            for name in archive.getnames()
            if "/" in name
        }
    assert {f"templates/{name}" for name in listed} <= names
