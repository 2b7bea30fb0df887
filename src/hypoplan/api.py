"""The notebook-facing object: a loaded, resolved hypothesis with the library's steps as methods.

::

    import hypoplan
    h = hypoplan.load("hypotheses/mecfs-ne-vasomotion.yaml")
    result = h.analyze()          # AnalysisResult, the object `hypoplan analyze --format json` prints
    plan = h.plan()               # Plan, the object `hypoplan plan --format json` prints
    result.to_dict(), plan.to_dict()
    h.render("mermaid")           # the text `hypoplan render --format mermaid` prints
    h.graph()                     # networkx.DiGraph with plain JSON attributes
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .loader import HypothesisFile, Repository, load_file, load_text, resolve
from .schema import Hypothesis

if TYPE_CHECKING:
    import networkx as nx

    from .analysis.result import AnalysisResult
    from .plan import Plan

__all__ = ["LoadedHypothesis", "load", "load_string"]

#: What :meth:`LoadedHypothesis.render` can produce: text formats, then Graphviz's binary ones.
RENDER_FORMATS = ("dot", "mermaid", "svg", "png", "pdf")


@dataclass(frozen=True)
class LoadedHypothesis:
    """A hypothesis as loaded from its file, with ``extends`` resolved.

    Model fields (``id``, ``title``, ``nodes``, ``edges``, ``focus``, ...) read through to :attr:`hypothesis`.
    The methods run the same steps as the CLI commands and return the objects their JSON comes from:
    :meth:`graph` (the causal graph), :meth:`analyze` (``hypoplan analyze``), :meth:`plan` (``hypoplan plan``)
    and :meth:`render` (``hypoplan render``). In Jupyter the object shows its causal diagram.
    """

    file: HypothesisFile
    hypothesis: Hypothesis
    repository: Repository = field(compare=False, repr=False)

    @property
    def path(self) -> Path:
        """The file the hypothesis was read from."""
        return self.file.path

    def graph(self) -> nx.DiGraph:
        """The causal graph (see :func:`hypoplan.graph.build_graph`) with plain JSON attributes.

        Evidence items are dicts, enums their values, tuples lists, so ``json.dumps(nx.node_link_data(g))``
        works; :func:`hypoplan.analysis.analyze` accepts the graph as it is.
        """
        from .graph import build_graph

        g = build_graph(self.hypothesis)
        g.graph.update({k: _plain(v) for k, v in g.graph.items()})
        for _, data in g.nodes(data=True):
            data.update({k: _plain(v) for k, v in data.items()})
        for _, _, data in g.edges(data=True):
            data.update({k: _plain(v) for k, v in data.items()})
        return g

    def analyze(self, *, exposure: Iterable[str] | str | None = None, outcome: Iterable[str] | str | None = None,
                adjusted: Iterable[str] | None = None, direct: bool = False, max_results: int = 100,
                all_implications: bool = False) -> AnalysisResult:
        """The causal analysis of the focus (or of the given exposure and outcome), as ``hypoplan analyze`` runs it.

        Returns an :class:`~hypoplan.analysis.result.AnalysisResult`; ``.to_dict()`` is its JSON.
        Raises :class:`~hypoplan.errors.AnalysisError` for a question the graph cannot answer.
        """
        from .analysis import analyze
        from .graph import build_graph

        return analyze(build_graph(self.hypothesis), exposure=exposure, outcome=outcome, adjusted=adjusted,
                       direct=direct, max_results=max_results, all_implications=all_implications)

    def plan(self, *, catalog: str | Path | None = None, max_results: int = 100) -> Plan:
        """The proposed study, as ``hypoplan plan`` builds it (a ``catalog.yaml`` beside the file, or ``catalog``,
        extends the packaged measurement catalog). Returns a :class:`~hypoplan.plan.Plan`; ``.to_dict()`` is its JSON.
        """
        from .design.catalog import load_catalog_for
        from .plan import build_plan

        cat = load_catalog_for(self.repository.root, Path(catalog) if catalog is not None else None)
        return build_plan(self.hypothesis, repository=self.repository, catalog=cat, max_results=max_results)

    def render(self, format: str = "dot", *, rankdir: str = "LR", group_by_level: bool = False,
               legend: bool = True) -> str | bytes:
        """The causal diagram as ``hypoplan render`` draws it, coloured by the analysis when the focus allows one.

        ``format``: ``dot`` or ``mermaid`` (text), ``svg`` (text) or ``png``/``pdf`` (bytes, through Graphviz).
        """
        from .errors import UsageError

        if format not in RENDER_FORMATS:
            raise UsageError(f"cannot render to {format!r}", hint="choose one of " + ", ".join(RENDER_FORMATS))
        from .graph import build_graph
        from .render.diagram import DiagramOptions
        from .render.dot import to_dot
        from .render.mermaid import to_mermaid

        g = build_graph(self.hypothesis)
        analysis = _try_analysis(g)
        options = DiagramOptions(rankdir=rankdir, group_by_level=group_by_level, legend=legend)
        if format == "mermaid":
            return to_mermaid(g, analysis, options)
        dot = to_dot(g, analysis, options)
        if format == "dot":
            return dot
        from .render.graphviz import render

        data = render(dot, format)
        return data.decode("utf-8") if format == "svg" else data

    def _repr_svg_(self) -> str | None:
        """The causal diagram as inline SVG for Jupyter; ``None`` (plain repr) when Graphviz is not installed."""
        from .graph import build_graph
        from .render.dot import to_dot
        from .render.graphviz import GraphvizMissing, render, svg_for_html

        g = build_graph(self.hypothesis)
        try:
            return svg_for_html(render(to_dot(g, _try_analysis(g)), "svg"))
        except GraphvizMissing:
            return None

    def __getattr__(self, name: str) -> Any:
        # Delegate model fields (id, title, nodes, edges, focus, ...) to the hypothesis.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.hypothesis, name)


def _try_analysis(g: Any) -> AnalysisResult | None:
    """The analysis of the graph's focus, or ``None`` when there is none to run."""
    if not g.graph.get("exposure") or not g.graph.get("outcome"):
        return None
    from .analysis import analyze
    from .errors import HypoplanError

    try:
        return analyze(g)
    except HypoplanError:
        return None


def _plain(value: Any) -> Any:
    """A value as plain JSON data: models as dicts, enums as their values, tuples and sets as lists."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return value


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
