"""DOT text → SVG, PNG or PDF through the system Graphviz: the only subprocess in hypoplan.

Uses the ``graphviz`` package (imported lazily), which runs ``dot`` from
``PATH``.  A missing ``dot`` becomes :class:`GraphvizMissing` (a usage error,
exit 2) with install instructions; a failing ``dot`` becomes a
:class:`~hypoplan.errors.HypoplanError` with its stderr.
"""

from __future__ import annotations

import re
import shutil

from ..errors import HypoplanError, UsageError

__all__ = ["BINARY_FORMATS", "GraphvizMissing", "dot_available", "render", "svg_for_html"]

BINARY_FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = ("install Graphviz so that `dot` is on PATH: `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS), `conda install -c conda-forge graphviz`; "
                "or use --format dot / --format mermaid, which need no binary")

class GraphvizMissing(UsageError):
    """The system Graphviz (``dot``) is not installed."""


def dot_available() -> bool:
    """True when a ``dot`` executable is on PATH."""
    return shutil.which("dot") is not None


def render(dot_source: str, fmt: str) -> bytes:
    """Lay out ``dot_source`` with ``dot`` and return the ``svg``/``png``/``pdf`` bytes."""
    if fmt not in BINARY_FORMATS:
        raise UsageError(f"cannot render to {fmt!r}", hint=f"choose one of {', '.join(BINARY_FORMATS)}")
    import graphviz

    try:
        return graphviz.pipe(engine="dot", format=fmt, data=dot_source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing("Graphviz (`dot`) was not found", hint=INSTALL_HINT) from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else str(exc.stderr or "")
        raise HypoplanError(f"Graphviz failed to render the diagram: {stderr.strip() or exc}") from None


#: The elements Graphviz writes for hypoplan's diagrams; anything else (a, image, script, …) is refused.
_SVG_TAGS = frozenset({"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "text", "defs", "circle",
                       "rect", "line", "desc"})
_TAG = re.compile(r"<(?!!--)(/?)([A-Za-z][\w:.-]*)([^>]*)>")
_ATTR = re.compile(r"([\w:.-]+)\s*=")


def svg_for_html(svg: bytes | str) -> str:
    """Graphviz SVG ready to inline in HTML: no XML prolog or DOCTYPE; refuses anything active.

    hypoplan's DOT never carries URLs or HTML labels, so Graphviz's SVG holds
    no links, images or scripts; this check is a second line of defence.
    """
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    start = text.find("<svg")
    if start < 0:
        raise HypoplanError("Graphviz produced no <svg> element")
    text = text[start:]
    body = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    for match in _TAG.finditer(body):
        name, attrs = match.group(2).lower(), match.group(3)
        bad_attr = [a for a in _ATTR.findall(attrs) if a.lower().startswith("on") or "href" in a.lower()]
        if name not in _SVG_TAGS or bad_attr:
            raise HypoplanError(f"refusing to inline an SVG with <{name}> {' '.join(bad_attr)}".rstrip())
    return text
