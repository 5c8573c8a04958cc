#!/usr/bin/env bash
# Tests scripts/smoke-aws.sh against emulators, not AWS: LocalStack (127.0.0.1:4566)
# holds the alert topic and the smoke test's queue and subscription, moto
# (127.0.0.1:4569) a stand-in stack (CloudFormation, with the real stack's output
# names) and the user pool. scripts/smoke-aws-standin.py sits in front of moto's
# Cognito as CloudTrail and plays the deployed function: it scans each change with
# the real engine and publishes the alerts by the EventBridge path and the log-file
# path as the Lambda does (see its docstring), with faults on demand.
#
#   scripts/test-smoke-aws.sh      # LocalStack and moto must be running (scripts/test.sh
#                                  # starts them; alone: scripts/localstack.sh start,
#                                  # scripts/moto.sh start)
#
# Installs the AWS CLI, pinned, into .tools/awscli (idempotent). The engine binary is
# built with cargo unless SMOKE_TEST_CLI names one. The cases run side by side (each
# with its own topic, stand-in stack, stand-in and pool), then checked, and at the
# end nothing may be left: no pool, queue or subscription. About 20 s.
#   pass        FastPath on, no state table: both paths deliver each change once
#   missing     the log-file path drops change 2: exit 1 naming it and the path
#   duplicate   the EventBridge path publishes change 3 twice: exit 1 naming it
#   once        FastPath and ExactlyOnceAlerts: EventBridge only, passes
#   file        no fast path: the log file only, passes
#   ocsf        OutputFormat=ocsf: OCSF findings (a change set of them by the file), passes
#   interrupted SIGTERM while waiting: exit 143, still cleaned up
#   refused     a stack with MinSeverity high: exit 2 before creating anything
set -euo pipefail
cd "$(dirname "$0")/.."

AWSCLI_VERSION=1.42.55
VENV=.tools/awscli
LOCALSTACK=http://127.0.0.1:4566
MOTO=http://127.0.0.1:${MOTO_PORT:-4569}
REGION=us-east-1

install_awscli() {
  if [ -x "$VENV/bin/aws" ] &&
    [ "$("$VENV/bin/python" -c 'import awscli; print(awscli.__version__)' 2> /dev/null)" = "$AWSCLI_VERSION" ]; then
    return 0
  fi
  mkdir -p .tools
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION"
}

install_awscli
export PATH="$PWD/$VENV/bin:$PATH"

# Fake credentials and no profile: nothing here may reach AWS.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_ENDPOINT_URL
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=$REGION AWS_PAGER=""
WORK=$(mktemp -d)
export AWS_CONFIG_FILE=$WORK/no-config AWS_SHARED_CREDENTIALS_FILE=$WORK/no-credentials

ls_aws() { aws --region "$REGION" --endpoint-url "$LOCALSTACK" --cli-connect-timeout 3 "$@"; }
moto_aws() { aws --region "$REGION" --endpoint-url "$MOTO" --cli-connect-timeout 3 "$@"; }

ls_aws sqs list-queues > /dev/null 2>&1 ||
  { echo "LocalStack does not answer on $LOCALSTACK: scripts/localstack.sh start" >&2; exit 1; }
moto_aws cognito-idp list-user-pools --max-results 1 > /dev/null 2>&1 ||
  { echo "moto does not answer on $MOTO: scripts/moto.sh start" >&2; exit 1; }

if [ -n "${SMOKE_TEST_CLI:-}" ]; then
  CLI=$SMOKE_TEST_CLI
else
  cargo build --quiet --locked -p cognito-trail-alerts --bin cognito-trail-alerts
  CLI=${CARGO_TARGET_DIR:-target}/debug/cognito-trail-alerts
fi
CLI=$(cd "$(dirname "$CLI")" && pwd)/$(basename "$CLI")

RUN=cta-smoke-test-$(python3 -c 'import secrets; print(secrets.token_hex(3))')
CASES=(pass missing duplicate once file ocsf interrupted refused)
finish() {
  local rc=$?
  set +e
  for f in "$WORK"/*.pid; do [ -e "$f" ] && kill "$(cat "$f")" 2> /dev/null; done
  wait
  for c in "${CASES[@]}"; do
    moto_aws cloudformation delete-stack --stack-name "$RUN-$c" &
    ls_aws sns delete-topic --topic-arn "arn:aws:sns:$REGION:000000000000:$RUN-$c" &
  done
  wait
  rm -rf "$WORK"
  exit "$rc"
}
trap finish EXIT

# stack CASE MODE [MIN_SEVERITY]: an alert topic and a stand-in stack whose outputs
# say what a real one's would in that mode; prints the topic's ARN.
stack() {
  local name=$RUN-$1 topic extra="" min=${3:-low}
  topic=$(ls_aws sns create-topic --name "$name" --query TopicArn --output text)
  case $2 in
    both) extra="  FastPathRuleArn: {Value: arn:aws:events:$REGION:000000000000:rule/$name}" ;;
    once) extra="  FastPathRuleArn: {Value: arn:aws:events:$REGION:000000000000:rule/$name}
  StateTableName: {Value: $name-state}" ;;
  esac
  cat > "$WORK/$1.yaml" << TEMPLATE
AWSTemplateFormatVersion: "2010-09-09"
Description: stand-in for a cognito-trail-alerts stack (scripts/test-smoke-aws.sh)
Parameters:
  MinSeverity: {Type: String, Default: $min}
Resources:
  Nothing: {Type: "AWS::CloudFormation::WaitConditionHandle"}
Outputs:
  AlertTopicArn: {Value: "$topic"}
$extra
TEMPLATE
  moto_aws cloudformation create-stack --stack-name "$name" --template-body "file://$WORK/$1.yaml" > /dev/null
  echo "$topic"
}

# case_ NAME MODE [--timeout S] [--interrupt] STANDIN_ARGS...: one smoke test against
# its own topic, stack and stand-in, in the background; writes NAME.out,
# NAME.standin and NAME.rc.
case_() {
  local name=$1 mode=$2 timeout interrupt=""
  shift 2
  [ "$1" = --timeout ] && timeout=$2 && shift 2
  [ "${1:-}" != --interrupt ] || { interrupt=1; shift; }
  (
    topic=$(stack "$name" "$mode")
    python3 scripts/smoke-aws-standin.py --cli "$CLI" --topic-arn "$topic" \
      --sns-endpoint "$LOCALSTACK" --upstream "$MOTO" --port-file "$WORK/$name.port" \
      --eventbridge-delay 0.2 --file-delay 1.5 "$@" > "$WORK/$name.standin" 2>&1 &
    echo $! > "$WORK/$name.standin.pid"
    for _ in $(seq 100); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
    # Started by env (an exec): a signal to its pid reaches the smoke test itself.
    env AWS_ENDPOINT_URL="$LOCALSTACK" AWS_ENDPOINT_URL_CLOUDFORMATION="$MOTO" \
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER="http://127.0.0.1:$(cat "$WORK/$name.port")" \
      SMOKE_TIMEOUT="$timeout" SMOKE_SETTLE=1 SMOKE_SUBSCRIBE_WAIT=0 SMOKE_POLL_SECONDS=5 \
      scripts/smoke-aws.sh "$RUN-$name" > "$WORK/$name.out" 2>&1 &
    local smoke=$! rc=0
    echo "$smoke" > "$WORK/$name.pid"
    if [ -n "$interrupt" ]; then
      # SIGTERM once it waits for the alerts (after its last change).
      for _ in $(seq 600); do grep -q "^smoke: change 3:" "$WORK/$name.out" 2> /dev/null && break; sleep 0.1; done
      sleep 0.5
      kill -TERM "$smoke"
    fi
    wait "$smoke" || rc=$?
    kill "$(cat "$WORK/$name.standin.pid")" 2> /dev/null
    wait
    rm -f "$WORK/$name.pid" "$WORK/$name.standin.pid"
    echo "$rc" > "$WORK/$name.rc"
  ) &
}

STARTED=$SECONDS
# A log file holds the records of --file-delay seconds, or its first --file-records:
# 4 makes one change set of the pool's creation and the three changes.
# Timeouts: a passing case ends as soon as all arrived (plus 1 s), so its timeout
# only bounds a failure; the missing case waits its whole timeout, long enough for
# every other alert to arrive on a busy machine.
case_ pass both --timeout 40 --file-shape change_set --file-records 4 --file-delay 60
case_ missing both --timeout 15 --file-shape single --drop s3:CreateGroup
case_ duplicate both --timeout 40 --file-shape single --duplicate eventbridge:SetUserPoolMfaConfig:OFF
case_ once once --timeout 40 --paths eventbridge
case_ file file --timeout 40 --paths s3 --file-shape single
case_ ocsf both --timeout 40 --output-format ocsf --file-shape change_set --file-records 4 --file-delay 60
case_ interrupted both --timeout 60 --interrupt --paths eventbridge
(
  stack refused both high > /dev/null
  rc=0
  AWS_ENDPOINT_URL=$LOCALSTACK AWS_ENDPOINT_URL_CLOUDFORMATION=$MOTO AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=$MOTO \
    scripts/smoke-aws.sh "$RUN-refused" > "$WORK/refused.out" 2>&1 || rc=$?
  echo "$rc" > "$WORK/refused.rc"
) &
wait

CASE=""
fail() {
  echo "FAIL ($CASE): $*" >&2
  echo "--- smoke-aws.sh output" >&2
  cat "$WORK/$CASE.out" >&2
  echo "--- stand-in log" >&2
  cat "$WORK/$CASE.standin" >&2
  exit 1
}
expect() { grep -Eq "$1" "$WORK/$CASE.out" || fail "no line matching: $1"; }
row() { expect "^$1 +$2 +1/1 +[0-9]+\.[0-9]s$"; }
failures() { [ "$(grep -c '^FAIL' "$WORK/$CASE.out")" = "$1" ] || fail "not exactly $1 FAIL line(s)"; }

# check CASE RC: its exit status, and that it made a pool, a queue and a
# subscription (the end checks that none is left).
check() {
  CASE=$1
  local rc
  rc=$(cat "$WORK/$CASE.rc")
  [ "$rc" = "$2" ] || fail "exit $rc, expected $2"
  expect "^smoke: created user pool us-east-1_"
  expect "^smoke: created queue http"
  expect "^smoke: subscribed it to the alert topic: arn:aws:sns:"
  echo "ok: $CASE"
}

check pass 0
grep -q "^standin: s3: published json change set of 4: CreateUserPool, SetUserPoolMfaConfig, CreateGroup, SetUserPoolMfaConfig$" "$WORK/$CASE.standin" ||
  fail "no change set published"
for path in eventbridge s3; do
  row "1 MFA turned ON" $path
  row "2 group created" $path
  row "3 MFA turned OFF \(weakens MFA\)" $path
done
expect "^PASS: each change once by EventBridge and once by its log file$"
failures 0

check missing 1
expect "^FAIL: change 2 'group created' \(CreateGroup\): not delivered by the log file \(s3\) path within 15s$"
failures 1

check duplicate 1
expect "^3 MFA turned OFF \(weakens MFA\) +eventbridge +2/1 "
expect "^FAIL: change 3 'MFA turned OFF \(weakens MFA\)' \(SetUserPoolMfaConfig OFF\): delivered 2 times by the EventBridge \(fast\) path \(duplicate\)"
failures 1

check once 0
row "2 group created" eventbridge
expect "^PASS: each change once, by EventBridge; nothing from the log file"

check file 0
row "3 MFA turned OFF \(weakens MFA\)" s3
expect "^PASS: each change once, by its log file"

check ocsf 0
grep -q "^standin: s3: published ocsf change set of 4: " "$WORK/$CASE.standin" || fail "no OCSF change set published"
grep -q "^standin: s3: published json" "$WORK/$CASE.standin" && fail "a JSON body published"
row "1 MFA turned ON" s3
row "3 MFA turned OFF \(weakens MFA\)" eventbridge
expect "^PASS: each change once by EventBridge and once by its log file$"

check interrupted 143
expect "^smoke: deleted queue "

CASE=refused
touch "$WORK/$CASE.standin"
[ "$(cat "$WORK/$CASE.rc")" = 2 ] || fail "exit $(cat "$WORK/$CASE.rc"), expected 2"
expect "^smoke: the stack's MinSeverity is high: two of the three changes alert at medium"
! grep -q "created" "$WORK/$CASE.out" || fail "it created something"
echo "ok: $CASE"

# Cleanup, every case (the interrupted one too): no pool, queue or subscription left.
CASE=pass
left=$(moto_aws cognito-idp list-user-pools --max-results 60 --query "UserPools[?starts_with(Name, 'cta-smoke-')].Id" --output text)
[ -z "$left" ] || [ "$left" = None ] || fail "user pools left: $left"
left=$(ls_aws sqs list-queues --queue-name-prefix cta-smoke- --query QueueUrls --output text)
[ -z "$left" ] || [ "$left" = None ] || fail "queues left: $left"
left=$(ls_aws sns list-subscriptions --query "Subscriptions[?contains(TopicArn, '$RUN')].SubscriptionArn" --output text)
[ -z "$left" ] || [ "$left" = None ] || fail "subscriptions left: $left"
echo "ok: nothing left behind"
echo "smoke-aws.sh: all cases passed ($((SECONDS - STARTED)) s)"
