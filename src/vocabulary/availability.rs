//! The availability class of a consultation (MEF directive, 001 §5.6.2).

use std::fmt;
use std::str::FromStr;

/// How readily the office can answer a consultation; it decides the maximum number of business days.
///
/// Spanish names (`Alta`, `Media`, `Baja`) are what administrators write in rules and what assistants see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Availability {
    /// `Alta`: the information is in the office itself (1–3 business days).
    High,
    /// `Media`: needs coordination with other units (4–6 business days).
    Medium,
    /// `Baja`: needs deeper analysis, more than two technical areas or senior approval (7–10 business days).
    Low,
}

impl Availability {
    /// Every class, in the order of the directive's table.
    pub const ALL: [Availability; 3] =
        [Availability::High, Availability::Medium, Availability::Low];

    /// The Spanish name used in rules, keywords and reports.
    pub fn spanish(self) -> &'static str {
        match self {
            Availability::High => "Alta",
            Availability::Medium => "Media",
            Availability::Low => "Baja",
        }
    }

    /// The directive's maximum number of business days for this class (Alta 3, Media 6, Baja 10).
    pub fn max_business_days(self) -> u32 {
        match self {
            Availability::High => 3,
            Availability::Medium => 6,
            Availability::Low => 10,
        }
    }
}

impl fmt::Display for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spanish())
    }
}

/// A word that is not one of `Alta`, `Media`, `Baja`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("disponibilidad «{0}» desconocida: use Alta, Media o Baja")]
pub struct ParseAvailabilityError(pub String);

impl FromStr for Availability {
    type Err = ParseAvailabilityError;

    /// Accepts the Spanish names in any case (`alta`, `ALTA`), as administrators type them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "alta" => Ok(Availability::High),
            "media" => Ok(Availability::Medium),
            "baja" => Ok(Availability::Low),
            _ => Err(ParseAvailabilityError(s.to_string())),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Availability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Availability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.spanish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_may_write_classes_in_any_case() {
        assert_eq!("ALTA".parse::<Availability>(), Ok(Availability::High));
        assert_eq!(" media ".parse::<Availability>(), Ok(Availability::Medium));
        assert_eq!("Baja".parse::<Availability>(), Ok(Availability::Low));
        assert!("urgente".parse::<Availability>().is_err());
    }

    #[test]
    fn maxima_follow_the_directive_table() {
        let days: Vec<u32> = Availability::ALL
            .iter()
            .map(|a| a.max_business_days())
            .collect();
        assert_eq!(days, vec![3, 6, 10]);
    }
}
