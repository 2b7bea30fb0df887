"""``hypoplan simulate``, ``test-data``, ``estimate`` and ``diagnose``: the hypothesis meets data."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..graph import build_graph
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
    seed: int = typer.Option(0, "--seed", "-s", min=0, help="Random seed: the same seed gives the same file."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the data here (.csv, or .parquet with pyarrow) "
                                "instead of stdout."),
    effect: list[str] = typer.Option(None, "--effect", "-e", help=EFFECT_HELP),
    keep_latent: bool = typer.Option(False, "--keep-latent", help="Keep the latent nodes' columns."),
    randomise: str = typer.Option(None, "--randomise", help="Draw this node at random (0/1 with equal chance, or "
                                  "Gaussian), as the randomised study would: its incoming edges are cut."),
    crossover: bool = typer.Option(False, "--crossover", help="With --randomise: an AB/BA crossover of N people, "
                                   "two rows each (columns participant and period; traits shared by both periods)."),
    split_body: bool = typer.Option(False, "--split-body", help="With --randomise: a split-body comparison of N "
                                    "people, two rows each, one per site (column participant; no period)."),
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

        hypoplan simulate h.yaml -n 400 --randomise drug -o trial.csv   # data of the randomised study

        hypoplan simulate h.yaml -n 40 --randomise drug --crossover -o crossover.csv

        hypoplan simulate h.yaml -n 40 --randomise cooling --split-body -o split.csv
    """
    import numpy as np

    from ..errors import UsageError
    from .common import check_output, write_output

    if format is DataFormat.json and (output is None or str(output) == "-"):
        raise UsageError("--format json writes the model report to stdout, so the data need -o FILE",
                         hint="add -o data.csv")
    check_output(output, force=force)
    loaded = load_argument(file)
    g = build_graph(loaded.hypothesis)
    model = _model(g, effect, binary, continuous)
    columns = [n for n in model.order if keep_latent or n not in model.latent]
    if not columns:
        raise UsageError(f"{loaded.file.display}: the hypothesis has no observed nodes to simulate",
                         hint="pass --keep-latent to keep the latent ones")
    rng = np.random.default_rng(seed)
    do = {}
    if randomise is not None:
        if randomise not in model.order:
            raise UsageError(f"--randomise: {randomise!r} is not a node of the hypothesis",
                             hint="use a node id from the file")
        do[randomise] = (rng.integers(0, 2, size=rows).astype(np.float32) if randomise in model.binary
                         else rng.standard_normal(rows, dtype=np.float32))
    if crossover and split_body:
        raise UsageError("--crossover and --split-body are two different designs", hint="pass one of them")
    if crossover or split_body:
        values, columns = _crossover_rows(model, rows, rng, randomise, columns, period=crossover)
    else:
        values = model.sample(rows, rng, do=do, dtype=np.float32)  # 6 significant digits are written
    if output is not None and output.suffix.lower() == ".parquet":
        _write_parquet(output, columns, values, force)
    else:
        from ..data.table import format_csv

        write_output(output, format_csv(columns, values, model.binary | {"participant", "period"}), force=force)
    dropped: list[str] = [] if keep_latent else sorted(model.latent)
    report = {
        "hypothesis": loaded.hypothesis.id, "rows": rows, "seed": seed, "columns": columns,
        "binary": sorted(model.binary & set(columns)),
        "dropped_latent": dropped, "randomised": randomise, "crossover": crossover, "split_body": split_body,
        "coefficients": [c.to_json() for c in model.coefficients], "notes": list(model.notes),
    }
    if format is DataFormat.json:
        typer.echo(dumps_json(report))
        return
    assumed = sum(c.basis == "assumption" for c in model.coefficients)
    err(f"simulated {rows:,} rows × {len(columns)} columns from {loaded.hypothesis.id} (seed {seed}); "
        f"{assumed} of {len(model.coefficients)} coefficients are assumptions (see --format json)")
    if dropped:
        err("latent nodes drawn and dropped: " + ", ".join(dropped))
    if randomise:
        err(f"{randomise} assigned at random (its causes ignored), as in the randomised study")
    for note in model.notes:
        err("note: " + note)


def _crossover_rows(model: SCM, people: int, rng: Any, node: str | None, columns: list[str], *, period: bool = True
                    ) -> tuple[dict[str, Any], list[str]]:
    """Two rows per person (period 1 and 2, the arm order random), from :meth:`SCM.sample_crossover`; without
    ``period``, a split-body comparison: the same two rows (one per site) and no period column."""
    import numpy as np

    from ..errors import UsageError

    flag = "--crossover" if period else "--split-body"
    if node is None:
        raise UsageError(f"{flag} needs --randomise NODE (the node given in both conditions)",
                         hint=f"e.g. --randomise DRUG_NODE {flag}")
    added = ("participant", "period") if period else ("participant",)
    clash = [c for c in added if c in model.order]
    if clash:
        raise UsageError(f"{flag} adds a column {clash[0]!r}, which is also a node id", hint="rename the node")
    control, treated = model.sample_crossover(people, rng, node, dtype=np.float32)
    treated_first = rng.integers(0, 2, size=people).astype(bool)
    values: dict[str, Any] = {}
    for v in model.order:
        first = np.where(treated_first, treated[v], control[v])
        second = np.where(treated_first, control[v], treated[v])
        values[v] = np.stack([first, second], axis=1).reshape(-1)
    values["participant"] = np.repeat(np.arange(1, people + 1), 2)
    if not period:
        return values, ["participant", *columns]
    values["period"] = np.tile([1, 2], people)
    return values, ["participant", "period", *columns]


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


def _columns(table: Any, map_file: Path | None, g: nx.DiGraph) -> dict[str, str]:
    from ..data.table import DataError, read_map

    if map_file is None:
        return {}
    mapping = read_map(map_file, display_path(map_file))
    for node, column in mapping.items():
        if node not in g:
            raise DataError(f"{display_path(map_file)}: {node!r} is not a node of the hypothesis",
                            hint="map node ids (see `hypoplan analyze`) to column names")
        if not table.has(column):
            raise DataError(f"{display_path(map_file)}: column {column!r} (for {node}) is not in {table.display}",
                            hint="columns are: " + ", ".join(table.names[:12]))
    return mapping


MAP_HELP = "YAML file mapping node ids to column names (node_id: column); default: columns named by node id."


@app.command("test-data")
@handle_errors
def test_data(
    file: str = typer.Argument(..., help="A hypothesis YAML file, a .dagitty file, or - for stdin."),
    data: Path = typer.Argument(..., help="The data: a CSV file (or .parquet with pyarrow)."),
    map_file: Path = typer.Option(None, "--map", help=MAP_HELP),
    alpha: float = typer.Option(0.05, "--alpha", min=1e-6, max=0.5, help="Significance level after adjustment."),
    fdr: bool = typer.Option(False, "--fdr", help="Control the false discovery rate (Benjamini-Hochberg) "
                             "instead of the family-wise error rate (Holm)."),
    all_implications: bool = typer.Option(False, "--all-implications", help="Test every minimal implication, "
                                           "not one per non-adjacent pair (the basis set)."),
    format: DataFormat = typer.Option(DataFormat.text, "--format", "-f", help="Output format."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Test every conditional independence the graph implies against a dataset.

    Fisher z on partial correlations for continuous pairs, a likelihood-ratio test of
    nested logistic GLMs when either variable is binary; p-values adjusted by Holm (or
    Benjamini-Hochberg with --fdr). A rejected implication names the edges whose absence
    it tests. Nodes without a column are unmeasured: the implications that need them are
    listed as skipped. Rows with missing values are dropped per test. Exit 0 when no
    implication is rejected, 1 when some are, 2 for unusable input.

    Examples:

        hypoplan test-data hypotheses/mecfs-ne-vasomotion.yaml data.csv

        hypoplan test-data h.yaml pilot.csv --map columns.yaml --fdr --format json
    """
    from ..data.citests import test_graph
    from ..data.table import read_table
    from .common import write_output

    loaded = load_argument(file)
    g = build_graph(loaded.hypothesis)
    table = read_table(data, display_path(data))
    columns = _columns(table, map_file, g)
    result = test_graph(g, table, columns=columns, alpha=alpha, fdr=fdr, all_implications=all_implications)
    if format is DataFormat.json:
        text = dumps_json(result.to_json()) + "\n"
    else:
        text = _test_data_text(result, loaded.hypothesis.id, table.display)
    write_output(output, text, force=force)
    if result.rejected:
        raise typer.Exit(1)


def _fmt_p(p: float) -> str:
    return "<1e-4" if p < 1e-4 else f"{p:.4f}"


def _test_data_text(result: Any, hid: str, display: str) -> str:
    method = "Benjamini-Hochberg FDR" if result.method == "fdr-bh" else "Holm"
    lines = [(f"{hid} against {display}: {len(result.tests)} implication(s) tested on {result.rows} row(s), "
              f"{result.rejected} rejected at alpha = {result.alpha:g} ({method})")]
    if result.tests:
        lines.append(f"share rejected: {result.share_rejected:.1%}")
    if result.dropped_rows:
        lines.append(f"{result.dropped_rows} row(s) have a missing value; each test drops only its own incomplete rows")
    lines.append("")
    for t in sorted(result.tests, key=lambda t: (not t.rejected, t.p_value)):
        given = f" | {', '.join(t.given)}" if t.given else ""
        mark = "REJECTED" if t.rejected else "ok"
        dropped = f", {t.dropped} dropped" if t.dropped else ""
        lines.append(f"  {mark:8} {t.x} ⫫ {t.y}{given}  [{t.test} {t.statistic:.3f}, p {_fmt_p(t.p_value)}, "
                     f"adjusted {_fmt_p(t.p_adjusted)}, n {t.n}{dropped}]")
        if t.rejected:
            lines.append(f"           the data suggest a connection the graph leaves out: {' or '.join(t.absent_edges)}"
                         + (f" (or a path open given {', '.join(t.given)})" if t.given else ""))
    if result.skipped:
        lines.append("")
        lines.append(f"not tested ({len(result.skipped)}):")
        for s in result.skipped:
            given = f" | {', '.join(s.given)}" if s.given else ""
            lines.append(f"  {s.x} ⫫ {s.y}{given}: {s.reason}")
    return "\n".join(lines) + "\n"


def _strategy(loaded: Any, g: nx.DiGraph, exposure: str | None, outcome: str | None, adjust: str | None,
              observational: bool, available: set[str] | None = None) -> Any:
    """``--adjust`` when given, else the plan's own strategy (catalog costs and population included;
    with ``available``, restricted to the nodes the data have columns for)."""
    from ..data.strategy import choose_strategy, plan_strategy

    if adjust is not None:
        return choose_strategy(g, exposure, outcome, split_ids(adjust, "--adjust", allow_empty=True))
    return plan_strategy(loaded.hypothesis, g, loaded.repository, exposure, outcome, observational=observational,
                         available=available)


OBSERVATIONAL_HELP = ("Observational data (not from the plan's randomised study): when the plan randomises, use "
                      "the strongest strategy without randomisation (adjustment, front door, instrument).")


@app.command()
@handle_errors
def estimate(
    file: str = typer.Argument(..., help="A hypothesis YAML file, a .dagitty file, or - for stdin."),
    data: Path = typer.Argument(..., help="The data: a CSV file (or .parquet with pyarrow)."),
    adjust: str = typer.Option(None, "--adjust", "-a", help="Regress on this adjustment set instead of the "
                               "plan's strategy (comma-separated node ids; '' for none)."),
    exposure: str = typer.Option(None, "--exposure", "-x", help="Exposure node (default: the focus)."),
    outcome: str = typer.Option(None, "--outcome", "-y", help="Outcome node (default: the focus)."),
    observational: bool = typer.Option(False, "--observational", help=OBSERVATIONAL_HELP),
    logit: bool = typer.Option(False, "--logit", help="For a 0/1 outcome: a logistic GLM (log odds ratio) "
                               "instead of the linear probability model (risk difference)."),
    pair_by: str = typer.Option(None, "--pair-by", help="For a randomised crossover or split-body design: the "
                                "participant column; a paired analysis of within-person differences."),
    map_file: Path = typer.Option(None, "--map", help=MAP_HELP),
    alpha: float = typer.Option(0.05, "--alpha", min=1e-6, max=0.5, help="1 - confidence level of the interval."),
    format: DataFormat = typer.Option(DataFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Estimate the focal effect from data with the plan's answer strategy.

    The strategy `hypoplan plan` chooses: the difference between randomised arms, regression
    on the minimum-cost adjustment set (statsmodels OLS), the front-door product, or two-stage
    least squares with a conditional instrument. --observational skips randomisation (for
    data not from the randomised study); --adjust fits a regression on a set you give. Reports the estimate,
    standard error, 95% interval, rows used, the adjustment set and the model formula.
    Exit 0 on success, 2 when the data or the strategy do not allow an estimate.

    Examples:

        hypoplan estimate hypotheses/mecfs-ne-vasomotion.yaml data.csv

        hypoplan estimate h.yaml data.csv --adjust age,bmi --format json

        hypoplan estimate h.yaml observational.csv --observational

        hypoplan estimate h.yaml crossover.csv --pair-by participant
    """
    from ..data.estimate import estimate_effect
    from ..data.table import read_table

    loaded = load_argument(file)
    g = build_graph(loaded.hypothesis)
    table = read_table(data, display_path(data))
    columns = _columns(table, map_file, g)
    available = {n for n in g if table.has(columns.get(n, n))}
    strategy = _strategy(loaded, g, exposure, outcome, adjust, observational, available)
    result = estimate_effect(strategy, table, columns=columns, alpha=alpha, logit=logit, pair_by=pair_by)
    if format is DataFormat.json:
        typer.echo(dumps_json(result.to_json()))
        return
    s = result.strategy
    level = f"{1 - alpha:.0%}"
    lines = [(f"effect of {s.exposure} on {s.outcome}: {result.estimate:.4g} (SE {result.se:.3g}; "
              f"{level} CI {result.lo:.4g} to {result.hi:.4g}; p {_fmt_p(result.p_value)}; n {result.n})"),
             f"strategy: {s.name} — {s.reason}",
             f"model: {result.model}: {result.formula}"]
    if s.adjustment:
        lines.append(f"{'conditioning set' if s.name == 'instrument' else 'adjustment set'}: {', '.join(s.adjustment)}")
    if result.dropped:
        lines.append(f"{result.dropped} row(s) with a missing value dropped")
    typer.echo("\n".join(lines))


def _sizes(text: str) -> list[int]:
    from ..errors import UsageError

    try:
        ns = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"--n {text!r} is not a list of sample sizes", hint="e.g. --n 50,100,200") from None
    if not ns or any(n < 1 or n > 1_000_000 for n in ns):
        raise UsageError(f"--n {text!r}: give sample sizes between 1 and 1,000,000", hint="e.g. --n 50,100,200")
    return ns


@app.command()
@handle_errors
def diagnose(
    file: str = typer.Argument(..., help="A hypothesis YAML file, a .dagitty file, or - for stdin."),
    n: str = typer.Option("50,100,200", "--n", help="Sample sizes to diagnose, comma-separated."),
    sims: int = typer.Option(500, "--sims", min=2, max=100_000, help="Simulated studies per sample size."),
    seed: int = typer.Option(0, "--seed", "-s", min=0, help="Random seed: the same seed gives the same diagnosis."),
    rival: bool = typer.Option(False, "--rival", help="Also draw data from each rival hypothesis and report how "
                               "often the study favours the right one."),
    adjust: str = typer.Option(None, "--adjust", "-a", help="Diagnose a regression on this set instead of the "
                               "plan's strategy (comma-separated; '' for none)."),
    exposure: str = typer.Option(None, "--exposure", "-x", help="Exposure node (default: the focus)."),
    outcome: str = typer.Option(None, "--outcome", "-y", help="Outcome node (default: the focus)."),
    observational: bool = typer.Option(False, "--observational", help=OBSERVATIONAL_HELP),
    effect: list[str] = typer.Option(None, "--effect", "-e", help=EFFECT_HELP),
    binary: str = typer.Option(None, "--binary", help=BINARY_HELP),
    continuous: str = typer.Option(None, "--continuous", help=CONTINUOUS_HELP),
    alpha: float = typer.Option(0.05, "--alpha", min=1e-6, max=0.5, help="Significance level."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=64, help="Worker processes."),
    format: DataFormat = typer.Option(DataFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Diagnose the study design by simulation, as DeclareDesign does.

    Draws --sims datasets of each size from the hypothesis (see `simulate`), applies the
    plan's answer strategy (see `estimate`) and reports, for each n: bias, RMSE, power,
    95% interval coverage and the mean estimate against the true effect. With --rival the
    data are also drawn from each rival hypothesis, and the report says how often a study
    favours this hypothesis, the rival, or neither. Results do not depend on --jobs.
    Exit 0 on success, 2 for usage errors.

    Examples:

        hypoplan diagnose hypotheses/mecfs-ne-vasomotion.yaml --n 50,100,200 --sims 500

        hypoplan diagnose h.yaml --rival --jobs 2 --format json

        hypoplan diagnose h.yaml --adjust '' --n 100,400   # what ignoring confounding costs
    """
    ns = _sizes(n)
    loaded = load_argument(file)
    g = build_graph(loaded.hypothesis)
    model = _model(g, effect, binary, continuous)
    # the simulated data hold every observed node, so each counts as measured (as estimate treats columns)
    observed = {v for v, d in g.nodes(data=True) if d.get("observed", True) and not d.get("implicit")}
    strategy = _strategy(loaded, g, exposure, outcome, adjust, observational, observed)
    rivals: list[tuple[str, SCM]] = []
    if rival:
        from ..design.rivals import load_rivals
        from ..errors import UsageError

        found, missing = load_rivals(loaded.hypothesis, loaded.repository)
        for m in missing:
            err(f"warning: {m}")
        if not found:
            raise UsageError(f"{loaded.file.display}: --rival needs a rival hypothesis, and none could be loaded",
                             hint="name rivals under `rivals:` and keep their files in the same folder")
        from ..data.scm import build_scm

        rivals = [(h.id, build_scm(build_graph(h))) for h in found]
    results = []
    entries: list[tuple[str, SCM] | None] = list(rivals) or [None]
    for entry in entries:
        results.append(_diagnose_with_progress(model, strategy, ns, sims, seed, alpha, jobs, entry))
    if format is DataFormat.json:
        payload = results[0].to_json()
        if len(results) > 1:
            payload["rivals"] = [r.to_json()["rival"] for r in results]
        typer.echo(dumps_json(payload))
        return
    typer.echo(_diagnosis_text(results, loaded.hypothesis.id))


def _diagnose_with_progress(model: SCM, strategy: Any, ns: list[int], sims: int, seed: int, alpha: float,
                            jobs: int, rival: tuple[str, SCM] | None) -> Any:
    from rich.console import Console
    from rich.progress import Progress

    from ..data.diagnose import diagnose as run

    total = sims * len(ns) * (2 if rival else 1)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("simulating" + (f" (rival {rival[0]})" if rival else ""), total=total)
        return run(model, strategy, ns, sims=sims, seed=seed, alpha=alpha, jobs=jobs, rival=rival,
                   progress=lambda k: bar.advance(task, k))


def _f(v: float | None, spec: str = ".3f") -> str:
    import math

    return "—" if v is None or math.isnan(v) else format(v, spec)


def _diagnosis_text(results: list[Any], hid: str) -> str:
    d = results[0]
    s = d.strategy
    lines = [(f"{hid}: diagnosis of the {s.name} strategy for {s.exposure} -> {s.outcome} "
              f"({d.sims} simulated studies per n, alpha {d.alpha:g})"),
             f"true effect (from the model): {d.true_effect:.4g}"]
    if s.adjustment:
        lines.append(f"{'conditioning set' if s.name == 'instrument' else 'adjustment set'}: {', '.join(s.adjustment)}")
    lines.append("")
    lines.append(f"{'n':>8} {'bias':>9} {'rmse':>8} {'power':>7} {'coverage':>9} {'mean est':>9} {'type-S':>7}")
    for r in d.rows:
        lines.append(f"{r.n:>8} {_f(r.bias, '+.4f'):>9} {_f(r.rmse, '.4f'):>8} {_f(r.power):>7} "
                     f"{_f(r.coverage):>9} {_f(r.mean_estimate, '.4f'):>9} {_f(r.type_s):>7}")
    for res in results:
        if res.rival_id is None:
            continue
        lines.append("")
        lines.append(f"data drawn from the rival {res.rival_id} (its effect: {res.rival_effect:.4g}); "
                     "share of studies whose interval favours:")
        lines.append(f"{'n':>8} {'this':>7} {'rival':>7} {'neither':>8}   (data from this hypothesis: this, rival)")
        for r, t in zip(res.rival_rows, res.this_rows):
            lines.append(f"{r.n:>8} {_f(r.favours_this):>7} {_f(r.favours_rival):>7} {_f(r.undecided):>8}   "
                         f"({_f(t.favours_this)}, {_f(t.favours_rival)})")
    notes = dict.fromkeys(n for r in results for n in r.notes)
    lines.extend(f"note: {n}" for n in notes)
    return "\n".join(lines) + "\n"
