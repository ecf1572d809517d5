//! The wasm boundary: the only module that uses `wasm_bindgen`, `js_sys` and `web_sys`.
//!
//! It holds no logic. Each export converts JavaScript values into the core's types, calls
//! the core, and converts the answer back. Errors cross as a JavaScript `Error` whose
//! `name` is the Rust error type, so the background can tell them apart without parsing
//! messages. A panic is reported on the console and then traps; the background treats a
//! trap as an error verdict and re-instantiates the module.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

/// Installs the panic hook once; the background calls it right after instantiation.
#[wasm_bindgen(js_name = initCore)]
pub fn init_core() {
    console_error_panic_hook::set_once();
}

/// The core's version (`CARGO_PKG_VERSION`).
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::VERSION.to_owned()
}

/// A self-test the background answers content scripts and pages with: the SHA-256 of
/// `text` in lower-case hex. It proves that the module is instantiated and computing.
#[wasm_bindgen(js_name = selfTestDigest)]
pub fn self_test_digest(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// Writes a line to the console of the context that runs the module (debug builds only).
#[wasm_bindgen(js_name = debugLog)]
pub fn debug_log(text: &str) {
    if cfg!(debug_assertions) {
        web_sys::console::log_1(&JsValue::from_str(text));
    }
}

/// Builds a JavaScript `Error` with `name` set to the Rust error type (used by the exports
/// that return `Result`).
#[allow(dead_code)]
pub(crate) fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}
