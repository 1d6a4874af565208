//! What every part of a deck's check shares: the state of one validation ([`Cx`], whose methods the files
//! of each concern add) and what it collects on the way.
use super::syntax::Lost;
use crate::deck::diag::{Gathered, Lines};
use crate::deck::id::{CardId, CardRef, DeckId};
use crate::deck::yaml::Pos;

/// The experiment and lab names a deck may refer to (the built-in catalogue).
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    pub experiments: &'a [&'a str],
    pub labs: &'a [&'a str],
}

/// The state of one validation: the file, its text (repaired: node spans point into it), its lines as
/// written (for excerpts), the known experiments, and the problems found so far.
pub(super) struct Cx<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) lines: &'a Lines,
    pub(super) known: &'a Known<'a>,
    pub(super) diags: Gathered,
    /// How many problems were found (kept, counted or left unsaid): whether a card added one.
    pub(super) found: usize,
    /// What is found but not said ([`Unsaid`]).
    pub(super) unsaid: Unsaid,
    /// The deck's id once read (follow-ups without a deck name it).
    pub(super) deck_id: Option<DeckId>,
    /// Every follow-up written so far, checked once all cards are known.
    pub(super) follows: Vec<Follow>,
    /// The cards and tables written that did not validate.
    pub(super) unread: Unread,
}

/// One follow-up as written: from which card, to which, and where.
#[derive(Debug, Clone)]
pub(super) struct Follow {
    pub(super) from: CardId,
    pub(super) to: CardRef,
    pub(super) pos: Pos,
    pub(super) width: usize,
}

/// The cards of a deck file that failed to validate, by their ids as written, and the tables that did
/// (each stands for all its cells). A follow-up into one of them is not reported as unknown: the card's
/// own problems are, and one cause is reported once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unread {
    pub(super) cards: Vec<String>,
    pub(super) tables: Vec<String>,
}

impl Unread {
    /// Whether `card` (an id as a follow-up names it) is one of these cards or a cell of these tables.
    pub fn has(&self, card: &str) -> bool {
        self.cards.iter().any(|c| c == card)
            || card
                .split_once('/')
                .is_some_and(|(table, _)| self.tables.iter().any(|t| t == table))
    }
}

/// The problems a syntax repair makes that are not the author's: a key a blanked line took with it
/// ([`Lost`]), a key the cut left open (`open`), anything at or after the cut.
pub(super) struct Unsaid {
    pub(super) lost: Vec<Lost>,
    pub(super) open: Vec<Pos>,
    pub(super) cut: Option<u32>,
}

impl Unsaid {
    pub(super) fn covers(&self, pos: Option<Pos>) -> bool {
        self.lost.iter().any(|l| l.covers(pos))
            || pos.is_some_and(|p| self.open.contains(&p) || self.cut.is_some_and(|c| p.line >= c))
    }
}
