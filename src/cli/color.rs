//! When to colour output: the global `--color` flag, `NO_COLOR`, and whether stdout is a terminal.

use std::ffi::OsStr;
use std::io::IsTerminal;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour, even into a pipe.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour: `always` and `never` win; `auto` colours a terminal unless `NO_COLOR` is
/// set to anything non-empty or `TERM` is `dumb` (<https://no-color.org>).
pub fn should_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&OsStr>,
    term: Option<&OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && no_color.is_none_or(OsStr::is_empty) && term.is_none_or(|t| t != "dumb")
        }
    }
}

/// Applies `choice` to everything printed on stdout through `colored`, and returns the decision.
pub fn apply(choice: ColorChoice) -> bool {
    let on = should_color(
        choice,
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    );
    colored::control::set_override(on);
    on
}

/// The choice given on the command line (`--color WHEN` or `--color=WHEN`), read before clap
/// parses so that clap's own help and errors follow it too.
pub fn choice_in_args(args: &[std::ffi::OsString]) -> Option<ColorChoice> {
    let mut choice = None;
    let mut words = args.iter().map(|a| a.to_str().unwrap_or(""));
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--color") {
            Some("") => words.next().unwrap_or(""),
            Some(rest) => match rest.strip_prefix('=') {
                Some(value) => value,
                None => continue,
            },
            None => continue,
        };
        choice = match value {
            "always" => Some(ColorChoice::Always),
            "never" => Some(ColorChoice::Never),
            "auto" => Some(ColorChoice::Auto),
            _ => choice,
        };
    }
    choice
}

/// clap's own colouring for `choice`.
pub fn clap_choice(choice: ColorChoice) -> clap::ColorChoice {
    match choice {
        ColorChoice::Auto => clap::ColorChoice::Auto,
        ColorChoice::Always => clap::ColorChoice::Always,
        ColorChoice::Never => clap::ColorChoice::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        let auto = ColorChoice::Auto;
        assert!(should_color(auto, true, None, None));
        assert!(!should_color(auto, false, None, None));
        assert!(!should_color(auto, true, Some(OsStr::new("1")), None));
        // An empty NO_COLOR does not count as set.
        assert!(should_color(auto, true, Some(OsStr::new("")), None));
        assert!(!should_color(auto, true, None, Some(OsStr::new("dumb"))));
        assert!(should_color(
            ColorChoice::Always,
            false,
            Some(OsStr::new("1")),
            None
        ));
        assert!(!should_color(ColorChoice::Never, true, None, None));
    }

    #[test]
    fn reads_the_flag_before_clap() {
        let args =
            |words: &[&str]| -> Vec<std::ffi::OsString> { words.iter().map(Into::into).collect() };
        assert_eq!(
            choice_in_args(&args(&["render", "--color=never"])),
            Some(ColorChoice::Never)
        );
        assert_eq!(
            choice_in_args(&args(&["--color", "always", "explain"])),
            Some(ColorChoice::Always)
        );
        assert_eq!(choice_in_args(&args(&["--", "--color=never"])), None);
        assert_eq!(choice_in_args(&args(&["--colorful"])), None);
    }
}
