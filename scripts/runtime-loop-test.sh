#!/usr/bin/env bash
# Runs the real Lambda runtime loop once: `cargo lambda watch` serves the function
# against LocalStack, `cargo lambda invoke` sends each payload of lambda/events/, and
# the responses and the alerts delivered to SQS are checked.
# Needs LocalStack running (scripts/localstack.sh start); installs cargo-lambda (pinned).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
PORT=9000
ENDPOINT=${LOCALSTACK_ENDPOINT:-http://127.0.0.1:4566}

scripts/install-cargo-lambda.sh
export PATH="$TOOLS/cargo-lambda/bin:$PATH"
PY=$TOOLS/localstack/bin/python   # has boto3 (installed with LocalStack)

# The world: a trail bucket holding the sample files, the alert topic, a queue.
TOPIC_ARN=$("$PY" - "$ENDPOINT" <<'EOF'
import sys, pathlib, boto3
ep = sys.argv[1]
kw = dict(endpoint_url=ep, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3, sns, sqs = (boto3.client(s, **kw) for s in ("s3", "sns", "sqs"))
s3.create_bucket(Bucket="cta-local-trail")
for f in pathlib.Path("events").rglob("*.json.gz"):
    s3.upload_file(str(f), "cta-local-trail", str(f.relative_to("events")))
topic = sns.create_topic(Name="cta-local-alerts")["TopicArn"]
queue = sqs.create_queue(QueueName="cta-local-alerts")["QueueUrl"]
sqs.purge_queue(QueueUrl=queue)
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:cta-local-alerts")
print(topic)
EOF
)

LOG=$TOOLS/cargo-lambda-watch.log
(
  cd lambda
  ALERT_TOPIC_ARN=$TOPIC_ARN AWS_ENDPOINT_URL=$ENDPOINT AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test S3_FORCE_PATH_STYLE=true METRICS_MODE=emf \
  exec setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$PORT" > "$LOG" 2>&1
) &
WATCH=$!
trap 'kill -- -"$WATCH" 2>/dev/null || kill "$WATCH" 2>/dev/null || true' EXIT

invoke() {
  (cd lambda && cargo lambda invoke cognito-trail-alerts-lambda --invoke-address 127.0.0.1 --invoke-port "$PORT" --data-file "events/$1")
}

# The first invoke waits for the build and the runtime to come up.
for _ in $(seq 1 120); do
  if invoke s3-test-event.json > /dev/null 2>&1; then break; fi
  sleep 2
done

failures=0
check() { # payload, python expression over `r` (the response)
  local out
  out=$(invoke "$1" 2>&1) || { echo "FAIL $1: $out"; failures=$((failures + 1)); return; }
  if python3 -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$out"; then
    echo "ok    $1 -> $out"
  else
    echo "FAIL  $1 -> $out (expected $2)"; failures=$((failures + 1))
  fi
}
check s3-test-event.json 'r["files"] == 0'
check s3-digest.json 'r["files"] == 0'
check s3-put.json 'r["files"] == 1 and r["alerts"] == 3'
check sns-s3.json 'r["files"] == 1 and r["alerts"] == 1'
check eventbridge-object-created.json 'r["files"] == 1'
check cloudtrail-sns.json 'r["files"] == 2'
check sqs-s3.json 'r == {"batchItemFailures": []}'
check sqs-sns-s3.json 'r == {"batchItemFailures": [{"itemIdentifier": "bad-message-1"}]}'

delivered=$("$PY" - "$ENDPOINT" <<'EOF'
import sys, boto3, json
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
url = sqs.get_queue_url(QueueName="cta-local-alerts")["QueueUrl"]
seen = set()
for _ in range(10):
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    for m in msgs:
        body = json.loads(json.loads(m["Body"])["Message"])
        # A change set's message carries each of its alerts whole.
        alerts = body["alerts"] if body.get("kind") == "change_set" else [body]
        seen.update(a["event_id"] for a in alerts)
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
print(len(seen))
EOF
)
# 3 alerts from the eu-west-1 file and 1 from the organization trail file; the
# container remembers what it sent, so later shapes of the same files add none.
if [ "$delivered" = 4 ]; then echo "ok    4 distinct alerts delivered to SQS"; else echo "FAIL  $delivered distinct alerts delivered (expected 4)"; failures=$((failures + 1)); fi
grep -q '"CloudWatchMetrics"' "$LOG" && echo "ok    EMF metrics on stdout" || { echo "FAIL  no EMF metrics in $LOG"; failures=$((failures + 1)); }

echo "$((10 - failures)) passed, $failures failed"
[ "$failures" = 0 ]
