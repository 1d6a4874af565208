//! practical (being built).
