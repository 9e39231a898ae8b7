#!/usr/bin/env python3
"""Browser captures (HAR 1.2, SAML-tracer) of Flex + Salesforce SP-initiated logins.

Run:  python3 corpus/har/generate.py    (after python3 corpus/flex/generate.py)
Stdlib only. The SAML payloads are the signed messages of corpus/flex (nothing is re-signed):
`*.request.url` become the Location of the Flex 302, `*.response.txt` the Salesforce auto-post
form and the POST body to the Flex ACS. Deterministic: fixed timestamps and seeds, so reruns give
identical bytes; files are only rewritten when their bytes change. See README.md.
"""
import base64
import hashlib
import json
import os
import random
import struct
import sys
import urllib.parse
import zlib
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gencommon import write_if_changed  # noqa: E402
FLEX = os.path.join(os.path.dirname(HERE), "flex")

CONN = "JQ0123456789abcdef0123456789abcdef"
ACS = f"https://login.flex.us1.twilio.com/login/callback?connection={CONN}"
IDP = "https://acme.my.salesforce.com"
SSO_URL = IDP + "/idp/endpoint/HttpRedirect"
FLEX_LOGIN = "https://flex.twilio.com/login?runtimeDomain=acme-flex-4821.twil.io"
AUTHORIZE = (
    f"https://login.flex.us1.twilio.com/authorize?connection={CONN}"
    "&client_id=Zq8uN3rT0bKx5vYw2mLp7cHs9dFa4gEj&response_type=code"
    "&redirect_uri=https%3A%2F%2Fflex.twilio.com%2Fagent-desktop&scope=openid%20profile"
    "&state=7f3a9c"
)
AGENT = "https://flex.twilio.com/agent-desktop"
T0 = datetime(2026, 11, 20, 15, 4, 4, 312000, tzinfo=timezone.utc)
FIREFOX_TZ = timezone(timedelta(hours=-8))  # PST: Firefox writes local time with an offset

CHROME_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")
FIREFOX_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"


# ---------------------------------------------------------------- small helpers

def read(name):
    with open(os.path.join(FLEX, name), "rb") as f:
        return f.read().decode("utf-8").strip()


def write(name, data):
    write_if_changed(HERE, name, data)


def esapi_attr(s):
    """HTML attribute encoding as Salesforce pages do it: every non-alphanumeric as &#xNN;."""
    return "".join(c if c.isascii() and c.isalnum() else f"&#x{ord(c):x};" for c in s)


def chrome_time(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def firefox_time(t):
    lt = t.astimezone(FIREFOX_TZ)
    return lt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{lt.microsecond // 1000:03d}-08:00"


def query_pairs(url, decode):
    q = urllib.parse.urlsplit(url).query
    out = []
    for part in q.split("&") if q else []:
        name, _, value = part.partition("=")
        if decode:
            name, value = urllib.parse.unquote_plus(name), urllib.parse.unquote_plus(value)
        out.append({"name": name, "value": value})
    return out


# ---------------------------------------------------------------- deterministic bodies

WORDS = ("flex", "agent", "task", "worker", "queue", "channel", "reservation", "conversation",
         "sync", "voice", "chat", "render", "props", "state", "dispatch", "reducer", "theme",
         "skill", "activity", "insights", "token", "socket", "region", "manager", "plugin")


def js_body(rng, n, name="chunk"):
    out = [f"/*! {name} | (c) Twilio Inc. | built 2026-11-18 */\n"
           f'"use strict";(self.webpackChunkflex=self.webpackChunkflex||[]).push([[{rng.randrange(999)}],{{']
    size = sum(len(x) for x in out)
    i = 0
    while size < n:
        a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
        k = rng.randrange(1 << 20)
        s = (f'{k}:function(e,t,n){{var r=n({k % 997}),o=r.{a}&&r.{b};'
             f'e.exports=function(i){{return o?i.{c}+"{a}-{b}":"{c}_{i}"}}}},')
        out.append(s)
        size += len(s)
        i += 1
    out.append("}]);\n//# sourceMappingURL=" + name + ".js.map\n")
    return "".join(out)


def css_body(rng, n):
    out, size = [], 0
    while size < n:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        s = (f".Twilio-{a.capitalize()}-{b}{{display:flex;padding:{rng.randrange(24)}px;"
             f"color:#{rng.randrange(1 << 24):06x};font-family:Inter,sans-serif}}\n")
        out.append(s)
        size += len(s)
    return "".join(out)


def png_body(rng, w, h):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(w * 3)) for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def gif_pixel():
    return base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def svg_body(rng):
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#F22F46" d="M'
            + " ".join(f"{rng.randrange(24)} {rng.randrange(24)}" for _ in range(12)) + 'Z"/></svg>')


def woff2_body(rng, n):
    return b"wOF2\x00\x01\x00\x00" + bytes(rng.randrange(256) for _ in range(n))


def flex_html(title, scripts):
    tags = "".join(f'<script defer="defer" src="{s}"></script>' for s in scripts)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"/>"
            f"<title>{title}</title><link rel=\"icon\" href=\"/favicon.ico\"/>"
            f"{tags}<link href=\"/static/css/main.4c1f2a.css\" rel=\"stylesheet\"></head>"
            "<body><noscript>You need to enable JavaScript to run this app.</noscript>"
            "<div id=\"container\"></div></body></html>")


def autopost_html(saml_response, relay_state):
    inputs = f'<input type="hidden" name="SAMLResponse" value="{esapi_attr(saml_response)}"/>\n'
    if relay_state is not None:
        inputs += f'<input type="hidden" name="RelayState" value="{esapi_attr(relay_state)}"/>\n'
    return ("<!DOCTYPE html>\n<html>\n<head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
            "<title>Salesforce</title>\n</head>\n"
            '<body onload="document.forms[0].submit()">\n'
            f'<form method="post" action="{esapi_attr(ACS)}">\n{inputs}'
            "<noscript><p>JavaScript is disabled. Click Continue to proceed.</p>"
            '<input type="submit" value="Continue"/></noscript>\n</form>\n</body>\n</html>\n')


def sf_error_html(message):
    return ("<!DOCTYPE html>\n<html>\n<head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
            "<title>Error</title>\n"
            '<link href="/sCSS/62.0/sprites/1731019546000/Theme3/default/gc/zen-componentsCompatible.css" '
            'rel="stylesheet" type="text/css">\n'
            '<script src="/jslibrary/1731963125248/sfdc/main.js"></script>\n</head>\n'
            '<body class="hasMotif errorPage">\n<div id="contentWrapper">\n'
            '<img src="/img/logo214.svg" alt="Salesforce" class="logo">\n'
            '<div class="errorContent"><table class="errorTable"><tr><td>'
            f'<div class="errorMsg"><span>{message}</span></div>'
            "</td></tr></table></div>\n"
            '<div class="footer">&copy; 2026 Salesforce, Inc. All rights reserved.</div>\n'
            "</div>\n</body>\n</html>\n")


# ---------------------------------------------------------------- exchanges

class X:
    """One request/response as the browser saw it; rendered per browser below."""

    def __init__(self, t, method, url, status, mime="", body=None, *, binary=False, rtype="other",
                 location=None, post=None, page=1, wait=40.0, initiator=None, req_headers=(),
                 resp_headers=(), ip="", ws=None):
        self.t, self.method, self.url, self.status = t, method, url, status
        self.mime, self.body, self.binary, self.rtype = mime, body, binary, rtype
        self.location, self.post, self.page, self.wait = location, post, page, wait
        self.initiator = initiator or {"type": "other"}
        self.req_headers, self.resp_headers, self.ip, self.ws = list(req_headers), list(resp_headers), ip, ws

    @property
    def host(self):
        return urllib.parse.urlsplit(self.url).netloc

    def body_bytes(self):
        if self.body is None:
            return b""
        return self.body if isinstance(self.body, bytes) else self.body.encode("utf-8")


REASONS = {200: "OK", 204: "No Content", 302: "Found", 304: "Not Modified", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}
IPS = {"flex.twilio.com": "54.172.60.12", "login.flex.us1.twilio.com": "52.6.217.40",
       "acme.my.salesforce.com": "101.53.162.8", "assets.flex.twilio.com": "",
       "static.lightning.force.com": "23.44.2.91", "fonts.gstatic.com": "142.250.72.99",
       "flex-api.twilio.com": "3.219.122.5", "event-bridge.twilio.com": "",
       "acme-flex-4821.twil.io": "54.209.1.77"}


def server_headers(x):
    h = x.host
    if h.endswith("salesforce.com") or h.endswith("force.com"):
        base = [("server", "sfdcedge"), ("x-sfdc-request-id", "3d4f1b2a9c8e7d6f5a4b3c2d1e0f9a8b"),
                ("x-content-type-options", "nosniff"), ("x-xss-protection", "1; mode=block"),
                ("strict-transport-security", "max-age=63072000; includeSubDomains")]
    elif h.startswith("login.flex"):
        base = [("server", "nginx"), ("x-auth0-requestid", "9b1e7c44a2d35f0816ce"),
                ("x-ratelimit-limit", "100"), ("strict-transport-security", "max-age=31536000")]
    else:
        base = [("server", "AmazonS3" if x.rtype in ("script", "stylesheet", "image", "font") else "nginx"),
                ("x-amz-cf-pop", "IAD89-P1"), ("via", "1.1 0b2c6a5e.cloudfront.net (CloudFront)")]
    return base


def resp_headers(x):
    hs = [("date", "Fri, 20 Nov 2026 " + x.t.strftime("%H:%M:%S") + " GMT")]
    if x.mime:
        hs.append(("content-type", x.mime + ("; charset=utf-8" if x.mime.startswith("text/")
                                             or x.mime.endswith("json") else "")))
    if x.body is not None:
        hs.append(("content-length", str(len(x.body_bytes()))))
    if x.location:
        hs.append(("location", x.location))
    if x.rtype in ("script", "stylesheet", "image", "font"):
        hs.append(("cache-control", "public, max-age=31536000, immutable"))
    else:
        hs.append(("cache-control", "no-cache, no-store, must-revalidate"))
    return hs + server_headers(x) + x.resp_headers


def req_headers_chrome(x):
    u = urllib.parse.urlsplit(x.url)
    path = u.path + ("?" + u.query if u.query else "")
    accept = {"document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                          "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
              "script": "*/*", "stylesheet": "text/css,*/*;q=0.1", "font": "*/*",
              "image": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
              "xhr": "application/json, text/plain, */*", "fetch": "*/*"}.get(x.rtype, "*/*")
    hs = [(":authority", u.netloc), (":method", x.method), (":path", path), (":scheme", "https"),
          ("accept", accept), ("accept-encoding", "gzip, deflate, br, zstd"),
          ("accept-language", "en-US,en;q=0.9")]
    if x.post is not None:
        hs += [("cache-control", "max-age=0"), ("content-length", str(len(x.post))),
               ("content-type", "application/x-www-form-urlencoded"), ("origin", IDP)]
    hs += [("priority", "u=0, i" if x.rtype == "document" else "u=1"),
           ("sec-ch-ua", '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"'),
           ("sec-ch-ua-mobile", "?0"), ("sec-ch-ua-platform", '"Windows"'),
           ("sec-fetch-dest", {"document": "document", "xhr": "empty", "fetch": "empty"}.get(x.rtype, x.rtype)),
           ("sec-fetch-mode", "navigate" if x.rtype == "document" else "cors"),
           ("sec-fetch-site", "cross-site" if x.rtype == "document" else "same-site")]
    if x.rtype == "document":
        hs += [("sec-fetch-user", "?1"), ("upgrade-insecure-requests", "1")]
    hs += [("user-agent", CHROME_UA)] + x.req_headers
    return hs


def timings(rng, x, chrome):
    fresh = rng.random() < 0.3
    t = {"blocked": round(rng.uniform(0.5, 6), 3),
         "dns": round(rng.uniform(1, 20), 3) if fresh else -1,
         "ssl": round(rng.uniform(10, 40), 3) if fresh else -1,
         "connect": round(rng.uniform(20, 60), 3) if fresh else -1,
         "send": round(rng.uniform(0.05, 0.6), 3),
         "wait": round(x.wait, 3),
         "receive": round(rng.uniform(0.2, 8), 3)}
    if chrome:
        t["_blocked_queueing"] = round(t["blocked"] * 0.7, 3)
        t["_workerStart"], t["_workerReady"], t["_workerFetchStart"], t["_workerRespondWithSettled"] = -1, -1, -1, -1
    total = sum(v for k, v in t.items() if not k.startswith("_") and k != "ssl" and v > 0)
    return t, round(total, 3)


# ---------------------------------------------------------------- Chrome rendering

def chrome_entry(rng, x, with_body=True):
    body = x.body_bytes()
    content = {"size": len(body), "mimeType": x.mime or "x-unknown"}
    if x.body is not None and with_body:
        if x.binary:
            content["text"] = base64.b64encode(body).decode()
            content["encoding"] = "base64"
        else:
            content["text"] = body.decode("utf-8")
    if x.status in (301, 302, 303, 307):
        content = {"size": 0, "mimeType": "x-unknown"}
    req = {"method": x.method, "url": x.url, "httpVersion": "http/2.0",
           "headers": [{"name": n, "value": v} for n, v in req_headers_chrome(x)],
           "queryString": query_pairs(x.url, decode=False), "cookies": [],
           "headersSize": -1, "bodySize": len(x.post) if x.post is not None else 0}
    if x.post is not None:
        req["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": x.post,
                           "params": query_pairs("?" + x.post, decode=False) if x.post else []}
    resp = {"status": x.status, "statusText": "", "httpVersion": "http/2.0",
            "headers": [{"name": n, "value": v} for n, v in resp_headers(x)], "cookies": [],
            "content": content, "redirectURL": x.location or "", "headersSize": -1, "bodySize": -1,
            "_transferSize": len(body) + rng.randrange(180, 900), "_error": None,
            "_fetchedViaServiceWorker": False}
    t, total = timings(rng, x, chrome=True)
    e = {"_connectionId": str(rng.randrange(100000, 999999)), "_initiator": x.initiator,
         "_priority": "VeryHigh" if x.rtype == "document" else rng.choice(["High", "Low", "Medium"]),
         "_resourceType": x.rtype, "cache": {}, "connection": str(rng.randrange(100000, 999999)),
         "pageref": f"page_{x.page}", "request": req, "response": resp}
    ip = IPS.get(x.host, "")
    if ip:  # Chrome omits serverIPAddress for some entries (e.g. served from memory cache)
        e["serverIPAddress"] = ip
    e["startedDateTime"] = chrome_time(x.t)
    e["time"] = total
    e["timings"] = t
    if x.ws is not None:
        e["_webSocketMessages"] = x.ws
    return e


def pages_for(xs, fmt):
    seen = {}
    for x in xs:
        if x.page not in seen:
            seen[x.page] = x
    out = []
    for n, x in sorted(seen.items()):
        p = {"startedDateTime": fmt(x.t), "id": f"page_{n}", "title": x.url,
             "pageTimings": {"onContentLoad": round(180.0 + 37.5 * n, 3), "onLoad": round(420.0 + 51.25 * n, 3)}}
        out.append(p)
    return out


def chrome_har(xs, seed, *, with_bodies=True, mutate=None):
    rng = random.Random(seed)
    entries = [chrome_entry(rng, x, with_bodies) for x in xs]
    if mutate:
        mutate(entries)
    return {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                    "pages": pages_for(xs, chrome_time), "entries": entries}}


def dump_chrome(har):
    return json.dumps(har, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- Firefox rendering

def firefox_entry(rng, x, with_bodies=True):
    u = urllib.parse.urlsplit(x.url)
    hs = [("Host", u.netloc), ("User-Agent", FIREFOX_UA),
          ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
           if x.rtype == "document" else "*/*"),
          ("Accept-Language", "en-US,en;q=0.5"), ("Accept-Encoding", "gzip, deflate, br, zstd")]
    if x.post is not None:
        hs += [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(x.post))),
               ("Origin", IDP)]
    hs += [("Connection", "keep-alive"), ("Sec-Fetch-Dest", "document" if x.rtype == "document" else "empty"),
           ("Sec-Fetch-Mode", "navigate" if x.rtype == "document" else "cors"),
           ("Sec-Fetch-Site", "cross-site"), ("Priority", "u=0, i" if x.rtype == "document" else "u=4")]
    cookies = []
    if x.host == "acme.my.salesforce.com":
        cookies = [{"name": "BrowserId", "value": "Qm9yQnJvd3NlcklkMDAx"},
                   {"name": "sid", "value": "00D5g000000XYZ!fake.session.value.for.corpus"}]
        hs.append(("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in cookies)))
    req = {"bodySize": len(x.post) if x.post is not None else 0, "method": x.method, "url": x.url,
           "httpVersion": "HTTP/2", "headers": [{"name": n, "value": v} for n, v in hs],
           "cookies": cookies, "queryString": query_pairs(x.url, decode=True), "headersSize": -1}
    if x.post is not None:
        if with_bodies:
            req["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                               "params": query_pairs("?" + x.post, decode=True) if x.post else [],
                               "text": x.post}
        else:
            req["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": "",
                               "comment": "Request bodies are not included."}
    body = x.body_bytes()
    content = {"mimeType": (x.mime + "; charset=utf-8") if x.mime.startswith("text/") else x.mime,
               "size": len(body)}
    if x.status in (301, 302, 303, 307):
        content = {"mimeType": "text/html", "size": 0, "text": ""}
    if not with_bodies:
        content.pop("text", None)
        content["comment"] = "Response bodies are not included."
    elif x.body is not None:
        if x.binary or x.mime == "text/html":
            content["encoding"] = "base64"
            content["text"] = base64.b64encode(body).decode()
        else:
            content["text"] = body.decode("utf-8")
    rh = [(n.title() if not n.startswith("x-") else n, v) for n, v in resp_headers(x)]
    resp = {"status": x.status, "statusText": REASONS.get(x.status, ""), "httpVersion": "HTTP/2",
            "headers": [{"name": n, "value": v} for n, v in rh], "cookies": [], "content": content,
            "redirectURL": x.location or "", "headersSize": -1, "bodySize": -1}
    t, total = timings(rng, x, chrome=False)
    e = {"pageref": f"page_{x.page}", "startedDateTime": firefox_time(x.t), "request": req,
         "response": resp, "cache": {}, "timings": t, "time": total, "_securityState": "secure",
         "comment": ""}
    ip = IPS.get(x.host, "")
    if ip:
        e["serverIPAddress"] = ip
        e["connection"] = "443"
    return e


def firefox_har(xs, seed, *, with_bodies=True):
    rng = random.Random(seed)
    entries = [firefox_entry(rng, x, with_bodies) for x in xs]
    rng.shuffle(entries)  # Firefox's export follows the panel's sort order, not start time
    pages = pages_for(xs, firefox_time)
    for p in pages:
        p["comment"] = ""
    return {"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "132.0"},
                    "browser": {"name": "Firefox", "version": "132.0"},
                    "pages": pages, "entries": entries, "comment": ""}}


# ---------------------------------------------------------------- the login flows

def ms(t, n):
    return t + timedelta(milliseconds=n)


def flex_login_page(rng, t):
    """The Flex login page and its assets (page 1)."""
    xs = [X(t, "GET", FLEX_LOGIN, 200, "text/html",
            flex_html("Twilio Flex", ["/static/js/runtime.8a1b.js", "/static/js/main.2f9e41.js"]),
            rtype="document", wait=92.4)]
    par = {"type": "parser", "url": FLEX_LOGIN, "lineNumber": 1}
    xs.append(X(ms(t, 131), "GET", "https://assets.flex.twilio.com/static/css/main.4c1f2a.css", 200,
                "text/css", css_body(rng, 3000), rtype="stylesheet", initiator=par, wait=21))
    xs.append(X(ms(t, 133), "GET", "https://assets.flex.twilio.com/static/js/runtime.8a1b.js", 200,
                "application/javascript", js_body(rng, 2500, "runtime"), rtype="script", initiator=par, wait=18))
    xs.append(X(ms(t, 134), "GET", "https://assets.flex.twilio.com/static/js/main.2f9e41.js", 200,
                "application/javascript", js_body(rng, 14000, "main"), rtype="script", initiator=par, wait=35))
    xs.append(X(ms(t, 301), "GET", "https://assets.flex.twilio.com/static/media/twilio-logo.svg", 200,
                "image/svg+xml", svg_body(rng), rtype="image", initiator=par, wait=12))
    xs.append(X(ms(t, 322), "GET", "https://flex.twilio.com/favicon.ico", 200, "image/png",
                png_body(rng, 4, 4), binary=True, rtype="image", wait=9))
    xs.append(X(ms(t, 340), "GET", "https://fonts.gstatic.com/s/inter/v13/UcC73FwrK3iLTeHuS_fvQtMwCp50KnMa1ZL7.woff2",
                200, "font/woff2", woff2_body(rng, 600), binary=True, rtype="font", wait=14))
    xs.append(X(ms(t, 402), "GET", "https://acme-flex-4821.twil.io/appConfig.json", 200, "application/json",
                json.dumps({"sso": {"accountSid": "AC0123456789abcdef0123456789abcdef", "connection": CONN},
                            "logLevel": "info"}),
                rtype="fetch", wait=44,
                initiator={"type": "script", "stack": {"callFrames": [
                    {"functionName": "loadConfig", "scriptId": "17", "url":
                     "https://assets.flex.twilio.com/static/js/main.2f9e41.js", "lineNumber": 0, "columnNumber": 48213}]}}))
    return xs


def agent_desktop(rng, t, page, fail_xhr=None):
    """Flex after the login (agent-desktop) and its noise."""
    xs = [X(t, "GET", AGENT, 200, "text/html",
            flex_html("Twilio Flex", ["/static/js/runtime.8a1b.js", "/static/js/vendor.77c0.js",
                                      "/static/js/main.2f9e41.js"]), rtype="document", page=page, wait=88)]
    par = {"type": "parser", "url": AGENT, "lineNumber": 1}
    script = {"type": "script", "stack": {"callFrames": [
        {"functionName": "", "scriptId": "41", "url": "https://assets.flex.twilio.com/static/js/main.2f9e41.js",
         "lineNumber": 0, "columnNumber": 91234}]}}
    xs.append(X(ms(t, 140), "GET", "https://assets.flex.twilio.com/static/js/vendor.77c0.js", 200,
                "application/javascript", js_body(rng, 20000, "vendor"), rtype="script", page=page,
                initiator=par, wait=31))
    xs.append(X(ms(t, 142), "GET", "https://assets.flex.twilio.com/static/css/main.4c1f2a.css", 200,
                "text/css", css_body(rng, 2000), rtype="stylesheet", page=page, initiator=par, wait=3))
    xs.append(X(ms(t, 610), "POST", "https://flex-api.twilio.com/v1/Configuration", 200, "application/json",
                json.dumps({"account_sid": "AC0123456789abcdef0123456789abcdef", "status": "ok",
                            "ui_attributes": {"theme": {"isLight": True}}}), rtype="xhr", page=page,
                initiator=script, wait=120, post=""))
    if fail_xhr:
        xs.append(X(ms(t, 790), "GET", "https://flex-api.twilio.com/v1/Workers/me", fail_xhr[0],
                    "application/json", json.dumps(fail_xhr[1]), rtype="xhr", page=page,
                    initiator=script, wait=77))
    for i in range(6):
        w, h = rng.choice([(16, 16), (24, 24), (32, 32), (48, 12)])
        xs.append(X(ms(t, 900 + 37 * i), "GET",
                    f"https://assets.flex.twilio.com/static/media/icon-{WORDS[i]}.{i:02x}.png", 200,
                    "image/png", png_body(rng, w, h), binary=True, rtype="image", page=page,
                    initiator=par, wait=rng.uniform(5, 30)))
    xs.append(X(ms(t, 1402), "GET", "https://assets.flex.twilio.com/static/media/pixel.gif", 200,
                "image/gif", gif_pixel(), binary=True, rtype="image", page=page, wait=4))
    xs.append(X(ms(t, 1630), "GET", "wss://event-bridge.twilio.com/wschannels?token=eyJ6aXAiOiJERUYifQ.redacted",
                101, "", None, rtype="websocket", page=page, initiator=script, wait=65,
                ws=[{"type": "send", "time": 1794841480.812, "opcode": 1, "data": '{"type":"ping"}'},
                    {"type": "receive", "time": 1794841480.871, "opcode": 1, "data": '{"type":"pong"}'}]))
    # polling/insights XHRs spread over the next half minute
    for i in range(8):
        tt = ms(t, 4000 + i * 3900)
        xs.append(X(tt, "GET", f"https://flex-api.twilio.com/v1/Insights/heartbeat?seq={i}", 200,
                    "application/json", json.dumps({"seq": i, "ok": True, "ts": chrome_time(tt)}),
                    rtype="xhr", page=page, initiator=script, wait=rng.uniform(40, 140)))
    return xs


def login(seed, request_file="healthy-enhanced.request.url", response_file="healthy-enhanced.response.txt",
          sf="form", acs_after="ok", tail=True):
    """The whole SP-initiated login as a list of exchanges, in start-time order."""
    rng = random.Random(seed)
    req_url = read(request_file)
    xs = flex_login_page(rng, T0)
    t_auth = ms(T0, 559)      # 15:04:04.871
    xs.append(X(t_auth, "GET", AUTHORIZE, 302, "", None, rtype="document", location=req_url, page=2,
                wait=118, initiator={"type": "script", "stack": {"callFrames": [
                    {"functionName": "login", "scriptId": "17",
                     "url": "https://assets.flex.twilio.com/static/js/main.2f9e41.js",
                     "lineNumber": 0, "columnNumber": 50112}]}}))
    t_sf = ms(T0, 719)        # 15:04:05.031
    page = 2
    if sf == "form":
        post_body = read(response_file)
        fields = dict(urllib.parse.parse_qsl(post_body, keep_blank_values=True))
        xs.append(X(t_sf, "GET", req_url, 200, "text/html",
                    autopost_html(fields["SAMLResponse"], fields.get("RelayState")),
                    rtype="document", page=page, wait=96))
        t_post = ms(T0, 875)  # 15:04:05.187
        if acs_after == "ok":
            xs.append(X(t_post, "POST", ACS, 302, "", None, rtype="document", location=AGENT, page=3,
                        post=post_body, wait=231, initiator={"type": "other"}))
            if tail:
                xs += agent_desktop(rng, ms(T0, 1200), 3)
        elif acs_after == "roles":
            xs.append(X(t_post, "POST", ACS, 302, "", None, rtype="document", location=AGENT, page=3,
                        post=post_body, wait=231))
            xs += agent_desktop(rng, ms(T0, 1200), 3, fail_xhr=(403, {
                "code": 45003, "message": "User has no valid Flex role", "status": 403}))
        else:  # Flex refuses the assertion itself
            xs.append(X(t_post, "POST", ACS, 401, "text/html",
                        "<!DOCTYPE html><html><head><title>Unauthorized</title></head><body>"
                        "<h1>Unauthorized</h1><p>We could not log you in. Contact your administrator."
                        "</p></body></html>", rtype="document", page=3, post=post_body, wait=187))
            xs.append(X(ms(T0, 1190), "GET", "https://login.flex.us1.twilio.com/favicon.ico", 404,
                        "text/plain", "Not Found", rtype="other", page=3, wait=11))
    else:
        status, msg = {"denied": (200, "Error: User does not have access to this service provider"),
                       "sigreq": (200, "Error: The SAML request must be signed. Verify request signatures "
                                       "is enabled for this connected app."),
                       "error": (500, "Error: Unable to process your request")}[sf]
        xs.append(X(t_sf, "GET", req_url, status, "text/html", sf_error_html(msg), rtype="document",
                    page=page, wait=143))
        par = {"type": "parser", "url": req_url, "lineNumber": 6}
        xs.append(X(ms(t_sf, 190), "GET", IDP + "/sCSS/62.0/sprites/1731019546000/Theme3/default/gc/"
                    "zen-componentsCompatible.css", 200, "text/css", css_body(rng, 1500),
                    rtype="stylesheet", page=page, initiator=par, wait=22))
        xs.append(X(ms(t_sf, 192), "GET", IDP + "/jslibrary/1731963125248/sfdc/main.js", 200,
                    "application/javascript", js_body(rng, 4000, "sfdc-main"), rtype="script", page=page,
                    initiator=par, wait=25))
        xs.append(X(ms(t_sf, 260), "GET", IDP + "/img/logo214.svg", 200, "image/svg+xml", svg_body(rng),
                    rtype="image", page=page, initiator=par, wait=8))
        xs.append(X(ms(t_sf, 280), "GET", IDP + "/favicon.ico", 200, "image/x-icon", png_body(rng, 8, 8),
                    binary=True, rtype="image", page=page, wait=7))
    return xs


def no_saml(seed):
    rng = random.Random(seed)
    t = T0
    xs = [X(t, "GET", "https://www.twilio.com/en-us/flex", 200, "text/html",
            flex_html("Twilio Flex | Contact Center Software", ["/etc.clientlibs/site.min.js"]),
            rtype="document", wait=77)]
    for i in range(10):
        kind = i % 4
        url = f"https://www.twilio.com/content/dam/twilio-com/global/{WORDS[i]}-{i}"
        if kind == 0:
            xs.append(X(ms(t, 120 + 40 * i), "GET", url + ".js", 200, "application/javascript",
                        js_body(rng, 3000, WORDS[i]), rtype="script", wait=20))
        elif kind == 1:
            xs.append(X(ms(t, 120 + 40 * i), "GET", url + ".png", 200, "image/png", png_body(rng, 12, 12),
                        binary=True, rtype="image", wait=15))
        elif kind == 2:
            xs.append(X(ms(t, 120 + 40 * i), "GET", url + ".css", 200, "text/css", css_body(rng, 1200),
                        rtype="stylesheet", wait=12))
        else:
            xs.append(X(ms(t, 120 + 40 * i), "GET", "https://www.twilio.com/api/search?q=saml+sso&page=" + str(i),
                        200, "application/json", json.dumps({"results": [{"title": "Configure SSO"}]}),
                        rtype="fetch", wait=60))
    xs.append(X(ms(t, 2500), "GET", "https://www.twilio.com/docs/flex/admin-guide/setup/sso-configuration", 200,
                "text/html", "<!doctype html><html><head><title>SSO configuration</title></head><body>"
                "<p>Single sign-on (SSO) uses SAML 2.0; the SAMLResponse is posted to the ACS URL.</p>"
                "</body></html>", rtype="document", page=2, wait=90))
    return xs


# ---------------------------------------------------------------- SAML-tracer

def saml_tracer(xs, export_time):
    """SAML-tracer export (default "mask values" filter): post values replaced by {hash:…}."""
    reqs = []
    for i, x in enumerate(xs):
        if x.rtype in ("websocket",):
            continue
        u = urllib.parse.urlsplit(x.url)
        hs = [{"name": "Host", "value": u.netloc}, {"name": "User-Agent", "value": FIREFOX_UA},
              {"name": "Accept", "value": "*/*"}, {"name": "Accept-Language", "value": "en-US,en;q=0.5"}]
        if x.post is not None:
            hs += [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
                   {"name": "Content-Length", "value": str(len(x.post))}]
        r = {"method": x.method, "url": x.url, "requestId": str(4100 + 3 * i), "requestHeaders": hs}
        if x.method == "GET":
            r["get"] = []
            q = u.query
            for part in q.split("&") if q else []:
                name, _, value = part.partition("=")
                r["get"].append([urllib.parse.unquote_plus(name), urllib.parse.unquote_plus(value)])
        if x.post is not None and x.post:
            pairs = urllib.parse.parse_qsl(x.post, keep_blank_values=True)
            r["postData"] = "{overwritten}"
            r["post"] = [[n, "{hash:" + hashlib.sha256(v.encode()).hexdigest() + "}"] for n, v in pairs]
            names = [n for n, _ in pairs]
            if "SAMLResponse" in names:
                r["protocol"] = "SAML-P"
                r["saml"] = base64.b64decode(dict(pairs)["SAMLResponse"]).decode("utf-8")
        if "get" in r and any(n == "SAMLRequest" for n, _ in r["get"]):
            r["protocol"] = "SAML-P"
            raw = base64.b64decode(dict(r["get"])["SAMLRequest"])
            r["saml"] = zlib.decompress(raw, -15).decode("utf-8")
        r["responseStatus"] = x.status
        r["responseStatusText"] = f"HTTP/2.0 {x.status} {REASONS.get(x.status, '')}".rstrip()
        r["responseHeaders"] = [{"name": n.title(), "value": v} for n, v in resp_headers(x)]
        reqs.append(r)
    return {"requests": reqs, "timestamp": export_time}


# ---------------------------------------------------------------- the files

def break_noise_entry(entries):
    for e in entries:
        if e["_resourceType"] == "image" and e["request"]["url"].endswith(".png"):
            e["request"] = 42
            return
    raise SystemExit("no noise entry to break")


def truncate_after_post(text):
    """Cut in the middle of the entry that follows the POST to the ACS."""
    key = '"method": "POST",\n          "url": "' + ACS + '"'
    p = text.index(key)
    start = text.index('\n      {\n', p) + 1        # next entry's opening brace
    end = text.index('\n      }', start)            # its closing brace
    return text[: (start + end) // 2]


def main():
    files = {}
    success = login("success")
    files["success-chrome.har"] = dump_chrome(chrome_har(success, "chrome"))
    files["success-firefox.har"] = "\ufeff" + json.dumps(firefox_har(success, "firefox"), indent=2,
                                                         ensure_ascii=False) + "\n"
    files["profile-access-denied.har"] = dump_chrome(chrome_har(login("denied", sf="denied"), "denied"))
    files["request-signature-required.har"] = dump_chrome(chrome_har(login("sigreq", sf="sigreq"), "sigreq"))
    files["idp-error.har"] = dump_chrome(chrome_har(login("idperr", sf="error"), "idperr"))
    # Preserve log off: only the 302 carrying the AuthnRequest and the Flex page after the login.
    full = login("nopreserve")
    kept = [x for x in full if x.location and x.location.startswith(SSO_URL)]
    kept += [x for x in full if x.page == 3 and x.method == "GET"]
    for x in kept:
        x.page = 1
    files["no-preserve-log.har"] = dump_chrome(chrome_har(kept, "nopreserve"))
    files["bodies-stripped-firefox.har"] = json.dumps(firefox_har(login("stripped"), "stripped", with_bodies=False),
                                                      indent=2, ensure_ascii=False) + "\n"
    files["no-saml.har"] = dump_chrome(chrome_har(no_saml("nosaml"), "nosaml"))
    files["truncated.har"] = truncate_after_post(files["success-chrome.har"])
    files["not-a-har.json"] = json.dumps({"hello": "world", "items": [1, 2, 3]}) + "\n"
    files["bad-entry.har"] = dump_chrome(chrome_har(login("badentry"), "badentry", mutate=break_noise_entry))
    files["audience-mismatch.har"] = dump_chrome(chrome_har(
        login("audience", response_file="audience-legacy.response.txt", acs_after="reject"), "audience"))
    files["roles-invalid.har"] = dump_chrome(chrome_har(
        login("roles", response_file="roles-quoted.response.txt", acs_after="roles"), "roles"))
    files["multi-problem.har"] = dump_chrome(chrome_har(
        login("multi", response_file="multi-problem.response.txt", acs_after="reject"), "multi"))
    files["in-response-to-mismatch.har"] = dump_chrome(chrome_har(
        login("irt", request_file="irt-new.request.url", response_file="irt-old.response.txt",
              acs_after="reject"), "irt"))
    files["relay-state-dropped.har"] = dump_chrome(chrome_har(
        login("relay", response_file="relay-state-dropped.response.txt"), "relay"))
    files["success-saml-tracer.json"] = json.dumps(
        saml_tracer(login("tracer"), "2026-11-20T15:04:41.207Z"), indent=2, ensure_ascii=False) + "\n"

    for name, text in files.items():
        write(name, text)
    # every file but the deliberately broken one must parse (the BOM file after stripping it)
    for name, text in files.items():
        if name == "truncated.har":
            try:
                json.loads(text)
            except ValueError:
                continue
            raise SystemExit("truncated.har parses")
        json.loads(text[1:] if text.startswith("\ufeff") else text)
    if "--quiet" not in sys.argv:
        for name in files:
            print(f"{os.path.getsize(os.path.join(HERE, name)):>9}  corpus/har/{name}")


if __name__ == "__main__":
    main()
