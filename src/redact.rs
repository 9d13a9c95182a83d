//! Hiding credentials in a generated configuration (Prometheus or Alertmanager) before it is
//! shown: every value Prometheus or Alertmanager treats as a secret is replaced by
//! [`REDACTED`], the marker both print for secrets themselves.

use std::ops::Range;

use crate::yaml::{Map, Yaml};

/// What a hidden value is replaced with.
pub const REDACTED: &str = "<secret>";

/// Whether `key`'s value is a credential wherever it appears. A `match` rather than a list
/// searched in turn: it is asked of every key of a configuration.
fn is_credential_key(key: &str) -> bool {
    matches!(
        key,
        // Prometheus HTTP client and service discovery.
        "password"
        | "bearer_token"
        | "credentials"
        | "client_secret"
        | "secret_key"
        | "access_key"
        | "token"
        | "auth_token"
        | "application_key"
        | "application_secret"
        | "application_credential_secret"
        | "consumer_key"
        // Alertmanager global settings and receivers.
        | "smtp_auth_password"
        | "smtp_auth_secret"
        | "auth_password"
        | "auth_secret"
        | "slack_api_url"
        | "opsgenie_api_key"
        | "victorops_api_key"
        | "wechat_api_secret"
        | "telegram_bot_token"
        | "api_key"
        | "api_secret"
        | "routing_key"
        | "service_key"
        | "user_key"
        | "bot_token"
        | "webhook_url"
        | "token_id"
    )
}

/// `(parent, key)`: keys that are credentials only inside a given parent (for sequences, the
/// key holding the sequence).
const CREDENTIAL_KEYS_IN: &[(&str, &str)] = &[
    // Alertmanager keeps the webhook and Slack URLs secret: they embed tokens.
    ("webhook_configs", "url"),
    ("slack_configs", "api_url"),
];

/// `(parent, key)`: values Prometheus and Alertmanager print, but that the operator reads from
/// a Secret the user named, so they are hidden too: a basic-auth username, an OAuth2 client
/// id, a SigV4 access key (an SNS receiver's; Prometheus's `access_key` is a credential key
/// anyway), Alertmanager's global OpsGenie API URL (a `*URL`, not a `*SecretURL`).
const READ_FROM_SECRETS: &[(&str, &str)] = &[
    ("basic_auth", "username"),
    ("oauth2", "client_id"),
    ("sigv4", "access_key"),
    ("global", "opsgenie_api_url"),
];

/// Parents whose every scalar underneath is a credential.
const CREDENTIAL_SECTIONS: &[&str] = &["proxy_connect_header"];

/// Replaces every credential value in `config` with [`REDACTED`]; returns how many were
/// replaced. Empty values are left alone (they hide nothing).
pub fn redact(config: &mut Yaml) -> usize {
    let mut hidden = HiddenValues::new();
    let count = redact_node(config, "", &mut hidden);
    count + hide_copies(config, &hidden)
}

/// The values [`hide_all`] replaced whole, whose copies elsewhere [`hide_copies`] hides.
pub type HiddenValues = std::collections::HashSet<String>;

/// Shortest hidden value whose copies [`hide_copies`] hides: a short one (a username `x`,
/// `admin`) equals too many names that are no credential.
pub const MIN_COPIED_SECRET_LEN: usize = 8;

/// Hides, in `config`, every string equal to one of `hidden`: a YAML alias, or a copy under a
/// key not known to hold a credential, would show it again. Returns how many were hidden.
pub fn hide_copies(config: &mut Yaml, hidden: &HiddenValues) -> usize {
    fn hide(node: &mut Yaml, values: &HiddenValues, depth: usize) -> usize {
        if depth > crate::yaml::MAX_DEPTH {
            return 0;
        }
        match node {
            Yaml::Str(text) if values.contains(text.as_ref()) => {
                *node = Yaml::from(REDACTED.to_owned());
                1
            }
            Yaml::Seq(items) => items.iter_mut().map(|i| hide(i, values, depth + 1)).sum(),
            Yaml::Map(map) => map
                .iter_mut()
                .map(|(_, value)| hide(value, values, depth + 1))
                .sum(),
            _ => 0,
        }
    }
    if hidden.is_empty() {
        0
    } else {
        hide(config, hidden, 0)
    }
}

/// Replaces the values of [`READ_FROM_SECRETS`] in `node` (any depth) with [`REDACTED`];
/// returns how many were replaced.
pub fn redact_read_from_secrets(node: &mut Yaml) -> usize {
    fn walk(node: &mut Yaml, parent: &str, depth: usize) -> usize {
        if depth > crate::yaml::MAX_DEPTH {
            return 0;
        }
        match node {
            Yaml::Seq(items) => items.iter_mut().map(|i| walk(i, parent, depth + 1)).sum(),
            Yaml::Map(map) => map
                .iter_mut()
                .map(|(key, value)| {
                    if READ_FROM_SECRETS.contains(&(parent, key)) {
                        hide_all(value, None)
                    } else {
                        walk(value, key, depth + 1)
                    }
                })
                .sum(),
            _ => 0,
        }
    }
    walk(node, "", 0)
}

fn redact_node(node: &mut Yaml, parent: &str, hidden: &mut HiddenValues) -> usize {
    match node {
        Yaml::Map(map) => redact_map(map, parent, hidden),
        Yaml::Seq(items) => items
            .iter_mut()
            .map(|item| redact_node(item, parent, hidden))
            .sum(),
        Yaml::Str(text) => match redact_url_password(text) {
            Some(hidden) => {
                *text = hidden.into();
                1
            }
            None => 0,
        },
        _ => 0,
    }
}

/// `text` with the password of every URL userinfo in it replaced by [`REDACTED`]
/// (`https://user:<secret>@host`), as Prometheus shows URLs; `None` when it holds none.
///
/// A URL need not be well formed to carry a password, nor be alone in `text` (a message, a
/// `--flag=URL` argument): every authority after a `//` or a `scheme:/` counts, whatever
/// precedes it (`//u:pw@h`, ` https://...`, `h_ttps://...`, `https:/u:pw@h`), and a password
/// may hold `/`, `?`, `#`, a space or a quote (Go would refuse such a URL, yet the password is
/// the user's). See [`url_passwords`].
pub fn redact_url_password(text: &str) -> Option<String> {
    hide_ranges(text, &password_ranges(text, false))
}

/// As [`redact_url_password`], for a value that is an address or a URL (a prober URL, a
/// scrape target): a leading `user:password@host` without a scheme is a userinfo too.
pub fn redact_address_password(text: &str) -> Option<String> {
    hide_ranges(text, &password_ranges(text, true))
}

/// `text`, an address or a URL, as a message may quote it: any password hidden
/// ([`redact_address_password`]), else as it is.
pub fn shown_address(text: &str) -> String {
    redact_address_password(text).unwrap_or_else(|| text.to_owned())
}

/// The userinfo passwords [`redact_address_password`] hides in `text`.
pub fn url_passwords(text: &str) -> Vec<&str> {
    password_ranges(text, true)
        .into_iter()
        .filter_map(|range| text.get(range))
        .collect()
}

/// `text` (a scrape URL, a scrape error) with every URL password hidden, those of URLs written
/// percent-encoded in a query value too: a blackbox probe's `target=https%3A%2F%2Fu%3Apw%40h`
/// carries the probed URL's credentials.
pub fn hide_url_passwords_in_queries(text: &str) -> String {
    let mut shown = redact_url_password(text).unwrap_or_else(|| text.to_owned());
    if !text.contains('%') {
        return shown;
    }
    let decoded = crate::go::url::percent_decoded(text);
    for password in url_passwords(&decoded) {
        shown = hide_value(&shown, &crate::go::url::query_escape(password), REDACTED);
        shown = hide_value(&shown, password, REDACTED);
    }
    shown
}

/// `text` with every occurrence of the credential `value` replaced by `marker`. An empty
/// value hides nothing (replacing it would put `marker` between every character).
pub fn hide_value(text: &str, value: &str, marker: &str) -> String {
    if value.is_empty() {
        text.to_owned()
    } else {
        text.replace(value, marker)
    }
}

fn hide_ranges(text: &str, ranges: &[Range<usize>]) -> Option<String> {
    if ranges.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for range in ranges {
        out.push_str(text.get(from..range.start)?);
        out.push_str(REDACTED);
        from = range.end;
    }
    out.push_str(text.get(from..)?);
    Some(out)
}

/// The byte ranges of the userinfo passwords in `text`, in order: of the authority after each
/// `//` or `scheme:/`, and with `at_start` of one at the start of `text`.
fn password_ranges(text: &str, at_start: bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    // Nearly every string of a configuration has no `@`: one byte search rules it out.
    if !text.contains('@') {
        return found;
    }
    let marks = Marks::of(text.as_bytes());
    let bytes = text.as_bytes();
    let mut from = 0;
    if at_start {
        let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
        // The whole value is the address: a quote in it is part of the password.
        if let Some(range) = marks.password_at(start, false) {
            from = range.end;
            found.push(range);
        }
    }
    // After every `//`, and after `scheme:/` (Go reads no userinfo there, but the user wrote
    // one).
    for &slash in &marks.slashes[marks.slashes.partition_point(|&p| (p as usize) < from)..] {
        let slash = slash as usize;
        if slash < from {
            continue;
        }
        let double = bytes.get(slash + 1) == Some(&b'/');
        let after_scheme =
            slash >= 2 && bytes[slash - 1] == b':' && bytes[slash - 2].is_ascii_alphanumeric();
        let start = slash + if double { 2 } else { 1 };
        from = start;
        if !double && !after_scheme {
            continue;
        }
        if let Some(range) = marks.password_at(start, true) {
            from = range.end;
            found.push(range);
        }
    }
    found
}

/// A byte that ends a URL within text: whitespace, a quote, an angle bracket, a control
/// character.
fn ends_url(b: u8) -> bool {
    b.is_ascii_whitespace() || b.is_ascii_control() || b"\"'`<>".contains(&b)
}

/// Where the bytes that delimit a URL's parts stand in one text, each kind in order, so that
/// every question about the text's URLs is a binary search: a text of many URL-like pieces
/// (`x://u:p,` again and again) is read once, not once a piece.
struct Marks<'t> {
    bytes: &'t [u8],
    /// Every `/`.
    slashes: Vec<u32>,
    /// Every `//` (its first `/`).
    doubles: Vec<u32>,
    /// What ends a URL within text ([`ends_url`]).
    ends: Vec<u32>,
    /// `:`, `/`, `?`, `#`: what ends a userinfo's user.
    user_ends: Vec<u32>,
    /// What a user never holds: a regular expression's or a template's punctuation, or `@`
    /// (`git@github.com:org/repo` is a host).
    not_in_user: Vec<u32>,
    /// `/`, `?`, `#`: what ends an authority.
    authority_ends: Vec<u32>,
    /// Every `@`.
    ats: Vec<u32>,
}

impl<'t> Marks<'t> {
    fn of(bytes: &'t [u8]) -> Self {
        let mut marks = Marks {
            bytes,
            slashes: Vec::new(),
            doubles: Vec::new(),
            ends: Vec::new(),
            user_ends: Vec::new(),
            not_in_user: Vec::new(),
            authority_ends: Vec::new(),
            ats: Vec::new(),
        };
        // Texts are far below 4 GiB (the input budgets); past that nothing is marked.
        for (i, &b) in bytes.iter().enumerate().take(u32::MAX as usize) {
            let i = i as u32;
            if b == b'/' {
                marks.slashes.push(i);
                if bytes.get(i as usize + 1) == Some(&b'/') {
                    marks.doubles.push(i);
                }
            }
            if ends_url(b) {
                marks.ends.push(i);
            }
            if b":/?#".contains(&b) {
                marks.user_ends.push(i);
            }
            if b"(){}[]\\|^*@".contains(&b) {
                marks.not_in_user.push(i);
            }
            if b"/?#".contains(&b) {
                marks.authority_ends.push(i);
            }
            if b == b'@' {
                marks.ats.push(i);
            }
        }
        marks
    }

    /// The first position of `list` at or after `from`, or the text's end.
    fn next(&self, list: &[u32], from: usize) -> usize {
        list.get(list.partition_point(|&p| (p as usize) < from))
            .map_or(self.bytes.len(), |&p| p as usize)
    }

    /// The last `@` in `from..to`.
    fn last_at(&self, from: usize, to: usize) -> Option<usize> {
        let before = self.ats.partition_point(|&p| (p as usize) < to);
        before
            .checked_sub(1)
            .map(|i| self.ats[i] as usize)
            .filter(|&p| p >= from)
    }

    /// The password of the authority that starts at `start` (`user:password@host`), if any.
    /// `in_text` when the URL stands within other text, which a space or a quote ends; one
    /// holds the password only when what comes before it is no port (`http://h:3000 - mail
    /// a@b` is a port and text, `"http://u:pass word@h"` a password Go refuses).
    fn password_at(&self, start: usize, in_text: bool) -> Option<Range<usize>> {
        let bytes = self.bytes;
        let text_end = if in_text {
            self.next(&self.ends, start)
        } else {
            bytes.len()
        };
        let colon = self.next(&self.user_ends, start);
        // `(.+)://(.+):(.+)@` is a regular expression, `{{ .X }}` a template: not URLs.
        if colon >= text_end || bytes[colon] != b':' || self.next(&self.not_in_user, start) < colon
        {
            return None;
        }
        let begin = colon + 1;
        let authority_end = self.next(&self.authority_ends, begin);
        let end = match self.last_at(begin, authority_end.min(text_end)) {
            Some(at) => at,
            None => {
                // No `@` before a `/`, `?` or `#` (or the text's end): a password holding one
                // (or a space), unless what precedes it is a port (`https://host:8080/a@b` is
                // a path) or nothing.
                let head = &bytes[begin..authority_end.min(text_end)];
                if head.is_empty() || (head.len() <= 5 && head.iter().all(u8::is_ascii_digit)) {
                    return None;
                }
                match self.last_at(begin, authority_end) {
                    Some(at) => at,
                    None => self.next(&self.ats, begin),
                }
            }
        };
        if end >= bytes.len() {
            return None;
        }
        let password = &bytes[begin..end];
        // Another URL in between: the `@` belongs to it (`http://a:8080,http://b@c`).
        let another_url = self.next(&self.doubles, begin) + 1 < end;
        if password.is_empty() || password == REDACTED.as_bytes() || another_url {
            return None;
        }
        Some(begin..end)
    }
}

/// Replaces the password of every URL in the strings of `value` (a Kubernetes object as
/// JSON) with [`REDACTED`]; returns how many strings changed.
pub fn redact_json_url_passwords(value: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::String(text) => match redact_url_password(text) {
            Some(hidden) => {
                *text = hidden;
                1
            }
            None => 0,
        },
        Value::Array(items) => items.iter_mut().map(redact_json_url_passwords).sum(),
        Value::Object(map) => map.values_mut().map(redact_json_url_passwords).sum(),
        _ => 0,
    }
}

fn redact_map(map: &mut Map, parent: &str, hidden: &mut HiddenValues) -> usize {
    let mut count = 0;
    for (key, value) in map.iter_mut() {
        count += match hiding(parent, key) {
            Some(Copies::Hidden) => hide_all(value, Some(hidden)),
            Some(Copies::Left) => hide_all(value, None),
            None if key == "http_headers" => redact_header_secrets(value),
            None if key == "targets" => redact_addresses(value, hidden),
            None => redact_node(value, key, hidden),
        };
    }
    count
}

/// Whether copies of a hidden value elsewhere in the configuration are hidden too.
enum Copies {
    Hidden,
    /// Not for what often equals a name the configuration uses elsewhere: a username, a header
    /// value (an `X-Scope-OrgID`).
    Left,
}

/// Whether the value of `key` under `parent` is hidden whole, and its copies with it.
fn hiding(parent: &str, key: &str) -> Option<Copies> {
    if READ_FROM_SECRETS.contains(&(parent, key)) || key == "headers" {
        // Remote write and read, tracing and email headers carry API keys.
        Some(Copies::Left)
    } else if CREDENTIAL_SECTIONS.contains(&key)
        || is_credential_key(key)
        || CREDENTIAL_KEYS_IN.contains(&(parent, key))
        // An inline private key: `key` next to `cert` in any TLS section.
        || (key == "key" && parent.ends_with("tls_config"))
    {
        Some(Copies::Hidden)
    } else {
        None
    }
}

/// A list of scrape or probe addresses: `user:password@host:port` is a userinfo even without
/// a scheme.
fn redact_addresses(targets: &mut Yaml, hidden: &mut HiddenValues) -> usize {
    let Yaml::Seq(items) = targets else {
        return redact_node(targets, "targets", hidden);
    };
    let mut count = 0;
    for item in items.iter_mut() {
        if let Yaml::Str(text) = item
            && let Some(hidden) = redact_address_password(text)
        {
            *text = hidden.into();
            count += 1;
        }
    }
    count
}

/// Prometheus 3 `http_headers`: `{name: {values, secrets, files}}`. Prometheus hides only
/// `secrets`, but `values` carry API keys as often: both are hidden, file paths are not.
fn redact_header_secrets(headers: &mut Yaml) -> usize {
    let Yaml::Map(headers) = headers else {
        return 0;
    };
    let mut count = 0;
    for (_, header) in headers.iter_mut() {
        if let Yaml::Map(header) = header {
            for (part, value) in header.iter_mut() {
                if part == "values" || part == "secrets" {
                    count += hide_all(value, None);
                }
            }
        }
    }
    count
}

/// Replaces every non-empty scalar in `node` with [`REDACTED`]; with `copies`, strings of at
/// least [`MIN_COPIED_SECRET_LEN`] bytes are added to it, for [`hide_copies`]. Returns how
/// many were replaced.
pub fn hide_all(node: &mut Yaml, mut copies: Option<&mut HiddenValues>) -> usize {
    match node {
        Yaml::Null => 0,
        Yaml::Str(s) if s.is_empty() => 0,
        Yaml::Seq(items) => items
            .iter_mut()
            .map(|i| hide_all(i, copies.as_deref_mut()))
            .sum(),
        Yaml::Map(map) => map
            .iter_mut()
            .map(|(_, v)| hide_all(v, copies.as_deref_mut()))
            .sum(),
        scalar => {
            if let (Yaml::Str(text), Some(copies)) = (&*scalar, copies)
                && text.len() >= MIN_COPIED_SECRET_LEN
                && text.as_ref() != REDACTED
            {
                copies.insert(text.to_string());
            }
            *scalar = Yaml::from(REDACTED.to_owned());
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(text: &str) -> (String, usize) {
        let mut tree = crate::yaml::parse(text).expect("parses");
        let count = redact(&mut tree);
        (crate::yaml::emit(&tree), count)
    }

    #[test]
    fn hides_http_client_credentials() {
        let (text, count) = redacted(
            "scrape_configs:\n- job_name: a\n  basic_auth:\n    username: u\n    password: p\n  \
             authorization:\n    type: Bearer\n    credentials: c\n  oauth2:\n    client_id: id\n    \
             client_secret: s\n  tls_config:\n    cert: CERT\n    key: KEY\n  proxy_connect_header:\n    \
             token:\n    - t1\n    - t2\n  relabel_configs:\n  - source_labels: [key]\n",
        );
        // The username and client id too: the operator reads them from Secrets.
        assert_eq!(count, 8);
        assert!(text.contains("cert: CERT"));
        for secret in ["u\n", "id\n", "p\n", "c\n", "s\n", "KEY", "t1", "t2"] {
            assert!(!text.contains(&format!(": {secret}")), "{secret} in {text}");
        }
        assert!(text.contains("- key"));
    }

    #[test]
    fn hides_sigv4_consul_and_alertmanager_secrets() {
        let (text, count) = redacted(
            "remote_write:\n- sigv4:\n    access_key: A\n    secret_key: S\n    region: r\n\
             scrape_configs:\n- consul_sd_configs:\n  - token: T\n    server: s\n\
             receivers:\n- webhook_configs:\n  - url: http://hook\n  slack_configs:\n  - api_url: http://slack\n\
             \x20   channel: c\n",
        );
        assert_eq!(count, 5);
        assert!(text.contains("region: r"));
        assert!(text.contains("channel: c"));
        assert!(!text.contains("http://hook"));
    }

    #[test]
    fn hides_passwords_inside_urls() {
        let (text, count) = redacted(
            "remote_write:\n- url: https://u:hunter2@remote/api?x=1\n  proxy_url: http://p:s3cret@proxy:3128\n  name: https://not-a-password@host\n",
        );
        assert_eq!(count, 2);
        assert!(
            !text.contains("hunter2") && !text.contains("s3cret"),
            "{text}"
        );
        assert!(text.contains("https://u:<secret>@remote/api?x=1"), "{text}");
        assert!(text.contains("https://not-a-password@host"), "{text}");
        assert_eq!(redact_url_password("a:b@c"), None);
    }

    #[test]
    fn hides_passwords_of_urls_of_any_shape_anywhere_in_text() {
        for (text, shown) in [
            ("//admin:pw@rw/api", "//admin:<secret>@rw/api"),
            (" https://u:pw@rr/read", " https://u:<secret>@rr/read"),
            ("https ://u:pw@h/", "https ://u:<secret>@h/"),
            ("h_ttps://u:pw@h/", "h_ttps://u:<secret>@h/"),
            ("htt p://u:pw@x", "htt p://u:<secret>@x"),
            ("https://u:LEAK/C@host/", "https://u:<secret>@host/"),
            ("https://u:LEAK?D@host/", "https://u:<secret>@host/"),
            ("https://u:LEAK#E@host/", "https://u:<secret>@host/"),
            ("https://u:p@ss@host/", "https://u:<secret>@host/"),
            ("https://:pw@h", "https://:<secret>@h"),
            ("https:/u:pw@h/", "https:/u:<secret>@h/"),
            ("https://u:p w@h/", "https://u:<secret>@h/"),
            ("https://u:p'w`x<y@h/", "https://u:<secret>@h/"),
            (
                "parse \"http://u:p x@h:1\": net/url: invalid userinfo",
                "parse \"http://u:<secret>@h:1\": net/url: invalid userinfo",
            ),
            (
                "--web.external-url=https://admin:a b@prom/",
                "--web.external-url=https://admin:<secret>@prom/",
            ),
            (
                "--web.external-url=https://admin:hunter2@prom/",
                "--web.external-url=https://admin:<secret>@prom/",
            ),
            (
                "parse \"http://a:1@x\" and \"http://b:2@y\"",
                "parse \"http://a:<secret>@x\" and \"http://b:<secret>@y\"",
            ),
        ] {
            assert_eq!(redact_url_password(text).as_deref(), Some(shown), "{text}");
        }
    }

    #[test]
    fn text_that_is_no_userinfo_stays() {
        for text in [
            "https://host:8080/a@b",
            "https://example.com/a:b@c",
            "https://user@host/x",
            "https://u:@host",
            "https://u:<secret>@host",
            "busybox:1.36@sha256:abc",
            "quay.io/prometheus/prometheus:v3@sha256:abc",
            "(.+)://(.+):(.+)@(.+)",
            "mailto:a@b.example",
            "a:b@c",
            "no at sign: https://a:b",
            "http://a:8080,http://b@c",
            "ssh://git@github.com:org/repo@v1",
            "Dashboard: http://grafana:3000 - questions to oncall@example.com",
            "See http://grafana:3000 or mail oncall@example.com",
        ] {
            assert_eq!(redact_url_password(text), None, "{text}");
        }
    }

    #[test]
    fn passwords_of_urls_in_query_values_are_hidden() {
        let error = "Get \"http://blackbox:9115/probe?module=http_2xx&target=https%3A%2F%2Falice%3As3cr3t%21pw%40intranet.example%2Fhealth\": EOF";
        let shown = hide_url_passwords_in_queries(error);
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("alice%3A<secret>%40intranet"), "{shown}");
        assert_eq!(
            hide_url_passwords_in_queries("http://h:9100/metrics?a=%41"),
            "http://h:9100/metrics?a=%41"
        );
    }

    #[test]
    fn many_url_like_pieces_are_read_once() {
        // Only one password each: the last URL's (for `//`, an `@` beyond another URL is not
        // the earlier ones'). Read a piece at a time to the end, this took minutes.
        for piece in ["x://u:p,", "x://u:p ", "x:/u:p/"] {
            let text = format!("{}@h", piece.repeat(32_000));
            let hidden = redact_url_password(&text).unwrap();
            assert_eq!(hidden.matches(REDACTED).count(), 1, "{piece}");
            assert!(hidden.ends_with("<secret>@h"), "{piece}");
        }
        let text = format!("{}x://u:pw@h", "x://a ".repeat(32_000));
        assert!(
            redact_url_password(&text)
                .unwrap()
                .ends_with("x://u:<secret>@h")
        );
    }

    #[test]
    fn an_address_may_be_a_bare_userinfo() {
        assert_eq!(
            redact_address_password("admin:hunter2@blackbox:9115").as_deref(),
            Some("admin:<secret>@blackbox:9115")
        );
        assert_eq!(
            redact_address_password("https://u:p@h").as_deref(),
            Some("https://u:<secret>@h")
        );
        assert_eq!(redact_address_password("blackbox:9115"), None);
        assert_eq!(url_passwords("admin:hunter2@b"), ["hunter2"]);
        assert_eq!(
            redact_address_password("admin:hun\"ter2@b:1").as_deref(),
            Some("admin:<secret>@b:1")
        );
    }

    #[test]
    fn an_empty_value_hides_nothing() {
        assert_eq!(
            hide_value("unsupported scheme", "", "[R]"),
            "unsupported scheme"
        );
        assert_eq!(hide_value("a secret b", "secret", "[R]"), "a [R] b");
    }

    #[test]
    fn hides_url_passwords_in_kubernetes_objects() {
        let mut object = serde_json::json!({"spec": {"containers": [{"args": [
            "--web.external-url=https://admin:hunter2@prom/",
            "--web.route-prefix=/",
        ], "image": "busybox:1.36@sha256:abc"}]}});
        assert_eq!(redact_json_url_passwords(&mut object), 1);
        let text = object.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("busybox:1.36@sha256:abc"), "{text}");
    }

    #[test]
    fn hides_what_the_operator_reads_from_secrets() {
        let mut tree = crate::yaml::parse(
            "global:\n  opsgenie_api_url: https://api.opsgenie.com/\nreceivers:\n- sns_configs:\n  \
             - sigv4:\n      access_key: AKIA\n      region: r\n",
        )
        .unwrap();
        assert_eq!(redact_read_from_secrets(&mut tree), 2);
        let text = crate::yaml::emit(&tree);
        assert!(
            !text.contains("AKIA") && !text.contains("opsgenie.com"),
            "{text}"
        );
        assert!(text.contains("region: r"), "{text}");
    }

    #[test]
    fn empty_values_stay_and_every_header_value_is_hidden() {
        let (text, count) = redacted(
            "a:\n  password: \"\"\n  http_headers:\n    X:\n      values: [v]\n      secrets: [s]\n      files: [/f]\n",
        );
        assert_eq!(count, 2);
        assert!(!text.contains("- v\n") && !text.contains("- s\n"), "{text}");
        assert!(text.contains("- /f"), "{text}");
        let (text, count) = redacted("tracing:\n  headers: {Authorization: Bearer t}\n");
        assert_eq!(count, 1);
        assert!(!text.contains("Bearer"), "{text}");
        // A live Secret may repeat a key: each entry is hidden, not the first twice.
        let (text, count) = redacted(
            "a:\n  http_headers:\n    X:\n      values: [v1]\n      values: [v2]\n    X:\n      secrets: [s]\n",
        );
        assert_eq!(count, 3, "{text}");
        assert!(
            !text.contains("v1") && !text.contains("v2") && !text.contains("- s"),
            "{text}"
        );
    }

    #[test]
    fn copies_of_a_hidden_value_are_hidden_and_target_userinfo_too() {
        let (text, count) = redacted(
            "a:\n  password: &p hunter2!\n  comment: *p\n  job: x\nbasic_auth: {username: x}\nstatic_configs:\n- targets: ['admin:pw@h:9100', h2]\n",
        );
        assert_eq!(count, 4, "{text}");
        assert!(
            !text.contains("hunter2") && !text.contains(":pw@"),
            "{text}"
        );
        // A short hidden value (the username) is not hidden where it stands as a name.
        assert!(text.contains("job: x"), "{text}");
        assert!(
            text.contains("admin:<secret>@h:9100") && text.contains("- h2"),
            "{text}"
        );
        // Nor, whatever their length, a username or a header value, which often equal names.
        let (text, _) = redacted(
            "job_name: prometheus\nbasic_auth: {username: prometheus}\nremote_write:\n- headers: {X-Scope-OrgID: tenant-one}\nexternal_labels: {tenant: tenant-one}\n",
        );
        assert!(
            text.contains("job_name: prometheus") && text.contains("tenant: tenant-one"),
            "{text}"
        );
    }
}
