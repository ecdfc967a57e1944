//! Plain questions (and @mentions): the few passages that best answer them, cited.

use anyhow::Result;

use super::question::analyze;
use super::rank::{self, Mode};
use super::{Answer, Ctx};

/// A question is answered with this many passages at most.
pub const LIMIT: usize = 3;

pub fn answer(ctx: &Ctx, question: &str) -> Result<Answer> {
    let plan = analyze(question, true, ctx.seg, &ctx.rules.query, &ctx.registry);
    let passages = rank::passages(ctx, &plan, Mode::Question, LIMIT)?;
    let items = rank::to_items(ctx, passages)?;
    Ok(rank::with_summary(ctx, &plan, question, items, true))
}
