"""The plain-data form of each request model, for `params.py`: read from the generated models.

A caller may write a body as a dict (or a list) instead of a model; the client
validates it into the model before sending. `params.py` tells type checkers what
such a dict must hold: one TypedDict per model reachable from a request body
(`JobRequestParam`), keyed by the names on the wire, its optional keys
`NotRequired`; a RootModel's is its root type and an enum's its values. Anywhere a
model goes, the model itself is taken too (`models.Probe | ProbeParam`), as the
client sends either.

It is read with `ast` from the models datamodel-code-generator wrote, not from
the spec: each key, its alias, whether it may be left out and its type are
exactly what the model validates, so a dict valid for a TypedDict validates into
its model (constraints aside: a `minimum` or a `pattern` is checked at run time,
as for a model built by hand).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import keyword
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from generator.naming import NameRegistry
from generator.rendering.literals import string_literal

PARAMS = "params"
"""The module client signatures name the TypedDicts through (`params.JobRequestParam`)."""

_SAME = {
    "str": "str",
    "StrictStr": "str",
    "int": "int",
    "StrictInt": "int",
    "float": "float",
    "StrictFloat": "float",
    "bool": "bool",
    "StrictBool": "bool",
    "bytes": "bytes",
    "StrictBytes": "bytes",
    "Any": "Any",
    "object": "object",
}
"""Names whose values a dict holds as they are."""

_AS_TEXT = {
    "UUID": "str | UUID",
    "UUID1": "str | UUID",
    "UUID3": "str | UUID",
    "UUID4": "str | UUID",
    "UUID5": "str | UUID",
    "datetime": "str | datetime",
    "AwareDatetime": "str | datetime",
    "NaiveDatetime": "str | datetime",
    "PastDatetime": "str | datetime",
    "FutureDatetime": "str | datetime",
    "date": "str | date",
    "PastDate": "str | date",
    "FutureDate": "str | date",
    "time": "str | time",
    "timedelta": "str | timedelta",
    "Decimal": "float | Decimal",
}
"""Types a dict may hold as their JSON text (the client sends a dict as JSON), or as the
Python value."""

_STRINGS = frozenset(
    {
        "AnyUrl",
        "AnyHttpUrl",
        "HttpUrl",
        "FileUrl",
        "EmailStr",
        "UriStr",
        "NameEmail",
        "IPvAnyAddress",
        "IPvAnyInterface",
        "IPvAnyNetwork",
        "IPv4Address",
        "IPv6Address",
        "IPv4Network",
        "IPv6Network",
        "IPv4Interface",
        "IPv6Interface",
        "Base64Str",
    }
)
"""Types whose values a dict holds as strings."""

STDLIB = {
    "UUID": "uuid",
    "datetime": "datetime",
    "date": "datetime",
    "time": "datetime",
    "timedelta": "datetime",
    "Decimal": "decimal",
    "Any": "typing",
    "Literal": "typing",
    "IO": "typing",
    "Sequence": "collections.abc",
    "Mapping": "collections.abc",
}
"""Where each name a translated annotation may use comes from."""

_TEXT_LIKE = frozenset({"str", "bytes", "int", "float", "Any", "object"})
"""Members a `str` or `bytes` value satisfies as a sequence item (`str` is a
`Sequence[str]`, `bytes` a `Sequence[int]`, and an `int` a `float` to mypy)."""

UPLOAD = "FileUpload"
"""What a multipart file part takes (`params.FileUpload`), as the client sends it."""
UPLOAD_TYPE = (
    "bytes | IO[bytes] | tuple[str | None, bytes | IO[bytes]]"
    " | tuple[str | None, bytes | IO[bytes], str | None]"
)
"""Bytes, a binary file, or a `(file name, content[, media type])` tuple: httpx's files."""

_MODULE_NAMES = frozenset(
    {
        *STDLIB,
        "TYPE_CHECKING",
        "NotRequired",
        "Required",
        "TypeAlias",
        "TypedDict",
        "models",
        "annotations",
        "IO",
        UPLOAD,
    }
)
"""Names `params.py` defines or imports, which no TypedDict may take."""


@dataclass(frozen=True)
class ParamKey:
    """One key of a TypedDict: a field of its model."""

    key: str
    """The name on the wire (the field's alias, else its name): what the dict holds."""
    attribute: str
    """The model's attribute (a safe identifier)."""
    annotation: str
    """What the dict holds under the key, as `params.py` names it."""
    required: bool
    description: str = ""


@dataclass(frozen=True)
class BodyParam:
    """What `params.py` defines for one model: a TypedDict, or an alias of plain data."""

    model: str
    """The model class."""
    name: str
    """The name in `params.py` (`JobRequestParam`), unique there."""
    keys: tuple[ParamKey, ...] = ()
    """A TypedDict's keys, in the model's field order (inherited fields first)."""
    alias: str = ""
    """For a RootModel (its root type) or an enum (its values): the annotation; empty for a
    TypedDict."""
    description: str = ""

    @property
    def is_typed_dict(self) -> bool:
        return not self.alias

    @property
    def functional(self) -> bool:
        """Some key cannot be a class attribute (`a-b`, `from`, or a name the annotations
        use): the TypedDict is written `X = TypedDict("X", {...})`."""
        used = {name for k in self.keys for name in _names_in(k.annotation)}
        return any(
            not k.key.isidentifier()
            or keyword.iskeyword(k.key)
            or k.key in used | _MODULE_NAMES
            for k in self.keys
        )


@dataclass(frozen=True)
class _Class:
    """A top-level class of the models module, as far as its plain data goes."""

    name: str
    kind: str
    """`model`, `root` or `enum`."""
    node: ast.ClassDef


def _field_call(node: ast.expr | None) -> ast.Call | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Field"
    ):
        return node
    return None


def _alias(annotation: ast.expr, value: ast.expr | None) -> str | None:
    """The `alias=` of the field's `Field(...)`, in `Annotated` metadata or its default."""
    calls = [_field_call(value)]
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        calls += [_field_call(m) for m in annotation.slice.elts[1:]]
    for call in calls:
        for item in call.keywords if call else ():
            if (
                item.arg == "alias"
                and isinstance(item.value, ast.Constant)
                and isinstance(item.value.value, str)
            ):
                return item.value.value
    return None


REQUIRED_IN_REQUESTS = "__specgen_required_in_requests__"
"""The class attribute naming the keys a model requires in requests only (its
required `writeOnly` properties, `generator.one_sided`): required in its TypedDict."""


def _named_keys(node: ast.ClassDef, attribute: str) -> set[str]:
    """The strings of `attribute = frozenset({...})` in the class body of `node`."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and [ast.unparse(t) for t in statement.targets] == [attribute]
            and isinstance(statement.value, ast.Call)
            and statement.value.args
            and isinstance(statement.value.args[0], ast.Set)
        ):
            return {
                e.value
                for e in statement.value.args[0].elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
    return set()


def _required(value: ast.expr | None) -> bool:
    """A field without a default (nor `MISSING`) must be given."""
    if value is None:
        return True
    call = _field_call(value)
    if call is None:
        return False
    if call.args:
        first = call.args[0]
        return isinstance(first, ast.Constant) and first.value is Ellipsis
    return not any(k.arg in ("default", "default_factory") for k in call.keywords)


def _docstring(body: list[ast.stmt], index: int) -> str:
    """The string statement after `body[index]`, as datamodel-code-generator writes a
    field's description."""
    if index + 1 < len(body):
        following = body[index + 1]
        if (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            return following.value.value.strip()
    return ""


class ParamsReader:
    """The TypedDicts of a generated models module, and body types in their terms."""

    def __init__(self, source: str) -> None:
        tree = ast.parse(source) if source.strip() else ast.Module([], [])
        self._classes: dict[str, _Class] = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self._classes[node.name] = _Class(node.name, _kind(node), node)
        names = NameRegistry({*_MODULE_NAMES, *self._classes})
        self.names = {name: names.claim(f"{name}Param") for name in self._classes}
        """Each class → its name in `params.py` (claimed for every class, in the
        module's order, so a name does not depend on which bodies there are). No
        model's name is taken: type checkers' messages name both unqualified."""
        self._param_models = {param: name for name, param in self.names.items()}

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    # --- annotations ----------------------------------------------------------
    def accepted(self, node: ast.expr) -> tuple[list[str], bool]:
        """The union members a dict may hold for a value of the annotation `node`, and
        whether the annotation says the value may be left out (`MISSING`)."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left, left_out = self.accepted(node.left)
            right, right_out = self.accepted(node.right)
            return _members(left + right), left_out or right_out
        if isinstance(node, ast.Constant) and node.value is None:
            return ["None"], False
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.accepted(ast.parse(node.value, mode="eval").body)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        return ["Any"], False

    def _name(self, name: str) -> tuple[list[str], bool]:
        if name == "MISSING":
            return [], True
        if name in self._classes:
            return [f"models.{name}", self.names[name]], False
        if name in _SAME:
            return [_SAME[name]], False
        if name in _AS_TEXT:
            return _AS_TEXT[name].split(" | "), False
        if name in _STRINGS:
            return ["str"], False
        return ["Any"], False  # a type no table knows: any value, checked at run time

    def _subscript(self, node: ast.Subscript) -> tuple[list[str], bool]:
        head = ast.unparse(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in ("Annotated", "typing.Annotated"):
            return self.accepted(items[0])
        if head in ("Literal", "typing.Literal"):
            # `Literal[Status.REVOKED]` (a narrowed enum): as plain data, its value
            return [
                f"Literal[{', '.join(self._literal_item(i) for i in items)}]"
            ], False
        if head in ("Optional", "typing.Optional"):
            inner, left_out = self.accepted(items[0])
            return _members([*inner, "None"]), left_out
        if head in ("Union", "typing.Union"):
            found: list[str] = []
            left_out = False
            for item in items:
                members, out = self.accepted(item)
                found += members
                left_out = left_out or out
            return _members(found), left_out
        if head in ("list", "List", "set", "Set", "frozenset", "Sequence", "tuple"):
            members = self.accepted(items[0])[0]
            outer = "Sequence" if self.covariant(members) else "list"
            return [f"{outer}[{' | '.join(members) or 'Any'}]"], False
        if head in ("dict", "Dict", "Mapping"):
            members = self.accepted(items[-1])[0]
            outer = "Mapping" if self.covariant(members) else "dict"
            return [f"{outer}[str, {' | '.join(members) or 'Any'}]"], False
        return ["Any"], False

    def covariant(self, members: Iterable[str]) -> bool:
        """Whether a list (a dict) whose items (values) are `members` is taken as a
        `Sequence` (a `Mapping`): when they hold a model, as its plain form is
        too (`models.Probe | ProbeParam`), a `list[models.Probe]` is taken only by
        a covariant container (`list` is invariant), and the client takes any
        sequence (mapping) of plain data, as JSON (`Endpoint`). Not when a `str`
        or `bytes` would pass for such a sequence: the client refuses those.
        """
        found = list(members)
        return any(annotation_models(m) for m in found) and not any(
            self._admits_text(m, set()) for m in found
        )

    def _admits_text(self, member: str, seen: set[str]) -> bool:
        """Whether a `str` or `bytes` value's items satisfy `member` to a type checker
        (`str`, or a RootModel's plain form that is `str`)."""
        if member in _TEXT_LIKE:
            return True
        name = member.removeprefix(f"{PARAMS}.")
        model = self._param_models.get(name)
        if model is None or model in seen:
            return False
        seen.add(model)
        described = self._classes[model]
        if described.kind == "enum":
            return self._definition(model).alias == "Any"
        if described.kind != "root":
            return False
        root = self._root(described.node)
        members = self.accepted(root)[0] if root is not None else ["Any"]
        return any(self._admits_text(m, seen) for m in members)

    # --- definitions ----------------------------------------------------------
    def reachable(self, start: Iterable[str]) -> list[str]:
        """The classes `start` names and every class their fields name, in module order."""
        pending = [n for n in start if n in self._classes]
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for node in ast.walk(self._classes[name].node):
                if isinstance(node, ast.Name) and node.id in self._classes:
                    pending.append(node.id)
        return [n for n in self._classes if n in seen]

    def definitions(
        self, start: Iterable[str], files: Mapping[str, Collection[str]] | None = None
    ) -> tuple[BodyParam, ...]:
        """What `params.py` defines for the classes reachable from `start`.

        `files`: for a model sent only as multipart, the keys that are file parts:
        those take a `FileUpload` (bytes, a binary file, a tuple), as the client does.
        """
        files = files or {}
        found = tuple(
            self._definition(name, files.get(name, ()))
            for name in self.reachable(start)
        )
        if any(UPLOAD in k.annotation for d in found for k in d.keys):
            about = (
                "A multipart file part: bytes, a file opened in binary mode, or a"
                " `(file name, content)` or `(file name, content, media type)` tuple."
            )
            found = (
                BodyParam("", UPLOAD, alias=UPLOAD_TYPE, description=about),
                *found,
            )
        return found

    def _definition(self, name: str, files: Collection[str] = ()) -> BodyParam:
        described = self._classes[name]
        doc = ast.get_docstring(described.node) or ""
        if described.kind == "enum":
            values = [
                s.value.value
                for s in described.node.body
                if isinstance(s, ast.Assign)
                and isinstance(s.value, ast.Constant)
                and isinstance(s.value.value, str | int)
                and not isinstance(s.value.value, bool)
                and all(isinstance(t, ast.Name) for t in s.targets)
            ]
            literal = ", ".join(
                string_literal(v) if isinstance(v, str) else str(v) for v in values
            )
            alias = f"Literal[{literal}]" if values else "Any"
            return BodyParam(name, self.names[name], alias=alias, description=doc)
        if described.kind == "root":
            root = self._root(described.node)
            members = self.accepted(root)[0] if root is not None else ["Any"]
            alias = " | ".join(members) or "Any"
            return BodyParam(name, self.names[name], alias=alias, description=doc)
        return BodyParam(
            name, self.names[name], tuple(self._keys(name, files)), description=doc
        )

    def _root(self, node: ast.ClassDef) -> ast.expr | None:
        for statement in node.body:
            if (
                isinstance(statement, ast.AnnAssign)
                and ast.unparse(statement.target) == "root"
            ):
                return statement.annotation
        for base in node.bases:
            if (
                isinstance(base, ast.Subscript)
                and ast.unparse(base.value) == "RootModel"
            ):
                return base.slice
        return None

    def _keys(
        self, name: str, files: Collection[str] = (), depth: int = 0
    ) -> list[ParamKey]:
        """The model's fields as keys, its base models' first (pydantic's order)."""
        node = self._classes[name].node
        found: dict[str, ParamKey] = {}
        for base in node.bases:
            if (
                isinstance(base, ast.Name)
                and base.id in self._classes
                and self._classes[base.id].kind == "model"
                and depth < 32
            ):
                found |= {k.attribute: k for k in self._keys(base.id, files, depth + 1)}
        for index, statement in enumerate(node.body):
            if not (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
            ):
                continue
            attribute = statement.target.id
            if attribute.startswith("_") or ast.unparse(
                statement.annotation
            ).startswith("ClassVar"):
                continue
            members, left_out = self.accepted(statement.annotation)
            key = _alias(statement.annotation, statement.value) or attribute
            annotation = " | ".join(members) or "Any"
            found[attribute] = ParamKey(
                key=key,
                attribute=attribute,
                annotation=_as_upload(annotation) if key in files else annotation,
                required=_required(statement.value) and not left_out,
                description=_docstring(node.body, index),
            )
        in_requests = _named_keys(node, REQUIRED_IN_REQUESTS)
        return [
            dataclasses.replace(k, required=True) if k.key in in_requests else k
            for k in found.values()
        ]

    def keys_of(self, name: str, files: Collection[str] = ()) -> list[ParamKey] | None:
        """The keys of a model's TypedDict (`files`: its multipart file parts); None for
        a RootModel, an enum or no class."""
        described = self._classes.get(name)
        if described is None or described.kind != "model":
            return None
        return self._keys(name, files)

    # --- outside params.py ----------------------------------------------------
    def _literal_item(self, item: ast.expr) -> str:
        """An item of a `Literal` as plain data: an enum member (`Status.REVOKED`) by
        its value (`"revoked"`), or the member as `models` names it."""
        if not (isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name)):
            return ast.unparse(item)
        owner = self._classes.get(item.value.id)
        if owner is None:
            return ast.unparse(item)
        for statement in owner.node.body:
            if (
                isinstance(statement, ast.Assign)
                and [ast.unparse(t) for t in statement.targets] == [item.attr]
                and isinstance(statement.value, ast.Constant)
            ):
                return ast.unparse(statement.value)
        return f"models.{ast.unparse(item)}"

    def qualified(self, annotation: str) -> str:
        """A `params.py` annotation as another module names it: `params.XParam`."""
        own = {*self.names.values(), UPLOAD}

        class Qualify(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.AST:
                if node.id in own:
                    return ast.Attribute(ast.Name(PARAMS, ast.Load()), node.id)
                return node

        return ast.unparse(Qualify().visit(ast.parse(annotation, mode="eval")))

    def body_signature(self, annotation: str) -> str:
        """A body's annotation (`models.JobRequest`, `list[models.Pet]`) with each model
        class also taken as its plain data: `models.JobRequest | params.JobRequestParam`.
        """
        if "models." not in annotation:
            return annotation
        classes = self._classes
        names = self.names

        class Widen(ast.NodeTransformer):
            def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
                if (
                    isinstance(node.value, ast.Name)
                    and node.value.id == "models"
                    and node.attr in classes
                ):
                    plain = ast.Attribute(
                        ast.Name(PARAMS, ast.Load()), names[node.attr]
                    )
                    return ast.BinOp(node, ast.BitOr(), plain)
                return node

            def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
                head = ast.unparse(node.value)
                if head == "Literal":
                    return node
                self.generic_visit(node)
                covariant = _COVARIANT.get(head)
                items = node.slice.elts if isinstance(node.slice, ast.Tuple) else []
                element = items[-1] if items else node.slice
                if covariant and reader.covariant(_union_members(element)):
                    node.value = ast.Name(covariant, ast.Load())
                return node

        reader = self
        return ast.unparse(Widen().visit(ast.parse(annotation, mode="eval")))


_COVARIANT = {"list": "Sequence", "dict": "Mapping"}
"""The covariant container a body's `list` (`dict`) of models is taken as."""


def _union_members(node: ast.expr) -> list[str]:
    """The members of a `A | B` annotation, as text."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [ast.unparse(node)]


def _as_upload(annotation: str) -> str:
    """A file part's annotation: each `bytes` in it a `FileUpload`."""

    class Upload(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.Name(UPLOAD, ast.Load()) if node.id == "bytes" else node

    return ast.unparse(Upload().visit(ast.parse(annotation, mode="eval")))


def _kind(node: ast.ClassDef) -> str:
    bases = [ast.unparse(b) for b in node.bases]
    if any(b.split(".")[-1] in _ENUM_BASES for b in bases):
        return "enum"
    if any(b.startswith("RootModel") for b in bases):
        return "root"
    return "model"


_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"})


def _members(members: list[str]) -> list[str]:
    """Union members without repeats, `None` last."""
    unique = list(dict.fromkeys(members))
    return [m for m in unique if m != "None"] + (["None"] if "None" in unique else [])


@functools.cache  # the same annotations come back for every operation
def _names_in(annotation: str) -> frozenset[str]:
    """The names an annotation uses (`list[UUID]`: `list`, `UUID`)."""
    return frozenset(
        n.id
        for n in ast.walk(ast.parse(annotation, mode="eval"))
        if isinstance(n, ast.Name)
    )


@functools.cache  # the same annotations come back for every operation
def annotation_stdlib(annotation: str) -> tuple[tuple[str, str], ...]:
    """The standard-library imports an annotation made here needs (`("uuid", "UUID")`)."""
    return tuple(sorted((STDLIB[n], n) for n in _names_in(annotation) if n in STDLIB))


@functools.cache  # the same annotations come back for every operation
def annotation_models(annotation: str) -> tuple[str, ...]:
    """The model classes an annotation names (`models.Probe` → `Probe`), in order."""
    found = [
        n.attr
        for n in ast.walk(ast.parse(annotation, mode="eval"))
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "models"
    ]
    return tuple(dict.fromkeys(found))
