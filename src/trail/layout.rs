//! How CloudTrail names its files in S3 (and so in a synced copy of a bucket):
//! `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz`,
//! with digests under `CloudTrail-Digest/` and Insights events under `CloudTrail-Insight/`.

/// What a key (or path) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A log file to scan.
    Log,
    /// An hourly digest file: no `Records`, never scanned.
    Digest,
    /// A CloudTrail Insights file: no API calls, never scanned.
    Insight,
    /// A folder placeholder (ends in `/`).
    Folder,
    /// Neither `.json.gz` nor `.json`.
    Other,
}

impl KeyKind {
    /// Short lower-case name, for logs and metric dimensions.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Log => "log",
            KeyKind::Digest => "digest",
            KeyKind::Insight => "insight",
            KeyKind::Folder => "folder",
            KeyKind::Other => "not-a-log-file",
        }
    }
}

/// Classifies an S3 key or a `/`-separated path.
pub fn classify(key: &str) -> KeyKind {
    if key.ends_with('/') {
        return KeyKind::Folder;
    }
    let name = key.rsplit('/').next().unwrap_or(key);
    let in_dir = |dir: &str| key.split('/').any(|part| part == dir);
    if in_dir("CloudTrail-Digest") || name.contains("_CloudTrail-Digest_") {
        return KeyKind::Digest;
    }
    if in_dir("CloudTrail-Insight") || name.contains("_CloudTrail-Insight_") {
        return KeyKind::Insight;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json.gz") || lower.ends_with(".json") {
        KeyKind::Log
    } else {
        KeyKind::Other
    }
}

/// Account, region and organization read from a CloudTrail key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub org_id: Option<String>,
    pub account: String,
    pub region: String,
}

/// Reads account and region from a plain or organization trail key; `None` when the
/// key does not follow CloudTrail's layout.
pub fn key_info(key: &str) -> Option<KeyInfo> {
    let parts: Vec<&str> = key.split('/').collect();
    let at = parts.iter().position(|p| *p == "AWSLogs")?;
    let mut rest = parts[at + 1..].iter().copied();
    let mut account = rest.next()?;
    let mut org_id = None;
    if account.starts_with("o-") {
        org_id = Some(account.to_string());
        account = rest.next()?;
    }
    let service = rest.next()?;
    let region = rest.next()?;
    let valid = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    (valid && service.starts_with("CloudTrail") && !region.is_empty()).then(|| KeyInfo {
        org_id,
        account: account.to_string(),
        region: region.to_string(),
    })
}

/// The AWS partition of a region: `aws-cn` for `cn-*`, `aws-us-gov` for
/// `us-gov-*`, `aws-iso`/`aws-iso-b` for `us-iso-*`/`us-isob-*`, else `aws`.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests;
