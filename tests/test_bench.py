"""The benchmark script runs (on a tiny spec, specgen only) and reports every
measurement; timings are never asserted. A generator that fails is reported as
such, and makes the script exit non-zero."""

from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import REPO_ROOT

MINI = REPO_ROOT / "tests" / "fixtures" / "mini" / "openapi.yaml"


def _bench() -> ModuleType:
    """bench/run.py as a module (bench/ is no package); its `main` runs only as a
    script."""
    if "bench_run" in sys.modules:
        return sys.modules["bench_run"]
    spec = importlib.util.spec_from_file_location(
        "bench_run", REPO_ROOT / "bench" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _run_bench(*arguments: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "bench/run.py", *arguments]
    return subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)


@pytest.mark.slow
def test_benchmark_script_runs_on_a_tiny_spec(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    arguments = ["--peers", "specgen", "--specs", str(MINI), "--repeat", "1"]
    result = _run_bench(*arguments, "--output", str(results))
    assert result.returncode == 0, result.stderr[-2000:]
    table = results.read_text(encoding="utf-8")
    assert result.stdout.strip() == table.strip()
    assert "| openapi.yaml | specgen | " in table and "(failed)" not in table
    assert "cache" not in table.lower()
    # Each target next to its number, judged (✓ or ✗) when it was measured.
    targets = [
        line for line in table.splitlines() if line.startswith("| openapi.yaml |")
    ]
    not_run = "not measured (openapi-python-client not in --peers) | ≤ 0.80x"
    assert any(not_run in line and line.endswith(" | — |") for line in targets)
    not_run = "not measured (datamodel-codegen not in --peers) | ≤ datamodel-codegen"
    assert any(not_run in line and line.endswith(" | — |") for line in targets)
    one_schema = "| openapi.yaml | one schema changed (`Pet`), wall | "
    for start, limit in (
        (one_schema, "< 1.5 s"),
        ("| openapi.yaml | nothing", "< 0.3 s"),
    ):
        row = next(line for line in targets if line.startswith(start))
        assert f" s | {limit} | " in row and row[-3:] in ("✓ |", "✗ |"), row
    bullets = [line for line in table.splitlines() if line.startswith("- ")]
    assert all("n/a" not in line for line in bullets), bullets
    assert "- openapi.yaml: `import` of the generated package:" in table
    # The mini spec's first operation with a JSON response, and its first schema.
    assert (
        "- openapi.yaml: per call on a mock transport: `get_pet`: generated " in table
    )
    assert "plain httpx + pydantic " in table and "overhead ×" in table
    overhead = "| openapi.yaml | per call on a mock transport, generated `Client` / "
    row = next(line for line in targets if line.startswith(overhead))
    assert "x | ≤ 1.20x | " in row and row[-3:] in ("✓ |", "✗ |"), row
    # The edited run regenerated: not up to date, and the new description is in
    # the package (the script checks both, else it says n/a).
    changed = "- openapi.yaml: one schema changed: `description` of `Pet` changed: "
    assert changed + "regenerated in " in table and "checked in the package" in table
    assert "- openapi.yaml: nothing changed: regenerated in " in table
    assert "(reported up to date: only the inputs are hashed; 1 run)" in table


def test_a_failing_generator_is_reported_and_the_script_exits_non_zero(
    tmp_path: Path,
) -> None:
    results = tmp_path / "RESULTS.md"
    missing = tmp_path / "no-such-spec.yaml"
    arguments = ["--peers", "specgen", "--specs", str(missing), "--repeat", "1"]
    result = _run_bench(*arguments, "--output", str(results))
    assert result.returncode == 1, (result.stdout[-2000:], result.stderr[-2000:])
    table = results.read_text(encoding="utf-8")
    assert "| no-such-spec.yaml | specgen (failed) |" in table
    assert "## Failures" in table
    prefix = "- no-such-spec.yaml: specgen failed in 1 of 1 runs ("
    failure = next(line for line in table.splitlines() if line.startswith(prefix))
    # why: specgen's own message, quoted
    assert "exit status " in failure and str(missing) in failure, failure
    said = "bench/run.py: FAILED: no-such-spec.yaml: specgen failed in 1 of 1 runs"
    assert said in result.stderr
    # No package: no specgen-only measurement, and no target judged ✓.
    assert "## specgen's package" not in table and "✓" not in table


def test_a_peer_failing_in_one_run_of_three_is_a_failure() -> None:
    bench = _bench()
    spec = Path("spec.yaml")
    good = bench.Run(1.0, 50, 1.0, True)
    bad = bench.Run(0.1, 20, 0.1, False, "exit status 1: Traceback / ValueError: boom")
    runs = {"specgen": [good, good, good], "openapi-python-client": [good, bad, good]}
    assert bench.failures(spec, runs) == [
        "spec.yaml: openapi-python-client failed in 1 of 3 runs "
        "(exit status 1: Traceback / ValueError: boom)"
    ]
    assert bench.failures(spec, {"specgen": [good], "datamodel-codegen": [good]}) == []
    assert bench.exit_status([]) == 0
    assert bench.exit_status(bench.failures(spec, runs)) == 1
    assert bench.summarise([good, bad, good]) == bench.Summary(1.0, 1.0, 50, False)


def test_rows_show_medians_the_highest_peak_and_ratios_to_specgen() -> None:
    bench = _bench()
    run = bench.Run
    summaries = {
        "specgen": bench.summarise([run(2.0, 90, 3.0, True), run(4.0, 100, 5.0, True)]),
        "specgen-black": bench.summarise([run(8.0, 120, 8.0, True)]),
        "openapi-python-client": bench.summarise([run(6.0, 80, 0.0, False, "boom")]),
    }
    assert bench.peer_rows(Path("x/spec.yaml"), summaries) == [
        "| spec.yaml | specgen | 3.00 | 4.00 | 100 |  |  |",
        "| spec.yaml | specgen-black | 8.00 | 8.00 | 120 | 0.38 | 0.50 |",
        # No CPU measured: no CPU ratio rather than a division by zero.
        "| spec.yaml | openapi-python-client (failed) | 6.00 | 0.00 | 80 | 0.50 |  |",
    ]


def _summary(bench: ModuleType, wall: float, peak: int, ok: bool = True) -> Any:
    return bench.Summary(wall, wall, peak, ok)


def test_the_wall_ratio_target_is_half_on_the_corpus_and_0_8_elsewhere() -> None:
    bench = _bench()
    curated = bench.CURATED[0]
    ours = {"specgen": _summary(bench, 4.0, 100)}
    peer = {"openapi-python-client": _summary(bench, 8.0, 100)}
    what = "wall time, specgen / openapi-python-client"
    corpus_name = bench.CORPUS.name
    judged = bench.wall_ratio_target(bench.CORPUS, ours | peer)
    assert judged == bench.Target(corpus_name, what, "0.50x", "≤ 0.50x (corpus)", "✓")
    slower = {"specgen": _summary(bench, 4.1, 100)}  # 0.5125, shown 0.51
    assert bench.wall_ratio_target(bench.CORPUS, slower | peer).met == "✗"
    row = bench.target_row(bench.wall_ratio_target(curated, slower | peer))
    assert row == f"| {curated.name} | {what} | 0.51x | ≤ 0.80x (curated) | ✓ |"
    assert (
        bench.wall_ratio_target(MINI, slower | peer).target
        == "≤ 0.80x (not the corpus)"
    )
    failed = {"openapi-python-client": _summary(bench, 8.0, 100, ok=False)}
    judged = bench.wall_ratio_target(curated, ours | failed)
    assert (judged.measured, judged.met) == ("n/a (openapi-python-client failed)", "—")
    judged = bench.wall_ratio_target(curated, ours)
    measured = "not measured (openapi-python-client not in --peers)"
    assert (judged.measured, judged.met) == (measured, "—")


def test_the_memory_target_compares_specgen_with_datamodel_codegen_alone() -> None:
    bench = _bench()
    spec = bench.CURATED[1]
    ours = {"specgen": _summary(bench, 1.0, 120)}
    others = {"openapi-python-client": _summary(bench, 1.0, 10)}  # not compared
    for theirs, met in ((120, "✓"), (150, "✓"), (119, "✗")):
        peer = {"datamodel-codegen": _summary(bench, 1.0, theirs)}
        judged = bench.memory_target(spec, ours | others | peer)
        assert (judged.measured, judged.met) == (f"120 MB vs {theirs} MB", met)
    assert bench.memory_target(spec, ours | others).met == "—"


def test_time_targets_are_judged_on_the_time_shown() -> None:
    bench = _bench()
    timed = bench.seconds_target
    assert timed(MINI, "w", bench.Timed(1.494, "d"), 1.5).met == "✓"  # shown 1.49
    assert timed(MINI, "w", bench.Timed(1.496, "d"), 1.5).met == "✗"  # shown 1.50
    assert timed(MINI, "w", bench.Timed(0.31, "d"), 0.3) == bench.Target(
        "openapi.yaml", "w", "0.31 s", "< 0.3 s", "✗"
    )
    failed = timed(MINI, "w", bench.Timed(None, "n/a (generation failed: x)"), 0.3)
    assert (failed.measured, failed.met) == ("n/a (generation failed: x)", "—")


def test_the_edit_changes_one_schema_description_and_nothing_else() -> None:
    bench = _bench()
    document = bench.load_spec(MINI).document
    assert bench.edited_schema(document) == "Pet"
    before = copy.deepcopy(document)
    assert bench.edit_one_schema(document, 1) == "Pet"
    first = copy.deepcopy(document)
    assert bench.edit_one_schema(document, 2) == "Pet"
    for older, newer, run in ((before, first, 1), (first, document, 2)):
        schemas, edited = older["components"]["schemas"], newer["components"]["schemas"]
        changed = [name for name in edited if edited[name] != schemas.get(name)]
        assert changed == ["Pet"] and edited.keys() == schemas.keys()
        rest = {k: v for k, v in edited["Pet"].items() if k != "description"}
        assert rest == {k: v for k, v in schemas["Pet"].items() if k != "description"}
        description = edited["Pet"]["description"]
        assert description.endswith(f" {bench.EDIT_MARKER}-{run}")
        assert description.count(bench.EDIT_MARKER) == 1  # the earlier one replaced
        older_rest = {k: v for k, v in older.items() if k != "components"}
        assert older_rest == {k: v for k, v in newer.items() if k != "components"}
    assert bench.edit_one_schema({"components": {"schemas": {}}}, 1) is None


def test_specgen_runs_with_an_explicit_formatter_and_black_is_opt_in() -> None:
    bench = _bench()
    out = Path("out")
    ruff, black = (bench.command(p, MINI, out) for p in ("specgen", "specgen-black"))
    assert ruff[ruff.index("--formatter") + 1] == "ruff" and "--force" in ruff
    assert black[black.index("--formatter") + 1] == "black"
    assert "--force" not in bench.specgen_command(MINI, out, force=False)
    assert (
        "specgen-black" in bench.ALL_PEERS
        and "specgen-black" not in bench.DEFAULT_PEERS
    )
    assert "specgen" in bench.DEFAULT_PEERS


def test_the_plain_call_sends_the_same_request_and_parses_with_the_model() -> None:
    bench = _bench()
    from pydantic import BaseModel, Field, RootModel

    class Body(BaseModel):
        job_name: str = Field(alias="jobName")
        size: int = 1

    class Result(BaseModel):
        id: str

    class Wrapped(RootModel[list[Result]]):
        pass

    body = Body.model_validate({"jobName": "j"})
    assert bench._dumped(body) == b'{"jobName":"j"}'  # by alias, only what is set
    assert bench._dumped(None) is None
    assert bench._dumped({"a": [1, True]}) == b'{"a":[1,true]}'
    handler = bench._Canned(201, {"id": "x"})
    sent = httpx.Client().build_request(  # as the client's own http client sent it
        "POST",
        "https://bench.invalid/api/jobs",
        headers={"Authorization": "Bearer bench", "Content-Type": "application/json"},
        content=b'{"jobName": "j"}',
    )
    plain = bench._plain_call(handler, sent, body, bench._reader(Result, False))
    assert plain() == Result(id="x")
    again = handler.last
    assert again is not None and again.content == b'{"jobName":"j"}'
    assert bench._same_request(sent, again) is None
    assert again.headers["authorization"] == "Bearer bench"
    # A RootModel the client unwraps: plain code gets `.root` too.
    unwrapped = bench._reader(Wrapped, True)(b'[{"id": "y"}]')
    assert unwrapped == [Result(id="y")]
    assert bench._reader(list[int], False)(b"[1, 2]") == [1, 2]
    other = httpx.Request("POST", sent.url, headers=sent.headers, content=b"{}")
    assert bench._same_request(sent, other) == "another JSON body"
    moved = httpx.Request("PUT", sent.url, headers=sent.headers, content=sent.content)
    assert "instead of POST" in (bench._same_request(sent, moved) or "")


def test_the_overhead_target_is_judged_on_the_ratio_shown() -> None:
    bench = _bench()
    judge = bench.overhead_target
    assert judge(MINI, bench.Overhead(1.204, "d")).met == "✓"  # shown 1.20
    assert judge(MINI, bench.Overhead(1.206, "d")) == bench.Target(
        "openapi.yaml",
        "per call on a mock transport, generated `Client` / plain httpx + pydantic",
        "1.21x",
        "≤ 1.20x",
        "✗",
    )
    failed = judge(MINI, bench.Overhead(None, "n/a (the measurement failed: x)"))
    assert (failed.measured, failed.met) == ("n/a (the measurement failed: x)", "—")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("spec", "operation"),
    [("qovery-jobs.yaml", "create_job"), ("northflank-jobs.yaml", "run_job")],
)
def test_the_curated_operations_are_measured_with_their_bodies(
    tmp_path: Path, spec: str, operation: str
) -> None:
    bench = _bench()
    out = tmp_path / "out"
    run = bench.measure(bench.specgen_command(REPO_ROOT / "specs" / spec, out))
    assert run.ok, run.error
    overhead = bench.call_cost(out)
    assert overhead.ratio is not None, overhead.detail
    assert overhead.detail.startswith(f"`{operation}`: generated `Client` ")
    assert "plain httpx + pydantic" in overhead.detail
    assert f"best of {bench.CALL_ROUNDS} rounds" in overhead.detail
