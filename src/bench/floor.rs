//! The floor: what indexing the same files costs with nothing but tantivy and jieba, the two
//! engines Dossier runs on. One stored text field segmented by jieba (default mode, HMM), the
//! same number of writer threads and memory budget Dossier's build uses, one commit, merged to
//! one segment as Dossier's full build is. Dossier's indexing is reported as a ratio to it.
//!
//! It reads the files as they are (UTF-8, lossily) and does no cleaning, folding, dates or
//! names: the difference to Dossier is what those cost, plus Dossier's second indexed view
//! and its citation records.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use dossier::index::analyzers::VecTokenStream;
use jieba_rs::Jieba;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::tokenizer::{Token, Tokenizer};
use tantivy::{doc, Index};

/// What the floor's build cost.
pub struct Floor {
    pub wall: Duration,
    pub cpu_s: f64,
    pub index_bytes: u64,
    pub documents: usize,
}

#[derive(Clone)]
struct JiebaTokenizer(Arc<Jieba>);

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = self
            .0
            .tokenize(text, jieba_rs::TokenizeMode::Default, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric) && t.word.len() <= 120)
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position,
                text: t.word.to_lowercase(),
                position_length: 1,
            })
            .collect();
        VecTokenStream::new(tokens)
    }
}

/// Indexes `files` into a fresh index in `dir`.
pub fn build(dir: &Path, files: &[PathBuf], threads: usize, memory_per_thread: usize) -> Result<Floor> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let cpu_before = super::rss::cpu_seconds();
    let started = Instant::now();
    let mut schema = Schema::builder();
    let text = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("jieba")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ) | STORED,
    );
    let index = Index::create_in_dir(dir, schema.build())?;
    index
        .tokenizers()
        .register("jieba", JiebaTokenizer(Arc::new(Jieba::new())));
    let mut writer = index.writer_with_num_threads(threads, threads * memory_per_thread)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut documents = 0;
    for path in files {
        let bytes = std::fs::read(path)?;
        writer.add_document(doc!(text => String::from_utf8_lossy(&bytes).into_owned()))?;
        documents += 1;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(Floor {
        wall: started.elapsed(),
        cpu_s: super::rss::cpu_seconds() - cpu_before,
        index_bytes: super::dir_size(dir),
        documents,
    })
}
