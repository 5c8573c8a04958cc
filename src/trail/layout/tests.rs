use super::*;

const LOG: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_Ab3dE5fG7hJ9kL1m.json.gz";

#[test]
fn classifies_keys() {
    let cases = [
        (LOG, KeyKind::Log),
        ("trails/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/11/20/x.json", KeyKind::Log),
        ("AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz", KeyKind::Digest),
        ("d/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz", KeyKind::Digest),
        ("AWSLogs/111122223333/CloudTrail-Insight/eu-west-1/2026/11/20/a.json.gz", KeyKind::Insight),
        ("AWSLogs/111122223333/CloudTrail/eu-west-1/", KeyKind::Folder),
        ("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/README.txt", KeyKind::Other),
        ("a/B.JSON.GZ", KeyKind::Log),
    ];
    for (key, want) in cases {
        assert_eq!(classify(key), want, "{key}");
    }
}

#[test]
fn reads_account_and_region() {
    let plain = key_info(LOG).unwrap();
    assert_eq!(
        (plain.org_id, plain.account.as_str(), plain.region.as_str()),
        (None, "111122223333", "eu-west-1")
    );
    let org = key_info(
        "p/q/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-central-1/2026/11/20/f.json.gz",
    )
    .unwrap();
    assert_eq!(org.org_id.as_deref(), Some("o-a1b2c3d4e5"));
    assert_eq!(
        (org.account.as_str(), org.region.as_str()),
        ("444455556666", "eu-central-1")
    );
    assert_eq!(key_info("logs/2026/11/20/f.json.gz"), None);
    assert_eq!(
        key_info("AWSLogs/notanaccount/CloudTrail/x/f.json.gz"),
        None
    );
}
