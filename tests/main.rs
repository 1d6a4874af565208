//! Integration tests: one binary (`autotests = false`), one module per area.
mod practical;
mod support;
