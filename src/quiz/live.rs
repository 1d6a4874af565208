//! What the quiz loops need to run practical cards: an experiment's outcome and a lab's setup and check, as a
//! trait. [`Machine`] runs them for real on loopback (detecting the environment once, on first use); tests
//! inject outcomes instead, so a session or a round with practical cards runs in-process without sockets.
use std::time::Duration;

use crate::practical::{self, Environment, Experiment, LabResult, LabSetup, Outcome};

/// How long a lab waits for the candidate's listener or connection after they press Enter.
const LAB_WAIT: Duration = Duration::from_secs(5);

/// Runs experiments and labs for the session.
pub trait Live {
    /// Runs an experiment now and reports what happened.
    fn run(&mut self, experiment: &'static Experiment) -> Outcome;
    /// Prepares a lab (e.g. opens the listener the candidate connects to); `Err` says why it cannot run here.
    fn start_lab(&mut self, lab: &'static Experiment) -> Result<Box<dyn Lab>, String>;
    /// Like [`Self::start_lab`], for a card that gives the lab parameters (issue 28); fakes that ignore
    /// them need not implement it.
    fn start_lab_with(
        &mut self,
        lab: &'static Experiment,
        params: &crate::deck::LabParams,
    ) -> Result<Box<dyn Lab>, String> {
        let _ = params;
        self.start_lab(lab)
    }
}

/// A prepared lab.
pub trait Lab {
    /// What the candidate should do, with the exact command.
    fn instructions(&self) -> &str;
    /// Checks whether they did it.
    fn verify(&mut self) -> LabResult;
}

/// The real machine: experiments on loopback, with deadlines.
#[derive(Default)]
pub struct Machine {
    environment: Option<Environment>,
}

impl Machine {
    pub fn new() -> Self {
        Self::default()
    }

    fn environment(&mut self) -> &Environment {
        self.environment.get_or_insert_with(Environment::detect)
    }
}

impl Live for Machine {
    fn run(&mut self, experiment: &'static Experiment) -> Outcome {
        practical::run(experiment, self.environment())
    }

    fn start_lab(&mut self, lab: &'static Experiment) -> Result<Box<dyn Lab>, String> {
        self.start_lab_with(lab, &crate::deck::LabParams::default())
    }

    fn start_lab_with(
        &mut self,
        lab: &'static Experiment,
        params: &crate::deck::LabParams,
    ) -> Result<Box<dyn Lab>, String> {
        let setup = practical::prepare_lab_with(lab, self.environment(), params)?;
        Ok(Box::new(RealLab(setup)))
    }
}

struct RealLab(LabSetup);

impl Lab for RealLab {
    fn instructions(&self) -> &str {
        self.0.instructions()
    }

    fn verify(&mut self) -> LabResult {
        practical::verify_lab(&mut self.0, LAB_WAIT)
    }
}
