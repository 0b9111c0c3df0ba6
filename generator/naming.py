"""Safe Python names, made once where they are created.

Spec names (operationIds, parameter names, schema names, security scheme names)
can be anything: keywords, builtins, digits first, dashes, non-ASCII. Every name
that reaches generated code goes through `PythonIdentifier` or `ClassName`, and
collisions inside one namespace are settled by `NameRegistry`.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from typing import TypeVar

_Name = TypeVar("_Name", bound=str)

_WORD_BOUNDARY = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

#: Names that would shadow something a generated module or model relies on.
RESERVED: frozenset[str] = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {"self", "cls", "httpx", "typing", "pydantic", "models", "json", "copy", "dict", "schema", "fields"}
)

#: Names a generated models module may import (datamodel-code-generator's imports, and ours).
#: datamodel-code-generator silently renames a class that would shadow one (`Field` becomes
#: `Field1`) and drops a trailing underscore, so such schema names get a `Model` suffix here,
#: where the name is made, and both code paths agree on it.
MODEL_MODULE_NAMES: frozenset[str] = frozenset(
    {
        "AliasChoices", "Annotated", "Any", "AnyUrl", "ApiModel", "AwareDatetime", "Base64Bytes",
        "Base64Encoder", "Base64Str", "BaseModel", "ClassVar", "ConfigDict", "Date", "DateTime",
        "Decimal", "Dict", "Duration", "EmailStr", "EncodedBytes", "Enum", "Field", "FrozenSet",
        "FutureDate", "FutureDatetime", "IPv4Address", "IPv4Network", "IPv6Address", "IPv6Network",
        "IntEnum", "List", "Literal", "MISSING", "Mapping", "Meta", "MultipleOf", "NaiveDatetime",
        "NameEmail", "NegativeFloat", "NegativeInt", "NonNegativeFloat", "NonNegativeInt",
        "NonPositiveFloat", "NonPositiveInt", "NotRequired", "Optional", "PastDate", "PastDatetime",
        "Path", "PositiveFloat", "PositiveInt", "ReadOnly", "Required", "RootModel", "SecretStr",
        "Sequence", "SerializeAsAny", "Set", "StrEnum", "StrictBool", "StrictBytes", "StrictFloat",
        "StrictInt", "StrictStr", "StringConstraints", "Struct", "Time", "Tuple", "TypeAdapter",
        "TypeAlias", "TypeAliasType", "TypedDict", "ULID", "UNSET", "UUID", "UUID1", "UUID3", "UUID4",
        "UUID5", "Union", "UnsetType", "ValidationInfo", "ValidatorFunctionWrapHandler",
    }
)  # fmt: skip


def _ascii_words(raw: str) -> list[str]:
    """Split any text into ASCII words, folding accents and dropping the rest."""
    folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _WORD_BOUNDARY.split(folded):
        if chunk:
            words.extend(part for part in _CAMEL_SPLIT.split(chunk) if part)
    return words


def snake_case(raw: str) -> str:
    """`createJob` → `create_job`, `X-Rate-Limit` → `x_rate_limit`."""
    return "_".join(word.lower() for word in _ascii_words(raw))


def pascal_case(raw: str) -> str:
    """`job-request` → `JobRequest`; words already capitalised keep their case."""
    return "".join(word[:1].upper() + word[1:] for word in _ascii_words(raw))


class PythonIdentifier(str):
    """A snake_case identifier that is safe as a variable, argument or function name."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "value") -> PythonIdentifier:
        name = snake_case(raw) or fallback
        if name[0].isdigit():
            name = f"{fallback}_{name}"
        if name in RESERVED:
            name = f"{name}_"
        return super().__new__(cls, name)


class ClassName(str):
    """A PascalCase identifier that is safe as a class name."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "Model") -> ClassName:
        name = pascal_case(raw) or fallback
        if name[0].isdigit():
            name = f"{fallback}{name}"
        if name in RESERVED or name in MODEL_MODULE_NAMES:
            name = f"{name}Model"  # not `_`: datamodel-code-generator strips a trailing underscore
        return super().__new__(cls, name)


class NameRegistry:
    """Hands out unique names within one namespace: the second `foo` becomes `foo_2`."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self._taken: set[str] = set(taken or ())

    def claim(self, name: _Name) -> _Name:
        """Return `name`, or the first free `name_N` (`NameN` for class names)."""
        candidate: str = name
        counter = 2
        separator = "" if name[:1].isupper() else "_"
        while candidate in self._taken:
            candidate = f"{name}{separator}{counter}"
            counter += 1
        self._taken.add(candidate)
        return type(name)(candidate)
