//! One topic's share of a file: its units claimed chunk by chunk, the members
//! already sent dropped, the rest rendered (change sets in parts) and published.

use cognito_trail_alerts::claim::Key;
use cognito_trail_alerts::notice::{Notice, SnsMessage};
use cognito_trail_alerts::routes::TopicArn;

use super::outcome::Outcome;
use super::rounds::publish_rounds;
use super::units::{chunks, units, Unit};
use super::{batches, Cx, MAX_BATCH_ENTRIES};
use crate::claims::{Claims, Fate};
use crate::deadline;
use crate::metrics::Tally;
use crate::ports::{AlertSink, ClaimStore};

/// A member to send: its notice, its claim key on the topic, and whether this
/// invocation holds that claim (not when the store failed).
type Carried = (Notice, Key, bool);

impl<A: AlertSink> Cx<'_, A> {
    /// Sends `notices` (in file order) to `topic`.
    pub(super) async fn to_topic<T: ClaimStore>(
        &self,
        topic: &TopicArn,
        notices: Vec<Notice>,
        claims: &mut Claims<'_, T>,
        tally: &mut Tally,
        outcome: &mut Outcome,
    ) {
        let fresh: Vec<Notice> = notices
            .into_iter()
            .filter(|n| !self.already(n, topic))
            .collect();
        for chunk in chunks(units(fresh, self.outlet.window), MAX_BATCH_ENTRIES) {
            let count: usize = chunk.iter().map(|u| u.notices().len()).sum();
            if !self.deadline.allows(deadline::BATCH) {
                outcome.late += count;
                continue;
            }
            let kept = self.claim(topic, chunk, claims, tally, outcome).await;
            let (messages, carried) = self.render(&kept);
            self.publish(topic, &messages, &carried, claims, tally, outcome)
                .await;
        }
    }

    /// Claims every member of `chunk` on `topic`; keeps those to publish, each
    /// with its key and whether it is claimed. Members sent before are
    /// remembered, those another invocation holds counted as deferred.
    async fn claim<T: ClaimStore>(
        &self,
        topic: &TopicArn,
        chunk: Vec<Unit>,
        claims: &mut Claims<'_, T>,
        tally: &mut Tally,
        outcome: &mut Outcome,
    ) -> Vec<(Unit, Vec<(Key, bool)>)> {
        let keys: Vec<Key> = chunk
            .iter()
            .flat_map(|u| u.claim_keys(self.version))
            .map(|k| self.on(k, topic))
            .collect();
        let mut fates = claims.claim(&keys, tally).await.into_iter();
        let mut keys = keys.into_iter();
        let mut kept = Vec::new();
        for unit in chunk {
            let mine: Vec<(Key, Fate)> = keys
                .by_ref()
                .zip(fates.by_ref())
                .take(unit.notices().len())
                .collect();
            let mut publish = Vec::new();
            for (notice, (key, fate)) in unit.notices().iter().zip(mine) {
                match fate {
                    Fate::Publish { claimed } => publish.push(Some((key, claimed))),
                    Fate::Sent => {
                        tally.duplicate(self.channel);
                        self.remember(notice, topic);
                        publish.push(None);
                    }
                    Fate::Deferred { .. } => {
                        outcome.deferred += 1;
                        publish.push(None);
                    }
                }
            }
            if let Some(unit) = unit.retain(|i| publish[i].is_some()) {
                kept.push((unit, publish.into_iter().flatten().collect()));
            }
        }
        kept
    }

    /// The messages of the kept units, each with the members it carries.
    fn render(&self, kept: &[(Unit, Vec<(Key, bool)>)]) -> (Vec<SnsMessage>, Vec<Vec<Carried>>) {
        let (mut messages, mut carried) = (Vec::new(), Vec::new());
        for (unit, keys) in kept {
            for (message, members) in unit.render(self.version, self.outlet.output) {
                messages.push(message);
                carried.push(
                    members
                        .map(|i| {
                            let (key, claimed) = keys[i].clone();
                            (unit.notices()[i].clone(), key, claimed)
                        })
                        .collect(),
                );
            }
        }
        (messages, carried)
    }

    /// Publishes `messages` in batches; completes the claims of the members SNS
    /// accepted and releases the others' (so a retry need not wait a lease).
    async fn publish<T: ClaimStore>(
        &self,
        topic: &TopicArn,
        messages: &[SnsMessage],
        carried: &[Vec<Carried>],
        claims: &mut Claims<'_, T>,
        tally: &mut Tally,
        outcome: &mut Outcome,
    ) {
        let claimed = |list: &[usize]| -> Vec<Key> {
            list.iter()
                .flat_map(|&i| &carried[i])
                .filter(|c| c.2)
                .map(|c| c.1.clone())
                .collect()
        };
        let members = |list: &[usize]| list.iter().map(|&i| carried[i].len()).sum::<usize>();
        for range in batches(messages) {
            let todo: Vec<usize> = range.collect();
            if !self.deadline.allows(deadline::BATCH) {
                outcome.late += members(&todo);
                claims.release(&claimed(&todo), tally).await;
                continue;
            }
            let sink = self.outlet.sink;
            let (done, errors) = publish_rounds(sink, topic, messages, &todo, self.deadline).await;
            for &i in &done {
                for (notice, _, _) in &carried[i] {
                    self.record_sent(notice, topic, tally);
                }
            }
            let failed: Vec<usize> = errors.iter().map(|e| e.0).collect();
            tally.topic_messages(topic.name(), done.len(), failed.len());
            claims.complete(&claimed(&done), tally).await;
            claims.release(&claimed(&failed), tally).await;
            outcome.failed += members(&failed);
            if let Some((_, e)) = errors.into_iter().last() {
                outcome.last_error = Some(e);
            }
        }
    }
}
