#!/usr/bin/env python3
"""Writes the sample trail files under events/AWSLogs/ (deterministic output).

Each file mixes a few Cognito changes into ordinary activity of other services, the
way a real CloudTrail log file looks. Run from the repository root:
    python3 scripts/make_samples.py
"""
import gzip
import json
import random
from pathlib import Path

RNG = random.Random(20261120)
ACCOUNT = "111122223333"
ORG_ACCOUNT = "444455556666"
ORG_ID = "o-a1b2c3d4e5"
SDK_UA = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.40.0"
CONSOLE_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def uid():
    return "%08x-%04x-4%03x-%04x-%012x" % (
        RNG.getrandbits(32), RNG.getrandbits(16), RNG.getrandbits(12),
        0x8000 | RNG.getrandbits(14), RNG.getrandbits(48))


def assumed(role, session, account=ACCOUNT):
    return {
        "type": "AssumedRole",
        "principalId": "AROA%s:%s" % ("".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17)), session),
        "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role, session),
        "accountId": account,
        "accessKeyId": "ASIA" + "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID01", "arn": "arn:aws:iam::%s:role/%s" % (account, role),
                              "accountId": account, "userName": role},
            "attributes": {"creationDate": "2026-11-20T08:58:11Z", "mfaAuthenticated": "false"},
        },
    }


def record(time, source, name, region, identity, params=None, response=None, ua=None, ip=None, **extra):
    r = {
        "eventVersion": "1.10" if source.startswith("cognito") else "1.09",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip or "203.0.113.%d" % RNG.randint(2, 250),
        "userAgent": ua or SDK_UA.format(svc=source.split(".")[0]),
        "requestParameters": params,
        "responseElements": response,
        "requestID": uid(),
        "eventID": uid(),
        "readOnly": name.startswith(("Describe", "Get", "List")),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": identity.get("accountId", ACCOUNT),
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": "%s.%s.amazonaws.com" % (source.split(".")[0], region)},
    }
    r.update(extra)
    return r


def noise(n, region, day, account=ACCOUNT):
    """Ordinary activity: STS, KMS, EC2, S3, Lambda, Logs, plus Cognito reads and sign-ins."""
    out = []
    for _ in range(n):
        t = "%sT%02d:%02d:%02dZ" % (day, RNG.randint(8, 9), RNG.randint(0, 59), RNG.randint(0, 59))
        who = assumed(RNG.choice(["app-backend", "data-pipeline", "ops-readonly"]), "i-0%015x" % RNG.getrandbits(60), account)
        kind = RNG.randrange(9)
        if kind == 0:
            out.append(record(t, "sts.amazonaws.com", "AssumeRole", region, {"type": "AWSService", "invokedBy": "lambda.amazonaws.com"},
                              {"roleArn": "arn:aws:iam::%s:role/app-backend" % account, "roleSessionName": "app-backend"},
                              {"credentials": {"accessKeyId": "ASIAEXAMPLEKEY", "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS", "expiration": "Nov 20, 2026, 10:00:00 AM"}},
                              ua="lambda.amazonaws.com", ip="lambda.amazonaws.com"))
        elif kind == 1:
            out.append(record(t, "kms.amazonaws.com", "Decrypt", region, who,
                              {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:lambda:FunctionArn": "arn:aws:lambda:%s:%s:function:orders" % (region, account)}}))
        elif kind == 2:
            out.append(record(t, "ec2.amazonaws.com", "DescribeInstances", region, who,
                              {"instancesSet": {}, "filterSet": {"items": [{"name": "tag:team", "valueSet": {"items": [{"value": "payments"}]}}]}}))
        elif kind == 3:
            out.append(record(t, "s3.amazonaws.com", "GetBucketAcl", region, who, {"bucketName": "orders-archive-%s" % account, "Host": "orders-archive.s3.amazonaws.com", "acl": ""}))
        elif kind == 4:
            out.append(record(t, "logs.amazonaws.com", "CreateLogStream", region, who,
                              {"logGroupName": "/aws/lambda/orders", "logStreamName": "2026/11/20/[$LATEST]%032x" % RNG.getrandbits(128)}))
        elif kind == 5:
            out.append(record(t, "cognito-idp.amazonaws.com", "InitiateAuth", region, {"type": "Unknown", "principalId": "Anonymous"},
                              {"authFlow": "USER_SRP_AUTH", "clientId": "4tq1examplec1ient1d", "authParameters": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                              {"challengeName": "PASSWORD_VERIFIER"}, ua=CONSOLE_UA))
        elif kind == 6:
            out.append(record(t, "cognito-idp.amazonaws.com", "DescribeUserPool", region, who, {"userPoolId": "%s_Sh0pPoo1" % region}))
        elif kind == 7:
            out.append(record(t, "cognito-identity.amazonaws.com", "GetId", region, {"type": "Unknown", "principalId": "Anonymous"},
                              {"identityPoolId": "%s:7c1ea0b2-0a4b-4e4e-9d52-3f0bEXAMPLE" % region, "logins": {"cognito-idp.%s.amazonaws.com/%s_Sh0pPoo1" % (region, region): "HIDDEN_DUE_TO_SECURITY_REASONS"}},
                              {"identityId": "%s:%s" % (region, uid())}, ua=CONSOLE_UA))
        else:
            out.append(record(t, "lambda.amazonaws.com", "GetFunction20150331v2", region, who, {"functionName": "orders"}))
    return out


def changes_eu_west_1():
    day, region = "2026-11-20", "eu-west-1"
    dev = assumed("platform-admin", "jane.doe@example.com")
    pool = "eu-west-1_Sh0pPoo1"
    update = record(day + "T09:02:41Z", "cognito-idp.amazonaws.com", "UpdateUserPool", region, dev,
                    {"userPoolId": pool, "mfaConfiguration": "OFF", "autoVerifiedAttributes": ["email"],
                     "emailVerificationMessage": "Your code is {####}", "userPoolAddOns": {"advancedSecurityMode": "OFF"}},
                    None, ua=CONSOLE_UA, ip="198.51.100.23")
    client = record(day + "T09:04:10Z", "cognito-idp.amazonaws.com", "CreateUserPoolClient", region, dev,
                    {"userPoolId": pool, "clientName": "legacy-admin", "generateSecret": False,
                     "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                     "callbackURLs": ["http://admin.shop.example/callback"], "allowedOAuthFlows": ["implicit"],
                     "allowedOAuthFlowsUserPoolClient": True, "allowedOAuthScopes": ["openid", "email"]},
                    {"userPoolClient": {"userPoolId": pool, "clientName": "legacy-admin", "clientId": "7ks3examplelegacyadmin01"}},
                    ua=CONSOLE_UA, ip="198.51.100.23")
    reset = record(day + "T09:06:55Z", "cognito-idp.amazonaws.com", "AdminSetUserPassword", region, dev,
                   {"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS", "password": "HIDDEN_DUE_TO_SECURITY_REASONS", "permanent": True},
                   None, ua=CONSOLE_UA, ip="198.51.100.23",
                   additionalEventData={"sub": "5f3c2d1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"})
    records = noise(120, region, day) + [update, client, reset]
    records.append(dict(update))  # CloudTrail repeats a record now and then
    return records


def changes_us_east_1():
    day, region = "2026-11-20", "us-east-1"
    alice = {"type": "IAMUser", "principalId": "AIDAEXAMPLEALICE0001", "arn": "arn:aws:iam::%s:user/Alice" % ACCOUNT,
             "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLEALICE0001", "userName": "Alice"}
    root = {"type": "Root", "principalId": ACCOUNT, "arn": "arn:aws:iam::%s:root" % ACCOUNT, "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLEROOT00001"}
    ipool = "us-east-1:1cf667a2-49a6-454b-9e45-23199EXAMPLE"
    create = record(day + "T09:11:02Z", "cognito-identity.amazonaws.com", "CreateIdentityPool", region, alice,
                    {"identityPoolName": "TestPool", "allowUnauthenticatedIdentities": True, "supportedLoginProviders": {"graph.facebook.com": "000000000000000"}},
                    {"identityPoolName": "TestPool", "identityPoolId": ipool, "allowUnauthenticatedIdentities": True,
                     "supportedLoginProviders": {"graph.facebook.com": "000000000000000"}})
    roles = record(day + "T09:12:30Z", "cognito-identity.amazonaws.com", "SetIdentityPoolRoles", region, alice,
                   {"identityPoolId": ipool, "roles": {"authenticated": "arn:aws:iam::%s:role/Cognito_TestPoolAuth_Role" % ACCOUNT,
                                                       "unauthenticated": "arn:aws:iam::%s:role/Cognito_TestPoolUnauth_Role" % ACCOUNT}})
    denied = record(day + "T09:14:47Z", "cognito-idp.amazonaws.com", "DeleteUserPool", region,
                    assumed("contractor-readonly", "mallory"), {"userPoolId": "us-east-1_Pr0dPoo1"}, None,
                    ip="192.0.2.77", errorCode="AccessDenied",
                    errorMessage="User: arn:aws:sts::%s:assumed-role/contractor-readonly/mallory is not authorized to perform: cognito-idp:DeleteUserPool on resource: arn:aws:cognito-idp:us-east-1:%s:userpool/us-east-1_Pr0dPoo1 because no identity-based policy allows the cognito-idp:DeleteUserPool action" % (ACCOUNT, ACCOUNT))
    by_root = record(day + "T09:16:05Z", "cognito-idp.amazonaws.com", "CreateUserPoolDomain", region, root,
                     {"userPoolId": "us-east-1_Pr0dPoo1", "domain": "login-shop-example"}, {}, ua=CONSOLE_UA, ip="192.0.2.10")
    sync = record(day + "T09:18:40Z", "cognito-sync.amazonaws.com", "SetCognitoEvents", region, alice,
                  {"identityPoolId": ipool, "events": {"SyncTrigger": "arn:aws:lambda:us-east-1:%s:function:sync-hook" % ACCOUNT}})
    return noise(150, region, day) + [create, roles, denied, by_root, sync]


def changes_org():
    day, region = "2026-11-20", "eu-central-1"
    ci = assumed("ci-deploy", "github-actions-8812", ORG_ACCOUNT)
    pool = "eu-central-1_Partn3rs"
    saml = record(day + "T09:21:13Z", "cognito-idp.amazonaws.com", "CreateIdentityProvider", region, ci,
                  {"userPoolId": pool, "providerName": "PartnerSSO", "providerType": "SAML",
                   "providerDetails": {"MetadataURL": "https://sso.partner.example/metadata.xml"},
                   "attributeMapping": {"email": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}},
                  {"identityProvider": {"userPoolId": pool, "providerName": "PartnerSSO", "providerType": "SAML"}})
    return noise(80, region, day, ORG_ACCOUNT) + [saml]


def write(path, records):
    RNG.shuffle(records)  # CloudTrail files are in no particular order
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"Records": records}, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(body, mtime=0))


def main():
    root = Path("events/AWSLogs")
    base = root / ACCOUNT / "CloudTrail"
    write(base / "eu-west-1/2026/11/20" / ("%s_CloudTrail_eu-west-1_20261120T0905Z_Ab3dE5fG7hJ9kL1m.json.gz" % ACCOUNT), changes_eu_west_1())
    write(base / "us-east-1/2026/11/20" / ("%s_CloudTrail_us-east-1_20261120T0915Z_Zx8cV6bN4mQ2wE0r.json.gz" % ACCOUNT), changes_us_east_1())
    org = root / ORG_ID / ORG_ACCOUNT / "CloudTrail/eu-central-1/2026/11/20"
    write(org / ("%s_CloudTrail_eu-central-1_20261120T0920Z_Qw3eR5tY7uI9oP1a.json.gz" % ORG_ACCOUNT), changes_org())
    digest = root / ACCOUNT / "CloudTrail-Digest/eu-west-1/2026/11/20"
    digest.mkdir(parents=True, exist_ok=True)
    (digest / ("%s_CloudTrail-Digest_eu-west-1_main-trail_eu-west-1_20261120T100000Z.json.gz" % ACCOUNT)).write_bytes(gzip.compress(json.dumps({
        "awsAccountId": ACCOUNT, "digestStartTime": "2026-11-20T09:00:00Z", "digestEndTime": "2026-11-20T10:00:00Z",
        "digestS3Bucket": "trail-bucket-%s" % ACCOUNT, "digestSignatureAlgorithm": "SHA256withRSA",
        "logFiles": [{"s3Bucket": "trail-bucket-%s" % ACCOUNT, "s3Object": "AWSLogs/%s/CloudTrail/eu-west-1/2026/11/20/x.json.gz" % ACCOUNT,
                      "hashValue": "%064x" % RNG.getrandbits(256), "hashAlgorithm": "SHA-256"}],
    }).encode(), mtime=0))


if __name__ == "__main__":
    main()
