//! The user-lookup settings (`ENRICH_*`), read with the rest of the configuration.

use crate::config::flag::flag;
use cognito_trail_alerts::users::{Policy, Via};

/// Lookups per invocation unless `ENRICH_MAX_LOOKUPS` says otherwise: ListUsers
/// is throttled per account at a low rate, and every lookup may cost its second.
pub const DEFAULT_MAX_LOOKUPS: usize = 10;
const MAX_MAX_LOOKUPS: usize = 50;

/// `ENRICH_USERS=true` and what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrich {
    /// User attributes to return besides the user name and status
    /// (`ENRICH_USER_ATTRIBUTES`, e.g. `email`); none by default.
    pub attributes: Vec<String>,
    /// The function's account (`ENRICH_ACCOUNT_ID`, else the alert topic's).
    pub own_account: Option<String>,
    /// The role assumed in other accounts (`ENRICH_ROLE_NAME`).
    pub role: Option<Role>,
    /// Lookups per invocation (`ENRICH_MAX_LOOKUPS`).
    pub max_lookups: usize,
}

/// The member accounts' role: its name and the external id it demands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub external_id: String,
}

/// Whose credentials reach a resource: the function's account, and the role
/// assumed in the others. User lookups and snapshots (`SNAPSHOT_ON_FIRST_SIGHT`)
/// share it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Access {
    /// The function's account (`ENRICH_ACCOUNT_ID`, else the alert topic's).
    pub own_account: Option<String>,
    /// The role assumed in other accounts (`ENRICH_ROLE_NAME`).
    pub role: Option<Role>,
}

/// The variables [`Access`] reads.
const ACCESS_VARS: [&str; 3] = [
    "ENRICH_ROLE_NAME",
    "ENRICH_EXTERNAL_ID",
    "ENRICH_ACCOUNT_ID",
];

impl Access {
    /// Reads `ENRICH_ACCOUNT_ID`, `ENRICH_ROLE_NAME` and `ENRICH_EXTERNAL_ID`
    /// through `get`; `topic` is `ALERT_TOPIC_ARN`.
    pub fn from_env(
        get: &impl Fn(&str) -> Option<String>,
        topic: &str,
        problems: &mut Vec<String>,
    ) -> Access {
        let own_account = get("ENRICH_ACCOUNT_ID").or_else(|| {
            // arn:aws:sns:region:ACCOUNT:name: the template creates the topic in
            // the function's account.
            topic.split(':').nth(4).map(str::to_string)
        });
        if let Some(a) = own_account.as_deref() {
            if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(format!(
                    "ENRICH_ACCOUNT_ID {a:?} is not a 12-digit account id"
                ));
            }
        }
        Access {
            own_account,
            role: role(get, problems),
        }
    }

    /// Whose credentials reach a resource of `account`; `None`: another account
    /// and no role.
    pub fn via(&self, account: &str) -> Option<Via> {
        match &self.own_account {
            Some(ours) if ours != account => self.role.as_ref().map(|_| Via::Role {
                account: account.to_string(),
            }),
            _ => Some(Via::Own),
        }
    }
}

impl Enrich {
    /// Reads the `ENRICH_*` variables through `get` (trimmed, empty = unset);
    /// `topic` is `ALERT_TOPIC_ARN`. Problems are added to `problems`. With
    /// `shared` (snapshots are on, and use them too) the role and account variables
    /// may be set without `ENRICH_USERS`.
    pub fn from_env(
        get: &impl Fn(&str) -> Option<String>,
        topic: &str,
        problems: &mut Vec<String>,
        shared: bool,
    ) -> Option<Enrich> {
        let on = flag("ENRICH_USERS", get("ENRICH_USERS"), problems);
        let others = [
            "ENRICH_USER_ATTRIBUTES",
            "ENRICH_ROLE_NAME",
            "ENRICH_EXTERNAL_ID",
            "ENRICH_MAX_LOOKUPS",
            "ENRICH_ACCOUNT_ID",
        ];
        if !on {
            let allowed = |n: &str| shared && ACCESS_VARS.contains(&n);
            for name in others.iter().filter(|n| get(n).is_some() && !allowed(n)) {
                problems.push(format!("{name} is set but ENRICH_USERS is not true"));
            }
            return None;
        }
        let attributes: Vec<String> = get("ENRICH_USER_ATTRIBUTES")
            .map(|list| list.split(',').map(|a| a.trim().to_string()).collect())
            .unwrap_or_default();
        for a in &attributes {
            let valid = (1..=64).contains(&a.len())
                && a.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_:.-".contains(&b));
            if !valid {
                problems.push(format!(
                    "ENRICH_USER_ATTRIBUTES entry {a:?} is not a user attribute name"
                ));
            }
        }
        let Access { own_account, role } = Access::from_env(get, topic, problems);
        let max_lookups = match get("ENRICH_MAX_LOOKUPS").map(|v| v.parse::<usize>()) {
            None => DEFAULT_MAX_LOOKUPS,
            Some(Ok(n)) if (1..=MAX_MAX_LOOKUPS).contains(&n) => n,
            Some(_) => {
                problems.push(format!(
                    "ENRICH_MAX_LOOKUPS must be a whole number from 1 to {MAX_MAX_LOOKUPS}"
                ));
                DEFAULT_MAX_LOOKUPS
            }
        };
        Some(Enrich {
            attributes,
            own_account,
            role,
            max_lookups,
        })
    }

    /// The role and account, for snapshots.
    pub fn access(&self) -> Access {
        Access {
            own_account: self.own_account.clone(),
            role: self.role.clone(),
        }
    }

    /// What the engine's lookup decisions need.
    pub fn policy(&self) -> Policy {
        Policy {
            own_account: self.own_account.clone(),
            cross_account: self.role.is_some(),
            max_lookups: self.max_lookups,
        }
    }
}

/// `ENRICH_ROLE_NAME` with its `ENRICH_EXTERNAL_ID` (both or neither).
fn role(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Option<Role> {
    let name = get("ENRICH_ROLE_NAME");
    let external_id = get("ENRICH_EXTERNAL_ID");
    let iam = |s: &str, max: usize, extra: &[u8]| {
        (1..=max).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b) || extra.contains(&b))
    };
    match (name, external_id) {
        (None, None) => None,
        (Some(_), None) => {
            problems.push(
                "ENRICH_ROLE_NAME needs ENRICH_EXTERNAL_ID (the member roles demand it)".into(),
            );
            None
        }
        (None, Some(_)) => {
            problems.push("ENRICH_EXTERNAL_ID is set without ENRICH_ROLE_NAME".into());
            None
        }
        (Some(name), Some(external_id)) => {
            if !iam(&name, 64, b"") {
                problems.push(format!("ENRICH_ROLE_NAME {name:?} is not an IAM role name"));
            }
            if external_id.len() < 2 || !iam(&external_id, 1224, b":/") {
                problems.push("ENRICH_EXTERNAL_ID must be 2-1224 of A-Z a-z 0-9 _+=,.@:/-".into());
            }
            Some(Role { name, external_id })
        }
    }
}

#[cfg(test)]
mod tests;
