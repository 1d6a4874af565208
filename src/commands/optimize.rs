//! `portquiz optimize`: fits FSRS parameters to the review log, prints log loss and RMSE before and
//! after, and stores the fitted parameters when they fit better (the scheduler uses them from then on).
use anyhow::Result;

use crate::cli::JsonArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::progress;
use crate::reports::fit::{self, Outcome};
use crate::settings::FSRS_PARAMETERS;

/// Runs `portquiz optimize`.
pub fn run(env: &Env, args: &JsonArgs) -> Result<Exit> {
    let store = progress::open_store(env)?;
    let current = match progress::stored_parameters(&store)? {
        p if p.is_empty() => fit::default_parameters(),
        p => p,
    };
    // The scheduled answers in time order, each card as a number: 12 bytes an answer instead of the
    // whole log with two strings per row (500,000 answers: about 50 MB less).
    let mut cards = super::replay::Cards::default();
    let mut answers = Vec::new();
    store.scan_reviews(Some(jiff::Timestamp::MIN), |r| {
        if !r.cram {
            answers.push((cards.id(r.deck, r.card), r.rating, r.elapsed_days));
        }
    })?;
    let count = answers.len();
    let outcome = fit::optimize_answers(answers, count, &current)?;
    // Better or equal on the same reviews: the scheduler uses the new parameters from now on.
    let saved = match &outcome {
        Outcome::Optimized(report) if report.after.log_loss <= report.before.log_loss => {
            store.set_setting(FSRS_PARAMETERS, &serde_json::to_string(&report.parameters)?)?;
            true
        }
        _ => false,
    };
    if args.json {
        #[derive(serde::Serialize)]
        struct Saved<'a> {
            #[serde(flatten)]
            outcome: &'a Outcome,
            saved: bool,
        }
        let body = Saved {
            outcome: &outcome,
            saved,
        };
        write_json(std::io::stdout().lock(), &body)?;
        return Ok(Exit::Ok);
    }
    match outcome {
        Outcome::NotEnoughData { items, needed } => {
            crate::outln!(
                "Not enough history yet: optimising needs {needed} answers given on a later day than the card's previous answer, and the log has {items}. {} more needed; nothing changed.",
                needed - items
            )?;
        }
        Outcome::Optimized(report) => {
            crate::outln!(
                "Fitted FSRS parameters to {} answers ({} training items).",
                report.reviews,
                report.items
            )?;
            crate::outln!(
                "  log loss: {:.4} before, {:.4} after",
                report.before.log_loss,
                report.after.log_loss
            )?;
            crate::outln!(
                "  RMSE (bins): {:.4} before, {:.4} after",
                report.before.rmse_bins,
                report.after.rmse_bins
            )?;
            if saved {
                crate::outln!("Saved: the scheduler uses the new parameters from now on.")?;
            } else {
                crate::outln!(
                    "The fitted parameters do not predict your answers better; kept the current ones."
                )?;
            }
        }
    }
    Ok(Exit::Ok)
}
