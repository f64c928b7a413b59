//! Reply drafts as real mail clients save them in the shared mailbox's drafts folder: their MIME shape, their
//! headers (threading or Outlook's `Thread-Index`), their quote header in Spanish or English, where they put
//! the answer (above or below the quote) and the signature. Written from how each client formats a reply (see
//! the README of the test that uses them); one function per client layout.

use std::time::Duration;

use super::daemon::CONSULTAS;
use super::{MailStack, StoredMessage};

/// A citizen's question to the shared mailbox, as a plain mail client sends it.
pub fn question(citizen: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Vecino <{citizen}>\r\nTo: {CONSULTAS}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 23 Nov 2026 10:00:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         {body}\r\n"
    )
    .into_bytes()
}

/// The citizen asks over SMTP; returns once the acknowledgement reached them (the question is filed).
pub async fn ask(
    stack: &MailStack,
    citizen: &str,
    id: &str,
    subject: &str,
    body: &str,
) -> StoredMessage {
    stack.send(citizen, &[CONSULTAS], &question(citizen, id, subject, body));
    stack
        .wait_for(citizen, "INBOX", 1, Duration::from_secs(60))
        .await
        .remove(0)
}

/// Every line of consultation `id`'s history.
pub async fn history(db: &triaje::store::Store, id: i64) -> Vec<String> {
    db.events_for(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect()
}

/// The text/plain body of a message as its reader sees it.
pub fn text(m: &StoredMessage) -> String {
    mail_parser::MessageParser::default()
        .parse(&m.raw)
        .and_then(|p| p.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_default()
}

/// What a draft answers and says.
#[derive(Debug, Clone)]
pub struct Answer<'a> {
    /// The citizen's address (the draft's `To`).
    pub citizen: &'a str,
    /// The citizen's name.
    pub name: &'a str,
    /// The citizen's `Message-ID` (without brackets).
    pub question_id: &'a str,
    /// The citizen's subject.
    pub subject: &'a str,
    /// The citizen's words, quoted by the client.
    pub question: &'a str,
    /// The assistant's answer.
    pub text: &'a str,
    /// A unique part for the draft's `Message-ID`.
    pub tag: &'a str,
}

/// An Outlook conversation index (`Thread-Index`): 22 bytes for the conversation, 5 more per reply, base64.
pub fn thread_index(conversation: u8, replies: usize) -> String {
    use base64::Engine;
    let mut bytes: Vec<u8> = (0..22u8)
        .map(|i| i.wrapping_mul(37) ^ conversation)
        .collect();
    bytes.extend(std::iter::repeat_n(0x5a, 5 * replies));
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn quoted(text: &str) -> String {
    text.lines().map(|l| format!("> {l}\r\n")).collect()
}

/// Thunderbird at its defaults, plain text: the answer **below** the quote, the `-- ` signature at the end.
pub fn thunderbird_plain(a: &Answer<'_>) -> Vec<u8> {
    format!(
        "Message-ID: <{tag}@osce.test>\r\nDate: Mon, 23 Nov 2026 11:02:33 -0500\r\nMIME-Version: 1.0\r\n\
         User-Agent: Mozilla Thunderbird\r\nContent-Language: es-ES\r\nTo: {name} <{citizen}>\r\n\
         From: Consultas OSCE <{CONSULTAS}>\r\nSubject: Re: {subject}\r\nReferences: <{id}>\r\nIn-Reply-To: <{id}>\r\n\
         X-Mozilla-Draft-Info: internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0; attachmentreminder=0; \
         deliveryformat=1\r\nContent-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         El 23/11/26 a las 10:00, {name} escribió:\r\n{quote}\r\n{text}\r\n\r\n-- \r\nAna Torres\r\nMesa de ayuda OSCE\r\n",
        tag = a.tag,
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        id = a.question_id,
        quote = quoted(a.question),
        text = a.text,
    )
    .into_bytes()
}

/// Thunderbird at its defaults composing HTML: the attribution wrapped over two lines in a `moz-cite-prefix`
/// div, the quote in a `blockquote`, the answer below it and the signature in a `moz-signature` block.
pub fn thunderbird_html(a: &Answer<'_>) -> Vec<u8> {
    format!(
        "Message-ID: <{tag}@osce.test>\r\nDate: Mon, 23 Nov 2026 11:02:33 -0500\r\nMIME-Version: 1.0\r\n\
         User-Agent: Mozilla Thunderbird\r\nContent-Language: es-ES\r\nTo: {name} <{citizen}>\r\n\
         From: Consultas OSCE <{CONSULTAS}>\r\nSubject: Re: {subject}\r\nReferences: <{id}>\r\nIn-Reply-To: <{id}>\r\n\
         X-Mozilla-Draft-Info: internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0; attachmentreminder=0; \
         deliveryformat=0\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         <!DOCTYPE html>\r\n<html>\r\n  <head>\r\n    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\r\n\
         \x20 </head>\r\n  <body>\r\n    <div class=\"moz-cite-prefix\">El 23/11/26 a las 10:00, {name}\r\n      escribió:<br>\r\n\
         \x20   </div>\r\n    <blockquote type=\"cite\" cite=\"mid:{id}\">\r\n      <pre class=\"moz-quote-pre\" wrap=\"\">{question}</pre>\r\n\
         \x20   </blockquote>\r\n    <p>{text}</p>\r\n    <pre class=\"moz-signature\" cols=\"72\">-- \r\nAna Torres\r\nMesa de ayuda OSCE</pre>\r\n\
         \x20 </body>\r\n</html>\r\n",
        tag = a.tag,
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        id = a.question_id,
        question = a.question,
        text = a.text,
    )
    .into_bytes()
}

/// Outlook for Windows (Spanish): no `In-Reply-To` or `References` in the saved draft, only `Thread-Topic` and
/// `Thread-Index`; text and HTML; the answer above «De: … Enviado el: … Para: … Asunto: …»; a signature after
/// «Saludos,»; optionally a logo in the signature as an inline image (`multipart/related`, `cid:`) and a copy to
/// `cc`.
pub fn outlook_desktop(a: &Answer<'_>, logo: bool, cc: Option<&str>) -> Vec<u8> {
    outlook_desktop_in(a, logo, cc, &thread_index(0xee, 1))
}

/// [`outlook_desktop`] in the Outlook conversation `thread_index`.
pub fn outlook_desktop_in(
    a: &Answer<'_>,
    logo: bool,
    cc: Option<&str>,
    thread_index: &str,
) -> Vec<u8> {
    let plain = format!(
        "{text}\r\n\r\nSaludos,\r\nAna Torres\r\nMesa de ayuda OSCE\r\n\r\n\
         De: {name} <{citizen}>\r\nEnviado el: lunes, 23 de noviembre de 2026 10:00\r\nPara: {CONSULTAS}\r\n\
         Asunto: {subject}\r\n\r\n{question}\r\n",
        text = a.text,
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        question = a.question,
    );
    let img = if logo {
        "<p><img width=\"120\" height=\"40\" src=\"cid:image001.png@01DB3C1A.2F3B4C50\" alt=\"OSCE\"></p>"
    } else {
        ""
    };
    let html = format!(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta http-equiv=\"Content-Type\" \
         content=\"text/html; charset=utf-8\"></head><body lang=\"ES-PE\"><div class=\"WordSection1\">\
         <p class=\"MsoNormal\">{text}</p><p class=\"MsoNormal\">Saludos,<br>Ana Torres<br>Mesa de ayuda OSCE</p>{img}\
         <div style=\"border:none;border-top:solid #E1E1E1 1.0pt\"><p class=\"MsoNormal\"><b>De:</b> {name} \
         &lt;{citizen}&gt; <br><b>Enviado el:</b> lunes, 23 de noviembre de 2026 10:00<br><b>Para:</b> {CONSULTAS}<br>\
         <b>Asunto:</b> {subject}</p></div><p class=\"MsoNormal\">{question}</p></div></body></html>",
        text = a.text,
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        question = a.question,
    );
    let alternative = format!(
        "Content-Type: multipart/alternative;\r\n\tboundary=\"_000_alt_{tag}_\"\r\n\r\n\
         --_000_alt_{tag}_\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{plain}\r\n\
         --_000_alt_{tag}_\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{html}\r\n\
         --_000_alt_{tag}_--\r\n",
        tag = a.tag
    );
    let body = if logo {
        format!(
            "Content-Type: multipart/related;\r\n\tboundary=\"_004_rel_{tag}_\";\r\n\ttype=\"multipart/alternative\"\r\n\r\n\
             --_004_rel_{tag}_\r\n{alternative}\r\n--_004_rel_{tag}_\r\nContent-Type: image/png; name=\"image001.png\"\r\n\
             Content-Description: image001.png\r\nContent-Disposition: inline; filename=\"image001.png\"; size=67;\r\n\
             Content-ID: <image001.png@01DB3C1A.2F3B4C50>\r\nContent-Transfer-Encoding: base64\r\n\r\n\
             iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n\
             --_004_rel_{tag}_--\r\n",
            tag = a.tag
        )
    } else {
        alternative
    };
    let cc = cc.map(|c| format!("CC: {c}\r\n")).unwrap_or_default();
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {name} <{citizen}>\r\n{cc}Subject: RE: {subject}\r\n\
         Thread-Topic: {subject}\r\nThread-Index: {thread_index}\r\n\
         Date: Mon, 23 Nov 2026 16:05:12 +0000\r\nMessage-ID: <SJ0PR04MB{tag}@SJ0PR04MB.namprd04.prod.outlook.com>\r\n\
         Accept-Language: es-PE, en-US\r\nContent-Language: es-PE\r\nX-MS-Has-Attach: {has}\r\n\
         X-MS-TNEF-Correlator:\r\nMIME-Version: 1.0\r\n{body}",
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        tag = a.tag,
        has = if logo { "yes" } else { "" },
    )
    .into_bytes()
}

/// Outlook on the web and Outlook for Android (English): threading headers kept, the answer above a rule of
/// underscores and «From: … Sent: … To: … Subject: …», «Get Outlook for Android» under the signature.
pub fn outlook_mobile_english(a: &Answer<'_>) -> Vec<u8> {
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nTo: {name} <{citizen}>\r\nSubject: RE: {subject}\r\n\
         Thread-Topic: {subject}\r\nThread-Index: AQHbPBoi9xLnqk3FT0mZqtlbTJcSw7P4AAAB\r\nDate: Mon, 23 Nov 2026 16:05:12 +0000\r\n\
         Message-ID: <DM6PR{tag}@DM6PR.namprd04.prod.outlook.com>\r\nReferences: <{id}>\r\nIn-Reply-To: <{id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         {text}\r\n\r\nRegards,\r\nAna Torres\r\n\r\nGet Outlook for Android<https://aka.ms/AAb9ysg>\r\n\
         ________________________________\r\nFrom: {name} <{citizen}>\r\nSent: Monday, November 23, 2026 10:00:00 AM\r\n\
         To: {CONSULTAS} <{CONSULTAS}>\r\nSubject: {subject}\r\n\r\n{question}\r\n",
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        tag = a.tag,
        id = a.question_id,
        text = a.text,
        question = a.question,
    )
    .into_bytes()
}

/// Gmail (Spanish): text and HTML, the answer above «El lun, 23 nov 2026 a las 10:00, X (<x>) escribió:» wrapped
/// over two lines, a signature after «Atentamente,».
pub fn gmail(a: &Answer<'_>) -> Vec<u8> {
    let plain = format!(
        "{text}\r\n\r\nAtentamente,\r\nAna Torres\r\nMesa de ayuda OSCE\r\n\r\n\
         El lun, 23 nov 2026 a las 10:00, {name} (<{citizen}>)\r\nescribió:\r\n\r\n{quote}",
        text = a.text,
        name = a.name,
        citizen = a.citizen,
        quote = quoted(a.question),
    );
    let html = format!(
        "<div dir=\"ltr\"><div>{text}</div><div><br></div><div>Atentamente,</div><div>Ana Torres</div>\
         <div>Mesa de ayuda OSCE</div></div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">\
         El lun, 23 nov 2026 a las 10:00, {name} (&lt;<a href=\"mailto:{citizen}\">{citizen}</a>&gt;) escribió:<br></div>\
         <blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex\">{question}</blockquote></div>",
        text = a.text,
        name = a.name,
        citizen = a.citizen,
        question = a.question,
    );
    format!(
        "MIME-Version: 1.0\r\nDate: Mon, 23 Nov 2026 11:05:00 -0500\r\nReferences: <{id}>\r\nIn-Reply-To: <{id}>\r\n\
         Message-ID: <CAF{tag}@mail.gmail.com>\r\nSubject: Re: {subject}\r\nFrom: Consultas OSCE <{CONSULTAS}>\r\n\
         To: {name} <{citizen}>\r\nContent-Type: multipart/alternative; boundary=\"000000000000gm{tag}\"\r\n\r\n\
         --000000000000gm{tag}\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{plain}\r\n\
         --000000000000gm{tag}\r\nContent-Type: text/html; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{html}\r\n\
         --000000000000gm{tag}--\r\n",
        id = a.question_id,
        tag = a.tag,
        subject = a.subject,
        name = a.name,
        citizen = a.citizen,
    )
    .into_bytes()
}

/// Apple Mail: the attribution *inside* the quote («> El 23 nov 2026, a las 10:00, X <x> escribió:»), the
/// answer above it, signed after «Saludos cordiales,».
pub fn apple_mail(a: &Answer<'_>) -> Vec<u8> {
    format!(
        "From: Consultas OSCE <{CONSULTAS}>\r\nContent-Type: text/plain;\r\n\tcharset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\nMime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))\r\n\
         Subject: Re: {subject}\r\nDate: Mon, 23 Nov 2026 11:05:00 -0500\r\nReferences: <{id}>\r\nIn-Reply-To: <{id}>\r\n\
         To: {name} <{citizen}>\r\nMessage-Id: <{tag}@osce.test>\r\nX-Uniform-Type-Identifier: com.apple.mail-draft\r\n\
         X-Apple-Mail-Remote-Attachments: YES\r\nX-Apple-Base-Url: x-msg://3/\r\n\r\n\
         {text}\r\n\r\nSaludos cordiales,\r\nAna Torres\r\n\r\n> El 23 nov 2026, a las 10:00, {name} <{citizen}> escribió:\r\n>\r\n{quote}\r\n",
        subject = a.subject,
        id = a.question_id,
        name = a.name,
        citizen = a.citizen,
        tag = a.tag,
        text = a.text,
        quote = quoted(a.question),
    )
    .into_bytes()
}

/// Roundcube at its defaults: the answer below «El 2026-11-23 10:00, X escribió:» and the quote, `-- ` signature.
pub fn roundcube(a: &Answer<'_>) -> Vec<u8> {
    format!(
        "MIME-Version: 1.0\r\nDate: Mon, 23 Nov 2026 11:05:00 -0500\r\nFrom: Consultas OSCE <{CONSULTAS}>\r\n\
         To: {name} <{citizen}>\r\nSubject: Re: {subject}\r\nIn-Reply-To: <{id}>\r\nReferences: <{id}>\r\n\
         User-Agent: Roundcube Webmail/1.6.5\r\nMessage-ID: <{tag}@osce.test>\r\n\
         Content-Type: text/plain; charset=UTF-8; format=flowed\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         El 2026-11-23 10:00, {name} escribió:\r\n{quote}\r\n{text}\r\n\r\n-- \r\nAna Torres\r\n",
        name = a.name,
        citizen = a.citizen,
        subject = a.subject,
        id = a.question_id,
        tag = a.tag,
        quote = quoted(a.question),
        text = a.text,
    )
    .into_bytes()
}
