#!/usr/bin/env python3
"""Load benchmark of the Lambda `bootstrap` in one warm container, against LocalStack.

One bootstrap process (a warm container) is driven by a minimal Lambda Runtime API
served on 127.0.0.1, which hands out a queue of S3 ObjectCreated notifications one
by one. After each answer the script reads the process's VmRSS, RssAnon and VmHWM
from /proc/PID/status.

Phase 1: 1,000 generated CloudTrail files (50-800 records each, gzip), one per
invocation: time per file, files/s, alerts (the answers' `alerts` field, the
messages that reached an SQS queue subscribed to the topic, and the Cognito writes
the generator put in, which must all be equal), and RSS along the way with its slope
over the last 900 invocations, so that a leak would show.

Phase 2: one or more large trail files (CloudTrail's largest object is about 50 MB of
gzip), each invoked in the same process after phase 1: time, MB/s of gzip and of
JSON, VmHWM before and after, next to `gzip -dc FILE > /dev/null` on the same file.

Needs LocalStack on 127.0.0.1:4566 (scripts/localstack.sh start) and runs with the
LocalStack venv's python, which has boto3. The 50 MB file comes from the scan
benchmark's generator:

    BENCH_GENERATE_MIB=550 cargo bench --bench scan
    cargo build --release -p cognito-trail-alerts-lambda --locked
    .tools/localstack/bin/python benches/lambda_load.py target/release/cognito-trail-alerts-lambda \\
        bench-data/trail-v1-550mib.json.gz

Options: --files N (default 1000), --seed S, --big-runs N (invocations per large file,
each under its own key, default 3), --gzip-runs N (default 3), --metrics-mode api|emf
(default api, as deployed: one PutMetricData per invocation, which LocalStack answers
slowly; emf takes that call out of the time per file). Prints progress on
stderr and a markdown summary on stdout. Creates its own bucket, topic and queue
(unique names per run) and deletes them at the end.

--state runs the function with the state store (STATE_TABLE): a table of its own in
moto (scripts/moto.sh start; MOTO_ENDPOINT, default http://127.0.0.1:4569), reached
through AWS_ENDPOINT_URL_DYNAMODB as a deployment would set it, via a counting proxy
on 127.0.0.1 that records each DynamoDB call (operation, time). --redeliver N (with
--state) then hands the first N notifications again to a new bootstrap process (a
new container, S3 delivering at least once): none may alert again.
"""
import argparse
import gzip
import http.server
import json
import math
import os
import queue
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import boto3

ENDPOINT = os.environ.get("LOCALSTACK_ENDPOINT", "http://127.0.0.1:4566")
CLIENT = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test",
              aws_secret_access_key="test")
ACCOUNTS = ["111122223333", "444455556666"]
REGIONS = ["eu-west-1", "us-east-1", "eu-central-1"]
START = datetime(2026, 11, 20, 0, 0, tzinfo=timezone.utc)
RSS_POINTS = [1, 10, 100, 500, 1000]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------
# The Runtime API: one event at a time, each answer recorded with its timing.
# --------------------------------------------------------------------------------

class RuntimeApi(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.events = queue.Queue()   # (request id, payload bytes), or None: stop
        self.answers = queue.Queue()  # (request id, kind, body, answered at)
        self.given = {}               # request id -> monotonic time it was handed out
        self.first_poll = None        # monotonic time of the first /next (init done)
        self.stop = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.endswith("/runtime/invocation/next"):
            self.send_error(404)
            return
        if self.server.first_poll is None:
            self.server.first_poll = time.monotonic()
        item = self.server.events.get()
        if item is None:
            self.server.events.put(None)
            self.server.stop.wait()  # the process is killed while it waits here
            return
        rid, payload = item
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 120_000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:us-east-1:000000000000:function:cta-load")
        self.send_header("Lambda-Runtime-Trace-Id", f"Root=1-{rid}")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.server.given[rid] = time.monotonic()
        self.wfile.write(payload)
        self.wfile.flush()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        at = time.monotonic()
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        parts = self.path.rstrip("/").split("/")
        if self.path.endswith("/runtime/init/error"):
            self.server.answers.put(("init", "init_error", body.decode(errors="replace"), at))
        else:  # /2018-06-01/runtime/invocation/<id>/response or /error
            self.server.answers.put((parts[-2], parts[-1], body.decode(errors="replace"), at))


def proc_status(pid):
    """VmRSS, RssAnon and VmHWM in KiB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "VmHWM"):
                out[key] = int(rest.split()[0])
    return out


def cpu_seconds(pid):
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Container:
    """One bootstrap process served by a RuntimeApi."""

    def __init__(self, bootstrap, topic, log_path, metrics_mode, state=None):
        self.api = RuntimeApi()
        threading.Thread(target=self.api.serve_forever, daemon=True).start()
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{self.api.server_address[1]}",
                   AWS_LAMBDA_FUNCTION_NAME="cta-load", AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
                   AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512", AWS_LAMBDA_LOG_GROUP_NAME="cta-load",
                   AWS_LAMBDA_LOG_STREAM_NAME="cta-load",
                   ALERT_TOPIC_ARN=topic, AWS_ENDPOINT_URL=ENDPOINT, AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", S3_FORCE_PATH_STYLE="true",
                   # as template.yaml deploys it: INFO, JSON logs, (by default) PutMetricData
                   AWS_LAMBDA_LOG_LEVEL="info", AWS_LAMBDA_LOG_FORMAT="json", METRICS_MODE=metrics_mode,
                   MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "1"))
        if state:  # (table, DynamoDB endpoint)
            env.update(STATE_TABLE=state[0], AWS_ENDPOINT_URL_DYNAMODB=state[1])
        self.log = open(log_path, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([bootstrap], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.count = 0

    def init_seconds(self):
        return None if self.api.first_poll is None else self.api.first_poll - self.started

    def invoke(self, event, timeout=900):
        """Hands out one event; returns the answer, its time and the memory after it."""
        self.count += 1
        rid = str(uuid.UUID(int=self.count))
        self.api.events.put((rid, json.dumps(event).encode()))
        deadline = time.monotonic() + timeout
        while True:
            try:
                got, kind, body, at = self.api.answers.get(timeout=1)
                break
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"bootstrap exited with {self.proc.returncode}; see {self.log.name}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer to invocation {self.count} in {timeout} s")
        if got != rid:
            raise RuntimeError(f"answer for {got} ({kind}: {body}) while waiting for {rid}")
        mem = proc_status(self.proc.pid)
        return dict(secs=at - self.api.given[rid], kind=kind, body=body, **mem)

    def close(self):
        self.api.events.put(None)
        self.proc.kill()
        self.proc.wait()
        self.api.stop.set()
        self.api.shutdown()
        self.api.server_close()
        self.log.close()


# --------------------------------------------------------------------------------
# DynamoDB for --state: a table in moto, and a proxy that counts the function's calls.
# --------------------------------------------------------------------------------

MOTO = os.environ.get("MOTO_ENDPOINT", "http://127.0.0.1:4569")


class CountingProxy(http.server.ThreadingHTTPServer):
    """Forwards POSTs to moto; records (operation, seconds moto took) for each."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.calls = []
        self.lock = threading.Lock()

    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm the body waited
    # for the client's delayed ACK, about 40 ms per call.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        op = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        req = urllib.request.Request(MOTO + self.path, data=body, headers=headers, method="POST")
        t = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, rh, answer = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:  # conditional check failures are 400s
            status, rh, answer = e.code, e.headers, e.read()
        with self.server.lock:
            self.server.calls.append((op, time.monotonic() - t, status))
        self.send_response(status)
        for k, v in rh.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def create_state_table(name):
    ddb = boto3.client("dynamodb", **dict(CLIENT, endpoint_url=MOTO))
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in ("pk", "sk")],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"AttributeName": "ttl", "Enabled": True})
    return ddb


def table_items(ddb, name):
    items, kw = [], {}
    while True:
        page = ddb.scan(TableName=name, **kw)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kw = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


# --------------------------------------------------------------------------------
# Phase 1's trail files: CloudTrail-like records, a few Cognito writes per file.
# --------------------------------------------------------------------------------

class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def hexs(self, n):
        return f"{self.r.getrandbits(4 * n):0{n}x}"

    def alnum(self, n, alphabet=ALNUM):
        return "".join(self.r.choices(alphabet, k=n))

    def uuid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def ip(self):
        return self.r.choice(["198.51.100.", "203.0.113.", "192.0.2.", "10.20.3."]) + str(self.r.randint(2, 250))


ROLES = [("app-backend", "AROAQX3DPAPPBACKEND1"), ("ci-deploy", "AROAQX3DPCIDEPLOY001"),
         ("AWSReservedSSO_AdministratorAccess_4f8e2a1b9c3d7e6f", "AROAQX3DPSSOADMIN001"),
         ("lambda-orders", "AROAQX3DPLAMBDAORD01"), ("eks-node", "AROAQX3DPEKSNODE0001")]
AGENTS = [
    "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/kms#1.35.3",
    "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.220-209.869.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144",
    "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython command/cognito-idp.update-user-pool",
    "APN/1.0 HashiCorp/1.0 Terraform/1.9.3 (+https://www.terraform.io) terraform-provider-aws/5.61.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3",
    "AWS Internal",
]


def identity(g, acct, role=None):
    name, rid = role or g.r.choice(ROLES)
    session = g.r.choice(["i-0" + g.hexs(16), "botocore-session-" + str(g.r.randint(10**9, 2 * 10**9)),
                          "alice@example.com", "GitHubActions"])
    return {"type": "AssumedRole", "principalId": f"{rid}:{session}",
            "arn": f"arn:aws:sts::{acct}:assumed-role/{name}/{session}",
            "accountId": acct, "accessKeyId": "ASIA" + g.alnum(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid,
                                                 "arn": f"arn:aws:iam::{acct}:role/{name}",
                                                 "accountId": acct, "userName": name},
                               "attributes": {"creationDate": "2026-11-19T23:41:07Z", "mfaAuthenticated": "false"}}}


def base(g, acct, region, when, source, name, who, params, response, read_only, agent=None):
    rec = {"eventVersion": "1.10", "userIdentity": who,
           "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": source, "eventName": name,
           "awsRegion": region, "sourceIPAddress": g.ip(), "userAgent": agent or g.r.choice(AGENTS),
           "requestParameters": params, "responseElements": response, "requestID": g.uuid(),
           "eventID": g.uuid(), "readOnly": read_only, "eventType": "AwsApiCall", "managementEvent": True,
           "recipientAccountId": acct, "eventCategory": "Management",
           "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                          "clientProvidedHostHeader": f"{source.split('.')[0]}.{region}.amazonaws.com"}}
    if g.r.random() < 0.02:
        rec["errorCode"], rec["errorMessage"] = "AccessDenied", f"User is not authorized to perform: {name}"
    return rec


def other_record(g, acct, region, when):
    """A non-Cognito record: the services that fill real trails."""
    who = identity(g, acct)
    k = g.r.random()
    if k < 0.25:
        key = f"arn:aws:kms:{region}:{acct}:key/{g.uuid()}"
        return base(g, acct, region, when, "kms.amazonaws.com", g.r.choice(["Decrypt", "GenerateDataKey"]), who,
                    {"keyId": key, "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                     "encryptionContext": {"aws:lambda:FunctionArn": f"arn:aws:lambda:{region}:{acct}:function:orders"}},
                    None, True)
    if k < 0.40:
        return base(g, acct, region, when, "sts.amazonaws.com", "AssumeRole", who,
                    {"roleArn": f"arn:aws:iam::{acct}:role/{g.r.choice(ROLES)[0]}",
                     "roleSessionName": "botocore-session-" + str(g.r.randint(10**9, 2 * 10**9)),
                     "durationSeconds": 3600},
                    {"credentials": {"accessKeyId": "ASIA" + g.alnum(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
                                     "sessionToken": g.alnum(120) + "==", "expiration": "Nov 20, 2026, 1:00:00 AM"},
                     "assumedRoleUser": {"assumedRoleId": "AROAQX3DP:" + g.hexs(12),
                                         "arn": f"arn:aws:sts::{acct}:assumed-role/x/{g.hexs(8)}"}}, True)
    if k < 0.58:
        ids = [{"instanceId": "i-0" + g.hexs(16)} for _ in range(g.r.randint(1, 6))]
        return base(g, acct, region, when, "ec2.amazonaws.com", g.r.choice(["DescribeInstances", "DescribeVolumes", "DescribeSecurityGroups"]), who,
                    {"instancesSet": {"items": ids}, "filterSet": {}, "maxResults": 1000}, None, True)
    if k < 0.72:
        return base(g, acct, region, when, "s3.amazonaws.com", g.r.choice(["GetBucketAcl", "GetBucketLocation", "ListBuckets", "GetBucketPolicy"]), who,
                    {"bucketName": f"orders-{acct}-{region}", "Host": f"orders-{acct}-{region}.s3.{region}.amazonaws.com", "acl": ""},
                    None, True)
    if k < 0.84:
        return base(g, acct, region, when, "logs.amazonaws.com", "CreateLogStream", who,
                    {"logGroupName": "/aws/lambda/orders", "logStreamName": f"2026/11/20/[$LATEST]{g.hexs(32)}"}, None, False)
    if k < 0.93:
        return base(g, acct, region, when, "ssm.amazonaws.com", "GetParameter", who,
                    {"name": f"/orders/prod/{g.r.choice(['db-url', 'api-key', 'feature-flags'])}", "withDecryption": True}, None, True)
    return base(g, acct, region, when, "dynamodb.amazonaws.com", "DescribeTable", who,
                {"tableName": g.r.choice(["orders", "sessions", "carts"])}, None, True)


def pool_id(g, region):
    return f"{region}_{g.alnum(9)}"


def cognito_write(g, acct, region, when):
    """A Cognito write that the bundled rules alert on (every severity is at least low)."""
    who = identity(g, acct, g.r.choice(ROLES[1:3]))
    pool = pool_id(g, region)
    idpool = f"{region}:{g.uuid()}"
    k = g.r.randrange(8)
    if k == 0:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "UpdateUserPool", who,
                    {"userPoolId": pool, "policies": {"passwordPolicy": {"minimumLength": 12, "requireUppercase": True,
                                                                        "requireLowercase": True, "requireNumbers": True,
                                                                        "requireSymbols": g.r.random() < 0.5,
                                                                        "temporaryPasswordValidityDays": 7}},
                     "deletionProtection": g.r.choice(["ACTIVE", "INACTIVE"]),
                     "lambdaConfig": {"preSignUp": f"arn:aws:lambda:{region}:{acct}:function:pre-signup"},
                     "autoVerifiedAttributes": ["email"], "mfaConfiguration": g.r.choice(["OFF", "OPTIONAL", "ON"]),
                     "emailConfiguration": {"emailSendingAccount": "COGNITO_DEFAULT"},
                     "userPoolAddOns": {"advancedSecurityMode": g.r.choice(["OFF", "AUDIT", "ENFORCED"])},
                     "accountRecoverySetting": {"recoveryMechanisms": [{"priority": 1, "name": "verified_email"}]}},
                    None, False)
    if k == 1:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "CreateUserPoolClient", who,
                    {"userPoolId": pool, "clientName": g.r.choice(["web", "mobile", "partner-portal"]),
                     "generateSecret": g.r.random() < 0.5, "refreshTokenValidity": 30,
                     "explicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                     "supportedIdentityProviders": ["COGNITO"],
                     "callbackURLs": ["https://app.example.com/oauth2/callback"],
                     "logoutURLs": ["https://app.example.com/"], "allowedOAuthFlows": ["code"],
                     "allowedOAuthScopes": ["openid", "email", "profile"], "allowedOAuthFlowsUserPoolClient": True,
                     "preventUserExistenceErrors": "ENABLED"},
                    {"userPoolClient": {"userPoolId": pool, "clientName": "web", "clientId": g.alnum(26, "abcdefghijklmnopqrstuvwxyz0123456789"),
                                        "clientSecret": "HIDDEN_DUE_TO_SECURITY_REASONS",
                                        "lastModifiedDate": "Nov 20, 2026, 9:05:12 AM", "creationDate": "Nov 20, 2026, 9:05:12 AM"}},
                    False)
    if k == 2:
        return base(g, acct, region, when, "cognito-identity.amazonaws.com", "UpdateIdentityPool", who,
                    {"identityPoolId": idpool, "identityPoolName": "shop",
                     "allowUnauthenticatedIdentities": g.r.random() < 0.1, "allowClassicFlow": False,
                     "cognitoIdentityProviders": [{"providerName": f"cognito-idp.{region}.amazonaws.com/{pool}",
                                                   "clientId": g.alnum(26, "abcdefghijklmnopqrstuvwxyz0123456789"),
                                                   "serverSideTokenCheck": False}]},
                    {"identityPoolId": idpool, "identityPoolName": "shop", "allowUnauthenticatedIdentities": False}, False)
    if k == 3:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "SetUserPoolMfaConfig", who,
                    {"userPoolId": pool, "softwareTokenMfaConfiguration": {"enabled": True},
                     "mfaConfiguration": g.r.choice(["OFF", "OPTIONAL", "ON"])},
                    {"softwareTokenMfaConfiguration": {"enabled": True}, "mfaConfiguration": "OPTIONAL"}, False)
    if k == 4:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "AdminCreateUser", who,
                    {"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
                     "userAttributes": "HIDDEN_DUE_TO_SECURITY_REASONS", "desiredDeliveryMediums": ["EMAIL"]},
                    {"user": {"username": "HIDDEN_DUE_TO_SECURITY_REASONS", "enabled": True,
                              "userStatus": "FORCE_CHANGE_PASSWORD"}}, False)
    if k == 5:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "AdminAddUserToGroup", who,
                    {"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
                     "groupName": g.r.choice(["admins", "support", "beta-testers"])}, None, False)
    if k == 6:
        return base(g, acct, region, when, "cognito-identity.amazonaws.com", "SetIdentityPoolRoles", who,
                    {"identityPoolId": idpool,
                     "roles": {"authenticated": f"arn:aws:iam::{acct}:role/shop-authenticated"}}, None, False)
    return base(g, acct, region, when, "cognito-idp.amazonaws.com", "DeleteUserPoolClient", who,
                {"userPoolId": pool, "clientId": g.alnum(26, "abcdefghijklmnopqrstuvwxyz0123456789")}, None, False)


def cognito_quiet(g, acct, region, when):
    """Cognito records that must not alert: reads, end-user calls, tags (info)."""
    pool = pool_id(g, region)
    k = g.r.randrange(5)
    if k == 0:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "DescribeUserPool", identity(g, acct),
                    {"userPoolId": pool}, None, True)
    if k == 1:
        return base(g, acct, region, when, "cognito-idp.amazonaws.com", "ListUsers", identity(g, acct),
                    {"userPoolId": pool, "limit": 60}, None, True)
    if k == 2:
        rec = base(g, acct, region, when, "cognito-idp.amazonaws.com", "InitiateAuth",
                   {"type": "Unknown", "principalId": "Anonymous"},
                   {"authFlow": "USER_SRP_AUTH", "clientId": g.alnum(26, "abcdefghijklmnopqrstuvwxyz0123456789"),
                    "authParameters": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                   {"challengeName": "PASSWORD_VERIFIER"}, False,
                   agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
        rec["additionalEventData"] = {"userPoolId": pool, "responseTimeUTC": "2026-11-20T09:05:12Z"}
        return rec
    if k == 3:
        return base(g, acct, region, when, "cognito-identity.amazonaws.com", "GetId",
                    {"type": "Unknown", "principalId": "Anonymous"},
                    {"identityPoolId": f"{region}:{g.uuid()}", "logins": {f"cognito-idp.{region}.amazonaws.com/{pool}": "HIDDEN_DUE_TO_SECURITY_REASONS"}},
                    {"identityId": f"{region}:{g.uuid()}"}, False)
    return base(g, acct, region, when, "cognito-idp.amazonaws.com", "TagResource", identity(g, acct, ROLES[1]),
                {"resourceArn": f"arn:aws:cognito-idp:{region}:{acct}:userpool/{pool}",
                 "tags": {"team": "identity", "env": "prod"}}, None, False)


def trail_file(g, i):
    """One file: (key, gzip bytes, JSON bytes, records, eventIDs that must alert)."""
    acct = ACCOUNTS[i % len(ACCOUNTS)]
    region = REGIONS[(i // len(ACCOUNTS)) % len(REGIONS)]
    stamp = START + timedelta(seconds=45 * i)
    n = int(round(math.exp(g.r.uniform(math.log(50), math.log(800)))))
    writes = g.r.choices([0, 1, 2, 3, 4, 6], weights=[30, 25, 20, 12, 8, 5])[0]
    quiet = g.r.randint(0, 4)
    kinds = ["w"] * writes + ["q"] * quiet + ["o"] * max(0, n - writes - quiet)
    g.r.shuffle(kinds)
    recs, alerting = [], []
    for j, k in enumerate(kinds):
        when = stamp - timedelta(seconds=300) + timedelta(seconds=300 * j / len(kinds))
        if k == "w":
            rec = cognito_write(g, acct, region, when)
            alerting.append(rec["eventID"])
        elif k == "q":
            rec = cognito_quiet(g, acct, region, when)
        else:
            rec = other_record(g, acct, region, when)
        recs.append(rec)
    if alerting and g.r.random() < 0.05:  # CloudTrail sometimes delivers a record twice
        dup = next(r for r in recs if r["eventID"] == alerting[0])
        recs.insert(g.r.randrange(len(recs) + 1), dup)
    body = json.dumps({"Records": recs}, separators=(",", ":")).encode()
    key = (f"AWSLogs/{acct}/CloudTrail/{region}/{stamp:%Y/%m/%d}/"
           f"{acct}_CloudTrail_{region}_{stamp:%Y%m%dT%H%MZ}_{g.alnum(16)}.json.gz")
    return key, gzip.compress(body, 6), len(body), len(recs), alerting


def s3_event(bucket, key, size):
    return {"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:AROAEXAMPLEROLEID01:regionalDeliverySession"},
        "requestParameters": {"sourceIPAddress": "203.0.113.5"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQ"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "cognito-trail-alerts",
               "bucket": {"name": bucket, "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                          "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": key, "size": size, "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                          "sequencer": "0062E99A88DC407460"}}}]}


# --------------------------------------------------------------------------------
# LocalStack resources, delivered messages, statistics.
# --------------------------------------------------------------------------------

def localstack_up():
    host, port = ENDPOINT.split("//", 1)[1].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        return True
    except OSError:
        return False


def drain(sqs, url, expected, settle=3):
    """Alert event ids and counts of each message kind that reached the queue (a change
    set's message counts as `change_set` and gives each of its alerts' ids). Stops
    after `settle` empty receives once `expected` alerts arrived (or 30 s without any)."""
    ids, kinds, empty, last = [], {}, 0, time.monotonic()
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   VisibilityTimeout=3600).get("Messages", [])
        if msgs:
            empty, last = 0, time.monotonic()
        else:
            empty += 1
        for m in msgs:
            n = json.loads(json.loads(m["Body"])["Message"])
            kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
            if n["kind"] == "alert":
                ids.append(n["event_id"])
            elif n["kind"] == "change_set":
                ids.extend(a["event_id"] for a in n["alerts"])
        if (len(ids) >= expected and empty >= settle) or time.monotonic() - last > 30:
            return ids, kinds


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def slope(xs, ys):
    """Least-squares slope of ys over xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def json_size(path):
    """Decompressed size: from the scan benchmark's .meta sidecar, else by inflating."""
    meta = path[: -len(".json.gz")] + ".json.meta" if path.endswith(".json.gz") else None
    if meta and os.path.exists(meta):
        for line in open(meta):
            k, _, v = line.strip().partition("=")
            if k == "json_bytes":
                return int(v), "meta"
    total = 0
    with gzip.open(path) as f:
        while chunk := f.read(1 << 20):
            total += len(chunk)
    return total, "inflated"


def time_gzip(path, runs):
    out = []
    for _ in range(runs):
        t = time.monotonic()
        with open(os.devnull, "wb") as null:
            subprocess.run(["gzip", "-dc", path], stdout=null, check=True)
        out.append(time.monotonic() - t)
    return out


def localstack_floor(s3, bucket, key, rounds=20):
    """Median seconds LocalStack takes, called from here, for one file's calls: GetObject
    of `key`, a one-entry SNS PublishBatch (to a topic nobody subscribes to) and a
    PutMetricData of 13 datums. The part of a file's time that is not the function."""
    sns, cw = boto3.client("sns", **CLIENT), boto3.client("cloudwatch", **CLIENT)
    topic = sns.create_topic(Name=bucket + "-probe")["TopicArn"]
    calls = {
        "GetObject": lambda: s3.get_object(Bucket=bucket, Key=key)["Body"].read(),
        "PublishBatch": lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
            {"Id": "1", "Message": json.dumps({"default": "x" * 2000, "sqs": "{}"}), "MessageStructure": "json",
             "Subject": "[MEDIUM] probe"}]),
        "PutMetricData": lambda: cw.put_metric_data(Namespace="CtaLoadProbe", MetricData=[
            {"MetricName": f"M{i}", "Value": 1.0, "Unit": "Count"} for i in range(13)]),
    }
    out = {}
    for name, call in calls.items():
        call()
        times = []
        for _ in range(rounds):
            t = time.monotonic()
            call()
            times.append(time.monotonic() - t)
        out[name] = statistics.median(times)
    sns.delete_topic(TopicArn=topic)
    return out


# --------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bootstrap")
    ap.add_argument("big", nargs="*", help="large .json.gz trail files for phase 2")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--big-runs", type=int, default=3)
    ap.add_argument("--gzip-runs", type=int, default=3)
    ap.add_argument("--metrics-mode", choices=["api", "emf"], default="api",
                    help="METRICS_MODE: api (the template's default) calls PutMetricData on LocalStack per "
                         "invocation; emf writes the metrics to the log instead")
    ap.add_argument("--state", action="store_true", help="with the state store (a table in moto)")
    ap.add_argument("--redeliver", type=int, default=0,
                    help="with --state: the first N notifications again, to a new bootstrap process")
    args = ap.parse_args()
    if not localstack_up():
        sys.exit(f"LocalStack is not answering on {ENDPOINT}: scripts/localstack.sh start")

    run = f"cta-load-{int(time.time())}-{os.getpid()}"
    s3, sns, sqs = (boto3.client(s, **CLIENT) for s in ("s3", "sns", "sqs"))
    s3.create_bucket(Bucket=run)
    topic = sns.create_topic(Name=run)["TopicArn"]
    qurl = sqs.create_queue(QueueName=run)["QueueUrl"]
    qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
    log(f"bucket/topic/queue: {run}")

    t = time.monotonic()
    g = Gen(args.seed)
    files = [trail_file(g, i) for i in range(args.files)]
    gen_secs = time.monotonic() - t
    t = time.monotonic()

    def put(f):
        boto3.client("s3", **CLIENT).put_object(Bucket=run, Key=f[0], Body=f[1])
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(put, files))
    log(f"generated {len(files)} files in {gen_secs:.1f} s, uploaded in {time.monotonic() - t:.1f} s")

    state, proxy, ddb = None, None, None
    if args.state:
        ddb = create_state_table(run)
        proxy = CountingProxy()
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        state = (run, proxy.url())
        log(f"state table {run} in moto at {MOTO}, through {proxy.url()}")
    log_path = os.path.join(tempfile.gettempdir(), f"{run}.log")
    box = Container(args.bootstrap, topic, log_path, args.metrics_mode, state)
    phase1, big_results = [], []
    try:
        cpu0 = None
        t1 = time.monotonic()
        for i, (key, gz, _, _, _) in enumerate(files):
            r = box.invoke(s3_event(run, key, len(gz)))
            if cpu0 is None:
                cpu0 = cpu_seconds(box.proc.pid)  # after the first (cold) invocation
            phase1.append(r)
            if (i + 1) % 100 == 0:
                log(f"  {i + 1} files, VmRSS {r['VmRSS']} KiB, VmHWM {r['VmHWM']} KiB")
        wall1 = time.monotonic() - t1
        cpu1 = cpu_seconds(box.proc.pid)
        calls1 = list(proxy.calls) if proxy else []
        init = box.init_seconds()
        median_file = sorted(files, key=lambda f: len(f[1]))[len(files) // 2][0]
        floor = localstack_floor(s3, run, median_file)

        for path in args.big:
            size = os.path.getsize(path)
            jbytes, jsrc = json_size(path)
            runs = []
            for n in range(args.big_runs):
                key = (f"AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/21/"
                       f"111122223333_CloudTrail_eu-west-1_20261121T0905Z_Big{n:02d}{uuid.uuid4().hex[:11]}.json.gz")
                s3.upload_file(path, run, key)
                before = proc_status(box.proc.pid)
                c0 = cpu_seconds(box.proc.pid)
                r = box.invoke(s3_event(run, key, size))
                r["cpu"] = cpu_seconds(box.proc.pid) - c0
                r["before"] = before
                runs.append(r)
                s3.delete_object(Bucket=run, Key=key)
                log(f"  {os.path.basename(path)} run {n + 1}: {r['kind']} in {r['secs']:.2f} s, {r['body']}")
            gz_times = time_gzip(path, args.gzip_runs)
            big_results.append(dict(path=path, size=size, json=jbytes, json_src=jsrc, runs=runs, gzip=gz_times))
    finally:
        box.close()
    redelivered = []
    if args.state and args.redeliver:
        again = Container(args.bootstrap, topic, log_path + ".again", args.metrics_mode, state)
        try:
            for key, gz, _, _, _ in files[:args.redeliver]:
                redelivered.append(again.invoke(s3_event(run, key, len(gz))))
        finally:
            again.close()
        log(f"redelivered {len(redelivered)} notifications to a new container")

    expected = [e for f in files for e in f[4]]
    answered = [json.loads(r["body"]) if r["kind"] == "response" else {} for r in phase1]
    answer_alerts = sum(a.get("alerts", 0) for a in answered)
    errors = [r for r in phase1 if r["kind"] != "response"]
    big_alerts = sum(json.loads(r["body"]).get("alerts", 0) for b in big_results for r in b["runs"]
                     if r["kind"] == "response")
    again_alerts = sum(json.loads(r["body"]).get("alerts", 0) for r in redelivered if r["kind"] == "response")
    again_errors = [r for r in redelivered if r["kind"] != "response"]
    ids, kinds = drain(sqs, qurl, len(expected) + big_alerts)
    p1_ids = set(expected)
    p1_received = [i for i in ids if i in p1_ids]
    missing = p1_ids - set(p1_received)
    dup = len(p1_received) - len(set(p1_received))

    for cleanup in (lambda: sns.delete_topic(TopicArn=topic), lambda: sqs.delete_queue(QueueUrl=qurl)):
        try:
            cleanup()
        except Exception as e:  # noqa: BLE001 - best effort
            log(f"cleanup: {e}")
    try:
        for i in range(0, len(files), 1000):
            s3.delete_objects(Bucket=run, Delete={"Objects": [{"Key": f[0]} for f in files[i:i + 1000]]})
        s3.delete_bucket(Bucket=run)
    except Exception as e:  # noqa: BLE001
        log(f"cleanup: {e}")

    # ---------------------------------------------------------------- report
    secs = [r["secs"] for r in phase1]
    nfiles = len(files)
    gz_total = sum(len(f[1]) for f in files)
    json_total = sum(f[2] for f in files)
    recs_total = sum(f[3] for f in files)
    gz_sizes = sorted(len(f[1]) for f in files)
    print()
    print(f"## Phase 1: {nfiles} trail files, one invocation each, one warm process (METRICS_MODE={args.metrics_mode})")
    print()
    print(f"Files: {recs_total:,} records ({min(f[3] for f in files)}-{max(f[3] for f in files)} per file), "
          f"{json_total / 1e6:.1f} MB JSON, {gz_total / 1e6:.1f} MB gzip "
          f"(per file {gz_sizes[0] / 1e3:.1f}-{gz_sizes[-1] / 1e3:.1f} KB gzip, median {pct(gz_sizes, 50) / 1e3:.1f} KB); "
          f"{len(expected)} Cognito writes that alert, {sum(1 for f in files if not f[4])} files without any. "
          f"Bootstrap init (spawn to first poll): {'-' if init is None else f'{init * 1000:.0f} ms'}.")
    print()
    print("| files | wall time | files/s | p50 per file | p95 | p99 | max | mean | bootstrap CPU per file | errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {nfiles} | {wall1:.1f} s | {nfiles / wall1:.1f} | {pct(secs, 50) * 1000:.1f} ms | {pct(secs, 95) * 1000:.1f} ms "
          f"| {pct(secs, 99) * 1000:.1f} ms | {max(secs) * 1000:.1f} ms | {statistics.fmean(secs) * 1000:.1f} ms "
          f"| {(cpu1 - cpu0) / max(1, nfiles - 1) * 1000:.1f} ms | {len(errors)} |")
    print()
    print("LocalStack's own latency for one file's calls, timed from Python after phase 1 (median of 20): "
          + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in floor.items())
          + f"; together {sum(floor.values()) * 1000:.1f} ms"
          + (" (with METRICS_MODE=emf the function makes no PutMetricData call)" if args.metrics_mode == "emf" else "")
          + ". The bootstrap's own CPU per file is in the table above; the rest of a file's time is waiting on LocalStack.")
    print()
    print("| alerts | count |")
    print("|---|---:|")
    print(f"| expected (distinct alerting Cognito writes generated) | {len(expected)} |")
    print(f"| sum of the answers' `alerts` | {answer_alerts} |")
    print(f"| alert messages in the SQS queue (phase 1 + phase 2) | {len(ids)} |")
    print(f"| of which phase 1 alerts (distinct event ids) | {len(p1_received)} ({len(set(p1_received))}) |")
    print(f"| phase 1 ids missing from the queue | {len(missing)} |")
    print(f"| phase 1 duplicate alert messages | {dup} |")
    if big_results:
        print(f"| phase 2 alert messages (answers' `alerts`: {big_alerts}) | {len(ids) - len(p1_received)} |")
    print(f"| other messages in the queue (kind: count) | {', '.join(f'{k}: {v}' for k, v in kinds.items() if k != 'alert') or 'none'} |")
    print()
    print("| after invocation | VmRSS KiB | RssAnon KiB | VmHWM KiB | alerts sent so far |")
    print("|---:|---:|---:|---:|---:|")
    running = 0
    cumulative = []
    for a in answered:
        running += a.get("alerts", 0)
        cumulative.append(running)
    for n in RSS_POINTS:
        if n <= nfiles:
            r = phase1[n - 1]
            print(f"| {n} | {r['VmRSS']} | {r['RssAnon']} | {r['VmHWM']} | {cumulative[n - 1]} |")
    if nfiles >= 200:
        lo = nfiles // 10
        xs = list(range(lo + 1, nfiles + 1))
        s_rss = slope(xs, [phase1[x - 1]["VmRSS"] for x in xs]) * 100
        s_anon = slope(xs, [phase1[x - 1]["RssAnon"] for x in xs]) * 100
        alerts_per_100 = (cumulative[-1] - cumulative[lo - 1]) / (nfiles - lo) * 100
        print()
        print(f"Slope over invocations {lo + 1}-{nfiles} (least squares): VmRSS {s_rss:+.1f} KiB per 100 invocations, "
              f"RssAnon {s_anon:+.1f} KiB per 100; {alerts_per_100:.0f} alerts sent per 100 invocations there, "
              f"i.e. {s_anon * 1024 / alerts_per_100 if alerts_per_100 else 0:.0f} bytes of RssAnon per alert sent.")
    if errors:
        print()
        print(f"Errors ({len(errors)}), first: {errors[0]['kind']}: {errors[0]['body']}")
    if args.state:
        report_state(files, calls1, proxy.calls, table_items(ddb, run), redelivered, again_alerts)

    if big_results:
        print()
        print("## Phase 2: large files in the same warm process")
        print()
        print("| file | gzip MB | JSON MB | runs | handler best | median | gzip MB/s | JSON MB/s | CPU s (best run) "
              "| `gzip -dc` best | median | handler / gzip -dc | VmHWM before | VmHWM after | VmRSS after | answer |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for b in big_results:
            ok = [r for r in b["runs"] if r["kind"] == "response"]
            best = min(ok, key=lambda r: r["secs"]) if ok else b["runs"][0]
            med = statistics.median(r["secs"] for r in b["runs"])
            gbest, gmed = min(b["gzip"]), statistics.median(b["gzip"])
            print(f"| `{os.path.basename(b['path'])}` | {b['size'] / 1e6:.1f} | {b['json'] / 1e6:.1f} | {len(b['runs'])} "
                  f"| {best['secs']:.2f} s | {med:.2f} s | {b['size'] / 1e6 / best['secs']:.1f} | {b['json'] / 1e6 / best['secs']:.0f} "
                  f"| {best['cpu']:.2f} | {gbest:.2f} s | {gmed:.2f} s | {best['secs'] / gbest:.2f}x "
                  f"| {b['runs'][0]['before']['VmHWM']} KiB | {b['runs'][-1]['VmHWM']} KiB | {b['runs'][-1]['VmRSS']} KiB "
                  f"| {best['kind']}: `{best['body']}` |")
        print()
        print("Handler time: event handed out to answer (GetObject streamed from LocalStack, scan, "
              "SNS publish, PutMetricData). Ratio below 1 means faster than `gzip -dc FILE > /dev/null`.")
    print()
    print(f"Bootstrap log: {log_path}; load average after: {open('/proc/loadavg').read().strip()}")
    ok = (not errors and not missing and answer_alerts == len(expected) and dup == 0
          and len(ids) - len(p1_received) == big_alerts and again_alerts == 0 and not again_errors)
    print(f"Result: {'OK' if ok else 'CHECK FAILED'}")


def report_state(files, calls1, calls, items, redelivered, again_alerts):
    """The state store's share: DynamoDB calls per file, their time, the items."""
    nfiles = len(files)
    alerting = sum(1 for f in files if f[4])
    alerts = sum(len(f[4]) for f in files)
    by_op = {}
    for op, secs, status in calls1:
        by_op.setdefault(op, []).append(secs)
    print()
    print("## State store (STATE_TABLE, moto through AWS_ENDPOINT_URL_DYNAMODB)")
    print()
    print(f"Phase 1: {len(calls1)} DynamoDB calls for {nfiles} files ({len(calls1) / nfiles:.2f} per file; "
          f"{len(calls1) / max(1, alerting):.2f} per file with alerts, {alerting} such files; "
          f"{len(calls1) / max(1, alerts):.2f} per alert, {alerts} alerts).")
    print()
    print("| operation | calls | per file | moto's time p50 | p95 | sum per file |")
    print("|---|---:|---:|---:|---:|---:|")
    for op, t in sorted(by_op.items()):
        print(f"| {op} | {len(t)} | {len(t) / nfiles:.2f} | {pct(t, 50) * 1000:.1f} ms | {pct(t, 95) * 1000:.1f} ms "
              f"| {sum(t) / nfiles * 1000:.1f} ms |")
    statuses = {}
    for item in items:
        st = item.get("status", {}).get("S", "?")
        statuses[st] = statuses.get(st, 0) + 1
    sizes = [sum(len(k) + len(next(iter(v.values()))) for k, v in i.items()) for i in items]
    print()
    print(f"Items after the run: {len(items)} ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}); "
          f"attribute bytes per item (names + values, as DynamoDB sizes them, before its 100-byte overhead): "
          f"median {pct(sizes, 50) if sizes else 0:.0f}, max {max(sizes) if sizes else 0}.")
    if redelivered:
        later = calls[len(calls1):]
        print()
        print(f"Redelivery: the first {len(redelivered)} notifications again, to a new bootstrap process: "
              f"{again_alerts} alerts published, {len(later)} DynamoDB calls "
              f"({', '.join(f'{op} {sum(1 for c in later if c[0] == op)}' for op in sorted({c[0] for c in later}))}), "
              f"{sum(1 for r in redelivered if r['kind'] != 'response')} errors.")


if __name__ == "__main__":
    main()
