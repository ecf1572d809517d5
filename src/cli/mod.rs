//! The `impalemail` command line: one dispatcher, one file per subcommand.
//!
//! Every subcommand takes its arguments and the three standard streams, and returns the
//! process exit status, so that tests can run it in-process with byte buffers.

use std::io::{Read, Write};

pub mod alias;
pub mod dkim;
#[cfg(not(target_arch = "wasm32"))]
pub mod doh;
pub mod forms;
#[cfg(not(target_arch = "wasm32"))]
pub mod online;
pub mod verify;

/// Exit status for usage errors and unreadable input (shared by every subcommand).
pub const EXIT_USAGE: i32 = 3;

const HELP: &str = "\
impalemail — disposable aliases and S/MIME signature checks, on the command line

USAGE:
    impalemail <COMMAND> [OPTIONS]

COMMANDS:
    verify      Verify the S/MIME signature of a message, or with --dkim its DKIM signature
                (see `impalemail verify --help`)
    alias       Make disposable aliases with the local generators (see `impalemail alias --help`)
    forms       Classify form feature batches (see `impalemail forms --help`)

OPTIONS:
    -h, --help       Print this help
    -V, --version    Print the version
";

/// Runs the command line with `args` (without the program name); returns the exit status.
pub fn main(
    args: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let Some(first) = args.first() else {
        let _ = stderr.write_all(HELP.as_bytes());
        return EXIT_USAGE;
    };
    match first.as_str() {
        "-h" | "--help" | "help" => {
            let _ = stdout.write_all(HELP.as_bytes());
            0
        }
        "-V" | "--version" => {
            let _ = writeln!(stdout, "impalemail {}", crate::VERSION);
            0
        }
        "verify" => verify::run(&args[1..], stdin, stdout, stderr),
        "alias" => alias::run(&args[1..], stdin, stdout, stderr),
        "forms" => forms::run(&args[1..], stdin, stdout, stderr),
        other => {
            let _ = writeln!(
                stderr,
                "impalemail: unknown command `{other}`; try `impalemail --help`"
            );
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = main(&args, &mut std::io::empty(), &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn version_names_the_crate_version() {
        let (code, out, _) = run(&["--version"]);
        assert_eq!(code, 0);
        assert_eq!(out.trim(), format!("impalemail {}", crate::VERSION));
    }

    #[test]
    fn help_lists_the_commands() {
        let (code, out, _) = run(&["--help"]);
        assert_eq!(code, 0);
        assert!(out.contains("verify") && out.contains("alias") && out.contains("forms"));
    }

    #[test]
    fn unknown_command_is_a_usage_error() {
        let (code, _, err) = run(&["frobnicate"]);
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("unknown command `frobnicate`"));
    }

    #[test]
    fn no_arguments_is_a_usage_error() {
        let (code, _, err) = run(&[]);
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("USAGE"));
    }
}
