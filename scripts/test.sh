#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this). Installs what it
# needs under .tools/ (pinned LocalStack, moto, the AWS CLI, cargo-lambda), starts LocalStack on
# 127.0.0.1:4566 and moto (DynamoDB, Cognito, STS, Organizations, Security Hub) on 127.0.0.1:4569, and
# always stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "supply chain: cargo deny licenses, bans, sources (advisories: docs/reliability.md, online)"
scripts/install-cargo-deny.sh
cargo fetch --locked
# Without --hide-inclusion-graph it also prints which dependency pulls each crate in.
cargo deny --locked --offline --workspace check --hide-inclusion-graph licenses bans sources

step "engine and CLI: unit, engine, CLI and bundled-pack tests"
cargo test --locked -p cognito-trail-alerts

step "inline rule tests of the bundled pack, through the CLI"
cargo run --quiet --locked -- rules test > /dev/null

step "fuzz smoke (every target, about a minute)"
scripts/fuzz-smoke.sh

step "SAM template: cfn-lint, checkov, sam validate --lint, sam build"
scripts/check-template.sh

step "LocalStack (S3, SNS, SQS, CloudWatch, EventBridge) and moto (DynamoDB, Cognito, STS, Organizations, Security Hub)"
trap 'scripts/localstack.sh stop; scripts/moto.sh stop' EXIT
scripts/moto.sh start
scripts/localstack.sh start

step "fast path: the EventBridge pattern against recorded events (TestEventPattern)"
.tools/localstack/bin/python scripts/check-event-pattern.py

step "smoke test script: scripts/smoke-aws.sh against LocalStack and moto, with a stand-in function"
scripts/test-smoke-aws.sh

step "Lambda: unit tests with fakes, end-to-end tests against LocalStack and moto"
cargo test --locked -p cognito-trail-alerts-lambda

step "Lambda runtime loop: cargo lambda watch + invoke"
scripts/runtime-loop-test.sh
