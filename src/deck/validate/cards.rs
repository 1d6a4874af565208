//! A card: its id (unique in the deck), its type and the keys that type takes, its prompt, and the
//! answer of each simple type (flashcard, true/false, practical and lab experiments). Choice and typed
//! answers have their own modules.
use std::collections::HashMap;

use super::cx::Cx;
use super::fields::Fields;
use crate::deck::diag::suggest;
use crate::deck::id::{CardId, CardType};
use crate::deck::model::{Card, CardKind, LabParams};

/// The one lab that takes parameters (`service`, `port`, `protocol`, `command`).
const LAB_WITH_PARAMS: &str = "lab-find-service-port";
use crate::deck::yaml::{Node, Pos, Value};

/// Whether `written` is how a true/false value is written: `true` or `false`, also `True`, `TRUE`, `False`,
/// `FALSE`, which every YAML reader (1.1 and 1.2, so the JSON Schema too) reads as the same boolean; not
/// YAML 1.1's `yes`, `on`, `y`, which YAML 1.2 tools read as text.
pub(super) fn is_true_or_false(written: &str) -> bool {
    matches!(
        written,
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE"
    )
}

impl Cx<'_> {
    #[deny(clippy::wildcard_enum_match_arm)] // every card type is read: no `_ =>` over CardType
    pub(super) fn card(
        &mut self,
        node: &Node,
        deck_tags: &[String],
        seen: &mut HashMap<CardId, Pos>,
    ) -> Option<Card> {
        let mut all_keys: Vec<&str> = CardType::COMMON_KEYS.to_vec();
        all_keys.extend(CardType::type_only_keys());
        let fields = self.fields(node, "a card", &all_keys, &|_| None)?;

        let id = self.id(&fields, "this card", CardId::written);
        if let Some((id, pos)) = &id {
            if let Some(first) = seen.get(id) {
                let width = id.as_str().chars().count();
                self.collision(
                    [(*first, width), (*pos, width)],
                    &format!("duplicate card id `{id}`"),
                    &format!("`{id}` is also used here"),
                    "card ids must be unique within a deck: rename one (progress is kept per deck id + card id)",
                );
            } else {
                seen.insert(id.clone(), *pos);
            }
        }
        let type_node = fields.get("type");
        let card_type = match type_node {
            None => {
                self.missing(&fields, "type", "this card", "flashcard");
                None
            }
            Some(n) => match self.text(n, "type") {
                Some(t) => match CardType::from_name(&t) {
                    Some(card_type) => Some(card_type),
                    None => {
                        let names = CardType::names();
                        let mut d = self
                            .error(Some(n.pos), format!("unknown card type `{t}`"))
                            .width(t.chars().count());
                        d = match suggest(&t, &names) {
                            Some(s) => {
                                d.help(format!("did you mean `{s}`? (types: {})", names.join(", ")))
                            }
                            None => d.help(format!("use one of: {}", names.join(", "))),
                        };
                        self.push(d);
                        None
                    }
                },
                None => None,
            },
        };
        // Keys that belong to other card types.
        if let Some(kind) = card_type {
            for key in CardType::type_only_keys() {
                let types = CardType::taking(key);
                if let Some(k) = fields.key_node(key)
                    && !types.contains(&kind)
                {
                    let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
                    let d = self
                        .error(
                            Some(k.pos),
                            format!("`{key}` does not belong on a `{kind}` card"),
                        )
                        .width(key.len())
                        .help(format!(
                            "`{key}` is used by {} cards: remove it, or change `type`",
                            names.join(" and ")
                        ));
                    self.push(d);
                }
            }
        }
        let prompt = if card_type.is_none_or(CardType::needs_prompt) {
            self.req_text(&fields, "prompt", "this card", "The question to ask?")
        } else {
            Some(self.opt_text(&fields, "prompt").unwrap_or_default())
        };
        let explain = self.opt_text(&fields, "explain");
        let hint = self.opt_text(&fields, "hint");
        let follow_up = self.follow_up(&fields, id.as_ref().map(|(id, _)| id));
        let demo = self.demo(&fields);
        let mut tags = self.tags(&fields);
        tags.extend(deck_tags.iter().cloned());

        let kind = match card_type? {
            CardType::Flashcard => self
                .req_text(&fields, "answer", "this flashcard", "The back of the card")
                .map(|back| CardKind::Flashcard { back }),
            CardType::Choice => self.choice(&fields),
            CardType::TrueFalse => self.truefalse(&fields),
            CardType::Typed => self.typed(&fields),
            CardType::Practical => self
                .experiment(&fields, false)
                .map(|experiment| CardKind::Practical { experiment }),
            CardType::Lab => {
                let experiment = self.experiment(&fields, true);
                let params = self.lab_params(&fields, experiment.as_deref());
                experiment
                    .zip(params)
                    .map(|(experiment, params)| CardKind::Lab { experiment, params })
            }
        };
        Some(Card {
            id: id?.0,
            prompt: prompt?,
            kind: kind?,
            explain,
            hint,
            tags,
            line: fields.pos.line,
            follow_up,
            demo,
        })
    }

    pub(super) fn truefalse(&mut self, fields: &Fields) -> Option<CardKind> {
        let Some(node) = fields.get("answer") else {
            self.missing(fields, "answer", "this truefalse card", "true");
            return None;
        };
        match &node.value {
            Value::Bool(b) if is_true_or_false(node.written(self.text)) => {
                Some(CardKind::TrueFalse { answer: *b })
            }
            Value::Bool(b) => {
                let written = node.written(self.text);
                let d = self
                    .error(
                        Some(node.pos),
                        format!("a truefalse `answer` is written `true` or `false`; YAML reads `{written}` as {b}"),
                    )
                    .width(self.width(node))
                    .help(format!("write `answer: {b}`"));
                self.push(d);
                None
            }
            other => {
                let d = self
                    .error(
                        Some(node.pos),
                        format!(
                            "a truefalse `answer` must be true or false, found {}",
                            other.kind()
                        ),
                    )
                    .width(self.width(node))
                    .help("write `answer: true` or `answer: false`, without quotes");
                self.push(d);
                None
            }
        }
    }

    /// The card's `demo:` experiment, which must be one of the catalogue's experiments (not a lab).
    pub(super) fn demo(&mut self, fields: &Fields) -> Option<String> {
        let node = fields.get("demo")?;
        let name = self.opt_text(fields, "demo")?;
        if self.known.experiments.contains(&name.as_str()) {
            return Some(name);
        }
        let d = self
            .error(
                Some(node.pos),
                format!("unknown experiment `{name}` for `demo`"),
            )
            .width(name.chars().count());
        let d = match suggest(&name, self.known.experiments) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? (`portquiz experiments` lists them all)"
            )),
            None => d.help(
                "a demo names one of portquiz's built-in experiments: `portquiz experiments` lists them",
            ),
        };
        self.push(d);
        None
    }

    /// A lab card's `service`, `port`, `protocol` and `command` (issue 28): only `lab-find-service-port`
    /// takes them; `service` and `port` go together; `command` shows `PORT` where the port goes.
    fn lab_params(&mut self, fields: &Fields, experiment: Option<&str>) -> Option<LabParams> {
        const KEYS: [&str; 4] = ["service", "port", "protocol", "command"];
        let given: Vec<&str> = KEYS
            .into_iter()
            .filter(|k| fields.get(k).is_some())
            .collect();
        if given.is_empty() {
            return Some(LabParams::default());
        }
        if let Some(lab) = experiment
            && lab != LAB_WITH_PARAMS
        {
            let node = fields.get(given[0]);
            let d = self
                .error(
                    node.map(|n| n.pos),
                    format!("the lab `{lab}` takes no `{}`", given[0]),
                )
                .code("lab-params")
                .help(format!(
                    "only `{LAB_WITH_PARAMS}` takes `service`, `port`, `protocol` and `command`"
                ));
            self.push(d);
            return None;
        }
        let service = self.opt_text(fields, "service");
        let port = match fields.get("port") {
            None => None,
            Some(node) => match &node.value {
                Value::Int(n) if (1..=65535).contains(n) => u16::try_from(*n).ok(),
                _ => {
                    let d = self
                        .error(
                            Some(node.pos),
                            format!(
                                "`port` must be a port number from 1 to 65535, found {}",
                                node.value.kind()
                            ),
                        )
                        .code("lab-params")
                        .help("write the service's default port, e.g. `port: 53`");
                    self.push(d);
                    return None;
                }
            },
        };
        if service.is_some() != port.is_some() {
            let (has, lacks) = if service.is_some() {
                ("service", "port")
            } else {
                ("port", "service")
            };
            let d = self
                .error(
                    fields.get(has).map(|n| n.pos),
                    format!("a lab card with `{has}` needs `{lacks}` too"),
                )
                .code("lab-params")
                .help("give both, e.g. `service: DNS` and `port: 53`: the candidate finds the port of the service");
            self.push(d);
            return None;
        }
        let udp = match fields.get("protocol") {
            None => false,
            Some(node) => match self.text(node, "protocol")?.as_str() {
                "tcp" => false,
                "udp" => true,
                other => {
                    let d = self
                        .error(Some(node.pos), format!("unknown protocol `{other}`"))
                        .code("lab-params")
                        .help("write `tcp` or `udp` (lower case)");
                    self.push(d);
                    return None;
                }
            },
        };
        let command = self.opt_text(fields, "command");
        if let Some(command) = &command
            && !command.contains("PORT")
        {
            let d = self
                .error(
                    fields.get("command").map(|n| n.pos),
                    "the lab's `command` has no `PORT`",
                )
                .code("lab-params")
                .help("write `PORT` where the port goes: the candidate replaces it with the port they found");
            self.push(d);
            return None;
        }
        Some(LabParams {
            service,
            port,
            udp,
            command,
        })
    }

    pub(super) fn experiment(&mut self, fields: &Fields, lab: bool) -> Option<String> {
        let what = if lab {
            "this lab card"
        } else {
            "this practical card"
        };
        let node = fields.get("experiment");
        let name = self.req_text(fields, "experiment", what, "tcp-udp-same-port")?;
        let pos = node.map(|n| n.pos);
        let (mine, other, other_type) = if lab {
            (self.known.labs, self.known.experiments, "practical")
        } else {
            (self.known.experiments, self.known.labs, "lab")
        };
        if mine.contains(&name.as_str()) {
            return Some(name);
        }
        let d = self
            .error(
                pos,
                format!(
                    "unknown {} `{name}`",
                    if lab { "lab" } else { "experiment" }
                ),
            )
            .width(name.chars().count());
        let d = if other.contains(&name.as_str()) {
            d.help(format!(
                "`{name}` is a {other_type}: use `type: {other_type}`"
            ))
        } else if let Some(s) = suggest(&name, mine) {
            d.help(format!(
                "did you mean `{s}`? (`portquiz experiments` lists them all)"
            ))
        } else {
            d.help("decks can only name portquiz's built-in experiments: `portquiz experiments` lists them")
        };
        self.push(d);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check_cards;

    #[test]
    fn a_demo_names_an_experiment_of_the_catalogue() {
        let card = |demo: &str| {
            format!(
                "  - id: a\n    type: flashcard\n    prompt: P\n    answer: A\n    explain: E\n    demo: {demo}\n"
            )
        };
        assert_eq!(check_cards(&card("tcp-udp-same-port")), "ok: 1 cards");
        assert_eq!(
            check_cards(&card("tcp-udp-same-prot")),
            "d.yaml:10:11: error: unknown experiment `tcp-udp-same-prot` for `demo`\n   |\n10 |     demo: tcp-udp-same-prot\n   |           ^^^^^^^^^^^^^^^^^\nhelp: did you mean `tcp-udp-same-port`? (`portquiz experiments` lists them all)\n"
        );
        // A lab is not a demo: it needs the candidate.
        assert_eq!(
            check_cards(&card("lab-start-listener")),
            "d.yaml:10:11: error: unknown experiment `lab-start-listener` for `demo`\n   |\n10 |     demo: lab-start-listener\n   |           ^^^^^^^^^^^^^^^^^^\nhelp: a demo names one of portquiz's built-in experiments: `portquiz experiments` lists them\n"
        );
    }

    #[test]
    fn a_duplicate_card_id_points_at_the_first() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: truefalse\n    prompt: P\n    answer: true\n  - id: a\n    type: truefalse\n    prompt: Q\n    answer: false\n"
            ),
            "d.yaml:5:9: error: duplicate card id `a`\n  |\n5 |   - id: a\n  |         ^\nd.yaml:9:9: note: `a` is also used here\nhelp: card ids must be unique within a deck: rename one (progress is kept per deck id + card id)\nd.yaml:9:9: error: duplicate card id `a`\n  |\n9 |   - id: a\n  |         ^\nd.yaml:5:9: note: `a` is also used here\nhelp: card ids must be unique within a deck: rename one (progress is kept per deck id + card id)\n"
        );
    }

    #[test]
    fn an_unknown_type_gets_the_nearest_one() {
        assert_eq!(
            check_cards("  - id: a\n    type: flashcrd\n    prompt: P\n    answer: B\n"),
            "d.yaml:6:11: error: unknown card type `flashcrd`\n  |\n6 |     type: flashcrd\n  |           ^^^^^^^^\nhelp: did you mean `flashcard`? (types: flashcard, choice, truefalse, typed, practical, lab)\n"
        );
    }

    #[test]
    fn a_key_of_another_type_is_named_with_its_types() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: flashcard\n    prompt: P\n    answer: B\n    options: [x, y]\n"
            ),
            "d.yaml:9:5: error: `options` does not belong on a `flashcard` card\n  |\n9 |     options: [x, y]\n  |     ^^^^^^^\nhelp: `options` is used by choice cards: remove it, or change `type`\n"
        );
    }

    #[test]
    fn a_truefalse_answer_must_be_a_boolean() {
        assert_eq!(
            check_cards("  - id: a\n    type: truefalse\n    prompt: P\n    answer: \"yes\"\n"),
            "d.yaml:8:13: error: a truefalse `answer` must be true or false, found a string\n  |\n8 |     answer: \"yes\"\n  |             ^^^^^\nhelp: write `answer: true` or `answer: false`, without quotes\n"
        );
    }

    #[test]
    fn experiments_must_exist_and_match_the_card_type() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: practical\n    experiment: tcp-udp-same-prt\n  - id: b\n    type: practical\n    experiment: lab-start-listener\n  - id: c\n    type: lab\n    experiment: tcp-udp-same-port\n"
            ),
            "d.yaml:7:17: error: unknown experiment `tcp-udp-same-prt`\n  |\n7 |     experiment: tcp-udp-same-prt\n  |                 ^^^^^^^^^^^^^^^^\nhelp: did you mean `tcp-udp-same-port`? (`portquiz experiments` lists them all)\nd.yaml:10:17: error: unknown experiment `lab-start-listener`\n   |\n10 |     experiment: lab-start-listener\n   |                 ^^^^^^^^^^^^^^^^^^\nhelp: `lab-start-listener` is a lab: use `type: lab`\nd.yaml:13:17: error: unknown lab `tcp-udp-same-port`\n   |\n13 |     experiment: tcp-udp-same-port\n   |                 ^^^^^^^^^^^^^^^^^\nhelp: `tcp-udp-same-port` is a practical: use `type: practical`\n"
        );
    }

    #[test]
    fn practical_and_lab_cards_need_no_prompt() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: practical\n    experiment: tcp-udp-same-port\n  - id: b\n    type: lab\n    experiment: lab-start-listener\n"
            ),
            "ok: 2 cards"
        );
    }
}
