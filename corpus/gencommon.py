"""Helpers shared by the corpus generators (corpus/*/generate.py): deterministic bytes and
writes that leave unchanged files alone (stable mtimes, clean `git status`)."""
import hashlib
import os


def write_if_changed(directory, name, data):
    """Write directory/name only when its bytes change."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = os.path.join(directory, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return
    with open(path, "wb") as f:
        f.write(data)


def stream(seed, n):
    """n deterministic pseudo-random bytes (SHA-256 in counter mode)."""
    out, i = b"", 0
    while len(out) < n:
        out += hashlib.sha256(("%s/%d" % (seed, i)).encode()).digest()
        i += 1
    return out[:n]


def run(cmd, data=None):
    """Run a command (openssl, xmlsec1) and return its stdout; stop the generator if it fails."""
    import subprocess
    import sys
    r = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace"))
        raise SystemExit("failed: %s" % " ".join(cmd))
    return r.stdout
