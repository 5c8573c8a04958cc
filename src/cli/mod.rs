//! Command-line interface: `scan`, `rules test`, `rules list`, `rules explain`.

mod args;
mod exit;
mod explain;
mod explain_chains;
mod inputs;
mod load;
mod posture;
mod rules_cmd;
mod scan;
mod tuning;

pub use args::Cli;

use args::{Command, RulesCommand};

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Rules(RulesCommand::Test { file, overlays }) => {
            rules_cmd::test(file.as_ref(), &overlays)
        }
        Command::Rules(RulesCommand::List { file, overlays }) => {
            rules_cmd::list(file.as_ref(), &overlays)
        }
        Command::Rules(RulesCommand::Explain(args)) => explain::run(&args),
    }
}
