//! Bad input for `kubectl promop validate`: every case runs the real binary and checks the
//! exact output and exit code. Nothing may panic.

use std::path::Path;
use std::process::Command;

/// One fixture of tests/fixtures/bad run through `validate`.
struct Case {
    name: &'static str,
    file: &'static str,
    args: &'static [&'static str],
    code: i32,
    stdout: &'static str,
}

fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .current_dir(dir)
        .args(args)
        // Objects without a namespace go to kubectl's default, whatever this machine's kubeconfig.
        .env("KUBECONFIG", "/nonexistent")
        // Inside a pod kubectl would take the service account's namespace: not here.
        .env_remove("KUBERNETES_SERVICE_HOST")
        .output()
        .expect("run kubectl-promop");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn check(
    failures: &mut Vec<String>,
    name: &str,
    got: (i32, String, String),
    code: i32,
    stdout: &str,
) {
    let (got_code, got_stdout, stderr) = got;
    if stderr.contains("panicked") {
        failures.push(format!("{name}: panicked: {stderr}"));
    }
    if got_code != code || got_stdout != stdout {
        failures.push(format!(
            "{name}: expected exit {code} and\n{stdout}\ngot exit {got_code} and\n{got_stdout}{stderr}"
        ));
    }
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for case in CASES {
        let path = format!("tests/fixtures/bad/{}", case.file);
        let mut args = vec!["validate", "-f", path.as_str()];
        args.extend(case.args);
        check(
            &mut failures,
            case.name,
            run(&args, root),
            case.code,
            case.stdout,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(CASES.len() >= 60);
}

#[test]
fn generated_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path();
    std::fs::write(at.join("binary.yaml"), [0xff_u8, 0xfe, 0x00, 0x41]).unwrap();
    let mut rules = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: huge\n  namespace: shop\nspec:\n  groups:\n  - name: g\n    rules:\n",
    );
    for i in 0..6_000 {
        rules.push_str(&format!(
            "    - alert: Alert{i}\n      expr: up{{job=\"a-rather-long-job-name-{i}\"}} == 0\n      annotations:\n        summary: the job has been down for a while\n"
        ));
    }
    std::fs::write(at.join("huge_rules.yaml"), rules).unwrap();
    std::fs::create_dir(at.join("empty_dir")).unwrap();
    std::fs::create_dir_all(at.join("tree/sub")).unwrap();
    std::fs::write(
        at.join("tree/sub/bad.yaml"),
        "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: p\nspec:\n  selector: {}\n  podMetricsEndpoints:\n  - port: http\n    scheme: ftp\n",
    )
    .unwrap();
    let mut failures = Vec::new();
    let cases: &[(&str, &[&str], i32, &str)] = &[
        (
            "not_utf8",
            &["validate", "-f", "binary.yaml"],
            1,
            "binary.yaml:1: not UTF-8 text\ninvalid: 0 documents (0 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
        ),
        (
            "rules_over_the_configmap_limit",
            &["validate", "-f", "huge_rules.yaml"],
            1,
            "huge_rules.yaml:6: PrometheusRule shop/huge: spec: the rendered rules are 837807 bytes, more than the 524288-byte limit of a rule ConfigMap\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
        ),
        ("missing_file", &["validate", "-f", "nope.yaml"], 2, ""),
        (
            "directory_without_manifests",
            &["validate", "-f", "empty_dir"],
            2,
            "",
        ),
        (
            "recursive_directory",
            &["validate", "-R", "-f", "tree"],
            1,
            "tree/sub/bad.yaml:9: PodMonitor default/p: spec.podMetricsEndpoints[0].scheme: unsupported value \"ftp\": must be one of http, https, HTTP, HTTPS\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
        ),
        (
            "not_recursive_skips_sub_directories",
            &["validate", "-f", "tree"],
            2,
            "",
        ),
        ("no_files", &["validate"], 2, ""),
        (
            "bad_output_format",
            &["validate", "-f", "huge_rules.yaml", "-o", "xml"],
            2,
            "",
        ),
    ];
    for (name, args, code, stdout) in cases {
        check(&mut failures, name, run(args, at), *code, stdout);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn json_output_for_ci() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, _) = run(
        &[
            "validate",
            "-f",
            "tests/fixtures/bad/unknown_field_snake.yaml",
            "-o",
            "json",
        ],
        root,
    );
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 1);
    let problem = &report["problems"][0];
    assert_eq!(problem["line"], 13);
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["object"], "ServiceMonitor shop/web");
    assert_eq!(
        problem["field"],
        "spec.endpoints[0].relabelings[0].source_labels"
    );
    assert_eq!(
        problem["message"],
        "unknown field \"source_labels\" (did you mean \"sourceLabels\"?)"
    );
    assert_eq!(report["objects"][0]["valid"], false);
}

const CASES: &[Case] = &[
    Case {
        name: "web_tls_without_key",
        file: "web_tls_without_key.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/web_tls_without_key.yaml:1: Prometheus monitoring/k8s: invalid web TLS configuration: TLS private key must be defined (the operator creates no StatefulSet or DaemonSet for it)\ntests/fixtures/bad/web_tls_without_key.yaml:11: Prometheus monitoring/k8s: spec.web.tlsConfig.cert.secret: warning: unresolved reference: Secret monitoring/web-tls (key \"tls.crt\") is not in the input (not checked; --live resolves it, --strict makes this an error)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 1 warning\n",
    },
    Case {
        name: "alias_bomb",
        file: "alias_bomb.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/alias_bomb.yaml:5: ConfigMap bomb: l4[7][2][5][3][1]: YAML aliases expand this document beyond its alias budget (the document's size, at least 1048576 bytes); refusing it\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "bad_for_duration",
        file: "bad_for_duration.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/bad_for_duration.yaml:12: PrometheusRule shop/rules: spec.groups[0].rules[0].for: invalid duration \"soon\": use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "bad_group_interval",
        file: "bad_group_interval.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/bad_group_interval.yaml:9: PrometheusRule shop/rules: spec.groups[0].interval: invalid duration \"1 hour\": use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "comments_only",
        file: "comments_only.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/comments_only.yaml:1: no Kubernetes objects in the file\ninvalid: 0 documents (0 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "deep_nesting",
        file: "deep_nesting.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/deep_nesting.yaml:6: ServiceMonitor shop/web: status[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper than 128 levels\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "deployment",
        file: "deployment.yaml",
        args: &[],
        code: 0,
        stdout: "valid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 0 warnings; 1 object skipped (kinds the operator does not read; -v lists them)\n",
    },
    Case {
        name: "deployment_strict",
        file: "deployment.yaml",
        args: &["--strict", "-v"],
        code: 0,
        stdout: "tests/fixtures/bad/deployment.yaml:1: Deployment shop/web: skipped: not a prometheus-operator custom resource (apps/v1 Deployment): not checked\nvalid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 0 warnings; 1 object skipped (kinds the operator does not read; -v lists them)\n",
    },
    Case {
        name: "duplicate_group_names",
        file: "duplicate_group_names.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/duplicate_group_names.yaml:12: PrometheusRule shop/rules: spec.groups[1].name: groupname: \"g\" is repeated in the same file [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "duplicate_key_endpoint",
        file: "duplicate_key_endpoint.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/duplicate_key_endpoint.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].port: duplicate key: the key appears more than once in this mapping\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "duplicate_key_labels",
        file: "duplicate_key_labels.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/duplicate_key_labels.yaml:10: ServiceMonitor shop/web: spec.selector.matchLabels.app: duplicate key: the key appears more than once in this mapping\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "duplicate_key_top",
        file: "duplicate_key_top.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/duplicate_key_top.yaml:12: ServiceMonitor shop/web: spec: duplicate key: the key appears more than once in this mapping\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "empty",
        file: "empty.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/empty.yaml:1: no Kubernetes objects in the file\ninvalid: 0 documents (0 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "empty_expr",
        file: "empty_expr.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/empty_expr.yaml:11: PrometheusRule shop/rules: spec.groups[0].rules[0].expr: group \"g\", rule 1, \"High\": field 'expr' must be set in rule [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_duration",
        file: "invalid_duration.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_duration.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].interval: invalid duration \"5 minutes\": use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_label_selector",
        file: "invalid_label_selector.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_label_selector.yaml:7: ServiceMonitor shop/web: spec.selector: \"Near\" is not a valid label selector operator [label-selector]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_name",
        file: "invalid_name.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_name.yaml:4: ServiceMonitor shop/Web_Server: metadata.name: invalid name \"Web_Server\": must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_promql",
        file: "invalid_promql.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_promql.yaml:11: PrometheusRule shop/rules: spec.groups[0].rules[0].expr: group \"g\", rule 1, \"High\": could not parse expression: 1:33: parse error: unclosed left parenthesis [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_promql_function",
        file: "invalid_promql_function.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_promql_function.yaml:11: PrometheusRule shop/rules: spec.groups[0].rules[0].expr: group \"g\", rule 1, \"job:x:sum\": could not parse expression: parse error: unknown function with name 'sum_by_nothing' [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_regex",
        file: "invalid_regex.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_regex.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].relabelings[0]: invalid regex (unclosed for relabel configuration: error parsing regexp: missing closing ): `^(?s:(unclosed)$` [relabeling]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_relabel_action",
        file: "invalid_relabel_action.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_relabel_action.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].relabelings[0].action: unsupported value \"rename\": must be one of replace, Replace, keep, Keep, drop, Drop, hashmod, HashMod, labelmap, LabelMap, labeldrop, LabelDrop, labelkeep, LabelKeep, lowercase, Lowercase, uppercase, Uppercase, keepequal, KeepEqual, dropequal, DropEqual\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_scheme",
        file: "invalid_scheme.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_scheme.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].scheme: unsupported value \"ftp\": must be one of http, https, HTTP, HTTPS\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_scrape_protocol",
        file: "invalid_scrape_protocol.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_scrape_protocol.yaml:10: ServiceMonitor shop/web: spec.scrapeProtocols[0]: unsupported value \"PrometheusText9\": must be one of PrometheusProto, OpenMetricsText0.0.1, OpenMetricsText1.0.0, PrometheusText0.0.4, PrometheusText1.0.0\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_tls_ca",
        file: "invalid_tls_ca.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_tls_ca.yaml:21: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca: ca <secret=creds,key=ca.crt>: failed to decode PEM block [tls]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_tls_ca_configmap",
        file: "invalid_tls_ca_configmap.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_tls_ca_configmap.yaml:24: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca: ca <configmap=ca,key=ca.crt>: failed to parse certificate [tls]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "invalid_tls_version",
        file: "invalid_tls_version.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/invalid_tls_version.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.minVersion: unsupported value \"TLS9\": must be one of TLS10, TLS11, TLS12, TLS13\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "json_malformed",
        file: "json_malformed.json",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/json_malformed.json:3: EOF while parsing an object\ninvalid: 0 documents (0 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "json_unknown_field",
        file: "json_unknown_field.json",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/json_unknown_field.json:5: ServiceMonitor shop/web: spec.endpoints[0].bearer_token_file: unknown field \"bearer_token_file\" (did you mean \"bearerTokenFile\"?)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "json_wrong_type",
        file: "json_wrong_type.json",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/json_wrong_type.json:4: ServiceMonitor shop/web: spec.endpoints[0].port: invalid type: integer, expected a string\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "label_value_not_string",
        file: "label_value_not_string.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/label_value_not_string.yaml:7: ServiceMonitor shop/web: metadata.labels.team: invalid type: map, expected a string\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "list_bad_item",
        file: "list_bad_item.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/list_bad_item.yaml:22: ServiceMonitor shop/b: items[1].spec.endpoints[0].scheme: unsupported value \"gopher\": must be one of http, https, HTTP, HTTPS\ninvalid: 1 document (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "malformed_yaml",
        file: "malformed_yaml.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/malformed_yaml.yaml:3: document 1: while parsing a node, did not find expected node content\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_api_version",
        file: "missing_api_version.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_api_version.yaml:1: document 1: apiVersion: missing: every object needs apiVersion and kind\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_endpoints",
        file: "missing_endpoints.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_endpoints.yaml:6: ServiceMonitor shop/web: spec.endpoints: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_expr",
        file: "missing_expr.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_expr.yaml:10: PrometheusRule shop/rules: spec.groups[0].rules[0].expr: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_group_name",
        file: "missing_group_name.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_group_name.yaml:8: PrometheusRule shop/rules: spec.groups[0].name: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_kind",
        file: "missing_kind.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_kind.yaml:1: document 1: kind: missing: every object needs apiVersion and kind\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_name",
        file: "missing_name.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_name.yaml:3: ServiceMonitor shop/(no name): metadata.name: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_secret",
        file: "missing_secret.yaml",
        args: &[],
        code: 0,
        stdout: "tests/fixtures/bad/missing_secret.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].basicAuth.username: warning: unresolved reference: Secret shop/creds (key \"user\") is not in the input (not checked; --live resolves it, --strict makes this an error)\ntests/fixtures/bad/missing_secret.yaml:16: ServiceMonitor shop/web: spec.endpoints[0].basicAuth.password: warning: unresolved reference: Secret shop/creds (key \"pass\") is not in the input (not checked; --live resolves it, --strict makes this an error)\nvalid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 2 warnings\n",
    },
    Case {
        name: "missing_secret_strict",
        file: "missing_secret.yaml",
        args: &["--strict"],
        code: 1,
        stdout: "tests/fixtures/bad/missing_secret.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].basicAuth.username: unable to get secret \"creds\": secrets \"creds\" not found [reference]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "missing_selector",
        file: "missing_selector.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/missing_selector.yaml:6: ServiceMonitor shop/web: spec.selector: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "neither_record_nor_alert",
        file: "neither_record_nor_alert.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/neither_record_nor_alert.yaml:10: PrometheusRule shop/rules: spec.groups[0].rules[0]: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "not_a_mapping",
        file: "not_a_mapping.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/not_a_mapping.yaml:1: document 1: not a Kubernetes object (a mapping with apiVersion and kind)\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "oauth2_missing_client_id",
        file: "oauth2_missing_client_id.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/oauth2_missing_client_id.yaml:20: ServiceMonitor shop/web: spec.endpoints[0].oauth2.clientId: OAuth2 'clientID' must be specified [oauth2]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "pod_monitor_missing_selector",
        file: "pod_monitor_missing_selector.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/pod_monitor_missing_selector.yaml:6: PodMonitor shop/pods: spec.selector: required field is missing\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "probe_bad_prober_url",
        file: "probe_bad_prober_url.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/probe_bad_prober_url.yaml:8: Probe shop/p: spec.prober.url: \"http://blackbox:9115\" url specified in proberSpec is invalid, it should be of the format `hostname` or `hostname:port`: invalid host: \"http://blackbox:9115\" [probe-target]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "probe_missing_targets",
        file: "probe_missing_targets.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/probe_missing_targets.yaml:6: Probe shop/p: spec.targets: at least one of .spec.targets.staticConfig and .spec.targets.ingress is required [probe-target]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "proxy_invalid",
        file: "proxy_invalid.yaml",
        args: &[],
        code: 1,
        // The CRD's pattern refuses it before the operator's own check could.
        stdout: "tests/fixtures/bad/proxy_invalid.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].proxyUrl: should match '^(http|https|socks5)://.+$'\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "crd_constraints",
        file: "crd_constraints.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/crd_constraints.yaml:7: ServiceMonitor shop/web: spec.sampleLimit: must be greater than or equal to 0\n\
tests/fixtures/bad/crd_constraints.yaml:10: ServiceMonitor shop/web: spec.endpoints[0].proxyUrl: should match '^(http|https|socks5)://.+$'\n\
tests/fixtures/bad/crd_constraints.yaml:16: PrometheusAgent monitoring/edge: spec.mode: unsupported value \"Daemonset\": must be one of StatefulSet, DaemonSet\n\
tests/fixtures/bad/crd_constraints.yaml:22: AlertmanagerConfig shop/pager: spec.route.groupWait: invalid duration \"30 seconds\": use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)\n\
tests/fixtures/bad/crd_constraints.yaml:22: AlertmanagerConfig shop/pager: spec.route.receiver: receiver \"missing\" not found [field]\n\
invalid: 3 documents (3 invalid), 3 objects (3 invalid); 5 errors, 0 warnings\n",
    },
    Case {
        name: "unloadable_base_config",
        file: "unloadable_base_config.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unloadable_base_config.yaml:7: Alertmanager monitoring/main: spec.configSecret: Secret monitoring/am-base (key alertmanager.yaml): yaml: line 2: while scanning a quoted scalar, found unexpected end of stream [field] (the operator copies it as is; Alertmanager refuses to load it)\n\
invalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "copied_utf8_matcher",
        file: "copied_utf8_matcher.yaml",
        args: &[],
        code: 0,
        stdout: "valid: 2 documents (0 invalid), 2 objects (0 invalid); 0 errors, 0 warnings\n",
    },
    Case {
        name: "copied_utf8_matcher_v0_26",
        file: "copied_utf8_matcher_v0.26.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/copied_utf8_matcher_v0.26.yaml:8: Alertmanager monitoring/main: spec.configSecret: Secret monitoring/base (key alertmanager.yaml): bad matcher format: app.kubernetes.io/name=\"x\" [field] (the operator copies it as is; Alertmanager refuses to load it)\n\
invalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "amc_matcher_classic_alertmanager",
        file: "amc_matcher_classic_alertmanager.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/amc_matcher_classic_alertmanager.yaml:23: AlertmanagerConfig team-a/a: spec.route.routes[0].matchers[0]: bad matcher format: app.kubernetes.io/name=\"x\" [label-name] (the operator writes it unchecked; Alertmanager monitoring/main (v0.26.0) refuses to load the generated configuration: a running one keeps its previous configuration, one starting exits)\n\
invalid: 3 documents (1 invalid), 3 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "copied_unknown_field_v0_26",
        file: "copied_unknown_field_v0.26.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/copied_unknown_field_v0.26.yaml:9: Alertmanager monitoring/main: spec.configSecret: Secret monitoring/base (key alertmanager.yaml): bad matcher format: app.kubernetes.io/name=\"x\" [field] (the operator copies it as is; Alertmanager refuses to load it)\n\
tests/fixtures/bad/copied_unknown_field_v0.26.yaml:9: Alertmanager monitoring/main: spec.configSecret: warning: Secret monitoring/base (key alertmanager.yaml): yaml: unmarshal errors:\n\
\x20 field webhook_url_file not found in type alertmanager.discordConfig [field] (the operator copies it as is; this field is not in the configuration types of operator v0.93.0: Alertmanager loads it if its version knows the field, and refuses it if it is misspelt)\n\
invalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 1 warning\n",
    },
    Case {
        name: "copied_equal_v0_27",
        file: "copied_equal_v0.27.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/copied_equal_v0.27.yaml:4: Alertmanager monitoring/main: Secret monitoring/alertmanager-main (key alertmanager.yaml): \"service.name\" is not a valid label name [field] (the operator copies it as is; Alertmanager refuses to load it)\n\
invalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "am_feature_flags",
        file: "am_feature_flags.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/am_feature_flags.yaml:8: Alertmanager monitoring/both: spec.enableFeatures: error parsing the feature flag list: cannot have both classic and UTF-8 modes enabled [field] (Alertmanager exits at start-up: the operator passes it as --enable-feature)\n\
tests/fixtures/bad/am_feature_flags.yaml:17: Alertmanager monitoring/unknown: spec.additionalArgs[0].value: error parsing the feature flag list: Unknown option 'alert-names-in-metrics' for --enable-feature [field] (Alertmanager exits at start-up: the operator passes it as --enable-feature)\n\
tests/fixtures/bad/am_feature_flags.yaml:25: Alertmanager monitoring/old: spec.additionalArgs[0]: unknown long flag '--enable-feature' [field] (Alertmanager exits at start-up: the operator passes it as --enable-feature)\n\
invalid: 3 documents (3 invalid), 3 objects (3 invalid); 3 errors, 0 warnings\n",
    },
    Case {
        name: "amc_unnamed_time_interval_selected",
        file: "amc_unnamed_time_interval_selected.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/amc_unnamed_time_interval_selected.yaml:16: AlertmanagerConfig monitoring/a: spec.muteTimeIntervals[0]: \"placeholder\" has no timeIntervals: the operator writes it into mute_time_intervals with name \"\", which Alertmanager refuses (\"missing name in mute time interval\") [field] (the operator writes it unchecked; Alertmanager monitoring/main (v0.33.1) refuses to load the generated configuration: a running one keeps its previous configuration, one starting exits)\n\
invalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "amc_unnamed_time_interval",
        file: "amc_unnamed_time_interval.yaml",
        args: &[],
        code: 0,
        stdout: "tests/fixtures/bad/amc_unnamed_time_interval.yaml:11: AlertmanagerConfig team-a/a: spec.muteTimeIntervals[0]: warning: \"placeholder\" has no timeIntervals: the operator writes it into mute_time_intervals with name \"\", which Alertmanager refuses (\"missing name in mute time interval\"); an Alertmanager using this resource keeps its previous configuration, one starting exits [field]\n\
valid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 1 warning\n",
    },
    Case {
        name: "empty_rule_durations",
        file: "empty_rule_durations.yaml",
        args: &[],
        code: 0,
        stdout: "tests/fixtures/bad/empty_rule_durations.yaml:9: PrometheusRule shop/rules: spec.groups[0].interval: warning: empty: the operator writes it into the rule file as is (it drops it only from the copy it validates); Prometheus and Thanos Ruler refuse the file (\"empty duration string\"): a Prometheus's rules reload fails and it keeps the previous rules of every file, a Thanos Ruler stops evaluating this file's groups, and either exits when starting with it [rule]\n\
tests/fixtures/bad/empty_rule_durations.yaml:13: PrometheusRule shop/rules: spec.groups[0].rules[0].for: warning: empty: the operator writes it into the rule file as is (it drops it only from the copy it validates); Prometheus and Thanos Ruler refuse the file (\"empty duration string\"): a Prometheus's rules reload fails and it keeps the previous rules of every file, a Thanos Ruler stops evaluating this file's groups, and either exits when starting with it [rule]\n\
valid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 2 warnings\n",
    },
    Case {
        name: "file_sd_paths",
        file: "file_sd_paths.yaml",
        args: &[],
        code: 0,
        stdout: "tests/fixtures/bad/file_sd_paths.yaml:26: ScrapeConfig mon/notmounted: spec.fileSDConfigs[0].files[0]: warning: pattern \"/etc/prometheus/configmaps/other/*.yaml\" matches no file in the prometheus container of Prometheus mon/p: no volume is mounted there; ConfigMap other is not in spec.configMaps: Prometheus finds no targets in it (its configuration still loads)\n\
tests/fixtures/bad/file_sd_paths.yaml:32: ScrapeConfig mon/glob: spec.fileSDConfigs[0].files[1]: warning: file \"/etc/prometheus/configmaps/sd/missing.json\" does not exist in the prometheus container of Prometheus mon/p: /etc/prometheus/configmaps/sd has no such file: Prometheus finds no targets in it (its configuration still loads)\n\
tests/fixtures/bad/file_sd_paths.yaml:32: ScrapeConfig mon/glob: spec.fileSDConfigs[0].files[2]: warning: pattern \"/etc/prometheus/configmaps/sd/*.yml\" matches no file in the prometheus container of Prometheus mon/p: /etc/prometheus/configmaps/sd has no such file: Prometheus finds no targets in it (its configuration still loads)\n\
valid: 5 documents (0 invalid), 5 objects (0 invalid); 0 errors, 3 warnings\n",
    },
    Case {
        name: "v1beta1_email_without_threading",
        file: "v1beta1_email_without_threading.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/v1beta1_email_without_threading.yaml:11: AlertmanagerConfig team-a/mail: spec.receivers[0].emailConfigs[0]: no threading: prometheus-operator v0.93.0's conversion webhook fails on a v1beta1 email config without it (\"internal error occurred during conversion\"); set threading (Alertmanager >= 0.30) or write the object as monitoring.coreos.com/v1alpha1\n\
invalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "v1beta1_time_interval",
        file: "v1beta1_time_interval.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/v1beta1_time_interval.yaml:11: AlertmanagerConfig ns/t: spec.timeIntervals[0].timeIntervals[0].times[0]: mute time interval[0] is invalid: time range at 0 is invalid: start time 1080 cannot be equal or greater than end time 540 [field]\n\
invalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "record_and_alert",
        file: "record_and_alert.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/record_and_alert.yaml:10: PrometheusRule shop/rules: spec.groups[0].rules[0]: group \"g\", rule 1, \"High\": only one of 'record' and 'alert' must be set [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "recording_with_annotations",
        file: "recording_with_annotations.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/recording_with_annotations.yaml:10: PrometheusRule shop/rules: spec.groups[0].rules[0].record: group \"g\", rule 1, \"job:up:sum\": invalid field 'annotations' in recording rule [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "recording_with_for",
        file: "recording_with_for.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/recording_with_for.yaml:10: PrometheusRule shop/rules: spec.groups[0].rules[0].record: group \"g\", rule 1, \"job:up:sum\": invalid field 'for' in recording rule [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "relabel_hashmod_zero",
        file: "relabel_hashmod_zero.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/relabel_hashmod_zero.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].relabelings[0]: relabel configuration for hashmod requires non-zero modulus [relabeling]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "relabel_missing_target",
        file: "relabel_missing_target.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/relabel_missing_target.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].relabelings[0]: relabel configuration for replace action needs targetLabel value [relabeling]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "rule_name_label",
        file: "rule_name_label.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/rule_name_label.yaml:12: PrometheusRule shop/rules: spec.groups[0].rules[0].labels[__name__]: group \"g\", rule 1, \"A\": invalid label name: __name__ [rule]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "scalar_document",
        file: "scalar_document.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/scalar_document.yaml:1: document 1: not a Kubernetes object (a mapping with apiVersion and kind)\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "scrape_class_missing",
        file: "scrape_class_missing.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/scrape_class_missing.yaml:18: ServiceMonitor shop/web: spec.scrapeClass: scrapeClass \"gold\" not found in Prometheus scrapeClasses [scrape-class] (rejected by Prometheus shop/main)\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "scrape_config_bad_relabel",
        file: "scrape_config_bad_relabel.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/scrape_config_bad_relabel.yaml:10: ScrapeConfig shop/sc: spec.relabelings[0]: invalid regex [ for relabel configuration: error parsing regexp: missing closing ]: `[)$` [relabeling]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "scrape_timeout_too_long",
        file: "scrape_timeout_too_long.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/scrape_timeout_too_long.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].scrapeTimeout: scrapeTimeout \"1m\" greater than scrapeInterval \"10s\" [scrape-timeout]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "second_document_bad",
        file: "second_document_bad.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/second_document_bad.yaml:24: ServiceMonitor shop/api: spec.endpoints[0].interval: invalid duration \"often\": use units ms, s, m, h, d, w, y (e.g. 30s, 1h30m)\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "secret_missing_key",
        file: "secret_missing_key.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/secret_missing_key.yaml:24: ServiceMonitor shop/web: spec.endpoints[0].basicAuth.password: key \"pass\" in secret \"creds\" not found [reference]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "tab_indent",
        file: "tab_indent.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/tab_indent.yaml:7: document 1: tabs disallowed within this context (block indentation)\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "tls_cert_without_key",
        file: "tls_cert_without_key.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/tls_cert_without_key.yaml:20: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig: cannot specify client cert without client key [tls]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "tls_secret_and_configmap",
        file: "tls_secret_and_configmap.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/tls_secret_and_configmap.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca: ca <secret=creds,key=ca.crt>: cannot specify both Secret and ConfigMap [tls]\ntests/fixtures/bad/tls_secret_and_configmap.yaml:14: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca.secret: warning: unresolved reference: Secret shop/creds (key \"ca.crt\") is not in the input (not checked; --live resolves it, --strict makes this an error)\ntests/fixtures/bad/tls_secret_and_configmap.yaml:17: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca.configMap: warning: unresolved reference: ConfigMap shop/ca (key \"ca.crt\") is not in the input (not checked; --live resolves it, --strict makes this an error)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 2 warnings\n",
    },
    Case {
        name: "tls_secret_and_configmap_strict",
        file: "tls_secret_and_configmap.yaml",
        args: &["--strict"],
        code: 1,
        stdout: "tests/fixtures/bad/tls_secret_and_configmap.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].tlsConfig.ca: ca <secret=creds,key=ca.crt>: cannot specify both Secret and ConfigMap [tls]\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "two_auth_methods",
        file: "two_auth_methods.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/two_auth_methods.yaml:21: ServiceMonitor shop/web: spec.endpoints[0]: authorization and basicAuth cannot be configured at the same time [authentication]\ninvalid: 2 documents (1 invalid), 2 objects (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_field_case",
        file: "unknown_field_case.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_field_case.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].ScrapeTimeout: unknown field \"ScrapeTimeout\" (did you mean \"scrapeTimeout\"?)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_field_random",
        file: "unknown_field_random.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_field_random.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].colour: unknown field \"colour\"\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_field_snake",
        file: "unknown_field_snake.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_field_snake.yaml:13: ServiceMonitor shop/web: spec.endpoints[0].relabelings[0].source_labels: unknown field \"source_labels\" (did you mean \"sourceLabels\"?)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_field_top",
        file: "unknown_field_top.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_field_top.yaml:6: ServiceMonitor shop/web: specs: unknown field \"specs\" (did you mean \"spec\"?)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_field_typo",
        file: "unknown_field_typo.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_field_typo.yaml:10: ServiceMonitor shop/web: spec.endpoint: unknown field \"endpoint\" (did you mean \"endpoints\"?)\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "unknown_monitoring_kind",
        file: "unknown_monitoring_kind.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/unknown_monitoring_kind.yaml:1: ServiceMonitorX web: unknown kind \"ServiceMonitorX\" in monitoring.coreos.com/v1\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "valid",
        file: "valid.yaml",
        args: &[],
        code: 0,
        stdout: "valid: 1 document (0 invalid), 1 object (0 invalid); 0 errors, 0 warnings\n",
    },
    Case {
        name: "wrong_type_bool",
        file: "wrong_type_bool.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_type_bool.yaml:12: ServiceMonitor shop/web: spec.endpoints[0].honorLabels: invalid type: string \"maybe\", expected a boolean (true/false, or YAML 1.1 yes/no/on/off, unquoted)\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "wrong_type_endpoints",
        file: "wrong_type_endpoints.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_type_endpoints.yaml:10: ServiceMonitor shop/web: spec.endpoints: invalid type: string, expected a sequence\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "wrong_type_labels",
        file: "wrong_type_labels.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_type_labels.yaml:6: ServiceMonitor shop/web: metadata.labels: invalid type: sequence, expected a map\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "wrong_type_port",
        file: "wrong_type_port.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_type_port.yaml:11: ServiceMonitor shop/web: spec.endpoints[0].port: invalid type: sequence, expected a string\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "wrong_type_spec",
        file: "wrong_type_spec.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_type_spec.yaml:6: ServiceMonitor shop/web: spec: invalid type: integer, expected a map\ninvalid: 1 document (1 invalid), 0 objects (0 invalid); 1 error, 0 warnings\n",
    },
    Case {
        name: "wrong_version",
        file: "wrong_version.yaml",
        args: &[],
        code: 1,
        stdout: "tests/fixtures/bad/wrong_version.yaml:1: ServiceMonitor shop/web: unknown kind \"ServiceMonitor\" in monitoring.coreos.com/v1alpha1\ninvalid: 1 document (1 invalid), 1 object (1 invalid); 1 error, 0 warnings\n",
    },
];

/// The conformance root, when present (`$PROMOP_CONFORMANCE_DIR` or `../shared/conformance`).
fn conformance_root() -> Option<std::path::PathBuf> {
    let root = std::env::var_os("PROMOP_CONFORMANCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    root.is_dir().then_some(root)
}

fn case_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("input.yaml").exists())
        .collect();
    dirs.sort();
    dirs
}

/// The errors `validate --strict` reports for a case's input, as `object: message` lines.
/// Strict: a case's input holds every object the operator sees, so a Secret missing from it is
/// missing, not merely elsewhere in the cluster.
fn validate_errors(input: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(input).unwrap();
    let source = promop::schema::Source::read("input.yaml", &text).unwrap();
    let options = promop::schema::Options {
        strict: true,
        ..Default::default()
    };
    let report = promop::schema::validate(&[source], &options);
    report
        .problems
        .iter()
        .filter(|p| p.severity == promop::schema::Severity::Error)
        .map(|p| format!("{}: {}", p.object.as_deref().unwrap_or(""), p.message))
        .collect()
}

/// Every input the operator refuses to render, and every resource selection rejects, in the
/// conformance corpora is invalid for `validate` too, with the same message.
#[test]
fn validate_refuses_what_render_and_select_refuse() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RenderCase {
        expect_error: Option<String>,
    }
    let Some(root) = conformance_root() else {
        eprintln!("skipped: no conformance corpus (set PROMOP_CONFORMANCE_DIR)");
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in case_dirs(&root.join("render")) {
        let text = std::fs::read_to_string(case.join("case.yaml")).unwrap();
        let Some(expected) = promop::yaml::from_str::<RenderCase>(&text)
            .unwrap()
            .expect_error
        else {
            continue;
        };
        let input = std::fs::read_to_string(case.join("input.yaml")).unwrap();
        let selectors = [
            "serviceMonitorSelector",
            "podMonitorSelector",
            "probeSelector",
            "scrapeConfigSelector",
        ];
        if input.contains("kind: Prometheus\n") && !selectors.iter().any(|s| input.contains(s)) {
            // The upstream test calls the generator; the operator never does for a Prometheus
            // without monitor selectors (its configuration is the user's).
            eprintln!(
                "render/{}: unmanaged configuration, not generated by the operator",
                case.file_name().unwrap_or_default().to_string_lossy()
            );
            continue;
        }
        checked += 1;
        let errors = validate_errors(&case.join("input.yaml"));
        if errors.iter().any(|e| e.contains(&expected)) {
            continue;
        }
        // The upstream test calls the generator directly; the operator selects first, and
        // selection rejects a resource at its own first failing check. Then that resource
        // (the one the refusal is about) must be invalid, for its first reason.
        let about = input
            .split("\n---")
            .find(|document| document.contains(&expected))
            .and_then(|document| promop::yaml::from_str::<serde_json::Value>(document).ok())
            .map(|object| {
                let text = |pointer: &str| object.pointer(pointer).and_then(|v| v.as_str());
                format!(
                    "{} {}/{}: ",
                    text("/kind").unwrap_or(""),
                    text("/metadata/namespace").unwrap_or(""),
                    text("/metadata/name").unwrap_or("")
                )
            });
        let rejected_first = about.as_ref().is_some_and(|about| {
            !about.starts_with("Prometheus") && errors.iter().any(|e| e.starts_with(about.as_str()))
        });
        if rejected_first {
            eprintln!(
                "render/{}: {expected:?} comes after an earlier selection check: {errors:?}",
                case.file_name().unwrap_or_default().to_string_lossy()
            );
        } else {
            failures.push(format!(
                "render/{}: want an error containing {expected:?}, got {errors:#?}",
                case.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    for case in case_dirs(&root.join("select")) {
        let text = std::fs::read_to_string(case.join("input.yaml")).unwrap();
        // As the Go tests build them: many break the CRD's schema on purpose.
        let mut snapshot = promop::snapshot::Snapshot::default();
        snapshot.load_without_defaults("input.yaml", &text).unwrap();
        let target = match (
            snapshot.prometheuses.first(),
            snapshot.prometheus_agents.first(),
        ) {
            (Some(p), _) => promop::target::Target::Server(p),
            (None, Some(a)) => promop::target::Target::Agent(a),
            (None, None) => continue,
        };
        let judge = promop::rules::Judge::of_target(target);
        let check_rule = |rule: &_| judge.as_ref().map_or(Ok(()), |j| j.check(rule));
        let selection =
            promop::select::select(&snapshot, target, &Default::default(), &check_rule).unwrap();
        let mut rejected = Vec::new();
        fn collect<T>(
            kind: &str,
            candidates: &[promop::select::Candidate<'_, T>],
            out: &mut Vec<(String, String)>,
        ) {
            for c in candidates {
                if let promop::select::Outcome::Rejected(v) = &c.outcome {
                    let (ns, name) = c.key.split_once('/').unwrap_or(("", &c.key));
                    let object = if ns.is_empty() {
                        format!("{kind} {name}")
                    } else {
                        format!("{kind} {ns}/{name}")
                    };
                    out.push((object, v.message.clone()));
                }
            }
        }
        collect("ServiceMonitor", &selection.service_monitors, &mut rejected);
        collect("PodMonitor", &selection.pod_monitors, &mut rejected);
        collect("Probe", &selection.probes, &mut rejected);
        collect("ScrapeConfig", &selection.scrape_configs, &mut rejected);
        collect("PrometheusRule", &selection.rules, &mut rejected);
        if rejected.is_empty() {
            continue;
        }
        let errors = validate_errors(&case.join("input.yaml"));
        for (object, message) in rejected {
            checked += 1;
            let prefix = format!("{object}: ");
            if !errors
                .iter()
                .any(|e| e.starts_with(&prefix) && e.contains(&message))
            {
                failures.push(format!(
                    "select/{}: want {object} invalid with {message:?}, got {errors:#?}",
                    case.file_name().unwrap_or_default().to_string_lossy()
                ));
            }
        }
    }
    assert!(
        checked >= 100,
        "only {checked} refusals found in the corpora"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} refusals not reported by validate:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An empty rule `for` or group `interval` is only a warning (the operator takes the rule), and
/// Prometheus does refuse the rule file the operator writes for it.
#[test]
fn empty_rule_durations_warn_and_promtool_refuses_the_rendered_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = "tests/fixtures/bad/empty_rule_durations.yaml";
    let (code, stdout, stderr) = run(&["validate", "-f", fixture], root);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("0 errors, 2 warnings\n"), "{stdout}");
    let Some(promtool) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("promtool"))
            .find(|path| path.is_file())
    }) else {
        println!("skipped: promtool is not on PATH (Debian package prometheus)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.yaml");
    let prometheus = "---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n\
                      metadata: {name: p, namespace: shop}\nspec: {ruleSelector: {}}\n";
    let objects = std::fs::read_to_string(root.join(fixture)).unwrap() + prometheus;
    std::fs::write(&input, objects).unwrap();
    let input_arg = input.to_str().unwrap();
    let rendered = run(
        &[
            "render",
            "rules",
            "prometheus",
            "p",
            "-f",
            input_arg,
            "-o",
            "json",
        ],
        root,
    );
    assert_eq!(rendered.0, 0, "{}{}", rendered.1, rendered.2);
    let list: serde_json::Value = serde_json::from_str(&rendered.1).unwrap();
    let data = list["items"][0]["data"].as_object().unwrap();
    let (_, file) = data.iter().next().expect("one rule file");
    let rule_file = dir.path().join("rules.yaml");
    std::fs::write(&rule_file, file.as_str().unwrap()).unwrap();
    let checked = Command::new(promtool)
        .args(["check", "rules"])
        .arg(&rule_file)
        .output()
        .expect("promtool runs");
    let said = String::from_utf8_lossy(&checked.stdout).into_owned()
        + &String::from_utf8_lossy(&checked.stderr);
    assert!(!checked.status.success(), "{said}");
    assert!(said.contains("empty duration string"), "{said}");
}
