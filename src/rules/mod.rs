//! The rule engine: one registry of rules, each a plain function over the analysed trace.
//! Findings come out sorted and deduplicated; rules whose configuration is missing are listed
//! as skipped with the flag that enables them.

mod assertions;
mod capture;
mod encryption;
mod flex;
mod input;
mod protocol;
mod registry;
mod signature;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::profile::{Fix, Profile, Sp};

pub use registry::{explain, find_rule, idp_setting, suggest_rule, unknown_rule, RULES};

/// How bad a finding is. Ordered worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The login fails, or the response must not be trusted.
    Error,
    /// Likely to break something, or a weakness.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A configuration value a rule needs, named by its flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `--cert` or `--idp-metadata`.
    Cert,
    /// `--entity-id` (or a Flex flag).
    EntityId,
    /// `--acs-url` (or a Flex flag).
    AcsUrl,
    /// `--idp-issuer` (or `--idp-metadata`).
    IdpIssuer,
    /// `--sso-url` (or `--idp-metadata`).
    SsoUrl,
    /// `--at`, unless the capture records times.
    At,
    /// `--sp-key`, when the trace holds an EncryptedAssertion.
    SpKey,
}

impl Need {
    /// The flag that provides it.
    pub fn flag(self) -> &'static str {
        match self {
            Need::Cert => "--cert",
            Need::EntityId => "--entity-id",
            Need::AcsUrl => "--acs-url",
            Need::IdpIssuer => "--idp-issuer",
            Need::SsoUrl => "--sso-url",
            Need::At => "--at",
            Need::SpKey => "--sp-key",
        }
    }

    fn is_met(self, config: &Config, analysis: &Analysis) -> bool {
        match self {
            Need::At => {
                config.at.is_some()
                    || analysis.messages.iter().any(|m| m.captured.source.time.is_some())
            }
            Need::Cert => !config.certs.is_empty() || !config.sp_certs.is_empty(),
            Need::EntityId => config.entity_id.is_some(),
            Need::AcsUrl => config.acs_url.is_some(),
            Need::IdpIssuer => config.idp_issuer.is_some(),
            Need::SsoUrl => config.sso_url.is_some(),
            Need::SpKey => {
                !config.sp_keys.is_empty()
                    || analysis.messages.iter().all(|m| m.decryptions.is_empty())
            }
        }
    }
}

/// A rule's declaration: everything `samlscope rules` and `explain` print.
pub struct Rule {
    /// Kebab-case problem statement; a stable contract.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Documentation with the fixed headings: what it checks, why it breaks the login, how to
    /// fix it, example.
    pub doc: &'static str,
    /// Configuration without which the rule is skipped.
    pub needs: Option<Need>,
    /// Which service providers the rule concerns (out of scope: skipped, naming `--sp flex`).
    pub scope: Scope,
    /// The check.
    pub check: fn(&Context<'_>, &mut Vec<Finding>),
}

/// Which service providers a rule concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Any SAML service provider.
    Any,
    /// Twilio Flex only (its attributes, NameID format, encryption, configuration types).
    Flex,
}

/// What a rule reads.
pub struct Context<'a> {
    /// The analysed trace.
    pub analysis: &'a Analysis,
    /// The admin's setup.
    pub config: &'a Config,
    /// Who the SP and the IdP are.
    pub profile: &'a Profile,
}

/// One problem found in the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule name.
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The message it concerns.
    pub message_index: Option<usize>,
    /// The value seen in the trace.
    pub observed: Option<String>,
    /// The value the setup expects.
    pub expected: Option<String>,
    /// Where: element path, HAR entry, layer and position.
    pub evidence: String,
    /// The exact setting to change, in words for the active profiles.
    pub fix: String,
    /// The fix by setting; [`run_rules`] renders it into `fix`.
    #[serde(skip)]
    pub remedy: Option<Fix>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(
        rule: &'static str,
        message_index: Option<usize>,
        message: impl Into<String>,
    ) -> Finding {
        let severity = find_rule(rule).map_or(Severity::Error, |r| r.severity);
        Finding {
            rule,
            severity,
            message: bounded(message.into()),
            message_index,
            observed: None,
            expected: None,
            evidence: String::new(),
            fix: String::new(),
            remedy: None,
        }
    }

    /// Adds the observed and expected values.
    pub fn values(mut self, observed: impl Into<String>, expected: impl Into<String>) -> Finding {
        self.observed = Some(bounded(observed.into()));
        self.expected = Some(bounded(expected.into()));
        self
    }

    /// Adds the observed value.
    pub fn observed(mut self, observed: impl Into<String>) -> Finding {
        self.observed = Some(bounded(observed.into()));
        self
    }

    /// Adds the evidence.
    pub fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = bounded(evidence.into());
        self
    }

    /// Adds the fix in plain words that hold for every profile.
    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }

    /// Adds the fix by setting, rendered for the active SP and IdP profiles.
    pub fn remedy(mut self, fix: Fix) -> Finding {
        self.remedy = Some(fix);
        self
    }

    /// Sets the severity (a rule whose weight depends on the profile).
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
}

/// Longest text of a finding's field: values come from the input, and a report must stay
/// readable (and cheap to lay out) whatever their size.
pub const MAX_FINDING_TEXT: usize = 600;

/// `s`, cut to [`MAX_FINDING_TEXT`] characters with a note of how much was left out.
pub(crate) fn bounded(s: String) -> String {
    match s.char_indices().nth(MAX_FINDING_TEXT) {
        None => s,
        Some((cut, _)) => {
            let rest = s[cut..].chars().count();
            format!("{}… ({rest} more characters)", &s[..cut])
        }
    }
}

/// A rule that did not run for lack of configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The rule.
    pub rule: &'static str,
    /// The flag that would enable it.
    pub needs: &'static str,
}

/// `--only` / `--ignore`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Run only these (empty = all).
    pub only: Vec<String>,
    /// Never run these.
    pub ignore: Vec<String>,
}

impl Selection {
    /// Checks that every named rule exists (in any case; a typo gets a suggestion) and that
    /// no rule is both run only and ignored; names are normalised to the rules' own.
    pub fn validate(&mut self) -> Result<(), String> {
        for name in self.only.iter_mut().chain(self.ignore.iter_mut()) {
            match find_rule(name) {
                Some(r) => *name = r.name.to_string(),
                None => return Err(unknown_rule(name)),
            }
        }
        if let Some(both) = self.only.iter().find(|o| self.ignore.contains(o)) {
            return Err(format!(
                "--only {both} and --ignore {both} contradict each other\nhint: give one of them"
            ));
        }
        Ok(())
    }

    fn includes(&self, name: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == name))
            && !self.ignore.iter().any(|i| i == name)
    }
}

/// Runs every selected rule under `profile`, on up to `jobs` threads; returns sorted,
/// deduplicated findings (fixes rendered for the profile) and the skipped rules. The result
/// does not depend on `jobs`.
pub fn run_rules(
    analysis: &Analysis,
    config: &Config,
    selection: &Selection,
    profile: &Profile,
    jobs: usize,
) -> (Vec<Finding>, Vec<Skipped>) {
    let ctx = Context { analysis, config, profile };
    let mut run = Vec::new();
    let mut skipped = Vec::new();
    for rule in RULES.iter().filter(|r| selection.includes(r.name)) {
        match rule.needs {
            _ if rule.scope == Scope::Flex && profile.sp != Sp::Flex => {
                skipped.push(Skipped { rule: rule.name, needs: "--sp flex" })
            }
            Some(need) if !need.is_met(config, analysis) => {
                skipped.push(Skipped { rule: rule.name, needs: need.flag() })
            }
            _ => run.push(rule),
        }
    }
    // Rules are independent units: on a large capture they run side by side.
    let mut findings: Vec<Finding> = crate::workers::map_ordered(run, jobs, |_, rule| {
        let mut found = Vec::new();
        (rule.check)(&ctx, &mut found);
        found
    })
    .into_iter()
    .flatten()
    .collect();
    for f in &mut findings {
        if let Some(remedy) = &f.remedy {
            f.fix = profile.render(remedy);
        }
    }
    findings.retain(|f| selection.includes(f.rule));
    let mut seen = BTreeSet::new();
    findings
        .retain(|f| seen.insert((f.rule, f.message_index, f.message.clone(), f.evidence.clone())));
    findings.sort_by(|a, b| {
        (a.message_index.is_some(), a.message_index, a.severity, a.rule, &a.evidence).cmp(&(
            b.message_index.is_some(),
            b.message_index,
            b.severity,
            b.rule,
            &b.evidence,
        ))
    });
    (findings, skipped)
}

/// `input x.har, entry 9, 2026-11-20T15:04:05Z, https://…`: where in the inputs something is.
/// `input login.har, HAR entry 3, <time>, <url>`: where a finding's evidence was found.
pub(crate) fn where_found(s: &crate::input::Source) -> String {
    let mut parts = vec![format!("input {}", s.input)];
    if let Some(e) = s.entry {
        parts.push(format!("{} {}", s.capture.unwrap_or("entry"), e + 1));
    }
    if let Some(t) = &s.time {
        parts.push(t.clone());
    }
    if let Some(u) = &s.url {
        parts.push(u.clone());
    }
    parts.join(", ")
}
