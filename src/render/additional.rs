//! Configuration the user supplies verbatim through Secrets: additional scrape configs
//! (sharded like other jobs), additional alert relabel configs and Alertmanager configs
//! (upstream `generateAdditionalScrapeConfigs` and the Secret loading around it).

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::{Generator, RenderError};
use crate::yaml::{Map, Yaml};

impl Generator<'_> {
    /// The text behind a Secret reference of the Prometheus, as the operator loads it:
    /// `None` when there is no reference (or an optional one is missing), an error naming
    /// `context` when a required Secret or key is missing.
    pub(crate) fn load_secret_ref(
        &self,
        selector: Option<&SecretKeySelector>,
        context: &str,
    ) -> Result<Option<String>, RenderError> {
        let Some(selector) = selector else {
            return Ok(None);
        };
        let optional = selector.optional.unwrap_or(false);
        let invalid = |reason: String| RenderError::Invalid {
            field: format!("secret {}/{}", self.namespace, selector.name),
            message: format!("{context}: {reason}"),
        };
        if self
            .snapshot
            .secret(self.namespace, &selector.name)
            .is_none()
        {
            if optional {
                return Ok(None);
            }
            return Err(invalid(format!("secrets {:?} not found", selector.name)));
        }
        match self
            .snapshot
            .secret_value(self.namespace, &selector.name, &selector.key)
        {
            Some(text) => Ok(Some(text)),
            None if optional => Ok(None),
            None => Err(invalid(format!(
                "key {} could not be found in secret {}",
                selector.key, selector.name
            ))),
        }
    }

    /// Parses user-supplied YAML that must be a list of mappings; empty text is an empty list.
    /// `field` names where it comes from ([`secret_field`]), `what` is the operator's word.
    pub(crate) fn parse_mapping_list(
        &self,
        text: Option<&str>,
        what: &str,
        field: &str,
    ) -> Result<Vec<Map>, RenderError> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        let invalid = |reason: String| RenderError::Invalid {
            field: field.to_owned(),
            message: format!("unmarshalling {what} failed: {reason}"),
        };
        crate::yaml::parse_map_slices(text).map_err(|e| invalid(e.to_string()))
    }

    /// The additional scrape configs, with sharding relabelings appended when the
    /// Prometheus is sharded and the job does not shard itself (no `hashmod` action).
    pub(crate) fn additional_scrape_configs(
        &self,
        text: Option<&str>,
    ) -> Result<Vec<Yaml>, RenderError> {
        let field = secret_field(
            "spec.additionalScrapeConfigs",
            self.common.additional_scrape_configs.as_ref(),
        );
        let jobs = self.parse_mapping_list(text, "additional scrape configs", &field)?;
        let shards = self.shards();
        if self.daemon_set_mode() || shards == 1 {
            return Ok(jobs.into_iter().map(Yaml::Map).collect());
        }
        let mut sharded = Vec::with_capacity(jobs.len());
        for job in jobs {
            let mut other = Map::new();
            let mut relabelings: Vec<Map> = Vec::new();
            for (key, value) in job {
                if key != "relabel_configs" {
                    other.push(key, value);
                    continue;
                }
                let Yaml::Seq(items) = value else {
                    return Err(RenderError::Invalid {
                        field,
                        message: "error parsing relabel configs".to_owned(),
                    });
                };
                for item in items {
                    let Yaml::Map(relabeling) = item else {
                        return Err(RenderError::Invalid {
                            field,
                            message: "error parsing relabel config".to_owned(),
                        });
                    };
                    relabelings.push(relabeling);
                }
            }
            self.append_sharding_relabeling_with_address_if_missing(&mut relabelings, shards);
            other.push("relabel_configs", relabelings);
            sharded.push(Yaml::Map(other));
        }
        Ok(sharded)
    }

    /// The number of shards (`spec.shards`, at least 1).
    pub(crate) fn shards(&self) -> i32 {
        self.common.shard_count()
    }
}

/// `path` (`spec.additionalScrapeConfigs`) with the Secret key it selects, for a message
/// about the text found there (whose line numbers count in that key's value).
pub(crate) fn secret_field(path: &str, selector: Option<&SecretKeySelector>) -> String {
    match selector {
        Some(selector) => format!(
            "{path} (key {:?} of Secret {:?})",
            selector.key, selector.name
        ),
        None => path.to_owned(),
    }
}
