#!/usr/bin/env bash
# Runs the table report in a real terminal (tmux) 60, 80, 120 and 200 columns wide, with no
# --width, so the terminal's width is what the report detects, and checks that every value of
# the report (each whitespace-free word of 8+ characters at unlimited width) is still whole.
# Usage: bash scripts/terminal-widths.sh [CAPTURE ARGS...]   (needs tmux; builds release)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)" >&2; exit 2; }
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(corpus/har/multi-problem.har --config corpus/config/flex-enhanced.json)
cargo build --release --quiet
bin="$PWD/target/x86_64-unknown-linux-gnu/release/samlscope"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; tmux -L samlscope-widths kill-server 2>/dev/null || true' EXIT
"$bin" analyze "${args[@]}" --width 1000 --color never > "$tmp/wide" || true
tr -s ' \n' '\n\n' < "$tmp/wide" | awk 'length >= 8' | sort -u > "$tmp/values"
fail=0
for w in 60 80 120 200; do
  tmux -L samlscope-widths new-session -d -x "$w" -y 500 -s "w$w"
  printf -v cmd '%q ' "$bin" analyze "${args[@]}" --color never
  tmux -L samlscope-widths send-keys -t "w$w" "clear; $cmd; echo __done__" Enter
  for _ in $(seq 100); do
    tmux -L samlscope-widths capture-pane -p -J -S - -t "w$w" | grep -q '^__done__' && break
    sleep 0.1
  done
  # -J joins the lines the terminal itself wrapped; the report's own wrapping stays.
  tmux -L samlscope-widths capture-pane -p -J -S - -t "w$w" > "$tmp/at$w"
  tmux -L samlscope-widths kill-session -t "w$w"
  split=0
  while IFS= read -r v; do
    grep -qF -- "$v" "$tmp/at$w" || { echo "  $w columns: split or missing: $v"; split=$((split + 1)); }
  done < "$tmp/values"
  grep -q '^samlscope ' "$tmp/at$w" || { echo "  $w columns: no report in the terminal"; split=1; }
  echo "$w columns: $(wc -l < "$tmp/values") values checked, $split split"
  [ "$split" -eq 0 ] || fail=1
done
exit "$fail"
