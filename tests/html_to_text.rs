//! Which HTML → text conversion gives the rules and the citizen the better text: triaje's own
//! (`mail::html_to_text`) or mail-parser's (`mail_parser::decoders::html::html_to_text`, already linked in).
//!
//! Measured on the HTML of `tests/corpus`, `tests/routing/tune` (never `heldout/`), `tests/drafts/tune` and
//! `tests/hostile`: for messages with no text/plain part, whether the shipped rules file them where their label
//! says; for every HTML part, whether quoted earlier messages (`<blockquote>`) stay marked as quotes (the fresh
//! text drops them), whether link addresses survive (a citizen with a text-only client reads the reply's
//! text part, made from the assistant's HTML), and whether style or script text leaks into the words.
//! `cargo test --test html_to_text -- --nocapture` prints the table; the test holds triaje's conversion to at
//! least mail-parser's on every count.

use std::path::Path;

use mail_parser::{MessageParser, PartType};
use triaje::mail::{fresh_text, html_to_text, MessageView};
use triaje::rules::corpus::load_labelled;
use triaje::rules::RuleSet;

/// A converter under comparison.
type Convert = fn(&str) -> String;

const CONVERTERS: [(&str, Convert); 2] = [
    ("triaje", html_to_text),
    ("mail-parser", mail_parser::decoders::html::html_to_text),
];

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    /// HTML-only messages with a label.
    routed: usize,
    /// Of those, filed where the label says.
    routed_right: usize,
    /// HTML parts with a `<blockquote>`.
    quoted: usize,
    /// Of those, whose text marks the quote with `>`.
    quote_marked: usize,
    /// `href="http…"` addresses in the HTML parts.
    links: usize,
    /// Of those, present in the text.
    links_kept: usize,
    /// HTML parts whose text shows CSS or script (`{…}`, `mso-`, `function(`).
    leaks: usize,
}

/// The folders a label may name.
fn folders() -> Vec<String> {
    ["SEACE", "RNP", "Legal", "Por clasificar"]
        .map(String::from)
        .to_vec()
}

/// Every message of `dir` with its folder: the labelled ones of a routing corpus, else every `.eml` without
/// a label.
fn messages(dir: &Path, routing: bool) -> Vec<(Vec<u8>, Option<String>)> {
    if routing {
        return load_labelled(dir, &folders())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|m| (m.raw, Some(m.folder)))
            .collect();
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (std::fs::read(&p).unwrap_or_default(), None))
        .collect()
}

/// The `http…` addresses of `href`s in `html`.
fn link_targets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("href=") {
        let start = from + p + 5;
        let rest = &html[start..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        let body = if quote.is_some() { &rest[1..] } else { rest };
        let end = body
            .find(|c: char| Some(c) == quote || c.is_whitespace() || c == '>')
            .unwrap_or(body.len());
        let target = &body[..end];
        if target.starts_with("http") {
            out.push(target.replace("&amp;", "&"));
        }
        from = start;
    }
    out
}

fn measure(rules: &RuleSet, dir: &Path, routing: bool, convert: Convert) -> Counts {
    let mut c = Counts::default();
    for (raw, label) in messages(dir, routing) {
        let Some(msg) = MessageParser::default().parse(&raw) else {
            continue;
        };
        let htmls: Vec<String> = msg
            .parts
            .iter()
            .filter_map(|p| match &p.body {
                PartType::Html(h) => Some(h.to_string()),
                _ => None,
            })
            .collect();
        for html in &htmls {
            let text = convert(html);
            if html.to_ascii_lowercase().contains("<blockquote") {
                c.quoted += 1;
                c.quote_marked += usize::from(text.lines().any(|l| l.starts_with('>')));
            }
            for link in link_targets(html) {
                c.links += 1;
                c.links_kept += usize::from(text.contains(&link));
            }
            let leak = text.contains("mso-")
                || text.contains("function(")
                || text.lines().any(|l| {
                    // CSS (`p{margin:0}`), not the drafts' `{{PLACEHOLDERS}}`.
                    let l = l.replace("{{", "").replace("}}", "");
                    l.contains('{') && l.contains(':') && l.contains('}')
                });
            c.leaks += usize::from(leak);
        }
        let has_plain = msg
            .parts
            .iter()
            .any(|p| matches!(p.body, PartType::Text(_)) && !p.is_message());
        let (Some(label), Some(html), false) = (label, htmls.first(), has_plain) else {
            continue;
        };
        let Ok(parsed) = triaje::mail::parse(&raw) else {
            continue;
        };
        let text = fresh_text(&convert(html), false);
        let view = MessageView {
            text: &text,
            ..parsed.view()
        };
        let got = rules
            .classify(&view)
            .folder()
            .unwrap_or("Por clasificar")
            .to_string();
        c.routed += 1;
        c.routed_right += usize::from(got == label);
    }
    c
}

#[test]
fn triajes_html_to_text_gives_the_rules_and_the_citizen_no_worse_text_than_mail_parsers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let targets: Vec<String> = ["SEACE", "RNP", "Legal"].map(String::from).to_vec();
    let rules = RuleSet::load_dir(&root.join("rules"), &targets).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{:<20} {:<12} {:>9} {:>10} {:>9} {:>6}",
        "corpus", "converter", "routed", "quotes>", "links", "leaks"
    );
    for (corpus, routing) in [
        ("tests/corpus", true),
        ("tests/routing/tune", true),
        ("tests/drafts/tune", false),
        ("tests/hostile", false),
    ] {
        let dir = root.join(corpus);
        let counts: Vec<Counts> = CONVERTERS
            .iter()
            .map(|(name, convert)| {
                let c = measure(&rules, &dir, routing, *convert);
                println!(
                    "{corpus:<20} {name:<12} {:>4}/{:<4} {:>4}/{:<5} {:>4}/{:<4} {:>6}",
                    c.routed_right,
                    c.routed,
                    c.quote_marked,
                    c.quoted,
                    c.links_kept,
                    c.links,
                    c.leaks
                );
                c
            })
            .collect();
        let (ours, theirs) = (counts[0], counts[1]);
        assert!(
            ours.routed_right >= theirs.routed_right,
            "{corpus}: {ours:?} / {theirs:?}"
        );
        assert!(
            ours.quote_marked >= theirs.quote_marked,
            "{corpus}: {ours:?} / {theirs:?}"
        );
        assert!(
            ours.leaks <= theirs.leaks,
            "{corpus}: {ours:?} / {theirs:?}"
        );
    }
}
