//! The Prometheus or PrometheusAgent a configuration is generated for, and the Prometheus
//! version in effect for it.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::monitoring::CustomResource;
use crate::monitoring::v1::Prometheus;
use crate::monitoring::v1::prometheus::CommonPrometheusFields;
use crate::monitoring::v1alpha1::PrometheusAgent;
use crate::version::{DEFAULT_PROMETHEUS_VERSION, Version, VersionError};

/// A Prometheus or PrometheusAgent, the instances whose scrape configuration is generated.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// A `Prometheus` (server mode).
    Server(&'a Prometheus),
    /// A `PrometheusAgent`.
    Agent(&'a PrometheusAgent),
}

impl<'a> Target<'a> {
    /// `Prometheus` or `PrometheusAgent`.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Server(_) => Prometheus::KIND,
            Target::Agent(_) => PrometheusAgent::KIND,
        }
    }

    /// The instance's metadata.
    pub fn metadata(&self) -> &'a ObjectMeta {
        match self {
            Target::Server(p) => &p.metadata,
            Target::Agent(a) => &a.metadata,
        }
    }

    /// Its namespace (empty when unset).
    pub fn namespace(&self) -> &'a str {
        self.metadata().namespace.as_deref().unwrap_or("")
    }

    /// Its name.
    pub fn name(&self) -> &'a str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// Whether the instance is paused (`spec.paused`).
    pub fn paused(&self) -> bool {
        self.common().paused == Some(true)
    }

    /// The fields both kinds share.
    pub fn common(&self) -> &'a CommonPrometheusFields {
        match self {
            Target::Server(p) => p.spec.common_fields(),
            Target::Agent(a) => a.spec.common_fields(),
        }
    }

    /// `spec.version`, or the operator's default when it is empty.
    pub fn version_text(&self) -> &'a str {
        let version = match self {
            Target::Server(p) => p.spec.version.as_deref(),
            Target::Agent(a) => a.spec.version.as_deref(),
        };
        crate::version::text_in_effect(version, DEFAULT_PROMETHEUS_VERSION)
    }

    /// The Prometheus version in effect: the one place it is decided.
    pub fn version(&self) -> Result<Version, VersionError> {
        Version::parse(self.version_text())
    }

    /// The name validation scheme the instance runs with (UTF-8 when its version does not
    /// parse: such an instance is refused before anything is checked against it).
    pub fn name_validation_scheme(&self) -> crate::relabel::NameValidationScheme {
        self.version()
            .map_or(crate::relabel::NameValidationScheme::Utf8, |v| {
                crate::relabel::NameValidationScheme::in_effect(
                    &v,
                    self.common().name_validation_scheme.as_deref(),
                )
            })
    }
}
