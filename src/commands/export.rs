//! `portquiz export anki FILE` and `portquiz export reviews FILE`: decks as Anki's text-import format, the
//! review log as CSV. Files are written by [`super::write`]'s rules (`-` is standard output), never onto
//! portquiz's own files in the data dir, even with `--force`.
use std::path::Path;

use anyhow::Result;

use super::write::{Overwrite, Written, write_text, write_with};
use crate::cli::{ExportArgs, ExportWhat};
use crate::deck::{Diagnostic, Severity};
use crate::env::{Env, Exit};
use crate::interchange::{anki, revlog};
use crate::library;
use crate::text::plural;

/// Runs `portquiz export ...`.
pub fn run(env: &Env, args: &ExportArgs) -> Result<Exit> {
    let file = match &args.what {
        ExportWhat::Anki { file } | ExportWhat::Reviews { file } => file,
    };
    // `.portquiz-*`: the temporary file an export is written to before its rename; a killed export left it.
    if file.as_os_str() != "-"
        && let Some(dir) = resolved(file).as_deref().and_then(Path::parent)
    {
        crate::open::remove_stale_temporaries(dir, ".portquiz-");
    }
    match &args.what {
        ExportWhat::Anki { file } => {
            let errors = errors_in_exported(env)?;
            if !errors.is_empty() {
                for d in &errors {
                    eprint!("{}", d.render());
                }
                let files: std::collections::BTreeSet<&str> =
                    errors.iter().map(|d| d.file.as_str()).collect();
                eprintln!(
                    "nothing written: the {} with errors above would be left out of the export; fix {} (see `portquiz check`)",
                    plural(files.len(), "deck file"),
                    if files.len() == 1 { "it" } else { "them" }
                );
                return Ok(Exit::Problems);
            }
            let decks = library::load_decks(env)?;
            // After loading, which may have created the data dir and the cache a link could point into.
            refuse_data_files(env, file)?;
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
            // Only read: a data dir this user cannot write is read as it is.
            let store = crate::store::Store::open_to_read(env.db_path())?;
            // After opening, which may have created the data dir and the database a link could point to.
            refuse_data_files(env, file)?;
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

/// The errors of the deck files the export takes (every file, or those under the `--deck` paths): such a
/// file would be left out, and with `--deck broken.yaml` the file written would hold no note at all.
fn errors_in_exported(env: &Env) -> Result<Vec<Diagnostic>> {
    let sources = library::all_sources(env)?;
    let lib = crate::deck::compile::compile(&sources, &library::known());
    let paths: Vec<String> = env
        .decks
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let all = !env.decks.restricts();
    Ok(lib
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| all || paths.iter().any(|p| d.file.starts_with(p.as_str())))
        .collect())
}

fn shown(written: &Written) -> String {
    match written {
        Written::Stdout => "standard output".to_string(),
        Written::File(path) => crate::safe::path(path),
    }
}

/// Refuses an export target that is one of portquiz's own files in the data dir: the progress database,
/// its `-wal`, `-shm` and `-journal` (and the copies `repair` keeps beside it), and anything under the
/// cache folder. `--force` replaces a file; it must never replace the progress with CSV. Links are
/// followed, as the write would follow them.
fn refuse_data_files(env: &Env, file: &Path) -> Result<()> {
    if file.as_os_str() == "-" {
        return Ok(());
    }
    let Ok(data_dir) = std::fs::canonicalize(&env.data_dir) else {
        return Ok(());
    };
    let Some(target) = resolved(file) else {
        return Ok(());
    };
    let db_name = env.db_path().file_name().map(|n| n.to_os_string());
    let in_data_dir = target.parent() == Some(data_dir.as_path());
    let names_db = target
        .file_name()
        .zip(db_name)
        .is_some_and(|(name, db)| name.as_encoded_bytes().starts_with(db.as_encoded_bytes()));
    if (in_data_dir && names_db) || target.starts_with(data_dir.join("cache")) {
        anyhow::bail!(
            "{} is one of portquiz's own files (the progress database in {}, its working files, or its cache); exporting there would replace it: choose another path",
            file.display(),
            env.data_dir.display()
        );
    }
    Ok(())
}

/// `file` with links followed: the file itself when it exists, else its folder's real path and its name. A
/// link to nothing is followed by hand (the command may create its target, the database, before writing).
fn resolved(file: &Path) -> Option<std::path::PathBuf> {
    let mut file = file.to_path_buf();
    // A chain of links to nothing, at most this long (the system allows 40; a loop ends here).
    for _ in 0..40 {
        if let Ok(real) = std::fs::canonicalize(&file) {
            return Some(real);
        }
        match std::fs::read_link(&file) {
            Ok(target) => {
                file = match file.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                }
            }
            Err(_) => break,
        }
    }
    let name = file.file_name()?;
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
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
