use super::*;

#[test]
fn reads_cloudtrail_times_and_writes_them_back() {
    let t = parse_event_time("2026-11-10T09:00:00Z").unwrap();
    assert_eq!(t, 1_794_301_200);
    assert_eq!(format_event_time(t), "2026-11-10T09:00:00Z");
    assert_eq!(parse_event_time("1970-01-01T00:00:00Z"), Ok(0));
    assert_eq!(format_event_time(-1), "1969-12-31T23:59:59Z");
    assert_eq!(
        parse_event_time("2024-02-29T23:59:59Z")
            .map(format_event_time)
            .unwrap(),
        "2024-02-29T23:59:59Z"
    );
}

#[test]
fn fractions_and_a_zero_offset_are_the_same_second() {
    let t = parse_event_time("2026-11-10T09:00:07Z").unwrap();
    assert_eq!(parse_event_time("2026-11-10T09:00:07.999Z"), Ok(t));
    assert_eq!(parse_event_time("2026-11-10T09:00:07+00:00"), Ok(t));
}

#[test]
fn refuses_what_is_not_an_event_time() {
    for bad in [
        "",
        "2026-11-10",
        "2026-11-10 09:00:00Z",
        "2026-11-10T09:00:00",
        "2026-11-10T09:00:00+01:00",
        "2026-02-30T09:00:00Z",
        "2025-02-29T09:00:00Z",
        "2026-11-10T24:00:00Z",
        "2026-11-10T09:60:00Z",
        "2026-11-10T09:00:00.Z",
        "2026-1a-10T09:00:00Z",
    ] {
        let err = parse_event_time(bad).unwrap_err();
        assert!(err.contains("is not an event time"), "{bad}: {err}");
    }
}

#[test]
fn spans_read_as_specs_write_them() {
    assert_eq!(format_span(0), "0s");
    assert_eq!(format_span(90), "1m30s");
    assert_eq!(format_span(600), "10m");
    assert_eq!(format_span(86_400), "24h");
    assert_eq!(format_span(5400), "1h30m");
}

#[test]
fn durations_add_their_parts() {
    let span = |s: &str| Span::try_from(s.to_owned()).map(Span::secs);
    assert_eq!(span("90s"), Ok(90));
    assert_eq!(span("1h30m"), Ok(5400));
    assert_eq!(span("1d"), Ok(86_400));
    assert!(span("").is_err());
    assert!(span("m").is_err());
    assert!(span("10m5").is_err());
    assert!(span("99999999999999999999s").is_err());
}
