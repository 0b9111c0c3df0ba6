"""Benchmark specgen against its peers, in one run on one machine.

For each spec: median wall time, CPU time (user plus system, of the whole
process tree) and peak memory (GNU time) of each generator, the peers taking
turns, and the ratios specgen/peer computed from this same run; plus the
import time of specgen's generated package, the per-call overhead of its client
against plain httpx + pydantic on a mock transport, the cost of regenerating
after one schema changed, and of regenerating when nothing changed. A "Targets"
table puts each target next to its measured number, with ✓ or ✗. Writes
markdown (default bench/RESULTS.md). When a generator fails (a non-zero exit
in any run), the table marks it, a "Failures" section says which run failed
and why, and the script exits 1.

`specgen` formats with ruff (`--formatter ruff`); `specgen-black` is the same
run with `--formatter black`, its own row, left out of the default peers because
it is several times slower on the corpus. Peers are installed on first use into
bench/.peers, a venv: openapi-python-client, datamodel-code-generator, and the
PyPI `openapi-generator-cli`, which bundles openapi-generator's jar (it needs
Java). Usage:

    .venv/bin/python bench/run.py                  # default peers, 3 runs each
    .venv/bin/python bench/run.py --peers specgen specgen-black openapi-python-client
    .venv/bin/python bench/run.py --peers specgen --specs specs/northflank-jobs.yaml \\
        --repeat 1 --output /tmp/RESULTS.md        # quick: specgen alone, one run
    .venv/bin/python bench/run.py --overhead-only  # per-call overhead only, printed

The per-call overhead replays the first operation of the generated tests that
returns a JSON body, with its sample arguments (a body model included), against
plain httpx + pydantic doing the same request: the same method, URL and headers,
the body dumped from the same model by `model_dump_json`, the same mock
transport, the response parsed by the same model's `model_validate_json`. Both
ways take turns, round by round; the best round of each counts.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import importlib
import importlib.util
import json
import operator
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, cast

import httpx
import yaml
from pydantic import BaseModel, TypeAdapter
from pydantic_core import to_json

from generator.loading.loader import load_spec
from generator.problems import SpecError

ROOT = Path(__file__).resolve().parents[1]
PEERS_VENV = ROOT / "bench" / ".peers"
CORPUS = ROOT / "tests" / "data" / "corpus" / "qovery-openapi.yaml"
"""Qovery's published OpenAPI document, vendored (see tests/data/README.md)."""
CURATED = [ROOT / "specs" / "qovery-jobs.yaml", ROOT / "specs" / "northflank-jobs.yaml"]
DEFAULT_SPECS = [*CURATED, CORPUS]
ALL_PEERS = [
    "specgen",
    "specgen-black",
    "openapi-python-client",
    "datamodel-codegen",
    "openapi-generator",
]
DEFAULT_PEERS = [peer for peer in ALL_PEERS if peer != "specgen-black"]
"""specgen-black is opt-in: black takes about 20 s on the corpus, ruff about 4 s."""
PACKAGE = "bench_pkg"

CORPUS_WALL_RATIO = 0.5
"""Target: specgen / openapi-python-client wall time on the corpus, at most."""
CURATED_WALL_RATIO = 0.8
"""Target: the same ratio on every other spec (the curated ones), at most."""
ONE_SCHEMA_SECONDS = 1.5
"""Target: regenerating after one schema's description changed, under."""
UNCHANGED_SECONDS = 0.3
"""Target: regenerating an up-to-date output, under."""

CALL_WARMUP, CALL_ROUNDS, CALL_BATCH = 200, 40, 100
"""Per-call timing: calls before timing, then rounds of a batch each per side,
interleaved; the best round counts (many short rounds: the best of them is the
least disturbed by whatever else the machine runs)."""
CALL_OVERHEAD_RATIO = 1.2
"""Target: the generated client's time per call / plain httpx + pydantic's, at most."""
SUCCESS_STATUSES = (200, 201, 202, 203, 206)
"""Tried in turn for the canned response: the bench does not know which success
status an operation documents."""
MOCK_BASE_URL = "https://bench.invalid/api"
UP_TO_DATE = "(up to date)"
"""What `specgen generate` prints for a target it did not regenerate."""
EDIT_MARKER = "specgen-bench-edit"
"""Appended (with a run number) to the description of the schema the benchmark
changes; one word, so no wrapping in the generated docstring can split it."""

PEER_PACKAGES = [
    "openapi-python-client",
    "datamodel-code-generator[http]",
    "openapi-generator-cli",
    "urllib3",
    "python-dateutil",
    "typing-extensions",
]
"""The peers, and what openapi-generator's generated package needs to be imported."""


def peer_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    installed = ("installed " + " ".join(PEER_PACKAGES))[:200].replace("/", "_")
    marker = PEERS_VENV / installed
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    if not marker.exists():
        pip = [str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES]
        subprocess.run(pip, check=True)
        marker.touch()
    return python


def specgen_command(
    spec: Path, out: Path, *, formatter: str = "ruff", force: bool = True
) -> list[str]:
    """`specgen generate` of `spec` into `out`; with `force`, even when up to date."""
    cmd = [sys.executable, "-m", "generator", "generate", "--spec", str(spec)]
    cmd += ["--package", PACKAGE, "--output", str(out), "--formatter", formatter]
    return [*cmd, "--force"] if force else cmd


def command(peer: str, spec: Path, out: Path) -> list[str]:
    if peer == "specgen":
        return specgen_command(spec, out)
    if peer == "specgen-black":
        return specgen_command(spec, out, formatter="black")
    bin_dir = peer_python().parent
    if peer == "openapi-python-client":
        cmd = [str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec)]
        return [*cmd, "--output-path", str(out), "--overwrite"]
    if peer == "datamodel-codegen":
        out.mkdir(parents=True, exist_ok=True)
        cmd = [str(bin_dir / "datamodel-codegen"), "--input", str(spec)]
        cmd += ["--input-file-type", "openapi"]
        cmd += ["--output-model-type", "pydantic_v2.BaseModel"]
        return [*cmd, "--output", str(out / "models.py")]
    if peer == "openapi-generator":
        cmd = [str(bin_dir / "openapi-generator-cli"), "generate", "-i", str(spec)]
        return [*cmd, "-g", "python", "-o", str(out)]
    raise ValueError(peer)


class Run(NamedTuple):
    """One timed run of a generator."""

    wall: float
    peak: int
    """Peak RSS in MB (GNU time: of the largest single process), 0 when unknown."""
    cpu: float
    """User plus system seconds of the whole process tree (GNU time), 0 when unknown."""
    ok: bool
    error: str = ""
    """When the run failed: its exit status and the last lines of its stderr
    (GNU time's own lines left out)."""
    stdout: str = ""


ERROR_LINES = 5
"""How many of a failed run's last stderr lines the report quotes."""


def _error(returncode: int, stderr: list[str]) -> str:
    timer_says = "Command exited with non-zero status"
    lines = [
        line.strip()
        for line in stderr
        if line.strip() and not line.startswith(timer_says)
    ]
    quoted = ": " + " / ".join(lines[-ERROR_LINES:]) if lines else " (no stderr)"
    return f"exit status {returncode}{quoted}"


def _peer_environment() -> dict[str, str]:
    """The environment a user's run has: the peers' venv `bin` on PATH, as in an
    activated venv or `pipx install --include-deps` (what openapi-python-client's
    README says). Without it, openapi-python-client skips its ruff post-hooks
    ("ruff is not in PATH") and its output is left unformatted."""
    bin_dir = str(PEERS_VENV / "bin")
    return {
        **os.environ,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
    }


def measure(cmd: list[str]) -> Run:
    has_timer = Path("/usr/bin/time").exists()
    timer = ["/usr/bin/time", "-f", "%M %U %S"] if has_timer else []
    started = time.perf_counter()
    result = subprocess.run(
        [*timer, *cmd],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=_peer_environment(),
    )
    elapsed = time.perf_counter() - started
    stderr = result.stderr.strip().splitlines()
    last = (stderr or [""])[-1].split()
    timed = bool(timer) and len(last) == 3 and last[0].isdigit()
    ok = result.returncode == 0
    error = "" if ok else _error(result.returncode, stderr[:-1] if timed else stderr)
    if timed:
        peak, cpu = int(last[0]) // 1024, float(last[1]) + float(last[2])
        return Run(elapsed, peak, cpu, ok, error, result.stdout)
    return Run(elapsed, 0, 0.0, ok, error, result.stdout)


def failures(spec: Path, runs: dict[str, list[Run]]) -> list[str]:
    """One line per generator with a failed run on `spec`: how many runs failed,
    and the first failure's error."""
    lines = []
    for peer, peer_runs in runs.items():
        failed = [run for run in peer_runs if not run.ok]
        if failed:
            lines.append(
                f"{spec.name}: {peer} failed in {len(failed)} of {len(peer_runs)} "
                f"runs ({failed[0].error})"
            )
    return lines


class Summary(NamedTuple):
    """A generator's runs on one spec: median wall and CPU, the highest peak."""

    wall: float
    cpu: float
    peak: int
    ok: bool
    """Every run succeeded."""


def summarise(runs: list[Run]) -> Summary:
    return Summary(
        statistics.median(run.wall for run in runs),
        statistics.median(run.cpu for run in runs),
        max(run.peak for run in runs),
        all(run.ok for run in runs),
    )


def run_peers(
    spec: Path, peers: list[str], repeat: int, scratch: Path
) -> dict[str, list[Run]]:
    """`repeat` runs of each peer on `spec`, into `scratch/<spec stem>-<peer>-<run>`.

    The peers take turns (each one's first run, then each one's second...), so
    a machine that gets busier or quieter during the benchmark weighs on all alike.
    """
    runs: dict[str, list[Run]] = {peer: [] for peer in peers}
    for run in range(repeat):
        for peer in peers:
            out = scratch / f"{spec.stem}-{peer}-{run}"
            runs[peer].append(measure(command(peer, spec, out)))
    return runs


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else ""


TABLE_HEAD = [
    "| spec | generator | median wall (s) | median CPU (s) | peak memory (MB) "
    "| specgen / peer, wall | specgen / peer, CPU |",
    "|---|---|---|---|---|---|---|",
]


def peer_rows(spec: Path, summaries: dict[str, Summary]) -> list[str]:
    """One table row per peer: median wall time, CPU time and peak memory, and
    specgen's times relative to it; a peer with a failed run is marked "(failed)"."""
    ours = summaries.get("specgen")
    rows = []
    for peer, summary in summaries.items():
        ratios = " | "
        if ours is not None and peer != "specgen":
            wall, cpu = _ratio(ours.wall, summary.wall), _ratio(ours.cpu, summary.cpu)
            ratios = f"{wall} | {cpu}"
        state = "" if summary.ok else " (failed)"
        rows.append(
            f"| {spec.name} | {peer}{state} | {summary.wall:.2f} | {summary.cpu:.2f} "
            f"| {summary.peak} | {ratios} |"
        )
    return rows


class Target(NamedTuple):
    """One line of the targets table."""

    spec: str
    measure: str
    measured: str
    target: str
    met: str
    """✓, ✗, or — when it could not be judged (not measured, or a peer failed)."""


TARGETS_HEAD = [
    "| spec | measure | measured | target | met |",
    "|---|---|---|---|---|",
]


def target_row(target: Target) -> str:
    return "| " + " | ".join(target) + " |"


def _met(ok: bool) -> str:
    return "✓" if ok else "✗"


def _not_judged(summaries: dict[str, Summary], peers: tuple[str, ...]) -> str | None:
    """Why `peers` cannot be compared on this spec, or None when they can."""
    missing = [peer for peer in peers if peer not in summaries]
    if missing:
        return f"not measured ({', '.join(missing)} not in --peers)"
    failed = [peer for peer in peers if not summaries[peer].ok]
    if failed:
        return f"n/a ({', '.join(failed)} failed)"
    return None


def wall_ratio_target(spec: Path, summaries: dict[str, Summary]) -> Target:
    """specgen / openapi-python-client wall time, at most 0.5 on the corpus and
    0.8 elsewhere; judged on the ratio as shown (two decimals)."""
    corpus = spec.resolve() == CORPUS
    limit = CORPUS_WALL_RATIO if corpus else CURATED_WALL_RATIO
    curated = spec.resolve() in CURATED
    kind = "corpus" if corpus else "curated" if curated else "not the corpus"
    what = "wall time, specgen / openapi-python-client"
    target = f"≤ {limit:.2f}x ({kind})"
    why_not = _not_judged(summaries, ("specgen", "openapi-python-client"))
    if why_not is not None:
        return Target(spec.name, what, why_not, target, "—")
    peer = summaries["openapi-python-client"].wall
    if not peer:
        return Target(spec.name, what, "n/a (no time measured)", target, "—")
    ratio = round(summaries["specgen"].wall / peer, 2)
    return Target(spec.name, what, f"{ratio:.2f}x", target, _met(ratio <= limit))


def memory_target(spec: Path, summaries: dict[str, Summary]) -> Target:
    """specgen's peak memory at most datamodel-codegen's on the same spec."""
    what = "peak memory, specgen vs datamodel-codegen"
    target = "≤ datamodel-codegen"
    why_not = _not_judged(summaries, ("specgen", "datamodel-codegen"))
    if why_not is not None:
        return Target(spec.name, what, why_not, target, "—")
    ours, theirs = summaries["specgen"].peak, summaries["datamodel-codegen"].peak
    if not (ours and theirs):
        return Target(spec.name, what, "n/a (no GNU time)", target, "—")
    return Target(
        spec.name, what, f"{ours} MB vs {theirs} MB", target, _met(ours <= theirs)
    )


class Timed(NamedTuple):
    """A specgen-only measurement: seconds (None when it could not be taken),
    and what the report says about it."""

    seconds: float | None
    detail: str


def seconds_target(spec: Path, what: str, timed: Timed, limit: float) -> Target:
    """`timed` against `limit` seconds, judged on the time as shown (two decimals)."""
    target = f"< {limit} s"
    if timed.seconds is None:
        return Target(spec.name, what, timed.detail, target, "—")
    seconds = round(timed.seconds, 2)
    return Target(spec.name, what, f"{seconds:.2f} s", target, _met(seconds < limit))


def _best_of_three(cmd: list[str], cwd: Path) -> float | None:
    """Best wall time of `cmd` over three runs, after one untimed run that compiles
    bytecode (pip does it at install time), whatever PYTHONDONTWRITEBYTECODE says;
    None when it fails."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    first = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    if first.returncode != 0:
        return None
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def import_cost(package_dir: Path) -> str:
    """Import time of the generated package (and with a client made), next to the
    same steps without us."""
    floor_code = "import httpx; from pydantic import BaseModel"

    def best(code: str) -> str:
        return _seconds(_best_of_three([sys.executable, "-c", code], package_dir))

    package = best(f"import {PACKAGE}")
    client = best(f"import {PACKAGE}; {PACKAGE}.Client()")
    floor = best(floor_code)
    floor_client = best(f"{floor_code}; httpx.Client()")
    return (
        f"{package}, {client} with `Client()` (the floor: `{floor_code}` {floor}, "
        f"{floor_client} with `httpx.Client()`; bytecode compiled, best of 3)"
    )


def _seconds(elapsed: float | None) -> str:
    return "n/a (failed)" if elapsed is None else f"{elapsed:.2f} s"


class Overhead(NamedTuple):
    """The per-call measurement: client time / plain time (None when it could
    not be taken), and what the report says about it."""

    ratio: float | None
    detail: str


def call_cost(package_dir: Path) -> Overhead:
    """Per-call cost of the generated client against plain httpx + pydantic,
    measured in a child process.

    A child, because every spec's package is named `bench_pkg` and only one can
    be imported per process.
    """
    child = [sys.executable, str(Path(__file__).resolve())]
    child += ["--call-overhead", str(package_dir)]
    result = subprocess.run(
        child, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return Overhead(None, f"n/a (the measurement failed: {reason})")
    timings = json.loads(result.stdout)
    if not timings:
        return Overhead(None, "n/a (no operation with a JSON success response)")
    client, plain = timings["client_us"], timings["plain_us"]
    calls = f"best of {CALL_ROUNDS} rounds of {CALL_BATCH} calls, interleaved"
    return Overhead(
        client / plain,
        f"`{timings['operation']}`: generated `Client` {client:.1f} µs/call, "
        f"plain httpx + pydantic {plain:.1f} µs/call, "
        f"overhead ×{client / plain:.2f} ({calls})",
    )


def overhead_target(spec: Path, overhead: Overhead) -> Target:
    """The per-call ratio against `CALL_OVERHEAD_RATIO`, judged as shown (two
    decimals)."""
    what = "per call on a mock transport, generated `Client` / plain httpx + pydantic"
    target = f"≤ {CALL_OVERHEAD_RATIO:.2f}x"
    if overhead.ratio is None:
        return Target(spec.name, what, overhead.detail, target, "—")
    ratio = round(overhead.ratio, 2)
    met = _met(ratio <= CALL_OVERHEAD_RATIO)
    return Target(spec.name, what, f"{ratio:.2f}x", target, met)


class _Capture:
    """Stands in for `Client` in a generated `call_<operation>` test helper, to
    keep the arguments it passes and the method's path (`jobs.create_job`, for
    an operation grouped by tag)."""

    def __init__(
        self,
        path: tuple[str, ...] = (),
        calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] | None = None,
    ) -> None:
        self.path = path
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = (
            [] if calls is None else calls
        )

    def __getattr__(self, name: str) -> _Capture:
        return _Capture((*self.path, name), self.calls)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((".".join(self.path), args, kwargs))


class _Canned:
    """A mock transport handler answering every request with the same JSON bytes;
    it keeps the last request."""

    def __init__(self, status: int, body: object) -> None:
        self.status = status
        self.content = json.dumps(body).encode("utf-8")
        self.last: httpx.Request | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.last = request
        headers = {"Content-Type": "application/json"}
        return httpx.Response(self.status, content=self.content, headers=headers)


@dataclass(frozen=True)
class _Replay:
    """One operation ready to time both ways: through the generated client and
    with plain httpx + pydantic."""

    operation: str
    through_client: Callable[[], object]
    plain: Callable[[], object]


def _load_file(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _canned_body(
    helpers: ModuleType, operation: str, target: object, cases: list[dict[str, Any]]
) -> object | None:
    """The generated tests' example response, else the package's maximal valid
    instance of the response model."""
    method = operation.rpartition(".")[2]
    example = getattr(helpers, f"RESULT_{method.upper()}", None)
    if example is not None or not (
        isinstance(target, type) and issubclass(target, BaseModel)
    ):
        return example
    valid = [c for c in cases if c["valid"] and c["model"] == target.__name__]
    valid.sort(key=lambda case: case["rule"] != "maximal")
    return valid[0]["instance"] if valid else None


def _dumped(body: object) -> bytes | None:
    """A request body as plain pydantic code writes it: a model by its own
    `model_dump_json` (by alias, the fields set), anything else by pydantic-core."""
    if body is None:
        return None
    if isinstance(body, BaseModel):
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    return to_json(body)


def _plain_call(
    handler: _Canned,
    sent: httpx.Request,
    body: object,
    read: Callable[[bytes], object],
) -> Callable[[], object]:
    """The request the client sent, made with plain httpx: the same method, URL
    and headers, the JSON body dumped from the same model on each call, through
    the same mock transport; the response's bytes parsed by `read`."""
    skipped = ("host", "content-length")
    headers = {k: v for k, v in sent.headers.items() if k not in skipped}
    method, url = sent.method, sent.url
    http = httpx.Client(transport=httpx.MockTransport(handler))

    def plain() -> object:
        response = http.request(method, url, headers=headers, content=_dumped(body))
        return read(response.content)

    return plain


def _reader(target: Any, unwrap: bool) -> Callable[[bytes], object]:
    """How plain code parses a response as `target`: a model by its own
    `model_validate_json` (`.root` of a RootModel the client unwraps), any other
    type by a TypeAdapter made once."""
    if isinstance(target, type) and issubclass(target, BaseModel):
        model: type[BaseModel] = target
        if unwrap:
            return lambda content: cast(Any, model.model_validate_json(content)).root
        return model.model_validate_json
    return TypeAdapter(target).validate_json


def _same_request(sent: httpx.Request, again: httpx.Request) -> str | None:
    """What differs between the client's request and the plain one, or None."""
    if (sent.method, sent.url) != (again.method, again.url):
        return f"{again.method} {again.url} instead of {sent.method} {sent.url}"
    ours, theirs = dict(sent.headers), dict(again.headers)
    if {k: v for k, v in ours.items() if k != "content-length"} != {
        k: v for k, v in theirs.items() if k != "content-length"
    }:
        return f"headers {theirs} instead of {ours}"
    if (json.loads(sent.content) if sent.content else None) != (
        json.loads(again.content) if again.content else None
    ):
        return "another JSON body"
    return None


class _BenchCredential:
    """A credential for the operations that need one: the mock transport checks none."""

    def apply(self, headers: dict[str, str], params: dict[str, str]) -> None:
        headers["Authorization"] = "Bearer bench"


def _replay(
    package: ModuleType,
    operation: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    canned: object,
    read: Callable[[bytes], object],
) -> _Replay | None:
    """`operation` with a `canned` response at the first success status the
    client accepts, or None.

    Raises:
        AssertionError: when the plain request differs from the client's (then
            the two would not be doing the same work).
    """
    for status in SUCCESS_STATUSES:
        handler = _Canned(status, canned)
        transport = httpx.MockTransport(handler)
        client = package.Client(
            base_url=MOCK_BASE_URL,
            auth=_BenchCredential(),
            http_client=httpx.Client(transport=transport),
        )
        method = operator.attrgetter(operation)(client)
        call = functools.partial(method, *args, **kwargs)
        try:
            call()
        except Exception:  # noqa: BLE001 - a probe: this status does not fit
            continue
        sent = handler.last
        assert sent is not None
        plain = _plain_call(handler, sent, kwargs.get("body"), read)
        plain()
        assert handler.last is not None
        differs = _same_request(sent, handler.last)
        assert differs is None, f"the plain request is not the client's: {differs}"
        return _Replay(operation, call, plain)
    return None


def _success(
    operations: ModuleType, models: ModuleType, operation: str
) -> tuple[Any, bool] | None:
    """The type a success body of `operation` is parsed as, and whether callers
    get its `.root`, read from its `_operations` endpoint; None when no success
    has a body."""
    name = operation.rpartition(".")[2].upper()
    endpoint = getattr(operations, name, None) or getattr(operations, name + "_")
    success = next((o for o in endpoint.outcomes if o.success), None)
    if success is None or success.body is None or success.kind != "json":
        return None
    return success.body(models), success.unwrap


def first_replay(package_dir: Path) -> _Replay | None:
    """The first operation, in the generated tests' order, that returns a parsed
    JSON body from a canned response.

    The arguments come from the generated `call_<operation>` test helpers, so any
    spec works without knowing its parameters; they are captured once, so
    building them is not timed.
    """
    sys.path.insert(0, str(package_dir))
    package = importlib.import_module(PACKAGE)
    operations = importlib.import_module(f"{PACKAGE}._operations")
    models = importlib.import_module(f"{PACKAGE}.models")
    tests = package_dir / "tests"
    sys.path.insert(0, str(tests))  # the tests import their samples from `conftest`
    helpers = _load_file(tests / "test_client.py", f"{PACKAGE}_test_client")
    cases_file = tests / "validation_cases.json"
    cases: list[dict[str, Any]] = json.loads(cases_file.read_text("utf-8"))["cases"]
    for name, helper in vars(helpers).items():
        if not name.startswith("call_") or not callable(helper):
            continue
        capture = _Capture()
        helper(capture)
        if len(capture.calls) != 1:
            continue
        operation, args, kwargs = capture.calls[0]
        success = _success(operations, models, operation)
        if success is None:
            continue
        target, unwrap = success
        result = target.model_fields["root"].annotation if unwrap else target
        canned = _canned_body(helpers, operation, result, cases)
        if canned is None:
            continue
        read = _reader(target, unwrap)
        replay = _replay(package, operation, args, kwargs, canned, read)
        if replay is not None:
            return replay
    return None


def _best_per_call(replay: _Replay) -> tuple[float, float]:
    """Best µs/call of each way, over rounds interleaved so both see the same
    machine state."""
    for _ in range(CALL_WARMUP):
        replay.through_client()
        replay.plain()
    best = {"client": float("inf"), "plain": float("inf")}
    ways = (("client", replay.through_client), ("plain", replay.plain))
    for _ in range(CALL_ROUNDS):
        for way, call in ways:
            started = time.perf_counter()
            for _ in range(CALL_BATCH):
                call()
            per_call = (time.perf_counter() - started) / CALL_BATCH * 1e6
            best[way] = min(best[way], per_call)
    return best["client"], best["plain"]


def call_overhead_child(package_dir: Path) -> None:
    """Print the per-call timings of the package in `package_dir` as JSON
    (`{}` when no operation fits)."""
    replay = first_replay(package_dir)
    if replay is None:
        print(json.dumps({}))
        return
    client, plain = _best_per_call(replay)
    timings = {"operation": replay.operation, "client_us": client, "plain_us": plain}
    print(json.dumps(timings))


def edited_schema(document: dict[str, Any]) -> str | None:
    """The schema the benchmark edits: the first component schema that is not a
    bare `$ref`; None when there is none."""
    schemas = document.get("components", {}).get("schemas", {})
    return next(
        (k for k, s in schemas.items() if isinstance(s, dict) and "$ref" not in s),
        None,
    )


def edit_one_schema(document: dict[str, Any], run: int) -> str | None:
    """Change the description of `edited_schema(document)`, in place: its own
    description followed by `EDIT_MARKER-<run>` (an earlier run's marker
    replaced), so each run differs from the one before in that one string.
    Returns the schema's name, None when there is none to edit."""
    name = edited_schema(document)
    if name is None:
        return None
    schema = document["components"]["schemas"][name]
    original = re.sub(rf"\s*{EDIT_MARKER}-\d+$", "", schema.get("description", ""))
    schema["description"] = f"{original} {EDIT_MARKER}-{run}".lstrip()
    return name


def _write_spec(path: Path, document: dict[str, Any]) -> None:
    """`document` as JSON for a `.json` path, else as YAML (block style, as the
    specs here are written)."""
    text = json.dumps(document, ensure_ascii=False)
    if path.suffix != ".json":  # through JSON: the loader's keys are str subclasses
        plain = json.loads(text)
        text = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def _package_mentions(out: Path, text: str) -> bool:
    return any(
        text in path.read_text(encoding="utf-8")
        for path in (out / PACKAGE).rglob("*.py")
    )


def schema_change_cost(spec: Path, work: Path, repeat: int) -> tuple[str | None, Timed]:
    """Regenerating after one schema's `description` changed: the spec's
    self-contained (bundled) copy in `work` generated once, untimed; then
    `repeat` times one edit (see `edit_one_schema`) and a timed `specgen
    generate` without `--force`, as after a user's edit. Each timed run must
    regenerate: not say up to date, and the new description must be in the
    package. Returns the schema's name and the median wall time."""
    try:
        document = load_spec(spec).document
    except SpecError:
        return None, Timed(None, "n/a (the spec does not load)")
    if edited_schema(document) is None:
        return None, Timed(None, "n/a (no component schema)")
    work.mkdir(parents=True)
    copy, out = work / spec.name, work / "out"
    _write_spec(copy, document)
    cmd = specgen_command(copy, out, force=False)
    first = measure(cmd)
    if not first.ok:
        return None, Timed(None, f"n/a (generation failed: {first.error})")
    times = []
    for run in range(1, repeat + 1):
        name = edit_one_schema(document, run)
        _write_spec(copy, document)
        result = measure(cmd)
        if not result.ok:
            return name, Timed(None, f"n/a (generation failed: {result.error})")
        if UP_TO_DATE in result.stdout:
            return name, Timed(None, "n/a (reported up to date after the edit)")
        if not _package_mentions(out, f"{EDIT_MARKER}-{run}"):
            return name, Timed(None, "n/a (the edit is not in the regenerated package)")
        times.append(result.wall)
    seconds = statistics.median(times)
    runs = f"median of {repeat} runs, each after a new edit" if repeat > 1 else "1 run"
    return name, Timed(
        seconds,
        f"`description` of `{name}` changed: regenerated in {seconds:.2f} s "
        f"(without `--force`, as after an edit; {runs}; checked in the package)",
    )


def unchanged_cost(spec: Path, work: Path, repeat: int) -> Timed:
    """Regenerating when nothing changed: the output's manifest says it is up to
    date, and nothing is rendered or written. Median of `repeat` runs after one
    untimed generation; every run must say up to date."""
    cmd = specgen_command(spec, work / "out", force=False)
    first = measure(cmd)
    if not first.ok:
        return Timed(None, f"n/a (generation failed: {first.error})")
    runs = [measure(cmd) for _ in range(repeat)]
    failed = next((run for run in runs if not run.ok), None)
    if failed is not None:
        return Timed(None, f"n/a (generation failed: {failed.error})")
    stale = next((run for run in runs if UP_TO_DATE not in run.stdout), None)
    if stale is not None:
        return Timed(None, f"n/a (not reported up to date: {stale.stdout[-200:]!r})")
    seconds = statistics.median(run.wall for run in runs)
    runs_said = f"median of {repeat} runs" if repeat > 1 else "1 run"
    return Timed(
        seconds,
        f"regenerated in {seconds:.2f} s (reported up to date: only the inputs are "
        f"hashed; {runs_said})",
    )


def peer_import_costs(spec: Path, peers: list[str], scratch: Path) -> str:
    """Import time of the packages openapi-python-client and openapi-generator
    wrote, in their venv."""
    costs = []
    for peer in ("openapi-python-client", "openapi-generator"):
        out = scratch / f"{spec.stem}-{peer}-0"
        if peer not in peers or not out.is_dir():
            continue
        package = next(
            (
                d.name
                for d in sorted(out.iterdir())
                if (d / "__init__.py").is_file() and d.name not in ("test", "tests")
            ),
            None,
        )
        if package is None:
            costs.append(f"{peer} n/a (no package written)")
            continue
        elapsed = _best_of_three([str(peer_python()), "-c", f"import {package}"], out)
        if elapsed is None:
            costs.append(f"{peer} n/a (`import {package}` failed)")
            continue
        costs.append(f"{peer} {_seconds(elapsed)}")
    return ", ".join(costs)


def specgen_report(
    spec: Path, peers: list[str], repeat: int, scratch: Path
) -> tuple[list[str], list[Target]]:
    """Import, per-call, one-schema-change and no-change costs of specgen's
    package for `spec` (bullets), and the last three against their targets;
    nothing when specgen did not run or wrote no package."""
    package_dir = scratch / f"{spec.stem}-specgen-0"
    if "specgen" not in peers or not (package_dir / PACKAGE).is_dir():
        return [], []
    others = peer_import_costs(spec, peers, scratch)
    imports = import_cost(package_dir)
    if others:
        imports += f"; `import` of peers' packages: {others}"
    work = scratch / f"{spec.stem}-one-schema"
    name, changed = schema_change_cost(spec, work, repeat)
    unchanged = unchanged_cost(spec, scratch / f"{spec.stem}-unchanged", repeat)
    overhead = call_cost(package_dir)
    bullets = [
        f"- {spec.name}: `import` of the generated package: {imports}",
        f"- {spec.name}: per call on a mock transport: {overhead.detail}",
        f"- {spec.name}: one schema changed: {changed.detail}",
        f"- {spec.name}: nothing changed: {unchanged.detail}",
    ]
    what = f"one schema changed (`{name}`), wall" if name else "one schema changed"
    targets = [
        seconds_target(spec, what, changed, ONE_SCHEMA_SECONDS),
        seconds_target(spec, "nothing changed, wall", unchanged, UNCHANGED_SECONDS),
        overhead_target(spec, overhead),
    ]
    return bullets, targets


def compile_specgen() -> None:
    """Compile specgen's bytecode first, as pip did for every peer it installed.

    specgen runs from this checkout (an editable install); where
    PYTHONDONTWRITEBYTECODE is set, it would otherwise compile its own
    modules again on every run (about 40 ms).
    """
    compileall.compile_dir(ROOT / "generator", quiet=1)


def revision() -> str:
    """The commit measured, and whether the working tree had changes."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        return "an unknown commit"
    status = subprocess.run(
        [*git, "status", "--porcelain", "--", "generator", "templates"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = " (generator/ or templates/ with uncommitted changes)"
    return f"`{head.stdout.strip()}`" + (dirty if status.stdout.strip() else "")


INTRODUCTION = """\
# Benchmark results

Measured by `bench/run.py` in one run on one machine (every generator's bytecode
compiled beforehand). Commit: {revision}.

Peers: {peers}; {repeat} run(s) each, taking turns; ratios are from this same
run. Peak memory is GNU time's maximum RSS, of the largest single process; CPU is
of the whole process tree. `specgen` formats with ruff{black}. The time targets,
set for the corpus, are judged on every spec.
"""


def report(
    rows: list[str],
    targets: list[Target],
    bullets: list[str],
    failed: list[str],
    intro: str,
) -> str:
    text = intro + "\n" + "\n".join([*TABLE_HEAD, *rows]) + "\n"
    if targets:
        target_rows = [target_row(target) for target in targets]
        text += "\n## Targets\n\n" + "\n".join([*TARGETS_HEAD, *target_rows]) + "\n"
    if bullets:
        text += "\n## specgen's package\n\n" + "\n".join(bullets) + "\n"
    if failed:
        listed = "\n".join(f"- {line}" for line in failed)
        text += (
            "\n## Failures\n\nThe timings of a failed generator are not comparable."
            f"\n\n{listed}\n"
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", nargs="+", type=Path, default=DEFAULT_SPECS)
    parser.add_argument(
        "--peers",
        nargs="+",
        choices=ALL_PEERS,
        default=DEFAULT_PEERS,
        help=f"default: {' '.join(DEFAULT_PEERS)}",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--overhead-only",
        action="store_true",
        help="only the per-call overhead of specgen's client, printed, not written",
    )
    parser.add_argument("--call-overhead", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.call_overhead:
        call_overhead_child(args.call_overhead)
        return
    if args.overhead_only:
        sys.exit(overhead_only(args.specs))
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    peers = list(dict.fromkeys(args.peers))
    compile_specgen()
    rows: list[str] = []
    targets: list[Target] = []
    bullets: list[str] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch:
        for spec in args.specs:
            runs = run_peers(spec, peers, args.repeat, Path(scratch))
            summaries = {peer: summarise(peer_runs) for peer, peer_runs in runs.items()}
            rows += peer_rows(spec, summaries)
            failed += failures(spec, runs)
            spec_bullets, timed = specgen_report(
                spec, peers, args.repeat, Path(scratch)
            )
            if "specgen" in peers:
                targets += [wall_ratio_target(spec, summaries)]
                targets += [memory_target(spec, summaries), *timed]
            bullets += spec_bullets
    black = "; `specgen-black` is the same run with `--formatter black`"
    intro = INTRODUCTION.format(
        revision=revision(),
        peers=", ".join(f"`{peer}`" for peer in peers),
        repeat=args.repeat,
        black=black if "specgen-black" in peers else "",
    )
    text = report(rows, targets, bullets, failed, intro)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    sys.exit(exit_status(failed))


def overhead_only(specs: list[Path]) -> int:
    """Print the per-call overhead of specgen's package for each spec (its bullet
    and its target row, as the full report has them), generated here; 1 when a
    spec could not be generated."""
    bullets: list[str] = []
    targets: list[Target] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch:
        for spec in specs:
            out = Path(scratch) / f"{spec.stem}-specgen-0"
            run = measure(specgen_command(spec, out))
            if not run.ok:
                failed.append(f"{spec.name}: specgen failed ({run.error})")
                continue
            overhead = call_cost(out)
            bullets.append(
                f"- {spec.name}: per call on a mock transport: {overhead.detail}"
            )
            targets.append(overhead_target(spec, overhead))
    rows = [target_row(target) for target in targets]
    print("\n".join([*TARGETS_HEAD, *rows, "", *bullets]))
    return exit_status(failed)


def exit_status(failed: list[str]) -> int:
    """1 when any generator failed (each failure then said on stderr), else 0."""
    for line in failed:
        print(f"bench/run.py: FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    main()
