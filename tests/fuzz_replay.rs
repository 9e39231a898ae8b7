//! Replays every committed fuzz seed (fuzz/seed-dirs) and every past crash input
//! (fuzz/regressions/TARGET/) through the entry points the fuzz targets call, so `cargo test`
//! alone checks their invariants on them.

use std::path::Path;

use samlscope::fuzzing::TARGETS;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn every_seed_and_regression_passes_its_target() {
    let seed_dirs = std::fs::read_to_string(Path::new(ROOT).join("fuzz/seed-dirs")).unwrap();
    let mut replayed = 0;
    for line in seed_dirs.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let target = words.next().unwrap();
        let (_, run) = TARGETS
            .iter()
            .find(|(n, _)| *n == target)
            .unwrap_or_else(|| panic!("no target {target}"));
        let mut inputs: Vec<_> = words.flat_map(|d| files(&Path::new(ROOT).join(d))).collect();
        inputs.extend(files(&Path::new(ROOT).join("fuzz/regressions").join(target)));
        assert!(!inputs.is_empty(), "{target} has no seeds");
        for path in inputs {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", path.display());
            replayed += 1;
        }
    }
    assert!(replayed > 200, "only {replayed} inputs replayed");
}
