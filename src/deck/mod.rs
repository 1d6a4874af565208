//! deck (being built).
