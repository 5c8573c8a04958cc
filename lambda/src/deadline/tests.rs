use super::*;

#[tokio::test(start_paused = true)]
async fn steps_start_only_when_they_fit() {
    let d = Deadline::after(Duration::from_secs(120));
    assert!(d.allows(FILE) && d.allows(BATCH));
    d.progressed();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(!d.allows(FILE), "57 + 10 s do not fit in 60 s");
    assert!(d.allows(BATCH) && d.allows(ROUND));
    assert_eq!(d.bound(Duration::from_secs(15)), Duration::from_secs(15));
    tokio::time::sleep(Duration::from_secs(50)).await;
    assert!(!d.allows(ROUND));
    assert_eq!(d.bound(Duration::from_secs(15)), Duration::from_secs(5));
    assert_eq!(d.cap(METRICS_TIMEOUT), METRICS_TIMEOUT);
    assert!(d
        .stopped("2 files")
        .message
        .starts_with("deadline: 2 files"));
}

#[tokio::test(start_paused = true)]
async fn the_first_step_always_starts_and_no_deadline_allows_all() {
    let short = Deadline::after(Duration::from_secs(20));
    assert!(short.allows(FILE));
    short.progressed();
    assert!(!short.allows(FILE));
    let none = Deadline::none();
    none.progressed();
    assert!(none.allows(FILE) && none.remaining().is_none());
    assert_eq!(none.bound(METRICS_TIMEOUT), METRICS_TIMEOUT);
}

#[tokio::test]
async fn lambdas_deadline_is_read_and_a_past_one_ignored() {
    let now_ms = crate::clock::Clock::system().unix_millis();
    let left = Deadline::from_epoch_ms(now_ms + 120_000, now_ms)
        .remaining()
        .unwrap();
    assert!(left > Duration::from_secs(110) && left <= Duration::from_secs(120));
    assert!(Deadline::from_epoch_ms(600_000, now_ms)
        .remaining()
        .is_none());
}

#[test]
fn the_template_timeout_fits_every_step() {
    // template.yaml: Timeout 120. The longest step plus the reserve fits it.
    let timeout = Duration::from_secs(120);
    for step in [FILE, BATCH, ROUND] {
        assert!(step + RESERVE <= timeout);
    }
    assert!(METRICS_TIMEOUT < RESERVE);
    assert_eq!(FILE, SDK_OPERATION + BODY_IDLE + STATE_CALL);
    assert_eq!(BATCH, STATE_CALL + LOOKUPS + PUBLISH_ROUND + STATE_CALL);
    assert_eq!(ROUND, PUBLISH_ROUND + STATE_CALL);
}
