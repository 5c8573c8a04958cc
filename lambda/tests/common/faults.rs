//! What the fault proxy knows of each service's wire format: which service and
//! operation a request is, how each service answers an error, and PublishBatch's
//! form-encoded entries.

use bytes::Bytes;
use hyper::Response;

/// The services the function calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    S3,
    Sns,
    CloudWatch,
    /// The state store (routed to moto).
    DynamoDb,
    /// User lookups (ListUsers) and snapshots (the user pools' and identity pools'
    /// Describe calls), routed to moto.
    Cognito,
    /// AssumeRole of the user lookups' member role (routed to moto).
    Sts,
    /// ListAccounts and DescribeAccount of account names (routed to moto).
    Organizations,
    /// BatchImportFindings of Security Hub findings (routed to moto).
    SecurityHub,
}

impl Service {
    /// Served by moto rather than LocalStack.
    pub fn on_moto(self) -> bool {
        matches!(
            self,
            Service::DynamoDb
                | Service::Cognito
                | Service::Sts
                | Service::Organizations
                | Service::SecurityHub
        )
    }
}

/// The service (from the SigV4 credential scope) and operation of a request.
pub fn identify(parts: &http::request::Parts, body: &[u8]) -> (Option<Service>, String) {
    let auth = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Credential=AKID/20261124/us-east-1/sns/aws4_request
    let scope = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3));
    let service = match scope {
        Some("s3") => Some(Service::S3),
        Some("sns") => Some(Service::Sns),
        Some("monitoring") => Some(Service::CloudWatch),
        Some("dynamodb") => Some(Service::DynamoDb),
        Some("cognito-idp" | "cognito-identity") => Some(Service::Cognito),
        Some("sts") => Some(Service::Sts),
        Some("organizations") => Some(Service::Organizations),
        Some("securityhub") => Some(Service::SecurityHub),
        _ => None,
    };
    let operation = match service {
        Some(Service::Sns | Service::Sts) => form_pairs(body)
            .into_iter()
            .find(|(k, _)| k == "Action")
            .map(|(_, v)| v)
            .unwrap_or_default(),
        // rpc-v2-cbor: /service/<name>/operation/<Operation>
        Some(Service::CloudWatch) => parts.uri.path().rsplit('/').next().unwrap_or("").into(),
        Some(Service::S3) if parts.method == http::Method::GET => "GetObject".into(),
        // restJson1: POST /findings/import
        Some(Service::SecurityHub) => match parts.uri.path() {
            "/findings/import" => "BatchImportFindings".into(),
            "/findings" => "GetFindings".into(),
            other => other.into(),
        },
        // awsJson1.0: X-Amz-Target: DynamoDB_20120810.PutItem (awsJson1.1:
        // AWSCognitoIdentityProviderService.ListUsers)
        Some(Service::DynamoDb | Service::Cognito | Service::Organizations) => parts
            .headers
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .into(),
        _ => parts.method.to_string(),
    };
    (service, operation)
}

/// The service's own error answer for `code`.
pub fn error_response(service: Option<Service>, code: &str) -> Response<Bytes> {
    let status = match code {
        "SlowDown" | "ServiceUnavailable" => 503,
        "InternalError"
        | "InternalFailure"
        | "InternalServiceFault"
        | "InternalServerError"
        | "InternalException" => 500,
        _ => 400,
    };
    let (content_type, body) = match service {
        Some(Service::S3) | None => (
            "application/xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>injected fault</Message><RequestId>FAULT</RequestId></Error>").into_bytes(),
        ),
        Some(Service::Sns | Service::Sts) => {
            let kind = if status >= 500 { "Receiver" } else { "Sender" };
            ("text/xml", format!("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>{kind}</Type><Code>{code}</Code><Message>injected fault</Message></Error><RequestId>FAULT</RequestId></ErrorResponse>").into_bytes())
        }
        Some(Service::CloudWatch) => ("application/cbor", cbor_error(code)),
        Some(Service::DynamoDb) => (
            "application/x-amz-json-1.0",
            format!("{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{code}\",\"message\":\"injected fault\"}}").into_bytes(),
        ),
        Some(Service::Cognito | Service::Organizations) => (
            "application/x-amz-json-1.1",
            format!("{{\"__type\":\"{code}\",\"message\":\"injected fault\"}}").into_bytes(),
        ),
        Some(Service::SecurityHub) => (
            "application/json",
            format!("{{\"Code\":\"{code}\",\"Message\":\"injected fault\"}}").into_bytes(),
        ),
    };
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("x-amzn-requestid", "FAULT");
    if service == Some(Service::CloudWatch) {
        builder = builder.header("smithy-protocol", "rpc-v2-cbor");
    }
    if service == Some(Service::SecurityHub) {
        builder = builder.header("x-amzn-errortype", code);
    }
    builder.body(Bytes::from(body)).unwrap()
}

/// `{"__type": code, "message": "injected fault"}` in CBOR (short strings only).
fn cbor_error(code: &str) -> Vec<u8> {
    let mut out = vec![0xa2];
    for text in ["__type", code, "message", "injected fault"] {
        assert!(text.len() < 256);
        if text.len() < 24 {
            out.push(0x60 + text.len() as u8);
        } else {
            out.extend([0x78, text.len() as u8]);
        }
        out.extend(text.as_bytes());
    }
    out
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

const MEMBER: &str = "PublishBatchRequestEntries.member.";

/// Removes the entries at `positions` (0-based) from a PublishBatch request; returns
/// the request to forward and the removed entries' ids.
pub fn split_batch(body: &[u8], positions: &[usize]) -> (Bytes, Vec<String>) {
    let pairs = form_pairs(body);
    let member = |key: &str| -> Option<(usize, String)> {
        let rest = key.strip_prefix(MEMBER)?;
        let (n, field) = rest.split_once('.')?;
        Some((n.parse().ok()?, field.to_string()))
    };
    let mut failed_ids = Vec::new();
    let mut kept_members: Vec<usize> = Vec::new();
    for (key, value) in &pairs {
        if let Some((n, field)) = member(key) {
            if positions.contains(&(n - 1)) {
                if field == "Id" {
                    failed_ids.push(value.clone());
                }
            } else if !kept_members.contains(&n) {
                kept_members.push(n);
            }
        }
    }
    kept_members.sort_unstable();
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        match member(key) {
            None => {
                out.append_pair(key, value);
            }
            Some((n, field)) => {
                if let Some(new) = kept_members.iter().position(|&m| m == n) {
                    out.append_pair(&format!("{MEMBER}{}.{field}", new + 1), value);
                }
            }
        }
    }
    (Bytes::from(out.finish()), failed_ids)
}

/// Adds `ids` as failed entries to a PublishBatch answer.
pub fn add_failed_entries(answer: &[u8], ids: &[String], sender: bool) -> Bytes {
    let text = String::from_utf8_lossy(answer);
    let code = if sender {
        "InvalidParameter"
    } else {
        "InternalError"
    };
    let members: String = ids
        .iter()
        .map(|id| format!("<member><Id>{id}</Id><Code>{code}</Code><Message>injected entry failure</Message><SenderFault>{sender}</SenderFault></member>"))
        .collect();
    let failed = format!("<Failed>{members}</Failed>");
    let mut text = text.replace("<Failed />", "").replace("<Failed/>", "");
    text = text.replace("<Failed></Failed>", "");
    let at = text
        .find("</PublishBatchResult>")
        .expect("a PublishBatch answer");
    text.insert_str(at, &failed);
    Bytes::from(text)
}
