//! Grouping alerts into change sets: one actor (account, principal, session), event
//! times no more than a window apart.
//!
//! **Which session.** CloudTrail names a caller by its ARN (`assumed-role/ROLE/
//! SESSION`, `user/NAME`, `root`...) or, without one, its `principalId`; both
//! tell principals apart, the ARN also the session name of a role. One set of
//! credentials is told apart by `accessKeyId`: every AssumeRole, federation or
//! Identity Center sign-in issues a new temporary key (`ASIA...`), and
//! `sessionContext.attributes.creationDate` is only the time that key was issued,
//! so the key says the same thing more precisely (two CI jobs assuming one role
//! with the same session name in the same minute hold two keys). An IAM user's
//! long-term key (`AKIA...`) is the same across its sessions: there the window
//! alone separates runs. A console session whose calls were signed with
//! different keys becomes several change sets: more messages, nothing lost.
//!
//! **No usable actor** (no ARN and no principal id, an `AWSService` or `Unknown`
//! identity such as an anonymous end user) or no readable event time: the alert
//! stays alone, a change set of one.

use std::collections::HashMap;
use std::str::FromStr;

use super::ChangeSet;
use crate::chains::{parse_event_time, Span};
use crate::Alert;

/// The default window: consecutive changes of one actor at most 2 minutes apart
/// are one change set (one `terraform apply`, one stack update, one console
/// session's edits).
pub const DEFAULT_WINDOW_SECS: u32 = 120;

/// The longest window accepted (1 hour): a longer one would hold unrelated work
/// of a long-lived session together.
pub const MAX_WINDOW_SECS: u32 = 3600;

/// How far apart two consecutive changes of one actor may be and still be one
/// change set. `Window::OFF` (0) keeps every alert alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(u32);

impl Window {
    /// [`DEFAULT_WINDOW_SECS`].
    pub const DEFAULT: Window = Window(DEFAULT_WINDOW_SECS);
    /// No grouping: every alert is a change set of one.
    pub const OFF: Window = Window(0);

    /// A window of `secs` seconds, at most [`MAX_WINDOW_SECS`].
    pub fn from_secs(secs: u32) -> Result<Window, String> {
        if secs > MAX_WINDOW_SECS {
            return Err(format!(
                "a change-set window of {secs} s is longer than the {MAX_WINDOW_SECS} s allowed"
            ));
        }
        Ok(Window(secs))
    }

    /// Seconds.
    pub fn secs(self) -> u32 {
        self.0
    }

    /// Whether grouping is off.
    pub fn is_off(self) -> bool {
        self.0 == 0
    }
}

impl Default for Window {
    fn default() -> Window {
        Window::DEFAULT
    }
}

impl FromStr for Window {
    type Err = String;

    /// Seconds (`120`), a duration (`90s`, `2m`, `1h`), or `off` / `0`.
    fn from_str(s: &str) -> Result<Window, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(Window::OFF);
        }
        let secs = match s.parse::<u32>() {
            Ok(n) => i64::from(n),
            Err(_) => Span::try_from(s.to_string())?.secs(),
        };
        let secs = u32::try_from(secs).map_err(|_| format!("{s:?} is not a change-set window"))?;
        Window::from_secs(secs)
    }
}

/// Who made a change, for grouping: the account, the principal and the session
/// (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ActorKey {
    account: String,
    principal: String,
    session: String,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The actor key of `alert`, or `None` when it has no usable actor.
fn actor_key(alert: &Alert) -> Option<ActorKey> {
    let actor = &alert.actor;
    if matches!(
        nonempty(&actor.identity_type),
        Some("AWSService" | "Unknown")
    ) {
        return None;
    }
    let principal = nonempty(&actor.arn).or(nonempty(&actor.principal_id))?;
    let account = nonempty(&alert.account_id)
        .or(nonempty(&actor.account_id))
        .unwrap_or("-");
    Some(ActorKey {
        account: account.to_string(),
        principal: principal.to_string(),
        session: nonempty(&actor.access_key_id).unwrap_or("").to_string(),
    })
}

/// Groups `alerts` into change sets: the alerts of one actor whose event times,
/// in time order, are each at most `window` after the previous one. Alerts
/// without a usable actor or event time, and every alert when the window is
/// [`Window::OFF`], are change sets of one. Sets come in the order of their first
/// alert in `alerts`; within a set, alerts are in event-time order (ties keep the
/// given order). Every alert is in exactly one set.
pub fn change_sets(alerts: Vec<Alert>, window: Window) -> Vec<ChangeSet> {
    let mut alone: Vec<usize> = Vec::new();
    let mut actors: HashMap<ActorKey, usize> = HashMap::new();
    let mut runs_by_actor: Vec<Vec<(i64, usize)>> = Vec::new();
    for (i, alert) in alerts.iter().enumerate() {
        let keyed = (!window.is_off()).then(|| actor_key(alert)).flatten().zip(
            alert
                .event_time
                .as_deref()
                .and_then(|t| parse_event_time(t).ok()),
        );
        let Some((key, time)) = keyed else {
            alone.push(i);
            continue;
        };
        let slot = *actors.entry(key).or_insert_with(|| {
            runs_by_actor.push(Vec::new());
            runs_by_actor.len() - 1
        });
        runs_by_actor[slot].push((time, i));
    }
    let mut groups: Vec<Vec<usize>> = alone.into_iter().map(|i| vec![i]).collect();
    for mut timed in runs_by_actor {
        timed.sort();
        let mut run: Vec<usize> = Vec::new();
        let mut last: Option<i64> = None;
        for (time, i) in timed {
            if last.is_some_and(|l| time - l > i64::from(window.secs())) {
                groups.push(std::mem::take(&mut run));
            }
            run.push(i);
            last = Some(time);
        }
        groups.push(run);
    }
    groups.sort_by_key(|g| g.iter().min().copied());
    let mut slots: Vec<Option<Alert>> = alerts.into_iter().map(Some).collect();
    groups
        .into_iter()
        .map(|g| ChangeSet::of(g.into_iter().filter_map(|i| slots[i].take()).collect()))
        .collect()
}
