"""`partials/samples.jinja`: how the intermediate model's samples are written as Python.

The model says what a sample is (`Sample`, a credential's `sample_secrets`); these
macros decide how generated tests and README examples write it, so a user's copy of
the partial can write it another way.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from generator.intermediate.model import (
    BodyMedia,
    RequestBody,
    Sample,
    SecurityScheme,
    TypeRef,
)
from generator.media import BodyKind
from generator.naming import ClassName
from generator.rendering.defaults import default_templates
from generator.rendering.templates import make_environment

ENV = make_environment([default_templates()])


def written(macro: str, **context: Any) -> str:
    source = (
        '{% import "partials/samples.jinja" as samples %}{{ samples.' + macro + " }}"
    )
    return ENV.from_string(source).render(**context)


@pytest.mark.parametrize(
    ("sample", "python", "value"),
    [
        (Sample(1), "1", 1),
        (Sample(None), "None", None),
        (Sample('a "b"\n'), """'a "b"\\n'""", 'a "b"\n'),
        (Sample({"k": [True]}), '{"k": [True]}', {"k": [True]}),
        (
            Sample("3fa85f64-5717-4562-b3fc-2c963f66afa6", "uuid"),
            'UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")',
            uuid.UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ),
        (
            Sample("2024-05-06T07:08:09Z", "date-time"),
            'datetime.fromisoformat("2024-05-06T07:08:09Z")',
            datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
        ),
        (
            Sample("2024-05-06", "date"),
            'date.fromisoformat("2024-05-06")',
            datetime.date(2024, 5, 6),
        ),
        (
            Sample(
                ["2024-05-06", "2024-05-07"],
                "list",
                items=(Sample("2024-05-06", "date"), Sample("2024-05-07", "date")),
            ),
            '[date.fromisoformat("2024-05-06"), date.fromisoformat("2024-05-07")]',
            [datetime.date(2024, 5, 6), datetime.date(2024, 5, 7)],
        ),
    ],
)
def test_a_sample_is_written_as_the_python_value_it_means(
    sample: Sample, python: str, value: Any
) -> None:
    assert written("value(sample)", sample=sample) == python
    names = {"UUID": uuid.UUID, "datetime": datetime.datetime, "date": datetime.date}
    assert eval(python, names) == value


def test_model_and_enum_samples_go_through_their_class() -> None:
    model = Sample({"name": "x"}, "model", class_name="Job")
    enum = Sample("A", "enum", class_name="Kind")
    assert written("value(s)", s=model) == 'models.Job.model_validate({"name": "x"})'
    assert written("value(s)", s=enum) == 'models.Kind("A")'


@pytest.mark.parametrize(
    ("kind", "python"),
    [("basic", 'Basic("user", "secret")'), ("bearer", 'Basic("secret")')],
)
def test_a_credential_is_its_class_called_with_the_sample_secrets(
    kind: Any, python: str
) -> None:
    scheme = SecurityScheme(
        "k", ClassName("Basic"), kind, "header", "Authorization", "", ""
    )
    assert written("credential(scheme)", scheme=scheme) == python


@pytest.mark.parametrize(
    ("type_ref", "python"),
    [
        (
            TypeRef("models.Pet", ("Pet",), is_model_class=True),
            "models.Pet.model_validate(DATA)",
        ),
        (
            TypeRef("list[models.Pet]", ("Pet",)),
            "TypeAdapter(list[models.Pet]).validate_python(DATA)",
        ),
        (
            TypeRef("UUID", stdlib=(("uuid", "UUID"),)),
            "TypeAdapter(UUID).validate_python(DATA)",
        ),
        (TypeRef("list[int]"), "DATA"),
    ],
)
def test_a_typed_value_is_validated_only_when_its_type_needs_it(
    type_ref: TypeRef, python: str
) -> None:
    assert written("typed(type, 'DATA')", type=type_ref) == python


@pytest.mark.parametrize(
    ("kind", "python"),
    [
        ("json", "models.Pet.model_validate(BODY)"),
        ("form", "models.Pet.model_validate(BODY)"),
        ("text", "BODY"),
        ("binary", "BODY.encode()"),
    ],
)
def test_an_example_body_is_written_as_its_media_type_takes_it(
    kind: BodyKind, python: str
) -> None:
    pet = TypeRef("models.Pet", ("Pet",), is_model_class=True)
    media = BodyMedia("application/x", kind, pet)
    body = RequestBody("application/x", pet, True, "", media=(media,))
    assert written("body(request_body, 'BODY')", request_body=body) == python
