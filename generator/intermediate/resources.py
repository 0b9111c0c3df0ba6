"""Resources: a big API's operations grouped by tag, as the leading SDKs group them.

The rule, which docs/templates.md and every generated README state:

- An operation belongs to its first tag (a spec may give several; only the
  first counts, so each operation is reached one way). An empty tag is no tag.
- When the operations carry at least two distinct tags, each tag is a resource:
  `client.jobs.create_job(...)`. Operations without a tag stay methods of the
  clients. With one tag or none, every operation is a method of the clients
  (`client.create_job(...)`): a group of everything says nothing.
- Resources come in the order of the spec's `tags` list, then the order in
  which undeclared tags first appear; a resource's operations keep spec order.
- A tag's attribute is its snake_case name (`Environment Actions` becomes
  `environment_actions`), made safe by `PythonIdentifier`; one the clients
  already have (`raw`, `close`, ...) or that an untagged operation's method
  took, or a second tag with the same name, gets a `_2` suffix. Method names
  stay unique across the whole API, resources or not.
- Its class is the PascalCase name (`EnvironmentActions`), with `Raw`,
  `Async` and `AsyncRaw` before it for the other three; a name any of the four
  would share with a class of the client modules or another resource gets a
  `2` suffix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from typing import Any

from generator.intermediate.model import Operation, Resource
from generator.naming import ClassName, NameRegistry, PythonIdentifier

CLIENT_MODULE_CLASSES = frozenset(
    {
        "Client",
        "RawClient",
        "AsyncClient",
        "AsyncRawClient",
        "BaseClient",
        "BaseRawClient",
        "AsyncBaseClient",
        "AsyncBaseRawClient",
        "CallOptions",
        "ApiResponse",
        "Download",
        "Credential",
        "Unpack",
        "Any",
        "TYPE_CHECKING",
        "GenericAlias",
    }
)
"""Class-like names `client.py` and `async_client.py` define or import, besides the
types their signatures import (each operation's `signature_types`)."""

_PREFIXES = ("", "Raw", "Async", "AsyncRaw")
"""The four classes of a resource: sync, raw, async, async raw."""


def _first_tag(operation: Operation) -> str:
    return operation.tags[0] if operation.tags and operation.tags[0] else ""


def _declared(tags: Any) -> dict[str, str]:
    """The spec's `tags` list as tag name -> description, in its order."""
    declared: dict[str, str] = {}
    for entry in tags if isinstance(tags, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            description = entry.get("description")
            declared.setdefault(
                entry["name"],
                description.strip() if isinstance(description, str) else "",
            )
    return declared


def _class_family(registry: NameRegistry, tag: str) -> ClassName:
    """The first `Name`, `Name2`, ... whose four classes are all free; claims them."""
    base = ClassName(tag, fallback="Resource")
    candidate, counter = base, 2
    while any(f"{prefix}{candidate}" in registry for prefix in _PREFIXES):
        candidate, counter = ClassName(f"{base}{counter}"), counter + 1
    for prefix in _PREFIXES:
        registry.claim(f"{prefix}{candidate}")
    return candidate


def group_by_tag(
    operations: Iterable[Operation], tags: Any, reserved: Collection[str]
) -> tuple[tuple[Operation, ...], tuple[Resource, ...]]:
    """The operations, each told where it lives, and the resources, by the rule above.

    `tags` is the spec's top-level `tags` value; `reserved`, the names the
    clients' own attributes take.
    """
    operations = tuple(operations)
    used = dict.fromkeys(t for o in operations if (t := _first_tag(o)))
    if len(used) < 2:
        return operations, ()
    declared = _declared(tags)
    order = [t for t in declared if t in used] + [t for t in used if t not in declared]
    attributes = NameRegistry(
        {*reserved, *(o.method_name for o in operations if not _first_tag(o))}
    )
    classes = NameRegistry(
        {
            *CLIENT_MODULE_CLASSES,
            *(n for o in operations for t in o.signature_types for _, n in t.stdlib),
        }
    )
    named = {
        tag: (
            attributes.claim(PythonIdentifier(tag, fallback="resource")),
            _class_family(classes, tag),
        )
        for tag in order
    }
    placed = tuple(
        dataclasses.replace(o, resource=named[tag][0], owner=named[tag][1])
        if (tag := _first_tag(o))
        else o
        for o in operations
    )
    resources = tuple(
        Resource(
            tag=tag,
            attribute_name=attribute,
            class_name=class_name,
            description=declared.get(tag, ""),
            operations=tuple(o for o in placed if o.resource == attribute),
        )
        for tag, (attribute, class_name) in named.items()
    )
    return placed, resources
