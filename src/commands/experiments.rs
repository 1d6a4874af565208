//! `portquiz experiments`: lists the catalogue of live socket experiments and labs, or runs experiments as a lab
//! bench and prints what each did and saw, without grading. It must not run labs (they need the candidate) and
//! must not decide answers itself; [`crate::practical`] does.
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{ExperimentsAction, ExperimentsArgs};
use crate::env::output::{paint, style, when, write_json};
use crate::env::{Env, Exit};
use crate::practical::{self, Environment, Experiment, Kind, Outcome};
use crate::safe;

/// Runs `portquiz experiments`.
pub fn run(env: &Env, args: &ExperimentsArgs) -> Result<Exit> {
    match dispatch(env, args) {
        // `portquiz experiments | head` closes the pipe early; that is the reader's choice, not a failure.
        Err(err) if is_broken_pipe(&err) => Ok(Exit::Ok),
        other => other,
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(env: &Env, args: &ExperimentsArgs) -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    let format = |json: bool| {
        if json {
            Format::Json
        } else {
            Format::Text {
                color: env.output.stdout_color(),
            }
        }
    };
    match &args.action {
        None => list(&mut out, format(args.json)),
        Some(ExperimentsAction::Run { ids, json }) => {
            let chosen = match select(ids) {
                Ok(chosen) => chosen,
                Err(message) => {
                    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
                    return Ok(Exit::Failure);
                }
            };
            let machine = Environment::detect();
            run_selected(&mut out, &chosen, &machine, format(*json || args.json))
        }
    }
}

/// How [`list`] and [`run_selected`] print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object (README, "JSON output").
    Json,
    /// Text for people, coloured or not.
    Text { color: bool },
}

#[derive(Serialize)]
struct Listing<'a> {
    experiment: &'a str,
    kind: Kind,
    title: &'a str,
    question: &'a str,
    options: &'a [&'a str],
}

/// Prints the catalogue as text or JSON.
pub fn list(out: &mut impl Write, format: Format) -> Result<Exit> {
    let catalogue = practical::catalogue();
    let color = match format {
        Format::Json => None,
        Format::Text { color } => Some(color),
    };
    let Some(color) = color else {
        let rows: Vec<Listing<'_>> = catalogue
            .iter()
            .map(|e| Listing {
                experiment: e.id,
                kind: e.kind,
                title: e.title,
                question: e.question,
                options: e.options,
            })
            .collect();
        #[derive(Serialize)]
        struct Catalogue<'a> {
            experiments: Vec<Listing<'a>>,
        }
        write_json(&mut *out, &Catalogue { experiments: rows })?;
        return Ok(Exit::Ok);
    };
    for experiment in catalogue {
        let kind = match experiment.kind {
            Kind::Experiment => "experiment",
            Kind::Lab => "lab",
        };
        // Pad the plain id: padding a coloured string would count its escape codes.
        let pad = " ".repeat(28usize.saturating_sub(experiment.id.len()));
        writeln!(
            out,
            "{}{pad} {kind:<10} {}",
            paint(when(color, style::EMPHASIS), experiment.id),
            experiment.title
        )?;
        writeln!(
            out,
            "    {}",
            paint(when(color, style::DIM), experiment.question)
        )?;
    }
    writeln!(
        out,
        "\nRun them with `portquiz experiments run [ID...]`; labs are done in `portquiz study`."
    )?;
    Ok(Exit::Ok)
}

/// The experiments named by `ids` (every experiment when empty); an error names the valid ids.
pub fn select(ids: &[String]) -> std::result::Result<Vec<&'static Experiment>, String> {
    let catalogue = practical::catalogue();
    if ids.is_empty() {
        return Ok(catalogue
            .iter()
            .filter(|e| e.kind == Kind::Experiment)
            .collect());
    }
    let valid = || {
        catalogue
            .iter()
            .filter(|e| e.kind == Kind::Experiment)
            .map(|e| e.id)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut chosen = Vec::new();
    for id in ids {
        match practical::find(id) {
            Some(experiment) if experiment.kind == Kind::Experiment => chosen.push(experiment),
            Some(_) => {
                return Err(format!(
                    "{id} is a lab: it needs you at the keyboard, so study it with `portquiz study`; experiments are: {}",
                    valid()
                ));
            }
            None => return Err(format!("unknown experiment {id:?}; valid ids: {}", valid())),
        }
    }
    Ok(chosen)
}

#[derive(Serialize)]
struct RunReport<'a> {
    experiment: &'a str,
    title: &'a str,
    question: &'a str,
    options: &'a [&'a str],
    #[serde(flatten)]
    outcome: &'a Outcome,
}

#[derive(Serialize)]
struct RunAll<'a> {
    experiments: Vec<RunReport<'a>>,
    environment: &'a Environment,
}

/// Runs the chosen experiments and prints each transcript, conclusion and note, then the environment.
/// Returns [`Exit::Problems`] when any experiment errored.
pub fn run_selected(
    out: &mut impl Write,
    chosen: &[&Experiment],
    env: &Environment,
    format: Format,
) -> Result<Exit> {
    let outcomes: Vec<Outcome> = chosen
        .iter()
        .map(|experiment| practical::run(experiment, env))
        .collect();
    let errored = outcomes
        .iter()
        .any(|outcome| matches!(outcome, Outcome::Errored { .. }));
    if let Format::Text { color } = format {
        for (experiment, outcome) in chosen.iter().zip(&outcomes) {
            write_outcome(out, experiment, outcome, color)?;
        }
        writeln!(
            out,
            "{}",
            paint(when(color, style::EMPHASIS), "environment")
        )?;
        for (name, value) in env.facts() {
            writeln!(out, "  {name:<30} {}", safe::line(&value))?;
        }
    } else {
        let report = RunAll {
            experiments: chosen
                .iter()
                .zip(&outcomes)
                .map(|(e, outcome)| RunReport {
                    experiment: e.id,
                    title: e.title,
                    question: e.question,
                    options: e.options,
                    outcome,
                })
                .collect(),
            environment: env,
        };
        write_json(&mut *out, &report)?;
    }
    Ok(if errored { Exit::Problems } else { Exit::Ok })
}

fn write_outcome(
    out: &mut impl Write,
    experiment: &Experiment,
    outcome: &Outcome,
    color: bool,
) -> Result<()> {
    writeln!(
        out,
        "{} {}",
        paint(when(color, style::EMPHASIS), experiment.id),
        paint(
            when(color, style::DIM),
            format_args!("({})", experiment.title)
        )
    )?;
    writeln!(out, "  {}", experiment.question)?;
    match outcome {
        Outcome::Observed(observation) => {
            for line in &observation.transcript {
                writeln!(out, "    {}", safe::line(line))?;
            }
            let answers: Vec<&str> = observation
                .correct
                .iter()
                .filter_map(|&i| experiment.options.get(i).copied())
                .collect();
            writeln!(
                out,
                "  {} {}",
                paint(when(color, style::CONCLUSION), "=>"),
                safe::line(&observation.conclusion)
            )?;
            writeln!(out, "  answer: {}", answers.join(" / "))?;
            if let Some(note) = &observation.note {
                writeln!(out, "  note: {}", safe::line(note))?;
            }
        }
        Outcome::Unavailable { reason } => writeln!(
            out,
            "  {} {}",
            paint(when(color, style::WARNING), "not available here:"),
            safe::line(reason)
        )?,
        Outcome::Errored { message } => writeln!(
            out,
            "  {} {}",
            paint(when(color, style::ERROR), "error:"),
            safe::line(message)
        )?,
    }
    writeln!(out)?;
    Ok(())
}
