//! The command line as clap parses it: the commands and their options.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use cognito_trail_alerts::Severity;

/// Finds Amazon Cognito configuration changes in CloudTrail log files.
#[derive(Debug, Parser)]
#[command(name = "cognito-trail-alerts", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Scan CloudTrail log files (.json.gz, .json) or directories of them.
    Scan(ScanArgs),
    /// Inspect or test a rules file.
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// Options of `scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files or directories (searched recursively; digest and Insight files skipped).
    #[arg(required = true, value_name = "PATH")]
    pub(super) paths: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(super) format: Format,
    /// Rules file, or pack (its directory or its pack.yaml), replacing the bundled
    /// Cognito pack.
    #[arg(long, value_name = "PATH")]
    pub(super) rules: Option<PathBuf>,
    /// Overlay applied on top of the rules (repeatable, applied in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub(super) overlays: Vec<PathBuf>,
    /// Also print the alerts that suppressions hide (JSON lines gain `suppressed_by`).
    #[arg(long)]
    pub(super) show_suppressed: bool,
    /// Show only alerts at or above this severity.
    #[arg(long, value_name = "LEVEL", default_value = "info", value_parser = parse_severity)]
    pub(super) min_severity: Severity,
    /// Exit 1 when any alert at or above this severity was found.
    #[arg(long, value_name = "LEVEL", value_parser = parse_severity)]
    pub(super) fail_on: Option<Severity>,
    /// Files scanned in parallel (default: the number of CPUs). The output is the
    /// same for any N: alerts by file in path order, the same summary and exit code.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(super) jobs: Option<u16>,
    /// After the alerts, print each resource seen with its last known settings and
    /// the posture checks they fail, worst first.
    #[arg(long)]
    pub(super) posture: bool,
    /// Format of the posture report (implies --posture).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(super) posture_format: Option<PostureFormat>,
}

/// Formats of the posture report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PostureFormat {
    /// A readable block per resource.
    Text,
    /// One JSON object: `{"posture": [...]}`.
    Json,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One readable block per alert.
    Text,
    /// One JSON object per alert per line.
    Jsonl,
    /// One OCSF 1.6 Detection Finding (class 2004) per alert per line.
    Ocsf,
}

#[derive(Debug, Subcommand)]
pub(super) enum RulesCommand {
    /// Run the inline test cases of a rules file or pack (default: the bundled
    /// pack) and of its overlays.
    Test {
        /// A rules file, or a pack: its directory or its pack.yaml.
        #[arg(value_name = "PATH")]
        file: Option<PathBuf>,
        /// Overlay applied on top of the rules (repeatable, applied in order).
        #[arg(long = "overlay", value_name = "FILE")]
        overlays: Vec<PathBuf>,
    },
    /// List the rules of a rules file or pack (default: the bundled pack) with its
    /// overlays.
    List {
        /// A rules file, or a pack: its directory or its pack.yaml.
        #[arg(value_name = "PATH")]
        file: Option<PathBuf>,
        /// Overlay applied on top of the rules (repeatable, applied in order).
        #[arg(long = "overlay", value_name = "FILE")]
        overlays: Vec<PathBuf>,
    },
    /// For each record of a trail file: which rules matched or not and why, which
    /// override, deployer or suppression applied, and the resulting alert.
    Explain(ExplainArgs),
}

/// Options of `rules explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A CloudTrail log file (.json.gz or .json).
    #[arg(value_name = "FILE")]
    pub(super) file: PathBuf,
    /// Only the record with this eventID.
    #[arg(long, value_name = "ID")]
    pub(super) event_id: Option<String>,
    /// Rules file, or pack (its directory or its pack.yaml), replacing the bundled
    /// Cognito pack.
    #[arg(long, value_name = "PATH")]
    pub(super) rules: Option<PathBuf>,
    /// Overlay applied on top of the rules (repeatable, applied in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub(super) overlays: Vec<PathBuf>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: cognito_trail_alerts::UnknownSeverity| e.to_string())
}
