//! `--format html`: what the page shows (verdict, findings, the failing hop, signed versus
//! read regions) and that nothing from a capture becomes markup, a URL, a style or a script.
//! The same pages are opened in headless Chromium by `tests/browser/run.sh` (run in CI).

mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};

use common::{assert_cases, HAR_SETUP, ROOT};

/// The elements the report is made of; anything else came from a capture.
const ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "script",
    "body",
    "a",
    "header",
    "nav",
    "main",
    "section",
    "article",
    "footer",
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "span",
    "code",
    "dl",
    "dt",
    "dd",
    "table",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "div",
    "pre",
    "figure",
    "figcaption",
    "svg",
    "defs",
    "marker",
    "path",
    "g",
    "text",
    "line",
    "rect",
];

/// The hostile values of corpus/html/generate.py, as the report must show them.
const SHOWN: &[&str] = &[
    "<script>alert('script')</script>",
    "\"><img src=x onerror=alert('img')>",
    "javascript:alert('url')",
    "</style><style>*{background:url(https://evil.example/css)}</style>\\3c script\\3e",
    "line\\u{2028}separator\\u{2029}paragraph",
    "user\\u{202e}gnp.exe\\u{202c}@acme.com",
];

fn html(args: &[&str]) -> (Html, String, serde_json::Value) {
    let run = |format: &str| {
        let out = Command::cargo_bin("samlscope")
            .unwrap()
            .current_dir(ROOT)
            .arg("analyze")
            .args(args)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let page = run("html");
    let json = serde_json::from_str(&run("json")).unwrap();
    (Html::parse_document(&page), page, json)
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &ElementRef<'_>) -> String {
    e.text().collect()
}

fn hostile_cases() -> Vec<Vec<String>> {
    let tsv = std::fs::read_to_string(format!("{ROOT}/corpus/html/cases.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let mut args = vec![format!("corpus/html/{}", f[1])];
            args.extend(f[2].split_whitespace().map(String::from));
            args
        })
        .collect()
}

/// Asserts `doc` is made only of the report's own elements, attributes and links.
fn assert_inert(name: &str, doc: &Html, page: &str) {
    let mut ids = BTreeSet::new();
    let mut hrefs = Vec::new();
    for node in doc.tree.nodes() {
        let Some(e) = node.value().as_element() else { continue };
        assert!(ELEMENTS.contains(&e.name()), "{name}: element <{}> in the report", e.name());
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on")
                    && !["style", "src", "srcset", "action", "formaction", "xlink:href"]
                        .contains(&attr.as_str()),
                "{name}: attribute {attr}={value:?} on <{}>",
                e.name()
            );
            if attr == "id" {
                ids.insert(value.to_string());
            }
            if attr == "href" {
                hrefs.push(value.to_string());
            }
        }
    }
    for h in hrefs {
        let target = h.strip_prefix('#').unwrap_or_else(|| panic!("{name}: link to {h:?}"));
        assert!(ids.contains(target), "{name}: link to missing #{target}");
    }
    let scripts = select(doc, "script");
    assert_eq!(scripts.len(), 1, "{name}: one script, the report's own");
    assert!(text(&scripts[0]).starts_with("// samlscope report:"), "{name}: the script is ours");
    assert_eq!(select(doc, "style").len(), 1, "{name}: one style, the report's own");
    let csp = select(doc, "meta[http-equiv=Content-Security-Policy]");
    let policy = csp[0].value().attr("content").unwrap();
    assert!(policy.starts_with("default-src 'none'; style-src 'sha256-"), "{name}: {policy}");
    assert!(policy.contains("script-src 'sha256-"), "{name}: {policy}");
    for c in ['\u{202e}', '\u{202c}', '\u{2028}', '\u{2029}', '\u{1b}'] {
        assert!(!page.contains(c), "{name}: raw {c:?} in the page");
    }
}

#[test]
fn hostile_captures_fire_their_rules() {
    assert_cases("corpus/html", 3);
}

#[test]
fn hostile_values_are_shown_as_text_and_nothing_else() {
    for args in hostile_cases() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (doc, page, json) = html(&args);
        assert_inert(args[0], &doc, &page);
        let body = text(&select(&doc, "body")[0]);
        let shown: Vec<&&str> = SHOWN.iter().filter(|v| body.contains(**v)).collect();
        // The IdP page shows its title and text; a login shows every value.
        let want = if args[0].ends_with("idp-page.har") { 4 } else { SHOWN.len() };
        assert!(shown.len() >= want, "{}: shown only {shown:?}", args[0]);
        let rules: Vec<&str> = select(&doc, "li.finding")
            .iter()
            .map(|e| e.value().attr("data-rule").unwrap())
            .collect();
        let want: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules, want, "{}", args[0]);
    }
}

#[test]
fn the_report_opens_to_the_verdict_and_the_failing_hop() {
    let mut args = vec!["corpus/har/multi-problem.har"];
    args.extend(HAR_SETUP);
    let (doc, page, json) = html(&args);
    assert_inert("multi-problem", &doc, &page);
    let verdict = select(&doc, "header p.verdict");
    assert_eq!(verdict[0].value().attr("class"), Some("verdict fails"));
    assert!(text(&verdict[0]).starts_with("The login fails: 2 errors (first: audience-mismatch"));
    // Every finding, in the report's order, with its fix.
    let findings = select(&doc, "#findings li.finding");
    let rules: Vec<&str> = findings.iter().map(|e| e.value().attr("data-rule").unwrap()).collect();
    assert_eq!(rules, ["audience-mismatch", "roles-invalid", "full-name-missing"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 3);
    assert!(text(&findings[0]).contains("Web App Settings → Entity Id"));
    assert_eq!(select(&doc, "#findings code[data-copy]").len(), 3, "expected values to copy");
    // The diagram: lanes, one arrow per hop that matters, the POST to the ACS answered 401 in
    // the error colour with its findings attached.
    let lanes: Vec<String> = select(&doc, "svg.sequence .lane-name").iter().map(text).collect();
    assert_eq!(lanes, ["Browser", "Service provider (Twilio Flex)", "IdP (Salesforce)"]);
    let hops = select(&doc, "svg.sequence g.hop");
    assert_eq!(hops.len(), 4);
    let failing: Vec<String> = select(&doc, "svg.sequence g.hop.error").iter().map(text).collect();
    let acs = failing.iter().find(|h| h.contains("POST login.flex.us1.twilio.com/login/callback"));
    let acs = acs.unwrap_or_else(|| panic!("no failing ACS hop in {failing:#?}"));
    for want in ["HTTP 401", "#2 Response", "⚠ audience-mismatch", "⚠ roles-invalid"] {
        assert!(acs.contains(want), "{want} not on the ACS hop: {acs}");
    }
    // Validity: the assertion's two windows and the certificate, judged at capture time.
    let charts: Vec<String> = select(&doc, "#validity figcaption").iter().map(text).collect();
    assert_eq!(charts.len(), 2, "{charts:?}");
    assert!(charts[0].contains("checked at 2026-11-20T15:04:05.187Z (captured)"), "{charts:?}");
    assert_eq!(select(&doc, "#validity .bar.ok").len(), 3);
}

#[test]
fn a_healthy_login_has_no_error_colour() {
    let mut args = vec!["corpus/har/success-chrome.har"];
    args.extend(HAR_SETUP);
    let (doc, page, _) = html(&args);
    assert_inert("success-chrome", &doc, &page);
    assert_eq!(select(&doc, "header p.verdict")[0].value().attr("class"), Some("verdict ok"));
    assert!(select(&doc, "svg.sequence g.hop").len() >= 3);
    assert!(select(&doc, "svg.sequence g.hop.error").is_empty());
    assert!(select(&doc, "#validity .bar.bad").is_empty());
}

/// Whether `e` or an ancestor carries class `class`.
fn within(e: &ElementRef<'_>, class: &str) -> bool {
    std::iter::once(**e)
        .chain(e.ancestors())
        .filter_map(|n| n.value().as_element())
        .any(|el| el.has_class(class, scraper::CaseSensitivity::CaseSensitive))
}

#[test]
fn wrapping_shows_signed_here_read_there() {
    // An intact signature covers another element than the one read: both are shown.
    let signed_elsewhere = [
        "xsw2",
        "xsw3",
        "xsw4",
        "xsw5",
        "xsw7",
        "xsw-advice",
        "wrapper-soap-forged-first",
        "wrapper-wsfed-forged-first",
    ];
    // The signature's Reference resolves to the forged element: no signature is intact.
    let nothing_intact = ["xsw1", "xsw6", "xsw8", "dup-id-evil-first", "dup-id-evil-last"];
    for case in signed_elsewhere.iter().chain(&nothing_intact) {
        let path = format!("corpus/signed/{case}.xml");
        let (doc, page, _) = html(&[&path, "--cert", "corpus/signed/keys/idp.pem"]);
        assert_inert(case, &doc, &page);
        let read = select(&doc, "div.xml .el.consumed");
        assert_eq!(read.len(), 1, "{case}: one assertion read");
        assert!(!within(&read[0], "signed"), "{case}: the read assertion must not look signed");
        let signed = select(&doc, "div.xml .el.signed");
        assert_eq!(signed.is_empty(), nothing_intact.contains(case), "{case}: signed regions");
        let badges: Vec<String> = select(&doc, "div.xml .badge").iter().map(text).collect();
        assert!(badges.contains(&"read by a service provider".to_string()), "{case}: {badges:?}");
        let details = select(&doc, "details.xml");
        assert!(details[0].value().attr("open").is_some(), "{case}: the XML view opens");
    }
    for case in ["salesforce-response-signed", "salesforce-assertion-signed"] {
        let path = format!("corpus/signed/{case}.xml");
        let (doc, page, _) = html(&[&path, "--cert", "corpus/signed/keys/idp.pem"]);
        assert_inert(case, &doc, &page);
        let read = select(&doc, "div.xml .el.consumed");
        assert_eq!(read.len(), 1, "{case}");
        assert!(within(&read[0], "signed"), "{case}: the read assertion is signed");
    }
}

#[test]
fn comments_in_signed_text_stand_out() {
    let (doc, page, _) =
        html(&["corpus/signed/comment-nameid.xml", "--cert", "corpus/signed/keys/idp.pem"]);
    assert_inert("comment-nameid", &doc, &page);
    let comments = select(&doc, "div.xml .comment");
    assert!(!comments.is_empty());
    assert!(within(&comments[0], "signed") && within(&comments[0], "consumed"));
}

#[test]
fn output_file_is_written_whole() {
    let dir = std::env::temp_dir().join(format!("samlscope-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.html");
    let status = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(ROOT)
        .args(["analyze", "corpus/har/idp-error.har", "--format", "html", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert!(status.stdout.is_empty());
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>"));
    assert!(!dir.join("report.samlscope-partial").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
