//! Reading the SAML fields out of an HTML auto-post form (SAML Bindings §3.5.4): the form's
//! action and the fields named SAMLRequest, SAMLResponse and RelayState that a browser would
//! submit. The page is parsed as a browser parses it (html5ever, through scraper): an input
//! inside a comment, a `<textarea>`, a script or a quoted attribute value is no field, and a
//! field written in any valid syntax (`<input/name=…>`) is one. A hand-written scanner that
//! disagrees with the browser lets a forged message be posted while a genuine one is checked.

use std::collections::HashMap;

use html5ever::driver::{parse_document, ParseOpts};
use html5ever::tendril::TendrilSink;
use scraper::{ElementRef, Html, HtmlTreeSink};

/// The SAML fields of one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoPostForm {
    /// The `action` URL of the form that submits the first SAML field (else of the first form).
    pub action: Option<String>,
    /// `(name, value)` of each SAML field a browser would submit, in document order.
    pub fields: Vec<(String, String)>,
    /// Why the page was not parsed (a limit), if it was not.
    pub refused: Option<String>,
}

const SAML_FIELDS: [&str; 4] = ["SAMLResponse", "SAMLRequest", "RelayState", "wresult"];

/// Most formatting start tags (`<b>`, `<font>`, …) a page may have to be parsed: the HTML tree
/// builder re-opens unclosed formatting elements in every new block, so n of them cost n²
/// elements. An auto-post page has none or a few.
pub const MAX_FORMATTING_TAGS: usize = 256;

/// Finds the SAML fields a browser could submit (HTML §4.10.21.4 "constructing the entry
/// list"). Only what a browser never submits is left out — a control in a `<template>`, a
/// disabled one (or one in a disabled fieldset, outside its first legend), an unchecked
/// checkbox or radio button, a reset or plain button, a control that is not HTML (`<svg>`,
/// `<math>`); anything else counts, whichever form owns it: reading a value the browser would
/// not send only adds a repetition, leaving out one it sends would hide a forgery. The page is
/// parsed with scripting off, so `<noscript>` content (submitted without JavaScript) is read.
/// The form action's query is read too: some frameworks read query parameters first.
pub fn scan_auto_post_form(html: &str) -> AutoPostForm {
    let (tags, attributes) = (count_start_tags(html), max_attributes_per_tag(html));
    let formatting = count_formatting_tags(html);
    let limits = [
        (tags > MAX_TAGS, format!("{tags} tags, more than the {MAX_TAGS}")),
        (
            attributes > MAX_ATTRIBUTES_PER_TAG,
            format!("a tag of {attributes} attributes, more than the {MAX_ATTRIBUTES_PER_TAG}"),
        ),
        (
            formatting > MAX_FORMATTING_TAGS,
            format!("{formatting} formatting tags, more than the {MAX_FORMATTING_TAGS}"),
        ),
    ];
    if let Some((_, what)) = limits.into_iter().find(|(over, _)| *over) {
        return AutoPostForm {
            refused: Some(format!("HTML page with {what} a page is parsed with (limit)")),
            ..AutoPostForm::default()
        };
    }
    let mut opts = ParseOpts::default();
    opts.tree_builder.scripting_enabled = false;
    let doc = parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(html);
    // Whether each element sits where nothing is submitted (a template, a disabled fieldset
    // outside its first legend), computed from its parent's in one pass: nesting stays linear.
    let mut blocked: HashMap<ego_tree::NodeId, bool> = HashMap::new();
    let mut legends: HashMap<ego_tree::NodeId, Option<ego_tree::NodeId>> = HashMap::new();
    let mut form = AutoPostForm::default();
    let mut first_form = None;
    for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        let e = el.value();
        let inherited = el.parent().and_then(ElementRef::wrap).is_some_and(|p| {
            blocked.get(&p.id()).copied().unwrap_or(false) || hides_children(&p, &el, &mut legends)
        });
        blocked.insert(el.id(), inherited);
        if !is_html(&el) {
            continue;
        }
        if e.name() == "form" {
            first_form.get_or_insert(el);
            continue;
        }
        let Some(name) = e.attr("name").filter(|n| SAML_FIELDS.contains(&super::param_name(n)))
        else {
            continue;
        };
        if inherited || e.attr("disabled").is_some() {
            continue;
        }
        let values = match e.name() {
            "input" => {
                let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
                let never = matches!(kind.as_str(), "button" | "reset" | "file");
                let unchecked =
                    matches!(kind.as_str(), "checkbox" | "radio") && e.attr("checked").is_none();
                if never || unchecked {
                    continue;
                }
                vec![e.attr("value").unwrap_or_default().to_string()]
            }
            // A submit button sends its value when it is the one clicked (the Continue of an
            // auto-post page without JavaScript).
            "button" if e.attr("type").is_none_or(|t| t.eq_ignore_ascii_case("submit")) => {
                vec![e.attr("value").unwrap_or_default().to_string()]
            }
            "textarea" => vec![el.text().collect()],
            "select" => selected_options(&el),
            _ => continue,
        };
        if form.fields.is_empty() {
            let owner =
                el.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "form");
            form.action =
                owner.or(first_form).and_then(|f| f.value().attr("action")).map(str::to_string);
        }
        form.fields.extend(values.into_iter().map(|v| (super::param_name(name).to_string(), v)));
    }
    if form.fields.is_empty() {
        form.action = first_form.and_then(|f| f.value().attr("action")).map(str::to_string);
    }
    form
}

/// An element of the HTML namespace (not one inside `<svg>` or `<math>`).
fn is_html(el: &ElementRef) -> bool {
    &*el.value().name.ns == "http://www.w3.org/1999/xhtml"
}

/// Whether `parent` keeps `child` from being submitted: an HTML template hides its content; a
/// disabled HTML fieldset disables all but its first legend (`legends` caches each one).
fn hides_children(
    parent: &ElementRef,
    child: &ElementRef,
    legends: &mut HashMap<ego_tree::NodeId, Option<ego_tree::NodeId>>,
) -> bool {
    if !is_html(parent) {
        return false;
    }
    match parent.value().name() {
        "template" => true,
        "fieldset" if parent.value().attr("disabled").is_some() => {
            let legend = *legends.entry(parent.id()).or_insert_with(|| {
                parent
                    .children()
                    .filter_map(ElementRef::wrap)
                    .find(|c| c.value().name() == "legend")
                    .map(|c| c.id())
            });
            legend != Some(child.id())
        }
        _ => false,
    }
}

/// The values a select could submit: its selected options (or its first option when none is
/// selected and it is not a multiple select). Disabled options are read too: leaving one out
/// that a browser sends would hide a value, reading one it does not only adds a repetition.
fn selected_options(select: &ElementRef) -> Vec<String> {
    let options: Vec<ElementRef> = select
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|o| o.value().name() == "option")
        .collect();
    let value = |o: &ElementRef| {
        o.value().attr("value").map(str::to_string).unwrap_or_else(|| {
            o.text().collect::<String>().split_ascii_whitespace().collect::<Vec<_>>().join(" ")
        })
    };
    let selected: Vec<String> =
        options.iter().filter(|o| o.value().attr("selected").is_some()).map(value).collect();
    if !selected.is_empty() || select.value().attr("multiple").is_some() {
        return selected;
    }
    options.first().map(value).into_iter().collect()
}

/// Most start tags a page may have to be parsed: the HTML tree builder checks its stack of
/// open elements for many tags, so deep nesting costs depth × elements. Auto-post pages and
/// IdP error pages have a few hundred.
pub const MAX_TAGS: usize = 4096;

/// Most attributes one tag may have for the page to be parsed: the tree builder checks each
/// new attribute against the tag's others.
pub const MAX_ATTRIBUTES_PER_TAG: usize = 256;

/// The most `=` signs outside quotes in one tag: an upper bound of its attributes.
fn max_attributes_per_tag(html: &str) -> usize {
    let (mut most, mut count, mut in_tag, mut quote) = (0, 0, false, None);
    for b in html.bytes() {
        match (in_tag, quote, b) {
            (true, Some(q), _) if b == q => quote = None,
            (true, Some(_), _) => {}
            (true, None, b'"' | b'\'') => quote = Some(b),
            (true, None, b'=') => count += 1,
            (true, None, b'>') => {
                most = most.max(count);
                in_tag = false;
            }
            (false, _, b'<') => {
                in_tag = true;
                count = 0;
            }
            _ => {}
        }
    }
    most.max(count)
}

/// How many start tags (`<` followed by a letter) the page has.
fn count_start_tags(html: &str) -> usize {
    let b = html.as_bytes();
    (0..b.len())
        .filter(|i| b[*i] == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
        .count()
}

/// How many start tags of formatting elements (HTML §13.2.4.3) the page has.
fn count_formatting_tags(html: &str) -> usize {
    const FORMATTING: [&[u8]; 14] = [
        b"a", b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike",
        b"strong", b"tt", b"u",
    ];
    let bytes = html.as_bytes();
    (0..bytes.len())
        .filter(|i| bytes[*i] == b'<')
        .filter(|i| {
            let name: Vec<u8> = bytes[i + 1..]
                .iter()
                .take(8)
                .take_while(|c| c.is_ascii_alphabetic())
                .map(u8::to_ascii_lowercase)
                .collect();
            let after = bytes.get(i + 1 + name.len());
            after.is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
                && FORMATTING.contains(&name.as_slice())
        })
        .count()
}

/// Decodes the character references HTML pages use in attribute values.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        // A reference is at most 10 bytes: look no further, so text full of '&' stays linear.
        let semi = tail.bytes().take(11).position(|b| b == b';');
        let decoded = semi.and_then(|semi| {
            let name = &tail[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "copy" => Some('©'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_salesforce_style_form() {
        let html = r#"<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://login.flex.us1.twilio.com/login/callback?connection=JQ1&amp;x=1">
<input type="hidden" name="SAMLResponse" value="PD94&#x2b;bWw&#61;" />
<INPUT TYPE=hidden NAME=RelayState VALUE=abc>
<input type="submit" value="Continue"/></form></body></html>"#;
        let form = scan_auto_post_form(html);
        assert_eq!(
            form.action.as_deref(),
            Some("https://login.flex.us1.twilio.com/login/callback?connection=JQ1&x=1")
        );
        assert_eq!(
            form.fields,
            vec![("SAMLResponse".into(), "PD94+bWw=".into()), ("RelayState".into(), "abc".into())]
        );
    }

    #[test]
    fn fields_are_what_a_browser_submits() {
        let html = r#"<html><body>
<!-- <input type="hidden" name="SAMLResponse" value="in-a-comment"> -->
<textarea><input type="hidden" name="SAMLResponse" value="in-a-textarea"></textarea>
<form action="https://sp/acs"><input data-x="a>b" type="hidden" name="SAMLResponse" value="posted">
<input/type="hidden"/name="RelayState"/value="slashes">
<input type="hidden" name="SAMLResponse" value="disabled" disabled>
<input type="reset" name="SAMLRequest" value="reset"></form>
<script>var s = '<input name="SAMLRequest" value="in-a-script">';</script>
</body></html>"#;
        let form = scan_auto_post_form(html);
        assert_eq!(form.action.as_deref(), Some("https://sp/acs"));
        assert_eq!(
            form.fields,
            vec![("SAMLResponse".into(), "posted".into()), ("RelayState".into(), "slashes".into())]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&amp;b&#43;&#x3D;&bogus"), "a&b+=&bogus");
    }
}
