//! The line-based front end (`--plain`, and whenever there is no terminal): questions and feedback as plain
//! text on stdout, one answer per line from stdin, every prompt line ending in `> `. For scripts, screen
//! readers and tests. Text is wrapped at word boundaries only when given a width (`COLUMNS`, when stdout
//! is a terminal: see [`super::front`]); piped output is never wrapped.
use std::io::{BufRead, Write};

use super::{
    Answer, Command, GradeChoice, GradeReply, LabReply, NO_HINT, Offer, Picks, Reply, Style, Ui,
    UiError, read_command,
};
use crate::safe;
use crate::schedule::Rating;

/// The longest answer line kept, in bytes. A longer line (or endless input without a line break) is read
/// to its end and dropped, so memory stays bounded whatever comes in.
pub const MAX_LINE: usize = 64 * 1024;

/// Reads one line (through `\n`) into `out`, keeping at most [`MAX_LINE`] bytes. Returns the bytes consumed
/// (0 at end of input) and whether the line was longer than that.
fn read_line_capped(input: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let (mut consumed, mut cut) = (0, false);
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed, cut));
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(out.len());
        if take > room {
            cut = true;
        }
        out.extend_from_slice(&buf[..take.min(room)]);
        input.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, cut));
        }
    }
}

/// Plain front end over any reader and writer.
pub struct PlainUi<R, W> {
    input: R,
    out: W,
    /// Wrap text to this many columns (`None`: never).
    width: Option<usize>,
}

/// What one input line says before it is interpreted for a specific prompt.
enum Line {
    Text(String),
    Quit,
    Undo,
    Hint,
    Unreadable,
}

impl<R: BufRead, W: Write> PlainUi<R, W> {
    pub fn new(input: R, out: W) -> Self {
        Self {
            input,
            out,
            width: None,
        }
    }

    /// Wraps text at word boundaries to `width` columns (one short of it: a row as wide as the terminal
    /// would leave the cursor in the last column).
    pub fn with_width(mut self, width: Option<usize>) -> Self {
        self.width = width.map(|w| w.saturating_sub(1).max(20));
        self
    }

    /// `text` wrapped to the width, continuation rows indented by `indent`; as it is without a width.
    fn fit(&self, text: &str, indent: &str) -> String {
        match self.width {
            Some(width) => text
                .lines()
                .map(|line| textwrap::fill(line, super::menu::options(width, indent)))
                .collect::<Vec<_>>()
                .join("\n"),
            None => text.to_string(),
        }
    }

    /// Writes `text` and a newline, wrapped to the width.
    fn line(&mut self, text: &str, indent: &str) -> Result<(), UiError> {
        let text = self.fit(text, indent);
        writeln!(self.out, "{text}")?;
        Ok(())
    }

    /// Gives the writer back (tests read what was printed).
    pub fn into_inner(self) -> (R, W) {
        (self.input, self.out)
    }

    fn prompt(&mut self, label: &str) -> Result<Line, UiError> {
        // Wrapped without the space after `>`, which wrapping would trim.
        let label = self.fit(&format!("{}>", safe::line(label)), "");
        write!(self.out, "{label} ")?;
        self.out.flush()?;
        let mut bytes = Vec::new();
        let (n, cut) = read_line_capped(&mut self.input, &mut bytes)?;
        if n == 0 {
            // End of input ends the session; answers already given are kept.
            writeln!(self.out)?;
            return Ok(Line::Quit);
        }
        if cut {
            writeln!(
                self.out,
                "(that line was longer than {} KiB and was skipped)",
                MAX_LINE / 1024
            )?;
            return Ok(Line::Unreadable);
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(Line::Unreadable);
        };
        let text = text.trim_end_matches(['\n', '\r']);
        Ok(match read_command(text) {
            Command::Quit => Line::Quit,
            Command::Undo => Line::Undo,
            Command::Hint => Line::Hint,
            Command::Text(text) => Line::Text(text),
        })
    }

    fn remind(&mut self, what: &str) -> Result<(), UiError> {
        self.line(
            &format!("(could not read that: {what}; q quits, u undoes the last answer)"),
            "",
        )
    }

    /// Asks until a line parses with `parse`; special lines are returned as they are.
    fn ask<T>(
        &mut self,
        label: &str,
        expected: &str,
        hint_available: bool,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Answer<T> {
        loop {
            match self.prompt(label)? {
                Line::Quit => return Ok(Reply::Quit),
                Line::Undo => return Ok(Reply::Undo),
                Line::Hint if hint_available => return Ok(Reply::Hint),
                Line::Hint => writeln!(self.out, "{NO_HINT}")?,
                Line::Unreadable => self.remind(expected)?,
                Line::Text(text) => match parse(text.trim()) {
                    Some(value) => return Ok(Reply::Value(value)),
                    None => self.remind(expected)?,
                },
            }
        }
    }
}

fn extras(hint_available: bool) -> &'static str {
    if hint_available {
        ", ? hint, u undo, q quit"
    } else {
        ", u undo, q quit"
    }
}

/// Parses "2", "1,3", "1 3" or an option's exact text into 0-based indices. Option numbers come first, so
/// an option whose text is a number does not shadow that option number (issue 28): `"2"` in quotes picks
/// by text, and a number that is no option number (`80`) is tried as text.
pub fn parse_choice(line: &str, options: &[String], multi: bool) -> Option<Vec<usize>> {
    let quoted = line.strip_prefix('"').and_then(|l| l.strip_suffix('"'));
    let by_text = || {
        options
            .iter()
            .position(|o| o.trim().eq_ignore_ascii_case(quoted.unwrap_or(line)))
            .map(|i| vec![i])
    };
    if quoted.is_some() {
        return by_text();
    }
    by_numbers(line, options.len(), multi).or_else(by_text)
}

/// "2", "1,3" or "1 3" as 0-based indices of `count` options.
fn by_numbers(line: &str, count: usize, multi: bool) -> Option<Vec<usize>> {
    let mut picks = Vec::new();
    for part in line.split([',', ' ']).filter(|p| !p.is_empty()) {
        let n: usize = part.trim().parse().ok()?;
        if n == 0 || n > count {
            return None;
        }
        if !picks.contains(&(n - 1)) {
            picks.push(n - 1);
        }
    }
    if picks.is_empty() || (!multi && picks.len() > 1) {
        return None;
    }
    Some(picks)
}

/// Parses y/yes/true/t and n/no/false/f.
pub fn parse_bool(line: &str) -> Option<bool> {
    match line.to_lowercase().as_str() {
        "y" | "yes" | "true" | "t" => Some(true),
        "n" | "no" | "false" | "f" => Some(false),
        _ => None,
    }
}

impl<R: BufRead, W: Write> Ui for PlainUi<R, W> {
    fn say(&mut self, style: Style, text: &str) -> Result<(), UiError> {
        match self.width {
            // Secondary text holds live transcripts: their columns stay in place.
            Some(width) if style == Style::Dim => {
                for line in safe::block(text).lines() {
                    writeln!(self.out, "{}", super::menu::columns(line, width).join("\n"))?;
                }
                Ok(())
            }
            _ => self.line(&safe::block(text), ""),
        }
    }

    fn choose(&mut self, options: &[String], multi: bool, hint_available: bool) -> Answer<Picks> {
        for (i, option) in options.iter().enumerate() {
            self.line(&format!("  {}) {}", i + 1, safe::line(option)), "     ")?;
        }
        let label = if multi {
            format!(
                "answer (numbers separated by commas{})",
                extras(hint_available)
            )
        } else {
            format!("answer (1-{}{})", options.len(), extras(hint_available))
        };
        let expected = if multi {
            format!(
                "option numbers from 1 to {} separated by commas, or an option's text",
                options.len()
            )
        } else {
            format!(
                "an option number from 1 to {}, or the option's text",
                options.len()
            )
        };
        self.ask(&label, &expected, hint_available, |line| {
            parse_choice(line, options, multi).and_then(Picks::new)
        })
    }

    fn true_false(&mut self, hint_available: bool) -> Answer<bool> {
        let label = format!("true or false (y/n{})", extras(hint_available));
        self.ask(
            &label,
            "y, yes, true or t; n, no, false or f",
            hint_available,
            parse_bool,
        )
    }

    fn text(&mut self, hint_available: bool) -> Answer<String> {
        let label = format!("your answer (type it{})", extras(hint_available));
        self.ask(&label, "a non-empty answer", hint_available, |line| {
            (!line.is_empty()).then(|| line.to_string())
        })
    }

    fn proceed(&mut self, what: &str, hint_available: bool) -> Answer<()> {
        loop {
            match self.prompt(&format!("{what} (Enter; u undo, q quit)"))? {
                Line::Quit => return Ok(Reply::Quit),
                Line::Undo => return Ok(Reply::Undo),
                Line::Hint if hint_available => return Ok(Reply::Hint),
                Line::Hint => writeln!(self.out, "{NO_HINT}")?,
                Line::Text(_) | Line::Unreadable => return Ok(Reply::Value(())),
            }
        }
    }

    fn grade(
        &mut self,
        choices: &[GradeChoice],
        default: usize,
        offer: Offer,
    ) -> Result<GradeReply, UiError> {
        let Offer {
            claim,
            demo,
            suspend,
            undo,
        } = offer;
        let list: Vec<String> = choices
            .iter()
            .map(|c| format!("{} {}", c.rating.as_u8(), safe::line(&c.label)))
            .collect();
        let mut grades = format!("grades: {}", list.join(", "));
        if claim {
            grades.push_str("; r = I was right (grade it yourself)");
        }
        if demo {
            grades.push_str("; d = see it happen live (ungraded)");
        }
        self.line(&grades, "  ")?;
        let default_rating = choices.get(default).map(|c| c.rating);
        let label = format!(
            "grade (Enter = {}{}{}{}{}, q quit)",
            default_rating.map_or("", |r| r.as_str()),
            if claim { ", r I was right" } else { "" },
            if demo { ", d see it live" } else { "" },
            if suspend { ", s suspend" } else { "" },
            if undo { ", u undo" } else { "" },
        );
        let allowed: Vec<String> = choices
            .iter()
            .map(|c| format!("{} or {}", c.rating.as_u8(), c.rating.as_str()))
            .collect();
        let expected = format!("a grade: {}", allowed.join(", "));
        loop {
            match self.prompt(&label)? {
                Line::Quit => return Ok(GradeReply::Quit),
                Line::Undo if undo => return Ok(GradeReply::Undo),
                Line::Undo => self.remind(&expected)?,
                Line::Text(t) if t.trim().is_empty() => {
                    if let Some(r) = default_rating {
                        return Ok(GradeReply::Grade(r));
                    }
                }
                Line::Text(t) => {
                    let word = t.trim().to_lowercase();
                    if claim && matches!(word.as_str(), "r" | "right" | "i was right") {
                        return Ok(GradeReply::Claim);
                    }
                    if suspend && matches!(word.as_str(), "s" | "suspend") {
                        return Ok(GradeReply::Suspend);
                    }
                    if demo && matches!(word.as_str(), "d" | "demo") {
                        return Ok(GradeReply::Demo);
                    }
                    if let Ok(r) = word.parse::<Rating>()
                        && choices.iter().any(|c| c.rating == r)
                    {
                        return Ok(GradeReply::Grade(r));
                    }
                    self.remind(&expected)?;
                }
                Line::Hint | Line::Unreadable => self.remind(&expected)?,
            }
        }
    }

    fn confidence(&mut self) -> Result<Option<crate::store::Confidence>, UiError> {
        loop {
            match self.prompt(super::CONFIDENCE_PROMPT)? {
                Line::Text(t) if t.trim().is_empty() => return Ok(None),
                Line::Text(t) => match crate::store::Confidence::parse(&t) {
                    Some(c) => return Ok(Some(c)),
                    None => self.remind("s, t, g, or Enter to skip")?,
                },
                // `q` or the end of input: nothing said; the round goes on to its next prompt.
                Line::Quit => return Ok(None),
                Line::Undo | Line::Hint | Line::Unreadable => {
                    self.remind("s, t, g, or Enter to skip")?
                }
            }
        }
    }

    fn line(&mut self, label: &str) -> Result<String, UiError> {
        loop {
            return Ok(match self.prompt(label)? {
                Line::Text(t) => t.trim().to_owned(),
                Line::Quit => String::new(),
                Line::Undo | Line::Hint | Line::Unreadable => {
                    self.remind("a line, or Enter")?;
                    continue;
                }
            });
        }
    }

    fn lab_failed(&mut self, retry: bool) -> Result<LabReply, UiError> {
        let label = if retry {
            "r retry the check, g give up (recorded as Again), s skip (q quits)"
        } else {
            "no checks left: g give up (recorded as Again), s skip (q quits)"
        };
        loop {
            match self.prompt(label)? {
                Line::Quit => return Ok(LabReply::Quit),
                Line::Text(t) => match t.trim().to_lowercase().as_str() {
                    "r" | "retry" if retry => return Ok(LabReply::Retry),
                    "g" | "give up" => return Ok(LabReply::GiveUp),
                    "s" | "skip" => return Ok(LabReply::Skip),
                    _ => self.remind(if retry { "r, g or s" } else { "g or s" })?,
                },
                Line::Undo | Line::Hint | Line::Unreadable => {
                    self.remind(if retry { "r, g or s" } else { "g or s" })?
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<String> {
        vec!["0-65535".into(), "1-1024".into(), "0-32767".into()]
    }

    #[test]
    fn choice_lines() {
        assert_eq!(parse_choice("2", &opts(), false), Some(vec![1]));
        assert_eq!(parse_choice("1-1024", &opts(), false), Some(vec![1]));
        assert_eq!(parse_choice("1,3", &opts(), true), Some(vec![0, 2]));
        assert_eq!(parse_choice("1 3", &opts(), true), Some(vec![0, 2]));
        assert_eq!(parse_choice("1,3", &opts(), false), None);
        assert_eq!(parse_choice("4", &opts(), false), None);
        assert_eq!(parse_choice("0", &opts(), false), None);
        assert_eq!(parse_choice("x", &opts(), false), None);
        // An option whose text is a number does not shadow that option number; quoted, it is text.
        let numbers: Vec<String> = vec!["2".into(), "1".into(), "3".into()];
        assert_eq!(parse_choice("1", &numbers, false), Some(vec![0]));
        assert_eq!(parse_choice("\"1\"", &numbers, false), Some(vec![1]));
        let ports: Vec<String> = vec!["443".into(), "80".into()];
        assert_eq!(parse_choice("80", &ports, false), Some(vec![1]));
    }

    #[test]
    fn unreadable_line_gets_a_reminder_and_the_same_prompt() {
        let input: &[u8] = b"\xff\xfe\nmaybe\ny\n";
        let mut ui = PlainUi::new(input, Vec::new());
        assert_eq!(ui.true_false(false).unwrap(), Reply::Value(true));
        let (_, out) = ui.into_inner();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "true or false (y/n, u undo, q quit)> (could not read that: y, yes, true or t; n, no, false or f; q quits, u undoes the last answer)\n\
             true or false (y/n, u undo, q quit)> (could not read that: y, yes, true or t; n, no, false or f; q quits, u undoes the last answer)\n\
             true or false (y/n, u undo, q quit)> "
        );
    }

    #[test]
    fn a_line_longer_than_the_cap_is_skipped_with_a_notice_and_memory_stays_bounded() {
        let mut input = vec![b'x'; 3 * MAX_LINE];
        input.extend_from_slice(b"\ny\n");
        let mut ui = PlainUi::new(&input[..], Vec::new());
        assert_eq!(ui.true_false(false).unwrap(), Reply::Value(true));
        let (_, out) = ui.into_inner();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "true or false (y/n, u undo, q quit)> (that line was longer than 64 KiB and was skipped)\n\
             (could not read that: y, yes, true or t; n, no, false or f; q quits, u undoes the last answer)\n\
             true or false (y/n, u undo, q quit)> "
        );
        let mut kept = Vec::new();
        let endless = vec![b'z'; 10 * MAX_LINE];
        assert_eq!(
            read_line_capped(&mut &endless[..], &mut kept).unwrap(),
            (10 * MAX_LINE, true)
        );
        assert_eq!(kept.len(), MAX_LINE);
    }

    #[test]
    fn end_of_input_quits() {
        let input: &[u8] = b"";
        let mut ui = PlainUi::new(input, Vec::new());
        assert_eq!(ui.text(true).unwrap(), Reply::Quit);
    }
}
