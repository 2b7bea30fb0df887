"""The focused diagram: at most ten nodes, chosen by role, with "via N" edges checked by brute force."""

from __future__ import annotations

import itertools
import random
import re

import networkx as nx
import pytest
from render_fixtures import HOSTILE, assert_golden

from hypoplan.graph import build_graph
from hypoplan.render.diagram import DiagramOptions
from hypoplan.render.dot import to_dot
from hypoplan.render.focus import MAX_NODES, focus_graph, focus_nodes, rival_differences
from hypoplan.schema import Hypothesis


def _wide(hid: str = "wide", extra_edges: tuple = ()) -> Hypothesis:
    """Exposure x, outcome y, mediators m1 → m2, confounders c1..c6 (each into x and y), a chain x → a1 → a2 → y
    of extra mediators, a collider k and a latent confounder of m1 and y: 16 nodes, more than the focus keeps."""
    nodes = [{"id": i, "label": i.upper()} for i in
             ("x", "y", "m1", "m2", "a1", "a2", "c1", "c2", "c3", "c4", "c5", "c6", "k", "z1", "z2", "z3")]
    edges = [{"source": "x", "target": "m1", "sign": "+"}, {"source": "m1", "target": "m2", "sign": "+"},
             {"source": "m2", "target": "y", "sign": "+"}, {"source": "x", "target": "a1"},
             {"source": "a1", "target": "a2"}, {"source": "a2", "target": "y"},
             {"source": "x", "target": "k"}, {"source": "y", "target": "k"},
             {"source": "z1", "target": "z2"}, {"source": "z2", "target": "x"}, {"source": "z3", "target": "z1"},
             {"source": "m1", "target": "y", "type": "confounded"}]
    for c in ("c1", "c2", "c3", "c4", "c5", "c6"):
        edges += [{"source": c, "target": "x"}, {"source": c, "target": "y"}]
    return Hypothesis.model_validate({"id": hid, "title": "Wide", "focus": {"exposure": "x", "outcome": "y"},
                                      "nodes": nodes, "edges": [*edges, *extra_edges]})


def test_focus_keeps_roles_in_priority_order_within_ten():
    g = build_graph(_wide())
    kept, left_out = focus_nodes(g, adjustment=["c1", "c2", "c3", "c4", "c5", "c6"], rival_nodes=["z1"])
    assert len(kept) == MAX_NODES and left_out == 16 - MAX_NODES
    assert kept[:2] == ["x", "y"]
    assert set(kept[2:6]) == {"m1", "m2", "a1", "a2"}  # every mediator, in causal order
    assert kept.index("m1") < kept.index("m2") and kept.index("a1") < kept.index("a2")
    assert "z1" in kept  # a place is kept for the rival's differing nodes before the rest of the adjustment set
    assert "k" not in kept and "z3" not in kept


def test_via_edges_match_brute_force_paths_through_left_out_nodes():
    rng = random.Random(7)
    for _ in range(30):
        n = 9
        edges = [{"source": f"v{i}", "target": f"v{j}"} for i, j in itertools.combinations(range(n), 2)
                 if rng.random() < 0.3]
        h = Hypothesis.model_validate({"id": "r", "title": "r", "focus": {"exposure": "v0", "outcome": f"v{n - 1}"},
                                       "nodes": [{"id": f"v{i}"} for i in range(n)], "edges": edges})
        g = build_graph(h)
        keep = sorted(rng.sample(list(g), 4))
        small = focus_graph(g, keep)
        for u, v in itertools.permutations(keep, 2):
            hidden = [p for p in nx.all_simple_paths(g, u, v) if len(p) > 2 and not set(p[1:-1]) & set(keep)]
            if g.has_edge(u, v):
                assert small.has_edge(u, v) and not small.edges[u, v].get("via")
            elif hidden:
                assert small.edges[u, v]["via"] == min(len(p) - 2 for p in hidden)
            else:
                assert not small.has_edge(u, v)


def test_rival_differences_are_nodes_joined_differently():
    this = build_graph(_wide())
    rival = build_graph(_wide("rival", extra_edges=({"source": "c1", "target": "m1", "sign": "-"},)))
    assert rival_differences(this, rival) == ["c1", "m1"]
    assert rival_differences(this, this) == []


def test_focused_diagram_golden():
    g = build_graph(_wide())
    kept, left_out = focus_nodes(g, adjustment=["c1", "c2", "c3", "c4", "c5", "c6"], rival_nodes=["z1"])
    small = focus_graph(g, kept, left_out=left_out, rival_nodes=["z1", "k"])
    assert small.graph["rival"] == ("z1",)  # only kept nodes are marked
    dot = to_dot(small, None, DiagramOptions(rankdir="TB", highlight=frozenset({"c1", "c2", "c3"}), compact=True))
    drawn = [line for line in dot.splitlines() if re.match(r"  n\d+ \[", line)]
    assert len(drawn) <= MAX_NODES
    z1 = next(line for line in drawn if 'label="Z1' in line)
    assert "(rival differs)" in z1 and 'fillcolor="#fff3cd"' in z1
    assert sum("rival differs" in line for line in drawn) == 1
    assert 'label="rival draws it differently", fillcolor="#fff3cd"' in dot  # its legend entry
    assert 'label="via 1"' in dot and "focused view, 10 nodes (6 more in the full diagram)" in dot
    assert_golden("focus_wide.dot", dot)


def test_cli_render_focus(runner, tmp_path):
    from hypoplan.cli import app
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "wide.yaml"
    path.write_text(dump_hypothesis(_wide()), encoding="utf-8")
    res = runner.invoke(app, ["render", str(path), "--focus"])
    assert res.exit_code == 0, res.output
    assert "focused view" in res.stdout and 'rankdir="TB"' in res.stdout
    drawn = [line for line in res.stdout.splitlines() if re.match(r"  n\d+ \[", line)]
    assert 2 < len(drawn) <= MAX_NODES
    res = runner.invoke(app, ["render", str(path), "--focus", "--highlight-adjustment", "minimal"])
    assert res.exit_code == 2


@pytest.mark.parametrize("fmt", ["mermaid"])
def test_focus_mermaid(runner, tmp_path, fmt):
    from hypoplan.cli import app
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "wide.yaml"
    path.write_text(dump_hypothesis(_wide()), encoding="utf-8")
    res = runner.invoke(app, ["render", str(path), "--focus", "-f", fmt])
    assert res.exit_code == 0, res.output
    drawn = [line for line in res.stdout.splitlines() if re.match(r"  n\d+[(\[]", line)]
    assert 2 < len(drawn) <= MAX_NODES


@pytest.mark.parametrize("hostile", HOSTILE)
def test_rival_nodes_marked_in_mermaid_and_escaped(hostile):
    from hypoplan.render.mermaid import to_mermaid

    h = _wide().model_dump(mode="json")
    for n in h["nodes"]:
        if n["id"] == "z1":
            n["label"] = hostile
    g = build_graph(Hypothesis.model_validate(h))
    kept, left_out = focus_nodes(g, adjustment=["c1"], rival_nodes=["z1", "m1"])
    small = focus_graph(g, kept, left_out=left_out, rival_nodes=["z1", "m1"])
    text = to_mermaid(small, None, DiagramOptions(rankdir="TB", compact=True))
    ids = {line.split("(", 1)[0].strip(): line for line in text.splitlines()
           if re.match(r"  n\d+\(", line)}
    rival_ids = [i for i, line in ids.items() if "(rival differs)" in line]
    assert len(rival_ids) == 2
    found = re.search(r"^  class ([n\d,]+) rival$", text, re.MULTILINE)
    assert found is not None
    marked = found.group(1).split(",")
    assert sorted(marked) == sorted(rival_ids)
    assert "legend" in text and "rival draws it differently" in text
    assert "classDef rival fill:#fff3cd" in text
    dot = to_dot(small, None, DiagramOptions(rankdir="TB", compact=True))
    assert dot.count("(rival differs)") == 2
    # the hostile label is escaped, not interpreted: no raw quote ends the DOT or Mermaid string early
    for line in dot.splitlines():
        if "rival differs" in line:
            assert re.fullmatch(r'  n\d+ \[label="(?:[^"\\]|\\.)*"(?:, [a-z]+="[^"]*")*\];', line), line
