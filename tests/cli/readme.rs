//! README's examples, run as written: every `$ kubectl promop ...` line of a `text` block that
//! reads files (`-f`) and shows its output is run from the checkout (through `sh`, so pipes
//! work), and what it prints (stdout then stderr, as a terminal shows them without colour) must
//! be what the README shows. A line `...` in the README stands for any lines.

use std::process::Command;

const README: &str = include_str!("../../README.md");

/// One shown command and the output printed under it.
struct Example {
    line: usize,
    command: String,
    shown: Vec<String>,
}

/// The examples of the README's `text` blocks, continuation lines (`\`) joined.
fn examples() -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut continued = false;
    for (i, line) in README.lines().enumerate() {
        if line.starts_with("```") {
            in_block = line == "```text";
            continued = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(example) = examples.last_mut().filter(|_| continued) {
            example.command.push(' ');
            example.command.push_str(line.trim().trim_end_matches('\\'));
            continued = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: i + 1,
                command: command.trim_end_matches('\\').to_owned(),
                shown: Vec::new(),
            });
            continued = line.ends_with('\\');
        } else if let Some(example) = examples.last_mut() {
            example.shown.push(line.trim_end().to_owned());
        }
    }
    examples
}

/// Whether `actual` is `shown`, where a shown `...` stands for any lines.
fn matches(shown: &[String], actual: &[&str]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line == first && matches(rest, more)),
    }
}

#[test]
fn readme_examples_from_files_print_what_the_readme_shows() {
    let binary = env!("CARGO_BIN_EXE_kubectl-promop");
    let mut checked = 0;
    let mut differing = Vec::new();
    for example in examples() {
        // Commands that also read a cluster (diff, status, ...) are the loopback tests' part.
        let subcommand = example
            .command
            .split_whitespace()
            .nth(2)
            .unwrap_or_default();
        let offline = example.command.contains(" -f ")
            && !["diff", "apply", "status", "decode-config"].contains(&subcommand);
        if !offline || example.shown.is_empty() {
            continue;
        }
        let command = example.command.replace("kubectl promop", binary);
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{{ {command}; }} 2>&1"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run sh");
        let text = String::from_utf8_lossy(&output.stdout);
        let actual: Vec<&str> = text.lines().map(str::trim_end).collect();
        if !matches(&example.shown, &actual) {
            differing.push(format!(
                "README.md:{}: `{}` printed:\n{text}\nthe README shows:\n{}\n",
                example.line,
                example.command,
                example.shown.join("\n")
            ));
        }
        checked += 1;
    }
    assert!(differing.is_empty(), "{}", differing.join("\n"));
    assert!(checked >= 8, "only {checked} README examples were checked");
}
