"""Writes src/site/psl.txt, the compact Public Suffix List the core embeds, from the upstream
public_suffix_list.dat: python3 tools/gen_psl.py tests/fixtures/psl/public_suffix_list.dat

One rule per line in ASCII (Unicode labels as Punycode `xn--` A-labels, RFC 3492), ICANN and
PRIVATE sections both (as browsers use them), comments and blank lines dropped. The first line
names the upstream version and commit. The list is MPL-2.0 (publicsuffix.org)."""
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
with open(out, "w", encoding="ascii", newline="\n") as f:
    f.write(f"# Public Suffix List {version} commit {commit} (MPL-2.0), by tools/gen_psl.py\n")
    f.write("\n".join(rules) + "\n")
print(f"{len(rules)} rules written to {out}")
