//! Command-line parsing, dispatch to one module per subcommand, and exit codes.
//!
//! Exit codes: 0 success, 1 invalid input (the manifests are wrong or the operator would refuse
//! them) or `diff` found differences, 2 usage, I/O or cluster error. A closed stdout (`| head`)
//! is not an error.

mod apply;
mod color;
mod completion;
mod decode_config;
mod diff;
mod diff_rules;
mod diff_workload;
mod explain;
mod explain_live;
mod input;
mod kube_args;
mod live;
mod operator;
mod output;
mod progress;
mod render;
mod render_rules;
mod render_workload;
mod resource_arg;
mod route;
mod status;
mod target;
mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Explains, renders, diffs and validates prometheus-operator configuration.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-promop",
    bin_name = "kubectl promop",
    version,
    about,
    propagate_version = true,
    // kubectl's flags take the last of repeated values (`-n a -n b` is `-n b`).
    args_override_self = true,
    after_help = EXIT_CODES
)]
struct Cli {
    /// When to colour output: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = color::ColorChoice::Auto, value_name = "WHEN")]
    color: color::ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print what the operator generates, from manifests or the cluster: the configuration of
    /// a Prometheus, PrometheusAgent or Alertmanager; `render rules` the rule-file ConfigMaps;
    /// `render statefulset` the workload.
    Render(render::Args),
    /// Print the configuration the operator stored in the generated Secret of a Prometheus,
    /// PrometheusAgent or Alertmanager (credentials hidden).
    DecodeConfig(decode_config::Args),
    /// Compare what the operator stored (configuration, rule ConfigMaps, StatefulSet) with what
    /// it would generate from the cluster's objects, with local files laid over them (exit 0
    /// equal, 1 different, 2 error).
    Diff(diff::Args),
    /// Explain why objects are (not) selected and what comes of them: a Prometheus's monitors,
    /// what a ServiceMonitor, PodMonitor, Probe or ScrapeConfig scrapes (`--live`: as the pods
    /// see it), an Alertmanager's or AlertmanagerConfig's routes, a PrometheusRule's path to
    /// receivers.
    Explain(explain::Args),
    /// Where an alert goes: each route tried, the receivers reached and where they came from,
    /// from an Alertmanager's or a PrometheusRule's side.
    Route(route::Args),
    /// Whether every pod of a Prometheus, PrometheusAgent or Alertmanager loaded the
    /// configuration the operator stored, and how its targets fare (exit 0 all in sync and
    /// healthy, 1 otherwise, 2 when the cluster or the Secret cannot be read).
    Status(status::Args),
    /// Check manifests with the operator's own checks before they reach the cluster (exit 0
    /// valid, 1 invalid).
    Validate(validate::Args),
    /// Validate every document, let the API server check them (server-side dry run), then
    /// server-side apply them; nothing is applied when any is invalid or refused (objects in a
    /// Namespace the input creates are checked once it is written, which is then said).
    Apply(apply::Args),
    /// Print a shell completion script for kubectl-promop (bash, zsh, fish, elvish, powershell);
    /// `kubectl promop` itself completes through the kubectl_complete-promop executable.
    Completion(completion::Args),
}

/// The exit codes, as help shows them.
const EXIT_CODES: &str = "Exit codes:\n  0  success (diff: no differences)\n  1  invalid input: the manifests are wrong or the operator would reject them (diff: differences found; apply: a conflict or an object the API server refuses, nothing written; status: a pod not healthy)\n  2  usage error (a name the input does not hold included), unreadable file, or the cluster could not be read (diff: any error)";

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

    /// An invalid-input error about `object` (`Kind namespace/name`), which the library's
    /// error does not name.
    pub fn invalid_in<E>(object: String) -> impl FnOnce(E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        move |error| CliError::Invalid(anyhow::Error::new(error).context(object))
    }

    /// The error as `diff` reports it: its exit code 1 means differences, as `kubectl diff`'s
    /// does, so every error there, invalid input included, exits 2.
    fn in_diff(self) -> Self {
        match self {
            CliError::Invalid(error) => CliError::Usage(error),
            other => other,
        }
    }

    /// A usage or I/O error from anything displayable.
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        CliError::Usage(error.into())
    }
}

/// Prints what clap says (help and version land here too; they are not failures) and returns
/// the exit code. An error quotes the arguments: when they hold control characters, it is
/// printed without clap's colours, escaped.
fn clap_exit(error: &clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let plain = error.render().to_string();
    let unsafe_args = args.iter().any(|arg| {
        let arg = arg.to_string_lossy();
        output::escaped(&arg) != arg
    });
    if !unsafe_args {
        let _ = error.print();
    } else {
        let _ =
            std::io::Write::write_all(&mut std::io::stderr(), output::escaped(&plain).as_bytes());
    }
    ExitCode::from(2)
}

/// Parses the command line, runs the subcommand and returns its exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Completion requests bypass clap: their words are partial and may not parse.
    if args.get(1).is_some_and(|a| a == "__complete") {
        let words: Vec<String> = args
            .iter()
            .skip(2)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return completion::run_complete(&words);
    }
    let color_choice = color::choice_in_args(&args).unwrap_or_default();
    let matches = match Cli::command()
        .color(color::clap_choice(color_choice))
        .try_get_matches_from(&args)
    {
        Ok(matches) => matches,
        Err(error) => return clap_exit(&error, &args),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return clap_exit(&error, &args),
    };
    color::apply(cli.color);
    let result = match cli.command {
        // `rules` and `statefulset` name other outputs of the same instance.
        Command::Render(args) => match args.instance.first().map(String::as_str) {
            Some("rules") => render_rules::run(&args),
            Some("statefulset") => render_workload::run(&args),
            _ => render::run(&args),
        },
        Command::DecodeConfig(args) => decode_config::run(&args),
        Command::Diff(args) => match args.instance.first().map(String::as_str) {
            Some("rules") => diff_rules::run(&args),
            Some("statefulset") => diff_workload::run(&args),
            _ => diff::run(&args),
        }
        .map_err(CliError::in_diff),
        Command::Explain(args) => explain::run(&args),
        Command::Route(args) => route::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Apply(args) => apply::run(&args),
        Command::Completion(args) => completion::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Invalid(error)) => {
            output::error(&format!("{error:#}"));
            ExitCode::from(1)
        }
        Err(CliError::Differences) => ExitCode::from(1),
        Err(CliError::Usage(error)) => {
            output::error(&format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}
