#!/usr/bin/env python3
"""Signed HTTP-Redirect URLs and a signed POST AuthnRequest: python3 corpus/redirect/generate.py

Needs python3 (stdlib), openssl and xmlsec1. The signatures are made by the openssl command line
(`openssl dgst -sign`) over the exact query octets SAML bindings §3.4.4.1 names, and checked
again with `openssl dgst -verify`; the POST AuthnRequest is signed by xmlsec1. Keys: the SP key of
corpus/encrypted/keys (RSA) and corpus/signed/keys/ec256.key (ECDSA P-256); the IdP key of
corpus/signed/keys for an IdP-sent LogoutRequest. RSA PKCS#1 v1.5 is deterministic, so the RSA
files are reproduced byte for byte; the ECDSA one is kept unless deleted.
"""
import base64
import json
import os
import sys
import tempfile
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import run  # noqa: E402
SP_KEY = "../encrypted/keys/sp.key"
SP_CERT = "../encrypted/keys/sp.pem"
EC_KEY = "../signed/keys/ec256.key"
IDP_KEY = "../signed/keys/idp.key"
SSO = "https://acme.okta.com/app/acme_sp/exk1a2b3c4d5e6f7g8h9/sso/saml"
SLO = "https://acme.okta.com/app/acme_sp/exk1a2b3c4d5e6f7g8h9/slo/saml"
SP_ENTITY = "https://sp.example.com/saml/metadata"
ACS = "https://sp.example.com/saml/acs"
SIGALG = {
    "rsa-sha1": ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "sha1"),
    "rsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "sha256"),
    "rsa-sha512": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "sha512"),
    "ecdsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "sha256"),
}


def write(path, data):
    data = data.encode() if isinstance(data, str) else data
    if not os.path.exists(path) or open(path, "rb").read() != data:
        with open(path, "wb") as f:
            f.write(data)


def authn_request(rid="_req7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"):
    return ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="%s" Version="2.0" '
            'IssueInstant="2026-11-20T15:04:01Z" Destination="%s" AssertionConsumerServiceURL="%s" '
            'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
            "<saml:Issuer>%s</saml:Issuer>"
            '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>'
            "</samlp:AuthnRequest>") % (rid, SSO, ACS, SP_ENTITY)


def logout_request():
    return ('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d" Version="2.0" '
            'IssueInstant="2026-11-20T16:00:00Z" Destination="https://sp.example.com/saml/slo">'
            "<saml:Issuer>https://acme.okta.com/exk1a2b3c4d5e6f7g8h9</saml:Issuer>"
            "<saml:NameID>ada@example.com</saml:NameID></samlp:LogoutRequest>")


def q(value, lower=False):
    """Percent-encode everything but unreserved characters, as most SAML libraries do."""
    s = urllib.parse.quote(value, safe="")
    if lower:
        s = "".join(c.lower() if i > 0 and s[i - 1] == "%" or i > 1 and s[i - 2] == "%" else c for i, c in enumerate(s))
    return s


def signed_url(base, param, xml, relay, alg, key, *, encode=q):
    deflated = zlib.compress(xml.encode())[2:-4]  # raw DEFLATE
    parts = ["%s=%s" % (param, encode(base64.b64encode(deflated).decode()))]
    if relay is not None:
        parts.append("RelayState=" + encode(relay))
    uri, digest = SIGALG[alg]
    parts.append("SigAlg=" + encode(uri))
    octets = "&".join(parts).encode()
    with tempfile.TemporaryDirectory() as td:
        data = os.path.join(td, "data")
        with open(data, "wb") as f:
            f.write(octets)
        sig = run(["openssl", "dgst", "-" + digest, "-sign", key, data])
        sigf = os.path.join(td, "sig")
        with open(sigf, "wb") as f:
            f.write(sig)
        pub = run(["openssl", "pkey", "-in", key, "-pubout"])
        pubf = os.path.join(td, "pub")
        with open(pubf, "wb") as f:
            f.write(pub)
        assert b"Verified OK" in run(["openssl", "dgst", "-" + digest, "-verify", pubf, "-signature", sigf, data])
    return base + "?" + octets.decode() + "&Signature=" + encode(base64.b64encode(sig).decode()), octets.decode()


def main():
    relay = "https://sp.example.com/app/dashboard?tab=1&x=a b"
    req = authn_request()
    for alg in ["rsa-sha256", "rsa-sha1", "rsa-sha512"]:
        url, _ = signed_url(SSO, "SAMLRequest", req, relay, alg, SP_KEY)
        write("authnrequest-%s.url" % alg, url + "\n")
    if not os.path.exists("authnrequest-ecdsa-sha256.url"):  # ECDSA is randomised: keep it
        url, _ = signed_url(SSO, "SAMLRequest", req, relay, "ecdsa-sha256", EC_KEY)
        write("authnrequest-ecdsa-sha256.url", url + "\n")
    url, _ = signed_url(SSO, "SAMLRequest", req, None, "rsa-sha256", SP_KEY)
    write("authnrequest-no-relaystate.url", url + "\n")
    # The same signed request as a browser records it: a HAR whose entry URL is the raw query.
    url, _ = signed_url(SSO, "SAMLRequest", req, relay, "rsa-sha256", SP_KEY)
    entry = {"startedDateTime": "2026-11-20T15:04:01.000Z", "time": 120,
             "request": {"method": "GET", "url": url, "httpVersion": "http/2.0", "headers": [],
                         "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
             "response": {"status": 200, "statusText": "", "httpVersion": "http/2.0", "headers": [],
                          "cookies": [], "content": {"size": 0, "mimeType": "text/html"},
                          "redirectURL": "", "headersSize": -1, "bodySize": 0},
             "cache": {}, "timings": {"send": 0, "wait": 120, "receive": 0}}
    har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                   "pages": [], "entries": [entry]}}
    write("authnrequest-signed.har", json.dumps(har, indent=2) + "\n")
    # The RelayState changed after signing.
    url, _ = signed_url(SSO, "SAMLRequest", req, relay, "rsa-sha256", SP_KEY)
    write("authnrequest-tampered.url", url.replace("tab%3D1", "tab%3D2") + "\n")
    # Signed over upper-case escapes; something on the way wrote them in lower case.
    url, octets = signed_url(SSO, "SAMLRequest", req, relay, "rsa-sha256", SP_KEY)
    lower = octets.replace("%2F", "%2f").replace("%3A", "%3a").replace("%3D", "%3d").replace("%2B", "%2b")
    assert lower != octets
    write("authnrequest-reencoded-lowercase.url", url.replace(octets, lower) + "\n")
    # Signed with %2B in the base64; a copy turned it into +.
    rid = next(r for r in ("_req%02d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f" % i for i in range(100))
               if "%2B" in q(base64.b64encode(zlib.compress(authn_request(r).encode())[2:-4]).decode()))
    url, octets = signed_url(SSO, "SAMLRequest", authn_request(rid), relay, "rsa-sha256", SP_KEY)
    msg = octets.split("&")[0]
    write("authnrequest-reencoded-plus.url", url.replace(msg, msg.replace("%2B", "+")) + "\n")
    # An IdP-initiated logout, signed by the IdP.
    url, _ = signed_url("https://sp.example.com/saml/slo", "SAMLRequest", logout_request(), None, "rsa-sha256", IDP_KEY)
    write("logoutrequest-idp.url", url + "\n")
    # SP metadata carrying the SP's signing certificate, entity ID and ACS URL.
    cert = "".join(l.strip() for l in open(SP_CERT) if "-----" not in l)
    write("sp-metadata.xml", (
        '<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%s">\n'
        ' <md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n'
        '  <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n'
        '  <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%s" index="0" isDefault="true"/>\n'
        " </md:SPSSODescriptor>\n</md:EntityDescriptor>\n") % (SP_ENTITY, cert, ACS))
    # A POST-binding AuthnRequest with an enveloped XML signature by the SP key (xmlsec1).
    tmpl = req.replace("</saml:Issuer>", (
        '</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
        '<ds:Reference URI="#_req7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e"><ds:Transforms>'
        '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
        '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>'
        "</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo></ds:Signature>") % cert, 1)
    with tempfile.TemporaryDirectory() as td:
        t = os.path.join(td, "t.xml")
        write(t, tmpl)
        signed = run(["xmlsec1", "--sign", "--privkey-pem", SP_KEY, "--id-attr:ID",
                      "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest", t])
        write(os.path.join(td, "s.xml"), signed)
        run(["xmlsec1", "--verify", "--pubkey-cert-pem", SP_CERT, "--id-attr:ID",
             "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest", os.path.join(td, "s.xml")])
    write("authnrequest-post-signed.xml", signed)
    print("corpus/redirect written")


main()
