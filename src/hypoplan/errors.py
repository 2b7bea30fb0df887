"""The HypoplanError family: every problem carries a location and a hint.

A :class:`Diagnostic` is one located finding (``path:line:col: severity[CODE]:
message``).  A :class:`HypoplanError` carries one or more diagnostics, so a
loader can report every problem in a file at once.  Only the CLI decides how
errors become text and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "AnalysisError",
    "Diagnostic",
    "HypoplanError",
    "LoadError",
    "Severity",
    "UsageError",
]


class Severity(str, Enum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located finding. ``line`` and ``col`` are 1-based; 0 means unknown."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        """``path:line:col: error[CODE]: message`` with the hint on the next line."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        text = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


class HypoplanError(Exception):
    """Base of every error hypoplan raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.diagnostics = list(diagnostics or [])

    def __str__(self) -> str:
        if self.diagnostics:
            return "\n".join(d.format() for d in self.diagnostics)
        return self.message + (f"\n  hint: {self.hint}" if self.hint else "")


class LoadError(HypoplanError):
    """A file could not be read, parsed or validated."""


class AnalysisError(HypoplanError):
    """A request to the analysis does not make sense for this graph."""


class UsageError(HypoplanError):
    """The user asked for something impossible (bad option, missing file)."""

    exit_code = 2
