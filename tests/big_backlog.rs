//! A backlog of big attachments on a live Dovecot: memory is bounded by bytes, not by the backlog.
//!
//! Before issue 15 a batch of up to 250 messages was held whole (plus one prefetched batch): 12 messages of 24 MB
//! peaked at about 350 MiB and 24 at 660 MiB, over the systemd unit's `MemoryMax=512M`. Now a batch holds at most
//! `batch_bytes`, and a message over `whole_message_bytes` is read from its header, structure and text parts only
//! (`BODYSTRUCTURE`, `BODY.PEEK[section]`): its attachment is never downloaded.
//!
//! `TRIAJE_BIG_BACKLOG=50 cargo test --test big_backlog -- --nocapture` runs the figure of RELIABILITY.md (50
//! messages of 24 MB); `scripts/check` runs 12.

mod common;

use common::MailStack;
use triaje::store::Store;

const USER: &str = "consultas@osce.test";
const MB: usize = 1024 * 1024;
/// The stated bound with the default settings: 50 MB + 2 × batch_bytes (32 MB) + 6 × whole_message_bytes (8 MB).
const BOUND_MB: f64 = 162.0;

/// A consultation about the SEACE with an attachment of about `size` bytes (base64), unique by `n`.
fn consultation_with_attachment(n: usize, size: usize) -> Vec<u8> {
    let mut m = format!(
        "From: Empresa {n} <licitaciones{n}@constructora.test>\r\nTo: {USER}\r\n\
Subject: Oferta {n}: no puedo ingresar al SEACE\r\nDate: Mon, 23 Nov 2026 09:00:00 -0500\r\n\
Message-ID: <grande-{n}@constructora.test>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"big{n}\"\r\n\r\n--big{n}\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
Buenos d=C3=ADas, no puedo ingresar al SEACE para registrar nuestra oferta; adjunto el expediente t=C3=A9cnico.\r\n\
--big{n}\r\nContent-Type: application/pdf; name=\"expediente-{n}.pdf\"\r\n\
Content-Disposition: attachment; filename=\"expediente-{n}.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    )
    .into_bytes();
    let line = format!(
        "JVBERi0xLjQKJcTl8uXrp/Og0MTGCjEgMCBvYmoKPDwgL1R5cGUgL0NhdGFsb2cgL1BhZ2VzIDIgMCB{:01}\r\n",
        n % 10
    );
    while m.len() < size {
        m.extend_from_slice(line.as_bytes());
    }
    m.extend_from_slice(format!("--big{n}--\r\n").as_bytes());
    m
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backlog_of_24_mb_attachments_is_filed_within_the_memory_bound() {
    let big: usize = std::env::var("TRIAJE_BIG_BACKLOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let stack = MailStack::start();
    let dir = tempfile::tempdir().unwrap();
    let (config, _) = common::consultas_installation(&stack, dir.path(), None);
    let (out, floor_kib) = common::run_once_measured(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // `big` messages of 24 MB (read by sections), eight of 7.5 MB (read whole, just under
    // `whole_message_bytes`: the heaviest batches, four to 32 MB) and one small consultation.
    let mut imap = stack.imap(USER).await;
    let mut sent: Vec<Vec<u8>> = Vec::new();
    for n in 0..big {
        sent.push(consultation_with_attachment(n, 24 * MB));
    }
    for n in big..big + 8 {
        sent.push(consultation_with_attachment(n, 15 * MB / 2));
    }
    sent.push(consultation_with_attachment(big + 8, 2000));
    for raw in &sent {
        imap.append("INBOX", raw, None).await;
    }
    let total_mb = sent.iter().map(Vec::len).sum::<usize>() as f64 / MB as f64;

    let started = std::time::Instant::now();
    let (out, peak_kib) = common::run_once_measured(&config);
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("panicked"),
        "{stderr}"
    );
    let peak_mb = peak_kib as f64 / 1024.0;
    eprintln!(
        "big backlog: {} messages ({big} × 24 MB, 8 × 7.5 MB, 1 small; {total_mb:.0} MB), `triaje once` peak RSS \
         {peak_mb:.1} MB (empty INBOX: {:.1} MB; stated bound {BOUND_MB} MB; unit MemoryMax 512 MB), {took:.1?}",
        sent.len(),
        floor_kib as f64 / 1024.0
    );
    assert!(
        peak_mb < BOUND_MB,
        "peak RSS {peak_mb:.1} MB is over the stated bound of {BOUND_MB} MB"
    );

    // Nothing lost, nothing doubled: every message in one folder, one record each, its question classified
    // although its attachment was never downloaded; the fingerprint of a message read by sections is its
    // header's, so it is found again wherever the office moves it.
    assert!(imap.summaries("INBOX").await.is_empty(), "INBOX is empty");
    let seace = imap.messages("SEACE").await;
    assert_eq!(seace.len(), sent.len(), "every consultation filed in SEACE");
    imap.logout().await;
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("data/triaje.db").display()
    ))
    .await
    .unwrap();
    let rows = store.consultations(None).await.unwrap();
    assert_eq!(rows.len(), sent.len(), "one record per message");
    for m in &seace {
        let c = common::consultation_of(&store, m).await;
        assert_eq!(c.folder, "SEACE");
        let expected = if m.raw.len() > 8 * MB {
            triaje::workflow::fingerprint(common::header_of(&m.raw))
        } else {
            triaje::workflow::fingerprint(&m.raw)
        };
        assert_eq!(c.fingerprint, expected, "{}", c.subject);
        assert!(
            c.error_reason.is_none(),
            "{}: {:?}",
            c.subject,
            c.error_reason
        );
    }
    store.close().await;
}
