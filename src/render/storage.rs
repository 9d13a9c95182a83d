//! The `storage` section: exemplars, TSDB settings and retention (upstream
//! `appendStorageSettingsConfig` for servers and the TSDB part of
//! `GenerateAgentConfiguration`), with the TSDB validations.

use super::relabeling::quantity_as_f64;
use super::{Generator, RenderError};
use crate::monitoring::v1::prometheus::Exemplars;
use crate::yaml::Map;

/// Retention the operator sets when neither time nor size is given.
const DEFAULT_RETENTION: &str = "24h";

impl Generator<'_> {
    /// Refuses TSDB settings the operator rejects.
    pub(crate) fn validate_tsdb(&self) -> Result<(), RenderError> {
        let Some(tsdb) = &self.common.tsdb else {
            return Ok(());
        };
        if let Some(threshold) = &tsdb.stale_series_compaction_threshold {
            let value = quantity_as_f64(&threshold.0);
            if !(0.0..=1.0).contains(&value) {
                return Err(RenderError::Invalid {
                    field: "spec.tsdb.staleSeriesCompactionThreshold".to_owned(),
                    message: format!(
                        "`staleSeriesCompactionThreshold` must be between 0 and 1. The current value is {}",
                        threshold.0
                    ),
                });
            }
        }
        let xor_floats = tsdb
            .chunk_encoding
            .as_ref()
            .and_then(|e| e.floats.as_deref())
            == Some("Xor");
        if xor_floats
            && self
                .common
                .enable_features
                .iter()
                .any(|f| f == "st-storage")
        {
            return Err(RenderError::Invalid {
                field: "spec.tsdb.chunkEncoding.floats".to_owned(),
                message: "chunk encoding \"Xor\" is incompatible with --enable-feature=st-storage (XOR chunks do not store start timestamps)".to_owned(),
            });
        }
        Ok(())
    }

    /// Appends the server's `storage` section (exemplars, TSDB, retention).
    pub(crate) fn push_server_storage(
        &self,
        cfg: &mut Map,
        exemplars: Option<&Exemplars>,
        retention: &str,
        retention_size: &str,
    ) -> Result<(), RenderError> {
        self.validate_tsdb()?;
        let mut storage = Map::new();
        if let Some(max_size) = exemplars.and_then(|e| e.max_size) {
            self.push_min(
                &mut storage,
                "2.29.0",
                "exemplars",
                Map::new().with("max_exemplars", max_size),
            );
        }
        let mut tsdb_section = Map::new();
        if let Some(tsdb) = &self.common.tsdb {
            if let Some(window) = &tsdb.out_of_order_time_window {
                self.push_min(
                    &mut tsdb_section,
                    "2.39.0",
                    "out_of_order_time_window",
                    window.as_str(),
                );
            }
            if let Some(threshold) = &tsdb.stale_series_compaction_threshold {
                self.push_min(
                    &mut tsdb_section,
                    "3.10.0",
                    "stale_series_compaction_threshold",
                    quantity_as_f64(&threshold.0),
                );
            }
            if let Some(floats) = tsdb.chunk_encoding.as_ref().and_then(|e| e.floats.as_ref()) {
                self.push_min(
                    &mut tsdb_section,
                    "3.13.0",
                    "chunk_encoding",
                    Map::new().with("floats", floats.to_lowercase()),
                );
            }
        }
        if self.supports("3.11.0") {
            let mut retention_section = Map::new();
            let time = if retention.is_empty() && retention_size.is_empty() {
                DEFAULT_RETENTION
            } else {
                retention
            };
            if !time.is_empty() {
                retention_section.push("time", time);
            }
            if !retention_size.is_empty() {
                retention_section.push("size", retention_size);
            }
            tsdb_section.push("retention", retention_section);
        }
        if !tsdb_section.is_empty() {
            storage.push("tsdb", tsdb_section);
        }
        if storage.is_empty() {
            return Ok(());
        }
        self.push_min(cfg, "2.29.0", "storage", storage);
        Ok(())
    }

    /// Appends the agent's `storage` sections: one per TSDB setting, as upstream does.
    pub(crate) fn push_agent_storage(&self, cfg: &mut Map) -> Result<(), RenderError> {
        self.validate_tsdb()?;
        let Some(tsdb) = &self.common.tsdb else {
            return Ok(());
        };
        if let Some(window) = &tsdb.out_of_order_time_window {
            let tsdb_section = Map::new().with("out_of_order_time_window", window.as_str());
            self.push_min(
                cfg,
                "2.54.0",
                "storage",
                Map::new().with("tsdb", tsdb_section),
            );
        }
        if let Some(threshold) = &tsdb.stale_series_compaction_threshold {
            let tsdb_section = Map::new().with(
                "stale_series_compaction_threshold",
                quantity_as_f64(&threshold.0),
            );
            self.push_min(
                cfg,
                "3.10.0",
                "storage",
                Map::new().with("tsdb", tsdb_section),
            );
        }
        if let Some(floats) = tsdb.chunk_encoding.as_ref().and_then(|e| e.floats.as_ref()) {
            let tsdb_section = Map::new().with(
                "chunk_encoding",
                Map::new().with("floats", floats.to_lowercase()),
            );
            self.push_min(
                cfg,
                "3.13.0",
                "storage",
                Map::new().with("tsdb", tsdb_section),
            );
        }
        Ok(())
    }
}
