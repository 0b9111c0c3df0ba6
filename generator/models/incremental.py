"""The models of a changed spec from the last run's, with datamodel-code-generator run on
the changed part alone.

datamodel-code-generator takes seconds on a big spec, and between two runs a spec
usually changes in a few schemas. So the module it wrote (before our amendments:
`codegen.finish_models`) is kept in a cache outside the output, with the
normalised component schemas it came from. The next run compares schemas: when
none changed, the cached module is the module; when some did, the part that may
read differently (the changed schemas and those referring to them, transitively,
with everything those refer to) goes through datamodel-code-generator twice, in
its old version and in its new one, and the new text of each definition whose
text changed replaces the old one in the cached module.

Nothing is taken on trust. The old part must come out definition for definition,
byte for byte, as the whole run wrote it, so the part stands for the whole; and
the change may only change definitions' bodies: the same definitions in the same
order, the same text around them (imports, `model_rebuild()` calls), each
definition of the same kind referring to the same definitions as before (what
decides their order and everything around them). Anything else (a schema added,
removed or moved, a definition added, renamed or gone, an unreadable cache, one
written for other options or by another specgen) is a full run, which refills
the cache.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

from generator.caching import entry_path, read_entry, write_entry
from generator.models import codegen
from generator.naming import nfkc_field_aliases
from generator.pointers import SCHEMA_PREFIX

VERSION = 1
"""The version of this module's entries (their content and key)."""
MOST_CHANGED = 1 / 3
"""The largest share of the schemas worth two partial runs instead of one full run."""
NOT_READ = frozenset(
    {"paths", "webhooks", "components", "info", "tags", "servers", "externalDocs"}
    | {"security"}
)
"""Top-level members datamodel-code-generator does not read for the schemas' models
(the schemas themselves are compared one by one)."""
GENERATOR_ROOT = Path(codegen.__file__).resolve().parent.parent

log = logging.getLogger(__name__)

How = Literal["full", "reused", "partial"]


class Unsure(Exception):
    """The partial result could differ from a full run's: the reason."""


@dataclass(frozen=True)
class Entry:
    """What one target's last run left: the module and the schemas it came from."""

    schemas: dict[str, str]
    """Each component schema (normalised) as JSON text, in document order."""
    raw: str
    """datamodel-code-generator's module for them."""


@dataclass(frozen=True)
class Outcome:
    """The raw module of one run, and how it was made."""

    raw: str
    how: How
    reason: str = ""
    """Why a run was full."""
    regenerated: tuple[str, ...] = ()
    """The component schemas a partial run handed to datamodel-code-generator."""


def cache_file(output: Path, package: str) -> Path | None:
    """The models entry of the target writing `package` into `output`."""
    return entry_path("models", output, package)


def models_module(
    document: dict[str, Any],
    *,
    package: str,
    header: str,
    template_dir: Path | None,
    cache: Path | None,
) -> codegen.ModelsModule:
    """`codegen.generate_models`, from the cache entry at `cache` where it can be."""
    if cache is None or not (document.get("components") or {}).get("schemas"):
        return codegen.generate_models(
            document, package=package, header=header, template_dir=template_dir
        )
    outcome = regenerate(
        document, package=package, header=header, template_dir=template_dir, cache=cache
    )
    return codegen.finish_models(outcome.raw)


def regenerate(
    document: dict[str, Any],
    *,
    package: str,
    header: str,
    template_dir: Path | None,
    cache: Path,
) -> Outcome:
    """The raw models module of `document`, and how it was made; the cache is updated."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    aliases = nfkc_field_aliases(document)
    options = dict(package=package, header=header, template_dir=template_dir)
    key = _key(document, aliases, package, header, template_dir)
    texts: dict[str, str] | None = None
    try:
        texts = {str(name): _json(schema) for name, schema in schemas.items()}
        entry = read_models_entry(cache, key)
        if entry is None:
            raise Unsure("no cache entry")
        outcome = _from_entry(entry, document, texts, aliases, options)
    except Unsure as unsure:
        raw = codegen.raw_models(document, **options)  # type: ignore[arg-type]
        outcome = Outcome(raw, "full", str(unsure))
    log.debug(
        "models: %s run%s%s",
        outcome.how,
        f" ({outcome.reason})" if outcome.reason else "",
        f" on {len(outcome.regenerated)} of {len(schemas)} schemas"
        if outcome.regenerated
        else "",
    )
    if texts is not None and outcome.how != "reused":
        write_entry(cache, key, {"schemas": texts, "raw": outcome.raw})
    return outcome


def _from_entry(
    entry: Entry,
    document: dict[str, Any],
    texts: dict[str, str],
    aliases: dict[str, str],
    options: dict[str, Any],
) -> Outcome:
    if list(entry.schemas) != list(texts):
        raise Unsure("schemas added, removed or reordered")
    graph = references(texts, texts)  # first: what else they read is never compared
    changed = [name for name, text in texts.items() if entry.schemas[name] != text]
    if not changed:
        return Outcome(entry.raw, "reused")
    was = references({n: entry.schemas[n] for n in changed}, texts)
    for name, refers in was.items():
        graph[name] |= refers
    shaping = [name for name, text in texts.items() if '"discriminator": ' in text]
    part = affected(changed, graph, shaping)
    if len(part) > MOST_CHANGED * len(texts):
        raise Unsure(f"{len(part)} of {len(texts)} schemas to regenerate")
    names = [name for name in texts if name in part]
    schemas = document["components"]["schemas"]
    old = _part_of(document, {n: json.loads(entry.schemas[n]) for n in names})
    new = _part_of(document, {n: schemas[n] for n in names})
    before = codegen.raw_models(old, aliases=aliases, **options)
    after = codegen.raw_models(new, aliases=aliases, **options)
    return Outcome(splice(entry.raw, before, after), "partial", "", tuple(names))


def _part_of(document: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """A document of `schemas` alone, with what else datamodel-code-generator reads
    (`codegen.raw_models` leaves out the paths)."""
    return {**document, "components": {"schemas": schemas}}


def _json(value: Any) -> str:
    """`value` as JSON text that tells apart what datamodel-code-generator may (key
    order, 1 from 1.0 and from true)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as exc:  # not JSON data: not loaded from a spec
        raise Unsure(f"a schema is not JSON data: {exc}") from None


_REF = re.compile(r'"\$ref": ("(?:[^"\\]|\\.)*")?')


def references(
    texts: Mapping[str, str], known: Mapping[str, str]
) -> dict[str, set[str]]:
    """The component schemas (of `known`) each schema (as JSON text) refers to.

    A reference anywhere else (another component, a value that is no string) could
    bring in what a part of the document lacks: `Unsure`.
    """
    found: dict[str, set[str]] = {}
    for name, text in texts.items():
        refers = found[name] = set()
        for match in _REF.finditer(text):
            ref = json.loads(match[1]) if match[1] else None
            if not isinstance(ref, str) or not ref.startswith(SCHEMA_PREFIX):
                raise Unsure(f"{name} refers to something besides a component schema")
            token = ref[len(SCHEMA_PREFIX) :].partition("/")[0]
            target = token.replace("~1", "/").replace("~0", "~")
            if target not in known:
                raise Unsure(f"{name} refers to {ref}, no component schema")
            refers.add(target)
    return found


def _reach(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen = set(start)
    todo = list(seen)
    while todo:
        for other in edges.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def affected(
    changed: Iterable[str],
    graph: Mapping[str, set[str]],
    shaping: Iterable[str] = (),
) -> set[str]:
    """What a part run needs: the changed schemas and those referring to them, through
    any chain (their classes may read differently), and all those refer to.

    A discriminator shapes the classes it picks from (their tag becomes a required
    `Literal`), so the part also takes each schema of `shaping` (those with a
    discriminator) referring to one of it, each schema referring to one of `shaping`
    in it, and all these refer to.
    """
    referrers: dict[str, set[str]] = {}
    for name, refers in graph.items():
        for other in refers:
            referrers.setdefault(other, set()).add(name)
    part = _reach(_reach(changed, referrers), graph)
    shapes = set(shaping)
    while True:
        more = {
            other
            for name in part
            for other in referrers.get(name, ())
            if other not in part and (other in shapes or name in shapes)
        }
        if not more:
            return part
        part |= _reach(more, graph)


def _key(
    document: dict[str, Any],
    aliases: dict[str, str],
    package: str,
    header: str,
    template_dir: Path | None,
) -> str:
    """A hash of everything besides the component schemas that decides the module."""
    context = {k: v for k, v in document.items() if k not in NOT_READ}
    tools = f"{VERSION}\n{sys.version}\n{version('datamodel-code-generator')}\n"
    sha = hashlib.sha256(f"{tools}{package}\n{header}\n".encode())
    sha.update(json.dumps([aliases, context], sort_keys=True, default=repr).encode())
    for path in sorted(GENERATOR_ROOT.rglob("*.py")):
        sha.update(f"\n{path.relative_to(GENERATOR_ROOT)}\n".encode())
        sha.update(path.read_bytes())
    if template_dir is not None and template_dir.is_dir():
        for path in sorted(p for p in template_dir.rglob("*") if p.is_file()):
            sha.update(f"\ntemplate {path.relative_to(template_dir)}\n".encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def read_models_entry(path: Path, key: str) -> Entry | None:
    """The models entry at `path` made for `key`, or None."""
    content = read_entry(path, key)
    if not isinstance(content, dict):
        return None
    schemas, raw = content.get("schemas"), content.get("raw")
    if not (
        isinstance(raw, str)
        and isinstance(schemas, dict)
        and all(isinstance(v, str) for v in schemas.values())
    ):
        return None
    return Entry(schemas, raw)


@dataclass(frozen=True)
class _Definition:
    """One top-level definition of a module: the lines it spans, as written."""

    start: int
    end: int
    node: ast.stmt
    text: str


@dataclass(frozen=True)
class _Module:
    lines: list[str]
    definitions: dict[str, _Definition]
    """By the name each binds, in module order."""
    calls: list[str]
    """The statements that define nothing (`X.model_rebuild()`), as written."""
    skeleton: str
    """Everything but the definitions: docstring, imports, calls, blank lines."""


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    target = (
        node.targets[0]
        if isinstance(node, ast.Assign) and len(node.targets) == 1
        else node.target
        if isinstance(node, ast.AnnAssign)
        else None
    )
    return target.id if isinstance(target, ast.Name) else None


def _read_module(source: str) -> _Module:
    """`source` as definitions and what surrounds them; `Unsure` for a statement
    datamodel-code-generator is not known to write."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    definitions: dict[str, _Definition] = {}
    calls: list[str] = []
    covered: set[int] = set()
    body = list(tree.body)
    header = True
    for position, node in enumerate(body):
        is_docstring = (
            position == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        if header and (is_docstring or isinstance(node, ast.Import | ast.ImportFrom)):
            continue
        header = False
        end = node.end_lineno or node.lineno
        if isinstance(node, ast.Expr):
            calls.append("".join(lines[node.lineno - 1 : end]))
            continue
        name = _defined_name(node)
        if name is None or name in definitions:
            raise Unsure(f"an unexpected statement on line {node.lineno}")
        decorators = getattr(node, "decorator_list", [])
        start = min([node.lineno, *(d.lineno for d in decorators)]) - 1
        text = "".join(lines[start:end])
        definitions[name] = _Definition(start, end, node, text)
        covered.update(range(start, end))
    skeleton = "".join(line for index, line in enumerate(lines) if index not in covered)
    return _Module(lines, definitions, calls, skeleton)


def _names(node: ast.AST) -> set[str]:
    """The names a definition uses, forward references in strings included."""
    found = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, ast.Constant) and isinstance(item.value, str):
            found.add(item.value)
    return found


def _kind(node: ast.stmt, part: set[str]) -> tuple[str, ...]:
    """What sort of definition `node` is, and the definitions of `part` it derives from."""
    if isinstance(node, ast.ClassDef):
        module = ast.Module(body=[node], type_ignores=[])
        described = codegen.describe_classes(module)[node.name]
        bases = set().union(*(_names(b) for b in node.bases)) & part
        return ("class", described.kind, *sorted(bases))
    return (type(node).__name__,)


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def splice(whole: str, before: str, after: str) -> str:
    """`whole` with the definitions `before` and `after` disagree on taken from `after`.

    `before` and `after` are a part of the module, made from the old and the new
    version of its schemas; `whole` is the module of every old schema. `Unsure`
    unless the change is in definitions' bodies alone (see the module's docstring).
    """
    ends = whole.endswith("\n")  # datamodel-code-generator ends its module without one
    full, old, new = (_read_module(_ended(m)) for m in (whole, before, after))
    if list(old.definitions) != list(new.definitions):
        raise Unsure("the part's definitions changed")
    if old.skeleton != new.skeleton:
        raise Unsure("the part's imports or calls changed")
    positions = [full.definitions.get(name) for name in old.definitions]
    for name, definition in zip(old.definitions, positions, strict=True):
        if definition is None or definition.text != old.definitions[name].text:
            raise Unsure(f"the part does not write {name} as the whole did")
    starts = [d.start for d in positions if d is not None]
    if starts != sorted(starts):
        raise Unsure("the part orders its definitions otherwise")
    part = set(old.definitions)
    if any(_names(ast.parse(c)) & part and c not in old.calls for c in full.calls):
        raise Unsure("the whole has calls on the part the part lacks")
    lines = list(full.lines)
    replaced = []
    for name, was in old.definitions.items():
        now = new.definitions[name]
        if now.text == was.text:
            continue
        if _kind(now.node, part) != _kind(was.node, part) or (
            _names(now.node) & part != _names(was.node) & part
        ):
            raise Unsure(f"{name} refers to other definitions or changed kind")
        replaced.append((full.definitions[name], now.text))
    for definition, text in sorted(replaced, key=lambda r: -r[0].start):
        lines[definition.start : definition.end] = [text]
    spliced = "".join(lines)
    return spliced if ends else spliced.removesuffix("\n")
