//! `portquiz export anki FILE` and `portquiz export reviews FILE`: decks as Anki's text-import format, the
//! review log as CSV. Files are written by [`super::write`]'s rules (`-` is standard output).
use anyhow::Result;

use super::write::{Overwrite, Written, write_text};
use crate::cli::{ExportArgs, ExportWhat};
use crate::env::{Env, Exit};
use crate::interchange::anki;
use crate::library;
use crate::text::plural;

/// Runs `portquiz export ...`.
pub fn run(env: &Env, args: &ExportArgs) -> Result<Exit> {
    match &args.what {
        ExportWhat::Anki { file } => {
            let decks = library::load_decks(env)?;
            let out = anki::export(&decks);
            let written = write_text(file, &out.text, Overwrite::force(args.force))?;
            report(
                &written,
                &format!(
                    "Exported {} from {} to {}; in Anki: File > Import.",
                    plural(out.notes, "card"),
                    plural(decks.len(), "deck"),
                    shown(&written)
                ),
            )?;
            if !out.skipped.is_empty() {
                report(
                    &written,
                    &format!(
                        "Left out {} that only portquiz can check live: {}",
                        plural(out.skipped.len(), "practical or lab card"),
                        out.skipped.join(", ")
                    ),
                )?;
            }
            Ok(Exit::Ok)
        }
        ExportWhat::Reviews { file } => {
            let store = crate::progress::open_store(env)?;
            // Cram answers did not change any schedule, so FSRS tools must not see them.
            let mut log = crate::progress::review_log(&store)?;
            log.retain(|r| !r.cram);
            let written = write_text(
                file,
                &crate::interchange::revlog::to_csv(&log),
                Overwrite::force(args.force),
            )?;
            report(
                &written,
                &format!(
                    "Exported {} to {} (card_id,review_time,review_rating,review_state,review_duration).",
                    plural(log.len(), "review"),
                    shown(&written)
                ),
            )?;
            Ok(Exit::Ok)
        }
    }
}

fn shown(written: &Written) -> String {
    match written {
        Written::Stdout => "standard output".to_string(),
        Written::File(path) => path.display().to_string(),
    }
}

/// A line about what was written: on stdout, or on stderr when stdout carried the data itself.
fn report(written: &Written, line: &str) -> std::io::Result<()> {
    match written {
        Written::Stdout => {
            eprintln!("{line}");
            Ok(())
        }
        Written::File(_) => crate::outln!("{line}"),
    }
}
