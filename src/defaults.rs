//! Defaults the command line shows and the loops use, below both: the command-line definitions read them without
//! reaching the code that runs the commands.

/// The length of an interview round unless `--minutes` says otherwise.
pub const INTERVIEW_MINUTES: u32 = 15;
