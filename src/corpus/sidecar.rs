//! `NAME.meta.toml` next to a document overrides any metadata field cleaning found.
//!
//! Pages do not always say where they came from (or say it wrongly); a sidecar lets a team
//! fix a citation without editing the document itself. A page added by its link gets one
//! recording where and when it was fetched (`fetched_from`, `fetched_at`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::DocMeta;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    references: Option<Vec<String>>,
    /// The address the document was fetched from (after redirects), for a page added by link.
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched_from: Option<String>,
    /// When it was fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched_at: Option<toml::value::Datetime>,
}

/// `dir/NAME.txt` → `dir/NAME.meta.toml`.
pub fn path_for(doc: &Path) -> PathBuf {
    let stem = doc
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    doc.with_file_name(format!("{stem}{}", super::SIDECAR_SUFFIX))
}

/// A sidecar holds a few fields; anything larger is not one.
const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// The sidecar of a document, if it has one.
pub fn read(doc: &Path) -> Result<Option<Sidecar>> {
    let path = path_for(doc);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).context("cannot read"),
        // A link could feed any file of the machine into citations (and its lines into
        // error messages): sidecars are read only as files of the corpus folder.
        Ok(m) if m.file_type().is_symlink() => anyhow::bail!("it is a link; a sidecar must be a file of its own"),
        Ok(m) if m.len() > MAX_SIDECAR_BYTES => anyhow::bail!("it is over {MAX_SIDECAR_BYTES} bytes"),
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(&path).context("cannot read")?;
    let sidecar: Sidecar = toml::from_str(&text).context("not valid metadata TOML")?;
    if let Some(p) = &sidecar.published {
        published_date(p)?;
    }
    Ok(Some(sidecar))
}

/// `published` may be a TOML date (`2026-03-15`) or a string in any format pages use.
fn published_date(v: &toml::Value) -> Result<NaiveDate> {
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => anyhow::bail!("published must be a date, not {}", other.type_str()),
    };
    super::clean::parse_date(&s).with_context(|| format!("published {s:?} is not a date like 2026-03-15"))
}

impl Sidecar {
    /// The sidecar of a page fetched from `from` at `at`, cited as `url`.
    pub fn fetched(url: &str, from: &str, at: chrono::DateTime<chrono::Utc>) -> Sidecar {
        Sidecar {
            url: Some(url.to_string()),
            fetched_from: Some(from.to_string()),
            fetched_at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true).parse().ok(),
            ..Sidecar::default()
        }
    }

    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).context("cannot write a sidecar")
    }

    pub fn apply(self, meta: &mut DocMeta) {
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        if let Some(t) = non_empty(self.title) {
            meta.title = t;
        }
        if let Some(s) = non_empty(self.source) {
            meta.source = Some(s);
        }
        if let Some(a) = non_empty(self.author) {
            meta.author = Some(a);
        }
        if let Some(u) = non_empty(self.url) {
            meta.url = Some(u);
        }
        if let Some(p) = self.published.as_ref().and_then(|p| published_date(p).ok()) {
            meta.published = Some(p);
        }
        if let Some(r) = self.references {
            meta.references = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_fields_and_accepts_both_date_forms() {
        let mut meta = DocMeta {
            title: "old".into(),
            ..Default::default()
        };
        let s: Sidecar =
            toml::from_str("title = \"新標題\"\npublished = 2026-03-15\nurl = \"https://x.cn/a\"").unwrap();
        s.apply(&mut meta);
        assert_eq!(meta.title, "新標題");
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2026, 3, 15));
        assert_eq!(meta.url.as_deref(), Some("https://x.cn/a"));
        let s: Sidecar = toml::from_str("published = \"2026年3月5日\"").unwrap();
        s.apply(&mut meta);
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2026, 3, 5));
        assert!(toml::from_str::<Sidecar>("colour = 1").is_err());
    }

    #[test]
    fn a_fetched_page_s_sidecar_reads_back_and_still_refuses_unknown_fields() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T13:45:07Z")
            .unwrap()
            .to_utc();
        let written = Sidecar::fetched("https://n.example/a", "https://n.example/a?utm=x", at)
            .to_toml()
            .unwrap();
        assert!(written.contains("fetched_at = 2026-11-30T13:45:07Z"), "{written}");
        let back: Sidecar = toml::from_str(&written).unwrap();
        assert_eq!(back.fetched_from.as_deref(), Some("https://n.example/a?utm=x"));
        let mut meta = DocMeta::default();
        back.apply(&mut meta);
        assert_eq!(meta.url.as_deref(), Some("https://n.example/a"));
        assert!(toml::from_str::<Sidecar>(&format!("{written}fetched_by = \"x\"\n")).is_err());
    }
}
