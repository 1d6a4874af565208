//! How an interviewer picks questions: open questions first (typed answers, explanations, practical
//! predictions), mostly what the candidate knows least (lowest retrievability, leeches, cards never studied),
//! one strength now and then, a practical prediction early on; a choice or true/false card only where its topic
//! has no open card, and never one whose typed twin (a sibling) exists; cards that are only reached as
//! follow-ups wait until a good answer leads to them; a follow-up that repeats its parent's answer is not one.
//! Pure: states, the scheduler's recall estimate and the rng come in as values.
use rand::RngExt;
use rand::rngs::StdRng;

use crate::deck::{Card, CardKind, Deck};
use crate::reports::stats::LEECH_LAPSES;
use crate::schedule::{CardState, Scheduler, State};
use jiff::Timestamp;

/// Every how many questions one is a strength (a card recalled well), so a round is not only misses.
pub const STRENGTH_EVERY: usize = 4;

/// The latest position (0-based) by which a practical prediction is asked, when the decks have one.
pub const PRACTICAL_BY: usize = 2;

/// How little the candidate knows `state` at `now`, from 0 (sure to recall) up: a card never studied
/// counts as 0.9 (a topic never studied is a gap an interviewer finds), a leech gets one more.
pub fn weakness(state: &CardState, scheduler: &Scheduler, now: Timestamp) -> f64 {
    let recall = match state.state {
        State::New => 0.1,
        _ => scheduler.retrievability(state, now).unwrap_or(0.0),
    };
    let leech = if state.lapses >= LEECH_LAPSES {
        1.0
    } else {
        0.0
    };
    1.0 - recall + leech
}

/// Whether a card can be asked in an interview: labs need the candidate at a shell, not in a conversation.
pub fn askable(card: &Card) -> bool {
    !matches!(card.kind, CardKind::Lab { .. })
}

/// Whether a card is an open question: the candidate answers in their own words (typed answers, explanations,
/// flashcards asked in words) or predicts what the machine will do; choice and true/false cards hand over
/// options.
pub fn open(card: &Card) -> bool {
    card.kind.is_open()
}

/// How a lead question ranks by its kind: open questions first, then closed cards on a topic no open card
/// covers, then the other closed cards (asked only when the open ones run out). A closed card with an open
/// sibling (its typed twin: another cell of the same table row, or a card on the same experiment) is never
/// a lead: the twin asks the same thing without options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Open,
    Uncovered,
    Covered,
    Twin,
}

/// Each card's [`Class`]: `sibling` is its sibling group ([`crate::session::sibling_groups`]); a topic is a
/// deck's tag (or the deck itself for an untagged card).
pub fn classes(cards: &[(&Deck, &Card)], sibling: &[Option<usize>]) -> Vec<Class> {
    use std::collections::HashSet;
    let topics = |(deck, card): &(&Deck, &Card)| -> Vec<(String, String)> {
        if card.tags.is_empty() {
            vec![(deck.id.to_string(), String::new())]
        } else {
            card.tags
                .iter()
                .map(|t| (deck.id.to_string(), t.to_string()))
                .collect()
        }
    };
    let mut open_topics: HashSet<(String, String)> = HashSet::new();
    let mut open_groups: HashSet<usize> = HashSet::new();
    for (i, c) in cards.iter().enumerate() {
        if open(c.1) {
            open_topics.extend(topics(c));
            open_groups.extend(sibling[i]);
        }
    }
    cards
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if open(c.1) {
                Class::Open
            } else if sibling[i].is_some_and(|g| open_groups.contains(&g)) {
                Class::Twin
            } else if topics(c).iter().any(|t| open_topics.contains(t)) {
                Class::Covered
            } else {
                Class::Uncovered
            }
        })
        .collect()
}

/// At most one practical prediction in this many questions: an interviewer mostly asks, and a round of
/// predictions is a quiz.
pub const PRACTICAL_GAP: usize = 3;

/// `order` with practical cards held back so that two are at least [`PRACTICAL_GAP`] positions apart while
/// other cards are left to put between them; the order is otherwise kept.
pub fn spread(order: &[usize], practical: &[bool]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::with_capacity(order.len());
    let mut held: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut last: Option<usize> = None;
    let due = |last: Option<usize>, at: usize| last.is_none_or(|l| at >= l + PRACTICAL_GAP);
    for &card in order {
        if due(last, out.len())
            && let Some(p) = held.pop_front()
        {
            last = Some(out.len());
            out.push(p);
        }
        if practical[card] {
            if due(last, out.len()) {
                last = Some(out.len());
                out.push(card);
            } else {
                held.push_back(card);
            }
        } else {
            out.push(card);
        }
    }
    out.extend(held);
    out
}

/// Whether `follow_up` only repeats what `parent` just established: the same right answer, or its answer
/// already stated in the parent's question or model answer.
pub fn repeats(parent: &Card, follow_up: &Card) -> bool {
    let answer = crate::deck::fold(&follow_up.right_answer());
    if answer.chars().count() < 3 {
        return false;
    }
    let said = [
        crate::deck::fold(&parent.right_answer()),
        crate::deck::fold(&parent.prompt),
        crate::deck::fold(parent.model_answer().unwrap_or_default()),
    ];
    said.iter().any(|s| *s == answer || s.contains(&answer))
}

/// The lead questions in order (indices into `weakness`): weakest first, every [`STRENGTH_EVERY`]th the
/// strongest card left that was studied, a practical card by position [`PRACTICAL_BY`]. `followed` marks the
/// cards some other card names as a follow-up: they come after all the others. Ties are broken by a random
/// rank drawn from `rng`, so two rounds over the same progress differ.
pub fn leads(
    weakness: &[f64],
    studied: &[bool],
    practical: &[bool],
    followed: &[bool],
    rng: &mut StdRng,
) -> Vec<usize> {
    let rank: Vec<u32> = (0..weakness.len()).map(|_| rng.random()).collect();
    let mut weak: Vec<usize> = (0..weakness.len()).collect();
    weak.sort_by(|&a, &b| {
        followed[a]
            .cmp(&followed[b])
            .then(weakness[b].total_cmp(&weakness[a]))
            .then(rank[a].cmp(&rank[b]))
    });
    let mut order: Vec<usize> = Vec::with_capacity(weak.len());
    let mut taken = vec![false; weak.len()];
    let mut cursor = 0;
    while order.len() < weak.len() {
        let strength = (order.len() + 1).is_multiple_of(STRENGTH_EVERY);
        let pick = if strength {
            weak.iter()
                .rev()
                .copied()
                .find(|&i| !taken[i] && studied[i] && !followed[i])
        } else {
            None
        };
        let pick = match pick {
            Some(i) => i,
            None => {
                while taken[weak[cursor]] {
                    cursor += 1;
                }
                weak[cursor]
            }
        };
        taken[pick] = true;
        order.push(pick);
    }
    if !order.iter().take(PRACTICAL_BY + 1).any(|&i| practical[i])
        && let Some(at) = order.iter().position(|&i| practical[i] && !followed[i])
    {
        let card = order.remove(at);
        order.insert(PRACTICAL_BY.min(order.len()), card);
    }
    order
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn predictions_are_spread_out_while_other_questions_remain() {
        let practical = [true, true, true, false, false, false, false, true];
        assert_eq!(
            spread(&[0, 1, 2, 3, 4, 5, 6, 7], &practical),
            [0, 3, 4, 1, 5, 6, 2, 7]
        );
    }

    #[test]
    fn weakest_first_a_strength_every_fourth_a_practical_early_and_follow_ups_last() {
        // Card 5 is the weakest but only a follow-up; 6 is a practical; 0 and 1 are strong and studied.
        let weakness = [0.05, 0.2, 0.9, 0.8, 0.7, 1.9, 0.3, 0.6];
        let studied = [true, true, false, true, true, true, true, true];
        let practical = [false, false, false, false, false, false, true, false];
        let followed = [false, false, false, false, false, true, false, false];
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            leads(&weakness, &studied, &practical, &followed, &mut rng),
            [2, 3, 6, 4, 0, 7, 1, 5]
        );
    }
}
