//! What signs a reply and what does not: names, offices, and where the signature block starts.

use super::*;

fn bare(line: &str) -> bool {
    names_a_person(line, NameContext::Bare)
}

#[test]
fn peoples_names_are_names_with_titles_particles_initials_and_capitals() {
    for name in [
        "Ana Torres",
        "Miguel Ángel Chávez Ruiz",
        "Ñusta Huamaní Apaza",
        "María del Pilar de la Cruz",
        "Ing. Jorge Salazar Ccori",
        "Dra. Carmen Rojas Vela",
        "Luis Huamán T.",
        "Rosa Pérez-Albela",
        "LUIS HUAMÁN TORRES",
        "Luis Huamán Torres | Asistente de Atención al Usuario",
        "Silvia Mendoza - Mesa de Consultas",
        "Carlos D'Angelo",
    ] {
        assert!(bare(name), "{name}");
    }
}

#[test]
fn offices_roles_acronyms_and_sentences_are_not_names() {
    for line in [
        "Banco de la Nación",
        "Mesa de Consultas",
        "Organismo Supervisor de las Contrataciones del Estado",
        "Central telefónica (01) 614-3636",
        "Asistente de Atención al Usuario",
        "Registro Nacional de Proveedores",
        "Consultas OSCE",
        "MESA DE CONSULTAS",
        "Atención al Ciudadano",
        "Ya está",
        "Estimada Sra. Pachas:",
        "ana torres",
        "Enviado desde mi iPhone",
        "ana@osce.gob.pe",
        "OSCE",
    ] {
        assert!(!bare(line), "{line}");
    }
}

#[test]
fn a_given_name_alone_is_a_name_only_where_a_signature_was_announced() {
    assert!(!bare("Ana"));
    assert!(names_a_person("Ana", NameContext::Announced));
    assert!(!names_a_person("Logística", NameContext::Announced));
    assert!(!names_a_person("SEACE", NameContext::Announced));
}

fn split_of(text: &str) -> (String, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let s = split(&lines);
    (lines[..s.text_end].join("\n"), s.signature)
}

#[test]
fn a_name_and_role_under_the_answer_sign_it_without_formula_or_dashes() {
    let (text, sig) = split_of(
        "Estimada Sra. Pachas:\n\nPuede otorgarse la buena pro.\n\nMiguel Ángel Chávez Ruiz\nAsistente de Atención al Usuario - SEACE\n",
    );
    assert_eq!(
        text.trim(),
        "Estimada Sra. Pachas:\n\nPuede otorgarse la buena pro."
    );
    assert_eq!(
        sig.as_deref(),
        Some("Miguel Ángel Chávez Ruiz\nAsistente de Atención al Usuario - SEACE")
    );
    // Typed right under the last sentence, with no blank line (HTML paragraphs).
    let (text, sig) = split_of("Ya puede ingresar.\nLuis Huamán\nMesa de Consultas OSCE");
    assert_eq!(text, "Ya puede ingresar.");
    assert_eq!(sig.as_deref(), Some("Luis Huamán\nMesa de Consultas OSCE"));
}

#[test]
fn a_given_name_alone_in_the_last_paragraph_signs_and_a_greeting_never_does() {
    let (text, sig) = split_of("Ya puede ingresar.\n\nAna\n");
    assert_eq!(text.trim(), "Ya puede ingresar.");
    assert_eq!(sig.as_deref(), Some("Ana"));
    let (_, sig) = split_of("Ya puede ingresar.\nAna\n");
    assert_eq!(
        sig, None,
        "a word right under a sentence is not taken for a name"
    );
    // An answer typed without punctuation: the greeting above it is not the signature.
    let (text, sig) = split_of("Hola Juan\nSu usuario ya está desbloqueado\nAna Torres\n");
    assert_eq!(text, "Hola Juan\nSu usuario ya está desbloqueado");
    assert_eq!(sig.as_deref(), Some("Ana Torres"));
    let (_, sig) = split_of("Ya está.\n\nMuchas Gracias\n");
    assert_eq!(sig, None);
}

#[test]
fn a_long_address_under_the_name_keeps_the_signature() {
    let (text, sig) = split_of(
        "Ya está.\n\nAtentamente,\nAna Torres\nAv. Gregorio Escobedo cuadra siete sin número, Jesús María, Lima, Perú, código postal\n",
    );
    assert_eq!(text.trim(), "Ya está.");
    assert!(sig.is_some_and(|s| s.starts_with("Ana Torres")));
    let (_, sig) = split_of("Ya está.\n\nMa. Elena Cárdenas (Mesa de Consultas)\n");
    assert_eq!(
        sig.as_deref(),
        Some("Ma. Elena Cárdenas (Mesa de Consultas)")
    );
}

#[test]
fn closing_formulas_announce_the_signature_also_on_the_same_line() {
    let (text, sig) = split_of("Ya está.\n\nSaludos,\nAna\n");
    assert_eq!(text.trim(), "Ya está.");
    assert_eq!(sig.as_deref(), Some("Ana"));
    let (text, sig) = split_of("Ya está.\nSaludos, Ana Torres\nMesa de Consultas");
    assert_eq!(text, "Ya está.");
    assert_eq!(sig.as_deref(), Some("Ana Torres\nMesa de Consultas"));
    let (_, sig) = split_of("Ya está.\nAtentamente,\nMesa de Consultas\n");
    assert_eq!(sig, None, "an office signs for no one");
}

#[test]
fn a_formula_the_list_does_not_know_still_leaves_the_name_under_it_signing() {
    let (text, sig) = split_of("Ya está.\n\nKind regards,\nAna Torres\nMesa de Consultas\n");
    assert_eq!(text.trim(), "Ya está.\n\nKind regards,");
    assert_eq!(sig.as_deref(), Some("Ana Torres\nMesa de Consultas"));
}

#[test]
fn the_block_after_dashes_signs_only_when_it_names_someone() {
    let (text, sig) = split_of("Ya está.\n\nAtentamente,\n\n--\nMesa de Consultas\nOrganismo Supervisor de las Contrataciones del Estado\nCentral telefónica (01) 614-3636\n");
    assert_eq!(text.trim(), "Ya está.");
    assert_eq!(sig, None);
    let (_, sig) = split_of("Ya está.\n-- \nMesa de Consultas\nAna Torres\n");
    assert_eq!(sig.as_deref(), Some("Ana Torres"));
}

#[test]
fn text_that_goes_on_after_a_formula_or_ends_in_a_list_is_not_cut() {
    let (text, sig) =
        split_of("Muchas gracias.\nAdemás, recuerde que la constancia se descarga en línea.\n");
    assert_eq!(sig, None);
    assert!(text.contains("Además"), "{text}");
    let (text, sig) = split_of("Los requisitos son:\nRUC activo\nClave SOL\n");
    assert_eq!(sig, None);
    assert!(text.contains("Clave SOL"), "{text}");
    let (_, sig) = split_of("Su constancia está lista.\n");
    assert_eq!(sig, None);
}
