#!/usr/bin/env bash
# The main job on the shipped hypotheses; called by `make demo`. Writes into $1 (default out/).
set -euo pipefail
out="${1:-out}"
hp=.venv/bin/hypoplan
mkdir -p "$out"
echo "== check" >&2
$hp check hypotheses/
