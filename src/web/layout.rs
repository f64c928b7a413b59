//! The frame every page of the web server shares: a small, self-contained Spanish HTML document (no scripts,
//! fonts or images; the page family's inline stylesheet only), readable on a phone and at 200 % zoom, kept out
//! of search engines. The pages themselves are [`maud`] templates: checked when triaje is compiled, and every
//! value put in them is escaped, so text that came from outside (a citizen's subject or comment, a ticket, a
//! link) can only ever be text.

use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A whole page titled `title` (plain text), styled by `style` (one of the page families' constant
/// stylesheets), around `body`.
pub(super) fn page(title: &str, style: &'static str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="es" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                // A constant of triaje's, never outside text: CSS must not be HTML-escaped.
                style { (PreEscaped(style)) }
            }
            body {
                main { (body) }
            }
        }
    }
    .into_string()
}

/// `n` with its noun in the singular or plural (`1 estrella`, `4 estrellas`).
pub(super) fn count(n: impl Into<u64>, singular: &str, plural: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_spanish_phone_friendly_and_escapes_its_title() {
        let html = page("<b>Título</b>", "p{color:#000}", html! { p { "hola" } });
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"es\">"),
            "{html}"
        );
        assert!(html.contains("name=\"viewport\""));
        assert!(
            html.contains("<title>&lt;b&gt;Título&lt;/b&gt;</title>"),
            "{html}"
        );
        assert!(html.contains("<style>p{color:#000}</style>"));
        assert!(html.contains("<main><p>hola</p></main>"));
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1u8, "estrella", "estrellas"), "1 estrella");
        assert_eq!(count(4u8, "estrella", "estrellas"), "4 estrellas");
        assert_eq!(count(0u8, "estrella", "estrellas"), "0 estrellas");
    }
}
