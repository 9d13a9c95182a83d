//! Writing results: output formats, stdout that tolerates a closed pipe, and warnings.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

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
        // A terminal gets it through `print`, which escapes what could fool the reader.
        Format::Yaml if std::io::stdout().is_terminal() => print(&promop::yaml::emit(value)),
        Format::Yaml => {
            let mut stdout = std::io::stdout().lock();
            stdout_result(promop::yaml::emit_to(value, &mut stdout).and_then(|()| stdout.flush()))
        }
        Format::Json => print(&json_text(&value.to_json())?),
    }
}

/// Prints generated objects as JSON in a `v1` `List`, whatever their number: the request names
/// an instance, not the objects, and `kubectl get -o json` prints a List unless one object was
/// asked for by name (`printGeneric`), so scripts read `.items` however many shards or rule
/// ConfigMaps there are.
pub fn print_json_objects<T: serde::Serialize>(objects: &[T]) -> Result<(), CliError> {
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects});
    print(&json_text(&list)?)
}

/// Warns, when the operator does not reconcile an instance (`why`), that it therefore does
/// not write `what_is_not_written` (e.g. "it does not write this configuration").
pub fn warn_not_reconciled(why: Option<&str>, what_is_not_written: &str) {
    if let Some(why) = why {
        warn(&format!("{why}: {what_is_not_written}"));
    }
}

/// Writes machine-readable `text` (YAML, JSON, a payload) to stdout exactly, except that on a
/// terminal its control characters are shown escaped: it may come from a cluster.
pub fn print(text: &str) -> Result<(), CliError> {
    let text = if std::io::stdout().is_terminal() {
        terminal_safe(text, false)
    } else {
        Cow::Borrowed(text)
    };
    write_stdout(&text)
}

/// Writes human-readable `text` (tables, reports, differences) to stdout with every control
/// character escaped: what it shows came from input or a server.
pub fn print_text(text: &str) -> Result<(), CliError> {
    write_stdout(&terminal_safe(text, false))
}

/// [`print_text`] for text this program coloured: its colour sequences are kept, so every
/// piece of input in it must have been escaped with [`escaped`] (or a table's data cells).
pub fn print_colored_text(text: &str) -> Result<(), CliError> {
    write_stdout(&terminal_safe(text, color_enabled()))
}

/// `text` from input or a server, its control characters escaped, for a coloured text.
pub fn escaped(text: &str) -> Cow<'_, str> {
    terminal_safe(text, false)
}

fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout_result(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

fn color_enabled() -> bool {
    colored::control::SHOULD_COLORIZE.should_colorize()
}

/// Control characters (but newlines and tabs), the bidirectional marks and overrides that
/// reorder what a terminal shows (a name can read as another), the invisible ones that hide a
/// difference (zero-width characters, soft hyphen, byte order mark) and Unicode's line and
/// paragraph separators.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `value` as indented JSON and a newline, every character [`terminal_safe`] would escape
/// written as a JSON `\uXXXX` escape: valid JSON, and safe on a terminal.
pub fn json_text(value: &impl serde::Serialize) -> Result<String, CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::usage(anyhow::anyhow!("cannot write JSON: {e}")))?;
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if is_unsafe(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    Ok(out)
}

/// `text` with control characters (but newlines and tabs) written as `\xNN` / `\u{NNNN}`, so
/// that nothing from input can move the cursor, retitle the terminal or hide text. With
/// `keep_colors`, colour sequences (`ESC [ digits ; m`) are kept: they are this program's own.
pub fn terminal_safe(text: &str, keep_colors: bool) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if keep_colors
            && c == '\u{1b}'
            && let Some(len) = color_sequence_len(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if is_unsafe(c) {
            let code = u32::from(c);
            if code < 0x100 {
                out.push_str(&format!("\\x{code:02x}"));
            } else {
                out.push_str(&format!("\\u{{{code:04x}}}"));
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Length of an SGR (colour) sequence at the start of `text`: `ESC [`, digits and `;`, `m`.
fn color_sequence_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let digits = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
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

/// Prints a warning line on stderr (ignoring a closed stderr), control characters escaped and
/// URL passwords hidden (a message never quotes a credential).
pub fn warn(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "warning: {}",
        terminal_safe(&message_safe(message), false)
    );
}

/// Prints an error line on stderr, control characters escaped and URL passwords hidden.
pub fn error(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "error: {}",
        terminal_safe(&message_safe(message), false)
    );
}

/// `message` with the password of any URL it quotes hidden, whatever --show-secrets says.
fn message_safe(message: &str) -> Cow<'_, str> {
    match promop::redact::redact_url_password(message) {
        Some(hidden) => Cow::Owned(hidden),
        None => Cow::Borrowed(message),
    }
}

/// The base64 of the gzipped `config`: how the operator stores `prometheus.yaml.gz` in its
/// Secret. A payload over the Secret size limit is an error, as the operator could not store it.
pub fn secret_payload(config: &Yaml) -> Result<String, CliError> {
    let payload = promop::decode::encode_config(config)
        .context("cannot store the configuration in a Secret")
        .map_err(CliError::invalid)?;
    Ok(promop::decode::base64_encode(&payload) + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\td\ne\u{9b}", false),
            "a\\x1b]0;pwned\\x07b\\x1b[2Jc\td\ne\\x9b"
        );
        assert_eq!(
            terminal_safe("\u{1b}[1;31mred\u{1b}[0m \u{1b}[2J", true),
            "\u{1b}[1;31mred\u{1b}[0m \\x1b[2J"
        );
        assert!(matches!(terminal_safe("plain", false), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("evil\u{202e}txt.exe\u{2066}", false),
            "evil\\u{202e}txt.exe\\u{2066}"
        );
        assert_eq!(
            terminal_safe("a\u{200b}b\u{feff}c\u{ad}d\u{2028}e", false),
            "a\\u{200b}b\\u{feff}c\\xadd\\u{2028}e"
        );
        assert!(matches!(
            terminal_safe("grüße 日本", false),
            Cow::Borrowed(_)
        ));
    }
}
