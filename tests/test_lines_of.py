"""Lines of JSON pointers in a spec's text, for messages: found in one pass over the
parser's events, as the node tree would give them."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

import pytest
import yaml

from generator.loading.parsing import lines_of

YAML_TEXT = """\
openapi: 3.1.0
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - {name: q, in: query}
      responses:
        '200':
          description: ok
components:
  schemas:
    a/b~c:
      type: object
      properties:
        tags:
          type: array
          items: [1, [2, 3], {x: y}]
        after: {type: string}
"""


def tree_line(text: str, pointer: str) -> int | None:
    node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == token), None)
        elif isinstance(node, yaml.SequenceNode) and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            return None
    return None if node is None else node.start_mark.line + 1


def every_pointer(value: object, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            token = str(key).replace("~", "~0").replace("/", "~1")
            found += every_pointer(item, f"{pointer}/{token}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += every_pointer(item, f"{pointer}/{index}")
    return found


def test_every_pointer_of_a_yaml_text_has_the_line_its_node_has() -> None:
    pointers = every_pointer(yaml.safe_load(YAML_TEXT))
    found = lines_of(YAML_TEXT, pointers)
    assert found == {p: tree_line(YAML_TEXT, p) for p in pointers}
    assert found["/components/schemas/a~1b~0c/properties/after"] == 20
    assert found["/paths/~1pets~1{id}/get/parameters/1/in"] == 8


def test_json_text_and_pointers_written_with_a_hash() -> None:
    text = json.dumps(yaml.safe_load(YAML_TEXT), indent=2)
    pointers = every_pointer(json.loads(text))
    found = lines_of(text, ["#" + p for p in pointers])
    assert found == {"#" + p: tree_line(text, p) for p in pointers}


def test_pointers_not_in_the_text_have_no_line() -> None:
    found = lines_of(YAML_TEXT, ["/nothing", "/paths/~1pets~1{id}/get/parameters/5"])
    assert found == {}


def test_text_that_is_not_yaml_gives_the_lines_found_before_the_error() -> None:
    assert lines_of("a: 1\nb: [\n", ["/a", "/b/0"]) == {"/a": 1}


def test_a_spec_is_searched_once_for_the_lines_of_all_its_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big spec with hundreds of warnings would otherwise be read once per warning."""
    from generator.loading import loader

    searches: list[int] = []

    def counted(text: str, pointers: Collection[str]) -> dict[str, int]:
        searches.append(len(pointers))
        return lines_of(text, pointers)

    monkeypatch.setattr(loader, "lines_of", counted)
    properties = "\n".join(
        f"        p{i}: {{type: integer, default: 'x{i}'}}" for i in range(20)
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        f"components:\n  schemas:\n    Thing:\n      type: object\n"
        f"      properties:\n{properties}\n",
        encoding="utf-8",
    )
    loaded = loader.load_spec(spec)
    assert len(loaded.warnings) == 20
    assert [w.line for w in loaded.warnings] == list(range(9, 29))
    assert searches == [20]
