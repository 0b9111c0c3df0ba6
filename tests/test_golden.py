"""Golden files: generating every target reproduces `generated/` byte for byte.

When this fails on purpose (a template or spec changed), update the golden
files with the one command `specgen generate` and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Target, load_targets
from generator.drift import drift
from tests.conftest import REPO_ROOT

TARGETS = load_targets(REPO_ROOT / "pyproject.toml")
UPDATE_HINT = "Run `specgen generate` (or `python -m generator generate`) to update the golden files, then review the diff."


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_generated_output_matches_golden_files(target: Target) -> None:
    found = drift(target)
    lines = [line for item in found for line in [item.summary, *item.unified_diff(context=2)[:60]]]
    assert not found, "\n".join([f"{target.output.relative_to(REPO_ROOT)} drifted from its spec:", *lines, "", UPDATE_HINT])


def on_disk(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_output_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Hash seeds and working folders must not change a single byte."""
    target = TARGETS[0]
    outputs = []
    for seed in ("1", "4242"):
        run_dir = tmp_path / f"run{seed}"
        run_dir.mkdir()
        (run_dir / "pyproject.toml").write_text(
            f'[[tool.specgen.targets]]\nspec = "{target.spec.as_posix()}"\npackage = "{target.package}"\noutput = "out"\n'
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=run_dir, env=env, check=True, capture_output=True)
        outputs.append(on_disk(run_dir / "out"))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("guess", ["usual", "wrong"])
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_the_parallel_path_writes_the_same_bytes_even_when_every_guess_is_wrong(target: Target, guess: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Models made in a second process, cases and a head start here, formatting on every core: same golden files.

    The head start renders with the classes the models are expected to have;
    when every guess is wrong, the output must not change either.
    """
    from generator import pipeline  # noqa: PLC0415
    from generator.models_codegen import ModelClass  # noqa: PLC0415

    if guess == "wrong":
        monkeypatch.setattr(pipeline, "expected_classes", lambda document: {name: ModelClass(name, "enum") for name in document["components"]["schemas"]})
    found = drift(target)
    assert not found, [item.summary for item in found]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_one_core_writes_the_same_bytes(target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """On one core the models are made in this process, after the spec is read, and nothing runs beside: same golden files."""
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    found = drift(target)
    assert not found, [item.summary for item in found]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_the_head_start_guesses_most_classes_right(target: Target) -> None:
    """A wrong guess costs only time (its pieces are formatted again), but a guess that is mostly wrong is no head start."""
    from generator.models_codegen import describe_classes, expected_classes  # noqa: PLC0415
    from generator.pipeline import build_api_for  # noqa: PLC0415

    built = build_api_for(target)
    real = describe_classes(built.models_source)
    guessed = expected_classes(built.document)
    right = sum(guessed[name] == real.get(name) for name in guessed)
    assert right >= 0.95 * len(guessed), {name: (guessed[name], real.get(name)) for name in guessed if guessed[name] != real.get(name)}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.package)
def test_a_right_guess_renders_every_template_once(target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the head start guessed the classes right, every file it rendered stands: nothing is rendered twice."""
    from generator import pipeline  # noqa: PLC0415
    from generator.format_batch import FORMATTED  # noqa: PLC0415

    calls: list[dict[str, object]] = []
    real = pipeline.render_templates

    def recording(api: object, directories: object, **options: object) -> dict[str, str]:
        calls.append(options)
        return real(api, directories, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_templates", recording)
    assert not drift(target)
    assert calls == [{"suffixes": FORMATTED}, {"exclude": FORMATTED}]
