//! kubectl-promop as a kubectl plugin: help wording, completion (the script and Cobra's
//! `__complete` protocol against the loopback API server), `KUBECONFIG` with several files, and
//! kubectl finding the plugin on PATH.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::apiserver::ApiServer;

const FIXTURE: &str = include_str!("../fixtures/cluster/basic.yaml");

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kubectl-promop"))
}

/// The plugin with a private HOME, so that no real ~/.kube/config is read (nor, in a pod, the
/// service account).
fn plugin(home: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .env("HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env_remove("NO_COLOR");
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn kubectl_available() -> bool {
    Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn help_reads_kubectl_promop_and_lists_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let out = plugin(home.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("Usage: kubectl promop"), "{text}");
    assert!(text.contains("Exit codes:"), "{text}");
    assert!(!text.contains("__complete"), "{text}");

    let out = plugin(home.path())
        .args(["render", "--help"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("Usage: kubectl promop render"), "{text}");
    for flag in [
        "--kubeconfig",
        "--context",
        "--cluster",
        "--user",
        "--namespace",
        "--request-timeout",
        "--color",
    ] {
        assert!(text.contains(flag), "render --help lacks {flag}: {text}");
    }
}

#[test]
fn usage_errors_exit_2_and_never_colour_into_a_pipe() {
    let home = tempfile::tempdir().unwrap();
    let out = plugin(home.path()).arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains('\x1b'), "{}", stderr(&out));
}

#[test]
fn a_context_the_kubeconfig_lacks_is_named_with_those_it_has() {
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("config");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters: [{name: dev, cluster: {server: 'https://127.0.0.1:1'}}]\n\
         users: [{name: me, user: {token: abc}}]\n\
         contexts: [{name: dev, context: {cluster: dev, user: me}}, {name: prod, context: {cluster: dev, user: me}},\n\
         {name: lost, context: {cluster: dev, user: gone}}]\n\
         current-context: dev\n",
    )
    .unwrap();
    let status_in = |context: &str| {
        plugin(home.path())
            .args([
                "status",
                "prom",
                "k8s",
                "--context",
                context,
                "--kubeconfig",
            ])
            .arg(&kubeconfig)
            .output()
            .unwrap()
    };
    let out = status_in("stage");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no context \"stage\" in the kubeconfig (it has: dev, prod, lost)"),
        "{}",
        stderr(&out)
    );
    // A context whose user is missing is refused, as kubectl refuses it, not sent anonymously.
    let out = status_in("lost");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("user \"gone\" was not found for context \"lost\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_usage_error_quoting_control_characters_is_printed_escaped_even_in_colour() {
    let home = tempfile::tempdir().unwrap();
    let out = plugin(home.path())
        .args(["--color=always", "\x1b[41mPWNED\x07", "-f", "x\x1b]0;t\x07"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let shown = stderr(&out);
    assert!(shown.contains("PWNED"), "{shown}");
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown:?}"
    );
}

#[test]
fn completion_scripts_for_each_shell() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = plugin(home.path())
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains("kubectl-promop"), "{shell}: {script}");
        assert!(script.contains("decode-config"), "{shell}: {script}");
    }
}

#[test]
fn bash_completion_reaches_subcommand_flags() {
    let home = tempfile::tempdir().unwrap();
    let out = plugin(home.path())
        .args(["completion", "bash"])
        .output()
        .unwrap();
    let script = home.path().join("promop.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    // What the shell does on `kubectl-promop explain --ou<TAB>`.
    let probe = format!(
        "source {}; COMP_WORDS=(kubectl-promop explain --ou); COMP_CWORD=2; \
         _kubectl__promop kubectl-promop --ou explain; echo \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let Ok(out) = Command::new("bash").args(["-c", &probe]).output() else {
        eprintln!("skipped: no bash to load the completion script");
        return;
    };
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "--output", "{}", stderr(&out));
}

/// Runs `kubectl-promop __complete WORDS...` and returns candidates (without descriptions) and
/// the directive line.
fn complete(command: &mut Command, words: &[&str]) -> (Vec<String>, String) {
    let out = command.arg("__complete").args(words).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines: Vec<&str> = text.lines().collect();
    let directive = lines.pop().unwrap_or_default().to_owned();
    assert!(directive.starts_with(':'), "no directive: {text}");
    let candidates = lines
        .iter()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect();
    (candidates, directive)
}

#[test]
fn complete_names_from_the_cluster() {
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let kubeconfig = kubeconfig.to_str().unwrap();

    let (names, directive) = complete(
        &mut plugin(dir.path()),
        &["explain", "--kubeconfig", kubeconfig, "servicemonitor", ""],
    );
    assert_eq!(names, ["shop-api", "shop-web"]);
    assert_eq!(directive, ":4");

    let (names, _) = complete(
        &mut plugin(dir.path()),
        &[
            "decode-config",
            "--kubeconfig",
            kubeconfig,
            "-n",
            "monitoring",
            "prom/",
        ],
    );
    assert_eq!(names, ["prom/k8s"]);

    let (names, _) = complete(
        &mut plugin(dir.path()),
        &["render", "--kubeconfig", kubeconfig, "-n", ""],
    );
    assert_eq!(names, ["monitoring", "shop"]);

    // The context's namespace (shop) holds no Prometheus.
    let (names, _) = complete(
        &mut plugin(dir.path()),
        &["render", "--kubeconfig", kubeconfig, "prometheus", ""],
    );
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn complete_prints_nothing_when_the_cluster_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    // Nothing listens on port 9 of the loopback address.
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\n\
         users:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n\
         current-context: x\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (names, directive) = complete(
        &mut plugin(dir.path()),
        &[
            "explain",
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
            "smon",
            "",
        ],
    );
    assert!(names.is_empty());
    assert_eq!(directive, ":4");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Splits the loopback kubeconfig in two: contexts and the current context in one file,
/// clusters and users in the other. Neither works alone; merged they do.
fn split_kubeconfig(server: &ApiServer, dir: &Path) -> (PathBuf, PathBuf) {
    let contexts = dir.join("contexts.yaml");
    std::fs::write(
        &contexts,
        "apiVersion: v1\nkind: Config\ncontexts:\n- name: loopback\n  context:\n    cluster: loopback\n    \
         user: tester\n    namespace: shop\ncurrent-context: loopback\n",
    )
    .unwrap();
    let clusters = dir.join("clusters.yaml");
    std::fs::write(
        &clusters,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: {}\n\
             users:\n- name: tester\n  user: {{}}\n",
            server.url()
        ),
    )
    .unwrap();
    (contexts, clusters)
}

#[test]
fn kubeconfig_variable_with_several_files_is_merged() {
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let (contexts, clusters) = split_kubeconfig(&server, dir.path());
    // A listed file that does not exist is skipped, as client-go does, and an empty
    // current-context (as `kubectl config set-cluster --kubeconfig=new` writes) is unset.
    let missing = dir.path().join("missing.yaml");
    let empty = dir.path().join("empty.yaml");
    std::fs::write(
        &empty,
        "apiVersion: v1\nkind: Config\ncurrent-context: \"\"\n",
    )
    .unwrap();
    let joined = std::env::join_paths([&missing, &empty, &contexts, &clusters]).unwrap();

    let (names, _) = complete(
        plugin(dir.path()).env("KUBECONFIG", &joined),
        &["explain", "smon", ""],
    );
    assert_eq!(names, ["shop-api", "shop-web"]);

    // One file alone names no server: nothing to complete.
    let (names, _) = complete(
        plugin(dir.path()).env("KUBECONFIG", &contexts),
        &["explain", "smon", ""],
    );
    assert!(names.is_empty(), "{names:?}");
}

/// PATH with the plugin's directory and the repository's completion/ directory first.
fn plugin_path() -> std::ffi::OsString {
    let bin_dir = binary().parent().unwrap().to_path_buf();
    let completion_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completion");
    let mut dirs = vec![bin_dir, completion_dir];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

#[test]
fn kubectl_finds_the_plugin_on_path() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the plugin discovery check");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let path = plugin_path();
    let out = Command::new("kubectl")
        .args(["plugin", "list"])
        .env("PATH", &path)
        .env("HOME", home.path())
        .output()
        .unwrap();
    let listed = stdout(&out);
    assert!(
        listed.contains("kubectl-promop"),
        "{listed}{}",
        stderr(&out)
    );

    let out = Command::new("kubectl")
        .args(["promop", "--help"])
        .env("PATH", &path)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Usage: kubectl promop"));
}

#[test]
fn kubectl_completes_plugin_arguments_through_the_script() {
    if !kubectl_available() {
        eprintln!("kubectl not installed: skipping the plugin completion check");
        return;
    }
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.write_kubeconfig(dir.path(), "shop");
    let out = Command::new("kubectl")
        .args(["__complete", "promop", "explain", "smon", ""])
        .env("PATH", plugin_path())
        .env("HOME", dir.path())
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("shop-api") && text.contains("shop-web"),
        "{text}{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_kubeconfig_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let out = plugin(home.path())
        .args(["decode-config", "prom/k8s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("--kubeconfig") && text.contains("KUBECONFIG"),
        "{text}"
    );
}

#[test]
fn without_a_kubeconfig_a_pod_turns_to_its_service_account() {
    let dir = tempfile::tempdir().unwrap();
    let out = plugin(dir.path())
        .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
        .env("KUBERNETES_SERVICE_PORT", "1")
        .args(["decode-config", "prom/k8s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let error = stderr(&out);
    if std::path::Path::new("/var/run/secrets/kubernetes.io/serviceaccount/token").exists() {
        return; // a real pod: the service account is there, and the answer depends on it
    }
    assert!(
        error.contains("no kubeconfig, and the pod's service account cannot be read"),
        "{error}"
    );
    // KUBECONFIG naming no file: ~/.kube/config is not the fallback, as in client-go.
    let out = plugin(dir.path())
        .env("KUBECONFIG", dir.path().join("none.yaml"))
        .args(["decode-config", "prom/k8s"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("no file $KUBECONFIG lists exists"),
        "{}",
        stderr(&out)
    );
    // Outside a pod, the missing kubeconfig is said as such, with what was looked at.
    let out = plugin(dir.path())
        .args(["decode-config", "prom/k8s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no kubeconfig: ~/.kube/config does not exist"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn kubectl_habits_are_understood() {
    let home = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    // A repeated flag takes the last value, as in kubectl.
    let out = plugin(home.path())
        .args([
            "explain",
            "smon",
            "storefront",
            "-n",
            "elsewhere",
            "-n",
            "shop",
            "-f",
        ])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // A name far from any held lists what there is.
    let out = plugin(home.path())
        .args(["explain", "smon", "nosuch", "-f"])
        .arg(&demo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("ServiceMonitor \"nosuch\" not found (there is only shop/storefront)"),
        "{}",
        stderr(&out)
    );
    // `-f URL` is refused plainly, its password hidden.
    let out = plugin(home.path())
        .args(["validate", "-f", "https://admin:hunter2@example.com/a.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let shown = stderr(&out);
    assert!(shown.contains("URLs are not read"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}
