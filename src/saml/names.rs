//! Namespace, status and format URIs of SAML 2.0 and XML-DSig, as named constants.

/// SAML 2.0 protocol namespace (SAML core §3).
pub const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion namespace (SAML core §2).
pub const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// XML-DSig namespace.
pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Encryption namespace.
pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// XML Encryption 1.1 namespace.
pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";

/// SAML 1.x protocol namespace: not read by samlscope, recognised to say so.
pub const SAML1_PROTOCOL: &str = "urn:oasis:names:tc:SAML:1.0:protocol";
/// SAML 1.x assertion namespace.
pub const SAML1_ASSERTION: &str = "urn:oasis:names:tc:SAML:1.0:assertion";
/// SOAP 1.1 envelope namespace (SAML bindings §3.2: SOAP binding, ArtifactResolve, ECP).
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
/// WS-Trust February 2005 namespace (WS-Federation passive `wresult`, ADFS, Entra ID).
pub const WSTRUST_2005: &str = "http://schemas.xmlsoap.org/ws/2005/02/trust";
/// WS-Trust 1.3 namespace.
pub const WSTRUST_13: &str = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";

/// Top-level status code of success (SAML core §3.2.2.2).
pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// The NameID format Flex expects from Salesforce.
pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/// Subject confirmation method of browser SSO (SAML profiles §4.1.4.2).
pub const CM_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// HTTP-Redirect binding URI.
pub const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/// HTTP-POST binding URI.
pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// A plain-words reading of a SAML status code URI (SAML core §3.2.2.2).
pub fn describe_status(code: &str) -> Option<&'static str> {
    let last = code.rsplit(':').next()?;
    Some(match last {
        "Success" => "the request succeeded",
        "Requester" => "the IdP blames the request (the service provider's side)",
        "Responder" => "the IdP could not process the request on its side",
        "VersionMismatch" => "the SAML version of the request is not supported",
        "AuthnFailed" => "the IdP could not authenticate the user",
        "InvalidAttrNameOrValue" => "an attribute name or value is invalid",
        "InvalidNameIDPolicy" => "the IdP cannot produce the NameID format asked for",
        "NoAuthnContext" => "the IdP cannot meet the requested authentication context",
        "NoAvailableIDP" => "no usable IdP is available",
        "NoPassive" => "the IdP cannot log the user in passively (IsPassive)",
        "NoSupportedIDP" => "no supported IdP is available",
        "PartialLogout" => "the logout did not complete everywhere",
        "ProxyCountExceeded" => "the proxy count was exceeded",
        "RequestDenied" => {
            "the IdP refused the request (often: the user has no access to this app)"
        }
        "RequestUnsupported" => "the IdP does not support this request",
        "RequestVersionDeprecated" => "the request's SAML version is deprecated",
        "RequestVersionTooHigh" => "the request's SAML version is too new",
        "RequestVersionTooLow" => "the request's SAML version is too old",
        "ResourceNotRecognized" => "the resource is not recognised",
        "TooManyResponses" => "too many responses",
        "UnknownAttrProfile" => "unknown attribute profile",
        "UnknownPrincipal" => "the IdP does not know this user",
        "UnsupportedBinding" => "the IdP does not support the requested binding",
        _ => return None,
    })
}
