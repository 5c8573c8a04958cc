#!/usr/bin/env bash
# Installs cargo-deny (pinned) with `cargo install` unless `cargo deny --version`
# already reports that version. The one place the pin lives: used by test.sh and
# named in docs/reliability.md ("Supply chain"). A build from source (crates.io only) takes about 5 minutes on
# 2 cores; later runs return at once.
set -euo pipefail
CARGO_DENY_VERSION=0.20.2
if cargo deny --version 2>/dev/null | grep -qx "cargo-deny $CARGO_DENY_VERSION"; then
  exit 0
fi
cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
cargo deny --version | grep -qx "cargo-deny $CARGO_DENY_VERSION"
