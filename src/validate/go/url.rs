//! Go's `net/url` parsing, as far as its errors go: the operator refuses what `url.Parse`
//! refuses, with Go's messages.

/// The parts of a URL the checks look at.
pub(in crate::validate) struct Parsed {
    pub scheme: String,
    pub host: String,
}

/// `url.Parse`: the URL's scheme and host, or the reason Go refuses it.
pub(in crate::validate) fn parse(raw: &str) -> Result<Parsed, String> {
    let (raw, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (raw, None),
    };
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    if let Some(f) = fragment {
        unescape(f, false)?;
    }
    if raw == "*" {
        return Ok(Parsed {
            scheme: String::new(),
            host: String::new(),
        });
    }
    let (scheme, rest) = split_scheme(raw)?;
    let rest = match rest.split_once('?') {
        Some((r, _)) => r,
        None => rest,
    };
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            return Ok(Parsed {
                scheme,
                host: String::new(),
            });
        }
        let first_segment = rest.split('/').next().unwrap_or("");
        if first_segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }
    let mut host = String::new();
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let after = rest.get(2..).unwrap_or("");
        let (authority, tail) = match after.find('/') {
            Some(i) => (after.get(..i).unwrap_or(""), after.get(i..).unwrap_or("")),
            None => (after, ""),
        };
        host = parse_authority(authority)?;
        path = tail;
    }
    unescape(path, false)?;
    Ok(Parsed { scheme, host })
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
            return Ok((
                raw.get(..i).unwrap_or("").to_lowercase(),
                raw.get(i + 1..).unwrap_or(""),
            ));
        }
        return Ok((String::new(), raw));
    }
    Ok((String::new(), raw))
}

fn parse_authority(authority: &str) -> Result<String, String> {
    let host = match authority.rfind('@') {
        Some(i) => {
            let userinfo = authority.get(..i).unwrap_or("");
            if !userinfo.bytes().all(|b| {
                b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b) || b >= 0x80
            }) {
                return Err("net/url: invalid userinfo".to_owned());
            }
            authority.get(i + 1..).unwrap_or("")
        }
        None => authority,
    };
    parse_host(host)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(parse("http://example.com:80/x").is_ok());
        assert!(parse("http://xxx-${dev}.svc.cluster.local:80").is_err());
        assert!(parse("http://host:port").is_err());
        assert!(parse(":foo").is_err());
        let u = parse("unix:///var/run/docker.sock").unwrap();
        assert_eq!(u.scheme, "unix");
    }
}
