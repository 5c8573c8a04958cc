#!/usr/bin/env bash
# Installs cargo-lambda (pinned) into .tools/cargo-lambda unless that version is there.
# The one place the pin lives: used by runtime-loop-test.sh and check-template.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_LAMBDA_VERSION=1.9.2
VENV=.tools/cargo-lambda
if "$VENV/bin/cargo-lambda" lambda --version 2>/dev/null | grep -q "$CARGO_LAMBDA_VERSION"; then
  exit 0
fi
mkdir -p .tools
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "cargo-lambda==$CARGO_LAMBDA_VERSION"
"$VENV/bin/cargo-lambda" lambda --version | grep -q "$CARGO_LAMBDA_VERSION"
