//! `cognito-trail-alerts`: scan CloudTrail log files for Cognito changes, or test a
//! rules file. The engine lives in the library; this is argument parsing and output.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    ExitCode::from(cli::run(args))
}
