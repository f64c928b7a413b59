//! The survey's pages: small, self-contained Spanish pages that read well on a phone and at 200 % zoom, as
//! [`maud`] templates (see [`layout`](super::layout)): every value that came from outside is escaped by them.

use maud::{html, Markup};

use super::layout::{count, page};

/// The stylesheet of every page: relative sizes (zoom-friendly), high contrast, visible focus.
const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;\
font-size:1.125rem;line-height:1.5;color:#1a1a1a;background:#f6f6f4;margin:0;padding:1rem}\
main{max-width:40rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:.5rem;\
border:1px solid #d0d0cc}h1{font-size:1.5rem;line-height:1.25;margin-top:0}\
.estrellas{font-size:2rem;color:#8a5a00;letter-spacing:.1em}\
label{display:block;font-weight:600;margin:1rem 0 .25rem}\
textarea{box-sizing:border-box;width:100%;min-height:8rem;font:inherit;padding:.5rem;\
border:2px solid #555;border-radius:.25rem}\
button{font:inherit;margin-top:.75rem;padding:.5rem 1.25rem;background:#0b4f8a;color:#fff;\
border:0;border-radius:.25rem;cursor:pointer}\
:focus-visible{outline:3px solid #e07000;outline-offset:2px}\
fieldset{border:1px solid #d0d0cc;border-radius:.25rem;margin:1rem 0}\
legend{font-weight:600}.opcion{font-weight:400;margin:.5rem 0}.opcion input{transform:scale(1.4);margin-right:.5rem}\
blockquote{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #0b4f8a;background:#f0f4f8;\
white-space:pre-wrap;overflow-wrap:anywhere}.nota{color:#444;font-size:1rem}";

/// `★★★★☆` for the eye and «4 de 5 estrellas» for everyone.
fn stars(rating: u8) -> Markup {
    let rating = rating.clamp(1, 5);
    html! {
        p {
            span.estrellas aria-hidden="true" { (star_row(rating)) }
            br;
            strong { (rating) " de 5 " (if rating == 1 { "estrella" } else { "estrellas" }) }
        }
    }
}

/// `rating` full stars and the rest empty, five in all.
fn star_row(rating: u8) -> String {
    (1..=5)
        .map(|n| if n <= rating { '★' } else { '☆' })
        .collect()
}

/// The comment box, posting to `{token}/comentario` relative to the survey page (works behind a prefix).
fn comment_form(token: &str) -> Markup {
    html! {
        form method="post" action={ (token) "/comentario" } {
            label for="comentario" { "¿Quiere contarnos algo más? (opcional)" }
            textarea id="comentario" name="comentario" maxlength="2000" rows="6"
                aria-describedby="comentario-nota" {}
            p id="comentario-nota" class="nota" {
                "Hasta 2000 caracteres. No escriba datos personales que no sean necesarios."
            }
            button type="submit" { "Enviar comentario" }
        }
    }
}

/// What each number of stars means, for the radio buttons' labels.
const STAR_MEANINGS: [&str; 5] = ["muy mala", "mala", "regular", "buena", "excelente"];

/// The stars page a survey link opens: five choices with the link's `preselected` one checked, an optional
/// comment, and the button whose click (a `POST` to the same address) records the answer. Opening the page
/// records nothing, so the mail scanners that open every link of a message cannot answer for the citizen.
pub(super) fn survey(ticket: &str, token: &str, preselected: u8) -> String {
    let preselected = preselected.clamp(1, 5);
    page(
        "Califique nuestra atención",
        STYLE,
        html! {
            h1 { "¿Cómo calificaría nuestra atención?" }
            p {
                "Consulta " strong { (ticket) } ". Elija las estrellas y pulse «Enviar mi calificación»; su \
                 respuesta se registra solo al pulsar el botón."
            }
            form method="post" action=(token) {
                fieldset {
                    legend { "Su calificación" }
                    @for n in (1..=5u8).rev() {
                        label.opcion {
                            input type="radio" name="estrellas" value=(n) checked[n == preselected];
                            " "
                            span.estrellas aria-hidden="true" { (star_row(n)) }
                            " " (count(n, "estrella", "estrellas")) ": " (STAR_MEANINGS[usize::from(n - 1)])
                        }
                    }
                }
                label for="comentario" { "¿Quiere contarnos algo más? (opcional)" }
                textarea id="comentario" name="comentario" maxlength="2000" rows="5" {}
                button type="submit" { "Enviar mi calificación" }
            }
        },
    )
}

/// The rating was recorded (with the comment written beside it, when there was one).
pub(super) fn thanks(rating: u8, ticket: &str, token: &str, comment: Option<&str>) -> String {
    page(
        "Gracias por su respuesta",
        STYLE,
        html! {
            h1 { "Gracias por su respuesta" }
            p { "Registramos su calificación de la atención a la consulta " strong { (ticket) } ":" }
            (stars(rating))
            @match comment {
                Some(comment) => {
                    p { "Y su comentario, que tendremos en cuenta para mejorar:" }
                    blockquote { (comment) }
                }
                None => (comment_form(token)),
            }
        },
    )
}

/// The consultation had been rated before; the first answer was kept. The comment box is offered while
/// there is no comment yet.
pub(super) fn already_rated(kept: u8, ticket: &str, token: &str, comment_open: bool) -> String {
    page(
        "Su respuesta ya estaba registrada",
        STYLE,
        html! {
            h1 { "Su respuesta ya estaba registrada" }
            p {
                "La consulta " strong { (ticket) } " ya había sido calificada. Conservamos la primera \
                 respuesta: " (count(kept, "estrella", "estrellas")) "."
            }
            (stars(kept))
            @if comment_open { (comment_form(token)) }
        },
    )
}

/// A page that only says something: a heading and paragraphs of triaje's own text.
fn notice(title: &str, heading: &str, paragraphs: &[&str]) -> String {
    page(
        title,
        STYLE,
        html! {
            h1 { (heading) }
            @for paragraph in paragraphs { p { (paragraph) } }
        },
    )
}

/// The link is not ours, was edited or does not match a consultation.
pub(super) fn invalid() -> String {
    notice(
        "Enlace no válido",
        "Este enlace no es válido",
        &[
            "Este enlace no es válido: puede haberse copiado incompleto o haber sido modificado. No \
             registramos ninguna respuesta.",
            "Si desea calificar nuestra atención, puede responder a nuestro correo con un número del 1 al 5 \
             (1 = muy insatisfecho, 5 = muy satisfecho).",
        ],
    )
}

/// The link is authentic but past its expiry.
pub(super) fn expired() -> String {
    notice(
        "Enlace vencido",
        "Este enlace ya venció",
        &[
            "El plazo para responder la encuesta con este enlace terminó, y no registramos ninguna respuesta.",
            "Si aún desea calificar nuestra atención, puede responder a nuestro correo con un número del 1 al 5.",
        ],
    )
}

/// The comment was stored; it is shown back (escaped).
pub(super) fn comment_thanks(comment: &str) -> String {
    page(
        "Gracias por su comentario",
        STYLE,
        html! {
            h1 { "Gracias por su comentario" }
            p { "Lo recibimos y lo tendremos en cuenta para mejorar nuestra atención:" }
            blockquote { (comment) }
        },
    )
}

/// A comment was already stored (the first is kept), or there is no rating to attach it to.
pub(super) fn comment_not_kept() -> String {
    notice(
        "Comentario no registrado",
        "Ya teníamos su comentario",
        &[
            "Para esta consulta ya habíamos recibido un comentario y conservamos el primero, o todavía no hay \
             una calificación a la que asociarlo. Si desea agregar algo, puede responder a nuestro correo.",
        ],
    )
}

/// The comment was empty.
pub(super) fn comment_empty() -> String {
    notice(
        "Comentario vacío",
        "El comentario está vacío",
        &["No recibimos ningún texto. Vuelva a la página anterior si desea escribir un comentario."],
    )
}

/// Something failed on our side (database, timeout).
pub(super) fn unavailable() -> String {
    notice(
        "Servicio no disponible",
        "No pudimos registrar su respuesta",
        &[
            "Tenemos un problema temporal. Por favor, vuelva a abrir el enlace en unos minutos o responda a \
             nuestro correo con un número del 1 al 5.",
        ],
    )
}

/// Any other address.
pub(super) fn not_found() -> String {
    notice(
        "Página no encontrada",
        "Página no encontrada",
        &[
            "Esta dirección no existe. Para calificar nuestra atención use los enlaces de nuestro correo, o \
             respóndalo con un número del 1 al 5.",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_spanish_phone_friendly_and_self_contained() {
        let html = thanks(4, "CONS-2026-000001", "abc.def", None);
        assert!(html.contains("<html lang=\"es\">"));
        assert!(html.contains("name=\"viewport\""));
        assert!(html.contains("<label for=\"comentario\">"));
        assert!(html.contains("id=\"comentario\""));
        assert!(html.contains("4 de 5 estrellas"));
        assert!(html.contains("action=\"abc.def/comentario\""));
        for outside in ["<script", "<link", "<img", "http://", "https://", "@import"] {
            assert!(!html.contains(outside), "{outside}");
        }
    }

    #[test]
    fn the_stars_page_preselects_the_link_and_posts_to_itself() {
        let html = survey("CONS-2026-000001", "abc.def", 4);
        assert!(html.contains("<form method=\"post\" action=\"abc.def\">"));
        assert!(html.contains("value=\"4\" checked"));
        assert_eq!(html.matches(" checked").count(), 1);
        assert_eq!(html.matches("name=\"estrellas\"").count(), 5);
        for outside in ["<script", "<link", "<img", "http://", "https://", "@import"] {
            assert!(!html.contains(outside), "{outside}");
        }
    }

    #[test]
    fn an_echoed_comment_is_escaped() {
        let html = comment_thanks("<script>alert(1)</script>");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn a_citizen_token_or_ticket_cannot_break_out_of_its_attribute_or_text() {
        let html = survey("<b>T</b>", "x\"><script>alert(1)</script>", 3);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>T</b>"), "{html}");
        assert!(
            html.contains("action=\"x&quot;&gt;&lt;script&gt;"),
            "{html}"
        );
        let html = thanks(5, "T", "x", Some("<img src=x onerror=alert(1)>"));
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn one_star_is_singular() {
        assert!(already_rated(1, "T", "x", true).contains("1 estrella."));
    }
}
