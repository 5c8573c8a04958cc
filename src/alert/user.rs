//! Who a user-specific request was about: Cognito logs the user's `sub`, not the
//! user name. An alert carries how to find that user (the ListUsers call) and,
//! when the function looked it up (`ENRICH_USERS`), what it found.

use std::collections::BTreeMap;

use serde::Serialize;

/// What a lookup found, or why there is nothing to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupStatus {
    /// The user exists: `user` holds it.
    Found,
    /// No user has this sub in the pool: deleted since, most likely.
    NotFound,
    /// The lookup was tried and failed; `reason` says why.
    Failed,
    /// Not looked up (lookups off, another account, the per-invocation bound...);
    /// `reason` says why when there is one beyond lookups being off.
    Skipped,
}

/// A Cognito user as ListUsers returns it, limited to what the alert shows. The
/// user name is attacker-influenced text (self sign-up): renderers escape it like
/// every event value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CognitoUser {
    pub username: String,
    /// `CONFIRMED`, `UNCONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`...
    pub status: Option<String>,
    pub enabled: Option<bool>,
    /// When the user was created (UTC, `2026-11-20T09:02:41Z`).
    pub created: Option<String>,
    /// The attributes asked for (`ENRICH_USER_ATTRIBUTES`, none by default).
    pub attributes: BTreeMap<String, String>,
}

/// `actor.user_lookup`: the ListUsers hint, and the lookup's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserLookup {
    /// The ListUsers call (and CLI command) that finds the user.
    pub hint: String,
    pub status: LookupStatus,
    pub user: Option<CognitoUser>,
    pub reason: Option<String>,
}

impl UserLookup {
    /// Only the hint: nobody looked the user up.
    pub fn hint_only(hint: String) -> Self {
        UserLookup {
            hint,
            status: LookupStatus::Skipped,
            user: None,
            reason: None,
        }
    }

    /// The result in a few words, unescaped (each renderer escapes it its way):
    /// `jane.doe (CONFIRMED, enabled, created 2026-01-05T10:00:00Z, email j@x)`,
    /// `not found (deleted?)`, `lookup failed: throttled ...`, or `None` when
    /// nothing was looked up and there is no reason to give.
    pub fn summary(&self) -> Option<String> {
        match self.status {
            LookupStatus::Found => self.user.as_ref().map(describe_user),
            LookupStatus::NotFound => Some("not found (deleted?)".to_string()),
            LookupStatus::Failed => Some(format!(
                "lookup failed: {}",
                self.reason.as_deref().unwrap_or("unknown error")
            )),
            LookupStatus::Skipped => self.reason.as_ref().map(|r| format!("not looked up: {r}")),
        }
    }

    /// Whether the hint is still the way to find the user.
    pub fn needs_hint(&self) -> bool {
        self.status != LookupStatus::Found
    }
}

/// `username (STATUS, enabled|DISABLED, created TIME, attr value, ...)`.
pub fn describe_user(u: &CognitoUser) -> String {
    let mut facts = Vec::new();
    if let Some(status) = &u.status {
        facts.push(status.clone());
    }
    match u.enabled {
        Some(true) => facts.push("enabled".to_string()),
        Some(false) => facts.push("DISABLED".to_string()),
        None => {}
    }
    if let Some(created) = &u.created {
        facts.push(format!("created {created}"));
    }
    for (name, value) in &u.attributes {
        facts.push(format!("{name} {value}"));
    }
    if facts.is_empty() {
        return u.username.clone();
    }
    format!("{} ({})", u.username, facts.join(", "))
}

/// The ListUsers call that finds a user by `sub`.
pub(crate) fn hint(sub: &str, pool: Option<&str>, region: Option<&str>) -> String {
    let pool = pool.unwrap_or("<user-pool-id>");
    let region = region.map(|r| format!(" --region {r}")).unwrap_or_default();
    format!(
        "ListUsers with Filter 'sub = \"{sub}\"': aws cognito-idp list-users{region} \
         --user-pool-id {pool} --filter 'sub = \"{sub}\"'"
    )
}

#[cfg(test)]
mod tests;
