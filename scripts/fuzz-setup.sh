#!/usr/bin/env bash
# Installs cargo-fuzz (pinned; nightly toolchain from the machine) and seeds each
# target's corpus with the project's own inputs: sample trails, trigger payloads,
# the rule pack. Used by fuzz-smoke.sh and fuzz-long.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
cd fuzz
mkdir -p corpus/trail_reader corpus/envelope corpus/rules_loader corpus/renderers
cp ../events/AWSLogs/111122223333/CloudTrail/*/2026/11/20/*.json.gz ../tests/fixtures/*.json corpus/trail_reader/
cp ../lambda/events/*.json corpus/envelope/
# The pack's files one by one (a file using another's shared names stops at the
# first of them, still a valid seed for the parser).
for f in ../rules/cognito/*.yaml; do cp "$f" "corpus/rules_loader/cognito-$(basename "$f")"; done
