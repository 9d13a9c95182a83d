//! `explain` over a large cluster read from manifests: 1,000 namespaces, 10,000 Services
//! (with Endpoints) and 2,000 ServiceMonitors, loaded from YAML text, then explained from the
//! Prometheus's side and from one monitor's side; then the same with 2,000 Roles and 2,000
//! RoleBindings in the input, so that the RBAC of the Prometheus's ServiceAccount is
//! evaluated for every namespace searched (budget: under 1 s, loading included).

use std::fmt::Write;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use promop::explain::{self, MonitorKind};
use promop::instance;
use promop::operator::OperatorOptions;
use promop::snapshot::Snapshot;

const NAMESPACES: usize = 1_000;
const SERVICES: usize = 10_000;
const MONITORS: usize = 2_000;
/// Roles, and as many RoleBindings: two pairs per namespace, one for the Prometheus's
/// ServiceAccount (missing in every tenth namespace, so there are gaps to report), one for
/// another ServiceAccount.
const ROLES: usize = 2_000;

fn manifests() -> String {
    let mut text = String::from(
        "apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  \
         namespace: monitoring\nspec:\n  serviceMonitorSelector:\n    matchLabels:\n      \
         team: frontend\n  serviceMonitorNamespaceSelector:\n    matchLabels:\n      \
         monitoring: enabled\n",
    );
    for n in 0..NAMESPACES {
        let enabled = if n % 10 == 0 { "disabled" } else { "enabled" };
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{n}\n  labels:\n    \
             monitoring: {enabled}\n"
        );
    }
    for s in 0..SERVICES {
        let ns = s % NAMESPACES;
        let _ = write!(
            text,
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{s}\n  namespace: ns-{ns}\n  \
             labels:\n    app: app-{s}\nspec:\n  selector:\n    app: app-{s}\n  ports:\n  - name: http\n    \
             port: 80\n    targetPort: 8080\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  \
             name: svc-{s}\n  namespace: ns-{ns}\nsubsets:\n- addresses:\n  - ip: 10.{}.{}.{}\n  \
             ports:\n  - name: http\n    port: 8080\n",
            s / 65536 % 256,
            s / 256 % 256,
            s % 256
        );
    }
    for m in 0..MONITORS {
        let ns = m % NAMESPACES;
        let team = if m % 7 == 0 { "fronted" } else { "frontend" };
        let _ = write!(
            text,
            "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  \
             name: mon-{m}\n  namespace: ns-{ns}\n  labels:\n    team: {team}\nspec:\n  \
             selector:\n    matchLabels:\n      app: app-{m}\n  endpoints:\n  - port: http\n"
        );
    }
    text
}

/// Roles and RoleBindings (and the ClusterRole for /metrics kube-prometheus adds).
fn rbac_manifests() -> String {
    let mut text = String::from(
        "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  \
         name: prometheus-k8s\nrules:\n- nonResourceURLs: [/metrics]\n  verbs: [get]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  \
         name: prometheus-k8s\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, \
         name: prometheus-k8s}\nsubjects:\n- {kind: ServiceAccount, name: prometheus-k8s, \
         namespace: monitoring}\n",
    );
    for r in 0..ROLES {
        let ns = r % NAMESPACES;
        let (name, account) = if r < NAMESPACES {
            ("prometheus-k8s", "prometheus-k8s")
        } else {
            ("app-reader", "app")
        };
        if name == "prometheus-k8s" && ns % 10 == 1 {
            continue;
        }
        let _ = write!(
            text,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  \
             namespace: ns-{ns}\nrules:\n- apiGroups: ['']\n  resources: [services, endpoints, pods]\n  \
             verbs: [get, list, watch]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n\
             metadata:\n  name: {name}\n  namespace: ns-{ns}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, \
             kind: Role, name: {name}}}\nsubjects:\n- {{kind: ServiceAccount, name: {account}, \
             namespace: {}}}\n",
            if account == "app" {
                format!("ns-{ns}")
            } else {
                "monitoring".to_owned()
            }
        );
    }
    text
}

fn load(text: &str) -> Snapshot {
    let mut snapshot = Snapshot::default();
    snapshot
        .load("bench.yaml", text)
        .expect("bench manifests load");
    snapshot
}

/// Explaining a Prometheus (loading included, and not) and a ServiceMonitor of `text`; names
/// end in `suffix`.
fn bench_explains(group: &mut BenchmarkGroup<'_, WallTime>, text: &str, suffix: &str) {
    let explain_prometheus = |snapshot: &Snapshot| {
        let target = instance::find_target(snapshot, false, None, "k8s").expect("instance");
        explain::explain_instance(snapshot, target, &OperatorOptions::default())
            .expect("explanation")
    };
    group.bench_function(format!("load_and_explain_prometheus{suffix}"), |b| {
        b.iter(|| explain_prometheus(&load(text)));
    });
    let snapshot = load(text);
    group.bench_function(format!("explain_prometheus{suffix}"), |b| {
        b.iter(|| explain_prometheus(&snapshot));
    });
    group.bench_function(format!("explain_servicemonitor{suffix}"), |b| {
        b.iter(|| {
            explain::explain_monitor(
                &snapshot,
                MonitorKind::ServiceMonitor,
                (Some("ns-1"), "mon-1"),
                &OperatorOptions::default(),
                None,
            )
            .expect("explanation")
        });
    });
}

fn bench(c: &mut Criterion) {
    let text = manifests();
    let mut group = c.benchmark_group("explain");
    group.sample_size(10);
    bench_explains(&mut group, &text, "");

    let text = format!("{text}{}", rbac_manifests()).replace(
        "  name: k8s\n  namespace: monitoring\nspec:\n",
        "  name: k8s\n  namespace: monitoring\nspec:\n  serviceAccountName: prometheus-k8s\n",
    );
    let snapshot = load(&text);
    let check = {
        let target = instance::find_target(&snapshot, false, None, "k8s").expect("instance");
        explain::explain_instance(&snapshot, target, &OperatorOptions::default())
            .expect("explanation")
            .rbac
    };
    assert!(check.checked && !check.gaps.is_empty(), "{}", check.note);
    bench_explains(&mut group, &text, "_with_rbac");
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
