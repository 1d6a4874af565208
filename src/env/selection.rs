//! The `--deck` values, decided once: deck ids to restrict to, and deck files or directories to load.
use std::path::{Path, PathBuf};

/// The parsed `--deck` values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckSelection {
    /// Deck ids: only these decks (plus those loaded from `paths`) are used.
    pub ids: Vec<String>,
    /// Deck files or directories to load; their decks (plus those named in `ids`) are the only ones used.
    pub paths: Vec<PathBuf>,
}

impl DeckSelection {
    /// Splits `--deck` values: a value is a path when it exists or looks like one (a `/`, or a `.yaml` or
    /// `.yml` ending); otherwise it is a deck id.
    pub fn parse(args: &[String]) -> Self {
        let mut selection = Self::default();
        for arg in args {
            let path = Path::new(arg);
            if path.exists() || arg.contains('/') || arg.ends_with(".yaml") || arg.ends_with(".yml")
            {
                selection.paths.push(path.to_path_buf());
            } else {
                selection.ids.push(arg.clone());
            }
        }
        selection
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
        let args = ["ports", "my/decks", "extra.yaml", "other.yml", "src"].map(String::from);
        let selection = DeckSelection::parse(&args);
        assert_eq!(
            selection,
            DeckSelection {
                ids: vec!["ports".into()],
                // `src` exists (the tests run in the crate root), so it is a directory to load.
                paths: ["my/decks", "extra.yaml", "other.yml", "src"]
                    .map(PathBuf::from)
                    .to_vec(),
            }
        );
        assert!(selection.restricts());
        assert!(DeckSelection::parse(&["extra.yaml".into()]).restricts());
        assert!(!DeckSelection::parse(&[]).restricts());
    }
}
