//! The agency's units (`[[unit]]`): the second and third levels of attention a consultation or an incident is
//! derived to from the mail client (`Derivar/<unidad>`), each with its address, level, own deadline and the unit
//! it escalates to.
//!
//! Levels and limits come from OSCE's manual (seed 002): the second level is the organs and units that serve
//! «trámites que por su complejidad o características técnicas así lo requieran» (§7.2, e.g. the Dirección del
//! SEACE); the third is the technical support that solves incidents (§7.3). A second-level unit answers within
//! 1 to 5 business days, a third-level one within 2 to 5 (§9.3.3 «Sobre la respuesta de la incidencia»; also
//! §9.3.5 «Tiempo de solución de problemas»: «plazo máximo 05 (cinco) días hábiles y mínimo 02 (dos)»).

use serde::Deserialize;

use super::ConfigError;
use crate::vocabulary::UnitLevel;

/// One unit of the agency that answers derived attentions, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Short id used in folder names (`Derivar/<name>`), the store and the CLI (`seace`).
    pub name: String,
    /// The name people read («Dirección del SEACE»).
    pub display_name: String,
    /// The unit's mailbox: derivations are forwarded here, and its answers are recognised by it.
    pub address: String,
    /// Second or third level.
    pub level: UnitLevel,
    /// Business days it has to answer, counted from the derivation (002 §9.3.3).
    pub deadline_days: u32,
    /// The unit it escalates to (a higher level), by name; `None`: it escalates nowhere.
    pub escalates_to: Option<String>,
}

/// A `[[unit]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnit {
    name: toml::Spanned<String>,
    display_name: Option<String>,
    address: toml::Spanned<String>,
    level: toml::Spanned<i64>,
    deadline: Option<toml::Spanned<i64>>,
    escalates_to: Option<toml::Spanned<String>>,
}

/// Validates every `[[unit]]`: names usable in a folder, addresses, levels 2 or 3, deadlines within the
/// level's range, no name twice, and `escalates_to` naming another unit of a higher level.
pub(super) fn validate_units(
    raw: Vec<RawUnit>,
    origin: &str,
    text: &str,
    own_addresses: &[String],
) -> Result<Vec<Unit>, ConfigError> {
    let at = |span, msg: String| ConfigError::at(origin, text, span, msg);
    let mut units: Vec<Unit> = Vec::new();
    let mut escalations = Vec::new();
    for u in raw {
        let name = u.name.get_ref().trim().to_string();
        let name_ok = !name.is_empty()
            && name.len() <= 40
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(at(
                u.name.span(),
                format!(
                    "el nombre de unidad «{name}» debe usar solo letras, números, - o _ (hasta 40; por ejemplo \
                     seace): da nombre a la carpeta Derivar/{name}"
                ),
            ));
        }
        if units.iter().any(|other| other.name == name) {
            return Err(at(
                u.name.span(),
                format!(
                    "la unidad «{name}» aparece dos veces; cada [[unit]] necesita un name distinto"
                ),
            ));
        }
        let address = u.address.get_ref().trim().to_lowercase();
        if !super::smtp::looks_like_address(&address) {
            return Err(at(
                u.address.span(),
                format!(
                    "address = «{address}» de la unidad «{name}» no es una dirección de correo"
                ),
            ));
        }
        if own_addresses.contains(&address) {
            return Err(at(
                u.address.span(),
                format!(
                    "la unidad «{name}» tiene la dirección {address}, que es la de un buzón de triaje: una unidad \
                     responde desde su propia cuenta"
                ),
            ));
        }
        if let Some(other) = units.iter().find(|o| o.address == address) {
            return Err(at(
                u.address.span(),
                format!(
                    "las unidades «{}» y «{name}» tienen la misma dirección {address}: sus respuestas no se \
                     podrían distinguir",
                    other.name
                ),
            ));
        }
        let level = UnitLevel::from_number(*u.level.get_ref()).ok_or_else(|| {
            at(
                u.level.span(),
                format!(
                    "level = {} de la unidad «{name}»: una unidad es de segundo nivel (2) o de tercer nivel (3) \
                     (manual 002 §7.2 y §7.3)",
                    u.level.get_ref()
                ),
            )
        })?;
        let (least, most) = level.deadline_range();
        let deadline_days = match &u.deadline {
            None => level.default_deadline(),
            Some(d) => {
                let days = *d.get_ref();
                if days < i64::from(least) || days > i64::from(most) {
                    return Err(at(
                        d.span(),
                        format!(
                            "deadline = {days} de la unidad «{name}»: el {} nivel responde en {least} a {most} días \
                             hábiles (manual 002 §9.3.3)",
                            if level == UnitLevel::Second { "segundo" } else { "tercer" }
                        ),
                    ));
                }
                days as u32
            }
        };
        let display_name = u
            .display_name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| name.clone());
        if let Some(e) = u.escalates_to {
            escalations.push((name.clone(), e));
        }
        units.push(Unit {
            name,
            display_name,
            address,
            level,
            deadline_days,
            escalates_to: None,
        });
    }
    for (from, to) in escalations {
        let target = to.get_ref().trim().to_string();
        let Some(higher) = units.iter().find(|u| u.name == target).cloned() else {
            return Err(at(
                to.span(),
                format!("escalates_to = «{target}» de la unidad «{from}»: no hay un [[unit]] con ese nombre"),
            ));
        };
        let Some(unit) = units.iter_mut().find(|u| u.name == from) else {
            continue;
        };
        if higher.level <= unit.level {
            return Err(at(
                to.span(),
                format!(
                    "la unidad «{from}» (nivel {}) solo puede elevar a una unidad de un nivel superior; «{target}» es \
                     de nivel {} (manual 002 §9.3.3: el segundo nivel eleva al tercero)",
                    unit.level.number(),
                    higher.level.number()
                ),
            ));
        }
        unit.escalates_to = Some(target);
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_takes_the_manuals_maximum_when_the_config_says_nothing() {
        assert_eq!(UnitLevel::Second.default_deadline(), 5);
        assert_eq!(UnitLevel::Third.default_deadline(), 5);
        assert_eq!(UnitLevel::Third.deadline_range(), (2, 5));
        assert_eq!(UnitLevel::from_number(1), None);
        assert_eq!(UnitLevel::from_number(3), Some(UnitLevel::Third));
    }
}
