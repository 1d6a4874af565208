//! schedule (being built).
