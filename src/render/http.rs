//! HTTP client settings of scrape jobs and other endpoints: TLS, basic auth, authorization,
//! OAuth2, proxy, SigV4 and the HTTP flags. Mirrors upstream `addSafeTLStoYaml`,
//! `addTLStoYaml`, `addBasicAuthToYaml`, `addSafeAuthorizationToYaml`,
//! `addAuthorizationToYaml`, `addOAuth2ToYaml`, `addProxyConfigtoYaml`, `addSigv4ToYaml` and
//! `addHTTPConfigToYAML`.
//!
//! Every helper takes the namespace that Secret and ConfigMap references resolve in (the
//! referencing object's namespace).

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::Generator;
use super::relabeling::merge_safe_tls_config_with_scrape_class;
use crate::monitoring::v1::common::{
    Authorization, BasicAuth, OAuth2, ProxyConfig, SafeAuthorization, ScrapeClass,
    SecretOrConfigMap, Sigv4,
};
use crate::monitoring::v1::tls::{SafeTLSConfig, TLSConfig};
use crate::yaml::go_map_sorted;
use crate::yaml::{Map, Yaml};

/// Directory where the operator mounts TLS material referenced by resources.
pub(crate) const TLS_ASSETS_DIR: &str = "/etc/prometheus/certs";

/// `TLS_ASSETS_DIR/<asset name>`.
fn tls_asset_path(namespace: &str, selector: &SecretOrConfigMap) -> String {
    format!("{TLS_ASSETS_DIR}/{}", selector.tls_asset_key(namespace))
}

impl Generator<'_> {
    /// The value of a Secret key (upstream `store.GetSecretKey`); `None` when missing.
    pub fn secret_key(&self, namespace: &str, selector: &SecretKeySelector) -> Option<String> {
        if !self.store_holds(false, namespace, &selector.name) {
            return None;
        }
        self.snapshot
            .secret_value(namespace, &selector.name, &selector.key)
    }

    /// The value behind a Secret-or-ConfigMap reference (upstream
    /// `store.GetSecretOrConfigMapKey`); an empty reference reads as `""`.
    pub fn secret_or_config_map_key(
        &self,
        namespace: &str,
        selector: &SecretOrConfigMap,
    ) -> Option<String> {
        match (&selector.secret, &selector.config_map) {
            (Some(s), _) => self.secret_key(namespace, s),
            (None, Some(c)) => self
                .store_holds(true, namespace, &c.name)
                .then(|| self.snapshot.config_map_value(namespace, &c.name, &c.key))
                .flatten(),
            (None, None) => Some(String::new()),
        }
    }

    /// `basic_auth`: missing Secrets read as empty strings, as upstream.
    pub fn add_basic_auth(&self, cfg: &mut Map, namespace: &str, basic_auth: Option<&BasicAuth>) {
        let Some(basic_auth) = basic_auth else {
            return;
        };
        let username = self
            .secret_key(namespace, &basic_auth.username)
            .unwrap_or_default();
        let password = self
            .secret_key(namespace, &basic_auth.password)
            .unwrap_or_default();
        cfg.push(
            "basic_auth",
            Map::new()
                .with("username", username)
                .with("password", password),
        );
    }

    /// `sigv4`.
    pub fn add_sigv4(&self, cfg: &mut Map, namespace: &str, sigv4: Option<&Sigv4>) {
        let Some(sigv4) = sigv4 else {
            return;
        };
        let mut out = Map::new();
        if !sigv4.region.is_empty() {
            out.push("region", sigv4.region.as_str());
        }
        if let (Some(ak), Some(sk)) = (&sigv4.access_key, &sigv4.secret_key) {
            let ak = self.secret_key(namespace, ak).unwrap_or_default();
            let sk = self.secret_key(namespace, sk).unwrap_or_default();
            if !ak.is_empty() && !sk.is_empty() {
                out.push("access_key", ak);
                out.push("secret_key", sk);
            }
        }
        if !sigv4.profile.is_empty() {
            out.push("profile", sigv4.profile.as_str());
        }
        if !sigv4.role_arn.is_empty() {
            out.push("role_arn", sigv4.role_arn.as_str());
        }
        if !sigv4.external_id.is_empty() {
            self.push_min(
                &mut out,
                "3.11.0",
                "external_id",
                sigv4.external_id.as_str(),
            );
        }
        if let Some(fips) = sigv4.use_fips_sts_endpoint {
            self.push_min(&mut out, "2.54.0", "use_fips_sts_endpoint", fips);
        }
        cfg.push("sigv4", out);
    }

    /// The body of an `authorization` section from its Secret-based part.
    fn safe_authorization_body(&self, namespace: &str, auth: &SafeAuthorization) -> Map {
        let kind = if auth.type_.is_empty() {
            "Bearer"
        } else {
            auth.type_.trim()
        };
        let mut out = Map::new().with("type", kind);
        if let Some(credentials) = &auth.credentials
            && let Some(value) = self.secret_key(namespace, credentials)
        {
            out.push("credentials", value);
        }
        out
    }

    /// `authorization` from a Secret-only authorization.
    pub fn add_safe_authorization(
        &self,
        cfg: &mut Map,
        namespace: &str,
        auth: Option<&SafeAuthorization>,
    ) {
        let Some(auth) = auth else {
            return;
        };
        let body = self.safe_authorization_body(namespace, auth);
        self.push_min(cfg, "2.26.0", "authorization", body);
    }

    /// `authorization`, which may also name a credentials file.
    pub fn add_authorization(&self, cfg: &mut Map, namespace: &str, auth: Option<&Authorization>) {
        let Some(auth) = auth else {
            return;
        };
        let mut body = self.safe_authorization_body(namespace, &auth.safe());
        if !auth.credentials_file.is_empty() {
            body.push("credentials_file", auth.credentials_file.as_str());
        }
        self.push_min(cfg, "2.26.0", "authorization", body);
    }

    /// `proxy_url`, `no_proxy`, `proxy_from_environment`, `proxy_connect_header`.
    pub fn add_proxy_config(&self, cfg: &mut Map, namespace: &str, proxy: &ProxyConfig) {
        if proxy.is_empty() {
            return;
        }
        if let Some(url) = &proxy.proxy_url {
            cfg.push("proxy_url", url.as_str());
        }
        if let Some(no_proxy) = &proxy.no_proxy {
            self.push_min(cfg, "2.43.0", "no_proxy", no_proxy.as_str());
        }
        if let Some(from_env) = proxy.proxy_from_environment {
            self.push_min(cfg, "2.43.0", "proxy_from_environment", from_env);
        }
        if !proxy.proxy_connect_header.is_empty() {
            let headers: Map = proxy
                .proxy_connect_header
                .iter()
                .map(|(name, selectors)| {
                    let values: Vec<Yaml> = selectors
                        .iter()
                        .map(|s| Yaml::from(self.secret_key(namespace, s).unwrap_or_default()))
                        .collect();
                    (name.clone(), Yaml::Seq(values))
                })
                .collect();
            self.push_min(cfg, "2.43.0", "proxy_connect_header", headers);
        }
    }

    /// The body of a `tls_config` section from its Secret/ConfigMap part: file paths under
    /// the operator's TLS assets directory, or the material itself with inline TLS.
    fn safe_tls_body(&self, namespace: &str, tls: &SafeTLSConfig) -> Map {
        let inline = self.options.inline_tls_config;
        let mut out = Map::new();
        if let Some(skip) = tls.insecure_skip_verify {
            out.push("insecure_skip_verify", skip);
        }
        if !tls.ca.is_empty() {
            if inline {
                if let Some(ca) = self.secret_or_config_map_key(namespace, &tls.ca) {
                    out.push("ca", ca);
                }
            } else {
                out.push("ca_file", tls_asset_path(namespace, &tls.ca));
            }
        }
        if !tls.cert.is_empty() {
            if inline {
                if let Some(cert) = self.secret_or_config_map_key(namespace, &tls.cert) {
                    out.push("cert", cert);
                }
            } else {
                out.push("cert_file", tls_asset_path(namespace, &tls.cert));
            }
        }
        if let Some(key) = &tls.key_secret {
            if inline {
                if let Some(value) = self.secret_key(namespace, key) {
                    out.push("key", value);
                }
            } else {
                let selector = SecretOrConfigMap {
                    secret: Some(key.clone()),
                    config_map: None,
                };
                out.push("key_file", tls_asset_path(namespace, &selector));
            }
        }
        if let Some(server_name) = tls.server_name.as_deref().filter(|s| !s.is_empty()) {
            out.push("server_name", server_name);
        }
        if let Some(min) = &tls.min_version {
            self.push_min(&mut out, "2.35.0", "min_version", min.as_str());
        }
        if let Some(max) = &tls.max_version {
            self.push_min(&mut out, "2.41.0", "max_version", max.as_str());
        }
        out
    }

    /// `tls_config` from Secret/ConfigMap references only.
    pub fn add_safe_tls(&self, cfg: &mut Map, namespace: &str, tls: Option<&SafeTLSConfig>) {
        let Some(tls) = tls else {
            return;
        };
        cfg.push("tls_config", self.safe_tls_body(namespace, tls));
    }

    /// `tls_config` that may also name files in the Prometheus container.
    pub fn add_tls(&self, cfg: &mut Map, namespace: &str, tls: Option<&TLSConfig>) {
        let Some(tls) = tls else {
            return;
        };
        let mut body = self.safe_tls_body(namespace, &tls.safe());
        if !tls.ca_file.is_empty() {
            body.push("ca_file", tls.ca_file.as_str());
        }
        if !tls.cert_file.is_empty() {
            body.push("cert_file", tls.cert_file.as_str());
        }
        if !tls.key_file.is_empty() {
            body.push("key_file", tls.key_file.as_str());
        }
        cfg.push("tls_config", body);
    }

    /// `oauth2`; left out entirely when the client ID or secret cannot be read.
    pub fn add_oauth2(&self, cfg: &mut Map, namespace: &str, oauth2: Option<&OAuth2>) {
        let Some(oauth2) = oauth2 else {
            return;
        };
        let Some(client_id) = self.secret_or_config_map_key(namespace, &oauth2.client_id) else {
            return;
        };
        let Some(client_secret) = self.secret_key(namespace, &oauth2.client_secret) else {
            return;
        };
        let mut out = Map::new()
            .with("client_id", client_id)
            .with("client_secret", client_secret)
            .with("token_url", oauth2.token_url.as_str());
        if !oauth2.scopes.is_empty() {
            out.push("scopes", oauth2.scopes.clone());
        }
        if !oauth2.endpoint_params.is_empty() {
            out.push("endpoint_params", go_map_sorted(&oauth2.endpoint_params));
        }
        let proxy = oauth2.proxy_config();
        if !proxy.is_empty() && self.supports_field("oauth2 proxy settings", "2.43.0") {
            self.add_proxy_config(&mut out, namespace, &proxy);
        }
        if oauth2.tls_config.is_some() && self.supports_field("oauth2 tls_config", "2.43.0") {
            self.add_safe_tls(&mut out, namespace, oauth2.tls_config.as_ref());
        }
        self.push_min(cfg, "2.27.0", "oauth2", out);
    }

    /// `follow_redirects`, `enable_http2` and `tls_config` (the latter merged with the scrape
    /// class), as upstream `addHTTPConfigToYAML` does for PodMonitor and Probe.
    pub fn add_http_config(
        &self,
        cfg: &mut Map,
        namespace: &str,
        follow_redirects: Option<bool>,
        enable_http2: Option<bool>,
        tls: Option<&SafeTLSConfig>,
        scrape_class: &ScrapeClass,
    ) {
        if let Some(follow) = follow_redirects {
            self.push_min(cfg, "2.26.0", "follow_redirects", follow);
        }
        if let Some(http2) = enable_http2 {
            self.push_min(cfg, "2.35.0", "enable_http2", http2);
        }
        let merged = merge_safe_tls_config_with_scrape_class(tls, scrape_class);
        self.add_tls(cfg, namespace, merged.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::OperatorOptions;
    use crate::render::service_monitor::tests::{generator, keys};
    use crate::snapshot::Snapshot;

    fn snapshot_with_secret() -> Snapshot {
        let secret: k8s_openapi::api::core::v1::Secret = crate::yaml::from_str(
            "metadata: {namespace: ns, name: creds}
stringData: {user: alice, token: abc, ca: PEM}
",
        )
        .unwrap();
        Snapshot {
            secrets: vec![secret],
            ..Snapshot::default()
        }
    }

    fn selector(key: &str) -> SecretKeySelector {
        SecretKeySelector {
            name: "creds".into(),
            key: key.into(),
            optional: None,
        }
    }

    #[test]
    fn missing_secrets_render_as_upstream_does() {
        let snapshot = snapshot_with_secret();
        let (common, options) = Default::default();
        let g = generator(&common, &options, &snapshot);
        let mut cfg = Map::new();
        g.add_basic_auth(
            &mut cfg,
            "ns",
            Some(&BasicAuth {
                username: selector("user"),
                password: selector("missing"),
            }),
        );
        g.add_safe_authorization(
            &mut cfg,
            "ns",
            Some(&SafeAuthorization {
                type_: String::new(),
                credentials: Some(selector("missing")),
            }),
        );
        g.add_oauth2(
            &mut cfg,
            "ns",
            Some(&OAuth2 {
                client_secret: selector("missing"),
                ..OAuth2::default()
            }),
        );
        assert_eq!(keys(&cfg), ["basic_auth", "authorization"]);
        let basic = cfg.get("basic_auth").and_then(Yaml::as_map).unwrap();
        assert_eq!(basic.get("username"), Some(&Yaml::from("alice")));
        assert_eq!(basic.get("password"), Some(&Yaml::from("")));
        let auth = cfg.get("authorization").and_then(Yaml::as_map).unwrap();
        assert_eq!(keys(auth), ["type"]);
        assert_eq!(auth.get("type"), Some(&Yaml::from("Bearer")));
    }

    #[test]
    fn tls_is_mounted_or_inlined() {
        let snapshot = snapshot_with_secret();
        let tls = TLSConfig {
            ca: SecretOrConfigMap {
                secret: Some(selector("ca")),
                config_map: None,
            },
            key_file: "/k".into(),
            insecure_skip_verify: Some(true),
            ..TLSConfig::default()
        };
        let common = Default::default();
        let mounted = OperatorOptions::default();
        let mut cfg = Map::new();
        generator(&common, &mounted, &snapshot).add_tls(&mut cfg, "ns", Some(&tls));
        let body = cfg.get("tls_config").and_then(Yaml::as_map).unwrap();
        assert_eq!(keys(body), ["insecure_skip_verify", "ca_file", "key_file"]);
        assert_eq!(
            body.get("ca_file"),
            Some(&Yaml::from("/etc/prometheus/certs/0_ns_creds_ca"))
        );

        let inline = OperatorOptions {
            inline_tls_config: true,
            ..OperatorOptions::default()
        };
        let mut cfg = Map::new();
        generator(&common, &inline, &snapshot).add_tls(&mut cfg, "ns", Some(&tls));
        let body = cfg.get("tls_config").and_then(Yaml::as_map).unwrap();
        assert_eq!(body.get("ca"), Some(&Yaml::from("PEM")));
    }
}
