#!/usr/bin/env bash
# LocalStack (S3, SNS, SQS, CloudWatch, EventBridge) without Docker, pinned, on 127.0.0.1:4566.
#   scripts/localstack.sh install   # venv under .tools/ (idempotent)
#   scripts/localstack.sh start     # waits for "Ready."; pid in .tools/localstack.pid
#   scripts/localstack.sh stop
# localstack-core 4.10 is the last release for Python 3.11 and serves the CBOR
# protocol aws-sdk-cloudwatch speaks; the other pins keep its runtime importable.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.tools
VENV=$TOOLS/localstack
PIDFILE=$TOOLS/localstack.pid
LOG=$TOOLS/localstack.log
PORT=${LOCALSTACK_PORT:-4566}
NAME=LocalStack
source scripts/service-lib.sh

install() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import localstack" 2>/dev/null; then
    return 0
  fi
  mkdir -p "$TOOLS"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "localstack-core[runtime]==4.10.0" "cbor2<6" "cryptography<44" "pyopenssl<24.3" "service_identity<25"
}

start() {
  install
  if running; then return 0; fi
  mkdir -p "$TOOLS"
  # The default (twisted) gateway ignores GATEWAY_LISTEN's host and binds every
  # interface; hypercorn binds exactly 127.0.0.1.
  GATEWAY_SERVER=hypercorn GATEWAY_LISTEN="127.0.0.1:$PORT" SERVICES=s3,sns,sqs,cloudwatch,events EAGER_SERVICE_LOADING=1 \
    LOCALSTACK_VOLUME_DIR="$PWD/$TOOLS/localstack-volume" \
    nohup "$VENV/bin/python" -m localstack.runtime.main > "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  wait_ready 120 1 grep -q "Ready." "$LOG"
  echo "LocalStack ready on 127.0.0.1:$PORT"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
