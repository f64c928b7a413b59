//! What a responder's or a mailing's own text says: an absence notice («Estaré fuera de la oficina hasta el
//! lunes», «I am out of the office until…») or an unsubscribe footer («Si no desea recibir más correos…»).
//!
//! A person writes such words too (a citizen telling the office a colleague takes over while they travel, a
//! salesman's CRM footer), so they never decide alone: they only back another weak signal, as the body of an
//! out-of-office backs its subject and a newsletter's footer its `List-Unsubscribe`.

use std::sync::LazyLock;

use regex::Regex;

/// What out-of-office responders say, in Spanish, English and Portuguese.
static ABSENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b((estar[ée]|estoy|me encuentro|me encontrar[ée]|estaremos|nos encontramos)\s+(?:[a-záéíóúñ]+\s+){0,3}?(fuera de (la )?oficina|de vacaciones|de viaje|ausente|de licencia|en comisi[óo]n|sin (acceso|cobertura))|fuera de (la )?oficina (hasta|del|desde)|con acceso limitado al correo|(regreso|retorno|volver[ée]|retornar[ée]) (el|a partir del)\s|(i am|i'm|i will be|we are)\s+(out of (the )?office|away|on (vacation|holiday|leave))|limited access to (e-?mail|my e-?mail)|(will be )?back (in the office )?on\s|estou (fora do escrit[óo]rio|de f[ée]rias|ausente))",
    )
    .expect("valid regex")
});

/// What bulk senders write at the foot of every mailing.
static UNSUBSCRIBE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(darse de baja|dese de baja|date de baja|desuscrib|anular (la |su )?suscripci[óo]n|cancelar (la |su |tu )?suscripci[óo]n|si no (desea|deseas|quiere|quieres) (seguir )?recibir|unsubscribe|opt[ -]out|manage (your )?(email )?preferences)",
    )
    .expect("valid regex")
});

/// True when `text` carries a mailing's unsubscribe footer.
pub(crate) fn offers_unsubscribe(text: &str) -> bool {
    UNSUBSCRIBE.is_match(text)
}

/// True when `text` announces its writer's absence, as an out-of-office reply does.
pub(crate) fn announces_absence(text: &str) -> bool {
    ABSENCE.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absence_notices_in_three_languages() {
        for text in [
            "Estaré fuera de la oficina del 7 al 14 de diciembre.",
            "Hola, estoy fuera de la oficina hasta el lunes.",
            "Me encuentro de vacaciones del 30 de noviembre al 11 de diciembre.",
            "Me encuentro en obra sin cobertura hasta el viernes.",
            "I am out of the office until December 14 with limited access to e-mail.",
            "I'm away until Monday.",
            "Estou fora do escritório até segunda-feira.",
            "Regreso el lunes 14.",
        ] {
            assert!(announces_absence(text), "{text}");
        }
    }

    #[test]
    fn unsubscribe_footers_in_two_languages() {
        for text in [
            "Si no desea recibir más correos, haga clic aquí.",
            "Para darse de baja escriba a baja@x.pe",
            "Click here to unsubscribe.",
            "Manage your email preferences",
        ] {
            assert!(offers_unsubscribe(text), "{text}");
        }
        assert!(!offers_unsubscribe(
            "¿Cómo me doy de alta en el RNP como proveedor extranjero?"
        ));
    }

    #[test]
    fn a_question_or_a_notice_is_no_absence() {
        for text in [
            "¿Cuál es el plazo para registrar la orden de compra en el SEACE?",
            "Su documento fue registrado con el expediente 2026-004512.",
            "La oficina de logística está en el segundo piso.",
            "",
        ] {
            assert!(!announces_absence(text), "{text}");
        }
    }
}
