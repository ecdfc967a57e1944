//! The fetcher's settings, and reading them from the environment.

use std::time::Duration;

use anyhow::{bail, Context, Result};

/// How the fetcher behaves; [`FetchConfig::default`] is what production uses.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Time to open a connection.
    pub connect_timeout: Duration,
    /// Time for a whole request, body included.
    pub timeout: Duration,
    /// Largest page or feed accepted (the ingest limit).
    pub max_bytes: usize,
    pub max_redirects: usize,
    /// Least time between two requests to one host.
    pub host_interval: Duration,
    /// Fetch from 127.0.0.0/8 and ::1 (tests only: `DOSSIER_FETCH_ALLOW_LOOPBACK=true`).
    pub allow_loopback: bool,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: crate::ingest::DEFAULT_MAX_BYTES,
            max_redirects: 5,
            host_interval: Duration::from_secs(3),
            allow_loopback: false,
        }
    }
}

impl FetchConfig {
    /// The defaults, with `max_bytes` and what the `DOSSIER_FETCH_*` variables set.
    pub fn from_env(max_bytes: usize) -> Result<FetchConfig> {
        let mut config = FetchConfig {
            max_bytes,
            ..FetchConfig::default()
        };
        if let Some(v) = var("DOSSIER_FETCH_ALLOW_LOOPBACK") {
            config.allow_loopback = match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => bail!("DOSSIER_FETCH_ALLOW_LOOPBACK must be true or false, not {v:?}"),
            };
        }
        if let Some(v) = var("DOSSIER_FETCH_HOST_INTERVAL_MS") {
            let ms: u64 = v
                .parse()
                .with_context(|| format!("DOSSIER_FETCH_HOST_INTERVAL_MS must be milliseconds, not {v:?}"))?;
            config.host_interval = Duration::from_millis(ms);
        }
        if let Some(v) = var("DOSSIER_FETCH_TIMEOUT_SECS") {
            let secs: u64 = v
                .parse()
                .ok()
                .filter(|s| *s > 0)
                .with_context(|| format!("DOSSIER_FETCH_TIMEOUT_SECS must be a number of seconds, not {v:?}"))?;
            config.timeout = Duration::from_secs(secs);
            config.connect_timeout = config.connect_timeout.min(config.timeout);
        }
        Ok(config)
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
