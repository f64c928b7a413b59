//! Signed links, sealed with the office's survey key (`[web] survey_key`): the five survey links of every
//! reply (`token`: one per star, naming the consultation, its ticket, the stars and the expiry) and the
//! supervisor's approval link of a Legal reply (`approval`, under a key derived for it). Both are one
//! [`seal`]: HMAC-SHA256 over a short payload, URL-safe, checked in constant time; the dashboard's session
//! cookie (`web::panel_session`) uses it too.
//!
//! The daemon signs (it writes the links into the mail it sends), the web server checks; this module is
//! beneath both, so neither imports the other. Pure: no clock (pass `now`), no I/O.

pub mod approval;
pub mod seal;
pub mod token;

pub use approval::{approval_link, ApprovalKey, ApprovalToken};
pub use token::{survey_link, KeyTooShort, SurveyKey, SurveyToken, TokenError, MIN_KEY_BYTES};
