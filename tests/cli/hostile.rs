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

#[test]
fn colour_sequences_from_input_are_escaped_where_the_output_is_coloured() {
    // SGR 8 (conceal) in a selector value: it reaches explain's problem line and status lines.
    let text = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: shop}\n\
                spec: {serviceMonitorSelector: {}}\n---\n\
                apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web, namespace: shop}\n\
                spec:\n  selector: {matchLabels: {app: \"x\\e[8mhidden\"}}\n  endpoints: [{port: web}]\n";
    let (_dir, path) = manifest("sgr.yaml", text);
    let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args([
            "explain",
            "smon/web",
            "-n",
            "shop",
            "--color=always",
            "-f",
            &path,
        ])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("\u{1b}[1m"), "colours are on: {shown:?}");
    assert!(!shown.contains("\u{1b}[8m"), "{shown:?}");
    // Shown, escaped.
    assert!(shown.contains("x\\u{1b}[8mhidden"), "{shown:?}");
}

#[test]
fn credentials_never_reach_explain_validate_or_render_output() {
    let text = "\
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: shop}
stringData: {user: S3CR3T-USER, pass: S3CR3T-PASS, slack: 'not a url S3CR3T-SLACK'}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: shop}
spec:
  serviceMonitorSelector: {}
  probeSelector: {}
  remoteWrite: [{url: 'http://rw', headers: {X-Api-Key: S3CR3T-HEADER}}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: proxied, namespace: shop}
spec:
  selector: {}
  endpoints:
  - port: web
    basicAuth:
      username: {name: creds, key: user}
      password: {name: creds, key: pass}
    proxyUrl: 'http://u:S3CR3T-PROXY@proxy.example.com:notaport'
---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: pr, namespace: shop}
spec:
  prober: {url: 'blackbox:9115'}
  targets: {staticConfig: {static: ['https://probe:S3CR3T-TARGET@target.example.com/health']}}
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: shop}
spec: {alertmanagerConfigSelector: {}}
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: team, namespace: shop}
spec:
  route: {receiver: slack}
  receivers:
  - name: slack
    slackConfigs: [{apiURL: {name: creds, key: slack}, channel: '#a'}]
";
    let (_dir, path) = manifest("creds.yaml", text);
    for args in [
        &["render", "prometheus", "k8s"][..],
        &["render", "prometheus", "k8s", "-o", "json"],
        &["render", "alertmanager", "main"],
        &["validate"],
        &["validate", "-o", "json"],
        &["explain", "prometheus", "k8s", "-o", "json"],
        &["explain", "servicemonitor", "proxied", "-o", "wide"],
        &["explain", "probe", "pr"],
        &["explain", "probe", "pr", "-o", "json"],
        &["explain", "alertmanagerconfig", "team", "-o", "yaml"],
        &["route", "am/main", "--labels", "a=b"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(args)
            .args(["-n", "shop", "-f", &path])
            .output()
            .unwrap();
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!shown.contains("S3CR3T"), "{args:?}: {shown}");
    }
}

#[test]
fn a_long_label_value_is_cut_in_tables_and_whole_in_json() {
    let long = "x".repeat(100_000);
    let text = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {{name: k8s, namespace: m}}\n\
         spec: {{serviceMonitorSelector: {{}}}}\n---\napiVersion: v1\nkind: Service\n\
         metadata: {{name: web, namespace: m, labels: {{app: web}}}}\nspec: {{selector: {{app: web}}, ports: [{{name: web, port: 80}}]}}\n\
         ---\napiVersion: v1\nkind: Endpoints\nmetadata: {{name: web, namespace: m, labels: {{app: web}}}}\n\
         subsets: [{{addresses: [{{ip: 10.0.0.1}}], ports: [{{name: web, port: 80}}]}}]\n---\n\
         apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {{name: long, namespace: m}}\n\
         spec:\n  selector: {{matchLabels: {{app: web}}}}\n  endpoints:\n  - port: web\n    relabelings:\n    \
         - {{targetLabel: big, replacement: {long}}}\n"
    );
    let (_dir, path) = manifest("long.yaml", &text);
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(["explain", "smon/long", "-n", "m", "-o", format, "-f", &path])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let table = run("wide");
    assert!(
        table.contains("more characters; -o json shows all)"),
        "{}",
        &table[..500]
    );
    assert!(table.len() < 20_000, "{} bytes", table.len());
    assert!(run("json").contains(&long));
}

#[test]
fn a_credential_plugin_that_never_answers_is_bounded_by_the_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n\
         users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, \
         command: sleep, args: ['600'], interactiveMode: Never}}}]\n\
         contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(["render", "prometheus", "k8s", "--request-timeout", "1s"])
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A guard against a hang, not a speed figure: the plugin sleeps ten minutes.
    let mut status = None;
    for _ in 0..600 {
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let Some(status) = status else {
        child.kill().unwrap();
        panic!("still waiting for the credential plugin after a minute");
    };
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("gave no credentials within 1s"), "{stderr}");
}

#[test]
fn the_inputs_of_one_command_have_a_total_budget_and_stdin_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    // Each file is within the per-file limit; together they are over the total one.
    let comment = format!("# {}\n", "x".repeat(14 << 20));
    for i in 0..5 {
        std::fs::write(dir.path().join(format!("big-{i}.yaml")), &comment).unwrap();
    }
    for command in ["render", "validate"] {
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args([command, "-f", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("(MAX_TOTAL_SOURCE_BYTES)"),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args([command, "-f", "-", "-f", "-"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("-f - is given twice"));
    }
}

#[test]
fn a_failing_credential_plugin_and_a_broken_kubeconfig_quote_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let failing = dir.path().join("failing");
    std::fs::write(
        &failing,
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://u:S3CR3T-URL@127.0.0.1:1'}}]\n\
         users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, \
         command: sh, args: ['-c', 'echo S3CR3T-OUT; echo S3CR3T-ERR >&2; exit 1'], interactiveMode: Never}}}]\n\
         contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n",
    )
    .unwrap();
    let broken = dir.path().join("broken");
    std::fs::write(
        &broken,
        "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: S3CR3T-TOKEN\n    password: [S3CR3T-PW]\n",
    )
    .unwrap();
    for kubeconfig in [&failing, &broken] {
        let out = Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(["render", "prometheus", "k8s", "--request-timeout", "5s"])
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(!stderr.contains("S3CR3T"), "{stderr}");
    }
}

mod server {
    //! A misbehaving API server: every answer of the wrong shape, size or length is an error
    //! that says so, never a panic or an endless loop.

    use std::time::Duration;

    use crate::apiserver::{ApiServer, Behaviour, Fault};
    use http::Method;
    use promop::cluster::{self, Cluster, ClusterError, ConnectOptions};

    const FIXTURE: &str = include_str!("../fixtures/cluster/basic.yaml");

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    fn list_error(fault: Fault) -> (ClusterError, usize) {
        let server = ApiServer::start(FIXTURE);
        server.inject(fault);
        let dir = tempfile::tempdir().unwrap();
        let error = runtime().block_on(async {
            let options = ConnectOptions {
                kubeconfig: Some(server.write_kubeconfig(dir.path(), "shop")),
                request_timeout: Duration::from_secs(5),
                ..ConnectOptions::default()
            };
            let c = Cluster::connect(&options).await.unwrap();
            c.list(&promop::kinds::SERVICE_MONITORS, None, None)
                .await
                .expect_err("the answer is refused")
        });
        (error, server.requests().len())
    }

    #[test]
    fn wrong_shapes_are_garbled_answers() {
        let (error, _) = list_error(Fault::behaving(
            "/servicemonitors",
            Behaviour::Body(r#"{"kind":"ServiceMonitorList","items":[42]}"#.into()),
        ));
        assert!(matches!(error, ClusterError::Garbled { .. }), "{error}");
        assert!(error.to_string().contains("garbled"), "{error}");
        let (error, _) = list_error(Fault::behaving(
            "/servicemonitors",
            Behaviour::Body(r#""just a string""#.into()),
        ));
        assert!(matches!(error, ClusterError::Garbled { .. }), "{error}");
    }

    #[test]
    fn endless_pages_and_expired_tokens_stop() {
        let (error, requests) = list_error(Fault {
            times: usize::MAX,
            ..Fault::behaving("/servicemonitors", Behaviour::EndlessContinue)
        });
        assert!(matches!(error, ClusterError::EndlessList { .. }), "{error}");
        assert!(requests <= cluster::MAX_LIST_PAGES + 5, "{requests}");

        let server = ApiServer::start(FIXTURE);
        server.inject(Fault {
            query_contains: Some("continue=".into()),
            times: usize::MAX,
            ..Fault::new("/servicemonitors", 410)
        });
        server.inject(Fault {
            times: usize::MAX,
            ..Fault::behaving("/servicemonitors", Behaviour::EndlessContinue)
        });
        let dir = tempfile::tempdir().unwrap();
        let error = runtime().block_on(async {
            let options = ConnectOptions {
                kubeconfig: Some(server.write_kubeconfig(dir.path(), "shop")),
                ..ConnectOptions::default()
            };
            let c = Cluster::connect(&options).await.unwrap();
            c.list(&promop::kinds::SERVICE_MONITORS, None, None)
                .await
                .unwrap_err()
        });
        assert!(error.to_string().contains("410"), "{error}");
        let lists = server
            .requests()
            .iter()
            .filter(|r| r.contains("/servicemonitors"))
            .count();
        assert!(lists <= 2 * (cluster::MAX_LIST_RESTARTS + 1) + 1, "{lists}");
    }

    #[test]
    fn oversized_and_truncated_answers_are_named() {
        let (error, _) = list_error(Fault::behaving(
            "/servicemonitors",
            Behaviour::Oversized(cluster::MAX_RESPONSE_BYTES + 1024),
        ));
        assert!(matches!(error, ClusterError::TooLarge { .. }), "{error}");
        let (error, _) = list_error(Fault::behaving("/servicemonitors", Behaviour::Truncated));
        assert!(matches!(error, ClusterError::Truncated { .. }), "{error:?}");
    }

    /// Lists ServiceMonitors within `timeout`; returns the outcome and how long it took.
    fn timed_list(
        server: &ApiServer,
        timeout: Duration,
    ) -> (Result<usize, ClusterError>, Duration) {
        let dir = tempfile::tempdir().unwrap();
        runtime().block_on(async {
            let options = ConnectOptions {
                kubeconfig: Some(server.write_kubeconfig(dir.path(), "shop")),
                request_timeout: timeout,
                ..ConnectOptions::default()
            };
            let c = Cluster::connect(&options).await.unwrap();
            let start = std::time::Instant::now();
            let listed = c.list(&promop::kinds::SERVICE_MONITORS, None, None).await;
            (listed.map(|items| items.len()), start.elapsed())
        })
    }

    #[test]
    fn retry_after_is_capped_and_the_last_429_is_reported() {
        let asks_an_hour = |times| Fault {
            times,
            retry_after_seconds: Some(3600),
            ..Fault::new("/servicemonitors", 429)
        };
        let lists = |server: &ApiServer| {
            (server.requests().iter())
                .filter(|r| r.contains("/servicemonitors"))
                .count()
        };
        // An hour asked for: the retry comes after MAX_RETRY_DELAY.
        let server = ApiServer::start(FIXTURE);
        server.inject(asks_an_hour(1));
        let (listed, took) = timed_list(&server, Duration::from_secs(30));
        assert_eq!(listed.unwrap(), 2);
        assert!(
            took >= cluster::MAX_RETRY_DELAY
                && took < cluster::MAX_RETRY_DELAY + Duration::from_secs(10),
            "{took:?}"
        );
        assert_eq!(lists(&server), 2);
        // No retry fits in the time limit: the server's answer is the error, not a timeout.
        let server = ApiServer::start(FIXTURE);
        server.inject(asks_an_hour(usize::MAX));
        let (listed, took) = timed_list(&server, Duration::from_secs(3));
        let error = listed.unwrap_err();
        assert_eq!(error.status(), Some(429), "{error}");
        assert!(
            error.to_string().contains("TooManyRequests (429)"),
            "{error}"
        );
        assert!(took < Duration::from_secs(3), "{took:?}");
        assert_eq!(lists(&server), 1);
    }

    #[test]
    fn apply_reports_every_object_after_a_failure() {
        let server = ApiServer::start(FIXTURE);
        // The API server's dry run of all five passes; the third write fails.
        server.inject(Fault {
            method: Some(Method::PATCH),
            skip: 5 + 2,
            ..Fault::new("/servicemonitors/", 500)
        });
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
        let mut text = String::new();
        for i in 1..=5 {
            text.push_str(&format!(
                "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: sm-{i}\n  namespace: shop\nspec:\n  selector: {{}}\n  endpoints:\n  - port: web\n"
            ));
        }
        let file = dir.path().join("five.yaml");
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args(["apply", "-f", file.to_str().unwrap(), "--kubeconfig"])
            .arg(&kubeconfig)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        for (i, word) in [(1, "created"), (2, "created")] {
            assert!(
                stdout.contains(&format!("ServiceMonitor shop/sm-{i} {word}")),
                "{stdout}"
            );
        }
        assert!(
            stdout.contains("ServiceMonitor shop/sm-3: failed: "),
            "{stdout}"
        );
        for i in [4, 5] {
            assert!(
                stdout.contains(&format!(
                    "ServiceMonitor shop/sm-{i}: not applied (stopped after the failure above)"
                )),
                "{stdout}"
            );
        }
        assert!(
            stdout.contains(
                "2 applied, 0 conflict(s), 1 failed, 0 with unknown outcome, 2 not attempted"
            ),
            "{stdout}"
        );
        assert!(server.object("servicemonitors", "shop", "sm-4").is_none());
    }

    #[test]
    fn apply_timeout_after_store_is_an_unknown_outcome() {
        let server = ApiServer::start(FIXTURE);
        // The dry run passes; the write is stored, then answered too late.
        server.inject(Fault {
            method: Some(Method::PATCH),
            skip: 1,
            ..Fault::behaving(
                "/servicemonitors/",
                Behaviour::SlowAfterServing(Duration::from_secs(3)),
            )
        });
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
        let file = dir.path().join("one.yaml");
        std::fs::write(
            &file,
            "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: slow\n  namespace: shop\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n",
        )
        .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-promop"))
            .args([
                "apply",
                "-f",
                file.to_str().unwrap(),
                "--request-timeout",
                "1s",
                "--kubeconfig",
            ])
            .arg(&kubeconfig)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{stdout}");
        assert!(
            stdout.contains(
                "ServiceMonitor shop/slow: outcome unknown: the request may have been stored"
            ),
            "{stdout}"
        );
        assert!(
            server.object("servicemonitors", "shop", "slow").is_some(),
            "stored"
        );
    }
}

/// Runs the binary under `/usr/bin/time` when there is one; returns the output and the peak
/// resident memory in KiB (`None` without `time`).
fn run_measured(args: &[&str]) -> (Output, Option<u64>) {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.exists() {
        return (run(args), None);
    }
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("rss");
    let out = Command::new(time)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_kubectl-promop"))
        .args(args)
        .output()
        .expect("the binary runs");
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.trim().lines().last()?.trim().parse().ok());
    (out, rss)
}

/// The ceiling no hostile input may drive a command above.
const MEMORY_CEILING_KIB: u64 = 400 * 1024;

#[test]
fn alias_expansion_is_bounded_in_bytes_for_every_command() {
    // 64 KiB behind one anchor, referenced 8,000 times: 140 KB of text, 524 MB expanded.
    let mut text = format!(
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: bomb\n  namespace: shop\n  labels:\n    a: &big {}\nspec:\n  selector:\n    matchLabels:\n",
        "x".repeat(64 * 1024)
    );
    for i in 0..8_000 {
        text.push_str(&format!("      k{i}: *big\n"));
    }
    text.push_str("  endpoints:\n  - port: web\n");
    let (_dir, path) = manifest("bomb.yaml", &text);
    for args in [
        vec!["validate", "-f", path.as_str()],
        vec!["render", "-f", path.as_str()],
        vec!["explain", "smon/bomb", "-n", "shop", "-f", path.as_str()],
    ] {
        let (out, rss) = run_measured(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("alias budget"),
            "{args:?}: {stdout}{stderr}"
        );
        if let Some(rss) = rss {
            assert!(rss < MEMORY_CEILING_KIB, "{args:?}: {rss} KiB");
        }
    }
}

/// Every output and message of `args` (stdout and stderr), with the exit code.
fn everything(args: &[&str]) -> String {
    let out = run(args);
    format!(
        "{:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: monitoring, labels: {kubernetes.io/metadata.name: monitoring}}\n";

#[test]
fn credentials_are_hidden_in_outputs_and_never_quoted_in_messages() {
    // A SigV4 access key read from a Secret.
    let sigv4 = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {{name: main, namespace: monitoring}}\n\
         spec: {{alertmanagerConfigSelector: {{}}, alertmanagerConfigNamespaceSelector: {{}}}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: aws, namespace: monitoring}}\nstringData: {{ak: AKIASECRETACCESSKEY, sk: SECRETKEY}}\n---\n\
         apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {{name: c, namespace: monitoring}}\n\
         spec:\n  route: {{receiver: r}}\n  receivers:\n  - name: r\n    snsConfigs:\n    - topicARN: arn:aws:sns:x\n      \
         sigv4: {{accessKey: {{name: aws, key: ak}}, secretKey: {{name: aws, key: sk}}}}\n"
    );
    let (_sigv4_dir, sigv4) = manifest("sigv4.yaml", &sigv4);
    // URLs with a password, of shapes the API server or Go refuse, in configurations and
    // messages.
    let refused = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\n\
         spec:\n  serviceMonitorSelector: {}\n  remoteWrite:\n  - url: \"//admin:PASS1@rw.example.com/api/v1/write\"\n  - url: \" https://admin:PASS2@rw/\"\n  \
         - url: \"h_ttps://u:PASS3@host/\"\n  remoteRead:\n  - url: \"https://u:PASS4/x@host/\"\n";
    let (_refused_dir, refused) = manifest("refused.yaml", refused);
    let urls = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {{name: k8s, namespace: monitoring}}\n\
         spec: {{probeSelector: {{}}, scrapeConfigSelector: {{}}, serviceMonitorSelector: {{}}}}\n---\n\
         apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {{name: sm, namespace: monitoring}}\n\
         spec: {{selector: {{}}, endpoints: [{{port: web, proxyUrl: \"https://u:PASS5?x@host/\"}}]}}\n---\n\
         apiVersion: monitoring.coreos.com/v1\nkind: Probe\nmetadata: {{name: pr, namespace: monitoring}}\n\
         spec: {{prober: {{url: \"admin:PASS6@blackbox:9115\"}}, targets: {{staticConfig: {{static: [example.com]}}}}}}\n---\n\
         apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata: {{name: sc, namespace: monitoring}}\n\
         spec: {{staticConfigs: [{{targets: ['https://admin:PASS7@b:1']}}]}}\n"
    );
    let (_urls_dir, urls) = manifest("urls.yaml", &urls);
    let slash = "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: k8s, namespace: monitoring}\n\
                 spec: {serviceMonitorSelector: {}, remoteWrite: [{url: \"https://u:PASS8/x@host/\"}]}\n";
    let (_slash_dir, slash) = manifest("slash.yaml", slash);
    // (command, file, what it shows in place of a credential)
    let runs = [
        ("render alertmanager main", &sigv4, "access_key: <secret>"),
        ("render alertmanager main -o json", &sigv4, "<secret>"),
        ("explain amcfg c -n monitoring", &sigv4, "<secret>"),
        ("explain amcfg c -n monitoring -o json", &sigv4, "<secret>"),
        ("validate", &refused, "//admin:<secret>@rw.example.com"),
        ("validate", &refused, " https://admin:<secret>@rw/"),
        ("validate", &urls, "invalid port \":<secret>\" after host"),
        (
            "validate",
            &urls,
            "\"admin:<secret>@blackbox:9115\" url specified",
        ),
        (
            "render prometheus k8s",
            &refused,
            "invalid URL \"//admin:<secret>@rw.",
        ),
        (
            "render prometheus k8s",
            &slash,
            "url: https://u:<secret>@host/",
        ),
        (
            "explain probe pr -n monitoring",
            &urls,
            "admin:<secret>@blackbox",
        ),
        (
            "explain scfg sc -n monitoring",
            &urls,
            "\"https://admin:<secret>@b:1\" is not a valid hostname",
        ),
        (
            "explain scfg sc -n monitoring -o json",
            &urls,
            "\\\"https://admin:<secret>@b:1\\\" is not a valid hostname",
        ),
        ("explain smon sm -n monitoring", &urls, "u:<secret>@host"),
    ];
    for (command, file, shown) in runs {
        let args: Vec<&str> = command.split(' ').chain(["-f", file.as_str()]).collect();
        let all = everything(&args);
        for secret in [
            "AKIASECRETACCESSKEY",
            "SECRETKEY",
            "PASS1",
            "PASS2",
            "PASS3",
            "PASS4",
            "PASS5",
            "PASS6",
            "PASS7",
            "PASS8",
        ] {
            assert!(!all.contains(secret), "{args:?}: {secret} in {all}");
        }
        assert!(all.contains(shown), "{args:?}: {shown} not in {all}");
    }
    // Asked for, the access key is shown.
    let shown = ["render", "alertmanager", "main", "--show-secrets"];
    let all = everything(&[&shown[..], &["-f", &sigv4]].concat());
    assert!(all.contains("access_key: AKIASECRETACCESSKEY"), "{all}");
}

/// Audit of 2026-12-07: passwords holding a space or a quote, a `scheme:/` URL, userinfo in
/// static targets and prober URLs, header values (tracing, `http_headers`, email), copies of
/// a hidden value through a YAML alias, and comments of a copied Alertmanager configuration.
#[test]
fn credentials_of_every_shape_stay_hidden() {
    let prometheus = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {{name: k8s, namespace: monitoring}}\n\
         spec:\n  serviceMonitorSelector: {{}}\n  scrapeConfigSelector: {{}}\n  externalUrl: \"https://admin:LEAK1 X@prom.example/\"\n  \
         remoteWrite: [{{url: \"https://u:LEAK2'X@rw.example/\"}}, {{url: \"https:/u:LEAK3@rw.example/\"}}]\n  \
         tracingConfig: {{endpoint: t:4317, headers: {{Authorization: Bearer LEAK4}}}}\n---\n\
         apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata: {{name: sc, namespace: monitoring}}\n\
         spec: {{staticConfigs: [{{targets: ['admin:LEAK5@h:9100']}}]}}\n"
    );
    let (_p_dir, prometheus) = manifest("p.yaml", &prometheus);
    let base = "route: {receiver: r}\nreceivers:\n- name: r\n  # pagerduty routing_key: LEAK6\n  \
                slack_configs: [{api_url: &u 'https://hooks.example/LEAK7', channel: '#a'}]\n  \
                webhook_configs: [{url: http://h/, http_config: {http_headers: {X-Key: {values: [LEAK8]}}}}]\n  \
                email_configs: [{to: a@example.com, smarthost: 'm:25', from: b@example.com, headers: {X-Token: LEAK9}}]\n\
                x-note: *u\n";
    let alertmanager = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {{name: main, namespace: monitoring}}\nspec: {{}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: alertmanager-main, namespace: monitoring}}\nstringData:\n  alertmanager.yaml: |\n{}",
        base.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    );
    let (_a_dir, alertmanager) = manifest("a.yaml", &alertmanager);
    let runs: [(&str, &String); 7] = [
        ("render prometheus k8s", &prometheus),
        ("render statefulset prometheus k8s", &prometheus),
        ("validate", &prometheus),
        ("explain scfg sc -n monitoring -o json", &prometheus),
        ("render alertmanager main", &alertmanager),
        ("render alertmanager main -o json", &alertmanager),
        ("validate", &alertmanager),
    ];
    for (command, file) in runs {
        let args: Vec<&str> = command.split(' ').chain(["-f", file.as_str()]).collect();
        let all = everything(&args);
        for leak in [
            "LEAK1", "LEAK2", "LEAK3", "LEAK4", "LEAK5", "LEAK6", "LEAK7", "LEAK8", "LEAK9",
        ] {
            assert!(!all.contains(leak), "{args:?}: {leak} in {all}");
        }
    }
    // With nothing else to hide, the copy is still not printed as stored: a comment may
    // quote a credential.
    let commented = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {{name: main, namespace: monitoring}}\nspec: {{}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: alertmanager-main, namespace: monitoring}}\nstringData:\n  \
         alertmanager.yaml: |\n    route: {{receiver: r}}\n    receivers:\n    - name: r # token LEAK10\n"
    );
    let (_c_dir, commented) = manifest("c.yaml", &commented);
    let all = everything(&["render", "alertmanager", "main", "-f", &commented]);
    assert!(
        !all.contains("LEAK10")
            && all.contains("comments are left out")
            && all.contains("- name: r"),
        "{all}"
    );
    let shown = everything(&[
        "render",
        "alertmanager",
        "main",
        "--show-secrets",
        "-f",
        &alertmanager,
    ]);
    assert!(shown.contains("# pagerduty routing_key: LEAK6"), "{shown}");
}

/// JSON input with a character outside the BMP written as a surrogate pair (`jq -a`,
/// Python's `json.dumps`) loads, as kubectl loads it.
#[test]
fn json_surrogate_pair_escapes_load() {
    let text = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}, "data": {"k": "x\ud83d\ude00y"}}"#;
    let (_dir, path) = manifest("c.json", text);
    let out = run(&["validate", "-f", &path]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("invalid Unicode character escape"), "{all}");
    assert_eq!(out.status.code(), Some(0), "{all}");
}

#[test]
fn an_empty_secret_value_hides_nothing_in_messages() {
    let text = format!(
        "{NAMESPACE}---\napiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {{name: main, namespace: monitoring}}\n\
         spec: {{alertmanagerConfigSelector: {{}}, alertmanagerConfigNamespaceSelector: {{}}}}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: s, namespace: monitoring}}\nstringData: {{wh: \"\"}}\n---\n\
         apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig\nmetadata: {{name: c, namespace: monitoring}}\n\
         spec:\n  route: {{receiver: r}}\n  receivers: [{{name: r, webhookConfigs: [{{urlSecret: {{name: s, key: wh}}}}]}}]\n"
    );
    let (_dir, path) = manifest("empty.yaml", &text);
    let all = everything(&["validate", "-f", &path]);
    assert!(
        all.contains("validate url from string failed with error: unsupported scheme \"\" for URL"),
        "{all}"
    );
    assert!(
        !all.contains("[REDACTED]") && !all.contains("<secret>u"),
        "{all}"
    );
}

#[test]
fn the_documents_of_one_command_have_a_budget() {
    let half = "---\n{apiVersion: v1, kind: Namespace, metadata: {name: ns1}}\n".repeat(50_001);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    std::fs::write(&a, &half).unwrap();
    std::fs::write(&b, &half).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    for command in ["render", "validate"] {
        let out = run(&[command, "-f", a, "-f", b]);
        assert_ne!(out.status.code(), Some(0), "{command}");
        let shown = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            shown.contains(&format!(
                "{b}: the files of this command hold more than 100000 documents (MAX_DOCUMENTS)"
            )),
            "{command}: {shown}"
        );
    }
}

#[test]
fn the_items_of_one_list_have_the_same_budget() {
    let text = format!(
        "apiVersion: v1\nkind: List\nitems: [{}]\n",
        "{},".repeat(100_001)
    );
    let (_dir, path) = manifest("list.yaml", &text);
    let out = run(&["render", "-f", &path]);
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&out.stderr);
    assert!(
        shown.contains(
            "field items: 100001 items are more than the 100000 objects one command reads \
             (MAX_DOCUMENTS)"
        ),
        "{shown}"
    );
}
