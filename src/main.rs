//! The `dossier` binary: parse the command line, run, and turn errors into one line on
//! stderr with exit code 2. Everything else lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    match dossier::cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dossier: {err:#}");
            ExitCode::from(2)
        }
    }
}
