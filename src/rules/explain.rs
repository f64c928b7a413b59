//! The administrator's answer to "why did this message go there?".

use super::Classification;

/// A multi-line Spanish explanation of a classification; every line ends with `\n`.
pub fn explain(c: &Classification) -> String {
    match c {
        Classification::Matched {
            rule,
            file,
            folder,
            category,
            availability,
            reasons,
        } => {
            let mut out = format!("Coincide la regla «{rule}» (archivo {file}).\n");
            out.push_str(&format!("Carpeta: {folder}\n"));
            out.push_str(&format!("Categoría: {category}\n"));
            out.push_str(&format!(
                "Disponibilidad: {availability} (plazo máximo {} días hábiles)\n",
                availability.max_business_days()
            ));
            out.push_str("Motivos:\n");
            for reason in reasons {
                out.push_str(&format!("  - {reason}\n"));
            }
            out
        }
        Classification::Unmatched { rules_checked } => {
            format!("Ninguna de las {rules_checked} reglas coincide; va a «Por clasificar»\n")
        }
    }
}
