//! The `otlp` section (upstream `appendOTLPConfig`) and its validations.

use super::{Generator, RenderError};
use crate::yaml::{Map, Yaml};

impl Generator<'_> {
    /// Appends the `otlp` section, refusing combinations the operator rejects.
    pub(crate) fn push_otlp(&self, cfg: &mut Map) -> Result<(), RenderError> {
        let Some(otlp) = &self.common.otlp else {
            return Ok(());
        };
        let invalid = |message: String| RenderError::Invalid {
            field: "spec.otlp".to_owned(),
            message,
        };
        if self.version.lt("2.55.0") {
            return Err(invalid(
                "OTLP configuration is only supported from Prometheus version 2.55.0".to_owned(),
            ));
        }
        let strategy = otlp.translation_strategy.as_deref().unwrap_or("");
        if strategy == "NoUTF8EscapingWithSuffixes"
            && self.common.name_validation_scheme.as_deref() == Some("Legacy")
        {
            return Err(invalid(
                "nameValidationScheme \"Legacy\" is not compatible with OTLP translation strategy \"NoUTF8EscapingWithSuffixes\"".to_owned(),
            ));
        }
        if self.version.lt("3.4.0") && strategy == "NoTranslation" {
            return Err(invalid(
                "nameValidationScheme \"NoTranslation\" is only supported from Prometheus version 3.4.0 ".to_owned(),
            ));
        }
        if self.version.lt("3.6.0") && strategy == "UnderscoreEscapingWithoutSuffixes" {
            return Err(invalid(
                "nameValidationScheme \"UnderscoreEscapingWithoutSuffixes\" is only supported from Prometheus version 3.6.0 ".to_owned(),
            ));
        }
        let promote_all = otlp.promote_all_resource_attributes == Some(true);
        if self.version.gte("3.5.0") {
            if !otlp.promote_resource_attributes.is_empty() && promote_all {
                return Err(invalid(
                    "'promoteAllResourceAttributes' cannot be set to 'true' simultaneously with 'promoteResourceAttributes'".to_owned(),
                ));
            }
            if !otlp.ignore_resource_attributes.is_empty() && !promote_all {
                return Err(invalid(
                    "'ignoreResourceAttributes' can only be set when 'promoteAllResourceAttributes' is true".to_owned(),
                ));
            }
        }

        // Each setting when set, with the Prometheus version that introduced it.
        let list = |values: &Vec<String>| (!values.is_empty()).then(|| Yaml::from(values.clone()));
        let flag = |value: Option<bool>| value.map(Yaml::Bool);
        let settings = [
            (
                "2.55.0",
                "promote_resource_attributes",
                list(&otlp.promote_resource_attributes),
            ),
            (
                "3.0.0",
                "translation_strategy",
                otlp.translation_strategy.as_deref().map(Yaml::from),
            ),
            (
                "3.1.0",
                "keep_identifying_resource_attributes",
                flag(otlp.keep_identifying_resource_attributes),
            ),
            (
                "3.4.0",
                "convert_histograms_to_nhcb",
                flag(otlp.convert_histograms_to_nhcb),
            ),
            (
                "3.5.0",
                "promote_all_resource_attributes",
                flag(otlp.promote_all_resource_attributes),
            ),
            (
                "3.5.0",
                "ignore_resource_attributes",
                list(&otlp.ignore_resource_attributes),
            ),
            (
                "3.6.0",
                "promote_scope_metadata",
                flag(otlp.promote_scope_metadata),
            ),
            (
                "3.8.0",
                "label_name_underscore_sanitization",
                flag(otlp.label_name_underscore_sanitization),
            ),
            (
                "3.8.0",
                "label_name_preserve_multiple_underscores",
                flag(otlp.label_name_preserve_multiple_underscores),
            ),
        ];
        let mut section = Map::new();
        for (minimum, key, value) in settings {
            if let Some(value) = value {
                self.push_min(&mut section, minimum, key, value);
            }
        }
        if !section.is_empty() {
            cfg.push("otlp", section);
        }
        Ok(())
    }
}
