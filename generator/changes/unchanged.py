"""The component schemas an API diff need not walk: equal in both documents, and so is
everything they refer to.

Walking a schema compares it keyword by keyword through every `$ref`; on a big
spec, where one edit touches one schema, that walk is most of the diff's time
and finds nothing. Equality of the parsed schemas is one comparison in C.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.pointers import SCHEMA_PREFIX, unescape_pointer_token

_REF = re.compile(r'"\$ref": ("(?:[^"\\]|\\.)*")')


def unchanged_schemas(old: dict[str, Any], new: dict[str, Any]) -> frozenset[str]:
    """Names of the component schemas whose whole closure is the same in `old` and `new`.

    A schema referring to anything but a component schema counts as changed: what
    it refers to is not compared here.
    """
    before, after = _schemas(old), _schemas(new)
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    referrers: dict[str, set[str]] = {}
    for name in after.keys() - changed:
        for target in _targets(after[name]):
            if target is None:
                changed.add(name)
            else:
                referrers.setdefault(target, set()).add(name)
    tainted, todo = set(changed), list(changed)
    while todo:
        for other in referrers.get(todo.pop(), ()):
            if other not in tainted:
                tainted.add(other)
                todo.append(other)
    return frozenset(after.keys() - tainted)


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    found = (document.get("components") or {}).get("schemas")
    return found if isinstance(found, dict) else {}


def _targets(schema: Any) -> list[str | None]:
    """The component each `$ref` in `schema` names; None for one that names none."""
    found: list[str | None] = []
    for match in _REF.finditer(json.dumps(schema, default=str)):
        ref = json.loads(match[1])
        if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
            token = ref[len(SCHEMA_PREFIX) :].partition("/")[0]
            found.append(unescape_pointer_token(token))
        else:
            found.append(None)
    return found
