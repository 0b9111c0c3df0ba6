"""Pydantic v2 models through datamodel-code-generator's library API.

We hand it the normalised document (so class names equal component keys), our
model templates as `custom_template_dir`, and the package's own `ApiModel` as
base class. What comes back is read with `ast` so the client side knows which
classes exist and which are RootModels, instead of guessing.

One pattern that needs Python's `re` (look-around, back-references) makes
datamodel-code-generator switch its whole model to `regex_engine="python-re"`,
and so every other pattern of the model to a backtracking engine: a spec's
`^(a+)+$` then takes seconds per response value. `confine_python_patterns`
undoes that: the model keeps pydantic's linear-time Rust engine, and only the
fields whose pattern Rust refuses get a compiled `re` pattern (pydantic runs a
compiled pattern with `re`, for that field alone).
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.conformance.ecma import ecma_pattern, python_compiles, rust_rejects
from generator.models.allof_members import allof_members_completed
from generator.models.amend import (
    defaults_as_values,
    keywords_told,
    literals_as_members,
    nullable_objects_spelled_nullable,
    rebuild_incomplete_parsed,
    recursive_arrays_as_unions,
    root_defaults_that_fit,
    single_branch_unions_nested,
)
from generator.models.constrained_types import constrained_calls_annotated
from generator.models.deprecated_roots import deprecated_roots_usable
from generator.models.empty_objects import empty_objects_classed
from generator.models.module_imports import unused_import_dropped
from generator.models.one_of import ambiguous_one_ofs, one_of_enforced
from generator.models.overrides import refused_overrides_flattened
from generator.models.referenced_defaults import referenced_defaults_stated
from generator.models.source_edits import SourceEdits, parsed_module
from generator.models.typed_unions import (
    null_branches_refused,
    null_refusing_roots,
    refused_null_dropped,
)
from generator.naming import nfkc_field_aliases

ClassKind = Literal["model", "root", "enum"]


@dataclass(frozen=True)
class ModelClass:
    """What the client side needs to know about one generated class."""

    name: str
    kind: ClassKind
    root_members: tuple[str, ...] = ()
    """For a RootModel over a union of model classes: those classes, in order."""


@dataclass(frozen=True)
class ModelsModule:
    source: str
    classes: dict[str, ModelClass]


def generate_models(
    document: dict[str, Any], *, package: str, header: str, template_dir: Path | None
) -> ModelsModule:
    """Render `models.py` for `document` and describe the classes it defines."""
    if not (document.get("components") or {}).get("schemas"):
        source = f'"""{header}"""\n\nfrom __future__ import annotations\n'
        return ModelsModule(source=source, classes={})
    raw = raw_models(
        document, package=package, header=header, template_dir=template_dir
    )
    return finish_models(raw)


def raw_models(
    document: dict[str, Any],
    *,
    package: str,
    header: str,
    template_dir: Path | None,
    aliases: dict[str, str] | None = None,
) -> str:
    """The module datamodel-code-generator writes for `document`, before our amendments.

    `aliases` (default: those of `document`) lets a part of a document be
    generated with the field names the whole would give it.
    """
    from datamodel_code_generator import PythonVersion, generate
    from datamodel_code_generator.enums import (
        DataModelType,
        InputFileType,
        StrictTypes,
        TargetPydanticVersion,
    )

    options: dict[str, Any] = {
        "input_file_type": InputFileType.OpenAPI,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_311,
        "base_class": f"{package}._base.ApiModel",
        "additional_imports": [f"{package}._base.unknown_member"],
        "custom_file_header": f'"""{header}"""',
        "field_constraints": True,
        "use_annotated": True,
        "snake_case_field": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "use_schema_description": True,
        "use_field_description": True,
        "strict_nullable": True,
        # An optional field without a default is `T | MISSING = MISSING` (or
        # `T | None | MISSING` when nullable): "may be left out" and "may be null"
        # differ in the types mypy sees, a field left out is in no dump, and a
        # `type: "null"` field is `None | MISSING`. Pydantic 2.14 exports `MISSING`
        # (the generated pyproject requires it).
        "use_missing_sentinel": True,
        "target_pydantic_version": TargetPydanticVersion.V2_14,
        "capitalise_enum_members": True,
        "set_default_enum_member": True,
        "enum_field_as_literal": "one",
        # JSON Schema types are strict: "1" is not an integer, 1 is not a string.
        "strict_types": [
            StrictTypes.str,
            StrictTypes.int,
            StrictTypes.float,
            StrictTypes.bool,
        ],
        # `format: password` is a hint to UIs. As `SecretStr` (the default), a request
        # sends "**********" instead of the password, and a dump loses it.
        # `format: byte` (base64 text) as pydantic's `Base64Str` decodes the value on
        # validation: the field no longer holds what was sent, binary data that is not
        # UTF-8 is refused, and strings the spec allows ("0") fail. It stays the text.
        "type_mappings": ["string+password=string", "string+byte=string"],
        "disable_timestamp": True,
        "formatters": [],
    }
    if template_dir is not None and template_dir.is_dir():
        options["custom_template_dir"] = template_dir
    aliases = nfkc_field_aliases(document) if aliases is None else aliases
    # Its models come from the component schemas alone (the default `openapi_scopes`),
    # which after normalising refer to nothing in `paths` or `webhooks`: parsing
    # those would take it a tenth of its time on a big spec, for nothing.
    document = {k: v for k, v in document.items() if k not in ("paths", "webhooks")}
    document["paths"] = {}
    if aliases:  # names Python would read as one identifier get distinct ones
        options["aliases"] = aliases
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        told = single_branch_unions_nested(
            keywords_told(
                empty_objects_classed(
                    nullable_objects_spelled_nullable(
                        null_branches_refused(
                            recursive_arrays_as_unions(
                                referenced_defaults_stated(
                                    allof_members_completed(document)
                                )
                            )
                        )
                    )
                )
            )
        )
        result: object = generate(told, **options)
    if not isinstance(result, str):  # pragma: no cover - guards a library contract
        raise TypeError("datamodel-code-generator returned no single module")
    result = refused_null_dropped(result, null_refusing_roots(told))
    return one_of_enforced(result, ambiguous_one_ofs(told), package)


def finish_models(result: str) -> ModelsModule:
    """datamodel-code-generator's module (`raw_models`) amended, and its classes described.

    The amendments apply in this order.
    """
    for amend in (
        constrained_calls_annotated,
        deprecated_roots_usable,
        confine_python_patterns,
        root_defaults_that_fit,
        literals_as_members,
        refused_overrides_flattened,
        strings_as_written,
        defaults_as_values,
    ):
        result = amend(result)
    result, tree = rebuild_incomplete_parsed(result)
    # Markdown's line-break spaces end lines of field docstrings, which no formatter
    # touches (they are no docstrings to it); no other string spans lines. Classes
    # are the same without them: the tree still describes them.
    result = "\n".join(line.rstrip() for line in result.split("\n"))
    return ModelsModule(source=result, classes=describe_classes(tree))


_RE = "_re"
"""The name `re` is imported as: a field may be called `re`, and no field starts with `_`."""


def _is_python_re_config(node: ast.stmt) -> ast.Call | None:
    """`model_config = ConfigDict(...)` naming `regex_engine="python-re"`: its call."""
    if not (
        isinstance(node, ast.Assign)
        and [ast.unparse(t) for t in node.targets] == ["model_config"]
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == "ConfigDict"
    ):
        return None
    engines = [k.value for k in node.value.keywords if k.arg == "regex_engine"]
    python_re = [
        v for v in engines if isinstance(v, ast.Constant) and v.value == "python-re"
    ]
    return node.value if python_re else None


def _drop_python_re_config(source: SourceEdits, body: list[ast.stmt]) -> None:
    """Take `regex_engine="python-re"` out of the model configs in `body`."""
    for node in body:
        if isinstance(node, ast.ClassDef):
            _drop_python_re_config(source, node.body)
        call = _is_python_re_config(node)
        if call is None:
            continue
        kept = [source.text(k) for k in call.keywords if k.arg != "regex_engine"]
        if kept:
            source.replace(
                source.start(call), source.end(call), f"ConfigDict({', '.join(kept)})"
            )
        elif len(body) > 1:
            line = source.lines[node.lineno - 1]
            source.replace(
                line, source.end(node) + 1, ""
            )  # the whole line, with its newline
        else:
            source.replace(source.start(node), source.end(node), "pass")


def _import_position(source: SourceEdits, tree: ast.Module) -> int:
    """Where `import re` goes: before the first import, or after the docstring and `__future__`."""
    position = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom) and not (
            isinstance(node, ast.ImportFrom) and node.module == "__future__"
        ):
            return source.lines[node.lineno - 1]
        if not isinstance(node, ast.Expr | ast.ImportFrom):
            break
        position = source.end(node) + 1  # the line after it
    return position


def confine_python_patterns(source: str) -> str:
    """`source` with no model on Python's `re` engine: each pattern Rust refuses compiled instead.

    A pattern neither engine takes stays as it is (the model fails as loudly as before).
    datamodel-code-generator marks every pattern it gives to `re` with one of the two
    texts looked for first, so a module without them costs no parse.
    """
    if "regex_engine" not in source and "compile(" not in source:
        return source
    tree = parsed_module(source)
    edited = SourceEdits(source)
    _drop_python_re_config(edited, tree.body)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            pattern = _pattern_text(keyword.value) if keyword.arg == "pattern" else None
            if (
                pattern is not None
                and rust_rejects(pattern)
                and python_compiles(pattern)
            ):
                compiled = f"{_RE}.compile({ecma_pattern(pattern)!r}, {_RE}.ASCII)"
                edited.replace(
                    edited.start(keyword.value), edited.end(keyword.value), compiled
                )
    if not edited.edits:
        return source
    if any(f"{_RE}.compile(" in text for _, _, text in edited.edits):
        at = _import_position(edited, tree)
        edited.replace(at, at, f"import re as {_RE}\n")
    result = unused_import_dropped(edited.result(), "pydantic", "ConfigDict")
    return unused_import_dropped(result, "re", "compile")


def _pattern_text(value: ast.expr) -> str | None:
    """The spec's pattern in a `pattern=` argument: a string, or datamodel-code-generator's
    `compile("…")` (type aliases), whose `$` and `\\d` would not read as ECMA-262 says."""
    if isinstance(value, ast.Call) and ast.unparse(value.func) in (
        "compile",
        "re.compile",
    ):
        if len(value.args) != 1 or value.keywords:
            return None
        value = value.args[0]
    return (
        value.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str)
        else None
    )


AS_WRITTEN = {"EmailStr": "EmailStr", "AnyUrl": "UriStr"}
"""pydantic's string types that give back another string than they were given, and
the runtime's (`_base`) that check the same and keep the text: `EmailStr` lowers
the domain and decodes punycode, `AnyUrl` adds a slash to a bare host and drops a
default port (openstatus' webhook URLs). The client must send what it was given."""


def strings_as_written(source: str) -> str:
    """`source` taking each type of `AS_WRITTEN` from the package's `_base` instead of
    from pydantic, renamed where the runtime's name differs."""
    if not any(name in source for name in AS_WRITTEN):
        return source
    tree = parsed_module(source)
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom) and not n.level]
    base = next((n for n in imports if (n.module or "").endswith("._base")), None)
    pydantic = next((n for n in imports if n.module == "pydantic"), None)
    if base is None or pydantic is None:
        return source
    taken = {
        a.name: AS_WRITTEN[a.name]
        for a in pydantic.names
        if a.name in AS_WRITTEN and a.asname is None
    }
    if not taken:
        return source
    edited = SourceEdits(source)
    for node, names in (
        (pydantic, [ast.unparse(a) for a in pydantic.names if a.name not in taken]),
        (base, sorted([*(ast.unparse(a) for a in base.names), *taken.values()])),
    ):
        text = f"from {node.module} import {', '.join(names)}" if names else ""
        edited.replace(edited.start(node), edited.end(node), text)
    renamed = {old: new for old, new in taken.items() if old != new}
    for name in ast.walk(tree):
        if isinstance(name, ast.Name) and name.id in renamed:
            edited.replace_node(name, renamed[name.id])
    return edited.result()


EMAIL_VALIDATOR = ("email-validator>=2",)
"""What pydantic's `EmailStr` and `NameEmail` need at run time."""
EMAIL_FORMATS = ("email", "idn-email")
"""The string formats datamodel-code-generator writes as `EmailStr`."""


def model_dependencies(source: str) -> tuple[str, ...]:
    """Extra requirements of a generated models module."""
    return EMAIL_VALIDATOR if "EmailStr" in source or "NameEmail" in source else ()


def _root_members(node: ast.expr, known: set[str]) -> tuple[str, ...]:
    """`A | B` or `Annotated[A | B, Field(...)]` → ("A", "B") when all are classes."""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
    ):
        inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
        return _root_members(inner, known)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _root_members(node.left, known), _root_members(node.right, known)
        return left + right if left and right else ()
    if isinstance(node, ast.Name) and node.id in known:
        return (node.id,)
    return ()


_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "IntFlag", "Flag"})


def _is_enum_base(base: ast.expr) -> bool:
    """Whether a class base is one of `enum`'s classes (`RootModel[AnEnum | None]` is not)."""
    name = (
        base.id
        if isinstance(base, ast.Name)
        else base.attr
        if isinstance(base, ast.Attribute)
        else None
    )
    return name in _ENUM_BASES


def describe_classes(module: str | ast.Module) -> dict[str, ModelClass]:
    """Classify every top-level class of a generated models module.

    `module` is its source, or its source parsed.
    """
    tree = ast.parse(module) if isinstance(module, str) else module
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    known = {c.name for c in classes}
    described: dict[str, ModelClass] = {}
    for node in classes:
        bases = {ast.unparse(b) for b in node.bases}
        if any(_is_enum_base(b) for b in node.bases):
            described[node.name] = ModelClass(node.name, "enum")
        elif any(b.startswith("RootModel") for b in bases):
            root = next(
                (
                    s
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "root"
                ),
                None,
            )
            members = _root_members(root.annotation, known) if root is not None else ()
            described[node.name] = ModelClass(node.name, "root", members)
        else:
            described[node.name] = ModelClass(node.name, "model")
    return described
