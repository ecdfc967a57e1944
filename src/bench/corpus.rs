//! The benchmark's corpus folders: the news set with every other article in Traditional script,
//! the poems, and one folder of hard links per measured size, all made once in the cache.

use std::path::PathBuf;

use anyhow::Result;

use super::BenchArgs;
use dossier::corpus::scan;
use dossier::text::convert::{to_script, Script};

/// All corpus files in benchmark order: news first (so every size has some), then poems.
pub(super) fn sources(args: &BenchArgs) -> Result<Vec<PathBuf>> {
    let news_src = args.cache.join("news-src");
    let news = args.cache.join("news");
    if args.smoke {
        // The bundled pages stand in for the news set.
        std::fs::create_dir_all(&news)?;
        let mut bundled: Vec<PathBuf> =
            std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/corpus"))?
                .flatten()
                .map(|e| e.path())
                .collect();
        bundled.sort();
        for (i, path) in bundled.iter().enumerate() {
            let text = std::fs::read_to_string(path)?;
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let (prefix, script) = if i % 2 == 0 {
                ("s", Script::Simplified)
            } else {
                ("t", Script::Traditional)
            };
            std::fs::write(
                news.join(format!("{prefix}-{stem}.txt")),
                to_script(&text, script).as_bytes(),
            )?;
        }
    } else if !news.join(".done").exists() {
        anyhow::ensure!(
            news_src.exists(),
            "no corpora in {}: run scripts/bench-corpus.sh first",
            args.cache.display()
        );
        std::fs::create_dir_all(&news)?;
        let mut n = 0;
        for f in std::fs::read_dir(&news_src)?.flatten() {
            let path = f.path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            // Every other article is converted to Traditional: the corpus is mixed-script and
            // holds each article once, so a title finds its own article in either script.
            let text = std::fs::read_to_string(&path)?;
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            if n % 2 == 0 {
                std::fs::write(news.join(format!("s-{stem}.txt")), &text)?;
            } else {
                std::fs::write(
                    news.join(format!("t-{stem}.txt")),
                    to_script(&text, Script::Traditional).as_bytes(),
                )?;
            }
            n += 1;
        }
        std::fs::write(news.join(".done"), n.to_string())?;
    }
    let mut all: Vec<PathBuf> = std::fs::read_dir(&news)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    // s-00000, t-00001, s-00002, …: every prefix mixes both scripts.
    all.sort_by_key(|p| p.file_name().unwrap_or_default().to_string_lossy()[2..].to_string());
    let poetry = args.cache.join("poetry");
    if !args.smoke && poetry.exists() {
        let (files, _) = scan(&poetry)?;
        all.extend(files.into_iter().map(|f| f.path));
    }
    Ok(all)
}

/// A folder holding the first `n` sources, as hard links (made once per size).
pub(super) fn size_set(args: &BenchArgs, all: &[PathBuf], n: usize) -> Result<PathBuf> {
    let dir = args.cache.join("sets").join(n.to_string());
    let done = dir.join(".done");
    if done.exists() && !args.smoke {
        return Ok(dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    for (i, src) in all.iter().take(n).enumerate() {
        let name = src.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let target = dir.join(if name.starts_with("s-") || name.starts_with("t-") {
            name
        } else {
            format!("p-{i:07}-{name}")
        });
        if std::fs::hard_link(src, &target).is_err() {
            std::fs::copy(src, &target)?;
        }
    }
    std::fs::write(done, "")?;
    Ok(dir)
}
