use super::*;

#[test]
fn parses_prints_and_counts_days() {
    let d = Date::parse("2027-03-31").unwrap();
    assert_eq!(d.to_string(), "2027-03-31");
    assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
    assert_eq!(
        Date::parse("2024-02-29").unwrap().add_days(1).to_string(),
        "2024-03-01"
    );
    assert_eq!(
        Date::parse("2026-11-30").unwrap().days_until(d),
        31 + 31 + 28 + 31
    );
    // 2026-11-20T09:02:41Z
    assert_eq!(
        Date::from_unix_seconds(1_795_165_361).to_string(),
        "2026-11-20"
    );
}

#[test]
fn rejects_what_is_not_a_day() {
    for bad in [
        "2027-02-29",
        "2027-13-01",
        "2027-3-31",
        "31/03/2027",
        "2027-03-3x",
        "",
    ] {
        assert!(Date::parse(bad).is_err(), "{bad}");
    }
}
