//! `impalemail forms classify`: reads one JSON [`Batch`](crate::forms::Batch) per line on
//! stdin and prints one JSON [`Classification`](crate::forms::Classification) per line on
//! stdout (or `{"error": "..."}` for a line that fails), for the corpus evaluation
//! (`tests/forms/eval.mjs`) and for debugging batches copied from the extension.

use std::io::{BufRead, BufReader, Read, Write};

const HELP: &str = "\
impalemail forms — signup-form detection on feature batches

USAGE:
    impalemail forms classify < batches.jsonl

Reads one JSON batch ({fields, forms, page}) per line, as built by
extension/content/extract.js, and prints one JSON classification per line.
A line that cannot be parsed or classified prints {\"error\": \"...\"} instead;
the exit status is then 1.
";

/// Longest input line accepted, in bytes: a batch at the classifier's limits
/// ([`crate::forms::MAX_FIELDS_PER_BATCH`] fields of short texts) fits well within it.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Runs `impalemail forms`; returns the exit status.
pub fn run(
    args: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match args.first().map(String::as_str) {
        Some("classify") if args.len() == 1 => classify(stdin, stdout, stderr),
        Some("-h" | "--help" | "help") => {
            let _ = stdout.write_all(HELP.as_bytes());
            0
        }
        _ => {
            let _ = stderr.write_all(HELP.as_bytes());
            super::EXIT_USAGE
        }
    }
}

fn classify(stdin: &mut dyn Read, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let mut status = 0;
    let reader = BufReader::new(stdin);
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(stderr, "impalemail forms: cannot read stdin: {e}");
                return super::EXIT_USAGE;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let result = if line.len() > MAX_LINE_BYTES {
            Err(format!(
                "line {} is {} bytes, more than the limit of {MAX_LINE_BYTES}",
                n + 1,
                line.len()
            ))
        } else {
            serde_json::from_slice::<crate::forms::Batch>(&line)
                .map_err(|e| format!("line {}: not a batch: {e}", n + 1))
                .and_then(|b| {
                    crate::forms::classify_batch(&b).map_err(|e| format!("line {}: {e}", n + 1))
                })
        };
        let out = match result {
            Ok(c) => serde_json::to_string(&c),
            Err(msg) => {
                status = 1;
                serde_json::to_string(&serde_json::json!({ "error": msg }))
            }
        };
        match out {
            Ok(s) => {
                if writeln!(stdout, "{s}").is_err() {
                    return 1;
                }
            }
            Err(e) => {
                let _ = writeln!(stderr, "impalemail forms: {e}");
                return 1;
            }
        }
    }
    status
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn call(args: &[&str], input: &str) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut input.as_bytes(), &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn classifies_one_line_per_batch() {
        let batch = r#"{"fields":[{"index":0,"formIndex":0,"tag":"input","type":"email","name":"email"}],"forms":[{"index":0,"isForm":true,"buttons":["Create account"],"passwordCount":1,"passwordAutocompletes":["new-password"]}],"page":{"urlPath":"/join","title":"Join"}}"#;
        let (code, out, _) = call(&["classify"], &format!("{batch}\n\n{batch}\n"));
        assert_eq!(code, 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["fields"][0]["field_type"], "email_new_account");
        assert_eq!(v["fields"][0]["button"], true);
        assert_eq!(v["forms"][0]["form_type"], "signup");
    }

    #[test]
    fn a_bad_line_prints_an_error_and_fails() {
        let (code, out, _) = call(&["classify"], "{not json}\n");
        assert_eq!(code, 1);
        assert!(out.contains("\"error\"") && out.contains("line 1"));
    }

    #[test]
    fn usage_errors() {
        assert_eq!(call(&[], "").0, crate::cli::EXIT_USAGE);
        assert_eq!(call(&["classify", "x"], "").0, crate::cli::EXIT_USAGE);
        assert_eq!(call(&["--help"], "").0, 0);
    }
}
