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

/// Renders `value` in `format`, ending with a newline.
pub fn format(value: &Yaml, format: Format) -> String {
    match format {
        Format::Yaml => promop::yaml::emit(value),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value.to_json()).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// Writes `text` to stdout. A closed pipe (the reader exited) counts as success.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
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

/// The base64 of the gzip of `text`: how the operator stores `prometheus.yaml.gz` in its Secret.
pub fn secret_payload(text: &str) -> Result<String, CliError> {
    use base64::Engine;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .context("cannot compress the configuration")
        .map_err(CliError::usage)?;
    let compressed = encoder
        .finish()
        .context("cannot compress the configuration")
        .map_err(CliError::usage)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(compressed) + "\n")
}
