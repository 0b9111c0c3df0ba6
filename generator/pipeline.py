"""Spec file in, package files out, one stage after another.

`loading` (files, `$ref`s, normalising) → `models` (datamodel-code-generator)
→ `intermediate` (the model of what the code means, with the `conformance`
cases) → `rendering` (templates) → `output` (formatting, writing aside and
swapping in, the manifest).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.config import Target
from generator.models.beside import ModelsJob, models_beside
from generator.output.formatting import formatter_versions
from generator.output.manifest import Manifest
from generator.output.writer import recover, write_tree
from generator.problems import Level, Problem
from generator.rendering.defaults import default_templates

if TYPE_CHECKING:
    from generator.changes.diff import Change
    from generator.intermediate.model import Api

# The stages' modules (jinja2, jsonschema-rs, the intermediate model...) are imported
# where they are first used: an up-to-date run or a spec error needs none of them,
# and a generation imports them while datamodel-code-generator's worker imports that.

SNAPSHOT_NAME = ".specgen-spec.json"
"""The effective spec of the last generation, kept to report API changes on the next one."""
CHANGELOG_NAME = "CHANGELOG.md"

TOOLS = f"specgen {__version__}; " + "; ".join(
    f"{name} {version(name)}" for name in ("datamodel-code-generator", "jsonschema-rs")
)
"""Everything besides the inputs and the formatter that decides the output bytes."""
GENERATOR_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Generated:
    """The files of one generated package and what they were made from."""

    files: dict[str, bytes]
    sources: tuple[str, ...]
    inputs: str
    warnings: tuple[Problem, ...] = ()
    changelog: str = ""
    """The API change report this run put on top of CHANGELOG.md, if the API changed."""
    api_changes: list[Change] | None = None
    """The API's changes since the output's snapshot (`generate_files` with
    `changes`); None: not worked out, or no snapshot to compare with."""
    api_version: str = ""
    """The spec's `info.version`."""

    @property
    def manifest(self) -> Manifest:
        return Manifest.for_files(self.files, self.inputs, self.sources)


def template_dirs(target: Target) -> list[Path]:
    """Where templates are looked up, the user's folder first."""
    return (
        [target.templates, default_templates()]
        if target.templates
        else [default_templates()]
    )


def fingerprint(target: Target, sources: tuple[str, ...]) -> str | None:
    """A hash of every input of `target`, specgen's own code included.

    None when a source file has gone.
    """
    tools = f"{TOOLS}; {formatter_versions(target.formatter)}"
    roots = " ".join(str(root) for root in target.ref_roots)
    sha = hashlib.sha256(
        f"{tools}\n{target.package}\n{target.spec_label}\n{roots}\n".encode()
    )
    for path in sorted(GENERATOR_ROOT.rglob("*.py")):
        if path.is_relative_to(GENERATOR_ROOT / "templates"):
            continue  # an installed specgen's default templates: hashed as templates below
        sha.update(
            f"generator {path.relative_to(GENERATOR_ROOT).as_posix()}\n".encode()
            + path.read_bytes()
        )
    for source in sources:
        path = target.spec.parent / source
        if not path.is_file():
            return None
        sha.update(f"source {source}\n".encode() + path.read_bytes())
    for folder in template_dirs(target):
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            sha.update(
                f"template {path.relative_to(folder).as_posix()}\n".encode()
                + path.read_bytes()
            )
    return sha.hexdigest()


@contextmanager
def model_template_dir(target: Target) -> Iterator[Path]:
    """datamodel-code-generator's template folder: our model templates, overlaid with the user's.

    It takes one folder and falls back to its own built-ins, so a user who
    overrides one model template must still get our versions of the others.
    """
    from generator.rendering.templates import MODEL_TEMPLATES

    user = target.templates / MODEL_TEMPLATES if target.templates else None
    if user is None or not user.is_dir():
        yield default_templates() / MODEL_TEMPLATES
        return
    with tempfile.TemporaryDirectory(prefix="specgen-models-") as merged:
        shutil.copytree(
            default_templates() / MODEL_TEMPLATES, merged, dirs_exist_ok=True
        )
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
    load_warnings: tuple[Problem, ...] = ()
    """What loading the spec warned about (a Swagger 2.0 document converted)."""
    models_files: dict[str, str] = dataclasses.field(default_factory=dict)
    """The models as the package's files (`generator.models.split`), formatted, by
    their path in the output."""
    api_changes: list[Change] | None = None
    """See `Generated.api_changes`."""
    locate: Callable[[list[Problem]], list[Problem]] | None = None
    """Problems later stages found, named as loading names its own (file and line)."""


def build_api_for(target: Target, *, changes: bool = False) -> Built:
    """The intermediate model and the models module, from the spec file of `target`.

    The models are made beside this process (`generator.models.beside`) while
    it makes the validation cases (and, with `changes`, compares the API with
    the output's snapshot), and split into files while it builds the model.
    """
    header = f"Generated by specgen from {target.spec_label}. Do not edit by hand."
    with models_beside() as start_models, model_template_dir(target) as model_templates:
        from generator.caching import entry_path
        from generator.loading.loader import load_spec
        from generator.loading.normalize import normalize
        from generator.models.incremental import cache_file

        loaded = load_spec(target.spec, allowed_roots=target.ref_roots)
        origins: dict[str, str] = {}
        document = normalize(loaded.document, origins)
        cache = cache_file(target.output, target.package)
        job = ModelsJob(
            target.package,
            header,
            model_templates,
            cache,
            target.formatter,
            entry_path("format-models", target.output, target.package),
        )
        from generator.intermediate.build import request_schema_names
        from generator.one_sided import models_document

        requests = request_schema_names(document)
        models = start_models(job, models_document(document, requests))
        from generator.intermediate.build import validation_cases

        cases = validation_cases(document, requests)
        from generator.rendering.templates import compile_templates

        compile_templates(template_dirs(target))  # while the models are made
        api_changes = changes_since_snapshot(target, document) if changes else None
        from generator.intermediate.build import build_api, component_classes
        from generator.intermediate.constraints import check_dependencies
        from generator.models.codegen import model_dependencies

        module = models.module()
        api = build_api(
            document,
            component_classes(document, module.classes),
            package=target.package,
            distribution=target.distribution,
            spec_label=target.spec_label,
            cases=cases,
            models_source=module.source,
        )
        models_files = models.files()  # made meanwhile
    checks = [p.checked_type for o in api.operations for p in o.parameters]
    needed = model_dependencies(module.source) + check_dependencies(checks)
    api = dataclasses.replace(api, model_dependencies=tuple(dict.fromkeys(needed)))
    return Built(
        api,
        module.source,
        loaded.sources,
        document,
        loaded.warnings,
        models_files,
        api_changes,
        functools.partial(loaded.located, origins=origins),
    )


def changes_since_snapshot(
    target: Target, document: dict[str, Any]
) -> list[Change] | None:
    """What changed in the API from the output's snapshot to `document`; None when
    the output has no (readable) snapshot."""
    from generator.changes.diff import diff_documents

    try:
        snapshot = (target.output / SNAPSHOT_NAME).read_text(encoding="utf-8")
        old = json.loads(snapshot)["document"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(old, dict):
        return None
    return diff_documents(old, document)


def generate_files(target: Target, *, changes: bool = False) -> Generated:
    """Every file of the generated package, formatted, as bytes keyed by relative path.

    With `changes`, the API's changes since the output's snapshot come too.
    """
    built = build_api_for(
        target, changes=changes
    )  # first: it starts the models' worker
    from generator.caching import entry_path
    from generator.conformance.patterns import check_patterns
    from generator.intermediate.versions import version_warning
    from generator.output.formatting import format_files
    from generator.rendering.templates import check_user_templates, render_templates

    api = built.api
    rendered = render_templates(api, template_dirs(target))
    snapshot = {"generated": api.header, "document": built.document}
    rendered[SNAPSHOT_NAME] = json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"
    formatted = format_files(
        rendered,
        package=target.package,
        formatter=target.formatter,
        cache=entry_path("format", target.output, target.package),
    )
    formatted |= built.models_files  # formatted beside, as they were made
    files = {
        relative: formatted[relative].encode("utf-8") for relative in sorted(formatted)
    }
    found = [*api.warnings, *check_patterns(built.document, target.spec)]
    version = version_warning(api.version)
    if version is not None:
        found.append(Problem(Level.WARNING, target.spec, "/info/version", version))
    located = built.locate(found) if built.locate else found
    warnings = built.load_warnings + tuple(located)
    if target.templates:
        warnings += tuple(check_user_templates(target.templates))
    return Generated(
        files,
        built.sources,
        fingerprint(target, built.sources) or "",
        tuple(dict.fromkeys(warnings)),
        api_changes=built.api_changes,
        api_version=str((built.document.get("info") or {}).get("version", "")),
    )


def is_up_to_date(target: Target) -> bool:
    """True when nothing generation reads has changed since the output was written."""
    previous = Manifest.read(target.output)
    if previous is None or not previous.sources:
        return False
    if fingerprint(target, previous.sources) != previous.inputs:
        return False
    return all(
        (target.output / name).is_file() for name in previous.files
    ) and not previous.edited_by_hand(target.output)


def changelog_entry(
    target: Target, generated: Generated, today: date | None = None
) -> str:
    """The API change report since the last generation, or "" when the API did not change.

    Its heading names the package version the spec now gives and the day it was
    generated: `## 1.0.5 (API 1.0.5), 2026-12-03`.
    """
    from generator.changes.report import render_markdown
    from generator.intermediate.versions import package_version

    changes = generated.api_changes
    if changes is None:  # not worked out while generating
        new = json.loads(generated.files[SNAPSHOT_NAME])["document"]
        changes = changes_since_snapshot(target, new)
    if not changes:
        return ""
    api_version = generated.api_version
    day = (today or date.today()).isoformat()
    title = f"{package_version(api_version)} (API {api_version}), {day}"
    return render_markdown(changes, title=title) + "\n"


CHANGELOG_TITLE = b"# Changelog\n\n"


def newest_first(entry: str) -> Callable[[bytes], bytes]:
    """CHANGELOG.md with `entry` on top, under its title; the user's older text is kept below."""

    def update(old: bytes) -> bytes:
        rest = (
            old.removeprefix(CHANGELOG_TITLE)
            if old.startswith(CHANGELOG_TITLE)
            else old
        )
        return (
            CHANGELOG_TITLE
            + entry.encode("utf-8")
            + (b"\n" + rest if rest.strip() else b"")
        )

    return update


def generate_target(
    target: Target, *, force: bool = False, changelog: bool = True
) -> Generated | None:
    """Generate `target` and swap it into place; None when it was already up to date.

    With `changelog`, the API change report since the previous generation goes
    on top of the output's CHANGELOG.md (a file of the user's: what it holds is kept).
    """
    recover(target.output)  # what a killed run left: the user's files come back first
    if not force and is_up_to_date(target):
        return None
    generated = generate_files(target, changes=changelog)
    entry = changelog_entry(target, generated) if changelog else ""
    updated = {CHANGELOG_NAME: newest_first(entry)} if entry else {}
    write_tree(
        generated.files, target.output, generated.manifest, force=force, updated=updated
    )
    return dataclasses.replace(generated, changelog=entry)
