//! Command-line parsing, dispatch to one module per subcommand, and exit codes.
//!
//! Exit codes: 0 success, 1 invalid input (the manifests are wrong or the operator would refuse
//! them), 2 usage or I/O error. A closed stdout (`| head`) is not an error.

mod apply;
mod decode_config;
mod diff;
mod explain;
mod input;
mod kube_args;
mod live;
mod operator;
mod output;
mod render;
mod target;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Explains, renders, diffs and validates prometheus-operator configuration.
#[derive(Debug, Parser)]
#[command(name = "kubectl-promop", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the Prometheus configuration the operator generates for a Prometheus or
    /// PrometheusAgent, from manifests.
    Render(render::Args),
    /// Print the configuration the operator stored in the generated Secret of a Prometheus,
    /// PrometheusAgent or Alertmanager (credentials hidden).
    DecodeConfig(decode_config::Args),
    /// Compare the live configuration with the one rendered from the cluster's objects, with
    /// local files laid over them (exit 0 equal, 1 different, 2 error).
    Diff(diff::Args),
    /// Explain why monitors are (not) selected by a Prometheus, or what a ServiceMonitor,
    /// PodMonitor or Probe scrapes and why not.
    Explain(explain::Args),
    /// Check manifests before they reach the cluster (exit 0 valid, 1 invalid).
    Validate(validate::Args),
    /// Validate every document, then server-side apply them (nothing is applied when any
    /// document is invalid).
    Apply(apply::Args),
}

/// A failed command, classified by exit code.
#[derive(Debug)]
pub enum CliError {
    /// The input is invalid (exit 1).
    Invalid(anyhow::Error),
    /// Wrong usage, or a file could not be read or written (exit 2).
    Usage(anyhow::Error),
    /// `diff` found differences and has printed them (exit 1, no error message).
    Differences,
}

impl CliError {
    /// An invalid-input error from anything displayable.
    pub fn invalid(error: impl Into<anyhow::Error>) -> Self {
        CliError::Invalid(error.into())
    }

    /// A usage or I/O error from anything displayable.
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        CliError::Usage(error.into())
    }
}

/// Parses the command line, runs the subcommand and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version land here too; they are not failures.
            let code = if error.use_stderr() { 2 } else { 0 };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Render(args) => render::run(&args),
        Command::DecodeConfig(args) => decode_config::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Apply(args) => apply::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Invalid(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
        Err(CliError::Differences) => ExitCode::from(1),
        Err(CliError::Usage(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
