"""Response keys that are a status code followed by its reason phrase, spelled as the code.

OpenAPI keys an operation's `responses` by `default`, an HTTP status code
(`"204"`) or a range (`"2XX"`). Some emitters write the code with its reason
phrase: springdoc, given `responseCode = HttpStatus.NO_CONTENT.toString()`,
writes `"204 NO_CONTENT"`. Kept as written, such a key is neither a code nor a
range, so the client would match it to every status, as it does `default`, and
take any answer, errors included, as that response. The code it starts with is
what it means: the key becomes that code, with a warning. Any other key that is
not a status is kept, with a warning: the client takes it, as it does `default`, for
the error of any status not documented otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.loading.shape import HTTP_METHODS
from generator.pointers import join_pointer
from generator.problems import Level, Problem

STATUS_KEY = re.compile(r"default|[1-5][0-9]{2}|[1-5][Xx]{2}")
"""A key OpenAPI allows in `responses` (the `X`s of a range in either case, as tools read them)."""
WITH_REASON = re.compile(r"([1-5][0-9]{2})[ \t:_-]+[A-Za-z][A-Za-z _-]*")
"""A status code followed by its reason phrase (`204 NO_CONTENT`, `200 OK`)."""


def _operations(
    node: Any, pointer: str, depth: int = 0
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every operation (pointer, operation) of a mapping of path items, callbacks' included."""
    if not isinstance(node, dict) or depth > 8:
        return
    for key, item in node.items():
        if not isinstance(item, dict):
            continue
        where = join_pointer(pointer, str(key))
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                at = join_pointer(where, method)
                yield at, operation
                callbacks = operation.get("callbacks")
                if isinstance(callbacks, dict):
                    for name, callback in callbacks.items():
                        yield from _operations(
                            callback,
                            join_pointer(at, "callbacks", str(name)),
                            depth + 1,
                        )


def spell_status_keys(document: dict[str, Any], file: Path) -> list[Problem]:
    """Rename, in place, each `responses` key `NNN reason` to `NNN`; a warning for each."""
    roots = [("/paths", document.get("paths")), ("/webhooks", document.get("webhooks"))]
    components = document.get("components")
    if isinstance(components, dict):
        roots.append(("/components/pathItems", components.get("pathItems")))
    warnings = []
    for root, items in roots:
        for pointer, operation in _operations(items, root):
            responses = operation.get("responses")
            if not isinstance(responses, dict):
                continue
            renamed: dict[str, Any] = {}
            for key, response in responses.items():
                text = str(key).strip()
                found = WITH_REASON.fullmatch(text)
                code = found.group(1) if found else None
                if code is None or code in responses or code in renamed:
                    renamed[key] = response
                    if not (text.startswith("x-") or STATUS_KEY.fullmatch(text)):
                        warnings.append(
                            Problem(
                                Level.WARNING,
                                file,
                                join_pointer(pointer, "responses", str(key)),
                                f"response key {str(key)!r} is not `default`, a status"
                                " code or a range (`2XX`): the client takes it for"
                                " `default`, an error",
                            )
                        )
                    continue
                renamed[code] = response
                warnings.append(
                    Problem(
                        Level.WARNING,
                        file,
                        join_pointer(pointer, "responses", str(key)),
                        f"response key {str(key)!r} is not a status code: read as {code!r}",
                    )
                )
            if list(renamed) != list(responses):
                operation["responses"] = renamed
    return warnings
