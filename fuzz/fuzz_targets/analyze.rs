//! Fuzz target `analyze`: see `samlscope::fuzzing::analyze_all` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::analyze_all(data));
