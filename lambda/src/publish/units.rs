//! What one topic receives of a file's notices, as units to claim and send: the
//! alerts grouped into change sets (one actor's burst of changes is one message,
//! split into numbered parts only to fit), and each other notice (a digest, an
//! unreadable file) alone.

use std::ops::Range;

use cognito_trail_alerts::claim::{claim_key, Key};
use cognito_trail_alerts::notice::change_set::{change_sets, sns_parts_with, ChangeSet, Window};
use cognito_trail_alerts::notice::{Notice, SnsMessage};

use super::OutputFormat;

/// One change set, or one notice that is not an alert.
pub(super) enum Unit {
    Set(ChangeSet),
    Single(Notice),
}

/// `notices` (those one topic receives) as units: the change sets of their alerts
/// within `window`, then the other notices, each alone.
pub(super) fn units(notices: Vec<Notice>, window: Window) -> Vec<Unit> {
    let (mut alerts, mut others) = (Vec::new(), Vec::new());
    for n in notices {
        match n {
            Notice::Alert(a) => alerts.push(*a),
            other => others.push(Unit::Single(other)),
        }
    }
    let mut out: Vec<Unit> = change_sets(alerts, window)
        .into_iter()
        .map(Unit::Set)
        .collect();
    out.append(&mut others);
    out
}

/// Consecutive units holding about `members` notices together (a unit is never
/// split): what one round of claims covers, so that a claim's lease is spent on
/// publishing its own notices.
pub(super) fn chunks(units: Vec<Unit>, members: usize) -> Vec<Vec<Unit>> {
    let mut out: Vec<Vec<Unit>> = Vec::new();
    let mut size = 0;
    for unit in units {
        let n = unit.notices().len();
        match out.last_mut() {
            Some(last) if size + n <= members => last.push(unit),
            _ => {
                out.push(vec![unit]);
                size = 0;
            }
        }
        size += n;
    }
    out
}

impl Unit {
    /// The notices it carries, in order.
    pub(super) fn notices(&self) -> &[Notice] {
        match self {
            Unit::Set(set) => set.notices(),
            Unit::Single(n) => std::slice::from_ref(n),
        }
    }

    /// Each member's claim key on the default topic (`version`: the object's).
    pub(super) fn claim_keys(&self, version: Option<&str>) -> Vec<Key> {
        self.notices()
            .iter()
            .map(|n| claim_key(n, version))
            .collect()
    }

    /// The unit without the members `keep` refuses (by position), if any is left.
    pub(super) fn retain(self, mut keep: impl FnMut(usize) -> bool) -> Option<Unit> {
        match self {
            Unit::Set(set) => set.retain(|i, _| keep(i)).map(Unit::Set),
            Unit::Single(n) => keep(0).then_some(Unit::Single(n)),
        }
    }

    /// Its SNS messages in `output`'s form, each with the members it carries.
    pub(super) fn render(
        &self,
        version: Option<&str>,
        output: OutputFormat,
    ) -> Vec<(SnsMessage, Range<usize>)> {
        match self {
            Unit::Set(set) => sns_parts_with(set, version, output.form())
                .into_iter()
                .map(|part| (part.message, part.members))
                .collect(),
            Unit::Single(n) => vec![(output.render(n), 0..1)],
        }
    }
}
