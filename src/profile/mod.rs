//! Who the service provider is (Flex or any SP) and who the IdP is, and how a typed [`Fix`]
//! reads for them. Rules say *which setting* is wrong; this module says where that setting is,
//! from tables ([`idp`]), so a fix never names Salesforce for an Okta login.

pub mod idp;

use serde::Serialize;

use crate::analysis::AnalyzedMessage;
use crate::config::Config;

/// The service-provider profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sp {
    /// Twilio Flex: its rules (roles, full_name, email, NameID format, no encryption) apply.
    Flex,
    /// Any SAML 2.0 service provider: generic checks only.
    Generic,
}

/// The IdP profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Idp {
    /// Salesforce as identity provider (connected app).
    Salesforce,
    /// Okta.
    Okta,
    /// Microsoft Entra ID (Azure AD).
    Entra,
    /// AD FS.
    Adfs,
    /// Google Workspace.
    Google,
    /// OneLogin.
    OneLogin,
    /// PingFederate.
    PingFederate,
    /// Keycloak.
    Keycloak,
    /// Shibboleth IdP.
    Shibboleth,
    /// Auth0.
    Auth0,
    /// Unknown: settings named in SAML terms.
    Generic,
}

impl Idp {
    /// Every profile, for `--idp` and `explain`.
    pub const ALL: [Idp; 11] = [
        Idp::Salesforce,
        Idp::Okta,
        Idp::Entra,
        Idp::Adfs,
        Idp::Google,
        Idp::OneLogin,
        Idp::PingFederate,
        Idp::Keycloak,
        Idp::Shibboleth,
        Idp::Auth0,
        Idp::Generic,
    ];

    /// The name of `--idp` (and of the JSON `profile.idp`).
    pub fn key(self) -> &'static str {
        match self {
            Idp::Salesforce => "salesforce",
            Idp::Okta => "okta",
            Idp::Entra => "entra",
            Idp::Adfs => "adfs",
            Idp::Google => "google",
            Idp::OneLogin => "onelogin",
            Idp::PingFederate => "pingfederate",
            Idp::Keycloak => "keycloak",
            Idp::Shibboleth => "shibboleth",
            Idp::Auth0 => "auth0",
            Idp::Generic => "generic",
        }
    }

    /// The profile named `key` (`--idp`).
    pub fn from_key(key: &str) -> Option<Idp> {
        Idp::ALL.into_iter().find(|i| i.key().eq_ignore_ascii_case(key.trim()))
    }

    /// The name people use.
    pub fn name(self) -> &'static str {
        idp::row(self).name
    }
}

/// A setting at the IdP that a fix changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdpSetting {
    /// The SP entity ID the IdP puts in the Audience.
    SpEntityId,
    /// The ACS URL (Destination, Recipient).
    AcsUrl,
    /// The certificate the IdP signs with.
    SigningCertificate,
    /// Signature and digest algorithms.
    SignatureAlgorithm,
    /// Whether the Response and the Assertion are signed.
    SigningScope,
    /// Assertion encryption.
    Encryption,
    /// NameID format and value.
    NameId,
    /// The attributes (claims) sent.
    Attributes,
    /// Which users may use the application.
    UserAccess,
    /// Where the IdP logs why it refused.
    Logs,
    /// Whether signed AuthnRequests are required.
    RequestSignature,
    /// The RelayState / start URL.
    StartUrl,
}

impl IdpSetting {
    /// Every setting.
    pub const ALL: [IdpSetting; 12] = [
        IdpSetting::SpEntityId,
        IdpSetting::AcsUrl,
        IdpSetting::SigningCertificate,
        IdpSetting::SignatureAlgorithm,
        IdpSetting::SigningScope,
        IdpSetting::Encryption,
        IdpSetting::NameId,
        IdpSetting::Attributes,
        IdpSetting::UserAccess,
        IdpSetting::Logs,
        IdpSetting::RequestSignature,
        IdpSetting::StartUrl,
    ];
}

/// A setting of the service provider that a fix changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpSetting {
    /// The IdP certificate the SP trusts.
    IdpCertificate,
    /// The IdP issuer (entity ID) the SP expects.
    IdpIssuer,
    /// Where the SP sends the AuthnRequest.
    SsoUrl,
}

/// What to change, by setting: rendered into words for the active profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// A setting at the IdP, and what to do with it (`{value}` is replaced by the IdP's way of
    /// building the attribute the fix is about, see [`idp::flex_attribute_value`]).
    Idp(IdpSetting, String),
    /// An attribute at the IdP: its name and what to do (`{value}` as above).
    Attribute(&'static str, String),
    /// A setting of the service provider, and what to do with it.
    Sp(SpSetting, String),
    /// Words that hold for every profile (capture again, reject the message).
    Text(String),
}

/// The profiles a trace is judged under, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The service provider.
    pub sp: Sp,
    /// The identity provider.
    pub idp: Idp,
    /// Why these were chosen, in words.
    pub why: String,
}

impl Default for Profile {
    fn default() -> Self {
        Profile { sp: Sp::Generic, idp: Idp::Generic, why: String::new() }
    }
}

/// The service provider's application at the IdP, as fixes name it.
fn app(sp: Sp) -> &'static str {
    match sp {
        Sp::Flex => "Twilio Flex",
        Sp::Generic => "the service provider's application",
    }
}

impl Profile {
    /// Words for `fix` under this profile.
    pub fn render(&self, fix: &Fix) -> String {
        match fix {
            Fix::Idp(setting, what) => {
                let (place, _) = idp::setting(self.idp, *setting);
                format!(
                    "In {}: {}",
                    place.replace("{app}", app(self.sp)),
                    self.values(what, "roles")
                )
            }
            Fix::Attribute(name, what) => {
                let (place, _) = idp::setting(self.idp, IdpSetting::Attributes);
                format!("In {}: {}", place.replace("{app}", app(self.sp)), self.values(what, name))
            }
            Fix::Sp(setting, what) => {
                format!("In {}: {}", self.sp_place(*setting), self.values(what, "roles"))
            }
            Fix::Text(t) => t.clone(),
        }
    }

    fn values(&self, what: &str, attribute: &str) -> String {
        what.replace("{value}", idp::flex_attribute_value(self.idp, attribute))
            .replace("{idp}", self.idp.name())
            .replace("{app}", app(self.sp))
    }

    fn sp_place(&self, setting: SpSetting) -> &'static str {
        match (self.sp, setting) {
            (Sp::Flex, SpSetting::IdpCertificate) => {
                "Twilio Console → Flex → Users and access → Single sign-on (SSO) → X.509 Certificate"
            }
            (Sp::Flex, SpSetting::IdpIssuer) => {
                "Twilio Console → Flex → Users and access → Single sign-on (SSO) → Identity Provider Issuer"
            }
            (Sp::Flex, SpSetting::SsoUrl) => {
                "Twilio Console → Flex → Users and access → Single sign-on (SSO) → SSO URL"
            }
            (Sp::Generic, SpSetting::IdpCertificate) => {
                "the service provider's SAML settings: the IdP signing certificate it trusts"
            }
            (Sp::Generic, SpSetting::IdpIssuer) => {
                "the service provider's SAML settings: the IdP entity ID (issuer) it expects"
            }
            (Sp::Generic, SpSetting::SsoUrl) => {
                "the service provider's SAML settings: the IdP single sign-on URL"
            }
        }
    }
}

/// Chooses the profiles: flags first, then what the trace shows.
pub fn detect(config: &Config, messages: &[AnalyzedMessage]) -> Profile {
    let mut why = Vec::new();
    let sp = match config.sp {
        Some(sp) => {
            why.push(format!("--sp {}", if sp == Sp::Flex { "flex" } else { "generic" }));
            sp
        }
        None if !config.flex.is_empty() => {
            why.push("a Flex flag was given".to_string());
            Sp::Flex
        }
        None => match messages.iter().find_map(flex_evidence) {
            Some(e) => {
                why.push(format!("the trace shows Flex ({e})"));
                Sp::Flex
            }
            None => Sp::Generic,
        },
    };
    let idp = match config.idp {
        Some(i) => {
            why.push(format!("--idp {}", i.key()));
            i
        }
        None => match detect_idp(config, messages) {
            Some((i, seen)) => {
                why.push(format!("{} recognised from {seen}", i.name()));
                i
            }
            None => Idp::Generic,
        },
    };
    Profile { sp, idp, why: why.join("; ") }
}

/// What in a message shows Flex: an `urn:flex:JQ…` audience, a twilio.com ACS or Destination.
fn flex_evidence(m: &AnalyzedMessage) -> Option<String> {
    let msg = m.message.as_ref()?;
    let audiences =
        msg.assertions.iter().flat_map(|a| a.conditions.iter().flat_map(|c| c.audiences.iter()));
    let urls = msg.destination.iter().chain(msg.request.iter().flat_map(|r| r.acs_url.iter()));
    audiences
        .chain(urls)
        .find(|v| {
            v.starts_with("urn:flex:JQ")
                || v.contains("iam.twilio.com/")
                || host_of(v).is_some_and(|h| h == "twilio.com" || h.ends_with(".twilio.com"))
        })
        .cloned()
}

/// The IdP the configuration and the trace point to, and what showed it.
fn detect_idp(config: &Config, messages: &[AnalyzedMessage]) -> Option<(Idp, String)> {
    let mut candidates: Vec<(String, &str)> = Vec::new();
    for v in config.idp_issuer.iter() {
        candidates.push((v.clone(), "the configured issuer"));
    }
    for v in config.sso_url.iter() {
        candidates.push((v.clone(), "the configured SSO URL"));
    }
    for m in messages {
        let Some(msg) = &m.message else { continue };
        if let Some(i) = &msg.issuer {
            candidates.push((i.clone(), "the Issuer"));
        }
        for a in &msg.assertions {
            if let Some(i) = &a.issuer {
                candidates.push((i.clone(), "the Issuer"));
            }
        }
        if msg.request.is_some() {
            if let Some(d) = &msg.destination {
                candidates.push((d.clone(), "the AuthnRequest's Destination"));
            }
        }
    }
    for (value, what) in &candidates {
        let lower = value.to_ascii_lowercase();
        if let Some(r) = idp::IDPS.iter().find(|r| r.markers.iter().any(|k| lower.contains(k))) {
            return Some((r.idp, format!("{what} {value}")));
        }
    }
    // Claim-URI attribute names without a recognised issuer: a Microsoft IdP.
    let claims = messages.iter().filter_map(|m| m.message.as_ref()).flat_map(|x| &x.assertions);
    for a in claims {
        if a.attributes
            .iter()
            .any(|at| at.name.starts_with("http://schemas.microsoft.com/identity/claims/"))
        {
            return Some((Idp::Entra, "Entra ID claim names".into()));
        }
    }
    None
}

/// The host of an absolute URL, lower case.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    Some(host.to_ascii_lowercase())
}
