//! Replaying a card's review log through the scheduler, without fuzz: how `merge` and `repair` rebuild a
//! card's state from answers joined from elsewhere. Pure: the log comes in, each answer with the state it
//! was given before it and the final state come out; the commands read and write the store.
use super::review::Review;
use super::{CardState, ScheduleError, Scheduler, State};

/// One answer of a replayed log, in replay order.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed<'a> {
    /// The answer, with `state_before` and `elapsed_days` as the replay counted them.
    pub row: Review<&'a str>,
    /// The card's state before it (`None` while the card had none: new).
    pub before: Option<CardState>,
    /// Whether it is one of the answers being added (to be written), not one already in the log.
    pub added: bool,
}

/// Replays one card's answers, `(answer, added)`, in time order (an answer already in the log before an added
/// one at the same instant). Cram answers are kept in the log but change no state. Returns every answer with
/// its state before, and the card's final state (`None` when only cram answers were given).
pub fn replay<'a>(
    scheduler: &Scheduler,
    mut log: Vec<(Review<&'a str>, bool)>,
) -> Result<(Vec<Replayed<'a>>, Option<CardState>), ScheduleError> {
    log.sort_by_key(|(r, added)| (r.time, *added));
    let mut state: Option<CardState> = None;
    let mut out = Vec::with_capacity(log.len());
    for (mut row, added) in log {
        let before = state.clone();
        row.state_before = before.as_ref().map_or(State::New, |s| s.state);
        if !row.cram {
            let outcome = scheduler.outcome(
                &before.clone().unwrap_or_default(),
                row.rating,
                row.time,
                None,
            )?;
            row.elapsed_days = outcome.elapsed_days;
            state = Some(outcome.card);
        }
        out.push(Replayed { row, before, added });
    }
    Ok((out, state))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::schedule::{Rating, SchedulerConfig};

    fn row(time: &str, rating: Rating, cram: bool) -> Review<&'static str> {
        Review {
            id: 0,
            deck: "d",
            card: "c",
            time: time.parse().unwrap(),
            rating,
            state_before: State::Review,
            elapsed_days: 99,
            duration_ms: 1000,
            cram,
        }
    }

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default()).unwrap()
    }

    #[test]
    fn a_replay_equals_answering_in_time_order_without_fuzz() {
        let s = scheduler();
        let t = |x: &str| x.parse::<Timestamp>().unwrap();
        // Given out of order: the replay sorts by time.
        let log = vec![
            (row("2026-01-05T09:10:00Z", Rating::Good, false), true),
            (row("2026-01-05T09:00:00Z", Rating::Good, false), false),
            (row("2026-01-08T09:00:00Z", Rating::Again, false), true),
        ];
        let (rows, last) = replay(&s, log).unwrap();
        let first = s
            .outcome(
                &CardState::new(),
                Rating::Good,
                t("2026-01-05T09:00:00Z"),
                None,
            )
            .unwrap();
        let second = s
            .outcome(&first.card, Rating::Good, t("2026-01-05T09:10:00Z"), None)
            .unwrap();
        let third = s
            .outcome(&second.card, Rating::Again, t("2026-01-08T09:00:00Z"), None)
            .unwrap();
        assert_eq!(last, Some(third.card.clone()));
        let summary: Vec<_> = rows
            .iter()
            .map(|r| (r.row.time, r.row.state_before, r.row.elapsed_days, r.added))
            .collect();
        assert_eq!(
            summary,
            [
                (t("2026-01-05T09:00:00Z"), State::New, 0, false),
                (
                    t("2026-01-05T09:10:00Z"),
                    first.card.state,
                    second.elapsed_days,
                    true
                ),
                (
                    t("2026-01-08T09:00:00Z"),
                    second.card.state,
                    third.elapsed_days,
                    true
                ),
            ]
        );
        assert_eq!(rows[0].before, None);
        assert_eq!(rows[2].before, Some(second.card));
    }

    #[test]
    fn cram_answers_stay_in_the_log_and_change_no_state() {
        let s = scheduler();
        let log = vec![
            (row("2026-01-05T09:00:00Z", Rating::Good, false), false),
            (row("2026-01-05T09:05:00Z", Rating::Again, true), true),
        ];
        let (rows, last) = replay(&s, log).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].before, last);
        let only_cram = vec![(row("2026-01-05T09:05:00Z", Rating::Again, true), true)];
        let (rows, last) = replay(&s, only_cram).unwrap();
        assert_eq!((rows[0].before.clone(), last), (None, None));
    }

    #[test]
    fn an_answer_already_logged_comes_before_an_added_one_at_the_same_instant() {
        let s = scheduler();
        let log = vec![
            (row("2026-01-05T09:00:00Z", Rating::Again, false), true),
            (row("2026-01-05T09:00:00Z", Rating::Easy, false), false),
        ];
        let (rows, _) = replay(&s, log).unwrap();
        let order: Vec<_> = rows.iter().map(|r| (r.row.rating, r.added)).collect();
        assert_eq!(order, [(Rating::Easy, false), (Rating::Again, true)]);
        let easy = s
            .outcome(
                &CardState::new(),
                Rating::Easy,
                "2026-01-05T09:00:00Z".parse().unwrap(),
                None,
            )
            .unwrap();
        assert_eq!(rows[1].before, Some(easy.card));
    }
}
