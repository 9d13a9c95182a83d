//! Go's `path.Clean` and `path.Join`, which the operator applies to URL paths (`/-/reload`
//! under a route prefix) and to mount paths.

/// Go `path.Clean`: the shortest equivalent slash-separated path.
pub(crate) fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Go `path.Join`: the non-empty elements joined with `/`, cleaned; `""` when all are empty.
pub(crate) fn join(elements: &[&str]) -> String {
    let non_empty: Vec<&str> = elements.iter().copied().filter(|e| !e.is_empty()).collect();
    if non_empty.is_empty() {
        return String::new();
    }
    clean(&non_empty.join("/"))
}

/// Go `filepath.Dir` on slash paths: everything before the last element, cleaned.
pub(crate) fn dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) => "/".to_owned(),
        Some((head, _)) => clean(head),
        None => ".".to_owned(),
    }
}

/// `origin` (`scheme://host:port`) followed by `path`, as Go's `url.URL.String()` writes a URL
/// with a host: a path that does not start with `/` gets one (`routePrefix: prom`).
pub(crate) fn url(origin: &str, path: &str) -> String {
    if path.is_empty() || path.starts_with('/') {
        format!("{origin}{path}")
    } else {
        format!("{origin}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_a_host_get_a_rooted_path() {
        assert_eq!(
            url("http://localhost:9090", "prom/-/reload"),
            "http://localhost:9090/prom/-/reload"
        );
        assert_eq!(
            url("http://localhost:9090", "/-/reload"),
            "http://localhost:9090/-/reload"
        );
        assert_eq!(url("http://localhost:9090", ""), "http://localhost:9090");
    }

    #[test]
    fn cleans_like_go() {
        for (path, want) in [
            ("/", "/"),
            ("//-/reload", "/-/reload"),
            ("/prefix/", "/prefix"),
            ("a/../../b", "../b"),
            ("/../a/./b/", "/a/b"),
            ("", "."),
        ] {
            assert_eq!(clean(path), want, "{path:?}");
        }
        assert_eq!(
            join(&["/etc/alertmanager/secrets", "s1"]),
            "/etc/alertmanager/secrets/s1"
        );
        assert_eq!(join(&["", ""]), "");
        assert_eq!(dir("test.log"), ".");
        assert_eq!(dir("/tmp/test.log"), "/tmp");
        assert_eq!(dir("logs/test.log"), "logs");
    }
}
