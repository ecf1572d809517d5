//! `impalemail`: the core on the command line, for scripting and debugging without a browser.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = impalemail::cli::main(
        &args,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
