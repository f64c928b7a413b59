//! TLS as triaje speaks it to every server it connects to (IMAP; the OAuth token endpoints; SMTP through
//! lettre, which builds its own rustls configuration from the same roots): rustls with ring, the public roots
//! plus the office's own CA (`ca_file`), and, when a server's certificate is refused, why and what to do in
//! the administrator's words ([`certificate_problem`]). There is no switch to turn verification off.

mod certificate;

use std::path::Path;
use std::sync::Arc;

pub use certificate::certificate_problem;

/// The TLS client configuration triaje uses everywhere it connects (IMAP, the OAuth token endpoints): rustls with
/// ring, the public roots plus the certificates of `ca_file` (PEM), safe default protocol versions.
pub fn client_tls_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| format!("no se pudo leer ca_file {}: {e}", path.display()))?;
        let mut reader = std::io::Cursor::new(pem);
        let mut added = 0;
        for cert in rustls_pemfile::certs(&mut reader) {
            let cert =
                cert.map_err(|e| format!("ca_file {} no es PEM válido: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("certificado inválido en {}: {e}", path.display()))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!(
                "ca_file {} no contiene certificados",
                path.display()
            ));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
