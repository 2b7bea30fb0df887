"""``hypoplan catalog``: list and search the measurement catalog (constructs, methods, drugs, controls, rules)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from . import app
from .common import display_path, dumps_json, err, handle_errors, write_output


class CatalogFormat(str, Enum):
    text = "text"
    json = "json"


class Section(str, Enum):
    all = "all"
    constructs = "constructs"
    methods = "methods"
    drugs = "drugs"
    disease_controls = "disease-controls"
    population_rules = "population-rules"


@app.command()
@handle_errors
def catalog(
    query: str = typer.Argument(None, help="Words to search for in ids, labels, synonyms, names and descriptions "
                                "(all must match, case-insensitive). Without it, list everything."),
    section: Section = typer.Option(Section.all, "--section", "-s", help="Only this part of the catalog."),
    format: CatalogFormat = typer.Option(CatalogFormat.text, "--format", "-f", help="Output format."),
    catalog_file: Path = typer.Option(None, "--catalog", help="A catalog that extends or overrides the packaged "
                                      "one (default: hypotheses/catalog.yaml in the current folder, if any)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """List or search the measurement catalog: which constructs exist, and which methods measure them.

    A hypothesis node names the constructs it stands for (`constructs:`); `hypoplan plan` offers a method
    only when the catalog says it measures one of them. Exit 0 when something is listed, 1 when a search
    finds nothing, 2 for usage errors.

    Examples:

        hypoplan catalog

        hypoplan catalog "pain threshold"

        hypoplan catalog sympathetic --section methods --format json

        hypoplan catalog --catalog lab-catalog.yaml --section constructs
    """
    from ..design.catalog import load_catalog_for
    from ..design.catalog_view import catalog_json, catalog_text, search_catalog
    from ..errors import UsageError

    if catalog_file is not None and not catalog_file.is_file():
        raise UsageError(f"{catalog_file}: no such catalog file", hint="give a catalog YAML file or leave out --catalog")
    folder = Path("hypotheses") if Path("hypotheses").is_dir() else None
    cat = load_catalog_for(folder, catalog_file, display=display_path)
    found = search_catalog(cat, query or "", None if section is Section.all else section.value.replace("-", "_"))
    if not any(found.values()):
        err(f"nothing in the catalog matches {query!r}; try one word, or `hypoplan catalog` to list everything")
        raise typer.Exit(1)
    text = dumps_json(catalog_json(cat, found)) + "\n" if format is CatalogFormat.json else catalog_text(cat, found)
    write_output(output, text, force=force)
