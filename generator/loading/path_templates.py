"""Path template expressions no parameter declares, declared as required string path parameters.

OpenAPI requires a path parameter for each `{name}` of a path, but emitters that read
parameters from handler signatures sometimes leave one out (Svix's, through aide, for
`/api/v1/app/{app_id}`). Left undeclared, a method would have no argument for it and
would send `{app_id}` itself. A string is all the template tells of its type; each
parameter added is a warning, so the spec can be fixed where it comes from.

A path key with a query of its own (`/key?list`, `/{bucket}?acl`) is not OpenAPI
either, but its intent is clear: the client sends that query first and as written,
then the operation's query parameters. Each such path is a warning too.

A path key with a fragment (`/v1/conversations#stream`, `/v1/items/{id}#byName`:
Speakeasy's way to give one path and method two operations) is not OpenAPI either;
a fragment never goes on the wire, so the operation is sent to the path before it.
Each such path is a warning too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.loading.shape import HTTP_METHODS
from generator.pointers import join_pointer, resolve_pointer
from generator.problems import Level, Problem

_EXPRESSION = re.compile(r"\{([^{}]+)\}")


def declare_template_parameters(document: dict[str, Any], file: Path) -> list[Problem]:
    """Add to each operation of `document` the path parameters its path template
    names but neither it nor its path item declares; a warning for each."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return []
    warnings = []
    for path, item in list(paths.items()):
        names = list(dict.fromkeys(_EXPRESSION.findall(str(path))))
        if not names or not isinstance(item, dict) or "$ref" in item:
            continue
        shared = _path_names(document, item.get("parameters"))
        for method, operation in list(item.items()):
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            declared = shared | _path_names(document, operation.get("parameters"))
            missing = [name for name in names if name not in declared]
            if not missing:
                continue
            parameters = operation.get("parameters")
            # New mappings, not edits: a YAML alias may share this item elsewhere.
            item = paths[path] = {
                **item,
                method: {
                    **operation,
                    "parameters": [
                        *(parameters if isinstance(parameters, list) else []),
                        *(_string_parameter(name) for name in missing),
                    ],
                },
            }
            pointer = join_pointer("/paths", path, method)
            warnings += [
                Problem(
                    Level.WARNING,
                    file,
                    pointer,
                    f"no parameter declares `{{{name}}}` of the path: taken as a "
                    "required string path parameter",
                )
                for name in missing
            ]
    return warnings


def _path_names(document: dict[str, Any], parameters: Any) -> set[str]:
    """The names of the path parameters in a `parameters` list, `$ref`s followed."""
    names = set()
    for parameter in parameters if isinstance(parameters, list) else []:
        node = _followed(document, parameter)
        if isinstance(node, dict) and node.get("in") == "path":
            names.add(str(node.get("name")))
    return names


def _followed(document: dict[str, Any], node: Any) -> Any:
    """`node`, its local `$ref`s followed (a few links at most, a cycle gives None)."""
    for _ in range(8):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            return node
        try:
            node = resolve_pointer(document, ref.partition("#")[2])
        except KeyError:
            return None
    return None


def _string_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def queries_in_paths(document: dict[str, Any], file: Path) -> list[Problem]:
    """A warning for each path key of `document` that holds a query (`?`) or a
    fragment (`#`)."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return []
    warnings = []
    for path in map(str, paths):
        before, _, query = path.partition("?")
        said = (
            f"a query (`?{query}`), which OpenAPI does not allow: it is sent as"
            " written, before the query parameters"
            if "?" in path
            else f"a fragment (`#{path.partition('#')[2]}`), which OpenAPI does not"
            f" allow: it is not sent, the operation goes to `{path.partition('#')[0]}`"
            if "#" in before
            else ""
        )
        if said:
            where = join_pointer("/paths", path)
            warnings.append(
                Problem(Level.WARNING, file, where, f"the path holds {said}")
            )
    return warnings
