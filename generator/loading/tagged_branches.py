"""Discriminator branches that say otherwise about their tag, picked through a class of their own.

datamodel-code-generator makes the tag property of each class a discriminator
picks a required `Literal` of that class's tags, in the class itself, which is
used everywhere else too. Where the class's own schema fixes the property with
other values (DigitalOcean's `Action`, whose `type` enum lists every action
while the mapping gives it two) or leaves it optional (Jellyfin's messages,
whose `MessageType` has a default), that narrowing refuses what the schema
takes: a valid `Action` of type `rename` answered elsewhere fails to parse.

Such a branch is picked instead through a component of its own,
`<Branch>Tagged: {allOf: [{$ref: Branch}]}`, which the discriminator narrows;
`Branch` stays as written, and the mapping is rewritten to match. A branch
that does not fix its tag (`type: string`, or no such property) is left to the
discriminator as before: nothing it declares is contradicted. Neither is one
the mapping does not name that fixes one value: its tag is then that value, as
datamodel-code-generator reads it (`Cat` fixing `petType: cat`). One that
fixes several is mapped from each of them (OpenAI's `WebSearchTool`), where
datamodel-code-generator would make its name the only tag.
"""

from __future__ import annotations

from typing import Any

from generator.loading.schema_walk import schema_mappings
from generator.naming import ClassName, NameRegistry
from generator.pointers import SCHEMA_PREFIX, escape_pointer_token, schema_name


def tagged_branches_split(document: dict[str, Any], registry: NameRegistry) -> None:
    """Give each contradicted discriminator branch in `document` its own component, in place.

    `registry` holds the component names taken; the new ones are claimed in it.
    """
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    made: dict[tuple[str, str, tuple[str, ...]], str] = {}
    for _, node in list(schema_mappings(document)):
        discriminator = node.get("discriminator")
        if not (
            isinstance(discriminator, dict)
            and isinstance(discriminator.get("propertyName"), str)
        ):
            continue
        tag = discriminator["propertyName"]
        raw = discriminator.get("mapping")
        given: dict[str, Any] = raw if isinstance(raw, dict) else {}
        mapping = dict(given)
        for key in ("oneOf", "anyOf"):
            branches = node.get(key)
            if not isinstance(branches, list):
                continue
            for index, branch in enumerate(branches):
                name = (
                    schema_name(branch.get("$ref"))
                    if isinstance(branch, dict)
                    else None
                )
                if name is None or not isinstance(schemas.get(name), dict):
                    continue
                tags = _tags_of(mapping, name)
                fixed = _fixed_values(schemas[name], tag) or []
                if (
                    not tags
                    and len(fixed) > 1
                    and not set(map(str, fixed)) & set(mapping)
                ):
                    # Its own values, not its name: OpenAI's `WebSearchTool`, `type`
                    # web_search or web_search_2025_08_26, in a mapping-less `Tool`.
                    tags = [str(value) for value in fixed]
                    own = SCHEMA_PREFIX + escape_pointer_token(name)
                    mapping.update(dict.fromkeys(tags, own))
                if not (tags and _contradicts(schemas[name], tag, tags)):
                    continue
                key_of = (name, tag, tuple(tags))
                if key_of not in made:
                    made[key_of] = registry.claim(ClassName(f"{name}Tagged"))
                    schemas[made[key_of]] = _tagged(name, tag, tags)
                ref = SCHEMA_PREFIX + escape_pointer_token(made[key_of])
                branches[index] = {**branch, "$ref": ref}
                mapping.update(dict.fromkeys(tags, ref))
        if mapping != given:
            node["discriminator"] = {**discriminator, "mapping": mapping}


def _tags_of(mapping: dict[str, Any], name: str) -> list[str]:
    """The mapping's keys that pick the component `name` (by `$ref` or by name)."""
    ref = SCHEMA_PREFIX + escape_pointer_token(name)
    return [key for key, target in mapping.items() if target in (ref, name)]


def _fixed_values(schema: dict[str, Any], tag: str) -> list[Any] | None:
    """The values `schema` itself fixes its property `tag` to (`const`, `enum`), if any."""
    properties = schema.get("properties")
    declared = properties.get(tag) if isinstance(properties, dict) else None
    if not isinstance(declared, dict):
        return None
    if "const" in declared:
        return [declared["const"]]
    enum = declared.get("enum")
    return list(enum) if isinstance(enum, list) else None


def _contradicts(schema: dict[str, Any], tag: str, tags: list[str]) -> bool:
    """Whether a required `Literal` of `tags` says otherwise than `schema`'s own
    declaration of `tag`: other values, or optional."""
    values = _fixed_values(schema, tag)
    if values is None:
        return False
    required = schema.get("required")
    optional = not (isinstance(required, list) and tag in required)
    return optional or sorted(map(repr, values)) != sorted(map(repr, tags))


def _tagged(name: str, tag: str, tags: list[str]) -> dict[str, Any]:
    """The component a discriminator picks `name` through."""
    listed = " or ".join(f"`{value}`" for value in tags)
    return {
        "allOf": [{"$ref": SCHEMA_PREFIX + escape_pointer_token(name)}],
        "description": f"`{name}` as a discriminator picks it: `{tag}` is {listed}.",
    }
