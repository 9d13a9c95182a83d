//! Writing results: output formats, stdout that tolerates a closed pipe, and warnings.

use std::io::Write;

use anyhow::Context;
use promop::yaml::Yaml;

use super::CliError;

/// How a configuration is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// YAML, formatted exactly as the operator writes it.
    Yaml,
    /// JSON, keys in the same order.
    Json,
}

/// Prints `value` in `format` on stdout. YAML goes out as it is emitted, so a large
/// configuration is never held as text next to its tree.
pub fn print_formatted(value: &Yaml, format: Format) -> Result<(), CliError> {
    match format {
        Format::Yaml => {
            let mut stdout = std::io::stdout().lock();
            stdout_result(promop::yaml::emit_to(value, &mut stdout).and_then(|()| stdout.flush()))
        }
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value.to_json()).unwrap_or_default();
            text.push('\n');
            print(&text)
        }
    }
}

/// Writes `text` to stdout.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// A closed pipe (the reader exited) counts as success.
fn stdout_result(written: std::io::Result<()>) -> Result<(), CliError> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::usage(
            anyhow::Error::new(e).context("cannot write to stdout"),
        )),
    }
}

/// Prints a warning line on stderr (ignoring a closed stderr).
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}

/// The base64 of the gzipped `config`: how the operator stores `prometheus.yaml.gz` in its
/// Secret. A payload over the Secret size limit is an error, as the operator could not store it.
pub fn secret_payload(config: &Yaml) -> Result<String, CliError> {
    let payload = promop::decode::encode_config(config)
        .context("cannot store the configuration in a Secret")
        .map_err(CliError::invalid)?;
    Ok(promop::decode::base64_encode(&payload) + "\n")
}
