"""``hypoplan site``: a static registry site that loads nothing, escapes everything, and whose links all resolve."""

from __future__ import annotations

import html
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from registry_helpers import edge, ev, hyp, load_map, node, write_registry
from render_fixtures import HOSTILE
from test_report import _chromium, _count_colour, _png_pixels, browser  # noqa: F401  (browser is a fixture)

from hypoplan.cli import app
from hypoplan.render.registry_dot import LINK_COLOURS, registry_dot
from hypoplan.render.site import citations_page, hypothesis_page, index_pages, index_rows, map_page

ROOT = Path(__file__).resolve().parents[1]
HAS_DOT = shutil.which("dot") is not None


class _Page(HTMLParser):
    """Start tags with attributes, ids, and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(d["id"])

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    return p


def _assert_inert(page: str) -> _Page:
    """No scripts, no external loads, no event handlers; links only to pages of the site or anchors."""
    p = _parse(page)
    assert "default-src 'none'" in html.unescape(page)
    names = {t for t, _ in p.tags}
    assert not names & {"script", "img", "image", "iframe", "object", "embed", "link", "foreignobject", "base",
                        "form", "a:href"}
    for tag, attrs in p.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), (tag, key)
            assert key not in ("src", "srcset", "xlink:href", "action", "formaction", "style"), (tag, key)
            if key == "href":
                parts = urlsplit(value or "")
                assert not parts.scheme and not parts.netloc, value
                assert parts.path == "" or parts.path.endswith(".html"), value
    return p


def _hostile_registry(tmp_path: Path, text: str) -> Path:
    return write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression", label=text), node("y", "cognitive_function", label="Cognition")],
            [edge("x", "y", "+", ev("doi:10.1000/x", reference=text))], rivals=["b"], summary=text),
        hyp("b", [node("p", "depression", label="Depression"), node("q", "cognitive_function", label="Cog")],
            [edge("p", "q", "-", ev("doi:10.1000/x", direction="contradicts"))], rivals=["a"], title=text),
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_visible_and_inert_on_every_page(tmp_path, text):
    from hypoplan.graph import build_graph
    from hypoplan.render.aims import build_aims
    from hypoplan.render.dot import to_dot
    from hypoplan.render.html import report_html

    m = load_map(_hostile_registry(tmp_path, text))
    dot, note = registry_dot(m)
    svg = None
    if HAS_DOT:
        from hypoplan.render.graphviz import render, svg_for_html

        svg = svg_for_html(render(dot, "svg"))
    pages = {"map": map_page(m, svg=svg, dot=dot, note=note), "citations": citations_page(m),
             **index_pages(m, index_rows(m, {"a": text, "b": None}))}
    for e in m.entries:
        g = build_graph(e.resolved)
        report = report_html(e.resolved, dot=to_dot(g), svg=None, aims=build_aims(e.resolved, None), version="t")
        pages[e.id] = hypothesis_page(report, m, e)
    want = " ".join(text.split())
    for name, page in pages.items():
        p = _assert_inert(page)
        visible = " ".join(" ".join(p.text).split())
        if name in ("map", "index.html", "a", "b", "citations"):
            assert want in visible, name
    assert m.conflicts  # the hostile text also reaches the conflicts table


# --- the whole site on the shipped hypotheses -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    if not HAS_DOT:
        pytest.fail("the system Graphviz (`dot`) is required for the site test (make test installs it)")
    out = tmp_path_factory.mktemp("site") / "site"
    res = CliRunner().invoke(app, ["site", str(ROOT / "hypotheses"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_every_page_is_inert_and_every_internal_link_resolves(shipped_site):
    pages = sorted(shipped_site.rglob("*.html"))
    assert {p.relative_to(shipped_site).as_posix() for p in pages} >= {
        "index.html", "by-status.html", "by-evidence.html", "by-contested.html", "by-changed.html", "map.html",
        "citations.html", "h/mecfs-ne-vasomotion.html", "h/ne-vasomotion-glymphatic.html"}
    parsed = {p.resolve(): _parse(p.read_text(encoding="utf-8")) for p in pages}
    checked = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        p = _assert_inert(page)
        for tag, attrs in p.tags:
            if tag != "a" or not attrs.get("href"):
                continue
            parts = urlsplit(attrs["href"])
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            assert target.is_file(), f"{path.name}: broken link {attrs['href']}"
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, f"{path.name}: missing anchor {attrs['href']}"
            checked += 1
    assert checked > 100


def test_hypothesis_pages_follow_extends_rivals_and_shared_nodes(shipped_site):
    page = (shipped_site / "h" / "mecfs-ne-vasomotion.html").read_text(encoding="utf-8")
    registry = page[page.index('<section id="registry">'):]
    assert 'href="../h/ne-vasomotion-glymphatic.html"' in registry          # extends
    assert 'href="../h/mecfs-waste-compensatory-ne.html"' in registry       # rivals
    osc = re.search(r"Infraslow NE oscillation[^<]*\(<code>ne_oscillation</code>\)</td><td>(.*?)</td>", registry)
    assert osc and "ne-dysfunction-brain-fog.html" in osc.group(1)         # shared node
    assert '<section id="focus">' in page and page.count("<svg") == 2      # the report (focus and full diagrams)


def test_index_is_presorted_per_column(shipped_site):
    def order(name: str) -> list[int]:
        page = (shipped_site / name).read_text(encoding="utf-8")
        return [int(n) for n in re.findall(r'<td class="num">(\d+) of \d+</td>', page)]

    by_evidence = order("by-evidence.html")
    assert by_evidence == sorted(by_evidence, reverse=True) and len(by_evidence) == 6
    titles = re.findall(r'<a href="h/[^"]+">([^<]+)</a>', (shipped_site / "index.html").read_text(encoding="utf-8"))
    assert titles == sorted(titles, key=str.lower)


def _node_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """Bounding boxes of the node shapes Graphviz drew (paths and polygons inside each <g class="node">)."""
    boxes = []
    for group in re.findall(r'<g id="node\d+" class="node">(.*?)</g>', svg, flags=re.DOTALL):
        numbers = []
        for attr in re.findall(r'(?:points|d)="([^"]+)"', group):
            numbers += [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", attr)]
        xs, ys = numbers[0::2], numbers[1::2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
        for tx, ty in re.findall(r'<text[^>]*x="(-?[\d.]+)" y="(-?[\d.]+)"', group):
            assert min(xs) <= float(tx) <= max(xs) and min(ys) <= float(ty) <= max(ys), "a label outside its box"
    return boxes


def test_map_svg_node_labels_do_not_overlap(shipped_site):
    page = (shipped_site / "map.html").read_text(encoding="utf-8")
    svg = page[page.index("<svg"):page.index("</svg>")]
    boxes = _node_boxes(svg)
    assert len(boxes) >= 30
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)
    assert LINK_COLOURS["conflict"] in svg and LINK_COLOURS["agreement"] in svg


@pytest.mark.parametrize("page", ["index.html", "map.html"])
def test_index_and_map_render_in_chromium_at_1280(browser, shipped_site, tmp_path, page):  # noqa: F811
    shot = tmp_path / "shot.png"
    res = _chromium(browser, tmp_path, "--hide-scrollbars", "--window-size=1280,1600", f"--screenshot={shot}",
                    (shipped_site / page).as_uri())
    assert shot.exists(), res.stderr.decode()[-2000:]
    width, channels, rows = _png_pixels(shot.read_bytes())
    assert width == 1280
    # the accent colour of the navigation bar: the page's own style sheet applied
    assert _count_colour(rows, channels, "#1a4f8b") > 500
    if page == "map.html":  # agreement (green) and conflict (red) edges are on screen: the SVG was drawn
        assert _count_colour(rows, channels, LINK_COLOURS["agreement"], tolerance=12) > 100
        assert _count_colour(rows, channels, LINK_COLOURS["conflict"], tolerance=12) > 20


def test_dump_dom_of_the_map_has_its_sections(browser, shipped_site, tmp_path):  # noqa: F811
    res = _chromium(browser, tmp_path, "--dump-dom", (shipped_site / "map.html").as_uri())
    dom = res.stdout.decode("utf-8", "replace")
    for section in ("graph", "conflicts", "experiments", "shared"):
        assert f'<section id="{section}">' in dom
    assert "Locus coeruleus NE release and ME/CFS" in dom


# --- large registries and the CLI ------------------------------------------------------------------------------


def test_a_large_merged_graph_is_clustered_then_omitted(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("root", [node("a", "depression"), node("b", "anxiety")], [edge("a", "b")]),
        hyp("child", [node("c", "age")], [edge("c", "a")], extends=["root"]),
        hyp("other", [node("d", "sex"), node("e", "bmi")], [edge("d", "e")]),
    )
    m = load_map(folder)
    full, _ = registry_dot(m)
    assert "cluster" not in full
    clustered, note = registry_dot(m, full_limit=2)
    assert clustered.count("subgraph cluster_f") == 2 and "file family" in note  # root+child, other
    omitted, note = registry_dot(m, full_limit=2, cluster_limit=3)
    assert omitted is None and "too many to draw" in note and "no link is in a conflict" in note


def test_a_registry_too_large_to_draw_gets_focused_views_of_its_conflicts(tmp_path):
    folder = write_registry(
        tmp_path / "reg",
        hyp("a", [node("x", "depression"), node("y", "cognitive_function"), node("z", "anxiety"), node("w", "age")],
            [edge("x", "y", "+"), edge("z", "x", "+"), edge("w", "z", "+")]),
        hyp("b", [node("p", "depression"), node("q", "cognitive_function")], [edge("p", "q", "-")]),
    )
    m = load_map(folder)
    dot, note = registry_dot(m, full_limit=1, cluster_limit=2)
    assert dot is not None and "focused views of 1 conflicting link(s)" in note
    assert dot.count("subgraph cluster_v") == 1 and "opposite-sign" in dot
    assert dot.count("->") == 2 and LINK_COLOURS["conflict"] in dot  # x->y (conflict) and its neighbour z->x, not w->z
    if HAS_DOT:
        from hypoplan.render.graphviz import render

        assert b"<svg" in render(dot, "svg")


def test_cli_site_refuses_a_non_empty_folder_without_force(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    res = runner.invoke(app, ["site", str(ROOT / "hypotheses"), "-o", str(out)])
    assert res.exit_code == 2 and "already holds files" in res.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_cli_site_calls_graphviz_once_per_page_with_a_diagram(runner, tmp_path, monkeypatch):
    real = shutil.which("dot")
    if real is None:
        pytest.skip("no Graphviz")
    log, bindir = tmp_path / "calls.log", tmp_path / "bin"
    bindir.mkdir()
    (bindir / "dot").write_text(f'#!/bin/sh\necho call >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    (bindir / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    folder = tmp_path / "reg"
    folder.mkdir()
    for name in ("ne-vasomotion-glymphatic.yaml", "ne-dysfunction-brain-fog.yaml"):
        shutil.copy(ROOT / "hypotheses" / name, folder / name)
    res = runner.invoke(app, ["site", str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3  # two hypothesis pages and the map
