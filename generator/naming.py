"""Safe Python names, made once where they are created.

Spec names (operationIds, parameter names, schema names, security scheme names)
can be anything: keywords, builtins, digits first, dashes, non-ASCII. Every name
that reaches generated code goes through `PythonIdentifier` or `ClassName`, and
collisions inside one namespace are settled by `NameRegistry`. Names compare as
Python compares identifiers, after NFKC normalisation: `ﬁeld` *is* `field`.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from generator.schema_keywords import SCHEMA_MAPS

_Name = TypeVar("_Name", bound=str)

_WORD_BOUNDARY = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_SPLIT = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])(?![A-Z]s(?![a-z]))"
)
"""Where camelCase words meet: `HTTPServer` is `HTTP` `Server`, but a plural
acronym stays one word (`IPs`, `listURLsNow`: `URLs`, `Now`)."""

#: Names that would shadow something a generated module or model relies on.
RESERVED: frozenset[str] = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {
        "self",
        "cls",
        "httpx",
        "typing",
        "pydantic",
        "models",
        "json",
        "copy",
        "dict",
        "schema",
        "fields",
    }
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
        "TypeAlias", "TypeAliasType", "TypedDict", "ULID", "UNSET", "UUID", "UUID1", "UUID3",
        "UUID4", "UUID5", "Union", "UnsetType", "UriStr", "ValidationInfo",
        "ValidatorFunctionWrapHandler",
    }
)  # fmt: skip


def nfkc(name: str) -> str:
    """`name` as Python reads an identifier: NFKC-normalised.

    So `ﬁeld` and `ｆｉｅｌｄ` are both `field`.
    """
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def _ascii_words(raw: str) -> list[str]:
    """Split any text into ASCII words, folding accents and dropping the rest."""
    folded = (
        unicodedata.normalize("NFKD", nfkc(raw))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
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
        name = snake_case(raw) or nfkc(fallback)
        if name[0].isdigit():
            name = f"{nfkc(fallback)}_{name}"
        if nfkc(name) in RESERVED:
            name = f"{name}_"
        return super().__new__(cls, name)


class ClassName(str):
    """A PascalCase identifier that is safe as a class name."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "Model") -> ClassName:
        name = pascal_case(raw) or nfkc(fallback)
        if name[0].isdigit():
            name = f"{nfkc(fallback)}{name}"
        if nfkc(name) in RESERVED or nfkc(name) in MODEL_MODULE_NAMES:
            name = f"{name}Model"  # not `_`: datamodel-code-generator strips a trailing underscore
        return super().__new__(cls, name)


class NameRegistry:
    """Hands out unique names within one namespace: the second `foo` becomes `foo_2`.

    Names are compared as Python compares identifiers (NFKC), and with
    `ignore_case` also case-insensitively, for names that end up where case
    does not count (environment variables on Windows, a reader telling
    `ApiKeyAuth` from `APIKeyAuth`).
    """

    def __init__(
        self, taken: Iterable[str] | None = None, *, ignore_case: bool = False
    ) -> None:
        self._ignore_case = ignore_case
        self._taken: set[str] = {self._key(name) for name in taken or ()}

    def _key(self, name: str) -> str:
        normal = nfkc(name)
        return normal.casefold() if self._ignore_case else normal

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._key(name) in self._taken

    def claim(self, name: _Name) -> _Name:
        """Return `name`, or the first free `name_N` (`NameN` for class names)."""
        candidate: str = name
        counter = 2
        separator = "" if name[:1].isupper() else "_"
        while self._key(candidate) in self._taken:
            candidate = f"{name}{separator}{counter}"
            counter += 1
        self._taken.add(self._key(candidate))
        return type(name)(candidate)


_DATA_KEYWORDS = frozenset(
    {"example", "examples", "default", "const", "enum", "required"}
)
"""Schema keywords whose values are data, not schemas."""
_PYDANTIC_ATTRIBUTES = frozenset(
    {"construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
     "schema", "schema_json", "update_forward_refs", "validate"}
)  # fmt: skip
"""Public attributes of pydantic's BaseModel (besides `model_*`) a field must not shadow."""


def _property_names(node: Any) -> Iterator[str]:
    """Every property name of every schema under the schema `node`, in document order."""
    if isinstance(node, list):
        for item in node:
            yield from _property_names(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in SCHEMA_MAPS and isinstance(value, dict):
                if key == "properties":
                    yield from (name for name in value if isinstance(name, str))
                for schema in value.values():
                    yield from _property_names(schema)
            elif key not in _DATA_KEYWORDS and not (
                isinstance(key, str) and key.startswith("x-")
            ):
                yield from _property_names(value)


def nfkc_field_aliases(document: dict[str, Any]) -> dict[str, str]:
    """Field names for the property names Python would read as another name.

    Python NFKC-normalises identifiers, so datamodel-code-generator's field
    `ﬁeld` *is* `field`: beside a property `field` the two collapse into one
    field, and alone it loses its wire name. Every property name not in NFKC
    form gets an ASCII field name, free across the whole document, for
    datamodel-code-generator's `aliases` option (which then keeps the wire
    name as the field's alias): `ﬁeld`, `field`, `ｆｉｅｌｄ` become `field_2`,
    `field`, `field_3`.
    """
    schemas = (document.get("components") or {}).get("schemas") or {}
    names = list(dict.fromkeys(_property_names(list(schemas.values()))))
    odd = [name for name in names if nfkc(name) != name]
    if not odd:
        return {}
    registry = NameRegistry(_PYDANTIC_ATTRIBUTES | RESERVED)
    normal = {name: PythonIdentifier(name) for name in names if name not in odd}
    counts = Counter(normal.values())
    for name, base in normal.items():
        # datamodel-code-generator names colliding fields `base_1`, `base_2`, ...
        extra = [f"{base}_{k}" for k in range(1, counts[base])]
        for taken in (name, base, *extra):
            if taken not in registry:
                registry.claim(taken)
    aliases: dict[str, str] = {}
    for name in odd:
        field = PythonIdentifier(name, fallback="field")
        if field.startswith("model_"):
            field = PythonIdentifier(f"field_{field}")
        aliases[name] = registry.claim(field)
    return aliases
