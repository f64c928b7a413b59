//! What kind of attention a message asks for, as stored in `consultations.kind` (seed 002 §7.2–7.4 and §9).

use std::fmt;
use std::str::FromStr;

use super::UnknownWord;

/// The kind of attention: a consultation the first level answers, or one of the three the manual treats
/// apart (002 §9: «Atención de sugerencias, reclamos e incidencias»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttentionKind {
    /// A question about the procedures, the services or the operation of the platforms (002 §7.4.1).
    Consultation,
    /// A report that a service is interrupted or failing (002 §9.3): the first level tells the citizen the
    /// same day that it was reported, the units answer within their limits.
    Incident,
    /// Dissatisfaction with the office's own service (D.S. 007-2020-PCM; 000: answered within 30 business
    /// days, through the Libro de Reclamaciones).
    Complaint,
    /// A proposal to improve the service (002 §4.12, §9.1): derived to the competent unit, which tells the
    /// citizen the result; counted in the annual report.
    Suggestion,
}

impl AttentionKind {
    /// Every kind, the consultation first.
    pub const ALL: [AttentionKind; 4] = [
        AttentionKind::Consultation,
        AttentionKind::Incident,
        AttentionKind::Complaint,
        AttentionKind::Suggestion,
    ];

    /// The stored and written spelling (`consulta`, `incidencia`, `reclamo`, `sugerencia`).
    pub const fn as_str(self) -> &'static str {
        match self {
            AttentionKind::Consultation => "consulta",
            AttentionKind::Incident => "incidencia",
            AttentionKind::Complaint => "reclamo",
            AttentionKind::Suggestion => "sugerencia",
        }
    }

    /// The plural, capitalised, as the register and indicators head a column (`Incidencias`).
    pub const fn plural(self) -> &'static str {
        match self {
            AttentionKind::Consultation => "Consultas",
            AttentionKind::Incident => "Incidencias",
            AttentionKind::Complaint => "Reclamos",
            AttentionKind::Suggestion => "Sugerencias",
        }
    }

    /// True for the kinds filed apart from the areas' folders (everything but a consultation).
    pub const fn has_own_folder(self) -> bool {
        !matches!(self, AttentionKind::Consultation)
    }
}

impl fmt::Display for AttentionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AttentionKind {
    type Err = UnknownWord;

    /// Back from the stored spelling (surrounding spaces and capitals forgiven); anything else is refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_lowercase().as_str() {
            "consulta" => AttentionKind::Consultation,
            "incidencia" => AttentionKind::Incident,
            "reclamo" => AttentionKind::Complaint,
            "sugerencia" => AttentionKind::Suggestion,
            _ => {
                return Err(UnknownWord {
                    word: "clase de atención",
                    value: s.to_string(),
                    expected: "consulta, incidencia, reclamo, sugerencia",
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_and_others_are_refused() {
        for kind in AttentionKind::ALL {
            assert_eq!(kind.as_str().parse::<AttentionKind>(), Ok(kind));
        }
        assert_eq!(
            " Reclamo ".parse::<AttentionKind>(),
            Ok(AttentionKind::Complaint)
        );
        let err = "queja".parse::<AttentionKind>().unwrap_err();
        assert!(
            err.to_string()
                .contains("consulta, incidencia, reclamo, sugerencia"),
            "{err}"
        );
    }

    #[test]
    fn only_a_consultation_stays_in_its_area_folder() {
        assert!(!AttentionKind::Consultation.has_own_folder());
        assert!(AttentionKind::Incident.has_own_folder());
        assert!(AttentionKind::Complaint.has_own_folder());
        assert!(AttentionKind::Suggestion.has_own_folder());
    }
}
