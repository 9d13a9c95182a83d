//! Shared runner for the conformance corpora in `../shared/conformance/` (or
//! `$PROMOP_CONFORMANCE_DIR`): one libtest trial per case, named `<corpus>::<case>`, and exactly
//! one summary line per corpus whatever the outcome.
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
    /// (only counted for corpora that report it).
    Pass { byte_exact: bool },
    /// Does not match; the message says how.
    Fail(String),
}

impl From<Result<(), String>> for Outcome {
    fn from(result: Result<(), String>) -> Self {
        match result {
            Ok(()) => Outcome::Pass { byte_exact: false },
            Err(why) => Outcome::Fail(why),
        }
    }
}

/// One corpus: its folder name under the conformance root, whether its summary counts
/// byte-exact outputs, and the check run for each case (`dir` is the corpus folder, `case`
/// the case name: a sub-folder, or a `*.yaml` file without extension).
pub struct Corpus {
    pub name: &'static str,
    pub byte_exact_column: bool,
    pub check: fn(dir: &Path, case: &str) -> Outcome,
}

/// The conformance root.
fn root() -> PathBuf {
    std::env::var_os("PROMOP_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"))
}

/// Case names (sorted) in a corpus folder: folders holding a `case.yaml` or `input.yaml`, or
/// `*.yaml` files without extension. Other folders group cases: their cases are named
/// `group/case`.
pub fn case_names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    collect_cases(dir, "", &mut names);
    names.sort();
    names
}

fn collect_cases(dir: &Path, prefix: &str, names: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            if path.join("case.yaml").exists() || path.join("input.yaml").exists() {
                names.push(format!("{prefix}{name}"));
            } else {
                collect_cases(&path, &format!("{prefix}{name}/"), names);
            }
        } else if let Some(stem) = name.strip_suffix(".yaml") {
            names.push(format!("{prefix}{stem}"));
        }
    }
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

#[derive(Default)]
struct Tally {
    passed: usize,
    byte_exact: usize,
    /// Passing cases whose output matches as data but not byte for byte.
    data_only: Vec<String>,
    failed: Vec<String>,
}

/// Runs every case of every corpus in one libtest run, prints one summary line per corpus, and
/// exits the process with libtest's status.
pub fn run_all(corpora: &[Corpus]) -> ! {
    let args = Arguments::from_args();
    let root = root();
    let mut trials = Vec::new();
    let mut tallies = Vec::new();
    for corpus in corpora {
        let dir = root.join(corpus.name);
        if !dir.is_dir() {
            tallies.push(None);
            continue;
        }
        let required = must_pass(corpus.name);
        let tally: Arc<Mutex<Tally>> = Arc::default();
        let names = case_names(&dir);
        tallies.push(Some((names.len(), tally.clone())));
        for name in names {
            let (dir, tally, check) = (dir.clone(), tally.clone(), corpus.check);
            let required = required.contains(&name);
            trials.push(Trial::test(format!("{}::{name}", corpus.name), move || {
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&dir, &name)))
                        .unwrap_or_else(|_| Outcome::Fail("panicked".to_owned()));
                let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
                match outcome {
                    Outcome::Pass { byte_exact } => {
                        tally.passed += 1;
                        tally.byte_exact += usize::from(byte_exact);
                        if !byte_exact {
                            tally.data_only.push(name.clone());
                        }
                        Ok(())
                    }
                    Outcome::Fail(why) => {
                        tally.failed.push(format!("{name}: {}", first_line(&why)));
                        if required {
                            Err(Failed::from(format!("must-pass case regressed:\n{why}")))
                        } else {
                            Ok(())
                        }
                    }
                }
            }));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    for (corpus, tally) in corpora.iter().zip(tallies) {
        let Some((total, tally)) = tally else {
            println!(
                "{} conformance: skipped, no corpus at {} (set PROMOP_CONFORMANCE_DIR)",
                corpus.name,
                root.join(corpus.name).display()
            );
            continue;
        };
        let tally = tally.lock().unwrap_or_else(|e| e.into_inner());
        let mut failed = tally.failed.clone();
        failed.sort();
        if !failed.is_empty() {
            println!("{} not passing yet ({}):", corpus.name, failed.len());
            for f in &failed {
                println!("  {f}");
            }
        }
        let ran = tally.passed + failed.len();
        let filtered = match total - ran {
            0 => String::new(),
            n => format!(" ({n} filtered out)"),
        };
        let exact = if corpus.byte_exact_column {
            format!(", {} byte-exact", tally.byte_exact)
        } else {
            String::new()
        };
        println!(
            "{} conformance: {} passed, {} failed{exact} of {total}{filtered}",
            corpus.name,
            tally.passed,
            failed.len()
        );
        // A short list of the cases that match only as data says where formatting still differs.
        if corpus.byte_exact_column && (1..=10).contains(&tally.data_only.len()) {
            let mut names = tally.data_only.clone();
            names.sort();
            println!("  equal as data, not byte for byte: {}", names.join(", "));
        }
    }
    conclusion.exit()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// A case's input (`name`, `text`) as upstream's Go tests hand it to the operator: objects built
/// in Go, so neither the CRD defaults the API server fills in nor its schema validation (many
/// cases test the operator's own checks on values the API server would refuse).
pub fn load_as_built(name: &str, text: &str) -> Result<promop::snapshot::Snapshot, String> {
    let mut snapshot = promop::snapshot::Snapshot::default();
    snapshot
        .load_without_defaults(name, text)
        .map_err(|e| format!("loading {name}: {e}"))?;
    Ok(snapshot)
}
