#!/usr/bin/env python3
"""Cold start of the Lambda's bootstrap: process start -> ready for the first event
(its first `GET /runtime/invocation/next`), with rules compiled and SDK clients built.

Serves a minimal Lambda Runtime API on 127.0.0.1 that answers nothing: when the
bootstrap asks for its first event, the time since spawn and the CPU time of all its
threads (/proc/PID/task/*/schedstat, nanoseconds) are read, and the process is
killed. No AWS calls are made at cold start with the default configuration (bundled
rules, no overlays, no state table), so nothing else is needed.

    python3 benches/lambda_cold_start.py target/release/cognito-trail-alerts-lambda [--runs 20]
"""

import argparse
import http.server
import os
import statistics
import subprocess
import threading
import time


class Api(http.server.BaseHTTPRequestHandler):
    ready = threading.Event()

    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path.endswith("/runtime/invocation/next"):
            Api.ready.set()
            time.sleep(30)  # never answers: the bootstrap is killed first

    def log_message(self, *args):
        pass


def cpu_ns(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def once(binary, port):
    Api.ready.clear()
    env = dict(
        os.environ,
        AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{port}",
        AWS_LAMBDA_FUNCTION_NAME="cognito-trail-alerts",
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
        AWS_LAMBDA_LOG_FORMAT="JSON",
        AWS_LAMBDA_LOG_LEVEL="WARN",
        AWS_REGION="eu-west-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        ALERT_TOPIC_ARN="arn:aws:sns:eu-west-1:111122223333:cognito-alerts",
        MALLOC_ARENA_MAX="1",
    )
    started = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL)
    if not Api.ready.wait(10):
        proc.kill()
        raise SystemExit("the bootstrap never asked for an event")
    wall = time.perf_counter() - started
    cpu = cpu_ns(proc.pid) / 1e9
    rss = status_kib(proc.pid, "VmHWM")
    proc.kill()
    proc.wait()
    return wall, cpu, rss


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    samples = [once(args.binary, port) for _ in range(args.runs)]
    walls = sorted(s[0] for s in samples)
    cpus = sorted(s[1] for s in samples)
    rss = max(s[2] for s in samples)
    print(f"load average: {open('/proc/loadavg').read().strip()}")
    print(f"runs {args.runs}: ready for the first event after "
          f"median {statistics.median(walls) * 1e3:.1f} ms (best {walls[0] * 1e3:.1f} ms), "
          f"CPU median {statistics.median(cpus) * 1e3:.1f} ms (best {cpus[0] * 1e3:.1f} ms), "
          f"peak RSS {rss} KiB")
    server.shutdown()


if __name__ == "__main__":
    main()
