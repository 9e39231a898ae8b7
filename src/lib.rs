//! samlscope: find the SAML messages in a capture, verify their signatures, and explain why a
//! single sign-on login failed.
//!
//! The pipeline is a chain of pure stages: [`input`] (bytes → captured messages), [`xml`]
//! (document tree, canonicalisation), [`saml`] (typed model), [`dsig`] (signature verdicts),
//! [`rules`] (findings) and [`report`] (table, JSON, Markdown). [`analysis::analyze`] runs them.
//!
//! ```
//! use samlscope::analysis::{analyze, Input, Limits};
//! use samlscope::config::Config;
//! use samlscope::rules::Selection;
//!
//! // An unsigned Response, pasted as raw XML.
//! let xml = br#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
//!     xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r">
//!   <saml:Assertion ID="_a"><saml:Subject><saml:NameID>ada@acme.com</saml:NameID></saml:Subject></saml:Assertion>
//! </samlp:Response>"#;
//! let analysis = analyze(vec![Input::bytes("pasted.xml", xml.to_vec())], &Config::default(), &Selection::default(), Limits::default());
//! let rules: Vec<&str> = analysis.findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, ["unsigned"]);
//! ```
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod analysis;
pub mod cli;
pub mod config;
pub mod diff;
pub mod dsig;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod profile;
pub mod redact;
pub mod report;
pub mod rules;
pub mod saml;
pub mod trust;
pub mod workers;
pub mod xml;
pub mod xmlenc;
