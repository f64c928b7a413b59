//! The administrator's answer to "why did this message go there?".

use std::fmt::Write as _;

use super::kind::write_kind;
use super::tally::write_tally;
use super::{Classification, LEARNED_RULE};

/// Bytes reserved for an explanation: most are 1–3 KB (2.2 KB on average over `scripts/bench`'s mail), so the
/// text grows without being copied again and again.
const CAPACITY: usize = 2048;

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
            let mut out = String::with_capacity(CAPACITY);
            if rule == LEARNED_RULE {
                out.push_str(
                    "Decide la opinión aprendida: ninguna regla de la carpeta ganadora coincide.\n",
                );
            } else {
                let _ = writeln!(
                    out,
                    "Coincide la regla «{rule}» (archivo {file}): es la que más aporta a la carpeta ganadora."
                );
            }
            let _ = write!(
                out,
                "Carpeta: {folder}\nCategoría: {category}\nDisponibilidad: {availability} (plazo máximo {} días hábiles)\n",
                availability.max_business_days()
            );
            write_tally(&mut out, tally);
            write_kind(&mut out, kind);
            out
        }
        Classification::Unmatched {
            rules_checked,
            tally,
            kind,
        } => {
            let mut out = String::with_capacity(CAPACITY);
            let _ = if kind.kind.has_own_folder() {
                writeln!(
                    out,
                    "Ninguna de las {rules_checked} reglas lleva a un área con evidencia suficiente; se archiva en la carpeta de su clase de atención ({}) sin área",
                    kind.kind
                )
            } else {
                writeln!(
                    out,
                    "Ninguna de las {rules_checked} reglas lleva a una carpeta con evidencia suficiente; va a «Por clasificar»"
                )
            };
            write_tally(&mut out, tally);
            write_kind(&mut out, kind);
            out
        }
    }
}
