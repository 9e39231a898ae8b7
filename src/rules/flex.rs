//! The Twilio Flex attribute rules: Flex reads `roles`, `full_name` and `email` by their plain
//! names (Flex + Salesforce guide, "Add custom attributes"). They run when the setup or the
//! trace is Flex's.

use super::signature::is_split_by_markup;
use super::{Context, Finding};
use crate::analysis::AnalyzedMessage;
use crate::profile::idp::flex_attribute_value;
use crate::profile::{Fix, Idp};
use crate::saml::Assertion;

const KNOWN_ROLES: [&str; 3] = ["agent", "supervisor", "admin"];

/// Flex roles: the three base roles, and the Flex Insights (WFO) roles such as
/// `wfo.full_access` or `wfo.team_leader`.
fn is_flex_role(role: &str) -> bool {
    KNOWN_ROLES.contains(&role)
        || role.strip_prefix("wfo.").is_some_and(|r| {
            !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

fn flex_responses<'a>(ctx: &'a Context<'_>) -> Vec<(&'a AnalyzedMessage, &'a Assertion)> {
    ctx.analysis
        .messages
        .iter()
        .filter(|m| m.kind().carries_assertions())
        .filter_map(|m| Some((m, m.consumed_assertion()?)))
        .collect()
}

/// A claim-style name (`http://schemas…/claims/role`) whose last segment means `plain`.
fn namespaced<'a>(a: &'a Assertion, plain: &str, aliases: &[&str]) -> Option<&'a str> {
    a.attributes.iter().map(|x| x.name.as_str()).find(|n| {
        let last = n.rsplit(['/', ':', '#']).next().unwrap_or(n).to_ascii_lowercase();
        *n != plain && n.contains(['/', ':']) && (last == plain || aliases.contains(&last.as_str()))
    })
}

fn present(a: &Assertion, name: &str) -> bool {
    a.attribute(name).is_some()
}

/// `attribute-namespaced`: a required attribute sent under a claim URI.
pub fn attribute_namespaced(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, a) in flex_responses(ctx) {
        for (plain, aliases) in REQUIRED {
            if present(a, plain) {
                continue;
            }
            let Some(found) = namespaced(a, plain, aliases) else { continue };
            out.push(
                Finding::new(
                    "attribute-namespaced",
                    Some(m.index),
                    format!("\"{plain}\" is sent under a namespaced name Flex does not read"),
                )
                .values(found, *plain)
                .evidence(format!("Attribute/@Name={found}"))
                .remedy(Fix::Attribute(
                    plain,
                    format!("send it under the plain name {plain}, with no namespace or claim URI"),
                )),
            );
        }
    }
}

const REQUIRED: &[(&str, &[&str])] = &[
    ("roles", &["role", "groups"]),
    ("full_name", &["name", "displayname", "fullname"]),
    ("email", &["emailaddress", "mail"]),
];

fn missing(
    ctx: &Context<'_>,
    out: &mut Vec<Finding>,
    rule: &'static str,
    plain: &'static str,
    aliases: &[&str],
) {
    let value = flex_attribute_value(ctx.profile.idp, plain);
    for (m, a) in flex_responses(ctx) {
        if namespaced(a, plain, aliases).is_some() && !present(a, plain) {
            continue; // attribute-namespaced says it precisely
        }
        let values = a.attribute(plain).map(|x| x.values.clone());
        let empty = values.as_ref().is_some_and(|v| v.iter().all(|s| s.trim().is_empty()));
        if values.is_some() && !empty {
            continue;
        }
        let what = if empty { "is empty" } else { "is missing" };
        out.push(
            Finding::new(rule, Some(m.index), format!("the \"{plain}\" attribute {what}"))
                .values(if empty { "(empty)" } else { "(absent)" }, format!("{plain} = {value}"))
                .evidence("Assertion/AttributeStatement")
                .remedy(Fix::Attribute(plain, format!("add {plain} = {{value}}"))),
        );
    }
}

/// `roles-missing`.
pub fn roles_missing(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (plain, aliases) = REQUIRED[0];
    for (m, a) in flex_responses(ctx) {
        if present(a, plain) || namespaced(a, plain, aliases).is_some() {
            continue;
        }
        out.push(
            Finding::new(
                "roles-missing",
                Some(m.index),
                "the \"roles\" attribute is missing: Flex cannot give the user any role",
            )
            .values("(absent)", "roles = \"agent\"")
            .evidence("Assertion/AttributeStatement")
            .remedy(Fix::Attribute(
                "roles",
                "add roles = {value}; Flex knows agent, supervisor, admin and wfo.*".into(),
            )),
        );
    }
}

/// `full-name-missing`.
pub fn full_name_missing(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (plain, aliases) = REQUIRED[1];
    missing(ctx, out, "full-name-missing", plain, aliases);
}

/// `email-missing`.
pub fn email_missing(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (plain, aliases) = REQUIRED[2];
    missing(ctx, out, "email-missing", plain, aliases);
}

/// `roles-invalid`: empty, quoted, or unknown role names.
pub fn roles_invalid(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, a) in flex_responses(ctx) {
        let Some(roles) = a.attribute("roles") else { continue };
        let split = m
            .doc
            .as_ref()
            .is_some_and(|d| roles.value_elements.iter().any(|v| is_split_by_markup(d, *v)));
        if split {
            continue; // comment-injection is the precise diagnosis
        }
        // Each problem with the fix that fits it: an unknown role is renamed, a quoted value
        // loses its quotes, an empty one gets a role.
        let mut problems = Vec::new();
        let mut fixes = Vec::new();
        if roles.values.iter().all(|v| v.trim().is_empty()) {
            problems.push("the value is empty".to_string());
            fixes.push("set roles = {value}".to_string());
        }
        for v in &roles.values {
            if v.contains(['"', '\'', '“', '”', '‘', '’']) {
                problems.push(format!("'{v}' contains quote characters (a formula quoted twice, or pasted from a document)"));
                fixes.push(if ctx.profile.idp == Idp::Salesforce {
                    "make the formula send the bare role: \"agent\" (straight quotes, once) sends agent".to_string()
                } else {
                    format!("send {} without quote characters", v.replace(['"', '\'', '“', '”', '‘', '’'], ""))
                });
                continue;
            }
            for role in v.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                if !is_flex_role(role) {
                    problems.push(format!(
                        "'{role}' is not a Flex role (agent, supervisor, admin, wfo.*)"
                    ));
                    fixes.push(format!(
                        "remove or rename '{role}'; Flex knows agent, supervisor, admin and wfo.*"
                    ));
                }
            }
        }
        if problems.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                "roles-invalid",
                Some(m.index),
                format!("the \"roles\" attribute is unusable: {}", problems.join("; ")),
            )
            .values(
                roles.values.join(" | "),
                "agent, supervisor, admin or wfo.*, comma-separated or one value each",
            )
            .evidence("Attribute[@Name=roles]/AttributeValue")
            .remedy(Fix::Attribute("roles", fixes.join("; "))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_flex_role;

    #[test]
    fn flex_roles() {
        for ok in ["agent", "supervisor", "admin", "wfo.full_access", "wfo.team_leader"] {
            assert!(is_flex_role(ok), "{ok}");
        }
        for bad in ["Agent", "janitor", "wfo.", "wfo.Full", "\"agent\"", "agent "] {
            assert!(!is_flex_role(bad), "{bad}");
        }
    }
}
