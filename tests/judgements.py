"""The validation cases' judgements, checked again by the generated tests' reference.

specgen judges every case with jsonschema-rs (`generator.reference`); each generated
package's tests check them with python-jsonschema and ECMA-262 patterns. The two must
agree on every case, or a generated test fails for no fault of the models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError


def disagreements(data: dict[str, Any]) -> list[str]:
    """The cases of a `validation_cases.json` whose stored judgement python-jsonschema does not share."""
    patterns: dict[str, str] = data["patterns"]

    def pattern(validator: Any, value: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not re.search(patterns[value], instance, re.ASCII):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    reference = validators.extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]
    checkers: dict[str, Any] = {}
    found = []
    for case in data["cases"]:
        if case["rule"] == "unknown-field":
            continue  # the schema allows extra keys; request models deliberately do not
        model = case["model"]
        if model not in checkers:
            checkers[model] = reference({"$ref": f"#/$defs/{model}", "$defs": data["$defs"]})
        if checkers[model].is_valid(case["instance"]) is not case["valid"]:
            found.append(f"{case['id']}: stored {'valid' if case['valid'] else 'invalid'}, python-jsonschema disagrees")
    return found
