//! The administrator's answer to "why did this message go there?".

use super::tally::explain_tally;
use super::Classification;

/// A multi-line Spanish explanation of a classification: the decision, then the tally (each folder's total,
/// the rules that gave it and where they matched, the learned opinion's vote, why the winner won or why the
/// message went to «Por clasificar»); every line ends with `\n`.
pub fn explain(c: &Classification) -> String {
    match c {
        Classification::Matched {
            rule,
            file,
            folder,
            category,
            availability,
            tally,
            ..
        } => {
            let mut out = format!("Carpeta: {folder} (regla decisiva «{rule}», archivo {file})\n");
            out.push_str(&format!("Categoría: {category}\n"));
            out.push_str(&format!(
                "Disponibilidad: {availability} (plazo máximo {} días hábiles)\n",
                availability.max_business_days()
            ));
            out.push_str(&explain_tally(tally));
            out
        }
        Classification::Unmatched {
            rules_checked,
            tally,
        } => {
            let mut out = format!(
                "Ninguna carpeta gana entre las {rules_checked} reglas; va a «Por clasificar»\n"
            );
            out.push_str(&explain_tally(tally));
            out
        }
    }
}
