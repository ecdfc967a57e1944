//! `dossier ask`: one line, or a stream of lines from stdin answered in order by one process
//! (so the per-channel cache works across lines).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use super::render;
use dossier::engine::{Engine, EngineConfig, Response};
use dossier::locale::Locale;

#[derive(Debug, Args)]
pub struct AskArgs {
    /// Print one JSON object per answer instead of text.
    #[arg(long)]
    pub json: bool,
    /// The channel the question is asked in (answers are cached per channel).
    #[arg(long, default_value = "cli")]
    pub channel: String,
    /// The line to answer, or `-` to read one line per stdin line. A stdin line may start
    /// with `#<channel-id> ` to set its channel.
    pub line: String,
}

pub(crate) fn run(config: EngineConfig, refresh: super::Refresh, lang: Locale, args: AskArgs) -> Result<ExitCode> {
    let engine = super::open_engine(config, refresh)?;
    let color = !args.json && std::io::stdout().is_terminal();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.line != "-" {
        let response = engine.answer_line(&args.channel, &args.line);
        print(&mut out, &response, lang, args.json, color)?;
        return Ok(if response.error.is_some() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    let mut stdin = std::io::stdin().lock();
    let mut raw = Vec::new();
    loop {
        raw.clear();
        if stdin.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        // A line that is not UTF-8 keeps its channel and command; only the bad bytes become
        // U+FFFD. It is never the end of the batch.
        let line = String::from_utf8_lossy(&raw);
        let line = line.trim_end_matches(['\n', '\r']);
        let (channel, text) = split_channel(line, &args.channel);
        let response = answer(&engine, channel, text);
        print(&mut out, &response, lang, args.json, color)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn answer(engine: &Engine, channel: &str, line: &str) -> Response {
    engine.answer_line(channel, line)
}

/// `#chan-42 /source x` → (`chan-42`, `/source x`).
fn split_channel<'a>(line: &'a str, default: &'a str) -> (&'a str, &'a str) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('#') {
        if let Some((channel, text)) = rest.split_once(char::is_whitespace) {
            if !channel.is_empty() {
                return (channel, text);
            }
        }
    }
    (default, line)
}

fn print(out: &mut impl Write, response: &Response, lang: Locale, json: bool, color: bool) -> Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &render::response_json(response, lang))?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", render::response_text(response, lang, color))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_channel;

    #[test]
    fn channel_prefix() {
        assert_eq!(split_channel("#c1 /source x", "cli"), ("c1", "/source x"));
        assert_eq!(split_channel("/source #x", "cli"), ("cli", "/source #x"));
        assert_eq!(split_channel("#", "cli"), ("cli", "#"));
    }
}
