"""What changed between two versions of an API, judged for users of the generated client.

A change is breaking when code written against the old generated package may
fail against the new one: a new required request field, a removed operation, a
narrowed request constraint. Responses are parsed forward-compatibly, so a new
response field or enum value is not breaking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.changes.unchanged import unchanged_schemas
from generator.loading.normalize import iter_operations
from generator.media import is_json
from generator.pointers import follow_refs, schema_name

Direction = Literal["request", "response"]
ChangeKind = Literal["added", "removed", "changed"]

_LOWER_BOUNDS = (
    "minLength",
    "minimum",
    "exclusiveMinimum",
    "minItems",
    "minProperties",
)
_UPPER_BOUNDS = (
    "maxLength",
    "maximum",
    "exclusiveMaximum",
    "maxItems",
    "maxProperties",
)
_OTHER_CONSTRAINTS = ("pattern", "multipleOf", "format", "const")


@dataclass(frozen=True)
class Change:
    """One difference, located in words a client user understands."""

    kind: ChangeKind
    where: str
    detail: str
    breaking: bool
    documentation_only: bool = False


class ApiDiff:
    """Compares two effective documents (after loading and normalising)."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._unchanged = unchanged_schemas(old, new)

    def add(
        self,
        kind: ChangeKind,
        where: str,
        detail: str,
        breaking: bool,
        documentation_only: bool = False,
    ) -> None:
        self.changes.append(Change(kind, where, detail, breaking, documentation_only))

    def run(self) -> list[Change]:
        self._operations()
        self._security_schemes()
        return self.changes

    # --- references ---------------------------------------------------
    @staticmethod
    def _deref(document: dict[str, Any], node: Any) -> Any:
        return follow_refs(document, node)

    # --- operations -----------------------------------------------------
    def _operations(self) -> None:
        old_ops = {
            (m.upper(), p): (item, op) for p, m, item, op in iter_operations(self.old)
        }
        new_ops = {
            (m.upper(), p): (item, op) for p, m, item, op in iter_operations(self.new)
        }
        for key in sorted(old_ops.keys() - new_ops.keys()):
            self.add("removed", f"{key[0]} {key[1]}", "operation removed", True)
        for key in sorted(new_ops.keys() - old_ops.keys()):
            self.add("added", f"{key[0]} {key[1]}", "operation added", False)
        for key in sorted(old_ops.keys() & new_ops.keys()):
            where = f"{key[0]} {key[1]}"
            (old_item, old_op), (new_item, new_op) = old_ops[key], new_ops[key]
            if old_op.get("operationId") != new_op.get("operationId"):
                self.add(
                    "changed",
                    where,
                    f"operationId {old_op.get('operationId')!r} → "
                    f"{new_op.get('operationId')!r} renames the client method",
                    True,
                )
            self._parameters(
                where,
                self._params(self.old, old_item, old_op),
                self._params(self.new, new_item, new_op),
            )
            self._request_body(where, old_op, new_op)
            self._responses(where, old_op, new_op)
            old_security = {
                tuple(sorted(r))
                for r in old_op.get("security", self.old.get("security")) or []
            }
            new_security = {
                tuple(sorted(r))
                for r in new_op.get("security", self.new.get("security")) or []
            }
            if old_security != new_security:
                lost = old_security - new_security
                self.add(
                    "changed",
                    where,
                    f"security {sorted(old_security)} → {sorted(new_security)}",
                    bool(lost) and bool(old_security),
                )

    def _params(
        self, document: dict[str, Any], item: dict[str, Any], op: dict[str, Any]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        found = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = self._deref(document, raw)
            if isinstance(param, dict) and "name" in param and "in" in param:
                found[(str(param["in"]), str(param["name"]))] = param
        return found

    def _parameters(
        self,
        where: str,
        old: dict[tuple[str, str], Any],
        new: dict[tuple[str, str], Any],
    ) -> None:
        for location, name in sorted(old.keys() - new.keys()):
            self.add(
                "removed",
                f"{where} {location} parameter {name}",
                "parameter removed",
                True,
            )
        for key in sorted(new.keys() - old.keys()):
            required = bool(new[key].get("required")) or key[0] == "path"
            self.add(
                "added",
                f"{where} {key[0]} parameter {key[1]}",
                "required parameter added" if required else "optional parameter added",
                required,
            )
        for key in sorted(old.keys() & new.keys()):
            place = f"{where} {key[0]} parameter {key[1]}"
            was, now = bool(old[key].get("required")), bool(new[key].get("required"))
            if was != now:
                self.add(
                    "changed", place, "now required" if now else "now optional", now
                )
            self._schema(
                place, old[key].get("schema"), new[key].get("schema"), "request", set()
            )

    def _json_schema(self, document: dict[str, Any], holder: Any) -> Any:
        holder = self._deref(document, holder)
        content = holder.get("content") if isinstance(holder, dict) else None
        for content_type, media in (content or {}).items():
            if is_json(content_type) and isinstance(media, dict):
                return media.get("schema")
        return None

    def _request_body(
        self, where: str, old_op: dict[str, Any], new_op: dict[str, Any]
    ) -> None:
        old_body, new_body = (
            self._deref(self.old, old_op.get("requestBody")),
            self._deref(self.new, new_op.get("requestBody")),
        )
        if not old_body and new_body:
            required = bool(new_body.get("required"))
            self.add("added", f"{where} request body", "request body added", required)
        elif old_body and not new_body:
            self.add("removed", f"{where} request body", "request body removed", True)
        elif old_body and new_body:
            if not old_body.get("required") and new_body.get("required"):
                self.add("changed", f"{where} request body", "now required", True)
            self._schema(
                f"{where} request body",
                self._json_schema(self.old, old_body),
                self._json_schema(self.new, new_body),
                "request",
                set(),
            )

    def _responses(
        self, where: str, old_op: dict[str, Any], new_op: dict[str, Any]
    ) -> None:
        old, new = old_op.get("responses") or {}, new_op.get("responses") or {}
        for status in sorted(set(map(str, old)) - set(map(str, new))):
            self.add(
                "removed",
                f"{where} response {status}",
                "response removed",
                status.startswith("2"),
            )
        for status in sorted(set(map(str, new)) - set(map(str, old))):
            self.add(
                "added",
                f"{where} response {status}",
                "response added",
                status.startswith("2"),
            )
        for status in sorted(set(map(str, old)) & set(map(str, new))):
            old_r = old.get(
                status, old.get(int(status) if status.isdigit() else status)
            )
            new_r = new.get(
                status, new.get(int(status) if status.isdigit() else status)
            )
            self._schema(
                f"{where} response {status}",
                self._json_schema(self.old, old_r),
                self._json_schema(self.new, new_r),
                "response",
                set(),
            )

    # --- schemas --------------------------------------------------------
    def _schema(
        self,
        where: str,
        old_raw: Any,
        new_raw: Any,
        direction: Direction,
        seen: set[tuple[str, str]],
    ) -> None:
        refs = (
            str((old_raw or {}).get("$ref", "")) if isinstance(old_raw, dict) else "",
            str((new_raw or {}).get("$ref", "")) if isinstance(new_raw, dict) else "",
        )
        if old_raw == new_raw and schema_name(refs[0]) in self._unchanged:
            return  # the same component, and all it refers to: nothing to find
        if refs != ("", ""):
            if refs in seen:
                return
            seen = seen | {refs}
        old, new = self._deref(self.old, old_raw), self._deref(self.new, new_raw)
        if not isinstance(old, dict) or not isinstance(new, dict):
            if (old is None) != (new is None):
                self.add(
                    "changed",
                    where,
                    "schema added" if old is None else "schema removed",
                    True,
                )
            return
        request = direction == "request"
        old_types, new_types = _types(old), _types(new)
        if (
            old_types - {"null"}
            and new_types - {"null"}
            and old_types - {"null"} != new_types - {"null"}
        ):
            self.add(
                "changed",
                where,
                f"type {_show(old_types - {'null'})} → {_show(new_types - {'null'})}",
                True,
            )
        if "null" in old_types and "null" not in new_types:
            self.add("changed", where, "no longer nullable", request)
        elif "null" not in old_types and "null" in new_types:
            self.add("changed", where, "now nullable", not request)
        self._enum(where, old, new, request)
        self._constraints(where, old, new, request)
        if old.get("default") != new.get("default"):
            self.add(
                "changed",
                where,
                f"default {old.get('default')!r} → {new.get('default')!r}",
                False,
            )
        if old.get("description") != new.get("description"):
            self.add(
                "changed", where, "description changed", False, documentation_only=True
            )
        self._properties(where, old, new, direction, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
                self._schema(
                    f"{where}[]" if key == "items" else f"{where}{{}}",
                    old[key],
                    new[key],
                    direction,
                    seen,
                )
        for key in ("oneOf", "anyOf", "allOf"):
            old_branches, new_branches = old.get(key) or [], new.get(key) or []
            for index, (a, b) in enumerate(
                zip(old_branches, new_branches, strict=False)
            ):
                self._schema(f"{where} {key}[{index}]", a, b, direction, seen)
            if len(old_branches) != len(new_branches):
                fewer = len(new_branches) < len(old_branches)
                self.add(
                    "changed",
                    where,
                    f"{key} has {len(old_branches)} → {len(new_branches)} alternatives",
                    fewer if request else not fewer,
                )

    def _enum(
        self, where: str, old: dict[str, Any], new: dict[str, Any], request: bool
    ) -> None:
        old_values, new_values = old.get("enum"), new.get("enum")
        if not isinstance(old_values, list) or not isinstance(new_values, list):
            return
        for value in [v for v in old_values if v not in new_values]:
            self.add("removed", where, f"enum value {value!r} removed", True)
        for value in [v for v in new_values if v not in old_values]:
            self.add("added", where, f"enum value {value!r} added", False)

    def _constraints(
        self, where: str, old: dict[str, Any], new: dict[str, Any], request: bool
    ) -> None:
        for key in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_OTHER_CONSTRAINTS):
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            if key in _LOWER_BOUNDS:
                narrowed = b is not None and (a is None or b > a)
            elif key in _UPPER_BOUNDS:
                narrowed = b is not None and (a is None or b < a)
            else:
                narrowed = b is not None
            verb = "narrowed" if narrowed else "widened"
            self.add(
                "changed", where, f"{key} {a!r} → {b!r} ({verb})", request and narrowed
            )

    def _properties(
        self,
        where: str,
        old: dict[str, Any],
        new: dict[str, Any],
        direction: Direction,
        seen: set[tuple[str, str]],
    ) -> None:
        request = direction == "request"
        old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = (
            set(old.get("required") or []),
            set(new.get("required") or []),
        )
        for name in sorted(old_props.keys() - new_props.keys()):
            self.add("removed", f"{where}.{name}", "field removed", True)
        for name in sorted(new_props.keys() - old_props.keys()):
            required = name in new_required
            self.add(
                "added",
                f"{where}.{name}",
                "required field added" if required else "optional field added",
                request and required,
            )
        for name in sorted(old_props.keys() & new_props.keys()):
            was, now = name in old_required, name in new_required
            if was != now:
                self.add(
                    "changed",
                    f"{where}.{name}",
                    "now required" if now else "now optional",
                    now if request else not now,
                )
            self._schema(
                f"{where}.{name}", old_props[name], new_props[name], direction, seen
            )

    # --- security -------------------------------------------------------
    def _security_schemes(self) -> None:
        old = (self.old.get("components") or {}).get("securitySchemes") or {}
        new = (self.new.get("components") or {}).get("securitySchemes") or {}
        for name in sorted(old.keys() - new.keys()):
            self.add("removed", f"security scheme {name}", "credential removed", True)
        for name in sorted(new.keys() - old.keys()):
            self.add("added", f"security scheme {name}", "credential added", False)
        for name in sorted(old.keys() & new.keys()):
            if old[name] != new[name]:
                self.add(
                    "changed", f"security scheme {name}", "definition changed", True
                )


def _types(schema: dict[str, Any]) -> set[str]:
    raw = schema.get("type")
    types = (
        set(raw) if isinstance(raw, list) else {raw} if isinstance(raw, str) else set()
    )
    if schema.get("nullable") is True:
        types.add("null")
    for branch in schema.get("anyOf") or schema.get("oneOf") or []:
        if isinstance(branch, dict) and branch.get("type") == "null":
            types.add("null")
    return types


def _show(types: set[str]) -> str:
    return "|".join(sorted(types)) or "any"


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new`, in a stable order."""
    return ApiDiff(old, new).run()
