#!/usr/bin/env python3
"""Opens samlscope's HTML reports of corpus traces in headless Chromium and checks what a user
would see: no console message (a script error, a blocked load), no network request from the
page, the sequence diagram and every finding of the JSON report present in the DOM after the
page's script ran (copy buttons added), and a screenshot saved for review.

Usage: check.py SAMLSCOPE_BINARY [OUT_DIR]   (tests/browser/run.sh installs Chromium and builds)
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HAR_SETUP = ["--cert", "corpus/signed/keys/idp.pem",
             "--flex-connection", "JQ0123456789abcdef0123456789abcdef",
             "--idp-issuer", "https://acme.my.salesforce.com",
             "--sso-url", "https://acme.my.salesforce.com/idp/endpoint/HttpRedirect"]
HOSTILE_SETUP = ["--entity-id", "https://sp.example.com", "--acs-url", "https://sp.example.com/acs"]
CERT = ["--cert", "corpus/signed/keys/idp.pem"]


def cases():
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "corpus/har"))):
        if name.endswith(".har") or name == "success-saml-tracer.json":
            out.append((f"har-{name.split('.')[0]}", [f"corpus/har/{name}"] + HAR_SETUP))
    for name in ["hostile-login.har", "hostile-idp-page.har", "hostile-response.xml"]:
        out.append((name.split(".")[0], [f"corpus/html/{name}"] + HOSTILE_SETUP))
    for name in ["xsw3", "xsw1", "comment-nameid", "salesforce-response-signed"]:
        out.append((f"signed-{name}", [f"corpus/signed/{name}.xml"] + CERT))
    out.append(("flex-multi-problem", ["corpus/flex/multi-problem.response.txt",
                                       "--config", "corpus/config/flex-enhanced.json"]))
    out.append(("encrypted", ["corpus/encrypted/xmlsec-oaep-aes128-gcm.xml", "--sp-key",
                              "corpus/encrypted/keys/sp.key"] + CERT))
    return out


class Dom(html.parser.HTMLParser):
    """The few facts of the rendered DOM the checks need."""

    def __init__(self):
        super().__init__()
        self.rules, self.hops, self.sequence, self.copy_values, self.copy_buttons = [], 0, False, 0, 0
        self.verdict = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "finding" in classes:
            self.rules.append(a.get("data-rule"))
        if tag == "svg" and "sequence" in classes:
            self.sequence = True
        if tag == "g" and "hop" in classes:
            self.hops += 1
        if "data-copy" in a:
            self.copy_values += 1
        if tag == "button" and "copy" in classes:
            self.copy_buttons += 1
        if tag == "div" and "verdict" in classes:
            self.verdict = classes


def chromium(args, page, work):
    """Runs headless Chromium on `page`; returns (stdout, console lines, page requests)."""
    netlog = os.path.join(work, "net.json")
    profile = os.path.join(work, "profile")
    shutil.rmtree(profile, ignore_errors=True)
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}",
           "--net-log-capture-mode=Everything"] + args + ["file://" + page]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    requests = set()
    with open(netlog) as f:
        text = f.read()
    try:
        events = json.loads(text)["events"]
    except json.JSONDecodeError:  # Chromium may leave the log unterminated
        events = json.loads(text.rstrip().rstrip(",") + "]}")["events"]
    for e in events:
        p = e.get("params") or {}
        # Requests the page made carry its origin (file://) in their isolation key; the
        # browser's own background requests do not.
        if "url" in p and "file://" in str(p.get("network_isolation_key", "")):
            requests.add(p["url"])
    return r.stdout, console, sorted(requests)


def main():
    binary = os.path.abspath(sys.argv[1])
    out_dir = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "target/browser"))
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="samlscope-browser-")
    failures = []

    # The negative control: the checks must see a console message and a request.
    _, console, requests = chromium(["--dump-dom"], os.path.join(ROOT, "tests/browser/canary.html"), work)
    if not console or not requests:
        sys.exit(f"the checker is blind: canary page gave console {console} and requests {requests}")

    for name, args in cases():
        report = json.loads(subprocess.run([binary, "analyze", *args, "--format", "json"], cwd=ROOT,
                                           capture_output=True, text=True).stdout)
        page = os.path.join(out_dir, f"{name}.html")
        r = subprocess.run([binary, "analyze", *args, "--format", "html", "-o", page], cwd=ROOT,
                           capture_output=True, text=True)
        if r.returncode not in (0, 1) or r.stderr:
            failures.append(f"{name}: samlscope exited {r.returncode}: {r.stderr}")
            continue
        dom_text, console, requests = chromium(["--dump-dom"], page, work)
        dom = Dom()
        dom.feed(dom_text)
        want = [f["rule"] for f in report["findings"]]
        problems = []
        if console:
            problems.append(f"console: {console}")
        if requests:
            problems.append(f"requests: {requests}")
        if dom.rules != want:
            problems.append(f"findings in the DOM {dom.rules}, in the JSON {want}")
        if report["messages"] and (not dom.sequence or dom.hops == 0):
            problems.append("no sequence diagram")
        if dom.copy_buttons != dom.copy_values:
            problems.append(f"{dom.copy_buttons} copy buttons for {dom.copy_values} values: the script did not run")
        word = {"fails": "fails", "ok": "ok", "not-checked": "unchecked"}[report["verdict"]]
        if not dom.verdict or word not in dom.verdict:
            problems.append(f"verdict {dom.verdict}, JSON says {report['verdict']}")
        chromium([f"--screenshot={os.path.join(out_dir, name + '.png')}", "--window-size=1280,1800"], page, work)
        status = "ok" if not problems else "FAILED"
        print(f"{status:6} {name}: {len(want)} findings, {dom.hops} hops")
        failures.extend(f"{name}: {p}" for p in problems)
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"screenshots in {out_dir}")


if __name__ == "__main__":
    main()
