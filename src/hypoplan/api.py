"""The notebook-facing object: a loaded, resolved hypothesis with convenience methods."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .loader import HypothesisFile, Repository, load_file, load_text, resolve
from .schema import Hypothesis

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["LoadedHypothesis", "load", "load_string"]


@dataclass(frozen=True)
class LoadedHypothesis:
    """A hypothesis as loaded from its file, with ``extends`` resolved."""

    file: HypothesisFile
    hypothesis: Hypothesis
    repository: Repository = field(compare=False, repr=False)

    @property
    def path(self) -> Path:
        return self.file.path

    def graph(self) -> nx.DiGraph:
        """The causal graph (see :func:`hypoplan.graph.build_graph`)."""
        from .graph import build_graph

        return build_graph(self.hypothesis)

    def _repr_svg_(self) -> str | None:
        """The causal diagram as inline SVG for Jupyter; ``None`` (plain repr) when Graphviz is not installed."""
        from .errors import HypoplanError
        from .render.dot import to_dot
        from .render.graphviz import GraphvizMissing, render, svg_for_html

        g = self.graph()
        analysis = None
        if g.graph.get("exposure") and g.graph.get("outcome"):
            from .analysis import analyze

            try:
                analysis = analyze(g)
            except HypoplanError:
                analysis = None
        try:
            return svg_for_html(render(to_dot(g, analysis), "svg"))
        except GraphvizMissing:
            return None

    def __getattr__(self, name: str) -> Any:
        # Delegate model fields (id, title, nodes, edges, focus, ...) to the hypothesis.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.hypothesis, name)


def load(path: str | Path, *, display: str | None = None, check: bool = True) -> LoadedHypothesis:
    """Load one hypothesis file (YAML or ``.dagitty``) and resolve what it extends from the same folder.

    A file that ``hypoplan check`` rejects raises one :class:`~hypoplan.errors.LoadError` whose ``diagnostics``
    are every error ``check`` prints for it (``str(error)`` shows them, one located line each);
    ``check=False`` loads anything that parses.
    """
    path = Path(path)
    hfile = load_file(path, display=display)
    repo = Repository(path.resolve().parent, [hfile])
    if check:
        _refuse_if_rejected(hfile, repo, named_file=True)
    return LoadedHypothesis(hfile, resolve(hfile, repo), repo)


def load_string(text: str, *, display: str = "<stdin>", folder: str | Path | None = None,
                check: bool = True) -> LoadedHypothesis:
    """Load a hypothesis from text (YAML, or DAGitty when it looks like it), refused as :func:`load` refuses.

    ``extends`` resolves against ``folder`` (default: ``./hypotheses`` when it
    exists, else the working directory).
    """
    if folder is None:
        folder = Path("hypotheses") if Path("hypotheses").is_dir() else Path.cwd()
    hfile = load_text(text, display)
    repo = Repository(Path(folder), [hfile])
    if check:
        _refuse_if_rejected(hfile, repo, named_file=False)
    return LoadedHypothesis(hfile, resolve(hfile, repo), repo)


def _refuse_if_rejected(hfile: HypothesisFile, repo: Repository, *, named_file: bool) -> None:
    from .check import check_loaded
    from .errors import LoadError

    errors = check_loaded(hfile, repo, named_file=named_file)
    if errors:
        raise LoadError(f"{hfile.display}: {len(errors)} error(s) that 'hypoplan check' reports", errors)
