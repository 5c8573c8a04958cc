//! The AWS Chatbot custom notification (Slack through Amazon Q Developer in chat
//! applications). `title` and `description` render markdown, so every value taken
//! from an event is shown as inline code: it can neither ping a channel
//! (`<!channel>`, `@here`) nor change the formatting.

use serde_json::{json, Value};

use super::{subject, Notice};
use crate::Alert;

/// Longest description sent; Slack truncates long messages on its own terms.
const MAX_DESCRIPTION: usize = 3500;
const MAX_PARAMS_SHOWN: usize = 1200;

/// Event-supplied text as an inline code span: `&`, `<`, `>` as entities (Slack's
/// control syntax), backticks replaced so the span cannot be closed early, control
/// characters and line breaks dropped, `@` followed by a zero-width space.
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('`');
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push('\u{2035}'),
            '@' => out.push_str("@\u{200b}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    if out.len() == 1 {
        out.push(' ');
    }
    out.push('`');
    out
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "-".to_string(), inline)
}

/// Keeps only characters safe in a keyword or thread id.
pub(super) fn token(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'))
        .take(100)
        .collect()
}

/// The Chatbot custom notification for `notice`, as JSON.
pub fn chatbot(notice: &Notice) -> Value {
    let title = format!("{} {}", icon(notice), inline_subject(notice));
    let (description, next_steps, keywords, thread, event_type) = match notice {
        Notice::Alert(a) => alert_parts(a),
        Notice::Digest(d) => (
            format!("{} alerts sent, *{} more held back* from {}", d.sent, d.held_back, inline(&d.source.to_string())),
            vec!["Scan the file with `cognito-trail-alerts scan` to see every alert.".to_string()],
            vec!["Cognito".to_string(), "digest".to_string()],
            "digest".to_string(),
            "cognito-trail-alerts.digest".to_string(),
        ),
        Notice::Unreadable(u) => (
            format!("*Unreadable CloudTrail file* {}\n*Reason*: {}", inline(&u.source.to_string()), inline(&u.reason)),
            vec!["Check the object exists, s3:GetObject and kms:Decrypt permissions, and whether it was overwritten.".to_string()],
            vec!["Cognito".to_string(), "unreadable-file".to_string()],
            "unreadable".to_string(),
            "cognito-trail-alerts.unreadable-file".to_string(),
        ),
    };
    json!({
        "version": "1.0",
        "source": "custom",
        "id": event_id(notice),
        "content": {
            "textType": "client-markdown",
            "title": title,
            "description": cap(description),
            "nextSteps": next_steps,
            "keywords": keywords,
        },
        "metadata": {
            "threadId": thread,
            "summary": subject(notice),
            "eventType": event_type,
            "additionalContext": notice_context(notice),
        }
    })
}

fn icon(notice: &Notice) -> &'static str {
    severity_icon(notice.severity())
}

/// The emoji a title starts with, by severity.
pub(super) fn severity_icon(severity: crate::Severity) -> &'static str {
    use crate::Severity::*;
    match severity {
        Critical => ":rotating_light:",
        High => ":warning:",
        Medium => ":large_orange_diamond:",
        Low | Info => ":information_source:",
    }
}

/// The subject with its event-supplied part (after the severity tag) as inline code.
fn inline_subject(notice: &Notice) -> String {
    tagged_inline(&subject(notice))
}

/// A subject `[TAG] rest` as `*[TAG]* `rest``: the tag bold, the rest (which
/// carries event text) as inline code.
pub(super) fn tagged_inline(s: &str) -> String {
    match s.split_once("] ") {
        Some((tag, rest)) => format!("*{tag}]* {}", inline(rest)),
        None => inline(s),
    }
}

type Parts = (String, Vec<String>, Vec<String>, String, String);

fn alert_parts(a: &Alert) -> Parts {
    let mut d = format!(
        "*{}* (rule `{}`)\n",
        a.rule_title.replace('*', ""),
        token(&a.rule_id)
    );
    d += &format!(
        "*What*: {} on {}\n",
        opt(&a.event_name),
        opt(&a.event_source)
    );
    d += &format!(
        "*Who*: {} {}\n",
        opt(&a.actor.identity_type),
        opt(&a.actor.arn)
    );
    let named = match &a.account_name {
        Some(name) => format!(" ({})", inline(name)),
        None => String::new(),
    };
    d += &format!(
        "*Where*: account {}{named} region {} from {}\n",
        opt(&a.account_id),
        opt(&a.region),
        opt(&a.source_ip)
    );
    d += &format!("*When*: {}\n", opt(&a.event_time));
    if let Some(chain) = &a.chain {
        d += &format!(
            "*Chain*: {} of {} within {}; members:\n",
            chain.kind, chain.count, chain.window
        );
        for m in &chain.members {
            let did = m.did.as_deref().map_or_else(|| "-".into(), inline);
            d += &format!("• {} {} {}\n", inline(&m.event_time), inline(&m.step), did);
        }
    }
    if let Some(line) = user_line(a) {
        d += &line;
    }
    if let Some(resource) = a.resource.describe() {
        d += &format!("*Resource*: {}\n", inline(&resource));
    }
    d += &match &a.outcome.error_code {
        Some(code) => format!(
            "*Outcome*: FAILED {} {}\n",
            inline(code),
            opt(&a.outcome.error_message)
        ),
        None => "*Outcome*: success\n".to_string(),
    };
    for risk in &a.risks {
        d += &format!("• {}\n", inline(risk));
    }
    if !a.changes.is_empty() {
        d += "*Changes*:\n";
    }
    for change in &a.changes {
        d += &format!("• {}\n", inline(&change.describe()));
    }
    let checks = a.checks.lines();
    if !checks.is_empty() {
        d += "*Checks*:\n";
    }
    for line in checks {
        d += &format!("• {}\n", inline(&line));
    }
    if let Some(params) = &a.request_parameters {
        let text: String = params.to_string().chars().take(MAX_PARAMS_SHOWN).collect();
        d += &format!("*Request*: {}\n", inline(&text));
    }
    let mut steps = vec![format!(
        "Confirm the change with {} or revert it.",
        opt(&a.actor.arn)
    )];
    if let Some(lookup) = a.actor.user_lookup.as_ref().filter(|l| l.needs_hint()) {
        steps.push(format!("Find the user: {}", inline(&lookup.hint)));
    }
    if let Some(url) = &a.runbook {
        steps.push(format!("Runbook: {url}"));
    }
    let keywords = ["Cognito", a.severity.as_str()]
        .iter()
        .map(|s| s.to_string())
        .chain(
            [&a.event_name, &a.account_id, &a.region]
                .into_iter()
                .flatten()
                .map(|s| token(s)),
        )
        .filter(|k| !k.is_empty())
        .collect();
    let resource = a
        .resource
        .user_pool_id
        .as_ref()
        .or(a.resource.identity_pool_id.as_ref());
    let thread = token(&format!(
        "{}/{}",
        a.rule_id,
        resource.map_or("", String::as_str)
    ));
    (d, steps, keywords, thread, token(&a.rule_id))
}

/// `*User*: ` line: the sub and what a lookup found, each value as inline code
/// (the user name is attacker-influenced, like every event value).
fn user_line(a: &Alert) -> Option<String> {
    let sub = a.actor.user_sub.as_ref()?;
    let lookup = a.actor.user_lookup.as_ref();
    let found = match lookup.and_then(|l| l.user.as_ref().filter(|_| !l.needs_hint())) {
        Some(u) => {
            let mut facts: Vec<String> = u.status.iter().map(|s| inline(s)).collect();
            match u.enabled {
                Some(true) => facts.push("enabled".into()),
                Some(false) => facts.push("*DISABLED*".into()),
                None => {}
            }
            facts.extend(u.created.iter().map(|c| format!("created {}", inline(c))));
            facts.extend(
                u.attributes
                    .iter()
                    .map(|(k, v)| format!("{} {}", inline(k), inline(v))),
            );
            format!(" is {} ({})", inline(&u.username), facts.join(", "))
        }
        None => lookup
            .and_then(|l| l.summary())
            .map(|s| format!(": {}", inline(&s)))
            .unwrap_or_default(),
    };
    Some(format!("*User*: sub {}{found}\n", inline(sub)))
}

fn event_id(notice: &Notice) -> String {
    match notice {
        Notice::Alert(a) => token(a.event_id.as_deref().unwrap_or("unknown")),
        Notice::Digest(_) => "digest".into(),
        Notice::Unreadable(_) => "unreadable".into(),
    }
}

fn notice_context(notice: &Notice) -> Value {
    match notice {
        Notice::Alert(a) => {
            let mut context = json!({"rule_id": a.rule_id, "event_id": a.event_id, "account_id": a.account_id, "region": a.region});
            if let Some(name) = &a.account_name {
                context["account_name"] = json!(name);
            }
            context
        }
        Notice::Digest(d) => json!({"held_back": d.held_back, "source": d.source.to_string()}),
        Notice::Unreadable(u) => json!({"source": u.source.to_string()}),
    }
}

fn cap(description: String) -> String {
    if description.len() <= MAX_DESCRIPTION {
        return description;
    }
    let mut end = MAX_DESCRIPTION;
    while !description.is_char_boundary(end) {
        end -= 1;
    }
    // Never cut inside an inline code span: close it if an odd number of backticks remain.
    let mut cut = description[..end].to_string();
    if cut.matches('`').count() % 2 == 1 {
        cut.push('`');
    }
    cut + "\n_(truncated)_"
}
