//! Configuration errors an administrator is likely to make, and what they read.

use super::*;

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
    assert_eq!(c.folders.all().len(), 5);
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
