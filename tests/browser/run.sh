#!/usr/bin/env bash
# Renders HTML reports of corpus traces and checks them in headless Chromium (check.py):
# no console message, no request, the diagram and every finding in the DOM, screenshots in
# target/browser/. Installs Debian's chromium when it is missing. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# Package scripts (udev's) have been seen to replace /dev/null with a regular file.
if [ ! -c /dev/null ]; then
  rm -f /dev/null && mknod -m 666 /dev/null c 1 3
fi
cargo build --quiet --locked
python3 tests/browser/check.py target/x86_64-unknown-linux-gnu/debug/samlscope "${1:-target/browser}"
