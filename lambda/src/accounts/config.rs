//! The account-name setting (`ACCOUNT_NAMES_ROLE_ARN`), read with the rest of
//! the configuration: set, names come from AWS Organizations through that role.

/// `ACCOUNT_NAMES_ROLE_ARN` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNamesConfig {
    /// The role in the management or delegated administrator account that may
    /// call ListAccounts and DescribeAccount (templates/account-names-role.yaml).
    /// Always assumed, even when the function runs in that account: one contract,
    /// and the function's own role never needs Organizations permissions.
    pub role_arn: String,
}

impl AccountNamesConfig {
    /// Reads `ACCOUNT_NAMES_ROLE_ARN` through `get` (trimmed, empty = unset);
    /// problems are added to `problems`.
    pub fn from_env(
        get: &impl Fn(&str) -> Option<String>,
        problems: &mut Vec<String>,
    ) -> Option<AccountNamesConfig> {
        let role_arn = get("ACCOUNT_NAMES_ROLE_ARN")?;
        if !is_role_arn(&role_arn) {
            problems.push(format!(
                "ACCOUNT_NAMES_ROLE_ARN {role_arn:?} is not an IAM role ARN \
                 (arn:aws:iam::123456789012:role/name)"
            ));
        }
        Some(AccountNamesConfig { role_arn })
    }
}

/// `arn:<partition>:iam::<12 digits>:role/<path/>name`, as IAM spells them.
fn is_role_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [arn_, partition, "iam", "", account, resource] = parts[..] else {
        return false;
    };
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|p| {
            !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        });
    let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let Some(path_name) = resource.strip_prefix("role/") else {
        return false;
    };
    let name = path_name.rsplit('/').next().unwrap_or("");
    let chars_ok = path_name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-/".contains(&b));
    arn_ == "arn"
        && partition_ok
        && account_ok
        && chars_ok
        && (1..=64).contains(&name.len())
        && path_name.len() <= 512 + 64
        && !path_name.contains("//")
}

#[cfg(test)]
mod tests;
