#!/usr/bin/env python3
"""Writes rules/catalogue.json: every operation of the three Cognito event sources,
read from botocore's service models, with its class.

    scripts/cognito-catalogue.py                 # botocore 1.44.8 (the pinned models)
    scripts/cognito-catalogue.py --botocore 1.45.0
    scripts/cognito-catalogue.py --check         # exit 1 if the file would change

botocore is installed into a scratch venv (.tools/catalogue-<version>); the tests read
the committed JSON and need no Python. Re-running with a newer botocore prints the
operations AWS added or removed; `cargo test --test default_pack` then names every new
write that has no rule.

Classes:
  config_write  changes how a pool, client, identity pool ... behaves
  admin_write   an administrator's write on one user or identity (IAM credentials)
  end_user      sign-in, token and self-service calls an app's users make (no IAM
                credentials, or identity-pool credentials), and the token calls a
                backend makes for them
  read          Describe*, Get*, List*, AdminGet*, AdminList*, Lookup* that only read
  endpoint      not an API operation: a request to a user pool's managed login (hosted
                UI) or OAuth 2.0 endpoints, which Cognito logs as a service event
                (eventType AwsServiceEvent) named <Endpoint>_<METHOD>. Not in the
                models: the list below holds the names the Cognito Developer Guide
                documents; the engine treats any service event the same way.

The models mark calls authorised by a user's token instead of IAM with
`authtype: none`; that and the verb decide, and three short lists below cover what the
models cannot say. The lists are reviewed when a refresh adds an operation.
"""

import argparse
import json
import os
import re
import subprocess
import sys

PINNED = "1.44.8"
SERVICES = {
    "cognito-idp": "cognito-idp.amazonaws.com",
    "cognito-identity": "cognito-identity.amazonaws.com",
    "cognito-sync": "cognito-sync.amazonaws.com",
}
OUT = os.path.join(os.path.dirname(__file__), "..", "rules", "catalogue.json")

# Calls that issue tokens or credentials, or send a code, for a user: IAM-signed or
# not, they are how apps sign users in, never a configuration change.
AUTH_CALLS = {
    "AdminInitiateAuth", "AdminRespondToAuthChallenge", "GetClientToken",
    "GetDerivedToken", "GetOpenIdTokenForDeveloperIdentity", "GetId",
    "GetCredentialsForIdentity", "GetOpenIdToken", "GetTokensFromRefreshToken",
    "GetUserAttributeVerificationCode",
}
# Cognito Sync calls an app makes with identity-pool credentials for its own user.
SYNC_APP_CALLS = {
    "UpdateRecords", "DeleteDataset", "RegisterDevice", "SubscribeToDataset",
    "UnsubscribeFromDataset",
}
# Administrator writes on identities of an identity pool (like Admin* on users).
IDENTITY_ADMIN = {"DeleteIdentities", "UnlinkDeveloperIdentity", "MergeDeveloperIdentities"}

# Managed login and OAuth 2.0 endpoint events documented in the Cognito Developer
# Guide (understanding-amazon-cognito-entries, amazon-cognito-info-in-cloudtrail).
ENDPOINT_EVENTS = [
    "Authorize_GET", "Confirm_GET", "Confirm_POST", "Login_GET", "Login_POST",
    "Logout_GET", "SAML2Response_POST", "Signup_GET", "Signup_POST", "Token_POST",
]
SERVICE_EVENT = "AwsServiceEvent"

READ_VERB = re.compile(r"^(Describe|Get|List|AdminGet|AdminList|Lookup)[A-Z]")


def classify(name, no_auth):
    if name in AUTH_CALLS or name in SYNC_APP_CALLS:
        return "end_user"
    if READ_VERB.match(name):
        return "read"
    if no_auth:
        return "end_user"
    if name.startswith("Admin") or name in IDENTITY_ADMIN:
        return "admin_write"
    return "config_write"


def venv_python(version):
    root = os.path.join(os.path.dirname(__file__), "..", ".tools", f"catalogue-{version}")
    python = os.path.join(root, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", root], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", f"botocore=={version}"], check=True)
    return python


def read_models(version):
    """Runs inside the venv: (service, operation, no_auth) for every operation."""
    code = (
        "import json, botocore.session\n"
        "s = botocore.session.get_session()\n"
        "def inputs(shape, prefix, depth):\n"
        "    # Leaf members as CloudTrail spells them: first letter lowered, structures\n"
        "    # expanded (4 levels at most), lists and maps as one field.\n"
        "    out = []\n"
        "    for name, member in shape.members.items():\n"
        "        path = prefix + name[0].lower() + name[1:]\n"
        "        if member.type_name == 'structure' and depth < 4 and member.members:\n"
        "            out += inputs(member, path + '.', depth + 1)\n"
        "        else:\n"
        "            out.append(path)\n"
        "    return out\n"
        f"out = []\n"
        f"for svc in {list(SERVICES)!r}:\n"
        "    m = s.get_service_model(svc)\n"
        "    for op in m.operation_names:\n"
        "        o = m.operation_model(op)\n"
        "        no_auth = (o.auth_type == 'none' or 'smithy.api#noAuth' in (o.metadata.get('auth') or [])\n"
        "                   or 'smithy.api#noAuth' in (getattr(o, 'auth', None) or []))\n"
        "        out.append([svc, op, no_auth, inputs(o.input_shape, '', 0) if o.input_shape else []])\n"
        "print(json.dumps(out))\n"
    )
    raw = subprocess.run([venv_python(version), "-c", code], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(raw)


def build(version):
    ops = []
    for svc, name, no_auth, members in read_models(version):
        op = {"eventSource": SERVICES[svc], "eventName": name, "class": classify(name, no_auth)}
        # The request members of configuration writes: the pack tracks each or says
        # why it ignores it (tests/catalogue_fields.rs), so a member AWS adds is
        # noticed the day the catalogue is refreshed.
        if op["class"] == "config_write":
            op["inputs"] = sorted(members)
        ops.append(op)
    for name in ENDPOINT_EVENTS:
        ops.append({"eventSource": SERVICES["cognito-idp"], "eventName": name,
                    "class": "endpoint", "eventType": SERVICE_EVENT})
    ops.sort(key=lambda o: (o["eventSource"], o["eventName"]))
    counts = {}
    for o in ops:
        counts[o["class"]] = counts.get(o["class"], 0) + 1
    return {
        "source": f"botocore {version} service models: {', '.join(SERVICES)}; "
                  "endpoint events: Cognito Developer Guide",
        "generatedBy": "scripts/cognito-catalogue.py",
        "counts": dict(sorted(counts.items())),
        "operations": ops,
    }


def render(catalogue):
    # One operation per line keeps diffs of a refresh readable.
    lines = ["{"]
    for key in ("source", "generatedBy", "counts"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(catalogue[key])},")
    lines.append('  "operations": [')
    body = [f"    {json.dumps(o)}" for o in catalogue["operations"]]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--botocore", default=PINNED, help=f"botocore version (default {PINNED})")
    ap.add_argument("--check", action="store_true", help="exit 1 if the catalogue would change")
    args = ap.parse_args()
    new = build(args.botocore)
    old = None
    if os.path.exists(OUT):
        with open(OUT) as f:
            old = json.load(f)
    if old:
        before = {(o["eventSource"], o["eventName"]): o["class"] for o in old["operations"]}
        after = {(o["eventSource"], o["eventName"]): o["class"] for o in new["operations"]}
        for key in sorted(after.keys() - before.keys()):
            print(f"added:    {key[0]} {key[1]} ({after[key]})")
        for key in sorted(before.keys() - after.keys()):
            print(f"removed:  {key[0]} {key[1]} ({before[key]})")
        for key in sorted(before.keys() & after.keys()):
            if before[key] != after[key]:
                print(f"reclassified: {key[0]} {key[1]}: {before[key]} -> {after[key]}")
        inputs_before = {(o["eventSource"], o["eventName"]): set(o.get("inputs", []))
                         for o in old["operations"]}
        for o in new["operations"]:
            key = (o["eventSource"], o["eventName"])
            for member in sorted(set(o.get("inputs", [])) - inputs_before.get(key, set())):
                if key in inputs_before:
                    print(f"new input: {key[0]} {key[1]} {member}")
    text = render(new)
    print(f"{len(new['operations'])} operations: {new['counts']}")
    if args.check:
        with open(OUT) as f:
            sys.exit(0 if f.read() == text else 1)
    with open(OUT, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
