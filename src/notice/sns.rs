//! The SNS message for a notice: `MessageStructure=json`, one body per protocol,
//! always under SNS's 256 KB limit.

use serde_json::{json, Value};

use super::{chatbot, subject, text, Notice};
use crate::Severity;

/// SNS's limit for one message (body, subject and attributes) and for a whole
/// PublishBatch request.
pub const MAX_MESSAGE_BYTES: usize = 262_144;
/// What one body may use: the rest is room for the subject and batch framing.
pub(super) const BODY_BUDGET: usize = MAX_MESSAGE_BYTES - 8 * 1024;
/// What the email says of an alert whose request parameters were shortened.
pub(super) const TRUNCATED_NOTE: &str =
    "\nNote: request parameters were truncated to fit SNS's 256 KB message limit.\n";
/// Request-parameter sizes tried, largest first, when a body is too big.
pub(super) const PARAM_LIMITS: [Option<usize>; 5] = [
    None,
    Some(32 * 1024),
    Some(8 * 1024),
    Some(2 * 1024),
    Some(0),
];

/// A message ready for SNS.
#[derive(Debug, Clone)]
pub struct SnsMessage {
    pub subject: String,
    /// JSON object with `default`, `email`, `https` (Chatbot), `sqs` and `lambda`.
    pub body: String,
    pub severity: Severity,
    /// Whether request parameters were shortened to fit.
    pub truncated: bool,
}

/// Renders `notice` for SNS, shortening its request parameters as needed to fit.
pub fn sns_message(notice: &Notice) -> SnsMessage {
    sns_message_with(notice, machine)
}

/// How a notice becomes the `sqs` and `lambda` bodies: given the notice as
/// shortened to fit and whether it was. [`machine`] is the native form;
/// `findings::ocsf_machine_body` the OCSF one.
pub type MachineForm = fn(&Notice, bool) -> Value;

/// [`sns_message`] with another machine-readable form in the `sqs` and `lambda`
/// bodies: `machine` is given the notice as shortened to fit and whether it was
/// (`findings::sns_message_ocsf` passes the OCSF form).
pub fn sns_message_with(notice: &Notice, machine: MachineForm) -> SnsMessage {
    for limit in PARAM_LIMITS {
        let (candidate, truncated) = shorten(notice, limit);
        let body = body(&candidate, truncated, machine);
        if body.len() <= BODY_BUDGET {
            return SnsMessage {
                subject: subject(notice),
                body,
                severity: notice.severity(),
                truncated,
            };
        }
    }
    // CloudTrail caps every other field far below the budget; this is a backstop.
    let subject = subject(notice);
    let note = format!("{subject}\n\nThe full alert did not fit in an SNS message; scan the source file to see it.");
    SnsMessage {
        body: json!({"default": note}).to_string(),
        subject,
        severity: notice.severity(),
        truncated: true,
    }
}

fn body(notice: &Notice, truncated: bool, machine: MachineForm) -> String {
    let mut plain = text(notice);
    if truncated {
        plain.push_str(TRUNCATED_NOTE);
    }
    let machine = machine(notice, truncated).to_string();
    json!({
        "default": plain,
        "email": plain,
        "https": chatbot(notice).to_string(),
        "sqs": machine,
        "lambda": machine,
    })
    .to_string()
}

/// The machine-readable form of `notice` as the `sqs` and `lambda` bodies carry
/// it: [`Notice::json`] and whether its request parameters were shortened.
pub fn machine(notice: &Notice, truncated: bool) -> Value {
    let mut machine = notice.json();
    machine["truncated"] = Value::Bool(truncated);
    machine
}

/// A copy of `notice` whose request parameters are at most `limit` bytes of JSON
/// text (as a string ending in a truncation marker). Returns whether it changed.
pub(super) fn shorten(notice: &Notice, limit: Option<usize>) -> (Notice, bool) {
    let (Some(limit), Notice::Alert(alert)) = (limit, notice) else {
        return (notice.clone(), false);
    };
    let Some(params) = &alert.request_parameters else {
        return (notice.clone(), false);
    };
    let full = params.to_string();
    if full.len() <= limit {
        return (notice.clone(), false);
    }
    let mut end = limit;
    while !full.is_char_boundary(end) {
        end -= 1;
    }
    let mut short = alert.clone();
    short.request_parameters = Some(Value::String(format!(
        "{}... [truncated: {} bytes in all]",
        &full[..end],
        full.len()
    )));
    (Notice::Alert(short), true)
}
