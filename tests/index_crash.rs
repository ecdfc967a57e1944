//! The index never holds a document twice, whatever happens to the processes that write it:
//! `kill -9` at random moments of an incremental sync, and two syncs at once. After each
//! sequence a final sync must converge on exactly one record per (document, paragraph).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use dossier::engine::{Engine, EngineConfig};
use indicatif::ProgressBar;

fn write_files(corpus: &Path, from: usize, to: usize) {
    write_long_files(corpus, from, to, 6);
}

fn write_long_files(corpus: &Path, from: usize, to: usize, paragraphs: usize) {
    for i in from..to {
        let body: String = (0..paragraphs)
            .map(|p| format!("第{i}篇文章的第{p}段，讲述龙虾实验室第{i}号项目的进展与计划。\n\n"))
            .collect();
        fs::write(corpus.join(format!("doc{i:03}.txt")), format!("标题{i}\n\n{body}")).unwrap();
    }
}

fn dossier(corpus: &Path, index: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .arg("--data")
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A corpus of `n` files, indexed by the binary, with an empty data folder.
fn indexed_corpus(n: usize) -> (tempfile::TempDir, tempfile::TempDir, tempfile::TempDir) {
    let (corpus, index, data) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    write_files(corpus.path(), 0, n);
    let status = dossier(corpus.path(), index.path(), data.path())
        .arg("index")
        .status()
        .unwrap();
    assert!(status.success());
    (corpus, index, data)
}

/// Syncs in this process and checks one record per paragraph, and the number of them.
fn assert_converges(corpus: &Path, index: &Path, data: &Path, documents: usize) {
    assert_converges_to(corpus, index, data, documents * 7);
}

fn assert_converges_to(corpus: &Path, index: &Path, data: &Path, paragraphs: usize) {
    let config = EngineConfig {
        data: data.to_path_buf(),
        ..EngineConfig::new(corpus, index)
    };
    let (engine, _) = Engine::open(config, &ProgressBar::hidden()).unwrap();
    let (records, distinct) = engine.paragraph_records().unwrap();
    assert_eq!(records, distinct, "a document was indexed twice");
    // The paragraphs and a headline per document.
    assert_eq!(distinct, paragraphs);
}

/// A pseudo-random delay, different on each call (no dependency needed for this).
fn jitter(round: u64, max_ms: u64) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    Duration::from_millis((nanos ^ (round * 7919)) % max_ms)
}

#[test]
fn kill_9_during_incremental_syncs_never_doubles_a_document() {
    let (corpus, index, data) = indexed_corpus(20);
    let mut documents = 20;
    for round in 0..6u64 {
        // New files, and one changed, for each round's sync to index.
        write_files(corpus.path(), documents, documents + 15);
        documents += 15;
        fs::write(
            corpus.path().join("doc000.txt"),
            format!("标题0\n\n第{round}轮改写的正文。\n\n{}", "补充段落。\n\n".repeat(5)),
        )
        .unwrap();
        let mut child = dossier(corpus.path(), index.path(), data.path())
            .args(["ask", "/source 龙虾实验室"])
            .spawn()
            .unwrap();
        std::thread::sleep(jitter(round, 400));
        let _ = child.kill();
        let _ = child.wait();
    }
    // doc000 now has one headline and six paragraphs again after the last rewrite: 1 + 6.
    assert_converges(corpus.path(), index.path(), data.path(), documents);
}

#[test]
fn a_crash_between_a_commit_and_its_file_list_never_doubles_a_document() {
    for point in [
        "after-commit",
        "after-registry",
        "after-repeated-lines",
        "between-file-list-and-header",
    ] {
        let (corpus, index, data) = indexed_corpus(10);
        // New files; one changed; one removed.
        write_files(corpus.path(), 10, 16);
        fs::write(
            corpus.path().join("doc001.txt"),
            format!("标题1\n\n{}", "改写后的段落。\n\n".repeat(6)),
        )
        .unwrap();
        fs::remove_file(corpus.path().join("doc002.txt")).unwrap();
        let status = dossier(corpus.path(), index.path(), data.path())
            .env("DOSSIER_CRASH_AT", point)
            .args(["ask", "/source 龙虾实验室"])
            .status()
            .unwrap();
        assert!(!status.success(), "the sync was to die at {point}");
        // The file that went after the crash is never seen again by any list.
        fs::remove_file(corpus.path().join("doc011.txt")).unwrap();
        assert_converges(corpus.path(), index.path(), data.path(), 14);
    }
}

#[test]
fn two_syncs_at_once_never_double_a_document() {
    let (corpus, index, data) = indexed_corpus(10);
    write_files(corpus.path(), 10, 40);
    let children: Vec<_> = (0..2)
        .map(|_| {
            dossier(corpus.path(), index.path(), data.path())
                .args(["ask", "/source 龙虾实验室"])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_converges(corpus.path(), index.path(), data.path(), 40);
}

#[test]
fn a_truncated_segment_is_moved_aside_and_the_index_rebuilt() {
    let (corpus, index, data) = indexed_corpus(5);
    // Cut every segment file's store in half: its footer is gone.
    let mut cut = 0;
    for entry in fs::read_dir(index.path()).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "store") {
            let len = fs::metadata(&path).unwrap().len();
            fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len / 2)
                .unwrap();
            cut += 1;
        }
    }
    assert!(cut > 0);
    let out = dossier(corpus.path(), index.path(), data.path())
        .args(["ask", "--json", "/source 龙虾实验室第3号项目"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot be opened") && stderr.contains(".broken-"),
        "{stderr}"
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["items"][0]["citation"]["doc"], "doc003");
    // The broken files are kept aside, and the next run is quiet.
    assert!(fs::read_dir(index.path())
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".broken-")));
    assert_converges(corpus.path(), index.path(), data.path(), 5);
}

/// A small tmpfs that is unmounted when dropped; `None` when this process may not mount
/// (not root, or no mount namespace to do it in).
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap().keep();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs(dir))
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_full_disk_fails_with_its_reason_and_the_next_run_converges() {
    let Some(probe) = Tmpfs::mount("1m") else {
        eprintln!("skipped: mounting a small tmpfs needs root (the full-disk case is not run here)");
        return;
    };
    drop(probe);
    // Several sizes, so that the disk fills at different steps of a sync.
    let mut filled = 0;
    for size in ["100k", "150k", "200k", "250k", "350k", "450k"] {
        let disk = Tmpfs::mount(size).unwrap();
        let index = disk.0.join("index");
        let (corpus, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_long_files(corpus.path(), 0, 30, 60);
        let first = dossier(corpus.path(), &index, data.path())
            .arg("index")
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        write_long_files(corpus.path(), 30, 60, 60);
        let second = dossier(corpus.path(), &index, data.path())
            .args(["ask", "/source 龙虾实验室"])
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        for out in [&first, &second] {
            if !out.status.success() {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let last = stderr.lines().rfind(|l| l.starts_with("dossier: ")).unwrap_or_default();
                assert!(last.contains("No space left on device"), "at {size}: {stderr}");
                assert!(
                    last.contains(&index.display().to_string()),
                    "names the index folder: {last}"
                );
            }
        }
        filled += usize::from(!first.status.success()) + usize::from(!second.status.success());
        // Space is freed: the next run converges on one record per paragraph.
        disk.resize("64m");
        assert_converges_to(corpus.path(), &index, data.path(), 60 * 61);
    }
    assert!(
        filled >= 3,
        "the disk was meant to fill up at several steps ({filled} runs failed)"
    );
}

/// A read-only view of `dir` (a bind mount), unmounted when dropped.
struct ReadOnlyView(std::path::PathBuf);

impl ReadOnlyView {
    fn of(dir: &Path) -> Option<ReadOnlyView> {
        let view = tempfile::tempdir().unwrap().keep();
        let run = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let (from, to) = (dir.to_str().unwrap(), view.to_str().unwrap());
        if run(&["--bind", from, to]) && run(&["-o", "remount,ro,bind", to]) {
            Some(ReadOnlyView(view))
        } else {
            let _ = Command::new("umount").arg(&view).status();
            None
        }
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = fs::remove_dir(&self.0);
    }
}

#[test]
fn a_read_only_index_answers_and_says_why_it_cannot_update() {
    let (corpus, index, data) = indexed_corpus(5);
    let Some(view) = ReadOnlyView::of(index.path()) else {
        eprintln!("skipped: a read-only bind mount needs root (the read-only index case is not run here)");
        return;
    };
    let ask = |extra: &[&str]| {
        dossier(corpus.path(), &view.0, data.path())
            .args(extra)
            .args(["ask", "--json", "/source 龙虾实验室第3号项目"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    for extra in [&["--no-refresh"][..], &[]] {
        let out = ask(extra);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer["items"][0]["citation"]["doc"], "doc003");
    }
    // A change cannot be indexed: said at once, with the folder and what to do.
    write_files(corpus.path(), 5, 6);
    let started = std::time::Instant::now();
    let out = ask(&[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read-only") && stderr.contains("--no-refresh"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it waited for a lock that can never be had"
    );
    assert!(ask(&["--no-refresh"]).status.success());
}
