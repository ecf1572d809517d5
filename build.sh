#!/usr/bin/env bash
# ImpaleMail's one entry point.
#
#   ./build.sh                      install what is missing, build pkg/ and dist/{chrome,firefox} + zips
#   ./build.sh run [chrome|firefox] [--headless] [--docs]
#                                   both jobs end to end, offline: the demo site, a local temporary-inbox
#                                   service and the Roundcube test bed; --headless clicks through and saves
#                                   screenshots; --docs (headless, Firefox) also rewrites the README's docs/*.png
#   ./build.sh test [SUITE...]      all tests (or the named suites); ends with "N passed, N failed"
#                                   suites: unit fmt doc clippy js node lint webmail e2e (e2e-forms: the alias button files in both browsers at once; e2e-chrome, e2e-firefox)
#   ./build.sh eval-forms [DIR] [--label-attr NAME] [--ledger FILE] [--quiet] [--show-holdout]
#                                   what the real extension (dist/chrome) decides for every field of the
#                                   .html files in DIR; without DIR both parts of the forms corpus
#                                   (tests/forms/corpus, tests/forms/holdout), figures for each
#   ./build.sh bench [ARGS]         S/MIME verify side by side: native, wasm (Node, Chromium), OpenSSL, PKI.js; --quick (tools/bench/README.md)
#   ./build.sh bench page-cost      the content script's cost on pages it does not help, against an empty control extension
#   ./build.sh bench time-to-verdict  opening a message in the real Roundcube and SOGo to its verdict (warm / stopped worker)
#   ./build.sh bench dkim           a DKIM check's time beyond DNS (wasm in Node, WebCrypto), and a DoH lookup's
#   ./build.sh bench sync           storage.sync bytes per alias (1,000 aliases, sealed as shipped) and the most that fit
#
# Installs are idempotent and quiet when everything is present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Lowest wasm-opt that handles current wasm-bindgen output (Debian's 108 silently breaks it).
MIN_WASM_OPT=116
WASM_TARGET=wasm32-unknown-unknown

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- installs

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it by hand, or run as root)"; fi
}

apt_install() {
  say "installing from apt: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    say "adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET" >/dev/null
  fi
  local want have
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
    # Not --locked: the CLI's own lockfile pins a crate version the registry no longer serves.
    cargo install -q wasm-bindgen-cli --version "$want" \
      || die "could not install wasm-bindgen-cli $want; the wasm must be built with exactly the version in Cargo.lock"
    have="$(wasm-bindgen --version | awk '{print $2}')"
    [ "$have" = "$want" ] || die "wasm-bindgen is $have but Cargo.lock has $want: remove the other one from PATH"
  fi
}

ensure_node() {
  command -v node >/dev/null || apt_install nodejs npm
  local stamp=node_modules/.package-lock.json
  if [ -L node_modules ]; then
    # A worktree sharing another checkout's node_modules through a link: `npm ci` would empty
    # the folder it points to (seen 2026-12-06: a fresh worktree's package-lock.json is newer
    # than the shared stamp). Installing there is that checkout's business.
    [ -f "$stamp" ] || die "node_modules links to $(readlink node_modules), which has no installed packages: run npm ci there"
  elif [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    say "installing npm dev dependencies (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
  local v
  v="$(wasm-opt --version 2>/dev/null | grep -oE '[0-9]+' | head -1)" || true
  [ -n "$v" ] && [ "$v" -ge "$MIN_WASM_OPT" ] \
    || die "wasm-opt ${v:-missing} is older than $MIN_WASM_OPT (npm's binaryen should provide it: rm -rf node_modules and retry)"
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium chromium-driver
}

ensure_firefox() {
  [ -x /usr/lib/firefox-esr/firefox-esr ] || apt_install firefox-esr
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver (cargo, a few minutes)"
    cargo install -q geckodriver --locked || die "could not install geckodriver"
  fi
}

ensure_webmail() {
  # Roundcube + Dovecot from Debian, for the webmail end-to-end tests (quiet when present).
  tests/webmail/install.sh
}

ensure_sogo() {
  # SOGo + PostgreSQL + memcached from Debian, with Roundcube's packages (quiet when present;
  # about 30 s the first time).
  tests/webmail/install.sh --sogo
}

# ---------------------------------------------------------------- build

build_wasm() {
  say "building the wasm core"
  # Without `local-signatures`: the browser's WebCrypto does the RSA/ECDSA maths (Cargo.toml).
  cargo build -q --release --lib --target "$WASM_TARGET" --no-default-features
  rm -rf pkg
  # --experimental-reset-state-function: after a trap (a Rust panic) the background starts a
  # fresh instance from the compiled module (`__wbg_reset_state`, extension/background/core.js).
  wasm-bindgen --target web --experimental-reset-state-function --out-dir pkg "target/$WASM_TARGET/release/impalemail.wasm"
  # -O3 rather than -Oz: the verifier's speed matters more than the last kilobytes, and
  # gzip compresses -Oz output worse (see ARCHITECTURE.md, "Size"). `-fimfs 0`: none of -O3's
  # "flexible" inlining of small functions (up to 20 bytes; LLVM has inlined what matters):
  # 1.7 KB gzipped smaller, the same speed in tools/bench (2026-12-07). `--converge`: the passes
  # again until the module stops shrinking (the same passes, about 10 s more, -0.2 KB).
  wasm-opt -O3 -fimfs 0 --converge --strip-debug --strip-producers pkg/impalemail_bg.wasm -o pkg/impalemail_bg.wasm
  # Type-checking resolves ../pkg/ from extension/, as the packaged extension does.
  ln -sfn ../pkg extension/pkg
}

assemble() {
  local browser="$1" out="dist/$1"
  rm -rf "$out"
  mkdir -p "$out/pkg" "$out/content" "$out/background"
  cp -r extension/_locales extension/icons extension/shared extension/ui "$out/"
  cp pkg/impalemail_bg.wasm "$out/pkg/"
  # The background as one module file (its modules and wasm-bindgen's glue, not minified). A
  # stopped worker that a message wakes (Chromium stops an idle one after 30 s) then fetches,
  # parses and links one file instead of fourteen: in a fresh Chromium its first statement ran
  # 60-86 ms after the worker started with the modules apart, 13-35 ms bundled (2026-11-29,
  # tools/bench/README.md "cold start"). The bench bundles its entries with the same options.
  node tools/bundle-background.mjs "$out/background/background.js"
  # Content scripts cannot be ES modules: bundle the entry point into one classic script. It is
  # injected into every frame, so it is kept within 20 KB gzipped (tests/js/content-size.test.mjs):
  # minified (the source is extension/content/, built exactly so).
  local ns=chrome
  [ "$browser" = firefox ] && ns=browser
  esbuild extension/content/main.js --bundle --format=iife --target=es2022 --log-level=warning \
    --define:EXT_NS="$ns" --minify-syntax --minify-whitespace --outfile="$out/content/content.js"
  # Its working part, an ES module the entry point imports in a frame that has something for it
  # (extension/content/main.js), and one ES module per webmail adapter (`wm-<name>.js`), which the
  # working part imports only on a page that adapter may serve (webmail/detect.js): a frame
  # carries at most one adapter's code. Each is one self-contained file (an adapter repeats the
  # few DOM helpers it uses): Chromium serves these files only under the per-session URL
  # (`use_dynamic_url`), which `runtime.getURL` gives but a shared chunk's relative import does
  # not. Minified with short local names too: what one frame loads stays within 20 KB gzipped
  # (tests/js/content-size.test.mjs); the source is extension/content/, built exactly so.
  esbuild extension/content/full.js --bundle --format=esm --target=es2022 --log-level=warning \
    --define:EXT_NS="$ns" --minify --outfile="$out/content/full.js"
  local a
  # The adapters detect.js loads (`content/wm-<name>.js`), each built from webmail/<name>.js.
  for a in $(grep -oE "content/wm-[a-z0-9]+\.js" extension/content/webmail/detect.js | sed -E 's#content/wm-(.*)\.js#\1#'); do
    esbuild "extension/content/webmail/$a.js" --bundle --format=esm --target=es2022 --log-level=warning \
      --define:EXT_NS="$ns" --minify --outfile="$out/content/wm-$a.js"
  done
  [ -n "$(ls "$out"/content/wm-*.js 2>/dev/null)" ] || die "no webmail adapter named in extension/content/webmail/detect.js"
  # Then terser (safe options only: two compress passes, local names mangled), which packs the
  # bundles about 5% tighter than esbuild alone: with the webmail badge's dark mode, the
  # clickjacking checks and SOGo, the 20 KB budget needs it (2026-12-06: 19.9 instead of 21.1).
  terser "$out/content/content.js" --ecma 2020 --compress passes=2 --mangle -o "$out/content/content.js"
  local f
  for f in "$out"/content/full.js "$out"/content/wm-*.js; do
    terser "$f" --module --ecma 2020 --compress passes=2 --mangle -o "$f"
  done
  node tools/manifest.mjs "$browser" extension/manifest.json "$out/manifest.json"
}

build() {
  ensure_rust
  ensure_node
  build_wasm
  local version
  version="$(node -p "require('./extension/manifest.json').version")"
  for b in chrome firefox; do
    assemble "$b"
    python3 tools/zip.py "dist/$b" "dist/impalemail-$b-$version.zip"
  done
  say "built dist/chrome, dist/firefox and their zips ($(wc -c < pkg/impalemail_bg.wasm) bytes of wasm, $(gzip -9c pkg/impalemail_bg.wasm | wc -c) gzipped)"
}

# ---------------------------------------------------------------- run

run() {
  local browser='' headless=0 docs=0 t0=$SECONDS
  for a in "$@"; do
    case "$a" in
      chrome|firefox) browser="$a" ;;
      --headless) headless=1 ;;
      --docs) docs=1 headless=1 ;;
      *) die "run: unknown argument $a (use: run [chrome|firefox] [--headless] [--docs])" ;;
    esac
  done
  # The README's pictures come from Firefox: headless, it still draws its toolbar.
  if [ "$docs" = 1 ]; then
    [ "${browser:-firefox}" = firefox ] || die "run --docs: the README's pictures come from Firefox, whose toolbar shows in a headless screenshot"
    browser=firefox
  fi
  browser="${browser:-chrome}"
  build
  # The docs' pictures are scaled down in Chromium, whichever browser ran the demo.
  if [ "$browser" = chrome ] || [ "$docs" = 1 ]; then ensure_chromium; fi
  if [ "$browser" = firefox ]; then ensure_firefox; fi
  ensure_webmail
  if [ "$headless" = 0 ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    say "no display found: running headless"
    headless=1
  fi
  DEMO_HEADLESS="$headless" DEMO_DOCS="$docs" node tests/e2e/demo.mjs "$browser"
  say "build and demo took $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- test

PASSED=0
FAILED=0
FAILED_SUITES=()

count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

# Runs a command that is one check: it passes or fails as a whole.
check() {
  local name="$1" t0=$SECONDS; shift
  say "test: $name"
  if "$@"; then count 1 0; else count 0 1; FAILED_SUITES+=("$name"); fi
  # Each suite's time, so that CI's budget (45 minutes on 2 cores) can be watched as beds grow.
  say "test: $name took $((SECONDS - t0)) s"
}

# Runs `cargo test`-like output through, and counts its "test result:" lines.
cargo_tests() {
  local name="$1"; shift
  say "test: $name"
  local log rc=0
  log="$(mktemp)"
  "$@" 2>&1 | tee "$log" || rc=$?
  local p f
  p="$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')"
  f="$(grep -oE '[0-9]+ failed;' "$log" | awk '{s += $1} END {print s + 0}')"
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi # a build failure is a failure
  count "$p" "$f"
  [ "$f" = 0 ] || FAILED_SUITES+=("$name")
  rm -f "$log"
}

# Runs node's test runner with the TAP reporter and counts its summary.
# The TAP lines worth seeing live, from a suite's output.
TAP_SHOWN='^(not ok|ok|# (pass|fail|Subtest|axe ))|^\s+(not ok|ok)|error|Error'

# node --test over the files: the TAP report to stdout, each file's time into the file $1.
node_test_run() {
  local times="$1"; shift
  node --test --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter=./tools/test-file-times.mjs --test-reporter-destination="$times" \
    --test-concurrency=1 "$@"
}

# A finished node suite's figures: its files' times (slowest first: CI's budget is 45 minutes
# on 2 cores), its time, and its counts from the TAP report in $log; `rc` is node's exit code.
node_tests_report() {
  local name="$1" log="$2" times="$3" rc="$4" t0="$5"
  head -16 "$times"; rm -f "$times"
  say "test: $name took $((SECONDS - t0)) s"
  local p f
  p="$(awk '/^# pass / {print $3}' "$log" | tail -1)"
  f="$(awk '/^# fail / {print $3}' "$log" | tail -1)"
  p="${p:-0}"; f="${f:-0}"
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  if [ "$f" != 0 ]; then
    grep -B2 -A30 '^\s*not ok' "$log" | head -120 >&2 || true
    FAILED_SUITES+=("$name")
  fi
  count "$p" "$f"
  rm -f "$log"
}

node_tests() {
  local name="$1"; shift
  say "test: $name"
  local log times rc=0 t0=$SECONDS
  log="$(mktemp)"; times="$(mktemp)"
  node_test_run "$times" "$@" 2>&1 | tee "$log" | grep -E "$TAP_SHOWN" || true
  rc="${PIPESTATUS[0]}"
  node_tests_report "$name" "$log" "$times" "$rc" "$t0"
}

# The same files in Chromium and in Firefox at once, each browser its own suite. Only for files
# that share no test bed and no fixed port (each starts its own servers on free ports and its
# own browser profile), and that spend most of their time waiting at a person's pace.
node_tests_both_browsers() {
  local name="$1"; shift
  say "test: $name, Chromium and Firefox at once"
  local t0=$SECONDS lc tc lf tf rc_c=0 rc_f=0 pc pf
  lc="$(mktemp)"; tc="$(mktemp)"; lf="$(mktemp)"; tf="$(mktemp)"
  E2E_BROWSERS=chrome node_test_run "$tc" "$@" >"$lc" 2>&1 & pc=$!
  E2E_BROWSERS=firefox node_test_run "$tf" "$@" >"$lf" 2>&1 & pf=$!
  wait "$pc" || rc_c=$?
  wait "$pf" || rc_f=$?
  grep -E "$TAP_SHOWN" "$lc" || true
  node_tests_report "$name (chromium)" "$lc" "$tc" "$rc_c" "$t0"
  grep -E "$TAP_SHOWN" "$lf" || true
  node_tests_report "$name (firefox)" "$lf" "$tf" "$rc_f" "$t0"
}

suite_unit() {
  cargo_tests "unit (cargo test)" cargo test --all-targets --quiet
  cargo_tests "unit (impalemail-scan)" cargo test -p impalemail-scan --quiet
}
suite_fmt() { check "fmt (cargo fmt --check)" cargo fmt --all --check; }
# The API docs build without a warning (broken intra-doc links, unclosed HTML tags...).
suite_doc() { check "cargo doc (-D warnings)" env RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --lib; }
suite_clippy() {
  check "clippy (native, -D warnings)" cargo clippy -q --all-targets -- -D warnings
  check "clippy (wasm32, -D warnings)" cargo clippy -q --lib --target "$WASM_TARGET" --no-default-features -- -D warnings
  # The hot loops compiled for speed (crates/scan), natively and with its SIMD module.
  check "clippy (impalemail-scan, -D warnings)" cargo clippy -q -p impalemail-scan --all-targets -- -D warnings
  check "clippy (impalemail-scan, wasm32, -D warnings)" cargo clippy -q -p impalemail-scan --target "$WASM_TARGET" -- -D warnings
}
suite_js() {
  check "tsc --checkJs --strict" tsc -p tsconfig.json
  check "eslint" eslint --max-warnings 0 .
}
suite_node() { node_tests "node (wasm boundary, background logic)" tests/wasm/*.test.mjs tests/js/*.test.mjs; }
suite_lint() {
  # Zero errors and zero warnings; a warning that must stay would be listed here by code.
  check "web-ext lint (firefox)" web-ext lint --source-dir dist/firefox --warnings-as-errors --output text
  check "manifest checks (chrome)" node tools/check-manifest.mjs dist/chrome/manifest.json
}
# Browser suites run every tests/e2e/*.test.mjs but the webmail infrastructure tests, which
# need no browser and run once in their own suite.
e2e_browser_tests() { ls tests/e2e/*.test.mjs | grep -vE '/(roundcube|sogo)-infra\.test\.mjs$'; }
suite_webmail() {
  ensure_sogo
  node_tests "webmail (Roundcube, SOGo, Dovecot)" tests/e2e/roundcube-infra.test.mjs tests/e2e/sogo-infra.test.mjs
}
# The alias button's files (tests/e2e/forms-*.test.mjs) start their own site servers on free
# ports, and most of their time is a person's pace between clicks: `test e2e` runs them in both
# browsers at once, then every other file in one browser after the other.
e2e_forms_tests() { e2e_browser_tests | grep -E '/forms-'; }
e2e_other_tests() { e2e_browser_tests | grep -vE '/forms-'; }
# shellcheck disable=SC2046 # one test file per word
suite_e2e_forms() { ensure_chromium; ensure_firefox; node_tests_both_browsers "e2e (alias button)" $(e2e_forms_tests); }
# shellcheck disable=SC2046 # one test file per word
suite_e2e() {
  suite_e2e_forms
  ensure_sogo
  E2E_BROWSERS=chrome node_tests "e2e (chromium)" $(e2e_other_tests)
  E2E_BROWSERS=firefox node_tests "e2e (firefox)" $(e2e_other_tests)
}
# shellcheck disable=SC2046 # one test file per word
suite_e2e_chrome() { ensure_chromium; ensure_sogo; E2E_BROWSERS=chrome node_tests "e2e (chromium)" $(e2e_browser_tests); }
# shellcheck disable=SC2046
suite_e2e_firefox() { ensure_firefox; ensure_sogo; E2E_BROWSERS=firefox node_tests "e2e (firefox)" $(e2e_browser_tests); }

run_tests() {
  local suites=("$@")
  [ "${#suites[@]}" -gt 0 ] || suites=(unit fmt doc clippy js node lint webmail e2e)
  local t0=$SECONDS
  build
  for s in "${suites[@]}"; do
    case "$s" in
      unit) suite_unit ;;
      fmt) suite_fmt ;;
      doc) suite_doc ;;
      clippy) suite_clippy ;;
      js) suite_js ;;
      node|wasm) suite_node ;;
      lint) suite_lint ;;
      webmail) suite_webmail ;;
      e2e) suite_e2e ;;
      e2e-forms) suite_e2e_forms ;;
      e2e-chrome) suite_e2e_chrome ;;
      e2e-firefox) suite_e2e_firefox ;;
      *) die "test: unknown suite $s (unit fmt doc clippy js node lint webmail e2e e2e-forms e2e-chrome e2e-firefox)" ;;
    esac
  done
  say "tests took $((SECONDS - t0)) s"
  if [ "${#FAILED_SUITES[@]}" -gt 0 ]; then say "failed: ${FAILED_SUITES[*]}"; fi
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

# ---------------------------------------------------------------- eval-forms

eval_forms() {
  # No DIR (or options only): both parts of the corpus, tuned and held-out, each measured on its
  # own (tests/forms/README.md, "The split"). With a DIR: that directory only, as before.
  local args=()
  if [ $# -ge 1 ] && [ "${1#--}" = "$1" ]; then args=(--dir "$1"); shift; fi
  # The whole extension decides: its content script, background and wasm classifier, loaded
  # into headless Chromium from dist/chrome (built here, so it is the current code).
  build >&2
  ensure_chromium >&2
  node tests/forms/eval.mjs "${args[@]}" "$@"
}

bench() {
  build
  ensure_chromium
  # `./build.sh bench page-cost [--pages N] [--rounds R]`: what the content script costs pages
  # it does not help (load event and blocking time against an empty control extension).
  if [ "${1:-}" = page-cost ]; then shift; node tools/bench/page-cost.mjs "$@"; return; fi
  # `./build.sh bench time-to-verdict [--rounds R]`: from opening a message in the real
  # Roundcube (and SOGo, where tests/webmail/install.sh --sogo installed it) to the verdict,
  # warm and stopped worker, 2 KB / 100 KB / 5 MB (needs root).
  if [ "${1:-}" = time-to-verdict ]; then
    shift
    ensure_webmail
    [ -f target/bench/corpus/manifest.json ] || tools/bench/make-corpus.sh
    node tools/bench/time-to-verdict.mjs "$@"
    return
  fi
  # `./build.sh bench dkim [--iters N]`: a DKIM check's time beyond DNS (also at the end of the full run).
  if [ "${1:-}" = dkim ]; then shift; node tools/bench/dkim.mjs "$@"; return; fi
  # `./build.sh bench sync [--aliases N]`: the vault's bytes in storage.sync (also at the end of the full run).
  if [ "${1:-}" = sync ]; then shift; node tools/bench/sync-size.mjs "$@"; return; fi
  tools/bench/run.sh "$@"
}

case "${1:-build}" in
  build) build ;;
  bench) shift; bench "$@" ;;
  run) shift; run "$@" ;;
  test) shift; run_tests "$@" ;;
  eval-forms) shift; eval_forms "$@" ;;
  -h|--help|help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command $1 (build, run, test, eval-forms, bench; see ./build.sh --help)" ;;
esac
