"""Benchmark of the causal analysis on random DAGs with 100 nodes and average degree 4.

Targets (issue 3): minimal adjustment sets (cap 100) and instruments each < 50 ms,
the basis of testable implications < 200 ms, the whole ``hypoplan analyze`` command
< 0.5 s wall.  Run: ``.venv/bin/python bench/bench_analysis.py [--graphs 20] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from hypoplan.analysis import analyze
from hypoplan.analysis.adjustment import minimal_adjustment_sets
from hypoplan.analysis.implications import basis_implications
from hypoplan.analysis.instruments import conditional_instruments

TARGETS_MS = {"minimal adjustment sets": 50, "instruments": 50, "implications (basis)": 200,
              "analyze() in process": None, "hypoplan analyze (wall)": 500, "hypoplan --help (floor)": None}


def random_dag(n: int, degree: float, rng: random.Random, latent: int = 0) -> tuple[nx.DiGraph, str, str]:
    """A random DAG on ``n`` nodes with ``n * degree / 2`` edges, and an exposure that is an ancestor of the outcome."""
    order = [f"v{i}" for i in range(n)]
    rng.shuffle(order)
    m = int(n * degree / 2)
    edges: set[tuple[str, str]] = set()
    while len(edges) < m:
        i, j = sorted(rng.sample(range(n), 2))
        edges.add((order[i], order[j]))
    g = nx.DiGraph()
    g.add_nodes_from(order)
    g.add_edges_from(edges)
    for v in g:
        g.nodes[v]["observed"] = True
    # an exposure in the middle of the causal order (it has ancestors to confound it) and one of its descendants
    while True:
        x = rng.choice(order[n * 2 // 5: n * 7 // 10])
        below = sorted(nx.descendants(g, x))
        if below:
            y = rng.choice(below)
            break
    for i in range(latent):  # unmeasured common causes of random pairs (not of X or Y)
        a, b = rng.sample([v for v in order if v not in (x, y)], 2)
        g.add_edges_from([(f"U{i}", a), (f"U{i}", b)])
        g.nodes[f"U{i}"]["observed"] = False
    g.graph.update(exposure=(x,), outcome=(y,), adjusted=())
    return g, x, y


def to_dagitty(g: nx.DiGraph, x: str, y: str) -> str:
    lines = ["dag {", f"{x} [exposure]", f"{y} [outcome]"]
    lines += [f"{v} [latent]" for v in sorted(g) if not g.nodes[v]["observed"]]
    lines += [f"{a} -> {b}" for a, b in sorted(g.edges)]
    return "\n".join(lines + ["}"]) + "\n"


def timed(func, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--graphs", type=int, default=20)
    ap.add_argument("--nodes", type=int, default=100)
    ap.add_argument("--degree", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cli-runs", type=int, default=5)
    ap.add_argument("--latent", type=int, default=0, help="add this many latent common causes of random pairs")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {k: [] for k in TARGETS_MS}
    counts = {"sets": [], "instruments": [], "implications": []}
    hypoplan = Path(sys.executable).with_name("hypoplan")
    tmp = Path(tempfile.mkdtemp())
    for k in range(args.graphs):
        g, x, y = random_dag(args.nodes, args.degree, rng, args.latent)
        sets, _ = minimal_adjustment_sets(g, {x}, {y}, max_results=100)
        counts["sets"].append(len(sets))
        times["minimal adjustment sets"].append(timed(lambda g=g, x=x, y=y: minimal_adjustment_sets(g, {x}, {y}, max_results=100)))
        ins, _ = conditional_instruments(g, x, y, max_results=100)
        counts["instruments"].append(len(ins))
        times["instruments"].append(timed(lambda g=g, x=x, y=y: conditional_instruments(g, x, y, max_results=100)))
        imps, _ = basis_implications(g)
        counts["implications"].append(len(imps))
        times["implications (basis)"].append(timed(lambda g=g: basis_implications(g)))
        times["analyze() in process"].append(timed(lambda g=g: analyze(g), repeat=1))
        if k < args.cli_runs:
            path = tmp / f"g{k}.dagitty"
            path.write_text(to_dagitty(g, x, y))
            t = time.perf_counter()
            proc = subprocess.run([str(hypoplan), "analyze", str(path), "--format", "json"], capture_output=True, check=False)
            times["hypoplan analyze (wall)"].append((time.perf_counter() - t) * 1000)
            if proc.returncode != 0:
                sys.exit(f"hypoplan analyze failed: {proc.stderr.decode()}")
            t = time.perf_counter()  # interpreter + CLI start-up alone, for comparison
            subprocess.run([str(hypoplan), "--help"], capture_output=True, check=False)
            times["hypoplan --help (floor)"].append((time.perf_counter() - t) * 1000)
    print(f"{args.graphs} random DAGs, {args.nodes} nodes, average degree {args.degree:g}, seed {args.seed}, "
          f"{args.latent} latent confounders")
    print(f"  minimal sets per graph (cap 100): median {statistics.median(counts['sets']):g}, "
          f"max {max(counts['sets'])}; instruments median {statistics.median(counts['instruments']):g}; "
          f"basis implications median {statistics.median(counts['implications']):g}")
    print(f"{'task':<28}{'median ms':>11}{'max ms':>10}{'target ms':>11}  ok")
    for name, values in times.items():
        if not values:
            continue
        target = TARGETS_MS[name]
        ok = "" if target is None else ("yes" if max(values) < target else "NO")
        print(f"{name:<28}{statistics.median(values):>11.1f}{max(values):>10.1f}"
              f"{'' if target is None else target:>11}  {ok}")


if __name__ == "__main__":
    main()
