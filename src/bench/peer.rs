//! The peer a user would build instead: SQLite FTS5 with the trigram tokenizer over the same
//! cleaned paragraphs.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{params, Connection};

pub struct Peer {
    conn: Connection,
}

/// A paragraph to index: document id, paragraph number, text.
pub type Row = (String, u64, String);

impl Peer {
    /// Builds the FTS5 index in `path` from `rows`; returns it and the insert time.
    pub fn build(path: &Path, rows: &[Row]) -> Result<(Peer, Duration)> {
        let _ = std::fs::remove_file(path);
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
             CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, para UNINDEXED, text, tokenize='trigram');",
        )?;
        let started = Instant::now();
        {
            let tx = conn.unchecked_transaction()?;
            {
                let mut insert = tx.prepare("INSERT INTO p(doc, para, text) VALUES (?1, ?2, ?3)")?;
                for (doc, para, text) in rows {
                    insert.execute(params![doc, *para as i64, text])?;
                }
            }
            tx.commit()?;
        }
        conn.execute_batch("INSERT INTO p(p) VALUES('optimize');")?;
        Ok((Peer { conn }, started.elapsed()))
    }

    /// A quoted substring query (what trigram FTS5 is good at); the best `limit` documents.
    pub fn phrase(&self, text: &str, limit: usize) -> Result<Vec<String>> {
        let quoted = format!("\"{}\"", text.replace('"', "\"\""));
        self.search(&quoted, limit)
    }

    /// An OR of words (what a keyword search box sends).
    pub fn any_word(&self, words: &[&str], limit: usize) -> Result<Vec<String>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let q: Vec<String> = words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        self.search(&q.join(" OR "), limit)
    }

    fn search(&self, q: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT doc FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT ?2")?;
        let rows = stmt.query_map(params![q, (limit * 3) as i64], |r| r.get::<_, String>(0))?;
        let mut docs: Vec<String> = Vec::new();
        for d in rows {
            let d = d?;
            if !docs.contains(&d) {
                docs.push(d);
            }
            if docs.len() >= limit {
                break;
            }
        }
        Ok(docs)
    }
}
