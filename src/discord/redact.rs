//! Log output that cannot carry secrets: the bot token, and interaction or webhook tokens in
//! URLs, debug output or JSON (error messages and debug logs of the HTTP client include
//! them), are replaced before writing.

use std::io::Write;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use tracing_subscriber::fmt::MakeWriter;

static URL_TOKENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(/(?:interactions|webhooks)/\d+/)[A-Za-z0-9_.\-]+").unwrap());
/// `token: "…"` in debug output and `"token":"…"` in JSON.
static FIELD_TOKENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([A-Za-z_]*token\\?"?\s*[:=]\s*\\?")[^"\\]{6,}"#).unwrap());

pub fn redact(line: &str, secret: &str) -> String {
    let mut out = if secret.len() >= 4 {
        line.replace(secret, "[redacted]")
    } else {
        line.to_string()
    };
    out = URL_TOKENS.replace_all(&out, "${1}[redacted]").into_owned();
    out = FIELD_TOKENS.replace_all(&out, "${1}[redacted]").into_owned();
    out
}

/// [`redact`] with the bot token from the environment (`DISCORD_TOKEN`, from `.env` too):
/// for lines printed outside the log, such as the last error before exit.
pub fn redact_env(line: &str) -> String {
    let secret = std::env::var("DISCORD_TOKEN").unwrap_or_default();
    let secret = secret.trim();
    let out = redact(line, secret);
    // A token given with its `Bot ` prefix is also printed without it, and the reverse.
    match secret.strip_prefix("Bot ") {
        Some(bare) => redact(&out, bare),
        None => out,
    }
}

/// A `MakeWriter` for stderr that redacts every line.
#[derive(Clone)]
pub struct RedactingStderr {
    secret: Arc<str>,
}

impl RedactingStderr {
    pub fn new(secret: &str) -> RedactingStderr {
        RedactingStderr {
            secret: Arc::from(secret),
        }
    }
}

pub struct LineWriter {
    secret: Arc<str>,
    buf: Vec<u8>,
}

impl Write for LineWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.buf);
        let _ = std::io::stderr().write_all(redact(&text, &self.secret).as_bytes());
    }
}

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> LineWriter {
        LineWriter {
            secret: self.secret.clone(),
            buf: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn secrets_are_replaced() {
        let line = "error sending https://x/api/v10/interactions/123/aW50ZXJh.Y3Rpb24/callback with token MTIz.secret";
        let out = redact(line, "MTIz.secret");
        assert!(!out.contains("MTIz.secret") && !out.contains("aW50ZXJh"), "{out}");
        assert!(out.contains("/interactions/123/[redacted]/callback"));
        let debug = r#"Route::InteractionResponse { interaction_id: 1, token: "aW50ZXJhY3Rpb24" } {"token":"aW50ZXJhY3Rpb24","id":"1"}"#;
        let out = redact(debug, "");
        assert!(!out.contains("aW50ZXJh"), "{out}");
        assert!(out.contains(r#""id":"1""#));
    }
}
