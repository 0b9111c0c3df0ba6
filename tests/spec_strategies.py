"""Hypothesis strategies for random, valid OpenAPI 3.1 specs, each with valid instances of
its schemas.

Why the instances come from here and not from elsewhere:

- the package's own `tests/validation_cases.json` is written by the generator
  (`generator.conformance.cases`), so a misreading of a schema shared by the
  case builder and the models would go unnoticed; instances made by the code
  that made the schema are an independent oracle;
- hypothesis-jsonschema cannot draw from recursive `$ref`s, and it gives no
  control over which optional properties appear, so inline nested models would
  often never be built at all.

So every schema here is built together with the knowledge of what satisfies it,
and for every object schema we draw a *full* instance (every property present
at its top, arrays non-empty, nullable values non-null: each class the
generator makes for an inline object is reached) and a *random* one (optional
properties left out at random, so defaults and absent fields are exercised).
The test checks every instance against the spec with a JSON Schema 2020-12
validator, so the oracle itself is checked too.

Termination of recursive instances: components are built in an order, and a
reference that must be followed (a required property, the items of an array
with `minItems > 0`, a union branch) only names an earlier component. References
to any component (the component itself, later ones) sit only where an instance
can stop: optional properties, nullable values, arrays with `minItems: 0`. The
document lists components in a shuffled order, so forward references of every
kind still appear.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

SCHEMA_PREFIX = "#/components/schemas/"
MAX_DEPTH = 2
"""References followed before an instance keeps to what it must contain."""
MAX_NESTING = 2
"""Inline objects inside inline objects, at most."""

# Component keys must match ^[a-zA-Z0-9.\-_]+$ (OpenAPI 3.1, Components Object).
SCHEMA_NAMES = (
    "Thing",
    "Item",
    "Pet",
    "Order",
    "Node",
    "Tree",
    "Comment",
    "class",
    "def",
    "List",
    "Dict",
    "Optional",
    "Self",
    "BaseModel",
    "ConfigDict",
    "model.config",
    "1st-item",
    "2",
    "_private",
    "__init__",
    "Model",
    "models",
    "unknown_member",
    "Client",
    "AsyncClient",
    "ApiError",
    "Response",
    "Config",
    "x",
    "foo_bar",
    "fooBar",
    "Foo-Bar",
    "FOO_BAR",
    "foo.bar",
    "Thing2",
    "Thing_2",
    "ImportBody",
    "ClassResponse200",
    # names models.py imports, and keywords: datamodel-code-generator would rename these
    # behind our back
    "ApiModel",
    "RootModel",
    "Field",
    "StrictStr",
    "StrictInt",
    "StrictFloat",
    "StrictBool",
    "StrEnum",
    "Enum",
    "Literal",
    "Annotated",
    "Any",
    "UUID",
    "None",
    "True",
    "False",
    "FieldModel",
)
PROPERTY_NAMES = (
    # keywords, soft keywords, builtins
    "class",
    "def",
    "import",
    "from",
    "None",
    "True",
    "async",
    "await",
    "lambda",
    "match",
    "case",
    "_",
    "type",
    "id",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "object",
    "print",
    "self",
    "cls",
    # names the generated modules or pydantic use
    "json",
    "copy",
    "schema",
    "fields",
    "validate",
    "construct",
    "model_config",
    "model_fields",
    "model_extra",
    "model_x",
    "root",
    "model_dump",
    "model_validate",
    "model_dump_json",
    "model_validate_json",
    "Field",
    "Annotated",
    "Literal",
    "StrictStr",
    "RootModel",
    "ApiModel",
    "BaseModel",
    "unknown_member",
    "annotations",
    "UUID",
    "__init__",
    "__class__",
    "__specgen_not_null__",
    "_reject_unknown_keys",
    # case and separator collisions
    "fooBar",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "foo bar",
    "FOO_BAR",
    "foo__bar",
    "foo.bar",
    # digits, non-ASCII, dashes, spaces, punctuation, empty
    "1st",
    "2",
    "3d_model",
    "0",
    "café",
    "naïve",
    "名前",
    "Ωmega",
    "with-dash",
    "with space",
    " leading",
    "trailing ",
    "a.b",
    "@type",
    "$ref",
    "",
)
ENUM_VALUES = (
    "a-b",
    "a_b",
    "A B",
    "a.b",
    "A_B",
    "1",
    "",
    "class",
    "None",
    "none",
    "True",
    "mro",
    "name",
    "value",
    "_missing_",
    "__init__",
    "UNKNOWN_a",
    "café",
    "ä",
    "x y",
    "X-Y",
    "x_y",
)

PATH_PARAM_NAMES = (
    "id",
    "class",
    "def",
    "self",
    "type",
    "fooBar",
    "foo_bar",
    "foo-bar",
    "1st",
    "from",
    "body",
    "timeout",
    "retries",
    "options",
    "request",
)
QUERY_PARAM_NAMES = (
    *PATH_PARAM_NAMES,
    "page-size",
    "page_size",
    "pageSize",
    "X Weird",
    "café",
    "名前",
    "limit",
    "offset",
    "json",
    "headers",
)
OPERATION_IDS = (
    "import",
    "class",
    "list",
    "close",
    "request",
    "getThing",
    "get_thing",
    "get-thing",
    "1st",
    "café",
    "self",
    "models",
    "create",
)
PATH_SEGMENTS = ("things", "class", "import", "a-b", "v1", "self", "models")

SAFE_PATTERNS = (
    "^[a-z]+$",
    "^[A-Z][a-z0-9]{0,5}$",
    "^[0-9]{3}-[0-9]{2}$",
    "^(ab|cd)+$",
    "[xyz]",
)
"""Patterns that read the same in ECMA-262, Python `re` and pydantic's Rust regex:
ASCII ranges only, no \\d \\w \\s (Unicode-aware in some engines), no lookarounds."""

SPEC_CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
    exclude_characters="\x85\ufeff",
)
"""Text that goes into the spec file (defaults, enum values).

The spec is written as JSON and read by a YAML 1.1 parser, which rejects
control characters and reads NEL, U+2028 and U+2029 as line breaks; those stay
out of spec text (instances travel as JSON and use any text)."""

INSTANCE_CHARACTERS = st.characters(codec="utf-8")


@dataclass
class Components:
    """What one spec's component schemas are, while they are being drawn."""

    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: list[str] = field(default_factory=list)
    """Object components in build order: a reference that must be followed names one of
    these built before."""
    enums: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RandomSpec:
    """A valid OpenAPI 3.1 document and valid instances of each schema that becomes a
    model class."""

    document: dict[str, Any]
    instances: dict[str, list[Any]]
    """Instances keyed by the JSON pointer of their schema in `document`:
    `/components/schemas/<name>`, or an inline request or response body."""


def ref(name: str) -> dict[str, Any]:
    return {"$ref": SCHEMA_PREFIX + name}


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# --- schemas -----------------------------------------------------------------


@st.composite
def bounds(draw: st.DrawFn, low: int, high: int) -> tuple[int | None, int | None]:
    """Optional (min, max) with min <= max."""
    first = draw(st.none() | st.integers(low, high))
    second = draw(st.none() | st.integers(first if first is not None else low, high))
    return first, second


@st.composite
def scalar_schema(
    draw: st.DrawFn, kind: str, *, formats: bool = True
) -> dict[str, Any]:
    """A string, integer, number or boolean schema with random, satisfiable constraints."""
    schema: dict[str, Any] = {"type": kind}
    if kind == "string":
        flavour = draw(
            st.sampled_from(
                ["plain", "plain", "length", "pattern"] + (["uuid"] if formats else [])
            )
        )
        if flavour == "length":
            low, high = draw(bounds(0, 5))
            schema.update(
                {
                    k: v
                    for k, v in (("minLength", low), ("maxLength", high))
                    if v is not None
                }
            )
        elif flavour == "pattern":
            schema["pattern"] = draw(st.sampled_from(SAFE_PATTERNS))
        elif flavour == "uuid":
            schema["format"] = "uuid"
    elif kind == "integer":
        low, high = draw(bounds(-1000, 1000))
        if (
            draw(st.booleans())
            and low is not None
            and high is not None
            and high - low >= 2
        ):
            schema.update({"exclusiveMinimum": low, "exclusiveMaximum": high})
        else:
            schema.update(
                {
                    k: v
                    for k, v in (("minimum", low), ("maximum", high))
                    if v is not None
                }
            )
        if draw(st.integers(0, 4)) == 0:
            multiple = draw(st.integers(2, 5))
            if (
                low is not None
                and high is not None
                and not any(v % multiple == 0 for v in range(low + 1, high))
            ):
                schema.pop("exclusiveMinimum", None)
                schema.pop("exclusiveMaximum", None)
                schema["minimum"], schema["maximum"] = low, low + multiple
            schema["multipleOf"] = multiple
    elif kind == "number":
        low = draw(
            st.none() | st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-1000, 1000)
        )
        high = draw(
            st.none()
            | st.floats(low if low is not None else -1e6, 1e6, allow_nan=False)
            | st.just(low)
        )
        if (
            low is not None
            and high is not None
            and high - low > 1
            and draw(st.booleans())
        ):
            schema.update({"exclusiveMinimum": low, "exclusiveMaximum": high})
        else:
            schema.update(
                {
                    k: v
                    for k, v in (("minimum", low), ("maximum", high))
                    if v is not None
                }
            )
    return schema


@st.composite
def enum_values(draw: st.DrawFn) -> list[str]:
    """Unique string values, many of which collide once made into Python names."""
    return draw(
        st.lists(
            st.sampled_from(ENUM_VALUES) | st.text(SPEC_CHARACTERS, max_size=6),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )


def collision_key(name: str) -> str:
    """What a property name becomes as a snake_case field name, before deduplication (roughly)."""
    return re.sub(
        r"[^0-9a-zà-ÿ]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    ).strip("_")


def could_be_a_field_name(name: str) -> bool:
    return name.isidentifier() and name == name.lower()


@st.composite
def property_names(draw: st.DrawFn, *, min_size: int, max_size: int) -> list[str]:
    """Unique names, often colliding once made into Python field names (fooBar, FooBar, foo-bar).

    Bug (/tmp/random_spec_bugs/name_equals_other_field_python_name.yaml): a name that is another
    property's Python field name (fooBar -> foo_bar, beside foo_bar) is misread, so a name that
    could be a field name never shares its collision key with another name here.
    """
    name = st.sampled_from(PROPERTY_NAMES) | st.text(
        alphabet="aZ_-1 é", min_size=1, max_size=4
    )
    names = draw(st.lists(name, min_size=min_size, max_size=max_size, unique=True))
    groups: dict[str, list[str]] = {}
    for candidate in names:
        groups.setdefault(collision_key(candidate), []).append(candidate)
    kept = [
        n
        for n in names
        if len(groups[collision_key(n)]) == 1 or not could_be_a_field_name(n)
    ]
    return kept if len(kept) >= min_size else names[:1]


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema admitting null, the 3.1 way."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "oneOf" in schema or "anyOf" in schema:
        key = "oneOf" if "oneOf" in schema else "anyOf"
        return {**schema, key: [*schema[key], {"type": "null"}]}
    result = {**schema, "type": [schema["type"], "null"]}
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


@st.composite
def union_schema(
    draw: st.DrawFn, components: Components, *, earlier: list[str]
) -> dict[str, Any]:
    """oneOf (branches of distinct JSON types, so exactly one matches) or anyOf (anything goes).

    Object branches name earlier object components only: a union is followed whenever it is met.
    No `format` in branches. Bug (/tmp/random_spec_bugs/union_of_uuid_and_integer.yaml): a field
    typed `UUID | int` (or `| bool`) rejects valid numbers and booleans.
    """
    if draw(st.booleans()):
        kinds = draw(
            st.lists(
                st.sampled_from(["string", "integer", "boolean", "array", "object"]),
                min_size=2,
                max_size=3,
                unique=True,
            )
        )
        if "object" in kinds and not earlier:
            kinds.remove("object")
        if len(kinds) < 2:
            kinds = ["string", "integer"]
        branches = [
            ref(draw(st.sampled_from(earlier)))
            if k == "object"
            else {"type": "array", "items": {"type": "string"}}
            if k == "array"
            else draw(scalar_schema(k, formats=False))
            for k in kinds
        ]
        return {"oneOf": branches}
    refs = (
        draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        if earlier
        else []
    )
    scalars = [
        draw(scalar_schema(k, formats=False))
        for k in draw(
            st.lists(
                st.sampled_from(["string", "integer", "number", "boolean"]),
                min_size=0 if len(refs) >= 2 else 2 - len(refs),
                max_size=2,
                unique=True,
            )
        )
    ]
    return {"anyOf": [*map(ref, refs), *scalars]}


@st.composite
def property_schema(
    draw: st.DrawFn,
    components: Components,
    *,
    earlier: list[str],
    must_end: bool,
    nesting: int,
) -> dict[str, Any]:
    """The schema of one property (or array item).

    `must_end`: an instance must contain a value here, so only earlier components may be named.
    """
    kinds = ["string", "integer", "number", "boolean", "enum", "array", "union"]
    kinds += ["object"] if nesting < MAX_NESTING else []
    kinds += ["ref", "ref"] if components.objects else []
    kinds += ["enum_ref"] if components.enums else []
    kind = draw(st.sampled_from(kinds))
    is_nullable = draw(st.integers(0, 3)) == 0
    inner_must_end = must_end and not is_nullable
    if kind == "ref" and inner_must_end and not earlier:
        is_nullable, inner_must_end = True, False
    schema: dict[str, Any]
    if kind in ("string", "integer", "number", "boolean"):
        schema = draw(scalar_schema(kind))
    elif kind == "enum":
        schema = {"type": "string", "enum": draw(enum_values())}
    elif kind == "enum_ref":
        schema = ref(draw(st.sampled_from(components.enums)))
    elif kind == "ref":
        schema = ref(
            draw(st.sampled_from(earlier if inner_must_end else components.objects))
        )
    elif kind == "union":
        schema = draw(union_schema(components, earlier=earlier))
    elif kind == "array":
        low, high = draw(bounds(0, 2))
        high = None if high == 0 else high  # full instances hold at least one item
        items = draw(
            property_schema(
                components,
                earlier=earlier,
                must_end=inner_must_end and bool(low),
                nesting=nesting,
            )
        )
        schema = {"type": "array", "items": items}
        schema.update({k: v for k, v in (("minItems", low), ("maxItems", high)) if v})
    else:
        schema = draw(
            object_schema(
                components,
                earlier=earlier,
                must_end=inner_must_end,
                nesting=nesting + 1,
            )
        )
        # Bug (/tmp/random_spec_bugs/nullable_free_form_object.yaml): `type: [object, "null"]` with
        # `properties: {}` rejects null.
        is_nullable = is_nullable and bool(schema["properties"])
    if (
        kind in ("string", "integer", "number", "boolean", "enum")
        and draw(st.integers(0, 3)) == 0
    ):
        schema["default"] = draw(
            values(
                schema, components, depth=MAX_DEPTH, full=None, alphabet=SPEC_CHARACTERS
            )
        )
    schema = nullable(schema) if is_nullable else schema
    if is_nullable and "type" in schema and draw(st.integers(0, 3)) == 0:
        schema["default"] = None
    return schema


@st.composite
def object_schema(
    draw: st.DrawFn,
    components: Components,
    *,
    earlier: list[str],
    must_end: bool,
    nesting: int,
    self_name: str | None = None,
) -> dict[str, Any]:
    """An object with hostile property names, some required; `self_name` adds references
    to itself."""
    names = draw(property_names(min_size=1 if self_name else 0, max_size=4))
    required = sorted(
        draw(st.sets(st.sampled_from(names))) if names else set(), key=names.index
    )
    properties: dict[str, Any] = {}
    for name in names:
        properties[name] = draw(
            property_schema(
                components,
                earlier=earlier,
                must_end=must_end and name in required,
                nesting=nesting,
            )
        )
    if self_name is not None:
        # The recursive one: a tree (array of itself) and a nullable link to itself.
        children, link = draw(
            st.lists(
                st.sampled_from(PROPERTY_NAMES), min_size=2, max_size=2, unique=True
            ).filter(lambda pair: not set(pair) & set(names))
        )
        properties[children] = {"type": "array", "items": ref(self_name)}
        properties[link] = nullable(ref(self_name))
        required += draw(st.lists(st.sampled_from([children, link]), unique=True))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


@st.composite
def component_schemas(draw: st.DrawFn) -> Components:
    """Enums, objects (one recursive), maybe a union, under hostile names; listed in a
    shuffled order."""
    n_enums = draw(st.integers(0, 2))
    n_objects = draw(st.integers(1, 3))
    n_unions = draw(st.integers(0, 1))
    names = draw(
        st.lists(
            st.sampled_from(SCHEMA_NAMES),
            min_size=n_enums + n_objects + 1 + n_unions,
            max_size=n_enums + n_objects + 1 + n_unions,
            unique=True,
        )
    )
    components = Components()
    for name in names[:n_enums]:
        components.schemas[name] = {"type": "string", "enum": draw(enum_values())}
        components.enums.append(name)
    object_names = names[n_enums : n_enums + n_objects + 1]
    recursive = draw(st.sampled_from(object_names))
    components.objects.extend(
        object_names
    )  # optional references may name any of them, built or not
    for index, name in enumerate(object_names):
        earlier = object_names[:index]
        components.schemas[name] = draw(
            object_schema(
                components,
                earlier=earlier,
                must_end=True,
                nesting=0,
                self_name=name if name == recursive else None,
            )
        )
    for name in names[n_enums + n_objects + 1 :]:
        components.schemas[name] = draw(union_schema(components, earlier=object_names))
    order = draw(st.permutations(list(components.schemas)))
    components.schemas = {name: components.schemas[name] for name in order}
    return components


# --- instances -----------------------------------------------------------------


@st.composite
def values(
    draw: st.DrawFn,
    schema: dict[str, Any],
    components: Components,
    *,
    depth: int,
    full: int | None,
    alphabet: st.SearchStrategy[str] = INSTANCE_CHARACTERS,
) -> Any:
    """A value valid against `schema` (of the subset drawn above).

    `full` (None for a random value): every property, a non-null value and a non-empty
    array everywhere down to the next `$ref`, and branch number `full` of every union.
    Past `MAX_DEPTH` references only what the schema requires is produced.
    """
    if "$ref" in schema:
        target = components.schemas[schema["$ref"][len(SCHEMA_PREFIX) :]]
        return draw(
            values(target, components, depth=depth + 1, full=None, alphabet=alphabet)
        )
    ending = depth >= MAX_DEPTH
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        nulls = [b for b in branches if b.get("type") == "null"]
        concrete = [b for b in branches if b.get("type") != "null"]
        if ending and nulls:
            return None
        branch = (
            concrete[full % len(concrete)]
            if full is not None
            else draw(st.sampled_from(branches))
        )
        return draw(
            values(branch, components, depth=depth, full=full, alphabet=alphabet)
        )
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if types == ["null"]:
        return None
    if "null" in types and (ending or (full is None and draw(st.integers(0, 2)) == 0)):
        return None
    if "enum" in schema:
        return draw(st.sampled_from([v for v in schema["enum"] if v is not None]))
    kind = next(t for t in types if t != "null")
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "string":
        if "pattern" in schema:
            anchored = schema["pattern"].startswith("^")
            return draw(
                st.from_regex(
                    schema["pattern"],
                    fullmatch=anchored,
                    alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)),
                )
            )
        if schema.get("format") == "uuid":
            return str(draw(st.uuids()))
        low = schema.get("minLength", 0)
        return draw(
            st.text(alphabet, min_size=low, max_size=schema.get("maxLength", low + 6))
        )
    if kind == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum", -(10**12) - 1) + 1)
        high = schema.get("maximum", schema.get("exclusiveMaximum", 10**12 + 1) - 1)
        multiple = schema.get("multipleOf", 1)
        return multiple * draw(st.integers(-(-low // multiple), high // multiple))
    if kind == "number":
        exclusive = "exclusiveMinimum" in schema
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        numbers: st.SearchStrategy[float | int] = st.floats(
            low,
            high,
            allow_nan=False,
            allow_infinity=False,
            exclude_min=exclusive,
            exclude_max=exclusive,
        )
        int_low = (
            None
            if low is None
            else math.floor(low) + 1
            if exclusive
            else math.ceil(low)
        )
        int_high = (
            None
            if high is None
            else math.ceil(high) - 1
            if exclusive
            else math.floor(high)
        )
        if int_low is None or int_high is None or int_low <= int_high:
            numbers |= st.integers(int_low, int_high)  # JSON Schema: 3 is a number too
        return draw(numbers)
    if kind == "array":
        low = schema.get("minItems", 0)
        high = schema.get("maxItems", low + 2)
        size = (
            low
            if ending
            else max(low, 1)
            if full is not None
            else draw(st.integers(low, min(high, low + 2)))
        )
        return [
            draw(
                values(
                    schema["items"],
                    components,
                    depth=depth,
                    full=full,
                    alphabet=alphabet,
                )
            )
            for _ in range(size)
        ]
    instance: dict[str, Any] = {}
    required = set(schema.get("required", ()))
    for name, sub in schema["properties"].items():
        if name in required or (
            not ending and (full is not None or draw(st.booleans()))
        ):
            instance[name] = draw(
                values(sub, components, depth=depth, full=full, alphabet=alphabet)
            )
    return instance


def widest_union(schema: Any) -> int:
    """The most non-null branches of a union in `schema`, not following `$ref`s (1
    without unions)."""
    if not isinstance(schema, dict):
        return 1
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    own = sum(1 for b in branches if b.get("type") != "null")
    inner = [widest_union(b) for b in branches] + [
        widest_union(v) for v in (schema.get("properties") or {}).values()
    ]
    return max([own, 1, widest_union(schema.get("items")), *inner])


@st.composite
def instances_of(
    draw: st.DrawFn, schema: dict[str, Any], components: Components
) -> list[Any]:
    """Full instances, one per union branch, so every class under `schema` is built; and
    a random one."""
    full = [
        draw(values(schema, components, depth=0, full=branch))
        for branch in range(widest_union(schema))
    ]
    return [*full, draw(values(schema, components, depth=0, full=None))]


# --- operations ----------------------------------------------------------------


@st.composite
def parameter(draw: st.DrawFn, name: str, location: str) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["string", "integer", "boolean", "enum"]
            + (["number", "array"] if location == "query" else [])
        )
    )
    schema: dict[str, Any]
    if kind == "enum":
        schema = {"type": "string", "enum": draw(enum_values())}
    elif kind == "array":
        schema = {
            "type": "array",
            "items": draw(scalar_schema(draw(st.sampled_from(["string", "integer"])))),
        }
    else:
        schema = draw(scalar_schema(kind))
    required = location == "path" or draw(st.booleans())
    if not required and kind != "array" and draw(st.booleans()):
        schema["default"] = draw(
            values(
                schema,
                Components(),
                depth=MAX_DEPTH,
                full=None,
                alphabet=SPEC_CHARACTERS,
            )
        )
    param: dict[str, Any] = {"name": name, "in": location, "schema": schema}
    if required:
        param["required"] = True
    return param


@st.composite
def body_schema(draw: st.DrawFn, components: Components) -> dict[str, Any]:
    """A body: a component, an array of one, or an inline object (hoisted to a class of its own)."""
    choice = draw(st.sampled_from(["ref", "ref", "array", "inline"]))
    if choice == "ref":
        return ref(draw(st.sampled_from(list(components.schemas))))
    if choice == "array":
        return {
            "type": "array",
            "items": ref(draw(st.sampled_from(components.objects))),
        }
    return draw(
        object_schema(components, earlier=components.objects, must_end=True, nesting=0)
    )


@st.composite
def paths(
    draw: st.DrawFn, components: Components, instances: dict[str, list[Any]]
) -> dict[str, Any]:
    """One to three operations with path and query parameters and bodies that name the
    components."""
    result: dict[str, Any] = {}
    count = draw(st.integers(1, 3))
    operation_ids = draw(
        st.lists(
            st.sampled_from(OPERATION_IDS), min_size=count, max_size=count, unique=True
        )
    )
    for index in range(count):
        path_params = draw(
            st.lists(st.sampled_from(PATH_PARAM_NAMES), max_size=2, unique=True)
        )
        path = f"/{draw(st.sampled_from(PATH_SEGMENTS))}{index}" + "".join(
            f"/{{{p}}}" for p in path_params
        )
        method = draw(st.sampled_from(["get", "post", "put", "patch", "delete"]))
        query = draw(
            st.lists(st.sampled_from(QUERY_PARAM_NAMES), max_size=3, unique=True)
        )
        parameters = [draw(parameter(p, "path")) for p in path_params] + [
            draw(parameter(q, "query")) for q in query
        ]
        item: dict[str, Any] = {}
        if parameters and draw(st.booleans()):
            item["parameters"], parameters = (
                parameters[:1],
                parameters[1:],
            )  # path-item level parameters too
        operation: dict[str, Any] = {}
        if draw(st.integers(0, 3)) > 0:
            operation["operationId"] = operation_ids[index]
        if parameters:
            operation["parameters"] = parameters
        pointer = f"/paths/{escape(path)}/{method}"
        if method in ("post", "put", "patch"):
            schema = draw(body_schema(components))
            operation["requestBody"] = {
                "required": draw(st.booleans()),
                "content": {"application/json": {"schema": schema}},
            }
            if "properties" in schema:
                instances[f"{pointer}/requestBody/content/application~1json/schema"] = (
                    draw(instances_of(schema, components))
                )
        responses: dict[str, Any] = {}
        if method == "delete" and draw(st.booleans()):
            responses["204"] = {"description": "deleted"}
        else:
            schema = draw(body_schema(components))
            responses["200"] = {
                "description": "ok",
                "content": {"application/json": {"schema": schema}},
            }
            if "properties" in schema:
                instances[
                    f"{pointer}/responses/200/content/application~1json/schema"
                ] = draw(instances_of(schema, components))
        if draw(st.booleans()):
            responses["404"] = {
                "description": "not found",
                "content": {
                    "application/json": {
                        "schema": ref(draw(st.sampled_from(components.objects)))
                    }
                },
            }
        operation["responses"] = responses
        item[method] = operation
        result[path] = item
    return result


@st.composite
def specs(draw: st.DrawFn) -> RandomSpec:
    """A valid OpenAPI 3.1 document with instances of every schema that becomes a class."""
    components = draw(component_schemas())
    instances: dict[str, list[Any]] = {}
    for name, schema in components.schemas.items():
        instances[f"/components/schemas/{escape(name)}"] = draw(
            instances_of(schema, components)
        )
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Random API", "version": "1.0.0"},
        "paths": draw(paths(components, instances)),
        "components": {"schemas": components.schemas},
    }
    return RandomSpec(document, instances)
