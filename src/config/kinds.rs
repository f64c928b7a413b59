//! `[kinds.incidencia]`, `[kinds.reclamo]`, `[kinds.sugerencia]`: where each kind of attention is filed, how
//! its deadline is counted and what its acknowledgement says.
//!
//! ```toml
//! [kinds.incidencia]
//! folder = "Incidencias"
//! deadline = "5 días hábiles"      # 002 §9.3.3: the levels answer within at most 5 business days
//!
//! [kinds.reclamo]
//! folder = "Reclamos"
//! deadline = "30 días hábiles"     # 000 and D.S. 007-2020-PCM
//! libro_de_reclamaciones = "https://reclamos.servicios.gob.pe/"
//!
//! [kinds.sugerencia]
//! folder = "Sugerencias"
//! deadline = "buzon"               # 002 §9.1 sets none: the mailbox's own policy
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use crate::calendar::DeadlinePolicy;
use crate::vocabulary::AttentionKind;
use crate::workflow::KindFiling;

/// The Plataforma Digital del Libro de Reclamaciones of the State (D.S. 007-2020-PCM: the digital book is
/// reached through GOB.PE); each entity sets its own address.
pub const DEFAULT_COMPLAINTS_BOOK: &str = "https://reclamos.servicios.gob.pe/";

/// What one kind of attention gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSettings {
    /// The folder it is filed in (triaje creates it).
    pub folder: String,
    /// How its deadline is counted; `None`: as the mailbox counts a consultation's.
    pub deadline: Option<DeadlinePolicy>,
    /// Its acknowledgement template; `None`: `<rules_dir>/templates/acuse-<kind>.txt` when that file exists,
    /// else the text built into triaje.
    pub template: Option<PathBuf>,
}

/// The settings of the three kinds with their own folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kinds {
    /// Incidents (002 §9.3).
    pub incident: KindSettings,
    /// Complaints (D.S. 007-2020-PCM).
    pub complaint: KindSettings,
    /// Suggestions (002 §9.1).
    pub suggestion: KindSettings,
    /// Where the citizen files a complaint in the Libro de Reclamaciones (told in the complaint's
    /// acknowledgement, as the decree requires).
    pub complaints_book: String,
}

impl Kinds {
    /// The settings of `kind`; `None` for a consultation (filed by its area, counted by its mailbox).
    pub fn get(&self, kind: AttentionKind) -> Option<&KindSettings> {
        match kind {
            AttentionKind::Consultation => None,
            AttentionKind::Incident => Some(&self.incident),
            AttentionKind::Complaint => Some(&self.complaint),
            AttentionKind::Suggestion => Some(&self.suggestion),
        }
    }

    /// The folder of each kind that has one, in the order of [`AttentionKind::ALL`].
    pub fn folders(&self) -> Vec<(AttentionKind, String)> {
        AttentionKind::ALL
            .into_iter()
            .filter_map(|k| self.get(k).map(|s| (k, s.folder.clone())))
            .collect()
    }

    /// Where each kind is filed and how its deadline counts, as triage needs it.
    pub fn filings(&self) -> Vec<KindFiling> {
        AttentionKind::ALL
            .into_iter()
            .filter_map(|kind| {
                self.get(kind).map(|s| KindFiling {
                    kind,
                    folder: s.folder.clone(),
                    deadline: s.deadline.clone(),
                })
            })
            .collect()
    }

    /// The kind whose folder is `folder`, if any.
    pub fn kind_of_folder(&self, folder: &str) -> Option<AttentionKind> {
        self.folders()
            .into_iter()
            .find(|(_, f)| f == folder)
            .map(|(k, _)| k)
    }
}

impl Default for Kinds {
    fn default() -> Self {
        Kinds {
            // 002 §9.3.3: the second and third levels answer within at most 5 (cinco) business days.
            incident: KindSettings {
                folder: "Incidencias".into(),
                deadline: Some(DeadlinePolicy::BusinessDays(5)),
                template: None,
            },
            // 000 «Respuesta al reclamo … en un plazo máximo de 30 (treinta) días hábiles»; 002 §9.2 and
            // D.S. 007-2020-PCM (gestión de reclamos).
            complaint: KindSettings {
                folder: "Reclamos".into(),
                deadline: Some(DeadlinePolicy::BusinessDays(30)),
                template: None,
            },
            // 002 §9.1 sets no limit (the competent unit evaluates it and tells the citizen the result): the
            // mailbox's own policy keeps it on the office's clock like any first-level attention.
            suggestion: KindSettings {
                folder: "Sugerencias".into(),
                deadline: None,
                template: None,
            },
            complaints_book: DEFAULT_COMPLAINTS_BOOK.into(),
        }
    }
}

/// `[kinds]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKinds {
    #[serde(default)]
    incidencia: Option<RawKind>,
    #[serde(default)]
    reclamo: Option<RawKind>,
    #[serde(default)]
    sugerencia: Option<RawKind>,
}

/// One `[kinds.<clase>]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    #[serde(default)]
    folder: Option<Spanned<String>>,
    #[serde(default)]
    deadline: Option<Spanned<String>>,
    #[serde(default)]
    template: Option<PathBuf>,
    /// Only in `[kinds.reclamo]`.
    #[serde(default)]
    libro_de_reclamaciones: Option<Spanned<String>>,
}

impl RawKinds {
    /// Checks every value where it is written; relative template paths are taken from `base`.
    pub(crate) fn validate(
        self,
        origin: &str,
        text: &str,
        base: &Path,
    ) -> Result<Kinds, ConfigError> {
        let at =
            |span: std::ops::Range<usize>, msg: String| ConfigError::at(origin, text, span, msg);
        let mut kinds = Kinds::default();
        let mut complaints_book = None;
        for (kind, raw, settings) in [
            (
                AttentionKind::Incident,
                self.incidencia,
                &mut kinds.incident,
            ),
            (AttentionKind::Complaint, self.reclamo, &mut kinds.complaint),
            (
                AttentionKind::Suggestion,
                self.sugerencia,
                &mut kinds.suggestion,
            ),
        ] {
            let Some(raw) = raw else { continue };
            // The table's name in config.toml is the kind's stored spelling (`[kinds.incidencia]`).
            let name = kind.as_str();
            if let Some(folder) = &raw.folder {
                let f = folder.get_ref().trim();
                if f.is_empty() {
                    return Err(at(
                        folder.span(),
                        format!("[kinds.{name}] folder está vacío: escriba la carpeta de la clase"),
                    ));
                }
                settings.folder = f.to_string();
            }
            if let Some(d) = &raw.deadline {
                let written = d.get_ref().trim();
                settings.deadline = if written.eq_ignore_ascii_case("buzon")
                    || written.eq_ignore_ascii_case("buzón")
                {
                    None
                } else {
                    Some(written.parse::<DeadlinePolicy>().map_err(|e| {
                        at(
                            d.span(),
                            format!(
                                "[kinds.{name}] deadline: {e}; o \"buzón\" para el plazo del buzón"
                            ),
                        )
                    })?)
                };
            }
            settings.template = raw
                .template
                .map(|p| if p.is_absolute() { p } else { base.join(p) });
            if let Some(url) = &raw.libro_de_reclamaciones {
                if kind != AttentionKind::Complaint {
                    return Err(at(
                        url.span(),
                        format!(
                            "libro_de_reclamaciones va en [kinds.reclamo], no en [kinds.{name}]"
                        ),
                    ));
                }
                let u = url.get_ref().trim();
                if !(u.starts_with("https://") || u.starts_with("http://"))
                    || u.contains(char::is_whitespace)
                {
                    return Err(at(
                        url.span(),
                        format!("libro_de_reclamaciones «{u}» no es una dirección web (https://…)"),
                    ));
                }
                complaints_book = Some(u.to_string());
            }
        }
        if let Some(url) = complaints_book {
            kinds.complaints_book = url;
        }
        let folders = kinds.folders();
        for (i, (kind, folder)) in folders.iter().enumerate() {
            if let Some((other, _)) = folders[..i].iter().find(|(_, f)| f == folder) {
                return Err(ConfigError::Invalid(format!(
                    "{origin}: [kinds.{kind}] y [kinds.{other}] usan la misma carpeta «{folder}»; cada clase necesita la suya"
                )));
            }
        }
        Ok(kinds)
    }
}
