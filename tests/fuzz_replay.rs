//! Replays the committed fuzz seeds (`fuzz/seeds/<target>/`) through every fuzz body
//! (`fuzz/src/bodies.rs`), so `cargo test` (and `./build.sh test`) checks on the distilled
//! corpus the same properties the fuzzers check. See `fuzz/README.md`.

#[path = "../fuzz/src/bodies.rs"]
mod bodies;

use std::path::PathBuf;

fn seeds_dir() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("fuzz/seeds"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds")),
    }
}

/// Every seed file, as (target directory, file name, bytes), sorted.
fn seeds() -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for (target, _) in bodies::TARGETS {
        let dir = seeds_dir().join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            let name = f
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            if name.ends_with(".md") {
                continue;
            }
            let bytes = std::fs::read(&f).expect("seed readable");
            out.push((target.to_string(), name, bytes));
        }
    }
    out
}

#[test]
fn every_target_has_seeds() {
    let seeds = seeds();
    for (target, _) in bodies::TARGETS {
        let n = seeds.iter().filter(|(t, _, _)| t == target).count();
        assert!(n >= 3, "fuzz/seeds/{target} has {n} seeds");
    }
}

#[test]
fn every_seed_through_every_body() {
    let seeds = seeds();
    let mut failures = Vec::new();
    for (target, name, bytes) in &seeds {
        for (body_name, body) in bodies::TARGETS {
            let bytes = bytes.clone();
            if std::panic::catch_unwind(move || body(&bytes)).is_err() {
                failures.push(format!("seeds/{target}/{name} through {body_name}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} seeds through {} bodies",
        seeds.len(),
        bodies::TARGETS.len()
    );
}
