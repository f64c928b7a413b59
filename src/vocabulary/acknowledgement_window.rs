//! How far back the per-sender acknowledgement limit looks.

use chrono::Duration;

/// The window of the per-sender acknowledgement limit: a sender gets at most the configured number of
/// acknowledgements within this long, so a loop with another robot stops by itself.
pub const ACK_WINDOW: Duration = Duration::hours(1);
