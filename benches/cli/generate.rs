//! The synthetic library: deck YAML files in a realistic mix of card types, and a review log with card
//! states computed by portquiz's own scheduler and written through its own store. Deterministic: the same
//! size always gives the same bytes (a fixed seed and a fixed "now").
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use jiff::{SignedDuration, Timestamp};
use portquiz::deck::CardRef;
use portquiz::review::Review;
use portquiz::schedule::{CardState, Rating, Scheduler, SchedulerConfig};
use portquiz::store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The instant every benchmarked process sees (`PORTQUIZ_NOW`).
pub const NOW: &str = "2026-06-01T09:00:00Z";

/// How large a library to generate.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub cards: usize,
    pub reviews: usize,
    pub decks: usize,
}

/// What the study driver needs to answer a card right: one line per card in `answers.tsv`.
enum Key {
    /// The right options' texts.
    Choice(Vec<String>),
    TrueFalse(bool),
    /// An accepted answer.
    Typed(String),
    Flashcard,
}

const WORDS: &[&str] = &[
    "socket",
    "port",
    "listener",
    "client",
    "server",
    "kernel",
    "backlog",
    "handshake",
    "segment",
    "datagram",
    "loopback",
    "address",
    "interface",
    "stream",
    "buffer",
    "window",
    "timeout",
    "connection",
    "tuple",
    "ephemeral",
    "privileged",
    "wildcard",
    "binding",
    "accept",
    "connect",
    "reset",
    "retransmit",
    "checksum",
    "header",
    "payload",
    "firewall",
    "gateway",
    "router",
    "resolver",
    "proxy",
    "tunnel",
    "session",
    "keepalive",
    "multiplexing",
    "congestion",
    "latency",
    "throughput",
    "descriptor",
    "epoll",
    "nonblocking",
    "readiness",
    "upgrade",
    "frame",
    "certificate",
    "handshaking",
    "protocol",
    "transport",
    "network",
    "packet",
    "fragment",
    "namespace",
    "container",
    "service",
    "daemon",
    "registry",
];

fn words(rng: &mut StdRng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    out
}

fn sentence(rng: &mut StdRng, n: usize, end: char) -> String {
    let mut s = words(rng, n);
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push(end);
    s
}

/// One deck file's text, and the answer key of each of its cards (`card id`, key).
fn deck_text(rng: &mut StdRng, index: usize, cards: usize) -> (String, String, Vec<(String, Key)>) {
    let id = format!("bench-{index:03}");
    let mut keys = Vec::with_capacity(cards);
    let mut y = String::with_capacity(cards * 360);
    // Small decks (the 10,000-file folder) have no table: a table alone is 20 cards.
    let (rows, columns) = if cards >= 40 {
        (5usize, 4usize)
    } else {
        (0, 0)
    };
    let plain = cards.saturating_sub(rows * columns);
    let _ = writeln!(
        y,
        "# Synthetic deck {index} for the portquiz benchmark harness."
    );
    let _ = writeln!(y, "format: 1\nid: {id}\ntitle: \"Benchmark deck {index}\"");
    let _ = writeln!(y, "description: \"{}\"", sentence(rng, 9, '.'));
    let _ = writeln!(y, "tags: [bench, topic-{}]\ncards:", index % 7);
    for i in 0..plain {
        let card = format!("c-{i:05}");
        let prompt = sentence(rng, 6, '?');
        let explain = sentence(rng, 7, '.');
        let _ = writeln!(y, "  - id: {card}");
        let key = match i % 10 {
            0..=2 => {
                let _ = writeln!(
                    y,
                    "    type: choice\n    prompt: \"{prompt}\"\n    options:"
                );
                let n = 4;
                let texts: Vec<String> = (0..n).map(|o| format!("{} {o}", words(rng, 3))).collect();
                for (o, text) in texts.iter().enumerate() {
                    if o == 0 || o == 1 && i % 20 == 1 {
                        let _ = writeln!(y, "      - \"{text}\"");
                    } else {
                        let _ = writeln!(
                            y,
                            "      - text: \"{text}\"\n        why: \"{}\"",
                            sentence(rng, 4, '.')
                        );
                    }
                }
                if i % 20 == 1 {
                    let _ = writeln!(y, "    answer: [\"{}\", \"{}\"]", texts[0], texts[1]);
                    Key::Choice(vec![texts[0].clone(), texts[1].clone()])
                } else {
                    let _ = writeln!(y, "    answer: \"{}\"", texts[0]);
                    Key::Choice(vec![texts[0].clone()])
                }
            }
            3 | 4 => {
                let answer = rng.random_bool(0.5);
                let _ = writeln!(
                    y,
                    "    type: truefalse\n    prompt: \"{}\"\n    answer: {answer}",
                    sentence(rng, 9, '.')
                );
                Key::TrueFalse(answer)
            }
            5 | 6 => {
                let port = rng.random_range(1024..65535u32);
                let _ = writeln!(
                    y,
                    "    type: typed\n    prompt: \"{prompt}\"\n    accept: [\"{port}\", \"port {port}\", \"{port}/tcp\"]\n    answer: \"{port}\""
                );
                Key::Typed(port.to_string())
            }
            7 => {
                let (a, b, c) = (words(rng, 1), words(rng, 1), words(rng, 1));
                let answer = format!("The {a} and its {b} decide the {c}");
                let _ = writeln!(
                    y,
                    "    type: typed\n    prompt: \"{prompt}\"\n    keywords: [{a}, [{b}, {b}s], {c}]\n    answer: \"{answer}\""
                );
                Key::Typed(answer)
            }
            _ => {
                let _ = writeln!(
                    y,
                    "    type: flashcard\n    prompt: \"{prompt}\"\n    answer: \"{}\"",
                    sentence(rng, 7, '.')
                );
                Key::Flashcard
            }
        };
        let _ = writeln!(y, "    explain: \"{explain}\"");
        if i % 3 == 0 {
            let _ = writeln!(y, "    hint: \"{}\"", sentence(rng, 5, '.'));
        }
        let _ = writeln!(y, "    tags: [t{}]", i % 5);
        keys.push((card, key));
    }
    if rows == 0 {
        return (id, y, keys);
    }
    let table = format!("table-{index:03}");
    let column_names: Vec<String> = (0..columns).map(|c| format!("Column {c}")).collect();
    let _ = writeln!(
        y,
        "tables:\n  - id: {table}\n    title: \"Comparison {index}\"\n    columns: [{}]\n    rows:",
        column_names.join(", ")
    );
    for r in 0..rows {
        let aspect = format!("Aspect {r}");
        let values: Vec<String> = (0..columns)
            .map(|c| format!("{} r{r}c{c}", words(rng, 2)))
            .collect();
        let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let _ = writeln!(
            y,
            "      - aspect: \"{aspect}\"\n        values: [{}]",
            quoted.join(", ")
        );
        let _ = writeln!(y, "        explain: \"{}\"", sentence(rng, 10, '.'));
        for (c, value) in values.into_iter().enumerate() {
            let card = format!(
                "{table}/{}/{}",
                portquiz::deck::slug(&aspect),
                portquiz::deck::slug(&column_names[c])
            );
            keys.push((card, Key::Choice(vec![value])));
        }
    }
    (id, y, keys)
}

/// Writes `<dir>/data/decks/*.yaml`, `<dir>/data/portquiz.sqlite3` and `<dir>/answers.tsv`. Returns the
/// total size of the deck files in bytes.
pub fn generate(dir: &Path, size: Size) -> Result<u64> {
    let decks_dir = dir.join("data").join("decks");
    std::fs::create_dir_all(&decks_dir)
        .with_context(|| format!("create {}", decks_dir.display()))?;
    let mut rng = StdRng::seed_from_u64(6);
    let per_deck = size.cards / size.decks;
    let mut all: Vec<CardRef> = Vec::with_capacity(size.cards);
    let mut answers = String::new();
    let mut bytes = 0u64;
    for d in 0..size.decks {
        let (deck, text, keys) = deck_text(&mut rng, d, per_deck);
        bytes += text.len() as u64;
        std::fs::write(decks_dir.join(format!("{deck}.yaml")), &text)?;
        for (card, key) in keys {
            let (kind, payload) = match key {
                Key::Choice(texts) => ("choice", texts.join("\u{1f}")),
                Key::TrueFalse(b) => ("truefalse", if b { "y" } else { "n" }.to_string()),
                Key::Typed(t) => ("typed", t),
                Key::Flashcard => ("flashcard", String::new()),
            };
            let _ = writeln!(answers, "{deck}/{card}\t{kind}\t{payload}");
            all.push(CardRef::parse(&deck, &card)?);
        }
    }
    std::fs::write(dir.join("answers.tsv"), answers)?;
    if size.reviews == 0 {
        return Ok(bytes);
    }
    write_reviews(
        &dir.join("data").join("portquiz.sqlite3"),
        &all,
        size.reviews,
        &mut rng,
    )?;
    Ok(bytes)
}

/// Plays `reviews` answers over the past year on 80% of the cards, with portquiz's scheduler, and imports
/// them in time order (as a year of sessions would have appended them) with the final card states through
/// [`Store::import_reviews`], 20,000 rows per transaction.
fn write_reviews(db: &Path, cards: &[CardRef], reviews: usize, rng: &mut StdRng) -> Result<()> {
    let now: Timestamp = NOW.parse()?;
    let scheduler = Scheduler::new(SchedulerConfig::default())?;
    let reviewed = (cards.len() * 4 / 5).max(1);
    let mut log: Vec<(Review, Option<CardState>)> = Vec::with_capacity(reviews);
    let mut states: Vec<(CardRef, CardState)> = Vec::with_capacity(reviewed);
    for (i, key) in cards.iter().take(reviewed).enumerate() {
        let n = reviews / reviewed + usize::from(i < reviews % reviewed);
        let start_secs = rng.random_range(30 * 86_400..365 * 86_400i64);
        let mut t = now - SignedDuration::from_secs(start_secs);
        let mut state = CardState::new();
        for k in 0..n {
            let rating = match rng.random_range(0..100u32) {
                0..=9 => Rating::Again,
                10..=19 => Rating::Hard,
                20..=89 => Rating::Good,
                _ => Rating::Easy,
            };
            let outcome = scheduler.answer(&state, rating, t, rng)?;
            let before = (k > 0).then(|| state.clone());
            log.push((
                Review {
                    id: 0,
                    deck: key.deck.to_string(),
                    card: key.card.to_string(),
                    time: t,
                    rating,
                    state_before: state.state,
                    elapsed_days: outcome.elapsed_days,
                    duration_ms: rng.random_range(2_000..25_000u64),
                    cram: false,
                },
                before,
            ));
            state = outcome.card;
            let left = (n - k - 1) as i64;
            if left > 0 {
                // Review when due, but early enough that every review of this card fits before `now`.
                let room = (now - t).as_secs() / (left + 1);
                let latest = t + SignedDuration::from_secs(room.max(60));
                let due = state.due.unwrap_or(latest);
                t = due.min(latest).max(t + SignedDuration::from_secs(60));
            }
        }
        states.push((key.clone(), state));
    }
    log.sort_by_key(|(r, _)| r.time);
    let mut store = Store::open(db)?;
    let mut chunks = log.chunks(20_000).peekable();
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        store.import_reviews(chunk, if last { &states } else { &[] })?;
    }
    Ok(())
}

/// Entry point of the generator child process: `<dir> <cards> <reviews> <decks>` in `PQBENCH_GENERATE`.
/// Runs in its own process so the harness stays small: a child's peak memory (`ru_maxrss`) starts from
/// the size of the process that spawned it.
pub fn child_main(spec: &str) -> Result<()> {
    let parts: Vec<&str> = spec.split('\t').collect();
    let [dir, cards, reviews, decks] = parts[..] else {
        anyhow::bail!("PQBENCH_GENERATE must be dir\\tcards\\treviews\\tdecks, got {spec:?}");
    };
    let size = Size {
        cards: cards.parse()?,
        reviews: reviews.parse()?,
        decks: decks.parse()?,
    };
    let bytes = generate(Path::new(dir), size)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{bytes}")?;
    Ok(())
}
