//! Why a server's certificate was refused and what the administrator can do, in their words rather than
//! rustls's (`invalid peer certificate: UnknownIssuer`). Shared by the IMAP sessions and the SMTP sender.
//!
//! There is never an advice to turn verification off: there is no such switch. A certificate of the agency's
//! own CA (or a self-signed one) is trusted by naming that CA in `ca_file`.

use rustls::CertificateError as C;

/// The certificate problem somewhere in `error`'s chain of causes (a rustls error, bare or inside an I/O
/// error), said as (what is wrong, what to do) for a server `host` configured in `section` (`[mailbox.imap]`,
/// `[mailbox.smtp]`). `None` when the failure was not about the certificate.
pub fn certificate_problem(
    error: &(dyn std::error::Error + 'static),
    host: &str,
    section: &str,
) -> Option<(String, String)> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        let rustls_error = e.downcast_ref::<rustls::Error>().or_else(|| {
            e.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(rustls::Error::InvalidCertificate(certificate)) = rustls_error {
            return Some(describe(certificate, host, section));
        }
        cause = e.source();
    }
    None
}

fn describe(certificate: &C, host: &str, section: &str) -> (String, String) {
    let ask_admin = "Pida a quien administra el servidor de correo un certificado vigente";
    match certificate {
        C::UnknownIssuer | C::BadSignature | C::UnhandledCriticalExtension => (
            "el certificado del servidor no es de confianza: no lo firmó ninguna autoridad (CA) que triaje \
             conozca (suele ser un certificado propio de la entidad o autofirmado)"
                .to_string(),
            format!(
                "Si el certificado es legítimo, guarde el certificado de la CA que lo emitió en un archivo PEM e \
                 indíquelo en {section} con ca_file = \"/ruta/ca.pem\"; triaje nunca desactiva la verificación"
            ),
        ),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            let presented = match certificate {
                C::NotValidForNameContext { presented, .. } if !presented.is_empty() => {
                    let names: Vec<&str> = presented.iter().map(|n| bare_name(n)).collect();
                    format!(" (el certificado es para {})", names.join(", "))
                }
                _ => String::new(),
            };
            (
                format!("el nombre del certificado del servidor no coincide con «{host}»{presented}"),
                format!(
                    "Escriba en host de {section} el nombre para el que se emitió el certificado (el mismo que \
                     usan los clientes de correo), o pida a quien administra el servidor un certificado para \
                     «{host}»"
                ),
            )
        }
        C::Expired | C::ExpiredContext { .. } => (
            "el certificado del servidor venció".to_string(),
            format!("{ask_admin} (y revise que la fecha y hora de esta máquina sean correctas)"),
        ),
        C::NotValidYet | C::NotValidYetContext { .. } => (
            "el certificado del servidor todavía no es válido".to_string(),
            "Revise que la fecha y hora de esta máquina sean correctas".to_string(),
        ),
        C::Revoked => (
            "el certificado del servidor fue revocado".to_string(),
            ask_admin.to_string(),
        ),
        other => (
            format!("el certificado del servidor no es válido ({other})"),
            ask_admin.to_string(),
        ),
    }
}

/// `otro.example` out of rustls's `DnsName("otro.example")`; anything else as it is.
fn bare_name(presented: &str) -> &str {
    match (presented.find('"'), presented.rfind('"')) {
        (Some(first), Some(last)) if last > first => &presented[first + 1..last],
        _ => presented,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_issuer_inside_an_io_error_is_explained_with_ca_file() {
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(C::UnknownIssuer),
        );
        let (why, advice) =
            certificate_problem(&io, "mail.osce.gob.pe", "[mailbox.imap]").expect("found");
        assert!(why.contains("no es de confianza"), "{why}");
        assert!(
            advice.contains("ca_file") && advice.contains("[mailbox.imap]"),
            "{advice}"
        );
    }

    #[test]
    fn a_refused_connection_is_not_a_certificate_problem() {
        let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(certificate_problem(&io, "h", "[mailbox.smtp]"), None);
    }
}
