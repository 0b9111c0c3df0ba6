"""The `models` module of the runtime's test package: what `_endpoint` parses into.

conftest.py copies it into `specgen_runtime` as `models.py`, where generated
packages have theirs; shaped like datamodel-code-generator's output on our templates.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, RootModel
from specgen_runtime._base import ApiModel, unknown_member


class Kind(StrEnum):
    DOG = "dog"
    CAT = "cat"

    @classmethod
    def _missing_(cls, value: object) -> Kind | None:
        return unknown_member(cls, value)


class Pet(ApiModel):
    pet_id: int = Field(alias="petId")
    name: str
    kind: Kind | None = None


class Problem(ApiModel):
    message: str


class Names(RootModel[list[str]]):
    root: list[str]
