//! The IdP table: for each identity provider, how to recognise it and where its admin changes
//! each setting, with the documentation page that shows the path. Data, not branches: a rule
//! names a setting, this table names the place.

use super::{Idp, IdpSetting};

/// One IdP's row: recognition patterns and console paths. In a path `{app}` stands for the
/// service provider's application at the IdP ("Twilio Flex" under the Flex profile).
pub struct IdpRow {
    /// The profile.
    pub idp: Idp,
    /// The name people use.
    pub name: &'static str,
    /// Substrings of an Issuer, an entity ID or an SSO URL that identify it (lower case).
    pub markers: &'static [&'static str],
    /// `(setting, where to change it, documentation page)`.
    pub settings: &'static [(IdpSetting, &'static str, &'static str)],
}

use IdpSetting::*;

const SF_APP: &str =
    "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_create_saml_sso.htm";
const SF_FLEX: &str =
    "https://www.twilio.com/docs/flex/admin-guide/setup/sso-configuration/salesforce";
const OKTA_REF: &str = "https://help.okta.com/en-us/content/topics/apps/aiw-saml-reference.htm";
const ENTRA_SSO: &str = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/add-application-portal-setup-sso";
const ENTRA_SIGN: &str =
    "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/certificate-signing-options";
const ENTRA_CLAIMS: &str =
    "https://learn.microsoft.com/en-us/entra/identity-platform/saml-claims-customization";
const ADFS_RP: &str = "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-relying-party-trust";
const ADFS_PS: &str =
    "https://learn.microsoft.com/en-us/previous-versions/windows/powershell/jj590799(v=wps.630)";
const GOOGLE: &str = "https://support.google.com/a/answer/6087519";
const ONELOGIN: &str = "https://support.onelogin.com/kb/4266990/creating-and-applying-certificates";
const PING: &str = "https://docs.pingidentity.com/pingfederate/latest/administrators_reference_guide/pf_configuring_digital_signatures_service_provider_connections.html";
const KEYCLOAK: &str =
    "https://www.keycloak.org/docs/latest/server_admin/#_client-saml-configuration";
const SHIB_SSO: &str =
    "https://shibboleth.atlassian.net/wiki/spaces/IDP4/pages/1265631684/ProfileConfiguration-SAML2";
const AUTH0: &str = "https://auth0.com/docs/authenticate/protocols/saml/saml-configuration/customize-saml-assertions";

/// Every known IdP; the generic row last (it matches nothing and names settings in SAML terms).
pub static IDPS: &[IdpRow] = &[
    IdpRow {
        idp: Idp::Salesforce,
        name: "Salesforce",
        markers: &[".salesforce.com", ".force.com", ".salesforce-sites.com"],
        settings: &[
            (SpEntityId, "Salesforce, the connected app ({app}) → Web App Settings → Entity Id", SF_FLEX),
            (AcsUrl, "Salesforce, the connected app ({app}) → Web App Settings → ACS URL", SF_FLEX),
            (SigningCertificate, "Salesforce Setup → Certificate and Key Management (create a self-signed certificate, key size 2048), then the connected app ({app}) → Web App Settings → IdP Certificate", SF_FLEX),
            (SignatureAlgorithm, "Salesforce, the connected app ({app}) → Web App Settings → Signing Algorithm for SAML Messages", SF_APP),
            (SigningScope, "Salesforce Setup → Identity Provider (enabled, with a certificate) and the connected app ({app}) → Web App Settings → IdP Certificate: Salesforce then signs every response", SF_FLEX),
            (Encryption, "Salesforce, the connected app ({app}) → Web App Settings → Encrypt SAML Response", SF_FLEX),
            (NameId, "Salesforce, the connected app ({app}) → Web App Settings → Subject Type and Name ID Format", SF_FLEX),
            (Attributes, "Salesforce, the connected app ({app}) → Custom Attributes", SF_FLEX),
            (UserAccess, "Salesforce Setup → Profiles → the user's profile → Connected App Access: tick the connected app ({app})", SF_FLEX),
            (Logs, "Salesforce Setup → Identity Provider Event Log", "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.identity_provider_error_log.htm"),
            (RequestSignature, "Salesforce, the connected app ({app}) → Web App Settings → Verify Request Signatures", SF_FLEX),
            (StartUrl, "Salesforce, the connected app ({app}) → Basic Information → Start URL", SF_FLEX),
        ],
    },
    IdpRow {
        idp: Idp::Okta,
        name: "Okta",
        markers: &["okta.com", "oktapreview.com", "okta-emea.com"],
        settings: &[
            (SpEntityId, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Audience URI (SP Entity ID)", OKTA_REF),
            (AcsUrl, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Single sign-on URL (with \"Use this for Recipient URL and Destination URL\")", OKTA_REF),
            (SigningCertificate, "Okta Admin Console → Applications → Applications → {app} → Sign On → SAML Signing Certificates", "https://help.okta.com/en-us/Content/Topics/Apps/manage-signing-certificates.htm"),
            (SignatureAlgorithm, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Show Advanced Settings → Signature Algorithm and Digest Algorithm", OKTA_REF),
            (SigningScope, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Show Advanced Settings → Response and Assertion Signature: Signed", OKTA_REF),
            (Encryption, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Show Advanced Settings → Assertion Encryption", OKTA_REF),
            (NameId, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Name ID format and Application username", OKTA_REF),
            (Attributes, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Attribute Statements", OKTA_REF),
            (UserAccess, "Okta Admin Console → Applications → Applications → {app} → Assignments → Assign to People or Groups", "https://help.okta.com/en-us/Content/Topics/Apps/apps-assign-applications.htm"),
            (Logs, "Okta Admin Console → Reports → System Log", "https://help.okta.com/oie/en-us/Content/Topics/Reports/Reports_SysLog.htm"),
            (RequestSignature, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Show Advanced Settings → Signed Requests", OKTA_REF),
            (StartUrl, "Okta Admin Console → Applications → Applications → {app} → General → SAML Settings → Edit → Default RelayState", OKTA_REF),
        ],
    },
    IdpRow {
        idp: Idp::Entra,
        name: "Microsoft Entra ID",
        markers: &["sts.windows.net", "login.microsoftonline.com", "login.windows.net"],
        settings: &[
            (SpEntityId, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → Basic SAML Configuration → Identifier (Entity ID)", ENTRA_SSO),
            (AcsUrl, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → Basic SAML Configuration → Reply URL (Assertion Consumer Service URL)", ENTRA_SSO),
            (SigningCertificate, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → SAML Certificates → SAML Signing Certificate (make the new certificate active)", "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/tutorial-manage-certificates-for-federated-single-sign-on"),
            (SignatureAlgorithm, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → SAML Signing Certificate → Edit → Signing Algorithm", ENTRA_SIGN),
            (SigningScope, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → SAML Signing Certificate → Edit → Signing Option: Sign SAML response and assertion", ENTRA_SIGN),
            (Encryption, "Microsoft Entra admin center → Enterprise applications → {app} → Token encryption", "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/howto-saml-token-encryption"),
            (NameId, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → Attributes & Claims → Unique User Identifier (Name ID)", ENTRA_CLAIMS),
            (Attributes, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → Attributes & Claims → Add new claim (leave Namespace empty)", ENTRA_CLAIMS),
            (UserAccess, "Microsoft Entra admin center → Enterprise applications → {app} → Users and groups → Add user/group", "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/assign-user-or-group-access-portal"),
            (Logs, "Microsoft Entra admin center → Monitoring & health → Sign-in logs (the AADSTS error code)", "https://learn.microsoft.com/en-us/entra/identity/monitoring-health/howto-troubleshoot-sign-in-errors"),
            (RequestSignature, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → SAML Certificates → Verification certificates → Require verification certificates", "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/howto-enforce-signed-saml-authentication"),
            (StartUrl, "Microsoft Entra admin center → Enterprise applications → {app} → Single sign-on → Basic SAML Configuration → Relay State", ENTRA_SSO),
        ],
    },
    IdpRow {
        idp: Idp::Adfs,
        name: "AD FS",
        markers: &["/adfs/services/trust", "/adfs/ls"],
        settings: &[
            (SpEntityId, "AD FS Management → Relying Party Trusts → {app} → Properties → Identifiers", ADFS_RP),
            (AcsUrl, "AD FS Management → Relying Party Trusts → {app} → Properties → Endpoints → SAML Assertion Consumer Endpoints", ADFS_RP),
            (SigningCertificate, "AD FS Management → Service → Certificates → Token-signing (Add Token-Signing Certificate, Set As Primary)", "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/configure-ts-td-certs-ad-fs"),
            (SignatureAlgorithm, "AD FS Management → Relying Party Trusts → {app} → Properties → Advanced → Secure hash algorithm", "https://learn.microsoft.com/en-us/azure/active-directory/active-directory-federation-sha256-guidance"),
            (SigningScope, "PowerShell on the AD FS server: Set-AdfsRelyingPartyTrust -TargetName {app} -SamlResponseSignature MessageAndAssertion", ADFS_PS),
            (Encryption, "AD FS Management → Relying Party Trusts → {app} → Properties → Encryption (remove the certificate to turn it off)", ADFS_RP),
            (NameId, "AD FS Management → Relying Party Trusts → {app} → Edit Claim Issuance Policy → a Transform rule to the Name ID claim", "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-rule-to-transform-an-incoming-claim"),
            (Attributes, "AD FS Management → Relying Party Trusts → {app} → Edit Claim Issuance Policy → Add Rule (Send LDAP Attributes as Claims, outgoing claim type typed as the plain name)", "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/create-a-rule-to-send-ldap-attributes-as-claims"),
            (UserAccess, "AD FS Management → Relying Party Trusts → {app} → Edit Access Control Policy", "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/access-control-policies-in-ad-fs"),
            (Logs, "Event Viewer on the AD FS server → Applications and Services Logs → AD FS → Admin", "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/troubleshooting/ad-fs-tshoot-logging"),
            (RequestSignature, "PowerShell on the AD FS server: Set-AdfsRelyingPartyTrust -TargetName {app} -SignedSamlRequestsRequired", ADFS_PS),
            (StartUrl, "the RelayState the SP sends (AD FS keeps it; IdP-initiated logins need RelayState enabled in AD FS)", ADFS_RP),
        ],
    },
    IdpRow {
        idp: Idp::Google,
        name: "Google Workspace",
        markers: &["accounts.google.com"],
        settings: &[
            (SpEntityId, "Google Admin console → Apps → Web and mobile apps → {app} → Service provider details → Entity ID", GOOGLE),
            (AcsUrl, "Google Admin console → Apps → Web and mobile apps → {app} → Service provider details → ACS URL", GOOGLE),
            (SigningCertificate, "Google Admin console → Security → Authentication → SSO with SAML applications (add a certificate), then {app} → Service provider details → Certificate", "https://support.google.com/a/answer/7394709"),
            (SignatureAlgorithm, "Google signs with RSA-SHA256 and has no setting for it: a SHA-1 signature did not come from Google", GOOGLE),
            (SigningScope, "Google Admin console → Apps → Web and mobile apps → {app} → Service provider details → Signed response", GOOGLE),
            (Encryption, "Google does not encrypt assertions: an EncryptedAssertion did not come from Google", GOOGLE),
            (NameId, "Google Admin console → Apps → Web and mobile apps → {app} → Service provider details → Name ID format and Name ID", GOOGLE),
            (Attributes, "Google Admin console → Apps → Web and mobile apps → {app} → SAML attribute mapping", GOOGLE),
            (UserAccess, "Google Admin console → Apps → Web and mobile apps → {app} → User access (ON for the user's organizational unit or group)", GOOGLE),
            (Logs, "Google Admin console → Reporting → Audit and investigation → SAML log events", "https://support.google.com/a/answer/7007375"),
            (RequestSignature, "Google has no setting that requires signed AuthnRequests", GOOGLE),
            (StartUrl, "Google Admin console → Apps → Web and mobile apps → {app} → Service provider details → Start URL", GOOGLE),
        ],
    },
    IdpRow {
        idp: Idp::OneLogin,
        name: "OneLogin",
        markers: &["onelogin.com"],
        settings: &[
            (SpEntityId, "OneLogin Administration → Applications → {app} → Configuration → Audience (EntityID)", "https://kb.aampe.com/developer-guide/sso/sso_onelogin"),
            (AcsUrl, "OneLogin Administration → Applications → {app} → Configuration → ACS (Consumer) URL and Recipient", "https://kb.aampe.com/developer-guide/sso/sso_onelogin"),
            (SigningCertificate, "OneLogin Administration → Applications → {app} → SSO → X.509 Certificate → Change (certificates under Security → Certificates)", ONELOGIN),
            (SignatureAlgorithm, "OneLogin Administration → Applications → {app} → SSO → SAML Signature Algorithm", "https://docs2.fortinet.com/document/fortiauthenticator/6.5.0/cookbook/842147"),
            (SigningScope, "OneLogin Administration → Applications → {app} → Configuration → SAML signature element: Both", "https://support.workstars.com/hc/en-gb/articles/8166534041873"),
            (Encryption, "OneLogin Administration → Applications → {app} → Configuration → SAML encryption method", "https://support.workstars.com/hc/en-gb/articles/8166534041873"),
            (NameId, "OneLogin Administration → Applications → {app} → Configuration → SAML nameID format, and Parameters → NameID value", "https://help.ally.io/en/articles/3078853-onelogin-saml-setup"),
            (Attributes, "OneLogin Administration → Applications → {app} → Parameters → Add parameter (tick Include in SAML assertion)", "https://kb.aampe.com/developer-guide/sso/sso_onelogin"),
            (UserAccess, "OneLogin Administration → Users → Roles → the user's role → Applications: add {app}", "https://onelogin.service-now.com/kb?id=kb_article_view&sysparm_article=KB0010606"),
            (Logs, "OneLogin Administration → Activity → Events", "https://onelogin.service-now.com/kb_view_customer.do?sysparm_article=KB0010422"),
            (RequestSignature, "OneLogin Administration → Applications → {app} → SSO (request signature options of the connector)", ONELOGIN),
            (StartUrl, "OneLogin Administration → Applications → {app} → Configuration → RelayState", "https://kb.aampe.com/developer-guide/sso/sso_onelogin"),
        ],
    },
    IdpRow {
        idp: Idp::PingFederate,
        name: "PingFederate",
        markers: &["/idp/sso.saml2", "pingfederate", ":9031"],
        settings: &[
            (SpEntityId, "PingFederate administrative console → Applications → Integration → SP Connections → {app} → General Info → Partner's Entity ID (Connection ID)", "https://docs.pingidentity.com/pingfederate/13.1/administrators_reference_guide/help_idpconnectionconfigtasklet_generalinfostate.html"),
            (AcsUrl, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Protocol Settings → Assertion Consumer Service URL", "https://docs.pingidentity.com/pingfederate/latest/administrators_reference_guide/help_spprotocolsettingstasklet_assertionconsumerservicestate.html"),
            (SigningCertificate, "PingFederate administrative console → SP Connections → {app} → Credentials → Digital Signature Settings → Signing Certificate (include the certificate in the signature's KeyInfo if the SP expects it)", PING),
            (SignatureAlgorithm, "PingFederate administrative console → SP Connections → {app} → Credentials → Digital Signature Settings → Signing Algorithm", PING),
            (SigningScope, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Protocol Settings → Signature Policy", "https://docs.pingidentity.com/pingfederate/13.1/administrators_reference_guide/help_idpprotocolsettingstasklet_idpsignaturepolicystate.html"),
            (Encryption, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Protocol Settings → Encryption Policy", PING),
            (NameId, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Assertion Creation → Identity Mapping and Attribute Contract (SAML_SUBJECT)", "https://docs.pingidentity.com/pingfederate/13.1/introduction_to_pingfederate/pf_attr_contract.html"),
            (Attributes, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Assertion Creation → Attribute Contract and Attribute Contract Fulfillment", "https://docs.pingidentity.com/pingfederate/13.1/introduction_to_pingfederate/pf_attr_contract.html"),
            (UserAccess, "PingFederate administrative console → SP Connections → {app} → Attribute Contract Fulfillment → Issuance Criteria, or the authentication policy", PING),
            (Logs, "PingFederate server: log/server.log and log/audit.log", "https://docs.pingidentity.com/pingfederate/latest/administrators_reference_guide/pf_pf_log_files.html"),
            (RequestSignature, "PingFederate administrative console → SP Connections → {app} → Browser SSO → Protocol Settings → Signature Policy (signed AuthnRequests)", "https://docs.pingidentity.com/pingfederate/13.1/administrators_reference_guide/help_idpprotocolsettingstasklet_idpsignaturepolicystate.html"),
            (StartUrl, "the RelayState the SP sends (PingFederate returns it as received)", PING),
        ],
    },
    IdpRow {
        idp: Idp::Keycloak,
        name: "Keycloak",
        markers: &["/realms/"],
        settings: &[
            (SpEntityId, "Keycloak Admin Console → the realm → Clients → {app} → Settings → Client ID (the SP entity ID)", KEYCLOAK),
            (AcsUrl, "Keycloak Admin Console → the realm → Clients → {app} → Advanced → Assertion Consumer Service POST Binding URL (and Settings → Valid Redirect URIs)", KEYCLOAK),
            (SigningCertificate, "Keycloak Admin Console → the realm → Realm settings → Keys (the active RSA key and its certificate)", "https://www.keycloak.org/docs/latest/server_admin/#realm_keys"),
            (SignatureAlgorithm, "Keycloak Admin Console → the realm → Clients → {app} → Settings → Signature and Encryption → Signature algorithm", KEYCLOAK),
            (SigningScope, "Keycloak Admin Console → the realm → Clients → {app} → Settings → Signature and Encryption → Sign documents and Sign assertions", KEYCLOAK),
            (Encryption, "Keycloak Admin Console → the realm → Clients → {app} → Keys → Encrypt assertions", KEYCLOAK),
            (NameId, "Keycloak Admin Console → the realm → Clients → {app} → Settings → SAML capabilities → Name ID format", KEYCLOAK),
            (Attributes, "Keycloak Admin Console → the realm → Clients → {app} → Client scopes → the client's dedicated scope → Mappers", "https://www.keycloak.org/docs/latest/server_admin/#_protocol-mappers"),
            (UserAccess, "Keycloak has no per-application assignment: check the user is enabled in the realm and any role check in the authentication flow", KEYCLOAK),
            (Logs, "Keycloak Admin Console → the realm → Events → User events (LOGIN_ERROR; enable in Realm settings → Events)", "https://www.keycloak.org/docs/latest/server_admin/#auditing-user-events"),
            (RequestSignature, "Keycloak Admin Console → the realm → Clients → {app} → Keys → Client signature required", KEYCLOAK),
            (StartUrl, "Keycloak Admin Console → the realm → Clients → {app} → Settings → IDP-Initiated SSO Relay State", KEYCLOAK),
        ],
    },
    IdpRow {
        idp: Idp::Shibboleth,
        name: "Shibboleth IdP",
        markers: &["/idp/shibboleth", "/idp/profile/saml2"],
        settings: &[
            (SpEntityId, "Shibboleth IdP: the SP's entityID in the metadata loaded by conf/metadata-providers.xml (overrides in conf/relying-party.xml)", "https://shibboleth.atlassian.net/wiki/spaces/IDP4/pages/1265631678/RelyingPartyConfiguration"),
            (AcsUrl, "Shibboleth IdP: the AssertionConsumerService Location in the SP's metadata (conf/metadata-providers.xml)", "https://shibboleth.atlassian.net/wiki/spaces/IDP4/pages/1265631678/RelyingPartyConfiguration"),
            (SigningCertificate, "Shibboleth IdP: idp.signing.key and idp.signing.cert in conf/idp.properties (credentials/idp-signing.*), published in metadata/idp-metadata.xml", "https://shibboleth.atlassian.net/wiki/pages/viewpage.action?pageId=2862219274"),
            (SignatureAlgorithm, "Shibboleth IdP: the security configuration of the relying-party override in conf/relying-party.xml", "https://shibboleth.atlassian.net/wiki/pages/viewpage.action?pageId=2862219274"),
            (SigningScope, "Shibboleth IdP: conf/relying-party.xml, SAML2.SSO profile p:signResponses and p:signAssertions", SHIB_SSO),
            (Encryption, "Shibboleth IdP: conf/relying-party.xml, SAML2.SSO profile p:encryptAssertions (on by default)", SHIB_SSO),
            (NameId, "Shibboleth IdP: conf/saml-nameid.xml and saml-nameid.properties (per SP: p:nameIDFormatPrecedence)", "https://shibboleth.atlassian.net/wiki/spaces/IDP5/pages/3199507810"),
            (Attributes, "Shibboleth IdP: conf/attribute-resolver.xml (define) and conf/attribute-filter.xml (release to this SP)", "https://shibboleth.atlassian.net/wiki/spaces/IDP4/pages/1265631550/AttributeDefinitionConfiguration"),
            (UserAccess, "Shibboleth IdP: an access-control intercept or policy in conf/relying-party.xml", SHIB_SSO),
            (Logs, "Shibboleth IdP: logs/idp-process.log and logs/idp-warn.log", "https://shibboleth.atlassian.net/wiki/spaces/IDP5/pages/3199509659/LoggingConfiguration"),
            (RequestSignature, "Shibboleth IdP: AuthnRequestsSigned in the SP's metadata, ignoreRequestSignatures in the SAML2.SSO profile", SHIB_SSO),
            (StartUrl, "the RelayState the SP sends (Shibboleth returns it as received)", SHIB_SSO),
        ],
    },
    IdpRow {
        idp: Idp::Auth0,
        name: "Auth0",
        markers: &["auth0.com"],
        settings: &[
            (SpEntityId, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"audience\"", AUTH0),
            (AcsUrl, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Application Callback URL (and \"recipient\", \"destination\")", AUTH0),
            (SigningCertificate, "Auth0 Dashboard → Settings → Signing Keys (download from Applications → {app} → Advanced Settings → Certificates)", "https://auth0.com/docs/get-started/tenant-settings/signing-keys/view-signing-certificates"),
            (SignatureAlgorithm, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"signatureAlgorithm\" and \"digestAlgorithm\"", AUTH0),
            (SigningScope, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"signResponse\": true", AUTH0),
            (Encryption, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"encryptionCertificate\"", AUTH0),
            (NameId, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"nameIdentifierFormat\" and \"nameIdentifierProbes\"", AUTH0),
            (Attributes, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"mappings\" (or a post-login Action)", AUTH0),
            (UserAccess, "Auth0 Dashboard → Authentication → the connection → Applications (enable {app}), and any post-login Action that denies access", AUTH0),
            (Logs, "Auth0 Dashboard → Monitoring → Logs", "https://auth0.com/docs/deploy-monitor/logs"),
            (RequestSignature, "Auth0 Dashboard → Applications → {app} → Addons → SAML2 Web App → Settings: \"signingCert\"", AUTH0),
            (StartUrl, "the RelayState the SP sends (Auth0 returns it as received)", AUTH0),
        ],
    },
    IdpRow {
        idp: Idp::Generic,
        name: "the IdP",
        markers: &[],
        settings: &[
            (SpEntityId, "the IdP's configuration of {app}: the SP entity ID (Audience)", ""),
            (AcsUrl, "the IdP's configuration of {app}: the Assertion Consumer Service URL (Destination and Recipient)", ""),
            (SigningCertificate, "the IdP's signing certificate for {app}", ""),
            (SignatureAlgorithm, "the IdP's configuration of {app}: the signature and digest algorithms", ""),
            (SigningScope, "the IdP's configuration of {app}: sign the Response and the Assertion", ""),
            (Encryption, "the IdP's configuration of {app}: assertion encryption", ""),
            (NameId, "the IdP's configuration of {app}: the NameID format and value", ""),
            (Attributes, "the IdP's configuration of {app}: the attributes (claims) it sends", ""),
            (UserAccess, "the IdP's assignment of users to {app}", ""),
            (Logs, "the IdP's sign-in or event log", ""),
            (RequestSignature, "the IdP's configuration of {app}: whether it requires signed AuthnRequests", ""),
            (StartUrl, "the RelayState (default or start URL) the IdP sends to {app}", ""),
        ],
    },
];

/// The row of `idp`.
pub fn row(idp: Idp) -> &'static IdpRow {
    IDPS.iter().find(|r| r.idp == idp).unwrap_or(&IDPS[IDPS.len() - 1])
}

/// `(where, documentation page)` of `setting` at `idp`.
pub fn setting(idp: Idp, setting: IdpSetting) -> (&'static str, &'static str) {
    let r = row(idp);
    r.settings
        .iter()
        .find(|(s, _, _)| *s == setting)
        .map_or(("the IdP's configuration", ""), |(_, place, doc)| (*place, *doc))
}

/// Flex's three attributes as each IdP builds them (Twilio's per-IdP Flex SSO guides).
pub fn flex_attribute_value(idp: Idp, name: &str) -> &'static str {
    match (idp, name) {
        (Idp::Salesforce, "full_name") => "$User.FirstName + \" \" + $User.LastName",
        (Idp::Salesforce, "email") => "$User.Email",
        (Idp::Salesforce, _) => "\"agent\" (a formula: the quotes make a literal)",
        (Idp::Okta, "full_name") => "String.join(\" \", user.firstName, user.lastName)",
        (Idp::Okta, "email") => "user.email",
        (Idp::Okta, _) => "agent (or appuser.roles)",
        (Idp::Entra, "full_name") => {
            "user.displayname (or Join(user.givenname, \" \", user.surname)), Namespace empty"
        }
        (Idp::Entra, "email") => "user.mail, Namespace empty",
        (Idp::Entra, _) => "agent (or user.assignedroles), Namespace empty",
        (Idp::Google, "full_name") => "the custom attribute Flex Details > Full Name",
        (Idp::Google, "email") => "Basic Information > Primary email",
        (Idp::Google, _) => "the custom attribute Flex Details > Roles",
        (_, "full_name") => "the user's first and last name, joined by a space",
        (_, "email") => "the user's email address",
        _ => "agent (comma-separated, or one value per role: agent, supervisor, admin, wfo.*)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_idp_names_every_setting() {
        for r in IDPS {
            for s in IdpSetting::ALL {
                assert!(r.settings.iter().any(|(x, _, _)| *x == s), "{} lacks {s:?}", r.name);
            }
        }
    }
}
