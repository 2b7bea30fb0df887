"""How node ids are ordered for people: naturally, so that ``n3`` comes before ``n14``."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["natural_key", "natural_sorted"]

_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that compares runs of digits by value (``n3`` < ``n14``) and the rest as text (as ``sorted`` does,
    so ids without digits keep their usual order); ``n01`` and ``n1`` still differ."""
    parts = _PARTS.split(str(text))
    key = [(1, int(p), p) if i % 2 else (0, 0, p) for i, p in enumerate(parts) if p]
    return (*key, (2, 0, str(text)))


def natural_sorted(items: Iterable[str]) -> list[str]:
    """``items`` in natural order."""
    return sorted((str(i) for i in items), key=natural_key)
