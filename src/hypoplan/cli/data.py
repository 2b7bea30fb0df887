"""``hypoplan simulate``, ``test-data``, ``estimate`` and ``diagnose``: the hypothesis meets data."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from . import app
from .common import display_path, dumps_json, err, handle_errors, load_argument, split_ids

if TYPE_CHECKING:
    import networkx as nx

    from ..data.scm import SCM


class DataFormat(str, Enum):
    text = "text"
    json = "json"


def _model(g: nx.DiGraph, effects: list[str] | None, binary: str | None, continuous: str | None) -> SCM:
    from ..data.scm import binary_nodes, build_scm, parse_effect
    from ..errors import UsageError

    extra = split_ids(binary, "--binary") or []
    cont = split_ids(continuous, "--continuous") or []
    for n in [*extra, *cont]:
        if n not in g:
            raise UsageError(f"--binary/--continuous: {n!r} is not a node of the hypothesis",
                             hint="use node ids from the hypothesis file")
    return build_scm(g, overrides=[parse_effect(e) for e in effects or []],
                     binary=binary_nodes(g, extra, cont))


EFFECT_HELP = "Set an edge's standardised coefficient, e.g. --effect 'A->B=0.3' (repeatable)."
BINARY_HELP = "Simulate these nodes as binary (comma-separated; default: condition, intervention and drug nodes)."
CONTINUOUS_HELP = "Simulate these nodes as Gaussian even if their kind would make them binary."


@app.command()
@handle_errors
def simulate(
    file: str = typer.Argument(..., help="A hypothesis YAML file, a .dagitty file, or - for stdin."),
    rows: int = typer.Option(..., "--rows", "-n", min=1, max=50_000_000, help="Number of rows to draw."),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed: the same seed gives the same file."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the data here (.csv, or .parquet with pyarrow) "
                                "instead of stdout."),
    effect: list[str] = typer.Option(None, "--effect", "-e", help=EFFECT_HELP),
    keep_latent: bool = typer.Option(False, "--keep-latent", help="Keep the latent nodes' columns."),
    binary: str = typer.Option(None, "--binary", help=BINARY_HELP),
    continuous: str = typer.Option(None, "--continuous", help=CONTINUOUS_HELP),
    format: DataFormat = typer.Option(DataFormat.text, "--format", "-f", help="Format of the report on the model "
                                      "(text on stderr; json on stdout, which then needs -o for the data)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Draw a dataset from the hypothesis as a structural causal model.

    Every node is standardised (mean 0, SD 1); an edge's coefficient is its recorded effect
    size as a standardised path coefficient (r as is; d and odds ratios through r), signed by
    the edge. Edges without one get the stated assumption |beta| = 0.3, which --effect
    overrides. Condition, intervention and drug nodes are binary (0/1, logistic link).
    Latent nodes are drawn, then dropped unless --keep-latent. Columns are node ids.
    The report lists every coefficient and where it came from. Exit 0 on success, 2 for usage errors.

    Examples:

        hypoplan simulate hypotheses/mecfs-ne-vasomotion.yaml -n 500 --seed 1 -o data.csv

        hypoplan simulate h.yaml -n 1000 --effect 'ne_oscillation->vasomotion=0.5' --keep-latent -o d.csv

        hypoplan simulate h.yaml -n 200 -o d.csv --format json > model.json
    """
    import numpy as np

    from ..errors import UsageError
    from .common import check_output, write_output

    if format is DataFormat.json and (output is None or str(output) == "-"):
        raise UsageError("--format json writes the model report to stdout, so the data need -o FILE",
                         hint="add -o data.csv")
    check_output(output, force=force)
    loaded = load_argument(file)
    g = loaded.graph()
    model = _model(g, effect, binary, continuous)
    columns = [n for n in model.order if keep_latent or n not in model.latent]
    if not columns:
        raise UsageError(f"{loaded.file.display}: the hypothesis has no observed nodes to simulate",
                         hint="pass --keep-latent to keep the latent ones")
    values = model.sample(rows, np.random.default_rng(seed))
    if output is not None and output.suffix.lower() == ".parquet":
        _write_parquet(output, columns, values, force)
    else:
        from ..data.table import format_csv

        write_output(output, format_csv(columns, values, model.binary), force=force)
    report = {
        "hypothesis": loaded.hypothesis.id, "rows": rows, "seed": seed, "columns": columns,
        "binary": sorted(model.binary & set(columns)),
        "dropped_latent": [] if keep_latent else sorted(model.latent),
        "coefficients": [c.to_json() for c in model.coefficients], "notes": list(model.notes),
    }
    if format is DataFormat.json:
        typer.echo(dumps_json(report))
        return
    assumed = sum(c.basis == "assumption" for c in model.coefficients)
    err(f"simulated {rows:,} rows × {len(columns)} columns from {loaded.hypothesis.id} (seed {seed}); "
        f"{assumed} of {len(model.coefficients)} coefficients are assumptions (see --format json)")
    if report["dropped_latent"]:
        err("latent nodes drawn and dropped: " + ", ".join(report["dropped_latent"]))
    for note in model.notes:
        err("note: " + note)


def _write_parquet(output: Path, columns: list[str], values: dict[str, Any], force: bool) -> None:
    import os
    import tempfile

    from ..data.table import write_parquet

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(fd)
    try:
        write_parquet(Path(tmp), columns, values)
        os.replace(tmp, output)
    finally:
        Path(tmp).unlink(missing_ok=True)
    err(f"wrote {display_path(output)}")
