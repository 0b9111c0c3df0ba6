"""Benchmark specgen against its peers, in one run on one machine.

For each spec: median wall time, CPU time (user plus system, of the whole
process tree) and peak memory (GNU time) of each generator, the peers taking
turns, and the ratios specgen/peer; plus the import time of specgen's generated
package, the per-call overhead of its client against plain httpx + pydantic
on a mock transport, and the cost of regenerating, with a warm format cache,
after one schema changed. Writes a markdown table (default bench/RESULTS.md).
When a generator fails (a non-zero exit in any run), the table marks it, a
"Failures" section says which run failed and why, and the script exits 1.

Peers are installed on first use into bench/.peers, a venv: openapi-python-client,
datamodel-code-generator, and the PyPI `openapi-generator-cli`, which bundles
openapi-generator's jar (it needs Java). Usage:

    .venv/bin/python bench/run.py                      # everything, 3 runs each
    .venv/bin/python bench/run.py --peers specgen --specs tests/fixtures/mini/openapi.yaml --repeat 1
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import httpx
from pydantic import BaseModel, TypeAdapter

from generator.loading.loader import load_spec
from generator.problems import SpecError

ROOT = Path(__file__).resolve().parents[1]
PEERS_VENV = ROOT / "bench" / ".peers"
CORPUS = ROOT / "tests" / "data" / "corpus" / "qovery-openapi.yaml"
"""Qovery's published OpenAPI document, vendored for the tests (see tests/data/README.md)."""
DEFAULT_SPECS = [ROOT / "specs" / "qovery-jobs.yaml", ROOT / "specs" / "northflank-jobs.yaml", CORPUS]
ALL_PEERS = ["specgen", "specgen-warm", "openapi-python-client", "datamodel-codegen", "openapi-generator"]
PACKAGE = "bench_pkg"

CALL_WARMUP, CALL_ROUNDS, CALL_BATCH = 200, 5, 400
"""Per-call timing: calls before timing, then rounds of a batch each per side, interleaved; the best round counts."""
SUCCESS_STATUSES = (200, 201, 202, 203, 206)
"""Tried in turn for the canned response: the bench does not know which success status an operation documents."""
MOCK_BASE_URL = "https://bench.invalid/api"


PEER_PACKAGES = ["openapi-python-client", "datamodel-code-generator[http]", "openapi-generator-cli", "urllib3", "python-dateutil", "typing-extensions"]
"""The peers, and what openapi-generator's generated package needs to be imported."""


def peer_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    marker = PEERS_VENV / ("installed " + " ".join(PEER_PACKAGES))[:200].replace("/", "_")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    if not marker.exists():
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
        marker.touch()
    return python


def command(peer: str, spec: Path, out: Path, cache: Path) -> tuple[list[str], dict[str, str]]:
    env = {"SPECGEN_CACHE_DIR": str(cache)}
    if peer == "specgen":
        return [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--package", PACKAGE, "--output", str(out), "--force", "--no-cache"], env
    if peer == "specgen-warm":
        return [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--package", PACKAGE, "--output", str(out), "--force"], env
    if peer == "openapi-python-client":
        return [str(peer_python().parent / "openapi-python-client"), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"], env
    if peer == "datamodel-codegen":
        out.mkdir(parents=True, exist_ok=True)
        return [str(peer_python().parent / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel", "--output", str(out / "models.py")], env
    if peer == "openapi-generator":
        return [str(peer_python().parent / "openapi-generator-cli"), "generate", "-i", str(spec), "-g", "python", "-o", str(out)], env
    raise ValueError(peer)


class Run(NamedTuple):
    """One timed run of a generator."""

    wall: float
    peak: int
    """Peak RSS in MB (GNU time), 0 when unknown."""
    cpu: float
    """User plus system seconds of the whole process tree (GNU time), 0 when unknown."""
    ok: bool
    error: str = ""
    """When the run failed: its exit status and the last lines of its stderr (GNU time's own lines left out)."""


ERROR_LINES = 5
"""How many of a failed run's last stderr lines the report quotes."""


def _error(returncode: int, stderr: list[str]) -> str:
    timer_says = "Command exited with non-zero status"
    lines = [line.strip() for line in stderr if line.strip() and not line.startswith(timer_says)]
    return f"exit status {returncode}" + (": " + " / ".join(lines[-ERROR_LINES:]) if lines else " (no stderr)")


def measure(cmd: list[str], env: dict[str, str]) -> Run:
    timer = ["/usr/bin/time", "-f", "%M %U %S"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    result = subprocess.run([*timer, *cmd], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    stderr = result.stderr.strip().splitlines()
    last = (stderr or [""])[-1].split()
    timed = bool(timer) and len(last) == 3 and last[0].isdigit()
    ok = result.returncode == 0
    error = "" if ok else _error(result.returncode, stderr[:-1] if timed else stderr)
    if timed:
        return Run(elapsed, int(last[0]) // 1024, float(last[1]) + float(last[2]), ok, error)
    return Run(elapsed, 0, 0.0, ok, error)


def failures(spec: Path, runs: dict[str, list[Run]]) -> list[str]:
    """One line per generator with a failed run on `spec`: how many runs failed, and the first failure's error."""
    lines = []
    for peer, peer_runs in runs.items():
        failed = [run for run in peer_runs if not run.ok]
        if failed:
            lines.append(f"{spec.name}: {peer} failed in {len(failed)} of {len(peer_runs)} runs ({failed[0].error})")
    return lines


def _best_of_three(cmd: list[str], cwd: Path) -> float | None:
    """Best wall time of `cmd` over three runs, after one untimed run that compiles bytecode (pip does it at install
    time), whatever PYTHONDONTWRITEBYTECODE says; None when it fails."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    if subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False).returncode != 0:
        return None
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def import_cost(package_dir: Path) -> str:
    """Import time of the generated package (and with a client made), next to the same steps without us."""
    package = _best_of_three([sys.executable, "-c", f"import {PACKAGE}"], package_dir)
    client = _best_of_three([sys.executable, "-c", f"import {PACKAGE}; {PACKAGE}.Client()"], package_dir)
    floor = _best_of_three([sys.executable, "-c", "import httpx; from pydantic import BaseModel"], package_dir)
    floor_client = _best_of_three([sys.executable, "-c", "import httpx; from pydantic import BaseModel; httpx.Client()"], package_dir)
    return (
        f"{_seconds(package)}, {_seconds(client)} with `Client()` (the floor: `import httpx; from pydantic import BaseModel` "
        f"{_seconds(floor)}, {_seconds(floor_client)} with `httpx.Client()`; bytecode compiled, best of 3)"
    )


def _seconds(elapsed: float | None) -> str:
    return "n/a (failed)" if elapsed is None else f"{elapsed:.2f} s"


def call_cost(package_dir: Path) -> str:
    """Per-call cost of the generated client against plain httpx + pydantic, measured in a child process.

    A child, because every spec's package is named `bench_pkg` and only one can be imported per process.
    """
    child = [sys.executable, str(Path(__file__).resolve()), "--call-overhead", str(package_dir)]
    result = subprocess.run(child, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"n/a (the measurement failed: {reason})"
    timings = json.loads(result.stdout)
    if not timings:
        return "n/a (no operation with a JSON success response to replay)"
    client, plain = timings["client_us"], timings["plain_us"]
    calls = f"best of {CALL_ROUNDS} rounds of {CALL_BATCH} calls"
    return f"`{timings['operation']}`: generated `Client` {client:.1f} µs/call, plain httpx + pydantic {plain:.1f} µs/call, overhead ×{client / plain:.2f} ({calls})"


class _Capture:
    """Stands in for `Client` in a generated `call_<operation>` test helper, to keep the arguments it passes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., None]:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args, kwargs))

        return record


class _Canned:
    """A mock transport handler answering every request with the same JSON bytes; it keeps the last request."""

    def __init__(self, status: int, body: object) -> None:
        self.status = status
        self.content = json.dumps(body).encode("utf-8")
        self.last: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.last = request
        return httpx.Response(self.status, content=self.content, headers={"Content-Type": "application/json"})


@dataclass(frozen=True)
class _Replay:
    """One operation ready to time both ways: through the generated client and with plain httpx + pydantic."""

    operation: str
    through_client: Callable[[], object]
    plain: Callable[[], object]


def _load_file(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _canned_body(helpers: ModuleType, operation: str, target: object, cases: list[dict[str, Any]]) -> object | None:
    """The generated tests' example response, else the package's maximal valid instance of the response model."""
    example = getattr(helpers, f"RESULT_{operation.upper()}", None)
    if example is not None or not (isinstance(target, type) and issubclass(target, BaseModel)):
        return example
    valid = [case for case in cases if case["valid"] and case["model"] == target.__name__]
    valid.sort(key=lambda case: case["rule"] != "maximal")
    return valid[0]["instance"] if valid else None


def _replay(package: ModuleType, operation: str, args: tuple[Any, ...], kwargs: dict[str, Any], body: object, target: Any) -> _Replay | None:
    """`operation` with a canned response at the first success status the client accepts, or None."""
    for status in SUCCESS_STATUSES:
        handler = _Canned(status, body)
        client = package.Client(base_url=MOCK_BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        method = getattr(client, operation)
        try:
            result = method(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a probe: this status (or operation) does not fit, try the next
            continue
        sent = handler.last
        assert sent is not None
        headers = {key: value for key, value in sent.headers.items() if key not in ("host", "content-length", "content-type")}
        payload = json.loads(sent.content) if sent.content else None
        # A model result is validated by its own class: for a union, the branch the body is (the plain code's best case).
        validate = type(result).model_validate if isinstance(result, BaseModel) else TypeAdapter(target).validate_python
        plain_http = httpx.Client(transport=httpx.MockTransport(handler))

        def plain() -> object:
            return validate(plain_http.request(sent.method, sent.url, headers=headers, json=payload).json())

        return _Replay(operation, lambda: method(*args, **kwargs), plain)
    return None


def _result_type(operations: ModuleType, models: ModuleType, operation: str) -> Any:
    """What a call of `operation` returns, read from its `_operations` endpoint (NoneType when nothing)."""
    endpoint = getattr(operations, operation.upper(), None) or getattr(operations, operation.upper() + "_")
    success = next((outcome for outcome in endpoint.outcomes if outcome.success), None)
    if success is None or success.body is None:
        return type(None)
    target = success.body(models)
    return target.model_fields["root"].annotation if success.unwrap else target


def first_replay(package_dir: Path) -> _Replay | None:
    """The first operation, in the generated tests' order, that returns a parsed JSON body from a canned response.

    The arguments come from the generated `call_<operation>` test helpers, so any spec works without
    knowing its parameters; they are captured once, so building them is not timed.
    """
    sys.path.insert(0, str(package_dir))
    package = importlib.import_module(PACKAGE)
    operations = importlib.import_module(f"{PACKAGE}._operations")
    models = importlib.import_module(f"{PACKAGE}.models")
    helpers = _load_file(package_dir / "tests" / "test_client.py", f"{PACKAGE}_test_client")
    cases: list[dict[str, Any]] = json.loads((package_dir / "tests" / "validation_cases.json").read_text(encoding="utf-8"))["cases"]
    for name, helper in vars(helpers).items():
        if not name.startswith("call_") or not callable(helper):
            continue
        capture = _Capture()
        helper(capture)
        if len(capture.calls) != 1:
            continue
        operation, args, kwargs = capture.calls[0]
        target = _result_type(operations, models, operation)
        body = _canned_body(helpers, operation, target, cases) if target is not type(None) else None
        replay = _replay(package, operation, args, kwargs, body, target) if body is not None else None
        if replay is not None:
            return replay
    return None


def _best_per_call(replay: _Replay) -> tuple[float, float]:
    """Best µs/call of each way, over rounds interleaved so both see the same machine state."""
    for _ in range(CALL_WARMUP):
        replay.through_client()
        replay.plain()
    best = {"client": float("inf"), "plain": float("inf")}
    for _ in range(CALL_ROUNDS):
        for way, call in (("client", replay.through_client), ("plain", replay.plain)):
            started = time.perf_counter()
            for _ in range(CALL_BATCH):
                call()
            best[way] = min(best[way], (time.perf_counter() - started) / CALL_BATCH * 1e6)
    return best["client"], best["plain"]


def call_overhead_child(package_dir: Path) -> None:
    """Print the per-call timings of the package in `package_dir` as JSON (`{}` when no operation fits)."""
    replay = first_replay(package_dir)
    if replay is None:
        print(json.dumps({}))
        return
    client, plain = _best_per_call(replay)
    print(json.dumps({"operation": replay.operation, "client_us": client, "plain_us": plain}))


def _cache_entries(cache: Path) -> dict[str, int]:
    """The format cache's entries (`<cache>/<key[:2]>/<key>`, see generator/format_batch.py) and their sizes."""
    return {path.name: path.stat().st_size for path in cache.glob("*/*") if path.is_file() and "." not in path.name}


def schema_change_cost(spec: Path, work: Path) -> str:
    """Regenerating after one schema's `description` changed, with a format cache warm for the spec before.

    The cache is keyed by file content, so this shows how much of a package a local spec edit
    re-formats. Both runs read the same self-contained (bundled) copy of the spec at the same path,
    so the only difference between them is the edit. The schema is the first component schema.
    """
    try:
        document = load_spec(spec).document
    except SpecError:
        return "n/a (the spec does not load)"
    schemas = document.get("components", {}).get("schemas", {})
    name = next((key for key, schema in schemas.items() if isinstance(schema, dict) and "$ref" not in schema), None)
    if name is None:
        return "n/a (no component schema)"
    work.mkdir(parents=True)
    copy, out, cache = work / spec.name, work / "out", work / "cache"
    copy.write_text(json.dumps(document), encoding="utf-8")
    warmed = measure(*command("specgen-warm", copy, out, cache)).ok
    before = _cache_entries(cache)
    schemas[name]["description"] = f"{schemas[name].get('description', '')} (changed by the benchmark)".lstrip()
    copy.write_text(json.dumps(document), encoding="utf-8")
    elapsed, _, _, changed, _ = measure(*command("specgen-warm", copy, out, cache))
    if not (warmed and changed):
        return "n/a (generation failed)"
    created = {key: size for key, size in _cache_entries(cache).items() if key not in before}
    share = sum(created.values()) / max(sum(before.values()), 1)
    return f"`description` of `{name}` changed: regenerated in {elapsed:.2f} s, {len(created)} of {len(before)} format cache entries new (re-formatted), {share:.0%} of the formatted bytes"


def peer_rows(spec: Path, peers: list[str], repeat: int, scratch: Path, cache: Path) -> tuple[list[str], list[str]]:
    """One table row per peer: median wall time, CPU time and peak memory, and specgen's times relative to it;
    and the failures (see `failures`), a peer with a failed run being marked "(failed)" in its row.

    The peers take turns (each one's first run, then each one's second...), so
    a machine that gets busier or quieter during the benchmark weighs on all alike.
    """
    if "specgen-warm" in peers:  # `specgen` runs with --no-cache and leaves the cache cold: fill it, untimed
        measure(*command("specgen-warm", spec, scratch / f"{spec.stem}-specgen-warm-fill", cache))
    runs: dict[str, list[Run]] = {peer: [] for peer in peers}
    for run in range(repeat):
        for peer in peers:
            runs[peer].append(measure(*command(peer, spec, scratch / f"{spec.stem}-{peer}-{run}", cache)))
    rows = []
    wall = {peer: statistics.median(r.wall for r in runs[peer]) for peer in peers}
    cpu = {peer: statistics.median(r.cpu for r in runs[peer]) for peer in peers}
    for peer in peers:
        ratios = f"{wall['specgen'] / wall[peer]:.2f} | {cpu['specgen'] / cpu[peer]:.2f}" if "specgen" in wall and peer != "specgen" and cpu[peer] else " | "
        state = "" if all(r.ok for r in runs[peer]) else " (failed)"
        rows.append(f"| {spec.name} | {peer}{state} | {wall[peer]:.2f} | {cpu[peer]:.2f} | {max(r.peak for r in runs[peer])} | {ratios} |")
    return rows, failures(spec, runs)


def peer_import_costs(spec: Path, peers: list[str], scratch: Path) -> str:
    """Import time of the packages openapi-python-client and openapi-generator wrote, in their venv."""
    costs = []
    for peer in ("openapi-python-client", "openapi-generator"):
        out = scratch / f"{spec.stem}-{peer}-0"
        if peer not in peers or not out.is_dir():
            continue
        package = next((d.name for d in sorted(out.iterdir()) if (d / "__init__.py").is_file() and d.name not in ("test", "tests")), None)
        if package is None:
            costs.append(f"{peer} n/a (no package written)")
            continue
        elapsed = _best_of_three([str(peer_python()), "-c", f"import {package}"], out)
        if elapsed is None:
            costs.append(f"{peer} n/a (`import {package}` failed)")
            continue
        costs.append(f"{peer} {_seconds(elapsed)}")
    return ", ".join(costs)


def unchanged_cost(spec: Path, work: Path) -> str:
    """Regenerating when nothing changed: the output's manifest says it is up to date, and nothing is rendered or written."""
    out, cache = work / "out", work / "cache"
    cmd, env = command("specgen-warm", spec, out, cache)
    cmd = [arg for arg in cmd if arg != "--force"]
    if not measure(cmd, env).ok:
        return "n/a (generation failed)"
    runs = [measure(cmd, env) for _ in range(3)]
    said = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False).stdout
    if not all(run.ok for run in runs) or "(up to date)" not in said:
        return f"n/a (not reported up to date: {said.strip()[-200:]!r})"
    return f"regenerated in {min(run.wall for run in runs):.2f} s (up to date: only the inputs are hashed; best of 3)"


def specgen_bullets(spec: Path, peers: list[str], scratch: Path) -> list[str]:
    """Import, per-call, one-schema-change and no-change costs of specgen's package for `spec`, when specgen ran."""
    generated = [scratch / f"{spec.stem}-{peer}-0" for peer in ("specgen", "specgen-warm") if peer in peers]
    package_dir = next((path for path in generated if (path / PACKAGE).is_dir()), None)
    if package_dir is None:
        return []
    others = peer_import_costs(spec, peers, scratch)
    return [
        f"- {spec.name}: `import` of the generated package: {import_cost(package_dir)}" + (f"; `import` of peers' packages: {others}" if others else ""),
        f"- {spec.name}: per call on a mock transport: {call_cost(package_dir)}",
        f"- {spec.name}: one schema changed, warm format cache: {schema_change_cost(spec, scratch / f'{spec.stem}-one-schema')}",
        f"- {spec.name}: nothing changed: {unchanged_cost(spec, scratch / f'{spec.stem}-unchanged')}",
    ]


def compile_specgen() -> None:
    """Compile specgen's bytecode first, as pip did for every peer it installed.

    specgen runs from this checkout (an editable install); where
    PYTHONDONTWRITEBYTECODE is set, it would otherwise compile its own
    modules again on every run (about 40 ms).
    """
    compileall.compile_dir(ROOT / "generator", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", nargs="+", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--peers", nargs="+", choices=ALL_PEERS, default=ALL_PEERS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--call-overhead", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.call_overhead:
        call_overhead_child(args.call_overhead)
        return
    compile_specgen()
    rows = [
        "| spec | generator | median wall (s) | median CPU (s) | peak memory (MB) | specgen / peer, wall | specgen / peer, CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    extra: list[str] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch:
        for spec in args.specs:
            spec_rows, spec_failures = peer_rows(spec, args.peers, args.repeat, Path(scratch), Path(scratch) / "cache")
            rows += spec_rows
            failed += spec_failures
            extra += specgen_bullets(spec, args.peers, Path(scratch))
    text = "# Benchmark results\n\nMeasured by `bench/run.py` in one run on one machine (every generator's bytecode compiled beforehand).\n\n" + "\n".join(rows) + "\n\n" + "\n".join(extra) + "\n"
    if failed:
        listed = "\n".join(f"- {line}" for line in failed)
        text += f"\n## Failures\n\nThe timings of a failed generator are not comparable.\n\n{listed}\n"
    args.output.write_text(text, encoding="utf-8")
    print(text)
    sys.exit(exit_status(failed))


def exit_status(failed: list[str]) -> int:
    """1 when any generator failed (each failure then said on stderr), else 0."""
    for line in failed:
        print(f"bench/run.py: FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    main()
