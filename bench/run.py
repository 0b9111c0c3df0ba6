"""Benchmark specgen against its peers, in one run on one machine.

For each spec: median wall time and peak memory (GNU time) of each generator,
and the ratio specgen/peer; plus the import time of specgen's generated
package and the per-call overhead of its client against plain httpx + pydantic
on a mock transport. Writes a markdown table (default bench/RESULTS.md).

Peers are installed on first use into bench/.peers, a venv: openapi-python-client,
datamodel-code-generator, and the PyPI `openapi-generator-cli`, which bundles
openapi-generator's jar (it needs Java). Usage:

    .venv/bin/python bench/run.py                      # everything, 3 runs each
    .venv/bin/python bench/run.py --peers specgen --specs tests/fixtures/mini/openapi.yaml --repeat 1
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS_VENV = ROOT / "bench" / ".peers"
DEFAULT_SPECS = [ROOT / "specs" / "qovery-jobs.yaml", ROOT / "specs" / "northflank-jobs.yaml", ROOT.parent / "shared" / "corpus" / "qovery-openapi.yaml"]
ALL_PEERS = ["specgen", "specgen-warm", "openapi-python-client", "datamodel-codegen", "openapi-generator"]


def peer_python() -> Path:
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "openapi-python-client", "datamodel-code-generator[http]", "openapi-generator-cli"], check=True)
    return python


def command(peer: str, spec: Path, out: Path, cache: Path) -> tuple[list[str], dict[str, str]]:
    env = {"SPECGEN_CACHE_DIR": str(cache)}
    if peer == "specgen":
        return [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--package", "bench_pkg", "--output", str(out), "--force", "--no-cache"], env
    if peer == "specgen-warm":
        return [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--package", "bench_pkg", "--output", str(out), "--force"], env
    if peer == "openapi-python-client":
        return [str(peer_python().parent / "openapi-python-client"), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"], env
    if peer == "datamodel-codegen":
        out.mkdir(parents=True, exist_ok=True)
        return [str(peer_python().parent / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel", "--output", str(out / "models.py")], env
    if peer == "openapi-generator":
        return [str(peer_python().parent / "openapi-generator-cli"), "generate", "-i", str(spec), "-g", "python", "-o", str(out)], env
    raise ValueError(peer)


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int, bool]:
    """Wall seconds, peak RSS in MB (GNU time), success."""
    import os  # noqa: PLC0415

    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    result = subprocess.run([*timer, *cmd], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak = int(result.stderr.strip().splitlines()[-1]) // 1024 if timer and result.stderr.strip().splitlines()[-1:] and result.stderr.strip().splitlines()[-1].isdigit() else 0
    return elapsed, peak, result.returncode == 0


def import_and_call_costs(package_dir: Path) -> tuple[float, str]:
    """Import time of the generated package, and client-call vs plain-httpx overhead (µs/call)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import bench_pkg"], cwd=package_dir, check=True)
    import_time = time.perf_counter() - started
    floor_started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import httpx, pydantic"], check=True)
    floor = time.perf_counter() - floor_started
    return import_time, f"{import_time:.2f} s (httpx+pydantic alone {floor:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", nargs="+", type=Path, default=DEFAULT_SPECS)
    parser.add_argument("--peers", nargs="+", choices=ALL_PEERS, default=ALL_PEERS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    rows = ["| spec | generator | median wall (s) | peak memory (MB) | specgen / peer |", "|---|---|---|---|---|"]
    extra: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch:
        cache = Path(scratch) / "cache"
        for spec in args.specs:
            medians: dict[str, float] = {}
            for peer in args.peers:
                times, peaks, ok = [], [], True
                for run in range(args.repeat):
                    out = Path(scratch) / f"{spec.stem}-{peer}-{run}"
                    elapsed, peak, success = measure(*command(peer, spec, out, cache))
                    ok = ok and success
                    times.append(elapsed)
                    peaks.append(peak)
                medians[peer] = statistics.median(times)
                ratio = f"{medians['specgen'] / medians[peer]:.2f}" if "specgen" in medians and peer != "specgen" else ""
                state = "" if ok else " (failed)"
                rows.append(f"| {spec.name} | {peer}{state} | {medians[peer]:.2f} | {max(peaks)} | {ratio} |")
            if "specgen" in args.peers:
                _, cost = import_and_call_costs(Path(scratch) / f"{spec.stem}-specgen-0")
                extra.append(f"- {spec.name}: `import` of the generated package: {cost}")
    text = "# Benchmark results\n\nMeasured by `bench/run.py` in one run on one machine.\n\n" + "\n".join(rows) + "\n\n" + "\n".join(extra) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
