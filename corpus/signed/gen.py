#!/usr/bin/env python3
"""Signed SAML corpus generator for samlscope (stdlib only + xmlsec1 + openssl).

Called by generate.sh after the keys exist. Writes xmlsec1 signature templates
to templates/, signed outputs to ./*.xml and the verdict table manifest.tsv.
Every verdict in manifest.tsv comes from actually running xmlsec1.
"""
import base64
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)
KEYS = "keys"
TPL = "templates"

# ---------------------------------------------------------------- fixed values
ISSUER = "https://acme.my.salesforce.com"
AUDIENCE = "urn:flex:JQ0123456789abcdef0123456789abcdef"
ACS = "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef"
REQ_ID = "_4f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f"
RESP_ID = "_resp7d0f5a3c2b1e4d6f8a9b0c1d2e3f4a5b"
ASRT_ID = "_asrt1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b"
EVIL_RESP_ID = "_evil0resp0000000000000000000000000000"
EVIL_ASRT_ID = "_evil0asrt0000000000000000000000000000"
INSTANT = "2026-11-20T15:04:05.123Z"
NOT_BEFORE = "2026-11-20T15:03:35.123Z"
NOT_ON_OR_AFTER = "2026-11-20T15:09:05.123Z"
NAMEID = "ada@acme.com"
NAMEID_FMT = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
ATTR_FMT = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
ATTRS = [
    ("userId", "0055g00000ABCDE"),
    ("username", "ada@acme.com"),
    ("email", "ada@acme.com"),
    ("is_portal_user", "false"),
    ("full_name", "Ada Lovelace"),
    ("roles", "agent"),
]

NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# ---------------------------------------------------------------- algorithms
C14N = {
    "exc": "http://www.w3.org/2001/10/xml-exc-c14n#",
    "exc-wc": "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "c14n10": "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "c14n10-wc": "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "c14n11": "http://www.w3.org/2006/12/xml-c14n11",
    "c14n11-wc": "http://www.w3.org/2006/12/xml-c14n11#WithComments",
}
SIGALG = {
    "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "rsa-sha224": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224",
    "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "rsa-sha384": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "rsa-sha512": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "rsa-pss-sha256": "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
    "ecdsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "ecdsa-sha384": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "ecdsa-sha512": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
}
DIGALG = {
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha224": "http://www.w3.org/2001/04/xmldsig-more#sha224",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
}
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# ---------------------------------------------------------------- helpers


def cert_b64(name):
    """Base64 body of keys/<name>.pem on one line (as it goes in X509Certificate)."""
    with open(os.path.join(KEYS, name + ".pem")) as f:
        return "".join(l.strip() for l in f if "-----" not in l)


def signature_tmpl(ref_id, prefix_list, *, key="idp", sigalg="rsa-sha256",
                   digalg="sha256", si_c14n="exc", ref_c14n="exc",
                   ds="ds", keyinfo=True, ns_decl=True, si_comment=""):
    """An xmlsec1 signature template (empty DigestValue/SignatureValue).

    ds=""  -> default-namespace Signature (no prefix).
    prefix_list=None -> no InclusiveNamespaces in the Reference transform.
    KeyInfo is pre-filled with keys/<key>.pem (xmlsec1 leaves it untouched
    because the private key is loaded without a certificate).
    """
    p = ds + ":" if ds else ""
    if ns_decl:
        decl = ' xmlns:%s="%s"' % (ds, NS_DS) if ds else ' xmlns="%s"' % NS_DS
    else:
        decl = ""
    ref_tr = '<%sTransform Algorithm="%s"' % (p, C14N[ref_c14n])
    if prefix_list is not None and ref_c14n.startswith("exc"):
        ref_tr += '><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="%s"/></%sTransform>' % (prefix_list, p)
    else:
        ref_tr += "/>"
    ki = ""
    if keyinfo:
        ki = "<{p}KeyInfo><{p}X509Data><{p}X509Certificate>{c}</{p}X509Certificate></{p}X509Data></{p}KeyInfo>".format(
            p=p, c=cert_b64(keyinfo if isinstance(keyinfo, str) else key))
    return (
        "<{p}Signature{decl}>\n<{p}SignedInfo>\n{sic}"
        '<{p}CanonicalizationMethod Algorithm="{c14n}"/>\n'
        '<{p}SignatureMethod Algorithm="{sa}"/>\n'
        '<{p}Reference URI="#{rid}">\n<{p}Transforms>\n'
        '<{p}Transform Algorithm="{env}"/>\n{reftr}\n</{p}Transforms>\n'
        '<{p}DigestMethod Algorithm="{da}"/>\n<{p}DigestValue></{p}DigestValue>\n'
        "</{p}Reference>\n</{p}SignedInfo>\n"
        "<{p}SignatureValue></{p}SignatureValue>\n{ki}\n</{p}Signature>"
    ).format(p=p, decl=decl, c14n=C14N[si_c14n], sa=SIGALG[sigalg], rid=ref_id,
             env=ENVELOPED, reftr=ref_tr, da=DIGALG[digalg], ki=ki,
             sic=si_comment + "\n" if si_comment else "")


def attribute(name, value):
    return ('<saml:Attribute Name="{n}" NameFormat="{f}">\n'
            '<saml:AttributeValue xmlns:xs="{xs}" xmlns:xsi="{xsi}" xsi:type="xs:string">{v}</saml:AttributeValue>\n'
            "</saml:Attribute>").format(n=name, f=ATTR_FMT, xs=NS_XS, xsi=NS_XSI, v=value)


def assertion(*, aid=ASRT_ID, nameid=NAMEID, attrs=ATTRS, sig="", decl_saml=True, extra=""):
    """Salesforce-shaped Assertion. sig = signature template placed after Issuer."""
    d = ' xmlns:saml="%s"' % NS_A if decl_saml else ""
    parts = [
        '<saml:Assertion{d} ID="{aid}" IssueInstant="{t}" Version="2.0">'.format(d=d, aid=aid, t=INSTANT),
        '<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">%s</saml:Issuer>' % ISSUER,
    ]
    if sig:
        parts.append(sig)
    parts += [
        "<saml:Subject>",
        '<saml:NameID Format="%s">%s</saml:NameID>' % (NAMEID_FMT, nameid),
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">',
        '<saml:SubjectConfirmationData InResponseTo="%s" NotOnOrAfter="%s" Recipient="%s"/>' % (REQ_ID, NOT_ON_OR_AFTER, ACS),
        "</saml:SubjectConfirmation>",
        "</saml:Subject>",
        '<saml:Conditions NotBefore="%s" NotOnOrAfter="%s">' % (NOT_BEFORE, NOT_ON_OR_AFTER),
        "<saml:AudienceRestriction>",
        "<saml:Audience>%s</saml:Audience>" % AUDIENCE,
        "</saml:AudienceRestriction>",
        "</saml:Conditions>",
        '<saml:AuthnStatement AuthnInstant="%s">' % INSTANT,
        "<saml:AuthnContext>",
        "<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef>",
        "</saml:AuthnContext>",
        "</saml:AuthnStatement>",
        "<saml:AttributeStatement>",
    ]
    parts += [attribute(n, v) for n, v in attrs]
    parts += ["</saml:AttributeStatement>"]
    if extra:
        parts.append(extra)
    parts += ["</saml:Assertion>"]
    return "\n".join(parts)


def response(body, *, rid=RESP_ID, sig="", xmldecl=True, extensions=""):
    """Salesforce-shaped Response around `body` (assertion text)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if xmldecl else ""
    return head + "\n".join([
        '<samlp:Response xmlns:samlp="{p}" Destination="{acs}" ID="{rid}" InResponseTo="{req}" IssueInstant="{t}" Version="2.0">'.format(
            p=NS_P, acs=ACS, rid=rid, req=REQ_ID, t=INSTANT),
        '<saml:Issuer xmlns:saml="%s" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">%s</saml:Issuer>' % (NS_A, ISSUER),
    ] + ([sig] if sig else []) + ([extensions] if extensions else []) + [
        "<samlp:Status>",
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>',
        "</samlp:Status>",
        body,
        "</samlp:Response>",
    ]) + "\n"


def resp_sig(**kw):
    return signature_tmpl(RESP_ID, "ds saml samlp xs xsi", **kw)


def asrt_sig(**kw):
    return signature_tmpl(ASRT_ID, "ds saml xs xsi", **kw)


def healthy_template(key="idp", **kw):
    return response(assertion(sig=asrt_sig(key=key, **kw)), sig=resp_sig(key=key, **kw))


ID_ATTRS = ["--id-attr:ID", NS_P + ":Response", "--id-attr:ID", NS_A + ":Assertion",
            "--id-attr:Id", NS_DS + ":Object"]
SIG_XP = "(//*[local-name()='Signature' and namespace-uri()='%s'])" % NS_DS


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def sig_count(data):
    return len(re.findall(rb"<(?:[A-Za-z_][\w.-]*:)?Signature[\s>]", data))


def xmlsec_sign(src, dst, key, xpath):
    """Sign the signature template selected by `xpath` in src with keys/<key>.key."""
    r = run(["xmlsec1", "--sign", "--privkey-pem", os.path.join(KEYS, key + ".key")] + ID_ATTRS
            + ["--node-xpath", xpath, "--output", dst, src])
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace"))
        raise SystemExit("xmlsec1 --sign failed for %s (%s)" % (src, xpath))


def write(path, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    old = None
    if os.path.exists(path):
        with open(path, "rb") as f:
            old = f.read()
    if old != data:
        with open(path, "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def sign_doc(name, template, key, order=None, keep_existing=False):
    """Write templates/<name>.xml and sign its signatures into <name>.xml.

    order: list of signature indexes (1-based, document order) to sign, in
    signing sequence. Default: innermost/last first (the Assertion signature
    before the Response signature). Returns the signed bytes.
    """
    tpath = os.path.join(TPL, name + ".xml")
    out = name + ".xml"
    tbytes = template.encode("utf-8") if isinstance(template, str) else template
    if keep_existing and os.path.exists(out) and os.path.exists(tpath) and read(tpath) == tbytes:
        return read(out)  # non-deterministic algorithm: keep previous output
    write(tpath, tbytes)
    n = sig_count(tbytes)
    if order is None:
        order = list(range(n, 0, -1))
    with tempfile.TemporaryDirectory() as td:
        cur = tpath
        for step, idx in enumerate(order):
            nxt = os.path.join(td, "step%d.xml" % step)
            xmlsec_sign(cur, nxt, key, "%s[%d]" % (SIG_XP, idx))
            cur = nxt
        data = read(cur)
    write(out, data)
    return data


# ---------------------------------------------------------------- text surgery


def span(s, start_pat, end_tag, nth=0, start=0):
    """(begin, end) of the nth non-nested element starting with regex start_pat."""
    it = list(re.finditer(start_pat, s[start:]))
    b = start + it[nth].start()
    e = s.index(end_tag, b) + len(end_tag)
    return b, e


def cut(s, start_pat, end_tag, nth=0):
    b, e = span(s, start_pat, end_tag, nth)
    return s[b:e]


def without(s, piece):
    """Remove an element's text, keeping surrounding whitespace text nodes
    (exactly what the enveloped-signature transform saw)."""
    assert s.count(piece) == 1
    return s.replace(piece, "")


SIG_RE = r"<ds:Signature[\s>]"
SIG_END = "</ds:Signature>"
ASRT_RE = r"<saml:Assertion[\s>]"
ASRT_END = "</saml:Assertion>"


def each_tag(s, fn):
    """Apply fn to every markup tag (start/end/empty, XML decl), not to text."""
    return re.sub(r"<[^!>][^>]*>", lambda m: fn(m.group(0)), s)


def single_quotes(tag):
    return re.sub(r'=\s*"([^"\']*)"', r"='\1'", tag)


def reverse_attrs(tag):
    m = re.match(r"<([\w:.-]+)((?:\s+[\w:.-]+=\"[^\"]*\")*)\s*(/?)>$", tag)
    if not m or tag.startswith("<?"):
        return tag
    attrs = re.findall(r'\s+([\w:.-]+="[^"]*")', m.group(2))
    ns = [a for a in attrs if a.startswith("xmlns")]
    other = [a for a in attrs if not a.startswith("xmlns")]
    return "<%s%s%s>" % (m.group(1), "".join(" " + a for a in ns + other[::-1]), m.group(3))


def spaced_tag(tag):
    """Legal whitespace inside a tag: newline/tab before attributes, around '='."""
    if tag.startswith("<?"):
        return tag
    if tag.startswith("</"):
        return tag[:-1] + "  >"
    tag = re.sub(r'\s+([\w:.-]+)="', r'\n\t\1 = "', tag)
    return tag[:-2] + "\n/>" if tag.endswith("/>") else tag[:-1] + "\n>"


def indent(s):
    """Indent one element per line: depth d -> d//2 tabs + (d%2)*2 spaces."""
    unit = lambda d: "\t" * (d // 2) + "  " * (d % 2)
    out, depth = [], 0
    for line in s.split("\n"):
        if line.startswith("<?xml") or not line:
            out.append(line)
            continue
        opens = len(re.findall(r"<[A-Za-z][^>]*[^/]>|<[A-Za-z][\w:.-]*>", line))
        closes = len(re.findall(r"</", line))
        net = opens - closes
        if line.startswith("</"):
            depth += net
            out.append(unit(depth) + line)
        else:
            out.append(unit(depth) + line)
            depth += net
    return "\n".join(out)


def extra_attr(name, value_xml, friendly=None):
    fn = ' FriendlyName="%s"' % friendly if friendly else ""
    return ('<saml:Attribute Name="{n}"{fn} NameFormat="{f}">\n'
            '<saml:AttributeValue xmlns:xs="{xs}" xmlns:xsi="{xsi}" xsi:type="xs:string">{v}</saml:AttributeValue>\n'
            "</saml:Attribute>").format(n=name, fn=fn, f=ATTR_FMT, xs=NS_XS, xsi=NS_XSI, v=value_xml)


def add_attr(tmpl, attr_xml):
    return tmpl.replace("</saml:AttributeStatement>", attr_xml + "\n</saml:AttributeStatement>", 1)


def b64lines(raw):
    b = base64.b64encode(raw).decode()
    return "\n".join(b[i:i + 64] for i in range(0, len(b), 64))


# ---------------------------------------------------------------- RSA-PSS by hand
# xmlsec1 1.2.37 has no RSA-PSS transform. The PSS file is made by letting
# xmlsec1 compute the References (rsa-sha256 template), then switching the
# SignatureMethod to sha256-rsa-MGF1 and signing exc-c14n(SignedInfo) with
# `openssl dgst -sha256 -sign idp.key -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
#  -sigopt rsa_mgf1_md:sha256` (RFC 6931 sha256-rsa-MGF1: salt = hash length).


def signedinfo_c14n(doc, nth):
    """Canonical form of the nth SignedInfo under exc-c14n (no PrefixList).

    Only ds is visibly used by SignedInfo (ec is declared locally), so C14N 2.0
    of the subtree with xmlns:ds moved onto it (ElementTree.canonicalize, stdlib)
    yields the same octets as exc-c14n. selftest_c14n() checks this against
    xmlsec1's own RSA PKCS#1 signatures on every run.
    """
    si = cut(doc, r"<ds:SignedInfo>", "</ds:SignedInfo>", nth)
    si = si.replace("<ds:SignedInfo>", '<ds:SignedInfo xmlns:ds="%s">' % NS_DS, 1)
    return ET.canonicalize(si).encode("utf-8")


def openssl_sign(data, key, pss):
    opts = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
            "-sigopt", "rsa_mgf1_md:sha256"] if pss else []
    r = run(["openssl", "dgst", "-sha256", "-sign", os.path.join(KEYS, key + ".key")] + opts, input=data)
    assert r.returncode == 0, r.stderr
    return r.stdout


def openssl_verify(data, sig, cert, pss):
    with tempfile.TemporaryDirectory() as td:
        pub = os.path.join(td, "pub.pem")
        sf = os.path.join(td, "sig")
        run(["openssl", "x509", "-in", os.path.join(KEYS, cert + ".pem"), "-pubkey", "-noout", "-out", pub])
        with open(sf, "wb") as f:
            f.write(sig)
        opts = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                "-sigopt", "rsa_mgf1_md:sha256"] if pss else []
        r = run(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sf] + opts, input=data)
        return r.returncode == 0


def resign_pss(doc, nth, key):
    """Switch the nth Signature to RSA-PSS and recompute its SignatureValue."""
    b, e = span(doc, SIG_RE, SIG_END, nth)
    sig = doc[b:e].replace(SIGALG["rsa-sha256"], SIGALG["rsa-pss-sha256"], 1)
    doc = doc[:b] + sig + doc[e:]
    raw = openssl_sign(signedinfo_c14n(doc, nth), key, pss=True)
    b, e = span(doc, SIG_RE, SIG_END, nth)
    sig = re.sub(r"<ds:SignatureValue>[^<]*</ds:SignatureValue>",
                 "<ds:SignatureValue>%s</ds:SignatureValue>" % b64lines(raw), doc[b:e], 1)
    return doc[:b] + sig + doc[e:]


def resign_with_uri(doc, old, new, key):
    """Rename an algorithm URI inside the only SignedInfo and recompute its RSA-SHA256 value."""
    assert doc.count(old) == 1, old
    doc = doc.replace(old, new, 1)
    raw = openssl_sign(signedinfo_c14n(doc, 0), key, pss=False)
    return re.sub(r"<ds:SignatureValue>[^<]*</ds:SignatureValue>",
                  "<ds:SignatureValue>%s</ds:SignatureValue>" % b64lines(raw), doc, 1)


def check_pkcs1(name):
    doc = read(name + ".xml").decode()
    sv = re.sub(r"\s", "", cut(doc, r"<ds:SignatureValue>", "</ds:SignatureValue>", 0)[19:-20])
    return [openssl_verify(signedinfo_c14n(doc, 0), base64.b64decode(sv), "idp", pss=False)]


def make_pss(name):
    tmpl = healthy_template(sigalg="rsa-pss-sha256")
    tpath = os.path.join(TPL, name + ".xml")
    if os.path.exists(name + ".xml") and os.path.exists(tpath) and read(tpath) == tmpl.encode():
        return  # PSS is randomised: keep the committed output
    write(tpath, tmpl)
    base = healthy_template()  # rsa-sha256 stand-in that xmlsec1 can process
    with tempfile.TemporaryDirectory() as td:
        t0, t1, t2 = (os.path.join(td, n) for n in ("t0.xml", "t1.xml", "t2.xml"))
        write(t0, base)
        xmlsec_sign(t0, t1, "idp", "%s[2]" % SIG_XP)           # Assertion refs + sig
        write(t1, resign_pss(read(t1).decode(), 1, "idp"))      # -> PSS
        xmlsec_sign(t1, t2, "idp", "%s[1]" % SIG_XP)           # Response refs + sig
        doc = resign_pss(read(t2).decode(), 0, "idp")
    write(name + ".xml", doc)


def selftest_c14n():
    """The hand c14n+openssl path must reproduce xmlsec1's own PKCS#1 signatures."""
    doc = read("salesforce-response.xml").decode()
    for nth in (0, 1):
        mine = base64.b64encode(openssl_sign(signedinfo_c14n(doc, nth), "idp", pss=False)).decode()
        theirs = re.sub(r"\s", "", cut(doc, r"<ds:SignatureValue>", "</ds:SignatureValue>", nth)[19:-20])
        assert mine == theirs, "SignedInfo c14n self-test failed"


def check_pss(name):
    doc = read(name + ".xml").decode()
    ok = []
    for nth in (0, 1):
        sv = re.sub(r"\s", "", cut(doc, r"<ds:SignatureValue>", "</ds:SignatureValue>", nth)[19:-20])
        ok.append(openssl_verify(signedinfo_c14n(doc, nth), base64.b64decode(sv), "idp", pss=True))
    return ok


# ---------------------------------------------------------------- verification

def xmlsec_verify(path, idx, mode, trusted):
    """Verify the idx-th ds:Signature (1-based, document order) of path.

    pinned:   key from keys/<trusted>.pem only; KeyInfo ignored
              (--enabled-key-data key-name disables X509Data/KeyValue reading).
    embedded: key only from the KeyInfo X509Certificate, cert not checked (--insecure).
    strict:   key from KeyInfo X509Certificate, which must chain to keys/<trusted>.pem
              and be valid at the response's IssueInstant.
    Returns OK, FAIL (xmlsec1 computed a mismatch) or ERROR (xmlsec1 could not
    process the signature: unresolved URI, unsupported algorithm, no key, ...).
    """
    cmd = ["xmlsec1", "--verify"]
    if mode == "pinned":
        cmd += ["--enabled-key-data", "key-name", "--pubkey-cert-pem", os.path.join(KEYS, trusted + ".pem")]
    elif mode == "embedded":
        cmd += ["--enabled-key-data", "x509", "--insecure"]
    else:
        cmd += ["--enabled-key-data", "x509", "--trusted-pem", os.path.join(KEYS, trusted + ".pem"),
                "--verification-gmt-time", "2026-11-20 15:04:05"]
    cmd += ID_ATTRS + ["--node-xpath", "%s[%d]" % (SIG_XP, idx), path]
    r = run(cmd)
    err = r.stderr.decode(errors="replace")
    if r.returncode == 0 and re.search(r"^OK$", err, re.M):
        return "OK"
    if re.search(r"^FAIL$", err, re.M):
        return "FAIL"
    for pat, why in (("duplicate ID", "duplicate-id"), ("FindByHref", "unsupported-algorithm"),
                     ("xmlXPtrEval", "unresolved-uri"), ("unexpected node|invalid node", "bad-structure"),
                     ("certificate has expired", "cert-expired"), ("certificate verification failed", "cert-untrusted"),
                     ("key is not found", "no-key")):
        if re.search(pat, err):
            return "ERROR(%s)" % why
    return "ERROR"


def signature_paths(path):
    """Element path of every ds:Signature, document order (e.g. /Response/Assertion/Signature)."""
    data = read(path)
    paths, stack = [], []
    for ev, el in ET.iterparse(__import__("io").BytesIO(data), events=("start", "end")):
        if ev == "start":
            stack.append(el.tag.split("}")[-1])
            if el.tag == "{%s}Signature" % NS_DS:
                paths.append("/" + "/".join(stack))
        else:
            stack.pop()
    return paths


def labels(paths):
    names = [p.split("/")[-2] for p in paths]
    out, seen = [], {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if names.count(n) == 1 else "%s#%d" % (n, seen[n]))
    return out


# ---------------------------------------------------------------- catalogue

ENTRIES = []  # (file, purpose, signed_with, trusted, expect list|None, findings)


def add(name, purpose, signed_with, expect=None, findings="", trusted="idp"):
    ENTRIES.append((name + ".xml", purpose, signed_with, trusted, expect, findings))


VV = ["valid", "valid"]
EVIL_NAMEID = "admin@evil.example"
EVIL_ATTRS = [(n, {"username": EVIL_NAMEID, "email": EVIL_NAMEID, "roles": "admin"}.get(n, v)) for n, v in ATTRS]


def evil_assertion(aid=EVIL_ASRT_ID, **kw):
    return assertion(aid=aid, nameid=EVIL_NAMEID, attrs=EVIL_ATTRS, **kw)


def build():
    os.makedirs(TPL, exist_ok=True)

    # -- healthy ----------------------------------------------------------------
    S = sign_doc("salesforce-response", healthy_template(), "idp").decode()
    selftest_c14n()
    add("salesforce-response", "healthy Salesforce response; Response and Assertion signed (exc-c14n, rsa-sha256, sha256)", "idp.key", VV)
    A = sign_doc("salesforce-assertion-signed", response(assertion(sig=asrt_sig())), "idp").decode()
    add("salesforce-assertion-signed", "healthy; only the Assertion is signed (Response unsigned)", "idp.key", ["valid"])
    sign_doc("salesforce-response-signed", response(assertion(), sig=resp_sig()), "idp")
    add("salesforce-response-signed", "healthy; only the Response is signed (Assertion unsigned)", "idp.key", ["valid"])

    # -- algorithms ---------------------------------------------------------------
    for alg in ("rsa-sha1", "rsa-sha224", "rsa-sha256", "rsa-sha384", "rsa-sha512"):
        sign_doc("sigalg-" + alg, healthy_template(sigalg=alg), "idp")
        add("sigalg-" + alg, "SignatureMethod %s on both signatures" % SIGALG[alg], "idp.key", VV,
            "weak-algorithm" if alg == "rsa-sha1" else "")
    make_pss("sigalg-rsa-pss-sha256")
    add("sigalg-rsa-pss-sha256", "SignatureMethod %s (RSASSA-PSS, MGF1-SHA256, salt 32) on both signatures; "
        "signed by openssl (xmlsec1 1.2.37 has no PSS), randomised: kept unless its template changes" % SIGALG["rsa-pss-sha256"],
        "idp.key", VV, "", "idp")
    for alg, key in (("ecdsa-sha256", "ec256"), ("ecdsa-sha384", "ec384"), ("ecdsa-sha512", "ec521")):
        sign_doc("sigalg-" + alg, healthy_template(key=key, sigalg=alg), key, keep_existing=True)
        add("sigalg-" + alg, "SignatureMethod %s, key %s; randomised: kept unless its template changes" % (SIGALG[alg], key),
            key + ".key", VV, "", key)
    for d in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        sign_doc("digest-" + d, healthy_template(digalg=d), "idp")
        add("digest-" + d, "DigestMethod %s on both References (rsa-sha256)" % DIGALG[d], "idp.key", VV,
            "weak-algorithm" if d == "sha1" else "")
    for c in C14N:
        t = healthy_template(ref_c14n=c).replace("</saml:Subject>", "<!-- comment in signed content -->\n</saml:Subject>")
        sign_doc("c14n-ref-" + c, t, "idp")
        add("c14n-ref-" + c, "Reference transform %s (SignedInfo exc-c14n); comment inside Subject "
            "(a bare-name #ID reference drops comments even for #WithComments)" % C14N[c], "idp.key", VV)
        t = healthy_template(si_c14n=c, si_comment="<!-- comment in SignedInfo -->")
        sign_doc("c14n-si-" + c, t, "idp")
        add("c14n-si-" + c, "SignedInfo CanonicalizationMethod %s (Reference exc-c14n); comment inside SignedInfo" % C14N[c], "idp.key", VV)

    # -- tricky but legal ------------------------------------------------------------
    def legal(name, purpose, tmpl, post=None, key="idp"):
        data = sign_doc(name, tmpl, key)
        if post:
            data = post(data)
            write(name + ".xml", data)
        add(name, purpose, key + ".key", VV)

    t = healthy_template()
    t = t.replace("<saml:Subject>", '<saml:Subject xmlns:saml="%s">' % NS_A)
    t = t.replace("<saml:Conditions ", '<saml:Conditions xmlns:ds="urn:example:not-dsig" ')
    t = t.replace('<saml:Attribute Name="userId"', '<saml:Attribute xmlns:xs="urn:example:not-xmlschema" Name="userId"')
    t = t.replace('<saml:NameID Format="%s">%s</saml:NameID>' % (NAMEID_FMT, NAMEID),
                  '<a:NameID xmlns:a="%s" Format="%s">%s</a:NameID>' % (NS_A, NAMEID_FMT, NAMEID))
    t = t.replace("<ds:SignedInfo>", '<ds:SignedInfo xmlns:ds="%s">' % NS_DS)
    legal("legal-prefix-redeclared", "prefixes redeclared on inner elements (saml on Subject, ds on SignedInfo), "
          "NameID under prefix a:, ds rebound to urn:example:not-dsig on Conditions, xs rebound on an Attribute", t)

    t = healthy_template().replace("ds saml samlp xs xsi", "#default xs xsi").replace("ds saml xs xsi", "#default xs xsi")
    t = re.sub(r"<(/?)(?:samlp|saml|ds):", r"<\1", t)
    t = re.sub(r"xmlns:(?:samlp|saml|ds)=", "xmlns=", t)
    legal("legal-default-ns", "no prefixes: default namespaces on Response, Issuer, Assertion and Signature "
          "(PrefixList \"#default xs xsi\")", t)

    legal("legal-default-ns-signature", "Salesforce shape but <Signature xmlns=\"%s\"> without prefix" % NS_DS,
          healthy_template(ds=""))

    legal("legal-attr-order-quotes", "attributes in reverse order and every attribute single-quoted",
          each_tag(healthy_template(), reverse_attrs),
          post=lambda d: each_tag(d.decode(), single_quotes).encode())

    t = indent(add_attr(healthy_template(), extra_attr("note", "  two  spaces\tand a tab  ")))
    legal("legal-whitespace-crlf", "indentation (spaces+tabs) in signed content, newlines/tabs and spaces "
          "around '=' inside tags, CRLF line ends, extra attribute 'note' with inner spaces/tab",
          t, post=lambda d: each_tag(d.decode(), spaced_tag).replace("\n", "\r\n").encode())

    t = add_attr(healthy_template(), extra_attr("display_name", "caf&#233; &#x20AC;5&#13;", friendly="caf&#233;"))
    legal("legal-charrefs", "character references &#233; &#x20AC; &#13; in a value and &#233; in FriendlyName",
          t, post=lambda d: d.decode().replace("\u00e9", "&#233;").replace("\u20ac", "&#x20AC;").encode())

    t = healthy_template().replace(">Ada Lovelace<", "><![CDATA[Ada Lovelace]]><")
    t = t.replace(">0055g00000ABCDE<", ">0055g<![CDATA[00000]]>ABCDE<")
    t = add_attr(t, extra_attr("display_name", "<![CDATA[<b>Ada</b> & co]]>"))
    data = sign_doc("legal-cdata", t, "idp")
    add("legal-cdata", "CDATA sections: whole full_name value, middle of userId value (0055g<![CDATA[00000]]>ABCDE: "
        "a non-coalescing DOM reads '0055g', so comment-injection), markup-looking display_name", "idp.key", VV, "comment-injection")

    def commented(tmpl):
        tmpl = tmpl.replace("<saml:Subject>", "<saml:Subject>\n<!-- subject -->")
        tmpl = tmpl.replace("<samlp:Status>", "<!-- status follows -->\n<samlp:Status>")
        tmpl = tmpl.replace("</saml:AttributeStatement>", "<!--last attribute above-->\n</saml:AttributeStatement>")
        return tmpl
    legal("legal-comments-exc", "comments between signed elements, exc-c14n without comments", commented(healthy_template()))
    legal("legal-comments-exc-withcomments", "comments between signed elements and inside SignedInfo, "
          "exc-c14n#WithComments as CanonicalizationMethod and Reference transform",
          commented(healthy_template(si_c14n="exc-wc", ref_c14n="exc-wc", si_comment="<!-- comment in SignedInfo -->")))

    t = healthy_template().replace('<samlp:Response ', '<samlp:Response xml:space="preserve" ', 1)
    t = t.replace('xsi:type="xs:string">Ada Lovelace<', 'xsi:type="xs:string" xml:space="preserve">Ada Lovelace<')
    legal("legal-xml-space", "xml:space=\"preserve\" on the Response and on an AttributeValue", t)

    t = healthy_template().replace('<samlp:Response ', '<samlp:Response xml:lang="en-US" ', 1)
    t = t.replace('<saml:Assertion ', '<saml:Assertion xml:lang="en" ', 1)
    legal("legal-xml-lang", "xml:lang on the Response (not inherited under exc-c14n) and on the Assertion", t)
    for c in ("c14n10", "c14n11"):
        t = healthy_template(ref_c14n=c).replace('<samlp:Response ', '<samlp:Response xml:lang="en-US" xml:space="preserve" ', 1)
        legal("legal-xml-attrs-inherited-" + c, "xml:lang/xml:space only on the Response; Reference transform %s "
              "so the Assertion's canonical form inherits them" % C14N[c], t)

    t = add_attr(healthy_template(), extra_attr("display_name", "caf\u00e9"))
    t = t.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1).encode("iso-8859-1")
    legal("legal-encoding-latin1", "XML declaration encoding=\"ISO-8859-1\", display_name 'caf\u00e9' stored as byte 0xE9", t)
    legal("legal-no-xmldecl", "no XML declaration", healthy_template(),
          post=lambda d: re.sub(rb"^<\?xml[^>]*\?>\n", b"", d))
    legal("legal-bom", "UTF-8 byte order mark before the XML declaration", healthy_template(),
          post=lambda d: b"\xef\xbb\xbf" + d)

    t = healthy_template().replace('<samlp:Response ', '<samlp:Response xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" '
                                   'xmlns:foo="urn:example:unused" xmlns:xs="%s" xmlns:xsi="%s" ' % (NS_XS, NS_XSI), 1)
    t = t.replace('<saml:Assertion ', '<saml:Assertion xmlns:bar="urn:example:unused-too" ', 1)
    legal("legal-unused-ns", "unused namespace declarations on the Response (xenc, foo, xs, xsi) and Assertion (bar)", t)

    t = healthy_template()
    t = t.replace(' xmlns:saml="%s"' % NS_A, "").replace(' xmlns:ds="%s"' % NS_DS, "")
    t = t.replace(' xmlns:xs="%s" xmlns:xsi="%s"' % (NS_XS, NS_XSI), "")
    t = t.replace('<samlp:Response ', '<samlp:Response xmlns:saml="%s" xmlns:ds="%s" xmlns:xs="%s" xmlns:xsi="%s" '
                  % (NS_A, NS_DS, NS_XS, NS_XSI), 1)
    legal("legal-ns-on-root", "saml, ds, xs, xsi declared only on the Response root and used deep down", t)

    # -- tampered ------------------------------------------------------------------------
    def tampered(name, purpose, data, expect, findings="signature-invalid", signed_with="idp.key", trusted="idp"):
        write(name + ".xml", data)
        add(name, purpose, signed_with, expect, findings, trusted)

    tampered("tamper-nameid-byte", "salesforce-response.xml with NameID ada@ -> adb@",
             S.replace(">ada@acme.com</saml:NameID>", ">adb@acme.com</saml:NameID>"), ["invalid", "invalid"])
    tampered("tamper-attr-roles", "salesforce-response.xml with roles agent -> admin",
             S.replace('xsi:type="xs:string">agent<', 'xsi:type="xs:string">admin<'), ["invalid", "invalid"])
    dv = cut(S, r"<ds:DigestValue>", "</ds:DigestValue>", 0)
    dv2 = dv[:16] + ("B" if dv[16] != "B" else "C") + dv[17:]
    tampered("tamper-digestvalue", "salesforce-response.xml with one character of the Response DigestValue changed",
             S.replace(dv, dv2, 1), ["invalid", "valid"])
    sv = cut(S, r"<ds:SignatureValue>", "</ds:SignatureValue>", 0)
    tampered("tamper-signaturevalue-truncated", "salesforce-response.xml with the Response SignatureValue cut to 192 base64 chars",
             S.replace(sv, "<ds:SignatureValue>" + sv[19:19 + 194] + "</ds:SignatureValue>", 1), ["invalid", "valid"])
    sign_doc("wrongkey-idp-cert", healthy_template(key="other", keyinfo="idp"), "other")
    add("wrongkey-idp-cert", "signed with other.key but KeyInfo carries idp.pem", "other.key", ["invalid", "invalid"], "signature-invalid")
    sign_doc("cert-mismatch", healthy_template(key="other"), "other")
    add("cert-mismatch", "signed with other.key, KeyInfo carries other.pem: valid against the embedded cert, "
        "invalid against idp.pem (wrong certificate pasted in Flex)", "other.key", ["invalid", "invalid"], "cert-mismatch")
    sign_doc("wrongkey-no-keyinfo", healthy_template(key="other", keyinfo=False), "other")
    add("wrongkey-no-keyinfo", "signed with other.key, no KeyInfo", "other.key", ["invalid", "invalid"], "signature-invalid")
    tampered("tamper-ref-missing-id", "salesforce-response.xml with the Response Reference URI changed to #_missing",
             S.replace('URI="#%s"' % RESP_ID, 'URI="#_missing"', 1), ["invalid", "valid"])
    tampered("tamper-two-signaturevalue", "salesforce-response.xml with the Response SignatureValue element duplicated",
             S.replace(sv, sv + "\n" + sv, 1), ["invalid", "valid"])
    si = cut(S, r"<ds:SignedInfo>", "</ds:SignedInfo>", 0)
    tampered("tamper-two-signedinfo", "salesforce-response.xml with the Response SignedInfo element duplicated",
             S.replace(si, si + "\n" + si, 1), ["invalid", "valid"])
    tampered("unsigned", "Salesforce-shaped response without any Signature", response(assertion()), [], "unsigned", "-")
    # Algorithm URIs seen in the wild that no specification defines: SHA-256 named in the
    # xmldsig-more namespace, RSA-SHA256 in the xmldsig namespace.
    one = sign_doc("nonstandard-base", response(assertion(sig=asrt_sig())), "idp").decode()
    os.remove("nonstandard-base.xml")
    os.remove(os.path.join(TPL, "nonstandard-base.xml"))
    write("nonstandard-digest-uri.xml", resign_with_uri(one, 'DigestMethod Algorithm="%s"' % DIGALG["sha256"],
                                                        'DigestMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#sha256"', "idp"))
    add("nonstandard-digest-uri", "only the Assertion signed; DigestMethod SHA-256 named http://www.w3.org/2001/04/xmldsig-more#sha256 "
        "(not in any specification), SignedInfo re-signed with openssl (xmlsec1 refuses the URI)", "idp.key", ["valid"],
        "algorithm-nonstandard")
    write("nonstandard-signature-uri.xml", resign_with_uri(one, SIGALG["rsa-sha256"], "http://www.w3.org/2000/09/xmldsig#rsa-sha256", "idp"))
    add("nonstandard-signature-uri", "only the Assertion signed; SignatureMethod RSA-SHA256 named "
        "http://www.w3.org/2000/09/xmldsig#rsa-sha256 (not in any specification), re-signed with openssl", "idp.key", ["valid"],
        "algorithm-nonstandard")
    sign_doc("keyinfo-other-cert", healthy_template(keyinfo="other"), "idp")
    add("keyinfo-other-cert", "signed with idp.key (valid against the configured idp.pem) but KeyInfo carries other.pem",
        "idp.key", VV, "keyinfo-mismatch")
    kdata = sign_doc("keyinfo-unreadable", healthy_template(), "idp").decode()
    kcert = cut(kdata, r"<ds:X509Certificate>", "</ds:X509Certificate>", 1)
    write("keyinfo-unreadable.xml", kdata.replace(kcert, "<ds:X509Certificate>AAAAnotacertificate</ds:X509Certificate>", 1))
    add("keyinfo-unreadable", "signed with idp.key; the Assertion signature's KeyInfo certificate replaced by garbage "
        "after signing (KeyInfo is not signed)", "idp.key", VV, "keyinfo-mismatch")
    sign_doc("weak-key-rsa1024", healthy_template(key="weak1024"), "weak1024")
    add("weak-key-rsa1024", "signed with a 1024-bit RSA key (weak1024.key, KeyInfo weak1024.pem); the configured cert is "
        "weak1024.pem", "weak1024.key", VV, "weak-algorithm", "weak1024")
    sign_doc("expired-cert", healthy_template(key="expired"), "expired")
    add("expired-cert", "signed with expired.key, KeyInfo expired.pem (valid 2023-01-01..2024-01-01); "
        "the configured cert is expired.pem", "expired.key", VV, "cert-expired", "expired")

    # -- attacks ----------------------------------------------------------------------------
    rb, re_ = span(S, r"<samlp:Response[\s>]", "</samlp:Response>")
    r_sig = cut(S, SIG_RE, SIG_END, 0)
    orig_resp_nosig = without(S[rb:re_], r_sig)
    evil_start = re.search(r"<samlp:Response[^>]*>", S).group(0).replace(RESP_ID, EVIL_RESP_ID)
    issuer = cut(S, r"<saml:Issuer xmlns", "</saml:Issuer>")
    status = cut(S, r"<samlp:Status>", "</samlp:Status>")
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ev = evil_assertion()

    def attack(name, purpose, doc, findings="signature-wrapping", signed_with="idp.key"):
        write(name + ".xml", doc)
        add(name, purpose, signed_with, None, findings)

    attack("xsw1", "XSW1: evil root Response (new ID, evil assertion); original Response (without its Signature) "
           "moved inside the Response Signature as its last child",
           decl + "\n".join([evil_start, issuer, r_sig[:-len(SIG_END)] + orig_resp_nosig + "\n" + SIG_END,
                             status, ev, "</samlp:Response>"]) + "\n")
    attack("xsw2", "XSW2: evil root Response; original Response (without Signature) inserted before the "
           "Signature as a sibling (detached signature)",
           decl + "\n".join([evil_start, issuer, orig_resp_nosig, r_sig, status, ev, "</samlp:Response>"]) + "\n")

    a_asrt = cut(A, ASRT_RE, ASRT_END)
    a_sig = cut(A, SIG_RE, SIG_END)
    a_nosig = without(a_asrt, a_sig)
    attack("xsw3", "XSW3: evil Assertion inserted before the original signed Assertion (siblings)",
           response(ev + "\n" + a_asrt))
    attack("xsw4", "XSW4: original signed Assertion as last child of the evil Assertion",
           response(ev[:-len(ASRT_END)] + a_asrt + "\n" + ASRT_END))
    attack("xsw5", "XSW5: evil Assertion carries the original Signature; original Assertion (without Signature) "
           "appended at the end of the Response", response(evil_assertion(sig=a_sig) + "\n" + a_nosig))
    attack("xsw6", "XSW6: evil Assertion carries the original Signature, which contains the original Assertion "
           "(without Signature)", response(evil_assertion(sig=a_sig[:-len(SIG_END)] + a_nosig + "\n" + SIG_END)))
    attack("xsw7", "XSW7: original signed Assertion inside samlp:Extensions; evil Assertion in its place",
           response(ev, extensions="<samlp:Extensions>\n" + a_asrt + "\n</samlp:Extensions>"))
    attack("xsw8", "XSW8: evil Assertion carries the original Signature with a ds:Object holding the original "
           "Assertion (without Signature)",
           response(evil_assertion(sig=a_sig[:-len(SIG_END)] + "<ds:Object>" + a_nosig + "</ds:Object>\n" + SIG_END)))
    attack("xsw-advice", "original signed Assertion inside saml:Advice of the evil Assertion",
           response(ev.replace("</saml:Conditions>", "</saml:Conditions>\n<saml:Advice>\n" + a_asrt + "\n</saml:Advice>", 1)))
    attack("dup-id-evil-first", "duplicate ID: evil Assertion with the original Assertion's ID placed before the signed original",
           response(evil_assertion(aid=ASRT_ID) + "\n" + a_asrt))
    attack("dup-id-evil-last", "duplicate ID: evil Assertion with the original Assertion's ID placed after the signed original",
           response(a_asrt + "\n" + evil_assertion(aid=ASRT_ID)))

    sign_doc("comment-nameid", healthy_template().replace(">ada@acme.com</saml:NameID>", ">ada@acme.com<!---->.evil.com</saml:NameID>"), "idp")
    add("comment-nameid", "NameID ada@acme.com<!---->.evil.com signed validly after inserting the comment "
        "(first text node 'ada@acme.com', full text 'ada@acme.com.evil.com')", "idp.key", VV, "comment-injection")
    sign_doc("comment-attribute", healthy_template().replace('xsi:type="xs:string">agent<', 'xsi:type="xs:string">admin<!---->.disabled<'), "idp")
    add("comment-attribute", "roles value admin<!---->.disabled signed validly after inserting the comment "
        "(first text node 'admin', full text 'admin.disabled')", "idp.key", VV, "comment-injection")
    sign_doc("pi-nameid", healthy_template().replace(">ada@acme.com</saml:NameID>", ">ada@acme.com<?evil split?>.evil.com</saml:NameID>"), "idp")
    add("pi-nameid", "NameID ada@acme.com<?evil split?>.evil.com (processing instruction is signed content)",
        "idp.key", VV, "comment-injection")

    # -- one trust path: any document element ------------------------------------------------
    # The genuine signed Response (S) and Assertion (a_asrt) reused inside other document
    # elements, next to the evil assertion (ev). See tests/signed_corpus.rs.
    resp_el = S[rb:re_]
    soap_ns = "http://schemas.xmlsoap.org/soap/envelope/"
    wst_ns = "http://docs.oasis-open.org/ws-sx/ws-trust/200512"

    def soap(body, header=""):
        return decl + '<soap:Envelope xmlns:soap="%s">%s<soap:Body>\n%s\n</soap:Body></soap:Envelope>\n' % (
            soap_ns, "<soap:Header>\n%s\n</soap:Header>" % header if header else "", body)

    def rstr(token):
        return decl + ('<t:RequestSecurityTokenResponseCollection xmlns:t="%s"><t:RequestSecurityTokenResponse>'
                       "<t:RequestedSecurityToken>\n%s\n</t:RequestedSecurityToken></t:RequestSecurityTokenResponse>"
                       "</t:RequestSecurityTokenResponseCollection>\n") % (wst_ns, token)

    def root(local, ns, body, attrs=""):
        return decl + '<samlp:%s xmlns:samlp="%s" ID="_root0" Version="2.0" IssueInstant="%s"%s>\n%s\n</samlp:%s>\n' % (
            local, ns, INSTANT, attrs, body, local)

    success = '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    artifact = ('<samlp:ArtifactResponse xmlns:samlp="%s" ID="_art0" InResponseTo="_artresolve0" IssueInstant="%s" Version="2.0">\n'
                '<saml:Issuer xmlns:saml="%s">%s</saml:Issuer>\n%s\n%s\n</samlp:ArtifactResponse>') % (NS_P, INSTANT, NS_A, ISSUER, success, resp_el)
    attack("wrapper-soap-response", "healthy: the signed Response in a SOAP Body (SOAP binding / ECP shape)", soap(resp_el), "")
    attack("wrapper-soap-artifact", "healthy: SOAP Body > unsigned ArtifactResponse > the signed Response", soap(artifact), "")
    attack("wrapper-wsfed-assertion", "healthy: WS-Trust RSTR collection > RequestedSecurityToken > the signed Assertion "
           "(WS-Federation wresult shape)", rstr(a_asrt), "")
    attack("root-assertion-signed", "healthy: the signed Assertion alone as the document element", decl + a_asrt + "\n", "")
    ecp_header = ('<ecp:Response xmlns:ecp="urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp" soap:mustUnderstand="1" '
                  'soap:actor="http://schemas.xmlsoap.org/soap/actor/next" AssertionConsumerServiceURL="%s"/>' % ACS.replace("&", "&amp;"))
    attack("wrapper-ecp-paos", "healthy: ECP (PAOS) SOAP envelope, ecp:Response header, the signed Response in the Body",
           soap(resp_el, header=ecp_header), "")
    enc = ('<saml:EncryptedAssertion xmlns:saml="%s"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" '
           'Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>'
           '<xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>' % NS_A)
    attack("root-encrypted-assertion", "a bare EncryptedAssertion (content not decrypted)", decl + enc + "\n", "encrypted-assertion")
    artifact_enc = artifact.replace(resp_el, response(enc, xmldecl=False).strip())
    attack("wrapper-soap-artifact-encrypted", "SOAP Body > ArtifactResponse > an unsigned Response carrying an EncryptedAssertion",
           soap(artifact_enc), "encrypted-assertion")
    attack("root-assertion-unsigned", "the evil Assertion alone as the document element, unsigned", decl + ev + "\n", "unsigned")
    attack("root-assertion-advice", "the evil Assertion as the document element, the genuine signed Assertion inside its Advice",
           decl + ev.replace("</saml:Conditions>", "</saml:Conditions>\n<saml:Advice>\n" + a_asrt + "\n</saml:Advice>", 1) + "\n")
    attack("wrapper-soap-forged-first", "SOAP Body: the evil unsigned Assertion, then the genuine signed one", soap(ev + "\n" + a_asrt))
    attack("wrapper-soap-header-forged", "the signed Response in the SOAP Body, the evil unsigned Assertion in the SOAP Header",
           soap(resp_el, header=ev))
    attack("wrapper-wsfed-forged-first", "WS-Trust RequestedSecurityToken: the evil Assertion before the genuine signed one", rstr(ev + "\n" + a_asrt))
    attack("root-saml1-protocol", "samlp:Response whose prefix is bound to the SAML 1.x protocol namespace, carrying the evil "
           "and the genuine signed Assertion", root("Response", "urn:oasis:names:tc:SAML:1.0:protocol", ev + "\n" + a_asrt),
           "message-unknown,assertion-unexpected")
    attack("root-foreign", "an unknown document element carrying the evil and the genuine signed Assertion",
           decl + '<x:Bundle xmlns:x="urn:example:bundle">\n%s\n%s\n</x:Bundle>\n' % (ev, a_asrt), "message-unknown,assertion-unexpected")
    attack("root-logoutresponse-assertion", "a LogoutResponse carrying the genuine signed Assertion",
           root("LogoutResponse", NS_P, success + "\n" + a_asrt), "assertion-unexpected")
    attack("root-authnrequest-assertion", "an AuthnRequest carrying the evil Assertion", root("AuthnRequest", NS_P, ev), "assertion-unexpected")

    # -- a successful Response without a SAML 2.0 assertion, and look-alike namespaces -----------
    saml1_ev = ev.replace('xmlns:saml="%s"' % NS_A, 'xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"', 1)
    attack("success-no-assertion", "a Success Response without any assertion, unsigned", response(""), "assertion-missing")
    attack("success-saml1-assertion-only", "a Success Response whose only Assertion is in the SAML 1.x namespace",
           response(saml1_ev), "assertion-missing,assertion-lookalike")
    for tag, ns in (("suffix", NS_A + ":evil"), ("case", NS_A.replace("assertion", "Assertion")),
                    ("foreign", "http://evil.example/ns")):
        attack("lookalike-%s-first" % tag, "an Assertion in namespace %s (evil) before the genuine signed Assertion" % ns,
               response(ev.replace('xmlns:saml="%s"' % NS_A, 'xmlns:saml="%s"' % ns, 1) + "\n" + a_asrt), "assertion-lookalike")
    nons = re.sub(r"<(/?)saml:", r"<\1", ev).replace(' xmlns:saml="%s"' % NS_A, "", 1)
    attack("lookalike-nons-first", "the evil Assertion without any namespace before the genuine signed Assertion",
           response(nons + "\n" + a_asrt), "assertion-lookalike")

    # -- forged assertion content outside any assertion ------------------------------------------
    # //saml:NameID[1] readers take the first NameID in the document, wherever it sits.
    evil_nameid = '<saml:NameID xmlns:saml="%s">%s</saml:NameID>' % (NS_A, EVIL_NAMEID)
    evil_subject = cut(ev, r"<saml:Subject>", "</saml:Subject>").replace("<saml:Subject>", '<saml:Subject xmlns:saml="%s">' % NS_A, 1)
    attack("loose-nameid-in-extensions", "a forged saml:NameID in samlp:Extensions before the genuine signed Assertion",
           response(a_asrt, extensions="<samlp:Extensions>%s</samlp:Extensions>" % evil_nameid))
    status_detail = status.replace("</samlp:Status>", "<samlp:StatusDetail>%s</samlp:StatusDetail></samlp:Status>" % evil_subject)
    attack("loose-subject-in-statusdetail", "a forged saml:Subject in samlp:StatusDetail of the fully signed Response "
           "(the Response signature breaks; the Assertion's holds)", S.replace(status, status_detail, 1))
    attack("loose-nameid-in-soap-header", "the fully signed Response in a SOAP Body, a forged saml:NameID in the SOAP Header",
           soap(resp_el, header=evil_nameid))
    wsfed_applies = rstr(a_asrt).replace("<t:RequestedSecurityToken>",
                                         '<wsp:AppliesTo xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy">%s</wsp:AppliesTo><t:RequestedSecurityToken>' % evil_nameid, 1)
    attack("loose-nameid-in-wsfed-appliesto", "WS-Trust RSTR: a forged saml:NameID in wsp:AppliesTo before the signed Assertion", wsfed_applies)

    # -- comment and CDATA splits in what a service provider compares -----------------------------
    sign_doc("comment-audience", healthy_template().replace(">%s</saml:Audience>" % AUDIENCE, ">%s<!---->.evil</saml:Audience>" % AUDIENCE[:13], 1), "idp")
    add("comment-audience", "Audience split by a comment (a first-text-node reader compares a truncated audience)", "idp.key", VV, "comment-injection")
    sign_doc("cdata-issuer", healthy_template().replace(">%s</saml:Issuer>\n<ds:Signature" % ISSUER, "><![CDATA[%s]]>.evil.example</saml:Issuer>\n<ds:Signature" % ISSUER, 1), "idp")
    add("cdata-issuer", "the Assertion's Issuer split by a CDATA section", "idp.key", VV, "comment-injection")

    # -- forged SAML content inside the consumed assertion's own signature -----------------------
    # The enveloped transform removes the whole ds:Signature: what sits in it is never signed,
    # while readers that search by name (//saml:NameID[1]) find it before the real Subject.
    subject = cut(ev, r"<saml:Subject>", "</saml:Subject>")
    for tag, where, piece in (("object", "</ds:Signature>", "<ds:Object>%s</ds:Object>\n</ds:Signature>" % ev),
                              ("keyinfo", "</ds:KeyInfo>", "%s\n</ds:KeyInfo>" % ev),
                              ("object-nameid", "</ds:Signature>", "<ds:Object>%s</ds:Object>\n</ds:Signature>" % subject)):
        hidden = a_asrt.replace(where, piece, 1)
        assert hidden != a_asrt
        attack("hidden-in-own-signature-" + tag, "the evil %s inside the genuine Assertion's own ds:Signature (%s)"
               % ("Subject" if "nameid" in tag else "Assertion", "ds:KeyInfo" if tag == "keyinfo" else "ds:Object"),
               response(hidden))

    # -- several assertions, Advice ------------------------------------------------------------
    asrt2 = "_asrt2f0e1d2c3b4a5968778695a4b3c2d1e0f9"
    two = assertion(sig=asrt_sig()) + "\n" + assertion(aid=asrt2, sig=signature_tmpl(asrt2, "ds saml xs xsi"))
    sign_doc("two-signed-assertions", response(two), "idp")
    add("two-signed-assertions", "two Assertions, each signed validly by the IdP (legal; many SPs accept one)", "idp.key",
        ["valid", "valid"], "multiple-assertions")
    sign_doc("response-signed-two-assertions", response(assertion() + "\n" + assertion(aid=asrt2), sig=resp_sig()), "idp")
    add("response-signed-two-assertions", "the Response signed, carrying two unsigned Assertions", "idp.key", ["valid"],
        "multiple-assertions")
    nested = "_nested9a8b7c6d5e4f30211f2e3d4c5b6a798"
    for tag, nsig in (("signed", signature_tmpl(nested, "ds saml xs xsi")), ("unsigned", "")):
        adv = "<saml:Advice>\n%s\n</saml:Advice>" % assertion(aid=nested, nameid="advice@acme.com", sig=nsig)
        t = response(assertion(sig=asrt_sig()).replace("</saml:Conditions>", "</saml:Conditions>\n" + adv, 1), sig=resp_sig())
        sign_doc("advice-nested-" + tag, t, "idp")
        add("advice-nested-" + tag, "healthy: Response and Assertion signed; the Assertion's Advice holds a nested %s "
            "Assertion (legal, not wrapping)" % tag, "idp.key", VV + (["valid"] if nsig else []))

    # -- text split by CDATA and references (CVE-2017-11428 family beyond comments) ----------------
    sign_doc("cdata-nameid", healthy_template().replace(">ada@acme.com</saml:NameID>", ">ada@acme.com<![CDATA[.evil.com]]></saml:NameID>"), "idp")
    add("cdata-nameid", "NameID ada@acme.com<![CDATA[.evil.com]]> signed validly (a non-coalescing DOM reads 'ada@acme.com')",
        "idp.key", VV, "comment-injection")
    sign_doc("cdata-attribute", healthy_template().replace('xsi:type="xs:string">ada@acme.com<', 'xsi:type="xs:string">ada@acme.com<![CDATA[.evil.com]]><', 1), "idp")
    add("cdata-attribute", "first email-like value ada@acme.com<![CDATA[.evil.com]]> signed validly", "idp.key", VV, "comment-injection")
    data = sign_doc("charref-nameid", healthy_template().replace(">ada@acme.com</saml:NameID>", ">ada@acme.com.evil.com</saml:NameID>"), "idp")
    write("charref-nameid.xml", data.replace(b">ada@acme.com.evil.com<", b">ada@acme.com&#46;evil.com<"))
    add("charref-nameid", "NameID ada@acme.com&#46;evil.com (character reference written back after signing; a streaming "
        "reader that stops at it sees 'ada@acme.com'): a warning", "idp.key", VV, "comment-injection")

    # -- a valid signature over something no service provider reads -----------------------------
    obj_sig = resp_sig().replace('URI="#%s"' % RESP_ID, 'URI="#obj1"', 1)
    obj_sig = obj_sig.replace('<ds:Transform Algorithm="%s"/>\n' % ENVELOPED, "", 1)
    obj_sig = obj_sig.replace("</ds:Signature>", '<ds:Object Id="obj1">signed note</ds:Object>\n</ds:Signature>', 1)
    assert "#obj1" in obj_sig and ENVELOPED not in obj_sig
    sign_doc("signature-object-only", response(assertion(), sig=obj_sig), "idp")
    add("signature-object-only", "one valid signature in the Response whose Reference covers only its own ds:Object: "
        "nothing a service provider reads is signed", "idp.key", ["valid"], "unsigned")

    # -- canonicalisation details where verifiers differ ----------------------------------------
    base = 'xml:base="http://idp.example/base/dir/" '
    t = healthy_template(ref_c14n="c14n11").replace("<samlp:Response ", "<samlp:Response " + base, 1)
    legal_c14n11 = lambda name, purpose, tmpl: (sign_doc(name, tmpl, "idp"), add(name, purpose, "idp.key", VV))
    legal_c14n11("c14n11-xml-base-inherited", "xml:base only on the Response; Reference transform c14n 1.1, so the "
                 "Assertion's canonical form carries the inherited value (c14n 1.1 section 2.4)", t)
    t = t.replace("<saml:Assertion ", '<saml:Assertion xml:base="../sub/./x/../" ', 1)
    legal_c14n11("c14n11-xml-base-joined", "xml:base absolute on the Response, relative ('../sub/./x/../') on the "
                 "Assertion; c14n 1.1 joins them on the apex (xml:base fix-up)", t)
    t = healthy_template().replace("<saml:Assertion ", '<saml:Assertion xmlns:q="urn:example:q?a=1&amp;b=2" q:tag="x" ', 1)
    sign_doc("ns-uri-ampersand", t, "idp")
    add("ns-uri-ampersand", "a visibly used namespace whose URI contains '&' (written &amp;) on the Assertion: libxml2 "
        "canonicalises it as &#38;, the c14n text as &amp;", "idp.key", VV)


def manifest():
    rows = ["\t".join(["file", "purpose", "signed_with", "signatures", "xmlsec1_idp", "xmlsec1_embedded",
                       "expect", "findings", "trusted_cert", "xmlsec1_strict", "signature_paths"])]
    problems = []
    for fname, purpose, signed_with, trusted, expect, findings in ENTRIES:
        paths = signature_paths(fname)
        labs = labels(paths)
        res = {m: [xmlsec_verify(fname, i + 1, m, trusted) for i in range(len(paths))]
               for m in ("pinned", "embedded", "strict")}
        derived = ["valid" if v == "OK" else "invalid" for v in res["pinned"]]
        if expect is None:
            expect = derived
        elif expect != derived:
            if "rsa-pss" in fname:  # xmlsec1 cannot process PSS; checked with openssl instead
                if not all(check_pss(fname[:-4])):
                    problems.append("%s: openssl rejects the PSS signatures" % fname)
            elif fname.startswith("nonstandard-"):  # xmlsec1 refuses the URI; openssl checks the value
                if not all(check_pkcs1(fname[:-4])):
                    problems.append("%s: openssl rejects the re-signed SignedInfo" % fname)
            else:
                problems.append("%s: expected %s, xmlsec1 says %s" % (fname, expect, res["pinned"]))
        fmt = lambda vs: ";".join("%s:%s" % (l, v) for l, v in zip(labs, vs)) or "-"
        rows.append("\t".join([fname, purpose, signed_with, str(len(paths)), fmt(res["pinned"]), fmt(res["embedded"]),
                               fmt(expect), findings or "-", keyname(trusted), fmt(res["strict"]),
                               ";".join(paths) or "-"]))
    write("manifest.tsv", "\n".join(rows) + "\n")
    return problems


def keyname(k):
    return k + ".pem"


if __name__ == "__main__":
    build()
    probs = manifest()
    for p in probs:
        print("MISMATCH:", p, file=sys.stderr)
    sys.exit(1 if probs else 0)
