#!/usr/bin/env python3
"""Regenerate the XML canonicalisation test vectors in tests/c14n/expected/.

Needs Python 3 (stdlib) and lxml.  Usage (from anywhere):

    python3 tests/c14n/generate.py           # (re)write expected/*.out and MANIFEST.tsv
    python3 tests/c14n/generate.py --check   # only compare with the files on disk

Canonical bytes come from libxml2's xmlC14NDocDumpMemory(): the copy of
libxml2 that lxml bundles, called through ctypes, because lxml's own API
offers neither Canonical XML 1.1 nor a true document subset (its
element-level c14n re-roots the element in a fake document, which loses
the xml:* attributes that inclusive c14n inherits from ancestors).

A "subset" is the apex element whose ID, Id or xml:id attribute equals the
given value, with all its descendants, attributes and namespace nodes,
selected with the XPath used for XMLDSig same-document references:
    (//. | //@* | //namespace::*)[ancestor-or-self::*[@ID=$v or @Id=$v or @xml:id=$v]]
Comments in the subset are kept only for the "-wc" modes.

Cross-checks run every time (and a disagreement is reported on stderr):
  * lxml's public API (etree.tostring(method="c14n")) for whole documents
    in c14n / c14n-wc / exc / exc-wc / exc-PREFIXES, and for exclusive
    subsets via the apex element (must agree byte for byte);
  * the same API for inclusive subsets and for "#default" in a PrefixList
    (differences are only listed as "info": lxml re-roots the apex in a fake
    document, which drops inherited xml:* attributes and the in-scope
    default namespace, and can add spurious xmlns="" in inclusive mode);
  * `xmllint --c14n / --c14n11 / --exc-c14n` (if on PATH; it always keeps
    comments, so it is compared with the -wc whole-document outputs).
"""
import ctypes
import os
import shutil
import subprocess
import sys

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
EXPECTED = os.path.join(HERE, "expected")
MANIFEST = os.path.join(HERE, "MANIFEST.tsv")

# mode name -> (libxml2 xmlC14NMode, with_comments)
MODES = {
    "c14n": (0, False),
    "c14n-wc": (0, True),
    "c14n11": (2, False),
    "c14n11-wc": (2, True),
    "exc": (1, False),
    "exc-wc": (1, True),
}

# Extra subsets per case: apex ID -> list of InclusiveNamespaces PrefixLists
# (each produces an extra "exc-P1_P2" vector; every subset gets all MODES).
SUBSETS = {
    "w3c_exc_2_2_a": {"elem2": [["n0"], ["n3"]]},
    "w3c_exc_2_2_b": {"elem2": [["n2"], ["#default"]]},
    "saml_salesforce_response": {
        "_assert1": [["ds", "saml", "xs", "xsi"], ["ds", "saml"], ["xs"]],
        "_resp1": [["xs"]],
    },
    "saml_salesforce_response_unsigned": {"_assert1": [["ds", "saml", "xs", "xsi"]]},
    "saml_adfs_default_ns": {"_a1": [["#default"]], "_r1": []},
    "saml_default_ns_reset": {"r1": [], "x1": [["#default"]], "n1": [["#default"]]},
    "saml_xsi_type_root_prefix": {"a1": [["xs"], ["xs", "xsi"]], "resp": []},
    "saml_signedinfo_subset": {"si1": [["xs"], ["ds", "saml"]], "_a9": [["xs"]]},
    "saml_okta_comment_injection": {"id222": [["xs"]], "id111": []},
    "xml_attrs_inherit": {"p1": [], "p2": [], "top": []},
    "comments_pis_inside_outside": {"r": [], "c": []},
    "ns_superfluous": {"c1": [["b", "unused"]]},
    "ns_default_inherit": {"a1": [["#default"]]},
    "ns_prefix_redefine": {"a": [["p"]]},
    "exc_inclusive_default": {"c1": [["#default"], ["q"], ["zz"], ["#default", "p", "q"]]},
    "entities_predefined_escaping": {"d": []},
    "crlf_tabs_attrs": {"d1": []},
    "utf8_bom_multibyte": {"u": []},
    "xml_prefix_decl": {"d": []},
}

# Extra whole-document exclusive vectors with a PrefixList.
WHOLE_PREFIXES = {
    "exc_inclusive_default": [["#default"], ["q"]],
    "w3c_c14n_3_3_start_end_tags": [["a", "b"]],
    "saml_salesforce_response": [["ds", "saml", "xs", "xsi"]],
}

# ---------------------------------------------------------------- libxml2


class _XPathObject(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("nodesetval", ctypes.c_void_p)]


_lib = ctypes.CDLL(etree.__file__)  # lxml's extension module exports libxml2
_lib.xmlReadMemory.restype = ctypes.c_void_p
_lib.xmlReadMemory.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                               ctypes.c_char_p, ctypes.c_int]
_lib.xmlFreeDoc.argtypes = [ctypes.c_void_p]
_lib.xmlXPathNewContext.restype = ctypes.c_void_p
_lib.xmlXPathNewContext.argtypes = [ctypes.c_void_p]
_lib.xmlXPathFreeContext.argtypes = [ctypes.c_void_p]
_lib.xmlXPathEvalExpression.restype = ctypes.POINTER(_XPathObject)
_lib.xmlXPathEvalExpression.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
_lib.xmlXPathFreeObject.argtypes = [ctypes.POINTER(_XPathObject)]
_lib.xmlC14NDocDumpMemory.restype = ctypes.c_int
_lib.xmlC14NDocDumpMemory.argtypes = [
    ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p),
    ctypes.c_int, ctypes.POINTER(ctypes.POINTER(ctypes.c_char))]

XML_PARSE_NONET = 1 << 11


def subset_xpath(apex_id):
    q = "'%s'" % apex_id
    return ("(//. | //@* | //namespace::*)[ancestor-or-self::*"
            "[@ID=%s or @Id=%s or @xml:id=%s]]" % (q, q, q))


def canonicalize(data, mode, subset=None, prefixes=None):
    """Canonical bytes of `data` (bytes) with libxml2's C14N."""
    c_mode, with_comments = MODES[mode]
    doc = _lib.xmlReadMemory(data, len(data), b"input.xml", None, XML_PARSE_NONET)
    if not doc:
        raise ValueError("libxml2 could not parse the input")
    ctx = obj = None
    try:
        nodes = None
        if subset is not None:
            ctx = _lib.xmlXPathNewContext(doc)
            obj = _lib.xmlXPathEvalExpression(subset_xpath(subset).encode(), ctx)
            if not obj:
                raise ValueError("XPath evaluation failed")
            nodes = obj.contents.nodesetval
            if not nodes:
                raise ValueError("empty subset for %r" % subset)
        plist = None
        if prefixes:
            plist = (ctypes.c_char_p * (len(prefixes) + 1))(
                *[p.encode() for p in prefixes], None)
        out = ctypes.POINTER(ctypes.c_char)()
        n = _lib.xmlC14NDocDumpMemory(doc, nodes, c_mode, plist,
                                      int(with_comments), ctypes.byref(out))
        if n < 0:
            raise ValueError("xmlC14NDocDumpMemory failed (%d)" % n)
        return ctypes.string_at(out, n)  # (libxml2 buffer is leaked: tiny)
    finally:
        if obj:
            _lib.xmlXPathFreeObject(obj)
        if ctx:
            _lib.xmlXPathFreeContext(ctx)
        _lib.xmlFreeDoc(doc)


# ---------------------------------------------------------------- cross-checks


def find_apex(tree, apex_id):
    hits = tree.xpath("//*[@ID=$v or @Id=$v or @xml:id=$v]", v=apex_id)
    if len(hits) != 1:
        raise ValueError("%d elements carry the id %r" % (len(hits), apex_id))
    return hits[0]


def lxml_c14n(node, mode, prefixes):
    c_mode, with_comments = MODES[mode]
    assert c_mode in (0, 1)
    kw = dict(method="c14n", exclusive=(c_mode == 1), with_comments=with_comments)
    if prefixes:
        kw["inclusive_ns_prefixes"] = list(prefixes)
    return etree.tostring(node, **kw)


XMLLINT_FLAGS = {"c14n-wc": "--c14n", "c14n11-wc": "--c14n11", "exc-wc": "--exc-c14n"}


def prefixes_tag(prefixes):
    return "_".join("default" if p == "#default" else p for p in prefixes)


def vectors(case):
    """(mode name, libxml2 mode key, subset or None, prefixes or None) for a case."""
    out = []
    for subset in [None] + sorted(SUBSETS.get(case, {})):
        for mode in MODES:
            out.append((mode, mode, subset, None))
        lists = (WHOLE_PREFIXES.get(case, []) if subset is None
                 else SUBSETS[case][subset])
        for pl in lists:
            out.append(("exc-" + prefixes_tag(pl), "exc", subset, pl))
    return out


def main(argv):
    check_only = "--check" in argv
    cases = sorted(f[:-4] for f in os.listdir(CASES) if f.endswith(".xml"))
    unknown = set(SUBSETS) | set(WHOLE_PREFIXES)
    unknown -= set(cases)
    if unknown:
        sys.exit("configured but missing cases: %s" % sorted(unknown))
    xmllint = shutil.which("xmllint")
    results = {}          # file name -> bytes
    rows = []
    problems = []
    infos = []
    n_lxml = n_xmllint = 0
    for case in cases:
        path = os.path.join(CASES, case + ".xml")
        with open(path, "rb") as f:
            data = f.read()
        if b"<!DOCTYPE" in data:
            sys.exit("%s: inputs must not contain a DOCTYPE" % case)
        tree = etree.parse(path)
        for mode, key, subset, pl in vectors(case):
            got = canonicalize(data, key, subset, pl)
            name = "%s.%s%s.out" % (case, mode, "" if subset is None else ".subset-" + subset)
            results[name] = got
            rows.append((case, mode, subset or "-", " ".join(pl) if pl else "-",
                         "expected/" + name))
            # lxml public API
            if MODES[key][0] in (0, 1):
                node = tree if subset is None else find_apex(tree, subset)
                alt = lxml_c14n(node, key, pl)
                if alt != got:
                    msg = "%s: lxml etree.tostring differs" % name
                    if subset is not None and (MODES[key][0] == 0 or "#default" in (pl or [])):
                        infos.append(msg + " (lxml re-roots the apex in a fake document)")
                    else:
                        problems.append(msg)
                else:
                    n_lxml += 1
            # xmllint
            if xmllint and subset is None and pl is None and mode in XMLLINT_FLAGS:
                r = subprocess.run([xmllint, XMLLINT_FLAGS[mode], path],
                                   capture_output=True)
                if r.returncode != 0 or r.stdout != got:
                    problems.append("%s: xmllint %s differs (rc=%d)"
                                    % (name, XMLLINT_FLAGS[mode], r.returncode))
                else:
                    n_xmllint += 1
    manifest = "case\tmode\tsubset\tprefixes\tfile\n" + "".join(
        "\t".join(r) + "\n" for r in sorted(rows, key=lambda r: r[4]))

    for msg in infos:
        print("info: " + msg, file=sys.stderr)
    for msg in problems:
        print("DISAGREEMENT: " + msg, file=sys.stderr)
    print("%d cases, %d vectors; agreed with lxml API: %d, with xmllint (%s): %d"
          % (len(cases), len(results), n_lxml, xmllint or "not found", n_xmllint),
          file=sys.stderr)

    if check_only:
        bad = []
        on_disk = set(f for f in os.listdir(EXPECTED) if f.endswith(".out"))
        for name, want in results.items():
            p = os.path.join(EXPECTED, name)
            if not os.path.exists(p) or open(p, "rb").read() != want:
                bad.append(name)
        bad += sorted(on_disk - set(results))
        if not os.path.exists(MANIFEST) or open(MANIFEST, "rb").read() != manifest.encode():
            bad.append("MANIFEST.tsv")
        for b in bad:
            print("stale: " + b, file=sys.stderr)
        return 1 if bad or problems else 0

    os.makedirs(EXPECTED, exist_ok=True)
    for f in os.listdir(EXPECTED):
        if f.endswith(".out") and f not in results:
            os.remove(os.path.join(EXPECTED, f))
    for name, got in results.items():
        with open(os.path.join(EXPECTED, name), "wb") as f:
            f.write(got)
    with open(MANIFEST, "wb") as f:
        f.write(manifest.encode())
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
