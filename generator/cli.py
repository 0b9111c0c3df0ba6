"""The `specgen` command line."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import click

from generator import __version__
from generator.config import ConfigError, Target, find_project_file, load_targets, make_target
from generator.formatting import FormattingError
from generator.pipeline import generate_target
from generator.problems import SpecError
from generator.render import TemplateError

USER_ERRORS = (SpecError, ConfigError, TemplateError, FormattingError)


def _run_reporting_errors(debug: bool, action: Callable[[], None]) -> None:
    """Run `action`; user errors become one line each on stderr and exit code 2."""
    try:
        action()
    except USER_ERRORS as exc:
        if debug:
            traceback.print_exc()
        problems = exc.problems if isinstance(exc, SpecError) else [exc]
        for problem in problems:
            click.echo(f"specgen: {problem}", err=True)
        sys.exit(2)


def _targets(spec: Path | None, package: str | None, output: Path | None, templates: Path | None, config: Path | None) -> list[Target]:
    one_off = (spec, package, output)
    if any(one_off):
        if not all(one_off):
            raise ConfigError("--spec, --package and --output go together")
        assert spec is not None and package is not None and output is not None
        return [make_target(spec, package, output, templates, Path.cwd())]
    return load_targets(config or find_project_file(Path.cwd()))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 80, "max_content_width": 80})
@click.version_option(__version__, prog_name="specgen")
def main() -> None:
    """specgen: OpenAPI specs in, typed Python client packages out."""


@main.command()
@click.option("--spec", type=click.Path(path_type=Path), help="One-off: the OpenAPI file to generate from.")
@click.option("--package", help="One-off: the Python package name to generate.")
@click.option("--output", type=click.Path(path_type=Path), help="One-off: the folder that receives the package.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False), help="A folder whose templates replace or add to the defaults.")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), help="pyproject.toml to read [tool.specgen] from (default: nearest one).")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def generate(spec: Path | None, package: str | None, output: Path | None, templates: Path | None, config: Path | None, debug: bool) -> None:
    """Generate client packages from OpenAPI specs.

    Without options, regenerate every target listed in [tool.specgen] of the
    nearest pyproject.toml. With --spec, --package and --output, generate one
    package from one spec. Output is built aside and swapped in only when
    generation fully succeeded. Errors in a spec exit with code 2.
    """

    def action() -> None:
        for target in _targets(spec, package, output, templates, config):
            files = generate_target(target)
            click.echo(f"{target.spec_label} → {target.output} ({len(files)} files)")

    _run_reporting_errors(debug, action)
