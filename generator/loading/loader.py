"""Read a spec file (YAML or JSON) into plain Python data, bundling relative-file `$ref`s.

External references are pulled into the main document so everything after
loading sees one self-contained document with only local (`#/...`) references:
schemas land in `components/schemas` under a free name, anything else is inlined.
Problems are collected, never raised one by one.

A spec is not trusted: it reads only regular files under the allowed folders
(`reading`), parses to bounded JSON data (`parsing`), and must have OpenAPI's
shape where generation reads it (`shape`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.loading.component_maps import maps_put_in_place
from generator.loading.dynamic_refs import dynamic_refs_resolved
from generator.loading.inapplicable_keywords import drop_inapplicable_keywords
from generator.loading.parsing import (
    MAX_DEPTH,
    MAX_NODES,
    lines_of,
    parse_text,
)
from generator.loading.path_templates import (
    declare_template_parameters,
    queries_in_paths,
)
from generator.loading.reading import ReadRefused, outside_roots, read_capped, resolved
from generator.loading.ref_cycles import unexpressible_cycles
from generator.loading.shape import ShapeChecker
from generator.loading.status_keys import spell_status_keys
from generator.loading.swagger2 import convert
from generator.loading.wrong_defaults import drop_wrong_defaults
from generator.naming import ClassName, NameRegistry
from generator.pointers import (
    SCHEMA_POINTER,
    in_named_schema,
    join_pointer,
    resolve_pointer,
    unescape_pointer_token,
)
from generator.problems import Level, Problem, SpecError
from generator.schema_keywords import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

Document = dict[str, Any]

SUPPORTED_VERSIONS = ("3.0.", "3.1.")
WIDEN_HINT = "pass --allow-refs-from DIR to allow another folder"
"""How a user lets `$ref`s reach outside the spec's folder (the CLI's option)."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text (a byte order mark dropped), or a `SpecError` naming the first bad byte's line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        raise SpecError([Problem(Level.ERROR, path, "", message, line)]) from None


def read_document(path: Path) -> tuple[str, Any]:
    """Read and parse one file (its real path, checked by the caller): (text, data)."""
    try:
        data = read_capped(path)
    except ReadRefused as exc:
        raise SpecError([Problem(Level.ERROR, path, "", exc.reason)]) from None
    text = decode(data, path)
    if not text.strip():
        raise SpecError([Problem(Level.ERROR, path, "", "file is empty")])
    return text, parse_text(text, path)


class _Lines:
    """Lines of JSON pointers in texts already read, for messages: each text is
    searched once per batch of pointers, and what was found is kept."""

    def __init__(self) -> None:
        self.texts: dict[Path, str] = {}
        self._known: dict[tuple[Path, str], int | None] = {}

    def line(self, path: Path, pointer: str) -> int | None:
        return self.lines(path, [pointer]).get(pointer)

    def lines(self, path: Path, pointers: Iterable[str]) -> dict[str, int | None]:
        asked = list(dict.fromkeys(pointers))
        todo = [p for p in asked if (path, p) not in self._known]
        if todo:
            found = lines_of(self.texts.get(path, ""), todo)
            for pointer in todo:
                self._known[path, pointer] = found.get(pointer)
        return {pointer: self._known[path, pointer] for pointer in asked}


@dataclass
class LoadedSpec:
    """A spec as one self-contained document, plus where it came from."""

    path: Path
    document: Document
    sources: tuple[str, ...] = ()
    """Every file read, relative to the spec's folder: the spec itself and its `$ref`ed files."""
    warnings: tuple[Problem, ...] = ()
    """What loading changed without refusing: a Swagger 2.0 document converted, a path
    parameter the spec forgot declared, a default of the wrong type left out."""
    lines: _Lines | None = field(default=None, repr=False, compare=False)
    real: Path | None = None
    """The spec's own file, symlinks followed: where `lines` reads pointers."""
    written_in: Mapping[str, tuple[Path, str]] = field(default_factory=dict)
    """Component schemas bundled from other files: the file and pointer each is at."""
    placed_from: Mapping[str, tuple[Path, str]] = field(default_factory=dict)
    """What the spec's own file refers to in another file and was put in its place (a
    path item, a parameter, a response): the file and pointer it is written at, by
    its pointer in `document`."""

    def located(
        self, problems: Sequence[Problem], origins: Mapping[str, str] | None = None
    ) -> list[Problem]:
        """`problems`, which later stages found in the normalised document, named as
        loading names its own: the spec's path, and the line each pointer has in the
        spec's text when it has one there (a renamed component, `FloatingIp`, is
        looked up and named as the spec writes it, `floating_ip`; a hoisted one,
        by the place `origins` says it is written at). The text is searched at most
        twice, whatever the number of problems."""
        if self.lines is None or self.real is None:
            return [dataclasses.replace(p, file=self.path) for p in problems]
        pointers = {
            p.pointer: _from_origin(p.pointer.removeprefix("#"), origins or {})
            for p in problems
            if p.line is None
        }
        lines = self.lines.lines(self.real, pointers.values())
        written = {
            pointer: self._as_written(pointer)
            for pointer in pointers.values()
            if lines[pointer] is None
        }
        lines_written = self.lines.lines(self.real, written.values())
        elsewhere = {
            pointer: found
            for pointer in pointers.values()
            if (found := self._elsewhere(pointer)) is not None
        }
        by_file: dict[Path, list[str]] = {}
        for file, at in elsewhere.values():
            by_file.setdefault(file, []).append(at)
        lines_elsewhere = {
            file: self.lines.lines(file, ats) for file, ats in by_file.items()
        }
        located = []
        for problem in problems:
            if problem.line is not None:
                located.append(dataclasses.replace(problem, file=self.path))
                continue
            pointer = pointers[problem.pointer]
            if pointer in elsewhere:
                file, at = elsewhere[pointer]
                line = lines_elsewhere[file][at]
                located.append(
                    dataclasses.replace(problem, file=file, pointer=at, line=line)
                )
                continue
            line = lines[pointer]
            if line is None and lines_written[written[pointer]] is not None:
                pointer = written[pointer]
                line = lines_written[pointer]
            located.append(
                dataclasses.replace(problem, file=self.path, pointer=pointer, line=line)
            )
        return located

    def _elsewhere(self, pointer: str) -> tuple[Path, str] | None:
        """The file and pointer `pointer` is written at, when it is in a component
        schema bundled from another file (the spec's own text has no such place)."""
        named = in_named_schema(pointer)
        found = None if named is None else self.written_in.get(named[0])
        if named is not None and found is not None:
            file, fragment = found
            return file, fragment + named[1]
        return self._placed(pointer)

    def _placed(self, pointer: str) -> tuple[Path, str] | None:
        """The file and pointer `pointer` is written at, when it is inside something
        put in place from another file (`paths: {/users: {$ref: paths/users.yaml}}`)."""
        if not self.placed_from:
            return None
        prefix = pointer
        while prefix:
            found = self.placed_from.get(prefix)
            if found is not None:
                return found[0], found[1] + pointer[len(prefix) :]
            prefix = prefix.rpartition("/")[0]
        return None

    def _as_written(self, pointer: str) -> str:
        """`pointer`, with the component schema it starts in named as the spec names it."""
        named = in_named_schema(pointer)
        if named is None:
            return pointer
        schemas = (self.document.get("components") or {}).get("schemas")
        written = next(
            (
                key
                for key in (schemas if isinstance(schemas, dict) else ())
                if ClassName(str(key)) == named[0]
            ),
            None,
        )
        if written is None:
            return pointer
        return join_pointer(SCHEMA_POINTER.rstrip("/"), str(written)) + named[1]


def _from_origin(pointer: str, origins: Mapping[str, str]) -> str:
    """`pointer`, from the place its hoisted component is written at when it has one."""
    named = in_named_schema(pointer)
    origin = None if named is None else origins.get(named[0])
    return pointer if named is None or origin is None else origin + named[1]


_MAX_CALLS = 200
"""Most `bundle` calls in progress at once (each is two or three Python frames, and Python stops
near 1,000): chains of `$ref`s to other files recurse once per link."""
_DEFER_HOISTING = 80
"""Beyond this many `bundle` calls in progress, a schema to hoist is bundled after the rest."""
_MAX_CHAIN = 32
"""Most steps of a chain of `$ref`s followed to the schema a root component names."""


class _TooBig(Exception):
    """The bundled document outgrew `MAX_NODES`."""


@dataclass
class _Inlined:
    """A non-schema `$ref` target once bundled: reused (and its size counted) for later uses."""

    value: Any
    size: int
    height: int


class _Bundler:
    """Pulls relative-file `$ref` targets into the root document.

    Inlined targets are bundled once and shared while bundling, so `$ref`s that
    multiply (a file whose entries each refer nine times to the previous one)
    are measured before being copied; `_unshared` copies them apart at the end.
    """

    def __init__(
        self,
        root_path: Path,
        shown: Path,
        root: Document,
        roots: tuple[Path, ...],
        lines: _Lines,
    ) -> None:
        self.root_path = root_path
        self.shown = shown
        self.root = root
        self.roots = roots
        self.lines = lines
        self.files: dict[Path, Any] = {root_path: root}
        self.unreadable: dict[Path, str] = {}
        self.unparsable: set[Path] = set()
        self.hoisted: dict[tuple[Path, str], str] = {}
        self.inlined: dict[tuple[Path, str], _Inlined] = {}
        self.placed: set[tuple[Path, str]] = set()
        self.written_in: dict[str, tuple[Path, str]] = {}
        self.placed_from: dict[str, tuple[Path, str]] = {}
        """See `LoadedSpec.placed_from` (what the root's own `$ref`s put in place)."""
        """Each schema hoisted from another file: the (file, fragment) it is at."""
        """Targets put in the place of the root's component that refers to them."""
        self.new_schemas: dict[str, Any] = {}
        self.schema_names = NameRegistry(set())
        self.problems: list[Problem] = []
        self._unlined: list[tuple[int, Path]] = []
        """Each problem whose line is yet to be found (its index), and its file."""
        self.count = 0
        """Values bundled so far, a shared inline counted at each use."""
        self.hoisted_count = 0
        self.deepest = 0
        self.shared = False
        self.calls = 0
        """`bundle` calls in progress."""
        self.deferred: list[
            tuple[str, Any, Path, str, tuple[tuple[Path, str], ...]]
        ] = []

    def claim_root_schemas(self) -> None:
        """Let the root's component schemas stand for the schemas they are, to `$ref`s
        from any file: one written in the root (`api.yaml#/components/schemas/Kind`),
        or one the root names by a `$ref` to its file (`User: {$ref: User.yaml}`, the
        layout of a multi-file spec; through a chain of such `$ref`s too), which is
        put in that component's place. Else each would be a copy under a name of its
        own, `Kind2`, `User2`, wrapped."""
        components = self.root.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return
        self.schema_names = NameRegistry(set(schemas))
        for name, value in schemas.items():
            local = join_pointer("#/components/schemas", str(name))
            self.hoisted[self.root_path, local[1:]] = local
            for key in self._chain(value, self.root_path):
                self.hoisted.setdefault(key, local)

    def _chain(self, node: Any, current: Path) -> list[tuple[Path, str]]:
        """The (file, fragment) of each step of a chain of `$ref`s to other files that
        `node` (written in `current`) starts: `User: {$ref: _index.yaml#/User}`, that
        entry `{$ref: ./User.yaml}`. Stops where a step cannot be followed."""
        steps: list[tuple[Path, str]] = []
        while (
            _is_reference_only(node)
            and not node["$ref"].startswith("#")
            and len(steps) < _MAX_CHAIN
        ):
            followed = self.follow(current, node["$ref"])
            if followed is None or (followed[0], followed[1]) in steps:
                break
            current, fragment, node = followed
            steps.append((current, fragment))
        return steps

    def file_name(self, path: Path) -> Path:
        """How problems name a file: the spec as the user named it, others by real path."""
        return self.shown if path == self.root_path else path

    def problem(self, path: Path, pointer: str, message: str) -> None:
        """An error at `pointer` in the file `path` (its line is found later, with
        the others': `lined_problems`)."""
        self.add(path, Problem(Level.ERROR, self.file_name(path), pointer, message))

    def add(self, path: Path, problem: Problem) -> None:
        """`problem`, found in the file `path`, named as problems name files."""
        self.problems.append(dataclasses.replace(problem, file=self.file_name(path)))
        self._unlined.append((len(self.problems) - 1, path))

    def lined_problems(self) -> list[Problem]:
        """The problems so far, each with its line: one search of each file for all."""
        problems = list(self.problems)
        by_file: dict[Path, list[int]] = {}
        for index, path in self._unlined:
            by_file.setdefault(path, []).append(index)
        for path, indexes in by_file.items():
            found = self.lines.lines(path, [problems[i].pointer for i in indexes])
            for i in indexes:
                problems[i] = dataclasses.replace(
                    problems[i], line=found[problems[i].pointer]
                )
        return problems

    def _file(self, path: Path) -> Any:
        """The data of allowed `path`: `ReadRefused` when unreadable, `KeyError` when unparsable.

        A file's own problems (its syntax) are reported once, naming it; why it
        cannot be read is for each `$ref` to it to report.
        """
        if path in self.unreadable:
            raise ReadRefused(self.unreadable[path])
        if path in self.unparsable:
            raise KeyError(path)
        if path not in self.files:
            try:
                data = read_capped(path)
            except ReadRefused as exc:
                self.unreadable[path] = exc.reason
                raise
            try:
                text = decode(data, path)
                self.lines.texts[path] = text
                if not text.strip():
                    raise SpecError([Problem(Level.ERROR, path, "", "file is empty")])
                self.files[path] = parse_text(text, path)
            except SpecError as exc:
                self.unparsable.add(path)
                self.problems.extend(exc.problems)
                raise KeyError(path) from None
        return self.files[path]

    def target_of(self, ref: str, current: Path) -> tuple[Path, str] | str:
        """The (real file, fragment) `ref` in `current` stands for, or why it may not be read."""
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return current, fragment
        if _SCHEME.match(file_part):
            parts = urlsplit(file_part)
            scheme = parts.scheme.lower()
            if scheme in ("http", "https"):
                return "remote files are not fetched: save it beside the spec and refer to that"
            if scheme != "file":
                return f"the {scheme!r} scheme is not supported: refer to a file by a relative path"
            if parts.netloc not in ("", "localhost"):
                return f"a file on host {parts.netloc!r} is never read"
            file_part = parts.path
        try:
            target = resolved(current.parent / unquote(file_part))
        except ReadRefused as exc:
            return exc.reason
        reason = outside_roots(target, self.roots)
        return f"{reason}; {WIDEN_HINT}" if reason else (target, fragment)

    def follow(self, current: Path, ref: str) -> tuple[Path, str, Any] | None:
        """Where `ref` leads, for the shape check; None when bundling reports it instead."""
        found = self.target_of(ref, current)
        if isinstance(found, str):
            return None
        target_path, fragment = found
        try:
            target = resolve_pointer(self._file(target_path), fragment)
        except (KeyError, ReadRefused):
            return None
        return target_path, fragment, target

    def bundle(
        self,
        node: Any,
        current: Path,
        pointer: str,
        stack: tuple[tuple[Path, str], ...] = (),
        depth: int = 0,
    ) -> Any:
        """Return `node` with every external `$ref` rewritten to a local one."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        if not isinstance(node, dict | list):
            return node
        if depth > MAX_DEPTH:
            self.problem(
                current,
                pointer,
                f"nested deeper than {MAX_DEPTH} levels once $refs to"
                " other files are inlined",
            )
            return None
        if self.calls > _MAX_CALLS:
            self.problem(current, pointer, "$refs to other files chain too long here")
            return None
        self.deepest = max(self.deepest, depth)
        self.calls += 1
        try:
            if isinstance(node, list):
                return [
                    self.bundle(v, current, join_pointer(pointer, i), stack, depth + 1)
                    for i, v in enumerate(node)
                ]
            ref = node.get("$ref")
            if isinstance(ref, str) and (
                current != self.root_path or not ref.startswith("#")
            ):
                return self._rewrite(node, ref, current, pointer, stack, depth)
            bundled = {
                k: self._map_put_in_place(
                    v, current, join_pointer(pointer, k), stack, depth
                )
                if k in SCHEMA_MAPS and _is_reference_only(v)
                else self.bundle(v, current, join_pointer(pointer, k), stack, depth + 1)
                for k, v in node.items()
            }
            if isinstance(bundled.get("discriminator"), dict):
                at = join_pointer(pointer, "discriminator")
                bundled["discriminator"] = self._mapping_bundled(
                    bundled["discriminator"], current, at, stack, depth
                )
            return bundled
        finally:
            self.calls -= 1

    def _map_put_in_place(
        self,
        node: dict[str, Any],
        current: Path,
        pointer: str,
        stack: tuple[tuple[Path, str], ...],
        depth: int,
    ) -> Any:
        """The map of schemas a `properties: {$ref: ...}` (a JSON Reference to a whole
        map, which DigitalOcean's spec uses) refers to, in place of the reference."""
        return self._rewrite(
            node, node["$ref"], current, pointer, stack, depth + 1, schema_map=True
        )

    def _mapping_bundled(
        self,
        discriminator: dict[str, Any],
        current: Path,
        pointer: str,
        stack: tuple[tuple[Path, str], ...],
        depth: int,
    ) -> dict[str, Any]:
        """`discriminator` with each `mapping` value that refers to another file (or,
        in another file, to that file) referring to the schema bundled from there, as
        the `oneOf`'s `$ref`s to the same schemas do."""
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return discriminator
        bundled = {}
        for name, value in mapping.items():
            at = join_pointer(pointer, "mapping", str(name))
            if isinstance(value, str) and _is_reference(
                value, current == self.root_path
            ):
                found = self._rewrite(
                    {"$ref": value}, value, current, at, stack, depth, True
                )
                value = found.get("$ref", value) if isinstance(found, dict) else value
            bundled[name] = value
        return {**discriminator, "mapping": bundled}

    def finish(self) -> None:
        """Bundle the schemas whose hoisting was deferred (and those they hoist in turn)."""
        while self.deferred:
            name, target, path, fragment, stack = self.deferred.pop(0)
            self.new_schemas[name] = self.bundle(target, path, fragment, stack, 2)

    def _rewrite(
        self,
        node: dict[str, Any],
        ref: str,
        current: Path,
        pointer: str,
        stack: tuple[tuple[Path, str], ...],
        depth: int,
        schema: bool = False,
        schema_map: bool = False,
    ) -> Any:
        """The bundled stand-in of `node`, a `$ref` at `pointer`: a `$ref` to the schema
        hoisted from there (at a schema position, or for `schema`), or what it refers
        to, put in place (a map of schemas for `schema_map`)."""
        where = join_pointer(pointer, "$ref")
        found = self.target_of(ref, current)
        if isinstance(found, str):
            self.problem(current, where, f"$ref {ref!r} cannot be followed: {found}")
            return node
        key = found
        target_path, fragment = found
        local = self.hoisted.get(key)
        in_place = (
            current == self.root_path
            and local == "#" + pointer
            and key not in self.placed
        )
        if local is not None and not in_place:
            return {**node, "$ref": local}
        try:
            target = resolve_pointer(self._file(target_path), fragment)
        except ReadRefused as exc:
            self.problem(
                current,
                where,
                f"$ref {ref!r} cannot be followed: {target_path}: {exc.reason}",
            )
            return node
        except KeyError:
            if target_path not in self.unparsable:
                self.problem(current, where, f"$ref {ref!r} resolves nowhere")
            return node
        if in_place:
            self.placed.add(key)
            for step in self._chain(target, target_path):  # to the schema itself
                self.placed.add(step)
                key = target_path, fragment = step
                target = resolve_pointer(self._file(target_path), fragment)
            name = unescape_pointer_token(pointer.rsplit("/", 1)[-1])
            self.written_in[name] = key
            self._hoist(name, target, target_path, fragment, stack)
            return node  # replaced by the schema once bundling is done
        if not schema_map and (
            schema or is_schema_position(pointer) or "/schemas/" in fragment
        ):
            name = self.schema_names.claim(
                ClassName(fragment.rsplit("/", 1)[-1] or target_path.stem)
            )
            local = f"#/components/schemas/{name}"
            self.hoisted[key] = local
            self.written_in[name] = key
            self._hoist(name, target, target_path, fragment, stack)
            return {**node, "$ref": local}
        if key in stack:
            self.problem(
                current, pointer, f"$ref {ref!r} is a cycle through a non-schema object"
            )
            return node
        if schema_map and isinstance(target, dict):
            return self._map_inlined(key, target, depth, (*stack, key))
        if current == self.root_path:
            self.placed_from[pointer] = key
        return self._inline(key, target, depth, (*stack, key))

    def _hoist(
        self,
        name: str,
        target: Any,
        path: Path,
        fragment: str,
        stack: tuple[tuple[Path, str], ...],
    ) -> None:
        """Bundle `target` as component schema `name` (later, when deep in `$ref`s)."""
        if self.calls > _DEFER_HOISTING:
            self.new_schemas[name] = None  # keeps its place; bundled by `finish`
            self.deferred.append((name, target, path, fragment, stack))
            return
        before, deepest = self.count, self.deepest
        self.new_schemas[name] = self.bundle(target, path, fragment, stack, 2)
        self.hoisted_count += self.count - before
        self.deepest = deepest

    def _map_inlined(
        self,
        key: tuple[Path, str],
        target: dict[str, Any],
        depth: int,
        stack: tuple[tuple[Path, str], ...],
    ) -> dict[str, Any]:
        """A map of schemas from `key`, each entry bundled as the schema it is."""
        path, fragment = key
        inlined = {}
        for name, value in target.items():
            at = join_pointer(fragment, str(name))
            if _is_reference_only(value) and (
                path != self.root_path or not value["$ref"].startswith("#")
            ):
                ref = value["$ref"]
                inlined[name] = self._rewrite(
                    value, ref, path, at, stack, depth, schema=True
                )
            else:
                inlined[name] = self.bundle(value, path, at, stack, depth + 1)
        return inlined

    def _inline(
        self,
        key: tuple[Path, str],
        target: Any,
        depth: int,
        stack: tuple[tuple[Path, str], ...],
    ) -> Any:
        """`target` bundled in place of a `$ref` at `depth`; bundled once per `key`, then reused."""
        done = self.inlined.get(key)
        if done is not None:
            self.shared = True
            self.count += done.size
            if self.count > MAX_NODES:
                raise _TooBig
            if depth + done.height > MAX_DEPTH:
                self.problem(
                    key[0],
                    key[1],
                    f"nested deeper than {MAX_DEPTH} levels once $refs to"
                    " other files are inlined",
                )
                return None
            self.deepest = max(self.deepest, depth + done.height)
            return done.value
        count, hoisted, deepest = self.count, self.hoisted_count, self.deepest
        self.deepest = depth
        value = self.bundle(target, key[0], key[1], stack, depth)
        size = (self.count - count) - (self.hoisted_count - hoisted)
        self.inlined[key] = _Inlined(value, size, self.deepest - depth)
        self.deepest = max(deepest, self.deepest)
        return value


def _unshared(node: Any) -> Any:
    """A copy of `node` in which no mapping or list appears twice (later stages edit in place)."""
    if isinstance(node, dict):
        return {k: _unshared(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_unshared(v) for v in node]
    return node


_ONE_SCHEMA = frozenset({*SCHEMA_VALUES, "items", "schema"})
"""Keywords whose value is one schema (`items` may also be a list of them)."""
_SCHEMAS_WITHIN = frozenset({*SCHEMA_MAPS, *SCHEMA_LISTS, "schemas"})
"""Keywords whose value maps names (or positions) to schemas."""


def _is_reference_only(node: Any) -> bool:
    """Whether `node` is a JSON Reference and nothing else: `{$ref: "..."}`."""
    return (
        isinstance(node, dict) and len(node) == 1 and isinstance(node.get("$ref"), str)
    )


def _is_reference(value: str, in_root: bool) -> bool:
    """Whether a discriminator `mapping` value refers to a schema in a file to bundle
    (not a schema name, nor a `$ref` of the root document to its own components)."""
    if value.startswith("#"):
        return not in_root
    return "#" in value or value.lower().endswith((".yaml", ".yml", ".json"))


def is_schema_position(pointer: str) -> bool:
    """Whether a `$ref` at `pointer` stands for a schema (and so gets a class of its own).

    The value of `schema`, `items`, `not`..., or an entry of `properties`,
    `allOf`, `components/schemas`...: not the `properties` map itself
    (DigitalOcean refers to a whole map of properties in another file), which is
    put in place like any other referenced object.
    """
    *parent, last = [unescape_pointer_token(t) for t in pointer.split("/")[-2:]]
    return (
        last in _ONE_SCHEMA
        or (parent != [] and parent[0] in _SCHEMAS_WITHIN)
        or (parent == ["items"] and last.isascii() and last.isdigit())
    )


def _check_local_refs(document: Any, bundler: _Bundler) -> None:
    """Every local `$ref` must lead somewhere."""

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                try:
                    resolve_pointer(document, ref.partition("#")[2])
                except KeyError:
                    where = join_pointer(pointer, "$ref")
                    bundler.problem(
                        bundler.root_path, where, f"$ref {ref!r} resolves nowhere"
                    )
            for key, value in node.items():
                walk(value, join_pointer(pointer, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, join_pointer(pointer, index))

    walk(document, "")


def _check_version(
    document: Any, path: Path, lines: _Lines, real: Path
) -> list[Problem]:
    """The document is a mapping for OpenAPI 3.0 or 3.1: nothing else is worth checking further."""

    def problem(pointer: str, message: str) -> list[Problem]:
        return [Problem(Level.ERROR, path, pointer, message, lines.line(real, pointer))]

    if not isinstance(document, dict):
        return problem("", f"a spec must be a mapping, not {type(document).__name__}")
    if "openapi" not in document:
        return problem("", "`openapi` is missing: this is no OpenAPI document")
    version = document["openapi"]
    if not isinstance(version, str):
        return problem(
            "/openapi",
            f"the OpenAPI version must be a string such as '3.1.0', not "
            f"{type(version).__name__} {version!r}"
            + (" (quote it)" if isinstance(version, int | float) else ""),
        )
    if not version.startswith(SUPPORTED_VERSIONS):
        return problem(
            "/openapi",
            f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x",
        )
    return []


def load_spec(path: Path, allowed_roots: Sequence[Path] = ()) -> LoadedSpec:
    """Load `path` into one self-contained document or raise `SpecError` with every problem found.

    `$ref`s may read files under the spec's own folder and under `allowed_roots`
    (symlinks followed first, so none leads out).
    """
    try:
        real = resolved(path)
        roots = tuple(
            dict.fromkeys([real.parent, *(resolved(root) for root in allowed_roots)])
        )
    except ReadRefused as exc:
        raise SpecError([Problem(Level.ERROR, path, "", exc.reason)]) from None
    try:
        text, raw = read_document(real)
    except SpecError as exc:
        raise SpecError(
            [dataclasses.replace(p, file=path) for p in exc.problems]
        ) from None
    lines = _Lines()
    lines.texts[real] = text
    if not (isinstance(raw, dict) and "swagger" in raw):
        return _load_document(path, real, roots, raw, lines)
    converted = convert(raw, path, lines.line(real, "/swagger"))
    lines = _Lines()  # from here on, lines are the converted document's
    lines.texts[real] = converted.text
    try:
        loaded = _load_document(path, real, roots, converted.document, lines)
    except SpecError as exc:
        raise converted.explain(exc) from None
    return dataclasses.replace(loaded, warnings=(converted.warning, *loaded.warnings))


def _load_document(
    path: Path, real: Path, roots: tuple[Path, ...], raw: Any, lines: _Lines
) -> LoadedSpec:
    """The rest of `load_spec`, once the document is parsed (and converted, if Swagger 2.0)."""
    problems = _check_version(raw, path, lines, real)
    if problems:
        raise SpecError(problems)
    bundler = _Bundler(real, path, raw, roots, lines)
    in_place = maps_put_in_place(raw, partial(bundler.follow, real), path)
    for problem in in_place:
        if problem.level is Level.ERROR:
            bundler.add(real, problem)
    bundler.claim_root_schemas()
    for problem in ShapeChecker(bundler.follow).check(raw, real):
        bundler.add(problem.file, problem)
    try:
        document = bundler.bundle(raw, real, "")
        bundler.finish()
    except _TooBig:
        message = (
            "inlining $refs to other files makes the document larger than "
            f"{MAX_NODES:,} values"
        )
        raise SpecError(
            [*bundler.lined_problems(), Problem(Level.ERROR, path, "", message)]
        ) from None
    if bundler.shared:
        document = _unshared(document)
    components = document.get("components", {})
    if bundler.new_schemas and isinstance(components, dict):
        document["components"] = components
        schemas = components.setdefault("schemas", {})
        if isinstance(schemas, dict):
            schemas.update(bundler.new_schemas)
    _check_local_refs(document, bundler)
    read_refs = dynamic_refs_resolved(document, path)
    problems = bundler.lined_problems()
    problems += _with_lines(lines, real, unexpressible_cycles(document, path))
    if problems:
        raise SpecError(_unique(problems))
    found = [
        *(p for p in in_place if p.level is not Level.ERROR),
        *read_refs,
        *declare_template_parameters(document, path),
        *queries_in_paths(document, path),
        *spell_status_keys(document, path),
        *drop_wrong_defaults(document, path),
        *drop_inapplicable_keywords(document, path),
    ]
    base = real.parent
    sources = tuple(
        sorted(Path(os.path.relpath(p, base)).as_posix() for p in bundler.files)
    )
    loaded = LoadedSpec(
        path=path,
        document=document,
        sources=sources,
        lines=lines,
        real=real,
        written_in={
            name: (bundler.file_name(file), fragment)
            for name, (file, fragment) in bundler.written_in.items()
            if file != real
        },
        placed_from={
            pointer: (bundler.file_name(file), fragment)
            for pointer, (file, fragment) in bundler.placed_from.items()
            if file != real
        },
    )
    return dataclasses.replace(loaded, warnings=tuple(loaded.located(found)))


def _with_lines(lines: _Lines, path: Path, problems: list[Problem]) -> list[Problem]:
    """`problems`, found in the file `path`, each with its line there."""
    found = lines.lines(path, [p.pointer for p in problems])
    return [dataclasses.replace(p, line=found[p.pointer]) for p in problems]


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once (a file that cannot be read is met by every `$ref` to it)."""
    return list(dict.fromkeys(problems))
