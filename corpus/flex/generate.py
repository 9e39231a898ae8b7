#!/usr/bin/env python3
"""Flex + Salesforce rule corpus for samlscope: one case per rule.

Run from anywhere:   python3 corpus/flex/generate.py           (writes files + cases.tsv)
                     python3 corpus/flex/generate.py --check   (also runs target/x86_64-unknown-linux-gnu/debug/samlscope
                                                                on every case and prints disagreements)
Needs python3 (stdlib), xmlsec1 1.2.37, and the keys of corpus/signed/keys/.

Responses are Salesforce-shaped (same layout as corpus/signed/salesforce-response.xml):
Response and Assertion signed with xmlsec1 (exc-c14n + InclusiveNamespaces PrefixList,
rsa-sha256, sha256), Assertion first. RSA PKCS#1 v1.5 and zlib are deterministic, so a
rerun reproduces every byte. Each signed file is re-verified with xmlsec1 (pinned key).
"""
import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import stream, write_if_changed  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))
KEYS = os.path.join(ROOT, "corpus", "signed", "keys")
KEYS_REL = "corpus/signed/keys"

# ---------------------------------------------------------------- fixed values
ISSUER = "https://acme.my.salesforce.com"
SSO_URL = "https://acme.my.salesforce.com/idp/endpoint/HttpRedirect"
SSO_URL_POST = "https://acme.my.salesforce.com/idp/endpoint/HttpPost"
JQ = "JQ0123456789abcdef0123456789abcdef"
JQ_OTHER = "JQfedcba9876543210fedcba9876543210"
AC = "AC0123456789abcdef0123456789abcdef"
ENH_ENTITY = "urn:flex:" + JQ
ENH_ACS = "https://login.flex.us1.twilio.com/login/callback?connection=" + JQ
ENH_ACS_NOCONN = "https://login.flex.us1.twilio.com/login/callback"
OTHER_ENTITY = "urn:flex:" + JQ_OTHER
OTHER_ACS = "https://login.flex.us1.twilio.com/login/callback?connection=" + JQ_OTHER
LEG_ENTITY = "https://iam.twilio.com/v1/Accounts/%s/saml2/metadata" % AC
LEG_ACS = "https://iam.twilio.com/v1/Accounts/%s/saml2" % AC
REQ_ID = "_4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f"
REQ_ID_NEW = "_new0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"
REQ_ID_OLD = "_old9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c"
RESP_ID = "_resp7d0f5a3c2b1e4d6f8a9b0c1d2e3f4a5b"
ASRT_ID = "_asrt1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b"
REQ_INSTANT = "2026-11-20T15:04:01.456Z"
INSTANT = "2026-11-20T15:04:05.123Z"
NOT_BEFORE = "2026-11-20T15:03:35.123Z"
NOT_ON_OR_AFTER = "2026-11-20T15:09:05.123Z"
AT = "2026-11-20T15:04:30Z"
RELAY_STATE = "https://flex.twilio.com/agent-desktop?state=7f3a9c"
NAMEID = "ada@acme.com"
FMT_UNSPEC = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
FMT_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
ATTR_FMT = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
MS_ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"

NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_XENC = "http://www.w3.org/2001/04/xmlenc#"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SIGALG = {"rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
          "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1"}
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

ATTRS = [
    ("userId", ["0055g00000ABCDE"]),
    ("username", ["ada@acme.com"]),
    ("email", ["ada@acme.com"]),
    ("is_portal_user", ["false"]),
    ("full_name", ["Ada Lovelace"]),
    ("roles", ["agent"]),
]

# CLI flags (paths relative to the repository root)
CERT = "--cert %s/idp.pem" % KEYS_REL
ENH_FLAGS = "%s --flex-connection %s --idp-issuer %s --sso-url %s --at %s" % (CERT, JQ, ISSUER, SSO_URL, AT)
LEG_FLAGS = "%s --flex-account %s --idp-issuer %s --sso-url %s --at %s" % (CERT, AC, ISSUER, SSO_URL, AT)


# ---------------------------------------------------------------- helpers
def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def write(name, data):
    write_if_changed(HERE, name, data)


def cert_b64(key):
    with open(os.path.join(KEYS, key + ".pem")) as f:
        return "".join(l.strip() for l in f if "-----" not in l)


def b64lines(raw, width=76):
    b = base64.b64encode(raw).decode()
    return "\n".join(b[i:i + width] for i in range(0, len(b), width))


def sig_tmpl(ref_id, prefix_list, key="idp", sigalg="rsa-sha256"):
    """xmlsec1 template (empty values, KeyInfo pre-filled with keys/<key>.pem)."""
    return (
        '<ds:Signature xmlns:ds="{ds}">\n<ds:SignedInfo>\n'
        '<ds:CanonicalizationMethod Algorithm="{exc}"/>\n'
        '<ds:SignatureMethod Algorithm="{sa}"/>\n'
        '<ds:Reference URI="#{rid}">\n<ds:Transforms>\n'
        '<ds:Transform Algorithm="{env}"/>\n'
        '<ds:Transform Algorithm="{exc}"><ec:InclusiveNamespaces xmlns:ec="{exc}" PrefixList="{pl}"/></ds:Transform>\n'
        '</ds:Transforms>\n<ds:DigestMethod Algorithm="{dm}"/>\n<ds:DigestValue></ds:DigestValue>\n'
        '</ds:Reference>\n</ds:SignedInfo>\n<ds:SignatureValue></ds:SignatureValue>\n'
        '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n'
        '</ds:Signature>'
    ).format(ds=NS_DS, exc=EXC, sa=SIGALG[sigalg], rid=ref_id, env=ENVELOPED, pl=prefix_list,
             dm=SHA256, cert=cert_b64(key))


def attribute(name, values):
    vals = "".join(
        '<saml:AttributeValue xmlns:xs="{xs}" xmlns:xsi="{xsi}" xsi:type="xs:string">{v}</saml:AttributeValue>\n'.format(
            xs=NS_XS, xsi=NS_XSI, v=v) for v in values)
    return '<saml:Attribute Name="{n}" NameFormat="{f}">\n{vals}</saml:Attribute>'.format(n=name, f=ATTR_FMT, vals=vals)


def with_attr(name, values, attrs=ATTRS):
    """ATTRS with one attribute replaced (values=None removes it)."""
    out = []
    for n, v in attrs:
        if n == name:
            if values is not None:
                out.append((n, values))
        else:
            out.append((n, v))
    return out


def assertion(*, issuer=ISSUER, nameid=NAMEID, nameid_fmt=FMT_UNSPEC, irt=REQ_ID, recipient=ENH_ACS,
              audience=ENH_ENTITY, attrs=ATTRS, sig=""):
    irt_attr = ' InResponseTo="%s"' % irt if irt else ""
    subj = ['<saml:Subject>']
    if nameid is not None:
        subj.append('<saml:NameID Format="%s">%s</saml:NameID>' % (nameid_fmt, nameid))
    subj += [
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">',
        '<saml:SubjectConfirmationData%s NotOnOrAfter="%s" Recipient="%s"/>' % (irt_attr, NOT_ON_OR_AFTER, esc(recipient)),
        '</saml:SubjectConfirmation>',
        '</saml:Subject>',
    ]
    parts = [
        '<saml:Assertion xmlns:saml="%s" ID="%s" IssueInstant="%s" Version="2.0">' % (NS_A, ASRT_ID, INSTANT),
        '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">%s</saml:Issuer>' % issuer,
    ] + ([sig] if sig else []) + subj + [
        '<saml:Conditions NotBefore="%s" NotOnOrAfter="%s">' % (NOT_BEFORE, NOT_ON_OR_AFTER),
        '<saml:AudienceRestriction>',
        '<saml:Audience>%s</saml:Audience>' % esc(audience),
        '</saml:AudienceRestriction>',
        '</saml:Conditions>',
        '<saml:AuthnStatement AuthnInstant="%s">' % INSTANT,
        '<saml:AuthnContext>',
        '<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef>',
        '</saml:AuthnContext>',
        '</saml:AuthnStatement>',
        '<saml:AttributeStatement>',
    ] + [attribute(n, v) for n, v in attrs] + [
        '</saml:AttributeStatement>',
        '</saml:Assertion>',
    ]
    return "\n".join(parts)


def encrypted_assertion():
    """A structurally plausible EncryptedAssertion (aes256-cbc data, rsa-oaep-mgf1p key).
    The cipher values are deterministic filler, not a real encryption."""
    return "\n".join([
        '<saml:EncryptedAssertion xmlns:saml="%s">' % NS_A,
        '<xenc:EncryptedData xmlns:xenc="%s" Id="_enc3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d" Type="%sElement">' % (NS_XENC, NS_XENC),
        '<xenc:EncryptionMethod Algorithm="%saes256-cbc"/>' % NS_XENC,
        '<ds:KeyInfo xmlns:ds="%s">' % NS_DS,
        '<xenc:EncryptedKey Id="_key9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b">',
        '<xenc:EncryptionMethod Algorithm="%srsa-oaep-mgf1p">' % NS_XENC,
        '<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>',
        '</xenc:EncryptionMethod>',
        '<xenc:CipherData><xenc:CipherValue>%s</xenc:CipherValue></xenc:CipherData>' % b64lines(stream("enc-key", 256)),
        '</xenc:EncryptedKey>',
        '</ds:KeyInfo>',
        '<xenc:CipherData><xenc:CipherValue>%s</xenc:CipherValue></xenc:CipherData>' % b64lines(stream("enc-data", 2320)),
        '</xenc:EncryptedData>',
        '</saml:EncryptedAssertion>',
    ])


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def response(body, *, destination=ENH_ACS, irt=REQ_ID, issuer=ISSUER, sig="", status=None):
    """status=None -> Success; else (top code, second code, message)."""
    irt_attr = ' InResponseTo="%s"' % irt if irt else ""
    if status is None:
        st = ['<samlp:Status>', '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>', '</samlp:Status>']
    else:
        top, second, msg = status
        st = ['<samlp:Status>',
              '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:%s">' % top,
              '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:%s"/>' % second,
              '</samlp:StatusCode>',
              '<samlp:StatusMessage>%s</samlp:StatusMessage>' % esc(msg),
              '</samlp:Status>']
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join([
        '<samlp:Response xmlns:samlp="%s" Destination="%s" ID="%s"%s IssueInstant="%s" Version="2.0">' % (
            NS_P, esc(destination), RESP_ID, irt_attr, INSTANT),
        '<saml:Issuer xmlns:saml="%s" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">%s</saml:Issuer>' % (NS_A, issuer),
    ] + ([sig] if sig else []) + st + ([body] if body else []) + ['</samlp:Response>']) + "\n"


def resp_sig(**kw):
    return sig_tmpl(RESP_ID, "ds saml samlp xs xsi", **kw)


def asrt_sig(**kw):
    return sig_tmpl(ASRT_ID, "ds saml xs xsi", **kw)


ID_ATTRS = ["--id-attr:ID", NS_P + ":Response", "--id-attr:ID", NS_A + ":Assertion"]
SIG_XP = "(//*[local-name()='Signature' and namespace-uri()='%s'])" % NS_DS


def sign(template, key):
    """Sign every ds:Signature template with keys/<key>.key, last (innermost) first."""
    n = template.count("<ds:Signature ")
    with tempfile.TemporaryDirectory() as td:
        cur = os.path.join(td, "t.xml")
        with open(cur, "w") as f:
            f.write(template)
        for step, idx in enumerate(range(n, 0, -1)):
            nxt = os.path.join(td, "s%d.xml" % step)
            r = run(["xmlsec1", "--sign", "--privkey-pem", os.path.join(KEYS, key + ".key")] + ID_ATTRS
                    + ["--node-xpath", "%s[%d]" % (SIG_XP, idx), "--output", nxt, cur])
            if r.returncode != 0:
                sys.stderr.write(r.stderr.decode(errors="replace"))
                raise SystemExit("xmlsec1 --sign failed")
            cur = nxt
        with open(cur) as f:
            return f.read()


def verify(doc, cert):
    """xmlsec1 pinned verdict (OK/FAIL/ERROR) of each signature, KeyInfo ignored."""
    n = doc.count("<ds:Signature ")
    out = []
    with tempfile.TemporaryDirectory() as td:
        p = os.path.join(td, "d.xml")
        with open(p, "w") as f:
            f.write(doc)
        for i in range(1, n + 1):
            r = run(["xmlsec1", "--verify", "--enabled-key-data", "key-name", "--pubkey-cert-pem",
                     os.path.join(KEYS, cert + ".pem")] + ID_ATTRS + ["--node-xpath", "%s[%d]" % (SIG_XP, i), p])
            err = r.stderr.decode(errors="replace")
            out.append("OK" if r.returncode == 0 and re.search(r"^OK$", err, re.M)
                       else "FAIL" if re.search(r"^FAIL$", err, re.M) else "ERROR")
    return out


def signed_response(*, key="idp", sigalg="rsa-sha256", sign_assertion=True, body=None, **kw):
    """Salesforce-shaped response; Response always signed, Assertion signed when it exists."""
    rkw = {k: kw.pop(k) for k in ("destination", "irt", "issuer", "status") if k in kw}
    if "irt" in rkw:
        kw.setdefault("irt", rkw["irt"])
    if body is None:
        body = assertion(sig=asrt_sig(key=key, sigalg=sigalg) if sign_assertion else "", **kw)
    doc = sign(response(body, sig=resp_sig(key=key, sigalg=sigalg), **rkw), key)
    want = ["OK"] * doc.count("<ds:Signature ")
    got = verify(doc, key)
    if got != want:
        raise SystemExit("xmlsec1 does not verify a freshly signed response: %s" % got)
    return doc


def post_body(xml, relay_state=RELAY_STATE):
    b64 = base64.b64encode(xml.encode("utf-8")).decode()
    body = "SAMLResponse=" + urllib.parse.quote(b64, safe="")
    if relay_state is not None:
        body += "&RelayState=" + urllib.parse.quote(relay_state, safe="")
    return body + "\n"


def authn_request(*, rid=REQ_ID, destination=SSO_URL, acs=ENH_ACS, entity=ENH_ENTITY):
    return "".join([
        '<samlp:AuthnRequest xmlns:samlp="%s" AssertionConsumerServiceURL="%s" Destination="%s" ID="%s" '
        'IssueInstant="%s" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Version="2.0">' % (
            NS_P, esc(acs), esc(destination), rid, REQ_INSTANT),
        '<saml:Issuer xmlns:saml="%s">%s</saml:Issuer>' % (NS_A, esc(entity)),
        '<samlp:NameIDPolicy AllowCreate="true" Format="%s"/>' % FMT_UNSPEC,
        '</samlp:AuthnRequest>',
    ])


def raw_deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
    return c.compress(data) + c.flush()


def redirect_url(xml, endpoint=SSO_URL, relay_state=RELAY_STATE):
    v = base64.b64encode(raw_deflate(xml.encode("utf-8"))).decode()
    url = endpoint + "?SAMLRequest=" + urllib.parse.quote(v, safe="")
    if relay_state is not None:
        url += "&RelayState=" + urllib.parse.quote(relay_state, safe="")
    return url + "\n"


# ---------------------------------------------------------------- cases
CASES = []  # (name, inputs, args, rules, exit, description)


def case(name, inputs, args, rules, exit_code, description):
    CASES.append((name, " ".join(inputs), args or "-", ",".join(sorted(rules)) or "-", str(exit_code), description))


def build():
    req = authn_request()
    write("healthy-enhanced.request.url", redirect_url(req))
    healthy = signed_response()
    write("healthy-enhanced.response.xml", healthy)
    write("healthy-enhanced.response.txt", post_body(healthy))
    H = ["healthy-enhanced.request.url", "healthy-enhanced.response.txt"]

    # -- healthy ---------------------------------------------------------------------------
    case("healthy-enhanced", H, ENH_FLAGS, [], 0,
         "SP-initiated login, enhanced config: AuthnRequest (Redirect URL) + signed Response (POST body)")
    write("healthy-legacy.request.url", redirect_url(authn_request(acs=LEG_ACS, entity=LEG_ENTITY)))
    write("healthy-legacy.response.txt", post_body(signed_response(destination=LEG_ACS, recipient=LEG_ACS, audience=LEG_ENTITY)))
    case("healthy-legacy", ["healthy-legacy.request.url", "healthy-legacy.response.txt"], LEG_FLAGS, [], 0,
         "legacy config (--flex-account): Audience/Destination/Recipient are the iam.twilio.com values")
    write("healthy-idp-initiated.response.txt", post_body(signed_response(irt=None), relay_state=None))
    case("healthy-idp-initiated", ["healthy-idp-initiated.response.txt"], ENH_FLAGS, [], 0,
         "IdP-initiated: no InResponseTo on Response or SubjectConfirmationData, no AuthnRequest, no RelayState")
    case("healthy-raw-xml", ["healthy-enhanced.response.xml"], ENH_FLAGS, [], 0,
         "the healthy response as raw XML, alone (InResponseTo present, no AuthnRequest in the capture: nothing to compare)")
    case("healthy-request-and-raw-response", ["healthy-enhanced.request.url", "healthy-enhanced.response.xml"], ENH_FLAGS, [], 0,
         "the AuthnRequest URL (with RelayState) and the answering Response pasted as raw XML: no transport of the "
         "Response was seen, so no RelayState can have been dropped")
    write("roles-multi-in-one.response.txt", post_body(signed_response(attrs=with_attr("roles", ["agent, supervisor"]))))
    case("roles-multi-in-one", ["roles-multi-in-one.response.txt"], ENH_FLAGS, [], 0,
         "healthy: roles is one value 'agent, supervisor' (the guide's comma-separated list)")
    write("roles-multi-values.response.txt", post_body(signed_response(attrs=with_attr("roles", ["agent", "admin"]))))
    case("roles-multi-values", ["roles-multi-values.response.txt"], ENH_FLAGS, [], 0,
         "healthy: roles has two AttributeValues 'agent' and 'admin'")
    case("no-flags", ["healthy-enhanced.response.txt"], "", [], 0,
         "healthy response, no flags at all: every check that needs configuration (or --at) is skipped")

    # -- protocol --------------------------------------------------------------------------
    write("audience-legacy.response.txt", post_body(signed_response(audience=LEG_ENTITY)))
    case("audience-mismatch-legacy", ["audience-legacy.response.txt"], ENH_FLAGS, ["audience-mismatch"], 1,
         "Audience is the legacy entity ID, Flex configured enhanced (Destination/Recipient enhanced)")
    write("audience-other-connection.response.txt", post_body(signed_response(audience=OTHER_ENTITY)))
    case("audience-mismatch-other-connection", ["audience-other-connection.response.txt"], ENH_FLAGS, ["audience-mismatch"], 1,
         "Audience urn:flex:%s (another connection)" % JQ_OTHER)
    write("destination-no-connection.response.txt", post_body(signed_response(destination=ENH_ACS_NOCONN)))
    case("destination-mismatch", ["destination-no-connection.response.txt"], ENH_FLAGS, ["destination-mismatch"], 1,
         "Response Destination lacks ?connection=; Recipient is right")
    write("recipient-other-connection.response.txt", post_body(signed_response(recipient=OTHER_ACS)))
    case("recipient-mismatch", ["recipient-other-connection.response.txt"], ENH_FLAGS, ["recipient-mismatch"], 1,
         "SubjectConfirmationData Recipient for another connection; Destination is right")
    case("issuer-mismatch-trailing-slash", H, ENH_FLAGS.replace("--idp-issuer " + ISSUER, "--idp-issuer " + ISSUER + "/"),
         ["issuer-mismatch"], 1, "healthy trace; Flex configured Identity Provider Issuer https://acme.my.salesforce.com/")
    case("issuer-mismatch-no-my", H, ENH_FLAGS.replace("--idp-issuer " + ISSUER, "--idp-issuer https://acme.salesforce.com"),
         ["issuer-mismatch"], 1, "healthy trace; Flex configured https://acme.salesforce.com (no my.)")
    write("sso-url-httppost.request.url", redirect_url(authn_request(destination=SSO_URL_POST), endpoint=SSO_URL_POST))
    case("sso-url-mismatch", ["sso-url-httppost.request.url", "healthy-enhanced.response.txt"], ENH_FLAGS, ["sso-url-mismatch"], 1,
         "AuthnRequest sent to (and Destination) .../idp/endpoint/HttpPost, configured HttpRedirect")
    write("sso-config-mixed.response.txt", post_body(signed_response(destination=LEG_ACS, recipient=LEG_ACS)))
    case("sso-config-mixed", ["sso-config-mixed.response.txt"],
         "%s --idp-issuer %s --sso-url %s --at %s" % (CERT, ISSUER, SSO_URL, AT), ["sso-config-mixed"], 1,
         "Audience enhanced, Destination+Recipient legacy; no --flex-*/--entity-id/--acs-url, so only the mixed rule can fire")
    write("acs-url-other.request.url", redirect_url(authn_request(acs=LEG_ACS)))
    case("acs-url-mismatch", ["acs-url-other.request.url", "healthy-enhanced.response.txt"], ENH_FLAGS, ["acs-url-mismatch"], 1,
         "the AuthnRequest asks for the legacy ACS URL while Flex is configured enhanced; the IdP posts to the enhanced one")
    write("irt-new.request.url", redirect_url(authn_request(rid=REQ_ID_NEW)))
    write("irt-old.response.txt", post_body(signed_response(irt=REQ_ID_OLD)))
    case("in-response-to-mismatch", ["irt-new.request.url", "irt-old.response.txt"], ENH_FLAGS, ["in-response-to-mismatch"], 1,
         "AuthnRequest ID %s, Response (and SubjectConfirmationData) InResponseTo %s" % (REQ_ID_NEW, REQ_ID_OLD))
    write("relay-state-dropped.response.txt", post_body(healthy, relay_state=None))
    case("relay-state-dropped", ["healthy-enhanced.request.url", "relay-state-dropped.response.txt"], ENH_FLAGS,
         ["relay-state-dropped"], 0, "AuthnRequest carries RelayState; the Response POST body has none")
    case("assertion-expired", H, ENH_FLAGS.replace(AT, "2026-11-20T15:20:00Z"), ["assertion-expired"], 1,
         "evaluated at 15:20:00Z; NotOnOrAfter 15:09:05.123Z (+3m skew)")
    case("assertion-not-yet-valid", H, ENH_FLAGS.replace(AT, "2026-11-20T14:50:00Z"), ["assertion-not-yet-valid"], 1,
         "evaluated at 14:50:00Z; NotBefore 15:03:35.123Z (-3m skew)")
    write("status-error.response.txt", post_body(signed_response(
        body="", status=("Responder", "RequestDenied", "User does not have access to this service provider"))))
    case("status-error", ["healthy-enhanced.request.url", "status-error.response.txt"], ENH_FLAGS, ["status-error"], 1,
         "Response signed, StatusCode Responder/RequestDenied + StatusMessage, no Assertion")
    write("encrypted-assertion.response.txt", post_body(signed_response(body=encrypted_assertion())))
    case("encrypted-assertion", ["healthy-enhanced.request.url", "encrypted-assertion.response.txt"], ENH_FLAGS,
         ["encrypted-assertion"], 1,
         "Response signed; EncryptedAssertion (aes256-cbc, rsa-oaep-mgf1p; filler cipher values), no Assertion")
    write("nameid-missing.response.txt", post_body(signed_response(nameid=None)))
    case("nameid-missing", ["nameid-missing.response.txt"], ENH_FLAGS, ["nameid-missing"], 1, "Subject without NameID")
    write("nameid-format-email.response.txt", post_body(signed_response(nameid_fmt=FMT_EMAIL)))
    case("nameid-format", ["nameid-format-email.response.txt"], ENH_FLAGS, ["nameid-format"], 0,
         "NameID Format emailAddress instead of unspecified (warning)")

    # -- Flex attributes ---------------------------------------------------------------------
    write("roles-missing.response.txt", post_body(signed_response(attrs=with_attr("roles", None))))
    case("roles-missing", ["roles-missing.response.txt"], ENH_FLAGS, ["roles-missing"], 1, "no roles attribute")
    write("roles-quoted.response.txt", post_body(signed_response(attrs=with_attr("roles", ["&quot;agent&quot;"]))))
    case("roles-invalid-quoted", ["roles-quoted.response.txt"], ENH_FLAGS, ["roles-invalid"], 1,
         'roles value "agent" with literal straight quotes')
    write("roles-unknown.response.txt", post_body(signed_response(attrs=with_attr("roles", ["agent, janitor"]))))
    case("roles-invalid-unknown", ["roles-unknown.response.txt"], ENH_FLAGS, ["roles-invalid"], 1,
         "roles value 'agent, janitor' (janitor is not a Flex role)")
    write("roles-typographic.response.txt", post_body(signed_response(attrs=with_attr("roles", ["\u201cagent\u201d"]))))
    case("roles-invalid-typographic", ["roles-typographic.response.txt"], ENH_FLAGS, ["roles-invalid"], 1,
         "roles value \u201cagent\u201d with typographic quotes U+201C/U+201D")
    write("full-name-missing.response.txt", post_body(signed_response(attrs=with_attr("full_name", None))))
    case("full-name-missing", ["full-name-missing.response.txt"], ENH_FLAGS, ["full-name-missing"], 0,
         "no full_name attribute (warning)")
    write("email-missing.response.txt", post_body(signed_response(attrs=with_attr("email", None))))
    case("email-missing", ["email-missing.response.txt"], ENH_FLAGS, ["email-missing"], 0, "no email attribute (warning)")
    ns_attrs = [(MS_ROLE if n == "roles" else n, v) for n, v in ATTRS]
    write("attribute-namespaced.response.txt", post_body(signed_response(attrs=ns_attrs)))
    case("attribute-namespaced", ["attribute-namespaced.response.txt"], ENH_FLAGS, ["attribute-namespaced"], 1,
         "roles sent as %s (no plain roles): the precise diagnosis, not roles-missing" % MS_ROLE)

    # -- signatures --------------------------------------------------------------------------
    unsigned = response(assertion())
    write("unsigned.response.xml", unsigned)
    case("unsigned", ["unsigned.response.xml"], ENH_FLAGS, ["unsigned"], 1, "no signature on Response or Assertion (raw XML)")
    tampered = healthy.replace(">ada@acme.com</saml:NameID>", ">admin@acme.com</saml:NameID>", 1)
    assert tampered != healthy and verify(tampered, "idp") == ["FAIL", "FAIL"]
    write("signature-invalid.response.xml", tampered)
    case("signature-invalid", ["signature-invalid.response.xml"], ENH_FLAGS, ["signature-invalid"], 1,
         "healthy response with NameID changed to admin@acme.com after signing: both signatures fail (raw XML)")
    other = signed_response(key="other")
    assert verify(other, "idp") == ["FAIL", "FAIL"]
    write("cert-mismatch.response.xml", other)
    case("cert-mismatch", ["cert-mismatch.response.xml"], ENH_FLAGS, ["cert-mismatch"], 1,
         "signed with other.key, KeyInfo carries other.pem; Flex has idp.pem (raw XML)")
    write("weak-algorithm.response.xml", signed_response(sigalg="rsa-sha1"))
    case("weak-algorithm", ["weak-algorithm.response.xml"], ENH_FLAGS, ["weak-algorithm"], 0,
         "both signatures rsa-sha1 (digest sha256), valid (warning; raw XML)")
    write("cert-expired.response.xml", signed_response(key="expired"))
    case("cert-expired", ["cert-expired.response.xml"], ENH_FLAGS.replace(CERT, "--cert %s/expired.pem" % KEYS_REL),
         ["cert-expired"], 0, "signed by expired.key (2023-01-01..2024-01-01), --cert expired.pem; valid otherwise (warning)")

    # -- several problems at once ------------------------------------------------------------
    multi = with_attr("full_name", None, with_attr("roles", ["&quot;agent&quot;"]))
    write("multi-problem.response.txt", post_body(signed_response(audience=LEG_ENTITY, attrs=multi)))
    case("multi-problem", ["healthy-enhanced.request.url", "multi-problem.response.txt"], ENH_FLAGS,
         ["audience-mismatch", "roles-invalid", "full-name-missing"], 1,
         'legacy Audience under enhanced config + roles "agent" quoted + no full_name: all three reported')

    header = "\t".join(["name", "inputs", "args", "rules", "exit", "description"])
    write("cases.tsv", "\n".join([header] + ["\t".join(c) for c in CASES]) + "\n")


# ---------------------------------------------------------------- --check
def check():
    import json
    binary = os.path.join(ROOT, "target", "x86_64-unknown-linux-gnu", "debug", "samlscope")
    bad = 0
    for name, inputs, args, rules, exit_code, _ in CASES:
        cmd = [binary, "analyze"] + [os.path.join("corpus/flex", i) for i in inputs.split()] \
            + ([] if args == "-" else args.split()) + ["--format", "json"]
        r = run(cmd, cwd=ROOT)
        try:
            got = ",".join(sorted({f["rule"] for f in json.loads(r.stdout)["findings"]})) or "-"
        except Exception:
            got = "<no json: %s>" % r.stderr.decode(errors="replace").strip()[:200]
        ok = got == rules and str(r.returncode) == exit_code
        bad += not ok
        print("%-4s %-36s expected %s exit %s | binary %s exit %d" % (
            "ok" if ok else "DIFF", name, rules, exit_code, got, r.returncode))
    print("%d of %d cases disagree" % (bad, len(CASES)))
    return bad


if __name__ == "__main__":
    build()
    if "--check" in sys.argv[1:]:
        sys.exit(1 if check() else 0)
