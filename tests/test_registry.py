"""``hypoplan map``: merging by construct, conflicts, citations and experiments, on synthetic registries.

Each synthetic registry holds exactly one thing worth reporting; the tests check that it is found and that
nothing else is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from registry_helpers import edge, ev, hyp, load_map, node, write_registry
from render_fixtures import HOSTILE

from hypoplan.cli import app
from hypoplan.registry.build import JSON_KEYS

ROOT = Path(__file__).resolve().parents[1]


def _kinds(m) -> list[str]:
    return sorted(c.kind for c in m.conflicts)


def test_sign_conflict_by_construct_is_found_and_nothing_else(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")], [edge("x", "y", "+")]),
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")], [edge("p", "q", "-")]),
    )
    m = load_map(folder)
    assert _kinds(m) == ["opposite-sign"]
    (c,) = m.conflicts
    assert c.hypotheses == ("a", "b") and sorted(c.places) == [("a", 0), ("b", 0)]
    assert "raises it in a (x -> y)" in c.message and "lowers it in b (p -> q)" in c.message
    assert [link.hypotheses for link in m.shared_links] == [("a", "b")]


def test_same_sign_is_agreement_not_conflict(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")], [edge("x", "y", "+")]),
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")], [edge("p", "q", "+")]),
    )
    m = load_map(folder)
    assert m.conflicts == () and len(m.shared_links) == 1


def test_one_citation_supporting_and_contradicting_one_link(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")],
            [edge("x", "y", "+", ev("doi:10.1000/abc"))]),
        # the same work, spelt differently, recorded as contradicting the same link
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")],
            [edge("p", "q", "+", ev("https://doi.org/10.1000/ABC", direction="contradicts"))]),
    )
    m = load_map(folder)
    assert _kinds(m) == ["citation-both-ways"]
    assert m.conflicts[0].citation == "doi:10.1000/abc"
    (entry,) = m.citations
    assert {(u.hypothesis, u.direction) for u in entry.uses} == {("a", "supports"), ("b", "contradicts")}


def test_one_citation_for_two_different_links_is_no_conflict(tmp_path):
    """A paper may support one link and contradict another (thermal vs mechanical thresholds)."""
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function"), node("z", "anxiety")],
            [edge("x", "y", "+", ev("pmid:123")), edge("x", "z", "+", ev("pmid:123", direction="contradicts"))]),
    )
    assert load_map(folder).conflicts == ()


def test_support_against_contradiction_recorded_elsewhere(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")], [edge("x", "y", "+", ev("pmid:1"))]),
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")],
            [edge("p", "q", "+", ev("pmid:2", direction="contradicts", reference="Other 2020"))]),
    )
    m = load_map(folder)
    assert _kinds(m) == ["supported-and-contradicted"]
    assert "Other 2020" in m.conflicts[0].message and m.conflicts[0].hypotheses == ("a", "b")


def test_shared_mechanism_under_different_ids_is_one_node(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("ne_osc", "ne_infraslow_oscillation"), node("clear", "glymphatic_clearance"),
                  node("sleep")], [edge("ne_osc", "clear"), edge("sleep", "clear")]),
        hyp("b", [node("oscillation", "ne_infraslow_oscillation"), node("fog", "cognitive_function"),
                  node("sleep")], [edge("oscillation", "fog"), edge("sleep", "fog")]),
    )
    m = load_map(folder)
    shared = [n for n in m.graph.nodes.values() if len(n.declared_in) >= 2]
    assert [(n.constructs, n.sources) for n in shared] == [
        (("ne_infraslow_oscillation",), (("a", "ne_osc"), ("b", "oscillation")))]
    # 'sleep' in both files, without constructs: never merged by id alone
    assert sorted(s for n in m.graph.nodes.values() for s in n.sources if s[1] == "sleep") == [("a", "sleep"),
                                                                                               ("b", "sleep")]
    assert len([n for n in m.graph.nodes.values() if ("a", "sleep") in n.sources or ("b", "sleep") in n.sources]) == 2
    assert m.conflicts == () and m.shared_links == ()


def test_two_nodes_of_one_file_with_one_construct_are_not_merged(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("thermal", "pain_threshold"), node("mechanical", "pain_threshold"), node("ne", "depression")],
            [edge("ne", "thermal", "-"), edge("ne", "mechanical", "+")]),
        hyp("b", [node("pt", "pain_threshold"), node("d", "depression")], [edge("d", "pt", "-")]),
    )
    m = load_map(folder)
    assert m.conflicts == ()  # which of a's thresholds b means is unknowable without same_as
    assert len(m.graph.links) == 3


def test_same_as_merges_across_files(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x"), node("y", "cognitive_function")], [edge("x", "y", "+")]),
        hyp("b", [node("p"), node("q", "cognitive_function")], [edge("p", "q", "-")]),
    )
    # same_as is read defensively (the schema field is being added by another issue): set it on a copy
    import dataclasses

    from hypoplan.registry.conflicts import sign_conflicts
    from hypoplan.registry.merge import merge_entries

    base = load_map(folder)
    assert sign_conflicts(base.graph) == []
    a, b = base.entries
    p = b.hypothesis.nodes[0].model_copy()
    object.__setattr__(p, "same_as", ("a:x",))
    h = b.hypothesis.model_copy(update={"nodes": (p, *b.hypothesis.nodes[1:])})
    merged = merge_entries([a, dataclasses.replace(b, hypothesis=h)])
    assert merged.node_of[("a", "x")] == merged.node_of[("b", "p")]
    assert [c.kind for c in sign_conflicts(merged)] == ["opposite-sign"]


def test_one_sided_rival_is_found_and_nothing_else(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function")], [edge("x", "y")], rivals=["b"]),
        hyp("b", [node("p", "anxiety"), node("q", "cognitive_function")], [edge("p", "q")]),
    )
    m = load_map(folder)
    assert [(c.kind, c.hypotheses) for c in m.conflicts] == [("one-sided-rival", ("a", "b"))]


def _rivals_registry(tmp_path: Path) -> Path:
    """h1 and its two rivals: sympathetic activity -> pain threshold has opposite signs in h1 against h2 AND h3;
    depression -> cognition has opposite signs in h1 against h2 only (h3 says nothing about it)."""
    a = [node("symp", "sympathetic_activity"), node("pain", "pain_threshold")]
    c = [node("dep", "depression"), node("cog", "cognitive_function")]
    return write_registry(
        tmp_path / "reg",
        hyp("h1", a + c, [edge("symp", "pain", "+"), edge("dep", "cog", "+")], rivals=["h2", "h3"]),
        hyp("h2", a + c, [edge("symp", "pain", "-"), edge("dep", "cog", "-")], rivals=["h1"]),
        hyp("h3", a, [edge("symp", "pain", "-")], rivals=["h1"]),
    )


def test_experiment_settling_two_pairs_ranks_above_one_settling_one(tmp_path):
    from hypoplan.design.catalog import default_catalog
    from hypoplan.design.measures import measure_node
    from hypoplan.graph import build_graph

    m = load_map(_rivals_registry(tmp_path))
    g = build_graph(m.graph.entries_by_id["h1"].resolved)

    def chosen(*nodes: str) -> list[str]:  # the catalog's choice for each node, whatever the catalog holds
        return sorted(measure_node(g, n, default_catalog()).method.id for n in nodes)

    ranked = [(sorted(mm.id for mm in x.methods), x.pairs, x.decisive) for x in m.experiments]
    assert ranked == [
        (chosen("symp", "pain"), (("h1", "h2"), ("h1", "h3")), 2),
        (chosen("dep", "cog"), (("h1", "h2"),), 1),
    ]
    assert m.rival_pairs == (("h1", "h2"), ("h1", "h3"))


def test_experiment_ranking_against_brute_force(tmp_path):
    """Recount by brute force: an experiment settles a pair iff some discriminating prediction of the pair
    needs only its methods."""
    from hypoplan.design.catalog import default_catalog
    from hypoplan.design.measures import measure_node
    from hypoplan.graph import build_graph
    from hypoplan.registry.experiments import pair_predictions

    m = load_map(_rivals_registry(tmp_path))
    cat = default_catalog()
    by_id = {e.id: e for e in m.entries}
    needs: dict[tuple[str, str], list[frozenset[str]]] = {}
    for a, b in m.rival_pairs:
        for this, other in ((a, b), (b, a)):
            g, r = build_graph(by_id[this].resolved), build_graph(by_id[other].resolved)
            for nodes, *_ in pair_predictions(g, r, other, cat, "human"):
                needs.setdefault((a, b), []).append(frozenset(measure_node(g, n, cat).method.id for n in nodes))
    for x in m.experiments:
        have = {mm.id for mm in x.methods}
        expected = {p for p, sets in needs.items() if any(s <= have for s in sets)}
        assert set(x.pairs) == expected


def test_evidence_counts_animal_only_and_secondary_only(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function"), node("z", "anxiety"),
                  node("w", "age")],
            [edge("x", "y", "+", ev("pmid:1", species="mouse", design="knockout"), ev("pmid:2", species="rat")),
             edge("x", "z", "+", ev("pmid:3", design="review"), ev(None, design="meta-analysis")),
             edge("w", "z", "+", ev("pmid:4", species="mouse"), ev("pmid:5", species="human")),
             edge("w", "y", "+")]),
    )
    e = load_map(folder).evidence
    assert (e.links, e.links_with_evidence, e.animal_only, e.secondary_only, e.uncited_evidence) == (4, 3, 1, 1, 1)


# --- the shipped hypotheses ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_map(ROOT / "hypotheses", experiments=50)


def test_shipped_map_names_the_mecfs_decisive_experiment(shipped):
    assert ("mecfs-ne-vasomotion", "mecfs-waste-compensatory-ne") in shipped.rival_pairs
    top = shipped.experiments[0]
    assert top.pairs == (("mecfs-ne-vasomotion", "mecfs-waste-compensatory-ne"),) and top.decisive == 1
    assert top.settles[0].decisive and top.settles[0].kind in ("opposite sign", "opposite direction", "effect vs none")
    assert {"csf-ne-metabolites"} & {m.id for m in top.methods} or any("CSF" in m.name for m in top.methods)


def test_shipped_map_finds_the_shared_ne_oscillation(shipped):
    (osc,) = [n for n in shipped.graph.nodes.values() if "ne_infraslow_oscillation" in n.constructs]
    assert set(osc.declared_in) == {"ne-dysfunction-brain-fog", "ne-vasomotion-glymphatic"}


# --- CLI ----------------------------------------------------------------------------------------------------


def test_cli_map_json_keys_are_pinned(runner, tmp_path):
    folder = _rivals_registry(tmp_path)
    res = runner.invoke(app, ["map", str(folder), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert tuple(data) == JSON_KEYS == ("files", "summary", "nodes", "shared_links", "conflicts", "citations",
                                        "experiments")
    assert set(data["nodes"][0]) == {"id", "label", "kind", "constructs", "sources", "hypotheses"}
    assert set(data["shared_links"][0]) == {"source", "target", "type", "claims"}
    assert set(data["conflicts"][0]) == {"kind", "message", "hypotheses", "link", "citation", "edges"}
    assert set(data["experiments"][0]) == {"rank", "methods", "measures", "discriminates", "decisive", "pairs"}
    assert data["experiments"][0]["discriminates"] == 2


def test_cli_map_text_and_strict_exit(runner, tmp_path):
    folder = _rivals_registry(tmp_path)
    res = runner.invoke(app, ["map", str(folder)])
    assert res.exit_code == 0, res.output
    assert "1. settles 2 pair(s), 2 decisively" in res.stdout
    assert runner.invoke(app, ["map", str(folder), "--strict"]).exit_code == 1


def test_cli_map_usage_errors(runner, tmp_path):
    res = runner.invoke(app, ["map", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such folder" in res.output


def test_cli_map_skips_an_invalid_file_with_a_located_warning(runner, tmp_path):
    folder = _rivals_registry(tmp_path)
    (folder / "broken.yaml").write_text("id: broken\ntitle: x\nnodes: [{id: 1bad}]\n", encoding="utf-8")
    res = runner.invoke(app, ["map", str(folder), "--format", "json"])
    assert res.exit_code == 0
    assert "broken.yaml:3" in res.stderr and "skipped" in res.stderr
    assert "broken" not in json.loads(res.stdout)["files"]


# --- escaping ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_labels_are_inert_in_markdown_and_one_line_in_text(tmp_path, text):
    from markdown_it import MarkdownIt

    from hypoplan.render.registry_text import map_markdown, map_text

    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression", label=text), node("y", "cognitive_function")],
            [edge("x", "y", "+", ev("doi:10.1000/x", reference=text))]),
        hyp("b", [node("p", "depression", label=text), node("q", "cognitive_function")],
            [edge("p", "q", "-", ev("doi:10.1000/x", direction="contradicts"))]),
    )
    m = load_map(folder)
    html = MarkdownIt("commonmark").enable("table").render(map_markdown(m))
    assert "<img" not in html.lower() and "<b>" not in html
    assert 'href="' not in html  # no user text became a link
    for line in map_text(m).splitlines():
        assert "\r" not in line
    assert sum(1 for line in map_text(m).splitlines() if "opposite-sign" in line) == 1
