//! S/MIME verification benchmark, native side (`harness = false`): raw message bytes to
//! verdict, over the corpus that `tools/bench/make-corpus.sh` writes to
//! `target/bench/corpus/` (RSA-2048/4096, P-256/384 x 2 KB .. 25 MB x detached/opaque).
//!
//! It prints figures and asserts nothing about time. It does assert that every message is
//! GREEN (verified, chain of three ending at the test root, the expected signature kind)
//! before timing it, and stops with an error otherwise.
//!
//! Each timed call does what the wasm export `verifyMessage` does: parse the user root
//! (DER) into a trust anchor, build `VerifyOptions` with the built-in roots on, and call
//! `verify_message`, chain validation included.
//!
//! ```text
//! cargo bench --bench verify [-- [FILTER] [--iters N] [--corpus DIR]]
//! cargo bench --bench verify -- --serve    (used by tools/bench/run.sh)
//! ```
//! Without `--bench` (which `cargo bench` passes) or `--serve`, as under
//! `cargo test --all-targets`, nothing is timed: every case up to 100 KB is checked GREEN
//! once, or, when the corpus has not been generated, a note says so and it exits 0.
//! `--serve` reads one request per line on stdin (`CASE_ID [ITERS]`) and answers one JSON
//! line per request: `{"id", "iters", "warmup", "median_ms", "samples_ms"}`; it prints
//! `{"ready": true}` first. The corpus directory is `--corpus`, else
//! `$IMPALEMAIL_BENCH_CORPUS`, else `target/bench/corpus` under the crate.

use std::hint::black_box;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use impalemail::smime::{
    verify_message, AnchorSource, Status, TrustAnchor, Verdict, VerifyOptions,
};

/// Subject common name of the corpus's root CA (tests/fixtures/smime/pki/root.pem).
const ROOT_CN: &str = "ImpaleMail Test Root CA";

/// One benchmark case from `manifest.json`.
struct Case {
    id: String,
    algorithm: String,
    size: String,
    mode: String,
    file: String,
    size_bytes: u64,
    iters: usize,
}

/// The corpus: directory, check time, root certificate and cases.
struct Corpus {
    dir: PathBuf,
    now: u64,
    root_der: Vec<u8>,
    cases: Vec<Case>,
}

fn field<'a>(v: &'a serde_json::Value, key: &str) -> Result<&'a serde_json::Value, String> {
    v.get(key)
        .ok_or_else(|| format!("manifest.json: `{key}` is missing"))
}

fn str_field(v: &serde_json::Value, key: &str) -> Result<String, String> {
    field(v, key)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("manifest.json: `{key}` is not a string"))
}

fn u64_field(v: &serde_json::Value, key: &str) -> Result<u64, String> {
    field(v, key)?
        .as_u64()
        .ok_or_else(|| format!("manifest.json: `{key}` is not an unsigned integer"))
}

impl Corpus {
    fn load(dir: &Path) -> Result<Corpus, String> {
        let manifest = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest).map_err(|e| {
            format!(
                "cannot read {}: {e} (generate the corpus with tools/bench/make-corpus.sh)",
                manifest.display()
            )
        })?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
        let root_path = dir.join(str_field(&doc, "root")?);
        let root_der = std::fs::read(&root_path)
            .map_err(|e| format!("cannot read {}: {e}", root_path.display()))?;
        let mut cases = Vec::new();
        for c in field(&doc, "cases")?
            .as_array()
            .ok_or("manifest.json: `cases` is not a list")?
        {
            cases.push(Case {
                id: str_field(c, "id")?,
                algorithm: str_field(c, "algorithm")?,
                size: str_field(c, "size")?,
                mode: str_field(c, "mode")?,
                file: str_field(c, "file")?,
                size_bytes: u64_field(c, "size_bytes")?,
                iters: usize::try_from(u64_field(c, "iters")?).map_err(|e| e.to_string())?,
            });
        }
        Ok(Corpus {
            dir: dir.to_path_buf(),
            now: u64_field(&doc, "now")?,
            root_der,
            cases,
        })
    }

    fn case(&self, id: &str) -> Result<&Case, String> {
        self.cases
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| format!("no case `{id}` in the corpus"))
    }

    fn read(&self, case: &Case) -> Result<Vec<u8>, String> {
        let path = self.dir.join(&case.file);
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// One call, exactly the work of the wasm export: user root DER to anchor, options with the
/// built-in roots on, then the full check.
fn verify_once(raw: &[u8], root_der: &[u8], now: u64) -> Result<Verdict, String> {
    let anchors = [TrustAnchor::from_cert_der(root_der, AnchorSource::User)
        .map_err(|e| format!("user root: {e}"))?];
    let mut opts = VerifyOptions::new(now, &anchors);
    opts.use_builtin_roots = true;
    Ok(verify_message(raw, &opts))
}

/// Fails unless the verdict is green with the full chain: signer, intermediate, test root.
fn check_green(case: &Case, v: &Verdict) -> Result<(), String> {
    let fail = |why: String| {
        Err(format!(
            "case {}: {why}; the benchmark only times green messages",
            case.id
        ))
    };
    if v.status != Status::Verified {
        return fail(format!("verdict is {:?} ({})", v.status, v.summary));
    }
    let chain = &v.details.chain;
    if chain.len() != 3 || !chain[2].subject.contains(ROOT_CN) {
        let subjects: Vec<&str> = chain.iter().map(|c| c.subject.as_str()).collect();
        return fail(format!(
            "chain is not signer/intermediate/test root: {subjects:?}"
        ));
    }
    let kind = v
        .details
        .covered
        .as_ref()
        .map(|c| c.signature_kind.as_str());
    if kind != Some(case.mode.as_str()) {
        return fail(format!(
            "signature kind is {kind:?}, expected {}",
            case.mode
        ));
    }
    Ok(())
}

/// Warm-up runs before timing: a fifth of the timed runs, at least one.
fn warmup_for(iters: usize) -> usize {
    (iters / 5).max(1)
}

/// Checks the case is green, warms up, then times `iters` calls; returns milliseconds.
fn measure(corpus: &Corpus, case: &Case, iters: usize) -> Result<Vec<f64>, String> {
    let raw = corpus.read(case)?;
    check_green(case, &verify_once(&raw, &corpus.root_der, corpus.now)?)?;
    for _ in 0..warmup_for(iters) {
        black_box(verify_once(black_box(&raw), &corpus.root_der, corpus.now)?);
    }
    let mut samples = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        let v = verify_once(black_box(&raw), &corpus.root_der, corpus.now)?;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
        black_box(v);
    }
    Ok(samples)
}

fn median(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

struct Args {
    corpus: PathBuf,
    /// `--bench` or `--serve` given: time; otherwise only check (`cargo test`).
    timing: bool,
    serve: bool,
    filter: Option<String>,
    iters: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut corpus = std::env::var_os("IMPALEMAIL_BENCH_CORPUS").map(PathBuf::from);
    let mut serve = false;
    let mut filter = None;
    let mut iters = None;
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes --bench to every bench binary; `cargo test` does not (and may
    // pass its own flags and filters, which the check-only mode ignores).
    let timing = argv.iter().any(|a| a == "--bench" || a == "--serve");
    let mut args = argv.into_iter().filter(|_| timing);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => {}
            "--serve" => serve = true,
            "--corpus" => corpus = Some(args.next().ok_or("--corpus needs a directory")?.into()),
            "--iters" => {
                let n = args.next().ok_or("--iters needs a number")?;
                iters = Some(n.parse().map_err(|_| format!("--iters: bad number {n}"))?);
            }
            s if s.starts_with('-') => {
                return Err(format!(
                    "unknown option {s} (use: [FILTER] [--iters N] [--corpus DIR] [--serve])"
                ))
            }
            s => filter = Some(s.to_owned()),
        }
    }
    let corpus = corpus.unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench/corpus"))
    });
    Ok(Args {
        corpus,
        timing,
        serve,
        filter,
        iters,
    })
}

fn serve(corpus: &Corpus) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| e.to_string();
    writeln!(out, "{}", serde_json::json!({ "ready": true })).map_err(io)?;
    out.flush().map_err(io)?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(io)?;
        let mut words = line.split_whitespace();
        let Some(id) = words.next() else { continue };
        let case = corpus.case(id)?;
        let iters = match words.next() {
            Some(n) => n.parse().map_err(|_| format!("bad iteration count {n}"))?,
            None => case.iters,
        };
        let samples = measure(corpus, case, iters)?;
        let answer = serde_json::json!({
            "id": case.id, "iters": iters, "warmup": warmup_for(iters),
            "median_ms": median(&samples), "samples_ms": samples,
        });
        writeln!(out, "{answer}").map_err(io)?;
        out.flush().map_err(io)?;
    }
    Ok(())
}

fn table(corpus: &Corpus, args: &Args) -> Result<(), String> {
    println!(
        "native verify_message (release profile), corpus {}",
        corpus.dir.display()
    );
    println!(
        "{:<9} {:>7} {:<9} {:>5} {:>11} {:>9}",
        "algorithm", "size", "mode", "N", "median_ms", "min_ms"
    );
    let mut ran = 0;
    for case in &corpus.cases {
        if args.filter.as_deref().is_some_and(|f| !case.id.contains(f)) {
            continue;
        }
        let iters = args.iters.unwrap_or(case.iters);
        let samples = measure(corpus, case, iters)?;
        let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{:<9} {:>7} {:<9} {:>5} {:>11.3} {:>9.3}",
            case.algorithm,
            case.size,
            case.mode,
            iters,
            median(&samples),
            min
        );
        ran += 1;
    }
    if ran == 0 {
        return Err("no case matches the filter".into());
    }
    Ok(())
}

/// Check-only mode (`cargo test --all-targets`): the small cases must be green.
fn check_only(args: &Args) -> Result<(), String> {
    if !args.corpus.join("manifest.json").exists() {
        println!(
            "verify bench: no corpus at {} (tools/bench/make-corpus.sh makes it); nothing to check",
            args.corpus.display()
        );
        return Ok(());
    }
    let corpus = Corpus::load(&args.corpus)?;
    let mut checked = 0;
    for case in corpus.cases.iter().filter(|c| c.size_bytes <= 100 * 1024) {
        let raw = corpus.read(case)?;
        check_green(case, &verify_once(&raw, &corpus.root_der, corpus.now)?)?;
        checked += 1;
    }
    println!(
        "verify bench: {checked} corpus messages up to 100 KB verify green (pass --bench to time)"
    );
    Ok(())
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    if !args.timing {
        return check_only(&args);
    }
    let corpus = Corpus::load(&args.corpus)?;
    if args.serve {
        serve(&corpus)
    } else {
        table(&corpus, &args)
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("verify bench: {e}");
        std::process::exit(1);
    }
}
