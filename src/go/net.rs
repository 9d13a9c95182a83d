//! Go's `net.SplitHostPort` and `net.JoinHostPort`, for the addresses the operator and
//! Prometheus split and build (probe targets, SMTP smarthosts, discovered targets).

use std::fmt;

/// `net.SplitHostPort`: host and port of `host:port` or `[host]:port`, or the reason (the
/// `AddrError`'s text without its address).
pub(crate) fn split_host_port(hostport: &str) -> Result<(&str, &str), &'static str> {
    let Some(last_colon) = hostport.rfind(':') else {
        return Err("missing port in address");
    };
    let (host, inner_start, after_host) = if hostport.starts_with('[') {
        let Some(end) = hostport.find(']') else {
            return Err("missing ']' in address");
        };
        if end + 1 == hostport.len() {
            return Err("missing port in address");
        }
        if end + 1 != last_colon {
            return Err(if hostport.as_bytes().get(end + 1) == Some(&b':') {
                "too many colons in address"
            } else {
                "missing port in address"
            });
        }
        (hostport.get(1..end).unwrap_or(""), 1, end + 1)
    } else {
        let host = hostport.get(..last_colon).unwrap_or("");
        if host.contains(':') {
            return Err("too many colons in address");
        }
        (host, 0, 0)
    };
    if hostport.get(inner_start..).is_some_and(|s| s.contains('[')) {
        return Err("unexpected '[' in address");
    }
    if hostport.get(after_host..).is_some_and(|s| s.contains(']')) {
        return Err("unexpected ']' in address");
    }
    Ok((host, hostport.get(last_colon + 1..).unwrap_or("")))
}

/// `net.JoinHostPort`: `host:port`, an IPv6 host in brackets.
pub(crate) fn join_host_port(host: &str, port: impl fmt::Display) -> String {
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
    fn splits_and_refuses_like_go() {
        for (hostport, want) in [
            ("a:25", Ok(("a", "25"))),
            ("[::1]:25", Ok(("::1", "25"))),
            ("invalid", Err("missing port in address")),
            ("[::1]", Err("missing port in address")),
            ("[::1]x:25", Err("missing port in address")),
            ("[::1]:25:26", Err("too many colons in address")),
            ("::1:25", Err("too many colons in address")),
            ("a[b:25", Err("unexpected '[' in address")),
            ("a]b:25", Err("unexpected ']' in address")),
        ] {
            assert_eq!(split_host_port(hostport), want, "{hostport}");
        }
        assert_eq!(join_host_port("fd00::1", 9000), "[fd00::1]:9000");
        assert_eq!(join_host_port("1.2.3.4", "80"), "1.2.3.4:80");
    }
}
