//! Plain-text rendering of an alert: one readable block.

use std::fmt::Write;

use super::Alert;

/// Text from the event is attacker-controlled (a pool can be named anything):
/// control characters, terminal escape sequences included, are shown escaped.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn or_dash(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "-".to_string(), clean)
}

/// Renders `alert` as a multi-line block ending with a newline.
pub fn render_text(alert: &Alert) -> String {
    let mut out = String::new();
    let status = if alert.failed() {
        " (FAILED attempt)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "[{}] {}{status}  rule {}",
        alert.severity.label(),
        clean(&alert.rule_title),
        alert.rule_id
    );
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<10} {value}");
    };
    line(
        "event",
        format!(
            "{} ({}) at {}",
            or_dash(&alert.event_name),
            or_dash(&alert.event_source),
            or_dash(&alert.event_time)
        ),
    );
    let named = match &alert.account_name {
        Some(name) => format!(" ({})", clean(name)),
        None => String::new(),
    };
    line(
        "where",
        format!(
            "account {}{named} region {}",
            or_dash(&alert.account_id),
            or_dash(&alert.region)
        ),
    );
    line("who", actor_line(alert));
    if let Some(chain) = &alert.chain {
        let group: Vec<String> = chain
            .group
            .iter()
            .map(|(k, v)| format!("{k} {}", clean(v)))
            .collect();
        line(
            "chain",
            format!(
                "{} of {} within {} ({}); the event above completed it",
                chain.kind,
                chain.count,
                chain.window,
                group.join(", ")
            ),
        );
        for m in &chain.members {
            let did = m.did.as_deref().map_or_else(|| "-".into(), clean);
            line(
                "",
                format!(
                    "- {} [{}] {} ({})",
                    m.event_time,
                    clean(&m.step),
                    did,
                    m.event_id
                ),
            );
        }
    }
    if let Some(lookup) = &alert.actor.user_lookup {
        // The user name is attacker-influenced (self sign-up): cleaned like the rest.
        let sub = or_dash(&alert.actor.user_sub);
        let hint = format!("find it with {}", clean(&lookup.hint));
        line(
            "user",
            match (lookup.summary(), lookup.needs_hint()) {
                (Some(s), false) => format!("sub {sub} — {}", clean(&s)),
                (Some(s), true) => format!("sub {sub} — {}; {hint}", clean(&s)),
                (None, _) => format!("sub {sub} — {hint}"),
            },
        );
    }
    line(
        "from",
        format!(
            "{} via {}",
            or_dash(&alert.source_ip),
            or_dash(&alert.user_agent)
        ),
    );
    if let Some(res) = alert.resource.describe() {
        line("resource", clean(&res));
    }
    let outcome = match &alert.outcome.error_code {
        None => "success".to_string(),
        Some(code) => format!(
            "FAILED {}: {}",
            clean(code),
            or_dash(&alert.outcome.error_message)
        ),
    };
    line("outcome", outcome);
    for (i, risk) in alert.risks.iter().enumerate() {
        line(
            if i == 0 { "risks" } else { "" },
            format!("- {}", clean(risk)),
        );
    }
    for (i, change) in alert.changes.iter().enumerate() {
        line(
            if i == 0 { "changes" } else { "" },
            format!("- {}", clean(&change.describe())),
        );
    }
    for (i, check) in alert.checks.lines().iter().enumerate() {
        line(
            if i == 0 { "checks" } else { "" },
            format!("- {}", clean(check)),
        );
    }
    if let Some(why) = &alert.changes_unavailable {
        line(
            "changes",
            format!("previous values unknown: {}", clean(why)),
        );
    }
    if let Some(params) = &alert.request_parameters {
        line("request", clean(&params.to_string()));
    }
    if !alert.also_matched.is_empty() {
        line("also", alert.also_matched.join(", "));
    }
    line("event id", or_dash(&alert.event_id));
    line(
        "source",
        format!(
            "{} (record {})",
            clean(&alert.source.origin.to_string()),
            alert.source.record_index
        ),
    );
    if let Some(url) = &alert.runbook {
        line("runbook", clean(url));
    }
    out
}

fn actor_line(alert: &Alert) -> String {
    let a = &alert.actor;
    let mut s = format!("{} {}", or_dash(&a.identity_type), or_dash(&a.arn));
    if let Some(issuer) = a.session_issuer.as_ref().and_then(|i| i.arn.as_ref()) {
        let _ = write!(s, " (role {})", clean(issuer));
    } else if let Some(name) = &a.user_name {
        let _ = write!(s, " ({})", clean(name));
    }
    if let Some(by) = &a.invoked_by {
        let _ = write!(s, " invoked by {}", clean(by));
    }
    s
}

#[cfg(test)]
mod tests;
