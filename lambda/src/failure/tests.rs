use super::*;

#[test]
fn table() {
    let cases = [
        (Some("NoSuchKey"), Some(404), Retry::Permanent),
        (Some("AccessDenied"), Some(403), Retry::Permanent),
        (Some("KMS.DisabledException"), Some(400), Retry::Permanent),
        (Some("KMS.NotFoundException"), Some(400), Retry::Permanent),
        (Some("NotFound"), Some(404), Retry::Permanent),
        (Some("SlowDown"), Some(503), Retry::Transient),
        (Some("Throttling"), Some(400), Retry::Transient),
        (Some("ThrottlingException"), Some(400), Retry::Transient),
        (
            Some("ProvisionedThroughputExceededException"),
            Some(400),
            Retry::Transient,
        ),
        (Some("RequestLimitExceeded"), Some(400), Retry::Transient),
        (
            Some("ResourceNotFoundException"),
            Some(400),
            Retry::Permanent,
        ),
        (Some("InternalServerError"), Some(500), Retry::Transient),
        (Some("InternalError"), Some(500), Retry::Transient),
        (Some("ServiceUnavailable"), Some(503), Retry::Transient),
        (None, Some(429), Retry::Transient),
        // Security Hub: not enabled in the region; its rate limit; its 500.
        (Some("InvalidAccessException"), Some(401), Retry::Permanent),
        (Some("LimitExceededException"), Some(429), Retry::Transient),
        (Some("InternalException"), Some(500), Retry::Transient),
        (None, Some(400), Retry::Permanent),
        (None, None, Retry::Transient),
        (
            Some("TooManyRequestsException"),
            Some(400),
            Retry::Transient,
        ),
    ];
    for (code, status, want) in cases {
        assert_eq!(classify(code, status), want, "{code:?} {status:?}");
    }
}

#[test]
fn lookup_causes() {
    let cases = [
        (
            Some("TooManyRequestsException"),
            Some(400),
            false,
            Cause::Throttled,
        ),
        (
            Some("ThrottlingException"),
            Some(400),
            false,
            Cause::Throttled,
        ),
        (
            Some("AccessDeniedException"),
            Some(400),
            false,
            Cause::AccessDenied,
        ),
        (Some("AccessDenied"), Some(403), false, Cause::AccessDenied),
        (None, Some(403), false, Cause::AccessDenied),
        (None, None, true, Cause::Timeout),
        (
            Some("ResourceNotFoundException"),
            Some(400),
            false,
            Cause::Error,
        ),
        (None, None, false, Cause::Error),
    ];
    for (code, status, timed_out, want) in cases {
        assert_eq!(lookup_cause(code, status, timed_out), want, "{code:?}");
    }
}
