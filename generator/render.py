"""Render the package's templates with the intermediate model.

Templates mirror the output tree: `templates/{package}/client.py.jinja`
becomes `<output>/<package>/client.py`. A user's template folder is searched
first, so a file there replaces the default of the same relative path and a
new file adds an output file. `models/` holds datamodel-code-generator's
templates and is rendered by it, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from generator.model import Api

TEMPLATE_SUFFIX = ".jinja"
MODEL_TEMPLATES = "models"
PARTIALS = "partials"
"""Macros and includes that other templates import; they produce no file of their own."""
DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class TemplateError(Exception):
    """A template could not be rendered; the message names the template and line."""


def python_string(value: Any) -> str:
    """A Python string literal holding `value` as text, whatever it contains."""
    return repr(str(value))


def docstring_text(value: Any) -> str:
    """Text that is safe between triple double quotes: no early end, no escapes."""
    text = str(value).strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return text + " " if text.endswith('"') else text


def python_literal(value: Any) -> str:
    """JSON-like data (from the spec) as a Python literal; black lays it out."""
    return repr(value)


def comment_text(value: Any) -> str:
    """Text that is safe after `#`: one line."""
    return " ".join(str(value).split())


def template_files(template_dirs: list[Path]) -> dict[str, Path]:
    """Relative template path → the file it resolves to, earlier folders winning."""
    found: dict[str, Path] = {}
    for folder in reversed(template_dirs):
        for path in sorted(folder.rglob(f"*{TEMPLATE_SUFFIX}")):
            relative = path.relative_to(folder).as_posix()
            if not relative.startswith((f"{MODEL_TEMPLATES}/", f"{PARTIALS}/")):
                found[relative] = path
    return dict(sorted(found.items()))


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(pystr=python_string, pyliteral=python_literal, docstring=docstring_text, comment=comment_text)
    return env


def output_path(template: str, api: Api) -> str:
    return template[: -len(TEMPLATE_SUFFIX)].replace("{package}", api.package)


def render_templates(api: Api, template_dirs: list[Path]) -> dict[str, str]:
    """Every output file (relative path → text) the templates produce for `api`."""
    env = make_environment(template_dirs)
    rendered: dict[str, str] = {}
    for relative in template_files(template_dirs):
        try:
            rendered[output_path(relative, api)] = env.get_template(relative).render(api=api)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename or relative}:{exc.lineno}: template syntax error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{relative}: template error while rendering {api.spec_label}: {exc}") from None
    return rendered
