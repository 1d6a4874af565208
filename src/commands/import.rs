//! `portquiz import anki FILE --id NEW-ID [--out PATH]`: an Anki text export becomes a flashcard deck.
//! Every malformed line is reported with its number and nothing is written.
use anyhow::{Context, Result};

use super::write::{Overwrite, deck_id_arg, default_deck_path, write_text};
use crate::cli::{ImportArgs, ImportWhat};
use crate::deck::load::MAX_DECK_BYTES;
use crate::deck::parse_deck;
use crate::env::{Env, Exit};
use crate::interchange::anki;
use crate::library;

/// The largest Anki text file `import anki` reads: twice what a deck file may hold (HTML and images are
/// dropped on the way), so the file, its notes and the deck text stay well under 100 MB together.
pub const MAX_IMPORT_BYTES: u64 = 2 * MAX_DECK_BYTES;

/// Runs `portquiz import ...`.
pub fn run(env: &Env, args: &ImportArgs) -> Result<Exit> {
    let ImportWhat::Anki { file, id, out } = &args.what;
    let id = &deck_id_arg(id)?;
    let sources = library::all_sources(env)?;
    let loaded = crate::deck::compile::compile(&sources, &library::known());
    if let Some(existing) = loaded.decks.iter().find(|d| d.id == *id) {
        anyhow::bail!(
            "a deck with the id `{id}` already exists ({}); choose another --id",
            existing.origin
        );
    }
    let bytes = match crate::open::read_regular(file, MAX_IMPORT_BYTES) {
        Ok(bytes) => bytes,
        Err(e @ crate::open::OpenError::TooLarge { .. }) => anyhow::bail!(
            "{e}; nothing was written: export the Anki deck in parts (by subdeck or tag) and import each part with its own --id"
        ),
        Err(e) => return Err(e.into()),
    };
    let text = String::from_utf8(bytes).with_context(|| {
        format!(
            "{} is not UTF-8 text; export it from Anki again (Notes in Plain Text)",
            file.display()
        )
    })?;
    let (title, notes) = match anki::parse(&text) {
        Ok(ok) => ok,
        Err(errors) => {
            let name = file.display().to_string();
            for e in &errors {
                eprint!("{}", e.to_diagnostic(&name, &text).render());
            }
            eprintln!(
                "nothing written: fix the {} above and run the import again",
                crate::text::inflect(errors.len(), "line")
            );
            return Ok(Exit::Problems);
        }
    };
    let title = title
        .map(|t| t.rsplit("::").next().unwrap_or(&t).to_string())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| id.to_string());
    let yaml = anki::to_deck_yaml(id, &title, &notes);
    if yaml.len() as u64 > MAX_DECK_BYTES {
        anyhow::bail!(
            "the deck made from {} would be {:.1} MB, over the {} MB a deck file may hold, so portquiz would not load it; nothing was written: export the Anki deck in parts (by subdeck or tag) and import each part with its own --id",
            file.display(),
            yaml.len() as f64 / (1024.0 * 1024.0),
            MAX_DECK_BYTES / (1024 * 1024)
        );
    }
    let path = match out {
        Some(path) => path.clone(),
        None => default_deck_path(env, id.as_str())?,
    };
    // The generated text must pass the same check as any deck before it is written.
    if let Err(diags) = parse_deck(&yaml, &path.display().to_string(), &library::known()) {
        for d in &diags {
            eprint!("{}", d.render());
        }
        anyhow::bail!("the imported deck does not pass `portquiz check`; nothing was written");
    }
    write_text(&path, &yaml, Overwrite::Never)?;
    for note in notes.iter().filter(|n| n.images > 0) {
        eprintln!(
            "warning: {}:{}: dropped {}: a deck holds text only",
            crate::safe::path(file),
            note.line,
            crate::text::plural(note.images, "image")
        );
    }
    crate::outln!(
        "Imported {} into deck `{id}` at {}",
        crate::text::plural(notes.len(), "card"),
        crate::safe::path(&path)
    )?;
    Ok(Exit::Ok)
}
