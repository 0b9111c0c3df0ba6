"""Templates alone: render one with a small hand-built model and compare with a small
expected file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.intermediate.model import (
    Api,
    Operation,
    Parameter,
    Response,
    SecurityScheme,
    Server,
    TypeRef,
)
from generator.naming import ClassName, PythonIdentifier
from generator.output.formatting import format_files
from generator.rendering.defaults import default_templates
from generator.rendering.templates import make_environment, render_templates
from tests.golden import assert_golden_tree

EXPECTED = Path(__file__).parent / "fixtures" / "templates"


def tiny_api() -> Api:
    """One GET with a path parameter and a typed 200, and two credentials."""
    pet = TypeRef("models.Pet", ("Pet",), is_model_class=True)
    operation = Operation(
        operation_id="getPet",
        method_name=PythonIdentifier("getPet"),
        http_method="GET",
        path="/pets/{pet id}",
        summary='Fetch a pet """safely"""',
        description="",
        tags=(),
        deprecated=False,
        parameters=(
            Parameter(
                "pet id",
                PythonIdentifier("pet id"),
                "path",
                True,
                TypeRef("str"),
                "The id.",
            ),
        ),
        request_body=None,
        responses=(
            Response("200", "The pet.", "application/json", pet, True),
            Response("default", "Error.", None, None, False),
        ),
        security=(("bearer",),),
    )
    return Api(
        title="Tiny",
        version="1",
        description="",
        package=PythonIdentifier("tiny"),
        distribution="tiny",
        spec_label="tiny.yaml",
        servers=(Server("https://tiny.example", ""),),
        operations=(operation,),
        security_schemes=(
            SecurityScheme(
                "bearer",
                ClassName("BearerAuth"),
                "bearer",
                "header",
                "Authorization",
                "Bearer ",
                "A JWT.",
            ),
            SecurityScheme(
                "session", ClassName("SessionAuth"), "apiKey", "cookie", "sid", "", ""
            ),
        ),
        model_names=("Pet",),
    )


@pytest.mark.parametrize(
    "template", ["{package}/auth.py.jinja", "{package}/_operations.py.jinja"]
)
def test_template_renders_expected_file(template: str) -> None:
    rendered = (
        make_environment([default_templates()])
        .get_template(template)
        .render(api=tiny_api())
    )
    name = Path(template).name.removesuffix(".jinja")
    text = format_files({name: rendered}, package="tiny")[name]
    assert_golden_tree(
        {name: text}, EXPECTED / Path(template).name.removesuffix(".py.jinja")
    )


def test_user_templates_override_and_add(tmp_path: Path) -> None:
    (tmp_path / "{package}").mkdir()
    (tmp_path / "{package}" / "errors.py.jinja").write_text(
        '"""custom errors for {{ api.title }}"""\n'
    )
    (tmp_path / "EXTRA.md.jinja").write_text(
        "{{ api.operations | length }} operation(s)\n"
    )
    files = render_templates(tiny_api(), [tmp_path, default_templates()])
    assert files["tiny/errors.py"] == '"""custom errors for Tiny"""\n'
    assert files["EXTRA.md"] == "1 operation(s)\n"
    assert "tiny/client.py" in files
