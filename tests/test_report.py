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

    g = build_graph(h)
    md = render_analysis_markdown(analysis, g, level=3) if analysis is not None else None
    return report_html(h, dot=to_dot(g), svg=svg, aims=build_aims(h, plan), plan=plan, version="test",
                       analysis_markdown=md)


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
    section = page.split('<section id="analysis">')[1].split("</section>")[0]
    assert "<h3>" in section and "<h1>" not in section and "<h2>Causal analysis</h2>" in section
    assert "confounded by a latent variable" in section


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


def test_report_renders_in_chromium_with_sections(browser, mecfs_report, tmp_path):
    res = _chromium(browser, tmp_path, "--dump-dom", mecfs_report.as_uri())
    dom = res.stdout.decode("utf-8", "replace")
    assert "</html>" in dom, f"Chromium exit {res.returncode}: {res.stderr.decode()[-2000:]}"
    for section in ("diagram", "analysis", "plan", "aims"):
        assert f'<section id="{section}">' in dom
    for heading in ("Causal diagram", "Causal analysis", "Study plan", "Specific Aims scaffold"):
        assert f"<h2>{heading}</h2>" in dom
    assert re.search(r'<figure class="diagram"[^>]*>\s*<svg', dom)
    assert "Weak NE-driven vasomotion".lower() in html.unescape(dom).lower()
    assert "<table>" in dom  # the plan's tables
    assert "NOT-OD-25-132" in dom and "[AUTHOR:" in dom


def test_report_diagram_is_visible_in_a_screenshot(browser, mecfs_report, tmp_path):
    shot = tmp_path / "shot.png"
    res = _chromium(browser, tmp_path, "--hide-scrollbars", "--window-size=1280,1400", f"--screenshot={shot}",
                    mecfs_report.as_uri())
    assert shot.exists(), res.stderr.decode()[-2000:]
    width, channels, rows = _png_pixels(shot.read_bytes())
    assert width >= 1000
    # The exposure and outcome node fills are colours only the diagram uses: if they are on screen, it rendered.
    assert _count_colour(rows, channels, COLOURS["exposure_fill"]) > 50
    assert _count_colour(rows, channels, COLOURS["outcome_fill"]) > 50


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
