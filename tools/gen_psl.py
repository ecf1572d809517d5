"""Writes src/site/psl.txt, the compact Public Suffix List the core embeds, from the upstream
public_suffix_list.dat: python3 tools/gen_psl.py tests/fixtures/psl/public_suffix_list.dat

Every rule in ASCII (Unicode labels as Punycode `xn--` A-labels, RFC 3492), ICANN and PRIVATE
sections both (as browsers use them), comments and blank lines dropped. The first line names the
upstream version and commit. The list is MPL-2.0 (publicsuffix.org).

Front-coded, to halve the wasm's copy (150 KB -> 76 KB; 44 KB -> 34 KB gzipped): each rule is
written with its labels reversed (`co.uk` -> `uk.co`, `*.ck` -> `ck.*`, `!www.ck` -> `ck.www!`),
the rules are sorted, and each line is one character chr(0x30 + n), n being how many leading
characters the rule shares with the previous line's rule, followed by the rest of the rule.
`src/site.rs` (`psl_rules`) decodes it."""
import sys

src = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else "src/site/psl.txt"
version = commit = "?"
rules = []
for raw in open(src, encoding="utf-8"):
    line = raw.strip()
    if line.startswith("// VERSION:"):
        version = line.split(":", 1)[1].strip()
    elif line.startswith("// COMMIT:"):
        commit = line.split(":", 1)[1].strip()
    if not line or line.startswith("//"):
        continue
    rule = line.split()[0]
    prefix = ""
    if rule.startswith("!"):
        prefix, rule = "!", rule[1:]
    labels = []
    for label in rule.lower().split("."):
        if label == "*" or label.isascii():
            labels.append(label)
        else:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
    rules.append(prefix + ".".join(labels))
def reversed_rule(rule):
    bang = rule.startswith("!")
    body = rule[1:] if bang else rule
    return ".".join(reversed(body.split("."))) + ("!" if bang else "")


lines, prev = [], ""
for r in sorted(set(reversed_rule(r) for r in rules)):
    n = 0
    while n < min(len(prev), len(r)) and prev[n] == r[n]:
        n += 1
    assert n < 0x4F, "shared prefix fits one character"
    lines.append(chr(0x30 + n) + r[n:])
    prev = r
with open(out, "w", encoding="ascii", newline="\n") as f:
    f.write(f"# Public Suffix List {version} commit {commit} (MPL-2.0), by tools/gen_psl.py\n")
    f.write("\n".join(lines) + "\n")
print(f"{len(rules)} rules written to {out}")
