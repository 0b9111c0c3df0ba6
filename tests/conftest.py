"""Paths common to the tests: the repository, its specs, and the vendored test data."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"
"""Third-party documents vendored for the tests and the benchmark.

tests/data/README.md names each one's origin.
"""
SPECS_DIR = REPO_ROOT / "specs"
GENERATED_DIR = REPO_ROOT / "generated"
