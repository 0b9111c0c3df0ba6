"""The per-call surface as the generator models it: each parameter's constraints and the
type that checks them, values that break them, what a call raises, and docstrings
wrapped at the line length. The generated package's own tests (`test_calls.py`) run
the result; `tests/runtime/test_runtime_calls.py` tests the runtime that runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from generator.intermediate.build import ApiBuilder
from generator.intermediate.constraints import (
    breaking_value,
    check_dependencies,
    constraints_of,
)
from generator.intermediate.model import Constraints, Parameter
from generator.models.codegen import ModelClass
from generator.rendering.templates import LINE_LENGTH, docstring_wrapped
from tests.conftest import REPO_ROOT
from tests.standalone import runtime_base

CALLS = REPO_ROOT / "tests" / "fixtures" / "calls" / "openapi.yaml"


def parameters(document: dict[str, Any]) -> dict[str, Parameter]:
    builder = ApiBuilder(document, {})
    found: dict[str, Parameter] = {}
    for operation in builder.operations():
        for parameter in operation.parameters:
            found.setdefault(parameter.name, parameter)
    return found


def document_with(schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    parameter = {"name": "p", "in": "query", "required": required, "schema": schema}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"parameters": [parameter], "responses": {}}}},
    }


def checked_as(schema: dict[str, Any], *, required: bool = False) -> str:
    return parameters(document_with(schema, required=required))[
        "p"
    ].checked_type.annotation


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"type": "integer", "minimum": 1}, "Annotated[StrictInt, Field(ge=1)] | None"),
        (
            {"type": "integer", "minimum": 1, "exclusiveMinimum": True},
            "Annotated[StrictInt, Field(gt=1)] | None",
        ),
        (
            {"type": "number", "exclusiveMaximum": 2.5, "multipleOf": 0.5},
            "Annotated[StrictFloat, Field(lt=2.5, multiple_of=0.5)] | None",
        ),
        (
            {"type": "string", "minLength": 2, "pattern": "^a+$"},
            "Annotated[StrictStr, Field(min_length=2, pattern='^a+$')] | None",
        ),
        (
            {
                "type": "array",
                "maxItems": 3,
                "uniqueItems": True,
                "items": {"type": "boolean"},
            },
            "Annotated[list[StrictBool], Field(max_length=3), "
            "AfterValidator(unique_items)] | None",
        ),
        ({"type": "string", "enum": ["a", "b"]}, "Literal['a', 'b'] | None"),
        ({"type": "string", "format": "uuid"}, "UUID | None"),
        ({"type": "string", "format": "uri"}, "UriStr | None"),
        ({"type": "string", "format": "email"}, "EmailStr | None"),
        ({"type": "string", "format": "idn-email"}, "EmailStr | None"),
        ({"type": "string"}, "StrictStr | None"),
    ],
)
def test_each_constraint_is_in_the_type_a_value_is_checked_as(
    schema: dict[str, Any], annotation: str
) -> None:
    assert checked_as(schema).replace('"', "'") == annotation


def test_the_signature_type_stays_what_callers_pass() -> None:
    found = parameters(document_with({"type": "integer", "minimum": 1}))["p"]
    assert found.type.annotation == "int | None"
    assert found.constraints == Constraints(ge=1)
    assert found.constraints.summary == "at least 1"


def test_a_required_parameter_is_checked_without_none() -> None:
    assert checked_as({"type": "integer"}, required=True) == "StrictInt"


def test_a_pattern_only_python_reads_is_compiled_as_ecma_262_reads_it() -> None:
    # Rust's engine refuses look-ahead; `$` is the very end, as in ECMA-262.
    annotation = checked_as({"type": "string", "pattern": "^(?=a)a$"})
    assert 'pattern=compile("^(?=a)a\\\\Z", ASCII)' in annotation


def test_a_pattern_no_engine_reads_is_left_out_with_a_warning() -> None:
    builder = ApiBuilder(document_with({"type": "string", "pattern": "(?<=a"}), {})
    (operation,) = builder.operations()
    assert operation.parameters[0].checked_type.annotation == "StrictStr | None"
    assert any("pattern" in w.message for w in builder.warnings)


@pytest.mark.parametrize(
    ("schema", "rule"),
    [
        ({"type": "integer", "minimum": 1}, "ge"),
        ({"type": "integer", "maximum": 10}, "le"),
        ({"type": "number", "exclusiveMinimum": 0}, "gt"),
        ({"type": "string", "maxLength": 3}, "max_length"),
        ({"type": "string", "minLength": 3}, "min_length"),
        ({"type": "string", "enum": ["a"]}, "enum"),
        ({"type": "string", "format": "date-time"}, "format"),
        ({"type": "string", "format": "email"}, "format"),
        ({"type": "boolean"}, "type"),
        ({"type": "array", "items": {"type": "string"}}, "type"),
    ],
)
def test_the_breaking_value_is_refused_by_the_check(
    schema: dict[str, Any], rule: str
) -> None:
    """The generated tests rely on it: the value breaks the rule, and the check says so."""
    kind = schema["type"]
    found, value, named = breaking_value(schema, kind, constraints_of(schema, kind)[0])
    assert found and named == rule
    namespace: dict[str, Any] = {}
    exec(
        "from typing import *\nfrom pydantic import *\nfrom datetime import *\n"
        "from uuid import UUID\nfrom ipaddress import *\n",
        namespace,
    )
    namespace.update(runtime_strings())
    exec(f"T = {checked_as(schema, required=True)}", namespace)
    with pytest.raises(ValidationError):
        TypeAdapter(namespace["T"]).validate_python(value)


def runtime_strings() -> dict[str, Any]:
    """The runtime's string types a parameter check names (`from ._base import ...`)."""
    return {"EmailStr": runtime_base().EmailStr, "UriStr": runtime_base().UriStr}


@pytest.mark.parametrize(
    ("fmt", "value", "taken"),
    [
        ("email", "jane@example.com", True),
        ("email", "Jane <jane@example.com>", False),  # pydantic's `EmailStr` takes it
        ("uri", "https://example.com", True),
        ("uri", "example.com", False),
    ],
)
def test_a_formatted_parameter_is_checked_as_a_model_field_is(
    fmt: str, value: str, taken: bool
) -> None:
    annotation = checked_as({"type": "string", "format": fmt}, required=True)
    adapter: TypeAdapter[Any] = TypeAdapter(eval(annotation, runtime_strings()))
    if taken:
        assert adapter.validate_python(value) == value  # as written
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_an_email_parameter_is_checked_as_the_models_check_an_email_field() -> None:
    """`EmailStr` in both, so the package needs `email-validator` for its checks
    even when no model has an email field (the fixture's have none)."""
    from generator.pipeline import build_api_for
    from tests.test_realworld import target_for

    built = build_api_for(target_for(CALLS, "calls"))
    assert "EmailStr" not in built.models_source
    (notify,) = [
        p for o in built.api.operations for p in o.parameters if p.name == "notify"
    ]
    assert notify.checked_type.annotation == "EmailStr | None"
    assert notify.invalid_rule == "format"
    assert built.api.model_dependencies == ("email-validator>=2",)
    plain = document_with({"type": "string", "format": "uri"})
    assert check_dependencies([parameters(plain)["p"].checked_type]) == ()


@pytest.mark.parametrize(
    ("example", "sample"),
    [
        ("jane@example.com", "jane@example.com"),
        ("jane@example.test", "someone@example.com"),  # `EmailStr` refuses `.test`
        ("jane@localhost", "someone@example.com"),
    ],
)
def test_an_email_example_is_the_sample_only_when_the_check_takes_it(
    example: str, sample: str
) -> None:
    schema = {"type": "string", "format": "email"}
    document = document_with(schema, required=True)
    document["paths"]["/x"]["get"]["parameters"][0]["example"] = example
    assert parameters(document)["p"].sample.value == sample
    TypeAdapter(runtime_base().EmailStr).validate_python(sample)


def test_no_breaking_value_is_made_for_a_union() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
    assert breaking_value(schema, None, Constraints()) == (False, None, "")


def test_a_call_raises_the_class_of_each_documented_error() -> None:
    document = yaml.safe_load(CALLS.read_text("utf-8"))
    classes = {n: ModelClass(n, "model") for n in document["components"]["schemas"]}
    builder = ApiBuilder(document, classes)
    raised = {str(o.method_name): o.raised for o in builder.operations()}
    get_item = [name for name, _ in raised["get_item"]]
    assert get_item == [
        "NotFoundError",
        "ApiError",
        "ResponseValidationError",
        "RequestValidationError",
        "TransportError",
    ]
    assert raised["put_item"][0] == (
        "UnprocessableEntityError",
        "For HTTP 422 (The item is invalid).",
    )


def test_the_error_classes_are_the_runtime_s() -> None:
    """`ERROR_CLASSES` is what `errors.py` raises per status, read from the runtime."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from specgen_runtime.errors import _BY_STATUS;"
        "print({k: v.__name__ for k, v in _BY_STATUS.items()})"
    )
    from generator.intermediate.model import ERROR_CLASSES
    from tests.runtime.conftest import RUNTIME_PACKAGE

    shown = subprocess.run(
        [sys.executable, "-c", code, str(RUNTIME_PACKAGE.parent)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == str(ERROR_CLASSES)


def test_docstrings_are_wrapped_at_the_line_length_and_keep_line_breaks() -> None:
    text = (
        ("word " * 40).strip() + "  \n* a list item " + "that goes on " * 8 + "\n\nEnd"
    )
    wrapped = docstring_wrapped(text, 8, first=11)
    lines = wrapped.split("\n")
    assert all(line == line.rstrip() for line in lines)
    assert len(" " * 11 + lines[0]) <= LINE_LENGTH
    assert all(len(line) <= LINE_LENGTH for line in lines[1:])
    item = next(
        i for i, line in enumerate(lines) if line.startswith("        * a list")
    )
    assert lines[item + 1].startswith("          that")  # hangs under its text
    assert lines[-2:] == ["", "        End"]


def test_a_long_word_is_not_broken_and_a_last_quote_is_escaped() -> None:
    url = "https://example.com/" + "a" * 100
    assert docstring_wrapped(f"See {url}", 8) == f"See\n        {url}"
    assert docstring_wrapped('say "hi"', 8) == 'say "hi\\"'


@pytest.mark.slow
def test_the_generated_package_runs_its_call_tests(tmp_path: Path) -> None:
    """The fixture's package, generated: its `test_calls.py` (every constraint of its
    parameters refused before sending, extras, docstrings) and `mypy --strict`."""
    out = tmp_path / "calls"
    generate = [sys.executable, "-m", "generator", "generate", "--spec", str(CALLS)]
    generate += ["--package", "calls", "--output", str(out)]
    subprocess.run(generate, cwd=REPO_ROOT, check=True, capture_output=True)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "calls", "tests/test_calls.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert typed.returncode == 0, typed.stdout[-3000:]
