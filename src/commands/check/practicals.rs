//! `portquiz check --practicals`: runs every experiment the decks use and reports any that cannot run here.
use std::collections::BTreeSet;

use anyhow::Result;

use crate::deck::{CardKind, Deck};
use crate::env::{Env, Exit};
use crate::practical::{self, Outcome};

/// Runs the experiments used by `decks` and prepares their labs; returns 1 if any experiment errored.
/// An experiment that is not available on this machine is reported but is not an error.
pub fn check(_env: &Env, decks: &[Deck]) -> Result<Exit> {
    let mut experiments = BTreeSet::new();
    let mut labs = BTreeSet::new();
    for card in decks.iter().flat_map(|d| &d.cards) {
        match &card.kind {
            CardKind::Practical { experiment } => {
                experiments.insert(experiment.as_str());
            }
            CardKind::Lab { experiment, .. } => {
                labs.insert(experiment.as_str());
            }
            _ => {}
        }
    }
    let environment = practical::Environment::detect();
    let (mut ok, mut unavailable, mut errored) = (0, 0, 0);
    for id in &experiments {
        let Some(experiment) = practical::find(id) else {
            continue;
        };
        match practical::run(experiment, &environment) {
            Outcome::Observed(obs) => {
                ok += 1;
                crate::outln!("ok           {id}: {}", obs.conclusion)?;
            }
            // A reason or message may name a temporary path (TMPDIR): shown safe.
            Outcome::Unavailable { reason } => {
                unavailable += 1;
                crate::outln!(
                    "unavailable  {id}: not available here: {}",
                    crate::safe::line(&reason)
                )?;
            }
            Outcome::Errored { message } => {
                errored += 1;
                crate::outln!("ERROR        {id}: {}", crate::safe::line(&message))?;
            }
        }
    }
    for id in &labs {
        let Some(lab) = practical::find(id) else {
            continue;
        };
        match practical::prepare_lab(lab, &environment) {
            Ok(setup) => {
                ok += 1;
                drop(setup);
                crate::outln!("ok           {id}: the lab can be set up here")?;
            }
            Err(reason) => {
                unavailable += 1;
                crate::outln!(
                    "unavailable  {id}: not available here: {}",
                    crate::safe::line(&reason)
                )?;
            }
        }
    }
    crate::outln!("practicals: {ok} ok, {unavailable} not available here, {errored} errored")?;
    Ok(if errored > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    })
}
