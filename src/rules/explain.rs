//! The administrator's answer to "why did this message go there?".

use super::kind::explain_kind;
use super::tally::explain_tally;
use super::{Classification, LEARNED_RULE};

/// A multi-line Spanish explanation of a classification: the decision, then the tally (each folder's total,
/// the rules that gave it and where they matched, the learned opinion's vote, why the winner won or why the
/// message went to «Por clasificar»), then the kind of attention and its own tally; every line ends with `\n`.
pub fn explain(c: &Classification) -> String {
    match c {
        Classification::Matched {
            rule,
            file,
            folder,
            category,
            availability,
            tally,
            kind,
            ..
        } => {
            let mut out = if rule == LEARNED_RULE {
                "Decide la opinión aprendida: ninguna regla de la carpeta ganadora coincide.\n"
                    .to_string()
            } else {
                format!(
                    "Coincide la regla «{rule}» (archivo {file}): es la que más aporta a la carpeta ganadora.\n"
                )
            };
            out.push_str(&format!("Carpeta: {folder}\n"));
            out.push_str(&format!("Categoría: {category}\n"));
            out.push_str(&format!(
                "Disponibilidad: {availability} (plazo máximo {} días hábiles)\n",
                availability.max_business_days()
            ));
            out.push_str(&explain_tally(tally));
            out.push_str(&explain_kind(kind));
            out
        }
        Classification::Unmatched {
            rules_checked,
            tally,
            kind,
        } => {
            let mut out = if kind.kind.has_own_folder() {
                format!(
                    "Ninguna de las {rules_checked} reglas lleva a un área con evidencia suficiente; se archiva en la carpeta de su clase de atención ({}) sin área\n",
                    kind.kind
                )
            } else {
                format!(
                    "Ninguna de las {rules_checked} reglas lleva a una carpeta con evidencia suficiente; va a «Por clasificar»\n"
                )
            };
            out.push_str(&explain_tally(tally));
            out.push_str(&explain_kind(kind));
            out
        }
    }
}
