//! The emitter against the operator's own output: every `expected.yaml` of the render corpus
//! (`../shared/conformance/render`, or `$PROMOP_CONFORMANCE_DIR/render`) must survive
//! parse-then-emit byte for byte. Skips when the corpus is absent.

use std::path::{Path, PathBuf};

use promop::yaml::{emit, parse};

fn render_corpus() -> Option<PathBuf> {
    let root = std::env::var_os("PROMOP_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    let dir = root.join("render");
    dir.is_dir().then_some(dir)
}

#[test]
fn goldens_round_trip_byte_for_byte() {
    let Some(dir) = render_corpus() else {
        println!("yaml goldens: skipped, no render corpus (set PROMOP_CONFORMANCE_DIR)");
        return;
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("render corpus is readable")
        .filter_map(Result::ok)
        .map(|e| e.path().join("expected.yaml"))
        .filter(|p| p.is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no expected.yaml under {}",
        dir.display()
    );

    let mut failures = Vec::new();
    for path in &cases {
        let text = std::fs::read_to_string(path).expect("golden is UTF-8");
        match parse(&text) {
            Ok(doc) => {
                let out = emit(&doc);
                if out != text {
                    let line = out
                        .lines()
                        .zip(text.lines())
                        .position(|(a, b)| a != b)
                        .map_or(0, |i| i + 1);
                    failures.push(format!("{}: differs at line {line}", path.display()));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    println!(
        "yaml goldens: {} of {} byte-exact",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
