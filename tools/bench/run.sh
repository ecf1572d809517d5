#!/usr/bin/env bash
# S/MIME verification benchmark, side by side: the same corpus, the same `now`, chain
# validation on everywhere, every implementation kept up as a server and asked case by case
# in turn (interleaved), for R rounds.
#
#   tools/bench/run.sh [--rounds R] [--quick] [--build] [--only LIST] [--skip LIST] [FILTER]
#
#   --rounds R   rounds (default 3); in each round every case runs once in every
#                implementation, the order of implementations rotating from round to round
#   --quick      a bounded smoke run (a few minutes): 1 round, only the 2 KB and 25 MB
#                cases, N/5 timed calls (at least 3), 2 cold-start launches, no -Oz size probe
#   --build      run ./build.sh first (otherwise pkg/ and dist/chrome must exist)
#   --only LIST / --skip LIST   comma-separated implementations to run / leave out, from
#                native wasm-node wasm-chromium openssl-inproc openssl-cli pkijs
#                pkijs-chromium wasm-firefox
#                wasm-firefox runs in a phase of its own after the others, interleaved with
#                native and pkijs only (see FIREFOX PHASE below)
#   FILTER       only cases whose id contains FILTER (e.g. rsa2048, 25m, opaque, ed25519)
#   NODE_FLAGS   environment: flags for the Node runners (default none; e.g. --no-liftoff)
#   BENCH_MANIFEST  environment: the Cargo.toml whose `verify` bench to build (default ours)
#   BENCH_PKG    environment: the wasm-bindgen output dir to time (default pkg/)
#   BENCH_DIST   environment: the unpacked Chrome build to load (default dist/chrome)
#   BENCH_DIST_FIREFOX  environment: the unpacked Firefox build to load (default dist/firefox)
#   BENCH_CORPUS environment: the corpus dir (default target/bench/corpus)
#   BENCH_COLD   environment: cold-start launches (default 5, --quick 2)
#
# An implementation whose tool is missing is left out with a message saying what to install;
# a case an implementation cannot verify is shown as n/a with its reason (never timed).
# Prints the medians (over all timed calls of all rounds), the ratios, the sizes and the cold
# start, and writes target/bench/results.json: a list of {implementation, algorithm, size,
# mode, median_ms} (measured cells only), and target/bench/extras.json (n/a cells with
# reasons, sizes, cold start, OpenSSL start-up, environment). See tools/bench/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

ALL_IMPLS=(native wasm-node wasm-chromium wasm-firefox openssl-inproc openssl-cli pkijs pkijs-chromium)
ROUNDS=3 BUILD=0 FILTER="" QUICK=0 ONLY="" SKIP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --build) BUILD=1; shift ;;
    --only) ONLY="${2:?--only needs a list}"; shift 2 ;;
    --skip) SKIP="${2:?--skip needs a list}"; shift 2 ;;
    -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) FILTER="$1"; shift ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[ "$QUICK" = 1 ] && ROUNDS=1
COLD="${BENCH_COLD:-$([ "$QUICK" = 1 ] && echo 2 || echo 5)}"
for i in ${ONLY//,/ } ${SKIP//,/ }; do
  [[ " ${ALL_IMPLS[*]} " == *" $i "* ]] || die "unknown implementation $i (one of: ${ALL_IMPLS[*]})"
done
wanted() { # IMPL: in --only (if given) and not in --skip
  { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; } && [[ ",$SKIP," != *",$1,"* ]]
}

OUT="$ROOT/target/bench"
CORPUS="${BENCH_CORPUS:-$OUT/corpus}"
mkdir -p "$OUT"
T_START=$SECONDS
MISSING=() # "impl: what is missing"
skip_impl() { MISSING+=("$1: $2"); say "leaving out $1: $2"; }

# ---------------------------------------------------------------- builds
PKG="${BENCH_PKG:-pkg}"
DIST="${BENCH_DIST:-dist/chrome}"
if [ "$BUILD" = 1 ] || { [ -z "${BENCH_PKG:-}" ] && [ ! -f pkg/impalemail_bg.wasm ]; }; then
  say "building pkg/ and dist/ with ./build.sh"
  ./build.sh
fi
[ -f "$PKG/impalemail_bg.wasm" ] || die "$PKG/impalemail_bg.wasm is missing (run ./build.sh)"
# pkg/ and dist/chrome/pkg/ differ while a ./build.sh is between wasm-bindgen and assembling
# dist/ (pkg/ then holds un-optimised output): wait for it rather than time a half build.
if [ -z "${BENCH_PKG:-}" ] && [ -f "$DIST/pkg/impalemail_bg.wasm" ]; then
  for ((i = 0; i < 60; i++)); do
    cmp -s "$PKG/impalemail_bg.wasm" "$DIST/pkg/impalemail_bg.wasm" && break
    [ "$i" = 0 ] && say "pkg/ and $DIST/pkg/ hold different wasm (a ./build.sh running?): waiting up to 5 minutes"
    sleep 5
  done
fi
# A private copy, so that a ./build.sh running meanwhile (it removes pkg/) cannot pull it away.
rm -rf "$OUT/pkg"
cp -rp "$PKG" "$OUT/pkg" || die "could not copy $PKG (is ./build.sh running right now?)"
export IMPALEMAIL_PKG="$OUT/pkg"
WARNINGS=()
if [ -n "$(find src Cargo.toml Cargo.lock -newer "$OUT/pkg/impalemail_bg.wasm" -name '*.rs' -print -quit 2>/dev/null)" ]; then
  WARNINGS+=("pkg/ is older than some src/ file (run ./build.sh or pass --build): the wasm columns may be an older verifier than native")
fi
if [ -f "$DIST/pkg/impalemail_bg.wasm" ] && ! cmp -s "$OUT/pkg/impalemail_bg.wasm" "$DIST/pkg/impalemail_bg.wasm"; then
  WARNINGS+=("$DIST/pkg/ differs from $PKG/: the Chromium column uses the copy of $PKG/ (the same wasm as wasm-node) inside a copy of $DIST")
fi
for w in "${WARNINGS[@]}"; do say "WARNING: $w"; done

BIN=""
if wanted native; then
  if ! command -v cargo >/dev/null; then
    skip_impl native "cargo is missing (./build.sh installs Rust)"
  else
    say "building the native bench (release profile)"
    MANIFEST="${BENCH_MANIFEST:-$ROOT/Cargo.toml}"
    BIN="$(cargo bench --manifest-path "$MANIFEST" --bench verify --no-run --message-format=json 2>/dev/null \
      | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "verify" and m.get("executable"):
        print(m["executable"])' | tail -1)"
    [ -n "$BIN" ] && [ -x "$BIN" ] || { cargo bench --manifest-path "$MANIFEST" --bench verify --no-run >&2 || true; die "could not build the native bench"; }
  fi
fi
INPROC="$OUT/openssl-inproc"
if wanted openssl-inproc; then
  if ! command -v gcc >/dev/null; then
    skip_impl openssl-inproc "gcc is missing (apt-get install gcc)"
  elif ! printf '#include <openssl/cms.h>\n' | gcc -E -x c - >/dev/null 2>&1; then
    skip_impl openssl-inproc "OpenSSL headers are missing (apt-get install libssl-dev)"
  elif [ ! -x "$INPROC" ] || [ "$HERE/openssl-inproc.c" -nt "$INPROC" ]; then
    say "building $INPROC (gcc -O2 -lcrypto)"
    gcc -O2 -Wall -o "$INPROC" "$HERE/openssl-inproc.c" -lcrypto || die "could not build tools/bench/openssl-inproc.c"
  fi
fi
if wanted openssl-cli && ! command -v openssl >/dev/null; then skip_impl openssl-cli "the openssl command is missing (apt-get install openssl)"; fi
if wanted pkijs && [ ! -f node_modules/pkijs/package.json ]; then skip_impl pkijs "node_modules/pkijs is missing (npm ci: it is a devDependency)"; fi
if wanted wasm-firefox; then
  GECKODRIVER_BIN="${GECKODRIVER:-$(command -v geckodriver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver")}"
  if [ ! -x "${FIREFOX_BIN:-/usr/lib/firefox-esr/firefox-esr}" ]; then skip_impl wasm-firefox "Firefox ESR is missing (apt-get install firefox-esr)"
  elif [ ! -x "$GECKODRIVER_BIN" ]; then skip_impl wasm-firefox "geckodriver is missing (cargo install geckodriver --locked; ./build.sh test installs it)"
  elif [ ! -f "${BENCH_DIST_FIREFOX:-dist/firefox}/manifest.json" ]; then skip_impl wasm-firefox "${BENCH_DIST_FIREFOX:-dist/firefox} is missing (run ./build.sh)"
  fi
fi
if wanted pkijs-chromium; then
  if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then skip_impl pkijs-chromium "${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)"
  elif [ ! -f node_modules/pkijs/package.json ] || [ ! -f node_modules/esbuild/package.json ] || [ ! -f node_modules/playwright-core/package.json ]; then
    skip_impl pkijs-chromium "node_modules/pkijs, esbuild or playwright-core is missing (npm ci: devDependencies)"
  fi
fi
if wanted wasm-chromium; then
  if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then skip_impl wasm-chromium "${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)"
  elif [ ! -f "$DIST/manifest.json" ]; then skip_impl wasm-chromium "$DIST is missing (run ./build.sh)"
  elif [ ! -f node_modules/playwright-core/package.json ]; then skip_impl wasm-chromium "node_modules/playwright-core is missing (npm ci)"
  fi
fi

# ---------------------------------------------------------------- corpus
want="$(tools/bench/make-corpus.sh --stamp)"
have="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["stamp"])' "$CORPUS/manifest.json" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  say "generating the corpus in $CORPUS (about 360 MB, under a minute)"
  tools/bench/make-corpus.sh "$CORPUS"
fi
# CASE_ID ITERS per line (quick: 2 KB and 25 MB only, a fifth of N, at least 3)
mapfile -t CASES < <(python3 -c 'import json, sys
quick = sys.argv[3] == "1"
for c in json.load(open(sys.argv[1]))["cases"]:
    if sys.argv[2] not in c["id"] or (quick and c["size_bytes"] not in (2048, 26214400)):
        continue
    print(c["id"], max(3, c["iters"] // 5) if quick else c["iters"])' "$CORPUS/manifest.json" "$FILTER" "$QUICK")
[ "${#CASES[@]}" -gt 0 ] || die "no case matches '$FILTER'"

# ---------------------------------------------------------------- runners
# Every runner stays up for the whole run (its warm-up once) and answers one request line
# (`CASE_ID ITERS`) with one JSON line, through FIFOs; only one of them runs at a time.
WORK="$(mktemp -d)"
declare -A WFD RFD PID
IMPLS=()
cleanup() {
  local i
  for i in "${IMPLS[@]}"; do
    eval "exec ${WFD[$i]}>&- ${RFD[$i]}<&-" 2>/dev/null || true
  done
  for i in "${IMPLS[@]}"; do
    [ -z "${PID[$i]:-}" ] || kill "${PID[$i]}" 2>/dev/null || true
  done
  for i in "${IMPLS[@]}"; do
    [ -z "${PID[$i]:-}" ] || wait "${PID[$i]}" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap '' PIPE # a runner that stopped must give an error here, not kill the script silently
read -r -a NODE_ARGS <<<"${NODE_FLAGS:-}"
: >"$WORK/results.jsonl"

# start IMPL TIMEOUT_S COMMAND...: start a runner and wait for its {"ready": ...} line.
start() {
  local impl=$1 timeout=$2 w r line
  shift 2
  mkfifo "$WORK/$impl.in" "$WORK/$impl.out"
  # Without the other runners' pipe ends, so that closing a runner's input is its end of input
  # (a runner started later would otherwise hold it open).
  (
    for fd in "${WFD[@]}" "${RFD[@]}"; do eval "exec $fd>&-"; done
    exec "$@"
  ) <"$WORK/$impl.in" >"$WORK/$impl.out" &
  PID[$impl]=$!
  exec {w}>"$WORK/$impl.in" {r}<"$WORK/$impl.out"
  WFD[$impl]=$w RFD[$impl]=$r
  IMPLS+=("$impl")
  IFS= read -r -t "$timeout" line <&"$r" || die "the $impl runner did not start (see the error above)"
  printf '%s\n' "$line" >"$WORK/$impl.ready"
  say "$impl ready ($((SECONDS - T_START)) s)"
}

if wanted native && [ -n "$BIN" ]; then
  start native 120 "$BIN" --serve --corpus "$CORPUS"
fi
if wanted wasm-node; then
  say "starting wasm-node (warm-up: every 2 KB and 100 KB case)"
  start wasm-node 600 node "${NODE_ARGS[@]}" tools/bench/wasm-node.mjs --serve --corpus "$CORPUS"
fi
if wanted wasm-chromium && [[ " ${MISSING[*]} " != *" wasm-chromium:"* ]]; then
  say "starting wasm-chromium ($COLD cold-start launches, then the timed browser and its warm-up)"
  start wasm-chromium 900 env BENCH_DIST="$DIST" node "${NODE_ARGS[@]}" tools/bench/wasm-chromium.mjs --serve \
    --corpus "$CORPUS" --cold "$COLD" --cold-out "$WORK/cold.json"
fi
if wanted openssl-inproc && [ -x "$INPROC" ] && [[ " ${MISSING[*]} " != *" openssl-inproc:"* ]]; then
  start openssl-inproc 60 "$INPROC" --serve --corpus "$CORPUS" \
    --now "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["now"])' "$CORPUS/manifest.json")"
fi
if wanted openssl-cli && [[ " ${MISSING[*]} " != *" openssl-cli:"* ]]; then
  start openssl-cli 60 python3 tools/bench/openssl-cli.py --serve --corpus "$CORPUS"
fi
if wanted pkijs && [[ " ${MISSING[*]} " != *" pkijs:"* ]]; then
  say "starting pkijs (warm-up: every 2 KB and 100 KB case)"
  start pkijs 600 node "${NODE_ARGS[@]}" tools/bench/pkijs.mjs --serve --corpus "$CORPUS"
fi
if wanted pkijs-chromium && [[ " ${MISSING[*]} " != *" pkijs-chromium:"* ]]; then
  say "starting pkijs-chromium (its own browser; warm-up: every 2 KB and 100 KB case)"
  start pkijs-chromium 900 node "${NODE_ARGS[@]}" tools/bench/pkijs-chromium.mjs --serve --corpus "$CORPUS"
fi
FIREFOX=0
wanted wasm-firefox && [[ " ${MISSING[*]} " != *" wasm-firefox:"* ]] && FIREFOX=1
[ "${#IMPLS[@]}" -gt 0 ] || [ "$FIREFOX" = 1 ] || die "no implementation to run"

# stop IMPL: close a runner's pipes and wait for it to end.
stop() {
  local impl=$1
  local t
  eval "exec ${WFD[$impl]}>&- ${RFD[$impl]}<&-" 2>/dev/null || true
  # End of input is the runners' signal to close their browsers; give them time for it.
  for ((t = 0; t < 60; t++)); do kill -0 "${PID[$impl]}" 2>/dev/null || break; sleep 0.5; done
  kill "${PID[$impl]}" 2>/dev/null || true
  wait "${PID[$impl]}" 2>/dev/null || true
  PID[$impl]=""
}

# ask IMPL CASE ITERS: one request, one JSON answer line (appended to the results)
ask() {
  local impl=$1 id=$2 iters=$3 line
  printf '%s %s\n' "$id" "$iters" >&"${WFD[$impl]}" 2>/dev/null || die "the $impl runner has stopped (see the error above)"
  IFS= read -r -t 900 line <&"${RFD[$impl]}" || die "$impl runner gave no answer for $id (see the error above)"
  printf '{"implementation":"%s","phase":"%s","round":%s,"answer":%s}\n' "$impl" "$PHASE" "$round" "$line" >>"$WORK/results.jsonl"
  if [[ "$line" =~ \"median_ms\":\ ?([0-9.eE+-]+) ]]; then
    printf '  %-15s %-24s %10.3f ms\n' "$impl" "$id" "${BASH_REMATCH[1]}" >&2
  elif [[ "$line" == *'"na"'* ]]; then
    printf '  %-15s %-24s        n/a\n' "$impl" "$id" >&2
  else
    die "$impl runner: unexpected answer: $line"
  fi
}

# rounds IMPL...: ROUNDS rounds, every case once in every IMPL per round, the order rotating
rounds() {
  local n=$# k j entry id iters
  local -a these=("$@")
  for ((round = 1; round <= ROUNDS; round++)); do
    say "$PHASE: round $round/$ROUNDS ($((SECONDS - T_START)) s, load $(cut -d' ' -f1-3 /proc/loadavg))"
    k=0
    for entry in "${CASES[@]}"; do
      read -r id iters <<<"$entry"
      for ((j = 0; j < n; j++)); do ask "${these[$(((j + round - 1 + k) % n))]}" "$id" "$iters"; done
      k=$((k + 1))
    done
  done
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
PHASE=main
MAIN_IMPLS=("${IMPLS[@]}")
if [ "${#MAIN_IMPLS[@]}" -gt 0 ]; then
  say "running ${#CASES[@]} cases x $ROUNDS rounds x ${#MAIN_IMPLS[@]} implementations, interleaved (node flags: ${NODE_FLAGS:-none})"
  rounds "${MAIN_IMPLS[@]}"
fi
# FIREFOX PHASE. A headless Firefox up beside the other runners took enough of this 2-core
# machine to slow every other column, native included (2026-11-29: native RSA-4096 25 MB opaque
# 33 -> 46 ms). So Firefox runs after them, with every runner but native and PKI.js in Node
# stopped, interleaved with those two again; its ratios are to their medians of this phase
# (kept apart from the main phase's, which the other ratios and results.json use).
if [ "$FIREFOX" = 1 ]; then
  PHASE=firefox
  FX_IMPLS=()
  for i in "${MAIN_IMPLS[@]}"; do
    # native and PKI.js in Node stay (the references of the ratios; idle between requests).
    if [ "$i" = native ] || [ "$i" = pkijs ]; then FX_IMPLS+=("$i"); else stop "$i"; fi
  done
  say "firefox phase: starting wasm-firefox, every runner but native and pkijs stopped (warm-up: every 2 KB and 100 KB case)"
  start wasm-firefox 900 node "${NODE_ARGS[@]}" tools/bench/wasm-firefox.mjs --serve --corpus "$CORPUS"
  FX_IMPLS+=(wasm-firefox)
  rounds "${FX_IMPLS[@]}"
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- sizes
say "measuring sizes"
SIZE_PKG="$OUT/pkg/impalemail_bg.wasm"
CONTENT_JS="$OUT/chrome-ext/content/content.js"
[ -f "$CONTENT_JS" ] || CONTENT_JS="$DIST/content/content.js"
CARGO_WASM=""
[ "$QUICK" = 1 ] || CARGO_WASM="target/wasm32-unknown-unknown/release/impalemail.wasm"
if [ -f "$CONTENT_JS" ]; then
  python3 tools/bench/wasm-size.py "$SIZE_PKG" "$CONTENT_JS" $CARGO_WASM >"$WORK/sizes.json" \
    || { say "WARNING: size measurement failed"; echo '{}' >"$WORK/sizes.json"; }
else
  WARNINGS+=("no content script found ($DIST/content/content.js): run ./build.sh")
  echo '{}' >"$WORK/sizes.json"
fi

# ---------------------------------------------------------------- table and JSON
printf '%s\n' "${WARNINGS[@]}" >"$WORK/warnings.txt"
printf '%s\n' "${MISSING[@]}" >"$WORK/missing.txt"
[ -f "$WORK/cold.json" ] || echo '{}' >"$WORK/cold.json"
python3 - "$WORK" "$CORPUS/manifest.json" "$OUT" "$ROUNDS" "$(node --version)" "${NODE_FLAGS:-none}" \
  "$(nproc)" "$LOAD_START" "$LOAD_END" "$(openssl version 2>/dev/null || echo '?')" "$QUICK" \
  "$((SECONDS - T_START))" "${IMPLS[*]}" <<'PY'
import json, os, statistics, sys
work, manifest, out, rounds, node, flags, cores, load0, load1, ossl, quick, secs, impls = sys.argv[1:]
impls = impls.split()
man = json.load(open(manifest))
cases = {c["id"]: c for c in man["cases"]}
samples, na, order, startup, floors = {}, {}, [], {}, {}
for line in open(os.path.join(work, "results.jsonl")):
    r = json.loads(line)
    a, impl = r["answer"], r["implementation"]
    if r.get("phase", "main") != "main" and impl != "wasm-firefox":
        impl += "@" + r["phase"]  # a reference timed beside Firefox, kept apart
    if a["id"] not in order:
        order.append(a["id"])
    if "na" in a:
        na[(impl, a["id"])] = a["na"]
        continue
    samples.setdefault((impl, a["id"]), []).extend(a["samples_ms"])
    if a.get("floor_samples_ms"):
        floors.setdefault((impl, a["id"]), []).extend(a["floor_samples_ms"])
    if "startup_ms" in a:
        startup.setdefault(a["id"], []).append(a["startup_ms"])
med = {k: statistics.median(v) for k, v in samples.items()}
doc, nas = [], []
for cid in order:
    c = cases[cid]
    for impl in impls:
        key = {"implementation": impl, "algorithm": c["algorithm"], "size": c["size"], "mode": c["mode"]}
        if (impl, cid) in med:
            doc.append({**key, "median_ms": round(med[(impl, cid)], 4)})
        elif (impl, cid) in na:
            nas.append({**key, "reason": na[(impl, cid)]})
floor_med = {k: statistics.median(v) for k, v in floors.items()}
for d in doc:
    cid = next(i for i in order if cases[i]["algorithm"] == d["algorithm"] and cases[i]["size"] == d["size"] and cases[i]["mode"] == d["mode"])
    if (d["implementation"], cid) in floor_med:
        d["floor_ms"] = round(floor_med[(d["implementation"], cid)], 4)
json.dump(doc, open(os.path.join(out, "results.json"), "w"), indent=1)
firefox_refs = [{"implementation": ref, "algorithm": cases[cid]["algorithm"], "size": cases[cid]["size"],
                 "mode": cases[cid]["mode"], "median_ms": round(med[(ref + "@firefox", cid)], 4)}
                for ref in ("native", "pkijs") for cid in order if (ref + "@firefox", cid) in med]

sizes = json.load(open(os.path.join(work, "sizes.json")))
cold = json.load(open(os.path.join(work, "cold.json")))
missing = [l for l in open(os.path.join(work, "missing.txt")).read().splitlines() if l]
warnings = [l for l in open(os.path.join(work, "warnings.txt")).read().splitlines() if l]
ready = {}
for impl in impls:
    try:
        ready[impl] = json.load(open(os.path.join(work, f"{impl}.ready")))
    except (OSError, ValueError):
        pass
extras = {
    "not_available": nas, "left_out": missing, "warnings": warnings,
    "sizes": sizes, "cold_start": cold,
    "firefox_phase_references": firefox_refs,
    "openssl_cli_startup_ms_median": statistics.median([x for v in startup.values() for x in v]) if startup else None,
    "environment": {"rounds": int(rounds), "quick": quick == "1", "node": node, "node_flags": flags,
                    "chromium": ready.get("wasm-chromium", {}).get("chromium"),
                    "firefox": ready.get("wasm-firefox", {}).get("firefox"), "openssl": ossl,
                    "cores": int(cores), "load_start": load0, "load_end": load1, "seconds": int(secs),
                    "now": man["now"]},
}
json.dump(extras, open(os.path.join(out, "extras.json"), "w"), indent=1)

short = {"native": "native", "wasm-node": "wasm-node", "wasm-chromium": "wasm-chrom", "wasm-firefox": "wasm-ffox",
         "openssl-inproc": "ossl-inproc", "openssl-cli": "ossl-cli", "pkijs": "pkijs", "pkijs-chromium": "pkijs-chrom"}
tiny = {"native": "nat", "wasm-node": "node", "wasm-chromium": "chrom", "wasm-firefox": "ffox", "openssl-inproc": "ossl-in",
        "openssl-cli": "ossl-cli", "pkijs": "pkijs", "pkijs-chromium": "pkijs-chr"}
def cell(impl, cid):
    if (impl, cid) in med:
        return f"{med[(impl, cid)]:.3f}"
    return "n/a" if (impl, cid) in na else "-"
def ratio(a, b, cid):
    if a == "wasm-firefox" and (b + "@firefox", cid) in med:
        b += "@firefox"  # the reference's medians of the Firefox phase
    if (a, cid) in med and (b, cid) in med and med[(b, cid)] > 0:
        return f"{med[(a, cid)] / med[(b, cid)]:.2f}"
    return "-"
print(f"S/MIME verify, raw mail bytes to verdict, chain validation on, now={man['now']}; median of "
      f"{rounds} round(s) x N timed calls after warm-up{' (QUICK)' if quick == '1' else ''}")
print(f"node {node} (flags: {flags}); chromium {extras['environment']['chromium'] or '-'}; firefox {extras['environment']['firefox'] or '-'}; {ossl}; "
      f"{cores} cores, load average {load0} at start, {load1} at end; {secs} s")
print()
print("Medians, ms")
head = f"{'algorithm':<9} {'size':>6} {'mode':<8} {'N':>3}" + "".join(f" {short[i]:>11}" for i in impls)
print(head)
for cid in order:
    c = cases[cid]
    n_ = max((len(samples.get((i, cid), [])) for i in impls), default=0) // int(rounds)
    print(f"{c['algorithm']:<9} {c['size']:>6} {c['mode']:<8} {n_:>3}" + "".join(f" {cell(i, cid):>11}" for i in impls))
ratio_cols = [(i, "native") for i in impls if i != "native" and "native" in impls]
if "pkijs" in impls:
    ratio_cols += [(i, "pkijs") for i in ("wasm-chromium", "wasm-firefox", "wasm-node") if i in impls]
if "pkijs-chromium" in impls and "wasm-chromium" in impls:
    ratio_cols += [("wasm-chromium", "pkijs-chromium")]
if ratio_cols:
    print()
    print("Ratios (time / time; above 1 = slower than the second)")
    print(f"{'algorithm':<9} {'size':>6} {'mode':<8}" + "".join(f" {tiny[a] + '/' + tiny[b]:>12}" for a, b in ratio_cols))
    for cid in order:
        c = cases[cid]
        print(f"{c['algorithm']:<9} {c['size']:>6} {c['mode']:<8}" + "".join(f" {ratio(a, b, cid):>12}" for a, b in ratio_cols))
    if "wasm-firefox" in impls and "native" in impls:
        print("(ffox/nat and ffox/pkijs: to native's and PKI.js's medians of the Firefox phase, timed beside Firefox alone)")
floor_rows = [(i, cid) for cid in order for i in ("wasm-chromium", "wasm-firefox") if (i, cid) in floor_med and (i, cid) in med]
if floor_rows:
    print()
    print("Large messages against the hashing floor: the browser's WebCrypto digest of as many bytes as the content")
    print("(the case's digest), timed right after each check in the same context (issue #26: within 10 ms of it)")
    print(f"{'browser':<10} {'algorithm':<9} {'size':>6} {'mode':<8} {'check':>9} {'floor':>9} {'over':>8} {'/native':>8}")
    for i, cid in floor_rows:
        c = cases[cid]
        over = med[(i, cid)] - floor_med[(i, cid)]
        print(f"{tiny[i]:<10} {c['algorithm']:<9} {c['size']:>6} {c['mode']:<8} {med[(i, cid)]:>9.3f} {floor_med[(i, cid)]:>9.3f} {over:>8.3f} {ratio(i, 'native', cid):>8}")
print()
if sizes.get("wasm_shipped_bytes"):
    kb = lambda n: f"{n / 1024:.1f} KB"
    line = f"wasm: {kb(sizes['wasm_shipped_bytes'])} shipped (wasm-opt {sizes['wasm_opt_flags_in_build_sh']}), {kb(sizes['wasm_shipped_gzip9_bytes'])} gzip -9"
    if "wasm_raw_bytes" in sizes:
        line += f"; before wasm-opt {kb(sizes['wasm_raw_bytes'])} ({kb(sizes['wasm_raw_gzip9_bytes'])} gz)"
        if sizes.get("raw_newer_than_pkg"):
            line += " [cargo artifact newer than pkg/]"
    print(line)
    if sizes.get("wasm_shipped_has_name_or_producers_section"):
        print("  NOTE: the shipped wasm still has a name/producers section: it did not go through build.sh's wasm-opt step")
    if "wasm_O3_bytes" in sizes:
        print(f"  from the cargo artifact: wasm-opt -O3 -fimfs 0 --converge + strip {kb(sizes['wasm_O3_bytes'])} ({kb(sizes['wasm_O3_gzip9_bytes'])} gz), "
              f"-Oz + strip {kb(sizes['wasm_Oz_bytes'])} ({kb(sizes['wasm_Oz_gzip9_bytes'])} gz)")
    secs_ = ", ".join(f"{s['section']} {kb(s['bytes'])} ({kb(s['gzip9'])} gz)" for s in sizes["wasm_sections"][:4])
    print(f"  largest sections: {secs_}")
    print(f"content script: {kb(sizes['content_script_bytes'])}, {kb(sizes['content_script_gzip9_bytes'])} gzip -9 ({sizes['content_script_file']})")
if cold.get("launches"):
    print(f"cold start (Chromium, fresh profile, {cold['launches']} launches, {cold['case']}): first verdict "
          f"{cold['median_total_ms']:.1f} ms after the worker started (median; the budget's figure). Of that, "
          f"module loading to the worker's first statement {cold['median_first_statement_ms']:.1f} ms, then "
          f"{cold['median_verdict_ms']:.1f} ms to the verdict: core ready (fetch, compile, instantiate, initCore) "
          f"{cold['median_core_ready_ms']:.1f} ms, the first verify {cold['median_first_verify_ms']:.1f} ms")
    if cold.get("restarts"):
        print(f"  worker restart in a running browser ({cold['restarts']} times: stopped as an idle worker is, woken by a "
              f"message): first verdict {cold['restart_median_total_ms']:.1f} ms after the worker started (module loading "
              f"{cold['restart_median_first_statement_ms']:.1f}, core ready {cold['restart_median_core_ready_ms']:.1f}, "
              f"first verify {cold['restart_median_first_verify_ms']:.1f})")
if extras["openssl_cli_startup_ms_median"] is not None:
    print(f"openssl-cli: process start-up subtracted, median of `openssl version` runs: {extras['openssl_cli_startup_ms_median']:.2f} ms")
if nas:
    print()
    print("n/a:")
    seen = set()
    for x in nas:
        k = (x["implementation"], x["algorithm"], x["reason"])
        if k not in seen:
            seen.add(k)
            print(f"  {x['implementation']} {x['algorithm']}: {x['reason']}")
for m in missing:
    print(f"left out: {m}")
for w in warnings:
    print(f"WARNING: {w}")
print(f"JSON: {os.path.join(out, 'results.json')}, extras: {os.path.join(out, 'extras.json')}")
PY

# DKIM (issue #21): a check's time beyond DNS, the wasm core in Node with WebCrypto, and a DoH
# lookup against the local stand-in for comparison (tools/bench/dkim.mjs; a few seconds).
say "DKIM: a check's time beyond DNS"
node tools/bench/dkim.mjs --iters "$([ "$QUICK" = 1 ] && echo 5 || echo 30)" || say "WARNING: the DKIM bench failed"

# Sync (issue #25): the bytes of storage.sync per alias for 1,000 aliases, and the most that fit
# the 102,400-byte area (tools/bench/sync-size.mjs; a few seconds).
say "sync: storage.sync bytes per alias"
node tools/bench/sync-size.mjs || say "WARNING: the sync bench failed"
