//! Generic SAML protocol rules (SAML core §2–3, profiles §4.1.4): audience, destination,
//! recipient, issuer, request correlation, validity windows, status, NameID, encryption.

use std::collections::{BTreeMap, BTreeSet};

use super::{Context, Finding};
use crate::analysis::AnalyzedMessage;
use crate::profile::{Fix, IdpSetting, SpSetting};
use crate::saml::names::{describe_status, CM_BEARER, NAMEID_UNSPECIFIED, STATUS_SUCCESS};
use crate::saml::time::{human_duration, Instant};
use crate::saml::MessageKind;

/// The messages that deliver assertions: Responses, and bare or wrapped assertions.
fn responses<'a>(ctx: &'a Context<'_>) -> impl Iterator<Item = &'a AnalyzedMessage> {
    ctx.analysis.messages.iter().filter(|m| m.kind().carries_assertions())
}

/// Legacy (`https://iam.twilio.com/v1/Accounts/AC…`) or enhanced (`urn:flex:JQ…`,
/// `login.flex.*.twilio.com`) Flex value, or neither.
pub(super) fn flex_style(value: &str) -> Option<&'static str> {
    if value.contains("iam.twilio.com/v1/Accounts/AC") {
        Some("legacy")
    } else if value.starts_with("urn:flex:JQ")
        || value.contains(".twilio.com/login/callback?connection=JQ")
    {
        Some("enhanced")
    } else {
        None
    }
}

fn cause(observed: &str, expected: &str) -> String {
    let trimmed = |s: &str| s.trim_end_matches('/').to_string();
    match (flex_style(observed), flex_style(expected)) {
        _ if observed.trim() != observed => {
            " (the value has leading or trailing whitespace)".into()
        }
        _ if trimmed(observed) == trimmed(expected) => {
            " (they differ only by a trailing slash)".into()
        }
        (Some(o), Some(e)) if o != e => {
            format!(" (the IdP has the {o} value but Flex uses the {e} SSO configuration)")
        }
        (Some(_), Some(_)) => " (another Flex account SID or SSO connection)".into(),
        _ => String::new(),
    }
}

/// `audience-mismatch`.
pub fn audience_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(expected) = &ctx.config.entity_id else { return };
    for m in responses(ctx) {
        let Some(a) = m.consumed_assertion() else { continue };
        let audiences = a.conditions.as_ref().map(|c| c.audiences.clone()).unwrap_or_default();
        if audiences.iter().any(|x| x == expected) {
            continue;
        }
        let observed =
            if audiences.is_empty() { "(no Audience)".to_string() } else { audiences.join(", ") };
        let why = audiences.first().map(|o| cause(o, expected)).unwrap_or_default();
        out.push(
            Finding::new(
                "audience-mismatch",
                Some(m.index),
                format!("the assertion is for another service provider{why}"),
            )
            .values(observed, expected.clone())
            .evidence("Assertion/Conditions/AudienceRestriction/Audience")
            .remedy(Fix::Idp(IdpSetting::SpEntityId, format!("set it to {expected}"))),
        );
    }
}

/// `destination-mismatch`.
pub fn destination_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(expected) = &ctx.config.acs_url else { return };
    for m in responses(ctx) {
        let Some(d) = m.message.as_ref().and_then(|x| x.destination.clone()) else { continue };
        if &d == expected {
            continue;
        }
        out.push(
            Finding::new(
                "destination-mismatch",
                Some(m.index),
                format!("the Response is addressed to another endpoint{}", cause(&d, expected)),
            )
            .values(d, expected.clone())
            .evidence("Response/@Destination")
            .remedy(Fix::Idp(IdpSetting::AcsUrl, format!("set it to {expected}"))),
        );
    }
}

/// `recipient-mismatch`.
pub fn recipient_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(expected) = &ctx.config.acs_url else { return };
    for m in responses(ctx) {
        let Some(a) = m.consumed_assertion() else { continue };
        for c in a.confirmations.iter().filter(|c| c.method.as_deref() == Some(CM_BEARER)) {
            let Some(r) = &c.recipient else { continue };
            if r == expected {
                continue;
            }
            out.push(
                Finding::new(
                    "recipient-mismatch",
                    Some(m.index),
                    format!(
                        "the bearer confirmation names another recipient{}",
                        cause(r, expected)
                    ),
                )
                .values(r.clone(), expected.clone())
                .evidence(
                    "Assertion/Subject/SubjectConfirmation/SubjectConfirmationData/@Recipient",
                )
                .remedy(Fix::Idp(IdpSetting::AcsUrl, format!("set it to {expected}"))),
            );
        }
    }
}

/// `issuer-mismatch`: Response and Assertion issuers against the configured one; both
/// wrong the same way is one finding.
pub fn issuer_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(expected) = &ctx.config.idp_issuer else { return };
    for m in responses(ctx) {
        let Some(msg) = &m.message else { continue };
        let mut seen = vec![("Response/Issuer", msg.issuer.clone())];
        if let Some(a) = m.consumed_assertion() {
            seen.push(("Assertion/Issuer", a.issuer.clone()));
        }
        let mut wrong: Vec<(&str, String)> = Vec::new();
        for (path, issuer) in seen {
            if let Some(i) = issuer.filter(|i| i != expected && !wrong.iter().any(|(_, v)| v == i))
            {
                wrong.push((path, i));
            }
        }
        for (path, issuer) in wrong {
            let both = msg.issuer.as_deref() == Some(issuer.as_str())
                && m.consumed_assertion().and_then(|a| a.issuer.as_deref())
                    == Some(issuer.as_str());
            out.push(
                Finding::new(
                    "issuer-mismatch",
                    Some(m.index),
                    format!(
                        "the IdP issuer differs from the one configured in Flex{}",
                        issuer_hint(&issuer, expected)
                    ),
                )
                .values(issuer.clone(), expected.clone())
                .evidence(if both { "Response/Issuer and Assertion/Issuer" } else { path })
                .remedy(Fix::Sp(
                    SpSetting::IdpIssuer,
                    format!("set it to exactly {issuer} (the Issuer the IdP sends)"),
                )),
            );
        }
    }
}

/// Names the usual small differences: a trailing slash, `my.salesforce.com` vs `salesforce.com`.
fn issuer_hint(observed: &str, expected: &str) -> String {
    let mut parts = Vec::new();
    if observed.ends_with('/') != expected.ends_with('/') {
        parts.push("a trailing slash");
    }
    if observed.contains(".my.salesforce.com") != expected.contains(".my.salesforce.com") {
        parts.push("my.salesforce.com versus salesforce.com");
    }
    let host = |s: &str| {
        s.replace(".my.salesforce.com", ".salesforce.com").trim_end_matches('/').to_string()
    };
    if parts.is_empty() || host(observed) != host(expected) {
        return String::new();
    }
    format!(" (they differ only by {})", parts.join(" and "))
}

/// `sso-url-mismatch`: an AuthnRequest sent somewhere other than the configured SSO URL.
pub fn sso_url_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(expected) = &ctx.config.sso_url else { return };
    for m in ctx.analysis.messages.iter().filter(|m| m.kind() == MessageKind::AuthnRequest) {
        let sent = m
            .message
            .as_ref()
            .and_then(|x| x.destination.clone())
            .or_else(|| m.captured.source.url.clone());
        let Some(sent) = sent else { continue };
        let base = |s: &str| {
            s.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').to_string()
        };
        if base(&sent) == base(expected) {
            continue;
        }
        let hint = if sent.contains("HttpPost") && expected.contains("HttpRedirect") {
            " (HttpPost endpoint where Flex uses HttpRedirect)"
        } else {
            ""
        };
        out.push(
            Finding::new(
                "sso-url-mismatch",
                Some(m.index),
                format!("the AuthnRequest is sent to another IdP endpoint{hint}"),
            )
            .values(sent, expected.clone())
            .evidence("AuthnRequest/@Destination")
            .remedy(Fix::Sp(SpSetting::SsoUrl, format!("set it to {expected}"))),
        );
    }
}

/// `sso-config-mixed`: the audience is of one Flex configuration type and the ACS of the other.
pub fn sso_config_mixed(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let c = ctx.config;
    if !c.flex.is_empty() || c.entity_id.is_some() || c.acs_url.is_some() {
        return; // with expected values, audience/destination/recipient-mismatch say it precisely
    }
    for m in responses(ctx) {
        let Some(a) = m.consumed_assertion() else { continue };
        let audience = a.conditions.as_ref().and_then(|c| c.audiences.first()).cloned();
        let acs = m
            .message
            .as_ref()
            .and_then(|x| x.destination.clone())
            .or_else(|| a.confirmations.iter().find_map(|c| c.recipient.clone()));
        let (Some(audience), Some(acs)) = (audience, acs) else { continue };
        let (Some(sa), Some(sc)) = (flex_style(&audience), flex_style(&acs)) else { continue };
        if sa == sc {
            continue;
        }
        out.push(
            Finding::new("sso-config-mixed", Some(m.index), format!("the Entity Id is the {sa} Flex value but the ACS URL is the {sc} one"))
                .values(format!("Entity Id {audience}, ACS URL {acs}"), "both from the same SSO configuration type (enhanced: urn:flex:JQ… and login.flex.<region>.twilio.com; legacy: iam.twilio.com/v1/Accounts/AC…)")
                .evidence("Audience and Destination/Recipient")
                .remedy(Fix::Idp(IdpSetting::SpEntityId, "copy both the entity ID and the ACS URL from the same Flex page (enhanced: \"Set up your identity provider\")".into())),
        );
    }
}

/// The AuthnRequests of the trace by ID (the first of a repeated ID wins).
fn authn_requests_by_id<'a>(ctx: &'a Context<'_>) -> BTreeMap<&'a str, &'a AnalyzedMessage> {
    let mut by_id = BTreeMap::new();
    for m in ctx.analysis.messages.iter().filter(|m| m.kind() == MessageKind::AuthnRequest) {
        if let Some(id) = m.message.as_ref().and_then(|x| x.id.as_deref()) {
            by_id.entry(id).or_insert(m);
        }
    }
    by_id
}

/// `in-response-to-mismatch`: the Response answers no AuthnRequest of the capture.
pub fn in_response_to_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let requests = authn_requests_by_id(ctx);
    // What the finding names as expected: a few request IDs, however many the capture holds.
    let mut listed: Vec<&str> = requests.keys().take(3).copied().collect();
    if requests.len() > listed.len() {
        listed.push("…");
    }
    let listed = listed.join(" or ");
    for m in responses(ctx) {
        let Some(msg) = &m.message else { continue };
        let mut claims: Vec<(&str, String)> =
            msg.in_response_to.iter().map(|v| ("Response/@InResponseTo", v.clone())).collect();
        if let Some(a) = m.consumed_assertion() {
            claims.extend(
                a.confirmations
                    .iter()
                    .filter_map(|c| c.in_response_to.clone())
                    .map(|v| ("SubjectConfirmationData/@InResponseTo", v)),
            );
        }
        // One finding per wrong value, naming every place that carries it (once).
        let distinct: BTreeSet<&str> = claims.iter().map(|(_, v)| v.as_str()).collect();
        let inconsistent = distinct.len() > 1;
        let mut wrong: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (path, value) in &claims {
            let unanswered = !requests.is_empty() && !requests.contains_key(&**value);
            if unanswered || inconsistent {
                wrong.entry(value.as_str()).or_default().insert(path);
            }
        }
        for (value, paths) in wrong {
            let paths: Vec<&str> = paths.into_iter().collect();
            let unanswered = !requests.is_empty() && !requests.contains_key(value);
            let expected = if unanswered { listed.clone() } else { claims[0].1.clone() };
            out.push(
                Finding::new("in-response-to-mismatch", Some(m.index), "the Response answers another AuthnRequest than the one sent")
                    .values(value, expected)
                    .evidence(paths.join(" and "))
                    .fix("Start the login again from the service provider's login link in one browser tab; a stale tab or a back-button replay sends an old response. If it persists, check that the service provider uses a single SSO configuration."),
            );
        }
    }
}

/// `acs-url-mismatch`: the ACS URL an AuthnRequest asks for is not the configured one, or not
/// where the IdP sent the Response that answers it. One finding per request.
pub fn acs_url_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // The responses that answer each request, by the request's ID.
    let mut answers: BTreeMap<&str, Vec<&AnalyzedMessage>> = BTreeMap::new();
    for m in responses(ctx) {
        if let Some(irt) = m.message.as_ref().and_then(|x| x.in_response_to.as_deref()) {
            answers.entry(irt).or_default().push(m);
        }
    }
    for (id, req) in authn_requests_by_id(ctx) {
        let Some(asked) = req.message.as_ref().and_then(|x| x.request.as_ref()?.acs_url.clone())
        else {
            continue;
        };
        let mut problems = Vec::new();
        let mut fix = None;
        if let Some(expected) = ctx.config.acs_url.as_ref().filter(|e| **e != asked) {
            problems.push(format!(
                "it is not the configured ACS URL {expected}{}",
                cause(&asked, expected)
            ));
            fix = Some(Fix::Text("The service provider asks for an ACS URL it does not serve: check its SSO configuration (in Flex, log in through the SSO connection whose values are configured in the IdP).".to_string()));
        }
        for r in answers.get(id).into_iter().flatten() {
            // Where the Response went: its Destination (signed, and whole: a capture's URL may
            // have lost its query), else the URL the capture shows it posted to.
            let sent_to = r
                .message
                .as_ref()
                .and_then(|x| x.destination.clone())
                .or_else(|| r.captured.parameter.as_ref().and(r.captured.source.url.clone()));
            if let Some(sent_to) = sent_to.filter(|s| *s != asked) {
                problems.push(format!(
                    "the IdP sent the Response (message {}) to {sent_to}",
                    r.index + 1
                ));
                fix.get_or_insert_with(|| Fix::Idp(IdpSetting::AcsUrl, format!("the IdP ignores the requested ACS URL and uses its own; set it to {asked}")));
            }
        }
        let Some(fix) = fix else { continue };
        out.push(
            Finding::new(
                "acs-url-mismatch",
                Some(req.index),
                format!(
                    "the AuthnRequest asks for the ACS URL {asked}, but {}",
                    problems.join("; and ")
                ),
            )
            .values(
                asked.clone(),
                ctx.config
                    .acs_url
                    .clone()
                    .unwrap_or_else(|| "the URL the Response was sent to".into()),
            )
            .evidence("AuthnRequest/@AssertionConsumerServiceURL")
            .remedy(fix),
        );
    }
}

/// `relay-state-dropped`: the AuthnRequest carried RelayState and the Response did not return it.
pub fn relay_state_dropped(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let requests = authn_requests_by_id(ctx);
    for m in responses(ctx) {
        let Some(irt) = m.message.as_ref().and_then(|x| x.in_response_to.clone()) else { continue };
        let request = requests.get(irt.as_str());
        let Some(sent) = request.and_then(|r| r.captured.relay_state.clone()) else { continue };
        // Only a transport that was seen (a form, a URL, a HAR entry) can have dropped it: a
        // pasted Response says nothing about the RelayState that came with it.
        if m.captured.relay_state_hidden || m.captured.parameter.is_none() {
            continue;
        }
        if m.captured.relay_state.as_deref() == Some(sent.as_str()) {
            continue;
        }
        out.push(
            Finding::new("relay-state-dropped", Some(m.index), "the IdP did not send back the RelayState of the AuthnRequest")
                .values(m.captured.relay_state.clone().unwrap_or_else(|| "(none)".into()), sent)
                .evidence("RelayState form field")
                .remedy(Fix::Idp(IdpSetting::StartUrl, "leave it empty (or the service provider's start page) and start logins from the service provider, so the IdP returns the RelayState it received".into())),
        );
    }
}

/// `assertion-expired` and `assertion-not-yet-valid`, judged at capture time (or `--at`) ± skew.
pub fn validity_window(ctx: &Context<'_>, out: &mut Vec<Finding>, expired: bool) {
    let skew = ctx.config.skew;
    let attr = if expired { "NotOnOrAfter" } else { "NotBefore" };
    for m in responses(ctx) {
        let Some(now) = m.evaluation_time(ctx.config) else { continue };
        // Conditions and SubjectConfirmationData usually carry the same bound: one finding
        // names every place that fails, measured from the strictest.
        let mut failing: Vec<(&str, &str, i64)> = Vec::new();
        for w in m.validity_windows() {
            let bound = if expired { w.not_on_or_after } else { w.not_before };
            let Some(raw) = bound else { continue };
            let Ok(t) = Instant::parse(raw) else { continue };
            let fails = if expired { now.0 >= t.0 + skew } else { now.0 + skew < t.0 };
            if fails {
                failing.push((w.path, raw, now.micros_until(t)));
            }
        }
        let Some(&(_, raw, off)) =
            failing.iter().min_by_key(|(_, _, off)| if expired { *off } else { -*off })
        else {
            continue;
        };
        let (rule, what) = if expired {
            (
                "assertion-expired",
                format!("the assertion expired {} before it was checked", human_duration(-off)),
            )
        } else {
            (
                "assertion-not-yet-valid",
                format!("the assertion becomes valid {} after it was checked", human_duration(off)),
            )
        };
        let places: Vec<String> =
            failing.iter().map(|(path, _, _)| format!("{path}/@{attr}")).collect();
        out.push(
            Finding::new(rule, Some(m.index), format!("{what} (allowed skew {})", human_duration(skew)))
                .values(format!("{attr}={raw}"), format!("checked at {now}"))
                .evidence(places.join(", "))
                .fix("Synchronise the clocks (NTP) of the IdP and of the machine that checks; if the capture was replayed later, pass --at with the capture time. A response must be used within minutes of being issued."),
        );
    }
}

/// `status-error`.
pub fn status_error(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in responses(ctx) {
        let Some(status) = m.message.as_ref().and_then(|x| x.status.clone()) else { continue };
        let Some(code) = status.code.clone() else { continue };
        if code == STATUS_SUCCESS {
            continue;
        }
        let mut words = describe_status(&code).unwrap_or("unknown status").to_string();
        if let Some(second) = &status.second_code {
            words = format!(
                "{words}; {}",
                describe_status(second).unwrap_or("unknown second-level status")
            );
        }
        let observed = [Some(code.clone()), status.second_code.clone(), status.message.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        out.push(
            Finding::new("status-error", Some(m.index), format!("the IdP answered with an error: {words}"))
                .values(observed, STATUS_SUCCESS)
                .evidence("Response/Status/StatusCode")
                .remedy(Fix::Idp(IdpSetting::Logs, "read why it refused; the usual cause is a user who is not assigned to {app} (or whose profile has no access to it)".into())),
        );
    }
}

/// `nameid-missing`.
pub fn nameid_missing(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in responses(ctx) {
        let Some(a) = m.consumed_assertion() else { continue };
        if a.name_id.as_ref().is_some_and(|n| !n.value.is_empty()) {
            continue;
        }
        out.push(
            Finding::new(
                "nameid-missing",
                Some(m.index),
                "the assertion names no user (Subject/NameID missing or empty)",
            )
            .evidence("Assertion/Subject/NameID")
            .remedy(Fix::Idp(
                IdpSetting::NameId,
                "send the user's identifier as the NameID (Salesforce: Subject Type Username)"
                    .into(),
            )),
        );
    }
}

/// `nameid-format`.
pub fn nameid_format(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in responses(ctx) {
        let Some(n) = m.consumed_assertion().and_then(|a| a.name_id.as_ref()) else { continue };
        let Some(format) = &n.format else { continue };
        if format == NAMEID_UNSPECIFIED {
            continue;
        }
        out.push(
            Finding::new(
                "nameid-format",
                Some(m.index),
                "the NameID format is not the one the Flex guide sets",
            )
            .values(format.clone(), NAMEID_UNSPECIFIED)
            .evidence("Assertion/Subject/NameID/@Format")
            .remedy(Fix::Idp(
                IdpSetting::NameId,
                format!("set the Name ID format to {NAMEID_UNSPECIFIED}, as the Flex guide does"),
            )),
        );
    }
}
