"""Spec file in, package files out: load → normalise → models → model → render → format → write."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import __version__, collector
from generator.api_diff import diff_documents
from generator.config import Target
from generator.diff_report import render_markdown
from generator.format_batch import FORMATTED, FormatBatch, cores, default_cache_dir
from generator.loader import load_spec
from generator.manifest import Manifest
from generator.model import Api
from generator.models_codegen import ModelClass, ModelsModule, expected_classes, expected_dependencies, generate_models, import_models_generator, model_dependencies
from generator.normalize import normalize
from generator.parser import build_api, component_classes, validation_cases
from generator.patterns import check_patterns
from generator.problems import Problem
from generator.render import DEFAULT_TEMPLATES, MODEL_TEMPLATES, TemplateError, check_user_templates, render_templates
from generator.validation_cases import ValidationCase
from generator.writer import write_tree

SNAPSHOT_NAME = ".specgen-spec.json"
"""The effective spec of the last generation, kept to report API changes on the next one."""
CHANGELOG_NAME = "CHANGELOG.md"

TOOLS = f"specgen {__version__}; " + "; ".join(f"{name} {version(name)}" for name in ("datamodel-code-generator", "black", "isort", "jsonschema-rs"))
"""Everything besides the inputs that decides the output bytes."""


@dataclass(frozen=True)
class Generated:
    """The files of one generated package and what they were made from."""

    files: dict[str, bytes]
    sources: tuple[str, ...]
    inputs: str
    warnings: tuple[Problem, ...] = ()
    changelog: str = ""
    """The API change report appended to CHANGELOG.md by this run, if the API changed."""

    @property
    def manifest(self) -> Manifest:
        return Manifest.for_files(self.files, self.inputs, self.sources)


def template_dirs(target: Target) -> list[Path]:
    """Where templates are looked up, the user's folder first."""
    return [target.templates, DEFAULT_TEMPLATES] if target.templates else [DEFAULT_TEMPLATES]


def fingerprint(target: Target, sources: tuple[str, ...]) -> str | None:
    """A hash of every input of `target` (specgen's own code included); None when a source file has gone."""
    sha = hashlib.sha256(f"{TOOLS}\n{target.package}\n{target.spec_label}\n".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        sha.update(f"generator {path.name}\n".encode() + path.read_bytes())
    for source in sources:
        path = target.spec.parent / source
        if not path.is_file():
            return None
        sha.update(f"source {source}\n".encode() + path.read_bytes())
    for folder in template_dirs(target):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            sha.update(f"template {path.relative_to(folder).as_posix()}\n".encode() + path.read_bytes())
    return sha.hexdigest()


@contextmanager
def model_template_dir(target: Target) -> Iterator[Path]:
    """datamodel-code-generator's template folder: our model templates, overlaid with the user's.

    It takes one folder and falls back to its own built-ins, so a user who
    overrides one model template must still get our versions of the others.
    """
    user = target.templates / MODEL_TEMPLATES if target.templates else None
    if user is None or not user.is_dir():
        yield DEFAULT_TEMPLATES / MODEL_TEMPLATES
        return
    with tempfile.TemporaryDirectory(prefix="specgen-models-") as merged:
        shutil.copytree(DEFAULT_TEMPLATES / MODEL_TEMPLATES, merged, dirs_exist_ok=True)
        shutil.copytree(user, merged, dirs_exist_ok=True)
        yield Path(merged)


@dataclass(frozen=True)
class Built:
    """What rendering starts from."""

    api: Api
    models_source: str
    """The models module as datamodel-code-generator wrote it."""
    sources: tuple[str, ...]
    """The spec files read."""
    document: dict[str, Any]
    """The effective (normalised) document."""


@dataclass(frozen=True)
class _ModelsJob:
    """datamodel-code-generator's run, as one picklable call."""

    target: Target
    header: str
    template_dir: Path

    def __call__(self, document: dict[str, Any]) -> ModelsModule:
        return generate_models(document, package=self.target.package, header=self.header, template_dir=self.template_dir)


ModelsStarter = Callable[[dict[str, Any]], Callable[[], ModelsModule]]
"""Starts making the models for a document; what it returns waits for them."""


@contextmanager
def _models_beside(job: _ModelsJob, *, beside: bool) -> Iterator[ModelsStarter]:
    """The models, made on another core while this process makes the validation cases.

    The other process starts at once and imports datamodel-code-generator
    while this one reads the spec, on a core that would be idle. In its own
    process, datamodel-code-generator's peak memory is not added to ours.
    """
    if not beside:
        yield lambda document: lambda: job(document)
        return
    with ProcessPoolExecutor(max_workers=1, initializer=import_models_generator) as pool:
        pool.submit(int)  # a no-op that starts the process, and its import, now
        yield lambda document: pool.submit(job, document).result


def build_api_for(target: Target, *, meanwhile: Callable[[Api], None] | None = None, on_models: Callable[[str], None] | None = None) -> Built:
    """The intermediate model and the models module.

    On a machine with more than one core datamodel-code-generator runs in
    another process while this one makes the validation cases and then, given
    `meanwhile`, hands it the model as built from the classes the models will
    most likely have (`expected_classes`), to start on what does not wait for
    the real ones (even a small package has a second of black's work that
    needs no models). When the guess was right, that same `Api` is returned:
    what was made from it stands. `on_models` gets the models module as soon
    as it is made, before the model is built from it.
    """
    header = f"Generated by specgen from {target.spec_label}. Do not edit by hand."
    beside = cores() > 1
    expected: Api | None = None
    expected_inputs: tuple[dict[str, ModelClass], tuple[str, ...]] | None = None
    """The classes and dependencies `expected` was built from."""
    with model_template_dir(target) as model_templates, _models_beside(_ModelsJob(target, header, model_templates), beside=beside) as start_models:
        loaded = load_spec(target.spec)
        document = normalize(loaded.document)
        models_result = start_models(document)
        cases = validation_cases(document) if beside else None
        if beside and meanwhile is not None:
            expected_inputs = component_classes(document, expected_classes(document)), expected_dependencies(document)
            expected = _api(target, document, *expected_inputs, cases)
            meanwhile(expected)
        models = models_result()
    if on_models is not None:
        on_models(models.source)
    inputs = component_classes(document, models.classes), model_dependencies(models.source)
    api = expected if expected is not None and inputs == expected_inputs else _api(target, document, *inputs, cases)
    return Built(api, models.source, loaded.sources, document)


def _api(target: Target, document: dict[str, Any], classes: dict[str, ModelClass], dependencies: tuple[str, ...], cases: dict[str, list[ValidationCase]] | None) -> Api:
    api = build_api(document, classes, package=target.package, distribution=target.distribution, spec_label=target.spec_label, cases=cases)
    return dataclasses.replace(api, model_dependencies=dependencies)


@collector.paused()
def generate_files(target: Target, *, no_cache: bool = False) -> Generated:
    """Every file of the generated package, formatted, as bytes keyed by relative path."""
    directories = template_dirs(target)
    head_started: list[tuple[Api, dict[str, str]]] = []
    """The `Api` the head start rendered from, and every file it rendered."""
    with FormatBatch(target.package, None if no_cache else default_cache_dir()) as batch:
        if batch.cold:
            batch.start_workers()  # with a format cache, only what it lacks is formatted: workers start if needed

        def head_start(expected: Api) -> None:
            """While the models are made: render with the classes expected and start formatting on every core."""
            try:
                files = render_templates(expected, directories, suffixes=FORMATTED)
                batch.parallel = True
                batch.prefetch(files)
                files |= render_templates(expected, directories, exclude=FORMATTED)
            except TemplateError:
                return  # the real rendering reports it, unless only the guess caused it
            head_started.append((expected, files))

        def models_ready(source: str) -> None:
            """Formatted on the other cores while the model is built and the rest renders."""
            batch.add({f"{target.package}/models.py": source})

        built = build_api_for(target, meanwhile=head_start, on_models=models_ready)
        api = built.api
        if head_started and head_started[0][0] is api:
            rendered = head_started[0][1]  # the guess was right: every file rendered from it stands
        else:
            rendered = render_templates(api, directories)
        snapshot = {"generated": api.header, "document": built.document}
        rendered[SNAPSHOT_NAME] = json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"
        batch.add(rendered)
        formatted = batch.results()
    files = {relative: formatted[relative].encode("utf-8") for relative in sorted(formatted)}
    warnings = tuple(check_user_templates(target.templates)) if target.templates else ()
    warnings += tuple(check_patterns(built.document, target.spec))
    return Generated(files, built.sources, fingerprint(target, built.sources) or "", warnings)


def is_up_to_date(target: Target) -> bool:
    """True when nothing generation reads has changed since the output was written."""
    previous = Manifest.read(target.output)
    if previous is None or not previous.sources:
        return False
    if fingerprint(target, previous.sources) != previous.inputs:
        return False
    return all((target.output / name).is_file() for name in previous.files) and not previous.edited_by_hand(target.output)


def changelog_entry(target: Target, generated: Generated) -> str:
    """The API change report since the last generation, or "" when the API did not change."""
    try:
        old = json.loads((target.output / SNAPSHOT_NAME).read_text(encoding="utf-8"))["document"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    new = json.loads(generated.files[SNAPSHOT_NAME])["document"]
    changes = diff_documents(old, new)
    if not changes:
        return ""
    version = str((new.get("info") or {}).get("version", ""))
    return render_markdown(changes, title=f"API {version}".strip()) + "\n"


def generate_target(target: Target, *, force: bool = False, changelog: bool = True, no_cache: bool = False) -> Generated | None:
    """Generate `target` and swap it into place; None when it was already up to date.

    With `changelog`, the API change report since the previous generation is
    appended to the output's CHANGELOG.md (a file of the user's, never rewritten).
    """
    if not force and is_up_to_date(target):
        return None
    generated = generate_files(target, no_cache=no_cache)
    entry = changelog_entry(target, generated) if changelog else ""
    appended = {CHANGELOG_NAME: entry.encode("utf-8")} if entry else {}
    write_tree(generated.files, target.output, generated.manifest, force=force, appended=appended)
    return dataclasses.replace(generated, changelog=entry)
