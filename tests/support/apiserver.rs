//! A loopback Kubernetes API server for tests.
//!
//! It speaks enough of the real wire protocol for kubectl and kube-rs: discovery documents, list
//! with `labelSelector`, `fieldSelector`, `limit` and `continue`, get, server-side apply
//! (`application/apply-patch+yaml` with `fieldManager`, `force` and `dryRun`, managed fields and
//! conflicts), and `Status` errors. A test loads it from fixture YAML, points a generated
//! kubeconfig at it (no credentials: clients do not send tokens over plain HTTP; a test
//! injects 401 when it wants one) and can inject faults (401, 403, 404, 409, 410, 429 with `Retry-After`, 500).
//! It binds 127.0.0.1 only and stops when dropped.

#![allow(dead_code)] // each integration test uses a different part of it

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A resource type the server serves.
#[derive(Clone, Debug)]
pub struct ResourceType {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
}

impl ResourceType {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_owned()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

const MONITORING: &str = "monitoring.coreos.com";

/// Every type the server knows, as a cluster with prometheus-operator's CRDs has them.
pub const RESOURCE_TYPES: &[ResourceType] = &[
    rt("", "v1", "Namespace", "namespaces", false, &["ns"]),
    rt("", "v1", "Secret", "secrets", true, &[]),
    rt("", "v1", "ConfigMap", "configmaps", true, &["cm"]),
    rt("", "v1", "Service", "services", true, &["svc"]),
    rt("", "v1", "Endpoints", "endpoints", true, &["ep"]),
    rt("", "v1", "Pod", "pods", true, &["po"]),
    rt("", "v1", "Node", "nodes", false, &["no"]),
    rt("apps", "v1", "Deployment", "deployments", true, &["deploy"]),
    rt("apps", "v1", "StatefulSet", "statefulsets", true, &["sts"]),
    rt("apps", "v1", "DaemonSet", "daemonsets", true, &["ds"]),
    // A kind kubectl-promop does not read, which apply finds through discovery.
    rt(
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
    ),
    rt(
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        true,
        &[],
    ),
    rt(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        &[],
    ),
    rt(
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        &[],
    ),
    rt(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        &[],
    ),
    rt(
        "authorization.k8s.io",
        "v1",
        "SubjectAccessReview",
        "subjectaccessreviews",
        false,
        &[],
    ),
    rt(
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        true,
        &[],
    ),
    rt(
        MONITORING,
        "v1",
        "Prometheus",
        "prometheuses",
        true,
        &["prom"],
    ),
    rt(
        MONITORING,
        "v1",
        "ServiceMonitor",
        "servicemonitors",
        true,
        &["smon"],
    ),
    rt(
        MONITORING,
        "v1",
        "PodMonitor",
        "podmonitors",
        true,
        &["pmon"],
    ),
    rt(MONITORING, "v1", "Probe", "probes", true, &["prb"]),
    rt(
        MONITORING,
        "v1",
        "PrometheusRule",
        "prometheusrules",
        true,
        &["promrule"],
    ),
    rt(
        MONITORING,
        "v1",
        "Alertmanager",
        "alertmanagers",
        true,
        &["am"],
    ),
    rt(
        MONITORING,
        "v1alpha1",
        "PrometheusAgent",
        "prometheusagents",
        true,
        &[],
    ),
    rt(
        MONITORING,
        "v1alpha1",
        "ScrapeConfig",
        "scrapeconfigs",
        true,
        &["scfg"],
    ),
    rt(
        MONITORING,
        "v1alpha1",
        "AlertmanagerConfig",
        "alertmanagerconfigs",
        true,
        &["amcfg"],
    ),
    rt(
        MONITORING,
        "v1",
        "ThanosRuler",
        "thanosrulers",
        true,
        &["ruler"],
    ),
];

const fn rt(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group,
        version,
        kind,
        plural,
        namespaced,
        short_names,
    }
}

/// A fault to inject: requests matching `method` (any when `None`) whose path contains
/// `path_contains` (and query `query_contains`) get `behaviour` instead of their answer,
/// `times` times, after `skip` matching requests were let through.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<Method>,
    pub path_contains: String,
    pub query_contains: Option<String>,
    /// Only match requests whose path has no `/namespaces/` segment (a cluster-wide list).
    pub cluster_wide_only: bool,
    pub status: u16,
    pub times: usize,
    pub skip: usize,
    pub retry_after_seconds: Option<u32>,
    pub behaviour: Behaviour,
}

/// What an injected fault does.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Answer with `status` and a Kubernetes Status body.
    Status,
    /// Answer 200 with this raw body.
    Body(String),
    /// Answer 200 with a body this many bytes long (JSON whitespace).
    Oversized(usize),
    /// Announce a longer body than is sent, then close: a truncated answer.
    Truncated,
    /// Serve the request, then wait this long before answering (the client times out after
    /// the server stored it).
    SlowAfterServing(std::time::Duration),
    /// Serve a LIST page that always says there is another page.
    EndlessContinue,
}

impl Fault {
    /// A fault with `status` for every request whose path contains `path_contains`, once.
    pub fn new(path_contains: &str, status: u16) -> Self {
        Fault {
            method: None,
            path_contains: path_contains.to_owned(),
            query_contains: None,
            cluster_wide_only: false,
            status,
            times: 1,
            skip: 0,
            retry_after_seconds: None,
            behaviour: Behaviour::Status,
        }
    }

    /// A fault that behaves as `behaviour` for requests whose path contains `path_contains`.
    pub fn behaving(path_contains: &str, behaviour: Behaviour) -> Self {
        Fault {
            behaviour,
            ..Fault::new(path_contains, 200)
        }
    }
}

#[derive(Clone, Debug)]
struct StoredObject {
    object: Value,
    /// manager -> owned leaf field paths (e.g. `.spec.endpoints`).
    managers: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Default)]
struct ServerState {
    /// Keyed by (plural.group, namespace, name) so lists come out sorted like etcd's keys.
    objects: BTreeMap<(String, String, String), StoredObject>,
    faults: Vec<Fault>,
    requests: Vec<String>,
    resource_version: u64,
    /// Answers of pods' own APIs through the proxy: (pod, path with query) -> (status, body).
    proxied: BTreeMap<(String, String), (u16, String)>,
    /// Container logs: (pod, container) -> text.
    logs: BTreeMap<(String, String), String>,
    /// The `spec` of every SubjectAccessReview answered.
    access_reviews: Vec<Value>,
}

/// A running loopback API server; it stops when dropped.
pub struct ApiServer {
    addr: SocketAddr,
    state: Arc<Mutex<ServerState>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ApiServer {
    /// Starts a server holding the objects of `fixture` (multi-document YAML; `List`s allowed).
    pub fn start(fixture: &str) -> Self {
        let mut state = ServerState::default();
        for value in promop::yaml::from_str_all::<Value>(fixture).expect("fixture parses") {
            if value.is_null() {
                continue;
            }
            let items = if value["kind"] == "List" {
                value["items"].as_array().cloned().unwrap_or_default()
            } else {
                vec![value]
            };
            for item in items {
                state.insert_fixture(item);
            }
        }
        let state = Arc::new(Mutex::new(state));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = axum::Router::new().fallback(handle).with_state(app_state);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        ApiServer {
            addr,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Writes a kubeconfig for this server (context `loopback`, default namespace `namespace`)
    /// into `dir` and returns its path.
    pub fn write_kubeconfig(&self, dir: &Path, namespace: &str) -> PathBuf {
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: {}\n\
             users:\n- name: tester\n  user: {{}}\ncontexts:\n- name: loopback\n  context:\n    \
             cluster: loopback\n    user: tester\n    namespace: {namespace}\ncurrent-context: loopback\n",
            self.url()
        );
        let path = dir.join("kubeconfig");
        std::fs::write(&path, text).expect("write kubeconfig");
        path
    }

    /// Makes `GET .../pods/POD:PORT/proxy{path}` answer `status` with `body` (`path` with its
    /// query, e.g. `/api/v1/targets?state=any`).
    pub fn answer_proxy(&self, pod: &str, path: &str, status: u16, body: &str) {
        self.state
            .lock()
            .unwrap()
            .proxied
            .insert((pod.to_owned(), path.to_owned()), (status, body.to_owned()));
    }

    /// Sets the log of `container` in `pod`.
    pub fn set_log(&self, pod: &str, container: &str, text: &str) {
        self.state
            .lock()
            .unwrap()
            .logs
            .insert((pod.to_owned(), container.to_owned()), text.to_owned());
    }

    /// Adds a fault to inject.
    pub fn inject(&self, fault: Fault) {
        self.state.lock().unwrap().faults.push(fault);
    }

    /// Every request served so far, as `METHOD /path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The `spec` of every SubjectAccessReview answered so far.
    pub fn access_reviews(&self) -> Vec<Value> {
        self.state.lock().unwrap().access_reviews.clone()
    }

    /// The stored object, if any.
    pub fn object(&self, plural: &str, namespace: &str, name: &str) -> Option<Value> {
        let ty = resource_by_plural(plural)?;
        let state = self.state.lock().unwrap();
        state
            .objects
            .get(&(ty.qualified(), namespace.to_owned(), name.to_owned()))
            .map(|o| o.object.clone())
    }

    /// How many objects the server holds.
    pub fn object_count(&self) -> usize {
        self.state.lock().unwrap().objects.len()
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn resource_by_plural(plural: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES.iter().find(|t| t.plural == plural)
}

fn resource_by_kind(api_version: &str, kind: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES
        .iter()
        .find(|t| t.kind == kind && t.api_version() == api_version)
}

impl ServerState {
    fn next_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    fn insert_fixture(&mut self, mut object: Value) {
        let api_version = object["apiVersion"].as_str().unwrap_or("").to_owned();
        let kind = object["kind"].as_str().unwrap_or("").to_owned();
        let ty = resource_by_kind(&api_version, &kind)
            .unwrap_or_else(|| panic!("fixture has an unknown type {api_version} {kind}"));
        let name = object["metadata"]["name"]
            .as_str()
            .expect("fixture object has a name")
            .to_owned();
        let namespace = if ty.namespaced {
            object["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default")
                .to_owned()
        } else {
            String::new()
        };
        let rv = self.next_version();
        stamp_new(&mut object, &namespace, &rv);
        if ty.kind == "Secret" {
            move_string_data(&mut object);
        }
        self.objects.insert(
            (ty.qualified(), namespace, name),
            StoredObject {
                object,
                managers: BTreeMap::new(),
            },
        );
    }
}

/// Fills the server-set metadata of a newly created object.
fn stamp_new(object: &mut Value, namespace: &str, resource_version: &str) {
    let meta = &mut object["metadata"];
    if !namespace.is_empty() {
        meta["namespace"] = json!(namespace);
    }
    let name = meta["name"].as_str().unwrap_or("").to_owned();
    meta["uid"] = json!(format!(
        "00000000-0000-4000-8000-{:012x}",
        fnv(&format!("{namespace}/{name}"))
    ));
    meta["resourceVersion"] = json!(resource_version);
    meta["generation"] = json!(1);
    if meta.get("creationTimestamp").is_none_or(Value::is_null) {
        meta["creationTimestamp"] = json!("2026-01-01T00:00:00Z");
    }
}

/// The API server stores `stringData` base64-encoded under `data`.
fn move_string_data(object: &mut Value) {
    use base64::Engine;
    if let Some(Value::Object(string_data)) =
        object.as_object_mut().and_then(|o| o.remove("stringData"))
    {
        let data = object["data"].as_object().cloned().unwrap_or_default();
        let mut data = data;
        for (k, v) in string_data {
            let text = v.as_str().unwrap_or("").to_owned();
            data.insert(
                k,
                json!(base64::engine::general_purpose::STANDARD.encode(text)),
            );
        }
        object["data"] = Value::Object(data);
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    }) & 0xffff_ffff_ffff
}

/// A Kubernetes `Status` error response.
fn status(code: u16, reason: &str, message: &str, details: Option<Value>) -> Response {
    let mut body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    if let Some(d) = details {
        body["details"] = d;
    }
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, axum::Json(body)).into_response()
}

fn reason_for(code: u16) -> &'static str {
    match code {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        429 => "TooManyRequests",
        _ => "InternalError",
    }
}

/// The parsed REST path.
struct Route {
    ty: &'static ResourceType,
    namespace: Option<String>,
    name: Option<String>,
}

enum Path_ {
    Discovery(Value),
    Resource(Route),
    NotFound,
}

fn discovery_resources(group: &str, version: &str) -> Value {
    let resources: Vec<Value> = RESOURCE_TYPES
        .iter()
        .filter(|t| t.group == group && t.version == version)
        .map(|t| {
            json!({
                "name": t.plural,
                "singularName": t.kind.to_lowercase(),
                "namespaced": t.namespaced,
                "kind": t.kind,
                "verbs": ["get", "list", "patch", "create", "update", "delete", "watch"],
                "shortNames": t.short_names,
            })
        })
        .collect();
    let group_version = if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    };
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}

fn api_groups() -> Value {
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for t in RESOURCE_TYPES.iter().filter(|t| !t.group.is_empty()) {
        groups.entry(t.group).or_default().insert(t.version);
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(g, versions)| {
            let versions: Vec<Value> = versions
                .iter()
                .rev()
                .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
                .collect();
            json!({"name": g, "versions": versions, "preferredVersion": versions[0]})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn route(path: &str) -> Path_ {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match parts.as_slice() {
        ["api"] => {
            return Path_::Discovery(
                json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
            );
        }
        ["apis"] => return Path_::Discovery(api_groups()),
        ["version"] => {
            return Path_::Discovery(
                json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"}),
            );
        }
        ["api", "v1"] => return Path_::Discovery(discovery_resources("", "v1")),
        ["apis", g, v] => return Path_::Discovery(discovery_resources(g, v)),
        ["api", "v1", rest @ ..] => ("", "v1", rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return Path_::NotFound,
    };
    let find = |plural: &str| {
        RESOURCE_TYPES
            .iter()
            .find(|t| t.group == group && t.version == version && t.plural == plural)
    };
    let resolved = match rest {
        ["namespaces", ns, plural] => find(plural).map(|ty| (ty, Some(ns.to_string()), None)),
        ["namespaces", ns, plural, name] => {
            find(plural).map(|ty| (ty, Some(ns.to_string()), Some(name.to_string())))
        }
        [plural] => find(plural).map(|ty| (ty, None, None)),
        [plural, name] => find(plural).map(|ty| (ty, None, Some(name.to_string()))),
        _ => None,
    };
    match resolved {
        Some((ty, namespace, name)) => Path_::Resource(Route {
            ty,
            namespace,
            name,
        }),
        None => Path_::NotFound,
    }
}

async fn handle(
    State(state): State<Arc<Mutex<ServerState>>>,
    method: Method,
    uri: Uri,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (response, delay) = respond(&state, &method, &uri, &query, &headers, &body);
    if let Some(wait) = delay {
        tokio::time::sleep(wait).await;
    }
    response
}

/// The answer to one request, and how long to wait before giving it.
fn respond(
    state: &Mutex<ServerState>,
    method: &Method,
    uri: &Uri,
    query: &BTreeMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Response, Option<std::time::Duration>) {
    let method = method.clone();
    let path = uri.path().to_owned();
    let mut state = state.lock().unwrap();
    state.requests.push(match uri.query() {
        Some(q) => format!("{method} {path}?{q}"),
        None => format!("{method} {path}"),
    });

    let cluster_wide = !path.contains("/namespaces/")
        || path.starts_with("/api/v1/namespaces") && path.matches('/').count() <= 4;
    let query_text = uri.query().unwrap_or("").to_owned();
    let matching: Vec<usize> = state
        .faults
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.times > 0
                && f.method.as_ref().is_none_or(|m| *m == method)
                && path.contains(&f.path_contains)
                && f.query_contains
                    .as_ref()
                    .is_none_or(|q| query_text.contains(q.as_str()))
                && (!f.cluster_wide_only || cluster_wide)
        })
        .map(|(i, _)| i)
        .collect();
    let mut delay = None;
    let mut endless = false;
    if let Some(&i) = matching.first() {
        if state.faults[i].skip > 0 {
            state.faults[i].skip -= 1;
        } else {
            let fault = state.faults[i].clone();
            state.faults[i].times -= 1;
            match fault.behaviour {
                Behaviour::Status => {
                    let message = match fault.status {
                        401 => "Unauthorized".to_owned(),
                        403 => {
                            let (verb, what) = describe_forbidden(&method, &path);
                            format!("{what} is forbidden: User \"tester\" cannot {verb} resource {what}")
                        }
                        410 => "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.".to_owned(),
                        429 => "Too many requests, please try again later.".to_owned(),
                        _ => format!("injected failure {}", fault.status),
                    };
                    let mut response =
                        status(fault.status, reason_for(fault.status), &message, None);
                    if let Some(s) = fault.retry_after_seconds {
                        response
                            .headers_mut()
                            .insert("Retry-After", s.to_string().parse().unwrap());
                    }
                    return (response, None);
                }
                Behaviour::Body(body) => {
                    return (
                        ([("content-type", "application/json")], body).into_response(),
                        None,
                    );
                }
                Behaviour::Oversized(bytes) => {
                    let mut body = vec![b' '; bytes];
                    body[0] = b'{';
                    if let Some(last) = body.last_mut() {
                        *last = b'}';
                    }
                    return (
                        ([("content-type", "application/json")], body).into_response(),
                        None,
                    );
                }
                Behaviour::Truncated => {
                    let mut response =
                        ([("content-type", "application/json")], "{\"items\": [").into_response();
                    response
                        .headers_mut()
                        .insert("content-length", "100000".parse().unwrap());
                    return (response, None);
                }
                Behaviour::SlowAfterServing(wait) => delay = Some(wait),
                Behaviour::EndlessContinue => endless = true,
            }
        }
    }
    if let Some(response) = pod_subresource(&state, &path, &query_text, query) {
        return (response, delay);
    }
    let response = serve(&mut state, &method, &path, query, headers, body, endless);
    (response, delay)
}

#[allow(clippy::too_many_arguments)]
fn serve(
    state: &mut ServerState,
    method: &Method,
    path: &str,
    query: &BTreeMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
    endless: bool,
) -> Response {
    match route(path) {
        Path_::Discovery(doc) if *method == Method::GET => axum::Json(doc).into_response(),
        Path_::Resource(r) => match (method.clone(), r.name.clone()) {
            (Method::GET, None) => list(state, &r, query, endless),
            (Method::GET, Some(name)) => get(state, &r, &name),
            (Method::POST, None) if r.ty.kind == "SubjectAccessReview" => {
                review_access(state, body)
            }
            (Method::PATCH, Some(name)) => {
                let content_type = headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !content_type.starts_with("application/apply-patch+yaml") {
                    return status(
                        415,
                        "UnsupportedMediaType",
                        &format!(
                            "unsupported patch type {content_type:?}: this server supports server-side apply only"
                        ),
                        None,
                    );
                }
                apply(state, &r, &name, query, body)
            }
            _ => status(
                405,
                "MethodNotAllowed",
                &format!("{method} is not supported on {path}"),
                None,
            ),
        },
        _ => status(
            404,
            "NotFound",
            "the server could not find the requested resource",
            None,
        ),
    }
}

/// `…/pods/NAME:PORT/proxy/…` and `…/pods/NAME/log`, answered from what the test set.
fn pod_subresource(
    state: &ServerState,
    path: &str,
    query_text: &str,
    query: &BTreeMap<String, String>,
) -> Option<Response> {
    let (_, rest) = path.split_once("/pods/")?;
    if let Some((pod_port, proxied)) = rest.split_once("/proxy") {
        let pod = pod_port
            .trim_start_matches("https:")
            .split(':')
            .next()
            .unwrap_or("")
            .to_owned();
        let key = if query_text.is_empty() {
            proxied.to_owned()
        } else {
            format!("{proxied}?{query_text}")
        };
        return Some(match state.proxied.get(&(pod, key)) {
            Some((code, body)) => (
                StatusCode::from_u16(*code).unwrap_or(StatusCode::OK),
                [("content-type", "application/json")],
                body.clone(),
            )
                .into_response(),
            None => status(404, "NotFound", "no such proxied path", None),
        });
    }
    let pod = rest.strip_suffix("/log")?;
    let container = query.get("container").cloned().unwrap_or_default();
    let text = state.logs.get(&(pod.to_owned(), container))?;
    let tail: usize = query
        .get("tailLines")
        .and_then(|t| t.parse().ok())
        .unwrap_or(usize::MAX);
    let lines: Vec<&str> = text.lines().collect();
    let kept = lines[lines.len().saturating_sub(tail)..].join("\n");
    Some((StatusCode::OK, kept).into_response())
}

fn describe_forbidden(method: &Method, path: &str) -> (&'static str, String) {
    let verb = match *method {
        Method::GET if route_name(path).is_some() => "get",
        Method::GET => "list",
        Method::PATCH => "patch",
        Method::POST => "create",
        _ => "access",
    };
    let what = match route(path) {
        Path_::Resource(r) => {
            let scope = match &r.namespace {
                Some(ns) => format!("in the namespace \"{ns}\""),
                None => "at the cluster scope".to_owned(),
            };
            format!(
                "\"{}\" in API group \"{}\" {scope}",
                r.ty.plural, r.ty.group
            )
        }
        _ => format!("{path:?}"),
    };
    (verb, what)
}

fn route_name(path: &str) -> Option<String> {
    match route(path) {
        Path_::Resource(r) => r.name,
        _ => None,
    }
}

fn not_found(ty: &ResourceType, name: &str) -> Response {
    status(
        404,
        "NotFound",
        &format!("{} \"{name}\" not found", ty.qualified()),
        Some(json!({"name": name, "group": ty.group, "kind": ty.plural})),
    )
}

fn get(state: &ServerState, r: &Route, name: &str) -> Response {
    let key = (
        r.ty.qualified(),
        r.namespace.clone().unwrap_or_default(),
        name.to_owned(),
    );
    match state.objects.get(&key) {
        Some(o) => axum::Json(with_type(&o.object, r.ty)).into_response(),
        None => not_found(r.ty, name),
    }
}

fn with_type(object: &Value, ty: &ResourceType) -> Value {
    let mut o = object.clone();
    o["apiVersion"] = json!(ty.api_version());
    o["kind"] = json!(ty.kind);
    o
}

fn list(
    state: &ServerState,
    r: &Route,
    query: &BTreeMap<String, String>,
    endless: bool,
) -> Response {
    let label_selector = match query
        .get("labelSelector")
        .map(|s| LabelSelector::parse(s))
        .transpose()
    {
        Ok(s) => s,
        Err(e) => {
            return status(
                400,
                "BadRequest",
                &format!("unable to parse requirement: {e}"),
                None,
            );
        }
    };
    let field_selector = match query
        .get("fieldSelector")
        .map(|s| parse_field_selector(s))
        .transpose()
    {
        Ok(s) => s,
        Err(e) => return status(400, "BadRequest", &e, None),
    };
    let qualified = r.ty.qualified();
    let matching: Vec<&StoredObject> = state
        .objects
        .iter()
        .filter(|((q, ns, _), _)| {
            *q == qualified && r.namespace.as_ref().is_none_or(|want| want == ns)
        })
        .map(|(_, o)| o)
        .filter(|o| {
            let labels = o.object["metadata"]["labels"].as_object();
            label_selector.as_ref().is_none_or(|s| s.matches(labels))
        })
        .filter(|o| {
            field_selector.as_ref().is_none_or(|f| {
                f.iter().all(|(path, op_eq, want)| {
                    let got = lookup(&o.object, path).unwrap_or_default();
                    (got == *want) == *op_eq
                })
            })
        })
        .collect();
    let start = match query.get("continue") {
        Some(token) => match decode_continue(token) {
            Some(i) => i,
            None => return status(400, "BadRequest", "invalid continue token", None),
        },
        None => 0,
    };
    let limit = query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0);
    let end = limit.map_or(matching.len(), |l| (start + l).min(matching.len()));
    let items: Vec<Value> = matching
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .map(|o| with_type(&o.object, r.ty))
        .collect();
    let mut metadata = json!({"resourceVersion": state.resource_version.to_string()});
    if endless {
        metadata["continue"] = json!(encode_continue(start));
    } else if end < matching.len() {
        metadata["continue"] = json!(encode_continue(end));
        metadata["remainingItemCount"] = json!(matching.len() - end);
    }
    axum::Json(json!({
        "kind": format!("{}List", r.ty.kind),
        "apiVersion": r.ty.api_version(),
        "metadata": metadata,
        "items": items,
    }))
    .into_response()
}

fn encode_continue(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{{\"offset\":{offset}}}"))
}

fn decode_continue(token: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v["offset"].as_u64().map(|o| o as usize)
}

fn lookup(object: &Value, dotted: &str) -> Option<String> {
    let mut cur = object;
    for part in dotted.split('.') {
        cur = cur.get(part)?;
    }
    cur.as_str().map(str::to_owned)
}

/// `metadata.name=x,metadata.namespace!=y` -> [(path, is_equality, value)].
fn parse_field_selector(text: &str) -> Result<Vec<(String, bool, String)>, String> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|part| {
            if let Some((k, v)) = part.split_once("!=") {
                Ok((k.to_owned(), false, v.to_owned()))
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Ok((k.to_owned(), true, v.to_owned()))
            } else {
                Err(format!("invalid field selector {part:?}"))
            }
        })
        .collect()
}

/// A parsed `labelSelector` query (equality and set-based requirements).
struct LabelSelector(Vec<Requirement>);

enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl LabelSelector {
    fn parse(text: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let req = if let Some(key) = part.strip_prefix('!') {
                Requirement::DoesNotExist(key.trim().to_owned())
            } else if let Some((k, v)) = part.split_once(" notin ") {
                Requirement::NotIn(k.trim().to_owned(), set_values(v)?)
            } else if let Some((k, v)) = part.split_once(" in ") {
                Requirement::In(k.trim().to_owned(), set_values(v)?)
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().to_owned(), v.trim().to_owned())
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Requirement::Equals(k.trim().to_owned(), v.trim().to_owned())
            } else {
                Requirement::Exists(part.to_owned())
            };
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    fn matches(&self, labels: Option<&serde_json::Map<String, Value>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v.as_str()),
            Requirement::NotEquals(k, v) => get(k) != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|g| vs.iter().any(|v| v == g)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|g| vs.iter().all(|v| v != g)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
}

fn set_values(text: &str) -> Result<Vec<String>, String> {
    let inner = text
        .trim()
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("expected a parenthesised set, got {text:?}"))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect())
}

/// Leaf field paths of an applied object (objects recurse; lists and scalars are leaves),
/// leaving out what the server owns.
fn leaf_paths(value: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let path = format!("{prefix}.{k}");
                if matches!(
                    path.as_str(),
                    ".apiVersion"
                        | ".kind"
                        | ".metadata.name"
                        | ".metadata.namespace"
                        | ".metadata.managedFields"
                        | ".status"
                ) {
                    continue;
                }
                leaf_paths(v, &path, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned(), value.clone());
        }
    }
}

fn get_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.trim_start_matches('.')
        .split('.')
        .try_fold(value, |cur, part| cur.get(part))
}

fn set_path(value: &mut Value, path: &str, new: Value) {
    let parts: Vec<&str> = path.trim_start_matches('.').split('.').collect();
    let mut cur = value;
    for part in &parts[..parts.len() - 1] {
        if !cur.get(*part).is_some_and(Value::is_object) {
            cur[*part] = json!({});
        }
        cur = &mut cur[*part];
    }
    cur[parts[parts.len() - 1]] = new;
}

fn remove_path(value: &mut Value, path: &str) {
    let parts: Vec<&str> = path.trim_start_matches('.').split('.').collect();
    let mut cur = value;
    for part in &parts[..parts.len() - 1] {
        match cur.get_mut(*part) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(map) = cur.as_object_mut() {
        map.remove(parts[parts.len() - 1]);
    }
}

/// managedFields in the API server's FieldsV1 format.
fn managed_fields(managers: &BTreeMap<String, BTreeSet<String>>, api_version: &str) -> Value {
    let entries: Vec<Value> = managers
        .iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(manager, paths)| {
            let mut fields = json!({});
            for path in paths {
                let mut cur = &mut fields;
                for part in path.trim_start_matches('.').split('.') {
                    let key = format!("f:{part}");
                    if cur.get(&key).is_none() {
                        cur[&key] = json!({});
                    }
                    cur = &mut cur[&key];
                }
            }
            json!({
                "manager": manager,
                "operation": "Apply",
                "apiVersion": api_version,
                "time": "2026-01-01T00:00:00Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": fields,
            })
        })
        .collect();
    Value::Array(entries)
}

fn apply(
    state: &mut ServerState,
    r: &Route,
    name: &str,
    query: &BTreeMap<String, String>,
    body: &[u8],
) -> Response {
    let Some(manager) = query.get("fieldManager").filter(|m| !m.is_empty()) else {
        return status(
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            None,
        );
    };
    let force = query.get("force").is_some_and(|f| f == "true");
    let dry_run = query.get("dryRun").is_some_and(|d| d == "All");
    let text = String::from_utf8_lossy(body);
    let applied: Value = match promop::yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            return status(
                400,
                "BadRequest",
                &format!("error decoding YAML: {e}"),
                None,
            );
        }
    };
    if applied["metadata"]["name"].as_str() != Some(name) {
        return status(
            400,
            "BadRequest",
            "the name of the object does not match the name on the URL",
            None,
        );
    }
    if applied["kind"].as_str() != Some(r.ty.kind)
        || applied["apiVersion"].as_str() != Some(&r.ty.api_version())
    {
        return status(
            400,
            "BadRequest",
            &format!("the body is not a {} {}", r.ty.api_version(), r.ty.kind),
            None,
        );
    }
    let namespace = r.namespace.clone().unwrap_or_default();
    // As the API server's NamespaceLifecycle admission: no object in a namespace that does
    // not exist (a dry-run Namespace is not stored, so neither is one created by a dry run).
    let namespace_key = ("namespaces".to_owned(), String::new(), namespace.clone());
    if r.ty.namespaced && !state.objects.contains_key(&namespace_key) {
        return status(
            404,
            "NotFound",
            &format!("namespaces \"{namespace}\" not found"),
            Some(json!({"name": namespace, "kind": "namespaces"})),
        );
    }
    let key = (r.ty.qualified(), namespace.clone(), name.to_owned());
    let mut leaves = BTreeMap::new();
    leaf_paths(&applied, "", &mut leaves);

    let existing = state.objects.get(&key).cloned();
    let created = existing.is_none();
    let mut stored = existing.unwrap_or_else(|| StoredObject {
        object: json!({"apiVersion": r.ty.api_version(), "kind": r.ty.kind, "metadata": {"name": name}}),
        managers: BTreeMap::new(),
    });

    // Conflicts: a field another manager owns, set to a different value.
    let mut conflicts: Vec<(String, String)> = Vec::new();
    for (path, value) in &leaves {
        for (other, owned) in &stored.managers {
            if other != manager
                && owned.contains(path)
                && get_path(&stored.object, path) != Some(value)
            {
                conflicts.push((other.clone(), path.clone()));
            }
        }
    }
    if !conflicts.is_empty() && !force {
        let causes: Vec<Value> = conflicts
            .iter()
            .map(|(m, f)| json!({"type": "FieldManagerConflict", "message": format!("conflict with \"{m}\" using {}", r.ty.api_version()), "field": f}))
            .collect();
        let listed: Vec<String> = conflicts
            .iter()
            .map(|(m, f)| format!("conflict with \"{m}\" using {}: {f}", r.ty.api_version()))
            .collect();
        let message = if listed.len() == 1 {
            format!("Apply failed with 1 conflict: {}", listed[0])
        } else {
            format!(
                "Apply failed with {} conflicts: {}",
                listed.len(),
                listed.join("\n")
            )
        };
        return status(
            409,
            "Conflict",
            &message,
            Some(json!({"name": name, "group": r.ty.group, "kind": r.ty.plural, "causes": causes})),
        );
    }

    let before = stored.object.clone();
    // Fields this manager owned before but no longer applies are removed, unless someone else owns them.
    let previously: BTreeSet<String> = stored
        .managers
        .get(manager.as_str())
        .cloned()
        .unwrap_or_default();
    for path in previously.iter().filter(|p| !leaves.contains_key(*p)) {
        let shared = stored
            .managers
            .iter()
            .any(|(m, owned)| m != manager && owned.contains(path));
        if !shared {
            remove_path(&mut stored.object, path);
        }
    }
    for (path, value) in &leaves {
        set_path(&mut stored.object, path, value.clone());
    }
    for (other, owned) in stored.managers.iter_mut() {
        if other != manager {
            for path in leaves.keys() {
                owned.remove(path);
            }
        }
    }
    stored
        .managers
        .insert(manager.clone(), leaves.keys().cloned().collect());
    let changed = strip_server_fields(&before) != strip_server_fields(&stored.object) || created;
    if changed && dry_run {
        // A dry run stores nothing: an existing object keeps its resourceVersion (the
        // registry's dry-run update never reaches storage), a new one has none yet.
        if created {
            stamp_new(&mut stored.object, &namespace, "");
        }
    } else if changed {
        let rv = state.next_version();
        if created {
            stamp_new(&mut stored.object, &namespace, &rv);
        } else {
            stored.object["metadata"]["resourceVersion"] = json!(rv);
        }
    }
    stored.object["metadata"]["managedFields"] =
        managed_fields(&stored.managers, &r.ty.api_version());
    if r.ty.kind == "Secret" {
        move_string_data(&mut stored.object);
    }
    let response = with_type(&stored.object, r.ty);
    if !dry_run {
        state.objects.insert(key, stored);
    }
    let code = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (code, axum::Json(response)).into_response()
}

fn strip_server_fields(object: &Value) -> Value {
    let mut o = object.clone();
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in [
            "resourceVersion",
            "managedFields",
            "uid",
            "creationTimestamp",
            "generation",
        ] {
            meta.remove(k);
        }
    }
    o
}

/// Answers a SubjectAccessReview from the Roles, ClusterRoles and bindings the server holds:
/// a binding applies when a subject is the user, one of its groups, or the ServiceAccount
/// the user names; a rule allows when its verbs, API groups and resources match (or are
/// `*`) and it names no particular object.
fn review_access(state: &mut ServerState, body: &[u8]) -> Response {
    let review: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return status(400, "BadRequest", &format!("error decoding: {e}"), None),
    };
    let spec = review["spec"].clone();
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let user = text(&spec["user"]);
    let groups: Vec<String> = spec["groups"]
        .as_array()
        .map(|g| g.iter().map(text).collect())
        .unwrap_or_default();
    let attributes = &spec["resourceAttributes"];
    let (namespace, verb, group, resource) = (
        text(&attributes["namespace"]),
        text(&attributes["verb"]),
        text(&attributes["group"]),
        text(&attributes["resource"]),
    );
    if user.is_empty() || verb.is_empty() || resource.is_empty() {
        return status(
            400,
            "BadRequest",
            "spec.user, resourceAttributes.verb and resourceAttributes.resource are required here",
            None,
        );
    }
    let objects = |plural: &str| -> Vec<&Value> {
        state
            .objects
            .iter()
            .filter(|((q, _, _), _)| q == &format!("{plural}.rbac.authorization.k8s.io"))
            .map(|(_, o)| &o.object)
            .collect()
    };
    let names_subject = |binding: &Value| {
        let binding_namespace = text(&binding["metadata"]["namespace"]);
        binding["subjects"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| {
                let name = text(&s["name"]);
                match s["kind"].as_str() {
                    Some("User") => name == user,
                    Some("Group") => groups.contains(&name),
                    Some("ServiceAccount") => {
                        let ns = Some(text(&s["namespace"]))
                            .filter(|n| !n.is_empty())
                            .unwrap_or(binding_namespace.clone());
                        user == format!("system:serviceaccount:{ns}:{name}")
                    }
                    _ => false,
                }
            })
    };
    let rules_of = |kind: &str, name: &str, namespace: &str| -> Vec<Value> {
        let plural = if kind == "Role" {
            "roles"
        } else {
            "clusterroles"
        };
        objects(plural)
            .into_iter()
            .filter(|r| {
                text(&r["metadata"]["name"]) == name
                    && (kind != "Role" || text(&r["metadata"]["namespace"]) == namespace)
            })
            .flat_map(|r| r["rules"].as_array().cloned().unwrap_or_default())
            .collect()
    };
    let mut rules = Vec::new();
    for binding in objects("clusterrolebindings") {
        if names_subject(binding) && binding["roleRef"]["kind"] == "ClusterRole" {
            rules.extend(rules_of(
                "ClusterRole",
                &text(&binding["roleRef"]["name"]),
                "",
            ));
        }
    }
    if !namespace.is_empty() {
        for binding in objects("rolebindings") {
            if text(&binding["metadata"]["namespace"]) == namespace && names_subject(binding) {
                let kind = text(&binding["roleRef"]["kind"]);
                rules.extend(rules_of(
                    &kind,
                    &text(&binding["roleRef"]["name"]),
                    &namespace,
                ));
            }
        }
    }
    let lists = |rule: &Value, field: &str, wanted: &str| {
        rule[field]
            .as_array()
            .into_iter()
            .flatten()
            .any(|v| v == "*" || v == wanted)
    };
    let allowed = rules.iter().any(|rule| {
        lists(rule, "verbs", &verb)
            && lists(rule, "apiGroups", &group)
            && lists(rule, "resources", &resource)
            && rule["resourceNames"].as_array().is_none_or(Vec::is_empty)
    });
    state.access_reviews.push(spec.clone());
    let reason = if allowed {
        "allowed by the server's RBAC fixture"
    } else {
        ""
    };
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "kind": "SubjectAccessReview",
            "apiVersion": "authorization.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "spec": spec,
            "status": {"allowed": allowed, "reason": reason},
        })),
    )
        .into_response()
}
