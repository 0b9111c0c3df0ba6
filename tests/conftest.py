"""Fixtures and paths common to the tests: the repository, its specs, and the vendored test data (tests/data)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"
"""Third-party documents vendored for the tests and the benchmark; tests/data/README.md names each one's origin."""
SPECS_DIR = REPO_ROOT / "specs"
GENERATED_DIR = REPO_ROOT / "generated"


def pytest_configure(config: pytest.Config) -> None:
    """Tests never read or fill the user's format cache."""
    os.environ["SPECGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="specgen-test-cache-")
