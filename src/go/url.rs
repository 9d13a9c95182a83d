//! Go's `net/url` parsing, as far as its errors and `String` go: the operator and Alertmanager
//! refuse what `url.Parse` refuses, with Go's messages.

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

/// `url.Parse`: the URL, or Go's error text (`parse "<raw>": <reason>`).
pub(crate) fn parse(raw: &str) -> Result<Url, String> {
    parse_url(raw).map_err(|reason| {
        // Go quotes the URL whole; its password is a credential, never shown.
        let shown = crate::redact::shown_address(raw);
        let reason = crate::redact::url_passwords(raw)
            .into_iter()
            .fold(reason, |reason, password| {
                hide_quoted_pieces(&reason, password)
            });
        format!("parse {}: {reason}", crate::go::strconv::quote(&shown))
    })
}

/// `reason` with every quoted piece of `password` hidden: Go quotes what it refuses, which
/// for a password holding `/`, `?` or `#` is a piece of it (`invalid port ":pass" after
/// host`, `invalid URL escape "%zz"`).
fn hide_quoted_pieces(reason: &str, password: &str) -> String {
    reason
        .split('"')
        .enumerate()
        .map(|(i, part)| {
            let piece = part.trim_start_matches(':');
            if i % 2 == 1 && !piece.is_empty() && password.contains(piece) {
                format!(
                    "{}{}",
                    &part[..part.len() - piece.len()],
                    crate::redact::REDACTED
                )
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

/// `url.Parse`'s work: the URL, or the reason Go refuses it.
fn parse_url(raw: &str) -> Result<Url, String> {
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
        if host && b < 0x80 && !allowed_in_host(b) {
            return Err(format!(
                "invalid character {:?} in host name",
                char::from(b).to_string()
            ));
        }
        i += 1;
    }
    Ok(())
}

fn allowed_in_host(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&b)
}

/// `text` with each `%XX` decoded (lossily: bytes that are no UTF-8 become U+FFFD).
pub(crate) fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url.QueryEscape`: `value` as a query value, as Prometheus writes a probe's `target`.
pub(crate) fn query_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(parse("http://example.com:80/x").is_ok());
        assert!(parse("http://xxx-${dev}.svc.cluster.local:80").is_err());
        assert_eq!(
            parse("http://host:port").unwrap_err(),
            r#"parse "http://host:port": invalid port ":port" after host"#
        );
        assert!(parse(":foo").is_err());
        // A password holding `/` ends Go's authority early: the piece Go quotes is hidden too.
        assert_eq!(
            parse("https://u:LEAK/C@host/").unwrap_err(),
            r#"parse "https://u:<secret>@host/": invalid port ":<secret>" after host"#
        );
        assert_eq!(
            parse("https://u:pw?x@host/").unwrap_err(),
            r#"parse "https://u:<secret>@host/": invalid port ":<secret>" after host"#
        );
        let u = parse("unix:///var/run/docker.sock").unwrap();
        assert_eq!(u.scheme, "unix");
    }
}
