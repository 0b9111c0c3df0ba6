"""Subclasses that re-type an inherited field, made to hold their base's fields instead.

An `allOf` member may declare again a property another member declares, with a
type the other's does not contain: Asana's `PlaceholderRateCompact` is a
`RateCompact` whose `resource` is a `PlaceholderCompact`, not a `UserCompact`,
and its `Parent` is a `TaskCompact` whose `resource_subtype` may be null.
datamodel-code-generator writes a subclass that declares the field again.
pydantic validates the field by that declaration, but the class claims to be
its base while it is not (code reading `rate.resource` as a `UserCompact` gets
a `PlaceholderCompact`), and `mypy --strict` refuses the override.

Such a class inherits from its base's bases instead, and its body starts with
the base's fields and configuration, less what it declares itself: it validates
exactly as before, and its type claims only what holds. An override mypy takes
(the same type, a narrower one, a `Literal` of the inherited enum's members)
keeps the subclass.
"""

from __future__ import annotations

import ast
import re

from generator.models.source_edits import SourceEdits

_BUILTIN_OF = {
    "StrictStr": "str",
    "StrictInt": "int",
    "StrictFloat": "float",
    "StrictBool": "bool",
    "StrictBytes": "bytes",
}
"""pydantic's strict aliases, as the builtins mypy reads them as."""

_TOP_TYPES = frozenset({"Any", "object"})

_MAX_ROUNDS = 4096
"""A bound on flattening rounds: each removes one base from each class that refuses one."""

_CONFIG = "model_config"


def refused_overrides_flattened(source: str) -> str:
    """`source` with every class that re-types an inherited field as mypy refuses
    holding its base's fields instead of inheriting them."""
    for _ in range(_MAX_ROUNDS):
        bases_of, classes, offsets = _subclasses_and_ancestors(source)
        found = [
            (node, base)
            for node in classes.values()
            if (
                base := next(
                    (b for b in node.bases if _refuses(classes, bases_of, node, b)),
                    None,
                )
            )
            is not None
        ]
        if not found:
            return source
        edits = SourceEdits(source)
        lines = source.split("\n")
        placed: set[str] = set()
        for node, base in found:
            assert isinstance(base, ast.Name)
            for parsed in (node, classes[base.id]):
                if parsed.name not in placed:  # its lines count from the module's top
                    ast.increment_lineno(parsed, offsets.get(parsed.name, 0))
                    placed.add(parsed.name)
            _flatten(edits, lines, classes, bases_of, node, classes[base.id], base)
        source = edits.result()
    return source  # pragma: no cover - a module of more classes than any spec's


_CLASS_LINE = re.compile(r"^class (\w+)\((.*)\):", re.MULTILINE)


def _subclasses_and_ancestors(
    source: str,
) -> tuple[dict[str, list[str]], dict[str, ast.ClassDef], dict[str, int]]:
    """Each top-level class's bases, by name; parsed, the classes deriving from
    another class of the module, with their ancestors; and the line each of those
    was parsed from (its nodes' lines count from there).

    Only those can override an inherited field, so only they are parsed: a big
    spec's models module has thousands of classes and few subclasses.
    """
    bases_of = {
        m.group(1): _top_level_items(m.group(2)) for m in _CLASS_LINE.finditer(source)
    }
    wanted = {n for n, bases in bases_of.items() if set(bases) & bases_of.keys()}
    for name in list(wanted):
        wanted |= _ancestors(bases_of, name) & bases_of.keys()
    if not wanted:
        return bases_of, {}, {}
    lines = source.split("\n")
    classes: dict[str, ast.ClassDef] = {}
    offsets: dict[str, int] = {}
    first, counted = 0, 0
    for match in _CLASS_LINE.finditer(source):
        if match.group(1) not in wanted:
            continue
        first += source.count("\n", counted, match.start())
        counted = match.start()
        last = first + 1
        while last < len(lines) and (not lines[last] or lines[last][0].isspace()):
            last += 1
        try:
            node = ast.parse("\n".join(lines[first:last])).body[0]
        except SyntaxError:  # a string spanning lines at the margin: read it all
            node = None
        if not isinstance(node, ast.ClassDef) or node.name != match.group(1):
            tree = ast.parse(source)
            found = {
                n.name: n
                for n in tree.body
                if isinstance(n, ast.ClassDef) and n.name in wanted
            }
            return bases_of, found, {}
        classes[node.name] = node
        offsets[node.name] = first
    return bases_of, classes, offsets


def _top_level_items(text: str) -> list[str]:
    """The comma-separated items of `text` outside brackets, stripped."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return [i for i in items if i]


def _refuses(
    classes: dict[str, ast.ClassDef],
    bases_of: dict[str, list[str]],
    node: ast.ClassDef,
    base: ast.expr,
) -> bool:
    """Whether a field of `node` re-types one inherited through `base` as mypy refuses."""
    parent = classes.get(base.id) if isinstance(base, ast.Name) else None
    if parent is None or any(
        a.startswith("RootModel") for a in _ancestors(bases_of, parent.name)
    ):
        return False
    inherited = _fields_through(classes, parent, 0)
    return any(
        name in inherited and not _narrows(bases_of, annotation, inherited[name])
        for name, annotation in _own_fields(node).items()
    )


def _own_fields(node: ast.ClassDef) -> dict[str, ast.expr]:
    return {
        s.target.id: s.annotation
        for s in node.body
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
    }


def _fields_through(
    classes: dict[str, ast.ClassDef], node: ast.ClassDef, depth: int
) -> dict[str, ast.expr]:
    """The annotation of every field `node` has, its own or inherited (nearest first)."""
    if depth > 64:
        return {}
    fields: dict[str, ast.expr] = {}
    for base in reversed(node.bases):
        parent = classes.get(base.id) if isinstance(base, ast.Name) else None
        if parent is not None:
            fields.update(_fields_through(classes, parent, depth + 1))
    fields.update(_own_fields(node))
    return fields


def _ancestors(bases_of: dict[str, list[str]], name: str, depth: int = 0) -> set[str]:
    """`name` and every class it derives from, by name."""
    found = {name}
    if depth > 64:
        return found
    for base in bases_of.get(name, ()):
        found |= _ancestors(bases_of, base, depth + 1)
    return found


def _narrows(
    bases_of: dict[str, list[str]], override: ast.expr, inherited: ast.expr
) -> bool:
    """Whether mypy takes `override` where a base class declared `inherited`.

    Conservative: an override this cannot show to fit counts as refused, and
    costs only the subclass relation.
    """
    accepted = _alternatives(inherited)
    texts = {_spelled(a) for a in accepted}
    if texts & _TOP_TYPES:
        return True
    return all(
        _spelled(a) in texts
        or (isinstance(a, ast.Name) and bool(_ancestors(bases_of, a.id) & texts))
        or (_spelled(a) == "int" and "float" in texts)
        or _literal_fits(bases_of, a, texts)
        for a in _alternatives(override)
    )


def _literal_fits(
    bases_of: dict[str, list[str]], literal: ast.expr, texts: set[str]
) -> bool:
    """Whether each value of a `Literal[...]` is a member of an accepted enum, or accepted."""
    if not (
        isinstance(literal, ast.Subscript)
        and isinstance(literal.value, ast.Name)
        and literal.value.id == "Literal"
    ):
        return False
    values = (
        literal.slice.elts if isinstance(literal.slice, ast.Tuple) else [literal.slice]
    )
    accepted_values = {
        ast.unparse(v)
        for text in texts
        if text.startswith("Literal[")
        for v in _literal_items(ast.parse(text, mode="eval").body)
    }
    return all(
        ast.unparse(value) in accepted_values
        or (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and bool(_ancestors(bases_of, value.value.id) & texts)
        )
        or (isinstance(value, ast.Constant) and type(value.value).__name__ in texts)
        for value in values
    )


def _literal_items(node: ast.expr) -> list[ast.expr]:
    if not isinstance(node, ast.Subscript):
        return []
    return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]


def _alternatives(annotation: ast.expr) -> list[ast.expr]:
    """The members of a `A | B | ...` union, each without its `Annotated` metadata."""
    bare = _bare(annotation)
    if isinstance(bare, ast.BinOp) and isinstance(bare.op, ast.BitOr):
        return _alternatives(bare.left) + _alternatives(bare.right)
    return [bare]


def _bare(annotation: ast.expr) -> ast.expr:
    """`annotation` without `Annotated[...]` wrappers, at any depth."""
    if isinstance(annotation, ast.Subscript):
        if (
            isinstance(annotation.value, ast.Name)
            and annotation.value.id == "Annotated"
        ):
            first = (
                annotation.slice.elts[0]
                if isinstance(annotation.slice, ast.Tuple)
                else annotation.slice
            )
            return _bare(first)
        inner = (
            ast.Tuple([_bare(e) for e in annotation.slice.elts], ast.Load())
            if isinstance(annotation.slice, ast.Tuple)
            else _bare(annotation.slice)
        )
        return ast.Subscript(annotation.value, inner, ast.Load())
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return ast.BinOp(_bare(annotation.left), ast.BitOr(), _bare(annotation.right))
    return annotation


def _spelled(annotation: ast.expr) -> str:
    """`annotation` as mypy tells types apart: strict aliases read as their builtins."""
    text = ast.unparse(annotation)
    return _BUILTIN_OF.get(text, text)


def _flatten(
    edits: SourceEdits,
    lines: list[str],
    classes: dict[str, ast.ClassDef],
    bases_of: dict[str, list[str]],
    node: ast.ClassDef,
    parent: ast.ClassDef,
    base: ast.expr,
) -> None:
    """Edit `node` to derive from `base`'s bases and hold `parent`'s body instead."""
    own = set(_own_fields(node))
    own_config = _config(node)
    assigned = {n for s in node.body if isinstance(s, ast.Assign) for n in _assigned(s)}
    copied: list[str] = []
    skip_docstring = False
    for index, statement in enumerate(parent.body):
        is_string = (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        )
        if is_string and (index == 0 or skip_docstring):
            skip_docstring = False
            continue  # the class's docstring, or that of a field left out
        skip_docstring = False
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id in own
        ):
            skip_docstring = True
            continue
        if statement is _config(parent) and own_config is not None:
            _merge_config(edits, statement, own_config)
            continue
        if isinstance(statement, ast.Assign) and _assigned(statement) & assigned:
            continue
        if isinstance(statement, ast.Pass):
            continue
        assert statement.end_lineno is not None
        copied.append("\n".join(lines[statement.lineno - 1 : statement.end_lineno]))
    bases = _without_ancestors_of_others(
        bases_of,
        [
            *(ast.unparse(b) for b in node.bases[: node.bases.index(base)]),
            *(ast.unparse(b) for b in parent.bases),
            *(ast.unparse(b) for b in node.bases[node.bases.index(base) + 1 :]),
        ],
    )
    edits.replace(
        edits.start(node.bases[0]), edits.end(node.bases[-1]), ", ".join(bases)
    )
    first = node.body[0]
    keeps_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    at = node.body[1] if keeps_docstring and len(node.body) > 1 else first
    if copied:
        start = edits.lines[at.lineno - 1]
        edits.replace(start, start, "\n".join(copied) + "\n")


def _assigned(statement: ast.Assign) -> set[str]:
    return {t.id for t in statement.targets if isinstance(t, ast.Name)}


def _config(node: ast.ClassDef) -> ast.Assign | None:
    return next(
        (
            s
            for s in node.body
            if isinstance(s, ast.Assign)
            and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name)
            and s.targets[0].id == _CONFIG
        ),
        None,
    )


def _merge_config(edits: SourceEdits, inherited: ast.Assign, own: ast.Assign) -> None:
    """Write into `own` the keywords of `inherited` it does not set, as pydantic merges them."""
    if not (isinstance(inherited.value, ast.Call) and isinstance(own.value, ast.Call)):
        return
    set_here = {k.arg for k in own.value.keywords}
    missing = [edits.text(k) for k in inherited.value.keywords if k.arg not in set_here]
    if missing:
        call = own.value
        end = edits.end(call) - 1  # before the closing parenthesis
        joiner = ", " if call.args or call.keywords else ""
        edits.replace(end, end, joiner + ", ".join(missing))


def _without_ancestors_of_others(
    bases_of: dict[str, list[str]], bases: list[str]
) -> list[str]:
    """`bases` in order, without repeats and without one another's ancestors (which
    would leave no consistent method resolution order)."""
    kept: list[str] = []
    for name in bases:
        if name in kept:
            continue
        if any(name in _ancestors(bases_of, other) for other in bases if other != name):
            continue
        kept.append(name)
    return kept
