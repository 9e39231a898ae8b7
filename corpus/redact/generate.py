#!/usr/bin/env python3
"""Captures seeded with canary secrets, for `samlscope redact`: python3 corpus/redact/generate.py

Each output is a capture of corpus/har (a real-shaped login, healthy or failing) with a unique
canary secret added in every place a session, a token or a password travels: request and
response headers, cookie arrays, query strings, urlencoded / multipart / JSON bodies, HTML hidden
inputs (plain and base64-encoded bodies), WebSocket messages, redirect URLs and Location
headers, a JWT in an ordinary header, SAML-tracer fields. `canaries.txt` lists every canary;
tests/redact_corpus.rs asserts none survives redaction, in the raw bytes or after any decoding,
and that `analyze` finds the same problems before and after. Deterministic (stdlib only).
"""
import base64
import copy
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import write_if_changed  # noqa: E402

HAR = os.path.join(os.path.dirname(HERE), "har")
CANARIES = []


def canary(kind, base):
    c = "CANARY%s%s" % (kind.upper().replace("-", ""), hashlib.sha256((base + kind).encode()).hexdigest()[:10])
    CANARIES.append(c)
    return c


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(secret):
    head = b64url(b'{"alg":"RS256","typ":"JWT"}')
    body = b64url(json.dumps({"sub": "ada", "sid": secret}).encode())
    return "%s.%s.%s" % (head, body, b64url(hashlib.sha256(secret.encode()).digest()))


def header(name, value):
    return {"name": name, "value": value}


def seed_har(har, base):
    entries = har["log"]["entries"]
    first = entries[0]
    req, resp = first["request"], first["response"]
    req["headers"] += [
        header("Authorization", "Bearer " + canary("auth", base)),
        header("Cookie", "session=%s; theme=dark" % canary("cookie", base)),
        header("X-CSRF-Token", canary("csrfheader", base)),
        header("X-Api-Key", canary("apikey", base)),
        header("X-Request-Context", "ctx " + jwt(canary("jwt", base))),
    ]
    req["cookies"] = [{"name": "session", "value": canary("cookiearray", base)}]
    resp["headers"] += [header("Set-Cookie", "sid=%s; Path=/; Secure; HttpOnly" % canary("setcookie", base))]
    resp["cookies"] = [{"name": "sid", "value": canary("respcookie", base), "path": "/"}]
    sep = "&" if "?" in req["url"] else "?"
    token = canary("querytoken", base)
    req["url"] += "%saccess_token=%s" % (sep, token)
    req["queryString"] = req.get("queryString", []) + [{"name": "access_token", "value": token}]
    # A login form post (urlencoded), a multipart post and a JSON API call, added as entries.
    login = copy.deepcopy(first)
    login["request"]["method"] = "POST"
    login["request"]["url"] = "https://acme.my.salesforce.com/login?code=%s" % canary("code", base)
    pw, csrf = canary("password", base), canary("csrfform", base)
    login["request"]["postData"] = {
        "mimeType": "application/x-www-form-urlencoded",
        "text": "username=ada%%40acme.com&pw=%s&_csrf=%s" % (pw, csrf),
        "params": [{"name": "username", "value": "ada%40acme.com"}, {"name": "pw", "value": pw},
                   {"name": "_csrf", "value": csrf}],
    }
    login["response"]["status"] = 302
    login["response"]["headers"] = [header("Location", "https://acme.my.salesforce.com/home?sid=%s" % canary("location", base))]
    login["response"]["redirectURL"] = "https://acme.my.salesforce.com/home?refresh_token=%s" % canary("redirecturl", base)
    login["response"]["content"] = {"size": 0, "mimeType": "text/html"}
    mfa = copy.deepcopy(first)
    mfa["request"]["method"] = "POST"
    mfa["request"]["url"] = "https://acme.my.salesforce.com/_ui/identity/verification"
    otp = canary("otp", base)
    mfa["request"]["postData"] = {
        "mimeType": "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
        "text": "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"otp\"\r\n\r\n%s\r\n"
                "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n" % otp,
    }
    api = copy.deepcopy(first)
    api["request"]["method"] = "POST"
    api["request"]["url"] = "https://acme.my.salesforce.com/services/oauth2/token"
    api["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(
        {"grant_type": "refresh_token", "client_secret": canary("clientsecret", base),
         "nested": {"refresh_token": canary("refreshtoken", base), "list": [{"password": canary("jsonpassword", base)}]}})}
    api["response"]["content"] = {"size": 80, "mimeType": "application/json", "encoding": "base64",
                                  "text": base64.b64encode(json.dumps({"access_token": canary("b64json", base)}).encode()).decode()}
    page = copy.deepcopy(first)
    page["request"]["url"] = "https://acme.my.salesforce.com/login"
    hidden = canary("hidden", base)
    html = ("<html><head><title>Login | Salesforce</title><script>var t='%s';</script></head><body>"
            "<form action=\"/login\" method=\"post\"><input type=\"hidden\" name=\"lt\" value=\"%s\">"
            "<input name=\"username\"><input type=\"password\" name=\"pw\" value=\"%s\"></form></body></html>"
            % (canary("script", base), hidden, canary("pwinput", base)))
    page["response"]["content"] = {"size": len(html), "mimeType": "text/html",
                                   "encoding": "base64", "text": base64.b64encode(html.encode()).decode()}
    page["_webSocketMessages"] = [{"type": "send", "time": 1.5, "opcode": 1, "data": json.dumps({"token": canary("websocket", base)})}]
    # Hidden fields beside the SAML ones in the auto-post form (plain body).
    for e in entries:
        text = e["response"].get("content", {}).get("text", "")
        if e["response"].get("content", {}).get("encoding") != "base64" and "name=\"SAMLResponse\"" in text:
            extra = '<input type="hidden" name="xsrf" value="%s">' % canary("autopost", base)
            e["response"]["content"]["text"] = text.replace('name="SAMLResponse"', 'name="SAMLResponse"', 1).replace("</form>", extra + "</form>", 1)
    entries[1:1] = [login, mfa, api, page]
    return har


def seed_tracer(tracer, base):
    r = tracer["requests"]
    first = r[0]
    first.setdefault("requestHeaders", []).append(header("Cookie", "JSESSIONID=%s" % canary("tracercookie", base)))
    first.setdefault("responseHeaders", []).append(header("Set-Cookie", "sid=%s; Path=/" % canary("tracersetcookie", base)))
    first["url"] += ("&" if "?" in first["url"] else "?") + "id_token=%s" % canary("tracerurl", base)
    first.setdefault("get", []).append(["id_token", canary("tracerget", base)])
    post = copy.deepcopy(first)
    post["method"] = "POST"
    post["url"] = "https://idp.example.com/login"
    post["get"] = []
    post["post"] = [["username", "ada"], ["password", canary("tracerpost", base)]]
    post.pop("saml", None)
    r.insert(1, post)
    return tracer


def main():
    outputs = []
    for name in ["multi-problem.har", "success-chrome.har", "success-firefox.har", "idp-error.har",
                 "profile-access-denied.har", "roles-invalid.har"]:
        with open(os.path.join(HAR, name), encoding="utf-8-sig") as f:
            har = json.load(f)
        out = "canary-" + name
        write_if_changed(HERE, out, json.dumps(seed_har(har, name), indent=2) + "\n")
        outputs.append(out)
    with open(os.path.join(HAR, "success-saml-tracer.json"), encoding="utf-8-sig") as f:
        tracer = json.load(f)
    write_if_changed(HERE, "canary-saml-tracer.json", json.dumps(seed_tracer(tracer, "tracer"), indent=2) + "\n")
    write_if_changed(HERE, "canaries.txt", "\n".join(CANARIES) + "\n")
    print("corpus/redact: %d captures, %d canaries" % (len(outputs) + 1, len(CANARIES)))


main()
