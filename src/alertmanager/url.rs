//! URLs as the operator and Alertmanager check them: Go's `net/url.Parse` with its error text
//! (the parser is `go::url`), `net.SplitHostPort`, Alertmanager's
//! `config/common.ParseURL`, and the operator's `validation.ValidateURL` / `ValidateSecretURL` /
//! `ValidateTemplateURL`.

pub(crate) use crate::go::net::join_host_port;
pub use crate::go::url::Url;
pub(crate) use crate::go::url::parse;

/// Alertmanager's `ParseURL`: a Go URL with scheme `http` or `https` and a host.
pub fn parse_http(raw: &str) -> Result<Url, String> {
    let url = parse(raw)?;
    if url.scheme != "http" && url.scheme != "https" {
        return Err(format!("unsupported scheme {:?} for URL", url.scheme));
    }
    if url.host.is_empty() {
        return Err("missing host for URL".to_owned());
    }
    Ok(url)
}

/// The operator embeds the URL in a JSON string literal without escaping it before decoding.
fn json_string_ok(raw: &str) -> Result<(), String> {
    let literal = format!("\"{raw}\"");
    serde_json::from_str::<String>(&literal)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The operator's `validation.ValidateURL`.
pub fn validate_url(raw: &str) -> Result<(), String> {
    json_string_ok(raw)
        .and_then(|()| parse_http(raw).map(|_| ()))
        .map_err(|e| format!("validate url from string failed for {raw}: {e}"))
}

/// The operator's `validation.ValidateSecretURL`: as [`validate_url`], without echoing the URL.
pub fn validate_secret_url(raw: &str) -> Result<(), String> {
    json_string_ok(raw)
        .and_then(|()| parse_http(raw).map(|_| ()))
        .map_err(|e| {
            format!(
                "validate url from string failed with error: {}",
                crate::redact::hide_value(&e, raw, "[REDACTED]")
            )
        })
}

/// The operator's `validation.ValidateTemplateURL`: a Go template when it contains `{{`, else
/// a secret URL.
pub fn validate_template_url(raw: &str) -> Result<(), String> {
    if raw.contains("{{") {
        super::template::check(raw)
    } else {
        validate_secret_url(raw)
    }
}

/// `net.SplitHostPort`, with Go's error text (`address <hostport>: <reason>`).
pub fn split_host_port(hostport: &str) -> Result<(&str, &str), String> {
    crate::go::net::split_host_port(hostport).map_err(|why| format!("address {hostport}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_url_parse() {
        assert_eq!(
            parse("://foo").unwrap_err(),
            "parse \"://foo\": missing protocol scheme"
        );
        assert_eq!(
            parse("//www.test.com").unwrap().to_go_string(),
            "//www.test.com"
        );
        assert_eq!(
            parse("HTTP://a.b/c").unwrap().to_go_string(),
            "http://a.b/c"
        );
        assert_eq!(
            parse("http://u:pw@h/x").unwrap().redacted(),
            "http://u:xxxxx@h/x"
        );
        assert!(validate_url("http://example.com").is_ok());
        assert!(validate_url("ftp://example.com").is_err());
        assert!(
            validate_secret_url("://x")
                .unwrap_err()
                .contains("[REDACTED]")
        );
        // An empty URL (an empty Secret value) hides nothing, rather than everything.
        assert_eq!(
            validate_secret_url("").unwrap_err(),
            "validate url from string failed with error: unsupported scheme \"\" for URL"
        );
    }

    #[test]
    fn host_port() {
        assert_eq!(split_host_port("a:25").unwrap(), ("a", "25"));
        assert_eq!(split_host_port("[::1]:25").unwrap(), ("::1", "25"));
        assert!(split_host_port("invalid").is_err());
        assert_eq!(join_host_port("::1", "25"), "[::1]:25");
    }
}
