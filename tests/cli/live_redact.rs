//! Redaction over the render conformance corpus: after `promop::redact::redact`, no value of a
//! Secret the input holds is left in a credential position of the expected configuration.
//! Skipped when the corpus (../shared/conformance) is absent.

use std::collections::BTreeSet;
use std::path::Path;

use promop::yaml::Yaml;

/// Fields that take their value from a Secret but are not credentials (Prometheus prints them).
const NOT_CREDENTIALS: &[&str] = &[
    "username",
    "client_id",
    "tenant_id",
    "role_arn",
    "profile",
    "endpoint_params",
];

fn secret_values(input: &str) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for value in promop::yaml::from_str_all::<serde_json::Value>(input).unwrap_or_default() {
        if value["kind"] != "Secret" {
            continue;
        }
        if let Some(map) = value["stringData"].as_object() {
            values.extend(map.values().filter_map(|v| v.as_str()).map(str::to_owned));
        }
        if let Some(map) = value["data"].as_object() {
            values.extend(
                map.values()
                    .filter_map(|v| v.as_str())
                    .filter_map(|v| promop::decode::base64_decode(v).ok())
                    .map(|b| String::from_utf8_lossy(&b).into_owned()),
            );
        }
    }
    values.retain(|v| !v.trim().is_empty());
    values
}

fn leaks(node: &Yaml, path: &str, secrets: &BTreeSet<String>, out: &mut Vec<String>) {
    match node {
        Yaml::Map(map) => {
            for (key, value) in map.iter() {
                if NOT_CREDENTIALS.contains(&key) {
                    continue;
                }
                leaks(value, &format!("{path}.{key}"), secrets, out);
            }
        }
        Yaml::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                leaks(item, &format!("{path}[{i}]"), secrets, out);
            }
        }
        Yaml::Str(s) if secrets.contains(s.as_ref()) => out.push(format!("{path}: {s}")),
        _ => {}
    }
}

#[test]
fn every_credential_in_the_render_corpus_is_redacted() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/render");
    let Ok(cases) = std::fs::read_dir(&corpus) else {
        eprintln!("{} absent: skipping", corpus.display());
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut redacted = 0;
    for case in cases.flatten() {
        let dir = case.path();
        let (Ok(input), Ok(expected)) = (
            std::fs::read_to_string(dir.join("input.yaml")),
            std::fs::read_to_string(dir.join("expected.yaml")),
        ) else {
            continue;
        };
        let Ok(mut tree) = promop::yaml::parse(&expected) else {
            continue;
        };
        redacted += promop::redact::redact(&mut tree);
        checked += 1;
        let secrets = secret_values(&input);
        let mut found = Vec::new();
        leaks(&tree, "", &secrets, &mut found);
        let name = case.file_name().to_string_lossy().into_owned();
        failures.extend(found.into_iter().map(|f| format!("{name}: {f}")));
    }
    assert!(checked > 0, "no cases read from {}", corpus.display());
    assert!(redacted > 0);
    assert!(
        failures.is_empty(),
        "{} credential(s) left visible:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
