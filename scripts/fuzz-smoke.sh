#!/usr/bin/env bash
# Short smoke of every fuzz target (about a minute in all): a crash, hang or leak
# fails the run. Long runs are documented in fuzz/README.md. Installs cargo-fuzz
# (pinned) with the nightly toolchain the machine has, through fuzz-setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${FUZZ_SECONDS:-12}
scripts/fuzz-setup.sh
cd fuzz
cargo +nightly fuzz build -O
# cargo-fuzz has no --locked: refuse a lock file the build had to change, as the
# workspace's `--locked` does (a dependency added to the library must be committed
# in fuzz/Cargo.lock too).
if ! git diff --quiet -- Cargo.lock 2>/dev/null; then
  git diff --stat -- Cargo.lock
  echo "fuzz/Cargo.lock is out of date: commit the update above"
  exit 1
fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for target in ${FUZZ_TARGETS:-trail_reader envelope rules_loader renderers}; do
  echo "==> fuzz $target for ${SECONDS_PER_TARGET}s"
  status=0
  # regressions/<target>/ holds inputs that once failed: replayed first, every run.
  cargo +nightly fuzz run -O "$target" "corpus/$target" "regressions/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -max_len=65536 > "$LOG" 2>&1 || status=$?
  grep -E "^Done" "$LOG" || true
  if [ "$status" != 0 ]; then
    tail -40 "$LOG"
    echo "fuzz target $target failed (exit $status): the crashing input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
