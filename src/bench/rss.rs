//! Peak memory and CPU time of this process (Linux), for the benchmark's figures.

pub use dossier::resident::Resident;

/// Peak RSS in KiB since the start or the last [`reset_peak`] (0 where unknown).
pub fn peak_kb() -> u64 {
    Resident::now().peak_kb
}

/// Starts a new peak measurement (Linux: writing 5 to clear_refs resets VmHWM).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// CPU time (user + system, every thread) this process has used, in seconds (0 where
/// unknown). `/proc/self/stat` counts in USER_HZ, which Linux fixes at 100 per second.
pub fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which may hold spaces) start at state (3rd).
            let rest = &s[s.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}
