"""Writes a HAR with N distinct signed SAML responses (the healthy corpus response, each made
distinct by a comment after the document element, which no signature covers) POSTed to the
Flex ACS. Usage: scaling.py N OUT."""
import base64
import json
import sys
import urllib.parse

n, out = int(sys.argv[1]), sys.argv[2]
xml = open("corpus/signed/salesforce-response.xml", "rb").read().rstrip()
acs = "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef"
entries = []
for i in range(n):
    payload = base64.b64encode(xml + f"\n<!-- capture {i} -->".encode()).decode()
    body = "SAMLResponse=" + urllib.parse.quote(payload, safe="") + "&RelayState=r" + str(i)
    entries.append({
        "startedDateTime": "2026-11-20T15:04:30.%03dZ" % (i % 1000),
        "request": {"method": "POST", "url": acs, "headers": [],
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}},
        "response": {"status": 302, "headers": [], "content": {"size": 0, "mimeType": "text/html"}},
    })
with open(out, "w") as f:
    json.dump({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": entries}}, f)
