//! Fuzz target `decrypt`: see `samlscope::fuzzing::decrypt` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::decrypt(data));
