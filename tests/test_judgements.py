"""jsonschema-rs judges the validation cases; python-jsonschema, the generated tests'
reference, agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import make_target
from generator.pipeline import build_api_for
from tests.conftest import REPO_ROOT
from tests.judgements import disagreements, with_instances


@pytest.mark.parametrize("package", ["qovery_jobs", "northflank_jobs"])
def test_the_checked_in_judgements_agree_and_a_wrong_one_is_caught(
    package: str,
) -> None:
    data = json.loads(
        (
            REPO_ROOT / "generated" / package / "tests" / "validation_cases.json"
        ).read_text(encoding="utf-8")
    )
    assert disagreements(data) == []
    flipped = next(case for case in data["cases"] if case["rule"] != "unknown-field")
    flipped["valid"] = not flipped["valid"]
    assert disagreements(data) == [
        f"{flipped['id']}: stored {'valid' if flipped['valid'] else 'invalid'}, "
        "python-jsonschema disagrees"
    ]


@pytest.mark.parametrize("spec", ["qovery-jobs.yaml", "northflank-jobs.yaml"])
def test_stored_mutations_rebuild_every_instance(spec: str) -> None:
    api = build_api_for(
        make_target(Path("specs") / spec, "pkg", Path("unused"), None, REPO_ROOT)
    ).api
    stored = json.loads(api.validation_data)["cases"]
    assert [case["instance"] for case in with_instances(stored)] == [
        case.instance for case in api.validation_cases
    ]
    assert sum("from" in case for case in stored) > len(stored) / 2, (
        "most cases are stored as the one change they make"
    )
    assert any(case.get("remove") for case in stored) and all(
        "instance" not in case for case in stored if "from" in case
    )
