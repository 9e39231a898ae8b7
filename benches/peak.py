"""Runs a command and reports its wall time and peak anonymous memory (RssAnon, sampled every
2 ms from /proc), without counting the page cache a memory-mapped input occupies.
Usage: peak.py OUTFILE CMD... -> prints `seconds peak_anon_kib exit_code`."""
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
with open(out, "wb") as sink:
    p = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        peak = max(peak, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.002)
print(f"{time.perf_counter() - start:.4f} {peak} {p.returncode}")
