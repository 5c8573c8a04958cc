#!/usr/bin/env bash
# The long fuzz runs recorded in BENCHMARKS.md: each target until 10 million
# executions or 30 minutes, one after the other, then a summary table. Built without
# a sanitizer: both libraries forbid unsafe code, and ASan cost 2-4x the executions
# (the smoke in scripts/test.sh keeps ASan). Override with FUZZ_TARGETS, FUZZ_RUNS,
# FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fuzz-setup.sh
RUNS=${FUZZ_RUNS:-10000000}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-1800}
cd fuzz
cargo +nightly fuzz build -O -s none
mkdir -p logs
printf '| target | executions | seconds | exec/s | corpus files | result |\n|---|---|---|---|---|---|\n' > logs/summary.md
for target in ${FUZZ_TARGETS:-envelope renderers rules_loader trail_reader}; do
  echo "==> fuzz $target: $RUNS executions or ${SECONDS_PER_TARGET}s"
  status=0
  cargo +nightly fuzz run -O -s none "$target" "corpus/$target" "regressions/$target" -- \
    -runs="$RUNS" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 > "logs/$target.log" 2>&1 || status=$?
  runs=$(grep -oP 'stat::number_of_executed_units:\s*\K\d+' "logs/$target.log" | tail -1)
  secs=$(grep -oP 'Done \d+ runs in \K\d+' "logs/$target.log" | tail -1)
  result=$([ "$status" = 0 ] && echo "no crash" || echo "FAILED (exit $status), see fuzz/artifacts/$target")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "${runs:-?}" "${secs:-?}" \
    "$(( ${runs:-0} / (${secs:-1} > 0 ? ${secs:-1} : 1) ))" "$(ls "corpus/$target" | wc -l)" "$result" >> logs/summary.md
done
cat logs/summary.md
! grep -q FAILED logs/summary.md
