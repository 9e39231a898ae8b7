"""Driver of benches/run.sh: runs every measurement and prints figures with their ratios."""
import json
import os
import re
import statistics
import subprocess
import sys
import time

QUICK = "--quick" in sys.argv
BIN = "target/x86_64-unknown-linux-gnu/release/samlscope"
OUT = "target/bench"
RESPONSE = "corpus/signed/salesforce-response.xml"
CERT = "corpus/signed/keys/idp.pem"
results = {}


def have(tool):
    return subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode == 0


def peak(cmd, out="/dev/null"):
    """(seconds, peak anonymous KiB, exit) of one run."""
    r = subprocess.run(["python3", "benches/peak.py", out, *cmd], capture_output=True, text=True)
    s, kib, code = r.stdout.split()
    return float(s), int(kib), int(code)


def median_run(cmd, runs, out="/dev/null"):
    samples = [peak(cmd, out) for _ in range(runs)]
    return statistics.median(s for s, _, _ in samples), max(k for _, k, _ in samples)


def wall(cmd, runs):
    """Median wall seconds of `cmd` over `runs` runs (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def section(title):
    print(f"\n## {title}")


# 1. Signature verification, in-process, one core.
section("Signature verification, in-process, one core (8.4 KB response, 2 signatures)")
text = open(f"{OUT}/verify.txt").read()
print(text.strip())
ours = float(re.search(r"parse\+model\+verify\s+\d+ responses/s \((\d+) signatures/s\)", text).group(1))
parsed = float(re.search(r"verify only \(parsed document\)\s+(\d+)", text).group(1)) * 2
raw = float(re.search(r"openssl RSA-2048 verify alone\s+(\d+)", text).group(1))
results["verify"] = {"samlscope_sig_per_s": ours, "samlscope_parsed_sig_per_s": parsed, "openssl_rsa_per_s": raw}
py = f"{OUT}/venv/bin/python"
if os.path.exists(py):
    for line in subprocess.run([py, "benches/verify_python.py", RESPONSE, CERT], capture_output=True, text=True).stdout.splitlines():
        name, value = line.split(" ", 1)
        if value.replace(".", "").isdigit():
            results["verify"][name] = float(value)
            print(f"{name:<34} {float(value):>10.0f} signatures/s   samlscope is {ours / float(value):.1f}x")
        else:
            print(f"{name}: {value}")
else:
    print("Python peers skipped: no venv")
print(f"samlscope vs openssl raw RSA: {ours / raw:.2f} (signatures/s / RSA verifies/s; 1.0 = RSA-bound)")

# 2. HAR scanning.
section("analyze a ~500 MB, 5,000-entry HAR (page cache warm)")
big = f"{OUT}/big.har"
if not os.path.exists(big):
    subprocess.run(["python3", "corpus/har/big.py", big, "--size-mb", "100" if QUICK else "500"], check=True)
size = os.path.getsize(big)
subprocess.run(["cat", big], stdout=subprocess.DEVNULL)
runs = 3 if QUICK else 5
t, kib = median_run([BIN, "analyze", big, "--format", "json"], runs)
mb = size / 1e6
print(f"{'samlscope analyze':<34} {t:>7.3f} s  {mb / t / 1000:>6.2f} GB/s  peak anon {kib / 1024:>7.1f} MiB")
results["har"] = {"bytes": size, "samlscope_s": t, "samlscope_anon_kib": kib}
peers = {
    "grep -c SAMLResponse": ["grep", "-c", "SAMLResponse", big],
    "jq (SAML entries)": ["jq", "[.log.entries[] | select((.request.url | test(\"SAMLRe\")) or ((.request.postData.text // \"\") | test(\"SAMLRe\")) or ((.response.content.text // \"\") | test(\"SAMLRe\")))] | length", big],
    "python json.load": ["python3", "-c", f"import json; json.load(open('{big}'))"],
}
for name, cmd in peers.items():
    if not have(cmd[0]):
        print(f"{name}: skipped ({cmd[0]} not installed)")
        continue
    # Output to a file: GNU grep stops at the first match when its output is /dev/null.
    pt, pk = median_run(cmd, 1 if QUICK or name != "grep -c SAMLResponse" else runs, out=f"{OUT}/peer.out")
    results["har"][name] = {"s": pt, "anon_kib": pk}
    ratio = f"samlscope is {pt / t:.1f}x faster" if pt >= t else f"{t / pt:.1f}x faster than samlscope (a byte scan, the floor)"
    print(f"{name:<34} {pt:>7.3f} s  {mb / pt / 1000:>6.2f} GB/s  peak anon {pk / 1024:>7.1f} MiB   {ratio}")

# 3. Start-up: one payload decoded and verified, whole process.
section("one payload decoded + verified, whole process (median of 50 runs)")
n = 20 if QUICK else 50
floor = wall(["true"], n)
ours_s = wall([BIN, "analyze", RESPONSE, "--cert", CERT, "--format", "json"], n)
print(f"{'process floor (true)':<34} {floor * 1000:>7.2f} ms   (fork + exec as measured here)")
print(f"{'samlscope analyze (2 signatures)':<34} {ours_s * 1000:>7.2f} ms")
results["startup"] = {"samlscope_ms": ours_s * 1000, "true_ms": floor * 1000}
if have("xmlsec1"):
    x = wall(["xmlsec1", "--verify", "--pubkey-cert-pem", CERT, "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
              "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", RESPONSE], n)
    results["startup"]["xmlsec1_ms"] = x * 1000
    print(f"{'xmlsec1 --verify (1 signature)':<34} {x * 1000:>7.2f} ms   samlscope is {x / ours_s:.1f}x faster")
else:
    print("xmlsec1: skipped (not installed)")

# 4. Scaling with the number of messages.
section("scaling: N distinct signed responses in one HAR")
results["scaling"] = []
for count in [1, 10, 100, 1000]:
    path = f"{OUT}/scaling-{count}.har"
    subprocess.run(["python3", "benches/scaling.py", str(count), path], check=True)
    st, sk = median_run([BIN, "analyze", path, "--cert", CERT, "--format", "json"], 3)
    results["scaling"].append({"messages": count, "s": st, "anon_kib": sk})
    print(f"{count:>5} messages  {st * 1000:>9.1f} ms  {st * 1e6 / count:>8.0f} µs/message  peak anon {sk / 1024:>6.1f} MiB")
first, last = results["scaling"][0], results["scaling"][-1]
amortised = (last["s"] - first["s"]) / (last["messages"] - first["messages"])
results["per_message_us"] = amortised * 1e6
print(f"amortised (start-up taken out): {amortised * 1e6:.0f} µs/message")

# 5. Batch mode: many one-message files, all cores, against xmlsec1 one process per file.
section("batch: one-message payload files, --format jsonl (all cores)")
count = 2000 if QUICK else 10000
batch = f"{OUT}/batch-{count}"
if not os.path.isdir(batch) or len(os.listdir(batch)) != count:
    os.makedirs(batch, exist_ok=True)
    payload = open("corpus/flex/healthy-enhanced.response.txt", "rb").read()
    for i in range(count):
        with open(f"{batch}/{i:05}.txt", "wb") as f:
            f.write(payload)
bt, bk = median_run([BIN, "analyze", batch, "--format", "jsonl"], 3, out="/dev/null")
results["batch"] = {"files": count, "samlscope_s": bt, "samlscope_anon_kib": bk}
print(f"{'samlscope analyze DIR --format jsonl':<34} {bt:>7.3f} s  {count / bt:>8.0f} files/s  peak anon {bk / 1024:>6.1f} MiB")
if have("xmlsec1"):
    # xmlsec1 takes one file per process and checks one signature; 200 runs give its rate.
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run(["xmlsec1", "--verify", "--pubkey-cert-pem", CERT, "--id-attr:ID",
                        "urn:oasis:names:tc:SAML:2.0:protocol:Response", RESPONSE],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    per = (time.perf_counter() - start) / runs
    results["batch"]["xmlsec1_files_per_s"] = 1 / per
    print(f"{'xmlsec1 --verify, one per file':<34} {per * count:>7.3f} s  {1 / per:>8.0f} files/s  (one core; {runs} runs)   samlscope is {per * count / bt:.1f}x faster")
else:
    print("xmlsec1: skipped (not installed)")

json.dump(results, open(f"{OUT}/results.json", "w"), indent=2)
print(f"\nresults: {OUT}/results.json")
