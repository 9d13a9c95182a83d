//! Groups of fields that several API types inline, each declared once.
//!
//! Upstream embeds small Go structs with `json:",inline"` (`ProxyConfig`,
//! `NativeHistogramConfig`, the scrape limits, ...). `#[serde(flatten)]` would defeat the
//! unknown-field reporting of the decode path, so [`inline_fields!`] splices the fields of
//! a named group into the struct instead, and gives the struct an accessor that gathers
//! them into the group's own type where one exists.

/// Declares a struct whose body may name field groups as `..group,` between its own fields.
///
/// Groups and the accessor each one adds:
/// - `proxy`: `proxy_url` .. `proxy_connect_header`; `proxy_config()` → `ProxyConfig`.
/// - `native_histograms`: the native histogram settings; `native_histogram_config()` →
///   `NativeHistogramConfig`.
/// - `scrape_limits`: the six per-job limits; `scrape_limits()` → `ScrapeLimits`. The
///   Prometheus specs' flat field list takes the same six through `@scrape_limit_fields`.
/// - `monitor_scrape_settings`: `scrape_limits`, the scrape protocols and
///   `native_histograms`, as monitors inline them; `monitor_scrape_settings()` → a borrowed
///   `MonitorScrapeSettings`.
/// - `monitor_selection`: what a ServiceMonitor and a PodMonitor spec share after their
///   endpoints, from `selector` to `body_size_limit`, `monitor_scrape_settings` among them;
///   `monitor_selection()` → a borrowed `MonitorSelection`.
/// - `client_auth`: `basic_auth`, `authorization`, `oauth2`; `client_auth()` → a borrowed
///   `ClientAuth`.
/// - `authorization_oauth2`: `authorization`, `oauth2`; `client_auth()` → a borrowed
///   `ClientAuth` without basic auth.
/// - `remote_client_auth`: the credentials and TLS of a remote write or read endpoint;
///   `remote_client_auth()` → a borrowed `RemoteClientAuth`.
/// - `notifier`: `send_resolved`, what Alertmanager's `NotifierConfig` gives every receiver.
/// - `aws_auth`: region, keys and role of the AWS discovery configs (EC2, Lightsail).
/// - `sd_http_client`: `tls_config`, `follow_redirects`, `enable_http2` of a discovery config;
///   `sd_http_client()` → a borrowed `SDHTTPClient`.
/// - `http_config_without_tls(T)`: upstream's `HTTPConfigWithoutTLS`, `oauth2` held as
///   `Option<T>` (boxed in scrape endpoints, to keep them small).
/// - `safe_tls`: TLS material from Secrets and ConfigMaps, and the checks; `safe()` →
///   `SafeTLSConfig`.
/// - `tls_files`: TLS material from files; `files()` → `TLSFilesConfig`.
/// - `endpoint_scrape`: what a ServiceMonitor and a PodMonitor endpoint scrape, and how;
///   `endpoint_scrape()` → a borrowed `EndpointScrape`.
///
/// Every such struct is an API type: it derives what they all derive and reads camelCase.
/// `pub struct Name = ..group;` declares the group's own type: its fields, no accessor.
macro_rules! inline_fields {
    ($(#[$attr:meta])* pub struct $name:ident = ..$group:ident;) => {
        $crate::monitoring::inline_fields!(@munch [$(#[$attr])*] $name [] [@own_type] ..$group,);
    };
    ($(#[$attr:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $crate::monitoring::inline_fields!(@munch [$(#[$attr])*] $name [] [] $($body)*);
    };

    // All fields gathered: the struct, then one accessor per group.
    (@munch $attrs:tt $name:ident $fields:tt [@own_type $($group:ident)*]) => {
        $crate::monitoring::inline_fields!(@struct $attrs $name $fields);
    };
    (@munch $attrs:tt $name:ident $fields:tt [$($group:ident)*]) => {
        $crate::monitoring::inline_fields!(@struct $attrs $name $fields);
        $($crate::monitoring::inline_fields!(@accessor $name $group);)*
    };
    (@struct [$($attr:tt)*] $name:ident [$($fields:tt)*]) => {
        $($attr)*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name { $($fields)* }
    };
    // One field of the struct's own.
    (@munch $attrs:tt $name:ident [$($fields:tt)*] $groups:tt
        $(#[$field_attr:meta])* pub $field:ident : $ty:ty, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name
            [$($fields)* $(#[$field_attr])* pub $field: $ty,] $groups $($rest)*);
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*] ..proxy, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// `proxy_url`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub proxy_url: Option<String>,
            /// `no_proxy`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub no_proxy: Option<String>,
            /// `proxy_from_environment`.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub proxy_from_environment: Option<bool>,
            /// `proxy_connect_header`, values read from Secrets.
            #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
            pub proxy_connect_header: std::collections::BTreeMap<
                String,
                Vec<k8s_openapi::api::core::v1::SecretKeySelector>,
            >,
        ] [$($groups)* proxy] $($rest)*);
    };
    (@accessor $name:ident proxy) => {
        impl $name {
            /// The inlined proxy fields as one [`ProxyConfig`](crate::monitoring::v1::common::ProxyConfig).
            pub fn proxy_config(&self) -> $crate::monitoring::v1::common::ProxyConfig {
                $crate::monitoring::v1::common::ProxyConfig {
                    proxy_url: self.proxy_url.clone(),
                    no_proxy: self.no_proxy.clone(),
                    proxy_from_environment: self.proxy_from_environment,
                    proxy_connect_header: self.proxy_connect_header.clone(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..native_histograms, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// `scrape_native_histograms`.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub scrape_native_histograms: Option<bool>,
            /// `always_scrape_classic_histograms`: keep classic histograms beside native ones.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub scrape_classic_histograms: Option<bool>,
            /// `native_histogram_bucket_limit`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub native_histogram_bucket_limit: Option<i64>,
            /// `native_histogram_min_bucket_factor`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub native_histogram_min_bucket_factor:
                Option<k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
            /// `convert_classic_histograms_to_nhcb`.
            #[serde(
                default,
                rename = "convertClassicHistogramsToNHCB",
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub convert_classic_histograms_to_nhcb: Option<bool>,
        ] [$($groups)* native_histograms] $($rest)*);
    };
    (@accessor $name:ident native_histograms) => {
        impl $name {
            /// The inlined native histogram settings as one
            /// [`NativeHistogramConfig`](crate::monitoring::v1::common::NativeHistogramConfig).
            pub fn native_histogram_config(
                &self,
            ) -> $crate::monitoring::v1::common::NativeHistogramConfig {
                $crate::monitoring::v1::common::NativeHistogramConfig {
                    scrape_native_histograms: self.scrape_native_histograms,
                    scrape_classic_histograms: self.scrape_classic_histograms,
                    native_histogram_bucket_limit: self.native_histogram_bucket_limit,
                    native_histogram_min_bucket_factor: self
                        .native_histogram_min_bucket_factor
                        .clone(),
                    convert_classic_histograms_to_nhcb: self.convert_classic_histograms_to_nhcb,
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..scrape_limits, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@scrape_limit_fields
            [$crate::monitoring::inline_fields!] [@munch $attrs $name] [$($fields)*] []
            [$($groups)* scrape_limits] $($rest)*);
    };
    // The six limits spliced between `$before` and `$after` in a bracketed field list, handed
    // to `$macro` between `$head` and `$tail`; `CommonPrometheusFields` takes them so too.
    (@scrape_limit_fields [$($macro:tt)*] [$($head:tt)*] [$($before:tt)*] [$($after:tt)*]
        $($tail:tt)*) => {
        $($macro)* { $($head)* [$($before)*
            /// Per-scrape sample limit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sample_limit: Option<i64>,
            /// Target limit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub target_limit: Option<i64>,
            /// Per-scrape label count limit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub label_limit: Option<i64>,
            /// Per-scrape label name length limit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub label_name_length_limit: Option<i64>,
            /// Per-scrape label value length limit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub label_value_length_limit: Option<i64>,
            /// How many dropped targets to keep in memory.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub keep_dropped_targets: Option<i64>,
        $($after)*] $($tail)* }
    };
    (@accessor $name:ident scrape_limits) => {
        impl $name {
            /// The inlined limits as one
            /// [`ScrapeLimits`](crate::monitoring::v1::common::ScrapeLimits).
            pub fn scrape_limits(&self) -> $crate::monitoring::v1::common::ScrapeLimits {
                $crate::monitoring::v1::common::ScrapeLimits {
                    sample_limit: self.sample_limit,
                    target_limit: self.target_limit,
                    label_limit: self.label_limit,
                    label_name_length_limit: self.label_name_length_limit,
                    label_value_length_limit: self.label_value_length_limit,
                    keep_dropped_targets: self.keep_dropped_targets,
                }
            }
        }
    };

    // Made of two other groups, which it hands back to the muncher.
    (@munch $attrs:tt $name:ident $fields:tt [$($groups:tt)*]
        ..monitor_scrape_settings, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name $fields
            [$($groups)* monitor_scrape_settings]
            ..scrape_limits,
            /// Scrape protocols to negotiate.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub scrape_protocols: Vec<$crate::monitoring::v1::common::ScrapeProtocol>,
            /// Protocol used when the content type is unknown.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub fallback_scrape_protocol: Option<$crate::monitoring::v1::common::ScrapeProtocol>,
            ..native_histograms,
            $($rest)*);
    };
    (@accessor $name:ident monitor_scrape_settings) => {
        impl $name {
            /// The inlined scrape settings, borrowed.
            pub fn monitor_scrape_settings(
                &self,
            ) -> $crate::monitoring::v1::common::MonitorScrapeSettings<'_> {
                $crate::monitoring::v1::common::MonitorScrapeSettings {
                    limits: self.scrape_limits(),
                    native_histograms: self.native_histogram_config(),
                    protocols: &self.scrape_protocols,
                    fallback_protocol: self.fallback_scrape_protocol.as_ref(),
                }
            }
        }
    };

    // Also made of another group, `monitor_scrape_settings`, handed back to the muncher.
    (@munch $attrs:tt $name:ident $fields:tt [$($groups:tt)*]
        ..monitor_selection, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name $fields
            [$($groups)* monitor_selection]
            /// Selects the Services or Pods.
            #[serde(default)]
            pub selector: k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
            /// `RelabelConfig` (default) or `RoleSelector`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub selector_mechanism: Option<String>,
            /// Namespaces the Services or Pods are looked up in.
            #[serde(default)]
            pub namespace_selector: $crate::monitoring::v1::common::NamespaceSelector,
            ..monitor_scrape_settings,
            /// Metadata attached to discovered targets.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub attach_metadata: Option<$crate::monitoring::v1::common::AttachMetadata>,
            /// Scrape class to apply.
            #[serde(
                default,
                rename = "scrapeClass",
                skip_serializing_if = "Option::is_none"
            )]
            pub scrape_class_name: Option<String>,
            /// Maximum uncompressed response body size.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub body_size_limit: Option<$crate::monitoring::v1::common::ByteSize>,
            $($rest)*);
    };
    (@accessor $name:ident monitor_selection) => {
        impl $name {
            /// The inlined selection and job-wide settings, borrowed.
            pub fn monitor_selection(&self) -> $crate::monitoring::v1::common::MonitorSelection<'_> {
                $crate::monitoring::v1::common::MonitorSelection {
                    selector: &self.selector,
                    selector_mechanism: self.selector_mechanism.as_deref(),
                    namespace_selector: &self.namespace_selector,
                    scrape_settings: self.monitor_scrape_settings(),
                    attach_metadata: self.attach_metadata.as_ref(),
                    scrape_class_name: self.scrape_class_name.as_deref(),
                    body_size_limit: self.body_size_limit.as_deref(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..client_auth, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// Basic authentication.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub basic_auth: Option<$crate::monitoring::v1::common::BasicAuth>,
            /// Authorization header.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub authorization: Option<$crate::monitoring::v1::common::SafeAuthorization>,
            /// OAuth 2.0.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub oauth2: Option<$crate::monitoring::v1::common::OAuth2>,
        ] [$($groups)* client_auth] $($rest)*);
    };
    (@accessor $name:ident client_auth) => {
        impl $name {
            /// The inlined client authentication, borrowed.
            pub fn client_auth(&self) -> $crate::monitoring::v1::common::ClientAuth<'_> {
                $crate::monitoring::v1::common::ClientAuth {
                    basic_auth: self.basic_auth.as_ref(),
                    authorization: self.authorization.as_ref(),
                    oauth2: self.oauth2.as_ref(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..authorization_oauth2, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// Authorization header.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub authorization: Option<$crate::monitoring::v1::common::SafeAuthorization>,
            /// OAuth 2.0.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub oauth2: Option<$crate::monitoring::v1::common::OAuth2>,
        ] [$($groups)* authorization_oauth2] $($rest)*);
    };
    (@accessor $name:ident authorization_oauth2) => {
        impl $name {
            /// The inlined client authentication, borrowed; there is no basic auth.
            pub fn client_auth(&self) -> $crate::monitoring::v1::common::ClientAuth<'_> {
                $crate::monitoring::v1::common::ClientAuth {
                    basic_auth: None,
                    authorization: self.authorization.as_ref(),
                    oauth2: self.oauth2.as_ref(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..remote_client_auth, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// OAuth2.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub oauth2: Option<$crate::monitoring::v1::common::OAuth2>,
            /// Basic authentication.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub basic_auth: Option<$crate::monitoring::v1::common::BasicAuth>,
            /// Bearer token file.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub bearer_token_file: Option<String>,
            /// Authorization header.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub authorization: Option<$crate::monitoring::v1::common::Authorization>,
            /// Bearer token.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub bearer_token: Option<String>,
            /// TLS settings.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tls_config: Option<$crate::monitoring::v1::tls::TLSConfig>,
        ] [$($groups)* remote_client_auth] $($rest)*);
    };
    (@accessor $name:ident remote_client_auth) => {
        impl $name {
            /// The inlined credentials and TLS, borrowed.
            pub fn remote_client_auth(
                &self,
            ) -> $crate::monitoring::v1::prometheus::RemoteClientAuth<'_> {
                $crate::monitoring::v1::prometheus::RemoteClientAuth {
                    oauth2: self.oauth2.as_ref(),
                    basic_auth: self.basic_auth.as_ref(),
                    bearer_token_file: self.bearer_token_file.as_deref(),
                    authorization: self.authorization.as_ref(),
                    bearer_token: self.bearer_token.as_deref(),
                    tls_config: self.tls_config.as_ref(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..notifier, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// Whether to notify about resolved alerts (`sendResolved`).
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub send_resolved: Option<bool>,
        ] [$($groups)* notifier] $($rest)*);
    };
    (@accessor $name:ident notifier) => {};

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..sd_http_client, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// TLS settings.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tls_config: Option<$crate::monitoring::v1::tls::SafeTLSConfig>,
            /// Whether to follow HTTP 3xx redirects.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub follow_redirects: Option<bool>,
            /// Whether to enable HTTP/2.
            #[serde(
                rename = "enableHTTP2",
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub enable_http2: Option<bool>,
        ] [$($groups)* sd_http_client] $($rest)*);
    };
    (@accessor $name:ident sd_http_client) => {
        impl $name {
            /// The inlined HTTP client settings, borrowed.
            pub fn sd_http_client(
                &self,
            ) -> $crate::monitoring::v1alpha1::scrape_config::SDHTTPClient<'_> {
                $crate::monitoring::v1alpha1::scrape_config::SDHTTPClient {
                    tls_config: self.tls_config.as_ref(),
                    follow_redirects: self.follow_redirects,
                    enable_http2: self.enable_http2,
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..aws_auth, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// AWS region.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub region: Option<String>,
            /// AWS access key.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub access_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
            /// AWS secret key.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub secret_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
            /// AWS role ARN.
            #[serde(rename = "roleARN", default, skip_serializing_if = "Option::is_none")]
            pub role_arn: Option<String>,
        ] [$($groups)* aws_auth] $($rest)*);
    };
    (@accessor $name:ident aws_auth) => {};

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..http_config_without_tls($oauth2:ty), $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// Authorization header.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub authorization: Option<$crate::monitoring::v1::common::SafeAuthorization>,
            /// Basic authentication.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub basic_auth: Option<$crate::monitoring::v1::common::BasicAuth>,
            /// OAuth2 client credentials.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub oauth2: Option<$oauth2>,
            /// Bearer token read from a Secret (deprecated).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub bearer_token_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
            /// `follow_redirects`.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub follow_redirects: Option<bool>,
            /// `enable_http2`.
            #[serde(
                default,
                rename = "enableHttp2",
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub enable_http2: Option<bool>,
        ] [$($groups)* http_config_without_tls] $($rest)*);
    };
    (@accessor $name:ident http_config_without_tls) => {};

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..safe_tls, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// CA certificate.
            #[serde(default)]
            pub ca: $crate::monitoring::v1::tls::SecretOrConfigMap,
            /// Client certificate.
            #[serde(default)]
            pub cert: $crate::monitoring::v1::tls::SecretOrConfigMap,
            /// Client key.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub key_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
            /// Server name used to verify the certificate.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub server_name: Option<String>,
            /// Skip certificate verification.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub insecure_skip_verify: Option<bool>,
            /// Minimum TLS version.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub min_version: Option<$crate::monitoring::v1::tls::TLSVersion>,
            /// Maximum TLS version.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub max_version: Option<$crate::monitoring::v1::tls::TLSVersion>,
        ] [$($groups)* safe_tls] $($rest)*);
    };
    (@accessor $name:ident safe_tls) => {
        impl $name {
            /// The Secret/ConfigMap part.
            pub fn safe(&self) -> $crate::monitoring::v1::tls::SafeTLSConfig {
                $crate::monitoring::v1::tls::SafeTLSConfig {
                    ca: self.ca.clone(),
                    cert: self.cert.clone(),
                    key_secret: self.key_secret.clone(),
                    server_name: self.server_name.clone(),
                    insecure_skip_verify: self.insecure_skip_verify,
                    min_version: self.min_version.clone(),
                    max_version: self.max_version.clone(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..tls_files, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// CA certificate file path.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub ca_file: String,
            /// Client certificate file path.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub cert_file: String,
            /// Client key file path.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub key_file: String,
        ] [$($groups)* tls_files] $($rest)*);
    };
    (@accessor $name:ident tls_files) => {
        impl $name {
            /// The file part.
            pub fn files(&self) -> $crate::monitoring::v1::tls::TLSFilesConfig {
                $crate::monitoring::v1::tls::TLSFilesConfig {
                    ca_file: self.ca_file.clone(),
                    cert_file: self.cert_file.clone(),
                    key_file: self.key_file.clone(),
                }
            }
        }
    };

    (@munch $attrs:tt $name:ident [$($fields:tt)*] [$($groups:tt)*]
        ..endpoint_scrape, $($rest:tt)*) => {
        $crate::monitoring::inline_fields!(@munch $attrs $name [$($fields)*
            /// HTTP path to scrape.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub path: String,
            /// HTTP scheme.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scheme: Option<$crate::monitoring::v1::common::Scheme>,
            /// URL parameters.
            #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
            pub params: std::collections::BTreeMap<String, Vec<String>>,
            /// Scrape interval.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub interval: $crate::monitoring::v1::common::Duration,
            /// Scrape timeout.
            #[serde(default, skip_serializing_if = "String::is_empty")]
            pub scrape_timeout: $crate::monitoring::v1::common::Duration,
            /// `honor_labels`.
            #[serde(default, deserialize_with = "crate::monitoring::de::bool")]
            pub honor_labels: bool,
            /// `honor_timestamps`.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub honor_timestamps: Option<bool>,
            /// `track_timestamps_staleness`.
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub track_timestamps_staleness: Option<bool>,
            /// Relabelings applied to samples.
            #[serde(
                default,
                rename = "metricRelabelings",
                deserialize_with = "crate::monitoring::de::compact_vec",
                skip_serializing_if = "Vec::is_empty"
            )]
            pub metric_relabel_configs: Vec<$crate::monitoring::v1::common::RelabelConfig>,
            /// Relabelings applied to targets.
            #[serde(
                default,
                rename = "relabelings",
                deserialize_with = "crate::monitoring::de::compact_vec",
                skip_serializing_if = "Vec::is_empty"
            )]
            pub relabel_configs: Vec<$crate::monitoring::v1::common::RelabelConfig>,
            /// Drop targets of Pods that are not running (default true).
            #[serde(
                default,
                deserialize_with = "crate::monitoring::de::opt_bool",
                skip_serializing_if = "Option::is_none"
            )]
            pub filter_running: Option<bool>,
        ] [$($groups)* endpoint_scrape] $($rest)*);
    };
    (@accessor $name:ident endpoint_scrape) => {
        impl $name {
            /// The inlined scrape settings, borrowed.
            pub fn endpoint_scrape(&self) -> $crate::monitoring::v1::common::EndpointScrape<'_> {
                $crate::monitoring::v1::common::EndpointScrape {
                    path: &self.path,
                    scheme: self.scheme.as_ref(),
                    params: &self.params,
                    interval: &self.interval,
                    scrape_timeout: &self.scrape_timeout,
                    honor_labels: self.honor_labels,
                    honor_timestamps: self.honor_timestamps,
                    track_timestamps_staleness: self.track_timestamps_staleness,
                    metric_relabel_configs: &self.metric_relabel_configs,
                    relabel_configs: &self.relabel_configs,
                    filter_running: self.filter_running,
                }
            }
        }
    };
}
pub(crate) use inline_fields;
