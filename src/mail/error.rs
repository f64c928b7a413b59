//! Why a sequence of bytes could not be read as a mail message.

/// Input that is not a mail message at all. Anything that looks like one is parsed leniently instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The bytes do not start with a header block (`Nombre: valor` lines).
    #[error("el archivo no es un correo: no tiene encabezados de correo (líneas «Nombre: valor» al inicio)")]
    NoHeaders,
    /// The input is empty.
    #[error("el archivo no es un correo: está vacío")]
    Empty,
    /// The MIME parser failed on the message's structure (a bug of the parser, caught so it cannot stop triage).
    #[error(
        "el correo tiene una estructura MIME que el analizador no pudo leer; ábralo en un cliente de correo"
    )]
    ParserPanic,
}
