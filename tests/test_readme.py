"""The README stays true: its quick start is what CI runs, its CLI reference is
what `--help` prints, and its usage example runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import GENERATED_DIR, REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def user_quick_start() -> list[str]:
    """The user's quick start: install specgen, generate a client, install the client
    (run by tests/test_packaging.py)."""
    return [
        line.split("  #")[0].strip() for line in blocks("sh")[0].strip().splitlines()
    ]


def test_user_quick_start_installs_generates_and_installs_the_client() -> None:
    install, generate, install_client = user_quick_start()
    assert install.startswith("pipx install ") and generate.startswith(
        "specgen generate --spec "
    )
    assert install_client.startswith("pip install ./")


def test_quick_start_is_what_ci_runs() -> None:
    install, test = blocks("sh")[1].strip().splitlines()
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert install in ci and test in ci


COMMANDS = [
    [],
    ["generate"],
    ["check"],
    ["diff"],
    ["templates"],
    ["templates", "list"],
    ["templates", "init"],
]


@pytest.mark.parametrize("args", [[*c, "--help"] for c in COMMANDS], ids=" ".join)
def test_cli_reference_matches_help(args: list[str]) -> None:
    expected = CliRunner().invoke(main, args, prog_name="specgen").output
    documented = [
        b for b in blocks("text") if b.startswith(f"$ specgen {' '.join(args)}\n")
    ]
    assert documented, f"README documents no `specgen {' '.join(args)}`"
    assert documented[0].split("\n", 1)[1] == expected


def test_usage_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(GENERATED_DIR / "qovery_jobs"))
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(401, json={"message": "bad token"})

    real_client = httpx.Client

    def mocked_client(*args: Any, **kwargs: Any) -> httpx.Client:
        return real_client(
            *args, **{**kwargs, "transport": httpx.MockTransport(answer)}
        )

    monkeypatch.setattr(httpx, "Client", mocked_client)
    (example,) = blocks("python")
    exec(compile(example, "README.md", "exec"), {"__name__": "readme"})
    (request,) = sent
    assert (request.method, request.url.path) == (
        "POST",
        "/environment/3fa85f64-5717-4562-b3fc-2c963f66afa6/job",
    )
    assert request.headers["Authorization"] == "Bearer my-jwt"
    assert b'"name":"my-job"' in request.content
    assert capsys.readouterr().out == "Qovery said 401\n"


@pytest.mark.slow
def test_usage_example_type_checks(tmp_path: Path) -> None:
    """The example passes `mypy --strict` against the checked-in package, and a
    misspelt body field in it would not: the keyword body is typed."""
    (example,) = blocks("python")
    (tmp_path / "good.py").write_text(example, encoding="utf-8")
    misspelt = example.replace('name="my-job"', 'nmae="my-job"')
    assert misspelt != example
    (tmp_path / "bad.py").write_text(misspelt, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(GENERATED_DIR / "qovery_jobs")}
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]

    def check(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*mypy, name], cwd=tmp_path, env=env, capture_output=True, text=True
        )

    good = check("good.py")
    assert good.returncode == 0, good.stdout
    bad = check("bad.py")
    assert bad.returncode == 1 and "create_job" in bad.stdout, bad.stdout
