"""The models from the last run's cache: byte for byte what a cold run writes.

Each case generates a spec (filling a cache), edits one schema, generates again
from that cache and compares every file with a cold run of the edited spec.
"""

from __future__ import annotations

import copy
import json
import logging
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import caching, pipeline
from generator.config import make_target
from generator.loading.loader import load_spec
from generator.loading.normalize import normalize
from generator.loading.parsing import parse_text
from generator.models import beside, codegen, incremental
from generator.models.incremental import Unsure, splice
from tests.conftest import DATA_DIR, REPO_ROOT, SPECS_DIR

FIXTURES = REPO_ROOT / "tests" / "fixtures"
SPECS = {
    "qovery-jobs": SPECS_DIR / "qovery-jobs.yaml",
    "northflank-jobs": SPECS_DIR / "northflank-jobs.yaml",
    "mini": FIXTURES / "mini" / "openapi.yaml",
    "media": FIXTURES / "media" / "media.yaml",
    "nullable-30": FIXTURES / "realworld_cases" / "nullable_30.yaml",
    "petstore-expanded": DATA_DIR
    / "realworld"
    / "petstore-expanded"
    / "petstore-expanded.yaml",
}
SLOW_SPECS = {
    "spotify": DATA_DIR / "realworld" / "spotify" / "fixed-spotify-open-api.yml",
}
Schemas = dict[str, Any]
Edit = Callable[[dict[str, Any]], bool]
"""Edits a spec document in place; False when the spec has nothing it applies to."""


def _schemas(document: dict[str, Any]) -> Schemas:
    schemas = (document.get("components") or {}).get("schemas")
    return schemas if isinstance(schemas, dict) else {}


def _middle(candidates: list[Any]) -> Any:
    """One of several candidates, not always the first (deterministically)."""
    return candidates[len(candidates) // 2] if candidates else None


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in `node`, itself included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _objects(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for s in _schemas(document).values()
        if isinstance(s, dict) and isinstance(s.get("properties"), dict)
    ]


def describe(document: dict[str, Any]) -> bool:
    schema = _middle(_objects(document))
    if schema is None:
        return False
    schema["description"] = f"{schema.get('description', '')} Edited.".strip()
    return True


def add_optional_property(document: dict[str, Any]) -> bool:
    schema = _middle(_objects(document))
    if schema is None:
        return False
    schema["properties"]["zzAddedField"] = {"type": "string", "description": "New."}
    return True


def change_a_type(document: dict[str, Any]) -> bool:
    strings = [
        prop
        for schema in _objects(document)
        for prop in schema["properties"].values()
        if isinstance(prop, dict)
        and prop.get("type") == "string"
        and not {"format", "enum", "pattern", "default", "example"} & set(prop)
    ]
    prop = _middle(strings)
    if prop is None:
        return False
    prop["type"] = "integer"
    return True


def add_enum_value(document: dict[str, Any]) -> bool:
    enums = [
        node
        for node in _walk(_schemas(document))
        if isinstance(node.get("enum"), list)
        and node["enum"]
        and all(isinstance(v, str) for v in node["enum"])
    ]
    node = _middle(enums)
    if node is None:
        return False
    node["enum"].append("zz_added_value")
    return True


def _referenced(document: dict[str, Any]) -> list[str]:
    refs = {
        node["$ref"] for node in _walk(document) if isinstance(node.get("$ref"), str)
    }
    return [
        name for name in _schemas(document) if f"#/components/schemas/{name}" in refs
    ]


def rename_referenced(document: dict[str, Any]) -> bool:
    name = _middle(_referenced(document))
    if name is None:
        return False
    schemas = document["components"]["schemas"]
    new = f"{name}Renamed"
    document["components"]["schemas"] = {
        (new if key == name else key): value for key, value in schemas.items()
    }
    for node in _walk(document):
        if node.get("$ref") == f"#/components/schemas/{name}":
            node["$ref"] = f"#/components/schemas/{new}"
    return True


def add_schema(document: dict[str, Any]) -> bool:
    if not _schemas(document):
        return False
    document["components"]["schemas"]["ZzAddedSchema"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
    }
    return True


def delete_schema(document: dict[str, Any]) -> bool:
    """Delete a schema nothing refers to, else one that is referred to, its references
    made plain objects."""
    referenced = _referenced(document)
    free = [name for name in _schemas(document) if name not in referenced]
    name = _middle(free) or _middle(referenced)
    if name is None:
        return False
    del document["components"]["schemas"][name]
    for node in _walk(document):
        if node.get("$ref") == f"#/components/schemas/{name}":
            del node["$ref"]
            node["type"] = "object"
    return True


EDITS: dict[str, Edit] = {
    edit.__name__: edit
    for edit in (
        describe,
        add_optional_property,
        change_a_type,
        add_enum_value,
        rename_referenced,
        add_schema,
        delete_schema,
    )
}


@pytest.fixture(autouse=True)
def _in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models made in this process (so its log is seen), partial runs tried whatever
    share of the schemas they take (the small specs here have few)."""
    monkeypatch.setattr(beside, "worth_a_process", lambda: False)
    monkeypatch.setattr(incremental, "MOST_CHANGED", 1.0)


class Workspace:
    """A spec copied aside (as JSON, so an edit changes nothing else), its target, and
    the cache folders of its runs."""

    def __init__(self, spec: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = tmp / "spec"
        shutil.copytree(spec.parent, self.folder)
        self.document = parse_text(spec.read_text(encoding="utf-8"), spec)
        self.spec = self.folder / f"{spec.stem}.specgen-test.json"
        self.target = make_target(self.spec, "pkg", tmp / "out", None, tmp)
        self.tmp = tmp
        self.monkeypatch = monkeypatch
        self.write(self.document)

    def write(self, document: dict[str, Any]) -> None:
        text = json.dumps(document, indent=1, ensure_ascii=False)
        self.spec.write_text(text, encoding="utf-8")

    def generate(self, cache: str) -> dict[str, bytes]:
        self.monkeypatch.setenv(caching.CACHE_ENV, str(self.tmp / cache))
        return pipeline.generate_files(self.target).files


def _how(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == incremental.__name__ and r.getMessage().startswith("models: ")
    ]


def assert_same(incremental_files: dict[str, bytes], cold: dict[str, bytes]) -> None:
    assert sorted(incremental_files) == sorted(cold)
    differ = [n for n in cold if incremental_files[n] != cold[n]]
    assert not differ, differ


def _edited_runs(
    spec: Path,
    edit: Edit,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> list[str]:
    """Generate, edit, generate from the cache and cold: the same files. The log of the
    run from the cache."""
    space = Workspace(spec, tmp_path, monkeypatch)
    space.generate("warm")
    edited = copy.deepcopy(space.document)
    if not edit(edited):
        pytest.skip(f"{edit.__name__} does not apply to {spec.name}")
    space.write(edited)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger=incremental.__name__):
        from_cache = space.generate("warm")
    how = _how(caplog)
    assert_same(from_cache, space.generate("cold"))
    return how


def _check_edit(
    spec: Path,
    edit_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    how = _edited_runs(spec, EDITS[edit_name], tmp_path, monkeypatch, caplog)
    assert len(how) == 1, how
    if edit_name == "describe":
        assert how[0].startswith("models: partial run on "), how


@pytest.mark.parametrize("edit_name", list(EDITS))
@pytest.mark.parametrize("spec", list(SPECS))
def test_an_edited_schema_generates_as_a_cold_run_does(
    spec: str,
    edit_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _check_edit(SPECS[spec], edit_name, tmp_path, monkeypatch, caplog)


@pytest.mark.slow
@pytest.mark.parametrize("edit_name", list(EDITS))
@pytest.mark.parametrize("spec", list(SLOW_SPECS))
def test_an_edited_schema_of_a_big_spec_generates_as_a_cold_run_does(
    spec: str,
    edit_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _check_edit(SLOW_SPECS[spec], edit_name, tmp_path, monkeypatch, caplog)


def test_a_description_change_runs_the_generator_on_its_schema_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """datamodel-code-generator sees only the edited schema (and what it refers to),
    once as it was and once as it is."""
    space = Workspace(SPECS["qovery-jobs"], tmp_path, monkeypatch)
    space.generate("warm")
    normalised = _schemas(normalize(load_spec(space.spec).document))
    refers = {
        name: {
            node["$ref"].rpartition("/")[2]
            for node in _walk(schema)
            if isinstance(node.get("$ref"), str)
        }
        for name, schema in normalised.items()
    }
    referred = set().union(*refers.values())
    name = next(n for n in _schemas(space.document) if n not in referred)
    needed, todo = {name}, [name]
    while todo:
        for other in refers[todo.pop()] - needed:
            needed.add(other)
            todo.append(other)
    assert len(needed) < len(normalised)
    edited = copy.deepcopy(space.document)
    _schemas(edited)[name]["description"] = "Edited."
    space.write(edited)
    seen: list[list[str]] = []
    real = codegen.raw_models

    def spy(document: dict[str, Any], **options: Any) -> str:
        seen.append(list(_schemas(document)))
        return real(document, **options)

    monkeypatch.setattr(codegen, "raw_models", spy)
    from_cache = space.generate("warm")
    part = [n for n in normalised if n in needed]
    assert seen == [part, part]
    monkeypatch.setattr(codegen, "raw_models", real)
    assert_same(from_cache, space.generate("cold"))


def test_an_unchanged_model_is_not_regenerated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change outside the schemas (an operation's summary) runs no
    datamodel-code-generator at all."""
    space = Workspace(SPECS["northflank-jobs"], tmp_path, monkeypatch)
    space.generate("warm")
    edited = copy.deepcopy(space.document)
    operation = next(iter(next(iter(edited["paths"].values())).values()))
    operation["summary"] = "Edited."
    space.write(edited)
    calls: list[object] = []
    real = codegen.raw_models
    monkeypatch.setattr(
        codegen, "raw_models", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    from_cache = space.generate("warm")
    assert calls == []
    monkeypatch.setattr(codegen, "raw_models", real)
    assert_same(from_cache, space.generate("cold"))


def _damage(path: Path) -> Iterator[tuple[str, str]]:
    """Ways a cache entry can be damaged, each applied in turn, with the reason the
    run gives for its full run."""
    good = path.read_bytes()
    head, _, content = good.partition(b"\n")
    key = json.loads(head)["key"]
    path.write_bytes(good[: len(good) // 2])
    yield "cut short", "no cache entry"
    path.write_bytes(b"\x00\xff not json")
    yield "not JSON", "no cache entry"
    caching.write_entry(path, key, {"raw": 3})
    yield "the wrong shape", "no cache entry"
    data = json.loads(content)
    first = next(iter(data["schemas"]))
    data["raw"] = data["raw"].replace(f"class {first}(", f"class {first}X(")
    path.write_bytes(head + b"\n" + json.dumps(data).encode())
    yield "its module altered", "no cache entry"
    head, _, content = path.read_bytes().partition(b"\n")  # the last full run's
    data = json.loads(content)
    tampered = {**json.loads(data["schemas"][first]), "description": "Tampered."}
    data["schemas"][first] = json.dumps(tampered)
    caching.write_entry(path, json.loads(head)["key"], data)
    yield "a schema altered", f"the part does not write {first} as the whole did"


def test_a_damaged_cache_means_a_full_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    space = Workspace(SPECS["qovery-jobs"], tmp_path, monkeypatch)
    space.generate("warm")
    edited = copy.deepcopy(space.document)
    assert describe(edited)
    space.write(edited)
    cold = space.generate("cold")
    (entry,) = (tmp_path / "warm" / "models").iterdir()
    for damage, reason in _damage(entry):
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger=incremental.__name__):
            from_cache = space.generate("warm")
        assert _how(caplog) == [f"models: full run ({reason})"], damage
        assert_same(from_cache, cold)


def test_no_cache_folder_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(caching.CACHE_ENV, "")
    assert incremental.cache_file(tmp_path, "pkg") is None
    monkeypatch.delenv(caching.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    found = incremental.cache_file(tmp_path / "out", "pkg")
    assert found is not None and found.is_relative_to(tmp_path / "specgen")
    assert found != incremental.cache_file(tmp_path / "out", "other")


WHOLE = '''"""Header."""

from __future__ import annotations

from pydantic import Field


class A(ApiModel):
    x: int = Field(1)


class B(ApiModel):
    a: A


class C(ApiModel):
    y: str
'''
OLD_PART = '''"""Header."""

from __future__ import annotations

from pydantic import Field


class A(ApiModel):
    x: int = Field(1)


class B(ApiModel):
    a: A
'''


def test_splice_takes_the_changed_bodies() -> None:
    new = OLD_PART.replace("a: A", 'a: A\n    """Described."""')
    assert splice(WHOLE, OLD_PART, new) == WHOLE.replace(
        "a: A", 'a: A\n    """Described."""'
    )


@pytest.mark.parametrize(
    ("whole", "new"),
    [
        (WHOLE, OLD_PART.replace("from pydantic import Field", "import re")),
        (WHOLE, OLD_PART.replace("class B(", "class D(")),
        (WHOLE, OLD_PART.replace("a: A", "a: int")),
        (WHOLE, OLD_PART.replace("class B(ApiModel)", "class B(A)")),
        (WHOLE, OLD_PART + "\n\nB.model_rebuild()\n"),
        (WHOLE, OLD_PART + "\n\nclass E(ApiModel):\n    pass\n"),
        (WHOLE.replace("x: int", "x: float"), OLD_PART),
        (WHOLE + "\n\nif TYPE_CHECKING:\n    pass\n", ""),
        (WHOLE + "\n\nB.model_rebuild()\n", ""),
        (
            WHOLE.replace("class A(ApiModel):\n    x: int = Field(1)\n\n\n", "")
            + "\n\nclass A(ApiModel):\n    x: int = Field(1)\n",
            OLD_PART.replace("a: A", 'a: A\n    """Described."""'),
        ),
    ],
    ids=[
        "imports",
        "renamed",
        "references",
        "bases",
        "calls",
        "added",
        "part-differs",
        "unexpected",
        "whole-calls",
        "order",
    ],
)
def test_splice_is_unsure_of_anything_but_bodies(whole: str, new: str) -> None:
    with pytest.raises(Unsure):
        splice(whole, OLD_PART, new or OLD_PART.replace("x: int", "x: str"))


def _nth(candidates: list[Any], index: int) -> Any:
    return candidates[index % len(candidates)] if candidates else None


CORPUS = DATA_DIR / "corpus" / "qovery-openapi.yaml"


@pytest.mark.slow
@pytest.mark.parametrize("index", [0, 1, 2])
@pytest.mark.parametrize(
    "edit_name",
    ["describe", "add_optional_property", "change_a_type", "add_enum_value"],
)
def test_the_corpus_models_from_the_cache_are_a_cold_runs(
    edit_name: str, index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Qovery's full spec, datamodel-code-generator's module from the cache (what
    every later stage is made from) is the one a full run writes, schema after
    schema (`_middle` picks the `index`-th of three spread over the candidates)."""
    monkeypatch.setattr(incremental, "MOST_CHANGED", 1 / 3)
    document = normalize(load_spec(CORPUS).document)
    options: dict[str, Any] = {"package": "corpus", "header": "H", "template_dir": None}
    cache = tmp_path / "entry.json"
    incremental.regenerate(document, cache=cache, **options)
    monkeypatch.setattr(
        sys.modules[__name__],
        "_middle",
        lambda c: _nth(c, index * len(c) // 3 + len(c) // 7) if c else None,
    )
    edited = copy.deepcopy(document)
    assert EDITS[edit_name](edited)
    outcome = incremental.regenerate(edited, cache=cache, **options)
    assert outcome.raw == codegen.raw_models(edited, **options), outcome


def test_a_reference_outside_the_component_schemas_is_unsure() -> None:
    texts = {"A": json.dumps({"items": {"$ref": "#/components/schemas/B"}}), "B": "{}"}
    assert incremental.references(texts, texts) == {"A": {"B"}, "B": set()}
    for ref in ("#/components/parameters/P", "#/components/schemas/C", "other.yaml"):
        texts["B"] = json.dumps({"$ref": ref})
        with pytest.raises(Unsure):
            incremental.references(texts, texts)


def test_the_part_takes_the_discriminators_picking_from_it() -> None:
    """A changed schema takes its referrers and what they need; a union with a
    discriminator over one of those comes too, as it shapes that class."""
    graph = {
        "Seed": set(),
        "Recommendations": {"Seed", "Track"},
        "Track": set(),
        "Queue": {"Track", "Episode"},
        "Episode": set(),
        "Other": {"Episode"},
    }
    part = {"Seed", "Recommendations", "Track"}
    assert incremental.affected(["Seed"], graph) == part
    shaped = incremental.affected(["Seed"], graph, ["Queue"])
    assert shaped == part | {"Queue", "Episode"}
