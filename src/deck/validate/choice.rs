//! Choice cards: the options (plain text or `{text, why}`; 2 to 8, all different) and the answer(s), which
//! must name options.
use super::cx::Cx;
use super::fields::Fields;
use crate::deck::diag::suggest;
use crate::deck::model::{CardKind, ChoiceOption, fold};
use crate::deck::yaml::{Node, Pos, Value};

pub(super) const OPTION_KEYS: [&str; 2] = ["text", "why"];
const MAX_OPTIONS: usize = 8;

impl Cx<'_> {
    pub(super) fn choice(&mut self, fields: &Fields) -> Option<CardKind> {
        let Some(options_node) = fields.get("options") else {
            self.missing(
                fields,
                "options",
                "this choice card",
                "[first, second, third]",
            );
            let _ = self.req_text(fields, "answer", "this choice card", "first");
            return None;
        };
        let Value::Seq(items) = &options_node.value else {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "`options` must be a list, found {}",
                        options_node.value.kind()
                    ),
                )
                .help("write the options as a list, e.g. options: [\"0-65535\", \"1-1024\"]");
            self.push(d);
            return None;
        };
        let mut options: Vec<ChoiceOption> = Vec::new();
        let mut positions: Vec<Pos> = Vec::new();
        let mut ok = true;
        for item in items {
            let option = match &item.value {
                Value::Map(_) => {
                    let Some(f) = self.fields(item, "an option", &OPTION_KEYS, &|_| None) else {
                        ok = false;
                        continue;
                    };
                    let text = self.req_text(&f, "text", "this option", "The option's text");
                    let why = self.opt_text(&f, "why");
                    text.map(|text| ChoiceOption { text, why })
                }
                _ => self
                    .text(item, "options")
                    .map(|text| ChoiceOption { text, why: None }),
            };
            let Some(option) = option else {
                ok = false;
                continue;
            };
            if let Some(first) = options
                .iter()
                .position(|o| fold(&o.text) == fold(&option.text))
            {
                let d = self
                    .error(
                        Some(item.pos),
                        format!("duplicate option `{}`", option.text),
                    )
                    .width(option.text.chars().count())
                    .note(self.file, Some(positions[first]), "first listed here")
                    .help("each option must be different: remove or reword one");
                self.push(d);
                ok = false;
                continue;
            }
            options.push(option);
            positions.push(item.pos);
        }
        if ok && options.len() < 2 {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "a choice card needs at least 2 options, found {}",
                        options.len()
                    ),
                )
                .help("add wrong but plausible options, or use `type: flashcard` or `type: typed`");
            self.push(d);
            ok = false;
        }
        if options.len() > MAX_OPTIONS {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "a choice card takes at most {MAX_OPTIONS} options, found {}",
                        options.len()
                    ),
                )
                .help("keep the most plausible distractors, or split the card");
            self.push(d);
            ok = false;
        }
        let Some(answer_node) = fields.get("answer") else {
            self.missing(
                fields,
                "answer",
                "this choice card",
                "the text of the right option",
            );
            return None;
        };
        let answer_nodes: Vec<&Node> = match &answer_node.value {
            Value::Seq(items) if !items.is_empty() => items.iter().collect(),
            Value::Seq(_) => {
                let d = self
                    .error(Some(answer_node.pos), "`answer` is an empty list")
                    .help("name at least one option as the answer");
                self.push(d);
                return None;
            }
            _ => vec![answer_node],
        };
        let mut answers = Vec::new();
        for node in answer_nodes {
            let Some(text) = self.text(node, "answer") else {
                ok = false;
                continue;
            };
            let found = options
                .iter()
                .position(|o| o.text == text)
                .or_else(|| options.iter().position(|o| fold(&o.text) == fold(&text)));
            match found {
                Some(i) if answers.contains(&i) => {
                    let d = self
                        .error(
                            Some(node.pos),
                            format!("`{text}` is listed twice in `answer`"),
                        )
                        .width(text.chars().count());
                    self.push(d);
                    ok = false;
                }
                Some(i) => answers.push(i),
                None => {
                    let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
                    let mut d = self
                        .error(
                            Some(node.pos),
                            format!("the answer `{text}` is not among the options"),
                        )
                        .width(text.chars().count());
                    d = match suggest(&text, &texts) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!(
                            "the answer must be the text of an option: {}",
                            texts
                                .iter()
                                .map(|t| format!("`{t}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    self.push(d);
                    ok = false;
                }
            }
        }
        if ok && answers.len() == options.len() {
            let d = self
                .error(Some(answer_node.pos), "every option is marked as an answer")
                .help("a choice card needs at least one wrong option");
            self.push(d);
            ok = false;
        }
        ok.then_some(CardKind::Choice { options, answers })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check_cards;

    #[test]
    fn the_answer_must_be_an_option() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options: [\"0-65535\", \"1-1024\"]\n    answer: \"0-65536\"\n"
            ),
            "d.yaml:9:13: error: the answer `0-65536` is not among the options\n  |\n9 |     answer: \"0-65536\"\n  |             ^^^^^^^\nhelp: did you mean `0-65535`?\n"
        );
    }

    #[test]
    fn options_must_differ() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options: [TCP, UDP, tcp]\n    answer: TCP\n"
            ),
            "d.yaml:8:25: error: duplicate option `tcp`\n  |\n8 |     options: [TCP, UDP, tcp]\n  |                         ^^^\nd.yaml:8:15: note: first listed here\nhelp: each option must be different: remove or reword one\n"
        );
    }

    #[test]
    fn a_choice_needs_two_options_and_a_wrong_one() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options: [TCP]\n    answer: TCP\n  - id: b\n    type: choice\n    prompt: P\n    options: [TCP, UDP]\n    answer: [TCP, UDP]\n"
            ),
            "d.yaml:8:14: error: a choice card needs at least 2 options, found 1\n  |\n8 |     options: [TCP]\n  |              ^\nhelp: add wrong but plausible options, or use `type: flashcard` or `type: typed`\nd.yaml:14:13: error: every option is marked as an answer\n   |\n14 |     answer: [TCP, UDP]\n   |             ^\nhelp: a choice card needs at least one wrong option\n"
        );
    }

    #[test]
    fn an_answer_listed_twice_is_refused() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options: [TCP, UDP, SCTP]\n    answer: [TCP, tcp]\n"
            ),
            "d.yaml:9:19: error: `tcp` is listed twice in `answer`\n  |\n9 |     answer: [TCP, tcp]\n  |                   ^^^\n"
        );
    }

    #[test]
    fn an_option_may_explain_itself_with_why() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options:\n      - TCP\n      - text: UDP\n        why: No connection.\n      - text: SCTP\n        wy: typo\n    answer: TCP\n"
            ),
            "d.yaml:13:9: error: unknown key `wy` in an option\n   |\n13 |         wy: typo\n   |         ^^\nhelp: did you mean `why`?\n"
        );
    }

    #[test]
    fn at_most_eight_options() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: choice\n    prompt: P\n    options: [a, b, c, d, e, f, g, h, i]\n    answer: a\n"
            ),
            "d.yaml:8:14: error: a choice card takes at most 8 options, found 9\n  |\n8 |     options: [a, b, c, d, e, f, g, h, i]\n  |              ^\nhelp: keep the most plausible distractors, or split the card\n"
        );
    }
}
