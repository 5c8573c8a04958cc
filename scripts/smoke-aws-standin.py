#!/usr/bin/env python3
"""A stand-in for a deployed stack's function, for scripts/test-smoke-aws.sh: lets
scripts/smoke-aws.sh run against LocalStack and moto, which have no CloudTrail and
no function.

It is two things in one process (Python standard library only):

- CloudTrail: an HTTP proxy in front of moto's Cognito. The smoke script is aimed at
  it (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER); every request is passed to moto
  unchanged, and each successful Cognito write becomes a CloudTrail record
  (eventName from X-Amz-Target, requestParameters and responseElements from the
  bodies with CloudTrail's lower-camel keys, eventTime the second it happened).
- The function: each record is scanned by the real engine (`cognito-trail-alerts
  scan --format jsonl`, the bundled rules, MIN_SEVERITY low) and its alerts are
  published to the alert topic in LocalStack exactly as the Lambda publishes them:
  Publish with MessageStructure=json, the `sqs` and `lambda` bodies holding the
  alert's machine JSON (the CLI's alert plus `kind` and `truncated`) with the
  `source` of the path that delivered it:
    eventbridge  {"path": "eventbridge", "event_id": <EventBridge event id>, "record_index": 0}
                 one record per invocation, --eventbridge-delay seconds after the call
    s3           {"path": "s3", "bucket": ..., "key": <log file key>, "record_index": i}
                 the records of --file-delay seconds (or the first --file-records
                 of them, at once) in one log file; its alerts
                 published one message each (--file-shape single) or as one change
                 set (--file-shape change_set: the header, then `alerts`, each alert
                 whole; the header's fields are approximated, the alerts are not).
  With --output-format ocsf (the stack's OutputFormat=ocsf) each alert is the
  engine's OCSF Detection Finding (`scan --format ocsf`) with `metadata.is_truncated`,
  the path in `unmapped.source`.

Faults, for the smoke script's failure cases (SPEC is PATH:EVENT_NAME[:MFA], MFA
matching requestParameters.mfaConfiguration, e.g. s3:CreateGroup or
eventbridge:SetUserPoolMfaConfig:OFF):
  --drop SPEC       that path does not deliver the matching alerts
  --duplicate SPEC  that path publishes the matching alerts twice (two publishes)

    scripts/smoke-aws-standin.py --cli target/debug/cognito-trail-alerts \
        --topic-arn arn:aws:sns:us-east-1:000000000000:t --port-file /tmp/port

Prints what it does on stdout; runs until terminated.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
READ_PREFIXES = ("Describe", "List", "Get", "AdminGet", "AdminList")
ACCOUNT = "123456789012"  # moto's default account: the records' recipient
TRAIL_BUCKET = "cta-standin-trail"


def log(*parts):
    print("standin:", *parts, flush=True)


def lower_camel(value):
    """CloudTrail spells request and response members with a lower-case first letter."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: lower_camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_camel(v) for v in value]
    return value


def parse_spec(spec):
    parts = spec.split(":")
    if len(parts) not in (2, 3) or parts[0] not in ("eventbridge", "s3"):
        raise argparse.ArgumentTypeError(f"not PATH:EVENT_NAME[:MFA]: {spec}")
    return (parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def matches(spec, path, alert):
    want_path, name, mfa = spec
    if want_path != path or alert.get("event_name") != name:
        return False
    params = alert.get("request_parameters")
    return mfa is None or (isinstance(params, dict) and params.get("mfaConfiguration") == mfa)


class Function:
    """The deployed function, as far as the smoke script can tell."""

    def __init__(self, args):
        self.args = args
        self.region = args.topic_arn.split(":")[3]
        self.lock = threading.Lock()
        self.pending = []
        self.timer = None
        self.scratch = tempfile.mkdtemp(prefix="cta-standin-")

    def on_record(self, record):
        if "eventbridge" in self.args.paths:
            timer = threading.Timer(self.args.eventbridge_delay, self.fast_path, [record])
            timer.daemon = True
            timer.start()
        if "s3" in self.args.paths:
            with self.lock:
                self.pending.append(record)
                full = len(self.pending) >= self.args.file_records
                if self.timer is None and not full:
                    self.timer = threading.Timer(self.args.file_delay, self.file_path)
                    self.timer.daemon = True
                    self.timer.start()
            if full:
                threading.Thread(target=self.file_path, daemon=True).start()

    def scan(self, records, name):
        """The alerts of one log file, each with its OCSF form under `_ocsf` when asked."""
        path = os.path.join(self.scratch, name)
        with open(path, "w") as f:
            json.dump({"Records": records}, f)

        def run(form):
            out = subprocess.run(
                [self.args.cli, "scan", "--format", form, "--min-severity", "low", path],
                check=True, capture_output=True, text=True,
            )
            return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

        alerts = run("jsonl")
        if self.args.output_format == "ocsf":
            for alert, finding in zip(alerts, run("ocsf"), strict=True):
                alert["_ocsf"] = finding
        return alerts

    def fast_path(self, record):
        try:
            alerts = self.scan([record], f"eventbridge-{record['eventID']}.json")
            for alert in alerts:
                alert["source"] = {"path": "eventbridge", "event_id": str(uuid.uuid4()), "record_index": 0}
                self.deliver("eventbridge", [alert])
        except Exception as e:  # the test reads the log; the thread must not die silently
            log("fast path failed:", repr(e))

    def file_path(self):
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            records, self.pending, self.timer = self.pending, [], None
        if not records:
            return
        try:
            now = dt.datetime.now(dt.timezone.utc)
            name = f"{ACCOUNT}_CloudTrail_{self.region}_{now:%Y%m%dT%H%MZ}_{uuid.uuid4().hex[:16]}.json"
            key = f"AWSLogs/{ACCOUNT}/CloudTrail/{self.region}/{now:%Y/%m/%d}/{name}.gz"
            alerts = self.scan(records, name)
            for alert in alerts:
                index = alert.get("source", {}).get("record_index", 0)
                alert["source"] = {"path": "s3", "bucket": TRAIL_BUCKET, "key": key, "record_index": index}
            if self.args.file_shape == "change_set":
                self.deliver("s3", alerts, as_set=True)
            else:
                for alert in alerts:
                    self.deliver("s3", [alert])
        except Exception as e:
            log("file path failed:", repr(e))

    def deliver(self, path, alerts, as_set=False):
        kept = [a for a in alerts if not any(matches(s, path, a) for s in self.args.drop)]
        for a in alerts:
            if a not in kept:
                log(f"{path}: dropped {a.get('event_name')} {a.get('event_id')}")
        if not kept:
            return
        times = 2 if any(matches(s, path, a) for s in self.args.duplicate for a in kept) else 1
        if as_set and len(kept) > 1:
            messages = [change_set(kept)]
        else:
            messages = [machine(a) for a in kept]
        for body in messages:
            for _ in range(times):
                self.publish(body)
                members = body.get("alerts") or [body]
                form = "ocsf" if all(m.get("class_uid") == 2004 for m in members) else "json"
                log(f"{path}: published {form} {summary(body)}")

    def publish(self, body):
        severity = str(body.get("severity", "info")).lower()
        subject = f"[{str(severity).upper()}] {summary(body)}"[:100]
        text = f"{subject}\n\n(stand-in for the deployed function)"
        machine_json = json.dumps(body)
        message = json.dumps({
            "default": text,
            "email": text,
            "https": json.dumps({"version": "1.0", "source": "custom",
                                 "content": {"title": subject, "description": text}}),
            "sqs": machine_json,
            "lambda": machine_json,
        })
        form = {
            "Action": "Publish", "Version": "2010-03-31",
            "TopicArn": self.args.topic_arn, "Message": message,
            "MessageStructure": "json", "Subject": subject,
            "MessageAttributes.entry.1.Name": "severity",
            "MessageAttributes.entry.1.Value.DataType": "String",
            "MessageAttributes.entry.1.Value.StringValue": str(severity),
        }
        day = time.strftime("%Y%m%d", time.gmtime())
        request = urllib.request.Request(
            self.args.sns_endpoint,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                # Unsigned: the emulator reads the region from the scope only.
                "Authorization": f"AWS4-HMAC-SHA256 Credential=test/{day}/{self.region}/sns/aws4_request, "
                                 "SignedHeaders=host, Signature=0",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


def machine(alert):
    """An alert's `sqs` body: the notice JSON (`kind`) and `truncated`, or the OCSF
    finding with `metadata.is_truncated` and the delivering path's source."""
    body = {k: v for k, v in alert.items() if k != "_ocsf"}
    if "_ocsf" in alert:
        finding = alert["_ocsf"]
        finding["unmapped"]["source"] = body["source"]
        finding["metadata"]["is_truncated"] = False
        return finding
    body["kind"] = "alert"
    body["truncated"] = False
    return body


SEVERITIES = ["info", "low", "medium", "high", "critical"]


def change_set(alerts):
    """A change set's `sqs` body: the header (approximated), `part`, `parts`, `alerts`."""
    first = alerts[0]
    by_severity = {}
    for a in alerts:
        by_severity[a["severity"]] = by_severity.get(a["severity"], 0) + 1
    times = sorted(a["event_time"] for a in alerts if a.get("event_time"))
    actor = first.get("actor") or {}
    return {
        "kind": "change_set",
        "id": first.get("event_id"),
        "count": len(alerts),
        "failed": sum(1 for a in alerts if (a.get("outcome") or {}).get("status") == "failed"),
        "severity": max((a["severity"] for a in alerts), key=SEVERITIES.index),
        "by_severity": by_severity,
        "tool": "cli",
        "tool_name": "AWS CLI",
        "user_agent": first.get("user_agent"),
        "who": {"identity_type": actor.get("identity_type"), "arn": actor.get("arn"),
                "principal_id": actor.get("principal_id"), "access_key_id": actor.get("access_key_id"),
                "role": None, "short": "user/smoke"},
        "account_id": first.get("account_id"),
        "regions": sorted({a["region"] for a in alerts if a.get("region")}),
        "first_event_time": times[0] if times else None,
        "last_event_time": times[-1] if times else None,
        "span_secs": None,
        "part": 1,
        "parts": 1,
        "alerts": [machine(a) for a in alerts],
    }


def summary(body):
    def name(a):
        return a.get("event_name") or (a.get("api") or {}).get("operation", "?")

    if body.get("kind") == "change_set":
        return f"change set of {body['count']}: " + ", ".join(name(a) for a in body["alerts"])
    return f"{name(body)} {body.get('event_id') or (body.get('api') or {}).get('request', {}).get('uid')}"


def record_of(handler, operation, request, response):
    auth = handler.headers.get("Authorization", "")
    scope = re.search(r"Credential=([^/]+)/\d{8}/([^/]+)/", auth)
    key_id, region = (scope.group(1), scope.group(2)) if scope else ("AKIAEXAMPLE", "us-east-1")
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser", "principalId": "AIDASMOKESTANDIN0001",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/smoke", "accountId": ACCOUNT,
            "accessKeyId": key_id, "userName": "smoke",
        },
        "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "eventSource": "cognito-idp.amazonaws.com",
        "eventName": operation,
        "awsRegion": region,
        "sourceIPAddress": handler.client_address[0],
        "userAgent": handler.headers.get("User-Agent", ""),
        "requestParameters": lower_camel(request) or None,
        "responseElements": lower_camel(response) or None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


def proxy_handler(upstream, function):
    target = urllib.parse.urlsplit(upstream)
    hop = {"host", "connection", "content-length", "transfer-encoding", "keep-alive", "expect"}

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.forward()

        def do_POST(self):
            self.forward()

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in hop}
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                status, out_headers = response.status, response.getheaders()
            finally:
                conn.close()
            self.send_response(status)
            for k, v in out_headers:
                if k.lower() not in hop | {"date", "server"}:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            operation = self.headers.get("X-Amz-Target", "")
            if status != 200 or not operation.startswith(TARGET_PREFIX):
                return
            operation = operation[len(TARGET_PREFIX):]
            if operation.startswith(READ_PREFIXES):
                return
            try:
                request = json.loads(body or b"{}")
                response_json = json.loads(data or b"{}")
            except ValueError:
                request, response_json = {}, {}
            record = record_of(self, operation, request, response_json)
            log(f"cloudtrail: {operation} {record['eventID']}")
            function.on_record(record)

    return Proxy


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cli", required=True, help="the cognito-trail-alerts binary")
    p.add_argument("--topic-arn", required=True, help="the alert topic (in LocalStack)")
    p.add_argument("--sns-endpoint", default="http://127.0.0.1:4566")
    p.add_argument("--upstream", default="http://127.0.0.1:4569", help="moto (Cognito)")
    p.add_argument("--port-file", required=True, help="written with the proxy's port once it listens")
    p.add_argument("--paths", default="eventbridge,s3", type=lambda s: set(s.split(",")) - {""})
    p.add_argument("--eventbridge-delay", type=float, default=0.3)
    p.add_argument("--file-delay", type=float, default=2.0)
    p.add_argument("--file-records", type=int, default=1000,
                   help="a log file is written at once when it holds this many records")
    p.add_argument("--file-shape", choices=["single", "change_set"], default="change_set")
    p.add_argument("--output-format", choices=["json", "ocsf"], default="json")
    p.add_argument("--drop", action="append", type=parse_spec, default=[])
    p.add_argument("--duplicate", action="append", type=parse_spec, default=[])
    args = p.parse_args()
    if not args.paths <= {"eventbridge", "s3"}:
        p.error("--paths: eventbridge and/or s3")

    function = Function(args)
    server = ThreadingHTTPServer(("127.0.0.1", 0), proxy_handler(args.upstream, function))
    server.daemon_threads = True
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    log(f"cognito-idp proxy on 127.0.0.1:{server.server_address[1]} -> {args.upstream}; "
        f"paths {','.join(sorted(args.paths))}; file shape {args.file_shape}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(function.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
