//! Fuzz target `decode_payload`: see `samlscope::fuzzing::decode_payload` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::decode_payload(data));
