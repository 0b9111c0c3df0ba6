"""Write a generated package so that existing output is never half-overwritten.

Everything is written to a temporary sibling folder first; only when that
succeeded is it swapped in place of the old output with two renames.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def write_tree(files: dict[str, bytes], output: Path) -> None:
    """Replace `output` with exactly `files` (relative POSIX path → content)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for relative, content in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if output.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            retired.rmdir()
            output.rename(retired)
            try:
                staging.rename(output)
            except BaseException:
                retired.rename(output)
                raise
            shutil.rmtree(retired)
        else:
            staging.rename(output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
