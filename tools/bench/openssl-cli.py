#!/usr/bin/env python3
"""S/MIME verification benchmark, the `openssl cms -verify` command: one process per message.

    tools/bench/openssl-cli.py --corpus DIR [CASE_ID [ITERS]]    one case, a table line
    tools/bench/openssl-cli.py --serve --corpus DIR               (used by tools/bench/run.sh)

One timed call runs, on the whole mail as stored (detached multipart/signed or opaque
application/pkcs7-mime, both read with `-inform SMIME`):

    openssl cms -verify -binary -inform SMIME -in MAIL -CAfile ROOT.pem -attime NOW
                -purpose smimesign -out /dev/null

(`-binary`: the signed bytes are taken as they are, CRLF, as the corpus was signed and as
our verifier does; the chain check is on: the test root is the only CA file, `-attime` is
the manifest's `now`.) A case whose first run does not exit 0 with "Verification
successful" is not timed: the answer is n/a with OpenSSL's message.

Start-up: each timed verify run is paired with one run of `openssl version` (same binary,
same way of spawning, alternating, so load hits both alike); the figure reported for a run
is its wall time minus the median wall time of the `openssl version` runs of that case.
That subtracts process creation, dynamic linking, libcrypto initialisation and reading
openssl.cnf; what is left is argument handling, loading the CA file, the providers' first
algorithm fetches and the verification itself (reading the mail file included).

--serve reads `CASE_ID [ITERS]` lines and answers one JSON line each: {"id", "iters",
"warmup", "median_ms", "samples_ms", "startup_ms"} or {"id", "na": REASON}; it prints
{"ready": true} first.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def die(msg):
    sys.stderr.write(f"openssl-cli.py: {msg}\n")
    sys.exit(1)


def main():
    argv = sys.argv[1:]
    serve, corpus, rest = False, None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--serve":
            serve = True
        elif a == "--corpus":
            i += 1
            corpus = argv[i] if i < len(argv) else die("--corpus needs a directory")
        elif a.startswith("-"):
            die(f"unknown option {a}")
        else:
            rest.append(a)
        i += 1
    corpus = corpus or os.path.join(os.path.dirname(__file__), "../../target/bench/corpus")
    openssl = shutil.which("openssl") or die("the openssl command is missing (apt-get install openssl)")
    try:
        manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    except OSError as e:
        die(f"cannot read the corpus manifest: {e} (tools/bench/make-corpus.sh makes it)")
    now = str(manifest["now"])
    tmp = tempfile.mkdtemp(prefix="impalemail-bench-")
    root_pem = os.path.join(tmp, "root.pem")
    subprocess.run([openssl, "x509", "-inform", "DER", "-in", os.path.join(corpus, manifest["root"]),
                    "-out", root_pem], check=True)
    version_cmd = [openssl, "version"]

    def verify_cmd(mail):
        return [openssl, "cms", "-verify", "-inform", "SMIME", "-in", mail,
                "-CAfile", root_pem, "-attime", now, "-purpose", "smimesign", "-out", os.devnull]

    def timed(cmd):
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return (time.perf_counter() - t) * 1e3, p

    def measure(cid, iters):
        mail = os.path.join(corpus, f"{cid}.eml")
        if not os.path.exists(mail):
            die(f"no case `{cid}` in the corpus")
        _, p = timed(verify_cmd(mail))
        err = p.stderr.decode(errors="replace").strip()
        if p.returncode != 0 or "Verification successful" not in err:
            # OpenSSL prefixes each error with a thread id (e.g. 40C7CECF7F7F0000:): drop it
            # so that the same reason reads the same in every case.
            lines = [re.sub(r"^[0-9A-F]+:error:", "error:", l) for l in err.splitlines() if l.strip()]
            detail = " / ".join(lines[:2]) or f"exit {p.returncode}"
            ver = subprocess.run(version_cmd, capture_output=True, text=True).stdout.strip()
            return {"id": cid, "na": f"{ver}: `openssl cms -verify` exits {p.returncode}: {detail}"}
        warmup = max(1, iters // 5)
        for _ in range(warmup):
            timed(version_cmd)
            timed(verify_cmd(mail))
        starts, runs = [], []
        for _ in range(iters):
            ts, _ = timed(version_cmd)
            tv, p = timed(verify_cmd(mail))
            if p.returncode != 0:
                die(f"case {cid}: verification failed during timing: {p.stderr.decode(errors='replace')}")
            starts.append(ts)
            runs.append(tv)
        startup = statistics.median(starts)
        samples = [r - startup for r in runs]
        return {"id": cid, "iters": iters, "warmup": warmup, "median_ms": statistics.median(samples),
                "samples_ms": samples, "startup_ms": startup, "whole_process_median_ms": statistics.median(runs)}

    try:
        if serve:
            print(json.dumps({"ready": True}), flush=True)
            for line in sys.stdin:
                words = line.split()
                if not words:
                    continue
                iters = int(words[1]) if len(words) > 1 else 10
                print(json.dumps(measure(words[0], iters)), flush=True)
        else:
            if not rest:
                die("give a case id (or --serve)")
            a = measure(rest[0], int(rest[1]) if len(rest) > 1 else 10)
            if "na" in a:
                print(f"{a['id']:<24} n/a ({a['na']})")
            else:
                print(f"{a['id']:<24} {a['iters']:>5} {a['median_ms']:>11.3f} ms "
                      f"(whole process {a['whole_process_median_ms']:.3f}, start-up {a['startup_ms']:.3f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
