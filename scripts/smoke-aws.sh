#!/usr/bin/env bash
# End-to-end smoke test of a deployed stack, in your account (README "Smoke test in
# your account"):
#
#   scripts/smoke-aws.sh STACK
#
# Reads the stack's outputs, subscribes a temporary SQS queue to its alert topic,
# creates a throwaway user pool (cta-smoke-<random>) and makes three changes to it:
#   1  SetUserPoolMfaConfig  MFA ON (authenticator apps)   rule cognito-idp.user-pool.mfa-config
#   2  CreateGroup           a group                       rule cognito-idp.group.change
#   3  SetUserPoolMfaConfig  MFA OFF (weakens MFA)         rule cognito-idp.user-pool.mfa-config
# then waits for their alerts and checks that each delivery path the stack has
# delivered each change exactly once, printing each one's latency (the CloudTrail
# event time to the message's arrival in the queue). What it expects depends on
# the stack (SMOKE_EXPECT=auto):
#   both  FastPath on, ExactlyOnceAlerts off: by EventBridge once and by the log
#         file (path "s3") once
#   once  FastPath on, ExactlyOnceAlerts on (the state table): by EventBridge once;
#         the log file finds each change already sent and must stay silent (it
#         listens SMOKE_SETTLE seconds, 900 by default, for a late duplicate)
#   file  FastPath off: by the log file once
# On exit, however it ends, it deletes the pool, the subscription and the queue.
# Exit 0 = all delivered as expected; 1 = something missing or delivered twice
# (each named); 2 = it could not run (arguments, stack, permissions).
#
# The pool's creation and deletion alert too (medium, and critical for the
# deletion): your email or Slack subscribers get those and the three changes.
#
# Environment (all optional):
#   AWS_PROFILE, AWS_REGION / AWS_DEFAULT_REGION   as for the AWS CLI
#   AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>    (CLOUDFORMATION, SNS, SQS,
#       COGNITO_IDENTITY_PROVIDER) passed as --endpoint-url; the tests aim it at emulators
#   SMOKE_TIMEOUT=1200        seconds to wait after the last change (the log file
#                             path takes 5 to 15 minutes)
#   SMOKE_SETTLE              seconds to keep listening for duplicates once all
#                             arrived (default 60; 900 in "once" mode)
#   SMOKE_EXPECT=auto         both | once | file, instead of reading it from the stack
#   SMOKE_SUBSCRIBE_WAIT=5    seconds between subscribing and the first change
#   SMOKE_POLL_SECONDS=20     SQS long-poll wait (1-20)
#
# Needs the AWS CLI (v1 or v2) and python3 (standard library only), and
# permission for cloudformation:DescribeStacks, sqs:CreateQueue/SetQueueAttributes/
# ReceiveMessage/DeleteQueue, sns:Subscribe/Unsubscribe, and cognito-idp:
# CreateUserPool/TagResource/SetUserPoolMfaConfig/CreateGroup/DeleteUserPool.
# Cost: a few dozen SQS, SNS and Cognito requests (well inside the free tier),
# nothing left running.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
  exit 2
}
if [ $# -ne 1 ] || [ -z "$1" ] || [ "${1:0:1}" = "-" ]; then usage; fi
STACK=$1

die() {
  echo "smoke: $*" >&2
  exit 2
}
say() { echo "smoke: $*"; }
command -v aws > /dev/null || die "the AWS CLI (aws) is not on PATH"
command -v python3 > /dev/null || die "python3 is not on PATH"

TIMEOUT=${SMOKE_TIMEOUT:-1200}
EXPECT=${SMOKE_EXPECT:-auto}
SUBSCRIBE_WAIT=${SMOKE_SUBSCRIBE_WAIT:-5}
POLL=${SMOKE_POLL_SECONDS:-20}
for n in TIMEOUT SUBSCRIBE_WAIT POLL; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "SMOKE_$n must be a whole number of seconds"
done
[ -z "${SMOKE_SETTLE:-}" ] || [[ $SMOKE_SETTLE =~ ^[0-9]+$ ]] || die "SMOKE_SETTLE must be a whole number of seconds"
if [ "$POLL" -lt 1 ] || [ "$POLL" -gt 20 ]; then die "SMOKE_POLL_SECONDS must be 1 to 20"; fi
case $EXPECT in auto | both | once | file) ;; *) die "SMOKE_EXPECT must be auto, both, once or file" ;; esac
export AWS_PAGER=""

REGION=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
[ -n "$REGION" ] || REGION=$(aws configure get region 2> /dev/null || true)
[ -n "$REGION" ] || die "no region: set AWS_REGION (or AWS_DEFAULT_REGION, or a region in your profile)"

# awsx SERVICE_SUFFIX ARGS...: the AWS CLI in REGION, with --endpoint-url from
# AWS_ENDPOINT_URL_<SERVICE_SUFFIX> or AWS_ENDPOINT_URL when set (AWS CLI v1 ignores
# those variables for some services, and older versions for all).
awsx() {
  local var="AWS_ENDPOINT_URL_$1"
  shift
  local endpoint=${!var:-${AWS_ENDPOINT_URL:-}}
  local args=(--region "$REGION")
  if [ -n "$endpoint" ] && [ "${AWS_IGNORE_CONFIGURED_ENDPOINT_URLS:-}" != "true" ]; then
    args+=(--endpoint-url "$endpoint")
  fi
  aws "${args[@]}" "$@"
}

WORK=$(mktemp -d)
QUEUE_URL="" SUB_ARN="" POOL_ID="" WAITER=""
# The script's own stdout and stderr, for the cleanup: a signal's trap runs inside
# whatever command it interrupted, redirections included (e.g. > /dev/null).
exec 3>&1 4>&2
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local rc=$?
  exec 1>&3 2>&4
  trap - EXIT
  set +e
  if [ -n "$WAITER" ]; then
    kill "$WAITER" 2> /dev/null
    wait "$WAITER" 2> /dev/null
  fi
  if [ -n "$POOL_ID" ]; then
    if awsx COGNITO_IDENTITY_PROVIDER cognito-idp delete-user-pool --user-pool-id "$POOL_ID"; then
      say "deleted user pool $POOL_ID"
    else
      echo "smoke: could not delete user pool $POOL_ID ($REGION): delete it yourself" >&2
      [ "$rc" -ne 0 ] || rc=1
    fi
  fi
  if [ -n "$SUB_ARN" ]; then
    if awsx SNS sns unsubscribe --subscription-arn "$SUB_ARN"; then
      say "deleted subscription $SUB_ARN"
    else
      echo "smoke: could not delete subscription $SUB_ARN: delete it yourself" >&2
      [ "$rc" -ne 0 ] || rc=1
    fi
  fi
  if [ -n "$QUEUE_URL" ]; then
    if awsx SQS sqs delete-queue --queue-url "$QUEUE_URL"; then
      say "deleted queue $QUEUE_URL"
    else
      echo "smoke: could not delete queue $QUEUE_URL: delete it yourself" >&2
      [ "$rc" -ne 0 ] || rc=1
    fi
  fi
  rm -rf "$WORK"
  case $rc in
    0 | 1 | 2 | 130 | 143) ;;
    *)
      echo "smoke: stopped: a command failed (exit $rc, see above)" >&2
      rc=2
      ;;
  esac
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the stack ---------------------------------------------------------------
awsx CLOUDFORMATION cloudformation describe-stacks --stack-name "$STACK" --output json > "$WORK/stack.json" ||
  die "cannot describe stack $STACK in $REGION (wrong region or profile?)"
# topic, region of the topic, mode, and a refusal if the stack cannot alert on the changes.
read -r TOPIC_ARN TOPIC_REGION MODE < <(python3 - "$WORK/stack.json" "$EXPECT" <<'PY'
import json, sys
stack = json.load(open(sys.argv[1]))["Stacks"][0]
outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}
params = {p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters") or []}
topic = outputs.get("AlertTopicArn")
if not topic:
    sys.exit(f"smoke: stack {stack['StackName']} has no AlertTopicArn output: is it a cognito-trail-alerts stack?")
if params.get("MinSeverity") in ("high", "critical"):
    sys.exit(f"smoke: the stack's MinSeverity is {params['MinSeverity']}: two of the three changes alert "
             "at medium and would not be sent; run it on a stack with MinSeverity medium or lower")
mode = sys.argv[2]
if mode == "auto":
    fast = "FastPathRuleArn" in outputs or params.get("FastPath") == "true"
    once = "StateTableName" in outputs or params.get("ExactlyOnceAlerts") == "true"
    mode = ("once" if once else "both") if fast else "file"
print(topic, topic.split(":")[3], mode)
PY
) || exit 2
[ "$TOPIC_REGION" = "$REGION" ] || {
  say "the alert topic is in $TOPIC_REGION: using that region"
  REGION=$TOPIC_REGION
}
case $MODE in
  both) SETTLE=${SMOKE_SETTLE:-60} EXPECTS="each change once by EventBridge and once by its log file" ;;
  once) SETTLE=${SMOKE_SETTLE:-900} EXPECTS="each change once, by EventBridge; nothing from the log file (ExactlyOnceAlerts)" ;;
  file) SETTLE=${SMOKE_SETTLE:-60} EXPECTS="each change once, by its log file (no fast path)" ;;
esac
say "stack $STACK ($REGION), alert topic $TOPIC_ARN"
say "expecting $EXPECTS; waiting up to ${TIMEOUT}s, then ${SETTLE}s more for duplicates"

NAME=cta-smoke-$(python3 -c 'import secrets; print(secrets.token_hex(4))')

# --- a queue subscribed to the alert topic -------------------------------------
# The queue is in the stack's account and region: its ARN is known before it exists,
# so the policy letting the topic send to it is set as it is created.
QUEUE_ARN=$(python3 - "$TOPIC_ARN" "$NAME" "$WORK/queue-attributes.json" <<'PY'
import json, sys
topic, name, out = sys.argv[1:]
arn = topic.split(":")
queue = ":".join(arn[:2] + ["sqs"] + arn[3:5] + [name])
policy = {"Version": "2012-10-17", "Statement": [{
    "Sid": "AlertTopic", "Effect": "Allow",
    "Principal": {"Service": "sns.amazonaws.com"},
    "Action": "sqs:SendMessage", "Resource": queue,
    "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
}]}
with open(out, "w") as f:
    json.dump({"MessageRetentionPeriod": "3600", "Policy": json.dumps(policy)}, f)
print(queue)
PY
)
QUEUE_URL=$(awsx SQS sqs create-queue --queue-name "$NAME" --attributes "file://$WORK/queue-attributes.json" \
  --query QueueUrl --output text)
say "created queue $QUEUE_URL"
# Not raw delivery: the SNS envelope's MessageId tells a redelivery by SNS (at least
# once) from a second publish by the function.
SUB_ARN=$(awsx SNS sns subscribe --topic-arn "$TOPIC_ARN" --protocol sqs --notification-endpoint "$QUEUE_ARN" \
  --return-subscription-arn --query SubscriptionArn --output text)
say "subscribed it to the alert topic: $SUB_ARN"
sleep "$SUBSCRIBE_WAIT"

# --- the pool and the three changes ----------------------------------------------
POOL_ID=$(awsx COGNITO_IDENTITY_PROVIDER cognito-idp create-user-pool --pool-name "$NAME" \
  --user-pool-tags created-by=cognito-trail-alerts-smoke-test --query UserPool.Id --output text)
say "created user pool $POOL_ID ($NAME)"
awsx COGNITO_IDENTITY_PROVIDER cognito-idp set-user-pool-mfa-config --user-pool-id "$POOL_ID" \
  --software-token-mfa-configuration Enabled=true --mfa-configuration ON > /dev/null
say "change 1: MFA turned ON (SetUserPoolMfaConfig)"
awsx COGNITO_IDENTITY_PROVIDER cognito-idp create-group --user-pool-id "$POOL_ID" --group-name "$NAME" \
  --description "cognito-trail-alerts smoke test" > /dev/null
say "change 2: group created (CreateGroup)"
awsx COGNITO_IDENTITY_PROVIDER cognito-idp set-user-pool-mfa-config --user-pool-id "$POOL_ID" \
  --mfa-configuration OFF > /dev/null
say "change 3: MFA turned OFF, weakening MFA (SetUserPoolMfaConfig)"

# --- wait, count, report ------------------------------------------------------------
SQS_ENDPOINT=${AWS_ENDPOINT_URL_SQS:-${AWS_ENDPOINT_URL:-}}
[ "${AWS_IGNORE_CONFIGURED_ENDPOINT_URLS:-}" != "true" ] || SQS_ENDPOINT=""
# In the background, so that a signal reaches the trap at once (bash runs traps only
# between foreground commands).
python3 - "$QUEUE_URL" "$POOL_ID" "$MODE" "$TIMEOUT" "$SETTLE" "$POLL" "$REGION" "$SQS_ENDPOINT" "$EXPECTS" <<'PY' &
import datetime as dt
import json
import subprocess
import sys
import time

queue_url, pool_id, mode, timeout, settle, poll, region, endpoint, expects = sys.argv[1:]
timeout, settle, poll = int(timeout), int(settle), int(poll)

CHANGES = [  # (number, label, event name, requestParameters.mfaConfiguration)
    (1, "MFA turned ON", "SetUserPoolMfaConfig", "ON"),
    (2, "group created", "CreateGroup", None),
    (3, "MFA turned OFF (weakens MFA)", "SetUserPoolMfaConfig", "OFF"),
]
PATHS = {"eventbridge": "EventBridge (fast) path", "s3": "log file (s3) path"}
EXPECTED = {
    "both": {"eventbridge": 1, "s3": 1},
    "once": {"eventbridge": 1, "s3": 0},
    "file": {"eventbridge": 0, "s3": 1},
}[mode]


def aws(*args):
    cmd = ["aws", "--region", region, "--output", "json"]
    if endpoint:
        cmd += ["--endpoint-url", endpoint]
    out = subprocess.run(cmd + list(args), stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"smoke: aws {' '.join(args[:2])} failed: {out.stderr.strip()}", file=sys.stderr)
        sys.exit(2)
    return json.loads(out.stdout) if out.stdout.strip() else {}


def members(machine):
    """The alerts of one machine body: an alert, a change set's `alerts`, or an
    OCSF Detection Finding (OutputFormat=ocsf)."""
    if not isinstance(machine, dict):
        return []
    if machine.get("kind") == "change_set":
        return [a for a in machine.get("alerts") or [] if isinstance(a, dict)]
    if machine.get("kind") == "alert" or machine.get("class_uid") == 2004:
        return [machine]
    return []


def fields(alert):
    """(path, event id, event time, event name, request parameters, pool ids, chain?)."""
    if alert.get("class_uid") == 2004:
        unmapped = alert.get("unmapped") or {}
        api = alert.get("api") or {}
        evidence = (alert.get("evidences") or [{}])[0]
        params = (evidence.get("data") or {}).get("requestParameters")
        pools = {(r.get("data") or {}).get(k) for r in alert.get("resources") or [] for k in ("userPoolId", "id")}
        return ((unmapped.get("source") or {}).get("path"), (api.get("request") or {}).get("uid"),
                (alert.get("metadata") or {}).get("original_time"), api.get("operation"),
                params, pools, bool(unmapped.get("chain")))
    params = alert.get("request_parameters")
    pools = {(alert.get("resource") or {}).get("user_pool_id")}
    return ((alert.get("source") or {}).get("path"), alert.get("event_id"), alert.get("event_time"),
            alert.get("event_name"), params, pools, bool(alert.get("chain")))


def which_change(alert):
    path, _, _, name, params, pools, chain = fields(alert)
    if isinstance(params, dict):
        pools.add(params.get("userPoolId"))
    if pool_id not in pools:
        return None
    if chain:
        return "other"
    mfa = params.get("mfaConfiguration") if isinstance(params, dict) else None
    for number, _, want_name, want_mfa in CHANGES:
        if name == want_name and (want_mfa is None or mfa == want_mfa):
            return number
    return "other"


def seconds(event_time):
    try:
        return dt.datetime.strptime(event_time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()
    except (TypeError, ValueError):
        return None


arrivals = {(n, p): [] for n, *_ in CHANGES for p in PATHS}  # [(latency, event id)]
others = []
seen = set()  # (SNS message id, member index): a redelivery by SNS is not a second alert
received = set()  # SQS message ids
redelivered = 0
start = time.time()
deadline = start + timeout
settle_until = None


def problems():
    out = []
    for number, label, name, mfa in CHANGES:
        what = f"change {number} '{label}' ({name}{' ' + mfa if mfa else ''})"
        for path, want in EXPECTED.items():
            got = len(arrivals[(number, path)])
            if got > want:
                ids = ", ".join(sorted({i or "?" for _, i in arrivals[(number, path)]}))
                if want == 0 and mode == "once":
                    out.append(f"{what}: delivered {got} time(s) by the {PATHS[path]} although the EventBridge "
                               f"path's alert should have made it a duplicate (ExactlyOnceAlerts); event ids {ids}")
                elif want == 0:
                    out.append(f"{what}: delivered {got} time(s) by the {PATHS[path]}, which this stack "
                               f"should not have; event ids {ids}")
                else:
                    out.append(f"{what}: delivered {got} times by the {PATHS[path]} (duplicate); event ids {ids}")
            elif got < want:
                out.append(f"{what}: not delivered by the {PATHS[path]} within {timeout}s")
    return out


def complete():
    return all(len(arrivals[(n, p)]) >= want for n, *_ in CHANGES for p, want in EXPECTED.items())


def duplicated():
    return any(len(arrivals[(n, p)]) > want for n, *_ in CHANGES for p, want in EXPECTED.items())


while True:
    now = time.time()
    if complete() and duplicated():
        break  # the verdict cannot change any more
    if complete() and settle_until is None:
        settle_until = now + settle
        if settle:
            print(f"smoke: all expected alerts arrived; listening {settle}s more for duplicates", flush=True)
    if settle_until is not None and now >= settle_until:
        break
    if settle_until is None and now >= deadline:
        break
    end = settle_until if settle_until is not None else deadline
    wait = max(1, min(poll, int(end - now + 0.999)))
    # Not deleted: a message stays invisible until the queue is gone (the visibility
    # timeout outlasts the wait), which saves a call per batch.
    got = aws("sqs", "receive-message", "--queue-url", queue_url, "--max-number-of-messages", "10",
              "--wait-time-seconds", str(wait), "--attribute-names", "SentTimestamp",
              "--visibility-timeout", str(min(43200, timeout + settle + 600)))
    messages = [m for m in got.get("Messages") or [] if m.get("MessageId") not in received]
    received.update(m.get("MessageId") for m in messages)
    for m in messages:
        arrived = int((m.get("Attributes") or {}).get("SentTimestamp", time.time() * 1000)) / 1000
        try:
            body = json.loads(m["Body"])
        except ValueError:
            continue
        sns_id = None
        if isinstance(body, dict) and body.get("Type") == "Notification":  # the SNS envelope
            sns_id = body.get("MessageId")
            try:
                body = json.loads(body.get("Message") or "")
            except ValueError:
                continue  # a text message (e.g. another publisher's)
        for index, alert in enumerate(members(body)):
            change = which_change(alert)
            if change is None:
                continue  # not about this pool (another change in the account, an alarm...)
            if sns_id is not None:
                if (sns_id, index) in seen:
                    redelivered += 1
                    continue
                seen.add((sns_id, index))
            path, event_id, event_time, name, *_ = fields(alert)
            t = seconds(event_time)
            latency = arrived - t if t is not None else None
            shown = f"{latency:7.1f}s" if latency is not None else "      ?"
            if change == "other":
                others.append((name, path))
                print(f"smoke: {shown}  {path or '?':11}  also: {name} (not one of the three changes)", flush=True)
                continue
            if path not in PATHS:
                others.append((name, path))
                print(f"smoke: {shown}  {path or '?':11}  change {change}, by an unknown path", flush=True)
                continue
            arrivals[(change, path)].append((latency, event_id))
            print(f"smoke: {shown}  {path:11}  change {change} {CHANGES[change - 1][1]}", flush=True)

print()
print("change                              path         arrivals  latency (event time -> queue)")
for number, label, name, mfa in CHANGES:
    for path, want in EXPECTED.items():
        got = arrivals[(number, path)]
        if want == 0 and not got:
            continue
        latency = ", ".join(f"{l:.1f}s" if l is not None else "?" for l, _ in got) or "-"
        print(f"{number} {label:32}  {path:11}  {len(got)}/{want:<6}  {latency}")
if mode == "once":
    print("(the log file path is silent with ExactlyOnceAlerts: its duplicates are counted in the "
          "function's DuplicatesSuppressed metric, dimension Path=s3)")
if redelivered:
    print(f"({redelivered} message(s) redelivered by SNS, same MessageId: not counted)")
bad = problems()
print()
if bad:
    for p in bad:
        print(f"FAIL: {p}")
    sys.exit(1)
print(f"PASS: {expects}")
PY
WAITER=$!
rc=0
wait "$WAITER" || rc=$?
WAITER=""
exit "$rc"
