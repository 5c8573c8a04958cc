#!/usr/bin/env python3
"""Peak memory and time of the Lambda `bootstrap` processing one large trail file.

Serves a minimal Lambda Runtime API on 127.0.0.1 (one invocation), runs the built
bootstrap against LocalStack, and reads the process's peak RSS (VmHWM) once it has
answered. Needs LocalStack running (scripts/localstack.sh start) and runs with the
LocalStack venv's python, which has boto3:

    .tools/localstack/bin/python benches/lambda_memory.py .aws-sam/build/Function/bootstrap FILE.json.gz...
"""
import http.server
import json
import os
import subprocess
import sys
import threading
import time

import boto3

ENDPOINT = os.environ.get("LOCALSTACK_ENDPOINT", "http://127.0.0.1:4566")
KEY = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_{}.json.gz"
CLIENT = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


class RuntimeApi(http.server.ThreadingHTTPServer):
    """Hands out one event, then records the function's answer."""

    def __init__(self, event):
        super().__init__(("127.0.0.1", 0), Handler)
        self.event = json.dumps(event).encode()
        self.given = False
        self.answer = None
        self.done = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("/invocation/next") and not self.server.given:
            self.server.given = True
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 900_000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:cta")
            self.send_header("Content-Length", str(len(self.server.event)))
            self.end_headers()
            self.wfile.write(self.server.event)
            return
        self.server.done.wait()  # the next poll waits until the measurement ends

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.answer = (self.path.rsplit("/", 1)[-1], body.decode(errors="replace"))
        self.send_response(202)
        self.end_headers()
        self.server.done.set()


def setup(path, name):
    s3, sns, sqs = (boto3.client(s, **CLIENT) for s in ("s3", "sns", "sqs"))
    s3.create_bucket(Bucket="cta-memory")
    s3.upload_file(path, "cta-memory", KEY.format(name))
    topic = sns.create_topic(Name="cta-memory")["TopicArn"]
    sqs.create_queue(QueueName="cta-memory")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:cta-memory")
    return topic


def measure(bootstrap, path):
    name = os.path.basename(path).split(".")[0]
    topic = setup(path, name)
    size = os.path.getsize(path)
    event = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                          "s3": {"bucket": {"name": "cta-memory"}, "object": {"key": KEY.format(name), "size": size}}}]}
    api = RuntimeApi(event)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{api.server_address[1]}",
               AWS_LAMBDA_FUNCTION_NAME="cta", AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
               AWS_LAMBDA_FUNCTION_MEMORY_SIZE="128", AWS_LAMBDA_LOG_GROUP_NAME="cta", AWS_LAMBDA_LOG_STREAM_NAME="cta",
               ALERT_TOPIC_ARN=topic, AWS_ENDPOINT_URL=ENDPOINT, AWS_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", S3_FORCE_PATH_STYLE="true",
               AWS_LAMBDA_LOG_LEVEL="warn")
    start = time.monotonic()
    proc = subprocess.Popen([bootstrap], env=env, stdout=subprocess.DEVNULL)
    finished = api.done.wait(timeout=600)
    elapsed = time.monotonic() - start
    status = open(f"/proc/{proc.pid}/status").read()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    proc.kill()
    proc.wait()
    api.shutdown()
    kind, body = api.answer if finished else ("timeout", "")
    print(f"{os.path.basename(path)}: {size / 1e6:.1f} MB gzip, {kind} in {elapsed:.2f} s "
          f"(process start to answer), peak RSS {int(peak) / 1024:.1f} MiB, answer {body}")


if __name__ == "__main__":
    for trail in sys.argv[2:]:
        measure(sys.argv[1], trail)
