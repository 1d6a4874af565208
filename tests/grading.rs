//! Typed answers graded as an interviewer would (issue 13): the realistic answers in `tests/grading/answers.txt`,
//! each labelled right or wrong, are typed into the shipped typed cards through one `portquiz study --plain`
//! session, and at least 90% must get the labelled verdict. A card with several answers is answered, its verdict
//! read, and the answer undone at the grade prompt, so the card comes back for the next one. An explanation card
//! hands the grade to the candidate with a suggestion: it must not suggest the opposite of the label, and no
//! wrong answer may be called right (or suggested Good) anywhere.
use std::collections::{HashMap, VecDeque};

use portquiz::deck::CardKind;

use crate::support::{PlainDriver, Sandbox, answer_line, card_index, current_card, routine_reply};

const CORPUS: &str = include_str!("grading/answers.txt");

/// One labelled answer: whether an interviewer calls it right, the `deck/card` it answers, the text typed.
#[derive(Debug)]
struct Case {
    right: bool,
    card: String,
    text: String,
}

fn corpus() -> Vec<Case> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut parts = line.splitn(3, " | ");
            let (label, card, text) = (parts.next(), parts.next(), parts.next());
            let (Some(label), Some(card), Some(text)) = (label, card, text) else {
                panic!("answers.txt: `right|wrong | deck/card | answer` expected, found {line:?}");
            };
            let right = match label {
                "right" => true,
                "wrong" => false,
                _ => panic!("answers.txt: the label is `right` or `wrong`, found {line:?}"),
            };
            // The examples are marked in the file; the mark is not part of the answer.
            let text = text.trim_end_matches(" (issue)").to_string();
            Case {
                right,
                card: card.to_string(),
                text,
            }
        })
        .collect()
}

/// What the session made of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A fact card's verdict: right or wrong.
    Judged(bool),
    /// An explanation card hands the grade to the candidate, suggesting one (`again`, `hard` or `good`).
    Suggested(&'static str),
}

impl Verdict {
    /// Read from the screen after the answer: a fact card's verdict line, or an explanation's suggested grade
    /// (the grade prompt's `Enter = ...`).
    fn read(screen: &str) -> Verdict {
        let first = screen
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        if !first.starts_with("A model answer:") {
            return Verdict::Judged(first.starts_with("Right"));
        }
        let suggested = ["again", "hard", "good", "easy"]
            .into_iter()
            .find(|g| screen.contains(&format!("(Enter = {g},")));
        Verdict::Suggested(suggested.unwrap_or_else(|| panic!("no suggested grade:\n{screen}")))
    }

    /// Whether this is what an interviewer would say of an answer they call `right`: the same verdict, or,
    /// on an explanation, a suggestion that is not the opposite (`hard` leaves it to the candidate).
    fn agrees(self, right: bool) -> bool {
        match self {
            Verdict::Judged(said) => said == right,
            Verdict::Suggested(grade) if right => grade != "again",
            Verdict::Suggested(grade) => grade == "again" || grade == "hard",
        }
    }
}

#[test]
fn typed_answers_get_an_interviewers_verdict() {
    let cases = corpus();
    let cards = card_index(&[]);
    assert!(
        cases.len() >= 85,
        "only {} answers in the corpus",
        cases.len()
    );
    let mut queue: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, case) in cases.iter().enumerate() {
        let card = cards.get(&case.card);
        assert!(
            card.is_some_and(|c| matches!(c.kind, CardKind::Typed { .. })),
            "answers.txt names {}, which is not a shipped typed card",
            case.card
        );
        queue.entry(case.card.as_str()).or_default().push_back(i);
    }
    let mut decks: Vec<&str> = cases
        .iter()
        .filter_map(|c| c.card.split('/').next())
        .collect();
    decks.sort_unstable();
    decks.dedup();

    let sandbox = Sandbox::new();
    let mut args = crate::support::WALK.to_vec();
    for deck in &decks {
        args.extend(["--deck", deck]);
    }
    let mut cmd = sandbox.cmd(&args);
    cmd.env("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")
        .env("TZ", "UTC");
    let mut driver = PlainDriver::spawn(cmd);
    let mut verdicts: Vec<Option<Verdict>> = vec![None; cases.len()];
    // The case just typed, and its card: the next screen opens with its verdict, then the grade prompt.
    let mut pending: Option<(usize, String)> = None;
    while let Some(screen) = driver.next_prompt_within(20 * cards.len()) {
        if let Some((case, card)) = pending.take() {
            verdicts[case] = Some(Verdict::read(&screen));
            // Undo at the grade prompt brings the card back for its next answer.
            let more = queue.get(card.as_str()).is_some_and(|q| !q.is_empty());
            if more && routine_reply(&screen) == Some("") {
                driver.answer("u");
                continue;
            }
        }
        if let Some(reply) = routine_reply(&screen) {
            driver.answer(reply);
            continue;
        }
        if queue.values().all(VecDeque::is_empty) {
            driver.answer("q");
            continue;
        }
        let id = current_card(&screen).expect("card header");
        let card = &cards[&id];
        let next = queue.get_mut(id.as_str()).and_then(VecDeque::pop_front);
        let line = match (&card.kind, next) {
            (CardKind::Typed { .. }, Some(case)) => {
                pending = Some((case, id.clone()));
                cases[case].text.clone()
            }
            (CardKind::Practical { .. }, _) => "1".to_string(),
            _ => answer_line(card, &screen, true),
        };
        driver.answer(&line);
    }
    let run = driver.finish();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let mut misjudged = Vec::new();
    let mut wrong_called_right = Vec::new();
    let mut handed_over = Vec::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        let verdict = verdict.unwrap_or_else(|| panic!("{case:?} was never asked"));
        let label = if case.right { "right" } else { "wrong" };
        let line = format!(
            "{}: {:?} is {label}, portquiz: {verdict:?}",
            case.card, case.text
        );
        if matches!(verdict, Verdict::Suggested(_)) {
            handed_over.push(line.clone());
        }
        if !verdict.agrees(case.right) {
            misjudged.push(line.clone());
        }
        if !case.right
            && matches!(
                verdict,
                Verdict::Judged(true) | Verdict::Suggested("good" | "easy")
            )
        {
            wrong_called_right.push(line);
        }
    }
    let good = cases.len() - misjudged.len();
    let report = format!(
        "{good} of {} typed answers got the right verdict; misjudged:\n{}\nhanded to the candidate (explanation cards):\n{}\n",
        cases.len(),
        misjudged.join("\n"),
        handed_over.join("\n")
    );
    {
        use std::io::Write;
        // Straight to the stream: the harness hides what a passing test prints with `eprintln!`.
        let _ = std::io::stderr().write_all(report.as_bytes());
    }
    assert!(good * 10 >= cases.len() * 9, "{report}");
    assert!(
        wrong_called_right.is_empty(),
        "wrong answers called right:\n{}",
        wrong_called_right.join("\n")
    );
}

/// An ordered card says "(in order)" when its prompt does not, calls the reversed handshake wrong (naming the
/// group it did not find in order) and the right order right.
#[test]
fn an_ordered_card_says_so_and_refuses_the_reversed_order() {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("order.yaml");
    std::fs::write(
        &deck,
        "format: 1\nid: order\ntitle: Order\ncards:\n  - id: handshake\n    type: typed\n    prompt: Name the segments of the TCP handshake.\n    accept: [\"SYN, SYN-ACK, ACK\"]\n    keywords: [syn, [syn-ack, synack], ack]\n    ordered: true\n    answer: SYN, SYN-ACK, ACK\n",
    )
    .unwrap();
    let deck = deck.to_string_lossy().into_owned();
    let run = sandbox.run_with_input(
        &["study", "--plain", "--deck", &deck, "--deck", "order"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")],
        "ACK, SYN-ACK, SYN\n\nSYN, SYN/ACK, ACK\n\nq\n",
    );
    assert_eq!(
        run.stdout,
        "1 card to study now: 0 learning, 0 to review, 1 new.

[0 done · 1 left] order/handshake · typed · new
Name the segments of the TCP handshake. (in order)
your answer (type it, u undo, q quit)> Not quite. A model answer: SYN, SYN-ACK, ACK
Missing: syn-ack / synack
grades: 1 Again (next in 1m); r = I was right (grade it yourself)
grade (Enter = again, r I was right, s suspend, u undo, q quit)> (recorded as Again)

[1 done · 1 left] order/handshake · typed
(due in 1m, shown now: nothing else is due)
Name the segments of the TCP handshake. (in order)
your answer (type it, u undo, q quit)> Right. A model answer: SYN, SYN-ACK, ACK
grades: 2 Hard  (next in 6m), 3 Good  (next in 10m), 4 Easy  (next in 1d)
grade (Enter = good, s suspend, u undo, q quit)> 
[2 done · 1 left] order/handshake · typed
(due in 10m, shown now: nothing else is due)
Name the segments of the TCP handshake. (in order)
your answer (type it, u undo, q quit)> 
Session over: 2 answered: 1 right, 1 wrong; 0 new cards learned, in 0 s.
1 card still to study now: portquiz study goes on.
"
    );
}
