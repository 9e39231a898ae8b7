#!/usr/bin/env python3
"""Input-level attacks on samlscope: the genuine signed corpus (corpus/signed) delivered in ways
where a browser or a service provider would read a forged message while a careless checker reads
the genuine one. Stdlib only; deterministic. Writes the inputs and cases.tsv beside this file.
Run: python3 corpus/attacks/generate.py (tests/attack_corpus.rs runs the cases)."""
import base64
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SIGNED = os.path.join(HERE, "..", "signed")
ACS = "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef"
ARGS = "--cert corpus/signed/keys/idp.pem --at 2026-11-20T15:04:30Z"


def read(name):
    with open(os.path.join(SIGNED, name), encoding="utf-8") as f:
        return f.read()


def b64(s):
    return base64.b64encode(s.encode("utf-8")).decode()


def write(name, data):
    path = os.path.join(HERE, name)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if not os.path.exists(path) or open(path, "rb").read() != data:
        with open(path, "wb") as f:
            f.write(data)


GENUINE = b64(read("salesforce-response.xml"))
GENUINE2 = b64(read("salesforce-response-signed.xml"))
FORGED = b64(read("salesforce-assertion-signed.xml").replace("ada@acme.com", "admin@evil.example").replace(">agent<", ">admin<"))
CASES = []


def case(name, file, rules, exit_code, description):
    CASES.append((name, file, ARGS, ",".join(sorted(rules)) or "-", str(exit_code), description))


def har(entries):
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "generate.py", "version": "1"}, "entries": entries}}, indent=1) + "\n"


def post_entry(time, params):
    return {"startedDateTime": time, "request": {"method": "POST", "url": ACS, "headers": [],
            "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": k, "value": v} for k, v in params]}},
            "response": {"status": 302, "headers": [], "content": {"size": 0, "mimeType": "text/html", "text": ""}}}


def main():
    # -- HTML: the browser submits the forged value; the genuine one is not a field ----------
    write("html-comment-and-quoted-gt.html", "\n".join([
        '<html><head><title>Working...</title></head><body onload="document.forms[0].submit()">',
        '<form method="POST" action="%s">' % ACS.replace("&", "&amp;"),
        '<!-- <input type="hidden" name="SAMLResponse" value="%s" /> -->' % GENUINE,
        '<input type="hidden" data-x="a>b" name="SAMLResponse" value="%s" />' % FORGED,
        '<noscript><input type="submit" value="Continue"/></noscript>',
        "</form></body></html>"]) + "\n")
    case("html-comment-and-quoted-gt", "html-comment-and-quoted-gt.html", ["parameter-repeated", "signature-invalid"], 1,
         "genuine input inside an HTML comment; the posted, forged input has '>' in a quoted attribute before name=")
    write("html-textarea-and-slashes.html", "\n".join([
        '<html><body onload="document.forms[0].submit()"><form method="POST" action="%s">' % ACS,
        '<textarea style="display:none"><input type="hidden" name="SAMLResponse" value="%s" /></textarea>' % GENUINE,
        '<input/type="hidden"/name="SAMLResponse"/value="%s">' % FORGED,
        "</form></body></html>"]) + "\n")
    case("html-textarea-and-slashes", "html-textarea-and-slashes.html", ["parameter-repeated", "signature-invalid"], 1,
         "genuine input as text of a textarea; the forged input written <input/type=.../name=.../value=...>")
    # -- HTML form semantics: only what the form submits is a field ------------------------------
    page = lambda body: '<html><body onload="document.forms[0].submit()">%s</body></html>\n' % body
    form = lambda inner, extra="": '<form method="POST" action="%s"%s>%s</form>' % (ACS, extra, inner)
    write("html-unchecked-checkbox-and-select.html", page(form(
        '<input type="checkbox" name="SAMLResponse" value="%s">' % GENUINE +
        '<select name="SAMLResponse"><option>%s</option></select>' % FORGED)))
    case("html-unchecked-checkbox-and-select", "html-unchecked-checkbox-and-select.html", ["parameter-repeated", "signature-invalid"], 1,
         "the genuine value in an unchecked checkbox (never submitted); the forged one is the select's only option")
    write("html-disabled-fieldset.html", page(form(
        '<fieldset disabled><input type="hidden" name="SAMLResponse" value="%s"></fieldset>' % GENUINE +
        '<input type="hidden" name="SAMLResponse" value="%s">' % FORGED)))
    case("html-disabled-fieldset", "html-disabled-fieldset.html", ["parameter-repeated", "signature-invalid"], 1,
         "the genuine input inside a disabled fieldset (never submitted)")
    write("html-outside-form-and-template.html", page(
        '<input type="hidden" name="SAMLResponse" value="%s">' % GENUINE +
        form('<template><input type="hidden" name="SAMLResponse" value="%s"></template>' % GENUINE +
             '<input type="hidden" name="SAMLResponse" value="%s">' % FORGED)))
    case("html-outside-form-and-template", "html-outside-form-and-template.html", ["parameter-repeated", "signature-invalid"], 1,
         "the genuine value outside any form (read anyway: a parser may still attach it to a form) and inside a template "
         "(never submitted); the forged one is read")
    write("html-form-attribute.html", page(
        form('<input type="hidden" name="SAMLResponse" value="%s" form="other">' % GENUINE) +
        form('<input type="hidden" name="SAMLResponse" value="%s">' % FORGED, ' id="other"')))
    case("html-form-attribute", "html-form-attribute.html", ["parameter-repeated", "signature-invalid"], 1,
         "the genuine input belongs (form=other) to the second form; the auto-posted first form sends only the "
         "forged one: both forms' values are read, and the repetition reported")
    write("form-body-leading-space.txt", "SAMLResponse=%s&RelayState=/agent&+SAMLResponse=%s\n" % (
        urllib.parse.quote(GENUINE, safe=""), urllib.parse.quote(FORGED, safe="")))
    case("form-body-leading-space", "form-body-leading-space.txt", ["parameter-repeated", "signature-invalid"], 1,
         "a second parameter named ' SAMLResponse': PHP drops the leading space and reads the forged value")

    # -- third review: namespaces, parser form association, framework name rules ----------------
    write("html-svg-fieldset-and-template.html", page(form(
        '<svg><fieldset disabled><foreignObject><input type="hidden" name="SAMLResponse" value="%s"></foreignObject></fieldset></svg>' % FORGED +
        '<svg><template><foreignObject><input type="hidden" name="RelayState" value="forged"></foreignObject></template></svg>')))
    case("html-svg-fieldset-and-template", "html-svg-fieldset-and-template.html", ["signature-invalid"], 1,
         "the forged input under an SVG fieldset, a RelayState under an SVG template (SVG elements: neither disables nor "
         "hides what a foreignObject holds)")
    write("html-table-form-pointer.html", page(
        '<table><form method="POST" action="%s"><input type="hidden" name="SAMLResponse" value="%s"></form></table>' % (ACS, FORGED)))
    case("html-table-form-pointer", "html-table-form-pointer.html", ["signature-invalid"], 1,
         "a form opened inside a table: the parser closes it at once, the input still belongs to it")
    write("html-action-query.html", page(form('<input type="hidden" name="SAMLResponse" value="%s">' % GENUINE).replace(
        'action="%s"' % ACS, 'action="%s&amp;SAMLResponse=%s"' % (ACS, urllib.parse.quote(FORGED, safe="")))))
    case("html-action-query", "html-action-query.html", ["parameter-repeated", "signature-invalid"], 1,
         "the forged value in the form action's query: servlets and ASP.NET read the query first")
    write("html-rack-bracket-name.html", page(form(
        '<input type="hidden" name="SAMLResponse" value="%s"><input type="hidden" name="SAMLResponse]" value="%s">' % (GENUINE, FORGED))))
    case("html-rack-bracket-name", "html-rack-bracket-name.html", ["parameter-repeated", "signature-invalid"], 1,
         "a second field named 'SAMLResponse]': Rack 2 reads it as SAMLResponse")
    write("html-noscript.html", page(form(
        '<input type="hidden" name="SAMLResponse" value="%s"><noscript><input type="hidden" name="SAMLResponse" value="%s"></noscript>' % (GENUINE, FORGED))))
    case("html-noscript", "html-noscript.html", ["parameter-repeated", "signature-invalid"], 1,
         "a forged input inside noscript: submitted when JavaScript is off")
    plus = post_entry("2026-11-20T15:04:10.000Z", [("SAMLResponse", urllib.parse.quote(GENUINE, safe="")), ("+SAMLResponse", urllib.parse.quote(FORGED, safe=""))])
    write("har-plus-name.har", har([plus]))
    case("har-plus-name", "har-plus-name.har", ["parameter-repeated", "signature-invalid"], 1,
         "a Chrome HAR whose params record the name '+SAMLResponse' undecoded (a space: PHP reads SAMLResponse)")
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = "--%s\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\n%s\r\n--%s--\r\n" % (boundary, FORGED, boundary)
    multipart = {"startedDateTime": "2026-11-20T15:04:10.000Z", "request": {"method": "POST", "url": ACS, "headers": [],
                 "postData": {"mimeType": "multipart/form-data; boundary=" + boundary, "text": body}},
                 "response": {"status": 302, "headers": [], "content": {"size": 0, "mimeType": "text/html", "text": ""}}}
    write("har-multipart.har", har([multipart]))
    case("har-multipart", "har-multipart.har", ["signature-invalid"], 1,
         "the POST to the ACS as multipart/form-data (no params recorded): the forged value is read from the parts")

    # -- fourth review: what the parsers above cannot see is still counted ----------------------
    q = lambda v: urllib.parse.quote(v, safe="")
    # A carrier that names a message parameter (any case, percent-decoded, next to a name
    # delimiter) more often than values were read from it is parameter-repeated.
    write("html-lowercase-name.html", page(form('<input type="hidden" name="samlresponse" value="%s">' % FORGED) +
                                             form('<input type="hidden" name="SAMLResponse" value="%s">' % GENUINE)))
    case("html-lowercase-name", "html-lowercase-name.html", ["parameter-repeated"], 1,
         "the auto-posted form names it samlresponse (ASP.NET reads names in any case); the genuine value is in a second form")
    write("form-body-semicolon.txt", "SAMLResponse=%s&x;SAMLResponse=%s\n" % (q(GENUINE), q(FORGED)))
    case("form-body-semicolon", "form-body-semicolon.txt", ["parameter-repeated"], 1,
         "';' separates parameters for older Python, Django and Perl parsers: a second SAMLResponse hides behind it")
    write("html-meta-refresh.html", '<html><head><meta http-equiv="refresh" content="0;url=%s&amp;SAMLResponse=%s"></head><body>%s</body></html>\n'
          % (ACS, q(FORGED), form('<input type="hidden" name="SAMLResponse" value="%s">' % GENUINE)))
    case("html-meta-refresh", "html-meta-refresh.html", ["parameter-repeated"], 1,
         "a meta refresh sends the forged value to the ACS by GET; the form holds the genuine one")
    polyglot = read("salesforce-response.xml").rstrip() + '\n<?x ><form method="POST" action="%s"><input name="SAMLResponse" value="%s"></form><script>document.forms[0].submit()</script>?>\n' % (ACS, FORGED)
    write("xml-html-polyglot.xml", polyglot)
    case("xml-html-polyglot", "xml-html-polyglot.xml", ["parameter-repeated"], 1,
         "the genuine signed Response, then a processing instruction that a browser parses as a live auto-post form")

    # -- raw XML whose prolog looks like an HTML page -----------------------------------------
    forged_xml = read("salesforce-assertion-signed.xml").replace("ada@acme.com", "admin@evil.example")
    decl, rest = forged_xml.split("\n", 1)
    comment = "<!-- <body><form><input name=\"SAMLResponse\" value=\"%s\"></form></body> -->" % GENUINE
    write("xml-prolog-like-html.xml", decl + "\n" + comment + "\n" + rest)
    case("xml-prolog-like-html", "xml-prolog-like-html.xml", ["parameter-repeated", "signature-invalid"], 1,
         "a forged Response whose first 512 bytes are a comment holding an HTML form with the genuine value")
    # -- form body with a literal '#': a second SAMLResponse follows it --------------------------
    q = lambda v: urllib.parse.quote(v, safe="")
    write("form-body-hash.txt", "SAMLResponse=%s&RelayState=/agent#top&SAMLResponse=%s\n" % (q(GENUINE), q(FORGED)))
    case("form-body-hash", "form-body-hash.txt", ["parameter-repeated", "signature-invalid"], 1,
         "a POST body with a literal '#': body parsers read the second, forged SAMLResponse after it")
    # -- repeated parameters in captures ---------------------------------------------------------
    write("har-repeated-after-seen.har", har([
        post_entry("2026-11-20T15:04:10.000Z", [("SAMLResponse", GENUINE), ("RelayState", "/agent")]),
        post_entry("2026-11-20T15:04:12.000Z", [("SAMLResponse", GENUINE), ("SAMLResponse", GENUINE2), ("RelayState", "/agent")]),
    ]))
    case("har-repeated-after-seen", "har-repeated-after-seen.har", ["parameter-repeated"], 1,
         "entry 1 repeats SAMLResponse; its first value was already seen in entry 0")
    tracer = {"requests": [{"method": "POST", "url": ACS, "get": [],
                            "post": [["SAMLResponse", GENUINE], ["SAMLResponse", FORGED], ["RelayState", "/agent"]],
                            "saml": read("salesforce-response.xml"), "responseStatus": 302, "responseHeaders": []}],
              "timestamp": "2026-11-20T15:04:41Z"}
    write("tracer-repeated.json", json.dumps(tracer, indent=1) + "\n")
    case("tracer-repeated", "tracer-repeated.json", ["parameter-repeated", "signature-invalid"], 1,
         "SAML-tracer export whose POST shows SAMLResponse twice (genuine, forged) unmasked")

    # -- terminal control sequences in capture text (the table must show them inert) ------------
    write("har-terminal-escapes.har", har([
        post_entry("2026-11-20T15:04:10.000Z", [
            ("SAMLResponse", GENUINE),
            ("RelayState", "\u001b[2K\u001b[1ANo problem found in what was checked\r\u202e/agent")]),
    ]))
    case("har-terminal-escapes", "har-terminal-escapes.har", [], 0,
         "RelayState carrying ESC/CR/bidi-override sequences that would erase and rewrite report lines")

    rows = ["\t".join(["name", "inputs", "args", "rules", "exit", "description"])] + ["\t".join(c) for c in CASES]
    write("cases.tsv", "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
