//! Hostile input against the real binary: nothing from input reaches the terminal raw, and
//! budgets hold.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn manifest(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

/// OSC (retitle), BEL, a screen clear and a C1 CSI, as YAML double-quoted escapes.
const ESCAPES: &str = r"\e]0;pwned\a\e[2J\x9b31m";

#[test]
fn escape_sequences_from_input_are_escaped_in_messages_and_tables() {
    let text = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {{}}\n  endpoints:\n  - port: web\n    scheme: \"{}\"\n    \"{}\": 1\n",
        ESCAPES, ESCAPES
    );
    let (_dir, path) = manifest("esc.yaml", &text);
    for args in [
        vec!["validate", "-f", path.as_str()],
        vec!["explain", "smon/web", "-n", "shop", "-f", path.as_str()],
        vec!["render", "-f", path.as_str()],
    ] {
        let out = run(&args);
        for stream in [&out.stdout, &out.stderr] {
            let shown = String::from_utf8_lossy(stream);
            assert!(
                !shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{9b}'),
                "{args:?}: {shown:?}"
            );
        }
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            all.contains("\\x1b") || all.contains("\\u"),
            "{args:?}: {all}"
        );
    }
}
