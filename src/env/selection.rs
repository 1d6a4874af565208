//! The `--deck` values, decided once: deck ids to restrict to, and deck files or directories to load.
use std::path::{Path, PathBuf};

/// The parsed `--deck` values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckSelection {
    /// Deck ids: only these decks (plus those loaded from `paths`) are used.
    pub ids: Vec<String>,
    /// Deck files or directories to load; their decks (plus those named in `ids`) are the only ones used.
    pub paths: Vec<PathBuf>,
    /// Values that could be either: a deck id that is also the name of an entry in the current folder.
    /// They are read as paths, and [`DeckSelection::notes`] says so.
    pub taken_as_paths: Vec<String>,
}

impl DeckSelection {
    /// Splits `--deck` values: a value is a path when it exists or looks like one (a `/`, or a `.yaml` or
    /// `.yml` ending); otherwise it is a deck id.
    pub fn parse(args: &[String]) -> Self {
        let mut selection = Self::default();
        for arg in args {
            let path = Path::new(arg);
            let looks_like_path =
                arg.contains('/') || arg.ends_with(".yaml") || arg.ends_with(".yml");
            if path.exists() || looks_like_path {
                if !looks_like_path && crate::deck::DeckId::new(arg).is_ok() {
                    selection.taken_as_paths.push(arg.clone());
                }
                selection.paths.push(path.to_path_buf());
            } else {
                selection.ids.push(arg.clone());
            }
        }
        selection
    }

    /// One line per value read as a path although it is also a valid deck id, saying which was taken.
    pub fn notes(&self) -> Vec<String> {
        self.taken_as_paths
            .iter()
            .map(|arg| {
                let shown = crate::safe::line(arg);
                format!(
                    "note: --deck {shown} was read as the path ./{shown} (an entry of that name is in the current folder), not as the deck id `{shown}`; to choose the deck by id, run portquiz from another folder"
                )
            })
            .collect()
    }

    /// Whether the loaded decks are restricted: to the decks named by id and those loaded from the paths
    /// (`--deck w/http-status.yaml` studies that deck, not every deck plus it).
    pub fn restricts(&self) -> bool {
        !self.ids.is_empty() || !self.paths.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths_are_told_apart_once() {
        let args = [
            "ports",
            "my/decks",
            "extra.yaml",
            "other.yml",
            "src",
            "./benches",
        ]
        .map(String::from);
        let selection = DeckSelection::parse(&args);
        assert_eq!(
            selection,
            DeckSelection {
                ids: vec!["ports".into()],
                // `src` exists (the tests run in the crate root), so it is a directory to load.
                paths: ["my/decks", "extra.yaml", "other.yml", "src", "./benches"]
                    .map(PathBuf::from)
                    .to_vec(),
                taken_as_paths: vec!["src".into()],
            }
        );
        assert_eq!(
            selection.notes(),
            [
                "note: --deck src was read as the path ./src (an entry of that name is in the current folder), not as the deck id `src`; to choose the deck by id, run portquiz from another folder"
            ]
        );
        assert!(selection.restricts());
        assert!(DeckSelection::parse(&["extra.yaml".into()]).restricts());
        assert!(!DeckSelection::parse(&[]).restricts());
    }
}
