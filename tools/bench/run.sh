#!/usr/bin/env bash
# S/MIME verification benchmark: native (benches/verify.rs) against wasm in Node
# (tools/bench/wasm-node.mjs over pkg/), same corpus, same N, interleaved.
#
#   tools/bench/run.sh [--rounds R] [--build] [FILTER]
#
#   --rounds R   rounds (default 3); in each round every case runs once natively and once
#                in wasm, alternating which goes first, N timed calls each after warm-up
#   --build      run ./build.sh first (otherwise pkg/ must exist; a pkg/ older than src/
#                is reported, since it would compare two different verifiers)
#   FILTER       only cases whose id contains FILTER (e.g. rsa2048, 25m, opaque)
#   NODE_FLAGS   environment: flags for node (default none; e.g. --no-liftoff)
#   BENCH_MANIFEST  environment: the Cargo.toml whose `verify` bench to build (default ours)
#   BENCH_PKG    environment: the wasm-bindgen output dir to time (default pkg/)
#   BENCH_CORPUS environment: the corpus dir (default target/bench/corpus)
#
# Generates target/bench/corpus/ if missing or stale (tools/bench/make-corpus.sh), prints
# one table `algorithm size mode native_ms wasm_ms ratio` (medians over all timed calls of
# all rounds, ratio = wasm / native) and writes target/bench/verify.json: a list of
# {implementation: "native"|"wasm-node", algorithm, size, mode, median_ms}.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

ROUNDS=3 BUILD=0 FILTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --build) BUILD=1; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) FILTER="$1"; shift ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"

OUT="$ROOT/target/bench"
CORPUS="${BENCH_CORPUS:-$OUT/corpus}"
mkdir -p "$OUT"

# ---------------------------------------------------------------- builds
PKG="${BENCH_PKG:-pkg}"
if [ "$BUILD" = 1 ] || { [ -z "${BENCH_PKG:-}" ] && [ ! -f pkg/impalemail_bg.wasm ]; }; then
  say "building pkg/ with ./build.sh"
  ./build.sh
fi
[ -f "$PKG/impalemail_bg.wasm" ] || die "$PKG/impalemail_bg.wasm is missing"
# A private copy, so that a ./build.sh running meanwhile (it removes pkg/) cannot pull it away.
rm -rf "$OUT/pkg"
cp -rp "$PKG" "$OUT/pkg" || die "could not copy $PKG (is ./build.sh running right now?)"
export IMPALEMAIL_PKG="$OUT/pkg"
STALE=""
if [ -n "$(find src/smime src/bindings.rs src/lib.rs Cargo.toml Cargo.lock -newer "$OUT/pkg/impalemail_bg.wasm" -print -quit)" ]; then
  STALE="pkg/ is older than src/smime or the bindings (run ./build.sh or pass --build): the wasm column may be an older verifier"
  say "WARNING: $STALE"
fi
say "building the native bench (release profile)"
MANIFEST="${BENCH_MANIFEST:-$ROOT/Cargo.toml}"
BIN="$(cargo bench --manifest-path "$MANIFEST" --bench verify --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "verify" and m.get("executable"):
        print(m["executable"])' | tail -1)"
[ -n "$BIN" ] && [ -x "$BIN" ] || { cargo bench --manifest-path "$MANIFEST" --bench verify --no-run >&2 || true; die "could not build the native bench"; }

# ---------------------------------------------------------------- corpus
want="$(tools/bench/make-corpus.sh --stamp)"
have="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["stamp"])' "$CORPUS/manifest.json" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  say "generating the corpus in $CORPUS (about 290 MB, under a minute)"
  tools/bench/make-corpus.sh "$CORPUS"
fi
mapfile -t CASES < <(python3 -c 'import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    if sys.argv[2] in c["id"]:
        print(c["id"])' "$CORPUS/manifest.json" "$FILTER")
[ "${#CASES[@]}" -gt 0 ] || die "no case matches '$FILTER'"

# ---------------------------------------------------------------- runners
# Both runners stay up for the whole run (one warm-up each) and take one request per line
# through a FIFO, so bash alternates them case by case; only one of them runs at a time.
WORK="$(mktemp -d)"
NATIVE_PID="" WASM_PID=""
cleanup() {
  exec 3>&- 4<&- 5>&- 6<&- 2>/dev/null || true
  [ -z "$NATIVE_PID" ] || kill "$NATIVE_PID" 2>/dev/null || true
  [ -z "$WASM_PID" ] || kill "$WASM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap '' PIPE # a runner that stopped must give an error here, not kill the script silently
mkfifo "$WORK/native.in" "$WORK/native.out" "$WORK/wasm.in" "$WORK/wasm.out"

read -r -a NODE_ARGS <<<"${NODE_FLAGS:-}"
"$BIN" --serve --corpus "$CORPUS" <"$WORK/native.in" >"$WORK/native.out" &
NATIVE_PID=$!
exec 3>"$WORK/native.in" 4<"$WORK/native.out"
node "${NODE_ARGS[@]}" tools/bench/wasm-node.mjs --serve --corpus "$CORPUS" <"$WORK/wasm.in" >"$WORK/wasm.out" &
WASM_PID=$!
exec 5>"$WORK/wasm.in" 6<"$WORK/wasm.out"

# ask IMPL CASE: one request, one JSON answer line (appended to the results)
ask() {
  local impl=$1 id=$2 line wfd rfd
  if [ "$impl" = native ]; then wfd=3 rfd=4; else wfd=5 rfd=6; fi
  printf '%s\n' "$id" >&"$wfd" 2>/dev/null || die "the $impl runner has stopped (see the error above)"
  IFS= read -r -t 900 line <&"$rfd" || die "$impl runner gave no answer for $id (see the error above)"
  printf '{"implementation":"%s","round":%s,"answer":%s}\n' "$impl" "$round" "$line" >>"$WORK/results.jsonl"
  [[ "$line" =~ \"median_ms\":([0-9.eE+-]+) ]] || die "$impl runner: unexpected answer: $line"
  printf '  %-10s %-24s %10.3f ms\n' "$impl" "$id" "${BASH_REMATCH[1]}" >&2
}

round=0
IFS= read -r -t 120 line <&4 \
  || die "the native runner did not start (is benches/verify.rs registered in Cargo.toml as [[bench]] with harness = false?)"
say "native runner ready; warming up wasm (every 2 KB and 100 KB case)"
IFS= read -r -t 600 line <&6 || die "the wasm runner did not start"
say "running ${#CASES[@]} cases x $ROUNDS rounds, native and wasm alternating (node flags: ${NODE_FLAGS:-none})"
for ((round = 1; round <= ROUNDS; round++)); do
  say "round $round/$ROUNDS"
  for id in "${CASES[@]}"; do
    if ((round % 2)); then ask native "$id"; ask wasm-node "$id"; else ask wasm-node "$id"; ask native "$id"; fi
  done
done

# ---------------------------------------------------------------- table and JSON
python3 - "$WORK/results.jsonl" "$CORPUS/manifest.json" "$OUT/verify.json" "$ROUNDS" \
  "$(node --version)" "${NODE_FLAGS:-none}" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$STALE" <<'PY'
import json, statistics, sys
results, manifest, out, rounds, node, flags, cores, load, stale = sys.argv[1:]
cases = {c["id"]: c for c in json.load(open(manifest))["cases"]}
samples, order = {}, []
for line in open(results):
    r = json.loads(line)
    a = r["answer"]
    key = (r["implementation"], a["id"])
    samples.setdefault(key, []).extend(a["samples_ms"])
    if a["id"] not in order:
        order.append(a["id"])
rows, doc = [], []
for cid in order:
    c = cases[cid]
    med = {impl: statistics.median(samples[(impl, cid)]) for impl in ("native", "wasm-node")}
    for impl in ("native", "wasm-node"):
        doc.append({"implementation": impl, "algorithm": c["algorithm"], "size": c["size"],
                    "mode": c["mode"], "median_ms": round(med[impl], 4)})
    rows.append((c["algorithm"], c["size"], c["mode"], c["iters"], med["native"], med["wasm-node"]))
json.dump(doc, open(out, "w"), indent=1)
print(f"S/MIME verify, raw bytes to verdict; median of {rounds} rounds x N timed calls "
      f"(after warm-up); node {node}, node flags: {flags}; {cores} cores, load {load}")
print(f"{'algorithm':<9} {'size':>7} {'mode':<9} {'N':>3} {'native_ms':>10} {'wasm_ms':>10} {'ratio':>6}")
for alg, size, mode, n, nat, wasm in rows:
    print(f"{alg:<9} {size:>7} {mode:<9} {n:>3} {nat:>10.3f} {wasm:>10.3f} {wasm / nat:>6.2f}")
print(f"JSON: {out}")
if stale:
    print(f"WARNING: {stale}")
PY
