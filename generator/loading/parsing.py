"""Parse one file's text into JSON data (dicts with string keys, lists, scalars), bounded.

Which parser: a `.json` file is JSON. Any other file is YAML, except that text
starting with `{` or `[` is tried as JSON first (JSON specs are often named
`.yaml`; YAML's flow style also starts so, hence the fallback to YAML when that
fails): PyYAML refuses JSON's `\\ud83d\\ude80` escapes, and JSON has no aliases
to bomb with. Raw control characters (a tab) inside JSON strings are let through,
as the YAML parser always did.

What comes out is JSON, whichever parser: finite numbers, string keys (YAML's
`200:` becomes `"200"`), no YAML-only types (`!!binary`, `!!set`, timestamps),
at most `MAX_NODES` values once YAML aliases are expanded (every later stage
walks the expanded tree, so a few hundred bytes of aliases must not become
billions of values) and at most `MAX_DEPTH` levels of nesting (later stages
recurse). A lone UTF-16 surrogate escape in JSON becomes U+FFFD.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator.pointers import join_pointer
from generator.problems import Level, Problem, SpecError

MAX_NODES = 5_000_000
"""Most values (mappings, sequences, scalars; not keys) a document may expand to.

Qovery's complete 1 MB spec holds 32,000; a file at the size cap without aliases holds a few
million. A "billion laughs" file of 500 bytes expands to 490 million.
"""
MAX_DEPTH = 64
"""Most levels of nesting: real specs reach 17, the YAML and JSON parsers stop near 1,000, and the
stages after loading recurse once or more per level."""

_FastSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it: about ten times faster on big specs."""

_TAG = "tag:yaml.org,2002:"
_JSON_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
_MERGE = _TAG + "merge"
_KEY_KINDS = {
    _TAG + "bool": "a boolean",
    _TAG + "null": "null",
    _TAG + "float": "a number",
}


class _UniqueKeyLoader(_FastSafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that refuses duplicate mapping keys instead of keeping the last one."""


def _construct_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    """Refuse a key written twice; keys brought in by a `<<` merge may be overridden."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(_TAG + "map", _construct_mapping)
# OpenAPI recommends YAML 1.2, whose core schema reads scalars as JSON would; PyYAML
# resolves YAML 1.1's: `2024-01-01T00:00:00Z` a datetime, `18:00` the base-60 integer
# 1080, `yes`/`off` booleans, `0755` an octal 493, `1_000` a thousand, and `1e-08` a
# string. So timestamps go, and booleans and numbers are resolved by YAML 1.2's rules.
_YAML_11_ONLY = {_TAG + t for t in ("timestamp", "bool", "int", "float")}
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML_11_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_UniqueKeyLoader.add_implicit_resolver(
    _TAG + "int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_UniqueKeyLoader.add_implicit_resolver(
    _TAG + "float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    """An integer as YAML 1.2 writes it: decimal (a leading 0 too), `0o` octal, `0x` hex."""
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


_UniqueKeyLoader.add_constructor(_TAG + "int", _construct_int)


def parse_text(text: str, path: Path) -> Any:
    """Parse `text` (read from `path`) as the module docstring says, or raise `SpecError`."""
    if path.suffix.lower() == ".json":
        return parse_json(text, path)
    if text.lstrip()[:1] in ("{", "["):
        try:
            return parse_json(text, path)
        except SpecError:
            pass  # flow-style YAML is not JSON: the YAML parser judges it
    return parse_yaml(text, path)


def _error(
    path: Path, message: str, line: int | None = None, pointer: str = ""
) -> SpecError:
    return SpecError([Problem(Level.ERROR, path, pointer, message, line)])


# --- JSON -------------------------------------------------------------------------------------


class _NotJson(Exception):
    """Raised from a `json` hook: `token` is what to find in the text for the line."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.message = message
        self.token = token


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _NotJson("duplicate key", "")
    return result


def _json_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number", name)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJson(f"number {text} is too large for a float", text)
    return value


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]|-?Infinity|NaN|[-+0-9.eE]+')
"""JSON's strings, structure and bare words: enough to find a line again once parsing failed."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(text: str, path: Path) -> Any:
    """Parse strict JSON: no duplicate keys, no NaN or Infinity, numbers that fit."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_constant=_json_constant,
            parse_float=_json_float,
            strict=False,
        )
    except json.JSONDecodeError as exc:
        raise _error(
            path, f"not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno
        ) from None
    except _NotJson as exc:
        message, line = (
            _duplicate_key(text)
            if not exc.token
            else (exc.message, _line_of(text, exc.token))
        )
        raise _error(path, f"not valid JSON: {message}", line) from None
    except RecursionError:
        raise _error(path, f"nested deeper than {MAX_DEPTH} levels") from None
    except (
        ValueError
    ) as exc:  # an integer longer than int() takes (sys.get_int_max_str_digits)
        raise _error(path, f"not valid JSON: {exc}") from None
    fix = _SURROGATE_ESCAPE.search(text) is not None
    return _check_json(data, path, fix)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_of(text: str, token: str) -> int | None:
    """The line of the first `token` outside a string."""
    match = next((m for m in _JSON_TOKEN.finditer(text) if m.group() == token), None)
    return _line(text, match.start()) if match else None


def _duplicate_key(text: str) -> tuple[str, int | None]:
    """The first key written twice in one object of valid-but-for-that JSON, and its line."""
    objects: list[set[str] | None] = []
    last: re.Match[str] | None = None
    for match in _JSON_TOKEN.finditer(text):
        piece = match.group()
        if piece in ("{", "["):
            objects.append(set() if piece == "{" else None)
        elif piece in ("}", "]") and objects:
            objects.pop()
        elif piece.startswith('"'):
            last = match
        elif piece == ":" and objects and last is not None:
            keys = objects[-1]
            key = json.loads(last.group(), strict=False)
            if keys is not None and key in keys:
                return f"duplicate key {key!r}", _line(text, last.start())
            if keys is not None:
                keys.add(key)
    return "duplicate key", None


def _fix_text(value: str) -> str:
    return _SURROGATE.sub("\ufffd", value)


def _check_json(data: Any, path: Path, fix_surrogates: bool) -> Any:
    """Refuse nesting deeper than `MAX_DEPTH`; replace lone surrogates when there may be some."""
    if fix_surrogates and isinstance(data, str):
        return _fix_text(data)
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        node, pointer, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _error(
                path, f"nested deeper than {MAX_DEPTH} levels", pointer=pointer
            )
        if isinstance(node, dict):
            if fix_surrogates and any(_SURROGATE.search(k) for k in node):
                items = [(_fix_text(k), v) for k, v in node.items()]
                node.clear()
                node.update(items)
            for key, value in node.items():
                if isinstance(value, dict | list):
                    pending.append((value, join_pointer(pointer, key), depth + 1))
                elif fix_surrogates and isinstance(value, str):
                    node[key] = _fix_text(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    pending.append((value, join_pointer(pointer, index), depth + 1))
                elif fix_surrogates and isinstance(value, str):
                    node[index] = _fix_text(value)
    return data


# --- YAML -------------------------------------------------------------------------------------


def parse_yaml(text: str, path: Path) -> Any:
    """Parse YAML into JSON data, refusing what `_inspect` finds before anything is constructed."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problems = _inspect(node, path, loader)
        if problems:
            raise SpecError(problems)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed document"
        raise _error(path, f"not valid YAML: {reason}", line) from None
    except yaml.YAMLError as exc:
        raise _error(path, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


class _Frame:
    """A mapping or sequence being measured: its children, and what the finished ones add up to."""

    __slots__ = ("children", "height", "next", "node", "size", "token")

    def __init__(self, node: yaml.Node, token: str | None) -> None:
        self.node = node
        self.token = token
        self.children = _children(node)
        self.next = 0
        self.size = 1
        self.height = 0


def _children(node: yaml.Node) -> list[tuple[yaml.Node, str | None]]:
    """The value nodes under `node` with their pointer tokens (None: merged into the parent)."""
    if isinstance(node, yaml.SequenceNode):
        return [(child, str(i)) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        return [
            (value, None if key.tag == _MERGE else str(key.value))
            for key, value in node.value
        ]
    return []


def _inspect(root: yaml.Node, path: Path, loader: _UniqueKeyLoader) -> list[Problem]:
    """Problems of the composed node graph, measured without expanding aliases.

    PyYAML composes one node per anchor, so the graph is small even when its
    expansion is not: each mapping's and sequence's size (values, once expanded)
    and height (levels of them below) is computed once. Integer keys are
    retagged as strings here, so they construct as the text written. Pointers
    are only spelled out for problems: this walk sees every node of every spec.
    """
    problems: list[Problem] = []
    stack: list[_Frame] = []

    def pointer(token: str | None = None) -> str:
        tokens = [frame.token for frame in stack[1:]] + [token]
        return join_pointer("", *(t for t in tokens if t is not None))

    def problem(message: str, where: str, node: yaml.Node) -> None:
        problems.append(
            Problem(Level.ERROR, path, where, message, node.start_mark.line + 1)
        )

    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    on_path: set[int] = set()
    aliases = 0
    _check_node(root, lambda: "", loader, problem)
    if isinstance(root, yaml.ScalarNode):
        return problems
    stack.append(_Frame(root, None))
    on_path.add(id(root))
    while stack:
        frame = stack[-1]
        if frame.next < len(frame.children):
            child, token = frame.children[frame.next]
            frame.next += 1
            if isinstance(child, yaml.ScalarNode):
                frame.size += 1
                _check_node(child, partial(pointer, token), loader, problem)
            elif id(child) in sizes:
                aliases += 1
                frame.size += sizes[id(child)]
                frame.height = max(frame.height, heights[id(child)])
            elif id(child) in on_path:
                problem(
                    "a YAML alias stands for a node containing it: the document is infinite",
                    pointer(token),
                    child,
                )
            else:
                _check_node(child, partial(pointer, token), loader, problem)
                on_path.add(id(child))
                stack.append(_Frame(child, token))
            continue
        stack.pop()
        on_path.discard(id(frame.node))
        sizes[id(frame.node)] = frame.size
        heights[id(frame.node)] = frame.height + 1
        if stack:
            stack[-1].size += frame.size
            stack[-1].height = max(stack[-1].height, frame.height + 1)
    if problems:
        return problems
    if sizes[id(root)] > MAX_NODES:
        message = (
            f"YAML aliases expand this document to {sizes[id(root)]:,} values, more than "
            f"{MAX_NODES:,} ({aliases:,} aliases)"
        )
        return [Problem(Level.ERROR, path, "", message, None)]
    if heights[id(root)] > MAX_DEPTH + 1:
        node, where = root, ""
        for _ in range(MAX_DEPTH + 1):
            node, token = max(_children(node), key=lambda c: heights.get(id(c[0]), 0))
            where = where if token is None else join_pointer(where, token)
        problem(f"nested deeper than {MAX_DEPTH} levels", where, node)
    return problems


_Report = Callable[[str, str, yaml.Node], None]


def _shown(tag: str) -> str:
    """A tag as written: `!!binary` for YAML's own."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


_SCALARS: dict[str, str] = {
    _TAG + "int": "integer",
    _TAG + "float": "number",
    _TAG + "bool": "boolean",
    _TAG + "null": "null",
}


def _check_node(
    node: yaml.Node,
    where: Callable[[], str],
    loader: _UniqueKeyLoader,
    problem: _Report,
) -> None:
    """Tags and keys JSON cannot hold, scalars their (explicit) tag refuses.

    Integer keys become strings: `200:` is the response "200".
    """
    if node.tag not in _JSON_TAGS:
        problem(f"YAML tag {_shown(node.tag)!r} has no JSON equivalent", where(), node)
    elif node.tag in _SCALARS and isinstance(node, yaml.ScalarNode):
        try:
            value = loader.construct_object(node)
        except (
            ValueError,
            KeyError,
            TypeError,
        ):  # `!!int abc`, `!!bool maybe`, 5,000 digits
            problem(
                f"{node.value[:40]!r} is not a valid {_SCALARS[node.tag]}",
                where(),
                node,
            )
            return
        if isinstance(value, float) and not math.isfinite(value):
            problem(f"{node.value} is not a JSON number", where(), node)
    if not isinstance(node, yaml.MappingNode):
        return
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            problem(
                "a mapping key must be a string, not a YAML collection", where(), key
            )
        elif key.tag == _TAG + "int":
            key.tag = _TAG + "str"  # `200:` means the response "200"
        elif key.tag in _KEY_KINDS:
            problem(
                f"key {key.value!r} is read as {_KEY_KINDS[key.tag]}, not a string: quote it",
                join_pointer(where(), str(key.value)),
                key,
            )
        elif key.tag not in (_TAG + "str", _MERGE):
            problem(
                f"YAML tag {_shown(key.tag)!r} has no JSON equivalent", where(), key
            )


def lines_of(text: str, pointers: Collection[str]) -> dict[str, int]:
    """The line of each of `pointers` (JSON pointers) that YAML or JSON `text` has.

    Only for messages. One pass over the parser's events, keeping only the path to
    the current value: the node tree of a 2 MB spec would be the peak of a run's
    memory. A pointer through an alias is not followed (no line); a mapping key
    that is no scalar ends the search. PyYAML refuses JSON's surrogate escapes, so
    they are replaced first (on one line, so no line moves).
    """
    wanted = {pointer.lstrip("#") for pointer in pointers}
    found: dict[str, int] = {}
    stack: list[_Open] = []
    try:
        text = _SURROGATE_ESCAPE.sub(r"\\uFFFD", text)
        for event in yaml.parse(text, Loader=_FastSafeLoader) if wanted else ():
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if stack:
                    stack[-1].value_done()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if stack and stack[-1].awaits_key:
                if not isinstance(event, yaml.ScalarEvent):
                    break
                stack[-1].key = str(event.value)
                continue
            pointer = stack[-1].child() if stack else ""
            if pointer in wanted and event.start_mark is not None:
                found.setdefault(pointer, event.start_mark.line + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append(_Open(pointer, isinstance(event, yaml.MappingStartEvent)))
            elif stack:
                stack[-1].value_done()
    except yaml.YAMLError:
        pass
    return {p: found[p.lstrip("#")] for p in pointers if p.lstrip("#") in found}


class _Open:
    """A mapping or sequence being read: its pointer and where in it the parser is."""

    __slots__ = ("index", "is_mapping", "key", "pointer")

    def __init__(self, pointer: str, is_mapping: bool) -> None:
        self.pointer = pointer
        self.is_mapping = is_mapping
        self.key: str | None = None
        self.index = 0

    @property
    def awaits_key(self) -> bool:
        return self.is_mapping and self.key is None

    def child(self) -> str:
        token = self.key if self.is_mapping and self.key is not None else self.index
        return join_pointer(self.pointer, token)

    def value_done(self) -> None:
        if self.is_mapping:
            self.key = None
        else:
            self.index += 1
