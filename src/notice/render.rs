//! Subject line and plain text (email) of a notice.

use std::fmt::Write;

use super::{Digest, Notice, Unreadable};
use crate::alert::render_text;
use crate::Alert;

/// SNS subjects must be under 100 characters.
pub const MAX_SUBJECT_CHARS: usize = 99;

/// A subject line such as `[HIGH] UpdateIdentityPool on shop in 111122223333/eu-west-1`:
/// printable ASCII only (SNS rejects control characters and line breaks), < 100 chars.
pub fn subject(notice: &Notice) -> String {
    let label = notice.severity().label();
    let raw = match notice {
        Notice::Alert(a) => alert_subject(a),
        Notice::Digest(d) => format!(
            "{} more Cognito alerts held back{}",
            d.held_back,
            place(&d.account_id, &d.region)
        ),
        Notice::Unreadable(u) => format!(
            "Unreadable CloudTrail file{}",
            place(&u.account_id, &u.region)
        ),
    };
    clip(&format!("[{label}] {raw}"), MAX_SUBJECT_CHARS)
}

fn alert_subject(a: &Alert) -> String {
    let event = a.event_name.as_deref().unwrap_or("Cognito change");
    let failed = match &a.outcome.error_code {
        Some(code) => format!(" (FAILED: {code})"),
        None => String::new(),
    };
    let r = &a.resource;
    let target = [
        &r.identity_pool_name,
        &r.client_name,
        &r.user_pool_name,
        &r.domain,
        &r.identity_provider,
        &r.group_name,
        &r.identity_pool_id,
        &r.client_id,
        &r.user_pool_id,
    ]
    .into_iter()
    .flatten()
    .next()
    .map(|name| format!(" on {name}"))
    .unwrap_or_default();
    format!("{event}{failed}{target}{}", place(&a.account_id, &a.region))
}

fn place(account: &Option<String>, region: &Option<String>) -> String {
    match (account, region) {
        (Some(a), Some(r)) => format!(" in {a}/{r}"),
        (Some(x), None) | (None, Some(x)) => format!(" in {x}"),
        (None, None) => String::new(),
    }
}

/// Keeps printable ASCII (others become `?`), collapses whitespace, and cuts to
/// `max` characters with `...` when longer.
pub(super) fn clip(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_whitespace() {
            ' '
        } else if c.is_ascii_graphic() {
            c
        } else {
            '?'
        };
        if c == ' ' && (space || out.is_empty()) {
            continue;
        }
        space = c == ' ';
        out.push(c);
    }
    let out = out.trim_end().to_string();
    if out.len() <= max {
        return out;
    }
    format!("{}...", out[..max - 3].trim_end())
}

/// The plain-text body (default and email): what changed, who, when, where, outcome,
/// risks, request parameters, the UserSub hint and the source object.
pub fn text(notice: &Notice) -> String {
    match notice {
        Notice::Alert(a) => format!(
            "A Cognito change matched rule {} ({}).\n{}\n\n{}",
            a.rule_id,
            a.severity,
            a.description,
            render_text(a)
        ),
        Notice::Digest(d) => digest_text(d),
        Notice::Unreadable(u) => unreadable_text(u),
    }
}

fn digest_text(d: &Digest) -> String {
    let mut out = format!(
        "{} alerts from one CloudTrail file were sent individually; {} more were held back to avoid flooding this inbox.\n\n",
        d.sent, d.held_back
    );
    let _ = writeln!(out, "source     {}", d.source);
    for (severity, n) in d.by_severity.iter().rev() {
        let _ = writeln!(out, "  {:<9} {n}", severity.label());
    }
    for (rule, n) in &d.by_rule {
        let _ = writeln!(out, "  rule {rule}: {n}");
    }
    out.push_str("\nScan the file with `cognito-trail-alerts scan` to see every alert.\n");
    out
}

fn unreadable_text(u: &Unreadable) -> String {
    format!(
        "A CloudTrail log file could not be read, so the Cognito changes it records (if any) are unknown.\n\n\
         source     {}\nreason     {}\nrecords    {} read before the failure (their alerts were sent)\n\n\
         Check that the object exists, that this function may read it (s3:GetObject, kms:Decrypt) and that it \
         was not overwritten or truncated: a damaged trail file can also be a sign of tampering.\n",
        crate::alert::clean_text(&u.source.to_string()),
        crate::alert::clean_text(&u.reason),
        u.records_before_failure
    )
}

#[cfg(test)]
mod tests;
