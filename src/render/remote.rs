//! `remote_write` and `remote_read` (upstream `GenerateRemoteWriteConfig` and
//! `generateRemoteReadConfig`).

use super::relabeling::generate_relabel_config;
use super::{Generator, RenderError, sorted_map};
use crate::monitoring::v1::common::ProxyConfig;
use crate::monitoring::v1::prometheus::{
    AzureAD, QueueConfig, RemoteClientAuth, RemoteReadSpec, RemoteWriteSpec,
};
use crate::yaml::Map;

/// The protobuf message name for a remote-write message version.
fn protobuf_message(version: &str) -> &'static str {
    match version {
        "V2.0" => "io.prometheus.write.v2.Request",
        _ => "prometheus.WriteRequest",
    }
}

impl Generator<'_> {
    /// Refuses remote-write settings the operator rejects before generating anything
    /// (upstream `validateRemoteWriteSpec`).
    pub(crate) fn validate_remote_writes(&self) -> Result<(), RenderError> {
        for (i, spec) in self.common.remote_write.iter().enumerate() {
            crate::validate::remote_write(spec, &self.version, |minimum| self.supports(minimum))
                .map_err(|message| RenderError::Invalid {
                    field: format!("spec.remoteWrite[{i}]"),
                    message: format!("remoteWrite[{i}]: {message}"),
                })?;
        }
        Ok(())
    }

    /// Appends `remote_write` when `spec.remoteWrite` has entries.
    pub(crate) fn push_remote_write(&self, cfg: &mut Map) {
        if self.common.remote_write.is_empty() {
            return;
        }
        let entries: Vec<Map> = self
            .common
            .remote_write
            .iter()
            .map(|spec| self.remote_write_entry(spec))
            .collect();
        cfg.push("remote_write", entries);
    }

    /// The credentials and TLS of a remote write or read endpoint, then its proxy.
    fn add_remote_client_auth(
        &self,
        out: &mut Map,
        auth: RemoteClientAuth<'_>,
        proxy: &ProxyConfig,
    ) {
        let ns = self.namespace;
        self.add_basic_auth(out, ns, auth.basic_auth);
        if let Some(token) = auth.bearer_token.filter(|t| !t.is_empty()) {
            out.push("bearer_token", token);
        }
        if let Some(file) = auth.bearer_token_file.filter(|f| !f.is_empty()) {
            out.push("bearer_token_file", file);
        }
        self.add_oauth2(out, ns, auth.oauth2);
        self.add_tls(out, ns, auth.tls_config);
        self.add_authorization(out, ns, auth.authorization);
        self.add_proxy_config(out, ns, proxy);
    }

    fn remote_write_entry(&self, spec: &RemoteWriteSpec) -> Map {
        let ns = self.namespace;
        let mut out = Map::new().with("url", spec.url.as_str());
        if let Some(timeout) = &spec.remote_timeout {
            out.push("remote_timeout", timeout.as_str());
        }
        if !spec.headers.is_empty() {
            self.push_min(&mut out, "2.15.0", "headers", sorted_map(&spec.headers));
        }
        if let Some(name) = spec.name.as_deref().filter(|n| !n.is_empty()) {
            self.push_min(&mut out, "2.15.0", "name", name);
        }
        if let Some(version) = &spec.message_version {
            self.push_min(
                &mut out,
                "2.54.0",
                "protobuf_message",
                protobuf_message(version),
            );
        }
        if let Some(send) = spec.send_exemplars {
            self.push_min(&mut out, "2.27.0", "send_exemplars", send);
        }
        if let Some(send) = spec.send_native_histograms {
            self.push_min(&mut out, "2.40.0", "send_native_histograms", send);
        }
        if !spec.write_relabel_configs.is_empty() {
            out.push(
                "write_relabel_configs",
                generate_relabel_config(&spec.write_relabel_configs),
            );
        }
        self.add_remote_client_auth(&mut out, spec.remote_client_auth(), &spec.proxy_config());
        if spec.sigv4.is_some() && self.supports_field("sigv4", "2.26.0") {
            self.add_sigv4(&mut out, ns, spec.sigv4.as_ref());
        }
        if let Some(azure) = &spec.azure_ad {
            let section = self.azure_ad(azure);
            self.push_min(&mut out, "2.45.0", "azuread", section);
        }
        if let Some(follow) = spec.follow_redirects {
            self.push_min(&mut out, "2.26.0", "follow_redirects", follow);
        }
        if let Some(http2) = spec.enable_http2 {
            self.push_min(&mut out, "2.35.0", "enable_http2", http2);
        }
        if let Some(queue) = &spec.queue_config {
            out.push("queue_config", self.queue_config(queue));
        }
        if let Some(metadata) = &spec.metadata_config {
            let send = if spec.message_version.as_deref() == Some("V2.0") {
                // Prometheus stops sending metadata by itself with remote-write v2.
                false
            } else {
                metadata.send.unwrap_or(false)
            };
            let mut section = Map::new().with("send", send);
            if let Some(interval) = metadata.send_interval.as_deref().filter(|i| !i.is_empty()) {
                section.push("send_interval", interval);
            }
            if let Some(max) = metadata.max_samples_per_send {
                self.push_min(&mut section, "2.29.0", "max_samples_per_send", max);
            }
            self.push_min(&mut out, "2.23.0", "metadata_config", section);
        }
        if let Some(round_robin) = spec.round_robin_dns {
            self.push_min(&mut out, "3.1.0", "round_robin_dns", round_robin);
        }
        out
    }

    fn azure_ad(&self, azure: &AzureAD) -> Map {
        let mut out = Map::new();
        if let Some(identity) = &azure.managed_identity {
            let mut section = Map::new();
            if let Some(client_id) = identity.client_id.as_deref().filter(|c| !c.is_empty()) {
                section.push("client_id", client_id);
            }
            out.push("managed_identity", section);
        }
        if let Some(oauth) = &azure.oauth {
            // Upstream leaves the block out when the client secret cannot be read.
            if let Some(secret) = self.secret_key(self.namespace, &oauth.client_secret) {
                self.push_min(
                    &mut out,
                    "2.48.0",
                    "oauth",
                    Map::new()
                        .with("client_id", oauth.client_id.as_str())
                        .with("client_secret", secret)
                        .with("tenant_id", oauth.tenant_id.as_str()),
                );
            }
        }
        if let Some(sdk) = &azure.sdk {
            self.push_min(
                &mut out,
                "2.52.0",
                "sdk",
                Map::new().with("tenant_id", sdk.tenant_id.clone().unwrap_or_default()),
            );
        }
        if let Some(workload) = &azure.workload_identity {
            self.push_min(
                &mut out,
                "3.7.0",
                "workload_identity",
                Map::new()
                    .with("client_id", workload.client_id.as_str())
                    .with("tenant_id", workload.tenant_id.as_str()),
            );
        }
        if let Some(cloud) = &azure.cloud {
            out.push("cloud", cloud.as_str());
        }
        if let Some(scope) = azure.scope.as_deref().filter(|s| !s.is_empty()) {
            self.push_min(&mut out, "3.9.0", "scope", scope);
        }
        out
    }

    fn queue_config(&self, queue: &QueueConfig) -> Map {
        let mut out = Map::new();
        let nonzero = |v: Option<i64>| v.filter(|n| *n != 0);
        if let Some(capacity) = nonzero(queue.capacity) {
            out.push("capacity", capacity);
        }
        if let Some(min_shards) = nonzero(queue.min_shards) {
            self.push_min(&mut out, "2.6.0", "min_shards", min_shards);
        }
        if let Some(max_shards) = nonzero(queue.max_shards) {
            out.push("max_shards", max_shards);
        }
        if let Some(max) = nonzero(queue.max_samples_per_send) {
            out.push("max_samples_per_send", max);
        }
        if let Some(deadline) = &queue.batch_send_deadline {
            out.push("batch_send_deadline", deadline.as_str());
        }
        if let Some(retries) = nonzero(queue.max_retries) {
            self.push_max(&mut out, "2.11.0", "max_retries", retries);
        }
        if let Some(backoff) = &queue.min_backoff {
            out.push("min_backoff", backoff.as_str());
        }
        if let Some(backoff) = &queue.max_backoff {
            out.push("max_backoff", backoff.as_str());
        }
        if queue.retry_on_rate_limit == Some(true) {
            self.push_min(&mut out, "2.26.0", "retry_on_http_429", true);
        }
        if let Some(limit) = &queue.sample_age_limit {
            self.push_min(&mut out, "2.50.0", "sample_age_limit", limit.as_str());
        }
        out
    }

    /// Appends `remote_read` when `spec.remoteRead` has entries.
    pub(crate) fn push_remote_read(&self, cfg: &mut Map, specs: &[RemoteReadSpec]) {
        if specs.is_empty() {
            return;
        }
        let entries: Vec<Map> = specs.iter().map(|s| self.remote_read_entry(s)).collect();
        cfg.push("remote_read", entries);
    }

    fn remote_read_entry(&self, spec: &RemoteReadSpec) -> Map {
        let mut out = Map::new().with("url", spec.url.as_str());
        if let Some(timeout) = &spec.remote_timeout {
            out.push("remote_timeout", timeout.as_str());
        }
        if !spec.headers.is_empty() {
            self.push_min(&mut out, "2.26.0", "headers", sorted_map(&spec.headers));
        }
        if let Some(name) = spec.name.as_deref().filter(|n| !n.is_empty()) {
            self.push_min(&mut out, "2.15.0", "name", name);
        }
        if !spec.required_matchers.is_empty() {
            out.push("required_matchers", sorted_map(&spec.required_matchers));
        }
        if spec.read_recent == Some(true) {
            out.push("read_recent", true);
        }
        self.add_remote_client_auth(&mut out, spec.remote_client_auth(), &spec.proxy_config());
        if let Some(follow) = spec.follow_redirects {
            self.push_min(&mut out, "2.26.0", "follow_redirects", follow);
        }
        if let Some(filter) = spec.filter_external_labels {
            self.push_min(&mut out, "2.34.0", "filter_external_labels", filter);
        }
        out
    }
}
