//! The SNS messages of a change set: the same `MessageStructure=json` shape as an
//! alert's own message (`default`, `email`, `https` for Chatbot, `sqs`, `lambda`),
//! split into numbered parts (`part 1/3`) so that each fits SNS's 256 KiB with
//! room for the subject and attributes, and Chatbot's description limit. No alert
//! is ever dropped: an alert too big alone has its request parameters shortened,
//! as its own message would.

use std::ops::Range;

use serde_json::json;

use super::super::sns::{shorten, BODY_BUDGET, PARAM_LIMITS};
use super::super::{machine as native, sns_message_with, MachineForm, SnsMessage};
use super::chatbot::{chatbot, description_head, description_line, CHATBOT_DESCRIPTION_MAX};
use super::render::{machine, subject, text, Member, View};
use super::{ChangeSet, Header, Notice};
use crate::claim::{claim_key, Key};
use crate::Severity;

/// What packing keeps free below [`BODY_BUDGET`] for what a part's header adds
/// (its numbers), so that the estimate never lands a part over it.
const PACKING_MARGIN: usize = 2048;
/// What a part adds to a Chatbot description's header (`*Part*: k of n ...`).
const PART_LINE: usize = 64;

/// One SNS message of a change set and the alerts it carries.
#[derive(Debug, Clone)]
pub struct ChangeSetPart {
    /// 1-based.
    pub index: usize,
    /// How many parts the set was split into.
    pub of: usize,
    /// The message. Its subject carries the set's highest severity (and ` (part
    /// k/n)` when split); its `severity` (the message attribute subscribers
    /// filter on) is the highest of this part's alerts.
    pub message: SnsMessage,
    /// The positions of this part's alerts in the set.
    pub members: Range<usize>,
    /// Their claim keys, in the same order: claim each before publishing the
    /// part, complete them all once SNS accepted it.
    pub claim_keys: Vec<Key>,
}

/// The SNS messages of `set`, in order, with the claim keys of their alerts
/// (`version`: the object's version id or ETag, as for [`claim_key`]). A set of
/// one is one part holding exactly that alert's own message.
pub fn sns_parts(set: &ChangeSet, version: Option<&str>) -> Vec<ChangeSetPart> {
    sns_parts_with(set, version, native)
}

/// [`sns_parts`] with `form` giving each member's machine JSON (the OCSF form
/// with `OUTPUT_FORMAT=ocsf`); a set of one is that alert's own message in it.
pub fn sns_parts_with(
    set: &ChangeSet,
    version: Option<&str>,
    form: MachineForm,
) -> Vec<ChangeSetPart> {
    let key = |i: usize| claim_key(&set.members[i], version);
    if let [one] = set.members.as_slice() {
        return vec![ChangeSetPart {
            index: 1,
            of: 1,
            message: sns_message_with(one, form),
            members: 0..1,
            claim_keys: vec![key(0)],
        }];
    }
    let header = set.header();
    let n = set.count();
    let fitted: Vec<Fitted> = set
        .members
        .iter()
        .enumerate()
        .map(|(i, notice)| fit_alone(&header, i + 1, notice, n, form))
        .collect();
    let member = |i: usize| Member {
        number: i + 1,
        notice: &fitted[i].notice,
        truncated: fitted[i].truncated,
    };
    let view = |r: Range<usize>, part: Option<(usize, usize)>| View {
        header: &header,
        members: r.map(member).collect(),
        part,
        machine: form,
    };
    let mut ranges = pack(&fitted, &header, n, form);
    let messages = loop {
        let of = ranges.len();
        let rendered: Vec<SnsMessage> = ranges
            .iter()
            .enumerate()
            .map(|(k, r)| message(&view(r.clone(), (of > 1).then_some((k + 1, of)))))
            .collect();
        let too_big = ranges.iter().zip(&rendered).position(|(r, m)| {
            r.len() > 1
                && (m.body.len() > BODY_BUDGET
                    || description(&view(r.clone(), Some((of, of)))) > CHATBOT_DESCRIPTION_MAX)
        });
        let Some(at) = too_big else { break rendered };
        let r = ranges.remove(at);
        let mid = r.start + r.len() / 2;
        ranges.insert(at, mid..r.end);
        ranges.insert(at, r.start..mid);
    };
    let of = ranges.len();
    ranges
        .into_iter()
        .zip(messages)
        .enumerate()
        .map(|(k, (r, message))| ChangeSetPart {
            index: k + 1,
            of,
            claim_keys: r.clone().map(key).collect(),
            members: r,
            message: backstop(message),
        })
        .collect()
}

/// The SNS body of `view`: one rendering per protocol.
fn body(view: &View) -> String {
    let plain = text(view);
    let machine = machine(view).to_string();
    json!({
        "default": plain,
        "email": plain,
        "https": chatbot(view).to_string(),
        "sqs": machine,
        "lambda": machine,
    })
    .to_string()
}

fn message(view: &View) -> SnsMessage {
    let severity = view
        .members
        .iter()
        .filter_map(|m| match m.notice {
            Notice::Alert(a) => Some(a.severity),
            _ => None,
        })
        .max()
        .unwrap_or(Severity::Info);
    SnsMessage {
        subject: subject(view),
        body: body(view),
        severity,
        truncated: view.members.iter().any(|m| m.truncated),
    }
}

fn description(view: &View) -> usize {
    description_head(view).len()
        + view
            .members
            .iter()
            .map(|m| description_line(view.header, m).len())
            .sum::<usize>()
}

/// A member as it will be sent, and the size of a part holding it alone.
struct Fitted {
    notice: Notice,
    truncated: bool,
    /// The body of a part of this member alone: what packing estimates from, kept
    /// so that each member is rendered alone once, not twice.
    alone: usize,
}

/// `notice` as member `number` of `n`, its request parameters shortened (as its
/// own message would) until a part holding it alone fits; the last try if none
/// does (the backstop then applies).
fn fit_alone(
    header: &Header,
    number: usize,
    notice: &Notice,
    n: usize,
    form: MachineForm,
) -> Fitted {
    let mut last = None;
    for limit in PARAM_LIMITS {
        let (candidate, truncated) = shorten(notice, limit);
        let alone = body(&View {
            header,
            members: vec![Member {
                number,
                notice: &candidate,
                truncated,
            }],
            part: Some((n, n)),
            machine: form,
        })
        .len();
        let fitted = Fitted {
            notice: candidate,
            truncated,
            alone,
        };
        if alone <= BODY_BUDGET {
            return fitted;
        }
        last = Some(fitted);
    }
    last.expect("PARAM_LIMITS is not empty")
}

/// Consecutive ranges of members whose estimated part sizes fit: a member's cost
/// is what it adds to an empty part (rendering is additive per member: list
/// lines, text blocks, array elements, description lines).
fn pack(fitted: &[Fitted], header: &Header, n: usize, form: MachineForm) -> Vec<Range<usize>> {
    let empty = View {
        header,
        members: Vec::new(),
        part: Some((n, n)),
        machine: form,
    };
    let base = body(&empty).len();
    let described = description_head(&empty).len() + PART_LINE;
    let mut ranges = Vec::new();
    let (mut start, mut size, mut desc) = (0, base, described);
    for (i, fit) in fitted.iter().enumerate() {
        let member = Member {
            number: i + 1,
            notice: &fit.notice,
            truncated: fit.truncated,
        };
        let cost = fit.alone.saturating_sub(base);
        let line = description_line(header, &member).len();
        let full =
            size + cost > BODY_BUDGET - PACKING_MARGIN || desc + line > CHATBOT_DESCRIPTION_MAX;
        if i > start && full {
            ranges.push(start..i);
            (start, size, desc) = (i, base, described);
        }
        size += cost;
        desc += line;
    }
    ranges.push(start..fitted.len());
    ranges
}

/// A message still over the budget (one alert whose every other field is huge,
/// which CloudTrail's own limits rule out) is replaced by a note, as an alert's
/// own message would be; its alert is still named, by its subject line.
fn backstop(message: SnsMessage) -> SnsMessage {
    if message.body.len() <= BODY_BUDGET {
        return message;
    }
    let note = format!(
        "{}\n\nThe full change did not fit in an SNS message; scan the source file to see it.",
        message.subject
    );
    SnsMessage {
        body: json!({ "default": note }).to_string(),
        truncated: true,
        ..message
    }
}
