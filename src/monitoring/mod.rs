//! API types of the `monitoring.coreos.com` group, laid out like upstream's
//! `pkg/apis/monitoring` package: shared sub-types once in `v1::common`, reused everywhere.

pub mod de;
pub mod defaults;
mod fields;
pub mod v1;
pub mod v1alpha1;
pub mod v1beta1;

/// The API group of every custom resource the operator reconciles.
pub const GROUP: &str = "monitoring.coreos.com";

pub(crate) use fields::inline_fields;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// An `IntOrString` field as text (Go's `intstr.IntOrString.String()`).
pub fn int_or_string_text(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// What every top-level custom resource type of this group offers.
pub trait CustomResource {
    /// `kind`, e.g. `ServiceMonitor`.
    const KIND: &'static str;
    /// `apiVersion`, e.g. `monitoring.coreos.com/v1`.
    const API_VERSION: &'static str;
    /// The lower-case plural of the REST path, e.g. `servicemonitors`.
    const PLURAL: &'static str;
    /// The object's metadata.
    fn metadata(&self) -> &ObjectMeta;
}

/// Defines a top-level custom resource: `metadata`, `spec` and an opaque `status`.
/// `apiVersion` and `kind` are checked by the loader, not stored; fields after the plural are
/// kept beside the object, never read from or written to YAML.
macro_rules! custom_resource {
    ($(#[$doc:meta])* $name:ident, $spec:ty, $api_version:literal, $plural:literal
        $(, $(#[$field_doc:meta])* $field:ident: $field_ty:ty)*) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// Standard object metadata.
            #[serde(default)]
            pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
            /// The desired state.
            #[serde(default)]
            pub spec: $spec,
            /// The observed state, as the operator reports it; kept opaque.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub status: Option<serde_json::Value>,
            $(
                $(#[$field_doc])*
                #[serde(skip)]
                pub $field: $field_ty,
            )*
        }

        impl $crate::monitoring::CustomResource for $name {
            const KIND: &'static str = stringify!($name);
            const API_VERSION: &'static str = $api_version;
            const PLURAL: &'static str = $plural;
            fn metadata(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                &self.metadata
            }
        }
    };
}
pub(crate) use custom_resource;
