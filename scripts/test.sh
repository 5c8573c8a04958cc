#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this).
# Run from anywhere: it works from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --check

step "lint"
cargo clippy --all-targets --locked -- -D warnings

step "tests (unit, engine, CLI, bundled rule pack)"
cargo test --locked

step "inline rule tests of the bundled pack, through the CLI"
cargo run --quiet --locked -- rules test > /dev/null
