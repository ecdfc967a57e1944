//! `dossier feedback`: the 👍 and 👎 users gave answers on Discord, with what was asked and
//! cited, so a team can see which questions failed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use dossier::state::Vote;

#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// Only votes from this day on (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// One JSON array of votes instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(state: &Path, args: FeedbackArgs) -> Result<ExitCode> {
    let since = args
        .since
        .as_deref()
        .map(|s| super::digest::day(s, "since"))
        .transpose()?;
    let spec = state.to_string_lossy();
    let (votes, place) = if dossier::state::exists(&spec) {
        let store = dossier::state::open(&spec)?;
        (store.votes()?, store.describe())
    } else {
        (Vec::new(), format!("no state store in {}", state.display()))
    };
    let votes: Vec<Vote> = votes
        .into_iter()
        .filter(|v| since.is_none_or(|d| v.at.date_naive() >= d))
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&votes)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", text(&votes, &place));
    Ok(ExitCode::SUCCESS)
}

/// `place`: where the votes were read (never a password).
fn text(votes: &[Vote], place: &str) -> String {
    if votes.is_empty() {
        return format!("no votes recorded ({place})\n");
    }
    let helpful = votes.iter().filter(|v| v.helpful).count();
    let mut out = format!(
        "{} votes: {helpful} 👍, {} 👎 (the 👎 first)\n",
        votes.len(),
        votes.len() - helpful
    );
    let mut sorted: Vec<&Vote> = votes.iter().collect();
    sorted.sort_by_key(|v| (v.helpful, std::cmp::Reverse(v.at)));
    for v in sorted {
        out.push_str(&format!(
            "{}  {}  /{} {}  (channel {})\n",
            v.at.format("%Y-%m-%d %H:%M"),
            if v.helpful { "👍" } else { "👎" },
            v.command,
            super::render::printable(&v.query),
            v.channel
        ));
        if !v.cited.is_empty() {
            out.push_str(&format!("    cited: {}\n", v.cited.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhelpful_answers_come_first_with_what_they_cited() {
        let vote = |query: &str, helpful: bool, minute: u32| Vote {
            answer: "ab".into(),
            user: "1".into(),
            channel: "9".into(),
            helpful,
            command: "ask".into(),
            query: query.into(),
            cited: vec!["003 ¶4".into()],
            at: chrono::DateTime::parse_from_rfc3339(&format!("2026-11-30T10:{minute:02}:00Z"))
                .unwrap()
                .into(),
        };
        let out = text(&[vote("good", true, 1), vote("bad", false, 2)], "s");
        assert!(out.starts_with("2 votes: 1 👍, 1 👎"), "{out}");
        let bad = out.find("/ask bad").unwrap();
        let good = out.find("/ask good").unwrap();
        assert!(bad < good && out.contains("cited: 003 ¶4"), "{out}");
        assert!(text(&[], "s").starts_with("no votes"));
    }
}
