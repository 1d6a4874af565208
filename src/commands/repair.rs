//! `portquiz repair`: when the progress database is damaged, copies every answer that can still be read into
//! a fresh database, rebuilds every card's schedule by replaying its log (as `merge` does), keeps the
//! readable settings, puts the fresh file in place and keeps the damaged one beside it under a dated name.
//! The damaged file is only read.
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::replay::{self, Added, Cards};
use crate::env::{Env, Exit};
use crate::store::{Salvaged, Store};

/// Runs `portquiz repair`.
pub fn run(env: &Env) -> Result<Exit> {
    let path = env.db_path();
    if !path.is_file() {
        bail!(
            "there is no progress database at {} to repair",
            path.display()
        );
    }
    let damaged = Store::open_damaged(&path)?;
    let problems = damaged.damage()?;
    if problems.is_empty() {
        crate::outln!(
            "{} is not damaged (SQLite's quick_check found no problem); nothing to repair.",
            crate::safe::path(&path)
        )?;
        return Ok(Exit::Ok);
    }
    eprintln!(
        "{} is damaged: {}",
        crate::safe::path(&path),
        crate::safe::line(&problems.join("; "))
    );

    let fresh_path = with_suffix(&path, ".repairing");
    remove_if_present(&fresh_path)?;
    let mut fresh = Store::open(&fresh_path)?;
    let settings = damaged.salvage_settings();
    for (key, value) in &settings {
        fresh.set_setting(key, value)?;
    }
    // Suspended cards stay suspended (from now: when they were suspended is not worth a failed repair).
    let suspended = damaged.suspended().unwrap_or_default();
    for card in &suspended {
        fresh.set_suspended(card, true, env.now)?;
    }
    let mut cards = Cards::default();
    let mut added = Vec::new();
    let salvaged: Salvaged = damaged.salvage_reviews(|r| {
        added.push(Added::of(&mut cards, r));
    });
    drop(damaged);
    let scheduler = crate::progress::scheduler(&fresh)?;
    let tx = fresh.write_transaction()?;
    // Into a fresh database: no card has answers there yet, and the indexes are built once at the end.
    let rebuilt = tx.bulk(|| replay::rebuild(&tx, &scheduler, &cards, &mut added, &|_| false))?;
    tx.commit()?;
    drop(fresh);

    let kept = swap_in(&path, &fresh_path, env)?;
    let shown = crate::safe::path(&path);
    crate::outln!(
        "Saved {} into a fresh {} and rebuilt the schedule of {}; kept {} and {}.",
        crate::text::plural(salvaged.saved as usize, "answer"),
        shown,
        crate::text::plural(rebuilt, "card"),
        crate::text::plural(settings.len(), "setting"),
        crate::text::plural(suspended.len(), "suspended card"),
    )?;
    if salvaged.unreadable + salvaged.invalid + salvaged.missing > 0 {
        crate::outln!(
            "Not saved: {} on damaged pages, {} with impossible values; {} more answer ids are missing (undone answers leave such gaps too).",
            crate::text::plural(salvaged.unreadable as usize, "answer"),
            crate::text::plural(salvaged.invalid as usize, "answer"),
            salvaged.missing,
        )?;
    }
    crate::outln!("The damaged file is kept at {}.", crate::safe::path(&kept))?;
    Ok(Exit::Ok)
}

/// Puts the fresh database at `path` and keeps the damaged one under a dated name, so that a repair killed
/// at any point leaves a database at `path`: the damaged file (and its `-wal` and `-shm`) first gets a
/// second name by a hard link, which never replaces anything (a name already taken, by a repair in the
/// same second, gets `-2`, `-3`...); then its side files leave `path`'s side; then ONE rename puts the
/// fresh file in its place. Before that rename `path` is still the damaged file (the next `repair` starts
/// over); after it, the fresh one. Returns the kept name.
fn swap_in(path: &Path, fresh: &Path, env: &Env) -> Result<PathBuf> {
    let stamp = env.now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut kept = with_suffix(path, &format!(".damaged-{stamp}"));
    let mut n = 2;
    loop {
        match keep_as(path, &kept) {
            Ok(()) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                kept = with_suffix(path, &format!(".damaged-{stamp}-{n}"));
                n += 1;
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "could not keep the damaged file as {}; nothing was changed (the fresh database is at {})",
                        kept.display(),
                        fresh.display()
                    )
                });
            }
        }
    }
    // SQLite would read a `-wal` left beside the fresh file as its own: the damaged file's side files are
    // kept under the new name and leave, just before the rename.
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(path, suffix);
        if std::fs::symlink_metadata(&side).is_ok() {
            let kept_side = with_suffix(&kept, suffix);
            keep_as(&side, &kept_side).with_context(|| {
                format!(
                    "could not keep {} as {}",
                    side.display(),
                    kept_side.display()
                )
            })?;
        }
    }
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(path, suffix);
        if std::fs::symlink_metadata(&side).is_ok() {
            fs_err::remove_file(&side)?;
        }
    }
    fs_err::rename(fresh, path)
        .with_context(|| format!("the damaged file is kept at {}", kept.display()))?;
    Ok(kept)
}

/// Gives the file at `from` the second name `to`, never replacing a file there (`AlreadyExists`): a hard
/// link, or a copy where the file system has none (the copy is made under a temporary name and linked,
/// without replacing, when whole).
fn keep_as(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            let dir = to.parent().unwrap_or(Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)?;
            std::fs::copy(from, tmp.path())?;
            tmp.as_file().sync_all()?;
            tmp.persist_noclobber(to).map(drop).map_err(|e| e.error)
        }
        other => other,
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a file left by an interrupted repair, with its -wal and -shm.
fn remove_if_present(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = with_suffix(path, suffix);
        if file.exists() {
            fs_err::remove_file(&file)?;
        }
    }
    Ok(())
}
