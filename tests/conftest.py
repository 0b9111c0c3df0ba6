"""Paths common to the tests: the repository, its specs, and the vendored test data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"
"""Third-party documents vendored for the tests and the benchmark.

tests/data/README.md names each one's origin.
"""
SPECS_DIR = REPO_ROOT / "specs"
GENERATED_DIR = REPO_ROOT / "generated"


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """specgen's caches (`generator.caching`) in a folder of the session's, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECGEN_CACHE_DIR", str(tmp_path_factory.mktemp("specgen-cache")))
        yield
