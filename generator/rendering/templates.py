"""Render the package's templates with the intermediate model.

Templates mirror the output tree: `templates/{package}/client.py.jinja`
becomes `<output>/<package>/client.py`, and a file without the `.jinja`
suffix (the static runtime, `templates/{package}/_base.py`) is copied as it is. A user's template folder is searched
first, so a file there replaces the default of the same relative path and a
new file adds an output file. `models/` holds datamodel-code-generator's
templates and is rendered by it, not here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import jinja2

from generator.intermediate.model import Api
from generator.problems import Level, Problem
from generator.rendering.defaults import default_templates
from generator.rendering.literals import data_literal, string_literal, toml_string

TEMPLATE_SUFFIX = ".jinja"
MODEL_TEMPLATES = "models"
PARTIALS = "partials"
"""Macros and includes that other templates import; they produce no file of their own."""
_DCG = find_spec("datamodel_code_generator")
DCG_TEMPLATES = Path(_DCG.origin if _DCG and _DCG.origin else ".").parent / "model" / "template"
"""datamodel-code-generator's own templates: what a user's `models/` templates may replace."""


class TemplateError(Exception):
    """A template could not be rendered; the message names the template and line."""


def python_string(value: Any) -> str:
    """A Python string literal holding `value` as text, whatever it contains."""
    return string_literal(str(value))


def docstring_text(value: Any) -> str:
    """Text that is safe between triple double quotes: no early end, no escapes.

    Lines lose their trailing blanks, as black would strip them anyway.
    """
    lines = str(value).strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"').split("\n")
    text = "\n".join(line.rstrip() for line in lines)
    return text + " " if text.endswith('"') else text


def comment_text(value: Any) -> str:
    """Text that is safe after `#` (in Python or TOML): one line, no control characters."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in str(value)).split())


def template_files(template_dirs: list[Path]) -> dict[str, Path]:
    """Relative path → the file it resolves to, of every file that makes an output file; earlier folders win."""
    found: dict[str, Path] = {}
    for folder in reversed(template_dirs):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and is_output_template(relative):
                found[relative] = path
    return dict(sorted(found.items()))


def is_template_file(relative: str) -> bool:
    """Whether the file at `relative` in a template folder is a template (not a cache, a dotfile or the package marker)."""
    parts = relative.split("/")
    return not (
        relative == "__init__.py"  # what makes the default folder a package
        or "__pycache__" in parts
        or any(part.startswith(".") for part in parts)
        or relative.endswith(".pyc")
    )


def is_output_template(relative: str) -> bool:
    """Whether the template at `relative` makes an output file of its own (models and partials do not)."""
    return is_template_file(relative) and relative.split("/")[0] not in (MODEL_TEMPLATES, PARTIALS)


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(toml=toml_string, pystr=python_string, pyliteral=data_literal, docstring=docstring_text, comment=comment_text)
    return env


@lru_cache(maxsize=8)
def _shared_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per template folders, so a template is compiled once per run, not once per rendering.

    Jinja checks each cached template's file before reusing it, so an edited template is read again.
    """
    return make_environment(list(template_dirs))


def output_path(template: str, api: Api) -> str:
    return template.removesuffix(TEMPLATE_SUFFIX).replace("{package}", api.package)


def _failure_site(exc: BaseException, fallback: str) -> tuple[str, int | None, str]:
    """The template file and line that failed, and the spec element it was rendering.

    Jinja rewrites tracebacks so template frames carry the template's file, line
    and variables; the innermost variable that knows its JSON pointer names the
    spec element.
    """
    where, line, element = fallback, None, ""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename.endswith(TEMPLATE_SUFFIX):
            where, line = frame.f_code.co_filename, tb.tb_lineno
            for value in frame.f_locals.values():
                pointer = getattr(value, "pointer", None)
                if isinstance(pointer, str) and not isinstance(value, type):
                    element = pointer
        tb = tb.tb_next
    return where, line, element


def render_templates(api: Api, template_dirs: list[Path]) -> dict[str, str]:
    """Every output file (relative path → text) the templates produce for `api`."""
    env = _shared_environment(tuple(template_dirs))
    rendered: dict[str, str] = {}
    for relative, path in template_files(template_dirs).items():
        if not relative.endswith(TEMPLATE_SUFFIX):
            rendered[output_path(relative, api)] = path.read_text(encoding="utf-8")
            continue
        try:
            rendered[output_path(relative, api)] = env.get_template(relative).render(api=api)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or relative}:{exc.lineno}: template syntax error: {exc.message}") from None
        except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's
            where, line, element = _failure_site(exc, relative)
            at = f"{where}:{line}" if line else where
            subject = f"{api.spec_label}#{element}" if element else api.spec_label
            raise TemplateError(f"{at}: {type(exc).__name__}: {exc} (while rendering {subject})") from None
    return rendered


def check_user_templates(folder: Path) -> list[Problem]:
    """Files in a user's template folder that would silently do nothing: each is a warning."""
    ours = default_templates() / MODEL_TEMPLATES
    known_models = {p.relative_to(root).as_posix() for root in (DCG_TEMPLATES, ours) for p in root.rglob("*.jinja2")}
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith(f"{MODEL_TEMPLATES}/"):
            if relative.removeprefix(f"{MODEL_TEMPLATES}/") not in known_models:
                problems.append(Problem(Level.WARNING, path, "", "matches no datamodel-code-generator template, so it is never used"))
    return problems
