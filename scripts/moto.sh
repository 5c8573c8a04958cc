#!/usr/bin/env bash
# moto's server mode, pinned, on 127.0.0.1:4569: the DynamoDB API the state store's
# end-to-end tests talk to (LocalStack 4.10's DynamoDB does not start on Python 3.11
# and would download DynamoDB Local at run time), and Cognito (ListUsers) and STS
# (AssumeRole) for the user lookups' tests (LocalStack's free edition has no Cognito),
# Organizations for account names, Security Hub (BatchImportFindings, GetFindings)
# for findings. One server serves every service on the one port.
#   scripts/moto.sh install   # venv under .tools/moto (idempotent)
#   scripts/moto.sh start     # waits until DynamoDB answers; pid in .tools/moto.pid
#   scripts/moto.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.tools
VENV=$TOOLS/moto
PIDFILE=$TOOLS/moto.pid
LOG=$TOOLS/moto.log
PORT=${MOTO_PORT:-4569}
VERSION=5.2.5
NAME=moto
source scripts/service-lib.sh

install() {
  if [ -x "$VENV/bin/moto_server" ] &&
    [ "$("$VENV/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" = "$VERSION" ]; then
    return 0
  fi
  mkdir -p "$TOOLS"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$VERSION"
}

# Any HTTP answer on the port: moto is serving.
answers() {
  "$VENV/bin/python" - "$PORT" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=1)
except urllib.error.HTTPError:
    pass
PY
}

start() {
  install
  if running; then return 0; fi
  mkdir -p "$TOOLS"
  nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" > "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  wait_ready 60 0.5 answers
  echo "moto $VERSION ready on 127.0.0.1:$PORT"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
