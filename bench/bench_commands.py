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


def summarise(samples: list[tuple[float, float, int]]) -> tuple[float, float, float, int]:
    """Median and minimum wall seconds, median CPU seconds and the largest peak RSS of a command's runs.

    On a loaded machine wall time includes waiting for a CPU; CPU time does not, so its ratios are steadier.
    """
    walls = [wall for wall, _, _ in samples]
    return statistics.median(walls), min(walls), statistics.median(cpu for _, cpu, _ in samples), max(r for *_, r in samples)


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

    # (key, name, command, cwd, warm up, target); long rows are not warmed up: the median drops a first,
    # compiling run.  All rows are run in rounds (each round runs every row once), so that a change in the
    # machine's load during the benchmark falls on every row alike and the ratios stay comparable.
    specs: list[tuple[str, str, list[str], Path | None, bool, str]] = [
        ("floor", "floor: import networkx, pydantic, typer", [py, "-c", "import networkx, pydantic, typer"],
         None, True, "")]
    try:
        if want("statsmodels") or want("plan"):
            specs.append(("statsmodels", "import statsmodels.stats.power", [py, "-c", "import statsmodels.stats.power"],
                          None, True, ""))
        if want("check6"):
            specs.append(("check6", "check hypotheses/ (6 files)", hp + ["check", str(SHIPPED)], None, True,
                          "<= 1.3x floor"))
        if want("check1000"):
            folder = tmp / "many"
            generate_repository(folder, args.files)
            specs.append(("check1000", f"check {args.files} files", hp + ["check", str(folder)], None, False,
                          "< 5 s or <= 10x floor; < 300 MB"))
        if want("analyze"):
            dag = dag_file(tmp, 100, 1)
            specs.append(("analyze", "analyze 100-node DAG", hp + ["analyze", str(dag), "--format", "json"], None, True,
                          "<= 1.3x floor"))
        if want("plan"):
            specs.append(("plan", "plan mecfs-ne-vasomotion", hp + ["plan", str(SHIPPED / "mecfs-ne-vasomotion.yaml")],
                          None, True, "< 2x statsmodels import"))
        if want("review"):
            repo = review_repository(tmp, args.review_files)
            specs.append(("review", f"review 1 changed of {args.review_files}", hp + ["review"], repo, False, "< 3 s"))
        for _, _, cmd, cwd, warm, _ in specs:
            if warm:
                run(cmd, cwd)
        samples: dict[str, list[tuple[float, float, int]]] = {key: [] for key, *_ in specs}
        for _ in range(args.runs):
            for key, _, cmd, cwd, _, _ in specs:
                samples[key].append(run(cmd, cwd))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {key: summarise(samples[key]) for key, *_ in specs}
    sm = summary.get("statsmodels")
    rows = [(name, *summary[key], target) for key, name, _, _, _, target in specs]
    base, base_cpu = rows[0][1], rows[0][3]
    load = os.getloadavg()
    print(f"{args.runs} round(s) of every command, bytecode cache on; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'command':<42}{'median s':>9}{'min s':>8}{'x floor':>8}{'cpu s':>7}{'cpu x':>7}{'peak MB':>9}  target")
    for name, med, low, cpu, rss, target in rows:
        extra = ""
        if name.startswith("plan") and sm is not None:
            extra = f" (now {med / sm[0]:.2f}x statsmodels wall, {cpu / sm[2]:.2f}x cpu)"
        print(f"{name:<42}{med:>9.2f}{low:>8.2f}{med / base:>8.2f}{cpu:>7.2f}{cpu / base_cpu:>7.2f}"
              f"{rss / 1024:>9.0f}  {target}{extra}")


if __name__ == "__main__":
    main()
