//! The rule engine as the administrator and the coordinator meet it.

use super::*;
use crate::mail::MessageView;
use crate::vocabulary::Availability;

fn folders() -> Vec<String> {
    vec!["SEACE".into(), "RNP".into(), "Legal".into()]
}

/// The rules alone: the learned opinion is tested on its own and with the shipped rules.
fn set(text: &str) -> RuleSet {
    RuleSet::from_sources(&[("reglas.toml".into(), text.into())], &folders())
        .unwrap_or_else(|e| panic!("rules should load:\n{e}"))
        .with_learned(None)
        .with_kind_learned(None)
}

fn errors(text: &str) -> Vec<RuleError> {
    RuleSet::from_sources(&[("r.toml".into(), text.into())], &folders())
        .expect_err("rules should be refused")
        .0
}

fn view<'a>(subject: &'a str, text: &'a str) -> MessageView<'a> {
    MessageView {
        subject,
        text,
        ..Default::default()
    }
}

fn folder_of(rules: &RuleSet, v: &MessageView<'_>) -> Option<String> {
    rules.classify(v).folder().map(str::to_string)
}

const RNP: &str = r#"
[[rule]]
name = "rnp-inscripcion"
description = "Inscripción en el RNP"
folder = "RNP"
category = "Inscripción en el RNP"
availability = "Media"
subject = ["inscripcion", "re:renov\\w+ de (mi )?inscripcion"]
text = ["registro nacional de proveedores"]
"#;

#[test]
fn inscripcion_matches_whatever_the_accents_and_case() {
    let rules = set(RNP);
    for subject in [
        "inscripcion",
        "INSCRIPCIÓN",
        "inscripción",
        "Consulta: Inscripción RNP",
    ] {
        assert_eq!(
            folder_of(&rules, &view(subject, "")),
            Some("RNP".into()),
            "{subject}"
        );
    }
    assert_eq!(
        folder_of(&rules, &view("Renovación de mi inscripción", "")),
        Some("RNP".into())
    );
    assert_eq!(
        folder_of(
            &rules,
            &view("Hola", "Sobre el Registro Nacional de Proveedores")
        ),
        Some("RNP".into())
    );
    assert_eq!(folder_of(&rules, &view("Hola", "Muchas gracias")), None);
}

#[test]
fn a_match_says_which_rule_file_and_why() {
    let rules = set(RNP);
    let c = rules.classify(&view("Problema con mi INSCRIPCIÓN", ""));
    let Classification::Matched {
        rule,
        file,
        folder,
        category,
        availability,
        reasons,
        tally,
        ..
    } = &c
    else {
        panic!("{c:?}")
    };
    assert_eq!(
        (
            rule.as_str(),
            file.as_str(),
            folder.as_str(),
            category.as_str()
        ),
        (
            "rnp-inscripcion",
            "reglas.toml",
            "RNP",
            "Inscripción en el RNP"
        )
    );
    assert_eq!(*availability, Availability::Medium);
    assert_eq!(
        reasons,
        &["el asunto contiene «INSCRIPCIÓN» (patrón «inscripcion»)".to_string()]
    );
    assert_eq!(tally.totals, [("RNP".to_string(), 1.0)]);
    let text = explain(&c);
    assert!(
        text.contains("«rnp-inscripcion»") && text.contains("reglas.toml"),
        "{text}"
    );
    assert!(
        text.contains("Carpeta: RNP") && text.contains("Media"),
        "{text}"
    );
    assert!(
        text.contains("el asunto contiene «INSCRIPCIÓN» (patrón «inscripcion»)"),
        "{text}"
    );
    assert!(text.lines().count() >= 5 && text.ends_with('\n'));
}

#[test]
fn an_unmatched_message_goes_to_por_clasificar_and_says_so() {
    let rules = set(RNP);
    let c = rules.classify(&view("Gracias", "Muchas gracias por la respuesta"));
    assert!(
        matches!(&c, Classification::Unmatched { rules_checked: 1, tally, .. } if tally.outcome == Outcome::NoEvidence),
        "{c:?}"
    );
    let shown = explain(&c);
    assert!(shown.contains("va a «Por clasificar»"), "{shown}");
    assert!(shown.contains("ninguna regla coincide"), "{shown}");
}

#[test]
fn the_first_matching_rule_wins() {
    let rules = set(r#"
[[rule]]
name = "seace-clave"
folder = "SEACE"
category = "Acceso"
availability = "Alta"
text = ["contrasena"]

[[rule]]
name = "legal-contrato"
folder = "Legal"
category = "Contratos"
availability = "Baja"
text = ["contrato"]
"#);
    let v = view("Contrato", "Olvidé la contraseña del módulo de contrato");
    assert_eq!(folder_of(&rules, &v), Some("SEACE".into()));
    assert_eq!(
        folder_of(&rules, &view("Resolución de contrato", "")),
        Some("Legal".into())
    );
    let names: Vec<&str> = rules.rules().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["seace-clave", "legal-contrato"]);
    assert_eq!(rules.len(), 2);
    assert!(!rules.is_empty());
}

#[test]
fn files_are_tried_in_the_order_given() {
    let a = ("10-a.toml".to_string(), "[[rule]]\nname='a'\nfolder='Legal'\ncategory='x'\navailability='Baja'\ntext=['penalidad']\n".to_string());
    let b = (
        "20-b.toml".to_string(),
        "[[rule]]\nname='b'\nfolder='SEACE'\ncategory='x'\navailability='Alta'\ntext=['seace']\n"
            .to_string(),
    );
    let rules = RuleSet::from_sources(&[a, b], &folders())
        .expect("valid")
        .with_learned(None);
    let c = rules.classify(&view("SEACE", "penalidad"));
    assert!(
        matches!(&c, Classification::Matched { rule, file, .. } if rule == "a" && file == "10-a.toml"),
        "{c:?}"
    );
}

#[test]
fn all_groups_and_unless_refine_a_rule() {
    let rules = set(r#"
[[rule]]
name = "rnp-constancia"
folder = "RNP"
category = "Constancia"
availability = "Alta"
text = ["rnp", "registro nacional de proveedores"]
[[rule.all]]
text = ["constancia"]
[[rule.all]]
text = ["descarg*", "emit*"]
[rule.unless]
text = ["arbitraje"]
"#);
    assert_eq!(
        folder_of(&rules, &view("RNP", "¿Cómo descargo la constancia?")),
        Some("RNP".into())
    );
    assert_eq!(
        folder_of(&rules, &view("RNP", "¿Cómo obtengo la constancia?")),
        None,
        "second group missing"
    );
    assert_eq!(
        folder_of(&rules, &view("RNP", "descargar")),
        None,
        "first group missing"
    );
    assert_eq!(
        folder_of(
            &rules,
            &view("RNP", "descargo la constancia para el arbitraje")
        ),
        None,
        "unless"
    );
    let c = rules.classify(&view("RNP", "¿Cómo descargo la constancia?"));
    let Classification::Matched { reasons, .. } = c else {
        panic!("matched")
    };
    assert_eq!(reasons.len(), 3, "{reasons:?}");
}

#[test]
fn addresses_attachments_and_headers_can_decide() {
    let rules = set(r#"
[[rule]]
name = "sunat"
folder = "RNP"
category = "SUNAT"
availability = "Alta"
from = ["*@sunat.gob.pe"]

[[rule]]
name = "pdf-bases"
folder = "SEACE"
category = "Bases"
availability = "Alta"
attachment = ["bases*.pdf"]

[[rule]]
name = "formulario"
folder = "Legal"
category = "Formulario"
availability = "Media"
header = { "X-Origen" = ["formulario web"] }
"#);
    let mut v = view("x", "y");
    v.from = vec!["mesa@sunat.gob.pe"];
    assert_eq!(folder_of(&rules, &v), Some("RNP".into()));
    let mut v = view("x", "y");
    v.attachments = vec!["Bases Integradas.PDF"];
    assert_eq!(
        folder_of(&rules, &v),
        None,
        "«bases*.pdf» needs the name to start with «bases» and end with .pdf"
    );
    v.attachments = vec!["bases_integradas.pdf"];
    assert_eq!(folder_of(&rules, &v), Some("SEACE".into()));
    let headers = vec![("x-origen".to_string(), "Formulario Web público".to_string())];
    let mut v = view("x", "y");
    v.headers = &headers;
    let c = rules.classify(&v);
    let Classification::Matched { reasons, .. } = &c else {
        panic!("matched: {c:?}")
    };
    assert_eq!(
        reasons,
        &["el encabezado «x-origen» contiene «Formulario Web» (patrón «formulario web»)"]
    );
}

#[test]
fn body_patterns_ignore_the_subject() {
    let rules = set("[[rule]]\nname='b'\nfolder='Legal'\ncategory='x'\navailability='Baja'\nbody=['arbitraje']\n");
    assert_eq!(folder_of(&rules, &view("arbitraje", "otra cosa")), None);
    assert_eq!(
        folder_of(&rules, &view("x", "sobre el arbitraje")),
        Some("Legal".into())
    );
}

#[test]
fn quoted_replies_and_signatures_do_not_decide_the_folder() {
    let rules = set(RNP);
    let raw = "From: a@b.pe\r\nSubject: RE: consulta\r\n\r\nSigo sin poder entrar al sistema.\r\n\r\nAtentamente,\r\nPedro\r\nEspecialista del Registro Nacional de Proveedores\r\n\r\nEl lun., 3 nov. 2025 a las 10:00, OSCE <consultas@osce.gob.pe> escribió:\r\n> Su inscripción en el RNP...\r\n";
    let mail = crate::mail::parse(raw.as_bytes()).expect("message");
    assert_eq!(rules.classify(&mail.view()).folder(), None);
}

// ---- errors, with exact positions ----

#[test]
fn toml_syntax_error_has_line_and_column() {
    let e = errors("[[rule]]\nname = \"x\nfolder = \"RNP\"\n");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].file.as_str(), e[0].line), ("r.toml", 2), "{e:?}");
    assert!(
        e[0].message.starts_with("error de formato TOML"),
        "{}",
        e[0].message
    );
}

#[test]
fn unknown_key_is_reported_where_it_is() {
    let e = errors("[[rule]]\nname = 'x'\nfolder = 'RNP'\ncategory = 'c'\navailability = 'Alta'\nsubjet = ['a']\n");
    assert_eq!((e[0].line, e[0].column), (6, 1), "{e:?}");
    assert!(
        e[0].message.contains("clave desconocida `subjet`"),
        "{}",
        e[0].message
    );
}

#[test]
fn unknown_folder_availability_duplicate_regex_empty_and_no_condition_are_all_reported() {
    let text = r#"[[rule]]
name = "a"
folder = "Seace"
category = "c"
availability = "Urgente"
text = ["x"]

[[rule]]
name = "a"
folder = "RNP"
category = "c"
availability = "Alta"
subject = ["ok", "re:(abierto", ""]

[[rule]]
name = "sin-condicion"
folder = "Legal"
category = "c"
availability = "Baja"
"#;
    let e = errors(text);
    let got: Vec<(usize, usize, &str)> = e
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(got.len(), 6, "{got:#?}");
    assert_eq!((got[0].0, got[0].1), (3, 10));
    assert!(
        got[0].2.contains("«Seace»") && got[0].2.contains("¿quiso decir «SEACE»?"),
        "{}",
        got[0].2
    );
    assert_eq!((got[1].0, got[1].1), (5, 16));
    assert!(
        got[1].2.contains("disponibilidad «Urgente» desconocida"),
        "{}",
        got[1].2
    );
    assert_eq!((got[2].0, got[2].1), (9, 8));
    assert!(
        got[2].2.contains("ya lo usa otra regla en r.toml:2:8"),
        "{}",
        got[2].2
    );
    assert_eq!((got[3].0, got[3].1), (13, 18));
    assert!(
        got[3].2.contains("expresión regular inválida"),
        "{}",
        got[3].2
    );
    assert_eq!((got[4].0, got[4].1), (13, 33));
    assert!(got[4].2.contains("patrón vacío"), "{}", got[4].2);
    assert_eq!((got[5].0, got[5].1), (16, 8));
    assert!(
        got[5].2.contains("no tiene ninguna condición"),
        "{}",
        got[5].2
    );
}

#[test]
fn errors_display_as_file_line_column_and_say_the_set_is_not_used() {
    let err = RuleSet::from_sources(
        &[(
            "10-a.toml".into(),
            "[[rule]]\nname='a'\nfolder='X'\ncategory='c'\navailability='Alta'\ntext=['a']\n"
                .into(),
        )],
        &folders(),
    )
    .expect_err("bad folder");
    let shown = err.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 2, "{shown}");
    assert!(
        lines[0].starts_with("10-a.toml:3:8: la carpeta «X»"),
        "{shown}"
    );
    assert!(
        lines[1].contains("un conjunto de reglas con errores nunca se aplica"),
        "{shown}"
    );
}

#[test]
fn errors_in_several_files_are_all_collected() {
    let sources = [
        (
            "10-a.toml".to_string(),
            "[[rule]]\nname='a'\nfolder='RNP'\ncategory='c'\navailability='Alta'\ntext=['a']\n"
                .to_string(),
        ),
        ("20-b.toml".to_string(), "[[rule]\n".to_string()),
        (
            "30-c.toml".to_string(),
            "[[rule]]\nname='a'\nfolder='RNP'\ncategory='c'\navailability='Alta'\ntext=['a']\n"
                .to_string(),
        ),
    ];
    let e = RuleSet::from_sources(&sources, &folders())
        .expect_err("two bad files")
        .0;
    let files: Vec<&str> = e.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["20-b.toml", "30-c.toml"]);
    assert!(e[1].message.contains("10-a.toml:2:6"), "{}", e[1].message);
}

#[test]
fn empty_groups_are_refused() {
    let e = errors("[[rule]]\nname='a'\nfolder='RNP'\ncategory='c'\navailability='Alta'\ntext=['a']\n[rule.unless]\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("[rule.unless]"), "{}", e[0].message);
}

#[test]
fn a_missing_or_empty_rules_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = RuleSet::load_dir(dir.path(), &folders()).expect_err("empty");
    assert!(
        err.to_string().contains("no tiene ningún archivo .toml"),
        "{err}"
    );
    let err = RuleSet::load_dir(&dir.path().join("no-existe"), &folders()).expect_err("missing");
    assert!(
        err.to_string()
            .contains("no se pudo abrir la carpeta de reglas"),
        "{err}"
    );
}

#[test]
fn load_dir_reads_toml_files_in_name_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rule = |name: &str, folder: &str| {
        format!("[[rule]]\nname='{name}'\nfolder='{folder}'\ncategory='c'\navailability='Alta'\ntext=['consulta']\n")
    };
    std::fs::write(dir.path().join("20-b.toml"), rule("b", "RNP")).expect("write");
    std::fs::write(dir.path().join("10-a.toml"), rule("a", "SEACE")).expect("write");
    std::fs::write(dir.path().join("notas.txt"), "no es una regla").expect("write");
    let rules = RuleSet::load_dir(dir.path(), &folders()).expect("valid");
    let names: Vec<&str> = rules.rules().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(rules.rules()[0].file.ends_with("10-a.toml"));
    assert_eq!(
        folder_of(&rules, &view("consulta", "")),
        Some("SEACE".into())
    );
}

mod one_pass_matches_each_pattern_alone {
    //! The field matchers (one Aho-Corasick automaton for the words and for the literals the regexes start
    //! with) must find exactly what each pattern's own regex finds, on texts full of the boundary cases: dots,
    //! @, _, digits, capitals, accents, words inside words.

    use proptest::prelude::*;

    use super::*;

    /// Plain patterns from a tiny alphabet so they often occur, touch each other and sit inside longer words.
    fn pattern() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\*?[a-c]{1,3}\\*?",
            "\\*?[a-c]{1,2}[ .@_-][a-c0-9]{1,2}\\*?",
            "[.@][a-c]{1,2}",
            "[a-c]{1,2}\\*[a-c]{1,2}",
            "[a-c]{1,2}[.@]",
            Just("re:a+b".to_string()),
            Just("re:\\bc[ab]?\\b".to_string()),
            Just("re:^a".to_string()),
            Just("re:b$".to_string()),
            Just("re:B[^a-c ]*\\.".to_string()),
            Just("re:(?-i:A)|c\\W+[A-C]".to_string()),
            Just("re:\\w+@[[:alpha:]]+".to_string()),
            Just("re:(a|bc|ab)+".to_string()),
            Just("re:[^.@ ]{2}".to_string()),
            // No starting literals, but every match holds «bc» or «cab» (`RegexStart::Containing`).
            Just("re:(^|[.@] )(a |b )?(bc|cab)\\b[^.]*@".to_string()),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-cA-C0-9 .@_,á-]{0,40}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn same_hits_as_each_regex_alone(
            patterns in prop::collection::vec(pattern(), 1..12),
            subject_only in prop::collection::vec(pattern(), 0..3),
            texts in prop::collection::vec((text(), text()), 1..16),
        ) {
            let quote = |ps: &[String]| {
                ps.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ")
            };
            let mut toml = format!(
                "[[rule]]\nname = \"r\"\nfolder = \"SEACE\"\ncategory = \"c\"\navailability = \"Alta\"\n\
                 text = [{}]\n",
                quote(&patterns)
            );
            if !subject_only.is_empty() {
                toml.push_str(&format!("subject = [{}]\n", quote(&subject_only)));
            }
            let rules = set(&toml);
            for (subject, body) in &texts {
                let v = view(subject, body);
                let found: Vec<bool> = rules.hits(&v).iter().map(|w| *w > 0.0).collect();
                prop_assert_eq!(found, rules.hits_one_by_one(&v), "{:?} / {:?}", subject, body);
            }
        }
    }
}

#[test]
fn the_rules_alone_have_their_own_threshold_and_default_to_the_common_one() {
    let rule = "[[rule]]\nname = \"r\"\nfolder = \"RNP\"\ncategory = \"c\"\navailability = \"Media\"\nscore = 1.5\ntext = [\"rnp\"]\n";
    let own = set(&format!(
        "[routing]\nthreshold = 3.1\nmargin = 0.1\nthreshold_rules_only = 1.4\nmargin_rules_only = 0.5\n\n{rule}"
    ));
    assert_eq!(
        (
            own.routing().threshold_rules_only,
            own.routing().margin_rules_only
        ),
        (1.4, 0.5)
    );
    // `set` silences the learned opinion: the rule's 1.5 points meet the rules' own bar of 1.4.
    assert_eq!(
        folder_of(&own, &view("", "renovar el rnp")).as_deref(),
        Some("RNP")
    );
    let common = set(&format!("[routing]\nthreshold = 3.1\n\n{rule}"));
    assert_eq!(common.routing().threshold_rules_only, 3.1);
    assert_eq!(folder_of(&common, &view("", "renovar el rnp")), None);
    let e = errors(&format!("[routing]\nthreshold_rules_only = -1\n\n{rule}"));
    assert!(e[0].to_string().contains("threshold_rules_only"), "{e:?}");
}

#[test]
fn a_kind_rule_decides_the_kind_beside_the_area() {
    let rules = set(r#"[routing]
kind_threshold = 2
kind_margin = 0.5

[[rule]]
name = "seace"
folder = "SEACE"
category = "Operación del SEACE"
availability = "Alta"
text = ["seace"]

[[rule]]
name = "caido"
kind = "incidencia"
score = 2
text = ["esta caido", "no carga"]

[[rule]]
name = "como"
kind = "incidencia"
score = -1
text = ["re:\\bcomo (registro|publico)\\b"]
"#);
    // An incident about the SEACE: the area is still SEACE.
    let c = rules.classify(&view(
        "SEACE caído",
        "El SEACE está caído desde las 9, no carga.",
    ));
    assert_eq!(c.folder(), Some("SEACE"));
    assert_eq!(c.kind().kind, crate::vocabulary::AttentionKind::Incident);
    let shown = explain(&c);
    assert!(
        shown.contains("Clase de atención: incidencia, con 2 puntos (umbral 2)"),
        "{shown}"
    );
    assert!(shown.contains("+2 incidencia: regla «caido»"), "{shown}");
    // «Cómo registro…» takes from the incident: a question about how to do something is a consultation.
    let c = rules.classify(&view(
        "SEACE",
        "¿Cómo registro el contrato? El sistema no carga el formulario.",
    ));
    assert_eq!(
        c.kind().kind,
        crate::vocabulary::AttentionKind::Consultation
    );
    assert!(
        explain(&c).contains("Clase de atención: consulta (incidencia suma 1"),
        "{}",
        explain(&c)
    );
    // No area sure, the kind still decided.
    let c = rules.classify(&view("Urgente", "El sistema está caído"));
    assert_eq!(c.folder(), None);
    assert_eq!(c.kind().kind, crate::vocabulary::AttentionKind::Incident);
    assert!(explain(&c).contains("se archiva en la carpeta de su clase de atención (incidencia)"));
    // Most mail has no kind evidence at all.
    let c = rules.classify(&view("Consulta", "¿Qué plazo tiene el SEACE?"));
    assert!(explain(&c).contains("Clase de atención: consulta (ninguna regla de clase coincide)"));
}

#[test]
fn a_rule_needs_a_folder_or_a_kind_and_a_kind_is_one_of_four() {
    let e = errors("[[rule]]\nname = 'x'\ntext = ['a']\n");
    assert!(
        e[0].message.contains("no dice a qué da puntos"),
        "{}",
        e[0].message
    );
    let e = errors("[[rule]]\nname = 'x'\nkind = 'queja'\ntext = ['a']\n");
    assert_eq!((e[0].line, e[0].column), (3, 8), "{e:?}");
    assert!(
        e[0].message
            .contains("consulta, incidencia, reclamo, sugerencia"),
        "{}",
        e[0].message
    );
    let e = errors("[[rule]]\nname = 'x'\nfolder = 'RNP'\ntext = ['a']\n");
    let all: Vec<&str> = e.iter().map(|e| e.message.as_str()).collect();
    assert!(
        all.iter().any(|m| m.contains("le falta availability")),
        "{all:?}"
    );
    assert!(
        all.iter().any(|m| m.contains("le falta category")),
        "{all:?}"
    );
    // A kind's rule needs neither: its kind sets the deadline.
    let rules = set("[[rule]]\nname = 'r'\nkind = 'reclamo'\ntext = ['reclamo']\n");
    assert_eq!(rules.rules()[0].folder, None);
}

/// A kind model trained on a few complaints, incidents and many consultations.
fn kind_model() -> std::sync::Arc<crate::rules::learned::LearnedModel> {
    use crate::rules::learned::{message_features, Counts, LearnedModel};
    let mut c = Counts::default();
    for (kind, text) in [
        ("consulta", "como registro el contrato en el seace"),
        ("consulta", "que requisitos pide la inscripcion en el rnp"),
        ("consulta", "cual es el plazo para presentar la oferta"),
        ("consulta", "como renuevo mi constancia de proveedor"),
        ("reclamo", "nadie me responde hace semanas pesima atencion"),
        ("reclamo", "pesima atencion nadie contesta el telefono"),
        ("incidencia", "la plataforma esta caida no carga"),
        ("sugerencia", "sugiero que publiquen un video tutorial"),
    ] {
        c.add(kind, &message_features("", 1.0, text), 1.0);
    }
    std::sync::Arc::new(LearnedModel::train(&c).expect("four kinds"))
}

#[test]
fn the_learned_vote_on_the_kind_needs_a_rule_to_make_a_complaint() {
    use crate::vocabulary::AttentionKind;
    let text = r#"[routing]
kind_threshold = 2
kind_margin = 0.5

[routing.learned]
kind_weight = 1.5

[[rule]]
name = "seace"
folder = "SEACE"
category = "Operación del SEACE"
availability = "Alta"
text = ["seace"]

[[rule]]
name = "queja-leve"
kind = "reclamo"
score = 1
text = ["me responde"]
"#;
    let rules = set(text).with_kind_learned(Some(kind_model()));
    // The vote alone (at most 1.5 points) cannot reach the kind's threshold of 2: without a kind rule it is a
    // consultation, and the vote is not even asked.
    let c = rules.classify(&view("Atención", "Pésima atención, nadie contesta."));
    assert_eq!(
        c.kind().kind,
        AttentionKind::Consultation,
        "{}",
        explain(&c)
    );
    assert!(!explain(&c).contains("sobre la clase"), "{}", explain(&c));
    // With a weak rule of its own (1 point, below the threshold alone) the vote makes the complaint.
    let c = rules.classify(&view(
        "Atención",
        "Nadie me responde, pésima atención, nadie contesta.",
    ));
    assert_eq!(c.kind().kind, AttentionKind::Complaint, "{}", explain(&c));
    let shown = explain(&c);
    assert!(
        shown.contains("opinión aprendida sobre la clase (peso 1.5"),
        "{shown}"
    );
    assert!(
        shown.contains("palabras que más pesaron para reclamo"),
        "{shown}"
    );
    // The rule alone stays below the threshold.
    let alone = set(text).classify(&view(
        "Atención",
        "Nadie me responde, pésima atención, nadie contesta.",
    ));
    assert_eq!(alone.kind().kind, AttentionKind::Consultation);
    // A question of procedure: the vote favours the consultation and takes nothing from it.
    let c = rules.classify(&view("Contrato", "¿Cómo registro el contrato en el SEACE?"));
    assert_eq!(c.kind().kind, AttentionKind::Consultation);
    // `enabled = false` silences the kind's vote as well as the area's.
    let off = set(&text.replace("kind_weight = 1.5", "kind_weight = 1.5\nenabled = false"))
        .with_kind_learned(Some(kind_model()));
    assert!(off.kind_learned().is_none());
    let c = off.classify(&view(
        "Atención",
        "Nadie me responde, pésima atención, nadie contesta.",
    ));
    assert_eq!(c.kind().kind, AttentionKind::Consultation);
    assert!(!explain(&c).contains("sobre la clase"));
}

#[test]
fn rules_loaded_to_try_a_message_decide_as_the_daemons_do() {
    // The automata of `rules test` are contiguous NFAs, the daemon's DFAs: the same decisions and reasons.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("rules");
    let daemon = RuleSet::load_dir(&dir, &folders()).expect("shipped rules load");
    let to_try = RuleSet::load_dir_to_try(&dir, &folders()).expect("shipped rules load");
    let files = eml_files(root, &["examples/demo", "tests/corpus"]);
    assert!(files.len() > 20, "{}", files.len());
    for f in files {
        let raw = std::fs::read(&f).expect("read message");
        let Ok(mail) = crate::mail::parse(&raw) else {
            continue;
        };
        let v = mail.view();
        assert_eq!(
            explain(&daemon.classify(&v)),
            explain(&to_try.classify(&v)),
            "{}",
            f.display()
        );
    }
}

/// The `.eml` files of the given directories of the repository, in name order.
fn eml_files(root: &std::path::Path, dirs: &[&str]) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("corpus dir"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

/// `c` with the explanation's pieces taken out: what [`RuleSet::classify_unexplained`] leaves.
fn without_reasons(mut c: Classification) -> Classification {
    fn clear(t: &mut Tally) {
        for r in &mut t.rules {
            r.reasons.clear();
        }
        if let Some(l) = &mut t.learned {
            l.words.clear();
        }
    }
    match &mut c {
        Classification::Matched {
            reasons,
            tally,
            kind,
            ..
        } => {
            reasons.clear();
            clear(tally);
            clear(&mut kind.tally);
        }
        Classification::Unmatched { tally, kind, .. } => {
            clear(tally);
            clear(&mut kind.tally);
        }
    }
    c
}

#[test]
fn a_classification_without_its_explanation_decides_the_same() {
    // Everything but the reasons and the learned vote's words: folder, rule, category, totals, points,
    // probabilities, the kind and its tally, for the shipped rules with both learned opinions voting.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = RuleSet::load_dir(&root.join("rules"), &folders()).expect("shipped rules load");
    let files = eml_files(
        root,
        &["examples/demo", "tests/corpus", "tests/routing/tune"],
    );
    assert!(files.len() > 100, "{}", files.len());
    let mut explained_words = 0;
    for f in files {
        let raw = std::fs::read(&f).expect("read message");
        let Ok(mail) = crate::mail::parse(&raw) else {
            continue;
        };
        let v = mail.view();
        let full = rules.classify(&v);
        explained_words += full.tally().learned.as_ref().map_or(0, |l| l.words.len());
        let bare = rules.classify_unexplained(&v);
        assert!(bare.tally().rules.iter().all(|r| r.reasons.is_empty()));
        assert_eq!(without_reasons(full), bare, "{}", f.display());
    }
    assert!(explained_words > 0, "the explained vote shows its words");
}
