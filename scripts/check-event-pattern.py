#!/usr/bin/env python3
"""Checks the fast path's EventBridge pattern against recorded events, with
EventBridge's own matcher (LocalStack's TestEventPattern), not by eye.

    .tools/localstack/bin/python scripts/check-event-pattern.py [ENDPOINT]

Reads the pattern of FastPathRule in template.yaml and of ForwardRule in
templates/fast-path-forwarder.yaml (they must be the same), then every sample in
lambda/events/api-calls/match/ must match and every one in no-match/ must not.
ENDPOINT defaults to http://127.0.0.1:4566 (scripts/localstack.sh, with `events`).
Prints one line per sample and exits 1 on any mismatch.
"""

import json
import pathlib
import sys

import boto3
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "lambda" / "events" / "api-calls"


class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML: intrinsic tags (!Ref, !Sub...) become plain values."""


def _tag(loader, _suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


CfnLoader.add_multi_constructor("!", _tag)


def pattern(template, resource):
    doc = yaml.load((ROOT / template).read_text(), Loader=CfnLoader)
    return doc["Resources"][resource]["Properties"]["EventPattern"]


def main():
    endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4566"
    main_pattern = pattern("template.yaml", "FastPathRule")
    forwarder = pattern("templates/fast-path-forwarder.yaml", "ForwardRule")
    failures = 0
    if main_pattern != forwarder:
        print("FAIL  the forwarder's pattern differs from FastPathRule's")
        failures += 1
    client = boto3.client(
        "events",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    text = json.dumps(main_pattern)
    for want, folder in ((True, "match"), (False, "no-match")):
        files = sorted((SAMPLES / folder).glob("*.json"))
        if not files:
            print(f"FAIL  no samples in {SAMPLES / folder}")
            failures += 1
        for f in files:
            got = client.test_event_pattern(EventPattern=text, Event=f.read_text())["Result"]
            ok = got == want
            failures += not ok
            verdict = "matches" if got else "does not match"
            print(f"{'ok   ' if ok else 'FAIL '} {folder}/{f.name}: {verdict}")
    print(f"pattern {text}")
    print(f"{'FAILED' if failures else 'passed'}: {failures} mismatches")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
