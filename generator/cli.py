"""The `specgen` command line."""

from __future__ import annotations

import dataclasses
import functools
import gc
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from generator import __version__
from generator.config import (
    ConfigError,
    Target,
    find_project_file,
    load_targets,
    make_target,
)
from generator.output.formatting import FORMATTERS, FormattingError
from generator.output.writer import EditedFilesError, OutputError
from generator.problems import SpecError
from generator.rendering.defaults import TemplatesMissingError, default_templates

if TYPE_CHECKING:
    from generator.changes.report import Format

# Each command imports the stages it runs when it runs: `--help`, an up-to-date
# target or a bad option costs no jinja2, datamodel-code-generator or jsonschema-rs.


def user_errors() -> tuple[type[Exception], ...]:
    """The exceptions that are the user's to fix (exit 2), not specgen's bug (exit 3)."""
    from generator.rendering.templates import TemplateError

    return (
        SpecError,
        ConfigError,
        TemplateError,
        FormattingError,
        EditedFilesError,
        OutputError,
        TemplatesMissingError,
    )


EXIT_USER_ERROR = 2
"""A spec, a template, the configuration or the output folder is unusable: the user can fix it."""
EXIT_INTERNAL_ERROR = 3
"""specgen itself failed: a bug to report, never the user's fault."""


def _run_reporting_errors(debug: bool, action: Callable[[], None]) -> None:
    """Run `action`; every failure becomes one line on stderr (the traceback only with --debug).

    User errors exit with code 2, one line per problem; anything else is
    specgen's own bug and exits with code 3.
    """
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - a user's error, or specgen's bug on one line
        if not isinstance(exc, user_errors()):
            _report_internal_error(debug, exc)
        if debug:
            traceback.print_exc()
        problems: list[object] = (
            list(exc.problems)
            if isinstance(exc, SpecError)
            else list(exc.lines)
            if isinstance(exc, EditedFilesError)
            else [exc]
        )
        for problem in problems:
            click.echo(f"specgen: {_one_line(str(problem))}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except KeyboardInterrupt:
        click.echo("specgen: interrupted; the previous output is unchanged", err=True)
        sys.exit(130)


def _report_internal_error(debug: bool, exc: Exception) -> NoReturn:
    """Whatever escaped is a bug, reported on one line."""
    if debug:
        traceback.print_exc()
    detail = _one_line(f"{type(exc).__name__}: {exc}")[:500]
    click.echo(
        f"specgen: internal error (a bug in specgen, not in your spec): {detail}; "
        "rerun with --debug for the traceback",
        err=True,
    )
    sys.exit(EXIT_INTERNAL_ERROR)


def _one_line(text: str) -> str:
    """`text` on one line, with control characters shown escaped, as a terminal can show it."""
    return "".join(
        c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split())
    )


@dataclasses.dataclass(frozen=True)
class TargetChoice:
    """What `--spec`, `--package`, `--output` and the other target options chose."""

    spec: Path | None
    package: str | None
    output: Path | None
    templates: Path | None
    config: Path | None
    formatter: str | None
    allow_refs_from: tuple[Path, ...] = ()

    def targets(self) -> list[Target]:
        """One one-off target, or those of [tool.specgen] with the options applied."""
        one_off = (self.spec, self.package, self.output)
        if any(one_off):
            if not all(one_off):
                raise ConfigError("--spec, --package and --output go together")
            assert self.spec and self.package and self.output
            target = make_target(
                self.spec,
                self.package,
                self.output,
                self.templates,
                Path.cwd(),
                self.formatter or "ruff",
            )
            roots = _absolute(self.allow_refs_from)
            return [dataclasses.replace(target, ref_roots=roots)]
        targets = load_targets(self.config or find_project_file(Path.cwd()))
        if self.formatter is not None:
            targets = [
                dataclasses.replace(target, formatter=self.formatter)  # type: ignore[arg-type]
                for target in targets
            ]
        if self.allow_refs_from:
            extra = _absolute(self.allow_refs_from)
            targets = [
                dataclasses.replace(t, ref_roots=(*t.ref_roots, *extra))
                for t in targets
            ]
        return targets


def _absolute(folders: tuple[Path, ...]) -> tuple[Path, ...]:
    return tuple(folder.absolute() for folder in folders)


@click.group(
    context_settings={
        "help_option_names": ["-h", "--help"],
        "terminal_width": 80,
        "max_content_width": 80,
    }
)
@click.version_option(__version__, prog_name="specgen")
def main() -> None:
    """specgen: OpenAPI specs in, typed Python client packages out."""


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


TARGET_OPTIONS = [
    click.option(
        "--spec",
        type=click.Path(path_type=Path),
        help="One-off: the OpenAPI file to generate from.",
    ),
    click.option("--package", help="One-off: the Python package name to generate."),
    click.option(
        "--output",
        type=click.Path(path_type=Path),
        help="One-off: the folder that receives the package.",
    ),
    click.option(
        "--templates",
        type=click.Path(path_type=Path, file_okay=False),
        help="A folder whose templates replace or add to the defaults.",
    ),
    click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False),
        help="pyproject.toml to read [tool.specgen] from (default: nearest one).",
    ),
    click.option(
        "--formatter",
        type=click.Choice(FORMATTERS),
        help="What formats the generated Python (default: ruff, or the target's `formatter`).",
    ),
    click.option(
        "--allow-refs-from",
        "allow_refs_from",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="A folder besides the spec's own that its $refs may read; repeatable.",
    ),
]


DEBUG_OPTION = click.option(
    "--debug", is_flag=True, help="Show a traceback for errors."
)


def target_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that choose what to generate, shared by `generate` and `check`:
    `command` receives them as one `choice: TargetChoice`."""

    @functools.wraps(command)
    def with_choice(**options: Any) -> None:
        fields = {f.name: options.pop(f.name) for f in dataclasses.fields(TargetChoice)}
        command(choice=TargetChoice(**fields), **options)

    for option in reversed(TARGET_OPTIONS):
        with_choice = option(with_choice)
    return with_choice


@main.command()
@target_options
@click.option(
    "--force",
    is_flag=True,
    help="Regenerate even when up to date, and overwrite generated files edited by hand.",
)
@click.option(
    "--changelog/--no-changelog",
    default=True,
    show_default=True,
    help="Append the API change report to the output's CHANGELOG.md when the spec changed.",
)
@DEBUG_OPTION
def generate(choice: TargetChoice, force: bool, changelog: bool, debug: bool) -> None:
    """Generate client packages from OpenAPI specs.

    Without options, regenerate every target listed in [tool.specgen] of the
    nearest pyproject.toml. With --spec, --package and --output, generate one
    package from one spec. Output is built aside and swapped in only when
    generation fully succeeded; your own files in the output folder are kept.
    Errors in a spec exit with code 2.
    """

    def action() -> None:
        from generator.models.beside import worker_started_early

        with worker_started_early():
            generate_all(choice.targets(), force=force, changelog=changelog)

    _run_reporting_errors(debug, action)


def generate_all(targets: list[Target], *, force: bool, changelog: bool) -> None:
    """Generate each target in turn, saying what became of it."""
    from generator.pipeline import generate_target

    for target in targets:
        generated = generate_target(target, force=force, changelog=changelog)
        for warning in generated.warnings if generated else ():
            click.echo(f"specgen: {warning}", err=True)
        state = (
            "up to date"
            if generated is None
            else f"{len(generated.files)} files"
            + (", API changes in CHANGELOG.md" if generated.changelog else "")
        )
        click.echo(f"{target.spec_label} -> {_shown(target.output)} ({state})")


@main.command()
@target_options
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Show a unified diff of every drifted file.",
)
@DEBUG_OPTION
def check(choice: TargetChoice, show_diff: bool, debug: bool) -> None:
    """Check that generated output matches its spec, for CI.

    Regenerates every target in memory and compares with the files on disk.
    Exit code 0 when identical, 1 when anything drifted (run `specgen
    generate` to update), 2 for errors.
    """
    drifted: list[str] = []
    edited: list[str] = []

    def action() -> None:
        from generator.models.beside import worker_started_early
        from generator.output.drift import drift

        with worker_started_early():
            for target in choice.targets():
                for item in drift(target):
                    (edited if item.kind == "edited" else drifted).append(item.name)
                    click.echo(f"{_shown(target.output)}: {item.summary}")
                    if show_diff:
                        for line in item.unified_diff():
                            click.echo(line)

    _run_reporting_errors(debug, action)
    if drifted:
        click.echo(
            f"{len(drifted)} file(s) drifted; run `specgen generate` to update them.",
            err=True,
        )
    if edited:
        click.echo(
            f"{len(edited)} generated file(s) edited by hand; keep your change elsewhere, "
            "then `specgen generate --force` overwrites them.",
            err=True,
        )
    if drifted or edited:
        sys.exit(1)


@main.group()
def templates() -> None:
    """Inspect and copy the default templates, to override them."""


@templates.command("list")
@click.option(
    "--templates",
    "user_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Your template folder, searched before the defaults.",
)
def templates_list(user_dir: Path | None) -> None:
    """List every template and the file it resolves to.

    Paths mirror the output tree ({package} is the package name); models/ are
    datamodel-code-generator templates, partials/ are shared macros.
    """
    from generator.rendering.catalog import all_templates

    try:
        defaults = default_templates()
    except TemplatesMissingError as exc:
        click.echo(f"specgen: {exc}", err=True)
        sys.exit(2)
    for relative, path in all_templates(
        [user_dir, defaults] if user_dir else [defaults]
    ).items():
        origin = "custom " if user_dir and path.is_relative_to(user_dir) else "default"
        click.echo(f"{relative}  [{origin}] {_shown(path)}")


@templates.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.argument("names", nargs=-1)
def templates_init(directory: Path, names: tuple[str, ...]) -> None:
    """Copy default templates (all, or the NAMES given) into DIRECTORY as a starting point.

    Files already in DIRECTORY are kept. Pass DIRECTORY as --templates (or
    `templates = "..."` in [tool.specgen]) to use your versions.
    """
    from generator.rendering.catalog import UnknownTemplateError, init_templates

    try:
        copied = init_templates(directory, list(names))
    except (UnknownTemplateError, TemplatesMissingError) as exc:
        click.echo(f"specgen: {exc}", err=True)
        sys.exit(2)
    for path in copied:
        click.echo(f"created {_shown(path)}")


@main.command("diff")
@click.argument("old_spec", type=click.Path(path_type=Path))
@click.argument("new_spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any"]),
    help="Exit 1 when there is a breaking change (or any change).",
)
@click.option(
    "--allow-refs-from",
    "allow_refs_from",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder besides the specs' own that their $refs may read; repeatable.",
)
@DEBUG_OPTION
def diff_command(
    old_spec: Path,
    new_spec: Path,
    fmt: Format,
    fail_on: str | None,
    allow_refs_from: tuple[Path, ...],
    debug: bool,
) -> None:
    """Report API changes from OLD_SPEC to NEW_SPEC for users of the generated client.

    Operations, parameters, fields, types, enum values, constraints and
    security added, removed or changed, each classified breaking or not, and
    the semver bump they call for.
    """
    from generator.changes.diff import Change, diff_documents
    from generator.changes.report import render
    from generator.loading.loader import load_spec
    from generator.loading.normalize import normalize

    changes: list[Change] = []
    roots = _absolute(allow_refs_from)

    def action() -> None:
        changes.extend(
            diff_documents(
                normalize(load_spec(old_spec, allowed_roots=roots).document),
                normalize(load_spec(new_spec, allowed_roots=roots).document),
            )
        )
        click.echo(render(changes, fmt), nl=False)

    _run_reporting_errors(debug, action)
    if (fail_on == "breaking" and any(c.breaking for c in changes)) or (
        fail_on == "any" and changes
    ):
        sys.exit(1)


GC_YOUNG_THRESHOLD = 20_000
"""Allocations between collections of young objects (Python's default: 700).

A generation builds hundreds of thousands of long-lived objects (the spec,
datamodel-code-generator's models, the syntax trees of their module), and at
the default every few hundred of them start a collection that walks them: a
sixth of a big spec's time. mypy raises its threshold for the same reason.
"""


def run() -> None:
    """The `specgen` executable."""
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    main()
