//! `portquiz import anki FILE --id NEW-ID [--out PATH]`: an Anki text export becomes a flashcard deck.
//! A note that cannot be a card is left out with a warning on its line; what spoils the whole file (an
//! unknown separator, a quote never closed) is reported with its line and nothing is written. Anki
//! subdecks become decks written beside the first (or tags, with `--subdecks tags`).
use anyhow::{Context, Result};

use super::write::{Overwrite, deck_id_arg, default_deck_path, write_text};
use crate::cli::{ImportArgs, ImportWhat, Subdecks};
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
    let ImportWhat::Anki {
        file,
        id,
        out,
        subdecks,
    } = &args.what;
    let id = &deck_id_arg(id)?;
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
    let parsed = match anki::parse(&text) {
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
    let decks = anki::split_decks(id, parsed.cards, *subdecks == Subdecks::Tags);
    let sources = library::all_sources(env)?;
    let loaded = crate::deck::compile::compile(&sources, &library::known());
    for deck in &decks {
        if let Some(existing) = loaded.decks.iter().find(|d| d.id == deck.id) {
            anyhow::bail!(
                "a deck with the id `{}` already exists ({}); choose another --id",
                deck.id,
                existing.origin
            );
        }
    }
    let root = match out {
        Some(path) => path.clone(),
        None => default_deck_path(env, id.as_str())?,
    };
    // Every deck made and checked before any is written: an import writes all its decks or none.
    let mut files = Vec::new();
    for deck in &decks {
        let yaml = anki::to_deck_yaml(&deck.id, &deck.title, &deck.cards);
        if yaml.len() as u64 > MAX_DECK_BYTES {
            anyhow::bail!(
                "the deck{} made from {} would be {:.1} MB, over the {} MB a deck file may hold, so portquiz would not load it; nothing was written: export the Anki deck in parts (by subdeck or tag) and import each part with its own --id",
                if decks.len() == 1 {
                    String::new()
                } else {
                    format!(" `{}`", deck.id)
                },
                file.display(),
                yaml.len() as f64 / (1024.0 * 1024.0),
                MAX_DECK_BYTES / (1024 * 1024)
            );
        }
        // The root deck at `--out` (or the default path), each subdeck's deck beside it.
        let path = if deck.id == *id {
            root.clone()
        } else {
            root.with_file_name(format!("{}.yaml", deck.id))
        };
        // The generated text must pass the same check as any deck before it is written.
        if let Err(diags) = parse_deck(&yaml, &path.display().to_string(), &library::known()) {
            for d in &diags {
                eprint!("{}", d.render());
            }
            anyhow::bail!("the imported deck does not pass `portquiz check`; nothing was written");
        }
        if path.exists() {
            anyhow::bail!(
                "{} already exists; nothing was written: choose another --id or --out",
                crate::safe::path(&path)
            );
        }
        files.push((path, yaml, deck));
    }
    for warning in &parsed.warnings {
        eprintln!(
            "warning: {}:{}: {}",
            crate::safe::path(file),
            warning.line,
            warning.message
        );
    }
    for (path, yaml, deck) in &files {
        write_text(path, yaml, Overwrite::Never)?;
        crate::outln!(
            "Imported {} into deck `{}` at {}",
            crate::text::plural(deck.cards.len(), "card"),
            deck.id,
            crate::safe::path(path)
        )?;
    }
    Ok(Exit::Ok)
}
