//! Data-plane noise: KMS, S3, DynamoDB, SSM Parameter Store and Secrets Manager,
//! with request and response shapes as CloudTrail logs them.

use std::fmt::Write as _;

use super::records::{function_arn, resource, Ctx, Ev, Who};
use super::rng::Rng;

const TABLES: &[&str] = &[
    "orders-prod",
    "payments-prod",
    "sessions-prod",
    "inventory-prod",
];
const PARAMS: &[&str] = &[
    "/prod/orders/db/password",
    "/prod/orders/db/host",
    "/prod/payments/stripe/api-key",
    "/prod/shared/feature-flags",
    "/prod/auth/cognito/client-secret",
    "/cloudwatch-agent/config",
];
const SECRETS: &[&str] = &[
    "prod/orders/db-Xk2v9Q",
    "prod/payments/stripe-h7TqZw",
    "prod/auth/cognito-app-2LmNpa",
];
/// The encryption context a service passes to KMS.
fn kms_context(c: &mut Ctx, out: &mut String) {
    match c.rng.below(5) {
        0 => {
            let arn = function_arn(c);
            let _ = write!(out, "{{\"aws:lambda:FunctionArn\":\"{arn}\"}}");
        }
        1 => {
            let b = c.rng.pick(&c.world.buckets);
            let _ = write!(out, "{{\"aws:s3:arn\":\"arn:aws:s3:::{b}\"}}");
        }
        2 => {
            let i = c.rng.below(SECRETS.len());
            let _ = write!(
                out,
                "{{\"SecretARN\":\"arn:aws:secretsmanager:{}:{}:secret:{}\",\"SecretVersionId\":\"",
                c.region,
                c.acct(),
                SECRETS[i]
            );
            Rng::new(i as u64).uuid(out);
            out.push_str("\"}");
        }
        3 => {
            let p = c.rng.pick(PARAMS);
            let _ = write!(
                out,
                "{{\"PARAMETER_ARN\":\"arn:aws:ssm:{}:{}:parameter{p}\"}}",
                c.region,
                c.acct()
            );
        }
        _ => {
            let t = c.rng.pick(TABLES);
            let _ = write!(
                out,
                "{{\"aws:dynamodb:tableName\":\"{t}\",\"aws:dynamodb:subscriberId\":\"{}\"}}",
                c.acct()
            );
        }
    }
}

/// Picks a KMS key, adds it to `resources`, sometimes has a service call on the
/// caller's behalf; returns the key ARN.
fn kms_key(c: &mut Ctx, ev: &mut Ev) -> String {
    let key = c.rng.pick(&c.world.kms_keys);
    let arn = format!("arn:aws:kms:{}:{}:key/{key}", c.region, c.acct());
    resource(&mut ev.resources, Some(c.acct()), "AWS::KMS::Key", &arn);
    if c.rng.chance(0.4) {
        ev.who = Who::RoleVia(c.rng.one(&[
            "s3.amazonaws.com",
            "secretsmanager.amazonaws.com",
            "dynamodb.amazonaws.com",
            "ssm.amazonaws.com",
        ]));
    }
    arn
}

/// KMS Decrypt, often by a service decrypting data for a caller.
pub fn kms_decrypt(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("kms.amazonaws.com", "Decrypt");
    ev.read_only = true;
    kms_key(c, ev);
    ev.req.push_str("{\"encryptionContext\":");
    kms_context(c, &mut ev.req);
    ev.req
        .push_str(",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
}

/// KMS GenerateDataKey for envelope encryption.
pub fn kms_generate_data_key(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("kms.amazonaws.com", "GenerateDataKey");
    ev.read_only = true;
    let arn = kms_key(c, ev);
    let _ = write!(ev.req, "{{\"keyId\":\"{arn}\",\"encryptionContext\":");
    kms_context(c, &mut ev.req);
    ev.req.push_str(",\"keySpec\":\"AES_256\"}");
}

/// The `additionalEventData` S3 logs, with its random `x-amz-id-2`.
fn s3_extra(c: &mut Ctx, ev: &mut Ev, bytes_in: u64, bytes_out: u64) {
    let _ = write!(
        ev.extra,
        "{{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":{bytes_in},\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\""
    );
    c.rng.base64(&mut ev.extra, 76);
    let _ = write!(ev.extra, "\",\"bytesTransferredOut\":{bytes_out}}}");
    ev.short_request_id = true;
}

/// Bucket configuration reads, half of them by AWS Config.
pub fn s3_bucket_read(c: &mut Ctx, ev: &mut Ev) {
    let (name, sub) = *c.rng.pick(&[
        ("GetBucketAcl", "acl"),
        ("GetBucketPolicy", "policy"),
        ("GetBucketEncryption", "encryption"),
        ("GetBucketLocation", "location"),
    ]);
    ev.reset("s3.amazonaws.com", name);
    ev.read_only = true;
    if c.rng.chance(0.5) {
        ev.who = Who::RoleVia("config.amazonaws.com");
    }
    let b = c.rng.pick(&c.world.buckets).clone();
    let _ = write!(
        ev.req,
        "{{\"bucketName\":\"{b}\",\"Host\":\"{b}.s3.{}.amazonaws.com\",\"{sub}\":\"\"}}",
        c.region
    );
    let out = c.rng.range(200, 900);
    s3_extra(c, ev, 0, out);
    resource(
        &mut ev.resources,
        Some(c.acct()),
        "AWS::S3::Bucket",
        &format!("arn:aws:s3:::{b}"),
    );
}

/// GetObject and PutObject data events.
pub fn s3_object(c: &mut Ctx, ev: &mut Ev) {
    let put = c.rng.chance(0.4);
    ev.reset(
        "s3.amazonaws.com",
        if put { "PutObject" } else { "GetObject" },
    );
    ev.data = true;
    ev.read_only = !put;
    let b = c.rng.pick(&c.world.buckets).clone();
    let mut key = String::new();
    let prefix = c.rng.pick(&[
        "uploads/avatars",
        "raw/events/year=2026/month=11",
        "exports/daily",
        "AWSLogs/o-a1b2c3d4e5/CloudTrail",
    ]);
    let _ = write!(key, "{prefix}/");
    c.rng.hex(&mut key, 8);
    key.push_str(c.rng.one(&[".jpg", ".parquet", ".json.gz", ".csv"]));
    let _ = write!(
        ev.req,
        "{{\"bucketName\":\"{b}\",\"Host\":\"{b}.s3.{}.amazonaws.com\",\"key\":\"{key}\"",
        c.region
    );
    if put {
        ev.req
            .push_str(",\"x-amz-server-side-encryption\":\"aws:kms\"}");
        let k = c.rng.pick(&c.world.kms_keys);
        let _ = write!(
            ev.resp,
            "{{\"x-amz-server-side-encryption\":\"aws:kms\",\"x-amz-server-side-encryption-aws-kms-key-id\":\"arn:aws:kms:{}:{}:key/{k}\",\"x-amz-version-id\":\"",
            c.region,
            c.acct()
        );
        c.rng.mixed(&mut ev.resp, 32);
        ev.resp.push_str("\"}");
    } else {
        ev.req.push('}');
    }
    let size = c.rng.range(300, 4_000_000);
    let (i, o) = if put { (size, 0) } else { (0, size) };
    s3_extra(c, ev, i, o);
    resource(
        &mut ev.resources,
        None,
        "AWS::S3::Object",
        &format!("arn:aws:s3:::{b}/{key}"),
    );
    resource(
        &mut ev.resources,
        Some(c.acct()),
        "AWS::S3::Bucket",
        &format!("arn:aws:s3:::{b}"),
    );
}

/// DynamoDB item data events and DescribeTable.
pub fn dynamodb(c: &mut Ctx, ev: &mut Ev) {
    let name = *c
        .rng
        .pick(&["GetItem", "PutItem", "Query", "UpdateItem", "DescribeTable"]);
    ev.reset("dynamodb.amazonaws.com", name);
    ev.data = name != "DescribeTable";
    ev.read_only = matches!(name, "GetItem" | "Query" | "DescribeTable");
    let t = c.rng.pick(TABLES);
    let _ = write!(ev.req, "{{\"tableName\":\"{t}\"");
    match name {
        "Query" => ev.req.push_str(",\"indexName\":\"gsi1\",\"keyConditionExpression\":\"#pk = :pk AND begins_with(#sk, :sk)\",\"projectionExpression\":\"#pk, #sk, #status, #total, #updatedAt\",\"expressionAttributeNames\":{\"#pk\":\"gsi1pk\",\"#sk\":\"gsi1sk\",\"#status\":\"status\",\"#total\":\"total\",\"#updatedAt\":\"updatedAt\"},\"limit\":50,\"scanIndexForward\":false}"),
        "DescribeTable" => ev.req.push('}'),
        _ => {
            let order = c.rng.range(1_000_000, 9_999_999);
            let _ = write!(ev.req, ",\"key\":{{\"pk\":\"ORDER#{order}\",\"sk\":\"META\"}}");
            if name != "GetItem" {
                ev.req.push_str(",\"conditionExpression\":\"attribute_exists(pk)\",\"returnValues\":\"NONE\"");
            }
            ev.req.push('}');
        }
    }
    let arn = format!("arn:aws:dynamodb:{}:{}:table/{t}", c.region, c.acct());
    resource(
        &mut ev.resources,
        Some(c.acct()),
        "AWS::DynamoDB::Table",
        &arn,
    );
}

/// Parameter Store reads, with decryption.
pub fn ssm_get_parameter(c: &mut Ctx, ev: &mut Ev) {
    let many = c.rng.chance(0.3);
    ev.reset(
        "ssm.amazonaws.com",
        if many {
            "GetParameters"
        } else {
            "GetParameter"
        },
    );
    ev.read_only = true;
    if many {
        let (a, b) = (c.rng.pick(PARAMS), c.rng.pick(PARAMS));
        let _ = write!(
            ev.req,
            "{{\"names\":[\"{a}\",\"{b}\"],\"withDecryption\":true}}"
        );
    } else {
        let p = c.rng.pick(PARAMS);
        let _ = write!(ev.req, "{{\"name\":\"{p}\",\"withDecryption\":true}}");
    }
}

/// Secrets Manager GetSecretValue.
pub fn secrets_get(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("secretsmanager.amazonaws.com", "GetSecretValue");
    ev.read_only = true;
    let name = c.rng.pick(SECRETS);
    let _ = write!(
        ev.req,
        "{{\"secretId\":\"arn:aws:secretsmanager:{}:{}:secret:{name}\"}}",
        c.region,
        c.acct()
    );
}
