//! Canonicalisation against libxml2's output (tests/c14n, made by tests/c14n/generate.py):
//! every case × mode × subset × PrefixList, byte for byte.

use std::path::Path;

use samlscope::xml::c14n::{canonicalize, C14n, C14nMethod, Subset};
use samlscope::xml::{parse, XmlLimits, XML_NS};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c14n");

fn setting(mode: &str, prefixes: &str) -> C14n {
    let (method, with_comments) = match mode.split('-').collect::<Vec<_>>().as_slice() {
        ["c14n"] => (C14nMethod::Inclusive10, false),
        ["c14n", "wc"] => (C14nMethod::Inclusive10, true),
        ["c14n11"] => (C14nMethod::Inclusive11, false),
        ["c14n11", "wc"] => (C14nMethod::Inclusive11, true),
        ["exc", "wc"] => (C14nMethod::Exclusive, true),
        ["exc", ..] => (C14nMethod::Exclusive, false),
        other => panic!("unknown mode {other:?}"),
    };
    let mut c = C14n::new(method, with_comments);
    if prefixes != "-" {
        c.inclusive_prefixes = prefixes.split_whitespace().map(str::to_string).collect();
    }
    c
}

#[test]
fn canonical_bytes_match_libxml2() {
    let manifest = std::fs::read_to_string(Path::new(DIR).join("MANIFEST.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (case, mode, subset, prefixes, file) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        let input =
            std::fs::read(Path::new(DIR).join("cases").join(format!("{case}.xml"))).unwrap();
        let doc = parse(&input, XmlLimits::default()).unwrap_or_else(|e| panic!("{case}: {e}"));
        let target = if subset == "-" {
            Subset::Document
        } else {
            let apex = (0..doc.len()).find(|n| {
                doc.element(*n).is_some_and(|e| {
                    e.attrs().any(|a| {
                        a.value() == subset
                            && (a.ns().is_none() && (a.local() == "ID" || a.local() == "Id")
                                || a.ns() == Some(XML_NS) && a.local() == "id")
                    })
                })
            });
            Subset::Element(apex.unwrap_or_else(|| panic!("{case}: no element {subset}")))
        };
        let got = canonicalize(&doc, target, None, &setting(mode, prefixes));
        let want = std::fs::read(Path::new(DIR).join(file)).unwrap();
        if got != want {
            failures.push(format!(
                "{case} {mode} subset={subset} prefixes={prefixes}\n  got:  {}\n  want: {}",
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            ));
        }
        checked += 1;
    }
    assert!(checked > 300, "only {checked} vectors");
    assert!(
        failures.is_empty(),
        "{} of {checked} vectors differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
