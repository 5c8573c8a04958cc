//! Which tool made a change: Terraform, CloudFormation, the CDK, the console, the
//! CLI, an SDK... read from a record's `userAgent`, `invokedBy` and
//! `sourceIPAddress` (and, for the CDK, the role CloudFormation ran as).
//!
//! The shapes relied on (each pinned by a test):
//! - Terraform's AWS provider: `APN/1.0 HashiCorp/1.0 Terraform/1.9.8
//!   (+https://www.terraform.io) terraform-provider-aws/5.80.0
//!   (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.6 ...`;
//!   OpenTofu runs the same provider and may name itself `OpenTofu/1.8.0`.
//! - Pulumi: `APN/1.0 Pulumi/1.0 PulumiAwsNative/1.12 ...` (and `pulumi-aws/...`).
//! - CloudFormation acting for a stack: `invokedBy`, `sourceIPAddress` and
//!   `userAgent` all `cloudformation.amazonaws.com`. A CDK stack's changes are
//!   made the same way, as the CDK bootstrap's execution role
//!   `cdk-<qualifier>-cfn-exec-role-<account>-<region>` (qualifier `hnb659fds` by
//!   default); the CDK CLI's own calls carry `aws-cdk/2.x` in the user agent.
//! - The console: `console.amazonaws.com` (root) and `signin.amazonaws.com` (IAM
//!   users) in CloudTrail's documentation, `AWS Internal` for calls the console's
//!   back end makes for the signed-in user, and the browser's own `Mozilla/5.0 ...`.
//! - The CLI: `aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 ...`
//!   (CloudShell adds `exec-env/CloudShell`).
//! - SDKs: `Boto3/1.34.0 md/Botocore#1.34.0 ...`, `aws-sdk-js/3.700.0`,
//!   `aws-sdk-go-v2/1.32.6`, `aws-sdk-java/2.29.0`, `aws-sdk-rust/1.3.3`...
//!
//! Order matters: Terraform's and the CDK's user agents also name the SDK they are
//! built on, and the CLI's names botocore, so tools are tried before SDKs.

use serde::{Serialize, Serializer};

use crate::Alert;

/// CloudFormation's service principal, as CloudTrail writes it in `invokedBy`,
/// `sourceIPAddress` and `userAgent` for the calls it makes for a stack.
const CLOUDFORMATION: &str = "cloudformation.amazonaws.com";

/// The tool behind a change, as far as its record tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Terraform,
    OpenTofu,
    Pulumi,
    /// The AWS CDK (a CDK stack deployed by CloudFormation, or the CDK CLI).
    Cdk,
    CloudFormation,
    /// The AWS Management Console.
    Console,
    /// The AWS CLI (CloudShell included).
    Cli,
    /// An AWS SDK used directly, by name (`Boto3`, `AWS SDK for Go`...).
    Sdk(&'static str),
    /// Nothing the record says names a tool.
    Unknown,
}

impl Tool {
    /// A stable lowercase id for machines: `terraform`, `cloudformation`, `cdk`,
    /// `console`, `cli`, `sdk`, `unknown`...
    pub fn id(self) -> &'static str {
        match self {
            Tool::Terraform => "terraform",
            Tool::OpenTofu => "opentofu",
            Tool::Pulumi => "pulumi",
            Tool::Cdk => "cdk",
            Tool::CloudFormation => "cloudformation",
            Tool::Console => "console",
            Tool::Cli => "cli",
            Tool::Sdk(_) => "sdk",
            Tool::Unknown => "unknown",
        }
    }

    /// The name people use: `Terraform`, `CloudFormation`, `CDK`, `console`,
    /// `AWS CLI`, the SDK's name, `unknown tool`.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Terraform => "Terraform",
            Tool::OpenTofu => "OpenTofu",
            Tool::Pulumi => "Pulumi",
            Tool::Cdk => "CDK",
            Tool::CloudFormation => "CloudFormation",
            Tool::Console => "console",
            Tool::Cli => "AWS CLI",
            Tool::Sdk(name) => name,
            Tool::Unknown => "unknown tool",
        }
    }

    /// Whether the record named a tool at all.
    pub fn is_known(self) -> bool {
        self != Tool::Unknown
    }
}

impl Serialize for Tool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// SDK user-agent prefixes (lowercase) and their names, most specific first.
const SDKS: [(&str, &str); 13] = [
    ("boto3/", "Boto3"),
    ("botocore/", "botocore"),
    ("aws-sdk-js", "AWS SDK for JavaScript"),
    ("aws-sdk-go", "AWS SDK for Go"),
    ("aws-sdk-java", "AWS SDK for Java"),
    ("aws-sdk-dotnet", "AWS SDK for .NET"),
    ("aws-sdk-net", "AWS SDK for .NET"),
    ("aws-sdk-ruby", "AWS SDK for Ruby"),
    ("aws-sdk-php", "AWS SDK for PHP"),
    ("aws-sdk-rust", "AWS SDK for Rust"),
    ("aws-sdk-cpp", "AWS SDK for C++"),
    ("aws-sdk-kotlin", "AWS SDK for Kotlin"),
    ("aws-sdk-", "an AWS SDK"),
];

/// The tool behind `alert`'s record.
pub fn detect(alert: &Alert) -> Tool {
    let role = alert
        .actor
        .session_issuer
        .as_ref()
        .and_then(|i| i.user_name.as_deref().or(i.arn.as_deref()));
    detect_from(
        alert.user_agent.as_deref(),
        alert.actor.invoked_by.as_deref(),
        alert.source_ip.as_deref(),
        role,
    )
}

/// The tool from a record's `userAgent`, `userIdentity.invokedBy`,
/// `sourceIPAddress` and the name (or ARN) of the role its session was issued by.
pub fn detect_from(
    user_agent: Option<&str>,
    invoked_by: Option<&str>,
    source_ip: Option<&str>,
    role: Option<&str>,
) -> Tool {
    let ua = user_agent.unwrap_or("").trim().to_ascii_lowercase();
    let is_cfn = |v: Option<&str>| v.is_some_and(|v| v.trim().eq_ignore_ascii_case(CLOUDFORMATION));
    if is_cfn(invoked_by) || is_cfn(source_ip) || ua == CLOUDFORMATION {
        return if cdk_role(role) || ua.contains("aws-cdk") {
            Tool::Cdk
        } else {
            Tool::CloudFormation
        };
    }
    if ua.contains("aws-cdk/") {
        return Tool::Cdk;
    }
    if ua.contains("pulumi") {
        return Tool::Pulumi;
    }
    if ua.contains("opentofu/") {
        return Tool::OpenTofu;
    }
    if ua.contains("terraform/") || ua.contains("terraform-provider-aws") {
        return Tool::Terraform;
    }
    if matches!(
        ua.as_str(),
        "console.amazonaws.com" | "signin.amazonaws.com" | "aws internal"
    ) || ua.starts_with("mozilla/")
    {
        return Tool::Console;
    }
    if ua.starts_with("aws-cli/") || ua.contains(" aws-cli/") {
        return Tool::Cli;
    }
    SDKS.iter()
        .find(|(prefix, _)| ua.starts_with(prefix) || ua.contains(&format!(" {prefix}")))
        .map_or(Tool::Unknown, |&(_, name)| Tool::Sdk(name))
}

/// Whether `role` (a name or an ARN) is the CDK bootstrap's CloudFormation
/// execution role, `cdk-<qualifier>-cfn-exec-role-<account>-<region>`.
fn cdk_role(role: Option<&str>) -> bool {
    let Some(role) = role else { return false };
    let name = role.rsplit('/').next().unwrap_or(role);
    name.starts_with("cdk-") && name.contains("-cfn-exec-role-")
}

/// The tool most of `tools` name (ties: the first named), or `Unknown` when none
/// names one.
pub fn most_named(tools: impl IntoIterator<Item = Tool>) -> Tool {
    let mut counts: Vec<(Tool, usize)> = Vec::new();
    for tool in tools.into_iter().filter(|t| t.is_known()) {
        match counts.iter_mut().find(|(t, _)| *t == tool) {
            Some((_, n)) => *n += 1,
            None => counts.push((tool, 1)),
        }
    }
    let best = counts.iter().map(|&(_, n)| n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|&(_, n)| n == best)
        .map_or(Tool::Unknown, |(t, _)| t)
}
