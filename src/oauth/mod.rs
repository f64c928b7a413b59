//! OAuth 2.0 access tokens for IMAP and SMTP (Microsoft 365, Google Workspace, any provider with a refresh token),
//! and the SASL mechanisms that carry them (XOAUTH2, OAUTHBEARER).
//!
//! Tokens live in this process's memory only, one per token source and account, shared by the IMAP worker, the
//! outbox sender and every reconnection. A token is asked for again shortly before it expires, and at once when
//! a server refuses it ([`replace_refused`]). No token, secret or assertion is ever logged: events name the
//! source, the account and the lifetime.
//!
//! `config` validated the sources; this module talks to the token endpoints (over the same rustls + ring
//! configuration as IMAP and SMTP: the public roots plus the source's `ca_file`) and turns a provider's refusal
//! into a sentence the administrator can act on ([`OAuthError`]).

mod assertion;
mod device;
mod error;
mod http;
mod refresh_token_file;
mod sasl;
mod tokens;

pub use device::{finish_device_login, start_device_login, DeviceAuthorization};
pub use error::{advice_for_refused_login, OAuthError};
pub use sasl::{choose_mechanism, Mechanism, SaslExchange};
pub use tokens::{access_token, replace_refused};
