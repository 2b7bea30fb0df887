"""hypoplan: from a causal hypothesis to a testable, fundable study design.

The public API for notebooks and scripts::

    import hypoplan
    h = hypoplan.load("hypotheses/mecfs-ne-vasomotion.yaml")
    g = h.graph()            # networkx.DiGraph

This module never imports the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["HypoplanError", "__version__", "build_graph", "load"]

if TYPE_CHECKING:
    from .api import LoadedHypothesis


def load(path: Any) -> LoadedHypothesis:
    """Load a hypothesis file (YAML or ``.dagitty``) with its ``extends`` resolved."""
    from .api import load as _load

    return _load(path)


def __getattr__(name: str) -> Any:
    if name == "build_graph":
        from .graph import build_graph

        return build_graph
    if name == "HypoplanError":
        from .errors import HypoplanError

        return HypoplanError
    raise AttributeError(name)
