"""The benchmark script runs (on a tiny spec, specgen only) and reports every measurement; timings are never asserted.
A generator that fails is reported as such, and makes the script exit non-zero."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO_ROOT


def _bench() -> ModuleType:
    """bench/run.py as a module (bench/ is no package); its `main` runs only as a script."""
    if "bench_run" in sys.modules:
        return sys.modules["bench_run"]
    spec = importlib.util.spec_from_file_location("bench_run", REPO_ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its dataclasses look their module up there while it loads
    spec.loader.exec_module(module)
    return module


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


def test_a_failing_generator_is_reported_and_the_script_exits_non_zero(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    missing = tmp_path / "no-such-spec.yaml"
    cmd = [sys.executable, "bench/run.py", "--peers", "specgen", "--specs", str(missing), "--repeat", "1"]
    cmd += ["--output", str(results)]
    result = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 1, (result.stdout[-2000:], result.stderr[-2000:])
    table = results.read_text(encoding="utf-8")
    assert "| no-such-spec.yaml | specgen (failed) |" in table
    assert "## Failures" in table
    prefix = "- no-such-spec.yaml: specgen failed in 1 of 1 runs ("
    failure = next(line for line in table.splitlines() if line.startswith(prefix))
    assert "exit status " in failure and str(missing) in failure, failure  # why: specgen's own message, quoted
    assert "bench/run.py: FAILED: no-such-spec.yaml: specgen failed in 1 of 1 runs" in result.stderr


def test_a_peer_failing_in_one_run_of_three_is_a_failure() -> None:
    bench = _bench()
    spec = Path("spec.yaml")
    good = bench.Run(1.0, 50, 1.0, True)
    bad = bench.Run(0.1, 20, 0.1, False, "exit status 1: Traceback / ValueError: boom")
    runs = {"specgen": [good, good, good], "openapi-python-client": [good, bad, good]}
    assert bench.failures(spec, runs) == [
        "spec.yaml: openapi-python-client failed in 1 of 3 runs (exit status 1: Traceback / ValueError: boom)"
    ]
    assert bench.failures(spec, {"specgen": [good], "datamodel-codegen": [good]}) == []
    assert bench.exit_status([]) == 0
    assert bench.exit_status(bench.failures(spec, runs)) == 1
