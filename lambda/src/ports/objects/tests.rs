use super::*;

#[test]
fn short_streams_are_transport_failures() {
    let body = Body::new(&b"abc"[..], Some(10));
    let flag = body.transport_flag();
    let mut out = Vec::new();
    let err = { body.reader }.read_to_end(&mut out).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    assert!(flag.load(Ordering::Relaxed));
    let body = Body::new(&b"abc"[..], Some(3));
    let flag = body.transport_flag();
    { body.reader }.read_to_end(&mut out).unwrap();
    assert!(!flag.load(Ordering::Relaxed));
}
