//! Bringing the index in step with the corpus folder: add new files, re-index changed ones,
//! remove deleted ones; everything when the schema or rules changed.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::ProgressBar;

use tantivy::{IndexWriter, TantivyDocument, Term};

use super::changes::{process, read_at_most, Cleaned, Outcome, UNREADABLE};
use super::manifest::{listing_digest, Manifest};
use super::records::add_document;
use super::schema::{KIND_PARAGRAPH, SCHEMA_VERSION};
use super::SearchIndex;
use crate::corpus::repeated::{Furniture, RepeatedLines};
use crate::corpus::{self, Document, Skipped};
use crate::knowledge::Registry;
use crate::rules::Rules;
use crate::text::Segmenter;

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub added: usize,
    /// Ids of the documents added by this sync (every document on a rebuild).
    pub added_ids: Vec<String>,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Unchanged files indexed again because lines of theirs became (or stopped being)
    /// furniture repeated across their source.
    pub refreshed: usize,
    pub paragraphs: usize,
    pub bytes: u64,
    /// Files not indexed, with the reason; reported on every run until fixed.
    pub skipped: Vec<Skipped>,
    pub rebuilt: bool,
    pub generation: u64,
    pub elapsed: Duration,
    /// The entity registry, rebuilt when anything changed (else loaded from disk).
    pub registry: Option<std::sync::Arc<Registry>>,
}

impl SyncReport {
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0 || self.rebuilt
    }
}

/// What a sync reads, and what it leaves alone.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Larger files are skipped with a warning.
    pub max_file_bytes: u64,
    /// Follow links that lead out of the corpus folder.
    pub follow_external_links: bool,
}

/// See [`SearchIndex::as_indexed`].
pub struct AsIndexed {
    pub registry: std::sync::Arc<Registry>,
    pub generation: u64,
    pub documents: usize,
}

impl SearchIndex {
    /// Syncs the index with `corpus_dir`. With `force`, rebuilds everything.
    pub fn sync(
        &self,
        corpus_dir: &Path,
        rules: &Rules,
        seg: &Segmenter,
        limits: ReadLimits,
        force: bool,
        progress: &ProgressBar,
    ) -> Result<SyncReport> {
        let started = Instant::now();
        let max_file_bytes = limits.max_file_bytes;
        let (files, mut skipped) = corpus::scan_following(corpus_dir, limits.follow_external_links)?;
        let corpus_path = corpus_dir.canonicalize().unwrap_or_else(|_| corpus_dir.to_path_buf());
        let listing = listing_digest(&files);
        let header = Manifest::load_header(self.dir()).unwrap_or_default();
        let rebuild = force || !self.is_current(&header, rules, &corpus_path);

        // The common case, nothing changed, must neither take the writer lock nor read the
        // per-file entries (a hundred megabytes at a few hundred thousand documents).
        // (The listing covers skipped files too, so a corpus with an unreadable file is not
        // re-checked on every run.)
        // A file that could not be read (permissions) is tried again on every run: fixing
        // its mode does not change the listing.
        // So is every file when the size limit changed: some are now over it, or no longer.
        let must_recheck = |header: &Manifest| {
            header.skipped.iter().any(|s| s.reason.starts_with(UNREADABLE)) || header.max_file_bytes != max_file_bytes
        };
        let retry = must_recheck(&header);
        let unchanged = !rebuild && header.listing == listing && !retry;
        if unchanged {
            return self.unchanged(&header, files.len(), started, rules);
        }

        let mut writer = self.writer()?;
        // Another process may have synced while we waited for the lock (a first build that
        // an `ask` waited for): plan again from what it wrote.
        let header = Manifest::load_header(self.dir()).unwrap_or_default();
        let rebuild = force || !self.is_current(&header, rules, &corpus_path);
        if !rebuild && header.listing == listing && !must_recheck(&header) {
            drop(writer);
            return self.unchanged(&header, files.len(), started, rules);
        }
        // The entries are needed to find what changed; without them (torn or lost) the only
        // safe update is a rebuild, or documents would be indexed twice.
        let old = if rebuild {
            None
        } else {
            Manifest::load(self.dir(), corpus_dir)
        };
        // Without the repeated lines of the unchanged documents, furniture cannot be told
        // apart: the same as a lost file list.
        let repeated = if rebuild { None } else { RepeatedLines::load(self.dir()) };
        let rebuild = rebuild || old.is_none() || repeated.is_none();
        let mut repeated = repeated.filter(|_| !rebuild).unwrap_or_default();
        let old = old.or_else(|| Manifest::load_header(self.dir())).unwrap_or_default();
        let mut report = SyncReport {
            rebuilt: rebuild,
            ..Default::default()
        };
        let mut manifest = Manifest {
            schema: SCHEMA_VERSION,
            rules: rules.fingerprint.clone(),
            corpus: corpus_path,
            files: Default::default(),
            skipped: Vec::new(),
            generation: old.generation,
            ..Default::default()
        };
        if rebuild {
            writer.delete_all_documents()?;
            // A full build merges once at the end (below), not while it writes.
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        progress.set_length(files.len() as u64);
        let f = self.fields;
        // Files are read and cleaned on every core (reading many small files waits on the
        // disk, and one document's cleaning does not depend on another's). A document with a
        // source is analysed and queued for tantivy's threads once the lines each site
        // repeats are known; one without a source is indexed at once, by the thread that
        // cleaned it: no repeated line can apply to it, and holding every cleaned document of
        // a corpus of plain files until all were read was most of a full build's memory.
        let dedupe = !rebuild;
        let outcomes = on_every_core(files.len(), |i| {
            let file = &files[i];
            let previous = (!rebuild).then(|| old.files.get(&file.id)).flatten();
            let mut outcome = process(file, previous, &writer, &f, rules, max_file_bytes)?;
            if let Outcome::Indexed { cleaned, .. } = &mut outcome {
                if let Cleaned::Waiting {
                    doc,
                    contribution: None,
                } = cleaned
                {
                    let paragraphs = self.index_one(&writer, doc, None, dedupe, rules, seg)?;
                    *cleaned = Cleaned::Indexed { paragraphs };
                }
            }
            progress.inc(1);
            Ok(outcome)
        })?;
        let (cleaned, cleaned_peak) = (started.elapsed(), peak_resident_mb());
        let furniture_before = repeated.furniture();
        // Boxed, as each was cleaned: at 351k documents, moving them into a vector of
        // documents (and again into the indexing slots) held two more copies of 200 bytes
        // each at the peak.
        let mut to_index: Vec<Box<Document>> = Vec::new();
        for (i, outcome) in outcomes {
            let file = &files[i];
            match outcome {
                Outcome::Unchanged(entry) => {
                    manifest.files.insert(file.id.clone(), entry);
                    report.unchanged += 1;
                }
                Outcome::Kept { mut entry, skip } => {
                    // A stamp that matches no file: the next run reads it again.
                    entry.stamp.modified_ns = 0;
                    manifest.files.insert(file.id.clone(), entry);
                    report.unchanged += 1;
                    skipped.push(skip);
                }
                Outcome::Indexed {
                    entry,
                    cleaned,
                    bytes,
                    updated,
                    warnings,
                } => {
                    report.bytes += bytes;
                    match cleaned {
                        Cleaned::Waiting { doc, contribution } => {
                            repeated.set(&file.id, contribution);
                            to_index.push(doc);
                        }
                        Cleaned::Indexed { paragraphs } => {
                            repeated.set(&file.id, None);
                            report.paragraphs += paragraphs;
                        }
                    }
                    if updated {
                        report.updated += 1;
                    } else {
                        report.added += 1;
                        report.added_ids.push(file.id.clone());
                    }
                    manifest.files.insert(file.id.clone(), entry);
                    skipped.extend(warnings);
                }
                Outcome::Skipped {
                    skip,
                    removed,
                    warnings,
                } => {
                    if removed {
                        report.removed += 1;
                        repeated.set(&file.id, None);
                    }
                    skipped.extend(warnings);
                    skipped.push(skip);
                }
            }
        }
        if !rebuild {
            for id in old.files.keys().filter(|id| !manifest.files.contains_key(*id)) {
                if files.iter().all(|f| f.id != **id) {
                    writer.delete_term(Term::from_field_text(f.doc, id));
                    repeated.set(id, None);
                    report.removed += 1;
                }
            }
        }
        // Lines that became (or stopped being) furniture change unchanged documents too.
        let furniture = repeated.furniture();
        if !rebuild {
            let indexing: std::collections::HashSet<&str> = to_index.iter().map(|d| d.id.as_str()).collect();
            let affected = repeated.affected(&furniture_before, &furniture, &indexing);
            for id in affected {
                let Ok(at) = files.binary_search_by(|file| file.id.as_str().cmp(&id)) else {
                    continue;
                };
                let file = &files[at];
                let read = read_at_most(&file.path, max_file_bytes)
                    .ok()
                    .filter(|b| b.len() as u64 <= max_file_bytes)
                    .and_then(|bytes| corpus::read_document(file, &bytes, &rules.boilerplate, &mut Vec::new()).ok());
                match read {
                    Some(doc) => {
                        writer.delete_term(Term::from_field_text(f.doc, &id));
                        report.refreshed += 1;
                        to_index.push(Box::new(doc));
                    }
                    // Cannot be read again now: its stamp is made stale so the next run
                    // reads it, instead of keeping lines that changed status for good.
                    None => {
                        if let Some(entry) = manifest.files.get_mut(&id) {
                            entry.stamp.modified_ns = 0;
                        }
                        skipped.push(Skipped {
                            path: file.path.clone(),
                            reason: format!("{UNREADABLE} again after lines of its site changed status"),
                        });
                    }
                }
            }
        }
        if !rebuild {
            // Records of files the list does not know (a crash after a commit and before the
            // list was saved, then the file went): nothing else would ever remove them.
            for id in self.indexed_ids()? {
                if !manifest.files.contains_key(&id) {
                    tracing::debug!("removing records of {id}, a file the index's list does not know");
                    writer.delete_term(Term::from_field_text(f.doc, &id));
                }
            }
        }
        report.paragraphs += self.index_documents(
            &writer,
            to_index,
            &furniture,
            &mut manifest,
            dedupe,
            rules,
            seg,
            progress,
        )?;
        // What only planning needed goes before the merge, the sync's peak: the listing and
        // the previous file list are a few hundred bytes per file.
        drop(files);
        drop(old);
        let indexed = started.elapsed();
        let indexed_peak = peak_resident_mb();
        writer.commit().map_err(|e| self.write_error("commit", e))?;
        if rebuild {
            // One segment instead of one per flush: every query looks each term up and
            // builds a scorer per segment (7 segments at 351k documents).
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() > 1 {
                writer
                    .merge(&segments)
                    .wait()
                    .map_err(|e| self.write_error("merge", e))?;
            }
        }
        let committed = started.elapsed();
        let committed_peak = peak_resident_mb();
        crash_point("after-commit");
        self.reader.reload()?;
        manifest.generation += 1;
        manifest.listing = listing;
        manifest.max_file_bytes = max_file_bytes;
        manifest.skipped = skipped.clone();
        let registry = self.build_registry(rules)?;
        registry.save(&self.registry_path())?;
        let known = started.elapsed();
        let known_peak = peak_resident_mb();
        crash_point("after-registry");
        repeated.save(self.dir())?;
        crash_point("after-repeated-lines");
        manifest.save(self.dir(), corpus_dir)?;
        // The writer (and with it the lock) is held until the file list matches the index:
        // another process that waited for it plans from the list this sync wrote.
        if let Err(err) = writer.garbage_collect_files().wait() {
            tracing::warn!("cannot remove unused index files in {}: {err}", self.dir().display());
        }
        writer
            .wait_merging_threads()
            .map_err(|e| self.write_error("finish merging", e))?;
        tracing::debug!(
            "sync phases (time since the start, peak resident MB): cleaned (and indexed, without a source) {cleaned:.2?} {cleaned_peak}, indexed {indexed:.2?} {indexed_peak}, \
             committed {committed:.2?} {committed_peak}, registry {known:.2?} {known_peak}, manifest {:.2?} {}",
            started.elapsed(),
            peak_resident_mb()
        );
        report.registry = Some(std::sync::Arc::new(registry));
        report.skipped = skipped;
        report.generation = manifest.generation;
        report.elapsed = started.elapsed();
        progress.finish_and_clear();
        Ok(report)
    }

    /// The report of a sync that found nothing to do: the index as `header` describes it.
    fn unchanged(&self, header: &Manifest, files: usize, started: Instant, rules: &Rules) -> Result<SyncReport> {
        // Another process may have written the index since this one opened it: answer from
        // what the header describes, not from the snapshot taken at open.
        self.reader.reload()?;
        let registry = match Registry::load(&self.registry_path()) {
            Some(r) => r,
            None => {
                let r = self.build_registry(rules)?;
                r.save(&self.registry_path())?;
                r
            }
        };
        Ok(SyncReport {
            unchanged: files,
            // The same listing was skipped for the same reasons last time.
            skipped: header.skipped.clone(),
            generation: header.generation,
            elapsed: started.elapsed(),
            registry: Some(std::sync::Arc::new(registry)),
            ..Default::default()
        })
    }

    /// Drops each document's repeated lines and indexes it, on every core; returns the
    /// paragraphs indexed and records each file's paragraph count in the manifest.
    // Boxed as they were cleaned: see `to_index` in `sync`.
    #[allow(clippy::too_many_arguments, clippy::vec_box)]
    fn index_documents(
        &self,
        writer: &IndexWriter,
        docs: Vec<Box<Document>>,
        furniture: &Furniture,
        manifest: &mut Manifest,
        dedupe: bool,
        rules: &Rules,
        seg: &Segmenter,
        progress: &ProgressBar,
    ) -> Result<usize> {
        let slots: Vec<std::sync::Mutex<Option<Box<Document>>>> =
            docs.into_iter().map(|d| std::sync::Mutex::new(Some(d))).collect();
        let counts = on_every_core(slots.len(), |i| {
            let taken = slots[i]
                .lock()
                .map_err(|_| anyhow::anyhow!("a worker panicked"))?
                .take();
            let mut doc = taken.ok_or_else(|| anyhow::anyhow!("document {i} indexed twice"))?;
            let paragraphs = self.index_one(writer, &mut doc, Some(furniture), dedupe, rules, seg)?;
            progress.tick();
            Ok((doc.id.clone(), paragraphs))
        })?;
        let mut total = 0;
        for (_, (id, n)) in counts {
            if let Some(entry) = manifest.files.get_mut(&id) {
                entry.paragraphs = n;
            }
            total += n;
        }
        Ok(total)
    }

    /// Indexes one cleaned document, without the lines its site repeats (`furniture`); returns
    /// its paragraph count.
    fn index_one(
        &self,
        writer: &IndexWriter,
        doc: &mut Document,
        furniture: Option<&Furniture>,
        dedupe: bool,
        rules: &Rules,
        seg: &Segmenter,
    ) -> Result<usize> {
        if let Some(furniture) = furniture {
            furniture.apply(doc);
        }
        // Ids stay unique whatever happened before: a file indexed by a sync that died
        // before saving its list is not in the list, and is added here a second time.
        if dedupe {
            writer.delete_term(Term::from_field_text(self.fields.doc, &doc.id));
        }
        add_document(writer, &self.fields, doc, rules, seg).map_err(|e| self.write_error("add a document to", e))?;
        Ok(doc.paragraphs.len())
    }

    /// The document ids the committed index holds records for.
    fn indexed_ids(&self) -> Result<std::collections::HashSet<String>> {
        let searcher = self.reader.searcher();
        let mut ids = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.doc)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                if let Ok(id) = std::str::from_utf8(terms.key()) {
                    ids.insert(id.to_string());
                }
            }
        }
        Ok(ids)
    }

    /// Counts of the paragraph records in the index: all of them, and distinct (document,
    /// paragraph) pairs. Equal unless a document was indexed twice.
    pub fn paragraph_records(&self) -> Result<(usize, usize)> {
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_PARAGRAPH),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut pairs = std::collections::HashSet::new();
        for address in &addresses {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let id = doc
                .get_first(self.fields.doc)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let para = doc
                .get_first(self.fields.para)
                .and_then(|v| v.as_u64())
                .unwrap_or_default();
            pairs.insert((id, para));
        }
        Ok((addresses.len(), pairs.len()))
    }

    /// What a current index on disk holds, read without scanning the corpus (see
    /// `Engine::open_as_indexed`); `None` when there is no current index.
    pub fn as_indexed(&self, rules: &Rules, corpus_dir: &Path) -> Option<AsIndexed> {
        let corpus_path = corpus_dir.canonicalize().ok()?;
        let header = Manifest::load_header(self.dir())?;
        if !self.is_current(&header, rules, &corpus_path) || header.generation == 0 {
            return None;
        }
        let registry = Registry::load(&self.registry_path())?;
        Some(AsIndexed {
            registry: std::sync::Arc::new(registry),
            generation: header.generation,
            documents: header.count,
        })
    }

    /// Whether an index described by `header` was built by this version, with these rules,
    /// from this corpus folder (its content may still be out of date).
    pub(crate) fn is_current(&self, header: &Manifest, rules: &Rules, corpus: &Path) -> bool {
        header.schema == SCHEMA_VERSION && header.rules == rules.fingerprint && header.corpus == corpus
    }
}

/// The process's peak resident memory so far in MB, for the debug log of a sync's phases.
fn peak_resident_mb() -> u64 {
    crate::resident::Resident::now().peak_kb / 1024
}

/// Dies here, as `kill -9` would, when `DOSSIER_CRASH_AT` names this point: how the crash
/// tests reach the narrow moments between a commit and the file list that describes it.
pub(crate) fn crash_point(name: &str) {
    if std::env::var_os("DOSSIER_CRASH_AT").is_some_and(|at| at == name) {
        std::process::abort();
    }
}

/// Runs `job` for every index `0..n` on every core (at most 8 threads), stopping at the first
/// error; the results come back in index order.
fn on_every_core<R: Send>(n: usize, job: impl Fn(usize) -> Result<R> + Sync) -> Result<Vec<(usize, R)>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let work = || -> Result<Vec<(usize, R)>> {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                return Ok(done);
            }
            done.push((i, job(i)?));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect::<Result<Vec<_>>>()
    })?
    .into_iter()
    .flatten()
    .collect();
    all.sort_by_key(|(i, _)| *i);
    Ok(all)
}
