//! `portquiz export anki FILE.tsv`: decks as Anki's text-import format.
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::cli::{ExportArgs, ExportWhat};
use crate::env::{Env, Exit};
use crate::interchange::anki;
use crate::library;

/// Runs `portquiz export ...`.
pub fn run(env: &Env, args: &ExportArgs) -> Result<Exit> {
    match &args.what {
        ExportWhat::Anki { file } => {
            let decks = library::load_decks(env)?;
            let out = anki::export(&decks);
            write_file(file, &out.text, true)?;
            crate::outln!(
                "Exported {} from {} to {}; in Anki: File > Import.",
                plural(out.notes, "card"),
                plural(decks.len(), "deck"),
                file.display()
            )?;
            if !out.skipped.is_empty() {
                crate::outln!(
                    "Left out {} that only portquiz can check live: {}",
                    plural(out.skipped.len(), "practical or lab card"),
                    out.skipped.join(", ")
                )?;
            }
            Ok(Exit::Ok)
        }
        ExportWhat::Reviews { file } => {
            let store = crate::progress::open_store(env)?;
            // Cram answers did not change any schedule, so FSRS tools must not see them.
            let log: Vec<_> = crate::progress::review_log(&store)?
                .iter()
                .filter(|r| !r.cram)
                .map(crate::progress::to_review)
                .collect();
            write_file(file, &crate::interchange::revlog::to_csv(&log), true)?;
            crate::outln!(
                "Exported {} to {} (card_id,review_time,review_rating,review_state,review_duration).",
                plural(log.len(), "review"),
                file.display()
            )?;
            Ok(Exit::Ok)
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    crate::deck::diag::plural(n, word)
}

/// Writes `text` to `path` atomically (a temporary file in the same directory, then renamed), creating
/// the directory. With `overwrite` false an existing file is an error and is left untouched.
pub(crate) fn write_file(path: &Path, text: &str, overwrite: bool) -> Result<()> {
    if !overwrite && path.exists() {
        bail!(
            "{} already exists; pass another path with --out, or move the file away",
            path.display()
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    fs_err::create_dir_all(&dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("could not create a file in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .with_context(|| format!("could not write {}", path.display()))?;
    if overwrite {
        tmp.persist(path)
            .with_context(|| format!("could not write {}", path.display()))?;
    } else {
        tmp.persist_noclobber(path).with_context(|| {
            format!(
                "could not write {} (does it exist already? pass another path with --out)",
                path.display()
            )
        })?;
    }
    Ok(())
}
