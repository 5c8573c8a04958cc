//! The fields a chain groups and counts by (`by:`, `distinct:`): a few named
//! keys for what CloudTrail spells several ways (`actor`, `user`, `pool`), and
//! dotted paths into the record.

use serde_json::Value;

use crate::trail::Record;

/// Cognito's redaction markers: such a value names nobody.
const REDACTED: [&str; 2] = [
    "HIDDEN_DUE_TO_SECURITY_REASONS",
    "HIDDEN_FOR_SECURITY_REASONS",
];

/// One field of `by` or `distinct`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Who made the call: `userIdentity.arn` (an assumed role's session ARN
    /// names the session), else `principalId`, else the account and type.
    Actor,
    /// The user a user-specific request was about: the pool and the user's
    /// `sub` (`additionalEventData.sub`), else the user name when not redacted.
    User,
    /// The user pool or identity pool the request names; calls that name only
    /// an app client (`InitiateAuth`) are keyed by that client.
    Pool,
    /// The account the event belongs to.
    Account,
    /// `eventSource` and `eventName`.
    Operation,
    /// A dotted path under `requestParameters`, `responseElements`,
    /// `additionalEventData` or `userIdentity`, or a top-level string field.
    Path(String),
}

const TOP_LEVEL: [&str; 6] = [
    "eventName",
    "eventSource",
    "awsRegion",
    "errorCode",
    "sourceIPAddress",
    "userAgent",
];

impl Field {
    /// Reads a field's name as written; an unknown name is an error.
    pub fn parse(name: &str) -> Result<Field, String> {
        let field = match name {
            "actor" => Field::Actor,
            "user" => Field::User,
            "pool" => Field::Pool,
            "account" => Field::Account,
            "operation" => Field::Operation,
            _ if TOP_LEVEL.contains(&name) => Field::Path(name.to_owned()),
            _ => {
                let known = [
                    "requestParameters.",
                    "responseElements.",
                    "additionalEventData.",
                    "userIdentity.",
                ];
                if !known
                    .iter()
                    .any(|p| name.starts_with(p) && name.len() > p.len())
                {
                    return Err(format!(
                        "unknown field {name:?}: use actor, user, pool, account, operation, \
                         a top-level field ({}) or a path under requestParameters., \
                         responseElements., additionalEventData. or userIdentity.",
                        TOP_LEVEL.join(", ")
                    ));
                }
                Field::Path(name.to_owned())
            }
        };
        Ok(field)
    }

    /// The field's value on `record`; `None` when the record does not say.
    pub fn value(&self, record: &Record) -> Option<String> {
        match self {
            Field::Actor => actor(record),
            Field::User => user(record),
            Field::Pool => pool(record),
            Field::Account => record.account_id().map(str::to_owned),
            Field::Operation => {
                let source = record.event_source.as_deref().unwrap_or("");
                record
                    .event_name
                    .as_deref()
                    .map(|n| format!("{source}:{n}"))
            }
            Field::Path(path) => path_value(record, path),
        }
    }
}

fn actor(record: &Record) -> Option<String> {
    let id = record.user_identity.as_ref()?;
    let named = id.arn.as_deref().or(id.principal_id.as_deref());
    let named = named.filter(|s| !s.is_empty() && *s != "Anonymous");
    named.map(str::to_owned).or_else(|| {
        let (account, kind) = (id.account_id.as_deref()?, id.kind.as_deref()?);
        (kind != "Unknown").then(|| format!("{kind}@{account}"))
    })
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() || REDACTED.contains(&s.as_str()) => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn get<'v>(v: Option<&'v Value>, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v?, |v, key| v.get(key))
}

fn user(record: &Record) -> Option<String> {
    let extra = record.additional_event_data.as_ref();
    let request = record.request_parameters.as_ref();
    let who = get(extra, "sub")
        .or_else(|| get(extra, "userSub"))
        .and_then(text)
        .or_else(|| get(request, "username").and_then(text))?;
    let pool = get(request, "userPoolId")
        .and_then(text)
        .unwrap_or_default();
    Some(format!("{pool}/{who}"))
}

fn pool(record: &Record) -> Option<String> {
    let (request, response) = (
        record.request_parameters.as_ref(),
        record.response_elements.as_ref(),
    );
    let extra = record.additional_event_data.as_ref();
    let named = [
        get(request, "userPoolId"),
        get(request, "identityPoolId"),
        get(extra, "userPoolId"),
        get(response, "userPool.id"),
        get(response, "identityPoolId"),
    ];
    if let Some(id) = named.into_iter().flatten().find_map(text) {
        return Some(id);
    }
    get(request, "clientId")
        .and_then(text)
        .map(|c| format!("client:{c}"))
}

fn path_value(record: &Record, path: &str) -> Option<String> {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let root = match head {
        "requestParameters" => record.request_parameters.as_ref(),
        "responseElements" => record.response_elements.as_ref(),
        "additionalEventData" => record.additional_event_data.as_ref(),
        "userIdentity" => return identity_value(record, rest),
        "eventName" => return record.event_name.as_deref().map(str::to_owned),
        "eventSource" => return record.event_source.as_deref().map(str::to_owned),
        "awsRegion" => return record.aws_region.as_deref().map(str::to_owned),
        "errorCode" => return record.error_code().map(str::to_owned),
        "sourceIPAddress" => return record.source_ip_address.as_deref().map(str::to_owned),
        "userAgent" => return record.user_agent.as_deref().map(str::to_owned),
        _ => None,
    };
    get(root, rest).and_then(text)
}

fn identity_value(record: &Record, key: &str) -> Option<String> {
    let id = record.user_identity.as_ref()?;
    let v = match key {
        "arn" => id.arn.as_deref(),
        "principalId" => id.principal_id.as_deref(),
        "accountId" => id.account_id.as_deref(),
        "type" => id.kind.as_deref(),
        "accessKeyId" => id.access_key_id.as_deref(),
        "userName" => id.user_name.as_deref(),
        "invokedBy" => id.invoked_by.as_deref(),
        _ => None,
    };
    v.filter(|s| !s.is_empty()).map(str::to_owned)
}
