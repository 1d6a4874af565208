//! The content words of a card's text, and when two words are forms of one word: what the lints (a question
//! giving its answer away) and the guesser (word overlap between a question and an option) both compare. Pure
//! string handling, below both so neither reaches into the other.

/// Short words that carry no answer.
const STOP_WORDS: [&str; 34] = [
    "about", "all", "and", "any", "are", "but", "can", "does", "each", "for", "from", "has",
    "have", "how", "into", "its", "not", "one", "only", "such", "that", "the", "their", "there",
    "this", "use", "used", "uses", "was", "what", "when", "which", "who", "with",
];

/// The words of `text` that can give an answer away: lower-case runs of letters and digits, of at least 3
/// characters (2 when they hold a digit, so `10,000` counts), without [`STOP_WORDS`].
pub(super) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| {
            let digits = w.chars().any(|c| c.is_ascii_digit());
            let long = w.chars().count() >= if digits { 2 } else { 3 };
            long && !STOP_WORDS.contains(&w.as_str())
        })
        .collect()
}

/// Whether two words are forms of one word: one starts with the other (`data`, `datagrams`), or they share
/// their first 5 characters (`connection`, `connectionless`).
pub(super) fn related(a: &str, b: &str) -> bool {
    let stem = |w: &str| w.chars().take(5).collect::<String>();
    a.starts_with(b) || b.starts_with(a) || (a.chars().count() >= 5 && stem(a) == stem(b))
}
