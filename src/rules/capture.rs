//! Rules on capture evidence that is not a SAML message: the IdP's own error pages, and
//! exports that left out what a diagnosis needs.

use super::{where_found, Context, Finding};
use crate::input::{Evidence, EvidenceKind};
use crate::profile::{Fix, IdpSetting, Sp};
use crate::saml::MessageKind;

enum PageCause {
    ProfileAccess,
    RequestSignature,
    Other,
}

fn idp_pages<'a>(ctx: &'a Context<'_>) -> impl Iterator<Item = (&'a Evidence, PageCause, String)> {
    ctx.analysis.evidence.iter().filter_map(|e| {
        let EvidenceKind::IdpPage { title, text } = &e.kind else { return None };
        let shown =
            text.clone().or_else(|| title.clone()).unwrap_or_else(|| "(an empty page)".into());
        let lower = shown.to_ascii_lowercase();
        let cause = if lower.contains("does not have access") {
            PageCause::ProfileAccess
        } else if lower.contains("signature")
            && (lower.contains("request") || lower.contains("signed"))
        {
            PageCause::RequestSignature
        } else {
            PageCause::Other
        };
        Some((e, cause, shown))
    })
}

/// `profile-access-denied`: Salesforce says the user's profile has no access to the app.
pub fn profile_access_denied(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, cause, shown) in idp_pages(ctx) {
        if let PageCause::ProfileAccess = cause {
            out.push(
                Finding::new(
                    "profile-access-denied",
                    None,
                    "the IdP refused the login: the user has no access to the application",
                )
                .observed(shown)
                .evidence(where_found(&e.source))
                .remedy(Fix::Idp(
                    IdpSetting::UserAccess,
                    "give the user (every profile or group whose users log in) access to {app}"
                        .into(),
                )),
            );
        }
    }
}

/// `request-signature-required`: Salesforce wants signed AuthnRequests; Flex sends none.
pub fn request_signature_required(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, cause, shown) in idp_pages(ctx) {
        if let PageCause::RequestSignature = cause {
            out.push(
                Finding::new(
                    "request-signature-required",
                    None,
                    "the IdP refused the AuthnRequest because it is not signed",
                )
                .observed(shown)
                .evidence(where_found(&e.source))
                .remedy(Fix::Idp(
                    IdpSetting::RequestSignature,
                    if ctx.profile.sp == Sp::Flex {
                        "turn it off: Flex does not sign its AuthnRequests".into()
                    } else {
                        "turn it off, or have the service provider sign its AuthnRequests".into()
                    },
                )),
            );
        }
    }
}

/// `idp-error`: any other page the IdP returned instead of a SAML response. A page followed
/// by a response (a login form, say) was a step, not the failure.
pub fn idp_error(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    if ctx.analysis.messages.iter().any(|m| m.kind() == MessageKind::Response) {
        return;
    }
    for (e, cause, shown) in idp_pages(ctx) {
        if let PageCause::Other = cause {
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            out.push(
                Finding::new("idp-error", None, format!("the IdP answered the AuthnRequest with an error page instead of a SAML response{status}"))
                    .observed(shown)
                    .evidence(where_found(&e.source))
                    .remedy(Fix::Idp(IdpSetting::Logs, "read why the request was refused".into())),
            );
        }
    }
}

/// `capture-incomplete`: the export left out request or response bodies.
pub fn capture_incomplete(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let stripped: Vec<&Evidence> = ctx
        .analysis
        .evidence
        .iter()
        .filter(|e| matches!(e.kind, EvidenceKind::BodiesStripped { .. }))
        .collect();
    let Some(first) = stripped.first() else { return };
    let EvidenceKind::BodiesStripped { comment } = &first.kind else { return };
    out.push(
        Finding::new("capture-incomplete", None, format!("the capture left out bodies ({} entries): the SAML messages cannot be read", stripped.len()))
            .observed(comment.clone())
            .evidence(where_found(&first.source))
            .fix("Export the HAR again with content: Chrome → Network → \"Export HAR (with sensitive data)\"; Firefox → Network settings → \"Save All As HAR\" with response bodies enabled (devtools.netmonitor.har.includeResponseBodies)."),
    );
}
