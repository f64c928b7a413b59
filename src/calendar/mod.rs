//! Business days, cut-off and deadlines on the Peruvian public-sector calendar.
//!
//! The national calendar (holidays by law, days decreed for the public sector) is embedded from
//! `calendar/peru.toml`; an office extends it with its own file. Everything here is pure: it takes dates and
//! instants and returns them, never reading the clock.

mod business_calendar;
mod calendar_file;
mod deadline;
mod easter;
mod error;
mod reception;
mod render;

#[cfg(test)]
mod tests;

pub use business_calendar::{BusinessCalendar, DayInfo, NonWorking, NonWorkingReason};
pub use deadline::{deadline, DeadlinePolicy, ParseDeadlinePolicyError};
pub use easter::easter_sunday;
pub use error::CalendarError;
pub(crate) use reception::lima_at;
pub use reception::{effective_received_at, Reception};
pub use render::render_days;

/// The time zone of every Peruvian office: deadlines, cut-offs and "today" are read here.
pub const LIMA: chrono_tz::Tz = chrono_tz::America::Lima;
