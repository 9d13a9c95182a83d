//! The `*_sd_configs` sections of a ScrapeConfig job, one function per discovery mechanism,
//! in the key order of upstream `generateScrapeConfig` (including its quirks, e.g. Azure's
//! `environment` resetting the section built so far).

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::super::{Generator, RenderError, Warning, sorted_map};
use crate::monitoring::v1::common::{ClientAuth, ProxyConfig};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::monitoring::v1alpha1::scrape_config::{
    AzureSDConfig, ConsulSDConfig, DNSSDConfig, DigitalOceanSDConfig, DockerSDConfig,
    DockerSwarmSDConfig, EC2SDConfig, EurekaSDConfig, FileSDConfig, Filter, GCESDConfig,
    HTTPSDConfig, HetznerSDConfig, IonosSDConfig, KubernetesSDConfig, KumaSDConfig,
    LightSailSDConfig, LinodeSDConfig, NomadSDConfig, OVHCloudSDConfig, OpenStackSDConfig,
    PuppetDBSDConfig, SDHTTPClient, ScalewaySDConfig, StaticConfig,
};
use crate::yaml::go_map_sorted;
use crate::yaml::{Map, Yaml};

/// Appends `key: value` when `value` is set.
fn push_opt<T: Clone + Into<Yaml>>(cfg: &mut Map, key: &'static str, value: &Option<T>) {
    if let Some(v) = value {
        cfg.push(key, v.clone());
    }
}

/// How upstream words a missing Secret it reads a token or password from.
const READ_SECRET: (&str, &str) = ("read", "secret");

/// `follow_redirects` then `enable_http2`, each when set.
fn push_follow_redirects_and_http2(cfg: &mut Map, http: SDHTTPClient<'_>) {
    push_opt(cfg, "follow_redirects", &http.follow_redirects);
    push_opt(cfg, "enable_http2", &http.enable_http2);
}

/// The Prometheus version from which a `kubernetes_sd_configs` entry of `role` (lowercase)
/// may attach metadata; `None` for the roles that attach none (the operator drops it).
pub(crate) fn attach_metadata_minimum_version(role: &str) -> Option<&'static str> {
    match role {
        "pod" => Some("2.35.0"),
        "endpoints" | "endpointslice" => Some("2.37.0"),
        _ => None,
    }
}

/// The discovery sections of one ScrapeConfig, rendered against its namespace.
pub(super) struct Discovery<'g, 'a> {
    /// The generator (version gates, Secrets, warnings).
    pub generator: &'g Generator<'a>,
    /// Namespace that Secret references resolve in.
    pub namespace: &'g str,
    /// `scrapeConfig/<namespace>/<name>`, quoted in errors.
    pub job_name: &'g str,
}

impl Discovery<'_, '_> {
    /// `key`: a Secret value the operator cannot do without. A missing Secret or key is an
    /// error on `field`, worded as upstream: `failed to <verb> <secret name> <what> <job>:
    /// <reason>`.
    fn push_required_secret(
        &self,
        cfg: &mut Map,
        key: &'static str,
        selector: &SecretKeySelector,
        field: String,
        (verb, what): (&str, &str),
    ) -> Result<(), RenderError> {
        if let Some(value) = self.generator.secret_key(self.namespace, selector) {
            cfg.push(key, value);
            return Ok(());
        }
        let reason = if self
            .generator
            .snapshot
            .secret(self.namespace, &selector.name)
            .is_some()
        {
            format!(
                "key {:?} in secret {}/{} not found",
                selector.key, self.namespace, selector.name
            )
        } else {
            format!("secret {}/{} not found", self.namespace, selector.name)
        };
        Err(RenderError::Invalid {
            field,
            message: format!(
                "failed to {verb} {} {what} {}: {reason}",
                selector.name, self.job_name
            ),
        })
    }

    /// A Secret value that reads as `""` when missing (upstream ignores the error).
    fn optional_secret(&self, selector: &SecretKeySelector) -> String {
        self.generator
            .secret_key(self.namespace, selector)
            .unwrap_or_default()
    }

    /// `basic_auth`, `authorization`, `oauth2`, then the proxy settings: the order most
    /// discovery mechanisms render their HTTP client in.
    fn add_client_auth_and_proxy(&self, cfg: &mut Map, auth: ClientAuth<'_>, proxy: &ProxyConfig) {
        self.generator
            .add_basic_auth(cfg, self.namespace, auth.basic_auth);
        self.add_authorization_and_proxy(cfg, auth, proxy);
    }

    /// `authorization`, `oauth2`, then the proxy settings, leaving out basic auth: the order
    /// of DigitalOcean, Docker and Linode discovery.
    fn add_authorization_and_proxy(
        &self,
        cfg: &mut Map,
        auth: ClientAuth<'_>,
        proxy: &ProxyConfig,
    ) {
        let (g, ns) = (self.generator, self.namespace);
        g.add_safe_authorization(cfg, ns, auth.authorization);
        g.add_oauth2(cfg, ns, auth.oauth2);
        g.add_proxy_config(cfg, ns, proxy);
    }

    /// `tls_config`, when set.
    fn add_tls(&self, cfg: &mut Map, tls: Option<&SafeTLSConfig>) {
        self.generator.add_safe_tls(cfg, self.namespace, tls);
    }

    /// `follow_redirects`, `enable_http2`, then `tls_config`: the order most discovery
    /// mechanisms end their HTTP client in.
    fn add_http_options_and_tls(&self, cfg: &mut Map, http: SDHTTPClient<'_>) {
        push_follow_redirects_and_http2(cfg, http);
        self.add_tls(cfg, http.tls_config);
    }

    /// Records a notice the operator only logs.
    fn warn(&self, field: &str, message: String) {
        self.generator.warnings.borrow_mut().push(Warning {
            field: field.to_owned(),
            message,
        });
    }

    /// `filters`, sorted by name (upstream `addFiltersToYaml`).
    fn add_filters(&self, cfg: &mut Map, filters: &[Filter], minimum: Option<&str>) {
        if filters.is_empty() {
            return;
        }
        let mut sorted: Vec<&Filter> = filters.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let value: Vec<Yaml> = sorted
            .into_iter()
            .map(|f| {
                Yaml::Map(
                    Map::new()
                        .with("name", f.name.as_str())
                        .with("values", f.values.clone()),
                )
            })
            .collect();
        match minimum {
            Some(min) => self.generator.push_min(cfg, min, "filters", value),
            None => cfg.push("filters", value),
        }
    }

    /// One `static_configs` entry.
    pub fn static_config(&self, config: &StaticConfig) -> Map {
        Map::new()
            .with("targets", config.targets.clone())
            .with("labels", go_map_sorted(&config.labels))
    }

    /// One `file_sd_configs` entry.
    pub fn file_sd(&self, config: &FileSDConfig) -> Map {
        let mut cfg = Map::new().with("files", config.files.clone());
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        cfg
    }

    /// One `http_sd_configs` entry.
    pub fn http_sd(&self, config: &HTTPSDConfig) -> Map {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new();
        g.add_basic_auth(&mut cfg, ns, config.basic_auth.as_ref());
        g.add_safe_authorization(&mut cfg, ns, config.authorization.as_ref());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        g.add_proxy_config(&mut cfg, ns, &config.proxy_config());
        g.add_oauth2(&mut cfg, ns, config.oauth2.as_ref());
        cfg.push("url", config.url.as_str());
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        cfg
    }

    /// One `kubernetes_sd_configs` entry.
    pub fn kubernetes_sd(&self, config: &KubernetesSDConfig) -> Map {
        let g = self.generator;
        let mut cfg = Map::new();
        push_opt(&mut cfg, "api_server", &config.api_server);
        let role = config.role.to_lowercase();
        if config.role == "EndpointSlice" {
            g.push_min(&mut cfg, "2.21.0", "role", role.as_str());
        } else {
            cfg.push("role", role.as_str());
        }
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        if let Some(namespaces) = &config.namespaces {
            let mut out = Map::new().with("names", namespaces.names.clone());
            push_opt(&mut out, "own_namespace", &namespaces.own_namespace);
            cfg.push("namespaces", out);
        }
        if !config.selectors.is_empty() {
            let selectors: Vec<Map> = config
                .selectors
                .iter()
                .map(|s| {
                    let mut out = Map::new().with("role", s.role.to_lowercase());
                    push_opt(&mut out, "label", &s.label);
                    push_opt(&mut out, "field", &s.field);
                    out
                })
                .collect();
            g.push_min(&mut cfg, "2.17.0", "selectors", selectors);
        }
        if let Some(attach) = &config.attach_metadata {
            let node = attach.node.map_or(Yaml::Null, Yaml::Bool);
            let value = Map::new().with("node", node);
            match attach_metadata_minimum_version(&role) {
                Some(minimum) => g.push_min(&mut cfg, minimum, "attach_metadata", value),
                None => self.warn(
                    "attach_metadata",
                    format!(
                        "ignored: not supported by Prometheus for role {}",
                        config.role
                    ),
                ),
            }
        }
        cfg
    }

    /// One `consul_sd_configs` entry.
    pub fn consul_sd(&self, i: usize, config: &ConsulSDConfig) -> Result<Map, RenderError> {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        cfg.push("server", config.server.as_str());
        push_opt(&mut cfg, "path_prefix", &config.path_prefix);
        if let Some(token) = &config.token_ref {
            let field = format!("spec.consulSDConfigs[{i}].tokenRef");
            self.push_required_secret(&mut cfg, "token", token, field, READ_SECRET)?;
        }
        push_opt(&mut cfg, "datacenter", &config.datacenter);
        push_opt(&mut cfg, "namespace", &config.namespace);
        push_opt(&mut cfg, "partition", &config.partition);
        if let Some(scheme) = &config.scheme {
            cfg.push("scheme", scheme.to_lowercase());
        }
        if !config.services.is_empty() {
            cfg.push("services", config.services.clone());
        }
        if !config.tags.is_empty() {
            cfg.push("tags", config.tags.clone());
        }
        push_opt(&mut cfg, "tag_separator", &config.tag_separator);
        if !config.node_meta.is_empty() {
            cfg.push("node_meta", sorted_map(&config.node_meta));
        }
        push_opt(&mut cfg, "filter", &config.filter);
        push_opt(&mut cfg, "health_filter", &config.health_filter);
        push_opt(&mut cfg, "allow_stale", &config.allow_stale);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        Ok(cfg)
    }

    /// One `dns_sd_configs` entry.
    pub fn dns_sd(&self, config: &DNSSDConfig) -> Map {
        let mut cfg = Map::new().with("names", config.names.clone());
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        if let Some(record_type) = &config.type_ {
            let minimum = match record_type.as_str() {
                "NS" => Some("2.49.0"),
                "MX" => Some("2.38.0"),
                _ => None,
            };
            match minimum {
                Some(min) => self
                    .generator
                    .push_min(&mut cfg, min, "type", record_type.as_str()),
                None => cfg.push("type", record_type.as_str()),
            }
        }
        push_opt(&mut cfg, "port", &config.port);
        cfg
    }

    /// `access_key` and `secret_key`, rendered only when both are referenced.
    fn aws_keys(
        &self,
        cfg: &mut Map,
        field_prefix: &str,
        access_key: Option<&SecretKeySelector>,
        secret_key: Option<&SecretKeySelector>,
    ) -> Result<(), RenderError> {
        if let (Some(access), Some(secret)) = (access_key, secret_key) {
            // Upstream words a missing secret key as an "access key" too.
            let wording = ("get", "access key");
            let field = format!("{field_prefix}.accessKey");
            self.push_required_secret(cfg, "access_key", access, field, wording)?;
            let field = format!("{field_prefix}.secretKey");
            self.push_required_secret(cfg, "secret_key", secret, field, wording)?;
        }
        Ok(())
    }

    /// One `ec2_sd_configs` entry.
    pub fn ec2_sd(&self, i: usize, config: &EC2SDConfig) -> Result<Map, RenderError> {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new();
        g.add_proxy_config(&mut cfg, ns, &config.proxy_config());
        push_opt(&mut cfg, "region", &config.region);
        self.aws_keys(
            &mut cfg,
            &format!("spec.ec2SDConfigs[{i}]"),
            config.access_key.as_ref(),
            config.secret_key.as_ref(),
        )?;
        push_opt(&mut cfg, "role_arn", &config.role_arn);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "port", &config.port);
        self.add_filters(&mut cfg, &config.filters, Some("2.3.0"));
        // The HTTP client settings of EC2 discovery need Prometheus 2.41.
        if let Some(follow) = config.follow_redirects {
            g.push_min(&mut cfg, "2.41.0", "follow_redirects", follow);
        }
        if let Some(http2) = config.enable_http2 {
            g.push_min(&mut cfg, "2.41.0", "enable_http2", http2);
        }
        if config.tls_config.is_some() && g.supports_field("tls_config", "2.41.0") {
            self.add_tls(&mut cfg, config.tls_config.as_ref());
        }
        Ok(cfg)
    }

    /// One `azure_sd_configs` entry.
    pub fn azure_sd(&self, i: usize, config: &AzureSDConfig) -> Result<Map, RenderError> {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        if let Some(environment) = &config.environment {
            // Upstream starts the section afresh here, dropping the HTTP settings above.
            cfg = Map::new().with("environment", environment.as_str());
        }
        push_opt(
            &mut cfg,
            "authentication_method",
            &config.authentication_method,
        );
        if !config.subscription_id.is_empty() {
            cfg.push("subscription_id", config.subscription_id.as_str());
        }
        push_opt(&mut cfg, "tenant_id", &config.tenant_id);
        push_opt(&mut cfg, "client_id", &config.client_id);
        if let Some(secret) = &config.client_secret {
            let field = format!("spec.azureSDConfigs[{i}].clientSecret");
            let wording = ("get", "client secret");
            self.push_required_secret(&mut cfg, "client_secret", secret, field, wording)?;
        }
        push_opt(&mut cfg, "resource_group", &config.resource_group);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "port", &config.port);
        Ok(cfg)
    }

    /// One `gce_sd_configs` entry.
    pub fn gce_sd(&self, config: &GCESDConfig) -> Map {
        let mut cfg = Map::new()
            .with("project", config.project.as_str())
            .with("zone", config.zone.as_str());
        push_opt(&mut cfg, "filter", &config.filter);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "tag_separator", &config.tag_separator);
        cfg
    }

    /// One `openstack_sd_configs` entry.
    pub fn openstack_sd(&self, i: usize, config: &OpenStackSDConfig) -> Result<Map, RenderError> {
        let mut cfg = Map::new()
            .with("role", config.role.to_lowercase())
            .with("region", config.region.as_str());
        push_opt(&mut cfg, "identity_endpoint", &config.identity_endpoint);
        push_opt(&mut cfg, "username", &config.username);
        push_opt(&mut cfg, "userid", &config.userid);
        if let Some(password) = &config.password {
            let field = format!("spec.openstackSDConfigs[{i}].password");
            self.push_required_secret(&mut cfg, "password", password, field, READ_SECRET)?;
        }
        push_opt(&mut cfg, "domain_name", &config.domain_name);
        push_opt(&mut cfg, "domain_id", &config.domain_id);
        push_opt(&mut cfg, "project_name", &config.project_name);
        push_opt(&mut cfg, "project_id", &config.project_id);
        push_opt(
            &mut cfg,
            "application_credential_name",
            &config.application_credential_name,
        );
        push_opt(
            &mut cfg,
            "application_credential_id",
            &config.application_credential_id,
        );
        if let Some(secret) = &config.application_credential_secret {
            let field = format!("spec.openstackSDConfigs[{i}].applicationCredentialSecret");
            let key = "application_credential_secret";
            self.push_required_secret(&mut cfg, key, secret, field, READ_SECRET)?;
        }
        push_opt(&mut cfg, "all_tenants", &config.all_tenants);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "availability", &config.availability);
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        Ok(cfg)
    }

    /// One `digitalocean_sd_configs` entry.
    pub fn digitalocean_sd(&self, config: &DigitalOceanSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_authorization_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        cfg
    }

    /// One `kuma_sd_configs` entry.
    pub fn kuma_sd(&self, config: &KumaSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        cfg.push("server", config.server.as_str());
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "fetch_timeout", &config.fetch_timeout);
        push_opt(&mut cfg, "client_id", &config.client_id);
        cfg
    }

    /// One `eureka_sd_configs` entry.
    pub fn eureka_sd(&self, config: &EurekaSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        if !config.server.is_empty() {
            cfg.push("server", config.server.as_str());
        }
        cfg
    }

    /// One `docker_sd_configs` entry.
    pub fn docker_sd(&self, config: &DockerSDConfig) -> Map {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new();
        self.add_authorization_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        g.add_basic_auth(&mut cfg, ns, config.basic_auth.as_ref());
        self.add_filters(&mut cfg, &config.filters, None);
        cfg.push("host", config.host.as_str());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(
            &mut cfg,
            "host_networking_host",
            &config.host_networking_host,
        );
        if let Some(first) = config.match_first_network {
            g.push_min(&mut cfg, "2.54.1", "match_first_network", first);
        }
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        cfg
    }

    /// One `linode_sd_configs` entry.
    pub fn linode_sd(&self, config: &LinodeSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_authorization_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "region", &config.region);
        push_opt(&mut cfg, "enable_http2", &config.enable_http2);
        push_opt(&mut cfg, "tag_separator", &config.tag_separator);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "follow_redirects", &config.follow_redirects);
        cfg
    }

    /// One `hetzner_sd_configs` entry.
    pub fn hetzner_sd(&self, config: &HetznerSDConfig) -> Map {
        let g = self.generator;
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        cfg.push("role", config.role.to_lowercase());
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        if let Some(selector) = config.label_selector.as_deref().filter(|s| !s.is_empty()) {
            g.push_min(&mut cfg, "3.5.0", "label_selector", selector);
        }
        cfg
    }

    /// One `nomad_sd_configs` entry.
    pub fn nomad_sd(&self, config: &NomadSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        cfg.push("server", config.server.as_str());
        push_opt(&mut cfg, "allow_stale", &config.allow_stale);
        push_opt(&mut cfg, "namespace", &config.namespace);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "region", &config.region);
        push_opt(&mut cfg, "tag_separator", &config.tag_separator);
        self.add_http_options_and_tls(&mut cfg, config.sd_http_client());
        cfg
    }

    /// One `dockerswarm_sd_configs` entry.
    pub fn docker_swarm_sd(&self, config: &DockerSwarmSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        self.add_filters(&mut cfg, &config.filters, None);
        cfg.push("host", config.host.as_str());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        cfg.push("role", config.role.to_lowercase());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        cfg
    }

    /// One `puppetdb_sd_configs` entry.
    pub fn puppetdb_sd(&self, config: &PuppetDBSDConfig) -> Map {
        let mut cfg = Map::new();
        self.add_client_auth_and_proxy(&mut cfg, config.client_auth(), &config.proxy_config());
        cfg.push("url", config.url.as_str());
        cfg.push("query", config.query.as_str());
        push_opt(&mut cfg, "include_parameters", &config.include_parameters);
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        push_opt(&mut cfg, "follow_redirects", &config.follow_redirects);
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        push_opt(&mut cfg, "enable_http2", &config.enable_http2);
        cfg
    }

    /// One `lightsail_sd_configs` entry.
    pub fn lightsail_sd(&self, i: usize, config: &LightSailSDConfig) -> Result<Map, RenderError> {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new();
        g.add_basic_auth(&mut cfg, ns, config.basic_auth.as_ref());
        g.add_safe_authorization(&mut cfg, ns, config.authorization.as_ref());
        g.add_proxy_config(&mut cfg, ns, &config.proxy_config());
        g.add_oauth2(&mut cfg, ns, config.oauth2.as_ref());
        push_opt(&mut cfg, "region", &config.region);
        push_opt(&mut cfg, "endpoint", &config.endpoint);
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        self.aws_keys(
            &mut cfg,
            &format!("spec.lightSailSDConfigs[{i}]"),
            config.access_key.as_ref(),
            config.secret_key.as_ref(),
        )?;
        push_opt(&mut cfg, "role_arn", &config.role_arn);
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        Ok(cfg)
    }

    /// One `ovhcloud_sd_configs` entry.
    pub fn ovhcloud_sd(&self, config: &OVHCloudSDConfig) -> Map {
        let mut cfg = Map::new()
            .with("application_key", config.application_key.as_str())
            .with(
                "application_secret",
                self.optional_secret(&config.application_secret),
            )
            .with("consumer_key", self.optional_secret(&config.consumer_key));
        match config.service.as_str() {
            "VPS" => cfg.push("service", Yaml::fixed("vps")),
            "DedicatedServer" => cfg.push("service", Yaml::fixed("dedicated_server")),
            other => self.warn(
                "service",
                format!("ignored: service {other:?} is not supported by Prometheus"),
            ),
        }
        push_opt(&mut cfg, "endpoint", &config.endpoint);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        cfg
    }

    /// One `scaleway_sd_configs` entry.
    pub fn scaleway_sd(&self, config: &ScalewaySDConfig) -> Map {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new()
            .with("access_key", config.access_key.as_str())
            .with("secret_key", self.optional_secret(&config.secret_key))
            .with("project_id", config.project_id.as_str())
            .with("role", config.role.to_lowercase());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "api_url", &config.api_url);
        push_opt(&mut cfg, "zone", &config.zone);
        push_opt(&mut cfg, "name_filter", &config.name_filter);
        if !config.tags_filter.is_empty() {
            cfg.push("tags_filter", config.tags_filter.clone());
        }
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        g.add_proxy_config(&mut cfg, ns, &config.proxy_config());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        cfg
    }

    /// One `ionos_sd_configs` entry.
    pub fn ionos_sd(&self, config: &IonosSDConfig) -> Map {
        let g = self.generator;
        let ns = self.namespace;
        let mut cfg = Map::new();
        if config.oauth2.is_none() {
            g.add_safe_authorization(&mut cfg, ns, Some(&config.authorization));
        }
        g.add_oauth2(&mut cfg, ns, config.oauth2.as_ref());
        g.add_proxy_config(&mut cfg, ns, &config.proxy_config());
        self.add_tls(&mut cfg, config.tls_config.as_ref());
        cfg.push("datacenter_id", config.datacenter_id.as_str());
        push_follow_redirects_and_http2(&mut cfg, config.sd_http_client());
        push_opt(&mut cfg, "port", &config.port);
        push_opt(&mut cfg, "refresh_interval", &config.refresh_interval);
        cfg
    }
}
