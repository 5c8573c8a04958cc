use super::*;
use tokio::io::AsyncReadExt;

#[tokio::test(start_paused = true)]
async fn a_stalled_stream_fails_and_a_slow_reader_does_not() {
    let (mut tx, rx) = tokio::io::duplex(64);
    let mut reader = IdleLimit::new(rx, Duration::from_secs(30));
    tokio::io::AsyncWriteExt::write_all(&mut tx, b"abc")
        .await
        .unwrap();
    // The reader is busy for longer than the limit between two reads.
    tokio::time::sleep(Duration::from_secs(120)).await;
    let mut buf = [0u8; 8];
    assert_eq!(reader.read(&mut buf).await.unwrap(), 3);
    let started = Instant::now();
    let err = reader.read(&mut buf).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    assert_eq!(started.elapsed(), Duration::from_secs(30));
    drop(tx);
}
