//! Claims: the function's exactly-once alerts, as pure decisions: which key
//! makes two notices the same ([`claim_key`]), what a claim is, and — given what is
//! stored and the time — its [`status`]: whether a notice may be published. The
//! stores (the state table in DynamoDB for the Lambda, `FakeTable` in tests) keep
//! items; this module decides on them, so every store decides the same way.
//!
//! A notice is claimed before it is published (an item `IN_PROGRESS` with a lease
//! and its holder), marked `COMPLETED` once SNS accepted it, and kept
//! [`SENT_TTL_SECS`]. A claim whose lease ran out belonged to an invocation that
//! died: it is taken over. A claim held by a live invocation is neither taken nor
//! dropped: the caller defers the notice and fails, so it is retried later.

#[cfg(any(test, feature = "testkit"))]
mod fake;
mod key;

#[cfg(any(test, feature = "testkit"))]
pub use fake::FakeTable;
pub(crate) use key::fnv1a;
pub use key::{alert_key, claim_key};

/// How long a claim protects a notice being published, in seconds. The Lambda
/// bounds one PublishBatch call to 15 s and gives a batch three rounds, so a live
/// holder finishes well within it; it is half the function's 120 s timeout, and no
/// longer than Lambda's first asynchronous retry (about a minute) waits, so that
/// retry can take over the claims of an invocation that died.
pub const LEASE_SECS: u64 = 60;

/// How long a sent notice is remembered: longer than any CloudTrail or S3
/// re-delivery, and Lambda's 6-hour maximum event age.
pub const SENT_TTL_SECS: u64 = 14 * 86_400;

/// How long after its lease an abandoned claim is left for TTL to delete (an
/// expired claim is already taken over; this only bounds storage).
pub const CLAIM_TTL_SECS: u64 = 86_400;

/// The condition a store writes a claim under, in DynamoDB's expression language:
/// the same cases as [`status`] grants (no item, an item past its TTL, our own
/// claim, or a claim whose lease ran out). Names: `#status`, `#lease`, `#owner`,
/// `#ttl`; values: `:in_progress`, `:now`, `:owner`.
pub const CLAIM_CONDITION: &str = "attribute_not_exists(pk) OR #ttl <= :now OR #owner = :owner \
     OR (#status = :in_progress AND #lease < :now)";

/// An item's key: partition key `pk`, sort key `sk`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    /// The key of the same notice delivered to a route's `topic` (an ARN), not
    /// the default topic: each topic a notice goes to is claimed and completed on
    /// its own, so a retry re-sends only to the topics that failed. The default
    /// topic keeps the plain key (the one every earlier release wrote).
    pub fn on_topic(self, topic: &str) -> Key {
        Key {
            sk: format!("{}#topic#{topic}", self.sk),
            ..self
        }
    }
}

/// Where a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Claimed by an invocation that is publishing it.
    InProgress,
    /// SNS accepted it.
    Completed,
}

impl Status {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "IN_PROGRESS",
            Status::Completed => "COMPLETED",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "IN_PROGRESS" => Some(Status::InProgress),
            "COMPLETED" => Some(Status::Completed),
            _ => None,
        }
    }
}

/// What a store keeps for one notice (times in seconds since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub status: Status,
    /// Until when the holder's claim protects it (`IN_PROGRESS` only).
    pub lease: u64,
    /// The invocation that claimed or completed it.
    pub owner: String,
    /// When the store may delete it (DynamoDB TTL deletes within days, not at once:
    /// [`status`] compares it itself).
    pub ttl: u64,
}

impl Item {
    /// A new claim by `owner` at `now`.
    pub fn claim(owner: &str, now: u64) -> Item {
        Item {
            status: Status::InProgress,
            lease: now + LEASE_SECS,
            owner: owner.to_string(),
            ttl: now + LEASE_SECS + CLAIM_TTL_SECS,
        }
    }

    /// The record that `owner` published it at `now`.
    pub fn completed(owner: &str, now: u64) -> Item {
        Item {
            status: Status::Completed,
            lease: 0,
            owner: owner.to_string(),
            ttl: now + SENT_TTL_SECS,
        }
    }
}

/// The answer to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Nothing stored (or only an item past its TTL): claimed.
    Free,
    /// The holder's lease ran out (its invocation died): taken over.
    Expired,
    /// Already ours (a retried write of this invocation).
    Ours,
    /// Published before: skip it.
    Sent,
    /// A live invocation holds it until `until`: do not publish, do not drop.
    Held { until: u64 },
}

impl Claim {
    /// Whether the caller now holds the claim and should publish.
    pub fn granted(self) -> bool {
        matches!(self, Claim::Free | Claim::Expired | Claim::Ours)
    }
}

/// The status of a claim by `owner` at `now` on what is `stored` (the decision
/// [`CLAIM_CONDITION`] makes inside DynamoDB).
pub fn status(stored: Option<&Item>, owner: &str, now: u64) -> Claim {
    let Some(item) = stored else {
        return Claim::Free;
    };
    if item.ttl <= now {
        return Claim::Free;
    }
    match item.status {
        Status::Completed => Claim::Sent,
        Status::InProgress if item.owner == owner => Claim::Ours,
        Status::InProgress if item.lease < now => Claim::Expired,
        Status::InProgress => Claim::Held { until: item.lease },
    }
}

#[cfg(test)]
mod tests;
