//! A change set (or one part of it) as a subject, an email and machine JSON (its
//! Chatbot notification is in `chatbot.rs`). Each member is rendered by the renderers of its
//! own alert notice (`subject`, `text`, `chatbot`'s subject line, `Notice::json`):
//! the set adds a header and lists them.

use std::fmt::Write;

use serde_json::{Map, Value};

use super::super::render::{clip, MAX_SUBJECT_CHARS};
use super::super::sns::{machine as alert_machine, MachineForm, TRUNCATED_NOTE};
use super::super::{subject as alert_subject, text as alert_text};
use super::{ChangeSet, Header, Notice};
use crate::alert::clean_text;

/// One member as a part shows it: its number in the whole set (1-based), its
/// notice, and whether its request parameters were shortened to fit.
#[derive(Clone, Copy)]
pub(super) struct Member<'a> {
    pub number: usize,
    pub notice: &'a Notice,
    pub truncated: bool,
}

/// What one message shows: the set's header, some members, and which part it is
/// (`None` when the set is sent whole).
pub(super) struct View<'a> {
    pub header: &'a Header,
    pub members: Vec<Member<'a>>,
    pub part: Option<(usize, usize)>,
    /// Each member's machine JSON (the native or the OCSF form).
    pub machine: MachineForm,
}

impl ChangeSet {
    /// Every member, as a message of the whole set shows them.
    pub(super) fn whole(&self) -> Vec<Member<'_>> {
        self.members
            .iter()
            .enumerate()
            .map(|(i, notice)| Member {
                number: i + 1,
                notice,
                truncated: false,
            })
            .collect()
    }

    /// The subject, e.g. `[HIGH] 12 Cognito changes by role/deployer via Terraform
    /// in 111122223333/eu-west-1`: the highest severity first, printable ASCII,
    /// under 100 characters. A set of one: that alert's own subject.
    pub fn subject(&self) -> String {
        if let [one] = self.members.as_slice() {
            return alert_subject(one);
        }
        let header = self.header();
        subject(&View {
            members: self.whole(),
            header: &header,
            part: None,
            machine: alert_machine,
        })
    }

    /// The email: the header, each alert's subject line, then each alert's text.
    /// A set of one: that alert's own text.
    pub fn text(&self) -> String {
        if let [one] = self.members.as_slice() {
            return alert_text(one);
        }
        let header = self.header();
        text(&View {
            members: self.whole(),
            header: &header,
            part: None,
            machine: alert_machine,
        })
    }

    /// Machine JSON: the header (`kind`: `change_set`) and `alerts`, each alert as
    /// its own message's JSON carries it. A set of one: that alert's own JSON.
    pub fn json(&self) -> Value {
        if let [one] = self.members.as_slice() {
            return alert_machine(one, false);
        }
        let header = self.header();
        machine(&View {
            members: self.whole(),
            header: &header,
            part: None,
            machine: alert_machine,
        })
    }
}

pub(super) fn noun(count: usize) -> &'static str {
    if count == 1 {
        "change"
    } else {
        "changes"
    }
}

pub(super) fn place(h: &Header) -> String {
    match (h.account_id.as_deref(), h.regions.as_slice()) {
        (Some(a), [r]) => format!(" in {a}/{r}"),
        (Some(a), _) => format!(" in {a}"),
        (None, [r]) => format!(" in {r}"),
        (None, _) => String::new(),
    }
}

pub(super) fn span(secs: Option<i64>) -> String {
    match secs {
        Some(s) if s < 120 => format!("{s} s"),
        Some(s) => format!("{} min {} s", s / 60, s % 60),
        None => "an unknown time".to_string(),
    }
}

pub(super) fn severities(h: &Header) -> String {
    let counts: Vec<String> = h
        .by_severity
        .iter()
        .rev()
        .map(|(s, n)| format!("{} {n}", s.label()))
        .collect();
    counts.join(", ")
}

/// A member's own subject line, without the place when the header already says it
/// (`[HIGH] UpdateUserPool on shop`).
pub(super) fn member_subject(h: &Header, notice: &Notice) -> String {
    let line = alert_subject(notice);
    let place = place(h);
    match line.strip_suffix(&place) {
        Some(short) if h.regions.len() == 1 && !place.is_empty() => short.to_string(),
        _ => line,
    }
}

pub(super) fn range(view: &View) -> Option<(usize, usize)> {
    let first = view.members.first()?.number;
    Some((first, view.members.last()?.number))
}

/// The subject of `view`, ` (part k/n)` kept whole at the end.
pub(super) fn subject(view: &View) -> String {
    let h = view.header;
    let suffix = view
        .part
        .map(|(k, n)| format!(" (part {k}/{n})"))
        .unwrap_or_default();
    let via = if h.tool.is_known() {
        format!(" via {}", h.tool.name())
    } else {
        String::new()
    };
    let raw = format!(
        "[{}] {} Cognito {} by {}{via}{}",
        h.severity.label(),
        h.count,
        noun(h.count),
        h.who.short,
        place(h)
    );
    clip(&raw, MAX_SUBJECT_CHARS - suffix.len()) + &suffix
}

/// The plain-text body (default and email).
pub(super) fn text(view: &View) -> String {
    let h = view.header;
    let mut out = format!(
        "{} Cognito {} by one actor within {}; the highest severity is {}.\n",
        h.count,
        noun(h.count),
        span(h.span_secs),
        h.severity.label()
    );
    if let (Some((k, n)), Some((a, b))) = (view.part, range(view)) {
        let _ = writeln!(
            out,
            "This is part {k} of {n}: changes {a} to {b} of {}.",
            h.count
        );
    }
    out.push('\n');
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label:<10} {value}");
    };
    let or_dash = |s: &Option<String>| s.as_deref().map_or_else(|| "-".to_string(), clean_text);
    let mut who = format!("{} {}", or_dash(&h.who.identity_type), or_dash(&h.who.arn));
    if let Some(role) = &h.who.role {
        let _ = write!(who, " (role {})", clean_text(role));
    }
    line("who", who);
    line(
        "tool",
        format!("{} (user agent {})", h.tool_name, or_dash(&h.user_agent)),
    );
    line(
        "where",
        format!(
            "account {}{} region {}",
            or_dash(&h.account_id),
            h.account_name
                .as_deref()
                .map(|n| format!(" ({})", clean_text(n)))
                .unwrap_or_default(),
            h.regions.join(", ")
        ),
    );
    line(
        "when",
        format!(
            "{} to {}",
            or_dash(&h.first_event_time),
            or_dash(&h.last_event_time)
        ),
    );
    line("severity", severities(h));
    if h.failed > 0 {
        line(
            "failed",
            format!("{} of them (attempts, not changes)", h.failed),
        );
    }
    out.push_str("\nChanges:\n");
    for m in &view.members {
        let _ = writeln!(out, "{:>4}. {}", m.number, member_subject(h, m.notice));
    }
    for m in &view.members {
        let _ = write!(
            out,
            "\n--- change {} of {} ---\n{}",
            m.number,
            h.count,
            alert_text(m.notice)
        );
        if m.truncated {
            out.push_str(TRUNCATED_NOTE);
        }
    }
    out
}

/// The machine JSON of `view`: the header, `part` and `parts`, and `alerts`.
pub(super) fn machine(view: &View) -> Value {
    let mut map = match serde_json::to_value(view.header) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let (k, n) = view.part.unwrap_or((1, 1));
    map.insert("part".into(), k.into());
    map.insert("parts".into(), n.into());
    let alerts: Vec<Value> = view
        .members
        .iter()
        .map(|m| (view.machine)(m.notice, m.truncated))
        .collect();
    map.insert("alerts".into(), Value::Array(alerts));
    Value::Object(map)
}
