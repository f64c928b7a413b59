//! The administrator's command line, run as the administrator runs it: `triaje rules check`, `triaje rules test`,
//! and what a broken configuration says.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::installation::Installation;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn triaje(cwd: &Path, args: &[&str]) -> Output {
    Command::new(common::triaje_bin())
        .current_dir(cwd)
        // No config file in `cwd`: the commands fall back to the defaults (rules/, Peru's calendar).
        .arg("--config")
        .arg(cwd.join("no-config.toml"))
        .args(args)
        .env_remove("TRIAJE_CONFIG")
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn rules_check_names_every_error_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    // A bracket left open, and a key with a typo in another file: both are reported in one run.
    std::fs::write(
        rules.join("10-seace.toml"),
        "[[rule]]\nname = \"x\"\nfolder = \"SEACE\"\nsubject = [\"clave\"\n",
    )
    .unwrap();
    std::fs::write(
        rules.join("20-rnp.toml"),
        "[[rule]]\nname = \"y\"\nfolder = \"RNP\"\nsubjet = [\"rnp\"]\n",
    )
    .unwrap();
    let out = triaje(dir.path(), &["rules", "check"]);
    let (_, err) = text(&out);
    assert!(
        !out.status.success(),
        "a broken rule set must fail the check"
    );
    assert!(err.contains("rules/10-seace.toml:4:"), "{err}");
    assert!(
        err.contains("rules/20-rnp.toml:4:1: clave desconocida `subjet`"),
        "{err}"
    );
    assert!(err.contains("2 errores en las reglas"), "{err}");
    assert_eq!(
        err.matches("clave desconocida").count(),
        1,
        "each error is said once:\n{err}"
    );
}

#[test]
fn rules_check_refuses_a_template_with_a_misspelt_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(rules.join("templates")).unwrap();
    std::fs::copy(
        repo().join("rules/30-legal.toml"),
        rules.join("30-legal.toml"),
    )
    .unwrap();
    std::fs::write(
        rules.join("templates/acuse.txt"),
        "Asunto: Recibimos su consulta\n\nSu número es {{tiket}}.\n",
    )
    .unwrap();
    let out = triaje(dir.path(), &["rules", "check"]);
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("templates/acuse.txt:3:14: marcador desconocido «{{tiket}}»"),
        "{err}"
    );
}

#[test]
fn rules_check_accepts_the_shipped_rules() {
    let out = triaje(&repo(), &["rules", "check"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("Reglas correctas: "), "{stdout}");
    assert!(stdout.contains("Plantilla de acuse correcta"), "{stdout}");
}

#[test]
fn rules_test_explains_the_rule_folder_and_dates_of_a_message() {
    // Friday 20 Nov 2026 at 16:45 is after the 16:30 cut-off: it counts from Monday 23 at 08:30, and a Legal
    // consultation (Baja: 10 business days) is due on Monday 7 December.
    let out = triaje(
        &repo(),
        &[
            "rules",
            "test",
            "examples/demo/03-legal-penalidad.eml",
            "--received",
            "2026-11-20 16:45",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "Coincide la regla «legal-ejecucion-contractual» (archivo rules/30-legal.toml)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Carpeta: Legal"), "{stdout}");
    assert!(
        stdout.contains("el asunto contiene «penalidad»"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Cuenta desde:   lun 23/11/2026 08:30"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Vence:          lun 07/12/2026 23:59"),
        "{stdout}"
    );
}

/// The worked tally of README «Routing rules» is what `rules test` prints today for `examples/consulta.eml`: a
/// change of rules, settings or the shipped seed that moves it must show the administrator the new tally.
#[test]
fn the_readme_worked_tally_is_what_rules_test_prints() {
    let command = "$ triaje rules test examples/consulta.eml --received \"2026-11-20 16:45\"\n";
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find(command)
        .expect("the README shows the worked tally")
        + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = Command::new(common::triaje_bin())
        .current_dir(repo())
        .args(["--config", "config.example.toml", "rules", "test"])
        .args(["examples/consulta.eml", "--received", "2026-11-20 16:45"])
        .env_remove("TRIAJE_CONFIG")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(
        shown, stdout,
        "README's worked tally differs from what `rules test` prints now: paste the new output"
    );
}

#[test]
fn rules_test_says_so_when_nothing_matches() {
    let out = triaje(&repo(), &["rules", "test", "examples/demo/07-gracias.eml"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("Ninguna de las "), "{stdout}");
    assert!(
        stdout.contains("Carpeta:        Por clasificar"),
        "{stdout}"
    );
    assert!(stdout.contains("Vence:"), "{stdout}");
}

#[test]
fn a_config_without_a_password_says_which_mailbox_and_what_to_add() {
    let out = Installation::offline().write().once();
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("el buzón «consultas» no tiene contraseña IMAP"),
        "{err}"
    );
    assert!(err.contains("password_env"), "{err}");
}

#[test]
fn a_config_typo_is_reported_with_its_position() {
    // A top-level key misspelt on the configuration's second line.
    let installation = Installation::offline()
        .unset("", "rules_dir")
        .set("", "cutof = \"16:30\"");
    assert_eq!(
        installation.config_text().lines().nth(1),
        Some("cutof = \"16:30\"")
    );
    let out = installation.write().triaje(&["status"]);
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(err.contains("config.toml:2:1"), "{err}");
}

#[test]
fn the_shipped_systemd_unit_is_valid_and_hardened() {
    // The unit as installed, pointing at the binary under test instead of /usr/local/bin.
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(repo().join("deploy/triaje.service"))
        .unwrap()
        .replace(
            "/usr/local/bin/triaje",
            &common::triaje_bin().display().to_string(),
        );
    let path = dir.path().join("triaje.service");
    std::fs::write(&path, unit).unwrap();
    let analyze = |args: &[&str]| {
        let out = Command::new("systemd-analyze")
            .args(args)
            .arg(&path)
            .output()
            .expect("systemd-analyze (Debian's systemd package; scripts/check installs it)");
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (ok, said) = analyze(&["verify"]);
    assert!(
        ok && said.trim().is_empty(),
        "systemd-analyze verify: {said}"
    );
    let (_, said) = analyze(&["security", "--offline=yes"]);
    let exposure: f64 = said
        .split("Overall exposure level for triaje.service: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in: {said}"));
    assert!(
        exposure <= 2.0,
        "exposure {exposure} (want ≤ 2.0, «OK»):\n{said}"
    );
}

#[test]
fn rules_learn_writes_each_seed_beside_the_model_it_trains_to() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.txt");
    let run = triaje(
        dir.path(),
        &[
            "rules",
            "learn",
            "--dir",
            repo().join("rules").to_str().unwrap(),
            "--seed-from",
            repo().join("tests/corpus").to_str().unwrap(),
            "--write-seed",
            out.to_str().unwrap(),
        ],
    );
    let (stdout, err) = text(&run);
    assert!(run.status.success(), "{stdout}{err}");
    for (counts, packed) in [
        ("seed.txt", "seed.bin"),
        ("seed-clases.txt", "seed-clases.bin"),
    ] {
        let text = std::fs::read_to_string(dir.path().join(counts)).unwrap();
        let packed = std::fs::read(dir.path().join(packed)).unwrap();
        // What `rules test` loads is exactly what the counts beside it train to; nothing where they train to
        // no model (`tests/corpus` has no `kind` labels: the kind's counts have no messages).
        let counts = triaje::rules::learned::Counts::from_text(&text).unwrap();
        match triaje::rules::learned::LearnedModel::train(&counts) {
            Some(trained) => {
                assert!(trained.to_packed() == packed);
                let model = triaje::rules::learned::LearnedModel::from_packed(&packed).unwrap();
                assert_eq!(model.classes(), counts.classes.as_slice());
            }
            None => assert!(packed.is_empty()),
        }
    }
    let area = std::fs::read(dir.path().join("seed.bin")).unwrap();
    assert!(!area.is_empty(), "the corpus's folders make a model");
}
