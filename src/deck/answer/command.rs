//! Answers that are a shell command: split as a shell would (`shlex`: quotes, `'cap_net_bind_service=+ep'`), a
//! leading `sudo` or `$ ` dropped, then compared as the program, its set of flags (`-tlpn` = `-plnt` = `-l -t
//! -n -p`, long options by their short alias), the values of flags that take one (`lsof -i :8080` =
//! `-i:8080`), and its other arguments in order (`key = 1` read as `key=1`). A few flags do not change what a
//! command shows (`lsof -n -P`, `sysctl -w` before `key=value`). Missing flags are wrong; extra flags make the
//! answer close (`ss -tlnpa`).

use super::outcome::{Outcome, Verdict};

/// Long options and the short flag they mean, per program.
const LONG: [(&str, &str, char); 10] = [
    ("ss", "listening", 'l'),
    ("ss", "tcp", 't'),
    ("ss", "udp", 'u'),
    ("ss", "numeric", 'n'),
    ("ss", "processes", 'p'),
    ("ss", "all", 'a'),
    ("sysctl", "write", 'w'),
    ("prlimit", "nofile", 'n'),
    ("ulimit", "all", 'a'),
    ("netstat", "listening", 'l'),
];

/// Flags that take a value, per program.
const VALUED: [(&str, char); 4] = [("lsof", 'i'), ("lsof", 'p'), ("lsof", 'u'), ("lsof", 'c')];

/// Flags that do not change the answer, per program.
const IGNORED: [(&str, char); 3] = [("lsof", 'n'), ("lsof", 'P'), ("sysctl", 'w')];

/// A command as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Command {
    program: String,
    flags: Vec<char>,
    values: Vec<(char, String)>,
    args: Vec<String>,
}

impl Command {
    /// Reads `text` as a command; `None` when it does not split as one.
    pub(super) fn parse(text: &str) -> Option<Command> {
        let mut text = text.trim().trim_end_matches(['.', ';']).trim();
        text = text.strip_prefix("$ ").unwrap_or(text);
        let joined = text.replace(" = ", "=");
        let mut words = shlex::split(&joined)?.into_iter();
        let mut program = words.next()?;
        if program == "sudo" {
            program = words.next()?;
        }
        let program = program.rsplit('/').next().unwrap_or(&program).to_string();
        let valued = |c: char| VALUED.contains(&(program.as_str(), c));
        let ignored = |c: char| IGNORED.contains(&(program.as_str(), c));
        let (mut flags, mut values, mut args) = (Vec::new(), Vec::new(), Vec::new());
        let rest: Vec<String> = words.collect();
        let mut i = 0;
        while i < rest.len() {
            let word = &rest[i];
            i += 1;
            if let Some(long) = word.strip_prefix("--") {
                let short = LONG
                    .iter()
                    .find(|(p, l, _)| *p == program && *l == long)
                    .map(|&(_, _, s)| s);
                match short {
                    Some(s) if !ignored(s) => flags.push(s),
                    Some(_) => {}
                    None => args.push(word.to_lowercase()),
                }
            } else if let Some(short) = word.strip_prefix('-').filter(|s| !s.is_empty()) {
                for (k, c) in short.char_indices() {
                    if valued(c) {
                        let inline = &short[k + c.len_utf8()..];
                        let value = if inline.is_empty() {
                            let next = rest.get(i).cloned().unwrap_or_default();
                            i += 1;
                            next
                        } else {
                            inline.to_string()
                        };
                        values.push((c, value.to_lowercase()));
                        break;
                    }
                    if !ignored(c) {
                        flags.push(c);
                    }
                }
            } else {
                args.push(word.replace("$$", "self"));
            }
        }
        flags.sort_unstable();
        flags.dedup();
        values.sort();
        Some(Command {
            program,
            flags,
            values,
            args,
        })
    }

    /// Whether an accepted answer reads as a command: a lower-case program and arguments with a flag, a path
    /// or a `key=value`.
    pub(super) fn looks_like(accepted: &str) -> bool {
        let words: Vec<&str> = accepted.split_whitespace().collect();
        let words = match words.first() {
            Some(&"sudo") => &words[1..],
            _ => &words[..],
        };
        words.len() >= 2
            && words[0]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && words[1..]
                .iter()
                .any(|w| w.starts_with('-') || w.starts_with('/') || w.contains('='))
    }

    /// `I'd use ss -tlnp`, `run ss -tlnp`: the command starts at this program when a few plain words come
    /// before it.
    fn starting_at_program<'a>(&self, text: &'a str) -> &'a str {
        let first = text.split_whitespace().next().unwrap_or_default();
        if first == self.program || first == "sudo" {
            return text;
        }
        let mut offset = 0;
        for (n, word) in text.split_whitespace().enumerate().take(5) {
            let at = text[offset..].find(word).map_or(offset, |i| offset + i);
            if word == self.program || (word == "sudo" && n > 0) {
                return &text[at..];
            }
            if word.starts_with(['-', '/']) || word.contains('=') {
                break;
            }
            offset = at + word.len();
        }
        text
    }

    /// Judges `input` against this accepted command.
    pub(super) fn judge(&self, input: &str) -> Outcome {
        // An explanation in parentheses is not part of the command; `(or ulimit -a)` is another answer,
        // which must be right too.
        let input = input.trim().trim_matches('`');
        let (command, note) = match input.find(" (") {
            Some(i) => (&input[..i], Some(input[i + 2..].trim_end_matches(')'))),
            None => (input, None),
        };
        // A comment after the command is not part of it: `ss -tlnp, needs root`, `ss -tlnp # as root`.
        let command = [", ", "; ", " # ", " - ", " -- "]
            .iter()
            .filter_map(|sep| command.find(sep))
            .min()
            .map_or(command, |i| &command[..i]);
        let command = self.starting_at_program(command);
        if let Some(other) = note.and_then(|n| n.trim().strip_prefix("or ")) {
            let also = Command::parse(other).is_some_and(|c| c.program == self.program);
            if !also {
                return Outcome::wrong();
            }
        }
        let Some(answer) = Command::parse(command) else {
            return Outcome::wrong();
        };
        if answer.program != self.program
            || answer.values != self.values
            || answer.args != self.args
        {
            return Outcome::wrong();
        }
        if self.flags.iter().any(|f| !answer.flags.contains(f)) {
            return Outcome::wrong();
        }
        let extra: Vec<String> = answer
            .flags
            .iter()
            .filter(|f| !self.flags.contains(f))
            .map(|f| format!("-{f}"))
            .collect();
        if extra.is_empty() {
            Outcome::of(Verdict::Right)
        } else {
            let flags: String = self.flags.iter().collect();
            let shown = if flags.is_empty() {
                self.program.clone()
            } else {
                format!("{} -{flags}", self.program)
            };
            Outcome::close(vec![shown], extra)
        }
    }
}
