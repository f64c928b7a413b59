//! The survey's pages: small, self-contained Spanish HTML that reads well on a phone and at 200 % zoom.
//!
//! No scripts, fonts or images, inline CSS only (the Content-Security-Policy allows nothing else). Every
//! value that came from outside goes through [`escape_html`].

use crate::spanish::escape_html;

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

/// A whole page around `body` (already HTML), titled `title` (plain text).
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n\
         </body>\n</html>\n",
        title = escape_html(title),
    )
}

/// `★★★★☆` for the eye and «4 de 5 estrellas» for everyone.
fn stars(rating: u8) -> String {
    let rating = rating.clamp(1, 5);
    let shown: String = (1..=5)
        .map(|n| if n <= rating { '★' } else { '☆' })
        .collect();
    let words = if rating == 1 { "estrella" } else { "estrellas" };
    format!(
        "<p><span class=\"estrellas\" aria-hidden=\"true\">{shown}</span><br>\
         <strong>{rating} de 5 {words}</strong></p>"
    )
}

/// The comment box, posting to `{token}/comentario` relative to the survey page (works behind a prefix).
fn comment_form(token: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{token}/comentario\">\n\
         <label for=\"comentario\">¿Quiere contarnos algo más? (opcional)</label>\n\
         <textarea id=\"comentario\" name=\"comentario\" maxlength=\"2000\" rows=\"6\" \
         aria-describedby=\"comentario-nota\"></textarea>\n\
         <p id=\"comentario-nota\" class=\"nota\">Hasta 2000 caracteres. No escriba datos personales \
         que no sean necesarios.</p>\n\
         <button type=\"submit\">Enviar comentario</button>\n</form>",
        token = escape_html(token),
    )
}

/// What each number of stars means, for the radio buttons' labels.
const STAR_MEANINGS: [&str; 5] = ["muy mala", "mala", "regular", "buena", "excelente"];

/// The stars page a survey link opens: five choices with the link's `preselected` one checked, an optional
/// comment, and the button whose click (a `POST` to the same address) records the answer. Opening the page
/// records nothing, so the mail scanners that open every link of a message cannot answer for the citizen.
pub(super) fn survey(ticket: &str, token: &str, preselected: u8) -> String {
    let mut choices = String::new();
    for n in (1..=5u8).rev() {
        let shown: String = (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect();
        let words = if n == 1 { "estrella" } else { "estrellas" };
        choices.push_str(&format!(
            "<label class=\"opcion\"><input type=\"radio\" name=\"estrellas\" value=\"{n}\"{checked}> \
             <span class=\"estrellas\" aria-hidden=\"true\">{shown}</span> {n} {words}: {meaning}</label>\n",
            checked = if n == preselected.clamp(1, 5) { " checked" } else { "" },
            meaning = STAR_MEANINGS[usize::from(n - 1)],
        ));
    }
    page(
        "Califique nuestra atención",
        &format!(
            "<h1>¿Cómo calificaría nuestra atención?</h1>\n<p>Consulta <strong>{ticket}</strong>. Elija las \
             estrellas y pulse «Enviar mi calificación»; su respuesta se registra solo al pulsar el botón.</p>\n\
             <form method=\"post\" action=\"{action}\">\n<fieldset>\n<legend>Su calificación</legend>\n\
             {choices}</fieldset>\n\
             <label for=\"comentario\">¿Quiere contarnos algo más? (opcional)</label>\n\
             <textarea id=\"comentario\" name=\"comentario\" maxlength=\"2000\" rows=\"5\"></textarea>\n\
             <button type=\"submit\">Enviar mi calificación</button>\n</form>",
            ticket = escape_html(ticket),
            action = escape_html(token),
        ),
    )
}

/// The rating was recorded (with the comment written beside it, when there was one).
pub(super) fn thanks(rating: u8, ticket: &str, token: &str, comment: Option<&str>) -> String {
    let after = match comment {
        Some(comment) => format!(
            "<p>Y su comentario, que tendremos en cuenta para mejorar:</p>\n<blockquote>{}</blockquote>",
            escape_html(comment)
        ),
        None => comment_form(token),
    };
    page(
        "Gracias por su respuesta",
        &format!(
            "<h1>Gracias por su respuesta</h1>\n<p>Registramos su calificación de la atención a la consulta \
             <strong>{ticket}</strong>:</p>\n{stars}\n{after}",
            ticket = escape_html(ticket),
            stars = stars(rating),
        ),
    )
}

/// The consultation had been rated before; the first answer was kept. The comment box is offered while
/// there is no comment yet.
pub(super) fn already_rated(kept: u8, ticket: &str, token: &str, comment_open: bool) -> String {
    let words = if kept == 1 { "estrella" } else { "estrellas" };
    page(
        "Su respuesta ya estaba registrada",
        &format!(
            "<h1>Su respuesta ya estaba registrada</h1>\n<p>La consulta <strong>{ticket}</strong> ya había \
             sido calificada. Conservamos la primera respuesta: {kept} {words}.</p>\n{stars}\n{form}",
            ticket = escape_html(ticket),
            stars = stars(kept),
            form = if comment_open {
                comment_form(token)
            } else {
                String::new()
            },
        ),
    )
}

/// The link is not ours, was edited or does not match a consultation.
pub(super) fn invalid() -> String {
    page(
        "Enlace no válido",
        "<h1>Este enlace no es válido</h1>\n<p>Este enlace no es válido: puede haberse copiado incompleto o \
         haber sido modificado. No registramos ninguna respuesta.</p>\n<p>Si desea calificar nuestra \
         atención, puede responder a nuestro correo con un número del 1 al 5 (1 = muy insatisfecho, \
         5 = muy satisfecho).</p>",
    )
}

/// The link is authentic but past its expiry.
pub(super) fn expired() -> String {
    page(
        "Enlace vencido",
        "<h1>Este enlace ya venció</h1>\n<p>El plazo para responder la encuesta con este enlace terminó, y \
         no registramos ninguna respuesta.</p>\n<p>Si aún desea calificar nuestra atención, puede \
         responder a nuestro correo con un número del 1 al 5.</p>",
    )
}

/// The comment was stored; it is shown back (escaped).
pub(super) fn comment_thanks(comment: &str) -> String {
    page(
        "Gracias por su comentario",
        &format!(
            "<h1>Gracias por su comentario</h1>\n<p>Lo recibimos y lo tendremos en cuenta para mejorar \
             nuestra atención:</p>\n<blockquote>{}</blockquote>",
            escape_html(comment)
        ),
    )
}

/// A comment was already stored (the first is kept), or there is no rating to attach it to.
pub(super) fn comment_not_kept() -> String {
    page(
        "Comentario no registrado",
        "<h1>Ya teníamos su comentario</h1>\n<p>Para esta consulta ya habíamos recibido un comentario y \
         conservamos el primero, o todavía no hay una calificación a la que asociarlo. Si desea agregar \
         algo, puede responder a nuestro correo.</p>",
    )
}

/// The comment was empty.
pub(super) fn comment_empty() -> String {
    page(
        "Comentario vacío",
        "<h1>El comentario está vacío</h1>\n<p>No recibimos ningún texto. Vuelva a la página anterior si \
         desea escribir un comentario.</p>",
    )
}

/// Something failed on our side (database, timeout).
pub(super) fn unavailable() -> String {
    page(
        "Servicio no disponible",
        "<h1>No pudimos registrar su respuesta</h1>\n<p>Tenemos un problema temporal. Por favor, vuelva a \
         abrir el enlace en unos minutos o responda a nuestro correo con un número del 1 al 5.</p>",
    )
}

/// Any other address.
pub(super) fn not_found() -> String {
    page(
        "Página no encontrada",
        "<h1>Página no encontrada</h1>\n<p>Esta dirección no existe. Para calificar nuestra atención use \
         los enlaces de nuestro correo, o respóndalo con un número del 1 al 5.</p>",
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
    fn one_star_is_singular() {
        assert!(already_rated(1, "T", "x", true).contains("1 estrella."));
    }
}
