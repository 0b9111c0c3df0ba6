"""JSON pointers and local `$ref`s, the one way every stage reads them (RFC 6901)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

SCHEMA_PREFIX = "#/components/schemas/"
"""Where a normalised document's `$ref`s to named schemas point."""
SCHEMA_POINTER = SCHEMA_PREFIX[1:]
"""The JSON pointer prefix of a place inside a named schema."""


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo `escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a JSON pointer.

    Called for every node of a spec: most tokens need no escaping.
    """
    for token in tokens:
        text = str(token)
        base += "/" + (
            escape_pointer_token(text) if "~" in text or "/" in text else text
        )
    return base


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a JSON pointer (`/a/b/0`, percent-encoded as in a URI fragment) through `document`.

    Raises `KeyError` when it leads nowhere.
    """
    node = document
    for raw in unquote(pointer).split("/")[1:] if pointer else []:
        token = unescape_pointer_token(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif (
            isinstance(node, list)
            and token.isascii()
            and token.isdigit()
            and int(token) < len(node)
        ):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


def follow_refs(document: Any, node: Any) -> Any:
    """`node`, or what its chain of local `$ref`s leads to in `document`.

    A chain that loops or leads nowhere gives `{}` (the empty schema): the
    loading stage reported it already, so later stages read it as "anything".
    """
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#"):
            return {}
        seen.add(ref)
        try:
            node = resolve_pointer(document, ref[1:])
        except KeyError:
            return {}
    return node


def schema_name(ref: object) -> str | None:
    """The component name a `#/components/schemas/<name>` reference names, else None."""
    if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
        name = ref[len(SCHEMA_PREFIX) :]
        return unescape_pointer_token(name) if "/" not in name else None
    return None


def in_named_schema(pointer: str) -> tuple[str, str] | None:
    """(name, the rest of the pointer from its `/`) for a pointer inside a component
    schema (`/components/schemas/Pet/properties/id` → `("Pet", "/properties/id")`);
    None for a pointer elsewhere."""
    if not pointer.startswith(SCHEMA_POINTER):
        return None
    name, slash, rest = pointer[len(SCHEMA_POINTER) :].partition("/")
    return unescape_pointer_token(name), slash + rest
