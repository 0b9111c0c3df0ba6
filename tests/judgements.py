"""The validation cases' judgements, checked again by the generated tests' reference.

specgen judges every case with jsonschema-rs (`generator.conformance.reference`); each generated
package's tests check them with python-jsonschema, matching patterns as the stored `patterns` map
says (on jsonschema-rs's linear-time engine). The two must agree on every case, or a generated
test fails for no fault of the models.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


def with_instances(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored cases with every instance written out: a mutation is stored as the
    case it changes, where, and what."""
    made: dict[str, Any] = {}
    out = []
    for case in cases:
        instance = case.get("instance")
        if "from" in case:
            instance = copy.deepcopy(made[case["from"]])
            holder = instance
            for key in case["at"][:-1]:
                holder = holder[key]
            if case.get("remove"):
                holder.pop(case["at"][-1])
            elif "grow" in case:
                old = holder[case["at"][-1]]
                holder[case["at"][-1]] = old + (
                    "a" * case["grow"]
                    if isinstance(old, str)
                    else [old[0]] * case["grow"]
                )
            else:
                holder[case["at"][-1]] = copy.deepcopy(case["value"])
        made.setdefault(case["id"], instance)
        out.append({**case, "instance": instance})
    return out


def disagreements(data: dict[str, Any]) -> list[str]:
    """The cases of a `validation_cases.json` whose stored judgement python-jsonschema
    does not share."""
    patterns: dict[str, dict[str, str] | str] = data["patterns"]

    def matches(value: str, text: str) -> bool:
        stored = patterns[value]
        if isinstance(
            stored, str
        ):  # a package generated before the tests matched in linear time
            return re.search(stored, text, re.ASCII) is not None
        if "linear" in stored:
            linear = jsonschema_rs.validator_for(
                {"pattern": stored["linear"]},
                pattern_options=jsonschema_rs.RegexOptions(),
            )
            return bool(linear.is_valid(text))
        raise AssertionError(
            f"a stored case needs {value!r}, which no linear-time engine runs"
        )

    def pattern(
        validator: Any, value: str, instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not matches(value, instance):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    reference = validators.extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]
    checkers: dict[tuple[str, bool], Any] = {}
    found = []
    for case in with_instances(data["cases"]):
        if case["rule"] == "unknown-field":
            continue  # the schema allows extra keys; request models deliberately do not
        model = case["model"]
        side = (model, bool(case.get("request")))
        if side not in checkers:
            # A request reads the schemas its `request_defs` lays over (`readOnly`).
            definitions = {
                **data["$defs"],
                **(data.get("request_defs", {}) if side[1] else {}),
            }
            checkers[side] = reference(
                {"$ref": f"#/$defs/{model}", "$defs": definitions}
            )
        if checkers[side].is_valid(case["instance"]) is not case["valid"]:
            found.append(
                f"{case['id']}: stored {'valid' if case['valid'] else 'invalid'}, "
                "python-jsonschema disagrees"
            )
    return found
