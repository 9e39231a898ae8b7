//! Golden tests of the real binary: each tests/cmd/NAME.toml runs samlscope with its arguments
//! from the repository root and compares stdout, stderr and the exit status with NAME.stdout /
//! NAME.stderr. Regenerate after an intended change with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_golden_outputs() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
