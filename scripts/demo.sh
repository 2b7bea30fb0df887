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

step "power: a G*Power reference value (d = 0.5 two-sample t test)"
$hp power --design two-sample --effect-size 0.5

printf '\nDone. Open %s/report.html in a browser; the plan is in %s/plan.md.\n' "$out" "$out" >&2
