"""Long model lines are laid out as black lays them out, and black's result never changes because of it."""

from __future__ import annotations

import ast
import itertools

import pytest

from generator.black_layout import lay_out_long_lines
from generator.chunks import split_module
from generator.config import Target, load_targets
from generator.formatting import format_black, sort_imports
from generator.loader import load_spec
from generator.normalize import normalize
from generator.models_codegen import generate_models
from generator.render import DEFAULT_TEMPLATES, MODEL_TEMPLATES
from tests.conftest import REPO_ROOT

TYPES = [
    "StrictStr",
    "list[StrictStr] | None",
    "dict[str, StrictStr] | None",
    "PlatformComponentStringValuesMap | None",
    "AlphaBetaGammaDelta | EpsilonZetaEtaTheta | IotaKappaLambdaMu | None",
    'Literal["a", "b", "c"]',
]
FIELDS = [
    'Field(alias="allowedValues")',
    "Field(alias='x', examples=['17'])",
    'Field(alias="deployment.update_strategy.rolling_update.max_surge_percent")',
    'Field(examples=[["13.59.73.12", "18.224.119.19", "3.143.66.53"]])',
    'Field(ge=-1, le=10, description="a long description of what this is for, really")',
    "Field(pattern='^\\\\d+$')",
    'Field(examples=[{"a": 1, "b": [1, 2]}], discriminator="kind")',
    'Field(examples=["only for errors. it gives a possible action to the user -- Markdown can be injected"])',
]
DEFAULTS = ["", " = None", " = 5", ' = "abc"', " = Kind.A", " = []", " = -1"]


def _classes() -> list[str]:
    """One class per over-long line shape: fields, class headers and method headers of every length."""
    classes = []
    for length, type_, field, default in itertools.product((8, 30, 60), TYPES, FIELDS, DEFAULTS):
        name = "n" * length
        for line in (f"    {name}: Annotated[{type_}, {field}]{default}", f"    {name}: {type_}{default}"):
            if len(line) > 88:
                classes.append(f"class A(ApiModel):\n{line}\n    b: int = 1\n")
    for length, bases in itertools.product((20, 50, 80), ("RootModel[list[ItemResponse]]", "Base, Request", "RootModel[Alpha | Beta | Gamma | Delta | Epsilon]")):
        classes.append(f"class {'C' * length}({bases}):\n    pass\n")
        classes.append(f"class E(StrEnum):\n    A = \"A\"\n\n    @classmethod\n    def _missing_(cls, value: object) -> {'E' * length} | None:\n        return None\n")
    return [source for source in classes if max(len(line) for line in source.splitlines()) > 88]


@pytest.fixture(scope="module")
def laid_out() -> list[tuple[str, str, str]]:
    """Each class, as laid out, and as black formats it."""
    return [(source, lay_out_long_lines(source, ast.parse(source)), format_black(source, name="models.py")) for source in _classes()]


def test_black_formats_the_laid_out_lines_as_it_formats_the_originals(laid_out: list[tuple[str, str, str]]) -> None:
    """Whatever the layout does, black's output is the same: it may only save black a pass."""
    changed = [source for source, out, black in laid_out if out != black and format_black(out, name="models.py") != black]
    assert not changed, changed[:3]


def test_nearly_every_long_line_is_laid_out_exactly_as_black_would(laid_out: list[tuple[str, str, str]]) -> None:
    inexact = [source for source, out, black in laid_out if out != black]
    assert len(inexact) <= 0.05 * len(laid_out), inexact[:5]


def test_lines_of_a_docstring_are_never_laid_out() -> None:
    """Only the tree says what is code: a docstring line that reads like a field stays as it is."""
    text = "    note: Annotated[" + "x" * 80 + ", Field(alias='y')] = None"
    source = f'class A(ApiModel):\n    """Docs.\n\n{text}\n    """\n\n    b: int = 1\n'
    assert lay_out_long_lines(source, ast.parse(source)) == source


def test_a_class_docstring_loses_trailing_blanks_unless_a_backslash_makes_black_keep_it() -> None:
    stripped = 'class A(ApiModel):\n    """First line.  \n\n    More.   \n    """\n'
    assert lay_out_long_lines(stripped, ast.parse(stripped)) == 'class A(ApiModel):\n    """First line.\n\n    More.\n    """\n'
    kept = 'class A(ApiModel):\n    """First line.  \\\n    More.   \n    """\n'
    assert lay_out_long_lines(kept, ast.parse(kept)) == kept


def test_lines_that_fit_and_lines_it_does_not_model_are_left_alone() -> None:
    source = "class A(ApiModel):\n    short: StrictStr | None = None\n    value: " + " + ".join(["alpha_beta_gamma"] * 6) + "  # a comment\n"
    assert lay_out_long_lines(source, ast.parse(source)) == source


@pytest.mark.parametrize("target", load_targets(REPO_ROOT / "pyproject.toml"), ids=lambda t: t.package)
def test_black_formats_every_piece_of_the_curated_models_in_one_pass(target: Target) -> None:
    """datamodel-code-generator's output, laid out, is already black's: no piece costs black a second pass."""
    document = normalize(load_spec(target.spec).document)
    models = generate_models(document, package="pkg", header="Models.", template_dir=DEFAULT_TEMPLATES / MODEL_TEMPLATES)
    pieces = split_module(sort_imports(models.source, name="models.py", package="pkg"))
    dirty = [piece.source for piece in pieces if format_black(piece.source, name="models.py") != piece.source]
    assert not dirty, dirty[:3]
