//! `ScrapeConfig` (upstream `pkg/apis/monitoring/v1alpha1/scrapeconfig_types.go`): a namespaced
//! Prometheus `scrape_config` with every service-discovery mechanism the CRD offers.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use serde::{Deserialize, Serialize};

use crate::monitoring::v1::common::{OAuth2, RelabelConfig, SafeAuthorization};
use crate::monitoring::v1::tls::SafeTLSConfig;

crate::monitoring::custom_resource!(
    /// A scrape job, aggregated across namespaces into the Prometheus configuration.
    ScrapeConfig, ScrapeConfigSpec, "monitoring.coreos.com/v1alpha1", "scrapeconfigs"
);

/// A scrape target (`host:port`).
pub type Target = String;
/// A file path (with an optional glob in the last element) read by file discovery.
pub type SDFile = String;
/// A URL.
pub type URL = String;
/// The Kubernetes role of `kubernetes_sd_configs` (`Pod`, `Endpoints`, `EndpointSlice`, ...).
pub type KubernetesRole = String;
/// A DNS record type (`A`, `AAAA`, `SRV`, `MX`, `NS`).
pub type DNSRecordType = String;
/// How Azure discovery authenticates (`OAuth`, `ManagedIdentity`, `SDK`, `WorkloadIdentity`).
pub type AuthenticationMethodType = String;
/// The OpenStack role (`Instance`, `Hypervisor`, `LoadBalancer`).
pub type OpenStackRole = String;
/// The OVHcloud service (`VPS`, `DedicatedServer`).
pub type OVHService = String;
/// The Scaleway role (`Instance`, `Baremetal`).
pub type ScalewayRole = String;
/// Discovery filters, rendered sorted by name.
pub type Filters = Vec<Filter>;

/// The HTTP client settings a discovery config inlines, borrowed from it.
#[derive(Clone, Copy, Debug)]
pub struct SDHTTPClient<'a> {
    /// TLS settings.
    pub tls_config: Option<&'a SafeTLSConfig>,
    /// Whether to follow HTTP 3xx redirects.
    pub follow_redirects: Option<bool>,
    /// Whether to enable HTTP/2.
    pub enable_http2: Option<bool>,
}

crate::monitoring::inline_fields! {
    /// The desired scrape job.
    pub struct ScrapeConfigSpec {
        /// Value of the `job` label (set through relabeling; `job_name` stays operator-owned).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub job_name: Option<String>,
        /// Static targets with a common label set.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub static_configs: Vec<StaticConfig>,
        /// File-based discovery.
        #[serde(
            rename = "fileSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub file_sd_configs: Vec<FileSDConfig>,
        /// HTTP-based discovery.
        #[serde(
            rename = "httpSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub http_sd_configs: Vec<HTTPSDConfig>,
        /// Kubernetes discovery.
        #[serde(
            rename = "kubernetesSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub kubernetes_sd_configs: Vec<KubernetesSDConfig>,
        /// Consul discovery.
        #[serde(
            rename = "consulSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub consul_sd_configs: Vec<ConsulSDConfig>,
        /// DNS discovery.
        #[serde(
            rename = "dnsSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub dns_sd_configs: Vec<DNSSDConfig>,
        /// AWS EC2 discovery.
        #[serde(
            rename = "ec2SDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub ec2_sd_configs: Vec<EC2SDConfig>,
        /// Azure discovery.
        #[serde(
            rename = "azureSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub azure_sd_configs: Vec<AzureSDConfig>,
        /// GCE discovery.
        #[serde(
            rename = "gceSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub gce_sd_configs: Vec<GCESDConfig>,
        /// OpenStack discovery.
        #[serde(
            rename = "openstackSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub openstack_sd_configs: Vec<OpenStackSDConfig>,
        /// DigitalOcean discovery.
        #[serde(
            rename = "digitalOceanSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub digital_ocean_sd_configs: Vec<DigitalOceanSDConfig>,
        /// Kuma discovery.
        #[serde(
            rename = "kumaSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub kuma_sd_configs: Vec<KumaSDConfig>,
        /// Eureka discovery.
        #[serde(
            rename = "eurekaSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub eureka_sd_configs: Vec<EurekaSDConfig>,
        /// Docker discovery.
        #[serde(
            rename = "dockerSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub docker_sd_configs: Vec<DockerSDConfig>,
        /// Linode discovery.
        #[serde(
            rename = "linodeSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub linode_sd_configs: Vec<LinodeSDConfig>,
        /// Hetzner discovery.
        #[serde(
            rename = "hetznerSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub hetzner_sd_configs: Vec<HetznerSDConfig>,
        /// Nomad discovery.
        #[serde(
            rename = "nomadSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub nomad_sd_configs: Vec<NomadSDConfig>,
        /// Docker Swarm discovery.
        #[serde(
            rename = "dockerSwarmSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub docker_swarm_sd_configs: Vec<DockerSwarmSDConfig>,
        /// PuppetDB discovery.
        #[serde(
            rename = "puppetDBSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub puppet_db_sd_configs: Vec<PuppetDBSDConfig>,
        /// AWS Lightsail discovery.
        #[serde(
            rename = "lightSailSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub light_sail_sd_configs: Vec<LightSailSDConfig>,
        /// OVHcloud discovery.
        #[serde(
            rename = "ovhcloudSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub ovhcloud_sd_configs: Vec<OVHCloudSDConfig>,
        /// Scaleway discovery.
        #[serde(
            rename = "scalewaySDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub scaleway_sd_configs: Vec<ScalewaySDConfig>,
        /// IONOS discovery.
        #[serde(
            rename = "ionosSDConfigs",
            default,
            skip_serializing_if = "Vec::is_empty"
        )]
        pub ionos_sd_configs: Vec<IonosSDConfig>,
        /// Target relabeling (`relabel_configs`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub relabelings: Vec<RelabelConfig>,
        /// HTTP path to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metrics_path: Option<String>,
        /// Interval between scrapes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scrape_interval: Option<String>,
        /// Scrape timeout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scrape_timeout: Option<String>,
        /// Protocols to negotiate, most preferred first.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub scrape_protocols: Vec<String>,
        /// Protocol used when the Content-Type is missing or invalid.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fallback_scrape_protocol: Option<String>,
        /// Whether to keep the timestamps the target exposes.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub honor_timestamps: Option<bool>,
        /// Whether to track staleness of samples with explicit timestamps.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub track_timestamps_staleness: Option<bool>,
        /// Whether the scraped labels win over the target labels on collision.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub honor_labels: Option<bool>,
        /// HTTP URL parameters.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub params: BTreeMap<String, Vec<String>>,
        /// `http` or `https`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scheme: Option<String>,
        /// Whether to request compressed responses.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub enable_compression: Option<bool>,
        /// Whether to enable HTTP/2.
        #[serde(
            rename = "enableHTTP2",
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub enable_http2: Option<bool>,
        ..client_auth,
        /// TLS for scrapes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<SafeTLSConfig>,
        ..scrape_limits,
        /// Per-scrape body size limit (e.g. `10MB`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub body_size_limit: Option<String>,
        ..native_histograms,
        /// Metric relabeling (`metric_relabel_configs`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub metric_relabelings: Vec<RelabelConfig>,
        ..proxy,
        /// Metric name validation scheme (`UTF8` or `Legacy`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name_validation_scheme: Option<String>,
        /// Metric name escaping scheme.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name_escaping_scheme: Option<String>,
        /// Name of the scrape class to apply.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scrape_class: Option<String>,
    }
}

/// Namespaces that Kubernetes discovery watches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceDiscovery {
    /// Also watch the namespace Prometheus runs in.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub own_namespace: Option<bool>,
    /// Namespaces to watch (all when empty and `ownNamespace` is not true).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// Metadata attached to targets discovered by Kubernetes discovery.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachMetadata {
    /// Attach the node's metadata.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub node: Option<bool>,
}

/// A name and the values to filter discovered resources on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Filter name.
    #[serde(default)]
    pub name: String,
    /// Values to filter on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A label or field selector limiting Kubernetes discovery to matching resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct K8SSelectorConfig {
    /// The resource kind the selector applies to.
    #[serde(default)]
    pub role: KubernetesRole,
    /// Label selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Field selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Static targets sharing a label set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaticConfig {
    /// Targets.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Labels assigned to every target.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// `file_sd_configs` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSDConfig {
    /// Files to read targets from.
    #[serde(default)]
    pub files: Vec<SDFile>,
    /// Re-read interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
}

crate::monitoring::inline_fields! {
    /// `http_sd_configs` entry.
    pub struct HTTPSDConfig {
        /// URL to fetch targets from.
        #[serde(default)]
        pub url: URL,
        /// Re-fetch interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `kubernetes_sd_configs` entry.
    pub struct KubernetesSDConfig {
        /// API server address (in-cluster when unset).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_server: Option<String>,
        /// Kind of resource to discover.
        #[serde(default)]
        pub role: KubernetesRole,
        /// Namespaces to watch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespaces: Option<NamespaceDiscovery>,
        /// Metadata to attach to targets.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub attach_metadata: Option<AttachMetadata>,
        /// Label and field selectors.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub selectors: Vec<K8SSelectorConfig>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `consul_sd_configs` entry.
    pub struct ConsulSDConfig {
        /// Consul server address.
        #[serde(default)]
        pub server: String,
        /// Prefix for URIs when Consul is behind a gateway.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub path_prefix: Option<String>,
        /// Consul API token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token_ref: Option<SecretKeySelector>,
        /// Datacenter to query.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub datacenter: Option<String>,
        /// Consul namespace (Enterprise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        /// Consul partition (Enterprise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub partition: Option<String>,
        /// `http` or `https`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scheme: Option<String>,
        /// Services to discover (all when empty).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub services: Vec<String>,
        /// Tags to filter nodes on.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub tags: Vec<String>,
        /// Separator joining tags in the tag label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tag_separator: Option<String>,
        /// Node metadata key/value pairs to filter nodes on.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub node_meta: BTreeMap<String, String>,
        /// Filter expression for the catalog API.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter: Option<String>,
        /// Filter expression for the health API.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub health_filter: Option<String>,
        /// Allow stale reads.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_stale: Option<bool>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

/// `dns_sd_configs` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DNSSDConfig {
    /// Domain names to query.
    #[serde(default)]
    pub names: Vec<String>,
    /// Re-query interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
    /// Record type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<DNSRecordType>,
    /// Port (for record types without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
}

crate::monitoring::inline_fields! {
    /// `ec2_sd_configs` entry.
    pub struct EC2SDConfig {
        ..aws_auth,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Instance filters.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub filters: Filters,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `azure_sd_configs` entry.
    pub struct AzureSDConfig {
        /// Azure environment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub environment: Option<String>,
        /// Authentication method.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub authentication_method: Option<AuthenticationMethodType>,
        /// Subscription ID.
        #[serde(rename = "subscriptionID", default)]
        pub subscription_id: String,
        /// Tenant ID.
        #[serde(rename = "tenantID", default, skip_serializing_if = "Option::is_none")]
        pub tenant_id: Option<String>,
        /// Client ID.
        #[serde(rename = "clientID", default, skip_serializing_if = "Option::is_none")]
        pub client_id: Option<String>,
        /// Client secret.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client_secret: Option<SecretKeySelector>,
        /// Resource group to limit discovery to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub resource_group: Option<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

/// `gce_sd_configs` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GCESDConfig {
    /// GCP project.
    #[serde(default)]
    pub project: String,
    /// Zone.
    #[serde(default)]
    pub zone: String,
    /// Instance list filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Re-read interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
    /// Port to scrape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// Separator joining tags in the tag label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_separator: Option<String>,
}

/// `openstack_sd_configs` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenStackSDConfig {
    /// Kind of resource to discover.
    #[serde(default)]
    pub role: OpenStackRole,
    /// Region.
    #[serde(default)]
    pub region: String,
    /// Identity endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_endpoint: Option<URL>,
    /// User name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// User ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userid: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretKeySelector>,
    /// Domain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Domain ID.
    #[serde(rename = "domainID", default, skip_serializing_if = "Option::is_none")]
    pub domain_id: Option<String>,
    /// Project name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    /// Project ID.
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Application credential name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_credential_name: Option<String>,
    /// Application credential ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_credential_id: Option<String>,
    /// Application credential secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_credential_secret: Option<SecretKeySelector>,
    /// Discover across all tenants.
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub all_tenants: Option<bool>,
    /// Re-read interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
    /// Port to scrape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
    /// Endpoint availability (`Public`, `Admin`, `Internal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// TLS settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<SafeTLSConfig>,
}

crate::monitoring::inline_fields! {
    /// `digitalocean_sd_configs` entry.
    pub struct DigitalOceanSDConfig {
        ..authorization_oauth2,
        ..sd_http_client,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `kuma_sd_configs` entry.
    pub struct KumaSDConfig {
        /// Kuma control plane address.
        #[serde(default)]
        pub server: URL,
        /// Client ID sent to the control plane.
        #[serde(rename = "clientID", default, skip_serializing_if = "Option::is_none")]
        pub client_id: Option<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Request timeout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fetch_timeout: Option<String>,
        ..sd_http_client,
        ..client_auth,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `eureka_sd_configs` entry.
    pub struct EurekaSDConfig {
        /// Eureka server URL.
        #[serde(default)]
        pub server: URL,
        ..client_auth,
        ..sd_http_client,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `docker_sd_configs` entry.
    pub struct DockerSDConfig {
        /// Docker daemon address.
        #[serde(default)]
        pub host: String,
        ..sd_http_client,
        /// Port for containers without published ports.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Host used for containers in host networking mode.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub host_networking_host: Option<String>,
        /// Keep only the first network of a container.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub match_first_network: Option<bool>,
        /// Container filters.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub filters: Filters,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..client_auth,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `hetzner_sd_configs` entry.
    pub struct HetznerSDConfig {
        /// `hcloud` or `robot`.
        #[serde(default)]
        pub role: String,
        ..client_auth,
        ..sd_http_client,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Label selector for `hcloud` servers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub label_selector: Option<String>,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `nomad_sd_configs` entry.
    pub struct NomadSDConfig {
        /// Allow stale reads.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_stale: Option<bool>,
        /// Nomad namespace.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Nomad region.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub region: Option<String>,
        /// Nomad server URL.
        #[serde(default)]
        pub server: URL,
        /// Separator joining tags in the tag label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tag_separator: Option<String>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

/// `ovhcloud_sd_configs` entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OVHCloudSDConfig {
    /// Application key.
    #[serde(default)]
    pub application_key: String,
    /// Application secret.
    #[serde(default)]
    pub application_secret: SecretKeySelector,
    /// Consumer key.
    #[serde(default)]
    pub consumer_key: SecretKeySelector,
    /// Service to discover.
    #[serde(default)]
    pub service: OVHService,
    /// API endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Re-read interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
}

crate::monitoring::inline_fields! {
    /// `dockerswarm_sd_configs` entry.
    pub struct DockerSwarmSDConfig {
        /// Docker daemon address.
        #[serde(default)]
        pub host: String,
        /// `Services`, `Tasks` or `Nodes`.
        #[serde(default)]
        pub role: String,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Discovery filters.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub filters: Filters,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `linode_sd_configs` entry.
    pub struct LinodeSDConfig {
        /// Region to filter on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub region: Option<String>,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Separator joining tags in the tag label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tag_separator: Option<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..authorization_oauth2,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `puppetdb_sd_configs` entry.
    pub struct PuppetDBSDConfig {
        /// PuppetDB root query endpoint.
        #[serde(default)]
        pub url: URL,
        /// PQL query (resources only).
        #[serde(default)]
        pub query: String,
        /// Expose resource parameters as meta labels.
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub include_parameters: Option<bool>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `lightsail_sd_configs` entry.
    pub struct LightSailSDConfig {
        ..aws_auth,
        /// Custom endpoint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub endpoint: Option<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        ..client_auth,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `scaleway_sd_configs` entry.
    pub struct ScalewaySDConfig {
        /// Access key.
        #[serde(default)]
        pub access_key: String,
        /// Secret key.
        #[serde(default)]
        pub secret_key: SecretKeySelector,
        /// Project ID.
        #[serde(rename = "projectID", default)]
        pub project_id: String,
        /// Service to discover.
        #[serde(default)]
        pub role: ScalewayRole,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// API URL.
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<URL>,
        /// Availability zone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub zone: Option<String>,
        /// Server name filter.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name_filter: Option<String>,
        /// Tags a server must all have.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub tags_filter: Vec<String>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        ..sd_http_client,
        ..proxy,
    }
}

crate::monitoring::inline_fields! {
    /// `ionos_sd_configs` entry.
    pub struct IonosSDConfig {
        /// Data center ID.
        #[serde(rename = "datacenterID", default)]
        pub datacenter_id: String,
        /// Port to scrape.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<i32>,
        /// Re-read interval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refresh_interval: Option<String>,
        /// Authorization header for the IONOS API.
        #[serde(default)]
        pub authorization: SafeAuthorization,
        ..sd_http_client,
        /// OAuth 2.0.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub oauth2: Option<OAuth2>,
        ..proxy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_names_that_differ_from_camel_case() {
        let sc: ScrapeConfig = crate::yaml::from_str(
            r#"
metadata: {name: sc, namespace: default}
spec:
  enableHTTP2: yes
  convertClassicHistogramsToNHCB: true
  proxyUrl: http://proxy
  ec2SDConfigs:
  - roleARN: arn
    filters: [{name: a, values: [b]}]
  azureSDConfigs: [{subscriptionID: sub, tenantID: t, clientID: c}]
  ionosSDConfigs: [{datacenterID: dc, authorization: {credentials: {name: s, key: k}}}]
  scalewaySDConfigs: [{projectID: p, apiURL: http://api, secretKey: {name: s, key: k}}]
  dnsSDConfigs: [{names: [a.example], type: SRV}]
"#,
        )
        .unwrap();
        let spec = &sc.spec;
        assert_eq!(spec.enable_http2, Some(true));
        assert_eq!(spec.convert_classic_histograms_to_nhcb, Some(true));
        assert_eq!(
            spec.proxy_config().proxy_url.as_deref(),
            Some("http://proxy")
        );
        assert_eq!(spec.ec2_sd_configs[0].role_arn.as_deref(), Some("arn"));
        assert_eq!(spec.ec2_sd_configs[0].filters[0].values, ["b"]);
        assert_eq!(spec.azure_sd_configs[0].subscription_id, "sub");
        assert_eq!(spec.ionos_sd_configs[0].datacenter_id, "dc");
        assert_eq!(
            spec.scaleway_sd_configs[0].api_url.as_deref(),
            Some("http://api")
        );
        assert_eq!(spec.dns_sd_configs[0].type_.as_deref(), Some("SRV"));
    }
}
