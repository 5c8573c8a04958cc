//! What a condition says about event sources and names alone: the part of a rule
//! the exact prefilter can decide before a record is parsed.

use super::{Cond, EventTypes, Outcome};
use crate::rules::pattern::Patterns;

impl Cond {
    /// The `eventSource` and `eventName` tests of a condition that tests nothing
    /// else; `None` when it also tests anything else (outcome, caller, request, ...).
    ///
    /// Such a condition holds on a record exactly when both of its tests hold (an
    /// absent test always holds; a present one never holds on a missing field), so
    /// its answer is known from the two names. An `unless` block of this kind is
    /// what lets the prefilter drop reads a fallback rule lists: the rule cannot fire
    /// on those names, whatever the rest of the record says.
    pub(crate) fn names_only(&self) -> Option<(Option<&Patterns>, Option<&Patterns>)> {
        // Destructured without `..` so a new test added to `Cond` fails to compile
        // here until it is considered.
        let Cond {
            event_source,
            event_name,
            event_type,
            outcome,
            error_code,
            identity_type,
            principal_arn,
            federated_provider,
            invoked_by,
            account,
            region,
            request,
            response,
            changed,
            unchanged,
        } = self;
        let nothing_else = matches!(event_type, EventTypes::Any)
            && *outcome == Outcome::Any
            && error_code.is_none()
            && identity_type.is_none()
            && principal_arn.is_none()
            && federated_provider.is_none()
            && invoked_by.is_none()
            && account.is_none()
            && region.is_none()
            && request.is_empty()
            && response.is_empty()
            && changed.is_empty()
            && unchanged.is_empty();
        nothing_else.then_some((event_source.as_ref(), event_name.as_ref()))
    }
}
