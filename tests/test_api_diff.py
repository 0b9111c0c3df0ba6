"""`specgen diff`: every kind of API change, classified for users of the generated client."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.changes.diff import diff_documents
from generator.changes.report import semver_bump
from generator.changes.unchanged import unchanged_schemas
from generator.cli import main

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/jobs/{id}": {
            "post": {
                "operationId": "runJob",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "dry", "in": "query", "schema": {"type": "boolean"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/JobRequest"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Job"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "JobRequest": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 10},
                    "size": {"type": "string", "enum": ["S", "M"]},
                    "note": {"type": ["string", "null"]},
                },
            },
            "Job": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "state": {"type": "string", "enum": ["RUNNING", "DONE"]},
                },
            },
        },
    },
}
REQUEST = ("components", "schemas", "JobRequest")
RESPONSE = ("components", "schemas", "Job")


def at(doc: dict[str, Any], *path: str) -> Any:
    for key in path:
        doc = doc[key]
    return doc


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, bool]] = [
    (
        "new required request field",
        lambda d: (
            at(d, *REQUEST)["properties"].update(team={"type": "string"}),
            at(d, *REQUEST)["required"].append("team"),
        ),
        "required field added",
        True,
    ),
    (
        "new optional request field",
        lambda d: at(d, *REQUEST)["properties"].update(team={"type": "string"}),
        "optional field added",
        False,
    ),
    (
        "request field removed",
        lambda d: at(d, *REQUEST)["properties"].pop("size"),
        "field removed",
        True,
    ),
    (
        "request constraint narrowed",
        lambda d: at(d, *REQUEST, "properties", "name").update(maxLength=5),
        "maxLength 10 → 5 (narrowed)",
        True,
    ),
    (
        "request constraint widened",
        lambda d: at(d, *REQUEST, "properties", "name").update(maxLength=50),
        "maxLength 10 → 50 (widened)",
        False,
    ),
    (
        "request enum value added",
        lambda d: at(d, *REQUEST, "properties", "size")["enum"].append("L"),
        "enum value 'L' added",
        False,
    ),
    (
        "request enum value removed",
        lambda d: at(d, *REQUEST, "properties", "size")["enum"].remove("M"),
        "enum value 'M' removed",
        True,
    ),
    (
        "request field no longer nullable",
        lambda d: at(d, *REQUEST, "properties", "note").update(type="string"),
        "no longer nullable",
        True,
    ),
    (
        "type changed",
        lambda d: at(d, *REQUEST, "properties", "name").update(type="integer"),
        "type string → integer",
        True,
    ),
    (
        "response enum value added",
        lambda d: at(d, *RESPONSE, "properties", "state")["enum"].append("FAILED"),
        "enum value 'FAILED' added",
        False,
    ),
    (
        "response field added",
        lambda d: at(d, *RESPONSE)["properties"].update(url={"type": "string"}),
        "optional field added",
        False,
    ),
    (
        "response field removed",
        lambda d: at(d, *RESPONSE)["properties"].pop("state"),
        "field removed",
        True,
    ),
    (
        "response field now optional",
        lambda d: at(d, *RESPONSE)["required"].clear(),
        "now optional",
        True,
    ),
    (
        "new required parameter",
        lambda d: at(d, "paths", "/jobs/{id}", "post", "parameters").append(
            {
                "name": "team",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
            }
        ),
        "required parameter added",
        True,
    ),
    (
        "parameter removed",
        lambda d: at(d, "paths", "/jobs/{id}", "post", "parameters").pop(),
        "parameter removed",
        True,
    ),
    (
        "operation added",
        lambda d: d["paths"].update(
            {"/health": {"get": {"responses": {"200": {"description": "ok"}}}}}
        ),
        "operation added",
        False,
    ),
    ("operation removed", lambda d: d["paths"].clear(), "operation removed", True),
    (
        "operationId renamed",
        lambda d: at(d, "paths", "/jobs/{id}", "post").update(operationId="startJob"),
        "operationId 'runJob' → 'startJob' renames the client method",
        True,
    ),
    (
        "security scheme removed",
        lambda d: (at(d, "components").pop("securitySchemes"), d.pop("security")),
        "credential removed",
        True,
    ),
    (
        "description only",
        lambda d: at(d, *RESPONSE, "properties", "id").update(description="The id."),
        "description changed",
        False,
    ),
]


@pytest.mark.parametrize(
    ("change", "detail", "breaking"),
    [pytest.param(c[1], c[2], c[3], id=c[0]) for c in CASES],
)
def test_change_is_found_and_classified(
    change: Callable[[dict[str, Any]], None], detail: str, breaking: bool
) -> None:
    new = copy.deepcopy(BASE)
    change(new)
    found = [c for c in diff_documents(BASE, new) if c.detail == detail]
    assert found, [c.detail for c in diff_documents(BASE, new)]
    assert all(c.breaking is breaking for c in found)


def test_no_change_no_report_and_bumps() -> None:
    assert diff_documents(BASE, copy.deepcopy(BASE)) == []
    new = copy.deepcopy(BASE)
    at(new, *RESPONSE, "properties", "id").update(description="The id.")
    assert semver_bump(diff_documents(BASE, new)) == "patch"
    at(new, *RESPONSE)["properties"].update(url={"type": "string"})
    assert semver_bump(diff_documents(BASE, new)) == "minor"
    at(new, *REQUEST)["required"].append("size")
    assert semver_bump(diff_documents(BASE, new)) == "major"


def test_a_change_two_references_deep_is_found_where_the_client_meets_it() -> None:
    """`Job` → `Owner` → `Team`: the diff skips schemas equal with all they refer to
    (generator/changes/unchanged.py), never one whose chain leads to a change."""
    old = copy.deepcopy(BASE)
    schemas = at(old, "components", "schemas")
    schemas["Job"]["properties"]["owner"] = {"$ref": "#/components/schemas/Owner"}
    schemas["Owner"] = {
        "type": "object",
        "properties": {"team": {"$ref": "#/components/schemas/Team"}},
    }
    schemas["Team"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    schemas["Unused"] = {"type": "object"}
    new = copy.deepcopy(old)
    at(new, "components", "schemas", "Team", "properties")["name"]["maxLength"] = 3
    assert unchanged_schemas(old, new) == {"JobRequest", "Unused"}
    assert [(c.where, c.detail) for c in diff_documents(old, new)] == [
        (
            "POST /jobs/{id} response 200.owner.team.name",
            "maxLength None → 3 (narrowed)",
        )
    ]


def test_cli_formats_and_fail_on(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(BASE))
    changed = copy.deepcopy(BASE)
    at(changed, *REQUEST)["required"].append("size")
    new.write_text(yaml.safe_dump(changed))
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(old), str(new)])
    assert text.exit_code == 0
    assert (
        text.output
        == "BREAKING  changed  POST /jobs/{id} request body.size: now required\n"
        "1 change(s), 1 breaking; semver bump: major\n"
    )
    report = json.loads(
        runner.invoke(main, ["diff", str(old), str(new), "--format", "json"]).output
    )
    assert (
        report["semver_bump"] == "major"
        and report["changes"][0]["where"] == "POST /jobs/{id} request body.size"
    )
    markdown = runner.invoke(
        main, ["diff", str(old), str(new), "--format", "markdown"]
    ).output
    assert (
        "### Breaking\n\n- `POST /jobs/{id} request body.size`: now required (changed)"
        in markdown
    )
    assert (
        runner.invoke(
            main, ["diff", str(old), str(new), "--fail-on", "breaking"]
        ).exit_code
        == 1
    )
    assert (
        runner.invoke(main, ["diff", str(old), str(old), "--fail-on", "any"]).exit_code
        == 0
    )
