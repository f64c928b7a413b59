//! The level of attention a unit of the agency belongs to (seed 002 §7.1–7.3): the first level is the office
//! itself, the second the organs and units that answer what it cannot, the third the technical support that solves
//! incidents; written as its number (2 or 3) in `config.toml` (`[[unit]] level`) and the register.

/// A level of attention a unit belongs to (002 §7.2 and §7.3); the first level is the office itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitLevel {
    /// «Segundo nivel de atención»: organs and units that answer what the first level cannot (002 §7.2).
    Second,
    /// «Tercer nivel de atención»: technical support for incidents that interrupt the service (002 §7.3).
    Third,
}

impl UnitLevel {
    /// The number the office uses (2 or 3), as written in `config.toml` and the register.
    pub const fn number(self) -> u8 {
        match self {
            UnitLevel::Second => 2,
            UnitLevel::Third => 3,
        }
    }

    /// The level of number `n`, when it is one a unit can have.
    pub const fn from_number(n: i64) -> Option<UnitLevel> {
        match n {
            2 => Some(UnitLevel::Second),
            3 => Some(UnitLevel::Third),
            _ => None,
        }
    }

    /// The business days a unit of this level may take, least and most (002 §9.3.3: second level «máximo 05
    /// (cinco) días hábiles y mínimo 01 (un) día hábil»; third level «máximo 05 (cinco) días hábiles y mínimo
    /// 02 (dos) días hábiles»).
    pub const fn deadline_range(self) -> (u32, u32) {
        match self {
            UnitLevel::Second => (1, 5),
            UnitLevel::Third => (2, 5),
        }
    }

    /// The deadline a unit gets when the configuration sets none: the manual's maximum (002 §9.3.3).
    pub const fn default_deadline(self) -> u32 {
        self.deadline_range().1
    }
}
