"""Read a spec file (YAML or JSON) into plain Python data, bundling relative-file `$ref`s.

External references are pulled into the main document so everything after
loading sees one self-contained document with only local (`#/...`) references:
schemas land in `components/schemas` under a free name, anything else is inlined.
Problems are collected, never raised one by one.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from urllib.parse import unquote
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.naming import ClassName, NameRegistry
from generator.loading.ref_cycles import unexpressible_cycles
from generator.problems import Level, Problem, SpecError, join_pointer, unescape_pointer_token

Document = dict[str, Any]

SUPPORTED_VERSIONS = ("3.0.", "3.1.")


_FastSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it: about ten times faster on big specs."""


class _UniqueKeyLoader(_FastSafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that refuses duplicate mapping keys instead of keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# OpenAPI is JSON: `2024-01-01T00:00:00Z` is a string, not a datetime object.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, path: Path) -> Any:
    """Parse YAML (JSON is a subset) or raise `SpecError` naming the line."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed document"
        raise SpecError([Problem(Level.ERROR, path, "", f"not valid YAML/JSON: {reason}", line)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(Level.ERROR, path, "", f"not valid YAML/JSON: {exc}")]) from None


def read_document(path: Path) -> Any:
    """Read and parse one file; a missing or unreadable file is a `SpecError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([Problem(Level.ERROR, path, "", "file does not exist")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(Level.ERROR, path, "", f"cannot read file: {exc}")]) from None
    if not text.strip():
        raise SpecError([Problem(Level.ERROR, path, "", "file is empty")])
    return parse_text(text, path)


def line_of(path: Path, pointer: str) -> int | None:
    """The 1-based line where `pointer` sits in `path`, for error messages only."""
    try:
        node: yaml.Node | None = yaml.compose(path.read_text(encoding="utf-8"), Loader=_FastSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    tokens = [unescape_pointer_token(t) for t in pointer.lstrip("#").split("/")[1:]] if pointer.strip("#/") else []
    for token in tokens:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a JSON pointer (`/a/b/0`, percent-encoded as in a URI fragment) through `document`.

    Raises `KeyError` when it leads nowhere.
    """
    node = document
    for raw in unquote(pointer).split("/")[1:] if pointer else []:
        token = unescape_pointer_token(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


@dataclass
class LoadedSpec:
    """A spec as one self-contained document, plus where it came from."""

    path: Path
    document: Document
    sources: tuple[str, ...] = ()
    """Every file read, relative to the spec's folder: the spec itself and its `$ref`ed files."""


class _Bundler:
    """Pulls relative-file `$ref` targets into the root document."""

    def __init__(self, root_path: Path, root: Document) -> None:
        self.root_path = root_path.resolve()
        self.root = root
        self.files: dict[Path, Any] = {self.root_path: root}
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.new_schemas: dict[str, Any] = {}
        existing = root.get("components", {}).get("schemas", {}) if isinstance(root.get("components"), dict) else {}
        self.schema_names = NameRegistry(set(existing) if isinstance(existing, dict) else set())
        self.problems: list[Problem] = []

    def _file(self, path: Path) -> Any:
        if path not in self.files:
            self.files[path] = read_document(path)
        return self.files[path]

    def bundle(self, node: Any, current: Path, pointer: str, stack: tuple[tuple[Path, str], ...] = ()) -> Any:
        """Return `node` with every external `$ref` rewritten to a local one."""
        if isinstance(node, list):
            return [self.bundle(v, current, join_pointer(pointer, i), stack) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and (current != self.root_path or not ref.startswith("#")):
            return self._rewrite(node, ref, current, pointer, stack)
        return {k: self.bundle(v, current, join_pointer(pointer, k), stack) for k, v in node.items()}

    def _rewrite(self, node: dict[str, Any], ref: str, current: Path, pointer: str, stack: tuple[tuple[Path, str], ...]) -> Any:
        file_part, _, fragment = ref.partition("#")
        target_path = (current.parent / file_part).resolve() if file_part else current
        key = (target_path, fragment)
        if key in self.hoisted:
            return {**node, "$ref": self.hoisted[key]}
        try:
            target = resolve_pointer(self._file(target_path), fragment)
        except KeyError:
            where = join_pointer(pointer, "$ref")
            self.problems.append(Problem(Level.ERROR, current, where, f"$ref {ref!r} resolves nowhere", line_of(current, where)))
            return node
        if _is_schema_position(pointer) or "/schemas/" in fragment:
            name = self.schema_names.claim(ClassName(fragment.rsplit("/", 1)[-1] or target_path.stem))
            local = f"#/components/schemas/{name}"
            self.hoisted[key] = local
            self.new_schemas[name] = self.bundle(copy.deepcopy(target), target_path, fragment, stack)
            return {**node, "$ref": local}
        if key in stack:
            self.problems.append(Problem(Level.ERROR, current, pointer, f"$ref {ref!r} is a cycle through a non-schema object"))
            return node
        return self.bundle(copy.deepcopy(target), target_path, fragment, (*stack, key))


_SCHEMA_KEYWORDS = frozenset(
    {"schema", "schemas", "properties", "items", "prefixItems", "allOf", "oneOf", "anyOf", "not",
     "additionalProperties", "patternProperties", "propertyNames", "definitions", "$defs", "if", "then", "else"}
)


def _is_schema_position(pointer: str) -> bool:
    """Whether a `$ref` at `pointer` stands for a schema (and so gets a class of its own)."""
    return any(unescape_pointer_token(t) in _SCHEMA_KEYWORDS for t in pointer.split("/"))


def _check_local_refs(document: Any, path: Path) -> list[Problem]:
    """Every local `$ref` must lead somewhere."""
    problems: list[Problem] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                try:
                    resolve_pointer(document, ref.partition("#")[2])
                except KeyError:
                    where = join_pointer(pointer, "$ref")
                    problems.append(Problem(Level.ERROR, path, where, f"$ref {ref!r} resolves nowhere", line_of(path, where)))
            for key, value in node.items():
                walk(value, join_pointer(pointer, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, join_pointer(pointer, index))

    walk(document, "")
    return problems


def _check_version(document: Any, path: Path) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem(Level.ERROR, path, "", f"a spec must be a mapping, not {type(document).__name__}")]
    if "swagger" in document:
        return [Problem(Level.ERROR, path, "/swagger", "Swagger 2.0 is not supported; convert it to OpenAPI 3 first", line_of(path, "/swagger"))]
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith(SUPPORTED_VERSIONS):
        return [Problem(Level.ERROR, path, "/openapi", f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x", line_of(path, "/openapi"))]
    return []


def load_spec(path: Path) -> LoadedSpec:
    """Load `path` into one self-contained document or raise `SpecError` with every problem found."""
    raw = read_document(path)
    problems = _check_version(raw, path)
    if problems:
        raise SpecError(problems)
    bundler = _Bundler(path, raw)
    document = bundler.bundle(raw, bundler.root_path, "")
    if bundler.new_schemas:
        document.setdefault("components", {}).setdefault("schemas", {}).update(bundler.new_schemas)
    problems = bundler.problems + _check_local_refs(document, path)
    problems += [dataclasses.replace(p, line=line_of(path, p.pointer)) for p in unexpressible_cycles(document, path)]
    if problems:
        raise SpecError(problems)
    base = bundler.root_path.parent
    sources = tuple(sorted(Path(os.path.relpath(p, base)).as_posix() for p in bundler.files))
    return LoadedSpec(path=path, document=document, sources=sources)
