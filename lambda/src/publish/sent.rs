//! What this container has already published: the first layer against a
//! retried invocation sending an alert twice (the state table is the one that
//! survives containers).

use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};

use cognito_trail_alerts::notice::Notice;

/// Entries remembered per container.
pub(super) const SENT_CAPACITY: usize = 20_000;

/// What this container has published (bounded, oldest forgotten first), as
/// [`NoticeKey`]s.
#[derive(Debug, Default)]
pub struct SentLog {
    order: VecDeque<NoticeKey>,
    pub(super) ids: HashSet<NoticeKey>,
}

impl SentLog {
    pub(super) fn contains(&self, key: NoticeKey) -> bool {
        self.ids.contains(&key)
    }

    pub(super) fn insert(&mut self, key: NoticeKey) {
        if self.ids.insert(key) {
            self.order.push_back(key);
        }
        while self.order.len() > SENT_CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
    }
}

/// A notice's identity: a 128-bit digest of `file#record#eventID` (or the file's
/// digest or unreadable notice). Keeping the ~200-byte text instead cost ~670 bytes
/// per alert in the load benchmark (13 MiB at capacity); a digest costs a few tens,
/// and a collision (which would skip an alert) has odds of about 2^-100.
pub(super) type NoticeKey = u128;

/// The [`NoticeKey`] of a notice of the file `source` sent to a route's `topic`
/// (`None`: the default topic, whose keys are the plain ones).
pub(super) fn notice_key_on(source: &str, notice: &Notice, topic: Option<&str>) -> NoticeKey {
    match topic {
        None => notice_key(source, notice),
        Some(t) => notice_key(&format!("{source}#topic#{t}"), notice),
    }
}

/// The [`NoticeKey`] of a notice of the file `source`.
pub(super) fn notice_key(source: &str, notice: &Notice) -> NoticeKey {
    let id = match notice {
        Notice::Alert(a) => format!(
            "{source}#{}#{}",
            a.source.record_index,
            a.event_id.as_deref().unwrap_or("")
        ),
        Notice::Digest(_) => format!("{source}#digest"),
        Notice::Unreadable(u) => format!("{source}#unreadable#{}", u.reason),
    };
    // Two SipHash-1-3 digests of the id behind different one-byte prefixes: the
    // standard library's hasher is deterministic and needs no new dependency.
    let half = |prefix: u8| {
        let mut h = std::hash::DefaultHasher::new();
        prefix.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}
