//! Configuration errors an administrator is likely to make, and what they read.

use super::*;
use crate::calendar::DeadlinePolicy;
use crate::vocabulary::AttentionKind;

const GOOD: &str = r#"
data_dir = "/var/lib/triaje"

[[mailbox]]
name = "consultas"
address = "consultas@osce.test"
cutoff = "16:30"
deadline = "24 horas"
[mailbox.imap]
host = "127.0.0.1"
port = 10143
tls = "none"
username = "consultas@osce.test"
password = "secret"
"#;

fn load(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, "config.toml", Path::new("/etc/triaje"))
}

#[test]
fn a_complete_config_loads_with_sqlite_in_the_data_dir() {
    let c = load(GOOD).unwrap();
    assert_eq!(c.database_url, "sqlite:///var/lib/triaje/triaje.db");
    assert_eq!(c.rules_dir, PathBuf::from("/etc/triaje/rules"));
    assert_eq!(c.mailboxes[0].imap.port, 10143);
    assert_eq!(c.mailboxes[0].reception.cutoff.to_string(), "16:30:00");
    // Three targets, the three kinds' folders, unclassified, errors, the six folders of the reply workflow,
    // machine mail, and the two folders of the units (the derivation folders come from the units and the
    // server's delimiter).
    assert_eq!(c.folders.all().len(), 17);
    assert!(c.folders.all().contains(&"Reclamos".to_string()));
    assert!(c.folders.all().contains(&"Automáticos".to_string()));
    assert!(c.folders.all().contains(&"Validación legal".to_string()));
}

#[test]
fn a_misspelled_key_is_reported_with_line_and_column() {
    let text = GOOD.replace("cutoff = ", "cutof = ");
    let err = load(&text).unwrap_err().to_string();
    assert!(
        err.starts_with("config.toml:7:1: clave desconocida"),
        "{err}"
    );
    assert!(err.contains("cutoff"), "suggests the valid keys: {err}");
}

#[test]
fn a_missing_password_names_the_mailbox_and_what_to_add() {
    let text = GOOD.replace("password = \"secret\"\n", "");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("«consultas» no tiene contraseña"), "{err}");
    assert!(err.contains("password_env"), "{err}");
}

#[test]
fn a_password_variable_that_is_not_set_is_an_error_not_an_empty_login() {
    let text = GOOD.replace(
        "password = \"secret\"",
        "password_env = \"TRIAJE_TEST_SURELY_UNSET_VAR\"",
    );
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("TRIAJE_TEST_SURELY_UNSET_VAR"), "{err}");
}

#[test]
fn plain_imap_to_a_remote_server_is_refused() {
    let text = GOOD.replace("127.0.0.1", "imap.osce.gob.pe");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:10:8"), "{err}");
    assert!(err.contains("sin cifrado"), "{err}");
}

#[test]
fn a_bad_cutoff_time_points_at_the_value() {
    let text = GOOD.replace("\"16:30\"", "\"4:30 pm\"");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:7:10"), "{err}");
    assert!(err.contains("hora de corte"), "{err}");
}

#[test]
fn an_unknown_deadline_policy_lists_the_accepted_forms() {
    let text = GOOD.replace("\"24 horas\"", "\"pronto\"");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:8:12"), "{err}");
}

#[test]
fn tls_defaults_to_implicit_on_port_993() {
    let text = GOOD
        .replace("tls = \"none\"\n", "")
        .replace("port = 10143\n", "");
    let c = load(&text).unwrap();
    assert_eq!(c.mailboxes[0].imap.tls, TlsMode::Implicit);
    assert_eq!(c.mailboxes[0].imap.port, 993);
}

const SMTP: &str = r#"
[mailbox.smtp]
host = "127.0.0.1"
tls = "none"
"#;

#[test]
fn smtp_section_defaults_to_the_mailbox_address_and_no_login() {
    let c = load(&format!("{GOOD}{SMTP}")).unwrap();
    let smtp = c.mailboxes[0].smtp.as_ref().expect("smtp section");
    assert_eq!(smtp.port, 25);
    assert_eq!(smtp.from, "consultas@osce.test");
    assert!(smtp.credentials.is_none());
    assert_eq!(c.outbox, OutboxSettings::default());
    assert!(load(GOOD).unwrap().mailboxes[0].smtp.is_none());
}

#[test]
fn smtp_defaults_to_starttls_on_port_587_and_implicit_on_465() {
    let text = format!("{GOOD}[mailbox.smtp]\nhost = \"smtp.osce.gob.pe\"\n");
    let smtp = load(&text).unwrap().mailboxes[0].smtp.clone().unwrap();
    assert_eq!((smtp.tls, smtp.port), (TlsMode::Starttls, 587));
    let text = format!("{text}tls = \"implicit\"\n");
    let smtp = load(&text).unwrap().mailboxes[0].smtp.clone().unwrap();
    assert_eq!((smtp.tls, smtp.port), (TlsMode::Implicit, 465));
}

#[test]
fn plain_smtp_to_a_remote_server_is_refused_with_its_position() {
    let text = format!("{GOOD}{}", SMTP.replace("127.0.0.1", "smtp.osce.gob.pe"));
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:17:8"), "{err}");
    assert!(err.contains("sin cifrado"), "{err}");
}

#[test]
fn smtp_username_without_password_says_what_to_add() {
    let text = format!("{GOOD}{SMTP}username = \"consultas\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("username SMTP pero no contraseña"), "{err}");
    let text = format!("{GOOD}{SMTP}username = \"consultas\"\npassword = \"x\"\n");
    let smtp = load(&text).unwrap().mailboxes[0].smtp.clone().unwrap();
    assert_eq!(smtp.credentials.unwrap().0, "consultas");
}

#[test]
fn smtp_from_must_be_an_address_and_unknown_keys_are_located() {
    let text = format!("{GOOD}{SMTP}from = \"consultas osce\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:19:8"), "{err}");
    let text = format!("{GOOD}{SMTP}hots = \"x\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:19:1: clave desconocida"), "{err}");
}

#[test]
fn outbox_settings_are_read_and_checked_for_smtp_retries() {
    let text =
        format!("{GOOD}\n[outbox]\nbatch = 5\nretry_first_seconds = 2\nretry_max_seconds = 10\n");
    let outbox = load(&text).unwrap().outbox;
    assert_eq!(outbox.batch, 5);
    assert_eq!(outbox.retry_first, std::time::Duration::from_secs(2));
    assert_eq!(
        outbox.give_up_after,
        std::time::Duration::from_secs(72 * 3600)
    );
    let text = format!("{GOOD}\n[outbox]\nretry_first_seconds = 60\nretry_max_seconds = 10\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("no puede ser menor"), "{err}");
    let text = format!("{GOOD}\n[outbox]\nlease_seconds = 5\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("lease_seconds debe estar entre 60"), "{err}");
}

const WEB: &str = r#"
[web]
bind = "0.0.0.0:8443"
public_url = "https://atencion.osce.gob.pe/"
survey_key_env = "TRIAJE_TEST_SURVEY_KEY_SET"
survey_valid_days = 15
"#;

#[test]
fn without_a_web_section_no_server_is_configured() {
    assert!(load(GOOD).unwrap().web.is_none());
}

#[test]
fn a_web_section_loads_with_its_key() {
    std::env::set_var(
        "TRIAJE_TEST_SURVEY_KEY_SET",
        "0123456789abcdef0123456789abcdef-ok",
    );
    let web = load(&format!("{GOOD}{WEB}")).unwrap().web.expect("[web]");
    assert_eq!(web.bind.to_string(), "0.0.0.0:8443");
    assert_eq!(web.public_url, "https://atencion.osce.gob.pe");
    assert_eq!(web.survey_valid_days, 15);
    assert_eq!(
        web.survey_key.expose(),
        "0123456789abcdef0123456789abcdef-ok"
    );
}

#[test]
fn web_defaults_apply_and_a_short_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("survey.key");
    std::fs::write(&key, "0123456789abcdef0123456789abcdef\n").unwrap();
    let text = format!("{GOOD}\n[web]\nsurvey_key_file = \"{}\"\n", key.display());
    let web = load(&text).unwrap().web.expect("[web]");
    assert_eq!(web.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(web.public_url, "http://127.0.0.1:8080");
    assert_eq!(web.survey_valid_days, 30);

    std::fs::write(&key, "corta\n").unwrap();
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("demasiado corta (5 caracteres)"), "{err}");
    assert!(err.contains("al menos 32"), "{err}");
}

#[test]
fn a_web_section_without_a_key_says_what_to_add() {
    let err = load(&format!("{GOOD}\n[web]\n")).unwrap_err().to_string();
    assert!(err.contains("survey_key_env"), "{err}");
}

#[test]
fn a_public_url_that_is_not_http_points_at_the_value() {
    let text = format!("{GOOD}{WEB}").replace("https://atencion", "ftp://atencion");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:18:14"), "{err}");
    assert!(err.contains("http:// o https://"), "{err}");
}

#[test]
fn a_misspelled_web_key_is_an_error() {
    let text = format!("{GOOD}{WEB}").replace("survey_valid_days", "survey_days");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("clave desconocida"), "{err}");
}

#[test]
fn the_kinds_default_to_their_seeds_and_take_their_own_folders_and_deadlines() {
    let c = load(GOOD).unwrap();
    assert_eq!(c.kinds, Kinds::default());
    assert_eq!(
        c.kinds.complaint.deadline,
        Some(DeadlinePolicy::BusinessDays(30))
    );
    assert_eq!(
        c.kinds.incident.deadline,
        Some(DeadlinePolicy::BusinessDays(5))
    );
    assert_eq!(
        c.kinds.suggestion.deadline, None,
        "the mailbox's own policy"
    );
    let text = format!(
        "{GOOD}\n[kinds.reclamo]\nfolder = \"Quejas\"\nlibro_de_reclamaciones = \"https://reclamos.example.test/x\"\n\
         [kinds.sugerencia]\ndeadline = \"10 días hábiles\"\ntemplate = \"plantillas/s.txt\"\n"
    );
    let c = load(&text).unwrap();
    assert_eq!(c.kinds.complaint.folder, "Quejas");
    assert_eq!(c.kinds.complaints_book, "https://reclamos.example.test/x");
    assert_eq!(
        c.kinds.suggestion.deadline,
        Some(DeadlinePolicy::BusinessDays(10))
    );
    assert_eq!(
        c.kinds.suggestion.template,
        Some(PathBuf::from("/etc/triaje/plantillas/s.txt"))
    );
    assert!(c.folders.filed().contains(&"Quejas".to_string()));
    assert_eq!(
        c.kinds.kind_of_folder("Quejas"),
        Some(AttentionKind::Complaint)
    );
}

#[test]
fn a_bad_kind_setting_is_reported_where_it_is_written() {
    let text = format!("{GOOD}\n[kinds.incidencia]\ndeadline = \"mismo día\"\n");
    let line = text
        .lines()
        .position(|l| l.starts_with("deadline = \"mismo"))
        .unwrap()
        + 1;
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains(&format!("config.toml:{line}:12")), "{err}");
    assert!(err.contains("[kinds.incidencia] deadline"), "{err}");
    let err = load(&format!("{GOOD}\n[kinds.queja]\nfolder = \"Q\"\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("clave desconocida"), "{err}");
    let err = load(&format!("{GOOD}\n[kinds.incidencia]\nfolder = \"SEACE\"\n"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("ya es otra carpeta del buzón"), "{err}");
    let err = load(&format!(
        "{GOOD}\n[kinds.sugerencia]\nlibro_de_reclamaciones = \"https://x.test\"\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("va en [kinds.reclamo]"), "{err}");
}

#[test]
fn the_example_config_with_smtp_and_outbox_loads_offline() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let c = Config::load_offline(&path).expect("config.example.toml is valid");
    assert_eq!(c.outbox, OutboxSettings::default());
    let smtp = c.mailboxes[0].smtp.as_ref().expect("consultas sends");
    assert_eq!((smtp.tls, smtp.port), (TlsMode::Starttls, 587));
    assert_eq!(smtp.from, "consultas@osce.gob.pe");
    assert!(c.mailboxes[1].smtp.is_none());
}

#[test]
fn digest_needs_a_sending_mailbox_and_valid_times() {
    let smtp = "\n[mailbox.smtp]\nhost = \"127.0.0.1\"\ntls = \"none\"\n";
    let text = format!(
        "{GOOD}{smtp}\n[digest]\ncoordinator = \"coord@osce.test\"\ndue_list_at = \"8h\"\n"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("due_list_at"))
        .unwrap()
        + 1;
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains(&format!("config.toml:{line}:15")), "{err}");
    assert!(err.contains("no es una hora"), "{err}");
    let text =
        format!("{GOOD}{smtp}\n[digest]\ncoordinator = \"coord@osce.test\"\nregister_at = \"\"\n");
    let d = load(&text).unwrap().digest.unwrap();
    assert_eq!(d.mailbox, "consultas");
    assert_eq!(
        d.due_list_at.map(|t| t.to_string()).as_deref(),
        Some("08:00:00")
    );
    assert_eq!(d.register_at, None);
    let text = format!("{GOOD}\n[digest]\ncoordinator = \"coord@osce.test\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(
        err.contains("necesita un buzón con [mailbox.smtp]"),
        "{err}"
    );
}

#[test]
fn the_incident_coordinator_gets_the_report_at_five_unless_told_otherwise() {
    let smtp = "\n[mailbox.smtp]\nhost = \"127.0.0.1\"\ntls = \"none\"\n";
    let i = load(&format!(
        "{GOOD}{smtp}\n[incidents]\ncoordinator = \"Incidencias@OSCE.test\"\n"
    ))
    .unwrap()
    .incidents
    .expect("[incidents]");
    assert_eq!(i.coordinator, "incidencias@osce.test");
    assert_eq!(i.mailbox, "consultas");
    assert_eq!(i.send_at.to_string(), "17:00:00");
    let text = format!(
        "{GOOD}{smtp}\n[incidents]\ncoordinator = \"incidencias@osce.test\"\nsend_at = \"5 pm\"\n"
    );
    let line = text.lines().position(|l| l.starts_with("send_at")).unwrap() + 1;
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains(&format!("config.toml:{line}:11")), "{err}");
    assert!(err.contains("send_at = «5 pm» no es una hora"), "{err}");
    let err = load(&format!(
        "{GOOD}{smtp}\n[incidents]\ncoordinator = \"nadie\"\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("no es una dirección de correo"), "{err}");
    let err = load(&format!(
        "{GOOD}\n[incidents]\ncoordinator = \"incidencias@osce.test\"\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("[incidents] necesita un buzón con [mailbox.smtp]"),
        "{err}"
    );
    assert!(load(GOOD).unwrap().incidents.is_none());
}

#[test]
fn without_a_dashboard_password_the_dashboard_is_off() {
    std::env::set_var(
        "TRIAJE_TEST_SURVEY_KEY_SET",
        "0123456789abcdef0123456789abcdef-ok",
    );
    let web = load(&format!("{GOOD}{WEB}")).unwrap().web.expect("[web]");
    assert!(web.dashboard.is_none());
}

#[test]
fn a_dashboard_password_from_a_file_turns_the_dashboard_on() {
    std::env::set_var(
        "TRIAJE_TEST_SURVEY_KEY_SET",
        "0123456789abcdef0123456789abcdef-ok",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("panel.pass");
    std::fs::write(&file, "una contraseña larga\n").unwrap();
    let text = format!(
        "{GOOD}{WEB}dashboard_password_file = \"{}\"\n",
        file.display()
    );
    let dashboard = load(&text).unwrap().web.unwrap().dashboard.expect("on");
    assert_eq!(dashboard.user, "coordinador");
    assert_eq!(dashboard.password.expose(), "una contraseña larga");

    std::fs::write(&file, "corta\n").unwrap();
    let err = load(&text).unwrap_err().to_string();
    assert!(
        err.contains("contraseña del panel es demasiado corta"),
        "{err}"
    );
}

#[test]
fn dashboard_errors_point_at_the_line_and_column() {
    std::env::set_var(
        "TRIAJE_TEST_SURVEY_KEY_SET",
        "0123456789abcdef0123456789abcdef-ok",
    );
    let text = format!("{GOOD}{WEB}dashboard_password_env = \"TRIAJE_TEST_PANEL_UNSET_VAR\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:21:26"), "{err}");
    assert!(err.contains("TRIAJE_TEST_PANEL_UNSET_VAR"), "{err}");

    let text = format!("{GOOD}{WEB}dashboard_user = \"\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:21:18"), "{err}");
    assert!(err.contains("dashboard_user"), "{err}");

    let text =
        format!("{GOOD}{WEB}dashboard_password_env = \"X\"\ndashboard_password_file = \"/x\"\n");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("config.toml:22:27"), "{err}");
    assert!(err.contains("dos veces"), "{err}");
}

#[test]
fn the_supervisors_account_defaults_to_his_address_and_his_names_are_kept() {
    let c = load(&format!(
        "{GOOD}\n[replies]\nsupervisor = \"Supervisor@OSCE.test\"\nsupervisor_names = [\"Víctor Campos\", \" \"]\n"
    ))
    .unwrap();
    assert_eq!(
        c.replies.supervisor.as_deref(),
        Some("supervisor@osce.test")
    );
    assert_eq!(c.replies.supervisor_accounts, vec!["supervisor@osce.test"]);
    assert_eq!(c.replies.supervisor_names, vec!["Víctor Campos"]);
    assert_eq!(c.replies.approval_link_days, 7);
    let err = load(&format!(
        "{GOOD}\n[replies]\nsupervisor_name = \"Víctor\"\n"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("supervisor_name"), "{err}");
}

const UNITS: &str = r#"
[[unit]]
name = "seace"
display_name = "Dirección del SEACE"
address = "SEACE@osce.test"
level = 2
escalates_to = "oti"

[[unit]]
name = "oti"
address = "oti@osce.test"
level = 3
deadline = 2
"#;

#[test]
fn units_load_with_the_manuals_deadline_when_none_is_written() {
    let c = load(&format!("{GOOD}{UNITS}")).unwrap();
    let seace = c.unit("seace").unwrap();
    assert_eq!(seace.address, "seace@osce.test");
    assert_eq!(seace.level, UnitLevel::Second);
    assert_eq!(seace.deadline_days, 5);
    assert_eq!(seace.escalates_to.as_deref(), Some("oti"));
    assert_eq!(c.unit("oti").unwrap().deadline_days, 2);
    assert_eq!(c.unit("oti").unwrap().display_name, "oti");
    // People read a unit by its display name; a unit no longer configured keeps the name it was recorded with.
    assert_eq!(c.unit_display_name("seace"), "Dirección del SEACE");
    assert_eq!(c.unit_display_name("oti"), "oti");
    assert_eq!(c.unit_display_name("dtn"), "dtn");
    assert_eq!(
        c.unit_by_address("Oti@osce.test").map(|u| u.name.as_str()),
        Some("oti")
    );
    assert_eq!(c.folders.derive_folder(Some("/"), "seace"), "Derivar/seace");
    assert_eq!(c.folders.derive_folder(Some("."), "seace"), "Derivar.seace");
}

/// The 1-based line of the first line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn a_third_level_unit_with_one_day_is_refused_at_its_line() {
    let text = format!("{GOOD}{UNITS}").replace("deadline = 2", "deadline = 1");
    let err = load(&text).unwrap_err().to_string();
    let line = line_of(&text, "deadline = 1");
    assert!(err.contains(&format!("config.toml:{line}:12")), "{err}");
    assert!(
        err.contains("tercer nivel responde en 2 a 5 días hábiles"),
        "{err}"
    );
    let text = format!("{GOOD}{UNITS}").replace("level = 2", "level = 1");
    let err = load(&text).unwrap_err().to_string();
    assert!(
        err.contains(&format!("config.toml:{}:9", line_of(&text, "level = 1"))),
        "{err}"
    );
}

#[test]
fn a_unit_escalates_only_to_an_existing_unit_of_a_higher_level() {
    let text =
        format!("{GOOD}{UNITS}").replace("escalates_to = \"oti\"", "escalates_to = \"otti\"");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("no hay un [[unit]] con ese nombre"), "{err}");
    let text = format!("{GOOD}{UNITS}").replace("level = 3", "level = 2");
    let err = load(&text).unwrap_err().to_string();
    assert!(
        err.contains("solo puede elevar a una unidad de un nivel superior"),
        "{err}"
    );
    let line = line_of(&text, "escalates_to");
    assert!(err.contains(&format!("config.toml:{line}:")), "{err}");
}

#[test]
fn two_units_with_one_address_or_a_unit_at_a_mailbox_are_refused() {
    let text = format!("{GOOD}{UNITS}").replace("oti@osce.test", "seace@osce.test");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("la misma dirección"), "{err}");
    let text = format!("{GOOD}{UNITS}").replace("oti@osce.test", "consultas@osce.test");
    let err = load(&text).unwrap_err().to_string();
    assert!(err.contains("es la de un buzón de triaje"), "{err}");
}

#[test]
fn the_example_config_derives_to_osces_units() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let c = Config::load_offline(&path).expect("config.example.toml is valid");
    let names: Vec<&str> = c.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["seace", "rnp", "dtn", "oti"]);
    assert_eq!(c.unit("oti").unwrap().level, UnitLevel::Third);
}
