//! samlscope: find the SAML messages in a capture, verify their signatures, and explain why a
//! single sign-on login failed.
//!
//! The pipeline is a chain of pure stages: [`input`] (bytes → captured messages), [`xml`]
//! (document tree, canonicalisation), [`saml`] (typed model), [`dsig`] (signature verdicts),
//! [`rules`] (findings) and [`report`] (table, JSON, Markdown). [`analysis::analyze`] runs them.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod analysis;
pub mod cli;
pub mod config;
pub mod dsig;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod report;
pub mod rules;
pub mod saml;
pub mod xml;
