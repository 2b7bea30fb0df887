"""hypoplan: from a causal hypothesis to a testable, fundable study design.

The public API for notebooks and scripts::

    import hypoplan
    h = hypoplan.load("hypotheses/mecfs-ne-vasomotion.yaml")   # LoadedHypothesis
    g = h.graph()            # networkx.DiGraph, plain JSON attributes
    result = h.analyze()     # AnalysisResult: result.to_dict() is `hypoplan analyze --format json`
    plan = h.plan()          # Plan: plan.to_dict() is `hypoplan plan --format json`
    h.render("mermaid")      # the diagram `hypoplan render` draws

``load`` raises :class:`LoadError` (a :class:`HypoplanError`) carrying every
diagnostic ``hypoplan check`` prints for a file it rejects. This module never
imports the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["HypoplanError", "LoadError", "LoadedHypothesis", "__version__", "build_graph", "load", "load_string"]

if TYPE_CHECKING:
    from pathlib import Path

    from .api import LoadedHypothesis
    from .errors import HypoplanError, LoadError
    from .graph import build_graph


def load(path: str | Path, *, check: bool = True) -> LoadedHypothesis:
    """Load a hypothesis file (YAML or ``.dagitty``) with its ``extends`` resolved.

    Raises :class:`LoadError` with every diagnostic ``hypoplan check`` prints when the file is rejected;
    ``check=False`` loads any file that parses.
    """
    from .api import load as _load

    return _load(path, check=check)


def load_string(text: str, *, check: bool = True) -> LoadedHypothesis:
    """Load a hypothesis from YAML or DAGitty text (``extends`` resolved against ./hypotheses), as :func:`load`."""
    from .api import load_string as _load_string

    return _load_string(text, display="<string>", check=check)


_LAZY = {
    "build_graph": ("graph", "build_graph"),
    "HypoplanError": ("errors", "HypoplanError"),
    "LoadError": ("errors", "LoadError"),
    "LoadedHypothesis": ("api", "LoadedHypothesis"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module 'hypoplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Only the public API (the submodules stay importable: hypoplan.analysis, hypoplan.plan, ...)."""
    return sorted(__all__)
