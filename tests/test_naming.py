"""Names from specs become safe, stable Python identifiers where they are created."""

from __future__ import annotations

import keyword

import pytest

from generator.naming import (
    MODEL_MODULE_NAMES,
    ClassName,
    NameRegistry,
    PythonIdentifier,
    pascal_case,
    snake_case,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("createJob", "create_job"),
        ("X-Rate-Limit", "x_rate_limit"),
        ("HTTPServer", "http_server"),
        ("environmentId", "environment_id"),
        ("  spaced out  ", "spaced_out"),
        ("café", "cafe"),
    ],
)
def test_snake_case(raw: str, expected: str) -> None:
    assert snake_case(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("class", "class_"),
        ("json", "json_"),
        ("list", "list_"),
        ("self", "self_"),
        ("123abc", "value_123abc"),
        ("", "value"),
        ("日本", "value"),
        ("__init__", "init"),
        ("match", "match_"),
    ],
)
def test_python_identifier_sanitises(raw: str, expected: str) -> None:
    name = PythonIdentifier(raw)
    assert name == expected
    assert name.isidentifier() and not keyword.iskeyword(name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("job-request", "JobRequest"),
        ("JobRequest", "JobRequest"),
        ("my.dotted.Name", "MyDottedName"),
        ("404", "Model404"),
        ("None", "NoneModel"),
        ("list", "ListModel"),
        ("Field", "FieldModel"),
        ("Exception", "ExceptionModel"),
        ("thing", "Thing"),
    ],
)
def test_class_name_sanitises(raw: str, expected: str) -> None:
    assert ClassName(raw) == expected
    assert pascal_case("job_request") == "JobRequest"


def test_registry_resolves_collisions_without_losing_names() -> None:
    registry = NameRegistry({"self"})
    assert registry.claim(PythonIdentifier("fooBar")) == "foo_bar"
    second = registry.claim(PythonIdentifier("foo_bar"))
    assert second == "foo_bar_2" and isinstance(second, PythonIdentifier)
    classes = NameRegistry()
    assert [classes.claim(ClassName(n)) for n in ("Job", "job", "JOB")] == [
        "Job",
        "Job2",
        "JOB",
    ]


def test_class_names_avoid_every_name_a_models_module_can_import() -> None:
    """datamodel-code-generator renames a class shadowing one of its imports; ours must
    never need that."""
    import importlib
    import pkgutil

    import datamodel_code_generator
    from datamodel_code_generator.imports import Import

    imported: set[str] = set()
    for module in pkgutil.walk_packages(
        datamodel_code_generator.__path__, "datamodel_code_generator."
    ):
        if module.name.rsplit(".", 1)[-1] == "imports":
            for value in vars(importlib.import_module(module.name)).values():
                if isinstance(value, Import):
                    imported.add(value.alias or value.import_)
    names = {name for name in imported if name.isidentifier() and name[:1].isupper()}
    assert names, "found no imports: the library's layout changed"
    assert names <= MODEL_MODULE_NAMES, sorted(names - MODEL_MODULE_NAMES)
    assert all(ClassName(name) == f"{name}Model" for name in names)
