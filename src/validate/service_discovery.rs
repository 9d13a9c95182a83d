//! The service-discovery sections of a ScrapeConfig, as the operator validates them (upstream
//! `ResourceSelector`'s `validate*SDConfigs`): version gates, URLs, and the Secrets and
//! ConfigMaps they reference.

use k8s_openapi::api::core::v1::SecretKeySelector;

use crate::monitoring::v1::common::{BasicAuth, OAuth2, ProxyConfig, SafeAuthorization};
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::monitoring::v1alpha1::scrape_config::ScrapeConfigSpec;
use crate::select::selector_string;
use crate::validate::authorization::{authorization, basic_auth, oauth2};
use crate::validate::proxy::proxy;
use crate::validate::references::secret_key;
use crate::validate::tls::safe_tls;
use crate::validate::{Check, Checked, Context, Violation, fail};

/// The common HTTP client settings of an SD config, checked in a given order.
#[derive(Clone, Copy)]
enum Step {
    BasicAuth,
    Authorization,
    OAuth2,
    Tls,
    Proxy,
}

struct Client<'a> {
    basic_auth: Option<&'a BasicAuth>,
    authorization: Option<&'a SafeAuthorization>,
    oauth2: Option<&'a OAuth2>,
    tls: Option<&'a SafeTLSConfig>,
    proxy: Option<ProxyConfig>,
}

impl Client<'_> {
    fn run(&self, ctx: &Context<'_>, ns: &str, at: &str, steps: &[Step]) -> Checked {
        for step in steps {
            match step {
                Step::BasicAuth => {
                    basic_auth(ctx, ns, self.basic_auth, &format!("{at}.basicAuth"))?
                }
                Step::Authorization => {
                    authorization(ctx, ns, self.authorization, &format!("{at}.authorization"))?
                }
                Step::OAuth2 => oauth2(ctx, ns, self.oauth2, &format!("{at}.oauth2"))?,
                Step::Tls => safe_tls(ctx, ns, self.tls, &format!("{at}.tlsConfig"))?,
                Step::Proxy => {
                    if let Some(pc) = &self.proxy {
                        proxy(ctx, ns, pc, at)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The client settings of an SD config: basic auth (`without basic_auth` for the configs that
/// have none, such as DigitalOcean and Linode), authorization, OAuth2, TLS and proxy (`tls and
/// proxy only` for EC2 and Scaleway); the SD config types share these field names, not one type.
macro_rules! client_of {
    ($c:expr) => {
        Client {
            basic_auth: $c.basic_auth.as_ref(),
            ..client_of!($c, without basic_auth)
        }
    };
    ($c:expr, without basic_auth) => {
        Client {
            authorization: $c.authorization.as_ref(),
            oauth2: $c.oauth2.as_ref(),
            ..client_of!($c, tls and proxy only)
        }
    };
    ($c:expr, tls and proxy only) => {
        Client {
            basic_auth: None,
            authorization: None,
            oauth2: None,
            tls: $c.tls_config.as_ref(),
            proxy: Some($c.proxy_config()),
        }
    };
}

use Step::{Authorization as Az, BasicAuth as Ba, OAuth2 as Oa, Proxy as Px, Tls as Tl};

fn gate(ctx: &Context<'_>, minimum: &str, field: String, what: &str) -> Checked {
    if ctx.version.lt(minimum) {
        fail(
            Check::Version,
            field,
            format!("{what} is only supported for Prometheus version >= {minimum}"),
        )?;
    }
    Ok(())
}

/// Version gates on whole SD kinds: (field under `spec`, minimum Prometheus, what it is called).
/// They apply whether or not the kind has entries, as upstream's do.
const KIND_GATES: [(&str, &str, &str); 9] = [
    ("httpSDConfigs", "2.28.0", "HTTP SD configuration"),
    (
        "digitalOceanSDConfigs",
        "2.20.0",
        "service discovery for Digital Ocean",
    ),
    ("linodeSDConfigs", "2.28.0", "linode SD configuration"),
    (
        "dockerSwarmSDConfigs",
        "2.20.0",
        "dockerswarm SD configuration",
    ),
    ("puppetDBSDConfigs", "2.31.0", "puppetDB SD configuration"),
    ("lightSailSDConfigs", "2.27.0", "lightSail SD configuration"),
    ("ovhcloudSDConfigs", "2.40.0", "OVHCloud SD configuration"),
    ("scalewaySDConfigs", "2.26.0", "ScaleWay SD configuration"),
    ("ionosSDConfigs", "2.36.0", "IONOS SD configuration"),
];

/// The paths of the entries of the SD kind `key` (`spec.<key>[i]`, to zip with them), once
/// the kind's version gate, if it has one, passes.
fn entries(
    ctx: &Context<'_>,
    key: &'static str,
) -> Result<impl Iterator<Item = String>, Violation> {
    if let Some((_, minimum, what)) = KIND_GATES.iter().find(|(kind, ..)| *kind == key) {
        gate(ctx, minimum, format!("spec.{key}"), what)?;
    }
    Ok((0..).map(move |i| format!("spec.{key}[{i}]")))
}

/// The AWS access and secret keys (EC2, Lightsail), each when set.
fn aws_keys(
    ctx: &Context<'_>,
    ns: &str,
    access_key: Option<&SecretKeySelector>,
    secret: Option<&SecretKeySelector>,
    at: &str,
) -> Checked {
    if let Some(sel) = access_key {
        secret_key(ctx, ns, sel, &format!("{at}.accessKey"))?;
    }
    if let Some(sel) = secret {
        secret_key(ctx, ns, sel, &format!("{at}.secretKey"))?;
    }
    Ok(())
}

/// The gate on the SD config field `name` (under `at`), added in Prometheus `minimum`, when the
/// field is set.
fn field_gate(ctx: &Context<'_>, set: bool, minimum: &str, at: &str, name: &str) -> Checked {
    if set {
        gate(
            ctx,
            minimum,
            format!("{at}.{name}"),
            &format!("field `{name}`"),
        )?;
    }
    Ok(())
}

fn url_parses(url: &str, field: String) -> Checked {
    crate::go::url::parse(url)
        .map(|_| ())
        .map_err(|e| Violation::new(Check::Field, field, e))
}

fn server(url: &str, field: String) -> Checked {
    match crate::go::url::parse(url) {
        Err(e) => fail(Check::Field, field, format!("cannot parse server: {e}")),
        Ok(u) if u.scheme.is_empty() || u.host.is_empty() => fail(
            Check::Field,
            field,
            format!("must not be empty and have a scheme: {url}"),
        ),
        Ok(_) => Ok(()),
    }
}

/// Runs the per-SD checks in the operator's order.
pub(super) fn check_service_discovery(
    ctx: &Context<'_>,
    ns: &str,
    spec: &ScrapeConfigSpec,
) -> Checked {
    let paths = entries(ctx, "httpSDConfigs")?;
    for (c, at) in spec.http_sd_configs.iter().zip(paths) {
        url_parses(&c.url, format!("{at}.url"))?;
        client_of!(c).run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
    }

    let paths = entries(ctx, "kubernetesSDConfigs")?;
    for (c, at) in spec.kubernetes_sd_configs.iter().zip(paths) {
        client_of!(c).run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
        kubernetes_sd(ctx, c, &at)?;
    }

    let paths = entries(ctx, "consulSDConfigs")?;
    for (c, at) in spec.consul_sd_configs.iter().zip(paths) {
        for (present, minimum, name) in [
            (c.path_prefix.is_some(), "2.45.0", "pathPrefix"),
            (c.namespace.is_some(), "2.28.0", "namespace"),
            (c.filter.is_some(), "3.0.0", "filter"),
            (c.health_filter.is_some(), "3.11.2", "healthFilter"),
        ] {
            field_gate(ctx, present, minimum, &at, name)?;
        }
        let client = client_of!(c);
        client.run(ctx, ns, &at, &[Ba, Az, Oa, Tl])?;
        if let Some(token) = &c.token_ref {
            secret_key(ctx, ns, token, &format!("{at}.tokenRef"))?;
        }
        client.run(ctx, ns, &at, &[Px])?;
    }

    let paths = entries(ctx, "dnsSDConfigs")?;
    for (c, at) in spec.dns_sd_configs.iter().zip(paths) {
        if let Some(record_type) = &c.type_
            && record_type != "SRV"
            && c.port.is_none()
        {
            fail(
                Check::Field,
                format!("{at}.port"),
                format!("port required for record type {record_type:?}"),
            )?;
        }
    }

    let paths = entries(ctx, "ec2SDConfigs")?;
    for (c, at) in spec.ec2_sd_configs.iter().zip(paths) {
        aws_keys(ctx, ns, c.access_key.as_ref(), c.secret_key.as_ref(), &at)?;
        client_of!(c, tls and proxy only).run(ctx, ns, &at, &[Tl, Px])?;
    }

    let paths = entries(ctx, "azureSDConfigs")?;
    for (c, at) in spec.azure_sd_configs.iter().zip(paths) {
        let method = c.authentication_method.as_deref().unwrap_or("");
        if method == "SDK" {
            gate(
                ctx,
                "2.52.0",
                format!("{at}.authenticationMethod"),
                "SDK authentication",
            )?;
        }
        if method == "WorkloadIdentity" {
            gate(
                ctx,
                "3.11.0",
                format!("{at}.authenticationMethod"),
                "WorkloadIdentity authentication",
            )?;
        }
        if c.resource_group.is_some() {
            gate(
                ctx,
                "2.35.0",
                format!("{at}.resourceGroup"),
                "ResourceGroup",
            )?;
        }
        // Without an explicit method Prometheus uses OAuth, which needs credentials.
        if matches!(method, "ManagedIdentity" | "SDK" | "WorkloadIdentity") {
            continue;
        }
        if c.tenant_id.as_deref().unwrap_or("").is_empty() {
            fail(
                Check::Field,
                format!("{at}.tenantID"),
                "configuration requires a tenantID",
            )?;
        }
        if c.client_id.as_deref().unwrap_or("").is_empty() {
            fail(
                Check::Field,
                format!("{at}.clientID"),
                "configuration requires a clientID",
            )?;
        }
        let Some(secret) = &c.client_secret else {
            return fail(
                Check::Field,
                format!("{at}.clientSecret"),
                "configuration requires a clientSecret",
            );
        };
        secret_key(ctx, ns, secret, &format!("{at}.clientSecret"))?;
        client_of!(c).run(ctx, ns, &at, &[Ba, Oa, Px, Tl, Az])?;
    }

    let paths = entries(ctx, "openstackSDConfigs")?;
    for (c, at) in spec.openstack_sd_configs.iter().zip(paths) {
        if c.role == "LoadBalancer" {
            gate(ctx, "3.2.0", format!("{at}.role"), "The LoadBalancer role")?;
        }
        if let Some(sel) = &c.password {
            secret_key(ctx, ns, sel, &format!("{at}.password"))?;
        }
        if let Some(sel) = &c.application_credential_secret {
            secret_key(ctx, ns, sel, &format!("{at}.applicationCredentialSecret"))?;
        }
        safe_tls(ctx, ns, c.tls_config.as_ref(), &format!("{at}.tlsConfig"))?;
    }

    let paths = entries(ctx, "digitalOceanSDConfigs")?;
    for (c, at) in spec.digital_ocean_sd_configs.iter().zip(paths) {
        client_of!(c, without basic_auth).run(ctx, ns, &at, &[Az, Oa, Tl, Px])?;
    }

    let paths = entries(ctx, "kumaSDConfigs")?;
    for (c, at) in spec.kuma_sd_configs.iter().zip(paths) {
        if c.client_id.is_some() {
            gate(
                ctx,
                "2.50.0",
                format!("{at}.clientID"),
                "field `clientID` in kuma SD configuration",
            )?;
        }
        server(&c.server, format!("{at}.server"))?;
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "eurekaSDConfigs")?;
    for (c, at) in spec.eureka_sd_configs.iter().zip(paths) {
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "dockerSDConfigs")?;
    for (c, at) in spec.docker_sd_configs.iter().zip(paths) {
        field_gate(
            ctx,
            c.match_first_network.is_some(),
            "2.54.1",
            &at,
            "matchFirstNetwork",
        )?;
        let client = client_of!(c);
        client.run(ctx, ns, &at, &[Ba, Az, Oa, Tl])?;
        url_parses(&c.host, format!("{at}.host"))?;
        client.run(ctx, ns, &at, &[Px])?;
    }

    let paths = entries(ctx, "linodeSDConfigs")?;
    for (c, at) in spec.linode_sd_configs.iter().zip(paths) {
        client_of!(c, without basic_auth).run(ctx, ns, &at, &[Az, Oa, Tl, Px])?;
    }

    let paths = entries(ctx, "hetznerSDConfigs")?;
    for (c, at) in spec.hetzner_sd_configs.iter().zip(paths) {
        field_gate(
            ctx,
            c.label_selector.is_some(),
            "3.5.0",
            &at,
            "labelSelector",
        )?;
        client_of!(c).run(ctx, ns, &at, &[Ba, Az, Oa, Tl, Px])?;
    }

    let paths = entries(ctx, "nomadSDConfigs")?;
    for (c, at) in spec.nomad_sd_configs.iter().zip(paths) {
        server(&c.server, format!("{at}.server"))?;
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "dockerSwarmSDConfigs")?;
    for (c, at) in spec.docker_swarm_sd_configs.iter().zip(paths) {
        url_parses(&c.host, format!("{at}.host"))?;
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "puppetDBSDConfigs")?;
    for (c, at) in spec.puppet_db_sd_configs.iter().zip(paths) {
        let parsed = crate::go::url::parse(&c.url)
            .map_err(|e| Violation::new(Check::Field, format!("{at}.url"), e))?;
        if parsed.scheme != "http" && parsed.scheme != "https" {
            fail(
                Check::Field,
                format!("{at}.url"),
                "URL scheme must be 'http' or 'https'",
            )?;
        }
        if parsed.host.is_empty() {
            fail(Check::Field, format!("{at}.url"), "host is missing in URL")?;
        }
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "lightSailSDConfigs")?;
    for (c, at) in spec.light_sail_sd_configs.iter().zip(paths) {
        aws_keys(ctx, ns, c.access_key.as_ref(), c.secret_key.as_ref(), &at)?;
        client_of!(c).run(ctx, ns, &at, &[Az, Oa, Tl, Ba, Px])?;
    }

    let paths = entries(ctx, "ovhcloudSDConfigs")?;
    for (c, at) in spec.ovhcloud_sd_configs.iter().zip(paths) {
        secret_key(
            ctx,
            ns,
            &c.application_secret,
            &format!("{at}.applicationSecret"),
        )?;
        secret_key(ctx, ns, &c.consumer_key, &format!("{at}.consumerKey"))?;
    }

    let paths = entries(ctx, "scalewaySDConfigs")?;
    for (c, at) in spec.scaleway_sd_configs.iter().zip(paths) {
        secret_key(ctx, ns, &c.secret_key, &format!("{at}.secretKey"))?;
        client_of!(c, tls and proxy only).run(ctx, ns, &at, &[Px, Tl])?;
    }

    let paths = entries(ctx, "ionosSDConfigs")?;
    for (c, at) in spec.ionos_sd_configs.iter().zip(paths) {
        let client = Client {
            authorization: Some(&c.authorization),
            oauth2: c.oauth2.as_ref(),
            ..client_of!(c, tls and proxy only)
        };
        client.run(ctx, ns, &at, &[Az, Px, Tl, Oa])?;
    }
    Ok(())
}

fn kubernetes_sd(
    ctx: &Context<'_>,
    c: &crate::monitoring::v1alpha1::scrape_config::KubernetesSDConfig,
    at: &str,
) -> Checked {
    if c.role.eq_ignore_ascii_case("endpointslice") && ctx.version.lt("2.21.0") {
        fail(
            Check::Version,
            format!("{at}.role"),
            "EndpointSlice role is only supported for Prometheus version >= 2.21.0",
        )?;
    }
    if c.api_server.is_some()
        && c.namespaces
            .as_ref()
            .is_some_and(|n| n.own_namespace == Some(true))
    {
        fail(
            Check::Field,
            at,
            "cannot use 'apiServer' and 'namespaces.ownNamespace' simultaneously",
        )?;
    }
    let role = c.role.to_lowercase();
    let allowed: &[&str] = match role.as_str() {
        "pod" => &["pod"],
        "service" => &["service"],
        "endpointslice" => &["pod", "service", "endpointslice"],
        "endpoints" => &["pod", "service", "endpoints"],
        "node" => &["node"],
        "ingress" => &["ingress"],
        _ => &[],
    };
    for (j, s) in c.selectors.iter().enumerate() {
        if allowed.is_empty() {
            fail(
                Check::Field,
                format!("{at}.role"),
                format!(
                    "invalid role: {:?}, expecting one of: pod, service, endpoints, \
                     endpointslice, node or ingress",
                    s.role
                ),
            )?;
        }
        if !allowed.contains(&s.role.to_lowercase().as_str()) {
            fail(
                Check::Field,
                format!("{at}.selectors[{j}].role"),
                format!(
                    "{} role supports only {} selectors",
                    c.role,
                    allowed.join(", ")
                ),
            )?;
        }
    }
    for (j, s) in c.selectors.iter().enumerate() {
        if let Some(field) = &s.field
            && let Err(e) = selector_string::parse_fields(field)
        {
            fail(
                Check::Field,
                format!("{at}.selectors[{j}].field"),
                e.to_string(),
            )?;
        }
        if let Some(label) = &s.label
            && let Err(e) = selector_string::parse_labels(label)
        {
            fail(Check::Field, format!("{at}.selectors[{j}].label"), e)?;
        }
    }
    Ok(())
}
