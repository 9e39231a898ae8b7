//! The table report at 60, 80, 120 and 200 columns: text wraps only at spaces, so every value
//! someone copies (an ID, a URL, a fingerprint, a claim name, an attribute's `name = value`)
//! is whole at every width. `scripts/terminal-widths.sh` checks the same in a real terminal.

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Captures whose reports hold long URLs, IDs and fingerprints, with their flags.
const CASES: &[&[&str]] = &[
    &["corpus/har/multi-problem.har", "--config", "corpus/config/flex-enhanced.json"],
    &["corpus/har/profile-access-denied.har", "--sp", "flex"],
    &["corpus/idp/okta-flex.xml", "--sp", "flex"],
    &["corpus/idp/shibboleth-generic.xml"],
    &["corpus/har/bodies-stripped-firefox.har"],
    &["corpus/attacks/har-terminal-escapes.har", "--sp", "flex"],
];

fn table(args: &[&str], width: u16) -> String {
    let out = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(ROOT)
        .arg("analyze")
        .args(args)
        .args(["--width", &width.to_string(), "--color", "never"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn no_value_is_split_at_any_width() {
    for args in CASES {
        let wide = table(args, 1000);
        assert!(wide.contains("samlscope "), "{args:?}: no report");
        // Values: whitespace-free tokens long enough to be copied, and `name = value` pairs.
        let mut values: Vec<String> =
            wide.split_whitespace().filter(|t| t.chars().count() >= 8).map(String::from).collect();
        values.extend(
            wide.lines()
                .filter_map(|l| l.trim_start().strip_prefix("Attribute"))
                .map(|v| v.trim().to_string()),
        );
        assert!(values.iter().any(|v| v.contains("://")), "{args:?}: no URL to check");
        for width in [60, 80, 120, 200] {
            let narrow = table(args, width);
            // Joining the lines the wrap made: a value that was split would now contain a
            // newline and its indentation, and be missing.
            for v in &values {
                assert!(narrow.contains(v.as_str()), "{args:?} at {width} columns split {v:?}");
            }
            // Only lines holding an unbreakable value may run past the width
            for line in narrow.lines() {
                let over = line.chars().count() > usize::from(width);
                // (a 30+ character word, or a `name = value` kept together).
                let unbreakable = line.split_whitespace().any(|t| t.chars().count() >= 30)
                    || line.contains(" = ");
                assert!(!over || unbreakable, "{args:?} at {width}: {line:?} is too long");
            }
        }
    }
}
