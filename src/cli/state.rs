//! `dossier state migrate --from A --to B`: moves the bot's state between backends (the
//! embedded file and PostgreSQL, either way), for a bot that grows past one process.

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct StateArgs {
    #[command(subcommand)]
    pub command: StateCmd,
}

#[derive(Debug, Subcommand)]
pub enum StateCmd {
    /// Copy every subscription, posted period, setting, ingestion time and vote from one
    /// store into another. The target keeps what it had; copied entries replace theirs. Stop
    /// the bot first: the embedded store can be open in one process only.
    Migrate {
        /// The store to read: a state folder (data/state) or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// The store to write: a postgres:// URL or a state folder.
        #[arg(long)]
        to: String,
    },
}

pub fn run(args: StateArgs) -> Result<ExitCode> {
    match args.command {
        StateCmd::Migrate { from, to } => {
            anyhow::ensure!(
                dossier::state::exists(&from),
                "there is no state store in {from} (a folder holding {})",
                dossier::state::STATE_FILE
            );
            anyhow::ensure!(from != to, "--from and --to are the same store");
            let source = dossier::state::open(&from)?;
            let target = dossier::state::open(&to)?;
            let copied = dossier::state::copy(source.as_ref(), target.as_ref())?;
            let parts: Vec<String> = copied.iter().map(|(what, n)| format!("{n} {what}")).collect();
            println!(
                "copied from {} to {}: {}",
                source.describe(),
                target.describe(),
                parts.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
