#!/usr/bin/env python3
"""Encrypted-assertion corpus for samlscope: python3 corpus/encrypted/generate.py

Needs python3 (stdlib), openssl and xmlsec1 (Debian: xmlsec1 1.2.37). Keys are created when
missing (throwaway test keys, committed). Encryption is randomised (OAEP, IVs), so an existing
output is kept unless its recipe (recipes.txt) changed or it is deleted.

Two independent encryptors:
- xmlsec1 --encrypt (the reference implementation): rsa-oaep-mgf1p and rsa-1_5 key transport,
  every AES-CBC/GCM size and Triple-DES; every file is decrypted again by xmlsec1 --decrypt.
- the openssl command line (pkeyutl for RSA-OAEP with SHA-2 digests, MGF1 variants and a label,
  which xmlsec1 1.2 lacks; enc for AES-CBC); every value is decrypted again by openssl.
The assertion inside is signed by corpus/signed/keys/idp.key with xmlsec1 before encryption.
"""
import base64
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(HERE)
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import run  # noqa: E402
KEYS = "keys"
IDP_KEY = os.path.join("..", "signed", "keys", "idp.key")
PASSWORD = "correct horse battery staple"  # of keys/sp-encrypted.key; tests set it in SP_KEY_PASSWORD

NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
ISSUER = "https://acme.okta.com/exk1a2b3c4d5e6f7g8h9"
AUDIENCE = "https://sp.example.com/saml/metadata"
ACS = "https://sp.example.com/saml/acs"
INSTANT = "2026-11-20T15:04:05.123Z"
NOT_BEFORE = "2026-11-20T14:59:05.123Z"
NOT_ON_OR_AFTER = "2026-11-20T15:09:05.123Z"
REQ_ID = "_req9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"
RESP_ID = "_resp0a1b2c3d4e5f60718293a4b5c6d7e8f9"
ASRT_ID = "_asrt0f1e2d3c4b5a69788796a5b4c3d2e1f0"

CONTENT = {
    "aes128-cbc": (XENC + "aes128-cbc", "aes-128"),
    "aes192-cbc": (XENC + "aes192-cbc", "aes-192"),
    "aes256-cbc": (XENC + "aes256-cbc", "aes-256"),
    "aes128-gcm": (XENC11 + "aes128-gcm", "aes-128"),
    "aes192-gcm": (XENC11 + "aes192-gcm", "aes-192"),
    "aes256-gcm": (XENC11 + "aes256-gcm", "aes-256"),
    "tripledes-cbc": (XENC + "tripledes-cbc", "des-192"),
}
TRANSPORT = {"oaep": XENC + "rsa-oaep-mgf1p", "rsa15": XENC + "rsa-1_5"}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    if isinstance(data, str):
        data = data.encode()
    if not os.path.exists(path) or read(path) != data:
        with open(path, "wb") as f:
            f.write(data)


def cert_b64(name):
    return "".join(l.strip() for l in read(os.path.join(KEYS, name + ".pem")).decode().splitlines() if "-----" not in l)


def keys():
    os.makedirs(KEYS, exist_ok=True)
    for name, cn in [("sp", "sp.example.com"), ("sp-old", "sp.example.com (2024)")]:
        key, pem = os.path.join(KEYS, name + ".key"), os.path.join(KEYS, name + ".pem")
        if not os.path.exists(key):
            run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key])
        if not os.path.exists(pem):
            run(["openssl", "req", "-new", "-x509", "-key", key, "-subj", "/O=Example/CN=" + cn,
                 "-days", "3650", "-set_serial", "4097", "-out", pem])
    # The same SP key as PKCS#1 and as password-protected PKCS#8 (what --sp-key accepts).
    pkcs1 = os.path.join(KEYS, "sp-pkcs1.key")
    if not os.path.exists(pkcs1):
        write(pkcs1, run(["openssl", "rsa", "-in", os.path.join(KEYS, "sp.key"), "-traditional"]))
    enc = os.path.join(KEYS, "sp-encrypted.key")
    if not os.path.exists(enc):
        write(enc, run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", os.path.join(KEYS, "sp.key"),
                        "-passout", "pass:" + PASSWORD]))


def assertion(nameid="ada@example.com", aid=ASRT_ID, signed=True):
    sig = ""
    if signed:
        sig = ('<ds:Signature xmlns:ds="{ds}"><ds:SignedInfo>'
               '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
               '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
               '<ds:Reference URI="#{aid}"><ds:Transforms>'
               '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
               '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
               '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue>'
               '</ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>').format(ds=NS_DS, aid=aid)
    attrs = "".join(
        '<saml2:Attribute Name="{n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">'
        '<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">{v}</saml2:AttributeValue>'
        '</saml2:Attribute>'.format(n=n, v=v)
        for n, v in [("email", nameid), ("firstName", "Ada"), ("lastName", "Lovelace"), ("groups", "support")])
    # Okta's shape: saml2 prefix, signature right after Issuer.
    return (
        '<saml2:Assertion xmlns:saml2="{a}" ID="{aid}" IssueInstant="{t}" Version="2.0">'
        '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{iss}</saml2:Issuer>{sig}'
        '<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{nid}</saml2:NameID>'
        '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        '<saml2:SubjectConfirmationData InResponseTo="{req}" NotOnOrAfter="{noa}" Recipient="{acs}"/>'
        '</saml2:SubjectConfirmation></saml2:Subject>'
        '<saml2:Conditions NotBefore="{nb}" NotOnOrAfter="{noa}"><saml2:AudienceRestriction>'
        '<saml2:Audience>{aud}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>'
        '<saml2:AuthnStatement AuthnInstant="{t}" SessionIndex="{aid}"><saml2:AuthnContext>'
        '<saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>'
        '</saml2:AuthnContext></saml2:AuthnStatement>'
        '<saml2:AttributeStatement>{attrs}</saml2:AttributeStatement></saml2:Assertion>'
    ).format(a=NS_A, aid=aid, t=INSTANT, iss=ISSUER, sig=sig, nid=nameid, req=REQ_ID,
             noa=NOT_ON_OR_AFTER, acs=ACS, nb=NOT_BEFORE, aud=AUDIENCE, attrs=attrs)


def sign(xml, id_attr_node, xpath="(//*[local-name()='Signature'])[1]"):
    with tempfile.TemporaryDirectory() as td:
        src = os.path.join(td, "in.xml")
        write(src, xml)
        out = run(["xmlsec1", "--sign", "--privkey-pem", IDP_KEY, "--id-attr:ID", id_attr_node,
                   "--node-xpath", xpath, src])
    return strip_decl(out.decode())


def strip_decl(s):
    if s.startswith("<?xml"):
        s = s[s.index("?>") + 2:]
    return s.strip()


def signed_assertion(**kw):
    a = assertion(**kw)
    return sign(a, NS_A + ":Assertion") if kw.get("signed", True) else a


def xmlsec_encrypt(plain, content, transport="oaep", recipient="sp"):
    """EncryptedData (EncryptedKey inside its KeyInfo, with the recipient's certificate)."""
    uri, session = CONTENT[content]
    tmpl = (
        '<xenc:EncryptedData xmlns:xenc="{x}" xmlns:ds="{ds}" Id="_ed1" Type="{x}Element">'
        '<xenc:EncryptionMethod Algorithm="{c}"/><ds:KeyInfo><xenc:EncryptedKey Id="_ek1">'
        '<xenc:EncryptionMethod Algorithm="{t}"/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>'
        '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>'
        '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>'
    ).format(x=XENC, ds=NS_DS, c=uri, t=TRANSPORT[transport])
    with tempfile.TemporaryDirectory() as td:
        t, p = os.path.join(td, "t.xml"), os.path.join(td, "p.xml")
        write(t, tmpl)
        write(p, plain)
        ed = run(["xmlsec1", "--encrypt", "--pubkey-cert-pem", os.path.join(KEYS, recipient + ".pem"),
                  "--session-key", session, "--binary-data", p, t])
        # The reference implementation must decrypt it back (with the recipient's key).
        e = os.path.join(td, "e.xml")
        write(e, ed)
        back = run(["xmlsec1", "--decrypt", "--privkey-pem", os.path.join(KEYS, recipient + ".key"), e])
        if strip_decl(back.decode()) != plain.strip():
            raise SystemExit("xmlsec1 does not decrypt its own %s/%s output" % (content, transport))
    return strip_decl(ed.decode())


def openssl_encrypt(plain, *, transport_uri, digest=None, mgf=None, label=b"", bits=256, layout="inside"):
    """EncryptedData made with the openssl command line: AES-CBC content, RSA-OAEP key."""
    key, iv = os.urandom(bits // 8), os.urandom(16)
    ct = run(["openssl", "enc", "-aes-%d-cbc" % bits, "-K", key.hex(), "-iv", iv.hex()], plain.encode())
    back = run(["openssl", "enc", "-d", "-aes-%d-cbc" % bits, "-K", key.hex(), "-iv", iv.hex()], ct)
    assert back == plain.encode()
    opts = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:" + (digest or "sha1"),
            "-pkeyopt", "rsa_mgf1_md:" + (mgf or "sha1")]
    if label:
        opts += ["-pkeyopt", "rsa_oaep_label:" + label.hex()]
    wrapped = run(["openssl", "pkeyutl", "-encrypt", "-certin", "-inkey", os.path.join(KEYS, "sp.pem")] + opts, key)
    assert run(["openssl", "pkeyutl", "-decrypt", "-inkey", os.path.join(KEYS, "sp.key")] + opts, wrapped) == key
    dig = {"sha256": "http://www.w3.org/2001/04/xmlenc#sha256", "sha512": "http://www.w3.org/2001/04/xmlenc#sha512"}
    inner = ""
    if digest:
        inner += '<ds:DigestMethod Algorithm="%s"/>' % dig[digest]
    if mgf:
        inner += '<xenc11:MGF xmlns:xenc11="%s" Algorithm="%smgf1%s"/>' % (XENC11, XENC11, mgf)
    if label:
        inner += "<xenc:OAEPparams>%s</xenc:OAEPparams>" % base64.b64encode(label).decode()
    ek = ('<xenc:EncryptedKey xmlns:xenc="{x}" xmlns:ds="{ds}"><xenc:EncryptionMethod Algorithm="{t}">{inner}</xenc:EncryptionMethod>'
          '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>'
          '<xenc:CipherData><xenc:CipherValue>{w}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>').format(
        x=XENC, ds=NS_DS, t=transport_uri, inner=inner, cert=cert_b64("sp"), w=base64.b64encode(wrapped).decode())
    return ('<xenc:EncryptedData xmlns:xenc="{x}" xmlns:ds="{ds}" Type="{x}Element">'
            '<xenc:EncryptionMethod Algorithm="{x}aes{b}-cbc"/><ds:KeyInfo>{ek}</ds:KeyInfo>'
            '<xenc:CipherData><xenc:CipherValue>{cv}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>').format(
        x=XENC, ds=NS_DS, b=bits, ek=ek, cv=base64.b64encode(iv + ct).decode())


def hybrid_encrypt(plain, content, digest, mgf):
    """AES-GCM content by xmlsec1 (with a session key of our own, checked by decrypting), the
    key wrapped by openssl with xmlenc11#rsa-oaep: the pairs neither tool makes alone."""
    uri, _ = CONTENT[content]
    bits = int(content[3:6])
    key = os.urandom(bits // 8)
    tmpl = ('<xenc:EncryptedData xmlns:xenc="{x}" xmlns:ds="{ds}" Type="{x}Element">'
            '<xenc:EncryptionMethod Algorithm="{c}"/><ds:KeyInfo><ds:KeyName>session</ds:KeyName></ds:KeyInfo>'
            '<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>').format(x=XENC, ds=NS_DS, c=uri)
    with tempfile.TemporaryDirectory() as td:
        t, p, k, e = (os.path.join(td, n) for n in ("t.xml", "p.xml", "k.bin", "e.xml"))
        write(t, tmpl)
        write(p, plain)
        write(k, key)
        ed = run(["xmlsec1", "--encrypt", "--aeskey:session", k, "--binary-data", p, t])
        write(e, ed)
        back = run(["xmlsec1", "--decrypt", "--aeskey:session", k, e])
        if strip_decl(back.decode()) != plain.strip():
            raise SystemExit("xmlsec1 does not decrypt its own %s output" % content)
    opts = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:" + digest, "-pkeyopt", "rsa_mgf1_md:" + mgf]
    wrapped = run(["openssl", "pkeyutl", "-encrypt", "-certin", "-inkey", os.path.join(KEYS, "sp.pem")] + opts, key)
    assert run(["openssl", "pkeyutl", "-decrypt", "-inkey", os.path.join(KEYS, "sp.key")] + opts, wrapped) == key
    dig = {"sha256": "http://www.w3.org/2001/04/xmlenc#sha256", "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
           "sha512": "http://www.w3.org/2001/04/xmlenc#sha512"}
    ek = ('<xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="{x11}rsa-oaep"><ds:DigestMethod Algorithm="{d}"/>'
          '<xenc11:MGF xmlns:xenc11="{x11}" Algorithm="{x11}mgf1{m}"/></xenc:EncryptionMethod>'
          '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>'
          '<xenc:CipherData><xenc:CipherValue>{w}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>').format(
        x11=XENC11, d=dig[digest], m=mgf, cert=cert_b64("sp"), w=base64.b64encode(wrapped).decode())
    return strip_decl(ed.decode()).replace("<ds:KeyName>session</ds:KeyName>", ek)


def move_key_out(ed, how):
    """Okta/OneLogin-style layouts: the EncryptedKey beside the EncryptedData, found by a
    RetrievalMethod, by KeyName/CarriedKeyName, or by no reference at all."""
    start = ed.index("<xenc:EncryptedKey")
    end = ed.index("</xenc:EncryptedKey>") + len("</xenc:EncryptedKey>")
    ek = ed[start:end]
    ek = ek.replace("<xenc:EncryptedKey", '<xenc:EncryptedKey xmlns:xenc="%s" xmlns:ds="%s"' % (XENC, NS_DS), 1)
    if how == "retrieval":
        ref = '<ds:RetrievalMethod Type="%sEncryptedKey" URI="#_ek1"/>' % XENC
    elif how == "keyname":
        ref = "<ds:KeyName>sp-2026</ds:KeyName>"
        ek = ek.replace("</xenc:CipherData>", "</xenc:CipherData><xenc:CarriedKeyName>sp-2026</xenc:CarriedKeyName>", 1)
    else:
        ref = ""
    ed = ed[:start] + ref + ed[end:]
    if not ref:
        ed = ed.replace("<ds:KeyInfo></ds:KeyInfo>", "")
    return ed, ek


def response(encrypted_assertions, clear=""):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<saml2p:Response xmlns:saml2p="{p}" Destination="{acs}" ID="{rid}" InResponseTo="{req}" IssueInstant="{t}" Version="2.0">'
        '<saml2:Issuer xmlns:saml2="{a}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{iss}</saml2:Issuer>'
        '<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>'
        '{clear}{eas}</saml2p:Response>\n'
    ).format(p=NS_P, acs=ACS, rid=RESP_ID, req=REQ_ID, t=INSTANT, a=NS_A, iss=ISSUER, clear=clear,
             eas="".join('<saml2:EncryptedAssertion xmlns:saml2="%s">%s</saml2:EncryptedAssertion>' % (NS_A, x)
                         for x in encrypted_assertions))


def sign_response(xml):
    sig = ('<ds:Signature xmlns:ds="{ds}"><ds:SignedInfo>'
           '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
           '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
           '<ds:Reference URI="#{rid}"><ds:Transforms>'
           '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
           '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
           '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue>'
           '</ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>').format(ds=NS_DS, rid=RESP_ID)
    xml = xml.replace("</saml2:Issuer>", "</saml2:Issuer>" + sig, 1)
    # The Response's signature is the last one in document order once the assertion's own is
    # inside the ciphertext: select it by its Reference.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + sign(
        xml, NS_P + ":Response", "//*[local-name()='Signature'][.//*[@URI='#%s']]" % RESP_ID) + "\n"


def flip(xml, marker="<xenc:CipherValue>", nth=-1):
    """Changes one base64 character of the last CipherValue: a tampered ciphertext."""
    i = xml.rindex(marker) + len(marker) + 40 if nth == -1 else xml.index(marker) + len(marker) + 40
    c = "A" if xml[i] != "A" else "B"
    return xml[:i] + c + xml[i + 1:]


def recipes():
    out = {}
    for content in CONTENT:
        out["xmlsec-oaep-" + content] = lambda c=content: response([xmlsec_encrypt(signed_assertion(), c)])
    for content in CONTENT:
        out["xmlsec-rsa15-" + content] = lambda c=content: response([xmlsec_encrypt(signed_assertion(), c, "rsa15")])
    for content, digest, mgf in [("aes128-gcm", "sha256", "sha256"), ("aes192-gcm", "sha384", "sha384"),
                                 ("aes256-gcm", "sha512", "sha512")]:
        out["hybrid-oaep11-%s-mgf1%s-%s" % (digest, mgf, content)] = (
            lambda c=content, d=digest, m=mgf: response([hybrid_encrypt(signed_assertion(), c, d, m)]))
    for how in ["retrieval", "keyname", "sibling"]:
        def layout(how=how):
            ed, ek = move_key_out(xmlsec_encrypt(signed_assertion(), "aes256-cbc"), how)
            return response([ed + ek]) if how != "sibling" else response([ek + ed])
        out["layout-" + how] = layout
    out["openssl-oaep11-sha256-mgf1sha256"] = lambda: response([openssl_encrypt(
        signed_assertion(), transport_uri=XENC11 + "rsa-oaep", digest="sha256", mgf="sha256")])
    out["openssl-oaep11-sha512-mgf1sha1"] = lambda: response([openssl_encrypt(
        signed_assertion(), transport_uri=XENC11 + "rsa-oaep", digest="sha512", mgf="sha1", bits=128)])
    # Legal, sent by no SAML IdP, and named as unsupported (see src/xmlenc/mod.rs).
    out["openssl-oaep11-sha512-mgf1sha1-label"] = lambda: response([openssl_encrypt(
        signed_assertion(), transport_uri=XENC11 + "rsa-oaep", digest="sha512", mgf="sha1", label=b"samlscope", bits=128)])
    out["openssl-oaep-mgf1p-sha256"] = lambda: response([openssl_encrypt(
        signed_assertion(), transport_uri=XENC + "rsa-oaep-mgf1p", digest="sha256", bits=192)])
    out["signed-response"] = lambda: sign_response(response([xmlsec_encrypt(signed_assertion(), "aes128-gcm")]))
    out["wrong-key"] = lambda: response([xmlsec_encrypt(signed_assertion(), "aes256-gcm", recipient="sp-old")])
    def wrong_key_no_cert():
        ed = xmlsec_encrypt(signed_assertion(), "aes256-gcm", recipient="sp-old")
        a, b = ed.index("<ds:KeyInfo><ds:X509Data>"), ed.index("</ds:X509Data></ds:KeyInfo>") + len("</ds:X509Data></ds:KeyInfo>")
        return response([ed[:a] + ed[b:]])
    out["wrong-key-no-cert"] = wrong_key_no_cert
    out["tampered-gcm"] = lambda: response([flip(xmlsec_encrypt(signed_assertion(), "aes256-gcm"))])
    out["tampered-cbc"] = lambda: response([flip(xmlsec_encrypt(signed_assertion(), "aes128-cbc"))])
    out["unsupported-content"] = lambda: response([xmlsec_encrypt(signed_assertion(), "aes256-cbc").replace(
        XENC + "aes256-cbc", "http://www.w3.org/2001/04/xmldsig-more#camellia256-cbc")])
    # Attacks: whoever has the SP's public certificate can encrypt an assertion of their own.
    forged = lambda: assertion(nameid="mallory@example.com", aid="_forged0000000000000000000000000000", signed=False)
    out["forged-encrypted-beside-signed"] = lambda: response([xmlsec_encrypt(forged(), "aes256-gcm")], clear=signed_assertion())
    out["forged-encrypted-only"] = lambda: response([xmlsec_encrypt(forged(), "aes256-gcm")])
    out["bare-encrypted-assertion"] = lambda: '<saml2:EncryptedAssertion xmlns:saml2="%s">%s</saml2:EncryptedAssertion>\n' % (
        NS_A, xmlsec_encrypt(signed_assertion(), "aes128-gcm"))
    return out


# Bump a recipe's version here to regenerate its file.
VERSIONS = {}


def main():
    keys()
    stamps = {}
    if os.path.exists("recipes.txt"):
        for line in read("recipes.txt").decode().splitlines():
            name, _, v = line.partition(" ")
            stamps[name] = v
    lines = []
    for name, make in recipes().items():
        v = str(VERSIONS.get(name, 1))
        path = name + ".xml"
        if not os.path.exists(path) or stamps.get(name) != v:
            write(path, make())
        lines.append("%s %s" % (name, v))
    write("recipes.txt", "\n".join(lines) + "\n")
    # Plaintexts for the `decrypt` fuzz target (it encrypts them itself).
    seeds = os.path.join("..", "..", "fuzz", "seeds", "decrypt")
    os.makedirs(seeds, exist_ok=True)
    write(os.path.join(seeds, "signed-assertion.xml"), signed_assertion())
    write(os.path.join(seeds, "forged-assertion.xml"), assertion(nameid="mallory@example.com", signed=False))
    print("corpus/encrypted: %d files" % len(lines))


main()
