//! Business days, cut-off and deadlines on the Peruvian public-sector calendar.

mod availability;

pub use availability::{Availability, ParseAvailabilityError};

// TEMPORARY until the calendar branch lands (replaced at merge).
/// Opening and cut-off hours.
#[derive(Debug, Clone)]
pub struct Reception {
    /// Opening.
    pub opening: chrono::NaiveTime,
    /// Cut-off.
    pub cutoff: chrono::NaiveTime,
}
/// Deadline policy.
#[derive(Debug, Clone)]
pub struct DeadlinePolicy;
impl std::str::FromStr for DeadlinePolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "pronto" {
            Err("x".into())
        } else {
            Ok(DeadlinePolicy)
        }
    }
}
