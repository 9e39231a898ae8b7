#!/usr/bin/env bash
# The benchmark suite: samlscope and the tools users would use instead, measured in the same
# run so the ratios hold on a noisy machine. Installs what the peers need (jq, xmlsec1, a
# Python venv with xmlsec and signxml) and skips a peer, saying so, when it cannot.
# Usage: bash benches/run.sh [--quick]      (results also in target/bench/results.json)
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench

missing=()
for tool in jq xmlsec1; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt)"
  { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
    || echo "could not install ${missing[*]}: those peers will be skipped"
fi
venv=target/bench/venv
if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv with xmlsec, lxml, signxml (PyPI)"
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q xmlsec lxml signxml; } >/dev/null 2>&1 \
    || echo "could not install the Python peers: they will be skipped"
fi
cargo build --release --quiet || exit 1
cargo bench --bench verify --quiet > target/bench/verify.txt 2>/dev/null || exit 1
exec python3 benches/run.py "$@"
