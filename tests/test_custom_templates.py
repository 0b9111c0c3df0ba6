"""Custom templates: a user's folder overrides defaults of the same path (model
templates included), adds files, and reports what would silently do nothing.

The golden output of the fixture folder is stored as the files that differ
from the default output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import make_target
from generator.pipeline import generate_files
from generator.rendering.templates import TemplateError, check_user_templates
from tests.golden import assert_golden_tree

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = FIXTURES / "mini" / "openapi.yaml"


def files_with(templates: Path | None) -> dict[str, str]:
    target = make_target(SPEC, "mini_pets", Path("unused"), templates, FIXTURES.parent)
    return {
        name: content.decode() for name, content in generate_files(target).files.items()
    }


def test_fixture_templates_change_exactly_the_expected_files() -> None:
    default, custom = files_with(None), files_with(FIXTURES / "custom_templates")
    assert default.keys() == custom.keys()
    changed = {name: text for name, text in custom.items() if default[name] != text}
    assert_golden_tree(changed, FIXTURES / "custom_templates_expected")


def test_model_template_override_keeps_our_other_model_templates(
    tmp_path: Path,
) -> None:
    root_model = tmp_path / "models" / "pydantic_v2" / "RootModel.jinja2"
    root_model.parent.mkdir(parents=True)
    root_model.write_text("# custom RootModel template\n")
    models = files_with(tmp_path)["mini_pets/models.py"]
    one_line_docstring = (
        'class Pet(ApiModel):\n    """A pet with a "quoted" description."""'
    )
    assert one_line_docstring in models, "our BaseModel template must still apply"


def test_user_model_template_replaces_ours(tmp_path: Path) -> None:
    base_model = tmp_path / "models" / "pydantic_v2" / "BaseModel.jinja2"
    base_model.parent.mkdir(parents=True)
    base_model.write_text(
        "class {{ class_name }}({{ base_class }}):\n    '''house style'''\n"
    )
    models = files_with(tmp_path)["mini_pets/models.py"]
    assert 'class Pet(ApiModel):\n    """house style"""' in models


def test_templates_that_do_nothing_are_warnings_and_plain_files_are_copied(
    tmp_path: Path,
) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "Nope.jinja2").write_text("x")
    (tmp_path / "{package}").mkdir()
    (tmp_path / "{package}" / "extra.py").write_text("VALUE = {'a': 1}\n")
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "--spec",
            str(SPEC),
            "--package",
            "mini_pets",
            "--output",
            str(tmp_path / "out"),
            "--templates",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"specgen: {tmp_path / 'models' / 'Nope.jinja2'}: warning: "
        "matches no datamodel-code-generator template, so it is never used",
    ]
    assert (
        tmp_path / "out" / "mini_pets" / "extra.py"
    ).read_text() == 'VALUE = {"a": 1}\n'  # copied, then formatted


def test_template_error_names_template_line_and_spec_element(tmp_path: Path) -> None:
    (tmp_path / "ops.txt.jinja").write_text(
        "{% for op in api.operations %}\n{{ op.no_such_field }}\n{% endfor %}\n"
    )
    with pytest.raises(TemplateError) as raised:
        files_with(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'ops.txt.jinja'}:2: UndefinedError: "
        "'generator.intermediate.model.Operation object' has no attribute 'no_such_field'"
        " (while rendering fixtures/mini/openapi.yaml#/paths/~1pets~1{petId}/get)"
    )


def test_a_copy_of_every_default_template_changes_nothing_and_warns_of_nothing(
    tmp_path: Path,
) -> None:
    assert CliRunner().invoke(main, ["templates", "init", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "models" / "pydantic_v2" / "BaseModel.jinja2").is_file()
    assert (tmp_path / "{package}" / "_base.py").is_file()
    assert not (tmp_path / "__init__.py").exists()
    assert check_user_templates(tmp_path) == []
    assert files_with(tmp_path) == files_with(None)


def test_templates_list_and_init(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["templates", "init", str(tmp_path), "{package}/errors.py"]
    )
    assert result.exit_code == 0 and (tmp_path / "{package}" / "errors.py").is_file()
    listing = runner.invoke(
        main, ["templates", "list", "--templates", str(tmp_path)]
    ).output.splitlines()
    assert any(line.startswith("{package}/errors.py  [custom ]") for line in listing)
    assert any(
        line.startswith("{package}/client.py.jinja  [default]") for line in listing
    )
    assert (
        runner.invoke(
            main, ["templates", "init", str(tmp_path), "nope.jinja"]
        ).exit_code
        == 2
    )
