#!/usr/bin/env bash
# Short smoke of every fuzz target (about a minute in all): a crash, hang or leak
# fails the run. Long runs are documented in fuzz/README.md. Installs cargo-fuzz
# (pinned) with the nightly toolchain the machine has.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_FUZZ_VERSION=0.13.2
SECONDS_PER_TARGET=${FUZZ_SECONDS:-12}

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
cd fuzz
# Seeds are the project's own inputs: sample trails, trigger payloads, the rule pack.
mkdir -p corpus/trail_reader corpus/envelope corpus/rules_loader corpus/renderers
cp ../events/AWSLogs/111122223333/CloudTrail/*/2026/11/20/*.json.gz ../tests/fixtures/*.json corpus/trail_reader/
cp ../lambda/events/*.json corpus/envelope/
cp ../rules/cognito.yaml corpus/rules_loader/
cargo +nightly fuzz build -O
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for target in ${FUZZ_TARGETS:-trail_reader envelope rules_loader renderers}; do
  echo "==> fuzz $target for ${SECONDS_PER_TARGET}s"
  status=0
  cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -max_len=65536 > "$LOG" 2>&1 || status=$?
  grep -E "^Done" "$LOG" || true
  if [ "$status" != 0 ]; then
    tail -40 "$LOG"
    echo "fuzz target $target failed (exit $status): the crashing input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
