//! Kubernetes selector strings, checked as the operator checks them (`labels.Parse` and
//! `fields.ParseSelector` of `k8s.io/apimachinery`) by the one parser discovery also selects
//! with.

use crate::select::selector_string;

/// Checks a field selector: comma-separated `key=value`, `key==value` or `key!=value`.
pub(in crate::validate) fn parse_fields(text: &str) -> Result<(), String> {
    selector_string::parse_fields(text)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks a label selector string (`app=x,env in (a,b),!legacy`).
pub(in crate::validate) fn parse_labels(text: &str) -> Result<(), String> {
    selector_string::parse_labels(text).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_strings() {
        assert!(parse_labels("app=example,env!=production,release in (v1, v2)").is_ok());
        assert!(parse_labels("!legacy,tier").is_ok());
        assert!(parse_labels("app in v1").is_err());
        assert!(parse_fields("status.phase=Running,metadata.name!=worker").is_ok());
        assert!(parse_fields("status.phase").is_err());
    }
}
