"""Benchmark of whole ``hypoplan`` commands at repository scale (issue 14).

Each command is timed as a fresh process (median wall time of ``--runs`` runs)
and printed next to the floor, ``python -c "import networkx, pydantic, typer"``,
as a ratio.  ``plan`` is also compared with ``python -c "import
statsmodels.stats.power"``.  Peak RSS is measured for ``check`` on the 1,000
files.

Targets (issue 14): check on 1,000 files < 5 s or <= 10x the floor and < 300 MB;
analyze on a 100-node DAG <= 1.3x the floor; check of the six shipped files
<= 1.3x the floor; plan on ME/CFS < 2x the statsmodels import; review of one
changed file in a 200-file repository < 3 s.

Run: ``.venv/bin/python bench/bench_commands.py [--runs 3] [--files 1000]``.
Timings depend on the machine's load: the load average is printed with them.

Every command runs with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE``
removed, the cache kept in a temporary ``PYTHONPYCACHEPREFIX``) after one
untimed warm-up run, as an installed package runs: otherwise hypoplan's own
modules would be compiled from source on every run while the floor's packages
load from their installed bytecode (about 100 ms of difference on this machine).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "hypotheses"


def hypoplan_cmd() -> list[str]:
    script = Path(sys.executable).with_name("hypoplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hypoplan"]


#: The environment of every timed process (set by :func:`main`: the bytecode cache on, in a temporary folder).
ENV: dict[str, str] = dict(os.environ)


def bytecode_environment(cache: Path) -> dict[str, str]:
    """The environment with Python's bytecode cache on, kept under ``cache`` (the source trees stay clean)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def run(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0, 1)) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def median_of(runs: int, func: Callable[[], tuple[float, float, int]],
              warm_up: bool = True) -> tuple[float, float, float, int]:
    """Median and minimum wall seconds, median CPU seconds and the largest peak RSS over ``runs`` runs.

    On a loaded machine wall time includes waiting for a CPU; CPU time does not, so its ratios are steadier.
    ``warm_up`` first runs the command once untimed (it fills the bytecode cache).
    """
    if warm_up:
        func()
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        wall, cpu, peak = func()
        walls.append(wall)
        cpus.append(cpu)
        rss.append(peak)
    return statistics.median(walls), min(walls), statistics.median(cpus), max(rss)


def generate_repository(folder: Path, count: int) -> list[Path]:
    """``count`` hypothesis files of the shipped size: the six shipped files and renamed copies of them.

    Copies keep their ``extends``/``rivals`` (which resolve to the shipped
    files) and get a fresh id, so ``check`` reports no duplicate ids.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shipped = sorted(SHIPPED.glob("*.yaml"))
    paths = []
    for src in shipped:
        paths.append(folder / src.name)
        shutil.copyfile(src, paths[-1])
    i = 0
    while len(paths) < count:
        src = shipped[i % len(shipped)]
        new_id = f"{src.stem}-copy{i:04d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", src.read_text(encoding="utf-8"), count=1)
        paths.append(folder / f"{new_id}.yaml")
        paths[-1].write_text(text, encoding="utf-8")
        i += 1
    return paths


def dag_file(folder: Path, nodes: int, seed: int) -> Path:
    """A random 100-node DAG (average degree 4) as a DAGitty file, as in bench_analysis.py."""
    import random

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_analysis import random_dag, to_dagitty

    g, x, y = random_dag(nodes, 4.0, random.Random(seed))
    path = folder / "dag100.dagitty"
    path.write_text(to_dagitty(g, x, y), encoding="utf-8")
    return path


def review_repository(folder: Path, count: int) -> Path:
    """A git repository with ``count`` hypothesis files committed and one of them changed."""
    repo = folder / "review-repo"
    paths = generate_repository(repo / "hypotheses", count)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "hypotheses"]):
        subprocess.run(cmd, cwd=repo, env=env, check=True)
    changed = next(p for p in paths if p.name.startswith("mecfs-ne-vasomotion-copy"))
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("sign: \"+\"", "sign: \"-\"", 1), encoding="utf-8")
    return repo


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs per command (median reported)")
    ap.add_argument("--files", type=int, default=1000, help="files for the repository-scale check")
    ap.add_argument("--review-files", type=int, default=200)
    ap.add_argument("--only", nargs="*", default=None, help="run only these rows (by key: floor, statsmodels, "
                                                             "check6, check1000, analyze, plan, review)")
    args = ap.parse_args()
    hp = hypoplan_cmd()
    py = sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="hypoplan-bench-"))
    ENV.clear()
    ENV.update(bytecode_environment(tmp / "pycache"))

    def want(key: str) -> bool:
        return args.only is None or key in args.only

    rows: list[tuple[str, float, float, float, int, str]] = []
    try:
        floor = median_of(args.runs, lambda: run([py, "-c", "import networkx, pydantic, typer"]))
        rows.append(("floor: import networkx, pydantic, typer", *floor, ""))
        sm = None
        if want("statsmodels") or want("plan"):
            sm = median_of(args.runs, lambda: run([py, "-c", "import statsmodels.stats.power"]))
            rows.append(("import statsmodels.stats.power", *sm, ""))
        if want("check6"):
            r = median_of(args.runs, lambda: run(hp + ["check", str(SHIPPED)]))
            rows.append(("check hypotheses/ (6 files)", *r, "<= 1.3x floor"))
        if want("check1000"):
            folder = tmp / "many"
            generate_repository(folder, args.files)
            r = median_of(args.runs, lambda: run(hp + ["check", str(folder)]), warm_up=False)  # long: as for review
            rows.append((f"check {args.files} files", *r, "< 5 s or <= 10x floor; < 300 MB"))
        if want("analyze"):
            dag = dag_file(tmp, 100, 1)
            r = median_of(args.runs, lambda: run(hp + ["analyze", str(dag), "--format", "json"]))
            rows.append(("analyze 100-node DAG", *r, "<= 1.3x floor"))
        if want("plan"):
            r = median_of(args.runs, lambda: run(hp + ["plan", str(SHIPPED / "mecfs-ne-vasomotion.yaml")]))
            rows.append(("plan mecfs-ne-vasomotion", *r, "< 2x statsmodels import"))
        if want("review"):
            repo = review_repository(tmp, args.review_files)
            r = median_of(args.runs, lambda: run(hp + ["review"], cwd=repo), warm_up=False)  # long: the median drops a first, compiling run
            rows.append((f"review 1 changed of {args.review_files}", *r, "< 3 s"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base, base_cpu = rows[0][1], rows[0][3]
    load = os.getloadavg()
    print(f"{args.runs} run(s) each, bytecode cache on; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'command':<42}{'median s':>9}{'min s':>8}{'x floor':>8}{'cpu s':>7}{'cpu x':>7}{'peak MB':>9}  target")
    for name, med, low, cpu, rss, target in rows:
        extra = ""
        if name.startswith("plan") and sm is not None:
            extra = f" (now {med / sm[0]:.2f}x statsmodels wall, {cpu / sm[2]:.2f}x cpu)"
        print(f"{name:<42}{med:>9.2f}{low:>8.2f}{med / base:>8.2f}{cpu:>7.2f}{cpu / base_cpu:>7.2f}"
              f"{rss / 1024:>9.0f}  {target}{extra}")


if __name__ == "__main__":
    main()
