//! `portquiz export anki FILE` and `portquiz export reviews FILE`: decks as Anki's text-import format, the
//! review log as CSV. Files are written by [`super::write`]'s rules (`-` is standard output).
use anyhow::Result;

use super::write::{Overwrite, Written, write_text, write_with};
use crate::cli::{ExportArgs, ExportWhat};
use crate::env::{Env, Exit};
use crate::interchange::{anki, revlog};
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
            // Streamed in time order (ties in recording order): the log is never held whole.
            let (mut count, mut failed) = (0usize, None);
            let written = write_with(file, Overwrite::force(args.force), &mut |out| {
                out.write_all(revlog::CSV_HEADER.as_bytes())?;
                store
                    .try_for_each_review(None, |r| -> Result<(), anyhow::Error> {
                        // Cram answers did not change any schedule, so FSRS tools must not see them.
                        if !r.cram {
                            count += 1;
                            out.write_all(revlog::csv_row(&r).as_bytes())?;
                        }
                        Ok(())
                    })
                    .map_err(|e| {
                        let io = std::io::Error::other(e.to_string());
                        failed = Some(e);
                        io
                    })
            });
            if let Some(e) = failed {
                return Err(e);
            }
            let written = written?;
            report(
                &written,
                &format!(
                    "Exported {} to {} (card_id,review_time,review_rating,review_state,review_duration).",
                    plural(count, "review"),
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
