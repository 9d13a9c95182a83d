//! URLs as the operator and Alertmanager check them: Go's `net/url.Parse` (as far as its errors
//! and `String` go), `net.SplitHostPort`, Alertmanager's `config/common.ParseURL`, and the
//! operator's `validation.ValidateURL` / `ValidateSecretURL` / `ValidateTemplateURL`.

/// A URL parsed the way Go's `url.Parse` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// Lower-cased scheme; empty for a reference without one.
    pub scheme: String,
    /// Host (and port), empty when there is no authority.
    pub host: String,
    /// The user-info password, if the authority has one.
    password: Option<String>,
    /// Everything after `scheme:`, as written.
    rest: String,
}

impl Url {
    /// `URL.String()` (the scheme lower-cased, the rest as written).
    pub fn to_go_string(&self) -> String {
        if self.scheme.is_empty() {
            self.rest.clone()
        } else {
            format!("{}:{}", self.scheme, self.rest)
        }
    }

    /// `URL.Redacted()`: the password, if any, replaced by `xxxxx` (what prometheus/common's
    /// `URL` marshals).
    pub fn redacted(&self) -> String {
        match &self.password {
            Some(password) => {
                let rest = self.rest.replacen(&format!(":{password}@"), ":xxxxx@", 1);
                Url {
                    rest,
                    ..self.clone()
                }
                .to_go_string()
            }
            None => self.to_go_string(),
        }
    }
}

/// `url.Parse`, with Go's error text (`parse "<raw>": <reason>`).
pub fn parse(raw: &str) -> Result<Url, String> {
    parse_inner(raw).map_err(|reason| format!("parse {raw:?}: {reason}"))
}

fn parse_inner(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    let (without_fragment, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    if let Some(f) = fragment {
        unescape(f, false)?;
    }
    let (scheme, rest) = split_scheme(without_fragment)?;
    let full_rest = if scheme.is_empty() {
        raw.to_owned()
    } else {
        raw.get(scheme.len() + 1..).unwrap_or("").to_owned()
    };
    let path_part = rest.split_once('?').map_or(rest, |(p, _)| p);
    let mut url = Url {
        scheme,
        host: String::new(),
        password: None,
        rest: full_rest,
    };
    if !path_part.starts_with('/') {
        if !url.scheme.is_empty() {
            // Opaque URL such as `mailto:x`.
            return Ok(url);
        }
        if path_part.split('/').next().unwrap_or("").contains(':') {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }
    let mut path = path_part;
    if (!url.scheme.is_empty() || !path_part.starts_with("///")) && path_part.starts_with("//") {
        let after = path_part.get(2..).unwrap_or("");
        let (authority, tail) = match after.find('/') {
            Some(i) => (after.get(..i).unwrap_or(""), after.get(i..).unwrap_or("")),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => {
                let userinfo = authority.get(..i).unwrap_or("");
                if !userinfo.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b) || b >= 0x80
                }) {
                    return Err("net/url: invalid userinfo".to_owned());
                }
                url.password = userinfo.split_once(':').map(|(_, p)| p.to_owned());
                authority.get(i + 1..).unwrap_or("")
            }
            None => authority,
        };
        url.host = parse_host(host)?;
        path = tail;
    }
    unescape(path, false)?;
    Ok(url)
}

fn split_scheme(raw: &str) -> Result<(String, &str), String> {
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || matches!(c, '+' | '-' | '.') {
            if i == 0 {
                return Ok((String::new(), raw));
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err("missing protocol scheme".to_owned());
            }
            let scheme = raw.get(..i).unwrap_or("").to_ascii_lowercase();
            return Ok((scheme, raw.get(i + 1..).unwrap_or("")));
        }
        return Ok((String::new(), raw));
    }
    Ok((String::new(), raw))
}

fn valid_optional_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(end) = host.rfind(']') else {
            return Err("missing ']' in host".to_owned());
        };
        let port = host.get(end + 1..).unwrap_or("");
        if !valid_optional_port(port) {
            return Err(format!("invalid port {port:?} after host"));
        }
        return Ok(host.to_owned());
    }
    if let Some(i) = host.rfind(':') {
        let port = host.get(i..).unwrap_or("");
        if !valid_optional_port(port) {
            return Err(format!("invalid port {port:?} after host"));
        }
    }
    unescape(host, true)?;
    Ok(host.to_owned())
}

fn unescape(text: &str, host: bool) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                let shown = text.get(i..(i + 3).min(text.len())).unwrap_or("%");
                return Err(format!("invalid URL escape {shown:?}"));
            }
            i += 3;
            continue;
        }
        if host
            && b < 0x80
            && !(b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&b))
        {
            return Err(format!(
                "invalid character {:?} in host name",
                char::from(b).to_string()
            ));
        }
        i += 1;
    }
    Ok(())
}

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
                e.replace(raw, "[REDACTED]")
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

/// `net.SplitHostPort`.
pub fn split_host_port(hostport: &str) -> Result<(&str, &str), String> {
    let err = |why: &str| format!("address {hostport}: {why}");
    let Some(colon) = hostport.rfind(':') else {
        return Err(err("missing port in address"));
    };
    let (host, port) = (
        hostport.get(..colon).unwrap_or(""),
        hostport.get(colon + 1..).unwrap_or(""),
    );
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return Err(err("missing ']' in address"));
        };
        return Ok((inner, port));
    }
    if host.contains(':') {
        return Err(err("too many colons in address"));
    }
    if host.contains('[') || host.contains(']') || port.contains('[') || port.contains(']') {
        return Err(err("unexpected '[' or ']' in address"));
    }
    Ok((host, port))
}

/// `net.JoinHostPort`.
pub fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
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
    }

    #[test]
    fn host_port() {
        assert_eq!(split_host_port("a:25").unwrap(), ("a", "25"));
        assert_eq!(split_host_port("[::1]:25").unwrap(), ("::1", "25"));
        assert!(split_host_port("invalid").is_err());
        assert_eq!(join_host_port("::1", "25"), "[::1]:25");
    }
}
