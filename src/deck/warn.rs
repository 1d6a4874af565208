//! Warnings: what a checked deck can be studied with but should not ship with (a card without `explain`,
//! a typed card whose own `answer` its own check refuses, a `why` on a right option), and progress in the
//! database that no card of the deck matches any more. Shown by `check`, failing it only under
//! `--deny-warnings`. Pure: the caller passes the deck, its file text (for excerpts) and the progress.
use std::collections::BTreeSet;

use super::diag::{Diagnostic, Lines};
use super::id::CardId;
use super::model::{CardKind, Deck};
use super::yaml::Pos;

/// Every warning about `deck`, whose file's lines are `text`, in file order.
pub fn warnings(deck: &Deck, text: &Lines) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for card in deck.cards.iter().filter(|c| !c.id.is_cell()) {
        let at = |key: &str| key_pos(text, card.line, key);
        let warn = |pos: Pos, code: &'static str, message: String| {
            Diagnostic::warning(&deck.origin, text, Some(pos), code, message)
        };
        // Found only when a warning needs it: looking a key up reads the card's lines.
        let start = || {
            at("id").unwrap_or(Pos {
                line: card.line,
                col: 1,
            })
        };
        let explains_itself =
            matches!(card.kind, CardKind::Practical { .. } | CardKind::Lab { .. });
        if card.explain.is_none() && !explains_itself {
            out.push(
                warn(start(), "no-explain", format!("card `{}` has no `explain`", card.id))
                    .help("add `explain:` with why the answer is right: it is shown after every answer, right or wrong"),
            );
        }
        match &card.kind {
            CardKind::Typed {
                answer: Some(answer),
                ..
            } if !card.typed_is_right(answer) => {
                let pos = at("answer").unwrap_or_else(start);
                out.push(
                    warn(
                        pos,
                        "own-answer-wrong",
                        format!(
                            "card `{}`: its own `answer` `{answer}` would be graded wrong",
                            card.id
                        ),
                    )
                    .width(answer.chars().count())
                    .help("add the answer to `accept`, or make `keywords` match it"),
                );
            }
            CardKind::Choice { options, answers } => {
                for &i in answers {
                    if let Some(option) = options.get(i)
                        && option.why.is_some()
                    {
                        let nth = options[..i].iter().filter(|o| o.why.is_some()).count();
                        let pos = key_pos_after(text, card.line, "why", nth).unwrap_or_else(start);
                        out.push(
                            warn(pos, "why-on-right-option", format!("card `{}`: the right option `{}` has a `why`", card.id, option.text))
                                .help("`why` says why a wrong option is wrong; say why the answer is right in the card's `explain`"),
                        );
                    }
                }
            }
            CardKind::Lab { experiment, params }
                if experiment == "lab-find-service-port" && params.service.is_none() =>
            {
                // A prompt of the deck's own topic above the lab's default service reads as a mistake.
                if let Some(pos) = at("prompt") {
                    out.push(
                        warn(pos, "lab-default-service", format!("card `{}` has its own `prompt`, but without `service` its lab asks the candidate to stand in for MySQL (or a Node.js app)", card.id))
                            .width(card.prompt.chars().count())
                            .help("name the lab's service: e.g. `service: DNS`, `port: 53` and `protocol: udp`, or remove `prompt`"),
                    );
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|d| d.pos);
    out
}

/// A warning when cards of `deck` that are no longer in it have progress (`stored`: the card ids with
/// progress), with a guess at the rename that lost it.
pub fn orphaned_progress<'a>(
    deck: &Deck,
    text: &Lines,
    stored: impl IntoIterator<Item = &'a CardId>,
) -> Option<Diagnostic> {
    let present: BTreeSet<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
    let gone: BTreeSet<&str> = stored
        .into_iter()
        .map(CardId::as_str)
        .filter(|id| !present.contains(id))
        .collect();
    // A table row renamed (its aspect edited) is the likeliest cause: name one when any is gone.
    let first = gone
        .iter()
        .find(|id| id.contains('/'))
        .or_else(|| gone.iter().next())?;
    let guess = match first.split('/').collect::<Vec<_>>()[..] {
        [table, row, _]
            if present
                .iter()
                .any(|id| id.starts_with(&format!("{table}/"))) =>
        {
            format!("was row `{row}` of table `{table}` renamed? give it `id: {row}` to keep it")
        }
        [table, _, _] => {
            format!("was table `{table}` renamed? give it back `id: {table}` to keep it")
        }
        _ => format!("was card `{first}` renamed? give it back `id: {first}` to keep it"),
    };
    let cards = crate::text::plural(gone.len(), "card");
    let pos = key_pos(text, 1, "id");
    Some(
        Diagnostic::warning(
            &deck.origin,
            text,
            pos,
            "orphaned-progress",
            format!(
                "{cards} of deck `{}` {} progress but no longer {}: {guess}",
                deck.id,
                if gone.len() == 1 { "has" } else { "have" },
                if gone.len() == 1 { "exists" } else { "exist" },
            ),
        )
        .width(deck.id.as_str().chars().count())
        .help("`portquiz reset` forgets progress you no longer want"),
    )
}

/// Where `key:` is written in the card (or row) that starts on `line`: the first line at or after it that
/// starts with the key (after indentation and `- `), up to the next item.
fn key_pos(text: &Lines, line: u32, key: &str) -> Option<Pos> {
    key_pos_after(text, line, key, 0)
}

/// Like [`key_pos`], the `(nth + 1)`-th occurrence.
fn key_pos_after(text: &Lines, line: u32, key: &str, nth: usize) -> Option<Pos> {
    let start = line.saturating_sub(1) as usize;
    let item_indent = text.get(start).map(|l| l.len() - l.trim_start().len())?;
    let mut seen = 0;
    for (i, l) in text.from(start) {
        let indent = l.len() - l.trim_start().len();
        if i > start && indent <= item_indent && l.trim_start().starts_with("- ") {
            break;
        }
        let rest = l.trim_start().trim_start_matches(['-', ' ']);
        if let Some(after) = rest.strip_prefix(key)
            && after.starts_with(':')
        {
            if seen == nth {
                let col = l.len() - rest.len() + key.len() + 1;
                let value = after[1..].len() - after[1..].trim_start().len();
                let col = l[..col + value].chars().count() + 1;
                return Some(Pos {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    col: u32::try_from(col).unwrap_or(u32::MAX),
                });
            }
            seen += 1;
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::deck::{Known, parse_deck};

    const DECK: &str = "format: 1\nid: d\ntitle: D\ncards:\n  - id: bare\n    type: flashcard\n    prompt: P\n    answer: A\n  - id: own\n    type: typed\n    prompt: P\n    accept: [\"443\"]\n    answer: port 444\n    explain: E\n  - id: pick\n    type: choice\n    prompt: P\n    explain: E\n    options:\n      - text: A\n        why: Because\n      - text: B\n        why: Not B\n    answer: A\ntables:\n  - id: t\n    columns: [X, Z]\n    rows:\n      - aspect: Permanent\n        values: [a, b]\n";

    fn render(ds: impl IntoIterator<Item = Diagnostic>) -> String {
        ds.into_iter().map(|d| d.render()).collect()
    }

    #[test]
    fn a_deck_warns_about_what_it_should_not_ship_with() {
        let deck = parse_deck(DECK, "d.yaml", &Known::default()).unwrap();
        assert_eq!(
            render(warnings(&deck, &Lines::new(DECK))),
            "d.yaml:5:9: warning: card `bare` has no `explain`\n  |\n5 |   - id: bare\n  |         ^\nhelp: add `explain:` with why the answer is right: it is shown after every answer, right or wrong\nd.yaml:13:13: warning: card `own`: its own `answer` `port 444` would be graded wrong\n   |\n13 |     answer: port 444\n   |             ^^^^^^^^\nhelp: add the answer to `accept`, or make `keywords` match it\nd.yaml:21:14: warning: card `pick`: the right option `A` has a `why`\n   |\n21 |         why: Because\n   |              ^\nhelp: `why` says why a wrong option is wrong; say why the answer is right in the card's `explain`\n"
        );
    }

    #[test]
    fn progress_of_cards_that_are_gone_is_named_with_the_likely_rename() {
        let deck = parse_deck(DECK, "d.yaml", &Known::default()).unwrap();
        let ids: Vec<CardId> = ["t/permanent-x/x", "t/permanent-x/z", "bare", "gone"]
            .iter()
            .map(|s| {
                CardId::written(s.to_string())
                    .or_else(|_| CardId::cell("t", "permanent-x", &s[s.len() - 1..]))
                    .unwrap()
            })
            .collect();
        assert_eq!(
            render(orphaned_progress(&deck, &Lines::new(DECK), &ids)),
            "d.yaml:2:5: warning: 3 cards of deck `d` have progress but no longer exist: was row `permanent-x` of table `t` renamed? give it `id: permanent-x` to keep it\n  |\n2 | id: d\n  |     ^\nhelp: `portquiz reset` forgets progress you no longer want\n"
        );
        let present: Vec<CardId> = deck.cards.iter().map(|c| c.id.clone()).collect();
        assert!(orphaned_progress(&deck, &Lines::new(DECK), &present).is_none());
    }
}
