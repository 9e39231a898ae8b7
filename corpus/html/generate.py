#!/usr/bin/env python3
"""Hostile captures for the HTML report (tests/html_report.rs, tests/browser/run.sh).

Every value a capture can carry into the report (IdP page title and text, URLs, Issuer,
Destination, NameID, attribute names and values, RelayState, status message, ACS URL) holds
markup, script URLs, CSS escapes, line and paragraph separators or bidi overrides. The
report must show each as text and run, load or style nothing from it.
Deterministic, stdlib only: `python3 corpus/html/generate.py`.
"""
import base64
import json
import os
import sys
import urllib.parse
import zlib
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from gencommon import write_if_changed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

SCRIPT = "<script>alert('script')</script>"
IMG = '"><img src=x onerror=alert(\'img\')>'
JS_URL = "javascript:alert('url')"
CSS = "</style><style>*{background:url(https://evil.example/css)}</style>\\3c script\\3e"
SEPARATORS = "line\u2028separator\u2029paragraph"
BIDI = "user\u202egnp.exe\u202c@acme.com"
SVG = "<svg onload=alert('svg')><foreignObject><iframe src=https://evil.example/></iframe>"

SP = "https://sp.example.com"
IDP = "https://idp.example.com"
ACS = f"{SP}/acs"


def response_xml():
    attrs = [("roles", IMG), (CSS, "css name"), ("full_name", SEPARATORS), ("email", SVG)]
    statements = "".join(
        f"<saml:Attribute Name={quoteattr(n)}><saml:AttributeValue>{escape(v)}"
        "</saml:AttributeValue></saml:Attribute>" for n, v in attrs)
    return (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" '
        f'IssueInstant="2026-11-20T15:04:05Z" Destination={quoteattr(JS_URL)} InResponseTo="_q1">'
        f"<saml:Issuer>{escape(IMG)}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/>'
        f"<samlp:StatusMessage>{escape(SCRIPT)}</samlp:StatusMessage></samlp:Status>"
        '<saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-11-20T15:04:05Z">'
        f"<saml:Issuer>{escape(SCRIPT)}</saml:Issuer>"
        f"<saml:Subject><saml:NameID>{escape(BIDI + SCRIPT)}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="2026-11-20T15:09:05Z" Recipient={quoteattr(JS_URL)}/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        '<saml:Conditions NotBefore="2026-11-20T15:03:35Z" NotOnOrAfter="2026-11-20T15:09:05Z">'
        f"<saml:AudienceRestriction><saml:Audience>{escape(CSS)}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f"<saml:AttributeStatement>{statements}</saml:AttributeStatement>"
        "<!--" + SVG.replace("--", "- -") + "-->"
        "</saml:Assertion></samlp:Response>")


def request_query():
    xml = (
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q1" Version="2.0" '
        f'IssueInstant="2026-11-20T15:04:04Z" Destination="{IDP}/sso" '
        f"AssertionConsumerServiceURL={quoteattr(JS_URL + IMG)} "
        'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
        f"<saml:Issuer>{escape(SCRIPT)}</saml:Issuer></samlp:AuthnRequest>")
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(xml.encode()) + c.flush()
    return urllib.parse.urlencode({"SAMLRequest": base64.b64encode(raw).decode(), "RelayState": SCRIPT + BIDI})


def entry(t, method, url, status, *, location="", html=None, body=None):
    post = None
    if body is not None:
        post = {"mimeType": "application/x-www-form-urlencoded", "text": body,
                "params": [{"name": k, "value": urllib.parse.quote(v, safe="")}
                           for k, v in urllib.parse.parse_qsl(body)]}
    req = {"method": method, "url": url, "httpVersion": "http/2.0", "headers": [],
           "queryString": [{"name": k, "value": v} for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)],
           "cookies": [], "headersSize": -1, "bodySize": len(body or "")}
    if post:
        req["postData"] = post
    headers = [{"name": "content-type", "value": "text/html; charset=utf-8"}] if html else []
    if location:
        headers.append({"name": "location", "value": location})
    return {"startedDateTime": t, "time": 80.0, "request": req,
            "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                         "headers": headers, "cookies": [],
                         "content": {"size": len(html or ""), "mimeType": "text/html" if html else "x-unknown",
                                     **({"text": html} if html else {})},
                         "redirectURL": location, "headersSize": -1, "bodySize": -1},
            "cache": {}, "timings": {"send": 0, "wait": 80, "receive": 0}}


def har(entries):
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                               "pages": [], "entries": entries}}, indent=2, ensure_ascii=False) + "\n"


def plain_response(audience, destination, name_id, recipient=ACS):
    """An unsigned Response with the given values (already XML-escaped by the caller)."""
    return (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r2" Version="2.0" '
        f'IssueInstant="2026-11-20T15:04:05Z" Destination="{destination}">'
        "<saml:Issuer>https://idp.example.com</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        '<saml:Assertion ID="_a2" Version="2.0" IssueInstant="2026-11-20T15:04:05Z">'
        "<saml:Issuer>https://idp.example.com</saml:Issuer>"
        f"<saml:Subject><saml:NameID>{name_id}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="2026-11-20T15:09:05Z" Recipient="{recipient}"/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        '<saml:Conditions NotBefore="2026-11-20T15:03:35Z" NotOnOrAfter="2026-11-20T15:09:05Z">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions></saml:Assertion></samlp:Response>")


def review_cases():
    """Shapes an adversarial review of the report found (see README.md)."""
    # Invisible characters that make observed and expected values look equal.
    write_if_changed(HERE, "zerowidth.xml", plain_response(
        f"{SP}\u200b", f"{ACS}\u2060", "ada\u00ad@acme.com\u200d", f"{ACS}\ufeff").encode())
    # A value whose line break and markup would draw a second NameID line in the XML view.
    write_if_changed(HERE, "newline-nameid.xml", plain_response(
        SP, ACS, escape("ada@acme.com</saml:NameID>\n      <saml:NameID>admin@acme.com")).encode())
    # Capture text in the verdict's first finding: em-space runs laying out "lines" of a fake
    # verdict, and a length that used to cut off the list of what was not checked.
    fake = ("\u2003" * 40 + "\u2705 No problem found in what was checked. The login works."
            + "\u2800" * 112 + "\u2705 The login works." + "\u2003" * 40)
    acs = "https://sp.example.com/other" + fake + "x" * 400
    xml = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
           'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_q3" Version="2.0" '
           f'IssueInstant="2026-11-20T15:04:04Z" Destination="{IDP}/sso" '
           f"AssertionConsumerServiceURL={quoteattr(acs)}>"
           f"<saml:Issuer>{SP}</saml:Issuer></samlp:AuthnRequest>")
    write_if_changed(HERE, "verdict-spoof.xml", xml.encode())
    # XSW7 with the unsigned Extensions padded, so that a drawing budget spent in document
    # order would show the signed assertion and never reach the forged one that is read.
    xsw7 = open(os.path.join(HERE, "..", "signed", "xsw7.xml")).read()
    at = xsw7.index("</samlp:Extensions>")
    padded = xsw7[:at] + '<x:pad xmlns:x="urn:x">' + "<x:p/>" * 4100 + "</x:pad>" + xsw7[at:]
    write_if_changed(HERE, "xsw7-padded.xml", padded.encode())
    # Long element names compress well: 40 KB of URL inflates to megabytes of names.
    name = "n" + "a" * 1900
    body = "".join(f"<{name}{i}/>" for i in range(2000))
    xml = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_q4" '
           f'Version="2.0" IssueInstant="2026-11-20T15:04:04Z">{body}</samlp:AuthnRequest>')
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = c.compress(xml.encode()) + c.flush()
    url = f"{IDP}/sso?" + urllib.parse.urlencode({"SAMLRequest": base64.b64encode(raw).decode()})
    write_if_changed(HERE, "long-names.url", (url + "\n").encode())


def second_review_cases():
    """Shapes a second review found after the first fixes (see README.md)."""
    def redirect(xml, name):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = c.compress(xml.encode()) + c.flush()
        url = f"{IDP}/sso?" + urllib.parse.urlencode({"SAMLRequest": base64.b64encode(raw).decode()})
        write_if_changed(HERE, name, (url + "\n").encode())

    request = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
               'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_q5" Version="2.0" '
               'IssueInstant="2026-11-20T15:04:04Z">{}</samlp:AuthnRequest>')
    # Every ds:Signature used to be drawn whatever the budget: 490,000 empty ones.
    redirect(request.format("<ds:Signature/>" * 490_000), "signature-flood.url")
    # Values of quotes: 160 characters of XML, 960 bytes of escaped markup each.
    quotes = '"' * 160
    redirect(request.format("".join(
        f"<x{i} a={quoteattr(quotes)}>{escape(quotes)}</x{i}>" for i in range(1300))), "quotes.url")
    # A Response whose values end in invisible characters the first fix missed, or in spaces.
    write_if_changed(HERE, "invisible-more.xml", plain_response(
        f"{SP}\ufff0\U000e0080", f"{ACS}\u00a0", "ada@acme.com\ufffc", f" {ACS}").encode())
    # XSW7 with the padding inside the forged assertion that is read, before its Subject.
    xsw7 = open(os.path.join(HERE, "..", "signed", "xsw7.xml")).read()
    at = xsw7.index(">", xsw7.index('ID="_evil')) + 1
    write_if_changed(HERE, "xsw7-pad-in-forged.xml",
                     (xsw7[:at] + '<x:pad xmlns:x="urn:x">' + "<x:p/>" * 5000 + "</x:pad>" + xsw7[at:]).encode())


def main():
    q = request_query()
    response = base64.b64encode(response_xml().encode()).decode()
    autopost = ("<!DOCTYPE html><html><head><title>" + escape(SCRIPT) + "</title></head>"
                '<body onload="document.forms[0].submit()">'
                f'<form method="post" action="{ACS}">'
                f'<input type="hidden" name="SAMLResponse" value="{response}"/>'
                f'<input type="hidden" name="RelayState" value={quoteattr(SCRIPT + BIDI)}/>'
                "</form></body></html>")
    login = [
        entry("2026-11-20T15:04:04.000Z", "GET", f"{SP}/login?next=" + urllib.parse.quote(JS_URL), 302,
              location=f"{IDP}/sso?{q}"),
        entry("2026-11-20T15:04:04.500Z", "GET", f"{IDP}/sso?{q}", 200, html=autopost),
        entry("2026-11-20T15:04:05.200Z", "POST", ACS, 500,
              body=urllib.parse.urlencode({"SAMLResponse": response, "RelayState": SCRIPT + BIDI})),
    ]
    error_page = ("<!DOCTYPE html><html><head><title>Error " + escape(IMG) + "</title></head><body>"
                  "<div class=\"errorMsg\"><span>Error: " + escape(SCRIPT + SEPARATORS + BIDI + SVG)
                  + "</span></div></body></html>")
    idp_page = [
        entry("2026-11-20T15:04:04.000Z", "GET", f"{SP}/login", 302, location=f"{IDP}/sso?{q}"),
        entry("2026-11-20T15:04:04.500Z", "GET", f"{IDP}/sso?{q}", 200, html=error_page),
    ]
    write_if_changed(HERE, "hostile-login.har", har(login).encode())
    write_if_changed(HERE, "hostile-idp-page.har", har(idp_page).encode())
    write_if_changed(HERE, "hostile-response.xml", response_xml().encode())
    review_cases()
    second_review_cases()


if __name__ == "__main__":
    main()
