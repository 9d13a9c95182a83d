//! The `tracing` section (upstream `appendTracingConfig`).

use super::relabeling::quantity_as_f64;
use super::{Generator, RenderError, sorted_map};
use crate::yaml::Map;

impl Generator<'_> {
    /// Appends the `tracing` section when `spec.tracingConfig` is set.
    pub(crate) fn push_tracing(&self, cfg: &mut Map) -> Result<(), RenderError> {
        let Some(tracing) = &self.common.tracing_config else {
            return Ok(());
        };
        let sampling_fraction = match &tracing.sampling_fraction {
            Some(q) => {
                let value = quantity_as_f64(&q.0);
                if !(0.0..=1.0).contains(&value) {
                    return Err(RenderError::Invalid {
                        field: "spec.tracingConfig.samplingFraction".to_owned(),
                        message: "`samplingFraction` must be between 0 and 1".to_owned(),
                    });
                }
                Some(value)
            }
            None => None,
        };
        let mut section = Map::new().with("endpoint", tracing.endpoint.as_str());
        if let Some(client_type) = &tracing.client_type {
            section.push("client_type", client_type.to_lowercase());
        }
        if let Some(fraction) = sampling_fraction {
            section.push("sampling_fraction", fraction);
        }
        if let Some(insecure) = tracing.insecure {
            section.push("insecure", insecure);
        }
        if !tracing.headers.is_empty() {
            section.push("headers", sorted_map(&tracing.headers));
        }
        if let Some(compression) = &tracing.compression {
            section.push("compression", compression.to_lowercase());
        }
        if let Some(timeout) = &tracing.timeout {
            section.push("timeout", timeout.as_str());
        }
        self.add_tls(&mut section, self.namespace, tracing.tls_config.as_ref());
        cfg.push("tracing", section);
        Ok(())
    }
}
