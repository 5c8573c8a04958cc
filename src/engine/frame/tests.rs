use super::*;

#[test]
fn a_decompression_bomb_is_named_as_such_not_as_corrupt_gzip() {
    let limit = trail::InflateLimit {
        limit: trail::MAX_INFLATED_BYTES,
    };
    let reason = frame_error_reason(FrameError::Io(io::Error::other(limit)), Encoding::Gzip);
    assert_eq!(reason, "the gzip data inflates to more than 4096 MiB, far beyond any CloudTrail log file (a decompression bomb?)");
}
