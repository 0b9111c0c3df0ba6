"""A big models module as a package of small ones that load on first use.

datamodel-code-generator writes every class into one module; on Qovery's full
spec that is 900 classes and 10k lines, all loaded by the first model anyone
touches. Beyond `SPLIT_ABOVE` classes the module becomes a package: each class
goes to a module of its own, except classes that need each other (a strongly
connected component of the graph of names a class uses), which stay together.
The graph of those components has no cycle, so the modules import what they
need from their siblings without ever importing in a circle. `__init__` names
every model and imports a model's module only when that name is first asked
for; type checkers see plain imports instead.

Up to `SPLIT_ABOVE` classes one module is easier to read and loads in well
under a tenth of a second, so it stays as datamodel-code-generator wrote it.
Beyond, one model loads in milliseconds instead of the whole module's second;
loading every model costs about a third of a millisecond more per module.

The module is read with `ast`, never run; statements keep their text and
their order, so every module holds exactly what the single module held.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from generator.models.source_edits import parsed_module
from generator.naming import NameRegistry, snake_case

SPLIT_ABOVE = 100
"""The number of classes beyond which the models become a package.

A class costs about a millisecond to load, so up to here the whole module loads
in a tenth of a second on the first response, and is one file a reader can scan.
"""
INIT_NAMES = frozenset({"TYPE_CHECKING", "import_module"})
"""Names the package's `__init__` binds itself; no module may take one."""


@dataclass
class _Unit:
    """One top-level definition, with the statements that only act on it."""

    position: int
    names: list[str]
    statements: list[int] = field(default_factory=list)
    """Indexes in the module's body."""
    uses: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Import:
    """One name a header import binds, and how to import it alone."""

    order: int
    """Where it stands among the module's imports."""
    module: str | None
    """The module of `from module import name`; None for `import name`."""
    level: int
    name: str
    alias: str | None


def models_files(source: str, package: str) -> dict[str, str]:
    """The files of the models, relative to the package: `models.py`, or a `models/` package."""
    tree = parsed_module(source)
    classes = sum(isinstance(node, ast.ClassDef) for node in tree.body)
    if classes <= SPLIT_ABOVE:
        return {"models.py": source}
    split = split_models(source, package, tree)
    return {f"models/{name}": text for name, text in split.items()}


def split_models(
    source: str, package: str, tree: ast.Module | None = None
) -> dict[str, str]:
    """`source` (parsed: `tree`) as a package: file name (`__init__.py`, `pet.py`, …) → text."""
    tree = tree or ast.parse(source)
    lines = source.splitlines(keepends=True)
    documented, future, imports, units = _read(tree)
    defined = {name: unit for unit in units for name in unit.names}
    by_position = {unit.position: unit for unit in units}
    depends = {
        unit.position: sorted(
            {defined[n].position for n in unit.uses if n in defined} - {unit.position}
        )
        for unit in units
    }
    components = strongly_connected(list(by_position), depends.__getitem__)
    components.sort(key=min)  # in the order their first statement comes
    modules = NameRegistry([*defined, *INIT_NAMES])
    module_of: dict[str, str] = {}
    contents: list[tuple[str, list[_Unit]]] = []
    for component in components:
        members = [by_position[position] for position in sorted(component)]
        first = next((n for unit in members for n in unit.names), "model")
        name = modules.claim(module_name(first))
        contents.append((name, members))
        for unit in members:
            for defined_name in unit.names:
                module_of[defined_name] = name
    docstring = _statement_text(tree.body, 0, lines).strip() if documented else ""
    prologue = (f"{docstring}\n\n" if docstring else "") + "".join(future)
    files = {
        f"{name}.py": _module_text(prologue, imports, members, module_of, tree, lines)
        for name, members in contents
    }
    files["__init__.py"] = _init_text(docstring, package, module_of, contents)
    return dict(sorted(files.items()))


def module_name(class_name: str) -> str:
    """The module of a class: `JobRequest` → `job_request`, importable whatever the name."""
    name = snake_case(class_name) or "model"
    if name[0].isdigit():
        name = f"model_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def strongly_connected(
    nodes: list[int], edges: Callable[[int], Iterable[int]]
) -> list[set[int]]:
    """Tarjan's strongly connected components of a graph, without recursion.

    Components come dependencies first (each after every component it reaches).
    """
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[set[int]] = []
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[int, Iterator[int]]] = [(root, iter(edges(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(edges(successor))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[int] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
    return found


def _read(
    tree: ast.Module,
) -> tuple[bool, list[str], dict[str, _Import], list[_Unit]]:
    """Whether the module has a docstring, its `__future__` imports, the names its
    other imports bind, and its definitions."""
    body = tree.body
    first = body[0] if body else None
    documented = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    future: list[str] = []
    imports: dict[str, _Import] = {}
    units: list[_Unit] = []
    loose: list[tuple[int, _Unit | None]] = []
    """Statements that define nothing (`Node.model_rebuild()`), each with the unit before it."""
    for position, node in enumerate(body):
        if position == 0 and documented:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            future.append(ast.unparse(node) + "\n")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name
                imports[bound] = _Import(
                    len(imports), node.module, node.level, alias.name, alias.asname
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                imports[bound] = _Import(
                    len(imports), None, 0, alias.name, alias.asname
                )
        elif names := _defined_names(node):
            units.append(_Unit(position, names, [position], _used_names(node)))
        else:
            loose.append((position, units[-1] if units else None))
    latest = {name: unit for unit in units for name in unit.names}
    for position, before in loose:
        uses = _used_names(body[position])
        owners = [latest[n] for n in uses if n in latest]
        # with the last definition it acts on, else where it stood
        owner = max(owners, key=lambda u: u.position, default=before)
        owner = owner or (units[0] if units else None)
        if owner is not None:  # else a module of loose statements: nothing to split
            owner.statements.append(position)
            owner.uses |= uses
    return documented, future, imports, units


def _defined_names(node: ast.stmt) -> list[str]:
    """The names a top-level statement binds."""
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.name]
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    return [
        n.id
        for target in targets
        for n in ast.walk(target)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    ]


def _used_names(node: ast.stmt) -> set[str]:
    """Every name a statement reads, quoted forward references in its types included.

    One pass, marking where a type is written (bases, annotations) so that only
    strings there are read as types: not `Literal["x"]`, `Field(...)` or docstrings.
    """
    used: set[str] = set()
    pending: list[tuple[ast.AST, bool]] = [(node, False)]
    while pending:
        item, in_type = pending.pop()
        if isinstance(item, ast.Name):
            used.add(item.id)
            continue
        if isinstance(item, ast.Constant):
            if in_type and isinstance(item.value, str):
                used |= _quoted_names(item.value)
            continue
        if isinstance(item, ast.ClassDef):
            pending += [(base, True) for base in item.bases]
            pending += [(child, False) for child in item.keywords]
            pending += [(child, False) for child in item.decorator_list]
            pending += [(child, False) for child in item.body]
            continue
        if isinstance(item, ast.AnnAssign | ast.arg) and item.annotation is not None:
            pending.append((item.annotation, True))
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.returns:
            pending.append((item.returns, True))
        elif isinstance(item, ast.Call) or (
            isinstance(item, ast.Subscript) and _is_literal(item.value)
        ):
            in_type = False  # `Field(description="...")`, `Literal["a"]`: data
        typed = ("annotation", "returns")
        for name in item._fields:
            if name in typed:
                continue
            value = getattr(item, name, None)
            if isinstance(value, list):
                pending += [
                    (child, in_type) for child in value if isinstance(child, ast.AST)
                ]
            elif isinstance(value, ast.AST):
                pending.append((value, in_type))
    return used


def _quoted_names(text: str) -> set[str]:
    """The names in a type written as a string (`"Tree"`, `"list[Tree]"`)."""
    try:
        parsed = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(parsed) if isinstance(n, ast.Name)}


def _is_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Literal") or (
        isinstance(node, ast.Attribute) and node.attr == "Literal"
    )


def _statement_text(body: list[ast.stmt], position: int, lines: list[str]) -> str:
    """A top-level statement's text, with the comments right above it."""
    node = body[position]
    previous_end = (body[position - 1].end_lineno or 0) if position else 0
    end = node.end_lineno or node.lineno
    return "".join(lines[previous_end:end]).strip("\n") + "\n"


def _import_lines(imports: Iterable[_Import]) -> list[str]:
    """`from m import a, b` lines in the module's order, one level deeper if relative."""
    grouped: dict[tuple[str | None, int], list[str]] = {}
    for item in sorted(imports, key=lambda i: i.order):
        spelled = f"{item.name} as {item.alias}" if item.alias else item.name
        grouped.setdefault((item.module, item.level), []).append(spelled)
    lines: list[str] = []
    for (module, level), names in grouped.items():
        if module is None and level == 0:
            lines.extend(f"import {name}\n" for name in names)
        else:
            dots = "." * (level + 1) if level else ""
            lines.append(f"from {dots}{module or ''} import {', '.join(names)}\n")
    return lines


def _module_text(
    prologue: str,
    imports: dict[str, _Import],
    members: list[_Unit],
    module_of: dict[str, str],
    tree: ast.Module,
    lines: list[str],
) -> str:
    """One module: the header, the imports its statements use, those statements in order."""
    own = {n for unit in members for n in unit.names}
    uses = set().union(*(unit.uses for unit in members)) - own
    siblings: dict[str, list[str]] = {}
    for used in sorted(uses):
        if used in module_of:  # a definition shadows an import of the same name
            siblings.setdefault(module_of[used], []).append(used)
    header_imports = [
        imports[n] for n in sorted(uses) if n in imports and n not in module_of
    ]
    statements = sorted(p for unit in members for p in unit.statements)
    parts = [prologue, "\n", *_import_lines(header_imports)]
    parts += [
        f"from .{module} import {', '.join(names)}\n"
        for module, names in sorted(siblings.items())
    ]
    code = "\n\n".join(_statement_text(tree.body, p, lines) for p in statements)
    return "".join(parts) + "\n\n" + code


def _init_text(
    docstring: str,
    package: str,
    module_of: dict[str, str],
    contents: list[tuple[str, list[_Unit]]],
) -> str:
    """The package's `__init__`: every name, imported for type checkers, lazily at run time."""
    exported = sorted(module_of)
    imports = (
        "".join(
            f"    from .{module} import {', '.join(n for unit in units for n in unit.names)}\n"
            for module, units in sorted(contents, key=lambda content: content[0])
        )
        or "    pass\n"
    )
    example = next((n for _, units in contents for u in units for n in u.names), "")
    about = (
        "The models, each in a module of its own (models that refer to one another\n"
        "share one). A module loads the first time one of its names is asked for, so\n"
        f"\n    from {package}.models import {example}\n\n"
        "loads that model and the models it uses, nothing else.\n"
    )
    if docstring.startswith('"""') and docstring.endswith('"""'):
        docstring = f'{docstring[:-3]}\n\n{about}"""'
    elif not docstring:
        docstring = f'"""{about}"""'
    listed = "".join(f"    {name!r},\n" for name in exported)
    mapping = "".join(f"    {name!r}: {module_of[name]!r},\n" for name in exported)
    return f'''{docstring}

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
{imports}
__all__ = [
{listed}]

_MODULES = {{
{mapping}}}
"""Each name's module."""

# Type checkers read the imports above, so a misspelt name is their error.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """A model, from its module, imported the first time it is asked for."""
        try:
            module = _MODULES[name]
        except KeyError:
            message = f"module {{__name__!r}} has no attribute {{name!r}}"
            raise AttributeError(message) from None
        value = getattr(import_module(f"{{__name__}}.{{module}}"), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({{*globals(), *__all__}})
'''
