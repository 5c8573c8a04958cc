//! `TopicArn`: an SNS topic's ARN, checked when it is read so that a typo in a
//! route fails the load with its place rather than every publish at run time.

use std::fmt;

use serde::Serialize;

/// An SNS topic ARN: `arn:aws[-partition]:sns:<region>:<12-digit account>:<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TopicArn(String);

/// The shape a topic ARN must have, for messages.
pub const TOPIC_ARN_SHAPE: &str = "arn:aws[-partition]:sns:<region>:<12-digit account>:<name>";

impl TopicArn {
    /// Checks `text`; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<TopicArn, String> {
        let bad = |why: &str| {
            Err(format!(
                "{text:?} is not an SNS topic ARN ({why}; expected {TOPIC_ARN_SHAPE})"
            ))
        };
        let parts: Vec<&str> = text.split(':').collect();
        let [arn, partition, service, region, account, name] = parts[..] else {
            return bad("wrong number of `:`-separated parts");
        };
        if arn != "arn" || !is_partition(partition) {
            return bad("it must start with arn:aws");
        }
        if service != "sns" {
            return bad("the service is not sns");
        }
        if !is_region(region) {
            return bad("the region is not a region");
        }
        if !is_account_id(account) {
            return bad("the account is not 12 digits");
        }
        if !is_topic_name(name) {
            return bad("a topic name is 1-256 characters of A-Z a-z 0-9 - _, `.fifo` at the end");
        }
        Ok(TopicArn(text.to_string()))
    }

    /// The ARN as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The topic's name (the ARN's last part): what metrics and logs call it.
    pub fn name(&self) -> &str {
        self.0.rsplit(':').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for TopicArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `s` is an AWS account id: exactly 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`...
fn is_partition(s: &str) -> bool {
    let mut words = s.split('-');
    words.next() == Some("aws")
        && words.all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// A region's shape: two letters, words, a number (`eu-west-1`, `us-gov-west-1`).
pub fn is_region(s: &str) -> bool {
    let words: Vec<&str> = s.split('-').collect();
    let [first, middle @ .., last] = &words[..] else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

fn is_topic_name(s: &str) -> bool {
    let base = s.strip_suffix(".fifo").unwrap_or(s);
    !base.is_empty()
        && s.len() <= 256
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
