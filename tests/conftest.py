"""Shared fixtures: where the repository and the shared seed material live."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SPECS_DIR = REPO_ROOT / "specs"
GENERATED_DIR = REPO_ROOT / "generated"


def pytest_configure(config: pytest.Config) -> None:
    """Tests never read or fill the user's format cache."""
    os.environ["SPECGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="specgen-test-cache-")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The `../shared` folder that CI places beside the clone."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} is missing: CI clones the repo with ../shared beside it")
    return SHARED_DIR
