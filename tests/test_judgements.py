"""jsonschema-rs judges the validation cases; python-jsonschema, the generated tests' reference, agrees."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO_ROOT
from tests.judgements import disagreements


@pytest.mark.parametrize("package", ["qovery_jobs", "northflank_jobs"])
def test_the_checked_in_judgements_agree_and_a_wrong_one_is_caught(package: str) -> None:
    data = json.loads((REPO_ROOT / "generated" / package / "tests" / "validation_cases.json").read_text(encoding="utf-8"))
    assert disagreements(data) == []
    flipped = next(case for case in data["cases"] if case["rule"] != "unknown-field")
    flipped["valid"] = not flipped["valid"]
    assert disagreements(data) == [f"{flipped['id']}: stored {'valid' if flipped['valid'] else 'invalid'}, python-jsonschema disagrees"]
