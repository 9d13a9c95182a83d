//! `promop::cluster` against the loopback API server: pagination, retries, RBAC fallback,
//! server-side apply and Status errors.

use crate::apiserver::{ApiServer, Fault};
use promop::cluster::{self, ApplyOptions, ApplyResult, Cluster, ClusterError, ConnectOptions};
use serde_json::json;

const FIXTURE: &str = include_str!("../fixtures/cluster/basic.yaml");

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn connect(server: &ApiServer, dir: &std::path::Path) -> Cluster {
    let options = ConnectOptions {
        kubeconfig: Some(server.write_kubeconfig(dir, "shop")),
        ..ConnectOptions::default()
    };
    Cluster::connect(&options).await.expect("connect")
}

#[test]
fn lists_every_page() {
    let mut fixture = String::new();
    for i in 0..1203 {
        fixture.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:04}\n  namespace: bulk\n"));
    }
    let server = ApiServer::start(&fixture);
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        assert_eq!(c.namespace(), "shop");
        let items = c
            .list(&promop::kinds::CONFIG_MAPS, None, None)
            .await
            .unwrap();
        assert_eq!(items.len(), 1203);
        assert_eq!(items[0]["kind"], "ConfigMap");
    });
    let pages = server
        .requests()
        .iter()
        .filter(|r| r.contains("/configmaps"))
        .count();
    assert_eq!(pages, 3);
}

#[test]
fn label_selectors_reach_the_server() {
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let items = c
            .list(
                &promop::kinds::SERVICE_MONITORS,
                Some("shop"),
                Some("team in (frontend)"),
            )
            .await
            .unwrap();
        let names: Vec<_> = items
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["shop-web"]);
    });
}

#[test]
fn retries_429_honouring_retry_after() {
    let server = ApiServer::start(FIXTURE);
    server.inject(Fault {
        times: 2,
        retry_after_seconds: Some(0),
        ..Fault::new("/servicemonitors", 429)
    });
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let items = c
            .list(&promop::kinds::SERVICE_MONITORS, None, None)
            .await
            .unwrap();
        assert_eq!(items.len(), 2);
    });
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.contains("/servicemonitors"))
            .count(),
        3
    );
}

#[test]
fn persistent_500_is_an_error_after_retries() {
    let server = ApiServer::start(FIXTURE);
    server.inject(Fault {
        times: 100,
        retry_after_seconds: Some(0),
        ..Fault::new("/prometheuses", 500)
    });
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let err = c
            .list(&promop::kinds::PROMETHEUSES, None, None)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(500), "{err}");
    });
}

#[test]
fn forbidden_cluster_wide_list_falls_back_to_namespaces() {
    let server = ApiServer::start(FIXTURE);
    server.inject(Fault {
        times: 1,
        cluster_wide_only: true,
        ..Fault::new("/servicemonitors", 403)
    });
    server.inject(Fault {
        times: 1,
        ..Fault::new("/namespaces/monitoring/servicemonitors", 403)
    });
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let namespaces = vec!["monitoring".to_owned(), "shop".to_owned()];
        let (items, notices) = c
            .list_readable(&promop::kinds::SERVICE_MONITORS, &namespaces)
            .await
            .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(
            notices[0]
                .message
                .contains("list servicemonitors.monitoring.coreos.com at cluster scope"),
            "{notices:?}"
        );
        assert!(
            notices[1].message.contains("in namespace monitoring"),
            "{notices:?}"
        );
    });
}

#[test]
fn status_errors_say_what_is_wrong() {
    let server = ApiServer::start(FIXTURE);
    server.inject(Fault::new("/prometheuses", 401));
    server.inject(Fault::new("/podmonitors", 403));
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let err = c
            .list(&promop::kinds::PROMETHEUSES, None, None)
            .await
            .unwrap_err();
        assert!(matches!(err, ClusterError::Unauthorized { .. }), "{err}");
        let err = c
            .list(&promop::kinds::POD_MONITORS, Some("shop"), None)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(
                "missing RBAC permission: list podmonitors.monitoring.coreos.com in namespace shop"
            ),
            "{err}"
        );
        assert!(
            c.get(&promop::kinds::SECRETS, Some("shop"), "nope")
                .await
                .unwrap()
                .is_none()
        );
        let secret = c
            .get(&promop::kinds::SECRETS, Some("shop"), "basic-auth")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(secret["data"]["password"], "aHVudGVyMg==");
    });
}

#[test]
fn unreachable_server_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    std::fs::write(&path, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n").unwrap();
    runtime().block_on(async {
        let c = Cluster::connect(&ConnectOptions {
            kubeconfig: Some(path),
            ..ConnectOptions::default()
        })
        .await
        .unwrap();
        let err = c
            .list(&promop::kinds::PROMETHEUSES, None, None)
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot reach the API server at http://127.0.0.1:9"),
            "{err}"
        );
    });
}

#[test]
fn server_side_apply_reports_created_unchanged_configured_and_conflicts() {
    let server = ApiServer::start(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let object = |port: &str| {
        json!({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "ServiceMonitor",
            "metadata": {"name": "applied", "namespace": "shop"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": port}]},
        })
    };
    let mine = ApplyOptions {
        field_manager: "kubectl-promop".into(),
        force: false,
        dry_run: false,
    };
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let dry = ApplyOptions {
            dry_run: true,
            ..mine.clone()
        };
        let (result, _) = c
            .apply(&promop::kinds::SERVICE_MONITORS, &object("http"), &dry)
            .await
            .unwrap();
        assert_eq!(result, ApplyResult::Created);
        assert!(
            server
                .object("servicemonitors", "shop", "applied")
                .is_none()
        );

        let (result, _) = c
            .apply(&promop::kinds::SERVICE_MONITORS, &object("http"), &mine)
            .await
            .unwrap();
        assert_eq!(result, ApplyResult::Created);
        let (result, _) = c
            .apply(&promop::kinds::SERVICE_MONITORS, &object("http"), &mine)
            .await
            .unwrap();
        assert_eq!(result, ApplyResult::Unchanged);
        let (result, _) = c
            .apply(&promop::kinds::SERVICE_MONITORS, &object("web"), &mine)
            .await
            .unwrap();
        assert_eq!(result, ApplyResult::Configured);

        let other = ApplyOptions {
            field_manager: "helm".into(),
            ..mine.clone()
        };
        let err = c
            .apply(&promop::kinds::SERVICE_MONITORS, &object("metrics"), &other)
            .await
            .unwrap_err();
        match err {
            ClusterError::Conflict { managers, .. } => assert_eq!(managers, ["kubectl-promop"]),
            e => panic!("expected a conflict, got {e}"),
        }
        let forced = ApplyOptions {
            force: true,
            ..other
        };
        let (result, _) = c
            .apply(
                &promop::kinds::SERVICE_MONITORS,
                &object("metrics"),
                &forced,
            )
            .await
            .unwrap();
        assert_eq!(result, ApplyResult::Configured);
    });
}

#[test]
fn fetches_a_snapshot_with_only_referenced_secrets() {
    let mut fixture = FIXTURE.to_owned();
    fixture.push_str("---\napiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata:\n  name: auth\n  namespace: shop\nspec:\n  selector: {}\n  podMetricsEndpoints:\n  - port: http\n    basicAuth:\n      username: {name: basic-auth, key: user}\n      password: {name: basic-auth, key: password}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: unrelated\n  namespace: shop\nstringData:\n  token: x\n");
    let server = ApiServer::start(&fixture);
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let c = connect(&server, dir.path()).await;
        let plan = cluster::FetchPlan {
            workloads: true,
            operator: false,
        };
        let (snapshot, notices) = c.fetch_snapshot(plan).await.unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(snapshot.prometheuses.len(), 1);
        assert_eq!(snapshot.service_monitors.len(), 2);
        assert_eq!(snapshot.pod_monitors.len(), 1);
        assert_eq!(snapshot.services.len(), 1);
        assert_eq!(snapshot.namespaces.len(), 2);
        assert_eq!(
            snapshot.secrets.len(),
            1,
            "only the referenced Secret is read"
        );
        assert_eq!(
            snapshot
                .secret_value("shop", "basic-auth", "password")
                .as_deref(),
            Some("hunter2")
        );
    });
    let requests = server.requests();
    assert!(
        !requests
            .iter()
            .any(|r| r.starts_with("GET /api/v1/secrets")),
        "Secrets listed: {requests:?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| r == "GET /api/v1/namespaces/shop/secrets/basic-auth"),
        "{requests:?}"
    );
}
