#!/usr/bin/env bash
# The main job on the shipped hypotheses; called by `make demo`. Writes into $1 (default out/).
# Every step is a real hypoplan command a user would run; outputs are overwritten (--force) because
# out/ is the demo's own folder.
set -euo pipefail
out="${1:-out}"
hp=.venv/bin/hypoplan
main=hypotheses/mecfs-ne-vasomotion.yaml
mkdir -p "$out"

step() { printf '\n== %s\n' "$*" >&2; }

step "check: validate every shipped hypothesis"
$hp check hypotheses/

step "lint: evidence and provenance rules (warnings do not fail the demo)"
$hp lint hypotheses/ --fail-on error || true

step "export: the ME/CFS hypothesis, with the mechanism it extends, as DAGitty and JSON"
$hp export "$main" --to dagitty -o "$out/mecfs-ne-vasomotion.dagitty" --force
$hp export "$main" --to json -o "$out/mecfs-ne-vasomotion.json" --force

step "analyze: paths, adjustment sets, identification, instruments, implications"
$hp analyze "$main" --format markdown -o "$out/analysis.md" --force

step "plan: measures, controls, exclusions, feasibility, sample size, rival predictions"
$hp plan "$main" --format markdown -o "$out/plan.md" --force
$hp plan "$main" --format json -o "$out/plan.json" --force

step "render: causal diagram (SVG), its focused view, and a Mermaid version for GitHub"
$hp render "$main" --format svg -o "$out/mecfs-ne-vasomotion.svg" --force
$hp render "$main" --focus --format svg -o "$out/mecfs-ne-vasomotion-focus.svg" --force
$hp render "$main" --format mermaid -o "$out/mecfs-ne-vasomotion.mmd" --force

step "aims: NIH Specific Aims scaffold"
$hp aims "$main" -o "$out/aims.md" --force

step "protocol: SPIRIT protocol and OSF preregistration skeletons, next to the aims"
$hp protocol "$main" -o "$out/protocol.md" --force
$hp protocol "$main" --template osf-prereg -o "$out/preregistration.md" --force

step "report: one self-contained HTML page"
$hp report "$main" -o "$out/report.html" --force

step "map: the shipped hypotheses as one body of evidence (shared nodes, conflicts, decisive experiments)"
$hp map hypotheses --format md -o "$out/map.md" --force
$hp map hypotheses --format json -o "$out/map.json" --force

step "site: a static registry site (index, one page per hypothesis, map, citations)"
$hp site hypotheses -o "$out/site" --force

step "power: a G*Power reference value (d = 0.5 two-sample t test)"
$hp power --design two-sample --effect-size 0.5

step "simulate: 500 rows drawn from the hypothesis as a structural causal model (seed 1)"
$hp simulate "$main" -n 500 --seed 1 -o "$out/simulated.csv" --force --format json > "$out/simulated-model.json"

step "test-data: the simulated data against the graph's testable implications (exit 1 would mean a rejection)"
$hp test-data "$main" "$out/simulated.csv" -o "$out/test-data.txt" --force
$hp test-data "$main" "$out/simulated.csv" --format json -o "$out/test-data.json" --force

step "estimate: the focal effect from the observational data (adjustment), then the plan's crossover (paired)"
$hp estimate "$main" "$out/simulated.csv" --observational | tee "$out/estimate-observational.txt"
node=$(.venv/bin/python -c "import hypoplan; print(getattr(hypoplan.load('$main').plan().strategy, 'randomised_node', None) or '')")
if [ -n "$node" ]; then  # the node the plan randomises (a crossover in people with the condition)
$hp simulate "$main" -n 60 --seed 2 --randomise "$node" --crossover -o "$out/simulated-crossover.csv" --force
$hp estimate "$main" "$out/simulated-crossover.csv" --pair-by participant | tee "$out/estimate-crossover.txt"
fi

step "diagnose: bias, RMSE, power and coverage by simulation, and against the rival (small run)"
$hp diagnose "$main" --n 100,400 --sims 100 --rival | tee "$out/diagnose.txt"

printf '\nDone. Open %s/report.html in a browser; the plan is in %s/plan.md; the registry site is %s/site/index.html.\n' "$out" "$out" "$out" >&2
