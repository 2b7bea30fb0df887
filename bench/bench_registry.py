"""Benchmark of the registry: ``hypoplan map`` on 1,000 generated files and ``hypoplan site`` on 200.

Targets (issue 15): map on 1,000 files < 10 s and < 500 MB peak memory; site on 200 files < 60 s with
Graphviz called once per page that has a diagram (one per hypothesis, plus the map).  The generated
registry has file families (a tenth of the files are roots, a third of the rest extend one), nodes drawn
from the catalog's measurable constructs under file-specific ids (so merging is by construct), random
signs, evidence from a pool of shared citations, and one rival pair per 20 files.

Run: ``.venv/bin/python bench/bench_registry.py [--files 1000] [--site-files 200] [--seed 1]``.
Timings on a loaded machine are inflated; the numbers printed are what was measured.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SIGNS = ["+", "-", "+", "+", "?"]
SPECIES = ["human", "human", "mouse", "rat"]
DESIGNS = ["observational", "cohort", "rct", "knockout", "review"]


def constructs() -> list[str]:
    from hypoplan.design.catalog import default_catalog

    cat = default_catalog()
    return sorted({c for m in cat.methods for c in m.constructs})


def generate(folder: Path, n: int, seed: int) -> None:
    """Write ``n`` hypothesis files into ``folder``."""
    rng = random.Random(seed)
    pool = constructs()
    cites = [f"doi:10.5555/bench.{i}" for i in range(max(20, n // 5))]
    roots: dict[str, set[int]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        hid = f"h{i:04d}"
        parent = rng.choice(sorted(roots)) if roots and i % 10 and rng.random() < 0.3 else None
        # a child draws other constructs than its parent (re-using one under another id would make it ambiguous)
        free = [c for c in range(len(pool)) if parent is None or c not in roots[parent]]
        chosen = sorted(rng.sample(free, 8))  # ordered: edges go forward, so no cycles
        nodes = [{"id": f"n{k}_{i}", "label": pool[c].replace("_", " "), "constructs": [pool[c]]}
                 for k, c in enumerate(chosen)]
        edges = []
        for _ in range(10):
            a, b = sorted(rng.sample(range(8), 2))
            if any(e["source"] == nodes[a]["id"] and e["target"] == nodes[b]["id"] for e in edges):
                continue
            ev = [{"citation": rng.choice(cites), "design": rng.choice(DESIGNS), "species": rng.choice(SPECIES),
                   "direction": rng.choice(["supports", "supports", "contradicts"]), "finding": "generated"}
                  for _ in range(rng.randint(0, 2))]
            edge = {"source": nodes[a]["id"], "target": nodes[b]["id"], "sign": rng.choice(SIGNS),
                    "confidence": "suggestive" if ev else "speculative", "notes": "generated"}
            if ev:
                edge["evidence"] = ev
            edges.append(edge)
        data: dict[str, object] = {"id": hid, "title": f"Generated hypothesis {i}", "status": "idea",
                                   "focus": {"exposure": nodes[0]["id"], "outcome": nodes[-1]["id"]},
                                   "nodes": nodes, "edges": edges}
        if i % 10 == 0:
            roots[hid] = set(chosen)
        elif parent is not None:
            data["extends"] = [parent]
        if i % 20 == 1:
            data["rivals"] = [f"h{i - 1:04d}"]
        if i % 20 == 0 and i + 1 < n:
            data["rivals"] = [f"h{i + 1:04d}"]
        (folder / f"{hid}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, steadier on a loaded machine) and peak resident memory (MB)
    of one hypoplan command in a child process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hypoplan", *args], capture_output=True, env=env, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"hypoplan {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return wall, cpu, max(usage.ru_maxrss, before) / 1024  # Linux reports KB; the peak of the largest child so far


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--site-files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big, small = root / "big", root / "small"
        generate(big, opts.files, opts.seed)
        generate(small, opts.site_files, opts.seed)
        wall, cpu, mb = run(["map", str(big), "--format", "json", "-o", str(root / "map.json")])
        ok = "ok" if wall < 10 and mb < 500 else "OVER TARGET"
        print(f"map on {opts.files} files: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {mb:.0f} MB "
              f"(targets < 10 s, < 500 MB) {ok}")
        # count Graphviz calls with a logging `dot` in front of the real one
        real = shutil.which("dot")
        if real is None:
            print("site: skipped (no Graphviz `dot` on PATH)")
            return
        bindir, log = root / "bin", root / "dot-calls.log"
        bindir.mkdir()
        (bindir / "dot").write_text(f'#!/bin/sh\necho call >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
        (bindir / "dot").chmod(0o755)
        env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
        wall, cpu, mb = run(["site", str(small), "-o", str(root / "site")], env)
        calls = len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0
        ok = "ok" if wall < 60 and calls == opts.site_files + 1 else "OVER TARGET"
        print(f"site on {opts.site_files} files: {wall:.2f} s wall, {cpu:.2f} s CPU, peak {mb:.0f} MB, {calls} Graphviz calls "
              f"(target < 60 s, {opts.site_files + 1} calls: one per hypothesis page and the map) {ok}")


if __name__ == "__main__":
    main()
