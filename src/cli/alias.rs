//! `impalemail alias`: the local, account-free generators and the site helper on the
//! command line (no network: provider accounts are used only from the extension).

use crate::alias::generators::{self, Style};
use crate::site;
use std::io::{Read, Write};

/// Exit status when the input is understood but cannot give an alias (bad domain...).
pub const EXIT_INVALID: i32 = 1;

const HELP: &str = "\
impalemail alias — make disposable e-mail aliases locally (no account, no network)

USAGE:
    impalemail alias new --catch-all <domain> [--style words|hex]
    impalemail alias new --plus <you@example.com> [--tag <tag>]
    impalemail alias new --subdomain <you.example.com> [--tag <tag>]
    impalemail alias new --site <url-or-host> --secret <hex|-> --domain <domain> [--site-in-tag]
    impalemail alias site <url-or-host>

OPTIONS:
    --json          Print a JSON object instead of a bare line
    -h, --help      Print this help

`--site` makes the per-site alias: the same site always gives the same alias for the
same secret (64 hex digits; `-` reads it from standard input). `site` prints the
registrable domain (login.shop.example.co.uk -> example.co.uk).
";

struct Opts {
    json: bool,
    values: Vec<(String, String)>,
    flags: Vec<String>,
    positional: Vec<String>,
}

const VALUE_OPTS: [&str; 8] = [
    "--catch-all",
    "--style",
    "--plus",
    "--tag",
    "--subdomain",
    "--site",
    "--secret",
    "--domain",
];

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        json: false,
        values: Vec::new(),
        flags: Vec::new(),
        positional: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        if name == "--json" {
            o.json = true;
        } else if name == "--site-in-tag" {
            o.flags.push(name.to_string());
        } else if VALUE_OPTS.contains(&name) {
            let v = match inline {
                Some(v) => v,
                None => it.next().cloned().ok_or(format!("{name} needs a value"))?,
            };
            if o.values.iter().any(|(n, _)| n == name) {
                return Err(format!("{name} given twice"));
            }
            o.values.push((name.to_string(), v));
        } else if name.starts_with('-') && name.len() > 1 {
            return Err(format!("unknown option `{name}`"));
        } else {
            o.positional.push(a.clone());
        }
    }
    Ok(o)
}

impl Opts {
    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        for (n, _) in &self.values {
            if !allowed.contains(&n.as_str()) {
                return Err(format!("{n} cannot be used here"));
            }
        }
        Ok(())
    }
}

fn json_line(key: &str, value: &str) -> String {
    serde_json::json!({ key: value }).to_string()
}

/// Runs `impalemail alias`; returns the exit status.
pub fn run(
    args: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    if args.is_empty() {
        let _ = stderr.write_all(HELP.as_bytes());
        return super::EXIT_USAGE;
    }
    if args.iter().any(|a| a == "-h" || a == "--help") || args[0] == "help" {
        let _ = stdout.write_all(HELP.as_bytes());
        return 0;
    }
    let usage = |stderr: &mut dyn Write, msg: &str| {
        let _ = writeln!(
            stderr,
            "impalemail alias: {msg}; try `impalemail alias --help`"
        );
        super::EXIT_USAGE
    };
    let opts = match parse(&args[1..]) {
        Ok(o) => o,
        Err(e) => return usage(stderr, &e),
    };
    let (key, result) = match args[0].as_str() {
        "site" => {
            if !opts.values.is_empty() || !opts.flags.is_empty() || opts.positional.len() != 1 {
                return usage(stderr, "`site` takes exactly one URL or host");
            }
            (
                "site",
                site::registrable_domain(&opts.positional[0]).map_err(|e| e.to_string()),
            )
        }
        "new" => {
            if !opts.positional.is_empty() {
                return usage(
                    stderr,
                    &format!("unexpected argument `{}`", opts.positional[0]),
                );
            }
            match new_alias(&opts, stdin) {
                Ok(r) => ("alias", r.map_err(|e| e.to_string())),
                Err(e) => return usage(stderr, &e),
            }
        }
        other => return usage(stderr, &format!("unknown subcommand `{other}`")),
    };
    match result {
        Ok(v) => {
            let line = if opts.json { json_line(key, &v) } else { v };
            let _ = writeln!(stdout, "{line}");
            0
        }
        Err(e) => {
            if opts.json {
                let _ = writeln!(stdout, "{}", json_line("error", &e));
            }
            let _ = writeln!(stderr, "impalemail alias: {e}");
            EXIT_INVALID
        }
    }
}

type Generated = Result<String, crate::alias::AliasError>;

/// Picks the generator; `Err` is a usage error, `Ok(Err)` a generation error.
fn new_alias(o: &Opts, stdin: &mut dyn Read) -> Result<Generated, String> {
    let modes: Vec<&str> = ["--catch-all", "--plus", "--subdomain", "--site"]
        .into_iter()
        .filter(|m| o.get(m).is_some())
        .collect();
    if modes.len() != 1 {
        return Err(
            "`new` needs exactly one of --catch-all, --plus, --subdomain, --site".to_string(),
        );
    }
    if !o.flags.is_empty() && modes[0] != "--site" {
        return Err("--site-in-tag only goes with --site".to_string());
    }
    let tag = o.get("--tag");
    Ok(match modes[0] {
        "--catch-all" => {
            o.only(&["--catch-all", "--style"])?;
            let style = match o.get("--style") {
                None | Some("words") => Style::Words,
                Some("hex") => Style::Hex,
                Some(s) => return Err(format!("--style must be words or hex, not `{s}`")),
            };
            generators::catch_all(o.get("--catch-all").unwrap_or_default(), style)
        }
        "--plus" => {
            o.only(&["--plus", "--tag"])?;
            generators::plus(o.get("--plus").unwrap_or_default(), tag)
        }
        "--subdomain" => {
            o.only(&["--subdomain", "--tag"])?;
            generators::subdomain(o.get("--subdomain").unwrap_or_default(), tag)
        }
        _ => {
            o.only(&["--site", "--secret", "--domain"])?;
            let (Some(secret), Some(domain)) = (o.get("--secret"), o.get("--domain")) else {
                return Err("--site needs --secret and --domain".to_string());
            };
            let secret_text = if secret == "-" {
                let mut s = String::new();
                stdin
                    .take(4096)
                    .read_to_string(&mut s)
                    .map_err(|e| format!("cannot read the secret from standard input: {e}"))?;
                s
            } else {
                secret.to_string()
            };
            generators::parse_secret(&secret_text).and_then(|key| {
                generators::per_site(
                    &key,
                    o.get("--site").unwrap_or_default(),
                    domain,
                    !o.flags.is_empty(),
                )
            })
        }
    })
}
