//! The `dossier` binary: parse the command line, run, and turn errors into one line on
//! stderr with exit code 2. Everything else lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = match dossier::cli::run() {
        Ok(code) => code,
        Err(err) => {
            // An error may quote what a server sent back, the Authorization header included.
            eprintln!("dossier: {}", dossier::discord::redact::redact_env(&format!("{err:#}")));
            ExitCode::from(2)
        }
    };
    // For the benchmark's serving-memory figure.
    if std::env::var_os("DOSSIER_REPORT_RSS").is_some() {
        eprintln!("peak_rss_kb={}", dossier::bench::rss::peak_kb());
    }
    code
}
