//! The `re:` patterns of the shipped rules (`rules/*.toml`), prepared when triaje was built: `build.rs` parses,
//! rewrites and plans each with the loader's code ([`super::regex_plan`]) and writes the results here as statics.
//!
//! Parsing, rewriting and planning the rules' 309 regexes was 85 M of the 224 M instructions of a `triaje rules
//! test`; a pattern found here is not parsed at load at all. It is looked up by what the administrator wrote, so an
//! installation's copy of the shipped rules finds its patterns here, and a pattern written or edited by the
//! office (or a shipped one no longer in `rules/`) is not found and is parsed and checked at load as before:
//! a bad regex is still refused with its file, line and column, and a good one gives exactly what its entry
//! here would. A pattern that does not parse is never written here.

use super::regex_plan::{Prepared, RegexStart};

include!(concat!(env!("OUT_DIR"), "/shipped_regexes.rs"));

/// The shipped `re:` pattern written as `source` (`re:` included), if it is one.
pub(crate) fn shipped(source: &str) -> Option<&'static Prepared> {
    // Only `re:` patterns are here; the plain words of every rule skip the search.
    if !source.starts_with("re:") {
        return None;
    }
    SHIPPED
        .binary_search_by(|p| p.source.cmp(source))
        .ok()
        .map(|at| &SHIPPED[at])
}

#[cfg(test)]
mod tests {
    use super::super::regex_plan::{
        may_exceed_limits, parse_for_lower_case, shipped_rule_patterns, RegexPlan,
    };
    use super::*;
    use crate::rules::matcher::strip_accents;

    #[test]
    fn every_shipped_regex_is_prepared_as_loading_would_prepare_it() {
        let written = shipped_rule_patterns();
        assert!(written.len() > 300, "{}", written.len());
        for source in &written {
            let known = shipped(source).unwrap_or_else(|| panic!("not prepared: {source}"));
            let re = source.strip_prefix("re:").expect("re:");
            let hir = parse_for_lower_case(&strip_accents(re)).expect("parses");
            assert_eq!(known.regex_source, hir.to_string(), "{source}");
            assert_eq!(known.plan(), RegexPlan::of(&hir), "{source}");
            assert_eq!(known.may_exceed_limits, may_exceed_limits(&hir), "{source}");
        }
        // Sorted and without repeats, for the binary search.
        assert!(SHIPPED.windows(2).all(|w| w[0].source < w[1].source));
    }

    #[test]
    fn a_pattern_not_shipped_is_not_found() {
        assert!(shipped("re:\\bno es una regla enviada\\b").is_none());
        assert!(shipped("inscripcion").is_none());
    }
}
