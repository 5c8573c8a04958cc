use super::sent::{NoticeKey, SENT_CAPACITY};
use super::*;
use cognito_trail_alerts::Severity;

fn msg(size: usize) -> SnsMessage {
    SnsMessage {
        subject: "s".into(),
        body: "x".repeat(size),
        severity: Severity::Low,
        truncated: false,
    }
}

#[test]
fn batches_respect_count_and_size() {
    let small: Vec<_> = (0..23).map(|_| msg(100)).collect();
    assert_eq!(batches(&small), vec![0..10, 10..20, 20..23]);
    let big: Vec<_> = (0..3).map(|_| msg(100_000)).collect();
    assert_eq!(batches(&big), vec![0..2, 2..3]);
    assert!(batches(&[]).is_empty());
}

#[test]
fn sent_log_forgets_the_oldest() {
    let mut log = SentLog::default();
    for i in 0..SENT_CAPACITY + 5 {
        log.insert(i as NoticeKey);
    }
    assert!(!log.contains(0) && log.contains((SENT_CAPACITY + 4) as NoticeKey));
    assert_eq!(log.ids.len(), SENT_CAPACITY);
}
