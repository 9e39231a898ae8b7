"""Peer rates for the signature benchmark: Python's xmlsec binding and signxml verifying the
same Salesforce-shaped response (both signatures) with the same certificate, parse included.
Prints one line per peer: `name signatures_per_second` (median of 5 rounds)."""
import statistics
import sys
import time

RESPONSE, CERT = sys.argv[1], sys.argv[2]
data = open(RESPONSE, "rb").read()
cert_pem = open(CERT, "rb").read()
ROUND = 1.0


def rate(fn):
    rounds = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < ROUND:
            n += fn()
        rounds.append(n / (time.perf_counter() - start))
    return statistics.median(rounds)


def peer_xmlsec():
    import xmlsec
    from lxml import etree

    key = xmlsec.Key.from_memory(cert_pem, xmlsec.constants.KeyDataFormatCertPem)

    def once():
        root = etree.fromstring(data)
        xmlsec.tree.add_ids(root, ["ID"])
        sigs = root.findall(".//{http://www.w3.org/2000/09/xmldsig#}Signature")
        for sig in sigs:
            ctx = xmlsec.SignatureContext()
            ctx.key = key
            ctx.verify(sig)
        return len(sigs)

    once()
    return rate(once)


def peer_signxml():
    from signxml import XMLVerifier

    def once():
        # signxml verifies the signature it finds first (the Response's) per call.
        XMLVerifier().verify(data, x509_cert=cert_pem.decode(), expect_references=1)
        return 1

    once()
    return rate(once)


for name, peer in [("python-xmlsec", peer_xmlsec), ("signxml", peer_signxml)]:
    try:
        print(f"{name} {peer():.0f}")
    except Exception as e:  # a peer that cannot run is reported, not fatal
        print(f"{name} skipped ({type(e).__name__}: {str(e)[:80]})")
