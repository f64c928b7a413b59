//! A big message read without its attachments: `BODYSTRUCTURE` says what the parts are, `BODY.PEEK[section]`
//! fetches the header, each part's MIME header and the beginning of each text part, and the pieces are put back
//! together as a message of the same shape whose attachments are empty. Parsing that gives the sender, subject,
//! text and attachment names of the real message while memory holds a few hundred kilobytes, not 24 MB.

use std::collections::HashMap;

use async_imap::imap_proto::{BodyStructure, ContentType, MessageSection, SectionPath};
use futures::TryStreamExt;

use super::{within, ImapError, Session};

/// At most this many bytes of each text part are fetched (the rules look at 32 KB of text).
pub const TEXT_PART_BYTES: u32 = 256 * 1024;
/// At most this many text parts are fetched per message.
const MAX_TEXT_PARTS: usize = 8;
/// At most this many parts are described (MIME headers fetched) per message; the rest are left out.
const MAX_PARTS: usize = 64;
/// How deep the structure is followed.
const MAX_DEPTH: usize = 16;

/// A message read by sections: enough to triage it.
#[derive(Debug, Clone)]
pub struct SectionedMessage {
    /// The message's own header (`BODY[HEADER]`), as the server has it: what its fingerprint is taken of.
    pub header: Vec<u8>,
    /// The header followed by a body of the same MIME shape with text parts (up to [`TEXT_PART_BYTES`] each)
    /// and empty attachments.
    pub assembled: Vec<u8>,
}

/// The shape of a message, owned, with what to fetch for each part.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    /// A multipart with its boundary (`None`: the server did not say it; its parts cannot be put back).
    Multipart {
        path: Vec<u32>,
        boundary: Option<String>,
        parts: Vec<Node>,
    },
    /// A `message/rfc822` part: its MIME header, its own header, and its body.
    Message { path: Vec<u32>, body: Box<Node> },
    /// A leaf part; `text` when its beginning is fetched.
    Leaf { path: Vec<u32>, text: bool },
}

/// What to fetch and how to put it back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    root: Node,
    /// Section specifiers to fetch (`1.MIME`, `1.2`, `3.HEADER`), partial sizes included.
    items: Vec<String>,
}

impl Plan {
    /// The plan for a message of this structure.
    pub(crate) fn new(structure: &BodyStructure<'_>) -> Plan {
        let mut budget = Budget {
            parts: MAX_PARTS,
            texts: MAX_TEXT_PARTS,
        };
        let root = node(structure, Vec::new(), 0, &mut budget, true);
        let mut items = Vec::new();
        collect_items(&root, true, &mut items);
        Plan { root, items }
    }

    /// The `UID FETCH` item list.
    pub(crate) fn fetch_items(&self) -> String {
        let mut out = String::from("(UID");
        for item in &self.items {
            out.push_str(" BODY.PEEK[");
            out.push_str(item);
            if !item.contains("MIME") && !item.contains("HEADER") {
                out.push_str(&format!("]<0.{TEXT_PART_BYTES}>"));
            } else {
                out.push(']');
            }
        }
        out.push(')');
        out
    }

    /// The message put back together from its header and the fetched sections (by specifier).
    pub(crate) fn assemble(&self, header: &[u8], sections: &HashMap<String, Vec<u8>>) -> Vec<u8> {
        let mut out = header.to_vec();
        if !out.ends_with(b"\n") {
            out.extend_from_slice(b"\r\n");
        }
        if !out.ends_with(b"\r\n\r\n") && !out.ends_with(b"\n\n") {
            out.extend_from_slice(b"\r\n");
        }
        body(&self.root, sections, &mut out);
        out
    }
}

struct Budget {
    parts: usize,
    texts: usize,
}

fn node(
    s: &BodyStructure<'_>,
    path: Vec<u32>,
    depth: usize,
    budget: &mut Budget,
    top: bool,
) -> Node {
    budget.parts = budget.parts.saturating_sub(1);
    match s {
        BodyStructure::Multipart { common, bodies, .. } if depth < MAX_DEPTH => {
            let boundary = param(&common.ty, "boundary");
            let mut parts = Vec::new();
            for (i, b) in bodies.iter().enumerate() {
                if budget.parts == 0 {
                    break;
                }
                let mut child = path.clone();
                child.push(i as u32 + 1);
                parts.push(node(b, child, depth + 1, budget, false));
            }
            Node::Multipart {
                path,
                boundary,
                parts,
            }
        }
        BodyStructure::Message { body, .. } if depth < MAX_DEPTH && !top => {
            // The encapsulated message's parts are numbered under this part: `n.1`, `n.2`… (a single-part body
            // is `n.1`).
            let inner_path = path.clone();
            let inner = match body.as_ref() {
                BodyStructure::Multipart { .. } => node(body, inner_path, depth + 1, budget, true),
                other => {
                    let mut p = inner_path;
                    p.push(1);
                    node(other, p, depth + 1, budget, false)
                }
            };
            Node::Message {
                path,
                body: Box::new(inner),
            }
        }
        BodyStructure::Text { .. }
        | BodyStructure::Basic { .. }
        | BodyStructure::Message { .. } => {
            let ty = match s {
                BodyStructure::Text { common, .. } | BodyStructure::Basic { common, .. } => {
                    Some(&common.ty)
                }
                _ => None,
            };
            let text = ty.is_some_and(is_textual) && budget.texts > 0;
            if text {
                budget.texts -= 1;
            }
            // The top-level single part is the message's only part: number 1.
            let path = if top && path.is_empty() {
                vec![1]
            } else {
                path
            };
            Node::Leaf { path, text }
        }
        BodyStructure::Multipart { .. } => Node::Leaf { path, text: false },
    }
}

/// Parts whose beginning is worth reading: text (plain, HTML, a returned header) and delivery reports.
fn is_textual(ty: &ContentType<'_>) -> bool {
    let t = ty.ty.to_ascii_lowercase();
    let s = ty.subtype.to_ascii_lowercase();
    t == "text"
        || (t == "message"
            && matches!(
                s.as_str(),
                "delivery-status" | "disposition-notification" | "global-delivery-status"
            ))
}

fn param(ty: &ContentType<'_>, name: &str) -> Option<String> {
    ty.params.as_ref().and_then(|params| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    })
}

fn spec(path: &[u32]) -> String {
    path.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn collect_items(n: &Node, top: bool, out: &mut Vec<String>) {
    match n {
        Node::Multipart { path, parts, .. } => {
            if !top && !path.is_empty() {
                out.push(format!("{}.MIME", spec(path)));
            }
            for p in parts {
                collect_items(p, false, out);
            }
        }
        Node::Message { path, body } => {
            out.push(format!("{}.MIME", spec(path)));
            out.push(format!("{}.HEADER", spec(path)));
            collect_items(body, true, out);
        }
        Node::Leaf { path, text } => {
            if !top {
                out.push(format!("{}.MIME", spec(path)));
            }
            if *text {
                out.push(spec(path));
            }
        }
    }
}

/// Writes the body of `n` (its MIME header is written by the caller).
fn body(n: &Node, sections: &HashMap<String, Vec<u8>>, out: &mut Vec<u8>) {
    match n {
        Node::Multipart {
            boundary: Some(b),
            parts,
            ..
        } => {
            for p in parts {
                out.extend_from_slice(format!("--{b}\r\n").as_bytes());
                part(p, sections, out);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("--{b}--\r\n").as_bytes());
        }
        Node::Multipart { boundary: None, .. } => {}
        Node::Message { path, body: inner } => {
            if let Some(h) = sections.get(&format!("{}.HEADER", spec(path))) {
                out.extend_from_slice(h);
                if !h.ends_with(b"\r\n\r\n") && !h.ends_with(b"\n\n") {
                    out.extend_from_slice(b"\r\n");
                }
                body(inner, sections, out);
            }
        }
        Node::Leaf { path, text } => {
            if *text {
                if let Some(content) = sections.get(&spec(path)) {
                    out.extend_from_slice(content);
                }
            }
        }
    }
}

/// Writes one part of a multipart: its MIME header, then its body.
fn part(n: &Node, sections: &HashMap<String, Vec<u8>>, out: &mut Vec<u8>) {
    let path = match n {
        Node::Multipart { path, .. } | Node::Message { path, .. } | Node::Leaf { path, .. } => path,
    };
    match sections.get(&format!("{}.MIME", spec(path))) {
        Some(mime) => {
            out.extend_from_slice(mime);
            if !mime.ends_with(b"\r\n\r\n") && !mime.ends_with(b"\n\n") {
                out.extend_from_slice(b"\r\n");
            }
        }
        None => out.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n"),
    }
    body(n, sections, out);
}

/// The `SectionPath` async-imap reports a specifier under.
fn section_path(item: &str) -> Option<SectionPath> {
    let (nums, kind) = match item.rsplit_once('.') {
        Some((nums, "MIME")) => (nums, Some(MessageSection::Mime)),
        Some((nums, "HEADER")) => (nums, Some(MessageSection::Header)),
        _ => (item, None),
    };
    let path: Vec<u32> = nums
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    Some(SectionPath::Part(path, kind))
}

impl Session {
    /// Reads message `uid` of the selected folder by sections: its header, its structure, and then its parts'
    /// MIME headers and the beginning of its text parts — never an attachment. `None` when it is gone.
    pub async fn fetch_sectioned(
        &mut self,
        uid: u32,
    ) -> Result<Option<SectionedMessage>, ImapError> {
        let timeout = self.timeout;
        let raw = self.raw()?;
        let set = uid.to_string();
        let first = async {
            let mut stream = raw
                .uid_fetch(&set, "(UID BODYSTRUCTURE BODY.PEEK[HEADER])")
                .await?;
            let mut found = None;
            while let Some(f) = stream.try_next().await? {
                if f.uid != Some(uid) {
                    continue;
                }
                let header = f.header().map(<[u8]>::to_vec).unwrap_or_default();
                let plan = f.bodystructure().map(Plan::new);
                found = Some((header, plan));
            }
            Ok::<_, async_imap::error::Error>(found)
        };
        let Some((header, plan)) = within(timeout, "UID FETCH (estructura)", first).await? else {
            return Ok(None);
        };
        let Some(plan) = plan.filter(|p| !p.items.is_empty()) else {
            // No structure (or nothing but attachments): the header is all triage gets.
            return Ok(Some(SectionedMessage {
                assembled: header.clone(),
                header,
            }));
        };
        let items = plan.fetch_items();
        let raw = self.raw()?;
        let fetch = async {
            let mut sections = HashMap::new();
            let mut stream = raw.uid_fetch(&set, &items).await?;
            while let Some(f) = stream.try_next().await? {
                if f.uid != Some(uid) {
                    continue;
                }
                for item in &plan.items {
                    if let Some(path) = section_path(item) {
                        if let Some(bytes) = f.section(&path) {
                            sections.insert(item.clone(), bytes.to_vec());
                        }
                    }
                }
            }
            Ok::<_, async_imap::error::Error>(sections)
        };
        let sections = within(timeout, "UID FETCH (partes)", fetch).await?;
        let assembled = plan.assemble(&header, &sections);
        Ok(Some(SectionedMessage { header, assembled }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_map_to_section_paths() {
        assert_eq!(
            section_path("1.2.MIME"),
            Some(SectionPath::Part(vec![1, 2], Some(MessageSection::Mime)))
        );
        assert_eq!(section_path("3"), Some(SectionPath::Part(vec![3], None)));
        assert_eq!(
            section_path("2.HEADER"),
            Some(SectionPath::Part(vec![2], Some(MessageSection::Header)))
        );
    }

    #[test]
    fn a_mixed_message_is_put_back_without_its_attachment() {
        let root = Node::Multipart {
            path: vec![],
            boundary: Some("B".into()),
            parts: vec![
                Node::Leaf {
                    path: vec![1],
                    text: true,
                },
                Node::Leaf {
                    path: vec![2],
                    text: false,
                },
            ],
        };
        let mut items = Vec::new();
        collect_items(&root, true, &mut items);
        assert_eq!(items, ["1.MIME", "1", "2.MIME"]);
        let plan = Plan { root, items };
        assert!(plan.fetch_items().contains("BODY.PEEK[1]<0."));
        let sections: HashMap<String, Vec<u8>> = [
            ("1.MIME", "Content-Type: text/plain; charset=utf-8\r\n\r\n"),
            ("1", "No puedo ingresar al SEACE."),
            (
                "2.MIME",
                "Content-Type: application/pdf; name=\"expediente.pdf\"\r\n\
                 Content-Disposition: attachment; filename=\"expediente.pdf\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\r\n",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
        let header = b"From: a@b.pe\r\nSubject: Oferta\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n";
        let raw = plan.assemble(header, &sections);
        let m = crate::mail::parse(&raw).expect("a message");
        assert_eq!(m.subject, "Oferta");
        assert!(m.body_text.contains("No puedo ingresar al SEACE."));
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].name, "expediente.pdf");
    }
}
