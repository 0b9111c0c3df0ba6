"""Whether a string holds the `format` its schema gives, as the generated models parse it.

The reference validator leaves formats unchecked (so that no case depends on which
checkers are installed), but the models check some: a sample or an example that
breaks one of those would be refused by the model while the reference takes it.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_TIME = re.compile(r"\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?")
_OFFSET = re.compile(r"([Zz]|[+-]\d\d:\d\d)$")
"""RFC 3339's time offset, which a `date-time` must end with: the models' `AwareDatetime`
refuses one without (PagerDuty's `2025-02-21T16:56:08`)."""
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SPECIAL_USE_DOMAINS = frozenset(
    {"arpa", "invalid", "local", "localhost", "onion", "test"}
)
"""Top-level domains pydantic's `EmailStr` (email-validator) refuses an address in."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def format_holds(kind: Any, text: str) -> bool:
    """Whether `text` is a `kind` string as the models parse it (RFC 3339 dates and
    times, absolute URIs); formats the models do not check always hold."""
    try:
        if kind == "date-time":
            day, _, clock = text.partition("T") if "T" in text else text.partition("t")
            return (
                bool(_DATE.fullmatch(day) and _TIME.fullmatch(clock))
                and _OFFSET.search(clock) is not None
                and datetime.fromisoformat(text.upper()) is not None
            )
        if kind == "date":
            return bool(_DATE.fullmatch(text)) and date.fromisoformat(text) is not None
        if kind == "time":
            return bool(_TIME.fullmatch(text))
        if kind == "uuid":
            return UUID(text) is not None
        if kind == "ipv4":
            return ipaddress.IPv4Address(text) is not None
        if kind == "ipv6":
            return ipaddress.IPv6Address(text) is not None
    except ValueError:
        return False
    if kind in ("email", "idn-email"):
        tld = text.rpartition(".")[2].lower()
        return bool(_EMAIL.fullmatch(text)) and tld not in _SPECIAL_USE_DOMAINS
    if kind == "uri":
        return bool(_SCHEME.fullmatch(text))
    return True
