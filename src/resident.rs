//! Resident memory of this process (Linux; zeros elsewhere): the sync logs its phases' peak
//! with it, and the benchmark reports build and serving memory (a child process prints its
//! figures on stderr, [`Resident::report_line`]).

/// Resident memory now, split the way a reader asks about it: anonymous pages (the heap:
/// caches, allocator) and file pages (mostly the memory-mapped index, which the kernel can
/// drop and read again), with the peak since the start (or since the benchmark last reset it).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Resident {
    pub peak_kb: u64,
    pub anon_kb: u64,
    pub file_kb: u64,
}

const LINE_PREFIX: &str = "dossier_rss_kb";

impl Resident {
    pub fn now() -> Resident {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
                .unwrap_or(0)
        };
        Resident {
            peak_kb: field("VmHWM:"),
            anon_kb: field("RssAnon:"),
            file_kb: field("RssFile:"),
        }
    }

    /// The line a child process prints on stderr for [`Resident::from_report`].
    pub fn report_line(&self) -> String {
        format!(
            "{LINE_PREFIX} peak={} anon={} file={}",
            self.peak_kb, self.anon_kb, self.file_kb
        )
    }

    /// The figures of a child's stderr, if it printed them.
    pub fn from_report(stderr: &str) -> Option<Resident> {
        let line = stderr.lines().find_map(|l| l.strip_prefix(LINE_PREFIX))?;
        let mut r = Resident::default();
        for pair in line.split_whitespace() {
            let (key, value) = pair.split_once('=')?;
            let value = value.parse().ok()?;
            match key {
                "peak" => r.peak_kb = value,
                "anon" => r.anon_kb = value,
                "file" => r.file_kb = value,
                _ => {}
            }
        }
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_childs_report_reads_back() {
        let r = Resident {
            peak_kb: 3,
            anon_kb: 2,
            file_kb: 1,
        };
        let stderr = format!("some log line\n{}\n", r.report_line());
        assert_eq!(Resident::from_report(&stderr), Some(r));
        assert_eq!(Resident::from_report("no figures here"), None);
        assert_eq!(Resident::from_report("dossier_rss_kb peak=x"), None);
        let now = Resident::now();
        assert!(now.anon_kb > 0 && now.peak_kb >= now.anon_kb, "{now:?}");
    }
}
