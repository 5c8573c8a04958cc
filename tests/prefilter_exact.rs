//! The exact prefilter against the full parse, on generated records: whenever
//! `may_match` says no, `Record::parse` + `evaluate` must find no rule (and no
//! chain step) either. The records vary what a byte-level reader could get
//! wrong: key order, whitespace around colons and commas, `\u` escapes in keys
//! and values, a second copy of `eventName` or `eventSource`, an `"eventName"`
//! nested in `requestParameters`, null, missing and wrongly typed values, reads,
//! sign-in calls, writes and operations no rule names. Rule sets: the bundled
//! pack, the pack with an overlay (an added rule, an `unless` override, a
//! disabled rule), and globs.
//!
//! The generator is a seeded splitmix64 (no dependency); a failure prints the seed
//! and the record.

use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::RuleSet;

const CASES: u64 = 6_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SOURCES: &[&str] = &[
    "cognito-idp.amazonaws.com",
    "cognito-identity.amazonaws.com",
    "cognito-sync.amazonaws.com",
    "kms.amazonaws.com",
    "sts.amazonaws.com",
    "cognito-idpx.amazonaws.com",
    "",
];

/// Reads and end users' calls (the fallback's `unless`), writes with rules,
/// operations newer than the pack, and names of other services.
const NAMES: &[&str] = &[
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetUser",
    "GetId",
    "GetCredentialsForIdentity",
    "DescribeUserPool",
    "DescribeUserPoolClient",
    "ListUsers",
    "AdminGetUser",
    "LookupDeveloperIdentity",
    "SignUp",
    "UnlinkIdentity",
    "UpdateRecords",
    "UpdateUserPool",
    "CreateUserPoolClient",
    "DeleteUserPool",
    "SetUserPoolMfaConfig",
    "UpdateIdentityPool",
    "SetIdentityPoolRoles",
    "AdminCreateUser",
    "AdminAddUserToGroup",
    "TagResource",
    "SetCognitoEvents",
    "CreateUserPoolQuantumPolicy",
    "Decrypt",
    "AssumeRole",
    "Get",
    "",
];

/// `s` with one character written as a `\u` escape.
fn escaped(rng: &mut Rng, s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let at = rng.below(s.len());
    let c = s.as_bytes()[at];
    format!("{}\\u{:04x}{}", &s[..at], c, &s[at + 1..])
}

fn ws(rng: &mut Rng) -> &'static str {
    [" ", "", "", "\n  ", "\t", ""][rng.below(6)]
}

/// A string or another JSON value for one of the two keyed fields.
fn keyed_value(rng: &mut Rng, pool: &[&str]) -> String {
    match rng.below(20) {
        0 => "null".into(),
        1 => "42".into(),
        2 => format!("[\"{}\"]", rng.pick(pool)),
        3 | 4 => {
            let v = rng.pick(pool);
            format!("\"{}\"", escaped(rng, v))
        }
        _ => format!("\"{}\"", rng.pick(pool)),
    }
}

fn key(rng: &mut Rng, name: &str) -> String {
    if rng.chance(5) {
        escaped(rng, name)
    } else {
        name.to_string()
    }
}

fn record(rng: &mut Rng) -> String {
    let identity = [
        r#"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/ops/alice","accountId":"111122223333"}"#,
        r#"{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#,
        r#"{"type":"Unknown","principalId":"eu-west-1:7c1a","eventName":"UpdateUserPool"}"#,
        r#"{"type":"WebIdentityUser","sessionContext":{"webIdFederationData":{"federatedProvider":"cognito-identity.amazonaws.com"}}}"#,
    ];
    let params = [
        r#"{"userPoolId":"eu-west-1_Ab12Cd34E","mfaConfiguration":"OFF"}"#,
        r#"{"identityPoolId":"eu-west-1:0f1e","allowUnauthenticatedIdentities":true,"eventName":"DeleteUserPool"}"#,
        r#"{"clientId":"4tq8n","authFlow":"USER_SRP_AUTH","eventSource":"cognito-idp.amazonaws.com"}"#,
        "null",
    ];
    let mut members: Vec<(String, String)> = vec![
        ("eventVersion".into(), "\"1.09\"".into()),
        ("userIdentity".into(), rng.pick(&identity).into()),
        ("eventTime".into(), "\"2026-11-20T10:00:00Z\"".into()),
        ("awsRegion".into(), "\"eu-west-1\"".into()),
        ("requestParameters".into(), rng.pick(&params).into()),
        ("eventID".into(), format!("\"e-{}\"", rng.next() % 1000)),
        ("recipientAccountId".into(), "\"111122223333\"".into()),
    ];
    if rng.chance(10) {
        members.push(("errorCode".into(), "\"AccessDenied\"".into()));
    }
    for (field, pool) in [("eventSource", SOURCES), ("eventName", NAMES)] {
        let copies = match rng.below(20) {
            0 => 0,
            1 => 2,
            _ => 1,
        };
        for _ in 0..copies {
            members.push((key(rng, field), keyed_value(rng, pool)));
        }
    }
    for i in (1..members.len()).rev() {
        let j = rng.below(i + 1);
        members.swap(i, j);
    }
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}\"{k}\"{}:{}{v}{}", ws(rng), ws(rng), ws(rng), ws(rng)))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn rule_sets() -> Vec<(&'static str, RuleSet)> {
    let overlay = Overlay::from_yaml(
        r#"
overrides:
  - rule: cognito.unknown-operation
    unless:
      - { eventName: "Create*" }
  - rule: cognito.resource.tags
    enabled: false
rules:
  - id: local.sign-in-by-root
    title: T
    severity: high
    description: D
    match: { eventSource: cognito-idp.amazonaws.com, eventName: InitiateAuth, userIdentityType: Root }
"#,
        "overlay.yaml",
    )
    .unwrap();
    let tuned = RuleSet::bundled()
        .unwrap()
        .with_overlays(vec![overlay], Date::parse("2026-11-30").unwrap())
        .unwrap();
    let globs = RuleSet::from_yaml(
        r#"rules:
  - id: any-source-deletes
    title: T
    severity: high
    description: D
    match: { eventName: "Delete*" }
    unless: [{ eventSource: kms.amazonaws.com, eventName: "Delete{Alias,Key}" }]
  - id: idp-glob
    title: T
    severity: low
    description: D
    match: { eventSource: "cognito-i*", eventName: ["Update*", "Get?d"] }
    unless: [{ eventName: GetId, outcome: success }, { eventName: UpdateRecords }]
"#,
        "globs.yaml",
    )
    .unwrap();
    vec![
        ("bundled", RuleSet::bundled().unwrap()),
        ("bundled+overlay", tuned),
        ("globs", globs),
    ]
}

#[test]
fn the_prefilter_never_drops_a_record_the_full_parse_matches() {
    for (set_name, rules) in rule_sets() {
        let mut rng = Rng(0x5EED_0000 ^ set_name.len() as u64);
        let (mut skipped, mut parsed, mut matched, mut chain_hits) = (0, 0, 0, 0);
        for case in 0..CASES {
            let raw = record(&mut rng);
            let parsed_record = Record::parse(raw.as_bytes());
            // A second copy of a field the rules key on is a record error the scan
            // must report, never a record skipped as unmatched ...
            let repeated = parsed_record.as_ref().is_err_and(|e| {
                let e = e.to_string();
                e.contains("duplicate field `eventName`")
                    || e.contains("duplicate field `eventSource`")
            });
            let (verdict, hits) = match parsed_record.ok() {
                Some(r) => {
                    let v = rules.evaluate(&r);
                    let hits = rules.chain_hits(&r, v.as_ref()).len();
                    (v.map(|v| v.rule.id.clone()), hits)
                }
                None => (None, 0),
            };
            chain_hits += u32::from(hits > 0);
            matched += u32::from(verdict.is_some());
            if rules.may_match(raw.as_bytes()) {
                parsed += 1;
            } else {
                skipped += 1;
                assert_eq!(verdict, None, "{set_name}, case {case}: dropped {raw}");
                assert_eq!(
                    hits, 0,
                    "{set_name}, case {case}: dropped a chain hit {raw}"
                );
                // ... when a copy names a source some rule takes (with two copies
                // of `kms.amazonaws.com`, no rule can apply whichever is read).
                let named = set_name == "globs"
                    || raw.contains('\\')
                    || SOURCES[..3]
                        .iter()
                        .any(|s| raw.contains(&format!("\"{s}\"")));
                assert!(
                    !(repeated && named),
                    "{set_name}, case {case}: dropped a repeated key {raw}"
                );
            }
        }
        // Not vacuous: both answers occur, and most records are decided unparsed;
        // the bundled chains (refused writes, failed sign-ins) are hit too.
        assert!(
            matched > 200 && skipped > CASES as u32 / 3,
            "{set_name}: {skipped} skipped, {parsed} parsed, {matched} matched"
        );
        assert!(
            set_name == "globs" || chain_hits > 10,
            "{set_name}: {chain_hits} chain hits"
        );
    }
}

/// Tightness on plain records: Cognito reads and sign-in calls are skipped unparsed
/// (they are a quarter of some accounts' trails), writes and unknown operations not.
#[test]
fn reads_and_sign_in_calls_are_skipped_and_writes_are_not() {
    let rules = RuleSet::bundled().unwrap();
    let plain = |source: &str, name: &str| {
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"Unknown"}},"eventSource":"{source}","eventName":"{name}","requestParameters":{{"eventName":"UpdateUserPool"}}}}"#
        )
    };
    for (source, name) in [
        ("cognito-idp.amazonaws.com", "InitiateAuth"),
        ("cognito-idp.amazonaws.com", "RespondToAuthChallenge"),
        ("cognito-idp.amazonaws.com", "GetUser"),
        ("cognito-idp.amazonaws.com", "DescribeUserPool"),
        ("cognito-idp.amazonaws.com", "ListUsers"),
        ("cognito-identity.amazonaws.com", "GetId"),
        (
            "cognito-identity.amazonaws.com",
            "GetCredentialsForIdentity",
        ),
        ("cognito-sync.amazonaws.com", "ListRecords"),
    ] {
        assert!(
            !rules.may_match(plain(source, name).as_bytes()),
            "{source} {name}"
        );
    }
    for (source, name) in [
        ("cognito-idp.amazonaws.com", "UpdateUserPool"),
        ("cognito-idp.amazonaws.com", "AdminInitiateAuthQuantum"),
        ("cognito-identity.amazonaws.com", "SetIdentityPoolRoles"),
    ] {
        assert!(
            rules.may_match(plain(source, name).as_bytes()),
            "{source} {name}"
        );
    }
}
