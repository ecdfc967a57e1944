//! Bot settings from the environment (and `.env`, loaded by the CLI before this runs).
//!
//! The token is kept in a wrapper whose `Debug` shows nothing, so it cannot leak into a log
//! line by accident.

use std::time::Duration;

pub struct Token(String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[derive(Debug)]
pub struct Settings {
    pub token: Token,
    /// Register commands in this guild only (instant) instead of globally.
    pub guild_id: Option<u64>,
    /// A Discord-compatible API to talk to instead of discord.com (tests).
    pub api_base: Option<String>,
    /// Requests per user per window.
    pub rate_max: usize,
    pub rate_window: Duration,
    /// Largest attachment or page `/ingest` accepts, in bytes.
    pub ingest_max_bytes: usize,
    /// How links and feeds are fetched (`max_bytes` is the ingest limit).
    pub fetch: crate::fetch::FetchConfig,
    /// How often feeds are polled (`DOSSIER_FEED_POLL_SECS`).
    pub feed_poll: crate::feed::PollConfig,
    /// How long one request to Discord may take (connecting included) before it fails.
    pub http_timeout: Duration,
    /// The gateway shards this process runs (`DOSSIER_SHARDS=0-3`, `DOSSIER_SHARD_TOTAL=16`);
    /// `None`: every shard Discord recommends, in this process.
    pub shards: Option<Shards>,
    /// Request the privileged Message Content intent (`DOSSIER_MESSAGE_CONTENT=true`), so a
    /// reply saying "source?" can read the message it answers.
    pub message_content: bool,
}

/// A range of gateway shards out of a total: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl Shards {
    /// `0-3` (or one shard, `5`) of `total`.
    pub fn parse(range: &str, total: &str) -> Result<Shards, SettingsError> {
        let bad = |what: &'static str, v: &str| {
            SettingsError::Invalid(what, "shards like 0-3 of a total like 16", v.to_string())
        };
        let total: u32 = total.trim().parse().map_err(|_| bad("DOSSIER_SHARD_TOTAL", total))?;
        let (first, last) = match range.trim().split_once('-') {
            Some((a, b)) => (a.trim().parse(), b.trim().parse()),
            None => (range.trim().parse(), range.trim().parse()),
        };
        let (Ok(first), Ok(last)) = (first, last) else {
            return Err(bad("DOSSIER_SHARDS", range));
        };
        if first > last || last >= total {
            return Err(SettingsError::Invalid(
                "DOSSIER_SHARDS",
                "a range within the shard total (0-3 of 16 runs shards 0, 1, 2 and 3)",
                format!("{range} of {total}"),
            ));
        }
        Ok(Shards { first, last, total })
    }
}

/// A setting that makes the bot impossible to start, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/applications and put \
         DISCORD_TOKEN=<token> in .env or the environment"
    )]
    MissingToken,
    #[error("{0} must be {1}, not {2:?}")]
    Invalid(&'static str, &'static str, String),
    /// A `DOSSIER_FETCH_*` setting.
    #[error(transparent)]
    Fetch(anyhow::Error),
}

impl Settings {
    pub fn from_env() -> Result<Settings, SettingsError> {
        let var = |k: &str| {
            std::env::var(k)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let token = var("DISCORD_TOKEN").ok_or(SettingsError::MissingToken)?;
        let guild_id = match var("DOSSIER_GUILD_ID") {
            None => None,
            Some(g) => Some(
                g.parse()
                    .map_err(|_| SettingsError::Invalid("DOSSIER_GUILD_ID", "a server id (digits)", g))?,
            ),
        };
        let api_base = var("DISCORD_API_BASE");
        if let Some(base) = &api_base {
            if !(base.starts_with("http://") || base.starts_with("https://")) {
                return Err(SettingsError::Invalid(
                    "DISCORD_API_BASE",
                    "a URL like http://127.0.0.1:3000",
                    base.clone(),
                ));
            }
        }
        let rate_max = match var("DOSSIER_RATE_LIMIT") {
            None => 5,
            Some(v) => v
                .parse()
                .map_err(|_| SettingsError::Invalid("DOSSIER_RATE_LIMIT", "a number of requests", v))?,
        };
        let rate_window = match var("DOSSIER_RATE_WINDOW") {
            None => Duration::from_secs(10),
            Some(v) => Duration::from_secs(
                v.parse()
                    .map_err(|_| SettingsError::Invalid("DOSSIER_RATE_WINDOW", "seconds", v))?,
            ),
        };
        let ingest_max_bytes = match var("DOSSIER_INGEST_MAX_BYTES") {
            None => crate::ingest::DEFAULT_MAX_BYTES,
            Some(v) => v
                .parse()
                .map_err(|_| SettingsError::Invalid("DOSSIER_INGEST_MAX_BYTES", "a number of bytes", v))?,
        };
        let http_timeout =
            match var("DOSSIER_HTTP_TIMEOUT_SECS") {
                None => Duration::from_secs(30),
                Some(v) => Duration::from_secs(v.parse().ok().filter(|s: &u64| *s > 0).ok_or(
                    SettingsError::Invalid("DOSSIER_HTTP_TIMEOUT_SECS", "a number of seconds above 0", v),
                )?),
            };
        let message_content = match var("DOSSIER_MESSAGE_CONTENT").map(|v| v.to_lowercase()) {
            None => false,
            Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => true,
            Some(v) if ["false", "0", "no", "off"].contains(&v.as_str()) => false,
            Some(v) => return Err(SettingsError::Invalid("DOSSIER_MESSAGE_CONTENT", "true or false", v)),
        };
        let shards = match (var("DOSSIER_SHARDS"), var("DOSSIER_SHARD_TOTAL")) {
            (None, None) => None,
            (Some(range), Some(total)) => Some(Shards::parse(&range, &total)?),
            (Some(range), None) => {
                return Err(SettingsError::Invalid(
                    "DOSSIER_SHARD_TOTAL",
                    "set with DOSSIER_SHARDS",
                    range,
                ))
            }
            (None, Some(total)) => {
                return Err(SettingsError::Invalid(
                    "DOSSIER_SHARDS",
                    "set with DOSSIER_SHARD_TOTAL",
                    total,
                ))
            }
        };
        Ok(Settings {
            token: Token(token),
            shards,
            message_content,
            guild_id,
            api_base,
            rate_max,
            rate_window,
            ingest_max_bytes,
            fetch: crate::fetch::FetchConfig::from_env(ingest_max_bytes).map_err(SettingsError::Fetch)?,
            feed_poll: crate::feed::PollConfig::from_env().map_err(SettingsError::Fetch)?,
            http_timeout,
        })
    }

    pub fn new(token: &str) -> Settings {
        Settings {
            token: Token(token.to_string()),
            guild_id: None,
            api_base: None,
            rate_max: 5,
            rate_window: Duration::from_secs(10),
            ingest_max_bytes: crate::ingest::DEFAULT_MAX_BYTES,
            fetch: crate::fetch::FetchConfig::default(),
            feed_poll: crate::feed::PollConfig::default(),
            http_timeout: Duration::from_secs(30),
            message_content: false,
            shards: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ranges_are_checked_against_their_total() {
        assert_eq!(
            Shards::parse("0-3", "16").unwrap(),
            Shards {
                first: 0,
                last: 3,
                total: 16
            }
        );
        assert_eq!(Shards::parse("5", "8").unwrap().last, 5);
        for (range, total) in [("3-1", "8"), ("0-8", "8"), ("x", "8"), ("0-1", "many")] {
            let err = Shards::parse(range, total).unwrap_err().to_string();
            assert!(err.contains("DOSSIER_SHARD"), "{err}");
        }
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let s = Settings::new("very-secret-token");
        assert!(!format!("{s:?}").contains("very-secret"));
    }
}
