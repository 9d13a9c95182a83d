//! Converting AlertmanagerConfig resources into Alertmanager configuration (upstream
//! `amcfg.go` `ConfigBuilder`: `initializeFromAlertmanagerConfig`,
//! `InitializeFromRawConfiguration`, `AddAlertmanagerConfigs`, the `convert*` functions and
//! the namespace enforcers).
//!
//! Conversion builds mappings in any key order; [`super::schema::decode_config`] then puts
//! them in the operator's struct order and drops zero values, as marshalling its structs does.

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::store::{Store, tls_asset_path};
use super::timeinterval::{self, Range, cr};
use super::validation;
use crate::monitoring::v1::alertmanager::{AlertmanagerGlobalConfig, GlobalSMTPConfig};
use crate::monitoring::v1::common::ProxyConfig;
use crate::monitoring::v1::tls::SafeTLSConfig;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::monitoring::v1alpha1::alertmanager_config::{
    DiscordConfig, EmailConfig, HTTPConfig, InhibitRule, KeyValue, MSTeamsConfig, MSTeamsV2Config,
    Matcher, MuteTimeInterval, OpsGenieConfig, PagerDutyConfig, PushoverConfig, Receiver,
    RocketChatConfig, Route, SNSConfig, SlackConfig, TelegramConfig, VictorOpsConfig, WeChatConfig,
    WebexConfig, WebhookConfig,
};
use crate::snapshot::{name_of, namespace_of};
use crate::version::Version;
use crate::yaml::{Map, Yaml};

/// How the namespace of an AlertmanagerConfig is enforced on its top-level route and
/// inhibit rules (`spec.alertmanagerConfigMatcherStrategy.type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatcherStrategy {
    /// `OnNamespace` (the default): match the resource's namespace.
    OnNamespace,
    /// `OnNamespaceExceptForAlertmanagerNamespace`: as `OnNamespace`, except for resources in
    /// the Alertmanager's own namespace (named here).
    ExceptNamespace(String),
    /// `None`: no namespace matcher.
    None,
}

impl MatcherStrategy {
    /// The strategy `am` asks for (`spec.alertmanagerConfigMatcherStrategy.type`).
    pub fn of_alertmanager(am: &crate::monitoring::v1::Alertmanager) -> Self {
        MatcherStrategy::of(
            am.spec
                .alertmanager_config_matcher_strategy
                .as_ref()
                .and_then(|s| s.type_.as_deref()),
            namespace_of(&am.metadata),
        )
    }

    /// The strategy `strategy` names, for an Alertmanager in `alertmanager_namespace`.
    pub fn of(strategy: Option<&str>, alertmanager_namespace: &str) -> Self {
        match strategy {
            Some("None") => MatcherStrategy::None,
            Some("OnNamespaceExceptForAlertmanagerNamespace") => {
                MatcherStrategy::ExceptNamespace(alertmanager_namespace.to_owned())
            }
            _ => MatcherStrategy::OnNamespace,
        }
    }

    /// Whether the operator adds the namespace matcher to the routes and inhibit rules of an
    /// AlertmanagerConfig in `namespace`.
    pub fn enforces(&self, namespace: &str) -> bool {
        match self {
            MatcherStrategy::OnNamespace => true,
            MatcherStrategy::ExceptNamespace(own) => own != namespace,
            MatcherStrategy::None => false,
        }
    }
}

/// Why an AlertmanagerConfig cannot be converted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConvertError {
    /// The operator's message.
    pub message: String,
}

type Converted<T> = Result<T, ConvertError>;

fn err(message: impl Into<String>) -> ConvertError {
    ConvertError {
        message: message.into(),
    }
}

/// The resource a conversion works for: names are prefixed with `namespace/name/`, Secrets
/// resolve in its namespace.
#[derive(Clone, Copy, Debug)]
pub struct Resource<'a> {
    /// Namespace.
    pub namespace: &'a str,
    /// Name.
    pub name: &'a str,
}

impl<'a> Resource<'a> {
    /// The namespace and name of `amc`.
    pub fn of(amc: &'a AlertmanagerConfig) -> Self {
        Resource {
            namespace: namespace_of(&amc.metadata),
            name: name_of(&amc.metadata),
        }
    }

    /// `makeNamespacedString`.
    fn prefixed(&self, name: &str) -> String {
        if name.is_empty() {
            String::new()
        } else {
            format!("{}/{}/{name}", self.namespace, self.name)
        }
    }
}

/// Prefixes an error in the global section's `kind` settings as the operator does.
fn in_global(kind: &'static str) -> impl Fn(ConvertError) -> ConvertError {
    move |e| err(format!("invalid global {kind} config: {}", e.message))
}

/// One setting of the global section, with the wording of its errors.
enum GlobalSetting<'a> {
    /// A URL, as Go's `url.Parse` prints it back; the text prefixes its parse error.
    Url(Option<&'a String>, &'static str),
    /// A Secret's value; the text names it in a failed lookup.
    Secret(Option<&'a SecretKeySelector>, &'static str),
    /// A URL held in a Secret: the Secret's name in a failed lookup, then the URL's error prefix.
    SecretUrl(Option<&'a SecretKeySelector>, &'static str, &'static str),
    /// Text, as given.
    Text(Option<&'a String>),
}

use GlobalSetting::{Secret, SecretUrl, Text, Url};

/// Converts AlertmanagerConfig parts for one Alertmanager version.
pub struct Converter<'s> {
    /// Secret and ConfigMap lookups.
    pub store: Store<'s>,
    /// The Alertmanager version in effect.
    pub version: &'s Version,
}

fn set(map: &mut Map, key: &'static str, value: Option<impl Into<Yaml>>) {
    if let Some(v) = value {
        map.push(key, v);
    }
}

fn text(value: &Option<String>) -> Yaml {
    Yaml::from(value.clone().unwrap_or_default())
}

/// Text fields of `$c`, each under its own name, as its string or `""` when unset (written
/// without commas so that one line lists several).
macro_rules! texts {
    ($out:ident, $c:ident: $($field:ident)+) => {
        $($out.push(stringify!($field), text(&$c.$field));)+
    };
}

/// A notifier's mapping, starting with its `send_resolved` when set.
fn notifier(send_resolved: Option<bool>) -> Map {
    let mut out = Map::new();
    set(&mut out, "send_resolved", send_resolved);
    out
}

/// `Matcher.String()`: `name<op>"value"` with the value escaped like OpenMetrics.
pub fn matcher_string(name: &str, op: &str, value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('"', "\\\"");
    format!("{name}{op}\"{escaped}\"")
}

/// Where the operator writes one AlertmanagerConfig matcher (`convertMatchersV2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WrittenMatcher {
    /// A `matchers` entry, this text.
    Text(String),
    /// A `match` entry (Alertmanager before 0.22, no `matchType`, no `regex`).
    Match,
    /// A `match_re` entry (Alertmanager before 0.22, no `matchType`, `regex: true`).
    MatchRe,
}

/// How the operator writes `m` for Alertmanager `version`.
pub fn written_matcher(m: &Matcher, version: &Version) -> WrittenMatcher {
    match m.match_type.as_deref().filter(|t| !t.is_empty()) {
        Some(op) => WrittenMatcher::Text(matcher_string(&m.name, op, &m.value)),
        None if version.gte("0.22.0") => {
            let op = if m.regex { "=~" } else { "=" };
            WrittenMatcher::Text(matcher_string(&m.name, op, &m.value))
        }
        None if m.regex => WrittenMatcher::MatchRe,
        None => WrittenMatcher::Match,
    }
}

fn key_values(items: &[KeyValue]) -> Yaml {
    let mut map = Map::new();
    for kv in items {
        map.set(kv.key.clone(), kv.value.as_str());
    }
    Yaml::from(map)
}

/// What a key that must not be empty holds in the configuration generated over a stand-in.
const STAND_IN_VALUE: &str = "unresolved";

impl Converter<'_> {
    fn secret(&self, res: Resource<'_>, sel: &SecretKeySelector) -> Result<String, String> {
        self.store.secret_key(res.namespace, sel)
    }

    /// `value`, read from `sel`, or a placeholder when `sel` names the empty stand-in
    /// `validate` makes for an unresolved reference: a key that must not be empty is unknown
    /// there, not empty.
    fn stand_in_or(&self, res: Resource<'_>, sel: &SecretKeySelector, value: String) -> String {
        if value.is_empty() && self.store.stand_in(res.namespace, sel) {
            STAND_IN_VALUE.to_owned()
        } else {
            value
        }
    }

    /// A Secret's value; a failed lookup says `failed to get {what}`.
    fn secret_named(
        &self,
        res: Resource<'_>,
        sel: &SecretKeySelector,
        what: &str,
    ) -> Converted<String> {
        self.secret(res, sel)
            .map_err(|e| err(format!("failed to get {what}: {e}")))
    }

    /// Each `(key, selector, what)`: `key` set to the value of the Secret the selector names,
    /// when it names one; a failed lookup says `failed to get {what}`.
    fn push_secrets(
        &self,
        out: &mut Map,
        res: Resource<'_>,
        secrets: &[(&'static str, &Option<SecretKeySelector>, &str)],
    ) -> Converted<()> {
        for (key, sel, what) in secrets {
            if let Some(sel) = sel {
                out.push(*key, self.secret_named(res, sel, what)?);
            }
        }
        Ok(())
    }

    /// `convertMatchersV2`: the `matchers` strings, and the `match` / `match_re` maps for
    /// Alertmanager before 0.22.
    fn matchers(&self, list: &[Matcher]) -> (Vec<String>, Map, Map) {
        let (mut matchers, mut exact, mut regex) = (Vec::new(), Map::new(), Map::new());
        for m in list {
            match written_matcher(m, self.version) {
                WrittenMatcher::Text(text) => matchers.push(text),
                WrittenMatcher::MatchRe => regex.set(m.name.clone(), m.value.as_str()),
                WrittenMatcher::Match => exact.set(m.name.clone(), m.value.as_str()),
            }
        }
        (matchers, exact, regex)
    }

    /// `convertRoute`.
    pub fn route(&self, r: &Route, res: Resource<'_>, depth: usize) -> Converted<Map> {
        if depth > validation::MAX_CONFIG_ROUTE_DEPTH {
            return Err(err("routes nest too deep"));
        }
        let (matchers, exact, regex) = self.matchers(&r.matchers);
        let mut out = Map::new();
        out.push("receiver", res.prefixed(&r.receiver));
        out.push("group_by", r.group_by.clone());
        out.push("match", exact);
        out.push("match_re", regex);
        out.push("matchers", matchers);
        out.push("continue", r.continue_);
        let children = validation::child_routes(r).map_err(err)?;
        let routes = children
            .iter()
            .map(|c| self.route(c, res, depth + 1).map(Yaml::from))
            .collect::<Converted<Vec<Yaml>>>()?;
        out.push("routes", routes);
        out.push("group_wait", text(&r.group_wait));
        out.push("group_interval", text(&r.group_interval));
        out.push("repeat_interval", text(&r.repeat_interval));
        let prefix =
            |names: &[String]| -> Vec<String> { names.iter().map(|n| res.prefixed(n)).collect() };
        out.push("mute_time_intervals", prefix(&r.mute_time_intervals));
        out.push("active_time_intervals", prefix(&r.active_time_intervals));
        Ok(out)
    }

    /// `convertInhibitRule`.
    pub fn inhibit_rule(&self, rule: &InhibitRule) -> Map {
        let (source_matchers, source_match, source_match_re) = self.matchers(&rule.source_match);
        let (target_matchers, target_match, target_match_re) = self.matchers(&rule.target_match);
        Map::new()
            .with("source_match", source_match)
            .with("source_match_re", source_match_re)
            .with("source_matchers", source_matchers)
            .with("target_match", target_match)
            .with("target_match_re", target_match_re)
            .with("target_matchers", target_matchers)
            .with("equal", rule.equal.clone())
    }

    /// The namespace enforcer's `processRoute` (and `continue: true`).
    pub fn enforce_route(&self, route: &mut Map, namespace: &str, strategy: &MatcherStrategy) {
        if strategy.enforces(namespace) {
            if self.version.gte("0.22.0") {
                let mut matchers = take_list(route, "matchers");
                matchers.push(Yaml::from(matcher_string("namespace", "=", namespace)));
                route.set("matchers", matchers);
            } else {
                let mut exact = take_map(route, "match");
                exact.set("namespace", namespace);
                route.set("match", exact);
            }
        }
        route.set("continue", true);
    }

    /// The namespace enforcer's `processInhibitRule`.
    pub fn enforce_inhibit_rule(
        &self,
        rule: &mut Map,
        namespace: &str,
        strategy: &MatcherStrategy,
    ) {
        if !strategy.enforces(namespace) {
            return;
        }
        for key in ["source_match_re", "target_match_re"] {
            let mut m = take_map(rule, key);
            m.remove("namespace");
            rule.set(key, m);
        }
        if !self.version.gte("0.22.0") {
            for key in ["source_match", "target_match"] {
                let mut m = take_map(rule, key);
                m.set("namespace", namespace);
                rule.set(key, m);
            }
            return;
        }
        let wanted = matcher_string("namespace", "=", namespace);
        let squeeze = |s: &str| s.replace(' ', "");
        for key in ["source_matchers", "target_matchers"] {
            let mut list = take_list(rule, key);
            let present = list
                .iter()
                .filter_map(Yaml::as_str)
                .any(|m| squeeze(m) == squeeze(&wanted));
            if !present {
                list.push(Yaml::from(wanted.clone()));
            }
            rule.set(key, list);
        }
        for key in ["source_match", "target_match"] {
            let mut m = take_map(rule, key);
            m.remove("namespace");
            rule.set(key, m);
        }
    }

    /// `convertMuteTimeInterval`.
    pub fn time_interval(&self, mti: &MuteTimeInterval, res: Resource<'_>) -> Converted<Map> {
        // A list of ranges, each parsed with `parse` and written back with `format`.
        let ranges = |list: &[String], parse: cr::Parser, format: fn(Range) -> String| {
            list.iter()
                .map(|text| parse(text).map(format))
                .collect::<Result<Vec<String>, String>>()
                .map_err(err)
        };
        let mut name = String::new();
        let mut periods = Vec::new();
        for ti in &mti.time_intervals {
            let mut period = Map::new();
            let mut times = Vec::new();
            for t in &ti.times {
                let range = cr::time_range(
                    t.start_time.as_deref().unwrap_or(""),
                    t.end_time.as_deref().unwrap_or(""),
                )
                .map_err(err)?;
                times.push(Yaml::from(
                    Map::new()
                        .with("start_time", timeinterval::format_minutes(range.start))
                        .with("end_time", timeinterval::format_minutes(range.end)),
                ));
            }
            period.push("times", times);
            let weekdays = ranges(
                &ti.weekdays,
                cr::weekday_range,
                timeinterval::format_weekdays,
            );
            period.push("weekdays", weekdays?);
            let days: Vec<String> = ti
                .days_of_month
                .iter()
                .map(|d| {
                    timeinterval::format_numbers(Range {
                        start: d.start.unwrap_or(0),
                        end: d.end.unwrap_or(0),
                    })
                })
                .collect();
            period.push("days_of_month", days);
            let months = ranges(&ti.months, cr::month_range, timeinterval::format_numbers);
            period.push("months", months?);
            let years = ranges(&ti.years, cr::year_range, timeinterval::format_numbers);
            period.push("years", years?);
            // Upstream names the interval only inside this loop.
            name = res.prefixed(mti.name.as_deref().unwrap_or(""));
            periods.push(Yaml::from(period));
        }
        Ok(Map::new()
            .with("name", name)
            .with("time_intervals", periods))
    }

    /// `convertTLSConfig`.
    fn tls(&self, tls: &SafeTLSConfig, res: Resource<'_>) -> Map {
        let mut out = Map::new();
        set(&mut out, "server_name", tls.server_name.clone());
        out.push(
            "insecure_skip_verify",
            tls.insecure_skip_verify.unwrap_or(false),
        );
        if tls.ca.secret.is_some() || tls.ca.config_map.is_some() {
            out.push("ca_file", tls_asset_path(res.namespace, &tls.ca));
        }
        if tls.cert.secret.is_some() || tls.cert.config_map.is_some() {
            out.push("cert_file", tls_asset_path(res.namespace, &tls.cert));
        }
        if let Some(key) = &tls.key_secret {
            let sel = crate::monitoring::v1::common::SecretOrConfigMap {
                secret: Some(key.clone()),
                config_map: None,
            };
            out.push("key_file", tls_asset_path(res.namespace, &sel));
        }
        set(&mut out, "min_version", tls.min_version.clone());
        set(&mut out, "max_version", tls.max_version.clone());
        out
    }

    /// `convertProxyConfig`, into `out`.
    fn proxy(&self, pc: &ProxyConfig, res: Resource<'_>, out: &mut Map) -> Converted<()> {
        out.set("proxy_url", text(&pc.proxy_url));
        out.set("no_proxy", text(&pc.no_proxy));
        out.set(
            "proxy_from_environment",
            pc.proxy_from_environment.unwrap_or(false),
        );
        if !pc.proxy_connect_header.is_empty() {
            let mut headers = Map::new();
            for (name, selectors) in &pc.proxy_connect_header {
                let values = selectors
                    .iter()
                    .map(|sel| self.secret(res, sel).map(Yaml::from))
                    .collect::<Result<Vec<Yaml>, String>>()
                    .map_err(|e| err(format!("failed to get proxyConnectHeader secretKey: {e}")))?;
                headers.push(name.clone(), values);
            }
            out.set("proxy_connect_header", headers);
        }
        Ok(())
    }

    /// `convertHTTPConfig`.
    pub fn http_config(
        &self,
        hc: Option<&HTTPConfig>,
        res: Resource<'_>,
    ) -> Converted<Option<Map>> {
        let Some(hc) = hc else { return Ok(None) };
        let mut out = Map::new();
        self.proxy(&hc.proxy_config(), res, &mut out)?;
        if let Some(original) = hc.proxy_url_original.as_ref().filter(|u| !u.is_empty()) {
            out.set("proxy_url", original.as_str());
        }
        set(&mut out, "follow_redirects", hc.follow_redirects);
        set(&mut out, "enable_http2", hc.enable_http2);
        if let Some(ba) = &hc.basic_auth {
            let username = self.secret_named(res, &ba.username, "BasicAuth username")?;
            let password = self.secret_named(res, &ba.password, "BasicAuth password")?;
            if !username.is_empty() || !password.is_empty() {
                out.push(
                    "basic_auth",
                    Map::new()
                        .with("username", username)
                        .with("password", password),
                );
            }
        }
        if let Some(auth) = &hc.authorization {
            let credentials = self.secret_named(
                res,
                &auth.credentials.clone().unwrap_or_default(),
                "Authorization credentials",
            )?;
            if !credentials.is_empty() {
                let kind = if auth.type_.is_empty() {
                    "Bearer"
                } else {
                    auth.type_.as_str()
                };
                out.push(
                    "authorization",
                    Map::new()
                        .with("type", kind)
                        .with("credentials", credentials),
                );
            }
        }
        if let Some(tls) = &hc.tls_config {
            out.push("tls_config", self.tls(tls, res));
        }
        self.push_secrets(
            &mut out,
            res,
            &[("bearer_token", &hc.bearer_token_secret, "bearer token")],
        )?;
        if let Some(o) = &hc.oauth2 {
            let client_id = self
                .store
                .key(res.namespace, &o.client_id)
                .map_err(|e| err(format!("failed to get clientID: {e}")))?;
            let client_secret = self.secret_named(res, &o.client_secret, "client secret")?;
            let mut oauth2 = Map::new()
                .with("client_id", client_id)
                .with("client_secret", client_secret)
                .with("scopes", o.scopes.clone())
                .with("token_url", o.token_url.as_str());
            let mut params = Map::new();
            for (k, v) in &o.endpoint_params {
                params.push(k.clone(), v.as_str());
            }
            oauth2.push("endpoint_params", params);
            self.proxy(&o.proxy_config(), res, &mut oauth2)?;
            out.push("oauth2", oauth2);
        }
        Ok(Some(out))
    }

    fn with_http(
        &self,
        out: &mut Map,
        hc: Option<&HTTPConfig>,
        res: Resource<'_>,
    ) -> Converted<()> {
        if let Some(http) = self.http_config(hc, res)? {
            out.push("http_config", http);
        }
        Ok(())
    }

    /// `convertReceiver`; `global` is the configuration's global section so far (email
    /// receivers may rely on its SMTP settings).
    pub fn receiver(
        &self,
        r: &Receiver,
        res: Resource<'_>,
        global: Option<&Map>,
    ) -> Converted<Map> {
        let mut out = Map::new().with("name", res.prefixed(&r.name));
        // Each list under its own field name; errors name the list as the operator does.
        macro_rules! each {
            ($field:ident, $label:literal, $convert:ident $(, $extra:expr)?) => {
                let mut items = Vec::with_capacity(r.$field.len());
                for (i, c) in r.$field.iter().enumerate() {
                    let item = self
                        .$convert(c, res $(, $extra)?)
                        .map_err(|e| err(format!(concat!($label, "[{}]: {}"), i, e.message)))?;
                    items.push(item);
                }
                if !items.is_empty() {
                    out.push(stringify!($field), items);
                }
            };
        }
        each!(opsgenie_configs, "OpsGenieConfigs", opsgenie);
        each!(pagerduty_configs, "PagerDutyConfig", pagerduty);
        each!(discord_configs, "DiscordConfig", discord);
        each!(slack_configs, "SlackConfig", slack);
        each!(webhook_configs, "WebhookConfig", webhook);
        each!(wechat_configs, "WeChatConfig", wechat);
        each!(email_configs, "EmailConfig", email, global);
        each!(victorops_configs, "VictorOpsConfig", victorops);
        each!(pushover_configs, "PushoverConfig", pushover);
        each!(sns_configs, "SNSConfig", sns);
        each!(telegram_configs, "TelegramConfig", telegram);
        each!(msteams_configs, "MSTeamsConfig", msteams);
        each!(msteamsv2_configs, "MSTeamsConfigV2", msteams_v2);
        each!(webex_configs, "WebexConfig", webex);
        each!(rocketchat_configs, "RocketChatConfig", rocketchat);
        Ok(out)
    }

    fn opsgenie(&self, c: &OpsGenieConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: message description source tags note priority actions entity api_url);
        set(&mut out, "update_alerts", c.update_alerts);
        self.push_secrets(&mut out, res, &[("api_key", &c.api_key, "API key")])?;
        out.push("details", key_values(&c.details));
        let responders: Vec<Map> = c
            .responders
            .iter()
            .map(|r| {
                Map::new()
                    .with("id", text(&r.id))
                    .with("name", text(&r.name))
                    .with("username", text(&r.username))
                    .with("type", r.type_.as_str())
            })
            .collect();
        out.push("responders", responders);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn pagerduty(&self, c: &PagerDutyConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: class client component description group severity url client_url source);
        self.push_secrets(
            &mut out,
            res,
            &[
                ("routing_key", &c.routing_key, "routing key"),
                ("service_key", &c.service_key, "service key"),
            ],
        )?;
        out.push("details", key_values(&c.details));
        let links: Vec<Map> = c
            .pager_duty_link_configs
            .iter()
            .map(|l| {
                Map::new()
                    .with("href", text(&l.href))
                    .with("text", text(&l.alt))
            })
            .collect();
        out.push("links", links);
        let images: Vec<Map> = c
            .pager_duty_image_configs
            .iter()
            .map(|i| {
                Map::new()
                    .with("src", text(&i.src))
                    .with("alt", text(&i.alt))
                    .with("href", text(&i.href))
            })
            .collect();
        out.push("images", images);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        self.timeout(&mut out, &c.timeout)?;
        Ok(out)
    }

    /// A `timeout` duration, checked as `model.ParseDuration` does.
    fn timeout(&self, out: &mut Map, value: &Option<String>) -> Converted<()> {
        if let Some(t) = value.as_ref().filter(|t| !t.is_empty()) {
            super::duration::parse(t).map_err(err)?;
            out.push("timeout", t.as_str());
        }
        Ok(())
    }

    fn discord(&self, c: &DiscordConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: title message content username avatar_url);
        out.push("webhook_url", self.valid_url_from_secret(res, &c.api_url)?);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    /// `getValidURLFromSecret`.
    fn valid_url_from_secret(
        &self,
        res: Resource<'_>,
        sel: &SecretKeySelector,
    ) -> Converted<String> {
        let url = self.secret_named(res, sel, "URL")?;
        let url = url.trim().to_owned();
        if self.store.stand_in(res.namespace, sel) {
            // An unresolved reference's empty stand-in: its value is unknown, not invalid.
            return Ok(url);
        }
        super::url::validate_url(&url).map_err(|e| {
            // The operator quotes the Secret's value here; it is a credential.
            err(format!(
                "failed to validate key {:?} from secret {:?}: {}",
                sel.key,
                sel.name,
                crate::redact::hide_value(&e, &url, crate::redact::REDACTED)
            ))
        })?;
        Ok(url)
    }

    fn slack(&self, c: &SlackConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: channel username color title pretext text footer fallback callback_id
            icon_emoji message_text title_link icon_url image_url thumb_url);
        out.push("short_fields", c.short_fields.unwrap_or(false));
        out.push("link_names", c.link_names.unwrap_or(false));
        out.push("mrkdwn_in", c.mrkdwn_in.clone());
        set(&mut out, "update_message", c.update_message);
        if let Some(sel) = &c.api_url {
            out.push("api_url", self.valid_url_from_secret(res, sel)?);
        }
        let actions: Vec<Map> = c
            .actions
            .iter()
            .map(|a| {
                let mut action = Map::new()
                    .with("type", a.type_.as_str())
                    .with("text", a.text.as_str())
                    .with("style", text(&a.style))
                    .with("name", text(&a.name))
                    .with("value", text(&a.value))
                    .with("url", text(&a.url));
                if let Some(confirm) = &a.confirm {
                    action.push(
                        "confirm",
                        Map::new()
                            .with("text", confirm.text.as_str())
                            .with("title", text(&confirm.title))
                            .with("ok_text", text(&confirm.ok_text))
                            .with("dismiss_text", text(&confirm.dismiss_text)),
                    );
                }
                action
            })
            .collect();
        out.push("actions", actions);
        let fields: Vec<Map> = c
            .fields
            .iter()
            .map(|f| {
                Map::new()
                    .with("title", f.title.as_str())
                    .with("value", f.value.as_str())
                    .with("short", f.short.unwrap_or(false))
            })
            .collect();
        out.push("fields", fields);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        self.timeout(&mut out, &c.timeout)?;
        Ok(out)
    }

    fn webhook(&self, c: &WebhookConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        if let Some(sel) = &c.url_secret {
            out.push("url", self.secret(res, sel).map_err(err)?);
        } else if let Some(url) = &c.url {
            out.push("url", url.as_str());
        }
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        if let Some(max) = c.max_alerts.filter(|m| *m > 0) {
            out.push("max_alerts", max);
        }
        self.timeout(&mut out, &c.timeout)?;
        set(&mut out, "payload", c.payload.clone());
        Ok(out)
    }

    fn wechat(&self, c: &WeChatConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: corp_id agent_id to_user to_party to_tag message message_type api_url);
        self.push_secrets(
            &mut out,
            res,
            &[("api_secret", &c.api_secret, "API secret")],
        )?;
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn webex(&self, c: &WebexConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        out.push("room_id", c.room_id.as_str());
        texts!(out, c: api_url message);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn email(&self, c: &EmailConfig, res: Resource<'_>, global: Option<&Map>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: to from hello auth_username auth_identity);
        set(&mut out, "html", c.html.clone());
        set(&mut out, "text", c.text.clone());
        set(&mut out, "require_tls", c.require_tls);
        set(&mut out, "force_implicit_tls", c.force_implicit_tls);
        let global_has = |key: &str| {
            global
                .and_then(|g| g.get(key))
                .and_then(Yaml::as_str)
                .is_some_and(|v| !v.is_empty())
        };
        let smarthost = c.smarthost.as_deref().unwrap_or("");
        if smarthost.is_empty() && !global_has("smtp_smarthost") {
            return Err(err(
                "SMTP smarthost is a mandatory field, it is neither specified at global config nor at receiver level",
            ));
        }
        if c.from.as_deref().unwrap_or("").is_empty() && !global_has("smtp_from") {
            return Err(err(
                "SMTP from is a mandatory field, it is neither specified at global config nor at receiver level",
            ));
        }
        if !smarthost.is_empty() {
            let (host, port) = super::url::split_host_port(smarthost)
                .map_err(|e| err(format!("invalid SMTP smarthost {smarthost:?}: {e}")))?;
            out.push("smarthost", super::url::join_host_port(host, port));
        }
        self.push_secrets(
            &mut out,
            res,
            &[
                ("auth_password", &c.auth_password, "auth password"),
                ("auth_secret", &c.auth_secret, "auth secret"),
            ],
        )?;
        if !c.headers.is_empty() {
            out.push("headers", key_values(&c.headers));
        }
        if let Some(tls) = &c.tls_config {
            out.push("tls_config", self.tls(tls, res));
        }
        if let Some(t) = &c.threading {
            let by_date = match t.thread_by_date.as_str() {
                "Daily" => "daily",
                "None" => "none",
                _ => "",
            };
            out.push(
                "threading",
                Map::new()
                    .with("enabled", true)
                    .with("thread_by_date", by_date),
            );
        }
        Ok(out)
    }

    fn victorops(&self, c: &VictorOpsConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        out.push("routing_key", c.routing_key.as_str());
        texts!(out, c: message_type entity_display_name state_message monitoring_tool api_url);
        self.push_secrets(&mut out, res, &[("api_key", &c.api_key, "API key")])?;
        if let Some(kv) = c
            .custom_fields
            .iter()
            .find(|kv| validation::VICTOROPS_RESERVED_FIELDS.contains(&kv.key.as_str()))
        {
            return Err(err(format!(
                "VictorOps config contains custom field {} which cannot be used as it conflicts with the fixed/static fields",
                kv.key
            )));
        }
        out.push("custom_fields", key_values(&c.custom_fields));
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn pushover(&self, c: &PushoverConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: title message url_title priority url ttl device);
        set(&mut out, "html", c.html);
        set(&mut out, "monospace", c.monospace);
        for (key, sel, what) in [
            ("user_key", &c.user_key, "user key"),
            ("token", &c.token, "token"),
        ] {
            let sel = sel.clone().unwrap_or_default();
            let value = self.stand_in_or(res, &sel, self.secret_named(res, &sel, what)?);
            if value.is_empty() {
                let field = if key == "token" { "token" } else { "userKey" };
                return Err(err(format!("mandatory field {field:?} is empty")));
            }
            out.push(key, value);
        }
        for (key, value, what) in [
            ("retry", &c.retry, "retry"),
            ("expire", &c.expire, "expire"),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                super::duration::parse(v).map_err(|e| err(format!("parse resolve {what}: {e}")))?;
                out.push(key, v.as_str());
            }
        }
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn telegram(&self, c: &TelegramConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        out.push("chat_id", c.chat_id.unwrap_or(0));
        out.push("message", text(&c.message));
        out.push(
            "disable_notifications",
            c.disable_notifications.unwrap_or(false),
        );
        texts!(out, c: parse_mode bot_token_file api_url);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        out.push("message_thread_id", c.message_thread_id.unwrap_or(0));
        if let Some(sel) = &c.bot_token {
            let token = self.stand_in_or(res, sel, self.secret_named(res, sel, "bot token")?);
            if token.is_empty() {
                return Err(err("mandatory field \"botToken\" is empty"));
            }
            out.push("bot_token", token);
        }
        Ok(out)
    }

    fn sns(&self, c: &SNSConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        let mut attributes = Map::new();
        for (k, v) in &c.attributes {
            attributes.push(k.clone(), v.as_str());
        }
        out.push("attributes", attributes);
        texts!(out, c: api_url topic_arn phone_number target_arn subject message);
        let new = self.version.gte("0.33.0");
        if new && let Some(b) = c.use_awshttp_client {
            out.push("use_aws_http_client", b);
        }
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        if let Some(s) = &c.sigv4 {
            let mut sigv4 = Map::new()
                .with("region", s.region.as_str())
                .with("profile", s.profile.as_str())
                .with("role_arn", s.role_arn.as_str());
            if new {
                sigv4.push("external_id", s.external_id.as_str());
            }
            if let (Some(access), Some(secret)) = (&s.access_key, &s.secret_key) {
                let access = self.secret_named(res, access, "access key")?;
                let secret = self.secret_named(res, secret, "AWS secret key")?;
                sigv4.push("access_key", access);
                sigv4.push("secret_key", secret);
            }
            out.push("sigv4", sigv4);
        }
        Ok(out)
    }

    fn msteams(&self, c: &MSTeamsConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: title text summary);
        out.push(
            "webhook_url",
            self.secret(res, &c.webhook_url).map_err(err)?,
        );
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn msteams_v2(&self, c: &MSTeamsV2Config, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        texts!(out, c: title text);
        if let Some(sel) = &c.webhook_url {
            out.push("webhook_url", self.secret(res, sel).map_err(err)?);
        }
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    fn rocketchat(&self, c: &RocketChatConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = notifier(c.send_resolved);
        let token = self.secret_named(
            res,
            &c.token.clone().unwrap_or_default(),
            "RocketChat token",
        )?;
        out.push("token", token);
        let token_id = self.secret_named(
            res,
            &c.token_id.clone().unwrap_or_default(),
            "RocketChat token ID",
        )?;
        out.push("token_id", token_id);
        texts!(out, c: api_url channel color title title_link text emoji icon_url image_url
            thumb_url);
        out.push("short_fields", c.short_fields.unwrap_or(false));
        out.push("link_names", c.link_names.unwrap_or(false));
        let fields: Vec<Map> = c
            .fields
            .iter()
            .map(|f| {
                let mut field = Map::new()
                    .with("title", text(&f.title))
                    .with("value", text(&f.value));
                set(&mut field, "short", f.short);
                field
            })
            .collect();
        out.push("fields", fields);
        let actions: Vec<Map> = c
            .actions
            .iter()
            .map(|a| {
                Map::new()
                    .with("text", text(&a.text))
                    .with("url", text(&a.url))
                    .with("msg", text(&a.msg))
            })
            .collect();
        out.push("actions", actions);
        self.with_http(&mut out, c.http_config.as_ref(), res)?;
        Ok(out)
    }

    /// `convertGlobalConfig`.
    pub fn global(&self, gc: &AlertmanagerGlobalConfig, res: Resource<'_>) -> Converted<Map> {
        let mut out = Map::new();
        if let Some(smtp) = &gc.smtp {
            self.smtp(&mut out, smtp, res)
                .map_err(|e| err(format!("invalid global smtpConfig: {}", e.message)))?;
        }
        if let Some(hc) = &gc.http_config {
            let as_alpha = super::check::receiver_http_config(hc);
            let http = self
                .http_config(Some(&as_alpha), res)
                .map_err(|e| err(format!("invalid global httpConfig: {}", e.message)))?;
            super::check::http_in_store(&self.store, res.namespace, &as_alpha, "")
                .map_err(|v| err(v.message))?;
            if let Some(http) = http {
                out.push("http_config", http);
            }
        }
        if let Some(timeout) = gc.resolve_timeout.as_ref().filter(|t| !t.is_empty()) {
            super::duration::parse(timeout)
                .map_err(|e| err(format!("parse resolve timeout: {e}")))?;
            out.push("resolve_timeout", timeout.as_str());
        }
        let (telegram, jira) = (gc.telegram.as_ref(), gc.jira.as_ref());
        let (rocket_chat, webex) = (gc.rocket_chat.as_ref(), gc.webex.as_ref());
        let (wechat, victorops) = (gc.wechat.as_ref(), gc.victorops.as_ref());
        let mattermost = gc.mattermost.as_ref();
        // (integration whose name prefixes the errors, key, setting), in the operator's order.
        let settings = [
            (
                None,
                "slack_api_url",
                SecretUrl(
                    gc.slack_api_url.as_ref(),
                    "Slack API URL",
                    "parse slack API URL",
                ),
            ),
            (
                None,
                "opsgenie_api_url",
                SecretUrl(
                    gc.ops_genie_api_url.as_ref(),
                    "OpsGenie API URL",
                    "parse OpsGenie API URL",
                ),
            ),
            (
                None,
                "opsgenie_api_key",
                Secret(gc.ops_genie_api_key.as_ref(), "OpsGenie API KEY"),
            ),
            (
                None,
                "pagerduty_url",
                Url(gc.pagerduty_url.as_ref(), "parse Pagerduty URL"),
            ),
            (
                Some("telegram"),
                "telegram_api_url",
                Url(
                    telegram.and_then(|t| t.api_url.as_ref()),
                    "failed to parse Telegram API URL",
                ),
            ),
            (
                Some("jira"),
                "jira_api_url",
                Url(
                    jira.and_then(|j| j.api_url.as_ref()),
                    "failed to parse Jira API URL",
                ),
            ),
            (
                Some("rocket chat"),
                "rocketchat_api_url",
                Url(
                    rocket_chat.and_then(|rc| rc.api_url.as_ref()),
                    "failed to parse Rocket Chat API URL",
                ),
            ),
            (
                Some("rocket chat"),
                "rocketchat_token",
                Secret(
                    rocket_chat.and_then(|rc| rc.token.as_ref()),
                    "Rocket Chat Token",
                ),
            ),
            (
                Some("rocket chat"),
                "rocketchat_token_id",
                Secret(
                    rocket_chat.and_then(|rc| rc.token_id.as_ref()),
                    "Rocket Chat Token ID",
                ),
            ),
            (
                Some("webex"),
                "webex_api_url",
                Url(
                    webex.and_then(|w| w.api_url.as_ref()),
                    "parse Webex API URL",
                ),
            ),
            (
                Some("wechat"),
                "wechat_api_url",
                Url(wechat.and_then(|w| w.api_url.as_ref()), "wechat API URL"),
            ),
            (
                Some("wechat"),
                "wechat_api_secret",
                Secret(wechat.and_then(|w| w.api_secret.as_ref()), "WeChat Secret"),
            ),
            (
                Some("wechat"),
                "wechat_api_corp_id",
                Text(wechat.and_then(|w| w.api_corp_id.as_ref())),
            ),
            (
                Some("victorops"),
                "victorops_api_url",
                Url(
                    victorops.and_then(|vo| vo.api_url.as_ref()),
                    "failed to parse VictorOps API URL",
                ),
            ),
            (
                Some("victorops"),
                "victorops_api_key",
                Secret(
                    victorops.and_then(|vo| vo.api_key.as_ref()),
                    "VictorOps Secret",
                ),
            ),
            (
                Some("mattermost"),
                "mattermost_webhook_url",
                SecretUrl(
                    mattermost.and_then(|m| m.webhook_url.as_ref()),
                    "Mattermost Webhook URL Secret",
                    "failed to parse Webhook URL",
                ),
            ),
        ];
        for (integration, key, setting) in settings {
            let value = self.global_setting(setting, res);
            let value = match integration {
                Some(kind) => value.map_err(in_global(kind))?,
                None => value?,
            };
            set(&mut out, key, value);
        }
        Ok(out)
    }

    /// The value of one global setting, when it is set.
    fn global_setting(
        &self,
        setting: GlobalSetting<'_>,
        res: Resource<'_>,
    ) -> Converted<Option<String>> {
        let url = |value: &str, what: &str| -> Converted<String> {
            super::url::parse(value)
                .map(|u| u.to_go_string())
                .map_err(|e| err(format!("{what}: {e}")))
        };
        Ok(match setting {
            Url(Some(value), what) => Some(url(value, what)?),
            Secret(Some(sel), what) => Some(self.secret_named(res, sel, what)?),
            SecretUrl(Some(sel), what, url_what) => {
                Some(url(&self.secret_named(res, sel, what)?, url_what)?)
            }
            Text(value) => value.cloned(),
            Url(None, _) | Secret(None, _) | SecretUrl(None, ..) => None,
        })
    }

    /// `convertSMTPConfig`.
    fn smtp(&self, out: &mut Map, smtp: &GlobalSMTPConfig, res: Resource<'_>) -> Converted<()> {
        for (key, value) in [
            ("smtp_from", &smtp.from),
            ("smtp_hello", &smtp.hello),
            ("smtp_auth_username", &smtp.auth_username),
            ("smtp_auth_identity", &smtp.auth_identity),
        ] {
            set(out, key, value.clone());
        }
        set(out, "smtp_force_implicit_tls", smtp.force_implicit_tls);
        set(out, "smtp_require_tls", smtp.require_tls);
        if let Some(hp) = &smtp.smart_host
            && !(hp.host.is_empty() && hp.port.is_empty())
        {
            out.push(
                "smtp_smarthost",
                super::url::join_host_port(&hp.host, &hp.port),
            );
        }
        if let Some(tls) = &smtp.tls_config {
            out.push("smtp_tls_config", self.tls(tls, res));
        }
        if let Some(sel) = &smtp.auth_password {
            out.push("smtp_auth_password", self.secret(res, sel).map_err(err)?);
        }
        if let Some(sel) = &smtp.auth_secret {
            out.push("smtp_auth_secret", self.secret(res, sel).map_err(err)?);
        }
        Ok(())
    }
}

/// Removes `key`'s sequence from `map` (nothing when absent or not a sequence).
pub(super) fn take_list(map: &mut Map, key: &str) -> Vec<Yaml> {
    match map.remove(key) {
        Some(Yaml::Seq(items)) => items,
        _ => Vec::new(),
    }
}

fn take_map(map: &mut Map, key: &str) -> Map {
    match map.remove(key) {
        Some(Yaml::Map(m)) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_strings_escape_like_openmetrics() {
        assert_eq!(matcher_string("a", "=~", "x\"y\\"), "a=~\"x\\\"y\\\\\"");
    }

    #[test]
    fn strategies() {
        assert!(MatcherStrategy::of(None, "m").enforces("x"));
        let except = MatcherStrategy::of(Some("OnNamespaceExceptForAlertmanagerNamespace"), "m");
        assert!(!except.enforces("m"));
        assert!(except.enforces("x"));
        assert!(!MatcherStrategy::of(Some("None"), "m").enforces("x"));
    }
}
