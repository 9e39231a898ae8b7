//! Fuzz target `redact`: see `samlscope::fuzzing::redact` for the invariants it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::redact(data));
