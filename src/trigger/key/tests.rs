use super::*;

#[test]
fn decodes_like_s3() {
    let cases = [
        (
            "AWSLogs/1/CloudTrail/x.json.gz",
            "AWSLogs/1/CloudTrail/x.json.gz",
        ),
        ("my+trail/AWSLogs/x.json.gz", "my trail/AWSLogs/x.json.gz"),
        ("a%2Bb%3Dc%20d", "a+b=c d"),
        ("caf%C3%A9", "café"),
    ];
    for (raw, want) in cases {
        assert_eq!(decode_form_url(raw).unwrap(), want, "{raw}");
    }
}

#[test]
fn rejects_bad_encoding() {
    for raw in ["100%", "a%zz", "a%2", "%C3%28", "%+1"] {
        let err = decode_form_url(raw).unwrap_err();
        assert!(err.to_string().contains(&format!("{raw:?}")), "{err}");
    }
}
