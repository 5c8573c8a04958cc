//! The operation catalogue (`rules/catalogue.json`, written by
//! `scripts/cognito-catalogue.py` from botocore's models and, for the managed-login
//! endpoint events, the Cognito Developer Guide): what each Cognito event is. The
//! engine does not need it to judge a record; `rules explain` says with it what a
//! record's operation is, and the tests hold the pack to it.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::trail::Record;

/// The committed catalogue, compiled into the binary.
pub const CATALOGUE_JSON: &str = include_str!("../../rules/catalogue.json");

/// `eventType` of the managed-login and OAuth endpoint events.
pub const SERVICE_EVENT: &str = "AwsServiceEvent";

/// What an operation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Changes how a pool, client, identity pool... behaves.
    ConfigWrite,
    /// An administrator's write on one user or identity.
    AdminWrite,
    /// Sign-in, token and self-service calls an app's users make.
    EndUser,
    /// Only reads.
    Read,
    /// Not an API operation: a request to managed login or an OAuth 2.0 endpoint,
    /// logged as a service event named `<Endpoint>_<METHOD>`.
    Endpoint,
}

impl Class {
    /// What the class means to a reader, and how the bundled pack treats it.
    pub fn describe(self) -> &'static str {
        match self {
            Class::ConfigWrite => "a configuration write (every one has a rule of its own)",
            Class::AdminWrite => "an administrator's write on a user or identity (every one has a rule of its own)",
            Class::EndUser => "an end user's sign-in, token or self-service call (quiet when an end user makes it)",
            Class::Read => "a read (quiet)",
            Class::Endpoint => "a managed login (hosted UI) or OAuth 2.0 endpoint request, logged as a service event (quiet unless a rule names eventType AwsServiceEvent)",
        }
    }
}

/// One catalogue entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub event_source: String,
    pub event_name: String,
    pub class: Class,
    /// `AwsServiceEvent` for endpoint events; absent for API operations.
    #[serde(default)]
    pub event_type: Option<String>,
    /// Configuration writes: the request's leaf members as CloudTrail spells them
    /// (`policies.passwordPolicy.minimumLength`); structures expanded, lists and
    /// maps one field.
    #[serde(default)]
    pub inputs: Vec<String>,
}

/// The whole catalogue.
#[derive(Debug, Deserialize)]
pub struct Catalogue {
    /// Where the entries come from (the botocore version...).
    pub source: String,
    pub operations: Vec<Operation>,
}

impl Catalogue {
    /// The bundled catalogue, parsed once. The test suite parses it, so an error
    /// here is a build defect; it is reported, never a panic.
    pub fn bundled() -> Result<&'static Catalogue, String> {
        static PARSED: OnceLock<Result<Catalogue, String>> = OnceLock::new();
        PARSED
            .get_or_init(|| {
                serde_json::from_str(CATALOGUE_JSON)
                    .map_err(|e| format!("rules/catalogue.json (bundled): {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The entry for this event source and name.
    pub fn find(&self, source: &str, name: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.event_source == source && o.event_name == name)
    }

    /// One line on what the record's operation is, for `rules explain`; `None`
    /// for a source the catalogue does not cover.
    pub fn describe(&self, record: &Record) -> Option<String> {
        let source = record.event_source.as_deref()?;
        let name = record.event_name.as_deref().unwrap_or("");
        if !self.operations.iter().any(|o| o.event_source == source) {
            return None;
        }
        if let Some(op) = self.find(source, name) {
            return Some(format!("catalogue: {name} is {}", op.class.describe()));
        }
        Some(match record.event_type.as_deref() {
            Some(SERVICE_EVENT) => format!(
                "catalogue: {name} is not listed; it is a service event, not an API operation \
                 (managed login and OAuth endpoint requests are of this kind): quiet unless a \
                 rule names eventType AwsServiceEvent"
            ),
            _ => format!(
                "catalogue: {name} is not listed: an operation newer than the catalogue ({})",
                self.source
            ),
        })
    }
}
