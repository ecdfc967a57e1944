//! `dossier bench`: its options, and the run when the binary is built with the `bench`
//! feature. Without it the command says how to get it: the SQLite peer is a C build that the
//! bot does not need.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(clap::Args, Debug)]
#[cfg_attr(not(feature = "bench"), allow(dead_code))]
pub struct BenchOpts {
    /// Folder of the benchmark corpora and runs.
    #[arg(long, default_value = ".bench-cache")]
    cache: PathBuf,
    /// Document counts to build, comma-separated (0 = all).
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,0")]
    sizes: Vec<usize>,
    /// Queries per kind.
    #[arg(long, default_value_t = 300)]
    queries: usize,
    /// Seconds per concurrency level of the throughput test (after as long a warm-up).
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Runs of the query set (the median run is reported, with the spread of all).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// A run of seconds on a tiny corpus made from the bundled documents (for CI).
    #[arg(long)]
    smoke: bool,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[cfg(feature = "bench")]
pub fn run(opts: BenchOpts) -> Result<ExitCode> {
    let smoke = opts.smoke;
    let args = crate::bench::BenchArgs {
        cache: opts.cache,
        sizes: if smoke { vec![2, 0] } else { opts.sizes },
        smoke,
        queries: if smoke { opts.queries.min(20) } else { opts.queries },
        seconds: if smoke { opts.seconds.min(0.2) } else { opts.seconds },
        repeat: opts.repeat as usize,
    };
    let report = crate::bench::run(args)?;
    println!("{}", crate::bench::table(&report));
    if let Some(path) = opts.json {
        std::fs::write(&path, serde_json::to_vec_pretty(&report)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "bench"))]
pub fn run(_: BenchOpts) -> Result<ExitCode> {
    anyhow::bail!(
        "this dossier was built without the benchmark; build it with `cargo build --release --features bench` \
         (./scripts/bench.sh does)"
    )
}
