//! Relabeling rules and label names, as the operator validates them (upstream
//! `pkg/prometheus/validation`'s `LabelConfigValidator`, after Prometheus's
//! `relabel.Config.Validate`), with the label-name scheme of the Prometheus version.

use std::collections::BTreeMap;

use super::Version;
use crate::monitoring::v1::common::RelabelConfig;
use crate::relabel::NameValidationScheme;
use crate::validate::{Check, Checked, Violation, fail};

pub(super) fn static_labels(
    version: &Version,
    labels: &BTreeMap<String, String>,
    field: &str,
) -> Checked {
    let scheme = NameValidationScheme::of_version(version);
    match labels.keys().find(|k| !scheme.is_valid_label_name(k)) {
        Some(name) => fail(Check::LabelName, field, format!("invalid label {name:?}")),
        None => Ok(()),
    }
}

/// Checks relabeling rules the way the operator's label-config validator does.
pub fn relabel_configs(version: &Version, configs: &[RelabelConfig], field: &str) -> Checked {
    for (i, rc) in configs.iter().enumerate() {
        relabel_config(version, rc).map_err(|message| {
            Violation::new(Check::Relabeling, format!("{field}[{i}]"), message)
        })?;
    }
    Ok(())
}

fn relabel_config(version: &Version, rc: &RelabelConfig) -> Result<(), String> {
    const DEFAULT_REGEX: &str = "(.*)";
    const DEFAULT_SEPARATOR: &str = ";";
    const DEFAULT_REPLACEMENT: &str = "$1";
    let scheme = NameValidationScheme::of_version(version);
    let shown = if rc.action.is_empty() {
        "replace"
    } else {
        rc.action.as_str()
    };
    let action = shown.to_lowercase();
    let action = action.as_str();
    let modulus = rc.modulus.unwrap_or(0);
    let replacement_is_custom = rc
        .replacement
        .as_deref()
        .is_some_and(|r| r != DEFAULT_REPLACEMENT);
    let separator_is_custom = rc
        .separator
        .as_deref()
        .is_some_and(|s| s != DEFAULT_SEPARATOR);
    let target = rc.target_label.as_str();

    if matches!(action, "lowercase" | "uppercase") && version.lt("2.36.0") {
        return Err(format!(
            "{shown} relabel action is only supported from Prometheus version 2.36.0"
        ));
    }
    if matches!(action, "keepequal" | "dropequal") && version.lt("2.41.0") {
        return Err(format!(
            "{shown} relabel action is only supported from Prometheus version 2.41.0"
        ));
    }
    // A pattern too large for this tool to compile is one Go compiled: the operator takes it.
    if let Err(e) = crate::relabel::GoRegex::new(&rc.regex)
        && !matches!(e, crate::relabel::GoRegexError::TooLarge(_))
    {
        return Err(format!(
            "invalid regex {} for relabel configuration: {e}",
            rc.regex
        ));
    }
    if modulus == 0 && action == "hashmod" {
        return Err("relabel configuration for hashmod requires non-zero modulus".to_owned());
    }
    let needs_target = matches!(
        action,
        "replace" | "hashmod" | "lowercase" | "uppercase" | "keepequal" | "dropequal"
    );
    if needs_target && target.is_empty() {
        return Err(format!(
            "relabel configuration for {shown} action needs targetLabel value"
        ));
    }
    let target_checked = matches!(
        action,
        "replace" | "hashmod" | "lowercase" | "uppercase" | "keepequal" | "dropequal"
    );
    if target_checked && !scheme.is_valid_label_name(target) {
        return Err(format!(
            "{target:?} is invalid 'target_label' for {shown} action"
        ));
    }
    if matches!(
        action,
        "lowercase" | "uppercase" | "keepequal" | "dropequal"
    ) && replacement_is_custom
    {
        return Err(format!("'replacement' can not be set for {shown} action"));
    }
    if action == "labelmap"
        && let Some(replacement) = &rc.replacement
        && !scheme.is_valid_label_template(replacement)
    {
        return Err(format!(
            "{replacement:?} is invalid 'replacement' for {shown} action"
        ));
    }
    if matches!(action, "keepequal" | "dropequal")
        && ((!rc.regex.is_empty() && rc.regex != DEFAULT_REGEX)
            || modulus != 0
            || separator_is_custom
            || replacement_is_custom)
    {
        return Err(format!(
            "{shown} action requires only 'source_labels' and `target_label`, and no other fields"
        ));
    }
    if matches!(action, "labeldrop" | "labelkeep")
        && (!rc.source_labels.is_empty()
            || !target.is_empty()
            || modulus != 0
            || separator_is_custom
            || replacement_is_custom)
    {
        return Err(format!(
            "{shown} action requires only 'regex', and no other fields"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relabeling() {
        let v3 = Version::parse("3.0.0").unwrap();
        let v2 = Version::parse("2.36.0").unwrap();
        let rc = |action: &str, target: &str| RelabelConfig {
            action: action.to_owned(),
            target_label: target.to_owned(),
            ..Default::default()
        };
        assert!(relabel_config(&v2, &rc("replace", "ok")).is_ok());
        assert!(relabel_config(&v2, &rc("replace", "")).is_err());
        assert!(relabel_config(&v2, &rc("Replace", " bad")).is_err());
        assert!(relabel_config(&v3, &rc("Replace", " fine in utf8")).is_ok());
        assert!(relabel_config(&v2, &rc("hashmod", "x")).is_err());
        assert!(relabel_config(&v2, &rc("labeldrop", "x")).is_err());
        let bad_regex = RelabelConfig {
            regex: "invalid regex)".to_owned(),
            ..rc("replace", "x")
        };
        assert!(relabel_config(&v2, &bad_regex).is_err());
        let labelmap = RelabelConfig {
            replacement: Some("some-name-value".to_owned()),
            ..rc("labelmap", "")
        };
        assert!(relabel_config(&v2, &labelmap).is_err());
    }
}
