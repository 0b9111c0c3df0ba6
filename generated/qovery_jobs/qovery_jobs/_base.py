"""The base class of every generated model.

Part of the runtime specgen ships in every generated package.

Requests are strict: building a model by hand (or validating without context)
rejects keys the spec does not define, naming them. A property the spec requires
and marks `readOnly` (an `id`) is required in responses only, one it marks
`writeOnly` (a password) in requests only: both are `T | MISSING` fields, checked
on their side. Responses are lenient: the
client validates them with `RESPONSE_CONTEXT`, so a field the API added later is
kept in `model_extra`, and an enum value it added later becomes a member named
`UNKNOWN_<value>`, instead of breaking the call. Fields with a constant value
(discriminators) always count as set, so they are always sent.

An optional field without a default is `T | MISSING = MISSING` (pydantic's
sentinel): left out, it is `MISSING`, is not sent and is not dumped, so
`model_validate(m.model_dump())` gives `m` back. Only a nullable one also takes
`None` (`T | None | MISSING`), so type checkers and pydantic alike reject `null`
where the spec does. Every validation error's `loc` names the field.
"""

from __future__ import annotations

import importlib
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache
from ipaddress import IPv4Address, IPv6Address
from types import NoneType, TracebackType, UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)
from uuid import UUID

from pydantic import (
    MISSING,
    AfterValidator,
    AnyUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    FutureDate,
    FutureDatetime,
    ModelWrapValidatorHandler,
    NaiveDatetime,
    PastDate,
    PastDatetime,
    RootModel,
    StrictStr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

RESPONSE_CONTEXT: dict[str, str] = {"specgen": "response"}
"""Validation context marking data that came from the API, not from the caller."""

_STRING_FORMATS = (
    datetime,
    date,
    time,
    timedelta,
    IPv4Address,
    IPv6Address,
    UUID,
    AwareDatetime,
    NaiveDatetime,
    PastDatetime,
    FutureDatetime,
    PastDate,
    FutureDate,
)
"""Types JSON carries as strings; pydantic would read a number as a timestamp (a
duration in seconds, an IP address as its integer)."""


@dataclass(frozen=True)
class _Keys:
    """What validating a model class needs to know of its fields, worked out once."""

    request: dict[str, str]
    """Each key a caller may give (alias or attribute name) → the attribute."""
    response: dict[str, str]
    """Each key the API sends (the alias, else the name) → the attribute."""
    formats: frozenset[str]
    """Attributes of a string format (`_STRING_FORMATS`): a number is no value."""
    constants: frozenset[str]
    """Optional `Literal` attributes, which always count as set."""
    in_responses: dict[str, str]
    """Each attribute required in responses only (a `readOnly` property the spec
    requires: an `id`) → its key on the wire."""
    in_requests: dict[str, str]
    """Each attribute required in requests only (a required `writeOnly` property:
    a password) → its key on the wire."""


_keys: dict[type, _Keys] = {}


def _learn_keys(cls: type[BaseModel]) -> _Keys:
    fields = cls.model_fields
    response = {
        (name if field.alias is None else field.alias): name
        for name, field in fields.items()
    }
    learned = _Keys(
        request={**response, **{name: name for name in fields}},
        response=response,
        in_responses=_one_sided(cls, "__specgen_required_in_responses__", response),
        in_requests=_one_sided(cls, "__specgen_required_in_requests__", response),
        formats=frozenset(
            n for n, f in fields.items() if _mentions_string_format(f.annotation)
        ),
        constants=frozenset(
            n
            for n, f in fields.items()
            if get_origin(f.annotation) is Literal and not f.is_required()
        ),
    )
    _keys[cls] = learned
    return learned


def _one_sided(
    cls: type[BaseModel], attribute: str, response: dict[str, str]
) -> dict[str, str]:
    """The attributes the classes of `cls` (its bases' too) name in `attribute`, by
    their key on the wire, each mapped to that key."""
    keys = {key for klass in cls.__mro__ for key in klass.__dict__.get(attribute, ())}
    return {response[key]: key for key in sorted(keys) if key in response}


def _mentions_string_format(annotation: Any) -> bool:
    """Whether a field's type is, or may be, a string format: directly, in a union
    or `Annotated`, or as the `root` of a `RootModel` (a `$ref` to a date-time
    alias)."""
    if isinstance(annotation, type) and issubclass(annotation, _STRING_FORMATS):
        return True
    if isinstance(annotation, type) and issubclass(annotation, RootModel):
        root = annotation.model_fields.get("root")
        kind = None if root is None else root.annotation
        # Only a root that is a format alone, or with null (Plaid's nullable
        # date-time components): `int | UUID` takes a number.
        union = get_origin(kind) in (Union, UnionType)
        kinds = [k for k in get_args(kind) if k is not type(None)] if union else [kind]
        return bool(kinds) and all(
            isinstance(k, type) and issubclass(k, _STRING_FORMATS) for k in kinds
        )
    return any(_mentions_string_format(arg) for arg in get_args(annotation))


_PARSING_RESPONSE: ContextVar[bool] = ContextVar("parsing_response", default=False)
_ASSIGNING: ContextVar[str | None] = ContextVar("assigning", default=None)
"""The attribute being assigned, until the validator of its model has taken it."""


_E = TypeVar("_E", bound=Enum)


def parsing_response() -> AbstractContextManager[None]:
    """Within this block, enums accept values the spec does not know (yet)."""
    return _ParsingResponse()


class _ParsingResponse(AbstractContextManager[None]):
    """The block of `parsing_response`: a class, not a generator, for it is entered
    for every response parsed, and a generator's block costs three times as much."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _PARSING_RESPONSE.set(True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _PARSING_RESPONSE.reset(self._token)


def unknown_member(enum: type[_E], value: object) -> _E | None:
    """An enum's `_missing_`: a new member for an unknown value.

    Only while parsing a response; otherwise None, so the value is an error.
    """
    base = cast(Any, enum)._member_type_
    if (
        not _PARSING_RESPONSE.get()
        or base is object
        or not isinstance(value, base)
        or isinstance(value, bool)
    ):
        return None
    member = cast(_E, base.__new__(enum, value))
    member._name_ = f"UNKNOWN_{value}"
    member._value_ = value
    return member


class ApiModel(BaseModel):
    """Base model: strict for what you send, forward compatible for what you receive."""

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        validate_assignment=True,
        # Fields are named after the spec; `model_dump_` (for a property
        # `model_dump`) is not pydantic's.
        protected_namespaces=(),
    )

    __specgen_required_in_responses__: ClassVar[frozenset[str]] = frozenset()
    """Keys required in responses only (required `readOnly` properties); a class
    requires its bases' too."""
    __specgen_required_in_requests__: ClassVar[frozenset[str]] = frozenset()
    """Keys required in requests only (required `writeOnly` properties)."""

    if not TYPE_CHECKING:  # to type checkers, attributes stay as declared

        def __repr_args__(self) -> Any:
            # A field left out is not shown, as it is not sent.
            for name, value in super().__repr_args__():
                if value is not MISSING:
                    yield name, value

        def __setattr__(self, name: str, value: Any) -> None:
            # pydantic validates an assignment as the whole model, every attribute
            # in `data`: say which one is new, so only that one is judged.
            token = _ASSIGNING.set(name)
            try:
                super().__setattr__(name, value)
            finally:
                _ASSIGNING.reset(token)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any, info: ValidationInfo) -> Any:
        """Unknown keys are errors, except in responses; so are numbers for date-time,
        date, time or uuid fields (pydantic would read a timestamp). Each error's
        `loc` is the key.

        An assignment judges the assigned attribute only, not the others as they
        stand (defaults left unset, or the extra keys of a response).
        """
        assigned = _ASSIGNING.get()
        if assigned is not None:
            _ASSIGNING.set(None)  # a model the assigned value holds is judged whole
        if not isinstance(data, dict):
            return data
        judged = (
            data
            if assigned is None
            else {k: v for k, v in data.items() if k == assigned}
        )
        lenient = (
            isinstance(info.context, dict) and info.context.get("specgen") == "response"
        )
        known = _keys.get(cls) or _learn_keys(cls)
        names = known.response if lenient else known.request
        strict = not lenient and not getattr(cls, "__specgen_open__", False)
        errors: list[InitErrorDetails] = []
        for key, value in judged.items():
            if key not in names:
                if strict:
                    loc = (key if isinstance(key, str) else str(key),)
                    message = f"unknown field {loc[0]!r} for {cls.__name__}"
                    # No context: the message is not a template to fill in.
                    error = PydanticCustomError("unknown_field", message)
                    errors.append(InitErrorDetails(type=error, loc=loc, input=value))
            elif isinstance(value, int | float) and names[key] in known.formats:
                loc = (key if isinstance(key, str) else str(key),)
                errors.append(
                    InitErrorDetails(type="string_type", loc=loc, input=value)
                )
        if assigned is None:
            # A key the spec requires on this side only: a response without
            # its `id`, a request without its password.
            needed = known.in_responses if lenient else known.in_requests
            given = {names[key] for key in data if key in names}
            errors += [
                InitErrorDetails(type="missing", loc=(key,), input=data)
                for attribute, key in needed.items()
                if attribute not in given
            ]
        if errors:
            errors.sort(key=lambda error: error.get("loc", ()))
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return data

    def model_post_init(self, context: Any, /) -> None:
        """A `const` field (such as a discriminator) is sent even at its default.

        Not an `after` model validator: that would wrap the model's schema, and an
        error in one branch of a union would then be located at
        `function-after[...]` instead of at the model's name.
        """
        cls = type(self)
        constants = (_keys.get(cls) or _learn_keys(cls)).constants
        if constants:
            self.__pydantic_fields_set__.update(constants)


_R = TypeVar("_R", bound=RootModel[Any])


def exactly_one_branch(
    cls: type[_R],
    data: Any,
    handler: ModelWrapValidatorHandler[_R],
    info: ValidationInfo,
) -> _R:
    """A `oneOf`'s rule, which a union does not keep: a value exactly one branch takes.

    A union takes a value any branch takes; JSON Schema refuses one that several
    branches take (`{}` where two branches require nothing). Each branch is
    judged as the model judges it here: a request refuses keys a branch does
    not declare, so only a value that cannot tell the branches apart is refused.
    specgen gives this validator only to a `oneOf` whose branches it cannot tell
    apart by their types or the values of a required field.
    """
    result = handler(data)
    taking = [
        branch
        for branch, adapter in _branches(cls)
        if _takes(adapter, data, info.context)
    ]
    if len(taking) < 2:
        return result
    unset = sorted(
        {
            field.alias or name
            for branch in taking
            if isinstance(branch, type) and issubclass(branch, BaseModel)
            for name, field in branch.model_fields.items()
            if not (isinstance(data, dict) and (field.alias or name) in data)
        }
    )
    raise PydanticCustomError(
        "one_of_ambiguous",
        "{count} branches of this oneOf take the value ({branches}), where exactly one"
        " may: set what tells them apart ({fields})",
        {
            "count": len(taking),
            "branches": ", ".join(getattr(b, "__name__", repr(b)) for b in taking),
            "fields": ", ".join(unset) or "no field does",
        },
    )


@cache
def _branches(cls: type[RootModel[Any]]) -> tuple[tuple[Any, TypeAdapter[Any]], ...]:
    """The branches of a root union, each with an adapter judging by it alone."""
    annotation = cls.model_fields["root"].annotation
    members = (
        get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    )
    return tuple((m, TypeAdapter(m)) for m in members if m is not NoneType)


def _takes(adapter: TypeAdapter[Any], data: Any, context: Any) -> bool:
    try:
        adapter.validate_python(data, context=context)
    except ValidationError:
        return False
    return True


def _email_address(value: str) -> str:
    """`value`, if it is an email address, as it was written.

    pydantic's `EmailStr` gives back the address email-validator normalises (a
    lower-case domain, punycode decoded to Unicode): a model would not send or
    dump what it was given, and an ASCII `pattern` beside `format: email` would
    refuse a valid `xn--` domain. The check is the same one.
    """
    # Imported here, and untyped: only a package with email fields requires it.
    checker: Any = importlib.import_module("email_validator")
    try:
        checker.validate_email(value, check_deliverability=False)
    except checker.EmailNotValidError as error:
        raise PydanticCustomError(
            "value_error",
            "value is not a valid email address: {reason}",
            {"reason": str(error)},
        ) from None
    return value


EmailStr = Annotated[StrictStr, AfterValidator(_email_address)]
"""A string of `format: email`, which the models import from here instead of from
pydantic: checked as pydantic's `EmailStr` checks it, kept as written."""


_ANY_URL: TypeAdapter[AnyUrl] = TypeAdapter(AnyUrl)


def _uri(value: str) -> str:
    """`value`, if it is an absolute URI, as it was written.

    pydantic's `AnyUrl` gives back its own spelling of the URL: a slash after a
    bare host (`https://example.com/`), no default port: a signed or registered
    URL would not be sent as the caller gave it. The check is the same one.
    """
    try:
        _ANY_URL.validate_python(value)
    except ValidationError as error:
        raise PydanticCustomError(
            "url_parsing",
            "value is not a valid URI: {reason}",
            {"reason": error.errors()[0]["msg"]},
        ) from None
    return value


UriStr = Annotated[StrictStr, AfterValidator(_uri)]
"""A string of `format: uri`, which the models take from here instead of pydantic's
`AnyUrl`: checked as `AnyUrl` checks it, kept as written."""
