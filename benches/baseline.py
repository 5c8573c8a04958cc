#!/usr/bin/env python3
"""Baseline for `cargo bench --bench scan`: the obvious plain-Python filter.

Usage: python3 benches/baseline.py FILE.json.gz > alerts.jsonl

Loads the whole CloudTrail document with gzip.open + json.load, keeps the records
whose eventSource is a Cognito service and whose eventName is a configuration or
admin write, and prints each one as a compact JSON line. No deduplication, no rules
engine: this is the script one would write first, and the speed to beat.
"""

import gzip
import json
import sys

SOURCES = frozenset(
    {
        "cognito-idp.amazonaws.com",
        "cognito-identity.amazonaws.com",
        "cognito-sync.amazonaws.com",
    }
)

# Writes only: no Describe*/Get*/List*, no sign-in or token calls.
WRITES = frozenset(
    {
        # cognito-idp: user pools, clients, domains, identity providers, groups
        "CreateUserPool",
        "UpdateUserPool",
        "DeleteUserPool",
        "CreateUserPoolClient",
        "UpdateUserPoolClient",
        "DeleteUserPoolClient",
        "CreateUserPoolDomain",
        "UpdateUserPoolDomain",
        "DeleteUserPoolDomain",
        "CreateIdentityProvider",
        "UpdateIdentityProvider",
        "DeleteIdentityProvider",
        "SetUserPoolMfaConfig",
        "SetRiskConfiguration",
        "SetUICustomization",
        "AddCustomAttributes",
        "CreateGroup",
        "DeleteGroup",
        # cognito-idp: admin writes on users
        "AdminCreateUser",
        "AdminDeleteUser",
        "AdminAddUserToGroup",
        "AdminRemoveUserFromGroup",
        "AdminSetUserPassword",
        "AdminResetUserPassword",
        "AdminUpdateUserAttributes",
        "AdminDisableUser",
        "AdminEnableUser",
        # cognito-identity
        "CreateIdentityPool",
        "UpdateIdentityPool",
        "DeleteIdentityPool",
        "SetIdentityPoolRoles",
        "MergeDeveloperIdentities",
        "DeleteIdentities",
        # cognito-sync
        "SetCognitoEvents",
        "SetIdentityPoolConfiguration",
    }
)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: baseline.py FILE.json.gz\n")
        return 2
    with gzip.open(argv[1], "rb") as f:
        doc = json.load(f)
    out = sys.stdout
    for record in doc.get("Records", []):
        if record.get("eventSource") in SOURCES and record.get("eventName") in WRITES:
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
