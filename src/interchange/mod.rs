//! Moving progress and decks in and out of portquiz: Anki text files (both ways), the review-log CSV that
//! FSRS tools read, and the union of two review logs for `portquiz merge`. Pure: text and logs in, text and
//! logs out; the commands do the file and database I/O.
pub mod anki;
pub mod revlog;
