//! Fuzz target `dsig_verify`: see `samlscope::fuzzing::dsig_verify` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::dsig_verify(data));
