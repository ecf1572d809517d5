#!/usr/bin/env bash
# Generates the S/MIME verification benchmark corpus (not committed: the 25 MB mails are
# too big). Reuses the project's throw-away test PKI in tests/fixtures/smime/pki.
#
#   tools/bench/make-corpus.sh [OUT_DIR]    default: target/bench/corpus
#   tools/bench/make-corpus.sh --stamp      print the corpus stamp (inputs' hash) and exit
#
# Needs openssl >= 3.0 and python3 (stdlib only).
#
# Cases: signer RSA-2048, RSA-4096 (SHA-256), P-256 (SHA-256), P-384 (SHA-384),
#        Ed25519 (SHA-512 message digest, RFC 8419)
#        x signed content of 2 KB, 100 KB, 5 MB, 25 MB (KB/MB = 1024/1048576 bytes)
#        x detached (multipart/signed) and opaque (application/pkcs7-mime signed-data, base64).
# The signed content is one text/plain entity (headers + 7bit body of 76-character lines)
# of exactly that many bytes, written with CRLF and signed with `-binary`; the whole mail is
# then normalised to CRLF, as tests/fixtures/smime/generate.sh does. Signer certificates
# carry emailProtection and alice@example.com, the mails are From that address, the
# intermediate CA is in the CMS and the root is passed as a user root (root.der), so every
# mail is GREEN at `now` = 2027-01-01T00:00:00Z (the runners check that before timing).
#
# Ed25519: OpenSSL 3.0's `cms -sign` refuses Ed25519 keys, so those mails are assembled by
# the python helper ed25519_mail below, as tests/fixtures/smime/generate.sh makes its 007:
# SignedData v1, digestAlgorithm SHA-512, signed attributes contentType, signingTime
# (fixed: 2026-12-01T00:00:00Z) and messageDigest, signatureAlgorithm id-Ed25519 (pure
# Ed25519 over the DER SET of the signed attributes, made with `openssl pkeyutl -sign
# -rawin`), the signer and intermediate certificates; detached as multipart/signed
# (micalg="sha-512"), opaque as application/pkcs7-mime with the content in eContent (DER).
# Headers and line layout follow what `openssl cms -sign` writes for the other signers.
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
  "ed25519:Ed25519:alice-ed25519:sha512"
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

# ed25519_mail CONTENT CERT KEY INTER OUT MODE SUBJECT: a signed mail made without `cms -sign`.
ed25519_mail() {
  python3 - "$@" "$TMP" <<'PY'
import base64, hashlib, subprocess, sys
content_path, cert_path, key_path, inter_path, out, mode, subject, tmp = sys.argv[1:]

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        l = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        l = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + l + body

def read(buf, pos=0):
    l = buf[pos + 1]; p = pos + 2
    if l & 0x80:
        k = l & 0x7f; l = int.from_bytes(buf[p:p + k], "big"); p += k
    return p, p + l

def kids(buf, start, end):
    out = []
    while start < end:
        vs, e = read(buf, start); out.append((buf[start], start, vs, e)); start = e
    return out

def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7f]; p >>= 7
        while p:
            enc.insert(0, 0x80 | (p & 0x7f)); p >>= 7
        body += bytes(enc)
    return tlv(0x06, body)

def seq(*xs): return tlv(0x30, b"".join(xs))
def set_(*xs): return tlv(0x31, b"".join(xs))

def pem_to_der(path):
    lines = [l for l in open(path).read().splitlines() if l and not l.startswith("-----")]
    return base64.b64decode("".join(lines))

def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 64] for i in range(0, len(s), 64)) + "\r\n"

content = open(content_path, "rb").read()
cert, inter = pem_to_der(cert_path), pem_to_der(inter_path)
vs, e = read(cert)
tbs = kids(cert, vs, e)[0]
f = kids(cert, tbs[2], tbs[3])
i = 1 if f[0][0] == 0xA0 else 0       # skip [0] version
serial, issuer = cert[f[i][1]:f[i][3]], cert[f[i + 2][1]:f[i + 2][3]]
data_oid = oid("1.2.840.113549.1.7.1")
sha512 = seq(oid("2.16.840.1.101.3.4.2.3"))
attrs = sorted([
    seq(oid("1.2.840.113549.1.9.3"), set_(data_oid)),
    seq(oid("1.2.840.113549.1.9.5"), set_(tlv(0x17, b"261201000000Z"))),
    seq(oid("1.2.840.113549.1.9.4"), set_(tlv(0x04, hashlib.sha512(content).digest()))),
])
open(tmp + "/attrs.der", "wb").write(set_(*attrs))
subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key_path, "-in",
                tmp + "/attrs.der", "-out", tmp + "/sig.bin"], check=True)
sig = open(tmp + "/sig.bin", "rb").read()
si = seq(tlv(0x02, b"\x01"), seq(issuer, serial), sha512, tlv(0xA0, b"".join(attrs)),
         seq(oid("1.3.101.112")), tlv(0x04, sig))
encap = seq(data_oid) if mode == "detached" else seq(data_oid, tlv(0xA0, tlv(0x04, content)))
sd = seq(tlv(0x02, b"\x01"), set_(sha512), encap, tlv(0xA0, cert + inter), set_(si))
ci = seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, sd))
head = ("To: Bob <bob@example.org>\r\nFrom: Alice Example <alice@example.com>\r\n"
        f"Subject: {subject}\r\nMIME-Version: 1.0\r\n")
if mode == "detached":
    b = "----" + hashlib.sha256(content).hexdigest()[:32].upper()
    mail = (head + 'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; '
            f'micalg="sha-512"; boundary="{b}"\r\n\r\n'
            f"This is an S/MIME signed message\r\n\r\n--{b}\r\n").encode() + content + (
            f"\r\n--{b}\r\n"
            'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n'
            "Content-Transfer-Encoding: base64\r\n"
            'Content-Disposition: attachment; filename="smime.p7s"\r\n\r\n'
            + b64(ci) + f"\r\n--{b}--\r\n\r\n").encode()
else:
    mail = (head + 'Content-Disposition: attachment; filename="smime.p7m"\r\n'
            'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64(ci) + "\r\n").encode()
open(out, "wb").write(mail)
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
      if [ "$aid" = ed25519 ]; then
        ed25519_mail "$TMP/content-$sid.txt" "$PKI/$base.pem" "$PKI/$base.key" "$PKI/inter.pem" \
          "$OUT/$id.eml" "$mode" "Benchmark $id"
      else
        extra=(); [ "$mode" = opaque ] && extra=(-nodetach)
        openssl cms -sign -binary -in "$TMP/content-$sid.txt" -md "$md" \
          -signer "$PKI/$base.pem" -inkey "$PKI/$base.key" -certfile "$PKI/inter.pem" \
          -from "Alice Example <alice@example.com>" -to "Bob <bob@example.org>" \
          -subject "Benchmark $id" "${extra[@]}" -out "$OUT/$id.eml"
        crlf "$OUT/$id.eml"
      fi
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
