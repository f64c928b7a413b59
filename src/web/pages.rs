//! The survey's pages: small, self-contained Spanish HTML that reads well on a phone and at 200 % zoom.
//!
//! No scripts, fonts or images, inline CSS only (the Content-Security-Policy allows nothing else). Every
//! value that came from outside goes through [`escape_html`].

use super::escape_html;

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

/// The rating was recorded.
pub(super) fn thanks(rating: u8, ticket: &str, token: &str) -> String {
    page(
        "Gracias por su respuesta",
        &format!(
            "<h1>Gracias por su respuesta</h1>\n<p>Registramos su calificación de la atención a la consulta \
             <strong>{ticket}</strong>:</p>\n{stars}\n{form}",
            ticket = escape_html(ticket),
            stars = stars(rating),
            form = comment_form(token),
        ),
    )
}

/// The consultation had been rated before; the first answer was kept.
pub(super) fn already_rated(kept: u8, ticket: &str, token: &str) -> String {
    let words = if kept == 1 { "estrella" } else { "estrellas" };
    page(
        "Su respuesta ya estaba registrada",
        &format!(
            "<h1>Su respuesta ya estaba registrada</h1>\n<p>La consulta <strong>{ticket}</strong> ya había \
             sido calificada. Conservamos la primera respuesta: {kept} {words}.</p>\n{stars}\n{form}",
            ticket = escape_html(ticket),
            stars = stars(kept),
            form = comment_form(token),
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
        let html = thanks(4, "CONS-2026-000001", "abc.def");
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
    fn an_echoed_comment_is_escaped() {
        let html = comment_thanks("<script>alert(1)</script>");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn one_star_is_singular() {
        assert!(already_rated(1, "T", "x").contains("1 estrella."));
    }
}
