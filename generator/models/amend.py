"""What datamodel-code-generator cannot be told, said in its input or amended in its output.

Nine gaps, each found on a real spec and each closed generically:

- An array component whose items refer to the component itself becomes a bare
  `RootModel[list]` (its self-reference guard drops the item type): every item
  is accepted and `mypy --strict` refuses the missing type argument. Handed to
  it as the one branch of an `anyOf`, the same schema becomes the recursive
  `RootModel[list[dict[str, "Tree"]]]` it means (`recursive_arrays_as_unions`).
- A 3.1 nullable map, `type: [object, "null"]` with `additionalProperties`,
  becomes `dict[str, Any]`: its values go unchecked. Spelled as 3.0 does
  (`nullable: true`), it becomes `dict[str, Value] | None`
  (`nullable_objects_spelled_nullable`).
- A discriminated union beside `{type: "null"}` in an `anyOf` (FastAPI's
  optional one, Mistral's) becomes a plain `A | B | None`, and a union of one
  branch that becomes a `RootModel` (an array's items, a component) becomes
  the branch: either way no branch gets the tag the discriminator gives it, and
  one leaving its tag optional or free takes an instance without it. The first
  is said nullable beside the union (`nullable_objects_spelled_nullable`), the
  second's branch nested once more (`single_branch_unions_nested`).
- A `format: uri` string becomes `AnyUrl` without its `maxLength`, `minLength`
  and `pattern` (and a `hostname` has its pattern replaced by one of its own):
  an over-long URL is accepted. Such a string is handed over without its
  format, and becomes the constrained `str` JSON Schema measures: pydantic's
  `AnyUrl` holds no length or pattern of the text as sent
  (`constrained_strings_unformatted`).
- An `allOf` member that narrows an inherited string enum to some of its values
  (`status: enum [revoked]` over `status: Status`) becomes `Literal["revoked"]`
  in the subclass, which is not a `Status`: mypy refuses the override, and code
  reading `Invitation.status` gets a `str` where it was promised a `Status`.
  `Literal[Status.REVOKED]` says the same and is one (`literals_as_members`).
- A default of a field typed by a model class (FastAPI's `$ref` beside
  `default: {enabled: false}`), or by a type JSON carries as a string (`date`,
  `UUID`, `AnyUrl`), is written as its JSON data: `cfg: Cfg = {"enabled": False}`.
  pydantic validates it (`validate_default`), but mypy refuses a dict where it
  wants a `Cfg`, and a `date` left unvalidated stays a `str`. Each such default
  is written as the value it stands for, built from the same data
  (`defaults_as_values`).
- A free-form object written `additionalProperties: {}` becomes a
  `RootModel[dict[str, Any]]`, while `true`, which means the same, becomes a
  model open to extra fields; `{}` is said as `true` (`keywords_told`).
- It calls `model_rebuild()` after only some of the classes that refer to a
  class defined later, so the others are incomplete at import, and are built on
  first use instead, in whatever thread that is (`rebuild_incomplete`).
"""

from __future__ import annotations

import ast
import contextlib
from typing import Any

from generator.conformance.ecma import models_pattern
from generator.models.module_imports import imported
from generator.models.rewrite import rewritten, schemas_rewritten
from generator.models.source_edits import SourceEdits, parsed_module
from generator.pointers import SCHEMA_PREFIX, escape_pointer_token
from generator.schema_keywords import reads_as_object

_ARRAY_KEYWORDS = ("type", "items", "minItems", "maxItems", "uniqueItems")
"""What the `anyOf` branch of a recursive array takes; the rest stays beside it."""


def nullable_objects_spelled_nullable(node: Any) -> Any:
    """`node` with each `type: [object, "null"]` written `type: object, nullable: true`.

    datamodel-code-generator reads the 3.1 spelling of a nullable map as
    `dict[str, Any]`, dropping its value type; the 3.0 spelling it reads whole.
    A new tree where something changes; `node` itself is never edited.
    """
    return rewritten(node, _nullable_object_spelled)


def _nullable_object_spelled(node: dict[str, Any]) -> dict[str, Any]:
    kinds = node.get("type")
    if isinstance(kinds, list) and sorted(map(str, kinds)) == ["null", "object"]:
        node = {**node, "type": "object", "nullable": True}
    return _nullable_branch_lifted(_nullable_union_lifted(node))


_NULL_BRANCH_KEYS = frozenset({"type", "title", "description"})


def _nullable_union_lifted(node: dict[str, Any]) -> dict[str, Any]:
    """`node` the discriminated union it holds, made nullable, where it is only that
    union or `{type: "null"}` (`anyOf` or `oneOf`).

    Mistral's (FastAPI's) `authorization: anyOf: [{oneOf: [OAuth2TokenAuth,
    APIKeyAuth], discriminator}, {type: "null"}]` became `OAuth2TokenAuth |
    APIKeyAuth | None` without its discriminator, and without the tag it gives
    each branch: a branch leaving its tag optional took an instance without it.
    Said nullable beside the union, the union keeps its discriminator.
    """
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if not (isinstance(branches, list) and len(branches) == 2):
            continue
        nulls = [
            b
            for b in branches
            if isinstance(b, dict)
            and b.get("type") == "null"
            and set(b) <= _NULL_BRANCH_KEYS
        ]
        unions = [
            b
            for b in branches
            if isinstance(b, dict)
            and isinstance(b.get("discriminator"), dict)
            and {"oneOf", "anyOf"} & set(b)
        ]
        rest = {k: v for k, v in node.items() if k != key}
        if len(nulls) == 1 and len(unions) == 1 and not set(rest) & set(unions[0]):
            return {**rest, **unions[0], "nullable": True}
    return node


def _nullable_branch_lifted(node: dict[str, Any]) -> dict[str, Any]:
    """`node` nullable itself where a branch of its `anyOf` (or the one branch of its
    `oneOf`) is what takes null.

    DigitalOcean's `anyOf: [{type: object, nullable: true}, {$ref: Droplet}]`
    became `dict[str, Any] | Droplet`: the branch's null was lost, and a `null`
    the spec allows was refused. Said beside the composition, it is read.
    """
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if not isinstance(branches, list) or node.get("nullable") is True:
            continue
        taking = [
            b for b in branches if isinstance(b, dict) and b.get("nullable") is True
        ]
        if not taking or (key == "oneOf" and len(taking) > 1):
            continue  # two branches taking null: `oneOf` refuses it
        lifted = [
            {k: v for k, v in b.items() if k != "nullable"} if b in taking else b
            for b in branches
        ]
        return {**node, key: lifted, "nullable": True}
    return node


_LOST_BESIDE: dict[str, frozenset[str]] = {
    "uri": frozenset({"maxLength", "minLength", "pattern"}),
    "hostname": frozenset({"pattern"}),
}
"""Per string format, the keywords datamodel-code-generator leaves out of its type."""
_UNCHECKED_TYPED_FORMATS = frozenset(
    {
        "date-time-local",
        "time-local",
        "timestamp with time zone",
        "uuid1",
        "uuid2",
        "uuid3",
        "uuid4",
        "uuid5",
        "ipv4-network",
        "ipv6-network",
        "decimal",
        "integer",
        "unixtime",
        "ulid",
        "path",
    }
)
"""String formats datamodel-code-generator gives a checked Python type (`UUID4`,
`NaiveDatetime`, `IPv4Network`, `Decimal`, even `int`) that JSON Schema does not
assert and the generated tests' reference (`jsonschema[format-nongpl]`) does not
check: any string is valid there, so the model must take any string too."""


def constrained_strings_unformatted(node: Any) -> Any:
    """`node` without the `format` of each string whose format would lose its keywords,
    or would be checked by its type though JSON Schema does not check it
    (`_UNCHECKED_TYPED_FORMATS`).

    A new tree where something changes; `node` itself is never edited.
    """
    return rewritten(node, _string_unformatted)


def keywords_told(node: Any) -> Any:
    """`node` with its keywords said as datamodel-code-generator must read them:
    a schema of object keywords alone an object; strings
    `constrained_strings_unformatted`, and each `pattern` with `\\d`, `\\w`,
    `\\s` and `\\b` as ECMA-262 means them (`models_pattern`); numbers without a format it would
    make a `datetime` or `timedelta` of; `additionalProperties: {}` as `true`; and
    no `discriminator` of inheritance (`_inheritance_discriminator_dropped`). A new
    tree where something changes."""
    return rewritten(
        node,
        lambda n: _inheritance_discriminator_dropped(
            _open_map_said_true(
                _number_unformatted(
                    _pattern_in_ecma_classes(_string_unformatted(_object_said(n)))
                )
            )
        ),
    )


def single_branch_unions_nested(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each discriminated union of one `$ref` branch that becomes a
    `RootModel` (a component's own, an array's `items`) holding that branch nested
    once more (`_single_branch_nested`). A new tree where something changes."""
    schemas = (document.get("components") or {}).get("schemas")
    if isinstance(schemas, dict) and any(
        _single_branch_nested(s) is not s for s in schemas.values()
    ):
        own = {name: _single_branch_nested(s) for name, s in schemas.items()}
        document = {
            **document,
            "components": {**document["components"], "schemas": own},
        }
    return schemas_rewritten(document, _items_single_branch_nested)


def _items_single_branch_nested(node: dict[str, Any]) -> dict[str, Any]:
    items = node.get("items")
    nested = _single_branch_nested(items)
    return node if nested is items else {**node, "items": nested}


def _single_branch_nested(node: Any) -> Any:
    """`node` with the one `$ref` branch of its discriminated union nested once more.

    datamodel-code-generator reads a union of one branch as the branch itself;
    where it makes a `RootModel` of the union (Mistral's `integrations: items:
    {oneOf: [WandbIntegration], discriminator}`, a component), its discriminator
    then finds no branch, and gives the branch no tag: a `type` the branch
    leaves optional, or any string, was taken. Nested, the branch is found and
    tagged; `{oneOf: [{oneOf: [X]}]}` takes what `{oneOf: [X]}` does. A union
    a property holds directly is tagged as written, and no longer once nested.
    """
    if not (isinstance(node, dict) and isinstance(node.get("discriminator"), dict)):
        return node
    for key in ("oneOf", "anyOf"):
        branches = node.get(key)
        if (
            isinstance(branches, list)
            and len(branches) == 1
            and isinstance(branches[0], dict)
            and "$ref" in branches[0]
        ):
            return {**node, key: [{key: branches}]}
    return node


def _inheritance_discriminator_dropped(node: dict[str, Any]) -> dict[str, Any]:
    """`node` without a `discriminator` that picks among no `oneOf`/`anyOf` of its own.

    On a base schema that others extend with `allOf` (PagerDuty's `Restriction`,
    whose tags are no schema's name), datamodel-code-generator replaces every
    `$ref` to the base by the union of the schemas extending it: a `restrictions`
    list took only `WeeklyRestriction`s, and refused a valid daily one. A `$ref`
    to the base means the base, as JSON Schema (and the reference) reads it.
    """
    if "discriminator" in node and not {"oneOf", "anyOf"} & set(node):
        return {k: v for k, v in node.items() if k != "discriminator"}
    return node


def _object_said(node: dict[str, Any]) -> dict[str, Any]:
    """A schema that `reads_as_object` said `type: object`, as the reference reads
    it: datamodel-code-generator types a map without it (lichess's
    `Crosstable.users`, `additionalProperties: {type: number}`) as `Any`."""
    return {**node, "type": "object"} if reads_as_object(node) else node


def _open_map_said_true(node: dict[str, Any]) -> dict[str, Any]:
    """`additionalProperties: {}` (any value, as `true` says) made the `true` it means:
    datamodel-code-generator makes a `RootModel[dict[str, Any]]` of the one and a
    model open to extra fields of the other (Spiff Arena's free-form bodies)."""
    if node.get("additionalProperties") == {}:
        return {**node, "additionalProperties": True}
    return node


_NOT_NUMBERS = frozenset({"date-time", "time", "time-delta"})
"""Formats of `integer` and `number` datamodel-code-generator types as no number:
Prefect's `{type: number, format: time-delta}` became a `timedelta`, which takes
and sends an ISO 8601 string where the spec says a number of seconds."""


_NOT_FLOATS = frozenset({"unixtime"})
"""Formats of `number` datamodel-code-generator types as an integer: OpenAI's
`created_at: {type: number, format: unixtime}` refused `1.0`, a number."""


def _number_unformatted(node: dict[str, Any]) -> dict[str, Any]:
    kind, form = node.get("type"), node.get("format")
    if (form in _NOT_NUMBERS and kind in ("integer", "number")) or (
        form in _NOT_FLOATS and kind == "number"
    ):
        return {k: v for k, v in node.items() if k != "format"}
    return node


def _pattern_in_ecma_classes(node: dict[str, Any]) -> dict[str, Any]:
    pattern = node.get("pattern")
    if not isinstance(pattern, str) or "\\" not in pattern:
        return node
    spelled = models_pattern(pattern)
    return node if spelled == pattern else {**node, "pattern": spelled}


def _string_unformatted(node: dict[str, Any]) -> dict[str, Any]:
    form = node.get("format")
    if not isinstance(form, str):
        return node
    lost = _LOST_BESIDE.get(form)
    kinds = node.get("type")
    unchecked = form in _UNCHECKED_TYPED_FORMATS and "string" in (
        kinds if isinstance(kinds, list) else [kinds]
    )
    if unchecked or (lost is not None and lost & set(node)):
        return {k: v for k, v in node.items() if k != "format"}
    return node


def recursive_arrays_as_unions(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with each self-referencing array component made a one-branch `anyOf`.

    Only for a plain, non-nullable `type: array` that is not already a
    composition; the document is copied where it changes, never edited.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return document
    changed: dict[str, Any] = {}
    for name, schema in schemas.items():
        if not _is_recursive_array(str(name), schema):
            continue
        branch = {k: schema[k] for k in _ARRAY_KEYWORDS if k in schema}
        rest = {k: v for k, v in schema.items() if k not in _ARRAY_KEYWORDS}
        changed[name] = {**rest, "anyOf": [branch]}
    if not changed:
        return document
    components = {**document["components"], "schemas": {**schemas, **changed}}
    return {**document, "components": components}


def _is_recursive_array(name: str, schema: Any) -> bool:
    if not (
        isinstance(schema, dict)
        and schema.get("type") == "array"
        and "items" in schema
        and not schema.get("nullable")
        and not {"anyOf", "oneOf", "allOf", "$ref"} & set(schema)
    ):
        return False
    pointer = SCHEMA_PREFIX + escape_pointer_token(name)
    return _refers_to(schema["items"], pointer, 0)


def _refers_to(node: Any, pointer: str, depth: int) -> bool:
    """Whether `node` holds a `$ref` to `pointer`, without following other references."""
    if depth > 64:
        return False
    if isinstance(node, dict):
        if node.get("$ref") == pointer:
            return True
        return any(_refers_to(v, pointer, depth + 1) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to(v, pointer, depth + 1) for v in node)
    return False


_VALUE_ENUMS = frozenset({"StrEnum", "IntEnum"})
"""Enum bases whose members equal their values, so pydantic takes a value for a member."""


def literals_as_members(source: str) -> str:
    """`source` with each `Literal` that narrows an inherited enum field spelled with its
    members: `Literal[Status.REVOKED]`, a `Status`, validated from `"revoked"` all the same.
    """
    if "Literal[" not in source:
        return source
    tree = parsed_module(source)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    members = {
        name: _members(node)
        for name, node in classes.items()
        if any(ast.unparse(b) in _VALUE_ENUMS for b in node.bases)
    }
    if not members:
        return source
    edits = SourceEdits(source)
    for node in classes.values():
        for field in node.body:
            if not (
                isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
            ):
                continue
            inherited = _inherited(classes, node, field.target.id, 0)
            if inherited is None:
                continue
            enums = [
                n.id
                for n in ast.walk(inherited)
                if isinstance(n, ast.Name) and n.id in members
            ]
            for literal in _literals(field.annotation):
                values = _literal_values(literal)
                owner = next(
                    (e for e in enums if values and set(values) <= set(members[e])),
                    None,
                )
                if owner is None:
                    continue
                spelled = ", ".join(f"{owner}.{members[owner][v]}" for v in values)
                edits.replace_node(literal.slice, spelled)
                if (
                    isinstance(field.value, ast.Constant)
                    and field.value.value in values
                ):
                    edits.replace_node(
                        field.value, f"{owner}.{members[owner][field.value.value]}"
                    )
    return edits.result() if edits.edits else source


def _members(node: ast.ClassDef) -> dict[Any, str]:
    """An enum class's values, each to its member's name."""
    return {
        s.value.value: s.targets[0].id
        for s in node.body
        if isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Name)
        and isinstance(s.value, ast.Constant)
    }


def _inherited(
    classes: dict[str, ast.ClassDef], node: ast.ClassDef, field: str, depth: int
) -> ast.expr | None:
    """The annotation a base class of `node` (nearest first) gives `field`."""
    if depth > 32:
        return None
    for base in node.bases:
        parent = classes.get(base.id) if isinstance(base, ast.Name) else None
        if parent is None:
            continue
        for statement in parent.body:
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and statement.target.id == field
            ):
                return statement.annotation
        found = _inherited(classes, parent, field, depth + 1)
        if found is not None:
            return found
    return None


def _literals(annotation: ast.expr) -> list[ast.Subscript]:
    return [
        n
        for n in ast.walk(annotation)
        if isinstance(n, ast.Subscript)
        and isinstance(n.value, ast.Name)
        and n.value.id == "Literal"
    ]


def _literal_values(literal: ast.Subscript) -> list[Any]:
    """The constants of `Literal[...]`, or none when one of them is something else."""
    items = (
        literal.slice.elts if isinstance(literal.slice, ast.Tuple) else [literal.slice]
    )
    if not all(isinstance(i, ast.Constant) for i in items):
        return []
    return [i.value for i in items if isinstance(i, ast.Constant)]


def rebuild_incomplete(source: str) -> str:
    """`source` with `X.model_rebuild()` after the classes for every model class that
    needs (itself, or through the classes it needs) a class defined after it.

    Such a model cannot be built where it is defined; pydantic would build it on
    first use. The calls datamodel-code-generator wrote are kept.
    """
    return rebuild_incomplete_parsed(source)[0]


def rebuild_incomplete_parsed(source: str) -> tuple[str, ast.Module]:
    """`rebuild_incomplete`, with `source` parsed: its classes are the result's (the
    calls are added after them), so the caller need not parse it again."""
    tree = parsed_module(source)
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    order = {c.name: i for i, c in enumerate(classes)}
    rebuilt = {
        s.value.func.value.id
        for s in tree.body
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute)
        and s.value.func.attr == "model_rebuild"
        and isinstance(s.value.func.value, ast.Name)
    }
    refers = {c.name: _referenced(c) & set(order) for c in classes}
    missing = [
        c.name
        for c in classes
        if c.name not in rebuilt and _reaches_later(c.name, refers, order)
    ]
    if not missing:
        return source, tree
    calls = "".join(f"{name}.model_rebuild()\n" for name in missing)
    separator = "" if rebuilt else "\n\n"
    return source.rstrip("\n") + "\n" + separator + calls, tree


def _reaches_later(
    name: str, refers: dict[str, set[str]], order: dict[str, int]
) -> bool:
    """Whether a class defined after `name` is among the classes `name` needs, through
    any chain of classes: pydantic can build `name` where it is defined only without."""
    seen, todo = {name}, list(refers[name])
    while todo:
        other = todo.pop()
        if other in seen:
            continue
        if order[other] > order[name]:
            return True
        seen.add(other)
        todo.extend(refers[other])
    return False


def _referenced(node: ast.ClassDef) -> set[str]:
    """The names a class's bases and field annotations use as types, forward
    references included (not what a `Field(...)` holds: examples, descriptions)."""
    found: set[str] = set()
    todo: list[ast.AST] = [*node.bases]
    todo += [s.annotation for s in node.body if isinstance(s, ast.AnnAssign)]
    while todo:
        item = todo.pop()
        if isinstance(item, ast.Call) or (
            isinstance(item, ast.Subscript) and ast.unparse(item.value) == "Literal"
        ):
            continue
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            with contextlib.suppress(SyntaxError):  # a string that is no type
                todo.append(ast.parse(item.value, mode="eval").body)
        todo.extend(ast.iter_child_nodes(item))
    return found


_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"})
_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "StrictStr": (str,),
    "EmailStr": (str,),
    "UriStr": (str,),
    "int": (int,),
    "StrictInt": (int,),
    "float": (int, float),
    "StrictFloat": (int, float),
    "bool": (bool,),
    "StrictBool": (bool,),
    "bytes": (bytes,),
    "StrictBytes": (bytes,),
}
"""Annotations a JSON scalar is, to mypy, as written (each a `str`, `int`, … alias)."""
_SEQUENCES = frozenset({"list", "Sequence"})
_MAPPINGS = frozenset({"dict", "Mapping"})
_ADAPTER = "TypeAdapter"


def defaults_as_values(source: str) -> str:
    """`source` with each field default that is JSON data where its type wants a value
    (a model, an enum member, a `date`) written as that value, built from the data.

    A model is built by `Model.model_validate(data)` in a `default_factory`, when the
    field is left out (the class may be defined later, and each instance gets its
    own); an enum member is named; anything else is validated by a `TypeAdapter` of
    the field's type. pydantic validated the data into the same value before
    (`validate_default`), so what a model holds and dumps is unchanged.
    """
    tree = parsed_module(source)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    enums = {
        name: _members(node)
        for name, node in classes.items()
        if any(ast.unparse(b) in _ENUM_BASES for b in node.bases)
    }
    edits = SourceEdits(source)
    for name, node in classes.items():
        if name in enums:
            continue
        for field in node.body:
            if not (
                isinstance(field, ast.AnnAssign)
                and field.value is not None
                and _is_data(field.value, 0)
            ):
                continue
            built = _built(field.annotation, field.value, set(classes), enums, edits)
            if built is None or built[0] == edits.text(field.value):
                continue
            text, deferred = built
            edits.replace_node(
                field.value,
                f"Field(default_factory=lambda: {text})" if deferred else text,
            )
    if not edits.edits:
        return source
    result = edits.result()
    adapted = any(_ADAPTER in text for _, _, text in edits.edits)
    return imported(result, "pydantic", _ADAPTER) if adapted else result


def root_defaults_that_fit(source: str) -> str:
    """`source` without the default of a `RootModel`'s `root` that its type cannot take.

    A property's default is copied onto the `root` of each of its `anyOf`/`oneOf`
    branches made a `RootModel`: `null` onto a constrained string that takes no
    `None` (`root: Annotated[StrictStr, …] = None`, which mypy refuses), OpenAI's
    `prompt` default `"<|endoftext|>"` onto its branch of integer lists, which
    failed the models module at import once written as a value. The property's
    field keeps the default.
    """
    if "RootModel[" not in source:
        return source
    tree = parsed_module(source)
    edits = SourceEdits(source)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not any(
            isinstance(b, ast.Subscript) and ast.unparse(b.value) == "RootModel"
            for b in node.bases
        ):
            continue
        for field in node.body:
            if (
                isinstance(field, ast.AnnAssign)
                and ast.unparse(field.target) == "root"
                and field.value is not None
                and _is_data(field.value, 0)
                and not _fits(field.annotation, field.value)
                and not _may_take(field.annotation, field.value)
            ):
                edits.replace(edits.end(field.annotation), edits.end(field.value), "")
    return edits.result() if edits.edits else source


_KINDS_OF_SCALARS: dict[type, str] = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
}
"""The JSON kind of each Python type of `_SCALARS`."""
_TAKING_STRINGS = frozenset(
    {"date", "datetime", "time", "timedelta", "UUID", "AwareDatetime", "NaiveDatetime",
     "PastDate", "FutureDate", "PastDatetime", "FutureDatetime", "IPv4Address",
     "IPv6Address", "AnyUrl"}
)  # fmt: skip
"""Annotations besides `_SCALARS` a JSON string may be validated into."""


def _kinds_taken(name: str) -> set[str] | None:
    """The JSON kinds the annotation `name` takes; None when it cannot be told (a class)."""
    if name in _TAKING_STRINGS:
        return {"string"}
    if name == "Decimal":
        return {"string", "number"}
    kinds = {
        _KINDS_OF_SCALARS[t] for t in _SCALARS.get(name, ()) if t in _KINDS_OF_SCALARS
    }
    return kinds or None


def _may_take(annotation: ast.expr, value: ast.expr) -> bool:
    """Whether a type of `annotation` may validate the data `value` (when `_fits`
    cannot tell): False only when no alternative takes its JSON kind at all."""
    kind = _json_kind(value)
    for alternative in _alternatives(unannotated(annotation)):
        if isinstance(alternative, ast.Constant) and alternative.value is None:
            taken = {"null"}
        elif isinstance(alternative, ast.Name):
            known = _kinds_taken(alternative.id)
            if known is None:
                return True  # a class, `Any`: it may
            taken = known
        elif isinstance(alternative, ast.Subscript):
            head = ast.unparse(alternative.value)
            if head in _SEQUENCES:
                taken = {"array"}
            elif head in _MAPPINGS:
                taken = {"object"}
            else:
                return True
        else:
            return True
        if kind in taken:
            return True
    return False


def _json_kind(value: ast.expr) -> str:
    scalar = value.operand if isinstance(value, ast.UnaryOp) else value
    if isinstance(scalar, ast.Constant):
        if scalar.value is None:
            return "null"
        if isinstance(scalar.value, bool):
            return "boolean"
        if isinstance(scalar.value, int | float):
            return "number"
        return "string"
    return "array" if isinstance(value, ast.List) else "object"


def _is_data(node: ast.expr, depth: int) -> bool:
    """Whether `node` is JSON data written in Python: constants, lists and dicts of them."""
    if depth > 64:
        return False
    if isinstance(node, ast.Constant):
        return node.value is not Ellipsis
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.List):
        return all(_is_data(e, depth + 1) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys) and all(
            _is_data(v, depth + 1) for v in node.values
        )
    return False


def unannotated(annotation: ast.expr) -> ast.expr:
    """`X` of `Annotated[X, ...]`; the annotation itself otherwise."""
    if (
        isinstance(annotation, ast.Subscript)
        and ast.unparse(annotation.value) == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
        and annotation.slice.elts
    ):
        return annotation.slice.elts[0]
    return annotation


def _alternatives(annotation: ast.expr) -> list[ast.expr]:
    """The members of `A | B | …`, `Annotated` seen through."""
    annotation = unannotated(annotation)
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _alternatives(annotation.left) + _alternatives(annotation.right)
    return [annotation]


def _arguments(annotation: ast.Subscript) -> list[ast.expr]:
    inner = annotation.slice
    return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]


def _fits(annotation: ast.expr, value: ast.expr, depth: int = 0) -> bool:
    """Whether mypy takes the data `value` for `annotation` as written (no class built)."""
    return depth <= 64 and any(
        _fits_one(a, value, depth) for a in _alternatives(annotation)
    )


def _fits_one(alternative: ast.expr, value: ast.expr, depth: int) -> bool:
    if isinstance(alternative, ast.Constant):
        return alternative.value is None and _is_none(value)
    if isinstance(alternative, ast.Name):
        if alternative.id in ("Any", "object"):
            return True
        kinds = _SCALARS.get(alternative.id, ())
        scalar = value.operand if isinstance(value, ast.UnaryOp) else value
        return (
            isinstance(scalar, ast.Constant)
            and isinstance(scalar.value, kinds)
            and (bool in kinds or not isinstance(scalar.value, bool))
        )
    if not isinstance(alternative, ast.Subscript):
        return False
    head, arguments = ast.unparse(alternative.value), _arguments(alternative)
    if head == "Literal":
        return isinstance(value, ast.Constant) and any(
            isinstance(a, ast.Constant)
            and type(a.value) is type(value.value)
            and a.value == value.value
            for a in arguments
        )
    if head in _SEQUENCES and isinstance(value, ast.List):
        return all(_fits(arguments[0], e, depth + 1) for e in value.elts)
    if head in _MAPPINGS and isinstance(value, ast.Dict) and len(arguments) == 2:
        return all(
            k is not None and _fits(arguments[0], k, depth + 1) for k in value.keys
        ) and all(_fits(arguments[1], v, depth + 1) for v in value.values)
    return False


def _is_none(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is None


def _built(
    annotation: ast.expr,
    value: ast.expr,
    classes: set[str],
    enums: dict[str, dict[Any, str]],
    edits: SourceEdits,
    depth: int = 0,
) -> tuple[str, bool] | None:
    """The text of an expression of type `annotation` that pydantic makes of the data
    `value`, and whether it names a class of the module (so must wait for it to be
    defined); None when it cannot be said.
    """
    if depth > 64:
        return None
    if _fits(annotation, value):
        return edits.text(value), False
    inner = unannotated(annotation)
    kept = [
        a
        for a in _alternatives(inner)
        if not (isinstance(a, ast.Name) and a.id == "MISSING")
        and not (isinstance(a, ast.Constant) and a.value is None)
    ]
    if len(kept) == 1:
        only = kept[0]
        if isinstance(only, ast.Name) and only.id in enums:
            member = (
                enums[only.id].get(value.value)
                if isinstance(value, ast.Constant)
                else None
            )
            return None if member is None else (f"{only.id}.{member}", True)
        if isinstance(only, ast.Name) and only.id in classes:
            return f"{only.id}.model_validate({edits.text(value)})", True
        if isinstance(only, ast.Subscript):
            head, arguments = ast.unparse(only.value), _arguments(only)
            if head in _SEQUENCES and isinstance(value, ast.List):
                items = [
                    _built(arguments[0], e, classes, enums, edits, depth + 1)
                    for e in value.elts
                ]
                if all(i is not None for i in items):
                    found = [i for i in items if i is not None]
                    return (
                        "[" + ", ".join(t for t, _ in found) + "]",
                        any(d for _, d in found),
                    )
            if (
                head in _MAPPINGS
                and isinstance(value, ast.Dict)
                and len(arguments) == 2
            ):
                entries = [
                    _built(arguments[1], v, classes, enums, edits, depth + 1)
                    for v in value.values
                ]
                if all(e is not None for e in entries):
                    found = [e for e in entries if e is not None]
                    pairs = [
                        f"{edits.text(k)}: {t}"
                        for k, (t, _) in zip(value.keys, found, strict=True)
                        if k is not None
                    ]
                    return "{" + ", ".join(pairs) + "}", any(d for _, d in found)
    literal = {
        id(n)
        for s in ast.walk(inner)
        if isinstance(s, ast.Subscript) and ast.unparse(s.value) == "Literal"
        for n in ast.walk(s.slice)
    }
    quoted = any(
        isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in literal
        for n in ast.walk(inner)
    )
    if _is_none(value) or quoted:
        return (
            None  # null where the type takes none, or a forward reference as a string
        )
    if _ADAPTER in classes:
        return None  # the module's own class of that name
    spelled = ast.unparse(inner)
    names = {n.id for n in ast.walk(inner) if isinstance(n, ast.Name)}
    adapted = f"{_ADAPTER}[{spelled}]({spelled}).validate_python({edits.text(value)})"
    return adapted, bool(names & classes)
