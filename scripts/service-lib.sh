# Sourced by scripts/localstack.sh and scripts/moto.sh: a background service with a
# pid file. The caller sets NAME, PIDFILE and LOG, and starts the process itself.

running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

# wait_ready TRIES INTERVAL CHECK...: polls CHECK until it succeeds; fails (and
# stops the service) if the process exits or TRIES x INTERVAL seconds pass.
wait_ready() {
  local tries=$1 interval=$2
  shift 2
  for _ in $(seq 1 "$tries"); do
    if "$@"; then
      return 0
    fi
    if ! running; then
      echo "$NAME exited during start; see $LOG" >&2
      tail -20 "$LOG" >&2
      return 1
    fi
    sleep "$interval"
  done
  echo "$NAME not ready after $(awk "BEGIN { print $tries * $interval }") s; see $LOG" >&2
  stop
  return 1
}

stop() {
  if running; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    for _ in $(seq 1 20); do running || break; sleep 0.5; done
    running && kill -9 "$(cat "$PIDFILE")" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}
