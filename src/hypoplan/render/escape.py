"""Escaping of user text for every output format hypoplan writes.

Each function turns arbitrary text into inert, visible text in one target
format.  Renderers must pass every user-supplied string through one of these.
"""

from __future__ import annotations

import re

__all__ = ["github_message", "github_property", "one_line"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Collapse line breaks and control characters into single spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", _CONTROL.sub(" ", text)).strip()


def github_message(text: str) -> str:
    """Escape the message part of a GitHub workflow command (``::error ...::message``).

    As in ``@actions/core``: ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value of a workflow command (``file=…,title=…``): also ``:`` and ``,``."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")
