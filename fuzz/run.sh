#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, seeded from the directories in
# fuzz/seed-dirs, with the dictionary fuzz/saml.dict. Fails on any crash, leak, OOM or timeout;
# the failing input is left in fuzz/artifacts/TARGET/. Usage: fuzz/run.sh SECONDS [TARGET...]
# A unit slower than FUZZ_TIMEOUT seconds (default 3) fails the run: at most 256 KiB of input,
# only a super-linear stage gets there. Units slower than 1 s are reported as the slowest found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(grep -v '^#' fuzz/seed-dirs | awk 'NF {print $1}')
fi
cargo +nightly fuzz build --release
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  dirs=$(awk -v t="$t" '$1 == t {for (i = 2; i <= NF; i++) print $i}' fuzz/seed-dirs)
  mkdir -p "fuzz/corpus/$t"
  regressions=()
  [ -d "fuzz/regressions/$t" ] && regressions=("fuzz/regressions/$t")
  echo "== fuzz $t for ${seconds}s"
  log="fuzz/logs/$t.log"
  # shellcheck disable=SC2086
  if ! cargo +nightly fuzz run --release "$t" "fuzz/corpus/$t" $dirs "${regressions[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-3}" \
    -report_slow_units=1 -max_len=262144 \
    -dict=fuzz/saml.dict -print_final_stats=1 >"$log" 2>&1; then
    grep -E "panicked|assertion|ERROR|SUMMARY|Failing input|fuzz/artifacts" -A2 "$log" | cut -c1-300 | head -n 30 >&2
    echo "fuzz target $t failed: the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^Done" "$log" || true
  # libFuzzer names each new slowest unit; the last one is the slowest of the run.
  grep -E "^Slowest unit" "$log" | tail -n 1 || true
done
