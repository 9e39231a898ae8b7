//! Input-level attacks (corpus/attacks, see its README): each case's exact findings and exit
//! status through the real binary. A browser or a service provider would read the forged
//! message; samlscope must read it too, never only the genuine one.

mod common;

#[test]
fn every_input_level_attack_is_read_as_a_browser_reads_it() {
    common::assert_cases("corpus/attacks", 6);
}
