//! The lenient, borrowed view of one CloudTrail record.
//!
//! Only the fields the rules and alerts use are modelled; everything else is skipped
//! by `serde_json` without allocation. Every field is optional because older event
//! versions and other event types omit them. A field of the wrong JSON type makes
//! the record a record error (the file goes on).

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

type Str<'a> = Option<Cow<'a, str>>;

/// One CloudTrail event record.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub event_version: Str<'a>,
    #[serde(borrow)]
    pub user_identity: Option<UserIdentity<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub event_time: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub event_source: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub event_name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub aws_region: Str<'a>,
    #[serde(
        borrow,
        default,
        rename = "sourceIPAddress",
        deserialize_with = "opt_str"
    )]
    pub source_ip_address: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub user_agent: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub error_code: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub error_message: Str<'a>,
    #[serde(default, deserialize_with = "object_or_null")]
    pub request_parameters: Option<Value>,
    #[serde(default, deserialize_with = "object_or_null")]
    pub response_elements: Option<Value>,
    #[serde(default, deserialize_with = "object_or_null")]
    pub additional_event_data: Option<Value>,
    #[serde(borrow, default, rename = "eventID", deserialize_with = "opt_str")]
    pub event_id: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub event_type: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub recipient_account_id: Str<'a>,
}

/// `userIdentity`: who made the call.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "opt_str")]
    pub kind: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub principal_id: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub arn: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub account_id: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub access_key_id: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub user_name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub invoked_by: Str<'a>,
    #[serde(borrow)]
    pub session_context: Option<SessionContext<'a>>,
    #[serde(borrow)]
    pub on_behalf_of: Option<OnBehalfOf<'a>>,
}

/// `userIdentity.sessionContext`: the issuer, and the web identity behind it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionContext<'a> {
    #[serde(borrow)]
    pub session_issuer: Option<SessionIssuer<'a>>,
    #[serde(borrow)]
    pub web_id_federation_data: Option<WebIdFederation<'a>>,
}

/// `sessionContext.webIdFederationData`: the provider that vouched for a web identity
/// (`cognito-identity.amazonaws.com` for identity-pool credentials).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebIdFederation<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub federated_provider: Str<'a>,
}

/// The role (or user) whose credentials started an assumed-role session.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIssuer<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "opt_str")]
    pub kind: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub arn: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub user_name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub account_id: Str<'a>,
}

/// IAM Identity Center user behind a session.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnBehalfOf<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    pub user_id: Str<'a>,
}

/// serde borrows a `Cow<str>` field but not one inside `Option`; this newtype makes
/// optional strings borrow too, so unescaped strings are never copied.
fn opt_str<'de, D>(d: D) -> Result<Str<'de>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);
    Ok(Option::<Borrowed<'de>>::deserialize(d)?.map(|b| b.0))
}

/// `requestParameters` and friends must be objects (or null): anything else means
/// the record is not what it claims to be. They are parsed here, once, for the rules
/// and the alert; one that cannot be (a lone surrogate escape, a number out of range,
/// nesting past 128 levels) is a record error, so the rules never see a present
/// object as absent.
fn object_or_null<'de, D>(d: D) -> Result<Option<Value>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<&'de RawValue> = Option::deserialize(d)?;
    match raw {
        Some(r) if r.get() == "null" => Ok(None),
        Some(r) if r.get().starts_with('{') => match serde_json::from_str::<Value>(r.get()) {
            Ok(value) => Ok(Some(value)),
            Err(e) => {
                let text = e.to_string();
                let cause = text
                    .rsplit_once(" at line ")
                    .map_or(text.as_str(), |(c, _)| c);
                Err(serde::de::Error::custom(format_args!(
                    "an object that cannot be read: {cause}"
                )))
            }
        },
        Some(r) => Err(serde::de::Error::custom(format_args!(
            "expected an object, found {}",
            crate::json::kind_of_text(r.get().as_bytes())
        ))),
        None => Ok(None),
    }
}

/// A record that cannot be read, naming the field where reading failed.
#[derive(Debug, thiserror::Error)]
#[error("{}{source}", field_prefix(path))]
pub struct RecordError {
    /// Dotted path of the field (`userIdentity.type`); empty for the record itself.
    pub path: String,
    pub source: serde_json::Error,
}

fn field_prefix(path: &str) -> String {
    match path {
        "" | "." => String::new(),
        p => format!("`{p}`: "),
    }
}

impl<'a> Record<'a> {
    /// Parses one record from its raw JSON bytes.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, RecordError> {
        // Only records that can match a rule get here (well under 1 % of a trail),
        // so tracking the path for the error message costs nothing measurable.
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let record = serde_path_to_error::deserialize(&mut de).map_err(|e| RecordError {
            path: e.path().to_string(),
            source: e.into_inner(),
        })?;
        de.end().map_err(|source| RecordError {
            path: String::new(),
            source,
        })?;
        Ok(record)
    }

    /// The error code, if the call failed. Cognito writes `""` for success on some events.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref().filter(|c| !c.is_empty())
    }

    /// The account the event belongs to: `recipientAccountId`, else the caller's account.
    pub fn account_id(&self) -> Option<&str> {
        self.recipient_account_id
            .as_deref()
            .or_else(|| self.user_identity.as_ref()?.account_id.as_deref())
    }

    /// `userIdentity.type` (Root, IAMUser, AssumedRole, ...).
    pub fn identity_type(&self) -> Option<&str> {
        self.user_identity.as_ref()?.kind.as_deref()
    }

    /// The web identity provider behind an assumed-role session, if any.
    pub fn federated_provider(&self) -> Option<&str> {
        let ctx = self.user_identity.as_ref()?.session_context.as_ref()?;
        ctx.web_id_federation_data
            .as_ref()?
            .federated_provider
            .as_deref()
    }

    /// The caller's ARN and, for assumed roles, the issuing role's ARN.
    pub fn principal_arns(&self) -> impl Iterator<Item = &str> {
        let id = self.user_identity.as_ref();
        let own = id.and_then(|u| u.arn.as_deref());
        let issuer = id
            .and_then(|u| u.session_context.as_ref())
            .and_then(|s| s.session_issuer.as_ref())
            .and_then(|i| i.arn.as_deref());
        own.into_iter().chain(issuer)
    }
}

#[cfg(test)]
mod tests;
