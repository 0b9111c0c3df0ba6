"""specgen's runtime (the plain modules in templates/{package}/) as a package to test.

Every generated package gets a verbatim copy of these modules, and they import
each other relatively, so the tests import them as one package too:
`specgen_runtime`, copied once per session into a temporary folder (importing
them where they are would leave `__pycache__` among the templates).
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
RUNTIME_DIR = TEMPLATES / "{package}"
RUNTIME_MODULES = sorted(RUNTIME_DIR.glob("*.py"))
"""The runtime's modules: every plain `.py` file the default templates copy verbatim."""
PACKAGE = "specgen_runtime"
SAMPLE_MODELS = Path(__file__).with_name("sample_models.py")
"""Copied in as the package's `models`, which `_endpoint` imports, as in a package."""


def _install_runtime() -> Path:
    """Copy the runtime into a fresh folder as `specgen_runtime`, and import from it."""
    root = Path(tempfile.mkdtemp(prefix="specgen-runtime-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    package = root / PACKAGE
    package.mkdir()
    for module in RUNTIME_MODULES:
        shutil.copyfile(module, package / module.name)
    shutil.copyfile(SAMPLE_MODELS, package / "models.py")
    (package / "__init__.py").write_text('"""specgen\'s runtime, for its tests."""\n')
    sys.path.insert(0, str(root))
    return package


# At import, not in a fixture: the test modules import `specgen_runtime` when collected.
RUNTIME_PACKAGE = _install_runtime()


@pytest.fixture(scope="session")
def runtime_package() -> Path:
    """The folder of the `specgen_runtime` package the tests import."""
    return RUNTIME_PACKAGE
