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

/// The arguments of every case of corpus/html/cases.tsv, by case name.
fn cases() -> Vec<(String, Vec<String>)> {
    let tsv = std::fs::read_to_string(format!("{ROOT}/corpus/html/cases.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let mut args = vec![format!("corpus/html/{}", f[1])];
            args.extend(f[2].split_whitespace().filter(|a| *a != "-").map(String::from));
            (f[0].to_string(), args)
        })
        .collect()
}

/// The report of one corpus/html case.
fn case(name: &str) -> (Html, String, serde_json::Value) {
    let (_, args) = cases().into_iter().find(|(n, _)| n == name).unwrap();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (doc, page, json) = html(&args);
    assert_inert(name, &doc, &page);
    (doc, page, json)
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
    assert_cases("corpus/html", 12);
}

#[test]
fn hostile_values_are_shown_as_text_and_nothing_else() {
    for (name, _) in cases() {
        let (doc, _, json) = case(&name);
        let body = text(&select(&doc, "body")[0]);
        let shown: Vec<&&str> = SHOWN.iter().filter(|v| body.contains(**v)).collect();
        // The IdP page shows its title and text; a login shows every value.
        let want = match name.as_str() {
            "hostile-idp-page" => 4,
            "hostile-login" | "hostile-response" => SHOWN.len(),
            _ => 0,
        };
        assert!(shown.len() >= want, "{name}: shown only {shown:?}");
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
        assert_eq!(rules, want, "{name}");
    }
}

#[test]
fn the_report_opens_to_the_verdict_and_the_failing_hop() {
    let mut args = vec!["corpus/har/multi-problem.har"];
    args.extend(HAR_SETUP);
    let (doc, page, json) = html(&args);
    assert_inert("multi-problem", &doc, &page);
    let verdict = select(&doc, "header .verdict");
    assert_eq!(verdict[0].value().attr("class"), Some("verdict fails"));
    assert_eq!(text(&select(&doc, ".verdict .headline")[0]), "The login fails: 2 errors.");
    assert!(text(&select(&doc, ".verdict .first")[0]).starts_with("First: audience-mismatch — "));
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
    assert_eq!(select(&doc, "header .verdict")[0].value().attr("class"), Some("verdict ok"));
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

#[test]
fn a_signature_by_another_key_is_intact_not_signed() {
    // Signed by a key that is not the configured certificate: the content is intact, but
    // nothing says who signed it; it must not take the colour of a verified signature.
    for cert in [&["--cert", "corpus/signed/keys/idp.pem"][..], &[]] {
        let mut args = vec!["corpus/signed/cert-mismatch.xml"];
        args.extend(cert);
        let (doc, page, _) = html(&args);
        assert_inert("cert-mismatch", &doc, &page);
        assert!(select(&doc, "div.xml .el.signed").is_empty(), "{cert:?}");
        let read = select(&doc, "div.xml .el.consumed");
        assert!(within(&read[0], "intact") && !within(&read[0], "signed"), "{cert:?}");
    }
}

#[test]
fn padding_cannot_push_the_read_assertion_out_of_the_view() {
    let (doc, _, _) = case("xsw7-padded");
    let read = select(&doc, "div.xml .el.consumed");
    assert_eq!(read.len(), 1);
    assert!(!within(&read[0], "signed"));
    assert!(text(&read[0]).contains("admin@evil.example"), "the forged content is drawn");
    assert_eq!(select(&doc, "div.xml .el.signed").len(), 1);
    let more: Vec<String> = select(&doc, "div.xml .more").iter().map(text).collect();
    assert!(more.iter().any(|m| m.ends_with("nodes not drawn (limit)")), "{more:?}");
}

#[test]
fn invisible_characters_and_line_breaks_are_shown() {
    let (doc, page, _) = case("zerowidth");
    for c in ['\u{200b}', '\u{2060}', '\u{feff}', '\u{ad}', '\u{200d}'] {
        assert!(!page.contains(c), "raw {c:?}");
        assert!(page.contains(&format!("\\u{{{:x}}}", u32::from(c))), "{c:?} not shown");
    }
    let observed: Vec<String> = select(&doc, "li.finding dd code").iter().map(text).collect();
    assert!(observed.contains(&"https://sp.example.com\\u{200b}".to_string()), "{observed:?}");
    // A NameID holding a line break and escaped markup stays one line of the XML view.
    let (doc, _, _) = case("newline-nameid");
    let lines: Vec<String> = select(&doc, "div.xml .line")
        .iter()
        .map(text)
        .filter(|l| l.contains("admin@acme.com"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("<saml:NameID>ada@acme.com</saml:NameID>\\u{a}"), "{lines:?}");
}

#[test]
fn capture_text_stays_out_of_the_verdict_headline() {
    let (doc, _, _) = case("verdict-spoof");
    assert_eq!(text(&select(&doc, ".verdict .headline")[0]), "The login fails: 1 error.");
    // The banner names the rule and its summary, never the capture's text.
    let first = text(&select(&doc, ".verdict .first")[0]);
    assert_eq!(
        first,
        "First: acs-url-mismatch — the requested ACS URL is not the configured one or not where the Response went"
    );
    let not_checked = text(&select(&doc, ".verdict .not-checked")[0]);
    assert!(not_checked.ends_with("the validity window (give --at)."), "{not_checked}");
    assert_eq!(
        select(&doc, "title").iter().map(text).next().unwrap(),
        "samlscope: The login fails: 1 error"
    );
}

#[test]
fn long_names_do_not_amplify_the_page() {
    let (_, page, _) = case("long-names");
    let input = std::fs::metadata(format!("{ROOT}/corpus/html/long-names.url")).unwrap().len();
    // 2,000 elements with 1,900-character names: 3.8 MB of XML, names clipped to 64.
    assert!((page.len() as u64) < 40 * input, "{} bytes of HTML from {input}", page.len());
}

/// The nearest coverage class on `e` or an ancestor: `signed`, `intact` or `excluded`.
fn nearest_cover(e: &ElementRef<'_>) -> Option<&'static str> {
    std::iter::once(**e).chain(e.ancestors()).filter_map(|n| n.value().as_element()).find_map(
        |el| {
            ["signed", "intact", "excluded"]
                .into_iter()
                .find(|c| el.has_class(c, scraper::CaseSensitivity::CaseSensitive))
        },
    )
}

#[test]
fn content_inside_a_signature_is_not_shown_as_signed() {
    // A forged assertion in the ds:Object of the Response's own (enveloped) signature: the
    // signature never covers itself, so nothing in it is signed.
    let path = "corpus/signed/hidden-in-own-signature-object.xml";
    let (doc, page, _) = html(&[path, "--cert", "corpus/signed/keys/idp.pem"]);
    assert_inert("hidden-in-own-signature-object", &doc, &page);
    let forged: Vec<ElementRef<'_>> = select(&doc, "div.xml .line")
        .into_iter()
        .filter(|l| text(l).contains("admin@evil.example"))
        .collect();
    assert!(!forged.is_empty());
    for l in &forged {
        assert_eq!(nearest_cover(l), Some("excluded"), "{}", text(l));
    }
    // The assertion's own signature inside a signed Response is covered by the Response's.
    let (doc, _, _) =
        html(&["corpus/signed/salesforce-response.xml", "--cert", "corpus/signed/keys/idp.pem"]);
    let sigs = select(&doc, "div.xml .el.signature");
    assert_eq!(sigs.len(), 2);
    assert_eq!(nearest_cover(&sigs[0]), Some("excluded"), "the Response's own signature");
    assert_eq!(nearest_cover(&sigs[1]), Some("signed"), "the Assertion's, inside the Response");
}

#[test]
fn floods_of_signatures_and_escaped_values_stay_bounded() {
    let (_, page, json) = case("signature-flood");
    assert!(page.len() < 1_500_000, "{} bytes", page.len());
    assert_eq!(json["messages"][0]["signatures"].as_array().unwrap().len(), 32);
    assert_eq!(json["messages"][0]["signatures_not_listed"], 490_000 - 32);
    let (doc, page, _) = case("quotes");
    assert!(page.len() < 1_500_000, "{} bytes", page.len());
    assert!(!select(&doc, "div.xml .more").is_empty());
}

#[test]
fn values_that_differ_never_look_the_same() {
    let (doc, page, _) = case("invisible-more");
    for escape in ["\\u{fff0}", "\\u{e0080}", "\\u{fffc}"] {
        assert!(page.contains(escape), "{escape}");
    }
    let observed: Vec<String> = select(&doc, "li.finding dd code").iter().map(text).collect();
    let acs = "https://sp.example.com/acs";
    assert!(observed.contains(&format!("{acs}\\u{{a0}}")), "{observed:?}");
    assert!(observed.contains(&format!("\\u{{20}}{acs}")), "{observed:?}");
}

#[test]
fn padding_inside_the_read_assertion_cannot_hide_its_subject() {
    let (doc, _, _) = case("xsw7-pad-in-forged");
    let read = select(&doc, "div.xml .el.consumed");
    assert_eq!(read.len(), 1);
    assert!(text(&read[0]).contains("admin@evil.example"), "the forged NameID is drawn");
}
