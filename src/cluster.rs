//! The only module that talks to a Kubernetes API server, through kube-rs's `Api`.
//!
//! It lists objects (one paginated LIST per kind, falling back to readable namespaces when RBAC
//! forbids a cluster-wide list; a kind whose CRD is not installed is an empty list and a
//! notice), reads single objects by name, applies objects with server-side apply, and asks
//! SubjectAccessReviews about a ServiceAccount's permissions.
//!
//! The server is not trusted: every request has a time limit, answers larger than
//! [`MAX_RESPONSE_BYTES`] are cut off and refused, answers are decoded into typed objects (a
//! wrong shape is an error, never a panic), a LIST stops after [`MAX_LIST_PAGES`] pages and
//! restarts after an expired continue token at most [`MAX_LIST_RESTARTS`] times, 429/503/504
//! answers are retried [`RETRIES`] times (honouring `Retry-After` up to [`MAX_RETRY_DELAY`],
//! never past the request's time limit), and error messages from the server are cut to
//! [`MAX_ERROR_MESSAGE_CHARS`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::stream::{self, StreamExt};

use http_body_util::Limited;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SubjectAccessReview, SubjectAccessReviewSpec,
};
use kube::api::{Api, ApiResource, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use kube::client::{Body, ClientBuilder, DynBody};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::Value;
use tower::ServiceBuilder;
use tower::buffer::BufferLayer;
use tower::retry::RetryLayer;

use crate::explain::{AccessQuestion, AccessQuestions, ClusterAccess};
use crate::kinds::{self, Resource};
use crate::operator::operator_container;
use crate::snapshot::{Snapshot, name_of, namespace_of, references};

/// Largest answer read from the API server, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Objects asked for per LIST page.
pub const PAGE_SIZE: u32 = 500;
/// Pages read for one LIST before giving up (a server that never stops paging).
pub const MAX_LIST_PAGES: usize = 2_000;
/// Objects one LIST keeps at most (what a cluster-wide LIST of Pods holds in memory).
pub const MAX_LIST_OBJECTS: usize = 100_000;
/// Times a LIST starts over after its continue token expired (410 Gone).
pub const MAX_LIST_RESTARTS: usize = 3;
/// Longest wait between retries, whatever `Retry-After` says.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(10);
/// Wait before the first retry when the server names none; it doubles at each retry.
pub const FIRST_RETRY_DELAY: Duration = Duration::from_millis(100);
/// Times a 429, 503 or 504 answer is retried unless [`ConnectOptions::retries`] says otherwise.
pub const RETRIES: u32 = 3;
/// Characters of a server's error message kept in an error.
pub const MAX_ERROR_MESSAGE_CHARS: usize = 500;
/// SubjectAccessReviews in flight at once.
pub const MAX_CONCURRENT_REVIEWS: usize = 8;
/// The longest `--request-timeout` kept; `0` (no limit in kubectl) and longer limits stand for it.
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(86_400);
/// Requests queued in the client at once.
const CLIENT_QUEUE: usize = 64;

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
    /// How often a 429, 503 or 504 answer is retried.
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
            retries: RETRIES,
        }
    }
}

/// Something that could not be read, which the answer may be missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// What was being read, e.g. `servicemonitors.monitoring.coreos.com in namespace shop`.
    pub what: String,
    /// Why it could not be, and the permission that is missing where that is the reason.
    pub message: String,
    /// Whether objects the operator would read are missing from the answer because of it (a
    /// kind or a namespace RBAC hides, an object that does not decode), rather than the
    /// answer being what the operator sees (a CRD the cluster does not serve).
    pub objects_missing: bool,
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
    #[error("{what}: no answer from the API server within {after:?} (raise --request-timeout?)")]
    Timeout { what: String, after: Duration },
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
    /// 409 from server-side apply, naming the other field managers and, as kubectl prints
    /// them, the fields each owns (`conflict with "helm" using v1: .spec.replicas`).
    #[error(
        "{what}: conflict (409): {message}; re-run with --force-conflicts to take over the fields"
    )]
    Conflict {
        what: String,
        message: String,
        managers: Vec<String>,
        fields: Vec<String>,
    },
    /// Any other error status.
    #[error("{what}: {reason} ({code}): {message}")]
    Api {
        what: String,
        code: u16,
        reason: String,
        message: String,
    },
    /// The answer is larger than [`MAX_RESPONSE_BYTES`].
    #[error(
        "{what}: the API server's answer is larger than {MAX_RESPONSE_BYTES} bytes; refusing it"
    )]
    TooLarge { what: String },
    /// More kinds outside the catalogue than one run learns.
    #[error(
        "{what}: more than {} kinds this tool does not know in one run (MAX_DISCOVERED_KINDS)",
        kinds::MAX_DISCOVERED_KINDS
    )]
    TooManyKinds { what: String },
    /// The answer stopped before its end.
    #[error("{what}: the API server's answer was cut off before its end: {message}")]
    Truncated { what: String, message: String },
    /// The answer is not what the API promises (not JSON, or the wrong shape).
    #[error("{what}: the API server's answer is garbled: {message}")]
    Garbled { what: String, message: String },
    /// A LIST would not end, or holds more objects than are kept.
    #[error("{what}: {message}")]
    EndlessList { what: String, message: String },
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

    /// Whether the request may have reached the server and taken effect although no answer
    /// says so (a timeout, a connection lost, an answer cut off or garbled).
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ClusterError::Timeout { .. }
                | ClusterError::Unreachable { .. }
                | ClusterError::Truncated { .. }
                | ClusterError::Garbled { .. }
                | ClusterError::TooLarge { .. }
        )
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
}

fn api_resource(resource: &Resource) -> ApiResource {
    ApiResource {
        group: resource.group.to_owned(),
        version: resource.version.to_owned(),
        api_version: resource.api_version(),
        kind: resource.kind.to_owned(),
        plural: resource.plural.to_owned(),
    }
}

/// `verb plural.group [in namespace ns]`, as messages and RBAC name a request.
fn describe(
    verb: &str,
    resource: &Resource,
    namespace: Option<&str>,
    name: Option<&str>,
) -> String {
    match (namespace, name) {
        (Some(ns), Some(name)) => format!("{verb} {} {ns}/{name}", resource.qualified()),
        (None, Some(name)) => format!("{verb} {} {name}", resource.qualified()),
        (Some(ns), None) => format!("{verb} {} in namespace {ns}", resource.qualified()),
        (None, None) => format!("{verb} {}", resource.qualified()),
    }
}

/// A message from the server, cut to a readable length.
fn cut(message: &str) -> String {
    let message = message.trim();
    match message.char_indices().nth(MAX_ERROR_MESSAGE_CHARS) {
        Some((end, _)) => format!(
            "{}... ({} characters cut)",
            &message[..end],
            message.chars().count() - MAX_ERROR_MESSAGE_CHARS
        ),
        None => message.to_owned(),
    }
}

/// kubectl's `--request-timeout` (client-go `ParseTimeout`): a whole number of seconds or a Go
/// duration such as `1m30s`; `0` and anything above [`MAX_REQUEST_TIMEOUT`] mean that.
pub fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    if text.is_empty() {
        // Unset, as kubectl reads an empty value.
        return Ok(ConnectOptions::default().request_timeout);
    }
    let timeout = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => crate::go::time::parse_duration(text).map_err(|e| {
            format!("{e}: give whole seconds or a duration such as 30s, 1m30s, 500ms")
        })?,
    };
    Ok(if timeout.is_zero() {
        MAX_REQUEST_TIMEOUT
    } else {
        timeout.min(MAX_REQUEST_TIMEOUT)
    })
}

/// The environment variable listing kubeconfig files.
const KUBECONFIG_VARIABLE: &str = "KUBECONFIG";
/// Where a pod's service account namespace is mounted.
const SERVICE_ACCOUNT_NAMESPACE_FILE: &str =
    "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/// The first line of an error: a kubeconfig parser quotes the lines around a mistake, and they
/// may hold a token.
fn first_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Fails when `--context`, `--cluster` or `--user` names an entry the kubeconfig lacks, listing
/// those it has (kube's own error says only that loading failed), or when the context in use
/// names a cluster or user it lacks, which kubectl refuses too (kube would connect without
/// credentials).
fn check_selection(
    kubeconfig: &kube::config::Kubeconfig,
    selection: &KubeConfigOptions,
) -> Result<(), ClusterError> {
    let contexts: Vec<&str> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let clusters: Vec<&str> = kubeconfig
        .clusters
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let users: Vec<&str> = kubeconfig
        .auth_infos
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    let refused = |message: String| Err(ClusterError::Kubeconfig { message });
    for (what, wanted, known) in [
        ("context", &selection.context, &contexts),
        ("cluster", &selection.cluster, &clusters),
        ("user", &selection.user, &users),
    ] {
        if let Some(wanted) = wanted.as_deref().filter(|w| !known.contains(w)) {
            let known = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            return refused(format!(
                "no {what} {wanted:?} in the kubeconfig (it has: {known})"
            ));
        }
    }
    let in_use = selection
        .context
        .as_deref()
        .or(kubeconfig.current_context.as_deref());
    let Some((name, Some(context))) = in_use.and_then(|name| {
        let found = kubeconfig.contexts.iter().find(|c| c.name == name)?;
        Some((name, found.context.as_ref()))
    }) else {
        return Ok(());
    };
    let cluster = Some(context.cluster.as_str()).filter(|_| selection.cluster.is_none());
    let user = context.user.as_deref().filter(|_| selection.user.is_none());
    for (what, named, known) in [("cluster", cluster, &clusters), ("user", user, &users)] {
        if let Some(named) = named.filter(|n| !n.is_empty() && !known.contains(n)) {
            return refused(format!(
                "{what} {named:?} was not found for context {name:?}"
            ));
        }
    }
    Ok(())
}

/// A kubeconfig error, naming the file it is about when there is one.
fn kubeconfig_error(path: Option<&Path>, error: &dyn std::fmt::Display) -> ClusterError {
    let message = match path {
        Some(path) => format!("{}: {}", path.display(), first_line(error)),
        None => first_line(error),
    };
    ClusterError::Kubeconfig { message }
}

/// Whether this runs in a pod (client-go's in-cluster test).
fn in_cluster() -> bool {
    std::env::var_os("KUBERNETES_SERVICE_HOST").is_some_and(|h| !h.is_empty())
}

/// The kubeconfig kubectl would use: `--kubeconfig`, else the files `$KUBECONFIG` lists that
/// exist (merged, the first file's entries winning; a missing file is skipped, as client-go
/// does), else `~/.kube/config` when it exists; `None` when there is none.
pub fn read_kubeconfig(explicit: Option<&Path>) -> Result<Option<Kubeconfig>, ClusterError> {
    if let Some(path) = explicit {
        return Kubeconfig::read_from(path)
            .map(Some)
            .map_err(|e| kubeconfig_error(Some(path), &e));
    }
    let listed: Vec<PathBuf> = match std::env::var_os(KUBECONFIG_VARIABLE) {
        Some(value) if !value.is_empty() => std::env::split_paths(&value).collect(),
        _ => std::env::home_dir()
            .map(|home| home.join(".kube").join("config"))
            .into_iter()
            .collect(),
    };
    let mut merged: Option<Kubeconfig> = None;
    for path in listed
        .iter()
        .filter(|p| !p.as_os_str().is_empty() && p.exists())
    {
        let mut next = Kubeconfig::read_from(path).map_err(|e| kubeconfig_error(Some(path), &e))?;
        // client-go merges an empty string as unset: a later file's current-context counts.
        next.current_context = next.current_context.filter(|c| !c.is_empty());
        merged = Some(match merged {
            Some(config) => config
                .merge(next)
                .map_err(|e| kubeconfig_error(Some(path), &e))?,
            None => next,
        });
    }
    Ok(merged)
}

/// The namespace kubectl gives what names none: that of `context` (else the current
/// context) in the kubeconfig, or inside a pod without a kubeconfig, the service account's.
pub fn default_namespace(kubeconfig: Option<&Path>, context: Option<&str>) -> Option<String> {
    match read_kubeconfig(kubeconfig).ok()? {
        Some(config) => {
            let chosen = context.filter(|c| !c.is_empty()).map(str::to_owned);
            let name = chosen.or(config.current_context)?;
            let entry = config.contexts.into_iter().find(|c| c.name == name)?;
            entry.context?.namespace.filter(|n| !n.is_empty())
        }
        None if in_cluster() => std::fs::read_to_string(SERVICE_ACCOUNT_NAMESPACE_FILE)
            .ok()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        None => None,
    }
}

/// The retry policy of every request: a 429, 503 or 504 answer is retried at most `retries`
/// times, after the server's `Retry-After` (whole seconds) or a backoff doubling from
/// [`FIRST_RETRY_DELAY`], whichever is longer, but never more than [`MAX_RETRY_DELAY`] (kube's
/// own policy sleeps whatever `Retry-After` says). A retry that would wait past the request's
/// time limit is not made: the caller gets the server's last answer, not a timeout.
#[derive(Clone)]
struct BoundedRetry {
    retries: u32,
    timeout: Duration,
    /// Retries made of the request this copy of the policy follows.
    attempts: u32,
    /// When the request was first sent.
    started: Option<tokio::time::Instant>,
}

impl BoundedRetry {
    fn new(retries: u32, timeout: Duration) -> Self {
        BoundedRetry {
            retries,
            timeout,
            attempts: 0,
            started: None,
        }
    }

    /// How long to wait before retrying after `response`; `None` when it is not retried.
    fn wait<B>(&self, response: &http::Response<B>) -> Option<Duration> {
        let retried = matches!(
            response.status(),
            http::StatusCode::TOO_MANY_REQUESTS
                | http::StatusCode::SERVICE_UNAVAILABLE
                | http::StatusCode::GATEWAY_TIMEOUT
        );
        if !retried || self.attempts >= self.retries {
            return None;
        }
        let backoff = FIRST_RETRY_DELAY.saturating_mul(2_u32.saturating_pow(self.attempts));
        let asked = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let wait = asked
            .map_or(backoff, |asked| asked.max(backoff))
            .min(MAX_RETRY_DELAY);
        let elapsed = self.started.map_or(Duration::ZERO, |s| s.elapsed());
        (elapsed.saturating_add(wait) < self.timeout).then_some(wait)
    }
}

impl<B, E> tower::retry::Policy<http::Request<Body>, http::Response<B>, E> for BoundedRetry {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        _request: &mut http::Request<Body>,
        result: &mut Result<http::Response<B>, E>,
    ) -> Option<Self::Future> {
        let wait = self.wait(result.as_ref().ok()?)?;
        self.attempts += 1;
        Some(tokio::time::sleep(wait))
    }

    fn clone_request(&mut self, request: &http::Request<Body>) -> Option<http::Request<Body>> {
        // Tower asks for the copy as the request is first sent (of the policy every request
        // starts from, copied for this one right after) and again before each retry: the
        // clock starts at the first.
        if self.attempts == 0 {
            self.started = Some(tokio::time::Instant::now());
        }
        // A streamed body cannot be sent twice: such a request is not retried.
        let body = request.body().try_clone()?;
        let mut copy = http::Request::new(body);
        *copy.method_mut() = request.method().clone();
        *copy.uri_mut() = request.uri().clone();
        *copy.version_mut() = request.version();
        *copy.headers_mut() = request.headers().clone();
        *copy.extensions_mut() = request.extensions().clone();
        Some(copy)
    }
}

impl Cluster {
    /// Reads the kubeconfig (or, in a pod without one, the service account) and prepares a
    /// client; nothing is sent yet.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, ClusterError> {
        // An empty flag is an unset one, as in kubectl.
        let given = |flag: &Option<String>| flag.clone().filter(|v| !v.is_empty());
        let selection = KubeConfigOptions {
            context: given(&options.context),
            cluster: given(&options.cluster),
            user: given(&options.user),
        };
        let chosen =
            selection.context.is_some() || selection.cluster.is_some() || selection.user.is_some();
        let in_pod = !chosen && in_cluster();
        let mut config = match read_kubeconfig(options.kubeconfig.as_deref())? {
            Some(kubeconfig) => {
                check_selection(&kubeconfig, &selection)?;
                kube::Config::from_custom_kubeconfig(kubeconfig, &selection)
                    .await
                    .map_err(|e| kubeconfig_error(None, &e))?
            }
            None if in_pod => kube::Config::incluster().map_err(|e| ClusterError::Kubeconfig {
                message: format!(
                    "no kubeconfig, and the pod's service account cannot be read: {}",
                    first_line(&e)
                ),
            })?,
            None => {
                let message = match std::env::var(KUBECONFIG_VARIABLE) {
                    Ok(value) if !value.is_empty() => format!(
                        "no kubeconfig: no file ${KUBECONFIG_VARIABLE} lists exists (~/.kube/config \
                         is not read when ${KUBECONFIG_VARIABLE} is set)"
                    ),
                    _ => "no kubeconfig: ~/.kube/config does not exist".to_owned(),
                };
                return Err(ClusterError::Kubeconfig { message });
            }
        };
        // The retry policy is added below, bounded.
        config.default_retry = false;
        config.read_timeout = Some(options.request_timeout);
        config.connect_timeout = Some(options.request_timeout);
        let server = shown_server(&config.cluster_url.to_string());
        let namespace = options
            .namespace
            .clone()
            .unwrap_or_else(|| config.default_namespace.clone());
        let retry = BoundedRetry::new(options.retries, options.request_timeout);
        let bounds = ServiceBuilder::new()
            .map_response(|response: http::Response<Box<DynBody>>| {
                response.map(|body| Limited::new(body, MAX_RESPONSE_BYTES))
            })
            .layer(RetryLayer::new(retry))
            .layer(BufferLayer::new(CLIENT_QUEUE))
            .into_inner();
        // Building the client runs the kubeconfig's credential plugin (`exec`), a blocking
        // command: off the runtime's thread and bounded like a request.
        let timeout = options.request_timeout;
        let waited_for = if config.auth_info.exec.is_some() {
            "the credential plugin (users[].user.exec) gave no credentials"
        } else {
            "the client was not ready"
        };
        let builder = tokio::time::timeout(
            timeout,
            tokio::task::spawn_blocking(move || ClientBuilder::try_from(config)),
        )
        .await
        .map_err(|_| ClusterError::Kubeconfig {
            message: format!("{waited_for} within {timeout:?} (--request-timeout)"),
        })?
        .map_err(|e| kubeconfig_error(None, &e))?
        .map_err(|e| ClusterError::Kubeconfig {
            message: credential_error(&e),
        })?;
        let client = builder.with_layer(&bounds).build();
        Ok(Cluster {
            client,
            server,
            namespace,
            timeout: options.request_timeout,
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

    fn api(&self, resource: &Resource, namespace: Option<&str>) -> Api<DynamicObject> {
        let ar = api_resource(resource);
        match namespace.filter(|_| resource.namespaced) {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, &ar),
            None => Api::all_with(self.client.clone(), &ar),
        }
    }

    /// Runs one request within the time limit and classifies its failure.
    async fn call<T>(
        &self,
        what: &str,
        permission: impl FnOnce() -> String,
        request: impl std::future::Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, ClusterError> {
        match tokio::time::timeout(self.timeout, request).await {
            Err(_) => Err(ClusterError::Timeout {
                what: what.to_owned(),
                after: self.timeout,
            }),
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(self.classify(what, permission, error)),
        }
    }

    fn classify(
        &self,
        what: &str,
        permission: impl FnOnce() -> String,
        error: kube::Error,
    ) -> ClusterError {
        let what = what.to_owned();
        match error {
            kube::Error::Api(status) => {
                let message = cut(&status.message);
                match status.code {
                    401 => ClusterError::Unauthorized { what },
                    403 => ClusterError::Forbidden {
                        what,
                        message,
                        permission: permission(),
                    },
                    404 => ClusterError::NotFound { what, message },
                    409 => ClusterError::Conflict {
                        what,
                        managers: conflicting_managers(&status),
                        fields: conflicting_fields(&status),
                        message,
                    },
                    code => ClusterError::Api {
                        what,
                        code,
                        reason: if status.reason.is_empty() {
                            "Error".to_owned()
                        } else {
                            cut(&status.reason)
                        },
                        message,
                    },
                }
            }
            // The API server serves the group and version, but not the kind.
            kube::Error::Discovery(e) => ClusterError::NotFound {
                what,
                message: e.to_string(),
            },
            kube::Error::SerdeError(e) => ClusterError::Garbled {
                what,
                message: e.to_string(),
            },
            kube::Error::FromUtf8(e) => ClusterError::Garbled {
                what,
                message: e.to_string(),
            },
            other => {
                let chain = error_chain(&other);
                if chain.contains("length limit exceeded") {
                    ClusterError::TooLarge { what }
                } else if chain.contains("error reading a body")
                    || chain.contains("end of file before message length reached")
                    || chain.contains("IncompleteMessage")
                    || chain.contains("connection closed before message completed")
                {
                    ClusterError::Truncated {
                        what,
                        message: chain,
                    }
                } else {
                    ClusterError::Unreachable {
                        server: self.server.clone(),
                        message: chain,
                    }
                }
            }
        }
    }

    /// Lists every object of `resource` in `namespace` (all namespaces when `None`), page by
    /// page; each object carries its `apiVersion` and `kind`.
    pub async fn list(
        &self,
        resource: &Resource,
        namespace: Option<&str>,
        label_selector: Option<&str>,
    ) -> Result<Vec<Value>, ClusterError> {
        self.list_matching(resource, namespace, label_selector, |_| true)
            .await
    }

    /// [`Cluster::list`], keeping only the objects `keep` accepts as each page arrives, so an
    /// unselective LIST holds one page and what was kept.
    async fn list_matching(
        &self,
        resource: &Resource,
        namespace: Option<&str>,
        label_selector: Option<&str>,
        keep: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, ClusterError> {
        let what = describe("list", resource, namespace, None);
        let api = self.api(resource, namespace);
        let mut items = Vec::new();
        let mut params = ListParams::default().limit(PAGE_SIZE);
        if let Some(selector) = label_selector {
            params = params.labels(selector);
        }
        let mut restarts = 0;
        let mut pages = 0;
        loop {
            pages += 1;
            if pages > MAX_LIST_PAGES {
                return Err(ClusterError::EndlessList {
                    what,
                    message: format!(
                        "the API server kept paging past {MAX_LIST_PAGES} pages of {PAGE_SIZE}; giving up"
                    ),
                });
            }
            let page = match self
                .call(
                    &what,
                    || rbac_permission("list", resource, namespace),
                    api.list(&params),
                )
                .await
            {
                Err(ClusterError::Api { code: 410, .. }) if params.continue_token.is_some() => {
                    // The continue token expired: start over, as kubectl does, a few times.
                    restarts += 1;
                    if restarts > MAX_LIST_RESTARTS {
                        return Err(ClusterError::EndlessList {
                            what,
                            message: format!(
                                "the continue token expired {restarts} times (410 Gone); giving up"
                            ),
                        });
                    }
                    items.clear();
                    params.continue_token = None;
                    continue;
                }
                other => other?,
            };
            // Who wrote which field is often the largest part of a listed object, and no
            // reader of a LIST looks at it.
            items.extend(
                page.items
                    .into_iter()
                    .map(|mut object| {
                        object.metadata.managed_fields = None;
                        object_json(object, resource)
                    })
                    .filter(|object| keep(object)),
            );
            if items.len() > MAX_LIST_OBJECTS {
                return Err(ClusterError::EndlessList {
                    what,
                    message: format!(
                        "more than {MAX_LIST_OBJECTS} objects (MAX_LIST_OBJECTS); narrow it with \
                         -n, or read manifests with -f"
                    ),
                });
            }
            match page.metadata.continue_.filter(|t| !t.is_empty()) {
                Some(token) => params.continue_token = Some(token),
                None => return Ok(items),
            }
        }
    }

    /// Lists `resource` across the cluster; when RBAC forbids that, lists it namespace by
    /// namespace in `namespaces` and reports what could not be read. A custom resource whose
    /// CRD is not installed is an empty list and a notice, as the operator treats it.
    pub async fn list_readable(
        &self,
        resource: &Resource,
        namespaces: &[String],
    ) -> Result<(Vec<Value>, Vec<Notice>), ClusterError> {
        match self.list(resource, None, None).await {
            Ok(items) => Ok((items, Vec::new())),
            Err(ClusterError::NotFound { .. }) if !resource.group.is_empty() => Ok((
                Vec::new(),
                vec![Notice {
                    what: resource.qualified(),
                    message: format!(
                        "not served by this cluster (is the {} CRD installed?); treated as none, as the operator does",
                        resource.kind
                    ),
                    objects_missing: false,
                }],
            )),
            Err(ClusterError::Forbidden { .. }) if resource.namespaced => {
                let mut items = Vec::new();
                let mut notices = Vec::new();
                for ns in namespaces {
                    match self.list(resource, Some(ns), None).await {
                        Ok(found) => items.extend(found),
                        Err(ClusterError::Forbidden { permission, .. }) => notices.push(Notice {
                            what: format!("{} in namespace {ns}", resource.qualified()),
                            message: format!("not readable: missing permission {permission}"),
                            objects_missing: true,
                        }),
                        Err(e) => return Err(e),
                    }
                }
                notices.insert(
                    0,
                    Notice {
                        what: format!("{} in all namespaces", resource.qualified()),
                        message: format!(
                            "cluster-wide list forbidden (missing permission list {} at cluster scope); read {} namespace(s) one by one",
                            resource.qualified(),
                            namespaces.len()
                        ),
                        objects_missing: false,
                    },
                );
                Ok((items, notices))
            }
            Err(ClusterError::Forbidden { permission, .. }) => Ok((
                Vec::new(),
                vec![Notice {
                    what: resource.qualified(),
                    message: format!("not readable: missing permission {permission}"),
                    objects_missing: true,
                }],
            )),
            Err(e) => Err(e),
        }
    }

    /// Reads one object; `Ok(None)` when it does not exist.
    pub async fn get(
        &self,
        resource: &Resource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>, ClusterError> {
        let what = describe("get", resource, namespace, Some(name));
        let api = self.api(resource, namespace);
        let permission = || rbac_permission("get", resource, namespace);
        match self.call(&what, permission, api.get_opt(name)).await? {
            Some(object) => Ok(Some(object_json(object, resource))),
            None => Ok(None),
        }
    }

    /// The type of objects of `kind` in `api_version`: the catalogue's, else what the API
    /// server's discovery says of it (a kind this tool does not read, to apply it).
    pub async fn resource_for(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<&'static Resource, ClusterError> {
        if let Some(known) = kinds::known(api_version, kind) {
            return Ok(known);
        }
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let what = format!("discover {api_version} {kind}");
        let wanted = kube::api::GroupVersionKind::gvk(group, version, kind);
        let found = kube::discovery::pinned_kind(&self.client, &wanted);
        let permission = || format!("get the discovery of {api_version}");
        let (api, capabilities) =
            self.call(&what, permission, found)
                .await
                .map_err(|error| match error {
                    ClusterError::NotFound { what, .. } => ClusterError::NotFound {
                        what,
                        message: format!("the API server does not serve {kind} in {api_version}"),
                    },
                    other => other,
                })?;
        let namespaced = capabilities.scope == kube::discovery::Scope::Namespaced;
        kinds::discovered(api_version, kind, &api.plural, namespaced)
            .ok_or(ClusterError::TooManyKinds { what })
    }

    /// Server-side apply of `object` (which carries apiVersion, kind and metadata); a
    /// namespaced object without a namespace goes to the current one.
    pub async fn apply(
        &self,
        resource: &Resource,
        object: &Value,
        options: &ApplyOptions,
    ) -> Result<(ApplyResult, Value), ClusterError> {
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let namespace = resource.namespaced.then(|| {
            object
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or(&self.namespace)
        });
        let what = describe("apply", resource, namespace, Some(name));
        let mut body = object.clone();
        if let (Some(ns), Some(meta)) = (
            namespace,
            body.get_mut("metadata").and_then(Value::as_object_mut),
        ) {
            meta.insert("namespace".to_owned(), Value::from(ns));
        }
        let before = self.get(resource, namespace, name).await?;
        let mut params = PatchParams::apply(&options.field_manager);
        if options.force {
            params = params.force();
        }
        if options.dry_run {
            params = params.dry_run();
        }
        let api = self.api(resource, namespace);
        let applied = self
            .call(
                &what,
                || rbac_permission("patch", resource, namespace),
                api.patch(name, &params, &Patch::Apply(&body)),
            )
            .await?;
        let applied = object_json(applied, resource);
        let unchanged = |before: &Value| {
            if options.dry_run {
                // A dry run stores nothing, so the answer keeps the stored resourceVersion.
                same_content(before, &applied)
            } else {
                resource_version(before).is_some()
                    && resource_version(before) == resource_version(&applied)
            }
        };
        let result = match &before {
            None => ApplyResult::Created,
            Some(before) if unchanged(before) => ApplyResult::Unchanged,
            Some(_) => ApplyResult::Configured,
        };
        Ok((result, applied))
    }
}

/// Whether two versions of an object are the same but for the version the server stamps and
/// the times of its field ownership: what a write would leave unchanged (a change of owner
/// alone is a change).
fn same_content(a: &Value, b: &Value) -> bool {
    let content = |object: &Value| {
        let mut object = object.clone();
        if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("resourceVersion");
            for entry in meta
                .get_mut("managedFields")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(entry) = entry.as_object_mut() {
                    entry.remove("time");
                }
            }
        }
        object
    };
    content(a) == content(b)
}

impl Cluster {
    /// GETs `path` (e.g. `/api/v1/status/config`) from port `port` of pod `namespace/pod`
    /// through the API server's proxy (`https` when `tls`), within the client's bounds.
    /// kube-rs has no call for the pod proxy, so the `…/pods/NAME:PORT/proxy` suffix is added
    /// here to the pods URL kube-rs builds.
    pub async fn pod_proxy_get(
        &self,
        namespace: &str,
        pod: &str,
        port: u16,
        tls: bool,
        path: &str,
    ) -> Result<String, ClusterError> {
        let what = format!("get {path} from pod {namespace}/{pod} through the API server's proxy");
        let is_name = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        };
        let is_path = path.starts_with('/')
            && path
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'#' && b != b'%');
        if !is_name(pod) || !is_name(namespace) || !is_path {
            return Err(ClusterError::Api {
                what,
                code: 400,
                reason: "BadRequest".to_owned(),
                message: "not a pod name or proxy path".to_owned(),
            });
        }
        let pods = self.api(&kinds::PODS, Some(namespace));
        // `pods/proxy` is a subresource whose object name carries the scheme and port.
        let scheme = if tls { "https:" } else { "" };
        let request = kube::core::Request::new(pods.resource_url())
            .get_subresource(&format!("proxy{path}"), &format!("{scheme}{pod}:{port}"));
        let permission = || format!("get pods/proxy in namespace {namespace}");
        self.request_text(&what, permission, request).await
    }

    /// The last `lines` lines (at most `max_bytes`) of `container`'s log in pod `namespace/pod`.
    pub async fn pod_log_tail(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
        lines: i64,
        max_bytes: i64,
    ) -> Result<String, ClusterError> {
        let what = format!("get the log of {container} in pod {namespace}/{pod}");
        let pods = self.api(&kinds::PODS, Some(namespace));
        let params = kube::api::LogParams {
            container: Some(container.to_owned()),
            tail_lines: Some(lines),
            limit_bytes: Some(max_bytes),
            ..kube::api::LogParams::default()
        };
        let request = kube::core::Request::new(pods.resource_url()).logs(pod, &params);
        let permission = || format!("get pods/log in namespace {namespace}");
        self.request_text(&what, permission, request).await
    }

    /// Sends a request kube-rs built (or failed to build) and reads the answer as text.
    async fn request_text(
        &self,
        what: &str,
        permission: impl FnOnce() -> String,
        request: Result<http::Request<Vec<u8>>, kube::core::request::Error>,
    ) -> Result<String, ClusterError> {
        let request = request.map_err(|e| ClusterError::Garbled {
            what: what.to_owned(),
            message: e.to_string(),
        })?;
        self.call(what, permission, self.client.request_text(request))
            .await
    }
}

fn resource_version(object: &Value) -> Option<String> {
    object
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn rbac_permission(verb: &str, resource: &Resource, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{verb} {} in namespace {ns}", resource.qualified()),
        None => format!("{verb} {} at cluster scope", resource.qualified()),
    }
}

/// An object as JSON, with the `apiVersion` and `kind` that list items may omit.
fn object_json(object: DynamicObject, resource: &Resource) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".to_owned(), Value::from(resource.api_version()));
        map.insert("kind".to_owned(), Value::from(resource.kind));
    }
    value
}

/// The field managers a 409 conflict names: each cause reads `conflict with "MANAGER" ...`.
fn conflicting_managers(status: &kube::core::Status) -> Vec<String> {
    let mut names: Vec<String> = status
        .details
        .iter()
        .flat_map(|d| d.causes.iter())
        .filter_map(|cause| {
            let rest = cause.message.split_once("conflict with \"")?.1;
            Some(rest.split_once('"')?.0.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Each conflict a 409 names (its `details.causes`), as kubectl prints it: the cause's message
/// and field, `conflict with "helm" using monitoring.coreos.com/v1: .spec.endpoints`, cut and
/// on one line (a line break from the server would start a line of its own in the report).
/// As many as the answer holds: [`MAX_RESPONSE_BYTES`] bounds them.
fn conflicting_fields(status: &kube::core::Status) -> Vec<String> {
    status
        .details
        .iter()
        .flat_map(|d| d.causes.iter())
        .filter_map(|cause| {
            let text = match (cause.message.trim(), cause.field.trim()) {
                ("", "") => return None,
                (message, field) if message.ends_with(field) => message.to_owned(),
                ("", field) => field.to_owned(),
                (message, field) => format!("{message}: {field}"),
            };
            Some(cut(&text.replace(['\n', '\r'], " ")))
        })
        .collect()
}

/// Which objects [`Cluster::fetch_snapshot`] reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FetchPlan {
    /// Services, Endpoints, EndpointSlices and Pods, for the target view of `explain`, and
    /// StatefulSets, DaemonSets and Deployments, which name what should run Pods that are
    /// missing.
    pub workloads: bool,
    /// The operator's Deployment (see [`Cluster::fetch_operator`]), whose arguments restrict
    /// what it reconciles.
    pub operator: bool,
}

/// Label the operator's Deployment carries in the upstream manifests (the Helm chart's is
/// `kube-prometheus-stack-prometheus-operator`, after its release).
pub const OPERATOR_SELECTOR: &str = "app.kubernetes.io/name=prometheus-operator";

/// What notices about the operator's Deployment are about.
const OPERATOR_DEPLOYMENT: &str = "the operator's Deployment";

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

        let namespaces = match self.list(&kinds::NAMESPACES, None, None).await {
            Ok(items) => items,
            Err(ClusterError::Forbidden { permission, .. }) => {
                notices.push(Notice {
                    what: "namespaces".to_owned(),
                    message: format!(
                        "not readable (missing permission {permission}): namespace labels are unknown; only namespace {} is searched",
                        self.namespace
                    ),
                    objects_missing: true,
                });
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut names: Vec<String> = namespaces
            .iter()
            .filter_map(|n| n.pointer("/metadata/name").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        if names.is_empty() {
            names.push(self.namespace.clone());
        }
        add_objects(&mut snapshot, &mut notices, namespaces);

        let mut resources: Vec<Resource> = kinds::MONITORING.to_vec();
        if plan.workloads {
            resources.extend([
                kinds::SERVICES,
                kinds::ENDPOINTS,
                kinds::ENDPOINT_SLICES,
                kinds::PODS,
                kinds::STATEFUL_SETS,
                kinds::DAEMON_SETS,
            ]);
        }
        let mut references = Vec::new();
        for resource in &resources {
            let (items, mut unread) = self.list_readable(resource, &names).await?;
            notices.append(&mut unread);
            if resource.is_monitoring() {
                references.extend(items.iter().flat_map(references::references));
            }
            add_objects(&mut snapshot, &mut notices, items);
        }
        // Every Deployment, for the workload view; when all of them could be read, the
        // operator's is among them and is chosen from them without another LIST.
        let every_deployment = if plan.workloads {
            let (items, mut unread) = self.list_readable(&kinds::DEPLOYMENTS, &names).await?;
            let complete = unread.is_empty();
            notices.append(&mut unread);
            Some((items, complete))
        } else {
            None
        };
        let complete = every_deployment
            .as_ref()
            .filter(|(_, complete)| *complete)
            .map(|(items, _)| items.as_slice());
        if plan.operator {
            let (deployments, mut unread) = self.fetch_operator(complete).await?;
            notices.append(&mut unread);
            if complete.is_none() {
                add_objects(&mut snapshot, &mut notices, deployments);
            }
        }
        if let Some((items, _)) = every_deployment {
            let known: Vec<(String, String)> = snapshot
                .deployments
                .iter()
                .map(|d| {
                    (
                        namespace_of(&d.metadata).to_owned(),
                        name_of(&d.metadata).to_owned(),
                    )
                })
                .collect();
            let unknown = items.into_iter().filter(|item| {
                let text = |pointer: &str| {
                    item.pointer(pointer)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned()
                };
                !known.contains(&(text("/metadata/namespace"), text("/metadata/name")))
            });
            add_objects(&mut snapshot, &mut notices, unknown.collect());
        }
        notices.extend(self.fetch_references(&mut snapshot, references).await?);
        Ok((snapshot, notices))
    }

    /// Reads one instance (a GET) and the operator's Deployment ([`Cluster::fetch_operator`]):
    /// what is computed from an instance and the operator's flags alone needs no more. A
    /// missing instance is a snapshot without it, an instance that does not decode a notice;
    /// the Deployment refines the operator's defaults, so when it cannot be read the snapshot
    /// lacks it and a notice says why.
    pub async fn fetch_instance(
        &self,
        resource: &Resource,
        namespace: &str,
        name: &str,
    ) -> Result<(Snapshot, Vec<Notice>), ClusterError> {
        let mut snapshot = Snapshot::default();
        let mut notices = Vec::new();
        if let Some(instance) = self.get(resource, Some(namespace), name).await? {
            add_objects(&mut snapshot, &mut notices, vec![instance]);
        }
        match self.fetch_operator(None).await {
            Ok((deployments, mut unread)) => {
                notices.append(&mut unread);
                add_objects(&mut snapshot, &mut notices, deployments);
            }
            Err(e) => notices.push(Notice {
                what: OPERATOR_DEPLOYMENT.to_owned(),
                message: format!("not read ({e}): the operator's defaults are assumed"),
                objects_missing: false,
            }),
        }
        Ok((snapshot, notices))
    }

    /// The operator's Deployments, chosen as [`operator_deployment`] chooses among files: those
    /// labelled [`OPERATOR_SELECTOR`] when one of them runs the operator (one cheap LIST),
    /// else every Deployment that runs it (a LIST of all Deployments, keeping only those;
    /// `every` when the caller has already listed them all). When none is found, or RBAC hides
    /// them, a notice says the operator's defaults are assumed.
    ///
    /// [`operator_deployment`]: crate::operator::operator_deployment
    pub async fn fetch_operator(
        &self,
        every: Option<&[Value]>,
    ) -> Result<(Vec<Value>, Vec<Notice>), ClusterError> {
        let unreadable = |permission: String| Notice {
            what: OPERATOR_DEPLOYMENT.to_owned(),
            message: format!(
                "not readable (missing permission {permission}): its flags are unknown, the operator's defaults are assumed"
            ),
            objects_missing: false,
        };
        let found = if let Some(every) = every {
            let labelled: Vec<Value> = every
                .iter()
                .filter(|d| has_operator_label(d) && runs_operator(d))
                .cloned()
                .collect();
            if !labelled.is_empty() {
                return Ok((labelled, Vec::new()));
            }
            Ok(every.iter().filter(|d| runs_operator(d)).cloned().collect())
        } else {
            let labelled = match self
                .list(&kinds::DEPLOYMENTS, None, Some(OPERATOR_SELECTOR))
                .await
            {
                Ok(items) => items,
                Err(ClusterError::Forbidden { permission, .. }) => {
                    return Ok((Vec::new(), vec![unreadable(permission)]));
                }
                Err(e) => return Err(e),
            };
            if labelled.iter().any(runs_operator) {
                return Ok((labelled, Vec::new()));
            }
            self.list_matching(&kinds::DEPLOYMENTS, None, None, runs_operator)
                .await
        };
        match found {
            Ok(found) if found.is_empty() => Ok((
                Vec::new(),
                vec![Notice {
                    what: OPERATOR_DEPLOYMENT.to_owned(),
                    message: "not found (no Deployment runs a container named \
                              prometheus-operator or a prometheus-operator image): the \
                              operator's defaults are assumed"
                        .to_owned(),
                    objects_missing: false,
                }],
            )),
            Ok(found) => Ok((found, Vec::new())),
            Err(ClusterError::Forbidden { permission, .. }) => {
                Ok((Vec::new(), vec![unreadable(permission)]))
            }
            Err(e) => Err(e),
        }
    }

    /// Reads each referenced Secret or ConfigMap that `snapshot` lacks into it, once. A
    /// reference from an object without a namespace is looked up in the current namespace and
    /// filed under none, as its referrer is. What RBAC hides becomes a notice.
    pub async fn fetch_references(
        &self,
        snapshot: &mut Snapshot,
        references: impl IntoIterator<Item = references::Reference>,
    ) -> Result<Vec<Notice>, ClusterError> {
        let mut wanted: Vec<(String, String, bool)> = references
            .into_iter()
            .map(|r| (r.namespace, r.name, r.config_map))
            .collect();
        wanted.sort();
        wanted.dedup();
        let mut notices = Vec::new();
        for (namespace, name, config_map) in wanted {
            let (resource, present) = if config_map {
                (
                    kinds::CONFIG_MAPS,
                    snapshot.config_map(&namespace, &name).is_some(),
                )
            } else {
                (kinds::SECRETS, snapshot.secret(&namespace, &name).is_some())
            };
            if present {
                continue;
            }
            let lookup = if namespace.is_empty() {
                self.namespace.as_str()
            } else {
                namespace.as_str()
            };
            match self.get(&resource, Some(lookup), &name).await {
                Ok(Some(mut object)) => {
                    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.insert("namespace".to_owned(), Value::from(namespace.clone()));
                    }
                    add_objects(snapshot, &mut notices, vec![object]);
                }
                Ok(None) => {}
                Err(ClusterError::Forbidden { permission, .. }) => notices.push(Notice {
                    what: format!("{} {lookup}/{name}", resource.kind),
                    message: format!("not readable: missing permission {permission}"),
                    objects_missing: true,
                }),
                Err(e) => return Err(e),
            }
        }
        Ok(notices)
    }
}

/// The permission that creating a SubjectAccessReview needs.
const REVIEW_PERMISSION: &str = "create subjectaccessreviews.authorization.k8s.io at cluster scope";

/// The RBAC objects read when SubjectAccessReviews are forbidden.
const RBAC_RESOURCES: [Resource; 4] = [
    kinds::ROLES,
    kinds::ROLE_BINDINGS,
    kinds::CLUSTER_ROLES,
    kinds::CLUSTER_ROLE_BINDINGS,
];

impl Cluster {
    /// Asks the API server whether the ServiceAccount of `questions` may do each thing: one
    /// SubjectAccessReview per question, the first alone (a 403 there means none is allowed),
    /// then the rest at most [`MAX_CONCURRENT_REVIEWS`] at once. When creating them is
    /// forbidden (or the API is not served), reads the Roles, ClusterRoles and bindings
    /// instead (cluster-wide lists: a partial read would show gaps that are not there); when
    /// that is forbidden too, the answer says what permission is missing. Objects that do not
    /// decode become notices.
    pub async fn review_access(
        &self,
        questions: &AccessQuestions,
    ) -> Result<(ClusterAccess, Vec<Notice>), ClusterError> {
        let api: Api<SubjectAccessReview> = Api::all(self.client.clone());
        let mut pending = questions.questions.iter();
        let mut answers = BTreeMap::new();
        if let Some(first) = pending.next() {
            match self.review(&api, questions, first).await {
                Ok(allowed) => {
                    answers.insert(first.clone(), allowed);
                }
                Err(e) => return self.read_rbac_instead(e).await,
            }
        }
        let api = &api;
        let mut reviews = stream::iter(pending)
            .map(|q| async move { (q, self.review(api, questions, q).await) })
            .buffer_unordered(MAX_CONCURRENT_REVIEWS);
        while let Some((question, allowed)) = reviews.next().await {
            match allowed {
                Ok(allowed) => {
                    answers.insert(question.clone(), allowed);
                }
                Err(e) => return self.read_rbac_instead(e).await,
            }
        }
        Ok((ClusterAccess::Reviewed(answers), Vec::new()))
    }

    /// After a review failed with `error`: the cluster's RBAC objects when reviews are
    /// forbidden or not served, otherwise the error.
    async fn read_rbac_instead(
        &self,
        error: ClusterError,
    ) -> Result<(ClusterAccess, Vec<Notice>), ClusterError> {
        let why = match error {
            ClusterError::Forbidden { .. } => format!(
                "creating SubjectAccessReviews is forbidden: missing permission {REVIEW_PERMISSION}"
            ),
            ClusterError::NotFound { .. } => {
                "the API server does not serve SubjectAccessReviews (authorization.k8s.io/v1)"
                    .to_owned()
            }
            other => return Err(other),
        };
        self.read_rbac(why).await
    }

    /// One SubjectAccessReview: whether the ServiceAccount may do what `question` asks.
    async fn review(
        &self,
        api: &Api<SubjectAccessReview>,
        questions: &AccessQuestions,
        question: &AccessQuestion,
    ) -> Result<bool, ClusterError> {
        let scope = if question.namespace.is_empty() {
            "at cluster scope".to_owned()
        } else {
            format!("in namespace {}", question.namespace)
        };
        let resource = if question.group.is_empty() {
            question.resource.clone()
        } else {
            format!("{}.{}", question.resource, question.group)
        };
        let what = format!(
            "create subjectaccessreviews.authorization.k8s.io (may {} {} {resource} {scope})",
            questions.user(),
            question.verb
        );
        let review = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some(questions.user()),
                groups: Some(questions.groups()),
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(question.namespace.clone()).filter(|n| !n.is_empty()),
                    verb: Some(question.verb.clone()),
                    group: Some(question.group.clone()),
                    resource: Some(question.resource.clone()),
                    ..ResourceAttributes::default()
                }),
                ..SubjectAccessReviewSpec::default()
            },
            ..SubjectAccessReview::default()
        };
        let answered = self
            .call(
                &what,
                || REVIEW_PERMISSION.to_owned(),
                api.create(&PostParams::default(), &review),
            )
            .await?;
        match answered.status {
            Some(status) => Ok(status.allowed),
            None => Err(ClusterError::Garbled {
                what,
                message: "the answer has no status".to_owned(),
            }),
        }
    }

    /// The Roles, ClusterRoles and bindings of the cluster, for when SubjectAccessReviews
    /// cannot be asked (`why`).
    async fn read_rbac(&self, why: String) -> Result<(ClusterAccess, Vec<Notice>), ClusterError> {
        let mut snapshot = Snapshot::default();
        let mut notices = Vec::new();
        for resource in &RBAC_RESOURCES {
            match self.list(resource, None, None).await {
                Ok(items) => add_objects(&mut snapshot, &mut notices, items),
                Err(ClusterError::Forbidden { permission, .. }) => {
                    let reason = format!(
                        "{why}, and reading RBAC is forbidden too (missing permission \
                         {permission}); grant either to the user running this command"
                    );
                    return Ok((ClusterAccess::NotChecked { reason }, notices));
                }
                Err(e) => return Err(e),
            }
        }
        let snapshot = Box::new(snapshot);
        Ok((ClusterAccess::Objects { snapshot, why }, notices))
    }
}

/// The API server URL as messages show it: without credentials (userinfo, or a query a
/// token can ride in).
fn shown_server(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let url = match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rsplit_once('@') {
                Some((_, host)) => format!(
                    "{scheme}://{}@{host}{}",
                    crate::redact::REDACTED,
                    &rest[authority_end..]
                ),
                None => url.to_owned(),
            }
        }
        None => url.to_owned(),
    };
    url.trim_end_matches('/').to_owned()
}

/// Why the client could not be built, without what a credential plugin printed (its output
/// is where the token is).
fn credential_error(error: &kube::Error) -> String {
    use kube::client::AuthError;
    match error {
        kube::Error::Auth(AuthError::AuthExecRun { out, .. }) => format!(
            "the credential plugin (users[].user.exec) failed ({})",
            out.status
        ),
        kube::Error::Auth(AuthError::AuthExecParse(_)) => {
            "the credential plugin's (users[].user.exec) output is not an ExecCredential".to_owned()
        }
        other => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Whether a listed object is a Deployment that runs prometheus-operator, decoded and judged
/// as one read from files is.
/// Whether a listed Deployment carries [`OPERATOR_SELECTOR`]'s label.
fn has_operator_label(object: &Value) -> bool {
    let (key, value) = OPERATOR_SELECTOR.split_once('=').unwrap_or_default();
    object
        .pointer("/metadata/labels")
        .and_then(|labels| labels.get(key))
        .and_then(Value::as_str)
        == Some(value)
}

fn runs_operator(object: &Value) -> bool {
    let mut decoded = Snapshot::default();
    decoded.load_json("cluster", object).is_ok()
        && decoded
            .deployments
            .first()
            .is_some_and(|deployment| operator_container(deployment).is_some())
}

/// Adds listed objects through the same decoder that reads files; an object that does not
/// decode becomes a notice.
fn add_objects(snapshot: &mut Snapshot, notices: &mut Vec<Notice>, items: Vec<Value>) {
    for item in items {
        let text = |pointer: &str| item.pointer(pointer).and_then(Value::as_str).unwrap_or("");
        let name = format!(
            "{} {}/{}",
            text("/kind"),
            text("/metadata/namespace"),
            text("/metadata/name")
        );
        if let Err(e) = snapshot.load_json("cluster", &item) {
            notices.push(Notice {
                what: name,
                message: format!("skipped, it does not decode: {e}"),
                objects_missing: true,
            });
        }
    }
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
    cut(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_the_server_without_credentials() {
        assert_eq!(
            shown_server("https://admin:pw@api.example.com:6443/"),
            "https://<secret>@api.example.com:6443"
        );
        assert_eq!(
            shown_server("https://api.example.com/?token=abc"),
            "https://api.example.com"
        );
        assert_eq!(
            shown_server("https://10.0.0.1:6443"),
            "https://10.0.0.1:6443"
        );
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(MAX_ERROR_MESSAGE_CHARS + 10);
        let cut = cut(&long);
        assert!(cut.ends_with("... (10 characters cut)"), "{cut}");
        assert_eq!(super::cut(" short "), "short");
    }

    #[test]
    fn retries_wait_at_most_max_retry_delay_and_never_past_the_time_limit() {
        let answer = |status: u16, retry_after: Option<&str>| {
            let mut response = http::Response::builder().status(status);
            if let Some(seconds) = retry_after {
                response = response.header("Retry-After", seconds);
            }
            response.body(()).unwrap()
        };
        let policy = BoundedRetry::new(RETRIES, Duration::from_secs(45));
        let too_many = answer(429, Some("3600"));
        assert_eq!(policy.wait(&too_many), Some(MAX_RETRY_DELAY));
        assert_eq!(
            policy.wait(&answer(503, Some("2"))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.wait(&answer(504, None)), Some(FIRST_RETRY_DELAY));
        assert_eq!(policy.wait(&answer(500, Some("1"))), None);
        // An HTTP date is not read: the backoff stands.
        let dated = answer(429, Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(policy.wait(&dated), Some(FIRST_RETRY_DELAY));
        let spent = BoundedRetry {
            attempts: RETRIES,
            ..policy.clone()
        };
        assert_eq!(spent.wait(&too_many), None);
        let short = BoundedRetry::new(RETRIES, Duration::from_secs(5));
        assert_eq!(short.wait(&too_many), None);
    }

    #[test]
    fn timeouts_show_the_duration_as_given() {
        for (after, shown) in [
            (Duration::from_millis(500), "within 500ms "),
            (Duration::from_secs(45), "within 45s "),
        ] {
            let error = ClusterError::Timeout {
                what: "list servicemonitors.monitoring.coreos.com".to_owned(),
                after,
            };
            assert!(error.to_string().contains(shown), "{error}");
        }
    }

    #[test]
    fn conflicts_name_their_managers() {
        let status: kube::core::Status = serde_json::from_value(serde_json::json!({
            "code": 409,
            "message": "Apply failed with 2 conflicts",
            "details": {"causes": [
                {"reason": "FieldManagerConflict", "message": "conflict with \"helm\" using v1", "field": ".spec.a"},
                {"reason": "FieldManagerConflict", "message": "conflict with \"kubectl-edit\": .spec.b", "field": ".spec.b"},
                {"reason": "FieldManagerConflict", "message": "conflict with \"helm\" using v1", "field": ".spec.c"},
                {"reason": "FieldManagerConflict", "field": ".spec.d\nnothing applied"}
            ]}
        }))
        .unwrap();
        assert_eq!(conflicting_managers(&status), ["helm", "kubectl-edit"]);
        assert_eq!(
            conflicting_fields(&status),
            [
                "conflict with \"helm\" using v1: .spec.a",
                "conflict with \"kubectl-edit\": .spec.b",
                "conflict with \"helm\" using v1: .spec.c",
                ".spec.d nothing applied"
            ]
        );
    }

    #[test]
    fn listed_deployments_are_judged_as_files_are() {
        let deployment = |container: &str, image: &str| {
            serde_json::json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "d", "namespace": "monitoring"},
                "spec": {"selector": {}, "template": {"spec": {"containers": [
                    {"name": container, "image": image}
                ]}}}
            })
        };
        assert!(runs_operator(&deployment(
            "kube-prometheus-stack",
            "quay.io/prometheus-operator/prometheus-operator:v0.93.0"
        )));
        assert!(!runs_operator(&deployment("web", "nginx:1.27")));
        // Not a Deployment that decodes: not the operator.
        assert!(!runs_operator(&serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d"}, "spec": "garbage"
        })));
    }
}
