"""``hypoplan site``: a static website for a hypothesis registry (index, one page per hypothesis, map, citations)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import app
from .common import check_catalog_option, err, handle_errors

if TYPE_CHECKING:
    from ..registry.build import RegistryMap


def last_changes(folder: Path, m: RegistryMap) -> dict[str, str | None]:
    """Date (YYYY-MM-DD) of the last commit touching each hypothesis file, from one ``git log`` call;
    ``None`` for every file when the folder is not in a git repository (or git is missing)."""
    from ..errors import UsageError
    from ..review.git import run_git

    try:
        root = Path(run_git(["rev-parse", "--show-toplevel"], folder).strip())
        log = run_git(["log", "--format=@%cs", "--name-only", "--no-renames", "--", "."], folder)
    except UsageError:
        return {e.id: None for e in m.entries}
    seen: dict[Path, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("@"):
            date = line[1:]
        elif line.strip():
            seen.setdefault((root / line.strip()).resolve(), date)
    out: dict[str, str | None] = {}
    for e in m.entries:
        path = Path(e.display)
        out[e.id] = seen.get(path.resolve()) if path.exists() else None
    return out


@app.command()
@handle_errors
def site(
    folder: Path = typer.Argument(Path("hypotheses"), help="The folder of hypothesis files (default: hypotheses/)."),
    output: Path = typer.Option(..., "--output", "-o", help="The folder to write the site into."),
    force: bool = typer.Option(False, "--force", help="Write into a folder that already holds files."),
    catalog: Path = typer.Option(None, "--catalog", help="A measurement catalog that extends the packaged one "
                                 "(default: catalog.yaml in FOLDER, if any)."),
) -> None:
    """Write a static website for a registry of hypotheses: an index sortable without scripts, one page per
    hypothesis (its report), the registry map (merged graph, conflicts, experiments) and a citations page.

    The pages run no scripts and load nothing from the network: publish the folder as it is.

    GitHub Pages: see docs/github-pages.md.

    Graphviz is called once per page with a diagram; without it, diagrams are shown as DOT text.

    Examples:

        hypoplan site hypotheses -o out/site

        hypoplan site hypotheses -o public --force
    """
    from .. import __version__
    from ..errors import HypoplanError, UsageError
    from ..render.graphviz import GraphvizMissing, render, svg_for_html
    from ..render.html import prefix_ids
    from ..render.registry_dot import registry_dot
    from ..render.site import citations_page, hypothesis_page, index_pages, index_rows, map_page, page_name
    from .common import atomic_write, display_path
    from .map import load_folder, load_registry
    from .report import draft_report

    if output.exists() and not output.is_dir():
        raise UsageError(f"{output} is a file", hint="give -o a folder for the site")
    if output.is_dir() and any(output.iterdir()) and not force:
        raise UsageError(f"{output} already holds files", hint="pass --force to write into it, or choose another -o")
    check_catalog_option(catalog)
    loaded = load_folder(folder)
    m = load_registry(folder, catalog, loaded=loaded)
    pages: dict[str, str] = {}
    graphviz = True

    def svgs_of(*dots: str) -> list[str | None]:
        """Lay out several DOT graphs with one Graphviz call (``dot`` writes one SVG per input graph)."""
        nonlocal graphviz
        if not graphviz:
            return [None] * len(dots)
        try:
            out = render("\n".join(dots), "svg").decode("utf-8")
        except GraphvizMissing:
            err("note: Graphviz (`dot`) is not installed; the diagrams are shown as DOT text")
            graphviz = False
            return [None] * len(dots)
        parts = ["<svg" + p for p in out.split("<svg")[1:]]
        if len(parts) != len(dots):
            raise HypoplanError(f"Graphviz wrote {len(parts)} drawings for {len(dots)} graphs")
        return [svg_for_html(p[:p.rindex("</svg>") + len("</svg>")]) for p in parts]

    repo = loaded[1]
    for i, entry in enumerate(m.entries, 1):
        err(f"[{i}/{len(m.entries)}] {entry.id}")
        draft = draft_report(entry.resolved, repo, quiet=True)
        svg, *rest = svgs_of(draft.dot, *([draft.focus_dot] if draft.focus_dot else []))
        focus_svg = prefix_ids(rest[0], "focus-") if rest and rest[0] else None
        pages[page_name(entry.id)] = hypothesis_page(draft.page(svg, focus_svg), m, entry)
    err("map and index")
    dot_text, note = registry_dot(m)
    svg = svgs_of(dot_text)[0] if dot_text is not None else None
    pages["map.html"] = map_page(m, svg=svg, dot=dot_text, note=note, version=__version__)
    pages["citations.html"] = citations_page(m, version=__version__)
    pages.update(index_pages(m, index_rows(m, last_changes(folder, m)), version=__version__))
    for name, html in pages.items():
        atomic_write(output / name, html)
    err(f"wrote {len(pages)} pages to {display_path(output)}; open {display_path(output / 'index.html')}")
