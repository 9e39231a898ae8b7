//! Fuzz target `xml_tree`: see `samlscope::fuzzing::xml_tree` for the invariant it asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| samlscope::fuzzing::xml_tree(data));
