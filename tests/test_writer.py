"""Regeneration loses nothing: user files survive, hand edits stop the write,
stale generated files go, failures leave the old output byte-identical."""

from __future__ import annotations

import datetime
import errno
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli
from generator.changes.diff import diff_documents
from generator.cli import main
from generator.config import make_target
from generator.output import writer
from generator.output.manifest import MANIFEST_NAME
from generator.pipeline import SNAPSHOT_NAME, generate_files, generate_target

FIXTURE = Path(__file__).parent / "fixtures" / "mini" / "openapi.yaml"


def generate(out: Path, *extra: str) -> tuple[int, str]:
    spec = ["--spec", str(FIXTURE), "--package", "mini_pets", "--output", str(out)]
    result = CliRunner().invoke(main, ["generate", *spec, *extra])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    assert generate(folder)[0] == 0
    return folder


def test_manifest_lists_every_generated_file(out: Path) -> None:
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == set(snapshot(out)) - {MANIFEST_NAME}
    assert manifest["sources"] == ["openapi.yaml", "shared.yaml"]


def test_unchanged_inputs_skip_regeneration(out: Path) -> None:
    code, output = generate(out)
    assert code == 0 and output.endswith(f"openapi.yaml -> {out} (up to date)\n")


def test_user_files_survive_and_stale_generated_files_go(out: Path) -> None:
    (out / "NOTES.md").write_text("mine")
    (out / "mini_pets" / "extra.py").write_text("# mine too\n")
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["files"]["mini_pets/old_schema.py"] = "0" * 64
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    (out / "mini_pets" / "old_schema.py").write_text(
        "generated for a schema that is gone"
    )
    assert generate(out, "--force")[0] == 0
    files = snapshot(out)
    assert (
        files["NOTES.md"] == b"mine" and files["mini_pets/extra.py"] == b"# mine too\n"
    )
    assert "mini_pets/old_schema.py" not in files


def test_hand_edited_file_is_reported_not_overwritten(out: Path) -> None:
    client = out / "mini_pets" / "client.py"
    client.write_text(client.read_text() + "# my fix\n")
    before = snapshot(out)
    code, output = generate(out)
    assert code == 2
    assert output == (
        f"specgen: {client}: edited by hand since it was generated;"
        " keep your change elsewhere or pass --force\n"
    )
    assert snapshot(out) == before
    assert generate(out, "--force")[0] == 0
    assert not client.read_text().endswith("# my fix\n")


def test_failure_while_writing_leaves_previous_output_identical(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(out)

    def explode(staging: Path, output: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "_swap", explode)
    assert writer.OutputError in cli.user_errors()
    code, output = generate(out, "--force")
    assert code == 2
    assert (
        output == f"specgen: {out}: cannot write the output: No space left on device\n"
    )
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_check_reports_drift_with_exit_1(out: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "check",
        "--spec",
        str(FIXTURE),
        "--package",
        "mini_pets",
        "--output",
        str(out),
    ]
    assert runner.invoke(main, args).exit_code == 0
    (out / "mini_pets" / "errors.py").write_text("changed\n")
    (out / "mini_pets" / "auth.py").unlink()
    (out / "mine.txt").write_text("not ours: never reported")
    result = runner.invoke(main, [*args, "--diff"])
    assert result.exit_code == 1
    assert f"{out}: would be created: mini_pets/auth.py" in result.output
    assert (
        f"{out}: edited by hand since it was generated: mini_pets/errors.py"
        in result.output
    )
    assert "-changed" in result.output and "mine.txt" not in result.output
    assert "1 file(s) drifted; run `specgen generate` to update them." in result.stderr
    assert (
        "1 generated file(s) edited by hand" in result.stderr
        and "--force" in result.stderr
    )


def test_check_tells_output_that_is_only_behind_from_hand_edits(
    out: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates" / "{package}"
    templates.mkdir(parents=True)
    (templates / "response.py").write_text('"""A house version."""\n')
    args = [
        "check",
        "--spec",
        str(FIXTURE),
        "--package",
        "mini_pets",
        "--output",
        str(out),
    ]
    result = CliRunner().invoke(
        main, [*args, "--templates", str(tmp_path / "templates")]
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{out}: differs: .specgen-manifest.json",
        f"{out}: differs: mini_pets/response.py",
    ]
    assert "edited by hand" not in result.stderr


def test_the_api_changes_are_worked_out_while_the_models_are_made(
    tmp_path: Path,
) -> None:
    """The same changes as comparing the snapshots after generating."""
    spec = tmp_path / "spec" / "openapi.yaml"
    spec.parent.mkdir()
    for name in ("openapi.yaml", "shared.yaml"):
        (spec.parent / name).write_text((FIXTURE.parent / name).read_text())
    out = tmp_path / "out"
    target = make_target(spec, "mini_pets", out, None, tmp_path)
    assert generate_files(target, changes=True).api_changes is None  # no snapshot
    assert generate_target(target) is not None
    old = json.loads((out / SNAPSHOT_NAME).read_text())["document"]
    spec.write_text(spec.read_text().replace("required: [name]\n", "required: []\n"))
    generated = generate_files(target, changes=True)
    new = json.loads(generated.files[SNAPSHOT_NAME])["document"]
    assert generated.api_changes == diff_documents(old, new) != []
    assert generate_files(target).api_changes is None  # not asked for


def test_changed_spec_puts_api_changes_on_top_of_the_changelog(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    for name in ("openapi.yaml", "shared.yaml"):
        (spec_dir / name).write_text((FIXTURE.parent / name).read_text())
    out = tmp_path / "out"
    spec = spec_dir / "openapi.yaml"
    args = [
        "generate",
        "--spec",
        str(spec),
        "--package",
        "mini_pets",
        "--output",
        str(out),
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert not (out / "CHANGELOG.md").exists()
    (out / "CHANGELOG.md").write_text("# Changelog\n\n## My own notes\n\nkept.\n")
    text = spec.read_text().replace("required: [name]\n", "required: [name, class]\n")
    spec.write_text(text.replace("version: 1.2.0", "version: 2.0.0"))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "API changes in CHANGELOG.md" in result.output
    today = datetime.date.today().isoformat()
    first = (
        f"# Changelog\n\n## 2.0.0 (API 2.0.0), {today}\n\nSemver bump: **major**.\n\n"
        "### Breaking\n\n- `POST /pets request body.class`: now required (changed)\n\n"
    )
    assert (out / "CHANGELOG.md").read_text() == first + "\n## My own notes\n\nkept.\n"
    spec.write_text(
        spec.read_text()
        .replace("version: 2.0.0", "version: 2.1.0")
        .replace("required: [name, class]\n", "required: [name]\n")
    )
    assert CliRunner().invoke(main, args).exit_code == 0
    changelog = (out / "CHANGELOG.md").read_text()
    assert changelog.startswith(f"# Changelog\n\n## 2.1.0 (API 2.1.0), {today}\n")
    assert (
        changelog.index("## 2.1.0")
        < changelog.index("## 2.0.0")
        < changelog.index("My own")
    )
    assert CliRunner().invoke(main, args).output.endswith("(up to date)\n")
