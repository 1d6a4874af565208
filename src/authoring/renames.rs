//! Renamed cards (issue 28): progress stored for card ids a deck no longer has ("orphans"), each with its
//! best guess (the card of the same deck it was likely renamed to), and the once-a-day line `study` prints
//! about them. Pure: the stored ids, the deck and the day in; text out. The store and the study loop call it.
use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::deck::{Card, CardId, Deck};

/// A card id with progress that no card of its deck has any more.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan<'d> {
    /// The id the progress is stored under.
    pub id: String,
    /// The card it was most likely renamed to: a card of the same deck without progress whose id shares the
    /// most words with it (ties: the nearest by edit distance), or `None` when no card shares a word.
    pub guess: Option<&'d Card>,
}

/// Every orphan of `deck`, in id order, given the card ids with stored progress.
pub fn orphans<'d, 'a>(
    deck: &'d Deck,
    stored: impl IntoIterator<Item = &'a CardId>,
) -> Vec<Orphan<'d>> {
    let stored: BTreeSet<&str> = stored.into_iter().map(CardId::as_str).collect();
    let present: BTreeSet<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
    // Cards with progress were not renamed to: guess among the new ones.
    let fresh: Vec<&Card> = deck
        .cards
        .iter()
        .filter(|c| !stored.contains(c.id.as_str()))
        .collect();
    stored
        .iter()
        .filter(|id| !present.contains(*id))
        .map(|id| Orphan {
            id: (*id).to_string(),
            guess: best_guess(id, &fresh),
        })
        .collect()
}

/// The words of an id: its parts between `-` and `/`.
fn words(id: &str) -> BTreeSet<&str> {
    id.split(['-', '/']).filter(|w| !w.is_empty()).collect()
}

fn best_guess<'d>(id: &str, fresh: &[&'d Card]) -> Option<&'d Card> {
    let mine = words(id);
    fresh
        .iter()
        .map(|c| {
            let shared = words(c.id.as_str()).intersection(&mine).count();
            (
                shared,
                std::cmp::Reverse(edit_distance(id, c.id.as_str())),
                *c,
            )
        })
        .filter(|(shared, _, _)| *shared > 0)
        .max_by_key(|(shared, distance, _)| (*shared, *distance))
        .map(|(_, _, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One line per orphan, as `check` lists them: `old-id: renamed to new-id?` or `old-id: no similar card`.
pub fn orphan_lines(orphans: &[Orphan]) -> Vec<String> {
    orphans
        .iter()
        .map(|o| match o.guess {
            Some(card) => format!(
                "`{}` has progress: renamed to `{}` (line {})? give that card back `id: {}` to keep it",
                o.id, card.id, card.line, o.id
            ),
            None => format!("`{}` has progress and no card like it", o.id),
        })
        .collect()
}

/// What `study` prints about orphans, at most once a day: one line per deck with orphans
/// ("3 cards of deck X have progress but no card: renamed? see `portquiz check`"), and the day to record
/// as shown. `None` when nothing is orphaned or the notice was already shown `today`.
///
/// The study loop calls it at the start of a session with the orphan counts per deck (from [`orphans`]
/// over the store's ids), today's date, and the day it last showed the notice; it prints the lines and
/// stores the returned day.
pub fn study_notice(
    counts: &[(&str, usize)],
    today: Date,
    last_shown: Option<Date>,
) -> Option<(Vec<String>, Date)> {
    if last_shown == Some(today) {
        return None;
    }
    let lines: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(deck, n)| {
            let verb = if *n == 1 { "has" } else { "have" };
            format!(
                "{} of deck {deck} {verb} progress but no card: renamed? see `portquiz check`",
                crate::text::plural(*n, "card")
            )
        })
        .collect();
    (!lines.is_empty()).then_some((lines, today))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn deck() -> Deck {
        let text = "format: 1\nid: ports\ntitle: T\ncards:\n  - id: ssh-port-number\n    type: flashcard\n    prompt: Q\n    answer: A\n  - id: dns-port\n    type: flashcard\n    prompt: Q\n    answer: A\n  - id: http-port\n    type: flashcard\n    prompt: Q\n    answer: A\n";
        crate::deck::parse_deck(text, "t.yaml", &crate::library::known()).unwrap()
    }

    fn ids(ids: &[&str]) -> Vec<CardId> {
        ids.iter().map(|i| CardId::new(*i).unwrap()).collect()
    }

    #[test]
    fn every_orphan_is_listed_with_its_best_guess_among_the_cards_without_progress() {
        let deck = deck();
        let stored = ids(&["ssh-port", "dns-port", "http", "smtp"]);
        let lines = orphan_lines(&orphans(&deck, &stored));
        assert_eq!(
            lines,
            [
                "`http` has progress: renamed to `http-port` (line 13)? give that card back `id: http` to keep it",
                "`smtp` has progress and no card like it",
                "`ssh-port` has progress: renamed to `ssh-port-number` (line 5)? give that card back `id: ssh-port` to keep it",
            ]
        );
    }

    #[test]
    fn study_says_it_once_a_day_per_deck_with_orphans() {
        let today = jiff::civil::date(2026, 12, 6);
        let counts = [("ports", 3), ("sockets", 0), ("nat", 1)];
        assert_eq!(
            study_notice(&counts, today, None),
            Some((
                vec![
                    "3 cards of deck ports have progress but no card: renamed? see `portquiz check`".to_string(),
                    "1 card of deck nat has progress but no card: renamed? see `portquiz check`".to_string(),
                ],
                today
            ))
        );
        assert_eq!(study_notice(&counts, today, Some(today)), None);
        assert!(study_notice(&counts, today, Some(jiff::civil::date(2026, 12, 5))).is_some());
        assert_eq!(study_notice(&[("ports", 0)], today, None), None);
    }
}
