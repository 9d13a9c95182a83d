//! The defaults of the `monitoring.coreos.com` CRD schemas, which the API server fills in
//! before the operator sees an object: only the schema paths that lead to a `default`.
//!
//! Generated from prometheus-operator v0.93.0 (commit 6adcebc), `example/prometheus-operator-crd/`:
//! `monitoring.coreos.com_alertmanagerconfigs.yaml`,
//! `monitoring.coreos.com_alertmanagers.yaml`,
//! `monitoring.coreos.com_podmonitors.yaml`,
//! `monitoring.coreos.com_probes.yaml`,
//! `monitoring.coreos.com_prometheusagents.yaml`,
//! `monitoring.coreos.com_prometheuses.yaml`,
//! `monitoring.coreos.com_prometheusrules.yaml`,
//! `monitoring.coreos.com_scrapeconfigs.yaml`,
//! `monitoring.coreos.com_servicemonitors.yaml`.
//! Kinds the loader does not decode (ThanosRuler) are left out.
//!
//! Do not edit by hand. To regenerate: read each CRD above at that commit, walk every served
//! version's `openAPIV3Schema` through `properties`, `items` and `additionalProperties`, keep
//! the branches that reach a `default` (its value as compact JSON text, object keys sorted),
//! write each distinct branch once as a static named after the first property it appears
//! under (a few shared shapes after their API type), list the roots by `apiVersion` and `kind`
//! in [`schema`], and format the file with `cargo fmt`.

use crate::yaml::SchemaNode;

/// The defaults of objects of `kind` in `api_version`, when its CRD has any.
pub fn schema(api_version: &str, kind: &str) -> Option<&'static SchemaNode> {
    match (api_version, kind) {
        ("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig") => Some(&ALERTMANAGER_CONFIG),
        ("monitoring.coreos.com/v1", "Alertmanager") => Some(&ALERTMANAGER),
        ("monitoring.coreos.com/v1", "PodMonitor") => Some(&POD_MONITOR),
        ("monitoring.coreos.com/v1", "Probe") => Some(&PROBE),
        ("monitoring.coreos.com/v1alpha1", "PrometheusAgent") => Some(&PROMETHEUS_AGENT),
        ("monitoring.coreos.com/v1", "Prometheus") => Some(&PROMETHEUS),
        ("monitoring.coreos.com/v1alpha1", "ScrapeConfig") => Some(&SCRAPE_CONFIG),
        ("monitoring.coreos.com/v1", "ServiceMonitor") => Some(&SERVICE_MONITOR),
        _ => None,
    }
}
static DEFAULT_EMPTY: SchemaNode = SchemaNode::leaf("\"\"");
static LOCAL_OBJECT_REFERENCE: SchemaNode = SchemaNode::object(&[("name", &DEFAULT_EMPTY)]);
static AUTHORIZATION: SchemaNode = SchemaNode::object(&[("credentials", &LOCAL_OBJECT_REFERENCE)]);
static BASIC_AUTH: SchemaNode = SchemaNode::object(&[
    ("password", &LOCAL_OBJECT_REFERENCE),
    ("username", &LOCAL_OBJECT_REFERENCE),
]);
static SECRET_OR_CONFIG_MAP: SchemaNode = SchemaNode::object(&[
    ("configMap", &LOCAL_OBJECT_REFERENCE),
    ("secret", &LOCAL_OBJECT_REFERENCE),
]);
static LOCAL_OBJECT_REFERENCE_LIST: SchemaNode = SchemaNode::list(&LOCAL_OBJECT_REFERENCE);
static PROXY_CONNECT_HEADER: SchemaNode = SchemaNode::map(&LOCAL_OBJECT_REFERENCE_LIST);
static TLS_CONFIG: SchemaNode = SchemaNode::object(&[
    ("ca", &SECRET_OR_CONFIG_MAP),
    ("cert", &SECRET_OR_CONFIG_MAP),
    ("keySecret", &LOCAL_OBJECT_REFERENCE),
]);
static OAUTH2: SchemaNode = SchemaNode::object(&[
    ("clientId", &SECRET_OR_CONFIG_MAP),
    ("clientSecret", &LOCAL_OBJECT_REFERENCE),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static HTTP_CONFIG: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("bearerTokenSecret", &LOCAL_OBJECT_REFERENCE),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static API_URL_RECEIVER: SchemaNode = SchemaNode::object(&[
    ("apiURL", &LOCAL_OBJECT_REFERENCE),
    ("httpConfig", &HTTP_CONFIG),
]);
static API_URL_RECEIVERS: SchemaNode = SchemaNode::list(&API_URL_RECEIVER);
static EMAIL_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("authPassword", &LOCAL_OBJECT_REFERENCE),
    ("authSecret", &LOCAL_OBJECT_REFERENCE),
    ("tlsConfig", &TLS_CONFIG),
]);
static EMAIL_CONFIGS: SchemaNode = SchemaNode::list(&EMAIL_CONFIGS_ITEM);
static MSTEAMS_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("webhookUrl", &LOCAL_OBJECT_REFERENCE),
]);
static MSTEAMS_CONFIGS: SchemaNode = SchemaNode::list(&MSTEAMS_CONFIGS_ITEM);
static MSTEAMSV2_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("webhookURL", &LOCAL_OBJECT_REFERENCE),
]);
static MSTEAMSV2_CONFIGS: SchemaNode = SchemaNode::list(&MSTEAMSV2_CONFIGS_ITEM);
static API_KEY_RECEIVER: SchemaNode = SchemaNode::object(&[
    ("apiKey", &LOCAL_OBJECT_REFERENCE),
    ("httpConfig", &HTTP_CONFIG),
]);
static API_KEY_RECEIVERS: SchemaNode = SchemaNode::list(&API_KEY_RECEIVER);
static PAGERDUTY_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("routingKey", &LOCAL_OBJECT_REFERENCE),
    ("serviceKey", &LOCAL_OBJECT_REFERENCE),
]);
static PAGERDUTY_CONFIGS: SchemaNode = SchemaNode::list(&PAGERDUTY_CONFIGS_ITEM);
static PUSHOVER_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("token", &LOCAL_OBJECT_REFERENCE),
    ("userKey", &LOCAL_OBJECT_REFERENCE),
]);
static PUSHOVER_CONFIGS: SchemaNode = SchemaNode::list(&PUSHOVER_CONFIGS_ITEM);
static ROCKETCHAT_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("token", &LOCAL_OBJECT_REFERENCE),
    ("tokenID", &LOCAL_OBJECT_REFERENCE),
]);
static ROCKETCHAT_CONFIGS: SchemaNode = SchemaNode::list(&ROCKETCHAT_CONFIGS_ITEM);
static SIGV4: SchemaNode = SchemaNode::object(&[
    ("accessKey", &LOCAL_OBJECT_REFERENCE),
    ("secretKey", &LOCAL_OBJECT_REFERENCE),
]);
static SNS_CONFIGS_ITEM: SchemaNode =
    SchemaNode::object(&[("httpConfig", &HTTP_CONFIG), ("sigv4", &SIGV4)]);
static SNS_CONFIGS: SchemaNode = SchemaNode::list(&SNS_CONFIGS_ITEM);
static TELEGRAM_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("botToken", &LOCAL_OBJECT_REFERENCE),
    ("httpConfig", &HTTP_CONFIG),
]);
static TELEGRAM_CONFIGS: SchemaNode = SchemaNode::list(&TELEGRAM_CONFIGS_ITEM);
static WEBEX_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[("httpConfig", &HTTP_CONFIG)]);
static WEBEX_CONFIGS: SchemaNode = SchemaNode::list(&WEBEX_CONFIGS_ITEM);
static WEBHOOK_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("urlSecret", &LOCAL_OBJECT_REFERENCE),
]);
static WEBHOOK_CONFIGS: SchemaNode = SchemaNode::list(&WEBHOOK_CONFIGS_ITEM);
static WECHAT_CONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("apiSecret", &LOCAL_OBJECT_REFERENCE),
    ("httpConfig", &HTTP_CONFIG),
]);
static WECHAT_CONFIGS: SchemaNode = SchemaNode::list(&WECHAT_CONFIGS_ITEM);
static RECEIVERS_ITEM: SchemaNode = SchemaNode::object(&[
    ("discordConfigs", &API_URL_RECEIVERS),
    ("emailConfigs", &EMAIL_CONFIGS),
    ("msteamsConfigs", &MSTEAMS_CONFIGS),
    ("msteamsv2Configs", &MSTEAMSV2_CONFIGS),
    ("opsgenieConfigs", &API_KEY_RECEIVERS),
    ("pagerdutyConfigs", &PAGERDUTY_CONFIGS),
    ("pushoverConfigs", &PUSHOVER_CONFIGS),
    ("rocketchatConfigs", &ROCKETCHAT_CONFIGS),
    ("slackConfigs", &API_URL_RECEIVERS),
    ("snsConfigs", &SNS_CONFIGS),
    ("telegramConfigs", &TELEGRAM_CONFIGS),
    ("victoropsConfigs", &API_KEY_RECEIVERS),
    ("webexConfigs", &WEBEX_CONFIGS),
    ("webhookConfigs", &WEBHOOK_CONFIGS),
    ("wechatConfigs", &WECHAT_CONFIGS),
]);
static RECEIVERS: SchemaNode = SchemaNode::list(&RECEIVERS_ITEM);
static ALERTMANAGER_CONFIG_SPEC: SchemaNode = SchemaNode::object(&[("receivers", &RECEIVERS)]);
static ALERTMANAGER_CONFIG: SchemaNode = SchemaNode::object(&[("spec", &ALERTMANAGER_CONFIG_SPEC)]);
static DEFAULT_ON_NAMESPACE: SchemaNode = SchemaNode::leaf("\"OnNamespace\"");
static ALERTMANAGER_CONFIG_MATCHER_STRATEGY: SchemaNode =
    SchemaNode::object(&[("type", &DEFAULT_ON_NAMESPACE)]);
static MATTERMOST: SchemaNode = SchemaNode::object(&[("webhookURL", &LOCAL_OBJECT_REFERENCE)]);
static ROCKET_CHAT: SchemaNode = SchemaNode::object(&[
    ("token", &LOCAL_OBJECT_REFERENCE),
    ("tokenID", &LOCAL_OBJECT_REFERENCE),
]);
static VICTOROPS: SchemaNode = SchemaNode::object(&[("apiKey", &LOCAL_OBJECT_REFERENCE)]);
static WECHAT: SchemaNode = SchemaNode::object(&[("apiSecret", &LOCAL_OBJECT_REFERENCE)]);
static GLOBAL: SchemaNode = SchemaNode::object(&[
    ("httpConfig", &HTTP_CONFIG),
    ("mattermost", &MATTERMOST),
    ("opsGenieApiKey", &LOCAL_OBJECT_REFERENCE),
    ("opsGenieApiUrl", &LOCAL_OBJECT_REFERENCE),
    ("rocketChat", &ROCKET_CHAT),
    ("slackApiUrl", &LOCAL_OBJECT_REFERENCE),
    ("smtp", &EMAIL_CONFIGS_ITEM),
    ("victorops", &VICTOROPS),
    ("wechat", &WECHAT),
]);
static SECRET_OR_CONFIG_MAP_LIST: SchemaNode = SchemaNode::list(&SECRET_OR_CONFIG_MAP);
static ALERTMANAGER_CONFIGURATION: SchemaNode = SchemaNode::object(&[
    ("global", &GLOBAL),
    ("templates", &SECRET_OR_CONFIG_MAP_LIST),
]);
static WEB_TLS_CONFIG: SchemaNode = SchemaNode::object(&[
    ("cert", &SECRET_OR_CONFIG_MAP),
    ("client_ca", &SECRET_OR_CONFIG_MAP),
    ("keySecret", &LOCAL_OBJECT_REFERENCE),
]);
static CLUSTER_TLS: SchemaNode =
    SchemaNode::object(&[("client", &TLS_CONFIG), ("server", &WEB_TLS_CONFIG)]);
static DEFAULT_FALSE: SchemaNode = SchemaNode::leaf("false");
static FILE_KEY_REF: SchemaNode = SchemaNode::object(&[("optional", &DEFAULT_FALSE)]);
static VALUE_FROM: SchemaNode = SchemaNode::object(&[
    ("configMapKeyRef", &LOCAL_OBJECT_REFERENCE),
    ("fileKeyRef", &FILE_KEY_REF),
    ("secretKeyRef", &LOCAL_OBJECT_REFERENCE),
]);
static ENV_ITEM: SchemaNode = SchemaNode::object(&[("valueFrom", &VALUE_FROM)]);
static ENV: SchemaNode = SchemaNode::list(&ENV_ITEM);
static ENV_FROM_ITEM: SchemaNode = SchemaNode::object(&[
    ("configMapRef", &LOCAL_OBJECT_REFERENCE),
    ("secretRef", &LOCAL_OBJECT_REFERENCE),
]);
static ENV_FROM: SchemaNode = SchemaNode::list(&ENV_FROM_ITEM);
static GRPC: SchemaNode = SchemaNode::object(&[("service", &DEFAULT_EMPTY)]);
static CONTAINER_PROBE: SchemaNode = SchemaNode::object(&[("grpc", &GRPC)]);
static DEFAULT_TCP: SchemaNode = SchemaNode::leaf("\"TCP\"");
static PORTS_ITEM: SchemaNode = SchemaNode::object(&[("protocol", &DEFAULT_TCP)]);
static PORTS: SchemaNode = SchemaNode::list(&PORTS_ITEM);
static CONTAINERS_ITEM: SchemaNode = SchemaNode::object(&[
    ("env", &ENV),
    ("envFrom", &ENV_FROM),
    ("livenessProbe", &CONTAINER_PROBE),
    ("ports", &PORTS),
    ("readinessProbe", &CONTAINER_PROBE),
    ("startupProbe", &CONTAINER_PROBE),
]);
static CONTAINERS: SchemaNode = SchemaNode::list(&CONTAINERS_ITEM);
static DEFAULT_WEB: SchemaNode = SchemaNode::leaf("\"web\"");
static DEFAULT_120H: SchemaNode = SchemaNode::leaf("\"120h\"");
static DEFAULT_EXT4: SchemaNode = SchemaNode::leaf("\"ext4\"");
static AZURE_DISK: SchemaNode =
    SchemaNode::object(&[("fsType", &DEFAULT_EXT4), ("readOnly", &DEFAULT_FALSE)]);
static WITH_SECRET_REF: SchemaNode = SchemaNode::object(&[("secretRef", &LOCAL_OBJECT_REFERENCE)]);
static CSI: SchemaNode = SchemaNode::object(&[("nodePublishSecretRef", &LOCAL_OBJECT_REFERENCE)]);
static DEFAULT_DEFAULT: SchemaNode = SchemaNode::leaf("\"default\"");
static ISCSI: SchemaNode = SchemaNode::object(&[
    ("iscsiInterface", &DEFAULT_DEFAULT),
    ("secretRef", &LOCAL_OBJECT_REFERENCE),
]);
static PROJECTED: SchemaNode = SchemaNode::object(&[("sources", &SECRET_OR_CONFIG_MAP_LIST)]);
static DEFAULT_ETC_CEPH_KEYRING: SchemaNode = SchemaNode::leaf("\"/etc/ceph/keyring\"");
static DEFAULT_RBD: SchemaNode = SchemaNode::leaf("\"rbd\"");
static DEFAULT_ADMIN: SchemaNode = SchemaNode::leaf("\"admin\"");
static RBD: SchemaNode = SchemaNode::object(&[
    ("keyring", &DEFAULT_ETC_CEPH_KEYRING),
    ("pool", &DEFAULT_RBD),
    ("secretRef", &LOCAL_OBJECT_REFERENCE),
    ("user", &DEFAULT_ADMIN),
]);
static DEFAULT_XFS: SchemaNode = SchemaNode::leaf("\"xfs\"");
static DEFAULT_THIN_PROVISIONED: SchemaNode = SchemaNode::leaf("\"ThinProvisioned\"");
static SCALE_IO: SchemaNode = SchemaNode::object(&[
    ("fsType", &DEFAULT_XFS),
    ("secretRef", &LOCAL_OBJECT_REFERENCE),
    ("storageMode", &DEFAULT_THIN_PROVISIONED),
]);
static VOLUMES_ITEM: SchemaNode = SchemaNode::object(&[
    ("azureDisk", &AZURE_DISK),
    ("cephfs", &WITH_SECRET_REF),
    ("cinder", &WITH_SECRET_REF),
    ("configMap", &LOCAL_OBJECT_REFERENCE),
    ("csi", &CSI),
    ("flexVolume", &WITH_SECRET_REF),
    ("iscsi", &ISCSI),
    ("projected", &PROJECTED),
    ("rbd", &RBD),
    ("scaleIO", &SCALE_IO),
    ("storageos", &WITH_SECRET_REF),
]);
static VOLUMES: SchemaNode = SchemaNode::list(&VOLUMES_ITEM);
static WEB: SchemaNode = SchemaNode::object(&[("tlsConfig", &WEB_TLS_CONFIG)]);
static ALERTMANAGER_SPEC: SchemaNode = SchemaNode::object(&[
    (
        "alertmanagerConfigMatcherStrategy",
        &ALERTMANAGER_CONFIG_MATCHER_STRATEGY,
    ),
    ("alertmanagerConfiguration", &ALERTMANAGER_CONFIGURATION),
    ("clusterTLS", &CLUSTER_TLS),
    ("containers", &CONTAINERS),
    ("imagePullSecrets", &LOCAL_OBJECT_REFERENCE_LIST),
    ("initContainers", &CONTAINERS),
    ("portName", &DEFAULT_WEB),
    ("retention", &DEFAULT_120H),
    ("volumes", &VOLUMES),
    ("web", &WEB),
]);
static ALERTMANAGER: SchemaNode = SchemaNode::object(&[("spec", &ALERTMANAGER_SPEC)]);
static DEFAULT_REPLACE: SchemaNode = SchemaNode::leaf("\"replace\"");
static RELABEL_CONFIG: SchemaNode = SchemaNode::object(&[("action", &DEFAULT_REPLACE)]);
static RELABEL_CONFIGS: SchemaNode = SchemaNode::list(&RELABEL_CONFIG);
static ENDPOINT: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("bearerTokenSecret", &LOCAL_OBJECT_REFERENCE),
    ("metricRelabelings", &RELABEL_CONFIGS),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("relabelings", &RELABEL_CONFIGS),
    ("tlsConfig", &TLS_CONFIG),
]);
static ENDPOINTS: SchemaNode = SchemaNode::list(&ENDPOINT);
static POD_MONITOR_SPEC: SchemaNode = SchemaNode::object(&[("podMetricsEndpoints", &ENDPOINTS)]);
static POD_MONITOR: SchemaNode = SchemaNode::object(&[("spec", &POD_MONITOR_SPEC)]);
static DEFAULT_PROBE: SchemaNode = SchemaNode::leaf("\"/probe\"");
static PROBER: SchemaNode = SchemaNode::object(&[
    ("path", &DEFAULT_PROBE),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
]);
static WITH_RELABELING_CONFIGS: SchemaNode =
    SchemaNode::object(&[("relabelingConfigs", &RELABEL_CONFIGS)]);
static TARGETS: SchemaNode = SchemaNode::object(&[
    ("ingress", &WITH_RELABELING_CONFIGS),
    ("staticConfig", &WITH_RELABELING_CONFIGS),
]);
static PROBE_SPEC: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("bearerTokenSecret", &LOCAL_OBJECT_REFERENCE),
    ("metricRelabelings", &RELABEL_CONFIGS),
    ("oauth2", &OAUTH2),
    ("prober", &PROBER),
    ("targets", &TARGETS),
    ("tlsConfig", &TLS_CONFIG),
]);
static PROBE: SchemaNode = SchemaNode::object(&[("spec", &PROBE_SPEC)]);
static APISERVER_CONFIG: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static DEFAULT_MONITORING_COREOS_COM: SchemaNode = SchemaNode::leaf("\"monitoring.coreos.com\"");
static EXCLUDED_FROM_ENFORCEMENT_ITEM: SchemaNode =
    SchemaNode::object(&[("group", &DEFAULT_MONITORING_COREOS_COM)]);
static EXCLUDED_FROM_ENFORCEMENT: SchemaNode = SchemaNode::list(&EXCLUDED_FROM_ENFORCEMENT_ITEM);
static OAUTH: SchemaNode = SchemaNode::object(&[("clientSecret", &LOCAL_OBJECT_REFERENCE)]);
static AZURE_AD: SchemaNode = SchemaNode::object(&[("oauth", &OAUTH)]);
static REMOTE_WRITE_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("azureAd", &AZURE_AD),
    ("basicAuth", &BASIC_AUTH),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("sigv4", &SIGV4),
    ("tlsConfig", &TLS_CONFIG),
    ("writeRelabelConfigs", &RELABEL_CONFIGS),
]);
static REMOTE_WRITE: SchemaNode = SchemaNode::list(&REMOTE_WRITE_ITEM);
static SCRAPE_CLASSES_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("metricRelabelings", &RELABEL_CONFIGS),
    ("relabelings", &RELABEL_CONFIGS),
    ("tlsConfig", &TLS_CONFIG),
]);
static SCRAPE_CLASSES: SchemaNode = SchemaNode::list(&SCRAPE_CLASSES_ITEM);
static DEFAULT_30S: SchemaNode = SchemaNode::leaf("\"30s\"");
static DEFAULT_1: SchemaNode = SchemaNode::leaf("1");
static TRACING_CONFIG: SchemaNode = SchemaNode::object(&[("tlsConfig", &TLS_CONFIG)]);
static PROMETHEUS_AGENT_SPEC: SchemaNode = SchemaNode::object(&[
    ("additionalScrapeConfigs", &LOCAL_OBJECT_REFERENCE),
    ("apiserverConfig", &APISERVER_CONFIG),
    ("containers", &CONTAINERS),
    ("excludedFromEnforcement", &EXCLUDED_FROM_ENFORCEMENT),
    ("imagePullSecrets", &LOCAL_OBJECT_REFERENCE_LIST),
    ("initContainers", &CONTAINERS),
    ("portName", &DEFAULT_WEB),
    ("remoteWrite", &REMOTE_WRITE),
    ("scrapeClasses", &SCRAPE_CLASSES),
    ("scrapeInterval", &DEFAULT_30S),
    ("shards", &DEFAULT_1),
    ("tracingConfig", &TRACING_CONFIG),
    ("volumes", &VOLUMES),
    ("web", &WEB),
]);
static PROMETHEUS_AGENT: SchemaNode = SchemaNode::object(&[("spec", &PROMETHEUS_AGENT_SPEC)]);
static ALERTMANAGERS_ITEM: SchemaNode = SchemaNode::object(&[
    ("alertRelabelings", &RELABEL_CONFIGS),
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("relabelings", &RELABEL_CONFIGS),
    ("sigv4", &SIGV4),
    ("tlsConfig", &TLS_CONFIG),
]);
static ALERTMANAGERS: SchemaNode = SchemaNode::list(&ALERTMANAGERS_ITEM);
static ALERTING: SchemaNode = SchemaNode::object(&[("alertmanagers", &ALERTMANAGERS)]);
static REMOTE_READ_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static REMOTE_READ: SchemaNode = SchemaNode::list(&REMOTE_READ_ITEM);
static DEFAULT_2H: SchemaNode = SchemaNode::leaf("\"2h\"");
static THANOS: SchemaNode = SchemaNode::object(&[
    ("blockSize", &DEFAULT_2H),
    ("grpcServerTlsConfig", &TLS_CONFIG),
    ("objectStorageConfig", &LOCAL_OBJECT_REFERENCE),
    ("tracingConfig", &LOCAL_OBJECT_REFERENCE),
]);
static PROMETHEUS_SPEC: SchemaNode = SchemaNode::object(&[
    ("additionalAlertManagerConfigs", &LOCAL_OBJECT_REFERENCE),
    ("additionalAlertRelabelConfigs", &LOCAL_OBJECT_REFERENCE),
    ("additionalScrapeConfigs", &LOCAL_OBJECT_REFERENCE),
    ("alerting", &ALERTING),
    ("apiserverConfig", &APISERVER_CONFIG),
    ("containers", &CONTAINERS),
    ("evaluationInterval", &DEFAULT_30S),
    ("excludedFromEnforcement", &EXCLUDED_FROM_ENFORCEMENT),
    ("imagePullSecrets", &LOCAL_OBJECT_REFERENCE_LIST),
    ("initContainers", &CONTAINERS),
    ("portName", &DEFAULT_WEB),
    ("remoteRead", &REMOTE_READ),
    ("remoteWrite", &REMOTE_WRITE),
    ("scrapeClasses", &SCRAPE_CLASSES),
    ("scrapeInterval", &DEFAULT_30S),
    ("shards", &DEFAULT_1),
    ("thanos", &THANOS),
    ("tracingConfig", &TRACING_CONFIG),
    ("volumes", &VOLUMES),
    ("web", &WEB),
]);
static PROMETHEUS: SchemaNode = SchemaNode::object(&[("spec", &PROMETHEUS_SPEC)]);
static AZURE_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("clientSecret", &LOCAL_OBJECT_REFERENCE),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static AZURE_SDCONFIGS: SchemaNode = SchemaNode::list(&AZURE_SDCONFIGS_ITEM);
static CONSUL_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
    ("tokenRef", &LOCAL_OBJECT_REFERENCE),
]);
static CONSUL_SDCONFIGS: SchemaNode = SchemaNode::list(&CONSUL_SDCONFIGS_ITEM);
static DIGITAL_OCEAN_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("tlsConfig", &TLS_CONFIG),
]);
static DIGITAL_OCEAN_SDCONFIGS: SchemaNode = SchemaNode::list(&DIGITAL_OCEAN_SDCONFIGS_ITEM);
static EC2_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("accessKey", &LOCAL_OBJECT_REFERENCE),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("secretKey", &LOCAL_OBJECT_REFERENCE),
    ("tlsConfig", &TLS_CONFIG),
]);
static EC2_SDCONFIGS: SchemaNode = SchemaNode::list(&EC2_SDCONFIGS_ITEM);
static LIGHT_SAIL_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("accessKey", &LOCAL_OBJECT_REFERENCE),
    ("authorization", &AUTHORIZATION),
    ("basicAuth", &BASIC_AUTH),
    ("oauth2", &OAUTH2),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("secretKey", &LOCAL_OBJECT_REFERENCE),
    ("tlsConfig", &TLS_CONFIG),
]);
static LIGHT_SAIL_SDCONFIGS: SchemaNode = SchemaNode::list(&LIGHT_SAIL_SDCONFIGS_ITEM);
static OPENSTACK_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("applicationCredentialSecret", &LOCAL_OBJECT_REFERENCE),
    ("password", &LOCAL_OBJECT_REFERENCE),
    ("tlsConfig", &TLS_CONFIG),
]);
static OPENSTACK_SDCONFIGS: SchemaNode = SchemaNode::list(&OPENSTACK_SDCONFIGS_ITEM);
static OVHCLOUD_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("applicationSecret", &LOCAL_OBJECT_REFERENCE),
    ("consumerKey", &LOCAL_OBJECT_REFERENCE),
]);
static OVHCLOUD_SDCONFIGS: SchemaNode = SchemaNode::list(&OVHCLOUD_SDCONFIGS_ITEM);
static SCALEWAY_SDCONFIGS_ITEM: SchemaNode = SchemaNode::object(&[
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("secretKey", &LOCAL_OBJECT_REFERENCE),
    ("tlsConfig", &TLS_CONFIG),
]);
static SCALEWAY_SDCONFIGS: SchemaNode = SchemaNode::list(&SCALEWAY_SDCONFIGS_ITEM);
static SCRAPE_CONFIG_SPEC: SchemaNode = SchemaNode::object(&[
    ("authorization", &AUTHORIZATION),
    ("azureSDConfigs", &AZURE_SDCONFIGS),
    ("basicAuth", &BASIC_AUTH),
    ("consulSDConfigs", &CONSUL_SDCONFIGS),
    ("digitalOceanSDConfigs", &DIGITAL_OCEAN_SDCONFIGS),
    ("dockerSDConfigs", &REMOTE_READ),
    ("dockerSwarmSDConfigs", &REMOTE_READ),
    ("ec2SDConfigs", &EC2_SDCONFIGS),
    ("eurekaSDConfigs", &REMOTE_READ),
    ("hetznerSDConfigs", &REMOTE_READ),
    ("httpSDConfigs", &REMOTE_READ),
    ("ionosSDConfigs", &DIGITAL_OCEAN_SDCONFIGS),
    ("kubernetesSDConfigs", &REMOTE_READ),
    ("kumaSDConfigs", &REMOTE_READ),
    ("lightSailSDConfigs", &LIGHT_SAIL_SDCONFIGS),
    ("linodeSDConfigs", &DIGITAL_OCEAN_SDCONFIGS),
    ("metricRelabelings", &RELABEL_CONFIGS),
    ("nomadSDConfigs", &REMOTE_READ),
    ("oauth2", &OAUTH2),
    ("openstackSDConfigs", &OPENSTACK_SDCONFIGS),
    ("ovhcloudSDConfigs", &OVHCLOUD_SDCONFIGS),
    ("proxyConnectHeader", &PROXY_CONNECT_HEADER),
    ("puppetDBSDConfigs", &REMOTE_READ),
    ("relabelings", &RELABEL_CONFIGS),
    ("scalewaySDConfigs", &SCALEWAY_SDCONFIGS),
    ("tlsConfig", &TLS_CONFIG),
]);
static SCRAPE_CONFIG: SchemaNode = SchemaNode::object(&[("spec", &SCRAPE_CONFIG_SPEC)]);
static SERVICE_MONITOR_SPEC: SchemaNode = SchemaNode::object(&[("endpoints", &ENDPOINTS)]);
static SERVICE_MONITOR: SchemaNode = SchemaNode::object(&[("spec", &SERVICE_MONITOR_SPEC)]);
