"""Over-long statements laid out ahead of black: black's bytes still, in one pass instead of two."""

from __future__ import annotations

import ast
from pathlib import Path

import black
import pytest

from generator.formatting import _black_mode, format_black
from generator.prelayout import prelayout
from tests.conftest import REPO_ROOT


def run_black(source: str) -> str:
    return black.format_str(source, mode=_black_mode())


LONG_FIELD = '    service_version: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18", "19"])] = None\n'
CLEAN_BUT_LONG = (
    "from typing import Annotated\n\nfrom pydantic import BaseModel, Field\n\n\n"
    "class Version(BaseModel):\n"
    '    """One version."""\n\n'
    f"{LONG_FIELD}"
    '    """Its docstring, which is long enough to go past the line length limit, and black leaves it."""\n'
    "    allowed_values: Annotated[list[str] | None, Field(alias='allowedValues', max_length=3)] = None\n"
    "    short: int = 1\n\n"
    "    class Inner(BaseModel):\n"
    '        deeper_field_name: Annotated[list[str] | None, Field(alias="deeperFieldName", min_length=1)]\n\n\n'
    "class PlatformComponentConfigurationMap(RootModel[dict[str, PlatformConfigurationValues]]):\n"
    "    root: dict[str, PlatformConfigurationValues]\n\n\n"
    "def handler(first_argument: int, second_argument: str, third_argument: bytes) -> dict[str, int]:\n"
    "    return {}\n\n\n"
    "MODULE_LEVEL_CONSTANT: dict[str, tuple[int, ...]] = {'first': (1, 2, 3), 'second': (4, 5, 6)}\n"
)


def test_long_statements_and_headers_come_out_in_blacks_layout() -> None:
    laid_out = prelayout(CLEAN_BUT_LONG, run_black)
    assert laid_out == run_black(CLEAN_BUT_LONG)  # so black's own pass changes nothing: one pass, not two
    assert format_black(CLEAN_BUT_LONG, name="m.py") == run_black(CLEAN_BUT_LONG)


UNTOUCHED = [
    # text in a docstring that reads like a statement
    'class A:\n    """Doc.\n\n    value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18", "19"])] = None\n    """\n',
    # a comment shares the line
    'class A:\n    value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18"])] = None  # why\n',
    # another statement shares the line
    'value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18", "19"])] = None; x = 1\n',
    # inside a function, or a block that is not a class: left to black
    'def f():\n    value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18", "19"])] = None\n',
    'if True:\n    value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18", "19"])] = None\n',
    # not Python at all: black reports it
    "class A:\n    value: Annotated[StrictStr, Field(alias='serviceVersion', examples=['17', '18', '19'])] = (\n",
]


@pytest.mark.parametrize("source", UNTOUCHED)
def test_lines_that_do_not_stand_alone_are_left_as_they_are(source: str) -> None:
    assert prelayout(source, run_black) == source


def test_a_magic_trailing_comma_is_kept_as_black_keeps_it() -> None:
    source = 'class A:\n    value: Annotated[StrictStr, Field(alias="serviceVersion", examples=["17", "18",])] = None\n    other: int = 1\n'
    assert format_black(source, name="m.py") == run_black(source)


def _joined(source: str) -> str:
    """`source` with every module- and class-level assignment and definition header black split put back on one line."""
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    joins: dict[int, tuple[int, str]] = {}

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body)
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.end_lineno and node.end_lineno > node.lineno:
                segment = "".join(lines[node.lineno - 1 : node.end_lineno])
                if "#" not in segment and '"""' not in segment:
                    indent = segment[: len(segment) - len(segment.lstrip())]
                    joins[node.lineno - 1] = (node.end_lineno, indent + ast.unparse(node) + "\n")

    visit(tree.body)
    out, index = [], 0
    while index < len(lines):
        if index in joins:
            end, text = joins[index]
            out.append(text)
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "".join(out)


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "generated").rglob("*.py")),
)
def test_checked_in_modules_with_their_statements_joined_give_blacks_bytes(path: str) -> None:
    source = _joined((REPO_ROOT / path).read_text(encoding="utf-8"))
    assert format_black(source, name=path) == run_black(source)
    if path.endswith("models.py"):
        assert prelayout(source, run_black) != source  # there was something to lay out


def test_the_corpus_models_need_one_black_pass(corpus_models: str) -> None:
    """On Qovery's real models, almost every class is clean once its long lines are laid out."""
    from generator.chunks import split_module

    pieces = [piece.source for piece in split_module(corpus_models)]
    dirty_before = sum(run_black(piece) != piece for piece in pieces)
    laid_out = [prelayout(piece, run_black) for piece in pieces]
    dirty_after = sum(run_black(piece) != piece for piece in laid_out)
    assert [run_black(piece) for piece in laid_out] == [run_black(piece) for piece in pieces]
    assert dirty_before > 100 and dirty_after <= dirty_before // 10, (dirty_before, dirty_after)


@pytest.fixture(scope="module")
def corpus_models() -> str:
    from generator.formatting import sort_imports
    from generator.loader import load_spec
    from generator.models_codegen import generate_models
    from generator.normalize import normalize
    from generator.render import DEFAULT_TEMPLATES, MODEL_TEMPLATES

    corpus = REPO_ROOT.parent / "shared" / "corpus" / "qovery-openapi.yaml"
    if not corpus.is_file():
        pytest.skip("the corpus is not beside the repository")
    document = normalize(load_spec(Path(corpus)).document)
    models = generate_models(document, package="qovery", header="Models.", template_dir=DEFAULT_TEMPLATES / MODEL_TEMPLATES)
    return sort_imports(models.source, name="models.py", package="qovery")
