//! The `dossier` binary: parse the command line, run, and turn errors into one line on
//! stderr with exit code 2. The command line (`cli`) and the benchmark (`bench`) are the
//! binary's own; everything they call lives in the library.

#[cfg(feature = "bench")]
mod bench;
mod cli;

use std::process::ExitCode;

/// mimalloc rather than the system allocator: indexing allocates and frees millions of small
/// strings on every core, and glibc's per-thread arenas kept what a full build freed (the
/// cleaned documents) resident while tantivy's buffers grew beside it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // An error may quote what a server sent back, the Authorization header included.
            eprintln!("dossier: {}", dossier::discord::redact::redact_env(&format!("{err:#}")));
            ExitCode::from(2)
        }
    };
    // For the benchmark's serving-memory figures (the benchmark runs this binary as a child).
    #[cfg(feature = "bench")]
    if std::env::var_os("DOSSIER_REPORT_RSS").is_some() {
        eprintln!("{}", bench::rss::Resident::now().report_line());
    }
    code
}
