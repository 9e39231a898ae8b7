#!/usr/bin/env bash
# Regenerate corpus/flex and corpus/inputs: bash corpus/flex/generate.sh [--check]
# Needs python3 (stdlib) and xmlsec1 1.2.37; uses the committed keys in corpus/signed/keys/.
# --check also runs target/x86_64-unknown-linux-gnu/debug/samlscope on every case of cases.tsv and prints disagreements.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v xmlsec1 >/dev/null || { echo "generate.sh: xmlsec1 not found" >&2; exit 1; }
python3 corpus/flex/generate.py
python3 corpus/inputs/generate.py
echo "corpus/flex: $(($(wc -l < corpus/flex/cases.tsv) - 1)) cases; corpus/inputs written"
if [ "${1:-}" = "--check" ]; then exec python3 corpus/flex/generate.py --check; fi
