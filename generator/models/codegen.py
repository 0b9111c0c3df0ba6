"""Pydantic v2 models through datamodel-code-generator's library API.

We hand it the normalised document (so class names equal component keys), our
model templates as `custom_template_dir`, and the package's own `ApiModel` as
base class. What comes back is read with `ast` so the client side knows which
classes exist and which are RootModels, instead of guessing.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


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


def generate_models(document: dict[str, Any], *, package: str, header: str, template_dir: Path | None) -> ModelsModule:
    """Render `models.py` for `document` and describe the classes it defines."""
    from datamodel_code_generator import PythonVersion, generate  # noqa: PLC0415 - slow import, needed only here
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes  # noqa: PLC0415

    if not (document.get("components") or {}).get("schemas"):
        source = f'"""{header}"""\n\nfrom __future__ import annotations\n'
        return ModelsModule(source=source, classes={})
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
        "capitalise_enum_members": True,
        "set_default_enum_member": True,
        "enum_field_as_literal": "one",
        # JSON Schema types are strict: "1" is not an integer, 1 is not a string.
        "strict_types": [StrictTypes.str, StrictTypes.int, StrictTypes.float, StrictTypes.bool],
        "disable_timestamp": True,
        "formatters": [],
    }
    if template_dir is not None and template_dir.is_dir():
        options["custom_template_dir"] = template_dir
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result: object = generate(document, **options)
    if not isinstance(result, str):  # pragma: no cover - guards a library contract
        raise TypeError("datamodel-code-generator returned no single module")
    tree = ast.parse(result)
    return ModelsModule(source=result, classes=describe_classes(tree))


EMAIL_VALIDATOR = ("email-validator>=2",)
"""What pydantic's `EmailStr` and `NameEmail` need at run time."""
EMAIL_FORMATS = ("email", "idn-email")
"""The string formats datamodel-code-generator writes as `EmailStr`."""


def model_dependencies(source: str) -> tuple[str, ...]:
    """Extra requirements of a generated models module."""
    return EMAIL_VALIDATOR if "EmailStr" in source or "NameEmail" in source else ()


def _root_members(node: ast.expr, known: set[str]) -> tuple[str, ...]:
    """`A | B` or `Annotated[A | B, Field(...)]` → ("A", "B") when all are classes."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Annotated":
        inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
        return _root_members(inner, known)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _root_members(node.left, known), _root_members(node.right, known)
        return left + right if left and right else ()
    if isinstance(node, ast.Name) and node.id in known:
        return (node.id,)
    return ()


def describe_classes(module: str | ast.Module) -> dict[str, ModelClass]:
    """Classify every top-level class of a generated models module (its source, or its source parsed)."""
    tree = ast.parse(module) if isinstance(module, str) else module
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    known = {c.name for c in classes}
    described: dict[str, ModelClass] = {}
    for node in classes:
        bases = {ast.unparse(b) for b in node.bases}
        if any("Enum" in b for b in bases):
            described[node.name] = ModelClass(node.name, "enum")
        elif any(b.startswith("RootModel") for b in bases):
            root = next((s for s in node.body if isinstance(s, ast.AnnAssign) and ast.unparse(s.target) == "root"), None)
            members = _root_members(root.annotation, known) if root is not None else ()
            described[node.name] = ModelClass(node.name, "root", members)
        else:
            described[node.name] = ModelClass(node.name, "model")
    return described
