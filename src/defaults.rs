//! Defaults the command line shows and the loops use, below both: the command-line definitions read them without
//! reaching the code that runs the commands.

/// The length of an interview round unless `--minutes` says otherwise: with [`INTERVIEW_QUESTIONS`] at an
/// interviewer's pace (about 90 s a question) a round takes 20 to 25 minutes.
pub const INTERVIEW_MINUTES: u32 = 25;

/// The most questions a round asks unless `--questions` says otherwise.
pub const INTERVIEW_QUESTIONS: u32 = 16;

/// New cards a day unless `study --new` says otherwise; the interview's plan line counts with it.
pub const NEW_PER_DAY: u32 = 10;
