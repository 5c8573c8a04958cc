//! A change set (or one part of it) as a subject, an email, a Chatbot custom
//! notification and machine JSON. Each member is rendered by the renderers of its
//! own alert notice (`subject`, `text`, `chatbot`'s subject line, `Notice::json`):
//! the set adds a header and lists them.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::super::render::{clip, MAX_SUBJECT_CHARS};
use super::super::slack::{inline, severity_icon, tagged_inline, token};
use super::super::sns::{machine as alert_machine, TRUNCATED_NOTE};
use super::super::{chatbot as alert_chatbot, subject as alert_subject, text as alert_text};
use super::{ChangeSet, Header, Notice};
use crate::alert::clean_text;

/// The longest Chatbot `description` a part sends, in bytes. Chatbot documents no
/// limit of its own; Slack refuses a section block's text over 3,000 characters
/// and truncates a message's text past 4,000, so a part stays within the smaller.
pub const CHATBOT_DESCRIPTION_MAX: usize = 3000;

/// How much of a user agent a Chatbot header shows.
const USER_AGENT_SHOWN: usize = 160;

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
}

impl ChangeSet {
    /// Every member, as a message of the whole set shows them.
    fn whole(&self) -> Vec<Member<'_>> {
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
        })
    }

    /// The Chatbot custom notification of the whole set, unsplit (see
    /// [`super::sns_parts`] for parts that respect Chatbot's limits). A set of
    /// one: that alert's own notification.
    pub fn chatbot(&self) -> Value {
        if let [one] = self.members.as_slice() {
            return alert_chatbot(one);
        }
        let header = self.header();
        chatbot(&View {
            members: self.whole(),
            header: &header,
            part: None,
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
        })
    }
}

fn noun(count: usize) -> &'static str {
    if count == 1 {
        "change"
    } else {
        "changes"
    }
}

fn place(h: &Header) -> String {
    match (h.account_id.as_deref(), h.regions.as_slice()) {
        (Some(a), [r]) => format!(" in {a}/{r}"),
        (Some(a), _) => format!(" in {a}"),
        (None, [r]) => format!(" in {r}"),
        (None, _) => String::new(),
    }
}

fn span(secs: Option<i64>) -> String {
    match secs {
        Some(s) if s < 120 => format!("{s} s"),
        Some(s) => format!("{} min {} s", s / 60, s % 60),
        None => "an unknown time".to_string(),
    }
}

fn severities(h: &Header) -> String {
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
fn member_subject(h: &Header, notice: &Notice) -> String {
    let line = alert_subject(notice);
    let place = place(h);
    match line.strip_suffix(&place) {
        Some(short) if h.regions.len() == 1 && !place.is_empty() => short.to_string(),
        _ => line,
    }
}

fn range(view: &View) -> Option<(usize, usize)> {
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
            "account {} region {}",
            or_dash(&h.account_id),
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

/// The header lines of a Chatbot description (everything before the members).
pub(super) fn description_head(view: &View) -> String {
    let h = view.header;
    let opt = |s: &Option<String>| s.as_deref().map_or_else(|| "-".to_string(), inline);
    let mut d = format!(
        "*{} Cognito {}* by one actor within {}\n",
        h.count,
        noun(h.count),
        span(h.span_secs)
    );
    d += &format!("*Who*: {} {}", opt(&h.who.identity_type), opt(&h.who.arn));
    if let Some(role) = &h.who.role {
        d += &format!(" (role {})", inline(role));
    }
    let agent: Option<String> = h
        .user_agent
        .as_ref()
        .map(|ua| ua.chars().take(USER_AGENT_SHOWN).collect());
    d += &format!("\n*Tool*: {} {}\n", h.tool_name, opt(&agent));
    let regions: Vec<String> = h.regions.iter().map(|r| inline(r)).collect();
    d += &format!(
        "*Where*: account {} region {}\n",
        opt(&h.account_id),
        regions.join(", ")
    );
    d += &format!(
        "*When*: {} to {}\n",
        opt(&h.first_event_time),
        opt(&h.last_event_time)
    );
    d += &format!("*Severity*: {}\n", severities(h));
    if let (Some((k, n)), Some((a, b))) = (view.part, range(view)) {
        d += &format!("*Part*: {k} of {n} (changes {a} to {b})\n");
    }
    d + "*Changes*:\n"
}

/// One member's line in a Chatbot description: its subject, time and rule.
pub(super) fn description_line(h: &Header, m: &Member) -> String {
    let Notice::Alert(a) = m.notice else {
        return String::new();
    };
    let time = a
        .event_time
        .as_deref()
        .map_or_else(|| "-".to_string(), inline);
    format!(
        "{}. {} at {} (rule `{}`)\n",
        m.number,
        tagged_inline(&member_subject(h, m.notice)),
        time,
        token(&a.rule_id)
    )
}

/// The Chatbot custom notification of `view`.
pub(super) fn chatbot(view: &View) -> Value {
    let h = view.header;
    let mut description = description_head(view);
    for m in &view.members {
        description += &description_line(h, m);
    }
    let subject = subject(view);
    let id = h.id.as_deref().unwrap_or("unknown");
    let part = view
        .part
        .map(|(k, n)| format!("{k}/{n}"))
        .unwrap_or_else(|| "1/1".into());
    let mut keywords = vec![
        "Cognito".to_string(),
        h.severity.as_str().to_string(),
        "change-set".to_string(),
        h.tool.id().to_string(),
    ];
    keywords.extend(h.account_id.iter().chain(&h.regions).map(|s| token(s)));
    keywords.retain(|k| !k.is_empty());
    let confirm = format!(
        "Confirm the changes with {} or revert them.",
        h.who
            .arn
            .as_deref()
            .map_or_else(|| inline(&h.who.short), inline)
    );
    json!({
        "version": "1.0",
        "source": "custom",
        "id": token(&match view.part {
            Some((k, _)) => format!("{id}-part-{k}"),
            None => id.to_string(),
        }),
        "content": {
            "textType": "client-markdown",
            "title": format!("{} {}", severity_icon(h.severity), tagged_inline(&subject)),
            "description": description,
            "nextSteps": [confirm, "Each change in full: the email, or the `alerts` of the JSON message."],
            "keywords": keywords,
        },
        "metadata": {
            "threadId": token(&format!("change-set/{id}")),
            "summary": subject,
            "eventType": "cognito-trail-alerts.change-set",
            "additionalContext": {
                "change_set_id": id,
                "count": h.count.to_string(),
                "part": part,
                "tool": h.tool.id(),
            },
        }
    })
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
        .map(|m| alert_machine(m.notice, m.truncated))
        .collect();
    map.insert("alerts".into(), Value::Array(alerts));
    Value::Object(map)
}
