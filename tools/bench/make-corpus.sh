#!/usr/bin/env bash
# Generates the S/MIME verification benchmark corpus (not committed: the 25 MB mails are
# too big). Reuses the project's throw-away test PKI in tests/fixtures/smime/pki.
#
#   tools/bench/make-corpus.sh [OUT_DIR]    default: target/bench/corpus
#   tools/bench/make-corpus.sh --stamp      print the corpus stamp (inputs' hash) and exit
#
# Needs openssl >= 3.0 and python3 (stdlib only).
#
# Cases: signer RSA-2048, RSA-4096 (SHA-256), P-256 (SHA-256), P-384 (SHA-384)
#        x signed content of 2 KB, 100 KB, 5 MB, 25 MB (KB/MB = 1024/1048576 bytes)
#        x detached (multipart/signed) and opaque (application/pkcs7-mime signed-data, base64).
# The signed content is one text/plain entity (headers + 7bit body of 76-character lines)
# of exactly that many bytes, written with CRLF and signed with `-binary`; the whole mail is
# then normalised to CRLF, as tests/fixtures/smime/generate.sh does. Signer certificates
# carry emailProtection and alice@example.com, the mails are From that address, the
# intermediate CA is in the CMS and the root is passed as a user root (root.der), so every
# mail is GREEN at `now` = 2027-01-01T00:00:00Z (the runners check that before timing).
#
# Output: OUT_DIR/manifest.json ({stamp, now, root, cases: [{id, algorithm, size,
# size_bytes, mode, file, file_bytes, iters}]}), OUT_DIR/root.der, OUT_DIR/*.eml.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PKI="$ROOT/tests/fixtures/smime/pki"

# Unix seconds of 2027-01-01T00:00:00Z: inside the test PKI's 2025..2035 validity.
NOW=1798761600

# algorithm id : display name : key/cert basename in pki/ : digest
SIGNERS=(
  "rsa2048:RSA-2048:alice-rsa2048:sha256"
  "rsa4096:RSA-4096:alice-rsa4096:sha256"
  "p256:P-256:alice-p256:sha256"
  "p384:P-384:alice-p384:sha384"
)
# size id : display : bytes : timed iterations (both runners use these)
SIZES=(
  "2k:2 KB:2048:50"
  "100k:100 KB:102400:30"
  "5m:5 MB:5242880:10"
  "25m:25 MB:26214400:5"
)

stamp() {
  # Everything the corpus depends on: this script and the PKI files it signs with.
  { cat "$HERE/make-corpus.sh"; for s in "${SIGNERS[@]}"; do IFS=: read -r _ _ base _ <<<"$s"
      cat "$PKI/$base.pem" "$PKI/$base.key"; done; cat "$PKI/inter.pem" "$PKI/root.pem"; } \
    | sha256sum | cut -c1-16
}

if [ "${1:-}" = --stamp ]; then stamp; exit 0; fi
OUT="${1:-$ROOT/target/bench/corpus}"

die() { printf 'make-corpus.sh: %s\n' "$*" >&2; exit 1; }
command -v openssl >/dev/null || die "openssl is missing"
command -v python3 >/dev/null || die "python3 is missing"
for s in "${SIGNERS[@]}"; do IFS=: read -r _ _ base _ <<<"$s"
  [ -f "$PKI/$base.pem" ] && [ -f "$PKI/$base.key" ] || die "missing $PKI/$base.{pem,key} (run tests/fixtures/smime/generate.sh)"
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
openssl x509 -in "$PKI/root.pem" -outform DER -out "$OUT/root.der"

# content FILE BYTES: a CRLF text/plain entity of exactly BYTES bytes (deterministic text).
content() {
  python3 - "$1" "$2" <<'PY'
import sys, random
path, total = sys.argv[1], int(sys.argv[2])
head = (b"Content-Type: text/plain; charset=us-ascii\r\n"
        b"Content-Transfer-Encoding: 7bit\r\n\r\n")
rng = random.Random(total)           # same text for every signer of one size
alphabet = b"abcdefghijklmnopqrstuvwxyz      ,.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
line_len = 76
n_lines = (total - len(head)) // (line_len + 2) + 1
body = bytearray()
for _ in range(n_lines):
    body += bytes(rng.choice(alphabet) for _ in range(line_len)) + b"\r\n"
data = head + bytes(body)
data = data[: total - 2] + b"\r\n"    # exact size, ends with a line break
assert len(data) == total and b"\n" not in data.replace(b"\r\n", b"")
open(path, "wb").write(data)
PY
}

crlf() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read().replace(b"\r\n",b"\n").replace(b"\n",b"\r\n"); open(sys.argv[1],"wb").write(d)' "$1"; }

cases_json="$TMP/cases.jsonl"
: > "$cases_json"
for z in "${SIZES[@]}"; do
  IFS=: read -r sid sname sbytes iters <<<"$z"
  content "$TMP/content-$sid.txt" "$sbytes"
  for s in "${SIGNERS[@]}"; do
    IFS=: read -r aid aname base md <<<"$s"
    for mode in detached opaque; do
      id="$aid-$sid-$mode"
      extra=(); [ "$mode" = opaque ] && extra=(-nodetach)
      openssl cms -sign -binary -in "$TMP/content-$sid.txt" -md "$md" \
        -signer "$PKI/$base.pem" -inkey "$PKI/$base.key" -certfile "$PKI/inter.pem" \
        -from "Alice Example <alice@example.com>" -to "Bob <bob@example.org>" \
        -subject "Benchmark $id" "${extra[@]}" -out "$OUT/$id.eml"
      crlf "$OUT/$id.eml"
      printf '{"id":"%s","algorithm":"%s","size":"%s","size_bytes":%s,"mode":"%s","file":"%s.eml","file_bytes":%s,"iters":%s}\n' \
        "$id" "$aname" "$sname" "$sbytes" "$mode" "$id" "$(wc -c < "$OUT/$id.eml")" "$iters" >> "$cases_json"
    done
  done
done

python3 - "$cases_json" "$OUT/manifest.json" "$(stamp)" "$NOW" <<'PY'
import sys, json
cases = [json.loads(l) for l in open(sys.argv[1])]
doc = {"stamp": sys.argv[3], "now": int(sys.argv[4]), "root": "root.der", "cases": cases}
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY
echo "make-corpus.sh: $(grep -c . "$cases_json") mails in $OUT ($(du -sh "$OUT" | cut -f1))" >&2
