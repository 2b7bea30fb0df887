"""python-docx, an optional dependency of the Word outputs (``aims --format docx``, ``protocol --to docx``)."""

from __future__ import annotations

from typing import Any

__all__ = ["require_docx"]


def require_docx(option: str) -> Any:
    """The ``docx`` module, or a usage error naming ``option`` and how to install python-docx."""
    try:
        import docx
    except ImportError:
        from ..errors import UsageError

        raise UsageError(f"{option} needs python-docx, which is not installed",
                         hint="pip install 'hypoplan[docx]'  (or: pip install python-docx)") from None
    return docx
