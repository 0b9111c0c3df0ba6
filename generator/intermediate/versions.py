"""The generated distribution's version: the spec's `info.version` as PEP 440 says a
version is written.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

FALLBACK = "0.0.0"
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
"""Date versions (`2025-11-10`, as some vendors publish) become the release `2025.11.10`."""


def package_version(info_version: str) -> str:
    """The PEP 440 form of `info_version`, or `FALLBACK` when it has none (`latest`, `²`)."""
    text = info_version.strip()
    date = _DATE.fullmatch(text)
    if date:
        text = ".".join(str(int(part)) for part in date.groups())
    try:
        return str(Version(text))
    except InvalidVersion:
        return FALLBACK


def version_warning(info_version: str) -> str | None:
    """A warning's text when `info_version` cannot be the distribution's version as it is."""
    normalised = package_version(info_version)
    if normalised == FALLBACK and info_version.strip() != FALLBACK:
        return (
            f"info.version {info_version!r} is not a PEP 440 version; "
            f"the package is versioned {FALLBACK}"
        )
    return None
