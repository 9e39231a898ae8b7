//! The resolved setup a trace is checked against: certificates loaded, URLs checked, times
//! parsed, Flex values derived. Built from [`SetupArgs`] plus an optional `--config` file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::SetupArgs;
use crate::dsig::{load_certificates, Certificate};
use crate::profile::{Idp, Sp};
use crate::saml::names::DSIG;
use crate::saml::time::{parse_duration, Instant};
use crate::xml::{parse, Document, NodeId, XmlLimits};
use crate::xmlenc::{load_private_key, SpKey};

const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

/// Which Flex SSO configuration the setup describes (Flex guide, "Configure SAML settings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlexSetup {
    /// Legacy: entity ID and ACS derive from the account SID.
    Legacy {
        /// `AC` + 32 hex.
        account: String,
    },
    /// Enhanced: entity ID and ACS derive from the SSO connection.
    Enhanced {
        /// `JQ` + 32 hex.
        connection: String,
        /// `us1`, `ie1`, `au1`.
        region: String,
    },
}

/// The validated setup.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// IdP signing certificates (`--cert`, metadata); empty = signatures are checked for
    /// integrity only.
    pub certs: Vec<Certificate>,
    /// Expected IdP issuer.
    pub idp_issuer: Option<String>,
    /// Expected Audience (SP entity ID).
    pub entity_id: Option<String>,
    /// Expected Destination / Recipient.
    pub acs_url: Option<String>,
    /// Expected AuthnRequest destination.
    pub sso_url: Option<String>,
    /// The Flex configuration type, when given.
    pub flex: Vec<FlexSetup>,
    /// Evaluation time for inputs without a capture time.
    pub at: Option<Instant>,
    /// Allowed clock skew, microseconds.
    pub skew: i64,
    /// `--sp`: the service-provider profile, when forced.
    pub sp: Option<Sp>,
    /// `--idp`: the IdP profile, when forced.
    pub idp: Option<Idp>,
    /// SP private keys that decrypt EncryptedAssertion (`--sp-key`).
    pub sp_keys: Vec<SpKey>,
    /// SP signing certificates (`--sp-cert`, `--sp-metadata`): verify what the SP signs.
    pub sp_certs: Vec<Certificate>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    cert: Option<String>,
    idp_metadata: Option<String>,
    idp_issuer: Option<String>,
    entity_id: Option<String>,
    acs_url: Option<String>,
    sso_url: Option<String>,
    flex_account: Option<String>,
    flex_connection: Option<String>,
    flex_region: Option<String>,
    at: Option<String>,
    skew: Option<String>,
    sp: Option<String>,
    idp: Option<String>,
    sp_key: Option<String>,
    sp_key_password_env: Option<String>,
    sp_cert: Option<String>,
    sp_metadata: Option<String>,
}

/// The default `--skew`.
pub const DEFAULT_SKEW: &str = "3m";

impl Config {
    /// Validates and resolves the flags (and the `--config` file they name).
    pub fn resolve(args: &SetupArgs) -> Result<Config, String> {
        let file = match &args.config {
            Some(path) => read_config_file(path)?,
            None => (ConfigFile::default(), PathBuf::new()),
        };
        let (file, base) = file;
        let pick =
            |flag: &Option<String>, key: &Option<String>| flag.clone().or_else(|| key.clone());
        let mut config = Config {
            skew: parse_duration(
                &pick(&args.skew, &file.skew).unwrap_or_else(|| DEFAULT_SKEW.into()),
            )
            .map_err(|e| format!("--skew: {e}"))?,
            ..Config::default()
        };
        for path in &args.cert {
            config.certs.extend(read_certificates(path)?);
        }
        if args.cert.is_empty() {
            if let Some(c) = &file.cert {
                config.certs.extend(certificates_from_config_value(c, &base)?);
            }
        }
        let metadata =
            args.idp_metadata.clone().or_else(|| file.idp_metadata.as_ref().map(|m| base.join(m)));
        let mut metadata_issuer = None;
        let mut metadata_sso = None;
        if let Some(path) = metadata {
            let md = read_metadata(&path)?;
            config.certs.extend(md.certs);
            metadata_issuer = md.entity_id;
            metadata_sso = md.sso_redirect;
        }
        let password_env = pick(&args.sp_key_password_env, &file.sp_key_password_env);
        let password = match &password_env {
            Some(var) => Some(std::env::var(var).map_err(|_| {
                format!("--sp-key-password-env: the environment variable {var} is not set")
            })?),
            None => None,
        };
        let key_paths: Vec<PathBuf> = if args.sp_key.is_empty() {
            file.sp_key.iter().map(|k| base.join(k)).collect()
        } else {
            args.sp_key.clone()
        };
        for path in key_paths {
            config.sp_keys.push(read_sp_key(&path, password.as_deref())?);
        }
        let cert_paths: Vec<PathBuf> = if args.sp_cert.is_empty() {
            file.sp_cert.iter().map(|c| base.join(c)).collect()
        } else {
            args.sp_cert.clone()
        };
        for path in cert_paths {
            config.sp_certs.extend(
                read_certificates(&path).map_err(|e| e.replacen("--cert", "--sp-cert", 1))?,
            );
        }
        let sp_metadata =
            args.sp_metadata.clone().or_else(|| file.sp_metadata.as_ref().map(|m| base.join(m)));
        let (mut sp_entity, mut sp_acs) = (None, None);
        if let Some(path) = sp_metadata {
            let md = read_sp_metadata(&path)?;
            config.sp_certs.extend(md.certs);
            (sp_entity, sp_acs) = (md.entity_id, md.acs_url);
        }
        config.idp_issuer = pick(&args.idp_issuer, &file.idp_issuer).or(metadata_issuer);
        config.sso_url = pick(&args.sso_url, &file.sso_url).or(metadata_sso);
        if let Some(u) = &config.sso_url {
            ensure_url("--sso-url", u)?;
        }
        let account = pick(&args.flex_account, &file.flex_account);
        let connection = pick(&args.flex_connection, &file.flex_connection);
        let region = pick(&args.flex_region, &file.flex_region);
        if account.is_some() && connection.is_some() {
            return Err("--flex-account and --flex-connection name two Flex SSO configurations\nhint: give --flex-connection for the enhanced configuration (urn:flex:JQ… entity ID), or --flex-account for the legacy one (iam.twilio.com)".into());
        }
        if account.is_some() && region.is_some() {
            return Err("--flex-region applies to the enhanced configuration only\nhint: drop --flex-region, or use --flex-connection instead of --flex-account".into());
        }
        if let Some(account) = account {
            let account = normalize_sid("--flex-account", &account, "AC")?;
            config.flex.push(FlexSetup::Legacy { account });
        }
        if let Some(connection) = connection {
            let connection = normalize_sid("--flex-connection", &connection, "JQ")?;
            let region =
                region.map(|r| r.trim().to_ascii_lowercase()).unwrap_or_else(|| "us1".into());
            if !FLEX_REGIONS.contains(&region.as_str()) {
                return Err(format!(
                    "--flex-region: {region:?} is not a Flex region\nhint: one of {}",
                    FLEX_REGIONS.join(", ")
                ));
            }
            config.flex.push(FlexSetup::Enhanced { connection, region });
        }
        let derived = config.flex.first().map(FlexSetup::values);
        config.entity_id =
            pick(&args.entity_id, &file.entity_id).or(derived.clone().map(|d| d.0)).or(sp_entity);
        if config.entity_id.as_deref().is_some_and(|e| e.trim().is_empty()) {
            return Err("--entity-id is empty\nhint: give the service provider's entity ID (the Audience it expects)".into());
        }
        config.acs_url = pick(&args.acs_url, &file.acs_url).or(derived.map(|d| d.1)).or(sp_acs);
        if let Some(u) = &config.acs_url {
            ensure_url("--acs-url", u)?;
        }
        config.sp = match pick(&args.sp, &file.sp).as_deref() {
            None => None,
            Some("flex") => Some(Sp::Flex),
            Some("generic") => Some(Sp::Generic),
            Some(other) => return Err(format!("sp: {other:?} is not a profile (flex, generic)")),
        };
        if let Some(name) = pick(&args.idp, &file.idp) {
            let keys: Vec<&str> = Idp::ALL.iter().map(|i| i.key()).collect();
            config.idp = Some(Idp::from_key(&name).ok_or_else(|| {
                format!("--idp: {name:?} is not an IdP profile ({})", keys.join(", "))
            })?);
        }
        if let Some(at) = pick(&args.at, &file.at) {
            // A time without a zone is ambiguous on the command line: refuse it.
            let zoned = at.trim().ends_with(['Z', 'z'])
                || at.rsplit_once(['T', 't']).is_some_and(|(_, t)| t.contains(['+', '-']));
            if !zoned {
                return Err(format!(
                    "--at: {at:?} has no UTC offset\nhint: add Z (UTC) or an offset, e.g. {}Z",
                    at.trim()
                ));
            }
            config.at = Some(Instant::parse(&at).map_err(|e| format!("--at: {e}"))?);
        }
        if config.skew > MAX_SKEW_MICROS || config.skew < 0 {
            return Err("--skew: more than a day is not clock skew\nhint: give the capture time with --at instead".into());
        }
        Ok(config)
    }
}

impl FlexSetup {
    /// The entity ID and ACS URL this configuration requires in Salesforce.
    pub fn values(&self) -> (String, String) {
        match self {
            FlexSetup::Legacy { account } => (
                format!("https://iam.twilio.com/v1/Accounts/{account}/saml2/metadata"),
                format!("https://iam.twilio.com/v1/Accounts/{account}/saml2"),
            ),
            FlexSetup::Enhanced { connection, region } => (
                format!("urn:flex:{connection}"),
                format!(
                    "https://login.flex.{region}.twilio.com/login/callback?connection={connection}"
                ),
            ),
        }
    }
}

fn read_config_file(path: &Path) -> Result<(ConfigFile, PathBuf), String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("--config {name}: {e}"))?;
    let file: ConfigFile = serde_json::from_str(&text).map_err(|e| {
        format!("--config {name}: not a samlscope config file: {e}\nhint: a JSON object with keys such as cert, entity_id, flex_connection (see corpus/config/)")
    })?;
    Ok((file, path.parent().map(Path::to_path_buf).unwrap_or_default()))
}

fn read_certificates(path: &Path) -> Result<Vec<Certificate>, String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("--cert {name}: {e}"))?;
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(b"PRIVATE KEY-----") {
        return Err(format!("--cert {name}: this is a private key; --cert wants the IdP's certificate\nhint: give the certificate the IdP signs with (BEGIN CERTIFICATE), and keep the key private"));
    }
    if has(b"EntityDescriptor") {
        return Err(format!(
            "--cert {name}: this is SAML metadata\nhint: give it with --idp-metadata"
        ));
    }
    load_certificates(&bytes).map_err(|e| format!("--cert {name}: {e}"))
}

/// The config file's `cert` is a path (relative to the file) or the certificate text itself.
fn certificates_from_config_value(value: &str, base: &Path) -> Result<Vec<Certificate>, String> {
    if value.contains("BEGIN CERTIFICATE") || (value.len() > 200 && !value.contains(['/', '.'])) {
        return load_certificates(value.as_bytes()).map_err(|e| format!("config cert: {e}"));
    }
    read_certificates(&base.join(value))
}

fn read_sp_key(path: &Path, password: Option<&str>) -> Result<SpKey, String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("--sp-key {name}: {e}"))?;
    let file_name =
        path.file_name().map_or_else(|| name.to_string(), |f| f.to_string_lossy().into());
    load_private_key(&bytes, password.map(str::as_bytes), &file_name)
        .map_err(|e| format!("--sp-key {name}: {e}"))
}

/// What SP metadata supplies.
struct SpMetadata {
    entity_id: Option<String>,
    acs_url: Option<String>,
    certs: Vec<Certificate>,
}

fn read_sp_metadata(path: &Path) -> Result<SpMetadata, String> {
    let (doc, entity_id, sp, certs) = metadata_role(path, "--sp-metadata", "SPSSODescriptor")?;
    let acs: Vec<NodeId> =
        doc.children_named(sp, METADATA_NS, "AssertionConsumerService").collect();
    let acs_url = acs
        .iter()
        .find(|a| doc.attr(**a, "isDefault") == Some("true"))
        .or_else(|| {
            acs.iter().find(|a| doc.attr(**a, "Binding").is_some_and(|b| b.ends_with("HTTP-POST")))
        })
        .or(acs.first())
        .and_then(|a| doc.attr(*a, "Location"))
        .map(str::to_string);
    Ok(SpMetadata { entity_id, acs_url, certs })
}

/// Reads a metadata file given with `flag`: the document, its entityID, the `role` descriptor
/// (`IDPSSODescriptor`, `SPSSODescriptor`) and that role's signing certificates.
fn metadata_role(
    path: &Path,
    flag: &str,
    role: &str,
) -> Result<(Document, Option<String>, NodeId, Vec<Certificate>), String> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{flag} {name}: {e}"))?;
    let doc = parse(&bytes, XmlLimits::default()).map_err(|e| format!("{flag} {name}: {e}"))?;
    let all = doc.descendants(doc.root);
    let entity = all.clone().find(|n| doc.is(*n, METADATA_NS, "EntityDescriptor"));
    let Some(found) = all.clone().find(|n| doc.is(*n, METADATA_NS, role)) else {
        let other = if role.starts_with("SP") { "--idp-metadata" } else { "--sp-metadata" };
        return Err(format!(
            "{flag} {name}: no {role}\nhint: is it the other party's metadata ({other})?"
        ));
    };
    let certs = signing_certificates(&doc, found).map_err(|e| format!("{flag} {name}: {e}"))?;
    let entity_id = entity.and_then(|e| doc.attr(e, "entityID")).map(str::to_string);
    Ok((doc, entity_id, found, certs))
}

/// The certificates of a role descriptor's KeyDescriptors for signing (or for any use).
fn signing_certificates(doc: &Document, role: NodeId) -> Result<Vec<Certificate>, String> {
    let mut certs = Vec::new();
    for kd in doc.children_named(role, METADATA_NS, "KeyDescriptor") {
        if doc.attr(kd, "use").is_some_and(|u| u != "signing") {
            continue;
        }
        for n in doc.descendants(kd).filter(|n| doc.is(*n, DSIG, "X509Certificate")) {
            certs.extend(load_certificates(doc.text(n).as_bytes())?);
        }
    }
    Ok(certs)
}

struct Metadata {
    entity_id: Option<String>,
    certs: Vec<Certificate>,
    sso_redirect: Option<String>,
}

fn read_metadata(path: &Path) -> Result<Metadata, String> {
    let (doc, entity_id, idp, certs) = metadata_role(path, "--idp-metadata", "IDPSSODescriptor")?;
    let sso: Vec<(String, String)> = doc
        .children_named(idp, METADATA_NS, "SingleSignOnService")
        .filter_map(|s| {
            Some((doc.attr(s, "Binding")?.to_string(), doc.attr(s, "Location")?.to_string()))
        })
        .collect();
    let sso_redirect = sso
        .iter()
        .find(|(b, _)| b.ends_with("HTTP-Redirect"))
        .or(sso.first())
        .map(|(_, l)| l.clone());
    Ok(Metadata { entity_id, certs, sso_redirect })
}

/// A URL must be absolute http(s) with a host and no whitespace.
pub fn ensure_url(flag: &str, url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(h) if !h.is_empty() && !url.contains(char::is_whitespace) => Ok(()),
        _ => Err(format!("{flag}: {url:?} is not an absolute http(s) URL")),
    }
}

/// A Twilio SID as Twilio writes it (`JQ` + 32 lower-case hex), from what people paste:
/// surrounding spaces and the letters' case do not matter; a whole `urn:flex:JQ…` entity ID
/// given where the JQ part is wanted is refused with the part to give.
fn normalize_sid(flag: &str, sid: &str, prefix: &str) -> Result<String, String> {
    let trimmed = sid.trim();
    if let Some(jq) = trimmed.strip_prefix("urn:flex:") {
        return Err(format!(
            "{flag}: {sid:?} is the enhanced entity ID, not the connection ID\nhint: give the {prefix} part: {flag} {jq}"
        ));
    }
    let ok = trimmed.len() == 34
        && trimmed.get(..2).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        && trimmed[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(format!(
            "{flag}: {sid:?} is not {prefix} followed by 32 hexadecimal characters\nhint: copy it from the Twilio Console"
        ));
    }
    Ok(format!("{prefix}{}", trimmed[2..].to_ascii_lowercase()))
}

/// Flex's regions (the `login.flex.<region>.twilio.com` hosts).
pub const FLEX_REGIONS: [&str; 3] = ["us1", "ie1", "au1"];

/// The largest `--skew` accepted: clocks that far apart are not skew.
const MAX_SKEW_MICROS: i64 = 24 * 3600 * 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_flex_values() {
        let args = SetupArgs {
            flex_connection: Some("JQ0123456789abcdef0123456789abcdef".into()),
            ..SetupArgs::default()
        };
        let c = Config::resolve(&args).unwrap();
        assert_eq!(c.entity_id.as_deref(), Some("urn:flex:JQ0123456789abcdef0123456789abcdef"));
        assert_eq!(
            c.acs_url.as_deref(),
            Some("https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef")
        );
        let args = SetupArgs {
            flex_account: Some("AC0123456789abcdef0123456789abcdef".into()),
            ..SetupArgs::default()
        };
        let c = Config::resolve(&args).unwrap();
        assert_eq!(
            c.entity_id.as_deref(),
            Some("https://iam.twilio.com/v1/Accounts/AC0123456789abcdef0123456789abcdef/saml2/metadata")
        );
        assert_eq!(c.skew, 180_000_000);
    }

    #[test]
    fn malformed_values_are_usage_errors() {
        let cases: Vec<(SetupArgs, &str)> = vec![
            (
                SetupArgs { flex_account: Some("AC123".into()), ..SetupArgs::default() },
                "--flex-account",
            ),
            (SetupArgs { acs_url: Some("login.flex".into()), ..SetupArgs::default() }, "--acs-url"),
            (SetupArgs { at: Some("yesterday".into()), ..SetupArgs::default() }, "--at"),
            (SetupArgs { skew: Some("3 minutes".into()), ..SetupArgs::default() }, "--skew"),
            (SetupArgs { cert: vec!["/nonexistent.pem".into()], ..SetupArgs::default() }, "--cert"),
        ];
        for (args, want) in cases {
            let e = Config::resolve(&args).unwrap_err();
            assert!(e.starts_with(want), "{e}");
        }
    }
}
