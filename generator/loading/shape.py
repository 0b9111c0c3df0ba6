"""Check that a document has OpenAPI's shape where generation reads it, before anything does.

Every later stage reads the document as OpenAPI says it is shaped (`paths` a
mapping of path items, a schema a mapping, `type` a string...); a spec shaped
otherwise would crash one of them with a traceback, or be generated wrong in
silence. Each misplaced kind of value is one `Problem` with its JSON pointer.
Descriptions, examples and extensions (`x-`) are free: nothing generated
depends on their shape. `$ref`s are followed (through `follow`, into other files
too) so that what they point at is checked as what it stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.pointers import join_pointer
from generator.problems import Level, Problem
from generator.schema_keywords import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

Follow = Callable[[Path, str], tuple[Path, str, Any] | None]
"""(file, `$ref`) → (file, pointer, target), or None when the loader reports the `$ref` itself."""
_Check = Callable[[Any, Path, str], None]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = ("path", "query", "header", "cookie")

_COUNTS = (
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
_NUMBERS = ("minimum", "maximum", "multipleOf")
_FLAGS = ("nullable", "readOnly", "writeOnly", "uniqueItems")
_TEXTS = ("format", "pattern")


def describe(value: Any) -> str:
    """A value as an error message names it: its JSON kind, and scalars themselves."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    text = str(value)
    return f"the string {text[:40] + '...' if len(text) > 40 else text!r}"


class ShapeChecker:
    """Walks one document as OpenAPI lays it out, collecting a problem per misshapen value."""

    def __init__(self, follow: Follow) -> None:
        self.follow = follow
        self.problems: list[Problem] = []
        self._checked: set[tuple[Path, str, str]] = set()
        self._pending: list[tuple[_Check, Any, Path, str]] = []

    def check(self, document: dict[str, Any], file: Path) -> list[Problem]:
        """Every problem of `document` (read from `file`) and of what its `$ref`s lead to."""
        self._document(document, file, "")
        while self._pending:  # a worklist, not recursion: `$ref` chains can be long
            check, node, where, pointer = self._pending.pop()
            check(node, where, pointer)
        return self.problems

    # --- helpers -------------------------------------------------------------------------------
    def _add(self, file: Path, pointer: str, message: str) -> None:
        self.problems.append(Problem(Level.ERROR, file, pointer, message))

    def _expect(
        self,
        value: Any,
        file: Path,
        pointer: str,
        kinds: type | tuple[type, ...],
        expected: str,
    ) -> bool:
        """Whether `value` is one of `kinds` (a boolean is no number); a problem if not."""
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if (bool in kinds) if isinstance(value, bool) else isinstance(value, kinds):
            return True
        self._add(file, pointer, f"must be {expected}, not {describe(value)}")
        return False

    def _mapping(self, value: Any, file: Path, pointer: str, what: str) -> bool:
        if isinstance(value, dict):
            return True
        self._add(file, pointer, f"{what} must be a mapping, not {describe(value)}")
        return False

    def _map_of(
        self,
        node: dict[str, Any],
        key: str,
        file: Path,
        pointer: str,
        check: _Check,
        extensions: bool = True,
    ) -> None:
        """`node[key]`, when present, is a mapping whose values pass `check` (but `x-` ones).

        Null is taken for empty (`paths:` with nothing below), except in schemas (`extensions`
        False): there JSON Schema validation, which later stages run, refuses it.
        """
        if key not in node or (extensions and node[key] is None):
            return
        where = join_pointer(pointer, key)
        if self._mapping(node[key], file, where, f"`{key}`"):
            for name, value in node[key].items():
                if not (extensions and name.startswith("x-")):
                    check(value, file, join_pointer(where, name))

    def _list_of(
        self,
        node: dict[str, Any],
        key: str,
        file: Path,
        pointer: str,
        check: _Check | None,
        nullable: bool = True,
    ) -> None:
        """`node[key]`, when present and not null (but where `nullable` is False), is a list."""
        if key not in node or (nullable and node[key] is None):
            return
        where = join_pointer(pointer, key)
        if self._expect(node[key], file, where, list, "a list") and check is not None:
            for index, value in enumerate(node[key]):
                check(value, file, join_pointer(where, index))

    def _strings(
        self, node: dict[str, Any], keys: Iterable[str], file: Path, pointer: str
    ) -> None:
        for key in keys:
            if key in node:
                self._expect(
                    node[key], file, join_pointer(pointer, key), str, "a string"
                )

    def _ref(
        self, node: dict[str, Any], file: Path, pointer: str, check: _Check
    ) -> bool:
        """Whether `node` is a reference; its target is checked with `check`, once per kind."""
        if "$ref" not in node:
            return False
        ref = node["$ref"]
        if not self._expect(ref, file, join_pointer(pointer, "$ref"), str, "a string"):
            return True
        target = self.follow(file, ref)
        if target is not None:
            where, at, value = target
            key = (where, at, check.__name__)
            if key not in self._checked:
                self._checked.add(key)
                self._pending.append((check, value, where, at))
        return True

    def _object(
        self, node: Any, file: Path, pointer: str, what: str, check: _Check
    ) -> bool:
        """Whether `node` is an object to check in place (a mapping, and no reference)."""
        if not self._mapping(node, file, pointer, what):
            return False
        return not self._ref(node, file, pointer, check)

    # --- the document ------------------------------------------------------------------------
    def _document(self, node: dict[str, Any], file: Path, pointer: str) -> None:
        if "info" not in node:
            self._add(
                file,
                pointer,
                "`info` is missing (a mapping with `title` and `version`)",
            )
        elif self._mapping(node["info"], file, "/info", "`info`"):
            info = node["info"]
            for key in ("title", "version"):
                if key not in info:
                    self._add(file, "/info", f"`info.{key}` is missing")
            self._strings(info, ("title", "version"), file, "/info")
        if node.get("paths") is not None and self._mapping(
            node["paths"], file, "/paths", "`paths`"
        ):
            for path, item in node["paths"].items():
                where = join_pointer("/paths", path)
                if path.startswith("/"):
                    self._path_item(item, file, where)
                elif not path.startswith("x-"):
                    self._add(file, where, "a path must start with '/'")
        self._map_of(node, "webhooks", file, pointer, self._path_item)
        if node.get("components") is not None and self._mapping(
            node["components"], file, "/components", "`components`"
        ):
            self._components(node["components"], file, "/components")
        self._list_of(node, "servers", file, pointer, self._server)
        self._list_of(node, "security", file, pointer, self._security_requirement)
        self._list_of(node, "tags", file, pointer, self._tag)

    def _components(self, node: dict[str, Any], file: Path, pointer: str) -> None:
        sections: dict[str, _Check] = {
            "schemas": self._schema,
            "responses": self._response,
            "parameters": self._parameter,
            "requestBodies": self._request_body,
            "headers": self._header,
            "securitySchemes": self._security_scheme,
            "callbacks": self._callback,
            "pathItems": self._path_item,
            "examples": self._example,
            "links": self._link,
        }
        for key, check in sections.items():
            self._map_of(node, key, file, pointer, check, extensions=key != "schemas")

    def _server(self, node: Any, file: Path, pointer: str) -> None:
        if self._mapping(node, file, pointer, "a server"):
            self._strings(node, ("url",), file, pointer)

    def _security_requirement(self, node: Any, file: Path, pointer: str) -> None:
        if self._mapping(node, file, pointer, "a security requirement"):
            for name, scopes in node.items():
                where = join_pointer(pointer, name)
                if self._expect(scopes, file, where, list, "a list of scopes"):
                    for index, scope in enumerate(scopes):
                        self._expect(
                            scope, file, join_pointer(where, index), str, "a string"
                        )

    def _tag(self, node: Any, file: Path, pointer: str) -> None:
        if self._mapping(node, file, pointer, "a tag"):
            self._strings(node, ("name",), file, pointer)

    def _path_item(self, node: Any, file: Path, pointer: str) -> None:
        if not self._mapping(node, file, pointer, "a path item"):
            return
        self._ref(node, file, pointer, self._path_item)
        for method in HTTP_METHODS:
            if method in node:
                self._operation(node[method], file, join_pointer(pointer, method))
        self._list_of(node, "parameters", file, pointer, self._parameter)
        self._list_of(node, "servers", file, pointer, self._server)

    def _operation(self, node: Any, file: Path, pointer: str) -> None:
        if not self._mapping(node, file, pointer, "an operation"):
            return
        self._strings(node, ("operationId",), file, pointer)
        if "tags" in node:
            self._list_of(node, "tags", file, pointer, None)
        self._list_of(node, "parameters", file, pointer, self._parameter)
        if "requestBody" in node:
            self._request_body(
                node["requestBody"], file, join_pointer(pointer, "requestBody")
            )
        self._map_of(node, "responses", file, pointer, self._response)
        self._map_of(node, "callbacks", file, pointer, self._callback)
        self._list_of(node, "security", file, pointer, self._security_requirement)
        self._list_of(node, "servers", file, pointer, self._server)

    def _parameter(self, node: Any, file: Path, pointer: str) -> None:
        if not self._object(node, file, pointer, "a parameter", self._parameter):
            return
        if "name" not in node:
            self._add(file, pointer, "a parameter needs a `name`")
        if node.get("in") not in LOCATIONS:
            where = join_pointer(pointer, "in") if "in" in node else pointer
            self._add(
                file,
                where,
                f"`in` must be one of {', '.join(LOCATIONS)}"
                + (
                    f", not {describe(node['in'])}"
                    if "in" in node
                    else " (it is missing)"
                ),
            )
        self._strings(node, ("name",), file, pointer)
        for key in (
            "required",
            "explode",
            "deprecated",
            "allowEmptyValue",
            "allowReserved",
        ):
            if key in node:
                self._expect(
                    node[key], file, join_pointer(pointer, key), bool, "true or false"
                )
        self._media_holder(node, file, pointer)

    def _media_holder(self, node: dict[str, Any], file: Path, pointer: str) -> None:
        """`schema` and `content` of a parameter or header."""
        if "schema" in node:
            self._schema(node["schema"], file, join_pointer(pointer, "schema"))
        self._map_of(node, "content", file, pointer, self._media)

    def _request_body(self, node: Any, file: Path, pointer: str) -> None:
        if not self._object(node, file, pointer, "a request body", self._request_body):
            return
        self._map_of(node, "content", file, pointer, self._media)
        if "required" in node:
            self._expect(
                node["required"],
                file,
                join_pointer(pointer, "required"),
                bool,
                "true or false",
            )

    def _response(self, node: Any, file: Path, pointer: str) -> None:
        if not self._object(node, file, pointer, "a response", self._response):
            return
        self._map_of(node, "content", file, pointer, self._media)
        self._map_of(node, "headers", file, pointer, self._header)
        self._map_of(node, "links", file, pointer, self._link)

    def _media(self, node: Any, file: Path, pointer: str) -> None:
        if not self._mapping(node, file, pointer, "a media type"):
            return
        if "schema" in node:
            self._schema(node["schema"], file, join_pointer(pointer, "schema"))
        self._map_of(node, "examples", file, pointer, self._example)
        self._map_of(node, "encoding", file, pointer, self._encoding)

    def _encoding(self, node: Any, file: Path, pointer: str) -> None:
        if self._mapping(node, file, pointer, "an encoding"):
            self._map_of(node, "headers", file, pointer, self._header)

    def _header(self, node: Any, file: Path, pointer: str) -> None:
        if self._object(node, file, pointer, "a header", self._header):
            self._media_holder(node, file, pointer)

    def _example(self, node: Any, file: Path, pointer: str) -> None:
        self._object(node, file, pointer, "an example", self._example)

    def _link(self, node: Any, file: Path, pointer: str) -> None:
        self._object(node, file, pointer, "a link", self._link)

    def _callback(self, node: Any, file: Path, pointer: str) -> None:
        if self._object(node, file, pointer, "a callback", self._callback):
            for expression, item in node.items():
                if not expression.startswith("x-"):
                    self._path_item(item, file, join_pointer(pointer, expression))

    def _security_scheme(self, node: Any, file: Path, pointer: str) -> None:
        if self._object(
            node, file, pointer, "a security scheme", self._security_scheme
        ):
            self._strings(node, ("type", "name", "in", "scheme"), file, pointer)

    # --- schemas -----------------------------------------------------------------------------
    def _schema_map(self, node: Any, file: Path, pointer: str) -> None:
        """A map of schemas a `$ref` leads to: a mapping whose values are schemas."""
        if self._mapping(node, file, pointer, "a map of schemas"):
            for name, value in node.items():
                self._schema(value, file, join_pointer(pointer, name))

    def _schema(self, node: Any, file: Path, pointer: str) -> None:
        if isinstance(node, bool):
            return  # `true` and `false` are schemas (JSON Schema; OpenAPI 3.1)
        if not self._mapping(node, file, pointer, "a schema"):
            return
        self._ref(node, file, pointer, self._schema)  # 3.1 keeps a `$ref`'s siblings
        if "type" in node:
            kinds = node["type"]
            where = join_pointer(pointer, "type")
            if isinstance(kinds, list):
                for index, kind in enumerate(kinds):
                    self._expect(
                        kind, file, join_pointer(where, index), str, "a type name"
                    )
            else:
                self._expect(kinds, file, where, str, "a type name or a list of them")
        for key in SCHEMA_MAPS:
            value = node.get(key)
            if isinstance(value, dict) and len(value) == 1 and "$ref" in value:
                # a JSON Reference to a whole map (DigitalOcean's `properties: {$ref}`)
                self._ref(value, file, join_pointer(pointer, key), self._schema_map)
            else:
                self._map_of(node, key, file, pointer, self._schema, extensions=False)
        for key in SCHEMA_LISTS:
            self._list_of(node, key, file, pointer, self._schema, nullable=False)
        for key in SCHEMA_VALUES:
            if key in node:
                self._schema(node[key], file, join_pointer(pointer, key))
        if isinstance(
            node.get("items"), list
        ):  # the tuple form of JSON Schema drafts 4 to 7
            self._list_of(node, "items", file, pointer, self._schema, nullable=False)
        elif "items" in node:
            self._schema(node["items"], file, join_pointer(pointer, "items"))
        self._list_of(
            node, "required", file, pointer, self._property_name, nullable=False
        )
        self._list_of(node, "enum", file, pointer, None, nullable=False)
        self._list_of(node, "examples", file, pointer, None, nullable=False)
        self._strings(node, _TEXTS, file, pointer)
        for key in _COUNTS:
            if key in node:
                self._expect(
                    node[key], file, join_pointer(pointer, key), int, "an integer"
                )
        for key in _NUMBERS:
            if key in node:
                self._expect(
                    node[key],
                    file,
                    join_pointer(pointer, key),
                    (int, float),
                    "a number",
                )
        for key in (
            "exclusiveMinimum",
            "exclusiveMaximum",
        ):  # a boolean in 3.0, a number in 3.1
            if key in node:
                self._expect(
                    node[key],
                    file,
                    join_pointer(pointer, key),
                    (int, float, bool),
                    "a number (or, in OpenAPI 3.0, true or false)",
                )
        for key in _FLAGS:
            if key in node:
                self._expect(
                    node[key], file, join_pointer(pointer, key), bool, "true or false"
                )
        if "discriminator" in node:
            where = join_pointer(pointer, "discriminator")
            if self._mapping(node["discriminator"], file, where, "`discriminator`"):
                self._strings(node["discriminator"], ("propertyName",), file, where)
                self._map_of(
                    node["discriminator"],
                    "mapping",
                    file,
                    where,
                    self._mapping_target,
                    extensions=False,
                )

    def _property_name(self, node: Any, file: Path, pointer: str) -> None:
        self._expect(node, file, pointer, str, "a property name")

    def _mapping_target(self, node: Any, file: Path, pointer: str) -> None:
        self._expect(node, file, pointer, str, "a schema name or `$ref`")
