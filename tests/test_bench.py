"""The benchmark script runs (on a tiny spec, specgen only) and reports every measurement; timings are never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_benchmark_script_runs_on_a_tiny_spec(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    spec = REPO_ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml"
    cmd = [sys.executable, "bench/run.py", "--peers", "specgen", "specgen-warm", "--specs", str(spec), "--repeat", "1", "--output", str(results)]
    result = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    table = results.read_text(encoding="utf-8")
    assert "| openapi.yaml | specgen |" in table and "| openapi.yaml | specgen-warm |" in table
    assert "(failed)" not in table and "n/a" not in table
    assert "- openapi.yaml: `import` of the generated package:" in table
    # The mini spec's first operation with a JSON response, and its first component schema.
    assert "- openapi.yaml: per call on a mock transport: `get_pet`: generated `Client` " in table
    assert "plain httpx + pydantic " in table and "overhead ×" in table
    assert "- openapi.yaml: one schema changed, warm format cache: `description` of `Pet` changed: regenerated in " in table
    assert "format cache entries new" in table and "of the formatted bytes" in table
    assert "- openapi.yaml: nothing changed: regenerated in " in table and "(up to date: only the inputs are hashed; best of 3)" in table
