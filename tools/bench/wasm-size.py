#!/usr/bin/env python3
"""Sizes for the benchmark's extras: the wasm module (raw, after wasm-opt, gzipped) and the
content script, as JSON on stdout.

    tools/bench/wasm-size.py PKG_WASM CONTENT_JS [CARGO_WASM]

- PKG_WASM: the wasm as shipped (pkg/impalemail_bg.wasm: wasm-bindgen output after
  build.sh's `wasm-opt -O3 -fimfs 0 --converge --strip-debug --strip-producers`);
- CARGO_WASM (optional): rustc's output (target/wasm32-unknown-unknown/release/impalemail.wasm);
  when `wasm-bindgen` is on PATH it is run on a copy (as build.sh does) to get the size
  *before* wasm-opt, and then build.sh's `wasm-opt -O3 -fimfs 0 --converge --strip-debug --strip-producers`
  and, for comparison, `-Oz` with the same strip flags. That artifact may be newer than pkg/
  (another build); `raw_newer_than_pkg` says so.
- gzip sizes are `gzip -9` (Python's zlib at level 9, the same deflate).
Also lists the module's sections by size (code, data, custom sections by name).
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile


def gz(data):
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def sections(buf):
    names = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
             7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}
    out, pos = [], 8
    while pos < len(buf):
        sid = buf[pos]
        size, body = leb(buf, pos + 1)
        name = names.get(sid, str(sid))
        if sid == 0:
            n, p = leb(buf, body)
            name = "custom:" + buf[p:p + n].decode(errors="replace")
        out.append({"section": name, "bytes": size, "gzip9": gz(buf[body:body + size])})
        pos = body + size
    return sorted(out, key=lambda s: -s["bytes"])


def main():
    pkg_wasm, content_js = sys.argv[1], sys.argv[2]
    cargo_wasm = sys.argv[3] if len(sys.argv) > 3 else None
    shipped = open(pkg_wasm, "rb").read()
    content = open(content_js, "rb").read()
    custom = [x["section"] for x in sections(shipped) if x["section"].startswith("custom:")]
    doc = {
        "wasm_shipped_file": pkg_wasm,
        # build.sh's wasm-opt strips both: if they are there, the shipped file did not go
        # through that step.
        "wasm_shipped_has_name_or_producers_section": any(
            c in ("custom:name", "custom:producers") for c in custom),
        "wasm_shipped_bytes": len(shipped),
        "wasm_shipped_gzip9_bytes": gz(shipped),
        "wasm_opt_flags_in_build_sh": "-O3 -fimfs 0 --converge --strip-debug --strip-producers",
        "wasm_sections": sections(shipped),
        "content_script_file": content_js,
        "content_script_bytes": len(content),
        "content_script_gzip9_bytes": gz(content),
    }
    bindgen, wasm_opt = shutil.which("wasm-bindgen"), shutil.which("wasm-opt")
    if cargo_wasm and os.path.exists(cargo_wasm) and bindgen:
        tmp = tempfile.mkdtemp(prefix="impalemail-size-")
        try:
            subprocess.run([bindgen, "--target", "web", "--out-dir", tmp, cargo_wasm], check=True,
                           stdout=subprocess.DEVNULL)
            raw = open(os.path.join(tmp, "impalemail_bg.wasm"), "rb").read()
            doc.update({
                "wasm_raw_file": cargo_wasm + " (through wasm-bindgen, before wasm-opt)",
                "wasm_raw_bytes": len(raw),
                "wasm_raw_gzip9_bytes": gz(raw),
                "raw_newer_than_pkg": os.path.getmtime(cargo_wasm) > os.path.getmtime(pkg_wasm),
            })
            if wasm_opt:
                for key, level in (("O3", ["-O3", "-fimfs", "0", "--converge"]), ("Oz", ["-Oz"])):
                    o = os.path.join(tmp, f"{key}.wasm")
                    subprocess.run([wasm_opt, *level, "--strip-debug", "--strip-producers",
                                    os.path.join(tmp, "impalemail_bg.wasm"), "-o", o], check=True)
                    ob = open(o, "rb").read()
                    doc.update({f"wasm_{key}_bytes": len(ob), f"wasm_{key}_gzip9_bytes": gz(ob)})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        doc["wasm_raw_note"] = "raw size not measured: needs the cargo artifact and wasm-bindgen on PATH"
    json.dump(doc, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
