//! The checks the operator runs on an AlertmanagerConfig before using it (upstream
//! `operator.go` `checkAlertmanagerConfigResource`: semantic validation, then the
//! version gates and the Secret/ConfigMap references of every receiver, route and inhibit
//! rule), and on the global configuration of `spec.alertmanagerConfiguration`
//! (`checkAlertmanagerGlobalConfigResource`).

use k8s_openapi::api::core::v1::SecretKeySelector;

use super::store::Store;
use super::url::{validate_secret_url, validate_template_url, validate_url};
use super::validation::{self, Checked, invalid};
use crate::monitoring::v1::alertmanager::AlertmanagerGlobalConfig;
use crate::monitoring::v1::common::HTTPConfigWithProxy;
use crate::monitoring::v1alpha1::AlertmanagerConfig;
use crate::monitoring::v1alpha1::alertmanager_config::ApiVersion;
use crate::monitoring::v1alpha1::alertmanager_config::{HTTPConfig, Matcher, Route};
use crate::validate::{
    Check, Violation, conflicting_auth, validate_authorization, validate_proxy, validate_safe_tls,
};
use crate::version::Version;

fn reference(field: &str) -> impl FnOnce(String) -> Violation + '_ {
    move |message| Violation::new(Check::Reference, field, message)
}

fn gate(version: &Version, min: &str, field: &str, message: String) -> Checked {
    if version.lt(min) {
        Err(Violation::new(Check::Version, field, message))
    } else {
        Ok(())
    }
}

/// The gate on `name` (a receiver kind or a field, at `field`), added in Alertmanager `min`.
fn since(version: &Version, min: &str, field: &str, name: &str) -> Checked {
    gate(
        version,
        min,
        field,
        format!(
            "{name}' is available in Alertmanager >= {min} only - current {}",
            current(version)
        ),
    )
}

/// [`since`] for `name` under `at` (its field is `<at>.<name>`).
fn since_at(version: &Version, min: &str, at: &str, name: &str) -> Checked {
    since(version, min, &format!("{at}.{name}"), name)
}

/// `checkAlertmanagerConfigResource`: the first check `amc` fails for `version`, at the path
/// of the field in the version `amc` was written in.
pub fn alertmanager_config(
    store: &Store<'_>,
    amc: &AlertmanagerConfig,
    version: &Version,
) -> Checked {
    converted_checks(store, amc, version).map_err(|mut violation| {
        violation.field = amc.written_as.field_path(&violation.field);
        violation
    })
}

/// The checks of [`alertmanager_config`], which read `amc` as v1alpha1, as the operator does.
fn converted_checks(store: &Store<'_>, amc: &AlertmanagerConfig, version: &Version) -> Checked {
    validation::validate(&amc.spec, ApiVersion::V1alpha1)?;
    let ns = amc.metadata.namespace.as_deref().unwrap_or("");
    receivers(store, amc, ns, version)?;
    if let Some(route) = &amc.spec.route {
        self::route(route, version, "spec.route", 0)?;
    }
    inhibit_rules(amc, version)
}

/// `checkHTTPConfig`'s version gates, then `own` (the integration's own checks), then the
/// HTTP config's references (`configureHTTPConfigInStore`): the operator's order (upstream
/// runs the first and the last apart, but nothing between them can fail differently).
fn http(
    store: &Store<'_>,
    ns: &str,
    hc: Option<&HTTPConfig>,
    version: &Version,
    at: &str,
    own: &dyn Fn() -> Checked,
) -> Checked {
    let field = format!("{at}.httpConfig");
    if let Some(hc) = hc {
        http_gates(hc, version, &field)?;
    }
    own()?;
    match hc {
        Some(hc) => http_in_store(store, ns, hc, &field),
        None => Ok(()),
    }
}

/// `configureHTTPConfigInStore`.
pub fn http_in_store(store: &Store<'_>, ns: &str, hc: &HTTPConfig, field: &str) -> Checked {
    optional_secret(
        store,
        ns,
        hc.bearer_token_secret.as_ref(),
        field,
        "bearerTokenSecret",
    )?;
    store
        .authorization(ns, hc.authorization.as_ref())
        .map_err(reference(&format!("{field}.authorization")))?;
    store
        .basic_auth(ns, hc.basic_auth.as_ref())
        .map_err(reference(&format!("{field}.basicAuth")))?;
    store
        .safe_tls(ns, hc.tls_config.as_ref())
        .map_err(|m| Violation::new(Check::Tls, format!("{field}.tlsConfig"), m))?;
    store
        .proxy_config(ns, &hc.proxy_config())
        .map_err(reference(&format!("{field}.proxyConnectHeader")))?;
    store
        .oauth2(ns, hc.oauth2.as_ref())
        .map_err(|m| Violation::new(Check::OAuth2, format!("{field}.oauth2"), m))
}

/// The Secret key `sel` names, when it names one, must exist (its field is `<at>.<name>`).
fn optional_secret(
    store: &Store<'_>,
    ns: &str,
    sel: Option<&SecretKeySelector>,
    at: &str,
    name: &str,
) -> Checked {
    if let Some(sel) = sel {
        let field = format!("{at}.{name}");
        store.secret_key(ns, sel).map_err(reference(&field))?;
    }
    Ok(())
}

fn current(version: &Version) -> String {
    version.to_string().trim_start_matches('v').to_owned()
}

/// Runs `check` on each config of a receiver's list `key` (at `<at>.<key>[i]`). Unlike
/// [`validation::each`], errors are not prefixed: upstream's checks do not wrap them.
fn each_config<T>(
    items: &[T],
    at: &str,
    key: &str,
    check: impl Fn(&T, &str) -> Checked,
) -> Checked {
    for (i, item) in items.iter().enumerate() {
        check(item, &format!("{at}.{key}[{i}]"))?;
    }
    Ok(())
}

/// `checkReceivers`.
fn receivers(store: &Store<'_>, amc: &AlertmanagerConfig, ns: &str, v: &Version) -> Checked {
    for (ri, r) in amc.spec.receivers.iter().enumerate() {
        let at = format!("spec.receivers[{ri}]");
        each_config(&r.pagerduty_configs, &at, "pagerdutyConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                optional_secret(store, ns, c.routing_key.as_ref(), at, "routingKey")?;
                optional_secret(store, ns, c.service_key.as_ref(), at, "serviceKey")
            })
        })?;
        each_config(&r.opsgenie_configs, &at, "opsgenieConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                if c.responders.iter().any(|r| r.type_ == "teams") {
                    gate(v, "0.24.0", &format!("{at}.responders"), "'teams' set in 'opsgenieResponder' but supported in Alertmanager >= 0.24.0 only".to_owned())?;
                }
                optional_secret(store, ns, c.api_key.as_ref(), at, "apiKey")
            })
        })?;
        if !r.discord_configs.is_empty() {
            since_at(v, "0.25.0", &at, "discordConfigs")?;
        }
        each_config(&r.discord_configs, &at, "discordConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| Ok(()))?;
            let field = format!("{at}.apiURL");
            let url = store.secret_key(ns, &c.api_url).map_err(|e| {
                Violation::new(
                    Check::Reference,
                    &field,
                    format!("failed to retrieve API URL: {e}"),
                )
            })?;
            if store.stand_in(ns, &c.api_url) {
                return Ok(());
            }
            validate_secret_url(url.trim())
                .map_err(|e| invalid(&field, format!("failed to validate API URL: {e}")))
        })?;
        if !r.rocketchat_configs.is_empty() {
            since(
                v,
                "0.28.0",
                &format!("{at}.rocketchatConfigs"),
                "rocketChatConfigs",
            )?;
        }
        each_config(&r.rocketchat_configs, &at, "rocketchatConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| Ok(()))?;
            let token = c.token.clone().unwrap_or_default();
            store.secret_key(ns, &token).map_err(|e| {
                Violation::new(
                    Check::Reference,
                    format!("{at}.token"),
                    format!("failed to retrieve RocketChat token: {e}"),
                )
            })?;
            let token_id = c.token_id.clone().unwrap_or_default();
            store.secret_key(ns, &token_id).map_err(|e| {
                Violation::new(
                    Check::Reference,
                    format!("{at}.tokenID"),
                    format!("failed to retrieve RocketChat token ID: {e}"),
                )
            })?;
            Ok(())
        })?;
        each_config(&r.slack_configs, &at, "slackConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                let mut api_url = String::new();
                if let Some(sel) = &c.api_url {
                    let field = format!("{at}.apiURL");
                    api_url = store.secret_key(ns, sel).map_err(reference(&field))?;
                    if !store.stand_in(ns, sel) {
                        validate_secret_url(api_url.trim()).map_err(|e| {
                            invalid(&field, format!("failed to validate API URL: {e}"))
                        })?;
                    }
                }
                if c.message_text.is_some() {
                    since_at(v, "0.31.0", at, "messageText")?;
                }
                if let Some(update) = c.update_message {
                    let field = format!("{at}.updateMessage");
                    since(v, "0.32.0", &field, "updateMessage")?;
                    if update
                        && !api_url.is_empty()
                        && api_url != "https://slack.com/api/chat.postMessage"
                    {
                        return Err(invalid(
                            field,
                            "updateMessage' can only be used with bot tokens. API URL must be set to https://slack.com/api/chat.postMessage",
                        ));
                    }
                }
                Ok(())
            })
        })?;
        each_config(&r.webhook_configs, &at, "webhookConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                if let Some(sel) = &c.url_secret {
                    let field = format!("{at}.urlSecret");
                    let url = store.secret_key(ns, sel).map_err(reference(&field))?;
                    if !store.stand_in(ns, sel) {
                        validate_template_url(url.trim())
                            .map_err(|e| invalid(&field, format!("failed to validate URL: {e}")))?;
                    }
                }
                if c.payload.is_some() {
                    since_at(v, "0.32.0", at, "payload")?;
                }
                Ok(())
            })
        })?;
        each_config(&r.wechat_configs, &at, "wechatConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                optional_secret(store, ns, c.api_secret.as_ref(), at, "apiSecret")
            })
        })?;
        if !r.webex_configs.is_empty() {
            since_at(v, "0.25.0", &at, "webexConfigs")?;
        }
        each_config(&r.webex_configs, &at, "webexConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| Ok(()))
        })?;
        each_config(&r.email_configs, &at, "emailConfigs", |c, at| {
            optional_secret(store, ns, c.auth_password.as_ref(), at, "authPassword")?;
            optional_secret(store, ns, c.auth_secret.as_ref(), at, "authSecret")?;
            store
                .safe_tls(ns, c.tls_config.as_ref())
                .map_err(|m| Violation::new(Check::Tls, format!("{at}.tlsConfig"), m))?;
            if c.force_implicit_tls.is_some() {
                since_at(v, "0.31.0", at, "forceImplicitTLS")?;
            }
            if c.threading.is_some() {
                since_at(v, "0.30.0", at, "threading")?;
            }
            Ok(())
        })?;
        each_config(&r.victorops_configs, &at, "victoropsConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                optional_secret(store, ns, c.api_key.as_ref(), at, "apiKey")
            })
        })?;
        each_config(&r.pushover_configs, &at, "pushoverConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                for (name, sel) in [("userKey", &c.user_key), ("token", &c.token)] {
                    let field = format!("{at}.{name}");
                    let Some(sel) = sel else {
                        return Err(invalid(field, format!("mandatory field {name} is empty")));
                    };
                    let value = store.secret_key(ns, sel).map_err(reference(&field))?;
                    if value.is_empty() && !store.stand_in(ns, sel) {
                        // Upstream names userKey whichever key is empty.
                        return Err(invalid(field, "mandatory field userKey is empty"));
                    }
                }
                if c.html == Some(true) && c.monospace == Some(true) {
                    return Err(invalid(
                        at,
                        "html and monospace options are mutually exclusive",
                    ));
                }
                for (name, value) in [("expire", &c.expire), ("retry", &c.retry)] {
                    if let Some(text) = value.as_deref().filter(|t| !t.is_empty()) {
                        super::duration::parse(text)
                            .map_err(|e| invalid(format!("{at}.{name}"), e))?;
                    }
                }
                Ok(())
            })
        })?;
        each_config(&r.sns_configs, &at, "snsConfigs", |c, at| {
            if c.use_awshttp_client.is_some() {
                since_at(v, "0.33.0", at, "useAWSHTTPClient")?;
            }
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                store
                    .sigv4(ns, c.sigv4.as_ref())
                    .map_err(reference(&format!("{at}.sigv4")))
            })
        })?;
        if !r.telegram_configs.is_empty() {
            since_at(v, "0.24.0", &at, "telegramConfigs")?;
        }
        each_config(&r.telegram_configs, &at, "telegramConfigs", |c, at| {
            if c.bot_token_file.is_some() {
                since_at(v, "0.26.0", at, "botTokenFile")?;
            }
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                optional_secret(store, ns, c.bot_token.as_ref(), at, "botToken")
            })
        })?;
        if !r.msteams_configs.is_empty() {
            gate(v, "0.26.0", &format!("{at}.msteamsConfigs"), "invalid syntax in receivers config; msteams integration is only available in Alertmanager >= 0.26.0".to_owned())?;
        }
        each_config(&r.msteams_configs, &at, "msteamsConfigs", |c, at| {
            http(store, ns, c.http_config.as_ref(), v, at, &|| {
                optional_secret(store, ns, Some(&c.webhook_url), at, "webhookUrl")
            })
        })?;
        if !r.msteamsv2_configs.is_empty() {
            gate(v, "0.28.0", &format!("{at}.msteamsv2Configs"), "invalid syntax in receivers config; msteamsv2 integration is only available in Alertmanager >= 0.28.0".to_owned())?;
        }
        each_config(&r.msteamsv2_configs, &at, "msteamsv2Configs", |c, at| {
            optional_secret(store, ns, c.webhook_url.as_ref(), at, "webhookURL")?;
            http(store, ns, c.http_config.as_ref(), v, at, &|| Ok(()))
        })?;
    }
    Ok(())
}

/// The version gates of `checkHTTPConfig` alone.
fn http_gates(hc: &HTTPConfig, version: &Version, field: &str) -> Checked {
    let cur = current(version);
    let proxy = hc.no_proxy.is_some()
        || hc.proxy_from_environment.is_some()
        || !hc.proxy_connect_header.is_empty();
    for (set, what, min) in [
        (hc.authorization.is_some(), "'authorization'", "0.22.0"),
        (hc.oauth2.is_some(), "'oauth2'", "0.22.0"),
        (proxy, "'ProxyConfig'", "0.25.0"),
    ] {
        if set {
            gate(
                version,
                min,
                field,
                format!(
                    "{what} config set in 'httpConfig' but supported in Alertmanager >= {min} only - current {cur}"
                ),
            )?;
        }
    }
    Ok(())
}

/// Go's `%v` of a `[]Matcher`.
fn go_matchers(matchers: &[Matcher]) -> String {
    let items: Vec<String> = matchers
        .iter()
        .map(|m| {
            format!(
                "{{{} {} {} {}}}",
                m.name,
                m.value,
                m.match_type.as_deref().unwrap_or(""),
                m.regex
            )
        })
        .collect();
    format!("[{}]", items.join(" "))
}

fn is_v2(matchers: &[Matcher]) -> bool {
    matchers
        .iter()
        .any(|m| m.match_type.as_deref().is_some_and(|t| !t.is_empty()))
}

/// `checkRoute`.
fn route(r: &Route, version: &Version, at: &str, depth: usize) -> Checked {
    if depth > validation::MAX_CONFIG_ROUTE_DEPTH {
        return Err(invalid(at, "routes nest too deep"));
    }
    if version.lt("0.22.0") && is_v2(&r.matchers) {
        return Err(Violation::new(
            Check::Version,
            format!("{at}.matchers"),
            format!(
                "invalid syntax in route config for 'matchers' comparison based matching is supported in Alertmanager >= 0.22.0 only (matchers={}) (receiver={})",
                go_matchers(&r.matchers),
                r.receiver
            ),
        ));
    }
    let children = validation::child_routes(r).map_err(|e| invalid(format!("{at}.routes"), e))?;
    for (i, child) in children.iter().enumerate() {
        route(child, version, &format!("{at}.routes[{i}]"), depth + 1)?;
    }
    Ok(())
}

/// `checkInhibitRules`.
fn inhibit_rules(amc: &AlertmanagerConfig, version: &Version) -> Checked {
    let name = amc.metadata.name.as_deref().unwrap_or("");
    for (i, rule) in amc.spec.inhibit_rules.iter().enumerate() {
        let at = format!("spec.inhibitRules[{i}]");
        if version.lt("0.22.0") {
            if is_v2(&rule.source_match) || is_v2(&rule.target_match) {
                return Err(Violation::new(
                    Check::Version,
                    at,
                    format!(
                        "'sourceMatch' and/or 'targetMatch' are using matching syntax which is supported in Alertmanager >= 0.22.0 only (sourceMatch={}, targetMatch={})",
                        go_matchers(&rule.source_match),
                        go_matchers(&rule.target_match)
                    ),
                ));
            }
            continue;
        }
        for (key, list, word) in [
            ("targetMatch", &rule.target_match, "targetMatchers"),
            ("sourceMatch", &rule.source_match, "sourceMatchers"),
        ] {
            for (j, m) in list.iter().enumerate() {
                validation::matcher(m).map_err(|e| {
                    invalid(
                        format!("{at}.{key}[{j}]"),
                        format!("invalid {word}[{j}] in inhibitRule[{i}] in config {name}: {e}"),
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// The global section's HTTP settings as a receiver's `HTTPConfig`, so that they are checked
/// and converted as a receiver's are.
pub(super) fn receiver_http_config(hc: &HTTPConfigWithProxy) -> HTTPConfig {
    HTTPConfig {
        authorization: hc.authorization.clone(),
        basic_auth: hc.basic_auth.clone(),
        oauth2: hc.oauth2.clone(),
        bearer_token_secret: hc.bearer_token_secret.clone(),
        tls_config: hc.tls_config.clone(),
        proxy_url: hc.proxy_url.clone(),
        no_proxy: hc.no_proxy.clone(),
        proxy_from_environment: hc.proxy_from_environment,
        proxy_connect_header: hc.proxy_connect_header.clone(),
        follow_redirects: hc.follow_redirects,
        enable_http2: hc.enable_http2,
        ..HTTPConfig::default()
    }
}

/// `checkAlertmanagerGlobalConfigResource` (with `ValidateAlertmanagerGlobalConfig`).
pub fn global_config(
    store: &Store<'_>,
    gc: &AlertmanagerGlobalConfig,
    ns: &str,
    version: &Version,
) -> Result<(), String> {
    if let Some(hc) = &gc.http_config {
        let as_alpha = receiver_http_config(hc);
        global_http_validate(&as_alpha, hc).map_err(|m| format!("'httpConfig': {m}"))?;
    }
    for (name, api_url) in [
        ("telegram", gc.telegram.as_ref().map(|c| &c.api_url)),
        ("jira", gc.jira.as_ref().map(|c| &c.api_url)),
        ("victorops", gc.victorops.as_ref().map(|c| &c.api_url)),
        ("rocketChat", gc.rocket_chat.as_ref().map(|c| &c.api_url)),
        ("webex", gc.webex.as_ref().map(|c| &c.api_url)),
        ("'wechat'", gc.wechat.as_ref().map(|c| &c.api_url)),
    ] {
        if let Some(v) = api_url.and_then(Option::as_ref).filter(|v| !v.is_empty()) {
            validate_url(v).map_err(|e| format!("{name}: invalid 'apiURL': {e}"))?;
        }
    }
    let cur = version.to_string();
    let requires = |what: &str, min: &str| -> Result<(), String> {
        if version.lt(min) {
            Err(format!(
                "'{what}' integration requires Alertmanager >= {} - current {}",
                min,
                cur.trim_start_matches('v')
            ))
        } else {
            Ok(())
        }
    };
    if gc
        .smtp
        .as_ref()
        .is_some_and(|s| s.force_implicit_tls.is_some())
    {
        requires("forceImplicitTLS", "0.31.0")?;
    }
    if gc.telegram.is_some() {
        requires("telegram", "0.24.0")?;
    }
    if gc.jira.is_some() {
        requires("jira", "0.28.0")?;
    }
    if let Some(sel) = gc.victorops.as_ref().and_then(|c| c.api_key.as_ref()) {
        store.secret_key(ns, sel)?;
    }
    if let Some(rc) = &gc.rocket_chat {
        requires("rocketChat", "0.28.0")?;
        for sel in [&rc.token, &rc.token_id].into_iter().flatten() {
            store.secret_key(ns, sel)?;
        }
    }
    if gc.webex.is_some() {
        requires("webex", "0.25.0")?;
    }
    if let Some(sel) = gc.wechat.as_ref().and_then(|c| c.api_secret.as_ref()) {
        store.secret_key(ns, sel)?;
    }
    if let Some(mc) = &gc.mattermost {
        if version.lt("0.32.0") {
            return Err(format!(
                "'mattermost' global parameters require Alertmanager >= 0.32.0 - current {}",
                cur.trim_start_matches('v')
            ));
        }
        if let Some(sel) = &mc.webhook_url {
            let url = store
                .secret_key(ns, sel)
                .map_err(|e| format!("failed to retrieve Mattermost Webhook URL: {e}"))?;
            if !store.stand_in(ns, sel) {
                validate_secret_url(url.trim())
                    .map_err(|e| format!("failed to validate Mattermost Webhook URL: {e}"))?;
            }
        }
    }
    Ok(())
}

/// `HTTPConfigWithProxy.Validate`: the v1 HTTP client checks (authentication methods
/// exclusive, TLS, proxy).
fn global_http_validate(hc: &HTTPConfig, with_proxy: &HTTPConfigWithProxy) -> Result<(), String> {
    if let Some(m) = conflicting_auth(
        hc.authorization.is_some(),
        hc.basic_auth.is_some(),
        hc.bearer_token_secret.is_some(),
        hc.oauth2.is_some(),
    ) {
        return Err(m.to_owned());
    }
    if let Some(a) = &hc.authorization {
        validate_authorization(a, "").map_err(|v| format!("authorization: {}", v.message))?;
    }
    if let Some(o) = &hc.oauth2 {
        crate::validate::validate_oauth2(o, "").map_err(|v| format!("oauth2: {}", v.message))?;
    }
    if let Some(tls) = &hc.tls_config {
        validate_safe_tls(tls, "").map_err(|v| format!("tlsConfig: {}", v.message))?;
    }
    validate_proxy("", &with_proxy.proxy_config()).map_err(|v| v.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Snapshot;

    const OBJECTS: &str = include_str!("../../tests/fixtures/unit/alertmanager_check_objects.yaml");

    fn check_named(name: &str, version: &str) -> Checked {
        let (snapshot, _): (Snapshot, _) = crate::snapshot::load("t", OBJECTS).unwrap();
        let amc = snapshot
            .alertmanager_configs
            .iter()
            .find(|c| c.metadata.name.as_deref() == Some(name))
            .unwrap();
        alertmanager_config(
            &Store::new(&snapshot),
            amc,
            &Version::parse(version).unwrap(),
        )
    }

    #[test]
    fn version_gate_comes_before_the_secret_reference() {
        let old = check_named("teams", "v0.23.0").unwrap_err();
        assert_eq!(old.check, Check::Version);
        assert_eq!(old.field, "spec.receivers[0].opsgenieConfigs[0].responders");
        let new = check_named("teams", "v0.27.0").unwrap_err();
        assert_eq!(new.check, Check::Reference);
        assert_eq!(new.field, "spec.receivers[0].opsgenieConfigs[0].apiKey");
    }

    #[test]
    fn match_type_needs_alertmanager_0_22() {
        let old = check_named("regex-route", "v0.21.0").unwrap_err();
        assert_eq!(old.field, "spec.route.matchers");
        assert!(old.message.contains("(matchers=["), "{}", old.message);
        assert_eq!(check_named("regex-route", "v0.22.0"), Ok(()));
    }

    #[test]
    fn http_config_gates_name_the_setting_and_its_release() {
        let gate = |http: serde_json::Value| {
            let hc: HTTPConfig = serde_json::from_value(http).unwrap();
            http_gates(&hc, &Version::parse("v0.21.0").unwrap(), "f").unwrap_err()
        };
        let oauth2 = gate(serde_json::json!({"oauth2": {"tokenUrl": "https://t"}}));
        assert_eq!(
            (oauth2.check, oauth2.message.as_str()),
            (
                Check::Version,
                "'oauth2' config set in 'httpConfig' but supported in Alertmanager >= 0.22.0 only - current 0.21.0"
            )
        );
        let proxy = gate(serde_json::json!({"noProxy": "h"}));
        assert_eq!(
            proxy.message,
            "'ProxyConfig' config set in 'httpConfig' but supported in Alertmanager >= 0.25.0 only - current 0.21.0"
        );
    }

    #[test]
    fn global_http_config_uses_the_v1_wording() {
        let (snapshot, _): (Snapshot, _) = crate::snapshot::load("t", OBJECTS).unwrap();
        let global = |http: serde_json::Value| -> Result<(), String> {
            let gc: AlertmanagerGlobalConfig =
                serde_json::from_value(serde_json::json!({ "httpConfig": http })).unwrap();
            let version = Version::parse("v0.27.0").unwrap();
            global_config(&Store::new(&snapshot), &gc, "app", &version)
        };
        let secret = serde_json::json!({"name": "og", "key": "key"});
        let both = global(serde_json::json!({
            "authorization": {"credentials": secret},
            "basicAuth": {"username": secret, "password": secret}
        }));
        assert_eq!(
            both.unwrap_err(),
            "'httpConfig': authorization and basicAuth cannot be configured at the same time"
        );
        let basic = global(serde_json::json!({"authorization": {"type": "Basic"}}));
        assert_eq!(
            basic.unwrap_err(),
            "'httpConfig': authorization: 'authorization' type cannot be set to \"basic\", use \"basicAuth\" instead"
        );
        let oauth2_tls = global(serde_json::json!({"oauth2": {
            "clientId": {"secret": secret},
            "clientSecret": secret,
            "tokenUrl": "https://t",
            "tlsConfig": {"keySecret": secret}
        }}));
        assert_eq!(
            oauth2_tls.unwrap_err(),
            "'httpConfig': oauth2: invalid OAuth2 'tlsConfig': client key specified without client cert"
        );
    }
}
