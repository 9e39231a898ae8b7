//! Fuzz target `saml_tracer`: see `samlscope::fuzzing::saml_tracer` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::saml_tracer(data));
