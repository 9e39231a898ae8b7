#!/usr/bin/env python3
"""Every input form samlscope `decode`/`analyze` must accept (or reject cleanly).

Run:  python3 corpus/inputs/generate.py   (after python3 corpus/flex/generate.py)
Stdlib only. Sources: corpus/flex/healthy-enhanced.response.xml (signed healthy Response)
and corpus/flex/healthy-enhanced.request.url (AuthnRequest, Redirect binding).
Deterministic: fixed offsets, fixed seeds, gzip mtime 0; reruns give identical bytes.
"""
import base64
import gzip
import hashlib
import html
import os
import sys
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import stream, write_if_changed  # noqa: E402
FLEX = os.path.join(os.path.dirname(HERE), "flex")

ACS = "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef"
BAD_CHAR_OFFSET = 1000      # '*' inserted before this base64 character index
TRUNCATE_AT = 3001          # truncated.b64 keeps this many base64 characters (not a multiple of 4)
RANDOM_SEED = "samlscope-inputs-random-v1"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(name, data):
    write_if_changed(HERE, name, data)




def html_attr(s):
    """Salesforce-style attribute encoding: every non-alphanumeric as &#xNN;."""
    return "".join(c if c.isalnum() and c.isascii() else "&#x%x;" % ord(c) for c in s)


def main():
    xml = read(os.path.join(FLEX, "healthy-enhanced.response.xml"))
    post = read(os.path.join(FLEX, "healthy-enhanced.response.txt")).decode()
    url = read(os.path.join(FLEX, "healthy-enhanced.request.url")).decode().strip()
    assert xml.startswith(b"<?xml ")
    relay = urllib.parse.parse_qs(post.strip())["RelayState"][0]
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    req_value_b64 = q["SAMLRequest"][0]
    req_xml = zlib.decompress(base64.b64decode(req_value_b64), -15)

    b64 = base64.b64encode(xml).decode()
    assert "+" in b64 and "/" in b64 and b64.endswith("="), "pick a source whose base64 has + / and padding"

    # -- good forms ----------------------------------------------------------------------
    write("response.xml", xml)
    write("response-bom-decl.xml", b"\xef\xbb\xbf" + xml)
    write("response.b64", b64 + "\n")
    write("response-wrapped.b64", "".join(b64[i:i + 76] + "\r\n" for i in range(0, len(b64), 76)))
    write("response-urlsafe.b64", b64.replace("+", "-").replace("/", "_").rstrip("=") + "\n")
    write("response-plus-as-space.b64", b64.replace("+", " ") + "\n")
    write("response-post-body.txt", post)
    write("autopost.html", "\n".join([
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
        "<title>Salesforce</title>",
        "</head>",
        '<body onload="document.forms[0].submit()">',
        '<form method="post" action="%s">' % html_attr(ACS),
        '<input type="hidden" name="SAMLResponse" value="%s"/>' % html_attr(b64),
        '<input type="hidden" name="RelayState" value="%s"/>' % html_attr(relay),
        "<noscript><p>JavaScript is disabled. Click Continue to proceed.</p>"
        '<input type="submit" value="Continue"/></noscript>',
        "</form>",
        "</body>",
        "</html>",
    ]) + "\n")
    write("authnrequest-redirect.url", url + "\n")
    write("authnrequest-value.txt", urllib.parse.quote(req_value_b64, safe="") + "\n")
    write("authnrequest-zlib.b64", base64.b64encode(zlib.compress(req_xml, 9)).decode() + "\n")
    write("authnrequest-gzip.b64", base64.b64encode(gzip.compress(req_xml, 9, mtime=0)).decode() + "\n")

    # -- malformed -----------------------------------------------------------------------
    write("truncated.b64", b64[:TRUNCATE_AT] + "\n")
    write("bad-char.b64", b64[:BAD_CHAR_OFFSET] + "*" + b64[BAD_CHAR_OFFSET:] + "\n")
    raw = bytearray(base64.b64decode(req_value_b64))
    raw[0] |= 0x06  # BTYPE = 11 (reserved): "invalid block type" on the first block
    bad = base64.b64encode(bytes(raw)).decode()
    write("bad-deflate.url", url.replace(urllib.parse.quote(req_value_b64, safe=""), urllib.parse.quote(bad, safe=""), 1) + "\n")
    write("doctype-entities.xml", "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!DOCTYPE samlp:Response [",
        '<!ENTITY lol "lol">',
        '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
        '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
        "]>",
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_doctype1" Version="2.0" '
        'IssueInstant="2026-11-20T15:04:05.123Z">',
        '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&lol3;</saml:Issuer>',
        "</samlp:Response>",
    ]) + "\n")
    write("doctype-external.xml", "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_doctype2" Version="2.0" '
        'IssueInstant="2026-11-20T15:04:05.123Z">',
        '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer>',
        "</samlp:Response>",
    ]) + "\n")
    bad_utf8 = xml.replace(b">ada@acme.com</saml:NameID>", b">ada\xc3\x28@acme.com</saml:NameID>", 1)
    assert bad_utf8 != xml
    write("invalid-utf8.xml", bad_utf8)

    # -- the forms people paste --------------------------------------------------------------
    write("pasted-devtools.txt", "SAMLResponse: %s\nRelayState: %s\n" % (b64, relay))
    write("pasted-curl.txt", "curl 'https://login.flex.us1.twilio.com/login/callback' -H 'content-type: "
          "application/x-www-form-urlencoded' --data-raw '%s'\n" % post.strip())
    write("pasted-json-escaped.txt", '"%s"\n' % b64.replace("/", "\\/").replace("=", "\\u003d"))
    write("pasted-quoted.txt", "'%s'\n" % b64)

    # -- a Redirect-binding signature with SHA-1 (SigAlg; the value itself is not verified) ----
    sigalg = urllib.parse.quote("http://www.w3.org/2000/09/xmldsig#rsa-sha1", safe="")
    write("authnrequest-redirect-sha1.url", url + "&SigAlg=%s&Signature=%s\n" % (sigalg, urllib.parse.quote("c2lnbmF0dXJl", safe="")))

    # -- WS-Federation: the RSTR (with the signed SAML 2.0 assertion) in wresult ------------
    rstr = read(os.path.join(HERE, "..", "signed", "wrapper-wsfed-assertion.xml")).decode()
    rstr = rstr.split("?>", 1)[1].strip() if rstr.startswith("<?xml") else rstr.strip()
    write("wsfed-wresult-post-body.txt", "wa=wsignin1.0&wresult=%s&wctx=rm%%3D0%%26id%%3Dpassive\n" % urllib.parse.quote(rstr, safe=""))

    # -- repeated parameters (HTTP parameter pollution): every value is analysed ------------
    forged = xml.replace(b">ada@acme.com</saml:NameID>", b">admin@evil.example</saml:NameID>", 1)
    assert forged != xml
    forged_b64 = base64.b64encode(forged).decode()
    q = lambda v: urllib.parse.quote(v, safe="")
    write("repeated-response-post-body.txt",
          "SAMLResponse=%s&RelayState=%s&SAMLResponse=%s\n" % (q(b64), q(relay), q(forged_b64)))
    write("repeated-autopost.html", "\n".join([
        "<html><body onload=\"document.forms[0].submit()\">",
        '<form method="post" action="%s">' % html_attr(ACS),
        '<input type="hidden" name="SAMLResponse" value="%s"/>' % html_attr(b64),
        '<input type="hidden" name="RelayState" value="%s"/>' % html_attr(relay),
        '<input type="hidden" name="RelayState" value="other"/>',
        '<input type="hidden" name="SAMLResponse" value="%s"/>' % html_attr(forged_b64),
        "</form></body></html>",
    ]) + "\n")
    write("empty.txt", b"")
    write("random.bin", stream(RANDOM_SEED, 4096))
    write("not-saml.html", "\n".join([
        "<!DOCTYPE html>",
        "<html>",
        "<head><title>Login | Salesforce</title></head>",
        "<body>",
        '<form method="post" action="https://acme.my.salesforce.com/" id="login_form">',
        '<input type="email" name="username" id="username" value=""/>',
        '<input type="password" name="pw" id="password"/>',
        '<input type="hidden" name="startURL" value="/idp/login?app=0sp5g000000ABCD"/>',
        '<input type="submit" value="Log In"/>',
        "</form>",
        "</body>",
        "</html>",
    ]) + "\n")


if __name__ == "__main__":
    main()
