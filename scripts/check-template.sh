#!/usr/bin/env bash
# Offline checks of the SAM template (template.yaml) and templates/*.yaml, with pinned tools installed in
# venvs under .tools/ (idempotent: reinstalled only when missing or at another version):
#   cfn-lint                      no errors
#   checkov (cloudformation)      no failed checks (deliberate skips are in the template)
#   sam validate --lint
#   sam build --beta-features     rust-cargolambda is a beta build method; native build
#                                 (no Docker), cargo-lambda from pip on the PATH
#   the built bootstrap exists    .aws-sam/build/Function/bootstrap, size printed
# Every check runs even when an earlier one failed; the last line is "N passed, M failed"
# and the exit status is non-zero when anything failed.
#
# The build is the default Architecture, x86_64: it is the one this machine can build
# (the arm64 Rust std target, aarch64-unknown-linux-gnu, cannot be installed here).
# Elsewhere: `rustup target add aarch64-unknown-linux-gnu`, then
# `sam build --beta-features --parameter-overrides Architecture=arm64`.
#
# The first `sam build` compiles the AWS SDK in release mode (about 6+ minutes on 2
# cores); later runs reuse the workspace's target/ and take seconds.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools

CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
SAM_CLI_VERSION=1.170.0

FUNCTION_ID=Function # the function's logical id in template.yaml

export SAM_CLI_TELEMETRY=0           # no telemetry calls
export BC_SKIP_MAPPING=TRUE          # checkov: no guideline download
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} # sam needs a region to translate; nothing is called

passed=0
failed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
step() { printf '\n==> %s\n' "$*"; }

# venv_tool DIR PIP_SPEC EXPECTED COMMAND...: installs PIP_SPEC into .tools/DIR unless
# COMMAND (a program of that venv, with its arguments) already prints EXPECTED.
venv_tool() {
  local dir=$TOOLS/$1 spec=$2 want=$3
  shift 3
  local bin=$dir/bin/$1
  shift
  if [ -x "$dir/bin/python" ] && [[ $("$bin" "$@" 2>/dev/null) == *"$want"* ]]; then
    return 0
  fi
  echo "installing $spec into $dir"
  mkdir -p "$TOOLS"
  python3 -m venv "$dir" &&
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$spec" &&
    [[ $("$bin" "$@" 2>/dev/null) == *"$want"* ]]
}

step "install pinned tools under .tools/"
tools_ok=1
venv_tool cfn-lint "cfn-lint==$CFN_LINT_VERSION" "$CFN_LINT_VERSION" cfn-lint --version || tools_ok=0
venv_tool checkov "checkov==$CHECKOV_VERSION" "$CHECKOV_VERSION" checkov --version || tools_ok=0
venv_tool sam "aws-sam-cli==$SAM_CLI_VERSION" "$SAM_CLI_VERSION" sam --version || tools_ok=0
scripts/install-cargo-lambda.sh || tools_ok=0
if [ "$tools_ok" = 1 ]; then
  ok "tools: cfn-lint $CFN_LINT_VERSION, checkov $CHECKOV_VERSION, aws-sam-cli $SAM_CLI_VERSION, $(.tools/cargo-lambda/bin/cargo-lambda lambda --version)"
else
  fail "tools: could not install every pinned tool (network access to PyPI is needed on first run)"
fi

step "cfn-lint template.yaml"
if "$TOOLS/cfn-lint/bin/cfn-lint" template.yaml; then
  ok "cfn-lint template.yaml"
else
  # cfn-lint exits 2 on errors, 4 on warnings, 8 on informational (bitwise-or'ed).
  fail "cfn-lint template.yaml"
fi

step "checkov -f template.yaml --framework cloudformation"
out=$("$TOOLS/checkov/bin/checkov" -f template.yaml --framework cloudformation --compact --skip-download 2>&1)
rc=$?
echo "$out" | grep -E "Passed checks|FAILED|SKIPPED|Error" || true
# A template checkov could not parse yields no checks and exit 0: require some passes.
if [ $rc = 0 ] && echo "$out" | grep -qE "Passed checks: [1-9][0-9]*, Failed checks: 0,"; then
  ok "checkov -f template.yaml --framework cloudformation"
else
  echo "$out" | tail -40
  fail "checkov -f template.yaml --framework cloudformation"
fi

# The other templates (templates/*.yaml: the fast path's forwarder for other regions).
for extra in templates/*.yaml; do
  step "cfn-lint and checkov $extra"
  if "$TOOLS/cfn-lint/bin/cfn-lint" "$extra"; then ok "cfn-lint $extra"; else fail "cfn-lint $extra"; fi
  out=$("$TOOLS/checkov/bin/checkov" -f "$extra" --framework cloudformation --compact --skip-download 2>&1)
  rc=$?
  echo "$out" | grep -E "Passed checks|FAILED|SKIPPED|Error" || true
  if [ $rc = 0 ] && echo "$out" | grep -qE "Passed checks: [1-9][0-9]*, Failed checks: 0,"; then
    ok "checkov $extra"
  else
    echo "$out" | tail -40
    fail "checkov $extra"
  fi
done

step "sam validate --lint"
if "$TOOLS/sam/bin/sam" validate --lint --template template.yaml; then
  ok "sam validate --lint"
else
  fail "sam validate --lint"
fi

step "sam build --beta-features (rust-cargolambda, native, x86_64)"
rm -rf .aws-sam/build # a bootstrap left by an earlier run must not pass the next check
if PATH="$TOOLS/cargo-lambda/bin:$PATH" "$TOOLS/sam/bin/sam" build --beta-features --template template.yaml; then
  ok "sam build --beta-features"
else
  fail "sam build --beta-features"
fi

step "built bootstrap"
BOOTSTRAP=.aws-sam/build/$FUNCTION_ID/bootstrap
if [ -f "$BOOTSTRAP" ] && [ -x "$BOOTSTRAP" ] && head -c 4 "$BOOTSTRAP" | grep -q "ELF"; then
  size=$(stat -c %s "$BOOTSTRAP")
  ok "$BOOTSTRAP exists: $size bytes ($(( (size + 524288) / 1048576 )) MiB)"
  command -v file > /dev/null && file -b "$BOOTSTRAP"
else
  fail "$BOOTSTRAP missing (or not an executable ELF file)"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
