//! `impalemail alias` run in-process.
#![allow(clippy::unwrap_used)]

use impalemail::cli::alias::run;
use impalemail::cli::EXIT_USAGE;

fn cli(args: &[&str], stdin: &str) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut stdin.as_bytes(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

const SECRET: &str = "0101010101010101010101010101010101010101010101010101010101010101";

#[test]
fn site_prints_the_registrable_domain() {
    assert_eq!(
        cli(&["site", "https://login.shop.example.co.uk/x"], "").1,
        "example.co.uk\n"
    );
    assert_eq!(
        cli(&["site", "alice.github.io", "--json"], "").1,
        "{\"site\":\"alice.github.io\"}\n"
    );
    let (code, _, err) = cli(&["site", "exa mple.com"], "");
    assert_eq!(code, 1);
    assert!(err.contains("cannot appear in a host name"), "{err}");
}

#[test]
fn new_catch_all_plus_subdomain() {
    let (code, out, _) = cli(
        &["new", "--catch-all", "mine.example", "--style", "hex"],
        "",
    );
    assert_eq!(code, 0);
    let (local, domain) = out.trim().split_once('@').unwrap();
    assert_eq!(domain, "mine.example");
    assert_eq!(local.len(), 16);
    assert!(local.bytes().all(|b| b.is_ascii_hexdigit()));
    let (_, out, _) = cli(&["new", "--plus", "me@example.com", "--tag", "shop"], "");
    assert_eq!(out, "me+shop@example.com\n");
    let (_, out, _) = cli(
        &[
            "new",
            "--subdomain=you.fastmail.com",
            "--tag",
            "news",
            "--json",
        ],
        "",
    );
    assert_eq!(out, "{\"alias\":\"news@you.fastmail.com\"}\n");
}

#[test]
fn new_per_site_is_stable_and_reads_the_secret_from_stdin() {
    let a = cli(
        &[
            "new",
            "--site",
            "https://a.example.co.uk",
            "--secret",
            SECRET,
            "--domain",
            "mine.example",
        ],
        "",
    );
    let b = cli(
        &[
            "new",
            "--site",
            "b.example.co.uk",
            "--secret",
            "-",
            "--domain",
            "mine.example",
        ],
        SECRET,
    );
    assert_eq!(a.0, 0);
    assert_eq!(a.1, b.1);
    assert!(!a.1.contains("example.co"));
    let c = cli(
        &[
            "new",
            "--site",
            "example.co.uk",
            "--secret",
            SECRET,
            "--domain",
            "mine.example",
            "--site-in-tag",
        ],
        "",
    );
    assert!(c.1.starts_with("example."), "{}", c.1);
    let (code, _, err) = cli(
        &[
            "new",
            "--site",
            "example.com",
            "--secret",
            "abcd",
            "--domain",
            "mine.example",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("secret"), "{err}");
}

#[test]
fn usage_errors_exit_3() {
    for args in [
        vec![],
        vec!["frob"],
        vec!["new"],
        vec!["new", "--catch-all", "a.example", "--plus", "me@a.example"],
        vec!["new", "--catch-all"],
        vec!["new", "--catch-all", "a.example", "--style", "emoji"],
        vec!["new", "--catch-all", "a.example", "--tag", "x"],
        vec!["new", "--site", "a.example"],
        vec!["new", "--catch-all", "a.example", "--bogus"],
        vec!["site"],
        vec!["site", "a.example", "b.example"],
    ] {
        let (code, _, err) = cli(&args, "");
        assert_eq!(code, EXIT_USAGE, "{args:?}");
        assert!(!err.is_empty());
    }
    let (code, out, _) = cli(&["--help"], "");
    assert_eq!(code, 0);
    assert!(out.contains("--catch-all") && out.contains("--site-in-tag"));
}

#[test]
fn invalid_values_are_clear_errors() {
    let (code, out, err) = cli(&["new", "--catch-all", "localhost", "--json"], "");
    assert_eq!(code, 1);
    assert!(out.contains("\"error\""));
    assert!(
        err.contains("`localhost` is not a usable mail domain"),
        "{err}"
    );
    let (code, _, err) = cli(&["new", "--plus", "no-at-sign"], "");
    assert_eq!(code, 1);
    assert!(err.contains("has no @"), "{err}");
}
