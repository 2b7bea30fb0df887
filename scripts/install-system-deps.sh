#!/usr/bin/env bash
# Install the system programs hypoplan uses, when they are missing.
#   graphviz  -> the `dot` binary (SVG/PNG/PDF diagrams)
#   chromium  -> headless browser for the HTML report test
# Uses apt-get on Debian/Ubuntu (with sudo when not root); elsewhere prints what to install.
set -euo pipefail

want=("$@")
missing=()
for dep in "${want[@]}"; do
  case "$dep" in
    graphviz) command -v dot >/dev/null 2>&1 || missing+=(graphviz) ;;
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium) ;;
    *) echo "install-system-deps: unknown dependency '$dep'" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing system packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2; exit 1
    fi
  fi
  echo "Installing system packages: ${missing[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "Missing system packages: ${missing[*]}." >&2
  echo "Install them with your package manager (macOS: brew install graphviz; Fedora: dnf install graphviz chromium)," >&2
  echo "then run make again. Graphviz downloads: https://graphviz.org/download/" >&2
  exit 1
fi
