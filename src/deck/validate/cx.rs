//! What every part of a deck's check shares: the state of one validation ([`Cx`], whose methods the files
//! of each concern add) and what it collects on the way.
use crate::deck::diag::{Diagnostic, Lines};
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
    pub(super) diags: Vec<Diagnostic>,
    /// The deck's id once read (follow-ups without a deck name it).
    pub(super) deck_id: Option<DeckId>,
    /// Every follow-up written so far, checked once all cards are known.
    pub(super) follows: Vec<Follow>,
}

/// One follow-up as written: from which card, to which, and where.
#[derive(Debug, Clone)]
pub(super) struct Follow {
    pub(super) from: CardId,
    pub(super) to: CardRef,
    pub(super) pos: Pos,
    pub(super) width: usize,
}
