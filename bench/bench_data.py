"""Benchmark of the data layer (issue 11).

Targets: ``simulate`` 1,000,000 rows of a 100-node graph in under 10 s on the 2-core
development machine (the draw, in memory; writing 100 million numbers as CSV text is
timed separately, and Parquet when pyarrow is installed), and ``diagnose`` with 500
simulations × 5 sample sizes on the ME/CFS hypothesis in under 20 s.
Run: ``.venv/bin/python bench/bench_data.py [--rows 1000000] [--nodes 100] [--sims 500] [--jobs 2]``.

Recorded 2026-12-01 on the 2-core machine shared with seven other sessions (load average about 7,
so every figure is inflated): draw of 1,000,000 × 100 (float32) 4.9 s and 7.7 s in two runs (target
10 s); CSV text 5.8–11 s per 100,000 rows, so 60–110 s for the full file; Parquet of all rows 12 s
(413 MB); diagnose 500 × 5 n on ME/CFS 2.0–3.1 s with --jobs 1 and 1.5–1.7 s with --jobs 2 (target 20 s).
"""

from __future__ import annotations

import argparse
import io
import random
import time
from pathlib import Path

import numpy as np

from hypoplan.api import load
from hypoplan.data.diagnose import diagnose
from hypoplan.data.scm import build_scm
from hypoplan.data.strategy import choose_strategy
from hypoplan.data.table import format_csv
from hypoplan.graph import build_graph
from hypoplan.schema import Edge, Hypothesis, Node

ROOT = Path(__file__).resolve().parents[1]


def random_hypothesis(nodes: int, degree: float, seed: int) -> Hypothesis:
    """A random DAG hypothesis with ``nodes * degree / 2`` edges, a tenth of the nodes binary (condition)."""
    rng = random.Random(seed)
    names = [f"v{i}" for i in range(nodes)]
    edges: set[tuple[int, int]] = set()
    while len(edges) < int(nodes * degree / 2):
        i, j = sorted(rng.sample(range(nodes), 2))
        edges.add((i, j))
    return Hypothesis(
        id="bench", title="bench",
        nodes=tuple(Node(id=n, kind="condition" if k % 10 == 0 else "mechanism") for k, n in enumerate(names)),
        edges=tuple(Edge(source=names[i], target=names[j], sign=rng.choice("+-")) for i, j in sorted(edges)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--nodes", type=int, default=100)
    ap.add_argument("--sims", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    g = build_graph(random_hypothesis(args.nodes, 4, 1))
    t = time.perf_counter()
    model = build_scm(g)
    t_model = time.perf_counter() - t
    t = time.perf_counter()
    values = model.sample(args.rows, np.random.default_rng(0), dtype=np.float32)  # as `hypoplan simulate` draws
    t_draw = time.perf_counter() - t
    print(f"simulate: {args.rows:,} rows x {args.nodes} nodes: model {t_model:.2f} s, draw {t_draw:.2f} s "
          f"(target < 10 s)")
    cols = list(model.order)
    t = time.perf_counter()
    some = {c: v[:100_000] for c, v in values.items()}
    size = len(format_csv(cols, some, model.binary))
    t_csv = time.perf_counter() - t
    print(f"  CSV text of 100,000 rows: {t_csv:.2f} s ({size / 1e6:.0f} MB); the full file would take about "
          f"{t_csv * args.rows / 100_000:.0f} s")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        t = time.perf_counter()
        buf = io.BytesIO()
        pq.write_table(pa.table({c: values[c] for c in cols}), buf)
        print(f"  Parquet of all rows: {time.perf_counter() - t:.2f} s ({len(buf.getvalue()) / 1e6:.0f} MB)")
    except ImportError:
        print("  Parquet: pyarrow is not installed (pip install 'hypoplan[parquet]')")
    del values, some

    mecfs = build_graph(load(ROOT / "hypotheses" / "mecfs-ne-vasomotion.yaml").hypothesis)
    m, s = build_scm(mecfs), choose_strategy(mecfs)
    ns = [50, 100, 200, 400, 800]
    for jobs in sorted({1, args.jobs}):
        t = time.perf_counter()
        diagnose(m, s, ns, sims=args.sims, seed=0, jobs=jobs)
        print(f"diagnose: {args.sims} sims x {len(ns)} n on ME/CFS, --jobs {jobs}: "
              f"{time.perf_counter() - t:.2f} s (target < 20 s)")


if __name__ == "__main__":
    main()
