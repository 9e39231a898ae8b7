#!/usr/bin/env python3
"""Responses shaped like each IdP's real output, signed with the corpus's own test key.

For every IdP: its Issuer form, its prefixes (or default namespaces), its ID style, which
elements it signs and how (ds or dsig prefix, default-namespace Signature, KeyInfo or not),
its NameID format, and its attribute conventions (claim URIs for Entra ID and AD FS, urn:oid
with FriendlyName for Shibboleth, one Attribute per value for Keycloak). Each is written twice:
for a generic service provider (<idp>-generic.xml, healthy) and for Twilio Flex
(<idp>-flex.xml: Flex's entity ID and ACS, the IdP's own attribute names, so the Flex rules
fire with that IdP's fix). Also writes cases.tsv for tests/idp_corpus.rs.

Needs python3, xmlsec1 and the keys of corpus/signed (signing goes through its gen.py).
Run: python3 corpus/idp/generate.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "signed"))
import gen  # noqa: E402  (chdirs to corpus/signed: its keys and xmlsec1 helpers)

NS_P, NS_A, NS_XS, NS_XSI = gen.NS_P, gen.NS_A, gen.NS_XS, gen.NS_XSI
INSTANT = "2026-11-20T15:04:05Z"
NOT_BEFORE = "2026-11-20T15:03:35Z"
NOT_AFTER = "2026-11-20T15:09:05Z"
AT = "2026-11-20T15:04:30Z"
REQ = "_req9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3"
SP = ("https://sp.example.com/saml/metadata", "https://sp.example.com/saml/acs")
FLEX = ("urn:flex:JQ0123456789abcdef0123456789abcdef",
        "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef")
UNSPEC = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
UNSPEC_FMT = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
PPT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
MSCLAIMS = "http://schemas.microsoft.com/identity/claims/"

# name, issuer, protocol prefix, assertion prefix ("" = default namespace), IDs (response,
# assertion), what is signed, ds prefix ("" = default namespace), KeyInfo, InclusiveNamespaces,
# NameID (format, value), AuthnContext, attributes [(name, values, NameFormat, FriendlyName, typed)]
IDPS = [
    dict(name="okta", issuer="http://www.okta.com/exk1a2b3c4d5e6f7g8h9", p="saml2p", a="saml2",
         ids=("id4387259212345678901234567", "id4387259212345678909876543"), sign="both", ds="ds", keyinfo=True,
         prefixes="xs", nameid=(UNSPEC, "ada@acme.com"), ctx=PPT,
         attrs=[("email", ["ada@acme.com"], UNSPEC_FMT, None, True), ("firstName", ["Ada"], UNSPEC_FMT, None, True),
                ("lastName", ["Lovelace"], UNSPEC_FMT, None, True)]),
    dict(name="entra", issuer="https://sts.windows.net/8f2c1e6b-3d4a-4c5b-9e7f-0a1b2c3d4e5f/", p="samlp", a="",
         ids=("_6e4c8b2a-1f3d-4e5a-9b7c-0d1e2f3a4b5c", "_9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), sign="assertion", ds="",
         keyinfo=True, prefixes=None, nameid=(EMAIL, "ada@acme.com"), ctx=PPT,
         attrs=[(MSCLAIMS + "tenantid", ["8f2c1e6b-3d4a-4c5b-9e7f-0a1b2c3d4e5f"], None, None, False),
                (MSCLAIMS + "objectidentifier", ["3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"], None, None, False),
                (MSCLAIMS + "displayname", ["Ada Lovelace"], None, None, False),
                (CLAIMS + "emailaddress", ["ada@acme.com"], None, None, False),
                (CLAIMS + "name", ["ada@acme.com"], None, None, False),
                ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", ["agent"], None, None, False)]),
    dict(name="adfs", issuer="http://adfs.acme.com/adfs/services/trust", p="samlp", a="",
         ids=("_b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "_c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"), sign="assertion", ds="",
         keyinfo=True, prefixes=None, nameid=(UNSPEC, "ACME\\ada"), ctx=PPT,
         attrs=[(CLAIMS + "upn", ["ada@acme.com"], None, None, False),
                (CLAIMS + "emailaddress", ["ada@acme.com"], None, None, False),
                ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", ["agent"], None, None, False)]),
    dict(name="google", issuer="https://accounts.google.com/o/saml2?idpid=C01abc2de", p="saml2p", a="saml2",
         ids=("_0f1e2d3c4b5a69788796a5b4c3d2e1f0", "_1e2d3c4b5a69788796a5b4c3d2e1f0a9"), sign="assertion", ds="ds",
         keyinfo=True, prefixes=None, nameid=(EMAIL, "ada@acme.com"), ctx="urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified",
         attrs=[("mail", ["ada@acme.com"], BASIC, None, False), ("displayName", ["Ada Lovelace"], BASIC, None, False)]),
    dict(name="onelogin", issuer="https://app.onelogin.com/saml/metadata/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", p="samlp", a="saml",
         ids=("R5a9f0e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2", "A0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"), sign="assertion", ds="ds",
         keyinfo=True, prefixes="xs", nameid=(EMAIL, "ada@acme.com"), ctx=PPT,
         attrs=[("User.email", ["ada@acme.com"], BASIC, None, True), ("User.FirstName", ["Ada"], BASIC, None, True),
                ("User.LastName", ["Lovelace"], BASIC, None, True), ("memberOf", ["agents"], BASIC, None, True)]),
    dict(name="pingfederate", issuer="https://pf.acme.com/idp", p="samlp", a="saml",
         ids=("a7Bc9dE1fG3hI5jK7lM9nO1pQ3", "f2Gh4iJ6kL8mN0oP2qR4sT6uV8"), sign="response", ds="ds", keyinfo=False,
         prefixes=None, nameid=(UNSPEC, "ada"), ctx=PPT,
         attrs=[("email", ["ada@acme.com"], BASIC, None, False), ("displayName", ["Ada Lovelace"], BASIC, None, False)]),
    dict(name="keycloak", issuer="https://kc.acme.com/realms/acme", p="samlp", a="saml",
         ids=("ID_6f1e2d3c-4b5a-4968-8796-a5b4c3d2e1f0", "ID_1e2d3c4b-5a69-4788-96a5-b4c3d2e1f0a9"), sign="both", ds="dsig",
         keyinfo=True, prefixes=None, nameid=(UNSPEC, "ada"), ctx="urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified",
         attrs=[("email", ["ada@acme.com"], BASIC, None, True), ("Role", ["agent"], BASIC, None, True),
                ("Role", ["supervisor"], BASIC, None, True), ("Role", ["offline_access"], BASIC, None, True)]),
    dict(name="shibboleth", issuer="https://idp.acme.org/idp/shibboleth", p="saml2p", a="saml2",
         ids=("_4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a", "_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"), sign="assertion", ds="ds",
         keyinfo=True, prefixes="xsd", nameid=(TRANSIENT, "AAdzZWNyZXQxMjM0NTY3ODkwYWJjZGVm"), ctx=PPT,
         attrs=[("urn:oid:0.9.2342.19200300.100.1.3", ["ada@acme.com"], URI, "mail", False),
                ("urn:oid:2.16.840.1.113730.3.1.241", ["Ada Lovelace"], URI, "displayName", False),
                ("urn:oid:1.3.6.1.4.1.5923.1.1.1.7", ["urn:acme:flex:agent"], URI, "eduPersonEntitlement", False)]),
    dict(name="auth0", issuer="urn:dev-acme.us.auth0.com", p="samlp", a="saml",
         ids=("_a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "_b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7"), sign="assertion", ds="ds",
         keyinfo=True, prefixes=None, nameid=(UNSPEC, "auth0|6543210fedcba"), ctx=PPT,
         attrs=[(CLAIMS + "emailaddress", ["ada@acme.com"], BASIC, None, True), (CLAIMS + "name", ["Ada Lovelace"], BASIC, None, True)]),
]


def el(prefix, local):
    return (prefix + ":" if prefix else "") + local


def decl(prefix, ns):
    return ' xmlns%s="%s"' % (":" + prefix if prefix else "", ns)


def attribute(a, name, values, fmt, friendly, typed):
    head = '<%s Name="%s"%s%s>' % (el(a, "Attribute"), name, ' NameFormat="%s"' % fmt if fmt else "",
                                  ' FriendlyName="%s"' % friendly if friendly else "")
    vals = "".join('<%s%s>%s</%s>' % (el(a, "AttributeValue"),
                                       ' xmlns:xs="%s" xmlns:xsi="%s" xsi:type="xs:string"' % (NS_XS, NS_XSI) if typed else "",
                                       v, el(a, "AttributeValue")) for v in values)
    return head + vals + "</%s>" % el(a, "Attribute")


def response(s, audience, acs):
    p, a = s["p"], s["a"]
    rid, aid = s["ids"]
    sig = lambda ref: gen.signature_tmpl(ref, s["prefixes"], ds=s["ds"], keyinfo=s["keyinfo"])
    resp_sig = sig(rid) if s["sign"] in ("response", "both") else ""
    asrt_sig = sig(aid) if s["sign"] in ("assertion", "both") else ""
    fmt, value = s["nameid"]
    attrs = "".join(attribute(a, *x) for x in s["attrs"])
    assertion = "".join([
        '<%s%s ID="%s" IssueInstant="%s" Version="2.0">' % (el(a, "Assertion"), decl(a, NS_A), aid, INSTANT),
        "<%s>%s</%s>" % (el(a, "Issuer"), s["issuer"], el(a, "Issuer")), asrt_sig,
        "<%s>" % el(a, "Subject"),
        '<%s Format="%s">%s</%s>' % (el(a, "NameID"), fmt, value, el(a, "NameID")),
        '<%s Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><%s InResponseTo="%s" NotOnOrAfter="%s" Recipient="%s"/></%s>'
        % (el(a, "SubjectConfirmation"), el(a, "SubjectConfirmationData"), REQ, NOT_AFTER, acs.replace("&", "&amp;"),
           el(a, "SubjectConfirmation")),
        "</%s>" % el(a, "Subject"),
        '<%s NotBefore="%s" NotOnOrAfter="%s"><%s><%s>%s</%s></%s></%s>' % (
            el(a, "Conditions"), NOT_BEFORE, NOT_AFTER, el(a, "AudienceRestriction"), el(a, "Audience"), audience,
            el(a, "Audience"), el(a, "AudienceRestriction"), el(a, "Conditions")),
        '<%s AuthnInstant="%s" SessionIndex="%s"><%s><%s>%s</%s></%s></%s>' % (
            el(a, "AuthnStatement"), INSTANT, aid, el(a, "AuthnContext"), el(a, "AuthnContextClassRef"), s["ctx"],
            el(a, "AuthnContextClassRef"), el(a, "AuthnContext"), el(a, "AuthnStatement")),
        "<%s>%s</%s>" % (el(a, "AttributeStatement"), attrs, el(a, "AttributeStatement")),
        "</%s>" % el(a, "Assertion"),
    ])
    return "".join([
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<%s%s Destination="%s" ID="%s" InResponseTo="%s" IssueInstant="%s" Version="2.0">' % (
            el(p, "Response"), decl(p, NS_P), acs.replace("&", "&amp;"), rid, REQ, INSTANT),
        "<%s%s>%s</%s>" % (el(a or "saml", "Issuer") if a else "Issuer", decl(a, NS_A), s["issuer"], el(a, "Issuer")),
        resp_sig,
        '<%s><%s Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></%s>' % (el(p, "Status"), el(p, "StatusCode"), el(p, "Status")),
        assertion,
        "</%s>\n" % el(p, "Response"),
    ])


ARGS = "--cert corpus/signed/keys/idp.pem --at %s" % AT
GENERIC_ARGS = ARGS + " --entity-id %s --acs-url %s" % SP
FLEX_ARGS = ARGS + " --flex-connection JQ0123456789abcdef0123456789abcdef"
# What the Flex profile reports on each IdP's own attribute names (the fix names that IdP).
FLEX_RULES = {
    "okta": ["roles-missing", "full-name-missing"],
    "entra": ["attribute-namespaced", "nameid-format"],
    "adfs": ["attribute-namespaced", "full-name-missing"],
    "google": ["roles-missing", "email-missing", "full-name-missing", "nameid-format"],
    "onelogin": ["roles-missing", "email-missing", "full-name-missing", "nameid-format"],
    "pingfederate": ["roles-missing", "full-name-missing"],
    "keycloak": ["roles-invalid", "full-name-missing"],
    "shibboleth": ["roles-missing", "email-missing", "full-name-missing", "nameid-format"],
    "auth0": ["attribute-namespaced", "roles-missing"],
}
# PingFederate's Issuer is whatever the admin chose: the SSO URL shows it.
EXTRA = {"pingfederate": " --sso-url https://pf.acme.com/idp/SSO.saml2"}


def main():
    rows = ["\t".join(["name", "inputs", "args", "rules", "exit", "idp", "description"])]
    for s in IDPS:
        for kind, (audience, acs) in (("generic", SP), ("flex", FLEX)):
            name = "%s-%s" % (s["name"], kind)
            if kind == "flex" and s["name"] == "keycloak":
                # Configured for Flex: the role mapper named roles, one Attribute per value.
                s = dict(s, attrs=[(("roles" if a[0] == "Role" else a[0]),) + a[1:] for a in s["attrs"]])
            data = gen.sign_doc(name, response(s, audience, acs), "idp")
            with open(os.path.join(HERE, name + ".xml"), "wb") as f:
                f.write(data)
            os.remove(name + ".xml")  # sign_doc also wrote it beside gen.py
            os.remove(os.path.join(gen.TPL, name + ".xml"))
            extra = EXTRA.get(s["name"], "")
            if kind == "generic":
                rows.append("\t".join([name, name + ".xml", GENERIC_ARGS + extra, "-", "0", s["name"],
                                        "healthy %s response for a generic SP" % s["name"]]))
            else:
                rules = sorted(FLEX_RULES[s["name"]])
                rows.append("\t".join([name, name + ".xml", FLEX_ARGS + extra, ",".join(rules), "1", s["name"],
                                        "%s response with its own attribute names, for Twilio Flex" % s["name"]]))
    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
