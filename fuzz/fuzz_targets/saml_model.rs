//! Fuzz target `saml_model`: see `samlscope::fuzzing::saml_model` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::saml_model(data));
