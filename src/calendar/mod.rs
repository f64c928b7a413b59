//! Business days, cut-off and deadlines on the Peruvian public-sector calendar.

mod availability;

pub use availability::{Availability, ParseAvailabilityError};
