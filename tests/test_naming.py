"""Names from specs become safe, stable Python identifiers where they are created."""

from __future__ import annotations

import keyword

import pytest

from generator.naming import ClassName, NameRegistry, PythonIdentifier, pascal_case, snake_case


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
        ("None", "None_"),
        ("list", "List"),
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
    assert [classes.claim(ClassName(n)) for n in ("Job", "job", "JOB")] == ["Job", "Job2", "JOB"]
