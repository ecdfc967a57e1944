//! `dossier bench`: how fast Dossier indexes and answers as the corpus grows, against the
//! floor (the same files in a bare tantivy + jieba index: what the engines underneath cost)
//! and the peer a user would build instead (SQLite FTS5, trigram tokenizer), in one process
//! and run, so every ratio compares figures taken under the same machine load.
//!
//! Corpora come from the package registries (`scripts/bench-corpus.sh`): Chinese news
//! (every other article converted to Traditional here with ferrous-opencc) and classical
//! poetry. At each size the same documents are indexed by both systems and queried with the
//! same fixed query set; every figure is printed with its Dossier/peer ratio where one exists.
//! Latencies are taken over `--repeat` runs of the query set (the median of each percentile
//! and the spread of all runs), throughput after a warm-up at each level, and serving memory
//! in a child process after it has answered the whole query set.
//! `--smoke` runs the whole pipeline in seconds on a corpus made from the bundled documents.

mod corpus;
mod floor;
mod peer;
pub mod rss;
mod table;

pub use table::table;

use corpus::{size_set, sources};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use serde::Serialize;

use dossier::cache::CacheConfig;
use dossier::command::{Command, Request};
use dossier::corpus::{read_document, scan};
use dossier::engine::{Engine, EngineConfig};
use dossier::text::convert::{to_script, Script};

pub struct BenchArgs {
    pub cache: PathBuf,
    /// Document counts to build (0 = all).
    pub sizes: Vec<usize>,
    pub smoke: bool,
    /// Queries per kind.
    pub queries: usize,
    /// Seconds per concurrency level.
    pub seconds: f64,
    /// Runs of the query set for the latency figures.
    pub repeat: usize,
}

/// Latency percentiles of a query kind: each the median over the runs, with the lowest and
/// highest run beside p50 and p99 (how far one run can be off on this machine).
#[derive(Debug, Default, Serialize)]
pub struct Latency {
    /// Queries per run.
    pub n: usize,
    pub runs: usize,
    pub p50_us: f64,
    pub p95_us: f64,
    pub p99_us: f64,
    pub p50_range_us: [f64; 2],
    pub p99_range_us: [f64; 2],
}

impl Latency {
    /// The percentiles of one run's durations: p50, p95, p99 in µs.
    fn percentiles(mut d: Vec<Duration>) -> [f64; 3] {
        d.sort();
        let at = |q: f64| d[((d.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e6;
        [at(0.5), at(0.95), at(0.99)]
    }

    fn of_runs(runs: Vec<Vec<Duration>>) -> Latency {
        let runs: Vec<Vec<Duration>> = runs.into_iter().filter(|r| !r.is_empty()).collect();
        if runs.is_empty() {
            return Latency::default();
        }
        let n = runs[0].len();
        let per_run: Vec<[f64; 3]> = runs.into_iter().map(Latency::percentiles).collect();
        let column = |k: usize| {
            let mut v: Vec<f64> = per_run.iter().map(|p| p[k]).collect();
            v.sort_by(f64::total_cmp);
            (v[v.len() / 2], [v[0], v[v.len() - 1]])
        };
        let ((p50, p50_range), (p95, _), (p99, p99_range)) = (column(0), column(1), column(2));
        Latency {
            n,
            runs: per_run.len(),
            p50_us: p50,
            p95_us: p95,
            p99_us: p99,
            p50_range_us: p50_range,
            p99_range_us: p99_range,
        }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct SizeReport {
    pub documents: usize,
    pub megabytes: f64,
    pub build_s: f64,
    pub docs_per_s: f64,
    pub mb_per_s: f64,
    pub index_mb: f64,
    pub build_peak_rss_mb: f64,
    /// CPU seconds of the build, every thread.
    pub build_cpu_s: f64,
    /// The same files in a bare tantivy + jieba index (see `floor`).
    pub floor_build_s: f64,
    pub floor_cpu_s: f64,
    pub floor_index_mb: f64,
    /// Of which finding names and merging them into entities.
    pub names_cpu_s: f64,
    pub latency: BTreeMap<String, Latency>,
    pub throughput: BTreeMap<usize, f64>,
    /// Process start to first answer from the index on disk (`--no-refresh`, as the bot
    /// restarts: it answers at once and catches up with the corpus behind).
    pub cold_start_ms: f64,
    /// The same with the corpus folder checked for changes first (a stat per file).
    pub cold_start_checked_ms: f64,
    /// A serving process after answering the whole query set: peak resident memory, and what
    /// is resident at the end as heap (anonymous pages) and as mapped index files.
    pub serving_peak_mb: f64,
    pub serving_heap_mb: f64,
    pub serving_mapped_mb: f64,
    pub recall_same: Option<f64>,
    pub recall_cross: Option<f64>,
    pub peer_insert_s: f64,
    pub peer_mb_per_s: f64,
    pub peer_index_mb: f64,
    pub peer_latency: BTreeMap<String, Latency>,
    pub peer_recall_same: Option<f64>,
    pub peer_recall_cross: Option<f64>,
    pub peer_or_empty_share: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub machine: String,
    pub smoke: bool,
    pub sizes: Vec<SizeReport>,
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        dir_size(&path)
                    } else {
                        file_size(&path)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The fixed query set of a size: deterministic picks from its documents.
struct Queries {
    sentences: Vec<String>,
    titles: Vec<(String, String)>,
    names: Vec<String>,
    topics: Vec<String>,
}

fn pick<T: Clone>(v: &[T], n: usize) -> Vec<T> {
    if v.len() <= n {
        return v.to_vec();
    }
    let step = v.len() as f64 / n as f64;
    (0..n).map(|i| v[(i as f64 * step) as usize].clone()).collect()
}

fn queries(engine: &Engine, docs: &[(String, String, Vec<String>)], n: usize) -> Queries {
    let mut sentences = Vec::new();
    for (_, _, paragraphs) in docs {
        if let Some(p) = paragraphs.iter().find(|p| p.chars().count() >= 16) {
            let s: String = p.chars().skip(2).take(12).collect();
            sentences.push(s);
        }
    }
    // (title as the article writes it, the article's id) for news articles.
    let mut titles = Vec::new();
    for (id, title, _) in docs {
        if id.starts_with("s-") || id.starts_with("t-") {
            titles.push((title.clone(), id.clone()));
        }
    }
    let registry = engine.registry();
    let names: Vec<String> = registry
        .entities()
        .iter()
        .filter(|e| e.mentions > 0)
        .take(n)
        .map(|e| e.name.clone())
        .collect();
    let topics = names
        .iter()
        .take(n / 2)
        .cloned()
        .chain(["2018年", "去年", "北京"].map(String::from))
        .collect();
    Queries {
        sentences: pick(&sentences, n),
        titles: pick(&titles, n),
        names,
        topics,
    }
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// The queries of each kind as the bot receives them.
fn requests(q: &Queries) -> Vec<(&'static str, Command, Vec<String>)> {
    let questions: Vec<String> = q
        .titles
        .iter()
        .map(|t| format!("{}是怎么回事", t.0))
        .chain(q.sentences.iter().map(|s| format!("{s}吗")))
        .collect();
    vec![
        ("source", Command::Source, q.sentences.clone()),
        ("ask", Command::Ask, questions),
        ("who", Command::Who, q.names.clone()),
        ("timeline", Command::Timeline, q.topics.clone()),
    ]
}

/// Latency of every query kind over `repeat` runs of the query set, each query on a channel
/// of its own (no cache hit), and of cache hits.
fn measure_latency(engine: &Engine, q: &Queries, repeat: usize, report: &mut SizeReport) {
    let unique = AtomicUsize::new(0);
    let channel = || format!("bench-{}", unique.fetch_add(1, Ordering::Relaxed));
    let mut runs: BTreeMap<&str, Vec<Vec<Duration>>> = BTreeMap::new();
    for _ in 0..repeat {
        for (kind, cmd, items) in requests(q) {
            let run: Vec<Duration> = items
                .iter()
                .map(|s| time(|| drop(engine.answer(&channel(), &Request::new(cmd, s.clone())))))
                .collect();
            runs.entry(kind).or_default().push(run);
        }
        let hits: Vec<Duration> = q
            .sentences
            .iter()
            .map(|s| {
                let r = Request::new(Command::Source, s.clone());
                engine.answer("bench-hot", &r);
                time(|| drop(engine.answer("bench-hot", &r)))
            })
            .collect();
        runs.entry("cache_hit").or_default().push(hits);
    }
    for (kind, runs) in runs {
        report.latency.insert(kind.into(), Latency::of_runs(runs));
    }
}

/// Answers per second with 1, 2, 8 and 32 callers. Each level first runs as long unmeasured,
/// so no level pays for warming the caches and the page cache that the next one enjoys.
fn measure_throughput(engine: &Arc<Engine>, q: &Queries, seconds: f64, report: &mut SizeReport) {
    let level = |threads: usize, seconds: f64| -> f64 {
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::new();
        for t in 0..threads {
            let (engine, stop, done) = (engine.clone(), stop.clone(), done.clone());
            let items: Vec<String> = q.sentences.clone();
            handles.push(std::thread::spawn(move || {
                let mut i = t;
                while !stop.load(Ordering::Relaxed) && !items.is_empty() {
                    let r = Request::new(Command::Source, items[i % items.len()].clone());
                    engine.answer(&format!("tp-{t}-{i}"), &r);
                    done.fetch_add(1, Ordering::Relaxed);
                    i += threads;
                }
            }));
        }
        let started = Instant::now();
        std::thread::sleep(Duration::from_secs_f64(seconds));
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            let _ = h.join();
        }
        done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
    };
    for threads in [1usize, 2, 8, 32] {
        level(threads, seconds);
        report.throughput.insert(threads, level(threads, seconds));
    }
}

/// Recall@3 of the source article for title queries: typed in the article's own script, and
/// in the other one (Simplified titles of Traditional articles and the reverse).
fn recall(found: impl Fn(&str) -> Vec<String>, titles: &[(String, String)]) -> (Option<f64>, Option<f64>) {
    if titles.is_empty() {
        return (None, None);
    }
    let (mut same, mut cross) = (0, 0);
    for (title, id) in titles {
        same += usize::from(found(title).iter().take(3).any(|d| d == id));
        let other = if id.starts_with("t-") {
            Script::Simplified
        } else {
            Script::Traditional
        };
        let converted = to_script(title, other);
        cross += usize::from(found(&converted).iter().take(3).any(|d| d == id));
    }
    let n = titles.len() as f64;
    (Some(same as f64 / n), Some(cross as f64 / n))
}

/// `dossier ask --json` on the index just built, as a separate process (as the bot runs).
fn serving(index: &Path, corpus: &Path, refresh: bool) -> Result<std::process::Command> {
    let mut cmd = std::process::Command::new(std::env::current_exe()?);
    cmd.args([
        "--corpus",
        &corpus.to_string_lossy(),
        "--index",
        &index.to_string_lossy(),
        "ask",
        "--json",
    ])
    .args((!refresh).then_some("--no-refresh"))
    .env("DOSSIER_LOG", "error");
    Ok(cmd)
}

/// Process start to first answer, the median of three.
fn cold_start(index: &Path, corpus: &Path, query: &str, refresh: bool) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let out = serving(index, corpus, refresh)?
            .arg(format!("/source {query}"))
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "the serving process failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The memory of a serving process that has answered the whole query set, every kind.
fn serving_memory(index: &Path, corpus: &Path, q: &Queries) -> Result<rss::Resident> {
    use std::io::Write;
    let mut lines = String::new();
    for (kind, _, items) in requests(q) {
        for item in items {
            lines.push_str(&format!("/{kind} {}\n", item.replace('\n', " ")));
        }
    }
    let mut child = serving(index, corpus, false)?
        .arg("-")
        .env("DOSSIER_REPORT_RSS", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().context("no stdin for the serving process")?;
    let writer = std::thread::spawn(move || stdin.write_all(lines.as_bytes()));
    let out = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing the queries failed"))??;
    let stderr = String::from_utf8_lossy(&out.stderr);
    rss::Resident::from_report(&stderr).with_context(|| format!("the serving process reported no memory: {stderr}"))
}

fn bench_size(args: &BenchArgs, set: &Path, out: &Path) -> Result<SizeReport> {
    let mut report = SizeReport::default();
    let index = out.join("index");
    let _ = std::fs::remove_dir_all(&index);
    // Both builds read the files from the page cache: whichever ran second would otherwise.
    let (files, _) = scan(set)?;
    for f in &files {
        drop(std::fs::read(&f.path)?);
    }
    let config = EngineConfig {
        cache: CacheConfig {
            max_entries: 1_000_000,
            max_age: Duration::from_secs(86_400),
        },
        ..EngineConfig::new(set, &index)
    };
    rss::reset_peak();
    let started = Instant::now();
    let (cpu_before, names_before) = (rss::cpu_seconds(), dossier::knowledge::name_time());
    let (engine, sync) = Engine::open(config, &ProgressBar::hidden())?;
    report.build_s = started.elapsed().as_secs_f64();
    report.build_cpu_s = rss::cpu_seconds() - cpu_before;
    report.names_cpu_s = (dossier::knowledge::name_time() - names_before).as_secs_f64();
    report.build_peak_rss_mb = rss::peak_kb() as f64 / 1024.0;
    report.documents = sync.added + sync.updated + sync.unchanged;
    report.megabytes = sync.bytes as f64 / 1e6;
    report.docs_per_s = report.documents as f64 / report.build_s;
    report.mb_per_s = report.megabytes / report.build_s;
    report.index_mb = dir_size(&index) as f64 / 1e6;
    let engine = Arc::new(engine);
    // The floor after Dossier's build: what it leaves allocated must not count in Dossier's
    // peak memory (a fresh peak is measured from the memory in use when it starts).
    let floor = floor::build(
        &out.join("floor"),
        &files.iter().map(|f| f.path.clone()).collect::<Vec<_>>(),
        dossier::index::writer_threads(),
        dossier::index::WRITER_MEMORY_PER_THREAD,
    )?;
    report.floor_build_s = floor.wall.as_secs_f64();
    report.floor_cpu_s = floor.cpu_s;
    report.floor_index_mb = floor.index_bytes as f64 / 1e6;
    anyhow::ensure!(floor.documents == files.len(), "the floor indexed every file");

    // The same cleaned paragraphs for the peer.
    let mut docs: Vec<(String, String, Vec<String>)> = Vec::with_capacity(files.len());
    let mut rows: Vec<peer::Row> = Vec::new();
    for f in &files {
        let bytes = std::fs::read(&f.path)?;
        if let Ok(d) = read_document(f, &bytes, &engine.rules().boilerplate, &mut Vec::new()) {
            rows.push((d.id.clone(), 0, d.meta.title.clone()));
            for (i, p) in d.paragraphs.iter().enumerate() {
                rows.push((d.id.clone(), i as u64 + 1, p.clone()));
            }
            docs.push((d.id, d.meta.title, d.paragraphs));
        }
    }
    let peer_path = out.join("peer.sqlite");
    let (peer, insert) = peer::Peer::build(&peer_path, &rows)?;
    let text_mb: f64 = rows.iter().map(|r| r.2.len()).sum::<usize>() as f64 / 1e6;
    report.peer_insert_s = insert.as_secs_f64();
    report.peer_mb_per_s = text_mb / report.peer_insert_s;
    report.peer_index_mb = file_size(&peer_path) as f64 / 1e6;

    let q = queries(&engine, &docs, args.queries);
    measure_latency(&engine, &q, args.repeat, &mut report);
    measure_throughput(&engine, &q, args.seconds, &mut report);
    let source_docs = |text: &str| -> Vec<String> {
        let r = engine.answer("bench-recall", &Request::new(Command::Source, text));
        let mut docs: Vec<String> = Vec::new();
        // An item cites its document and the copies saying the same (syndicated articles).
        for i in r.items {
            for doc in std::iter::once(i.citation.doc).chain(i.also.into_iter().map(|c| c.doc)) {
                if !docs.contains(&doc) {
                    docs.push(doc);
                }
            }
        }
        docs
    };
    (report.recall_same, report.recall_cross) = recall(source_docs, &q.titles);
    (report.peer_recall_same, report.peer_recall_cross) = recall(|t| peer.phrase(t, 3).unwrap_or_default(), &q.titles);

    let peer_phrase = (0..args.repeat)
        .map(|_| q.sentences.iter().map(|s| time(|| drop(peer.phrase(s, 3)))).collect())
        .collect();
    report
        .peer_latency
        .insert("source".into(), Latency::of_runs(peer_phrase));
    let seg = dossier::text::Segmenter::new(&engine.rules().names);
    let mut empty = 0;
    let peer_or = (0..args.repeat)
        .map(|_| {
            empty = 0;
            q.sentences
                .iter()
                .map(|s| {
                    let folded = dossier::text::fold(s);
                    let words = seg.query_words(&folded);
                    let mut found = Vec::new();
                    let d = time(|| found = peer.any_word(&words, 3).unwrap_or_default());
                    empty += usize::from(found.is_empty());
                    d
                })
                .collect()
        })
        .collect();
    report.peer_or_empty_share = empty as f64 / q.sentences.len().max(1) as f64;
    report.peer_latency.insert("or_words".into(), Latency::of_runs(peer_or));

    let probe = q.sentences.first().cloned().unwrap_or_else(|| "牛油果".into());
    drop(engine);
    report.cold_start_ms = cold_start(&index, set, &probe, false)?;
    report.cold_start_checked_ms = cold_start(&index, set, &probe, true)?;
    let served = serving_memory(&index, set, &q)?;
    report.serving_peak_mb = served.peak_kb as f64 / 1024.0;
    report.serving_heap_mb = served.anon_kb as f64 / 1024.0;
    report.serving_mapped_mb = served.file_kb as f64 / 1024.0;
    Ok(report)
}

pub fn run(args: BenchArgs) -> Result<Report> {
    std::fs::create_dir_all(&args.cache).with_context(|| format!("cannot use {}", args.cache.display()))?;
    let all = sources(&args)?;
    anyhow::ensure!(
        !all.is_empty(),
        "no benchmark documents found in {}",
        args.cache.display()
    );
    let mut sizes: Vec<usize> = args
        .sizes
        .iter()
        .map(|&s| if s == 0 || s > all.len() { all.len() } else { s })
        .collect();
    sizes.dedup();
    let mut report = Report {
        machine: machine(),
        smoke: args.smoke,
        sizes: Vec::new(),
    };
    for n in sizes {
        eprintln!("bench: {n} documents");
        let set = size_set(&args, &all, n)?;
        let out = args.cache.join("runs").join(n.to_string());
        std::fs::create_dir_all(&out)?;
        report.sizes.push(bench_size(&args, &set, &out)?);
    }
    Ok(report)
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<f64>().unwrap_or(0.0) / 1048576.0)
        })
        .unwrap_or(0.0);
    format!("{cpus} cores ({model}), {mem:.0} GiB")
}
