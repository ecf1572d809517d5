//! `impalemail alias`: being written; until it lands it reports that it is unavailable.

use std::io::{Read, Write};

/// Runs `impalemail alias`; returns the exit status.
pub fn run(
    _args: &[String],
    _stdin: &mut dyn Read,
    _stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let _ = writeln!(stderr, "impalemail alias: not available in this build yet");
    super::EXIT_USAGE
}
