//! Moving progress and decks in and out of portquiz: Anki text files (both ways) and the review-log CSV that
//! FSRS tools read. Pure: text and logs in, text and logs out; the commands do the file and database I/O
//! (`portquiz merge`, which unites two review logs, is all in [`crate::commands`]).
pub mod anki;
pub mod revlog;
