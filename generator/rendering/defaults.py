"""Where specgen's default templates are: package data.

The same lookup works for a checkout, an editable install and a wheel.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

DEFAULTS_PACKAGE = "generator.templates"
"""The repository's `templates/` folder, installed inside the `generator` package."""
REQUIRED = ("{package}/__init__.py.jinja", "models/pydantic_v2/BaseModel.jinja2")
"""Files without which a generated package would be incomplete."""


class TemplatesMissingError(Exception):
    """The default templates are not installed: specgen must stop before writing anything."""


@cache
def default_templates() -> Path:
    """The folder holding the default templates.

    Raises `TemplatesMissingError` when it is absent or incomplete.
    """
    try:
        folder = Path(str(resources.files(DEFAULTS_PACKAGE)))
    except (ModuleNotFoundError, TypeError):
        folder = None
    if folder is None or not all((folder / name).is_file() for name in REQUIRED):
        raise TemplatesMissingError(
            "specgen's default templates are missing from its installation "
            f"(package {DEFAULTS_PACKAGE}); reinstall specgen"
        )
    return folder
