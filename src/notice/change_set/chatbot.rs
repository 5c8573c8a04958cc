//! A change set (or one part of it) as an AWS Chatbot custom notification: the
//! set's header, then one line per alert (its own subject line, time and rule),
//! every event value as inline code, within [`CHATBOT_DESCRIPTION_MAX`].

use serde_json::{json, Value};

use super::super::chatbot as alert_chatbot;
use super::super::slack::{inline, severity_icon, tagged_inline, token};
use super::render::{member_subject, noun, range, severities, span, subject, Member, View};
use super::{ChangeSet, Header, Notice};

/// The longest Chatbot `description` a part sends, in bytes. Chatbot documents no
/// limit of its own; Slack refuses a section block's text over 3,000 characters
/// and truncates a message's text past 4,000, so a part stays within the smaller.
pub const CHATBOT_DESCRIPTION_MAX: usize = 3000;

/// How much of a user agent a Chatbot header shows.
const USER_AGENT_SHOWN: usize = 160;

impl ChangeSet {
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
            machine: crate::notice::machine,
        })
    }
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
