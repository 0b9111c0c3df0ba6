"""docs/templates.md cannot go stale: it documents exactly the template context
the code builds, every filter, and its worked examples are the tested fixture."""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re

import pytest

from generator.intermediate import model
from generator.rendering.templates import make_environment
from tests.conftest import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
CLASSES = [
    model.Api,
    model.Operation,
    model.Resource,
    model.Parameter,
    model.Sample,
    model.RequestBody,
    model.Response,
    model.TypeRef,
    model.SecurityScheme,
    model.Server,
    model.ServerVariable,
    model.Webhook,
    model.Example,
    model.ValidationCase,
]
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "custom_templates"


def public_names(cls: type) -> set[str]:
    fields = {f.name for f in dataclasses.fields(cls)}
    members = {
        name
        for name, value in vars(cls).items()
        if isinstance(value, property | functools.cached_property)
        or inspect.isfunction(value)
    }
    return {name for name in fields | members if not name.startswith("_")}


def documented_names(cls: type) -> set[str]:
    section = re.search(rf"^### {cls.__name__}\n(.*?)(?=^##)", DOC, flags=re.S | re.M)
    assert section, f"docs/templates.md has no section for {cls.__name__}"
    names: set[str] = set()
    for line in section.group(1).splitlines():
        if line.startswith("- "):
            names.update(re.findall(r"`(\w+)(?:\(\w*\))?`", line.split(":")[0]))
    return names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_context_attribute_is_documented_and_exists(cls: type) -> None:
    assert documented_names(cls) == public_names(cls)


def test_every_filter_of_ours_is_documented() -> None:
    ours = set(make_environment([]).filters) - set(
        make_environment([]).__class__().filters
    )
    documented = set(
        re.findall(
            r"^- `(\w+)`:", DOC.split("## Filters", 1)[1].split("##", 1)[0], flags=re.M
        )
    )
    assert documented == ours


def test_worked_examples_are_the_tested_fixture() -> None:
    blocks = re.findall(
        r"```(?:jinja|python)\n(.*?)```", DOC.split("## Example 1", 1)[1], flags=re.S
    )
    methods = (FIXTURE / "partials" / "client_methods.jinja").read_text(
        encoding="utf-8"
    )
    base = (FIXTURE / "{package}" / "_base.py").read_text(encoding="utf-8")
    assert blocks[0] in methods
    assert blocks[1] in base
