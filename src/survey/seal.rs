//! The one seal every signed token of triaje uses (survey links, approval links, the dashboard's session):
//! `base64url(payload) "." base64url(HMAC-SHA256(payload))`, without padding. The tag is checked in constant
//! time before anything in the payload is trusted. Pure: no clock, no I/O.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256.
type HmacSha256 = Hmac<Sha256>;

/// Length of an HMAC-SHA256 tag, in bytes.
pub const TAG_BYTES: usize = 32;

/// Why a text did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsealed {
    /// Not a sealed token at all: cut, garbled, no dot, a tag of the wrong length, an empty payload.
    Malformed,
    /// Well formed but not sealed by this key: edited, forged, or signed with another key.
    Forged,
}

/// A MAC over `payload` under `key`.
fn mac(key: &[u8], payload: &[u8]) -> HmacSha256 {
    // HMAC takes keys of every length; `new_from_slice` cannot fail for it.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    mac.update(payload);
    mac
}

/// `payload` sealed under `key`, as URL-safe text.
pub fn seal(key: &[u8], payload: &str) -> String {
    let tag = mac(key, payload.as_bytes()).finalize().into_bytes();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload.as_bytes()),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

/// The payload of `text` when `key` sealed it. The length of a tag is no secret: a cut one is a copying
/// accident ([`Unsealed::Malformed`]), not a forgery.
pub fn open(key: &[u8], text: &str) -> Result<Vec<u8>, Unsealed> {
    let (payload_b64, tag_b64) = text.split_once('.').ok_or(Unsealed::Malformed)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| Unsealed::Malformed)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag_b64)
        .map_err(|_| Unsealed::Malformed)?;
    if payload.is_empty() || tag.len() != TAG_BYTES {
        return Err(Unsealed::Malformed);
    }
    mac(key, &payload)
        .verify_slice(&tag)
        .map_err(|_| Unsealed::Forged)?;
    Ok(payload)
}

/// A 32-byte key for `purpose`, derived from `key` (HMAC-SHA256 over `derive|{purpose}`): one secret serves
/// several uses, and what one derived key seals never opens under another.
pub fn derive(key: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = mac(key, b"derive|");
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_opens_with_the_same_key_only() {
        let sealed = seal(b"k1", "v1|42");
        assert_eq!(open(b"k1", &sealed), Ok(b"v1|42".to_vec()));
        assert_eq!(open(b"k2", &sealed), Err(Unsealed::Forged));
    }

    #[test]
    fn garbage_is_malformed_not_forged() {
        for text in ["", ".", "abc", "abc.def!", "!!.AAAA", "a.b.c", "YQ.AAAA"] {
            assert_eq!(open(b"k", text), Err(Unsealed::Malformed), "{text:?}");
        }
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_from_the_key() {
        let a = derive(b"office", b"aprobacion");
        let b = derive(b"office", b"panel");
        assert_ne!(a, b);
        let sealed = seal(&a, "x");
        assert_eq!(open(&b, &sealed), Err(Unsealed::Forged));
        assert_eq!(open(b"office", &sealed), Err(Unsealed::Forged));
    }
}
