"""``hypoplan map``: the repository as one body of evidence (merged graph, conflicts, citations, experiments)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import app
from .common import check_catalog_option, dumps_json, err, handle_errors, write_output

if TYPE_CHECKING:
    from ..registry.build import RegistryMap


class MapFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


def load_folder(folder: Path) -> tuple[list[Any], Any]:
    """Every hypothesis file under ``folder`` that loads, and a repository that knows them all (so resolving
    ``extends`` and ``rivals`` parses nothing twice); unreadable files are skipped with a located warning on
    stderr (``hypoplan check`` explains them)."""
    from ..errors import LoadError, UsageError
    from ..loader import Repository, iter_hypothesis_paths, load_file
    from .common import display_path, warn_if_no_files

    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "no such folder"
        raise UsageError(f"{folder}: {what}", hint="give the folder that holds the hypothesis files")
    paths = list(iter_hypothesis_paths([folder]))
    warn_if_no_files(len(paths), [folder])
    files = []
    skipped = 0
    for i, path in enumerate(paths, 1):
        if len(paths) >= 200 and i % 200 == 0:
            err(f"loading {i}/{len(paths)} files")
        try:
            files.append(load_file(path, display=display_path(path)))
        except LoadError as exc:
            skipped += 1
            first = exc.diagnostics[0].format() if exc.diagnostics else f"{display_path(path)}: {exc}"
            err(f"warning: skipped (run 'hypoplan check'): {first}")
    if skipped:
        err(f"{skipped} file(s) could not be loaded and are not in the map")
    return files, Repository(folder, files)


def load_registry(folder: Path, catalog: Path | None = None, *, experiments: int | None = 50,
                  loaded: tuple[list[Any], Any] | None = None) -> RegistryMap:
    """Load every hypothesis file under ``folder`` (or take ``loaded`` from :func:`load_folder`) and build its map."""
    from ..design.catalog import load_catalog_for
    from ..registry.build import build_map
    from ..registry.model import entries_from_files
    from .common import display_path

    check_catalog_option(catalog)
    files, repo = loaded if loaded is not None else load_folder(folder)
    entries, problems = entries_from_files(files, repo)
    for d in problems:
        err(f"warning: {d.format()}")
    cat = load_catalog_for(folder, catalog, display=display_path)
    return build_map(entries, cat, experiments=experiments)


@app.command("map")
@handle_errors
def map_(
    folder: Path = typer.Argument(Path("hypotheses"), help="The folder of hypothesis files (default: hypotheses/)."),
    format: MapFormat = typer.Option(MapFormat.text, "--format", "-f", help="text, json or md (Markdown)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    catalog: Path = typer.Option(None, "--catalog", help="A measurement catalog that extends the packaged one "
                                 "(default: catalog.yaml in FOLDER, if any)."),
    top: int = typer.Option(10, "--top", min=1, help="How many shared items and experiments the text lists."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when the files conflict with each other."),
) -> None:
    """Merge every hypothesis of a folder into one map: where the files agree and conflict, which citations
    they rest on, and which experiment would settle the most rival pairs.

    Nodes are merged by construct (the same `constructs:` set) or `same_as:`, never by id alone.

    Conflicts: opposite signs, support against recorded contradiction, a citation read both ways, one-sided rivals.

    Examples:

        hypoplan map

        hypoplan map hypotheses --format json -o map.json

        hypoplan map hypotheses --format md --strict
    """
    from .common import check_output

    check_output(output, force=force)
    m = load_registry(folder, catalog)
    if format is MapFormat.json:
        text = dumps_json(m.to_json()) + "\n"
    elif format is MapFormat.md:
        from ..render.registry_text import map_markdown

        text = map_markdown(m, top=max(top, 20))
    else:
        from ..render.registry_text import map_text

        text = map_text(m, top=top)
    write_output(output, text, force=force)
    if strict and m.conflicts:
        raise typer.Exit(1)
