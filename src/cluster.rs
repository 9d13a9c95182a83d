//! The only module that talks to a Kubernetes API server (through kube-rs).
//!
//! It lists objects (one paginated LIST per kind, falling back to readable namespaces when RBAC
//! forbids a cluster-wide list), reads single objects by name, and applies objects with
//! server-side apply. Every request is bounded: a per-request timeout, and a few retries of
//! 429/5xx answers honouring `Retry-After`. Failures become [`ClusterError`]s that say what to
//! do next; partial reads become [`Notice`]s.

use std::path::PathBuf;
use std::time::Duration;

use http::{Method, Request, StatusCode};
use kube::client::Body;
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::Value;

use crate::snapshot::Snapshot;

/// How to reach the cluster: the kubectl flags that select a kubeconfig entry.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// `--kubeconfig`; otherwise `KUBECONFIG` (several paths merged) or `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`.
    pub context: Option<String>,
    /// `--cluster`.
    pub cluster: Option<String>,
    /// `--user`.
    pub user: Option<String>,
    /// `-n/--namespace`; otherwise the context's namespace.
    pub namespace: Option<String>,
    /// `--request-timeout`, for each request.
    pub request_timeout: Duration,
    /// How often a 429 or 5xx answer is retried.
    pub retries: u32,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            kubeconfig: None,
            context: None,
            cluster: None,
            user: None,
            namespace: None,
            request_timeout: Duration::from_secs(30),
            retries: 3,
        }
    }
}

/// A resource type, as the REST paths name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceType {
    /// API group (`""` for the core group).
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Lower-case plural.
    pub plural: &'static str,
    /// Whether objects live in namespaces.
    pub namespaced: bool,
}

impl ResourceType {
    /// `group/version`, or `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `plural.group` as RBAC and error messages name it.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_owned()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    fn path(&self, namespace: Option<&str>, name: Option<&str>) -> String {
        let mut path = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        if let (true, Some(ns)) = (self.namespaced, namespace) {
            path.push_str("/namespaces/");
            path.push_str(&encode(ns));
        }
        path.push('/');
        path.push_str(self.plural);
        if let Some(name) = name {
            path.push('/');
            path.push_str(&encode(name));
        }
        path
    }
}

macro_rules! resource_types {
    ($($const:ident = $group:literal $version:literal $kind:literal $plural:literal $namespaced:literal;)*) => {
        $(
            #[doc = concat!("`", $kind, "`.")]
            pub const $const: ResourceType = ResourceType {
                group: $group, version: $version, kind: $kind, plural: $plural, namespaced: $namespaced,
            };
        )*
        /// Every resource type kubectl-promop reads or writes.
        pub const ALL_TYPES: &[ResourceType] = &[$($const),*];
    };
}

resource_types! {
    NAMESPACES = "" "v1" "Namespace" "namespaces" false;
    SECRETS = "" "v1" "Secret" "secrets" true;
    CONFIG_MAPS = "" "v1" "ConfigMap" "configmaps" true;
    SERVICES = "" "v1" "Service" "services" true;
    ENDPOINTS = "" "v1" "Endpoints" "endpoints" true;
    PODS = "" "v1" "Pod" "pods" true;
    NODES = "" "v1" "Node" "nodes" false;
    DEPLOYMENTS = "apps" "v1" "Deployment" "deployments" true;
    STATEFUL_SETS = "apps" "v1" "StatefulSet" "statefulsets" true;
    ENDPOINT_SLICES = "discovery.k8s.io" "v1" "EndpointSlice" "endpointslices" true;
    PROMETHEUSES = "monitoring.coreos.com" "v1" "Prometheus" "prometheuses" true;
    SERVICE_MONITORS = "monitoring.coreos.com" "v1" "ServiceMonitor" "servicemonitors" true;
    POD_MONITORS = "monitoring.coreos.com" "v1" "PodMonitor" "podmonitors" true;
    PROBES = "monitoring.coreos.com" "v1" "Probe" "probes" true;
    PROMETHEUS_RULES = "monitoring.coreos.com" "v1" "PrometheusRule" "prometheusrules" true;
    ALERTMANAGERS = "monitoring.coreos.com" "v1" "Alertmanager" "alertmanagers" true;
    PROMETHEUS_AGENTS = "monitoring.coreos.com" "v1alpha1" "PrometheusAgent" "prometheusagents" true;
    SCRAPE_CONFIGS = "monitoring.coreos.com" "v1alpha1" "ScrapeConfig" "scrapeconfigs" true;
    ALERTMANAGER_CONFIGS = "monitoring.coreos.com" "v1alpha1" "AlertmanagerConfig" "alertmanagerconfigs" true;
}

/// The type of `apiVersion` + `kind`, if kubectl-promop knows it.
pub fn resource_type_of(api_version: &str, kind: &str) -> Option<ResourceType> {
    ALL_TYPES
        .iter()
        .copied()
        .find(|t| t.kind == kind && t.api_version() == api_version)
}

/// Something that could not be read, which the answer may be missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What was being read, e.g. `servicemonitors.monitoring.coreos.com in namespace shop`.
    pub what: String,
    /// Why it could not be, and the permission that is missing where that is the reason.
    pub message: String,
}

/// Why a cluster request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The kubeconfig could not be read or has no usable entry.
    #[error("kubeconfig: {message}")]
    Kubeconfig { message: String },
    /// The API server could not be reached.
    #[error(
        "cannot reach the API server at {server}: {message} (check --context and that the cluster is up)"
    )]
    Unreachable { server: String, message: String },
    /// A request took longer than the timeout.
    #[error("{what}: no answer from the API server within {seconds}s (raise --request-timeout?)")]
    Timeout { what: String, seconds: u64 },
    /// 401.
    #[error(
        "{what}: the API server rejected the credentials (401 Unauthorized); log in again or pick another --user/--context"
    )]
    Unauthorized { what: String },
    /// 403, naming the missing permission.
    #[error("{what}: forbidden (403): {message}; missing RBAC permission: {permission}")]
    Forbidden {
        what: String,
        message: String,
        permission: String,
    },
    /// 404.
    #[error("{what}: not found (404): {message}")]
    NotFound { what: String, message: String },
    /// 409 from server-side apply, naming the other field managers.
    #[error(
        "{what}: conflict (409): {message}; re-run with --force-conflicts to take over the fields"
    )]
    Conflict {
        what: String,
        message: String,
        managers: Vec<String>,
    },
    /// Any other error status.
    #[error("{what}: {reason} ({code}): {message}")]
    Api {
        what: String,
        code: u16,
        reason: String,
        message: String,
    },
    /// The answer was not what the API promises.
    #[error("{what}: unexpected answer from the API server: {message}")]
    Decode { what: String, message: String },
}

impl ClusterError {
    /// The HTTP status behind the error, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClusterError::Unauthorized { .. } => Some(401),
            ClusterError::Forbidden { .. } => Some(403),
            ClusterError::NotFound { .. } => Some(404),
            ClusterError::Conflict { .. } => Some(409),
            ClusterError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// What server-side apply did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyResult {
    /// The object did not exist.
    Created,
    /// The object changed.
    Configured,
    /// The object was already as applied.
    Unchanged,
}

/// Options of one server-side apply.
#[derive(Clone, Debug)]
pub struct ApplyOptions {
    /// `fieldManager`.
    pub field_manager: String,
    /// Take over fields other managers own.
    pub force: bool,
    /// `dryRun=All`: the server validates and answers, and persists nothing.
    pub dry_run: bool,
}

/// A connection to one cluster.
pub struct Cluster {
    client: kube::Client,
    server: String,
    namespace: String,
    timeout: Duration,
    retries: u32,
}

/// Page size of LIST requests.
const PAGE_SIZE: usize = 500;
/// The longest `Retry-After` honoured, so that a server cannot stall a command for long.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

impl Cluster {
    /// Reads the kubeconfig and prepares a client; nothing is sent yet.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, ClusterError> {
        let kubeconfig_error = |e: &dyn std::fmt::Display| ClusterError::Kubeconfig {
            message: e.to_string(),
        };
        let kubeconfig = match &options.kubeconfig {
            Some(path) => Kubeconfig::read_from(path).map_err(|e| ClusterError::Kubeconfig {
                message: format!("{}: {e}", path.display()),
            })?,
            None => Kubeconfig::read().map_err(|e| kubeconfig_error(&e))?,
        };
        let selection = KubeConfigOptions {
            context: options.context.clone(),
            cluster: options.cluster.clone(),
            user: options.user.clone(),
        };
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &selection)
            .await
            .map_err(|e| kubeconfig_error(&e))?;
        // Retries are ours, so that Retry-After is honoured and bounded.
        config.default_retry = false;
        config.read_timeout = Some(options.request_timeout);
        config.connect_timeout = Some(options.request_timeout);
        let server = config.cluster_url.to_string();
        let namespace = options
            .namespace
            .clone()
            .unwrap_or_else(|| config.default_namespace.clone());
        let client = kube::Client::try_from(config).map_err(|e| kubeconfig_error(&e))?;
        Ok(Cluster {
            client,
            server: server.trim_end_matches('/').to_owned(),
            namespace,
            timeout: options.request_timeout,
            retries: options.retries,
        })
    }

    /// The namespace commands default to (`-n`, else the context's).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The API server URL.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends one request with the timeout and retries; returns status, body.
    async fn send(
        &self,
        what: &str,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Result<(StatusCode, Vec<u8>), ClusterError> {
        let mut attempt = 0;
        loop {
            let mut builder = Request::builder()
                .method(method.clone())
                .uri(uri)
                .header("Accept", "application/json");
            if let Some(ct) = content_type {
                builder = builder.header("Content-Type", ct);
            }
            let request =
                builder
                    .body(Body::from(body.clone()))
                    .map_err(|e| ClusterError::Decode {
                        what: what.to_owned(),
                        message: e.to_string(),
                    })?;
            let answer = tokio::time::timeout(self.timeout, async {
                let response = self.client.send(request).await?;
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get("Retry-After")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let bytes = response.into_body().collect_bytes().await?;
                Ok::<_, kube::Error>((status, retry_after, bytes.to_vec()))
            })
            .await;
            let (status, retry_after, bytes) = match answer {
                Err(_) => {
                    return Err(ClusterError::Timeout {
                        what: what.to_owned(),
                        seconds: self.timeout.as_secs(),
                    });
                }
                Ok(Err(e)) => {
                    return Err(ClusterError::Unreachable {
                        server: self.server.clone(),
                        message: error_chain(&e),
                    });
                }
                Ok(Ok(answer)) => answer,
            };
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if retryable && attempt < self.retries {
                attempt += 1;
                let wait = retry_after
                    .map(Duration::from_secs)
                    .unwrap_or_else(|| Duration::from_millis(200 * 2u64.pow(attempt)))
                    .min(MAX_RETRY_AFTER);
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok((status, bytes));
        }
    }

    /// Turns an error status into a [`ClusterError`].
    fn error(
        &self,
        what: &str,
        verb: &str,
        ty: &ResourceType,
        namespace: Option<&str>,
        status: StatusCode,
        body: &[u8],
    ) -> ClusterError {
        let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let message = parsed["message"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
        let what = what.to_owned();
        match status.as_u16() {
            401 => ClusterError::Unauthorized { what },
            403 => ClusterError::Forbidden {
                what,
                message,
                permission: match namespace {
                    Some(ns) => format!("{verb} {} in namespace {ns}", ty.qualified()),
                    None => format!("{verb} {} at cluster scope", ty.qualified()),
                },
            },
            404 => ClusterError::NotFound { what, message },
            409 => {
                let managers = parsed["details"]["causes"]
                    .as_array()
                    .map(|causes| {
                        let mut names: Vec<String> = causes
                            .iter()
                            .filter_map(|c| c["message"].as_str())
                            .filter_map(|m| m.split('"').nth(1))
                            .map(str::to_owned)
                            .collect();
                        names.sort();
                        names.dedup();
                        names
                    })
                    .unwrap_or_default();
                ClusterError::Conflict {
                    what,
                    message,
                    managers,
                }
            }
            code => ClusterError::Api {
                what,
                code,
                reason: parsed["reason"].as_str().unwrap_or("Error").to_owned(),
                message,
            },
        }
    }

    /// Lists every object of `ty` in `namespace` (all namespaces when `None`), page by page.
    pub async fn list(
        &self,
        ty: &ResourceType,
        namespace: Option<&str>,
        label_selector: Option<&str>,
    ) -> Result<Vec<Value>, ClusterError> {
        let what = match namespace {
            Some(ns) => format!("list {} in namespace {ns}", ty.qualified()),
            None => format!("list {}", ty.qualified()),
        };
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = format!("limit={PAGE_SIZE}");
            if let Some(selector) = label_selector {
                query.push_str("&labelSelector=");
                query.push_str(&encode(selector));
            }
            if let Some(t) = &token {
                query.push_str("&continue=");
                query.push_str(&encode(t));
            }
            let uri = format!("{}?{query}", ty.path(namespace, None));
            let (status, body) = self
                .send(&what, Method::GET, &uri, None, Vec::new())
                .await?;
            if status.as_u16() == 410 && token.is_some() {
                // The continue token expired: start over, as kubectl does.
                items.clear();
                token = None;
                continue;
            }
            if !status.is_success() {
                return Err(self.error(&what, "list", ty, namespace, status, &body));
            }
            let page: Value = serde_json::from_slice(&body).map_err(|e| ClusterError::Decode {
                what: what.clone(),
                message: e.to_string(),
            })?;
            for mut item in page["items"].as_array().cloned().unwrap_or_default() {
                // List items may omit their type; the snapshot needs it.
                item["apiVersion"] = Value::from(ty.api_version());
                item["kind"] = Value::from(ty.kind);
                items.push(item);
            }
            match page["metadata"]["continue"]
                .as_str()
                .filter(|t| !t.is_empty())
            {
                Some(t) => token = Some(t.to_owned()),
                None => return Ok(items),
            }
        }
    }

    /// Lists `ty` across the cluster; when RBAC forbids that, lists it namespace by namespace in
    /// `namespaces` and reports what could not be read.
    pub async fn list_readable(
        &self,
        ty: &ResourceType,
        namespaces: &[String],
    ) -> Result<(Vec<Value>, Vec<Notice>), ClusterError> {
        match self.list(ty, None, None).await {
            Ok(items) => Ok((items, Vec::new())),
            Err(ClusterError::Forbidden { .. }) if ty.namespaced => {
                let mut items = Vec::new();
                let mut notices = Vec::new();
                for ns in namespaces {
                    match self.list(ty, Some(ns), None).await {
                        Ok(found) => items.extend(found),
                        Err(ClusterError::Forbidden { permission, .. }) => notices.push(Notice {
                            what: format!("{} in namespace {ns}", ty.qualified()),
                            message: format!("not readable: missing permission {permission}"),
                        }),
                        Err(e) => return Err(e),
                    }
                }
                notices.insert(
                    0,
                    Notice {
                        what: format!("{} in all namespaces", ty.qualified()),
                        message: format!(
                            "cluster-wide list forbidden (missing permission list {} at cluster scope); read {} namespace(s) one by one",
                            ty.qualified(),
                            namespaces.len()
                        ),
                    },
                );
                Ok((items, notices))
            }
            Err(ClusterError::Forbidden { permission, .. }) => Ok((
                Vec::new(),
                vec![Notice {
                    what: ty.qualified(),
                    message: format!("not readable: missing permission {permission}"),
                }],
            )),
            Err(e) => Err(e),
        }
    }

    /// Reads one object; `Ok(None)` when it does not exist.
    pub async fn get(
        &self,
        ty: &ResourceType,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>, ClusterError> {
        let what = match namespace {
            Some(ns) => format!("get {} {ns}/{name}", ty.qualified()),
            None => format!("get {} {name}", ty.qualified()),
        };
        let uri = ty.path(namespace, Some(name));
        let (status, body) = self
            .send(&what, Method::GET, &uri, None, Vec::new())
            .await?;
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(self.error(&what, "get", ty, namespace, status, &body));
        }
        let mut object: Value =
            serde_json::from_slice(&body).map_err(|e| ClusterError::Decode {
                what: what.clone(),
                message: e.to_string(),
            })?;
        object["apiVersion"] = Value::from(ty.api_version());
        object["kind"] = Value::from(ty.kind);
        Ok(Some(object))
    }

    /// Server-side apply of `object` (which carries apiVersion, kind and metadata).
    pub async fn apply(
        &self,
        ty: &ResourceType,
        object: &Value,
        options: &ApplyOptions,
    ) -> Result<(ApplyResult, Value), ClusterError> {
        let name = object["metadata"]["name"].as_str().unwrap_or_default();
        let namespace = ty.namespaced.then(|| {
            object["metadata"]["namespace"]
                .as_str()
                .unwrap_or(&self.namespace)
        });
        let what = match namespace {
            Some(ns) => format!("apply {} {ns}/{name}", ty.qualified()),
            None => format!("apply {} {name}", ty.qualified()),
        };
        let mut body = object.clone();
        if let (Some(ns), Some(meta)) = (namespace, body["metadata"].as_object_mut()) {
            meta.insert("namespace".to_owned(), Value::from(ns));
        }
        let before_version = self
            .get(ty, namespace, name)
            .await?
            .and_then(|o| o["metadata"]["resourceVersion"].as_str().map(str::to_owned));
        let mut query = format!("fieldManager={}", encode(&options.field_manager));
        if options.force {
            query.push_str("&force=true");
        }
        if options.dry_run {
            query.push_str("&dryRun=All");
        }
        let uri = format!("{}?{query}", ty.path(namespace, Some(name)));
        let payload = serde_json::to_vec(&body).map_err(|e| ClusterError::Decode {
            what: what.clone(),
            message: e.to_string(),
        })?;
        let (status, answer) = self
            .send(
                &what,
                Method::PATCH,
                &uri,
                Some("application/apply-patch+yaml"),
                payload,
            )
            .await?;
        if !status.is_success() {
            return Err(self.error(&what, "patch", ty, namespace, status, &answer));
        }
        let applied: Value = serde_json::from_slice(&answer).map_err(|e| ClusterError::Decode {
            what: what.clone(),
            message: e.to_string(),
        })?;
        let after_version = applied["metadata"]["resourceVersion"]
            .as_str()
            .map(str::to_owned);
        let result = match before_version {
            None => ApplyResult::Created,
            Some(v) if Some(&v) == after_version.as_ref() => ApplyResult::Unchanged,
            Some(_) if options.dry_run => ApplyResult::Configured,
            Some(_) => ApplyResult::Configured,
        };
        Ok((result, applied))
    }
}

/// Which objects [`Cluster::fetch_snapshot`] reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FetchPlan {
    /// Services, Endpoints, EndpointSlices and Pods, for the target view of `explain`.
    pub workloads: bool,
    /// The operator's Deployment (label `app.kubernetes.io/name=prometheus-operator`), whose
    /// arguments restrict what it reconciles.
    pub operator: bool,
}

/// Label the operator's Deployment carries in the upstream manifests and the Helm chart.
pub const OPERATOR_SELECTOR: &str = "app.kubernetes.io/name=prometheus-operator";

/// The kinds of `monitoring.coreos.com` read for every command.
const MONITORING_TYPES: &[ResourceType] = &[
    PROMETHEUSES,
    PROMETHEUS_AGENTS,
    SERVICE_MONITORS,
    POD_MONITORS,
    PROBES,
    SCRAPE_CONFIGS,
    PROMETHEUS_RULES,
    ALERTMANAGERS,
    ALERTMANAGER_CONFIGS,
];

impl Cluster {
    /// Reads a [`Snapshot`] in two phases: the objects (one paginated LIST per kind), then
    /// only the Secrets and ConfigMaps they reference, read by name. Objects that cannot be
    /// read or decoded become notices, not errors.
    pub async fn fetch_snapshot(
        &self,
        plan: FetchPlan,
    ) -> Result<(Snapshot, Vec<Notice>), ClusterError> {
        let mut snapshot = Snapshot::default();
        let mut notices = Vec::new();

        let namespaces = match self.list(&NAMESPACES, None, None).await {
            Ok(items) => items,
            Err(ClusterError::Forbidden { permission, .. }) => {
                notices.push(Notice {
                    what: "namespaces".to_owned(),
                    message: format!(
                        "not readable (missing permission {permission}): namespace labels are unknown; only namespace {} is searched",
                        self.namespace
                    ),
                });
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut names: Vec<String> = namespaces
            .iter()
            .filter_map(|n| n["metadata"]["name"].as_str().map(str::to_owned))
            .collect();
        if names.is_empty() {
            names.push(self.namespace.clone());
        }
        add_objects(&mut snapshot, &mut notices, namespaces);

        let mut types: Vec<ResourceType> = MONITORING_TYPES.to_vec();
        if plan.workloads {
            types.extend([SERVICES, ENDPOINTS, ENDPOINT_SLICES, PODS]);
        }
        let mut monitoring_objects = Vec::new();
        for ty in &types {
            let (items, mut unread) = self.list_readable(ty, &names).await?;
            notices.append(&mut unread);
            if ty.group == crate::monitoring::GROUP {
                monitoring_objects.extend(items.iter().cloned());
            }
            add_objects(&mut snapshot, &mut notices, items);
        }
        if plan.operator {
            match self.list(&DEPLOYMENTS, None, Some(OPERATOR_SELECTOR)).await {
                Ok(items) => add_objects(&mut snapshot, &mut notices, items),
                Err(ClusterError::Forbidden { permission, .. }) => notices.push(Notice {
                    what: "the operator's Deployment".to_owned(),
                    message: format!(
                        "not readable (missing permission {permission}): its flags are unknown"
                    ),
                }),
                Err(e) => return Err(e),
            }
        }

        for reference in referenced_objects(&monitoring_objects) {
            let ty = if reference.config_map {
                CONFIG_MAPS
            } else {
                SECRETS
            };
            match self
                .get(&ty, Some(&reference.namespace), &reference.name)
                .await
            {
                Ok(Some(object)) => add_objects(&mut snapshot, &mut notices, vec![object]),
                Ok(None) => {}
                Err(ClusterError::Forbidden { permission, .. }) => notices.push(Notice {
                    what: format!("{} {}/{}", ty.kind, reference.namespace, reference.name),
                    message: format!("not readable: missing permission {permission}"),
                }),
                Err(e) => return Err(e),
            }
        }
        Ok((snapshot, notices))
    }
}

/// Adds listed objects through the same loader that reads files; an object that does not
/// decode becomes a notice.
fn add_objects(snapshot: &mut Snapshot, notices: &mut Vec<Notice>, items: Vec<Value>) {
    for item in items {
        let name = format!(
            "{} {}/{}",
            item["kind"].as_str().unwrap_or("object"),
            item["metadata"]["namespace"].as_str().unwrap_or(""),
            item["metadata"]["name"].as_str().unwrap_or("")
        );
        if let Err(e) = snapshot.load_json("cluster", &item) {
            notices.push(Notice {
                what: name,
                message: format!("skipped, it does not decode: {e}"),
            });
        }
    }
}

/// A Secret or ConfigMap that a custom resource refers to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// The referencing object's namespace.
    pub namespace: String,
    /// The Secret's or ConfigMap's name.
    pub name: String,
    /// A ConfigMap rather than a Secret.
    pub config_map: bool,
}

/// Every `{name, key}` selector in the objects: under a `configMap` field it names a ConfigMap,
/// anywhere else a Secret (the CRDs use `SecretKeySelector` everywhere else). Sorted, unique.
pub fn referenced_objects(objects: &[Value]) -> Vec<Reference> {
    fn walk(value: &Value, namespace: &str, parent_key: &str, out: &mut Vec<Reference>) {
        match value {
            Value::Object(map) => {
                if let (Some(Value::String(name)), Some(Value::String(_))) =
                    (map.get("name"), map.get("key"))
                {
                    out.push(Reference {
                        namespace: namespace.to_owned(),
                        name: name.clone(),
                        config_map: parent_key == "configMap",
                    });
                }
                for (k, v) in map {
                    walk(v, namespace, k, out);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|v| walk(v, namespace, parent_key, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for object in objects {
        let namespace = object["metadata"]["namespace"].as_str().unwrap_or("");
        walk(&object["spec"], namespace, "", &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// Percent-encodes a path segment or query value.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_rest_layout() {
        assert_eq!(
            SERVICE_MONITORS.path(Some("shop"), Some("web")),
            "/apis/monitoring.coreos.com/v1/namespaces/shop/servicemonitors/web"
        );
        assert_eq!(
            SERVICE_MONITORS.path(None, None),
            "/apis/monitoring.coreos.com/v1/servicemonitors"
        );
        assert_eq!(
            NAMESPACES.path(Some("ignored"), Some("x")),
            "/api/v1/namespaces/x"
        );
        assert_eq!(
            SECRETS.path(Some("a"), None),
            "/api/v1/namespaces/a/secrets"
        );
    }

    #[test]
    fn selectors_are_percent_encoded() {
        assert_eq!(encode("app in (a,b)"), "app%20in%20%28a%2Cb%29");
    }

    #[test]
    fn references_are_found_anywhere_in_the_spec() {
        let objects = vec![serde_json::json!({
            "metadata": {"namespace": "shop"},
            "spec": {
                "endpoints": [{"basicAuth": {"password": {"name": "auth", "key": "pw"}},
                               "tlsConfig": {"ca": {"configMap": {"name": "ca", "key": "ca.crt"}}}}],
                "additionalScrapeConfigs": {"name": "extra", "key": "a.yaml"},
                "selector": {"matchLabels": {"name": "not-a-reference"}},
            },
        })];
        let found = referenced_objects(&objects);
        let names: Vec<_> = found
            .iter()
            .map(|r| (r.name.as_str(), r.config_map))
            .collect();
        assert_eq!(names, [("auth", false), ("ca", true), ("extra", false)]);
    }

    #[test]
    fn types_resolve_from_api_version_and_kind() {
        assert_eq!(
            resource_type_of("monitoring.coreos.com/v1alpha1", "ScrapeConfig"),
            Some(SCRAPE_CONFIGS)
        );
        assert_eq!(resource_type_of("v1", "ScrapeConfig"), None);
    }
}
