"""The HTML report: self-contained, escaped, and rendered for real in headless Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from render_fixtures import HOSTILE, checkable, hostile_hypothesis, small_analysis, small_hypothesis

from hypoplan.cli import app
from hypoplan.graph import build_graph
from hypoplan.render.aims import build_aims
from hypoplan.render.diagram import COLOURS
from hypoplan.render.dot import to_dot
from hypoplan.render.html import markdown_to_html, report_html

ROOT = Path(__file__).resolve().parents[1]
MECFS = ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml"
HAS_DOT = shutil.which("dot") is not None


class _Collector(HTMLParser):
    """Every start tag with its attributes, and all visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    return c


def _assert_inert(page: str) -> _Collector:
    c = _parse(page)
    names = {t for t, _ in c.tags}
    assert not names & {"script", "img", "image", "iframe", "object", "embed", "link", "foreignobject", "base", "form"}
    for tag, attrs in c.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), (tag, key)
            assert key not in ("src", "srcset", "xlink:href", "action", "formaction"), (tag, key)
            if key == "href":
                assert value and value.startswith("#"), (tag, value)  # in-page anchors only
            if key == "style":
                raise AssertionError(f"inline style attribute on <{tag}>")
    return c


def _page(h, *, svg: str | None = None, plan=None, analysis=None) -> str:
    from hypoplan.render.analysis_markdown import render_analysis_markdown
    from hypoplan.render.focus import focus_graph, focus_nodes

    g = build_graph(h)
    md = render_analysis_markdown(analysis, g, level=3) if analysis is not None else None
    focus_dot = to_dot(focus_graph(g, focus_nodes(g)[0]))
    return report_html(h, dot=to_dot(g), svg=svg, aims=build_aims(h, plan), plan=plan, version="test",
                       analysis_markdown=md, focus_dot=focus_dot, focus_svg=None)


def test_page_is_self_contained_and_has_csp():
    page = _page(small_hypothesis())
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in html.unescape(page)
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "@media print" in page
    _assert_inert(page)


def test_without_graphviz_the_dot_text_is_shown():
    page = _page(small_hypothesis(), svg=None)
    assert "Graphviz (<code>dot</code>) is not installed" in page
    assert "digraph hypothesis {" in page


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_visible_and_inert(text):
    h = hostile_hypothesis(text)
    svg = None
    if HAS_DOT:
        from hypoplan.render.graphviz import render, svg_for_html

        svg = svg_for_html(render(to_dot(build_graph(h)), "svg"))
    c = _assert_inert(_page(h, svg=svg, analysis=small_analysis()))
    visible = " ".join(" ".join(c.text).split())
    assert " ".join(text.split()) in visible


def test_analysis_section_reuses_the_analysis_markdown():
    from hypoplan.render.analysis_markdown import render_analysis_markdown

    h = small_hypothesis()
    md = render_analysis_markdown(small_analysis(), build_graph(h), level=3)
    page = report_html(h, dot=to_dot(build_graph(h)), svg=None, aims=build_aims(h, None), analysis_markdown=md)
    section = page.split('<details class="fold" id="analysis">')[1].split("</details>")[0]
    assert "<h3>" in section and "<h1>" not in section and "<summary>Full causal analysis</summary>" in section
    assert "confounded by a latent variable" in section


def test_long_lists_fold_after_ten_items_without_script():
    from hypoplan.render.html import fold_long_lists

    items = "".join(f"- item {i}\n" for i in range(14))
    out = fold_long_lists(markdown_to_html(items))
    assert out.count("<li>") == 14 and "<details" in out and "4 more</summary>" in out
    assert out.split("<details")[0].count("<li>") == 10
    short = markdown_to_html("- a\n- b\n")
    assert fold_long_lists(short) == short
    nested = markdown_to_html("".join(f"- item {i}\n  - sub\n" for i in range(12)))
    assert "<details" not in fold_long_lists(nested)  # nested lists are left alone, never broken


def test_markdown_conversion_refuses_html_images_and_script_links():
    out = markdown_to_html("# T\n\n<img src=x> ![i](https://e.example/x.png) [a](javascript:alert(1))")
    assert "<h2>T</h2>" in out and "<img" not in out and 'href="javascript' not in out
    assert "&lt;img src=x&gt;" in out


# --- headless Chromium ----------------------------------------------------------------------------------------


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    found = _browser()
    if found is None:
        if os.environ.get("HYPOPLAN_SKIP_BROWSER") == "1":
            pytest.skip("HYPOPLAN_SKIP_BROWSER=1 and no Chromium")
        pytest.fail("headless Chromium is required for the report test: install Debian's `chromium` "
                    "(make test does), or set HYPOPLAN_SKIP_BROWSER=1 to skip it")
    return found


def _chromium(browser: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / "profile"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of RGB(A) bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


def _count_colour(rows: list[bytes], channels: int, hex_colour: str, tolerance: int = 4) -> int:
    target = bytes.fromhex(hex_colour.lstrip("#"))
    count = 0
    for row in rows:
        for i in range(0, len(row), channels):
            if all(abs(row[i + k] - target[k]) <= tolerance for k in range(3)):
                count += 1
    return count


@pytest.fixture(scope="module")
def mecfs_report(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    if not HAS_DOT:
        pytest.fail("the system Graphviz (`dot`) is required for the report test (make test installs it)")
    out = tmp_path_factory.mktemp("report") / "report.html"
    res = CliRunner().invoke(app, ["report", str(MECFS), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


SECTIONS = ("focus", "aims", "design", "feasibility", "full")


def test_report_leads_with_the_study(mecfs_report):
    page = mecfs_report.read_text(encoding="utf-8")
    _assert_inert(page)
    positions = [page.index(f'<section id="{name}">') for name in SECTIONS]
    assert positions == sorted(positions)  # summary, focused diagram, aims, design, feasibility, then the rest
    assert page.index("<h1>") < page.index('<section id="focus">')
    full = page.split('<section id="full">')[1]
    assert '<details class="fold" id="diagram">' in full and '<details class="fold" id="analysis">' in full
    analysis = full.split('id="analysis">')[1].split("</details>\n</section>")[0]
    paths = analysis.split("<h3>Paths</h3>")[1].split("<h3>")[0]
    shown = paths.split("<details")[0]
    assert shown.count("<li>") == 10 and "more</summary>" in paths  # paths collapse after the first ten
    design = page.split('<section id="design">')[1].split("</section>")[0]
    for heading in ("Design", "Identification strategy", "Estimand (ICH E9(R1))", "What to measure",
                    "Adjustment set", "Control groups", "Sample size"):
        assert f"<h3>{heading}</h3>" in design
    order = [design.index(f"<h3>{h}</h3>") for h in ("Identification strategy", "Estimand (ICH E9(R1))",
                                                      "What to measure", "Control groups", "Sample size")]
    assert order == sorted(order)  # strategy, estimand, measures, controls, sample size
    feasibility = page.split('<section id="feasibility">')[1].split("</section>")[0]
    assert "<h3>Feasibility</h3>" in feasibility and "visit schedule" in feasibility
    focus = page.split('<section id="focus">')[1].split("</section>")[0]
    assert focus.count('class="node"') <= 10 and 'id="focus-node1"' in focus
    # the ME/CFS file has a rival: its differing nodes are drawn and the caption explains the mark
    assert "rival differs" in focus and "the nodes the rival draws differently (pale amber" in focus


def test_report_renders_in_chromium_with_sections(browser, mecfs_report, tmp_path):
    res = _chromium(browser, tmp_path, "--dump-dom", mecfs_report.as_uri())
    dom = res.stdout.decode("utf-8", "replace")
    assert "</html>" in dom, f"Chromium exit {res.returncode}: {res.stderr.decode()[-2000:]}"
    for section in SECTIONS:
        assert f'<section id="{section}">' in dom
    for heading in ("The study at a glance", "Specific Aims scaffold", "Study design", "Feasibility",
                    "Full diagram and analysis"):
        assert f"<h2>{heading}</h2>" in dom
    assert re.search(r'<figure class="diagram focus"[^>]*>\s*<svg', dom)
    assert "Weak NE-driven vasomotion".lower() in html.unescape(dom).lower()
    assert "<table>" in dom  # the plan's tables
    assert "NOT-OD-25-132" in dom and "[AUTHOR:" in dom


def test_report_first_screen_shows_title_summary_and_focused_diagram(browser, mecfs_report, tmp_path):
    shot = tmp_path / "shot.png"
    res = _chromium(browser, tmp_path, "--hide-scrollbars", "--window-size=1280,800", f"--screenshot={shot}",
                    mecfs_report.as_uri())
    assert shot.exists(), res.stderr.decode()[-2000:]
    width, channels, rows = _png_pixels(shot.read_bytes())
    assert width == 1280 and len(rows) == 800
    # The exposure node's fill is a colour only the diagram uses: on the first screen, the diagram is there.
    assert _count_colour(rows, channels, COLOURS["exposure_fill"]) > 500
    assert _count_colour(rows, channels, COLOURS["highlight"]) > 50  # the chosen adjustment set
    # The title (bold ink) and the summary sit above the diagram, in the top third of the screen.
    assert _count_colour(rows[:300], channels, "#1d1d1f", tolerance=8) > 1000


_BBOX_CHECK = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>%s
<script>
const out = [];
for (const g of document.querySelectorAll('g.node')) {
  const shape = g.querySelector('ellipse, polygon, path');
  const s = shape.getBBox();
  for (const t of g.querySelectorAll('text')) {
    const b = t.getBBox();
    if (b.x < s.x - 0.5 || b.y < s.y - 0.5 || b.x + b.width > s.x + s.width + 0.5 || b.y + b.height > s.y + s.height + 0.5)
      out.push(t.textContent);
  }
}
document.body.setAttribute('data-nodes', document.querySelectorAll('g.node').length);
document.body.setAttribute('data-outside', JSON.stringify(out));
</script></body></html>"""


def test_focused_diagram_text_stays_within_its_nodes(browser, mecfs_report, tmp_path):
    """The test page (not the report) measures each label's box in Chromium against its node's shape."""
    page = mecfs_report.read_text(encoding="utf-8")
    focus = page.split('<section id="focus">')[1].split("</section>")[0]
    svg = focus[focus.index("<svg"):focus.index("</svg>") + 6]
    probe = tmp_path / "probe.html"
    probe.write_text(_BBOX_CHECK % svg, encoding="utf-8")
    res = _chromium(browser, tmp_path, "--dump-dom", probe.as_uri())
    dom = html.unescape(res.stdout.decode("utf-8", "replace"))
    nodes = re.search(r'data-nodes="(\d+)"', dom)
    assert nodes, res.stderr.decode()[-2000:]
    assert 2 < int(nodes.group(1)) <= 10
    assert re.search(r"data-outside='\[\]'|data-outside=\"\[\]\"", dom), re.search(r"data-outside=(.{0,400})", dom)


# --- CLI ------------------------------------------------------------------------------------------------------


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    from hypoplan.writer import dump_hypothesis

    path = tmp_path / "small.yaml"
    path.write_text(dump_hypothesis(checkable(hostile_hypothesis("<script>alert(1)</script> @me"))), encoding="utf-8")
    return path


def test_cli_report_without_graphviz_falls_back_to_dot_text(runner, small_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(small_file), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "shows the diagram as DOT text" in res.stderr
    page = out.read_text(encoding="utf-8")
    assert '<pre class="dot">digraph hypothesis {' in page and "<svg" not in page
    c = _assert_inert(page)
    assert "<script>alert(1)</script> @me" in " ".join(c.text)


def test_cli_report_refuses_overwrite(runner, small_file, tmp_path):
    out = tmp_path / "r.html"
    out.write_text("keep")
    res = runner.invoke(app, ["report", str(small_file), "-o", str(out)])
    assert res.exit_code == 2 and "already exists" in res.stderr and out.read_text() == "keep"


def test_caption_mentions_the_rival_mark_only_when_drawn(tmp_path):
    from typer.testing import CliRunner

    from hypoplan.cli import app

    out = tmp_path / "fm.html"
    res = CliRunner().invoke(app, ["report", str(ROOT / "hypotheses" / "fm-sympathetic-pain.yaml"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    focus = out.read_text(encoding="utf-8").split('<section id="focus">')[1].split("</section>")[0]
    assert "rival" not in focus  # no rival file: no rival mark, and no caption words about one
