"""``hypoplan import`` and ``hypoplan export``: DAGitty in, DAGitty / JSON / GraphML out."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from . import app
from .common import (
    STDIN,
    check_hypothesis_id,
    check_output,
    display_path,
    dumps_json,
    err,
    handle_errors,
    read_stdin,
    schema_path_for,
    warn_if_stem_differs,
    write_output,
)


class ExportFormat(str, Enum):
    dagitty = "dagitty"
    json = "json"
    graphml = "graphml"


def _read(file: str) -> tuple[str, str, Path | None]:
    """Text, display name and path of FILE (``-`` reads stdin, within the same size limit as files)."""
    from ..errors import UsageError
    from ..yamlio import read_text

    if file == "-":
        return read_stdin(), STDIN, None
    path = Path(file)
    if not path.is_file():
        raise UsageError(f"{file}: no such file", hint="give a .dagitty or hypothesis .yaml file, or - for stdin")
    display = display_path(path)
    return read_text(path, display), display, path


@app.command("import")
@handle_errors
def import_(
    file: str = typer.Argument(..., help="A DAGitty diagram (.dagitty, as copied from dagitty.net), or - for stdin."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the hypothesis YAML here (default: stdout)."),
    hypothesis_id: str = typer.Option(None, "--id", help="Id of the new hypothesis (default: the output or input file name)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Turn a DAGitty diagram into a hypothesis YAML file.

    Nodes, edges (-> and <->), roles (exposure, outcome, adjusted, selected), latent nodes,
    positions and labels are kept; every edge is marked speculative with no evidence, since a
    diagram makes no evidence claims: add evidence before raising an edge's confidence.
    Undirected edges (--) are refused: choose a direction or write <->.

    Examples:

        hypoplan import model.dagitty -o hypotheses/my-hypothesis.yaml

        pbpaste | hypoplan import - --id my-hypothesis
    """
    from ..dagitty import parse_dagitty
    from ..errors import UsageError
    from ..schema import ID_PATTERN
    from ..writer import dump_hypothesis

    if hypothesis_id is not None:
        check_hypothesis_id(hypothesis_id, "--id")
    elif output is not None and str(output) != "-" and re.match(ID_PATTERN, output.stem):
        check_hypothesis_id(output.stem, f"the file name {output.name!r}")  # never silently cut it
    check_output(output, force=force)
    if file != "-" and Path(file).suffix.lower() in (".yaml", ".yml"):
        raise UsageError(f"{file} is a YAML file; 'import' reads DAGitty diagrams",
                         hint=f"to turn a hypothesis into DAGitty, run: hypoplan export {file} --to dagitty")
    text, display, path = _read(file)
    default_id = hypothesis_id or (output.stem if output is not None and str(output) != "-" else None) \
        or (path.stem if path is not None else "imported")
    hypothesis, _ = parse_dagitty(text, display, default_id=default_id)
    write_output(output, dump_hypothesis(hypothesis, schema_modeline=schema_path_for(output)), force=force)
    warn_if_stem_differs(output, hypothesis.id)
    err(f"imported {len(hypothesis.nodes)} node(s) and {len(hypothesis.edges)} edge(s) as '{hypothesis.id}'; "
        "edges are speculative until you add evidence")


@app.command()
@handle_errors
def export(
    file: str = typer.Argument(..., help="A hypothesis (.yaml) or a DAGitty diagram (.dagitty), or - for stdin."),
    to: ExportFormat = typer.Option(..., "--to", "-t", help="Output format."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Write a hypothesis, with what it extends merged in, as DAGitty, JSON or GraphML.

    dagitty: paste into dagitty.net or dagitty::dagitty() in R.
    json: the resolved hypothesis and its causal graph (confounded edges as explicit latent nodes).
    graphml: the causal graph for Gephi, Cytoscape or yEd (list values serialised as JSON strings).

    Examples:

        hypoplan export hypotheses/mecfs-ne-vasomotion.yaml --to dagitty -o out/mecfs.dagitty

        hypoplan export hypotheses/mecfs-ne-vasomotion.yaml --to json
    """
    from ..loader import Repository, load_text, resolve

    check_output(output, force=force)
    text, display, path = _read(file)
    hfile = load_text(text, display, path=path, dagitty=path is not None and path.suffix.lower() == ".dagitty")
    repo = Repository(path.parent if path is not None else Path("hypotheses"))
    hypothesis = resolve(hfile, repo)
    if to is ExportFormat.dagitty:
        from ..dagitty import dump_dagitty

        result = dump_dagitty(hypothesis)
    else:
        from ..graph import build_graph

        graph = build_graph(hypothesis)
        if to is ExportFormat.json:
            result = dumps_json({"hypothesis": hypothesis.model_dump(mode="json"), "graph": graph_json(graph)}) + "\n"
        else:
            result = graphml_text(graph)
    write_output(output, result, force=force)


def _jsonable(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def graph_json(graph: Any) -> dict[str, Any]:
    """The causal graph as plain JSON: graph attributes, nodes and edges with their attributes."""
    return {
        "directed": True,
        "attributes": _jsonable(dict(graph.graph)),
        "nodes": [{"id": n, **_jsonable(d)} for n, d in graph.nodes(data=True)],
        "edges": [{"source": u, "target": v, **_jsonable(d)} for u, v, d in graph.edges(data=True)],
    }


def _graphml_value(value: Any) -> Any:
    import json

    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(_jsonable(value), ensure_ascii=False)


def graphml_text(graph: Any) -> str:
    """GraphML of the causal graph; None attributes are left out, others serialised to scalars or JSON strings."""
    import networkx as nx

    out = nx.DiGraph()
    for key, value in graph.graph.items():
        converted = _graphml_value(value)
        if converted is not None:
            out.graph[key] = converted
    for n, d in graph.nodes(data=True):
        out.add_node(n, **{k: c for k, v in d.items() if (c := _graphml_value(v)) is not None})
    for u, v, d in graph.edges(data=True):
        out.add_edge(u, v, **{k: c for k, val in d.items() if (c := _graphml_value(val)) is not None})
    return "\n".join(nx.generate_graphml(out)) + "\n"
