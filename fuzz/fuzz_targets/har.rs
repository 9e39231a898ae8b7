//! Fuzz target `har`: see `samlscope::fuzzing::har` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::har(data));
