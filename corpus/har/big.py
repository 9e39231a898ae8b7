#!/usr/bin/env python3
"""A big, realistic Chrome HAR for throughput and memory measurements (not used by tests).

    python3 corpus/har/big.py OUT.har [--size-mb 500] [--entries 5000] [--flows 3] [--seed big-v1]

Writes a HAR 1.2 file of about SIZE MB (10^6 bytes) with ENTRIES entries: JS, HTML, JSON and CSS
bodies, ~10% base64-encoded image bodies, and FLOWS complete, healthy Flex + Salesforce logins
(the messages of corpus/flex/healthy-enhanced.*) spread through the file, their POSTs inside
the assertion window. Streams to disk: bodies are written piece by piece from a small pool
of pre-encoded segments, so memory stays at a few MB whatever the size. Same arguments, same
bytes. The output is never committed: it is made on demand, e.g. for the benchmark command.
Expected analyze result with the enhanced flag set of cases.tsv: no finding, exit 0.
"""
import argparse
import base64
import json
import math
import os
import random
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as gen  # noqa: E402  (same directory; generate.py only runs under __main__)

SENTINEL = "\x00BODY\x00"
SENTINEL_JSON = json.dumps(SENTINEL)
SEGMENT = 1 << 16           # raw characters per pooled segment
POOL = 24                   # segments per body kind
MAX_BODY = 32 << 20         # below samlscope's 64 MiB per-entry default limit
T_START = gen.T0 - timedelta(seconds=4.312)   # 2026-11-20T15:04:00Z
SPAN = 290.0                                   # seconds: the capture ends at 15:08:50Z
KINDS = [  # kind, mime, resource type, share of entries
    ("js", "application/javascript", "script", 0.34),
    ("json", "application/json", "xhr", 0.34),
    ("html", "text/html", "document", 0.10),
    ("css", "text/css", "stylesheet", 0.12),
    ("img", "image/png", "image", 0.10),
]


def fill(item, rng):
    """Items made from random words until SEGMENT characters, cut to SEGMENT."""
    parts, size = [], 0
    while size < SEGMENT:
        part = item(rng.choice(gen.WORDS))
        parts.append(part)
        size += len(part)
    return "".join(parts)[:SEGMENT]


def raw_segment(rng, kind):
    if kind == "js":
        return gen.js_body(rng, SEGMENT, f"seg{rng.randrange(1 << 16)}")[:SEGMENT]
    if kind == "css":
        return gen.css_body(rng, SEGMENT)[:SEGMENT]
    if kind == "json":
        return fill(lambda w: (
            f'{{"sid":"WT{rng.randrange(1 << 60):032x}","friendlyName":"{w} {rng.randrange(999)}",'
            f'"attributes":"{{\\"skills\\":[\\"{rng.choice(gen.WORDS)}\\"]}}","age":{rng.randrange(9999)}}},'), rng)
    if kind == "html":
        return fill(lambda w: (
            f'<div class="Twilio-{w}" data-id="{rng.randrange(1 << 30)}"><span title="{w} &amp; '
            f'{rng.choice(gen.WORDS)}">{w} {rng.randrange(1000)}</span></div>\n'), rng)
    return base64.b64encode(rng.randbytes(SEGMENT // 4 * 3)).decode()  # img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size-mb", type=float, default=500)
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--flows", type=int, default=3)
    ap.add_argument("--seed", default="big-v1")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    # pooled, already JSON-escaped segments (escaping happens once, not per entry)
    pools = {}
    for kind, *_ in KINDS:
        raws = [raw_segment(rng, kind) for _ in range(POOL)]
        pools[kind] = [(r, json.dumps(r, ensure_ascii=False)[1:-1]) for r in raws]

    # the login flows (healthy) and where they go
    flows = []
    for k in range(a.flows):
        xs = gen.login(f"big-flow-{k}", tail=False)
        # flow k starts (k + 0.5) / flows of the way through the capture; its POST lands about
        # 0.9 s later, well inside the assertion window (15:03:35.123Z .. 15:09:05.123Z)
        shift = (T_START + timedelta(seconds=SPAN * (k + 0.5) / a.flows)) - xs[0].t
        for x in xs:
            x.t += shift
            x.page = k + 2
        flows.extend(xs)
    flows.sort(key=lambda x: x.t)
    flow_entries = len(flows)
    n_noise = max(0, a.entries - flow_entries)

    # body sizes: heavy-tailed, scaled so that the file lands near --size-mb
    kinds = rng.choices([k for k in KINDS], weights=[k[3] for k in KINDS], k=n_noise)
    weights = [math.exp(rng.gauss(0, 1.3)) for _ in range(n_noise)]
    # raw -> written expansion of each kind (JSON escaping; base64 for images)
    ratio = {k: sum(len(e) for _, e in pools[k]) / sum(len(r) for r, _ in pools[k]) for k in pools}
    ratio["img"] = 4 / 3
    probe = gen.X(T_START, "GET", "https://assets.flex.twilio.com/static/script/flex.000000.js", 200,
                  "application/javascript", SENTINEL, rtype="script")
    skeleton = len(json.dumps(gen.chrome_entry(random.Random(0), probe), indent=2).replace("\n", "\n      "))
    budget = max(0, a.size_mb * 1e6 - n_noise * (skeleton + 60) - flow_entries * 12000)
    scale = budget / sum(w * ratio[k[0]] for w, k in zip(weights, kinds)) if weights else 0
    sizes = [min(MAX_BODY, int(w * scale)) for w in weights]

    # noise times: 15:04:00 .. 15:08:50, in file order
    t0, span = T_START, SPAN

    def noise_exchange(i):
        kind, mime, rtype, _ = kinds[i]
        ext = {"js": "js", "json": "json", "html": "html", "css": "css", "img": "png"}[kind]
        if kind == "json":
            url = f"https://flex-api.twilio.com/v1/Workspaces/WS{i:032x}/Workers?PageSize=50&Page={i % 40}"
        elif kind == "html":
            url = f"https://flex.twilio.com/agent-desktop/views/{gen.WORDS[i % 25]}-{i}.{ext}"
        else:
            url = f"https://assets.flex.twilio.com/static/{rtype}/{gen.WORDS[i % 25]}.{i:06x}.{ext}"
        x = gen.X(t0 + timedelta(seconds=span * i / max(1, n_noise)), "GET", url, 200, mime, SENTINEL,
                  binary=False, rtype=rtype, page=1, wait=rng.uniform(5, 300))
        return x, kind

    def write_body(f, kind, n, i):
        """Write a JSON string body of n raw characters (n decoded bytes for images)."""
        f.write('"')
        if kind == "img":
            n = n // 3 * 4                      # base64 characters for n bytes
        else:
            head = f"/* {a.seed} entry {i} */\n" if kind in ("js", "css") else ""
            f.write(json.dumps(head)[1:-1])
            n = max(0, n - len(head))
        pool = pools[kind]
        while n > 0:
            raw, enc = pool[rng.randrange(POOL)]
            if n >= len(raw):
                f.write(enc)
                n -= len(raw)
            else:
                f.write(json.dumps(raw[:n], ensure_ascii=False)[1:-1])
                n = 0
        f.write('"')

    pages = [{"startedDateTime": gen.chrome_time(t0), "id": "page_1",
              "title": "https://flex.twilio.com/agent-desktop",
              "pageTimings": {"onContentLoad": 812.4, "onLoad": 1604.9}}]
    for k in range(a.flows):
        x = next(x for x in flows if x.page == k + 2)
        pages.append({"startedDateTime": gen.chrome_time(x.t), "id": f"page_{k + 2}",
                      "title": x.url, "pageTimings": {"onContentLoad": 210.5, "onLoad": 433.0}})

    erng = random.Random(a.seed + "-entries")
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        head = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                        "pages": pages, "entries": []}}
        text = json.dumps(head, indent=2)
        f.write(text[: text.rindex("[]") + 1] + "\n")
        first = True

        def emit_plain(entry):
            nonlocal first
            s = json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n      ")
            f.write(("" if first else ",\n") + "      " + s)
            first = False

        pending = iter(flows)
        nxt = next(pending, None)
        for i in range(n_noise):
            x, kind = noise_exchange(i)
            while nxt is not None and nxt.t <= x.t:    # merge by start time, as Chrome sorts
                emit_plain(gen.chrome_entry(erng, nxt))
                nxt = next(pending, None)
            e = gen.chrome_entry(erng, x)
            n = sizes[i]
            c = e["response"]["content"]
            c["size"] = n
            if kind == "img":
                c["encoding"] = "base64"
            e["response"]["_transferSize"] = n // 3 + 400
            for h in e["response"]["headers"]:
                if h["name"] == "content-length":
                    h["value"] = str(n // 3)   # compressed on the wire
                    h["name"] = "content-length"
            for h in e["response"]["headers"]:
                if h["name"] == "content-type" and kind != "img":
                    h["value"] = mime_of(kind) + "; charset=utf-8"
            s = json.dumps(e, indent=2, ensure_ascii=False).replace("\n", "\n      ")
            pre, post = s.split(SENTINEL_JSON)
            f.write(("" if first else ",\n") + "      " + pre)
            first = False
            write_body(f, kind, n, i)
            f.write(post)
        while nxt is not None:
            emit_plain(gen.chrome_entry(erng, nxt))
            nxt = next(pending, None)
        f.write("\n    ]\n  }\n}\n")
    print(f"{a.out}: {os.path.getsize(a.out) / 1e6:.1f} MB, {n_noise + flow_entries} entries "
          f"({flow_entries} in {a.flows} login flows)")


def mime_of(kind):
    return {k: m for k, m, *_ in KINDS}[kind]


if __name__ == "__main__":
    main()
