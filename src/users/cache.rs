//! The container's cache of user lookups: bounded, each entry fresh for a
//! while. Warm containers see the same users again (a burst of admin writes on
//! one account, the same event by EventBridge and then in its log file), and
//! ListUsers is throttled per account at a low rate.

use std::collections::{HashMap, VecDeque};

use super::{Answer, UserRef};

/// Users remembered per container (a few hundred bytes each).
pub const CACHE_CAPACITY: usize = 1000;
/// How long an answer is trusted: a user disabled or deleted after a lookup shows
/// up as such at most this late.
pub const CACHE_TTL_SECS: u64 = 600;

/// Sub → user (or "not found"), bounded (oldest first out) with a TTL. Time is
/// passed in (seconds since the epoch), never read here.
#[derive(Debug)]
pub struct UserCache {
    capacity: usize,
    ttl: u64,
    entries: HashMap<UserRef, (Answer, u64)>,
    order: VecDeque<UserRef>,
}

impl Default for UserCache {
    fn default() -> Self {
        UserCache::new(CACHE_CAPACITY, CACHE_TTL_SECS)
    }
}

impl UserCache {
    /// A cache of at most `capacity` users, each kept `ttl` seconds.
    pub fn new(capacity: usize, ttl: u64) -> Self {
        UserCache {
            capacity,
            ttl,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The answer remembered for `user`, if still fresh at `now`.
    pub fn get(&mut self, user: &UserRef, now: u64) -> Option<Answer> {
        match self.entries.get(user) {
            Some((answer, expires)) if now < *expires => Some(answer.clone()),
            Some(_) => {
                self.entries.remove(user);
                self.order.retain(|t| t != user);
                None
            }
            None => None,
        }
    }

    /// Remembers a user found or not found (a failure is never remembered).
    pub fn put(&mut self, user: UserRef, answer: Answer, now: u64) {
        if matches!(answer, Answer::Failed(_)) || self.capacity == 0 {
            return;
        }
        if self.entries.contains_key(&user) {
            self.order.retain(|t| t != &user);
        }
        self.order.push_back(user.clone());
        self.entries.insert(user, (answer, now + self.ttl));
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }

    /// Users remembered (fresh or not yet dropped).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
