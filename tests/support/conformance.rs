//! Shared runner for the conformance corpora in `../shared/conformance/` (or
//! `$PROMOP_CONFORMANCE_DIR`): one libtest trial per case, and exactly one summary line per
//! corpus whatever the outcome.
//!
//! A case listed in `tests/conformance/<corpus>.pass` must pass (a regression fails CI); any other
//! failing case is reported by name and counted, never hidden.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Failed, Trial};

/// The outcome of one case.
pub enum Outcome {
    /// Matches the expectation. `byte_exact` is whether the output also matched byte for byte
    /// (only meaningful for the render corpus).
    Pass { byte_exact: bool },
    /// Does not match; the message says how.
    Fail(String),
}

/// The corpus folder `<root>/<corpus>`, or `None` (after saying so) when it is absent.
pub fn corpus_dir(corpus: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PROMOP_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    let dir = root.join(corpus);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "{corpus} conformance: skipped, no corpus at {} (set PROMOP_CONFORMANCE_DIR)",
            dir.display()
        );
        None
    }
}

/// Case names (sorted) in a corpus folder: sub-folders, or `*.yaml` files without extension.
pub fn case_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if e.path().is_dir() {
                        Some(name)
                    } else {
                        name.strip_suffix(".yaml").map(str::to_owned)
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn must_pass(corpus: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(format!("{corpus}.pass"));
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Runs `check` on every case of `corpus` and exits the process with libtest's status.
/// `byte_exact_column` adds the `B byte-exact` figure to the summary line.
pub fn run<F>(corpus: &str, byte_exact_column: bool, check: F) -> !
where
    F: Fn(&Path, &str) -> Outcome + Send + Sync + 'static,
{
    let args = Arguments::from_args();
    let Some(dir) = corpus_dir(corpus) else {
        std::process::exit(0);
    };
    let required = must_pass(corpus);
    let check = Arc::new(check);
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let counts: Arc<Mutex<(usize, usize)>> = Arc::default(); // (passed, byte_exact)
    let names = case_names(&dir);
    let total = names.len();
    let trials = names
        .into_iter()
        .map(|name| {
            let (dir, check, failures, counts) =
                (dir.clone(), check.clone(), failures.clone(), counts.clone());
            let required = required.contains(&name);
            Trial::test(name.clone(), move || {
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&dir, &name)))
                        .unwrap_or_else(|_| Outcome::Fail("panicked".to_owned()));
                match outcome {
                    Outcome::Pass { byte_exact } => {
                        let mut c = counts.lock().unwrap();
                        c.0 += 1;
                        c.1 += usize::from(byte_exact);
                        Ok(())
                    }
                    Outcome::Fail(why) => {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{name}: {}", first_line(&why)));
                        if required {
                            Err(Failed::from(format!("must-pass case regressed:\n{why}")))
                        } else {
                            Ok(())
                        }
                    }
                }
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let (passed, exact) = *counts.lock().unwrap();
    let mut failed = failures.lock().unwrap().clone();
    failed.sort();
    if !failed.is_empty() {
        println!("not passing yet ({}):", failed.len());
        for f in &failed {
            println!("  {f}");
        }
    }
    let ran = passed + failed.len();
    let skipped = total - ran;
    let filtered = if skipped > 0 {
        format!(" ({skipped} filtered out)")
    } else {
        String::new()
    };
    if byte_exact_column {
        println!(
            "{corpus} conformance: {passed} passed, {} failed, {exact} byte-exact of {total}{filtered}",
            failed.len()
        );
    } else {
        println!(
            "{corpus} conformance: {passed} passed, {} failed of {total}{filtered}",
            failed.len()
        );
    }
    conclusion.exit()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}
