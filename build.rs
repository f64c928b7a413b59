//! Build script: tells Cargo when to rebuild for files the code reads at compile time, and prepares the shipped
//! rules' regexes.
//!
//! `sqlx::migrate!` embeds `migrations/` at compile time, but Cargo does not know the macro reads that
//! directory: a new migration file would otherwise leave a binary without it until some source file changed
//! (sqlx's documentation recommends exactly this line).
//!
//! Every `re:` pattern of `rules/*.toml` is parsed, rewritten and planned here by the same code the rule loader
//! runs (`src/rules/regex_plan.rs`), and written to `$OUT_DIR/shipped_regexes.rs` (see
//! `src/rules/shipped_regexes.rs`): loading the rules then finds them done instead of parsing them.

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/rules/regex_plan.rs"]
mod regex_plan;

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/regex_plan.rs");
    let mut sources = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "toml"));
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            sources.extend(
                toml_strings(&text)
                    .into_iter()
                    .filter(|s| s.starts_with("re:")),
            );
        }
    }
    sources.sort();
    sources.dedup();
    let mut out = String::from(
        "/// The shipped rules' `re:` patterns prepared by `build.rs`, sorted by source.\n\
         pub(crate) static SHIPPED: &[Prepared] = &[\n",
    );
    for source in &sources {
        let re = &source["re:".len()..];
        // The loader strips the accents of a regex before parsing it (Unicode decomposition, which this
        // script does not carry): a pattern with any is left to the loader.
        if !re.is_ascii() || re.trim().is_empty() {
            continue;
        }
        // What the loader works out for a `re:` pattern it parses (`RuleSet`'s `Builder::prepare_regex`).
        let Ok(hir) = regex_plan::parse_for_lower_case(re) else {
            continue;
        };
        let plan = regex_plan::RegexPlan::of(&hir);
        let may_exceed = regex_plan::may_exceed_limits(&hir);
        let triggers: String = plan
            .triggers
            .iter()
            .map(|t| format!("b\"{}\", ", t.escape_ascii()))
            .collect();
        let _ = writeln!(
            out,
            "    Prepared {{ source: {source:?}, regex_source: {:?}, start: RegexStart::{:?}, \
             triggers: &[{triggers}], at_word_start: {}, spans_words: {}, may_exceed_limits: {may_exceed} }},",
            hir.to_string(),
            plan.start,
            plan.at_word_start,
            plan.spans_words,
        );
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("Cargo sets OUT_DIR");
    std::fs::write(Path::new(&dir).join("shipped_regexes.rs"), out).expect("OUT_DIR is writable");
}

/// Every string value of a TOML text (basic and literal, single- and multi-line), unescaped; comments skipped.
/// A string this reads wrongly only costs its pattern the parse at load: entries are looked up by the text
/// the loader read, and each is prepared from its own source.
fn toml_strings(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['"', '\'', '#']) {
        rest = &rest[at..];
        if rest.starts_with('#') {
            rest = rest.find('\n').map_or("", |end| &rest[end..]);
            continue;
        }
        let delim = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            &rest[..3]
        } else {
            &rest[..1]
        };
        let basic = delim.starts_with('"');
        rest = &rest[delim.len()..];
        let (value, end) = string_body(rest, delim, basic);
        if let Some(value) = value {
            found.push(value);
        }
        rest = &rest[end..];
    }
    found
}

/// The string that starts `rest` up to `delim` (escapes read when `basic`), and where it ends; `None` for one
/// with an escape not read here (a line-ending backslash).
fn string_body(rest: &str, delim: &str, basic: bool) -> (Option<String>, usize) {
    let mut value = Some(String::new());
    let mut i = 0;
    while let Some(c) = rest[i..].chars().next() {
        if rest[i..].starts_with(delim) {
            return (value, i + delim.len());
        }
        i += c.len_utf8();
        if !(basic && c == '\\') {
            if let Some(v) = value.as_mut() {
                v.push(c);
            }
            continue;
        }
        let Some(e) = rest[i..].chars().next() else {
            break;
        };
        i += e.len_utf8();
        let hex = |at: usize, n: usize| {
            rest.get(at..at + n)
                .and_then(|d| u32::from_str_radix(d, 16).ok())
                .and_then(char::from_u32)
        };
        let unescaped = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            'u' => hex(i, 4).inspect(|_| i += 4),
            'U' => hex(i, 8).inspect(|_| i += 8),
            _ => None,
        };
        match (unescaped, value.as_mut()) {
            (Some(c), Some(v)) => v.push(c),
            _ => value = None,
        }
    }
    (value, rest.len())
}
