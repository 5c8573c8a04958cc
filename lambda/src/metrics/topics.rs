//! Messages per topic (`MessagesPublished` and `PublishFailures` by `Topic`): a
//! change set is one message however many alerts it holds, and each topic a
//! route adds is counted on its own.

use std::collections::BTreeMap;

use super::{count, name, Datum};

/// SNS messages per topic name in one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicTally {
    /// Accepted by SNS.
    pub messages: BTreeMap<String, u64>,
    /// Failed after every round.
    pub failures: BTreeMap<String, u64>,
}

impl TopicTally {
    /// Counts one batch's messages to `topic`.
    pub fn add(&mut self, topic: &str, sent: usize, failed: usize) {
        *self.messages.entry(topic.to_string()).or_default() += sent as u64;
        if failed > 0 {
            *self.failures.entry(topic.to_string()).or_default() += failed as u64;
        }
    }

    /// One datum per topic that was sent to or failed (a topic's series costs
    /// only for the hours it has one).
    pub fn datums(&self) -> Vec<Datum> {
        let topic = |t: &String| vec![("Topic", t.clone())];
        let sent = self
            .messages
            .iter()
            .map(|(t, n)| count(name::MESSAGES_PUBLISHED, topic(t), *n));
        let failed = self
            .failures
            .iter()
            .map(|(t, n)| count(name::PUBLISH_FAILURES, topic(t), *n));
        sent.chain(failed).collect()
    }
}
