#!/usr/bin/env python3
"""Build the independent hostile- and machine-mail corpus: tests/hostile_independent/tune/ and heldout/.

Python 3.11, standard library only, deterministic: the same script always writes the same bytes (fixed dates,
fixed boundaries, a fixed seed; no clock, no randomness, no environment).

    python3 tests/hostile_independent/make.py            # (re)write tune/, heldout/ and anchors.toml
    python3 tests/hostile_independent/make.py --check    # the files on disk are exactly what make.py writes;
                                                         # labels and files agree; MIME sanity where a case
                                                         # is meant to be sane (templates rendered with
                                                         # stand-in values); print the census

Three kinds of message, written as the software that sends them writes them (README.md names the public
material each family was modelled on; no bytes were copied):

- machine: bounces and delivery reports (Postfix, Exim, qmail, Sendmail, Exchange in Spanish, Office 365,
  Gmail, Domino, Yahoo, Amazon SES, Courier, OpenSMTPD), read receipts (RFC 8098), out-of-office and vacation
  responders (Exchange/Outlook, Gmail, Sieve/SOGo, Zimbra, iCloud, Lotus Notes, hosting autoresponders),
  ticketing systems (osTicket, GLPI, Zendesk), a challenge-response system, lists (Mailman 2 and 3, Google
  Groups, Sympa), bulk senders (Mailchimp, SendGrid, Amazon SES, HubSpot), notifications (SUNAT, RENIEC, a
  bank, SEACE, Microsoft 365, Teams, Google Forms, DMARC reports, cron), mail loops;
- person: people's consultations that look machine-like (noresponder@ accounts with a person behind them, a
  supplier's CRM adding List-Unsubscribe, Outlook's X-Auto-Response-Suppress, forwarded bounces, subjects
  starting «AUTO:» or «Automático:», Precedence: bulk from a corporate gateway, web forms, …);
- broken: what real broken clients send (wrong and missing charsets, raw 8-bit headers, truncated MIME, bare
  LF, no From, a 60 KB header, nested forwards, TNEF winmail.dat, an attached .eml alone, …).

Machine mail *about the office's own mail* (a bounce of its acknowledgement or reply, a responder answering
them) is written as a template: `%%X:NAME%%` placeholders (X the anchor consultation A–D of anchors.toml,
NAME one of PLACEHOLDERS) that tests/hostile_independent.rs fills with the real Message-IDs, subjects and
headers of the acknowledgement and reply triaje sent in that run.

The corpus is split once into tune/ and heldout/ by a seeded hash of each case's name (within each kind, so
both halves hold every kind). Do not read heldout/ while changing triaje; its test prints only aggregates.
"""

from __future__ import annotations

import base64
import datetime as dt
import binascii
import email
import email.policy
import email.utils
import hashlib
import io
import quopri
import re
import struct
import sys
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "triaje-hostile-independent-2026-12"
OFFICE = "consultas@osce.test"
KINDS = ("machine", "person", "broken")
EXPECTS = ("automatic", "consultation", "error", "beside")
SIGNALS = (
    "dsn", "auto-submitted", "x-autoreply", "list", "precedence", "noreply", "loop", "mailer-daemon",
    "return-path-empty", "ms-auto-reply", "read-receipt", "cron", "subject", "none",
)
PLACEHOLDERS = (
    "CITIZEN", "TICKET", "QUESTION_ID",
    "ACK_ID", "ACK_SUBJECT", "ACK_DATE", "ACK_HEADERS", "ACK_RAW",
    "REPLY_ID", "REPLY_SUBJECT", "REPLY_DATE", "REPLY_HEADERS", "REPLY_RAW",
)


# ---------------------------------------------------------------------------------------------------------------
# The anchor consultations: real questions the test sends first, acknowledged (and, for A–C, answered) by triaje;
# the `beside` cases are about their acknowledgement or reply.

@dataclass(frozen=True)
class Anchor:
    key: str
    citizen: str
    name: str
    subject: str
    message_id: str
    body: str
    answered: bool


ANCHORS = (
    Anchor("A", "ciudadano1@example.test", "Rosa Huamán", "Clave SEACE bloqueada",
           "CAH7q2fVx0Lw3d9oN1rPq5KZ8s=tW+Ey4j0hQ@mail.example.test",
           "Buenos días,\n\nintenté ingresar al SEACE con mi usuario de proveedor y me aparece que la clave está "
           "bloqueada por intentos fallidos. ¿Cómo la desbloqueo? Tengo que registrar mi oferta el miércoles.\n\n"
           "Gracias,\nRosa Huamán", True),
    Anchor("B", "ciudadano2@example.test", "Jorge Salas", "Renovacion de inscripcion en el RNP",
           "000f01db4a1e$7c2b9e40$74a1dac0$@example.test",
           "Señores OSCE:\n\nmi inscripción en el Registro Nacional de Proveedores como proveedor de bienes vence "
           "este mes. ¿La renovación se hace por la misma plataforma del RNP y cuánto se paga por el trámite?\n\n"
           "Atentamente,\nJorge Salas", True),
    Anchor("C", "ciudadano3@example.test", "Carmen Vilca", "Constancia de inscripcion vigente en el RNP",
           "5f2c1a9e-7d1b-4c55-9a0e-3b6f0d2e8c41@example.test",
           "Hola, necesito la constancia de inscripción vigente en el RNP para un proceso de la municipalidad. "
           "¿Dónde la descargo? Mi RUC es 10456789012.\n\nCarmen Vilca", True),
    Anchor("D", "ciudadano4@example.test", "Luis Paredes", "Registro de participantes en el SEACE",
           "1763.2026120109.ab12cd@example.test",
           "Estimados: quiero registrarme como participante en un procedimiento de selección publicado en el "
           "SEACE pero el botón no aparece. ¿Qué requisito me falta?\n\nLuis Paredes", False),
)


def anchors_toml() -> str:
    out = ["# The anchor consultations of tests/hostile_independent.rs (written by make.py; do not edit).", ""]
    for a in ANCHORS:
        out += [
            "[[anchor]]",
            f'key = "{a.key}"',
            f'citizen = "{a.citizen}"',
            f"name = {toml_str(a.name)}",
            f"subject = {toml_str(a.subject)}",
            f'message_id = "{a.message_id}"',
            f"body = {toml_str(a.body)}",
            f"answered = {'true' if a.answered else 'false'}",
            "",
        ]
    return "\n".join(out)


def stand_in(key: str, name: str) -> str:
    """What the test would put for a placeholder: plausible text of the same shape (for --check)."""
    a = next(x for x in ANCHORS if x.key == key)
    ticket = f"CONS-2026-00000{ord(key) - 64}"
    ack_id = f"acuse.{ticket}@osce.test"
    reply_id = f"respuesta.{ticket}.0a1b2c3d4e5f@osce.test"
    ack_subject = f"Recibimos su consulta {ticket}: {a.subject}"
    reply_subject = f"RE: {a.subject} [{ticket}]"
    ack_headers = (
        f"Received: from mail.osce.test (localhost [127.0.0.1])\r\n\tby mx.example.test (Postfix) with ESMTP id "
        f"4F1C2A0B9E\r\n\tfor <{a.citizen}>; Tue,  1 Dec 2026 09:12:03 -0500 (-05)\r\n"
        f"From: Consultas OSCE <{OFFICE}>\r\nTo: {a.citizen}\r\nSubject: {ack_subject}\r\n"
        f"Date: Tue, 01 Dec 2026 09:12:02 -0500\r\nMessage-ID: <{ack_id}>\r\nIn-Reply-To: <{a.message_id}>\r\n"
        f"Auto-Submitted: auto-replied\r\nX-Loop: {OFFICE}\r\nX-Triaje-Ticket: {ticket}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    )
    reply_headers = ack_headers.replace(ack_subject, reply_subject).replace(ack_id, reply_id).replace(
        "Auto-Submitted: auto-replied\r\n", "")
    body = "Estimado(a) ciudadano(a):\r\n\r\nRecibimos su consulta.\r\n"
    values = {
        "CITIZEN": a.citizen, "TICKET": ticket, "QUESTION_ID": a.message_id,
        "ACK_ID": ack_id, "ACK_SUBJECT": ack_subject, "ACK_DATE": "Tue, 01 Dec 2026 09:12:02 -0500",
        "ACK_HEADERS": ack_headers, "ACK_RAW": ack_headers + "\r\n" + body,
        "REPLY_ID": reply_id, "REPLY_SUBJECT": reply_subject, "REPLY_DATE": "Wed, 02 Dec 2026 11:40:19 -0500",
        "REPLY_HEADERS": reply_headers, "REPLY_RAW": reply_headers + "\r\n" + body,
    }
    return values[name]


PLACEHOLDER = re.compile(rb"%%([A-D]):([A-Z_]+)%%")


def render(raw: bytes) -> bytes:
    """A template with stand-in values, as the test renders it with real ones."""
    return PLACEHOLDER.sub(lambda m: stand_in(m[1].decode(), m[2].decode()).encode(), raw)


# ---------------------------------------------------------------------------------------------------------------
# Writing mail as software writes it.

def crlf(text: str) -> str:
    """Text written with \\n, as the CRLF lines every SMTP client sends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


ADDRESS_FIELDS = {"from", "to", "cc", "reply-to", "sender"}


def header(*fields: tuple[str, str]) -> str:
    """A header block; a value holding \\n is folded there (the continuation line starts with white space).
    Text that is not ASCII is written as mailers write it: an encoded word (the display name alone in an
    address). Mail with raw 8-bit headers is written byte by byte where it is meant (the broken cases)."""
    return "".join(f"{name}: {crlf(mime_value(name, value))}\r\n" for name, value in fields)


def mime_value(name: str, value: str) -> str:
    if value.isascii():
        return value
    address = re.fullmatch(r'"?([^"<]*?)"?\s*<([^>]+)>', value)
    if name.lower() in ADDRESS_FIELDS and address:
        return f"{ew(address[1])} <{address[2]}>"
    return ew(value)


def message(fields: str, body: str) -> str:
    return fields + "\r\n" + crlf(body)


def ew(text: str, charset: str = "utf-8", enc: str = "Q") -> str:
    """An RFC 2047 encoded word (one; callers keep them short, as mailers fold long ones)."""
    data = text.encode(charset)
    if enc == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    out = []
    for b in data:
        c = chr(b)
        if c == " ":
            out.append("_")
        elif c.isalnum() and b < 128 or c in "!*+-/":
            out.append(c)
        else:
            out.append(f"={b:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def qp(text: str, charset: str = "utf-8") -> str:
    """Quoted-printable as mailers write it (soft breaks at 76 columns, CRLF lines). A template's placeholders
    are kept whole (a soft break inside one would hide it from the test that fills it)."""
    out = []
    for piece in re.split(r"(%%[A-D]:[A-Z_]+%%)", text.replace("\r\n", "\n")):
        if re.fullmatch(r"%%[A-D]:[A-Z_]+%%", piece):
            out.append(piece)
        elif piece:
            out.append(quopri.encodestring(piece.encode(charset)).decode("ascii"))
    return crlf("".join(out))


def b64(data: bytes, width: int = 76) -> str:
    s = base64.b64encode(data).decode("ascii")
    return "".join(s[i:i + width] + "\r\n" for i in range(0, len(s), width))


def part(ctype: str, body: str, cte: str | None = None, *extra: tuple[str, str]) -> str:
    fields = [("Content-Type", ctype)]
    if cte:
        fields.append(("Content-Transfer-Encoding", cte))
    fields.extend(extra)
    return header(*fields) + "\r\n" + crlf(body)


def multipart(boundary: str, parts: list[str], preamble: str = "", epilogue: str = "") -> str:
    """A multipart body as mailers write it: a blank line before each delimiter after the first (the CRLF
    before a delimiter belongs to it, RFC 2046 5.1.1)."""
    out = crlf(preamble) + ("\r\n" if preamble else "")
    for i, p in enumerate(parts):
        if not p.endswith("\r\n"):
            p += "\r\n"
        out += ("\r\n" if i or preamble else "") + f"--{boundary}\r\n{p}"
    out += f"\r\n--{boundary}--\r\n" + crlf(epilogue)
    return out


def text_qp(text: str, charset: str = "utf-8") -> str:
    return part(f'text/plain; charset="{charset}"', qp(text, charset), "quoted-printable")


def html_qp(html: str, charset: str = "utf-8") -> str:
    return part(f'text/html; charset="{charset}"', qp(html, charset), "quoted-printable")


def paragraphs_html(text: str) -> str:
    paras = [p.replace("\n", "<br>") for p in text.split("\n\n")]
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>"


def toml_str(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


# The office's own circular, sent by hand from Outlook on consultas@ to a list of suppliers: what most machine
# mail that is not about a consultation answers (bounces of dead addresses, out-of-office replies, read receipts).
CIRCULAR_ID = "DM6PR11MB41077C0FFEE42B8A9D3E1F0AB2C4D@DM6PR11MB4107.namprd11.prod.outlook.com"
CIRCULAR_SUBJECT = "Invitación: Taller virtual sobre el RNP para proveedores - 10 de diciembre"


def circular_headers(to: str) -> str:
    return header(
        ("Received", "from DM6PR11MB4107.namprd11.prod.outlook.com (2603:10b6:5:2c0::15) by\n"
                     " DM6PR11MB4107.namprd11.prod.outlook.com with HTTPS; Mon, 30 Nov 2026 15:02:11 +0000"),
        ("From", f"Consultas OSCE <{OFFICE}>"),
        ("To", to),
        ("Subject", ew(CIRCULAR_SUBJECT)),
        ("Thread-Topic", ew(CIRCULAR_SUBJECT)),
        ("Thread-Index", "AdtDJ5mVZq1cQ0tRSi2lxkQf4pJ9Bw=="),
        ("Date", "Mon, 30 Nov 2026 15:02:10 +0000"),
        ("Message-ID", f"<{CIRCULAR_ID}>"),
        ("Accept-Language", "es-PE, en-US"),
        ("Content-Language", "es-PE"),
        ("X-MS-Has-Attach", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"iso-8859-1\""),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )


CIRCULAR_TEXT = (
    "Estimados proveedores:\n\nEl OSCE los invita al taller virtual «Inscripción y renovación en el RNP», el "
    "jueves 10 de diciembre a las 10:00 horas. Inscripciones en el enlace del portal institucional.\n\n"
    "Atentamente,\nMesa de Consultas - OSCE"
)


def circular_whole(to: str) -> str:
    return circular_headers(to) + "\r\n" + qp(CIRCULAR_TEXT, "iso-8859-1")


# ---------------------------------------------------------------------------------------------------------------
# The cases.

@dataclass
class Case:
    name: str            # file name without .eml
    kind: str            # machine | person | broken
    expect: str          # automatic | consultation | error | beside
    signal: str          # what makes it machine mail (or the look-alike sign a person's mail carries)
    family: str          # the software or situation it stands for
    mail_from: str       # the SMTP envelope sender ("" = MAIL FROM:<>)
    raw: bytes
    note: str
    token: str = ""      # a string only this case's bytes contain (default: its Message-ID)
    sane: bool = True    # meant to be well-formed MIME (checked), or broken on purpose (checked to be broken)
    anchor: str = ""     # beside: the anchor consultation it is about
    about: str = ""      # beside: "ack" or "reply"
    answer_to: str = ""  # people and broken mail: where the acknowledgement must go (Reply-To, From, envelope)
    undelivered: bool = False  # beside: it says our acknowledgement or reply did not reach the citizen


CASES: list[Case] = []


def add(name: str, kind: str, expect: str, signal: str, family: str, mail_from: str, raw: str | bytes,
        note: str, **kw) -> None:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if not kw.get("token"):
        m = re.search(rb"^Message-ID:\s*<([^>\r\n]+)>", data, re.I | re.M)
        if not m:
            raise SystemExit(f"{name}: no Message-ID and no token")
        kw["token"] = m[1].decode()
    if kind != "machine" and not kw.get("answer_to"):
        kw["answer_to"] = answer_address(data) or mail_from
    CASES.append(Case(name, kind, expect, signal, family, mail_from, data, note, **kw))


def answer_address(raw: bytes) -> str:
    """Where a reply goes: Reply-To, else From (the address only, lower case)."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for field in ("Reply-To", "From"):
        value = msg.get(field)
        if value:
            _, addr = email.utils.parseaddr(str(value))
            if "@" in addr:
                return addr.lower()
    return ""


# ----- Delivery reports (RFC 3464) and bounces ------------------------------------------------------------------

POSTFIX_FAILED_EN = (
    "This is the mail system at host {host}.\n\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n\n"
    "For further assistance, please send mail to postmaster.\n\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n\n"
    "                   The mail system\n\n{reason}\n"
)
POSTFIX_DELAYED_EN = (
    "This is the mail system at host {host}.\n\n"
    "####################################################################\n"
    "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
    "####################################################################\n\n"
    "Your message could not be delivered for more than 4 hour(s).\n"
    "It will be retried until it is 5 day(s) old.\n\n"
    "For further assistance, please send mail to postmaster.\n\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n\n"
    "                   The mail system\n\n{reason}\n"
)


def postfix_dsn(host: str, qid: str, epoch: str, date: str, subject: str, notification: str,
                recipient: str, action: str, status: str, remote: str, diagnostic: str, returned: str,
                whole: bool = False, extra_status: str = "") -> str:
    boundary = f"{qid}.{epoch}/{host}"
    fields = header(
        ("Received", f"by {host} (Postfix)\n\tid {qid}; {date}"),
        ("Date", date),
        ("From", f"MAILER-DAEMON@{host} (Mail Delivery System)"),
        ("Subject", subject),
        ("To", OFFICE),
        ("Auto-Submitted", "auto-replied"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f"multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\""),
        ("Content-Transfer-Encoding", "8bit"),
        ("Message-Id", f"<{email.utils.parsedate_to_datetime(date.split(' (')[0]).astimezone(dt.timezone.utc):%Y%m%d%H%M%S}.{qid}@{host}>"),
    )
    report = (
        f"Reporting-MTA: dns; {host}\nX-Postfix-Queue-ID: {qid}\nX-Postfix-Sender: rfc822; {OFFICE}\n"
        f"Arrival-Date: {date}\n\nFinal-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\n"
        f"Action: {action}\nStatus: {status}\n{extra_status}Remote-MTA: dns; {remote}\nDiagnostic-Code: smtp; {diagnostic}\n"
    )
    parts = [
        part("text/plain; charset=utf-8", notification, "8bit", ("Content-Description", "Notification")),
        part("message/delivery-status", report, None, ("Content-Description", "Delivery report")),
    ]
    if whole:
        parts.append(part("message/rfc822", returned, "8bit", ("Content-Description", "Undelivered Message")))
    else:
        parts.append(part("text/rfc822-headers", returned, "8bit",
                          ("Content-Description", "Undelivered Message Headers")))
    return fields + "\r\n" + multipart(boundary, parts, "This is a MIME-encapsulated message.")


# Backscatter: a spam run forged consultas@ as its sender; a municipality's Postfix returns one of them.
add("m01_postfix_backscatter_en", "machine", "automatic", "dsn", "bounce-postfix", "",
    postfix_dsn(
        "mail.munisurco.gob.pe", "4Rk2mT0bQxz9Yc", "1796051112", "Mon, 30 Nov 2026 10:05:12 -0500 (-05)",
        "Undelivered Mail Returned to Sender",
        POSTFIX_FAILED_EN.format(host="mail.munisurco.gob.pe", reason=(
            "<tesoreria.pagos@munisurco.gob.pe>: host 10.20.1.15[10.20.1.15] said: 550\n"
            "    5.1.1 <tesoreria.pagos@munisurco.gob.pe>: Recipient address rejected: User\n"
            "    unknown in virtual mailbox table (in reply to RCPT TO command)")),
        "tesoreria.pagos@munisurco.gob.pe", "failed", "5.1.1", "10.20.1.15",
        "550 5.1.1 <tesoreria.pagos@munisurco.gob.pe>: Recipient address rejected:\n"
        "    User unknown in virtual mailbox table",
        header(
            ("Return-Path", f"<{OFFICE}>"),
            ("Received", "from ppp-181-65-12-9.dynamic.example.net (unknown [181.65.12.9])\n"
                         "\tby mail.munisurco.gob.pe (Postfix) with ESMTP id 4Rk2mT0bQxz9Yc\n"
                         "\tfor <tesoreria.pagos@munisurco.gob.pe>; Mon, 30 Nov 2026 10:05:10 -0500 (-05)"),
            ("From", f"\"OSCE - Tesoreria\" <{OFFICE}>"),
            ("To", "tesoreria.pagos@munisurco.gob.pe"),
            ("Subject", "Factura electronica pendiente N. F001-00088213"),
            ("Date", "Mon, 30 Nov 2026 16:05:02 +0100"),
            ("Message-ID", "<7d1e0c55a3b9f1d2e8a4@ppp-181-65-12-9.dynamic.example.net>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "multipart/mixed; boundary=\"----=_NextPart_000_0012_01DB4312.5A7C1E20\""),
        ),
    ),
    "Backscatter: a spam run forged consultas@ as sender; the municipality's Postfix returns the spam's header. "
    "Null sender, RFC 3464 report with text/rfc822-headers. Answers nothing the office sent.")

# The coordinator's circular to suppliers: one address has been down for hours (a warning, not a failure).
add("m02_postfix_delayed_circular", "machine", "automatic", "dsn", "bounce-postfix", "",
    postfix_dsn(
        "mx1.constructoraandina.com.pe", "4Rl9Wq3fZLz1Kp", "1796069980", "Mon, 30 Nov 2026 19:19:40 -0500 (-05)",
        "Delayed Mail (still being retried)",
        POSTFIX_DELAYED_EN.format(host="mx1.constructoraandina.com.pe", reason=(
            "<logistica@constructoraandina.com.pe>: connect to\n"
            "    buzon.constructoraandina.com.pe[190.117.44.20]:25: Connection timed out")),
        "logistica@constructoraandina.com.pe", "delayed", "4.4.1", "buzon.constructoraandina.com.pe",
        "delivery temporarily suspended: connect to\n    buzon.constructoraandina.com.pe[190.117.44.20]:25: "
        "Connection timed out",
        circular_headers("logistica@constructoraandina.com.pe"),
        extra_status="Will-Retry-Until: Sat, 5 Dec 2026 15:02:12 -0500 (-05)\n",
    ),
    "Postfix delay warning (Action: delayed) for the office's own circular, not for a consultation: machine mail, "
    "filed apart.")

# A Peruvian ISP that localised Postfix's bounce template (bounce_template_file) into Spanish.
POSTFIX_FAILED_ES = (
    "Este es el sistema de correo del servidor {host}.\n\n"
    "Lamentamos informarle que su mensaje no pudo ser entregado a uno o\n"
    "más destinatarios. Se adjunta a continuación.\n\n"
    "Para mayor información, escriba a postmaster.\n\n"
    "Si lo hace, incluya este informe. Puede borrar su propio texto del\n"
    "mensaje devuelto que se adjunta.\n\n"
    "                   El sistema de correo\n\n{reason}\n"
)
add("m03_postfix_bounce_es_template", "machine", "automatic", "dsn", "bounce-postfix", "",
    postfix_dsn(
        "correo.andinanet.pe", "4RmB7x2QHkz4Ts", "1796055530", "Mon, 30 Nov 2026 11:38:50 -0500 (-05)",
        "Mensaje no entregado: devuelto al remitente",
        POSTFIX_FAILED_ES.format(host="correo.andinanet.pe", reason=(
            "<ventas.ferreteria.sanjose@andinanet.pe>: cannot update mailbox\n"
            "    /var/mail/vhosts/andinanet.pe/ventas.ferreteria.sanjose for user\n"
            "    ventas.ferreteria.sanjose. error writing message: Disk quota exceeded")),
        "ventas.ferreteria.sanjose@andinanet.pe", "failed", "5.2.2", "correo.andinanet.pe",
        "x-unix; cannot update mailbox: Disk quota exceeded",
        circular_headers("ventas.ferreteria.sanjose@andinanet.pe"), whole=True,
    ),
    "A Spanish Postfix bounce template (ISP), the whole circular returned as message/rfc822; quota exceeded.")


# Exim: the plain-text bounce with X-Failed-Recipients; a copy of the message after the marker line.
def exim_bounce(host: str, exim_id: str, date: str, recipient: str, reason: str, returned: str,
                message_id: str) -> str:
    fields = header(
        ("Received", f"from mail by {host} with local (Exim 4.96.2)\n\tid {exim_id}\n\tfor {OFFICE}; {date}"),
        ("X-Failed-Recipients", recipient),
        ("Auto-Submitted", "auto-replied"),
        ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
        ("To", OFFICE),
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Subject", "Mail delivery failed: returning message to sender"),
        ("Message-Id", f"<{message_id}>"),
        ("Date", date),
    )
    body = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        f"  {recipient}\n    {reason}\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
    )
    return fields + "\r\n" + crlf(body) + returned


add("m04_exim_bounce_circular", "machine", "automatic", "mailer-daemon", "bounce-exim", "",
    exim_bounce(
        "server42.hostingperu.example", "1kQz7L-0004Aa-3F", "Mon, 30 Nov 2026 10:03:55 -0500",
        "info@agroexportsur.pe",
        "mailbox is full: retry timeout exceeded",
        crlf("Return-path: <consultas@osce.test>\nReceived: from mail-dm6nam11on2101.outbound.protection.outlook.com "
             "([40.107.223.101]:29844)\n\tby server42.hostingperu.example with esmtps  (TLS1.2) tls "
             "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n\t(Exim 4.96.2)\n\t(envelope-from <consultas@osce.test>)\n"
             "\tid 1kQz7K-0003zZ-2u\n\tfor info@agroexportsur.pe; Mon, 30 Nov 2026 10:02:31 -0500\n")
        + circular_whole("info@agroexportsur.pe"),
        "E1kQz7L-0004Aa-3F@server42.hostingperu.example",
    ),
    "Exim bounce (cPanel host), no multipart/report: X-Failed-Recipients, Auto-Submitted, Mailer-Daemon sender; "
    "the circular copied below the marker line.")

# qmail: «Hi. This is the qmail-send program», no MIME at all, no Message-ID of its own.
add("m05_qmail_failure_notice", "machine", "automatic", "mailer-daemon", "bounce-qmail", "",
    header(
        ("Received", "(qmail 28841 invoked for bounce); 30 Nov 2026 15:04:12 -0000"),
        ("Date", "30 Nov 2026 15:04:12 -0000"),
        ("From", "MAILER-DAEMON@mail.cooperativasantamaria.pe"),
        ("To", OFFICE),
        ("Subject", "failure notice"),
    )
    + "\r\n" + crlf(
        "Hi. This is the qmail-send program at mail.cooperativasantamaria.pe.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<compras@cooperativasantamaria.pe>:\n"
        "This message is looping: it already has my Delivered-To line. (#5.4.6)\n"
        "qmail-bounce-ref 28841-CSM-m05\n\n"
        "--- Below this line is a copy of the message.\n\n"
        "Return-Path: <consultas@osce.test>\n"
        "Received: (qmail 28830 invoked from network); 30 Nov 2026 15:04:11 -0000\n"
        "Delivered-To: compras@cooperativasantamaria.pe\n")
    + circular_whole("compras@cooperativasantamaria.pe"),
    "qmail bounce: plain text, no MIME, no Message-ID (the test server adds one); MAILER-DAEMON sender, null "
    "envelope.", token="qmail-bounce-ref 28841-CSM-m05")

# Sendmail 8: multipart/report with a transcript, «Returned mail: see transcript for details».
add("m06_sendmail_dsn", "machine", "automatic", "dsn", "bounce-sendmail", "",
    header(
        ("Received", "from localhost (localhost)\n\tby smtp.uni-andes.example (8.17.1/8.17.1) id 5AUF6k7Q019912;"
                     "\n\tMon, 30 Nov 2026 10:06:46 -0500"),
        ("Date", "Mon, 30 Nov 2026 10:06:46 -0500"),
        ("From", "Mail Delivery Subsystem <MAILER-DAEMON@smtp.uni-andes.example>"),
        ("Message-Id", "<202611301506.5AUF6k7Q019912@smtp.uni-andes.example>"),
        ("To", f"<{OFFICE}>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/report; report-type=delivery-status;\n\tboundary=\"5AUF6k7Q019912.1796051206/smtp.uni-andes.example\""),
        ("Subject", "Returned mail: see transcript for details"),
        ("Auto-Submitted", "auto-generated (failure)"),
    )
    + "\r\n" + multipart("5AUF6k7Q019912.1796051206/smtp.uni-andes.example", [
        part("text/plain; charset=us-ascii", (
            "The original message was received at Mon, 30 Nov 2026 10:06:44 -0500\n"
            "from mail-dm6nam11on2101.outbound.protection.outlook.com [40.107.223.101]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            "<adquisiciones@uni-andes.example>\n"
            "    (reason: 550 5.1.1 <adquisiciones@uni-andes.example>... User unknown)\n\n"
            "   ----- Transcript of session follows -----\n"
            "... while talking to buzones.uni-andes.example.:\n"
            ">>> DATA\n<<< 550 5.1.1 <adquisiciones@uni-andes.example>... User unknown\n"
            "550 5.1.1 <adquisiciones@uni-andes.example>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)\n")),
        part("message/delivery-status", (
            "Reporting-MTA: dns; smtp.uni-andes.example\n"
            "Received-From-MTA: DNS; mail-dm6nam11on2101.outbound.protection.outlook.com\n"
            "Arrival-Date: Mon, 30 Nov 2026 10:06:44 -0500\n\n"
            "Final-Recipient: RFC822; adquisiciones@uni-andes.example\nAction: failed\nStatus: 5.1.1\n"
            "Remote-MTA: DNS; buzones.uni-andes.example\n"
            "Diagnostic-Code: SMTP; 550 5.1.1 <adquisiciones@uni-andes.example>... User unknown\n"
            "Last-Attempt-Date: Mon, 30 Nov 2026 10:06:46 -0500\n")),
        part("text/rfc822-headers", circular_headers("adquisiciones@uni-andes.example")),
    ], "This is a MIME-encapsulated message\n"),
    "Sendmail 8 DSN with its session transcript; Auto-Submitted with a comment; answers the circular.")


EXCHANGE_ES_QUOTA = (
    "El buzón del destinatario está lleno y no puede aceptar mensajes en este momento. Inténtelo de nuevo más "
    "tarde o póngase en contacto directamente con el destinatario."
)


def exchange_ndr_es(host: str, org: str, date: str, recipient: str, reason_text: str, diagnostic: str,
                    status: str, subject: str, original_id: str, returned_headers: str, returned_whole: str,
                    message_id: str) -> str:
    """Exchange Server 2016 in Spanish: «No se puede entregar:», text and HTML, the report, the original."""
    outer = f"_000_{message_id.split('@')[0][:20]}_"
    alt = f"_001_{message_id.split('@')[0][:20]}_"
    text = (
        f"Error al entregar a estos destinatarios o grupos:\n\n{recipient} ({recipient})<mailto:{recipient}>\n"
        f"{reason_text}\n\n\n\n\n\n\nInformación de diagnóstico para administradores:\n\n"
        f"Servidor de generación: {host}\n\n{recipient}\nRemote Server returned '{diagnostic}'\n\n"
        f"Encabezados del mensaje original:\n\n{returned_headers.replace(chr(13), '')}"
    )
    html = (
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>"
        "<p><b><font color=\"#000066\" size=\"3\" face=\"Arial\">Error al entregar a estos destinatarios o "
        f"grupos:</font></b></p><font color=\"#000000\" size=\"2\" face=\"Tahoma\"><p><a href=\"mailto:{recipient}\">"
        f"{recipient} ({recipient})</a><br>{reason_text}<br></p></font><br><br><br><br><br><br>"
        "<font color=\"#808080\" size=\"2\" face=\"Tahoma\"><p><b>Información de diagnóstico para "
        f"administradores:</b></p><p>Servidor de generación: {host}</p><p>{recipient}<br>Remote Server returned "
        f"'{diagnostic}'</p></font></body></html>"
    )
    fields = header(
        ("From", f"Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{org}>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Date", date),
        ("Content-Type", f"multipart/report; report-type=delivery-status;\n\tboundary=\"{outer}\""),
        ("Content-Language", "es-PE"),
        ("Message-ID", f"<{message_id}>"),
        ("In-Reply-To", f"<{original_id}>"),
        ("References", f"<{original_id}>"),
        ("Thread-Topic", subject),
        ("Subject", "No se puede entregar: " + subject),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
        ("X-MS-Exchange-Organization-SCL", "-1"),
        ("X-MS-TNEF-Correlator", ""),
        ("MIME-Version", "1.0"),
    )
    alternative = f"Content-Type: multipart/alternative; differences=Content-Type;\r\n\tboundary=\"{alt}\"\r\n\r\n" + \
        multipart(alt, [text_qp(text), html_qp(html)])
    report = (
        f"Reporting-MTA: dns;{host}\nReceived-From-MTA: dns;{host}\nArrival-Date: {date}\n\n"
        f"Original-Recipient: rfc822;{recipient}\nFinal-Recipient: rfc822;{recipient}\nAction: failed\n"
        f"Status: {status}\nDiagnostic-Code: smtp;{diagnostic}\n"
    )
    return fields + "\r\n" + multipart(outer, [
        alternative,
        part("message/delivery-status", report),
        part("message/rfc822", returned_whole),
    ])


add("m07_exchange2016_ndr_es_circular", "machine", "automatic", "dsn", "bounce-exchange", "",
    exchange_ndr_es(
        "EXCH01.munilima.gob.pe", "munilima.gob.pe", "Mon, 30 Nov 2026 10:09:33 -0500",
        "abastecimiento@munilima.gob.pe", EXCHANGE_ES_QUOTA,
        "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; "
        "Failed to process message due to a permanent exception with message Cannot open mailbox",
        "5.2.2", ew("Invitación: Taller virtual sobre el RNP para proveedores - 10 de diciembre"), CIRCULAR_ID,
        circular_headers("abastecimiento@munilima.gob.pe"), circular_whole("abastecimiento@munilima.gob.pe"),
        "3b7e9a12c4d54f0a8e6b1c2d3e4f5a6b@EXCH01.munilima.gob.pe",
    ),
    "Exchange 2016 NDR in Spanish («No se puede entregar:»), From «Microsoft Outlook» <MicrosoftExchange…>, "
    "X-MS-Exchange-Message-Is-Ndr, report and the whole circular; the report quotes SEACE/RNP words.")

# Office 365 (English tenant): «Undeliverable:», postmaster@tenant.onmicrosoft.com, QP text + HTML.
O365_TEXT = (
    "Your message to {rcpt} couldn't be delivered.\n\n{local} wasn't found at {domain}.\n\n"
    "consultas       Office 365      {local}\nAction Required                 Recipient\n\n\nUnknown To address\n\n\n"
    "How to Fix It\nThe address may be misspelled or may not exist. Try one or more of the following:\n\n"
    "  *   Send the message again following these steps: In Outlook, open this non-delivery report (NDR) and "
    "choose Send Again from the Report ribbon. In Outlook on the web, select this NDR, then select the link \"To "
    "send this message again, click here.\" Then delete and retype the entire recipient address.\n"
    "  *   Contact the recipient (by phone, for example) to check that the address exists and is correct.\n\n"
    "If the problem continues, forward this message to your email admin.\n\n"
    "________________________________\n\nMore Info for Email Admins\nStatus code: 550 5.1.10\n\n"
    "This error occurs because the sender sent a message to an email address hosted by Office 365 but the address "
    "is incorrect or doesn't exist at the destination domain.\n\n"
    "Original Message Details\nCreated Date:   {created}\nSender Address: {sender}\nRecipient Address:      {rcpt}\n"
    "Subject:        {subject}\n\nError Details\nReported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
    "Recipient not found by SMTP address lookup\nDSN generated by:       {host}\n"
)


def o365_ndr(rcpt: str, tenant: str, host: str, date: str, created: str, subject_text: str, subject_raw: str,
             original_id: str, returned_headers: str, message_id: str, token_line: str = "") -> str:
    local, domain = rcpt.split("@")
    outer, alt = "a1b2c3d4-e5f6-4071-8293-a4b5c6d7e8f9", "b2c3d4e5-f6a7-4182-93a4-b5c6d7e8f9a0"
    text = O365_TEXT.format(rcpt=rcpt, local=local, domain=domain, created=created, sender=OFFICE,
                            subject=subject_text, host=host) + token_line
    fields = header(
        ("From", f"<postmaster@{tenant}>"),
        ("To", f"<{OFFICE}>"),
        ("Date", date),
        ("Content-Type", f"multipart/report; report-type=delivery-status;\n\tboundary=\"{outer}\""),
        ("X-MS-Exchange-Message-Is-Ndr", ""),
        ("Content-Language", "en-US"),
        ("Message-ID", f"<{message_id}>"),
        ("In-Reply-To", f"<{original_id}>"),
        ("References", f"<{original_id}>"),
        ("Subject", "Undeliverable: " + subject_raw),
        ("Auto-Submitted", "auto-replied"),
        ("X-MS-PublicTrafficType", "Email"),
        ("X-MS-Exchange-CrossTenant-FromEntityHeader", "Hosted"),
        ("MIME-Version", "1.0"),
    )
    alternative = f"Content-Type: multipart/alternative; differences=Content-Type;\r\n\tboundary=\"{alt}\"\r\n\r\n" + \
        multipart(alt, [text_qp(text), html_qp(paragraphs_html(text))])
    report = (
        f"Reporting-MTA: dns;{host}\nReceived-From-MTA: dns;mail.osce.test\nArrival-Date: {date}\n\n"
        f"Final-Recipient: rfc822;{rcpt}\nAction: failed\nStatus: 5.1.10\n"
        "Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"
    )
    return fields + "\r\n" + multipart(outer, [
        alternative, part("message/delivery-status", report), part("text/rfc822-headers", returned_headers)])


add("m08_office365_ndr_en_circular", "machine", "automatic", "dsn", "bounce-office365", "",
    o365_ndr("j.mendoza@agroindustriasnorte.com.pe", "agroindustriasnorte.onmicrosoft.com",
             "SA1PR12MB7272.namprd12.prod.outlook.com", "Mon, 30 Nov 2026 15:02:19 +0000",
             "11/30/2026 3:02:10 PM", CIRCULAR_SUBJECT, ew(CIRCULAR_SUBJECT), CIRCULAR_ID,
             circular_headers("j.mendoza@agroindustriasnorte.com.pe"),
             "c4e7d8f9-0a1b-4c2d-8e3f-5a6b7c8d9e0f@SA1PR12MB7272.namprd12.prod.outlook.com"),
    "Office 365 NDR in English (postmaster@tenant, X-MS-Exchange-Message-Is-Ndr, text/rfc822-headers).")

# Gmail: a supplier's Gmail auto-forwards to a dead address; Gmail reports to the original sender.
GMAIL_HTML = (
    "<html>\n<head>\n<style>\n* {{\nfont-family:Roboto, \"Helvetica Neue\", Helvetica, Arial, sans-serif;\n}}\n"
    "</style>\n</head>\n<body>\n<table cellpadding=\"0\" cellspacing=\"0\" class=\"email-wrapper\" "
    "style=\"padding-top:32px;background-color:#ffffff;\"><tbody>\n<tr><td>\n<table cellpadding=0 cellspacing=0>"
    "<tbody>\n<tr><td style=\"max-width:560px;padding:24px 24px 32px;background-color:#fafafa;border:1px solid "
    "#e0e0e0;border-radius:2px\">\n<img style=\"padding:0 24px 16px 0;float:left\" width=72 height=72 alt=\"Error "
    "Icon\" src=\"cid:icon.png\">\n<table style=\"min-width:272px;padding-top:8px\"><tbody>\n<tr><td><h2 "
    "style=\"font-size:20px;color:#212121;font-weight:bold;margin:0\">\n{title}\n</h2></td></tr>\n<tr><td "
    "style=\"padding-top:20px;color:#757575;font-size:16px;font-weight:normal;text-align:left\">\n{text}\n"
    "</td></tr>\n</tbody></table>\n</td></tr>\n</tbody></table>\n</td></tr>\n<tr style=\"border:none;"
    "background-color:#fff;font-size:12.8px;width:90%\">\n<td align=\"left\" style=\"padding:48px 10px\">\n"
    "The response was:<br/>\n<p style=\"font-family:monospace\">\n{response}\n</p>\n</td>\n</tr>\n</tbody></table>"
    "\n</body>\n</html>\n"
)
ICON_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000040001f6173f0b0000000049454e44ae426082")


def gmail_dsn(rcpt: str, title: str, text: str, response: str, status: str, date: str, message_id: str,
              original_id: str, returned: str, to: str = OFFICE) -> str:
    outer, related, alt = "000000000000a3c1d205f5a6e1b4", "000000000000a3c1d905f5a6e1b5", "000000000000a3c1de05f5a6e1b6"
    fields = header(
        ("Content-Type", f"multipart/report; boundary=\"{outer}\"; report-type=delivery-status"),
        ("To", to),
        ("Return-Path", "<>"),
        ("Auto-Submitted", "auto-replied"),
        ("Message-ID", f"<{message_id}>"),
        ("Date", date),
        ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"),
        ("Subject", "Delivery Status Notification (Failure)"),
        ("References", f"<{original_id}>"),
        ("In-Reply-To", f"<{original_id}>"),
        ("X-Failed-Recipients", rcpt),
    )
    alternative = f"Content-Type: multipart/alternative; boundary=\"{alt}\"\r\n\r\n" + multipart(alt, [
        part("text/plain; charset=\"UTF-8\"", f"\n** {title} **\n\n{text}\n\nThe response was:\n\n{response}\n"),
        part("text/html; charset=\"UTF-8\"", "\n" + GMAIL_HTML.format(title=title, text=text, response=response)),
    ])
    rel = f"Content-Type: multipart/related; boundary=\"{related}\"\r\n\r\n" + multipart(related, [
        alternative,
        part("image/png; name=\"icon.png\"", b64(ICON_PNG), "base64",
             ("Content-Disposition", "attachment; filename=\"icon.png\""), ("Content-ID", "<icon.png>")),
    ])
    report = (
        f"Reporting-MTA: dns; googlemail.com\nArrival-Date: {date}\nX-Original-Message-ID: <{original_id}>\n\n"
        f"Final-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: {status}\nDiagnostic-Code: smtp; {response}\n"
        f"Last-Attempt-Date: {date}\n"
    )
    return fields + "\r\n" + multipart(outer, [rel, part("message/delivery-status", report),
                                               part("message/rfc822", returned)])


add("m09_gmail_dsn_forwarded_circular", "machine", "automatic", "dsn", "bounce-gmail", "",
    gmail_dsn("compras.textilcusco@example.org", "Address not found",
              "Your message wasn't delivered to <a style='color:#212121;text-decoration:none'><b>compras.textilcusco"
              "@example.org</b></a> because the address couldn't be found, or is unable to receive mail.",
              "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the "
              "recipient's email address for typos or unnecessary spaces.", "5.1.1",
              "Mon, 30 Nov 2026 07:04:40 -0800 (PST)", "65d3f0a8.170a0220.2b8c1.9f41.GMR@mx.google.com",
              CIRCULAR_ID, circular_whole("textilcusco.ventas@gmail.example")),
    "Gmail DSN (mailer-daemon@googlemail.com, multipart/report inside multipart/related with its icon): a "
    "supplier's Gmail auto-forward failed and Gmail reported to the original sender, the office.")

# Lotus Domino: «DELIVERY FAILURE», From Postmaster, plain text: only the null envelope says «machine».
add("m10_domino_delivery_failure", "machine", "automatic", "return-path-empty", "bounce-domino", "",
    header(
        ("Subject", "DELIVERY FAILURE: User jquispe (jquispe@mineraaltiplano.com.pe) not listed in Domino Directory"),
        ("From", "Postmaster@mineraaltiplano.com.pe"),
        ("To", OFFICE),
        ("Date", "Mon, 30 Nov 2026 10:11:02 -0500"),
        ("Message-ID", "<OF2E4A9C11.8D7B3F02-ON05258B6A.0052C1E4@mineraaltiplano.com.pe>"),
        ("X-MIMETrack", "Serialize by Router on DOMSRV02/MINERA(Release 12.0.2FP1|April 11, 2023) at\n 30/11/2026 10:11:02"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"US-ASCII\""),
    )
    + "\r\n" + crlf(
        "------- Failure Reasons  --------\n\nUser jquispe (jquispe@mineraaltiplano.com.pe) not listed in Domino "
        "Directory\njquispe@mineraaltiplano.com.pe\n\n\n------- Returned Message --------\n")
    + circular_whole("jquispe@mineraaltiplano.com.pe"),
    "Domino delivery failure: From Postmaster@ (not MAILER-DAEMON), no report, no Auto-Submitted; the only "
    "machine sign in the message is the Return-Path: <> of the null envelope.")

# Yahoo: «Failure Notice» from MAILER-DAEMON@yahoo.com, text, copy of the message below.
add("m11_yahoo_failure_notice", "machine", "automatic", "mailer-daemon", "bounce-yahoo", "",
    header(
        ("From", "MAILER-DAEMON@yahoo.com"),
        ("To", OFFICE),
        ("Subject", "Failure Notice"),
        ("Date", "Mon, 30 Nov 2026 15:03:47 +0000"),
        ("Message-ID", "<1796050227.9f3c.mta4021.mail.bf1.yahoo.com>"),
        ("X-Yahoo-Newman-Property", "bounce"),
        ("Content-Type", "text/plain; charset=us-ascii"),
    )
    + "\r\n" + crlf(
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        "<ferreteria_elsol2009@yahoo.example>:\n554: delivery error: dd This user doesn't have a yahoo.example "
        "account (ferreteria_elsol2009@yahoo.example) [0] - mta4021.mail.bf1.yahoo.com\n\n"
        "--- Below this line is a copy of the message.\n\n")
    + circular_whole("ferreteria_elsol2009@yahoo.example"),
    "Yahoo «Failure Notice»: no MIME report, MAILER-DAEMON sender.")

# A success report: the coordinator asked for delivery notification (NOTIFY=SUCCESS) on the circular.
add("m13_postfix_dsn_success", "machine", "automatic", "dsn", "dsn-success", "",
    postfix_dsn(
        "mail.osce.test", "4RmF2c7VJsz6Pb", "1796051140", "Mon, 30 Nov 2026 10:05:40 -0500 (-05)",
        "Successful Mail Delivery Report",
        "This is the mail system at host mail.osce.test.\n\n"
        "Your message was successfully delivered to the destination(s)\n"
        "listed below. If the message was delivered to mailbox you will\n"
        "receive no further notifications. Otherwise you may still receive\n"
        "notifications of mail delivery errors from other systems.\n\n"
        "                   The mail system\n\n<rnp.proveedores@regionpiura.gob.pe>: delivery via\n"
        "    mx.regionpiura.gob.pe[200.37.11.5]:25: 250 2.0.0 Ok: queued as 4RmF2dQbbcz2Lm\n",
        "rnp.proveedores@regionpiura.gob.pe", "relayed", "2.0.0", "mx.regionpiura.gob.pe",
        "250 2.0.0 Ok: queued as 4RmF2dQbbcz2Lm",
        circular_headers("rnp.proveedores@regionpiura.gob.pe"),
    ),
    "A success DSN (Action: relayed) that the coordinator asked for: a report, not a consultation.")

# Courier MTA: the From is the odd <@> empty address; report with a transcript.
add("m14_courier_dsn_empty_from_address", "machine", "automatic", "dsn", "bounce-courier", "",
    header(
        ("From", "\"Courier mail server at mail.colegioabogados.example\" <@>"),
        ("To", OFFICE),
        ("Subject", "NOTICE: mail delivery status."),
        ("Mime-Version", "1.0"),
        ("Content-Type", "multipart/report; report-type=delivery-status;\n    boundary=\"=_courier_0\""),
        ("Content-Transfer-Encoding", "7bit"),
        ("Content-Description", "Delivery Status Notification"),
        ("Date", "Mon, 30 Nov 2026 10:07:31 -0500"),
        ("Message-ID", "<courier.000000006745A1C3.00007F21@mail.colegioabogados.example>"),
    )
    + "\r\n" + multipart("=_courier_0", [
        part("text/plain; charset=\"utf-8\"", (
            "This is a delivery status notification from mail.colegioabogados.example,\n"
            "running the Courier mail server, version 1.3.12.\n\n"
            "The original message was received on Mon, 30 Nov 2026 10:07:29 -0500\n"
            "from mail.osce.test [200.48.225.130]\n\n"
            "------------------------------------------------------------------------\n\n"
            "                           UNDELIVERABLE MAIL\n\n"
            "Your message to the following recipients cannot be delivered:\n\n"
            "<secretaria@colegioabogados.example>:\n"
            "    buzon.colegioabogados.example [10.1.1.4]:\n"
            ">>> RCPT TO:<secretaria@colegioabogados.example>\n<<< 550 5.2.1 Mailbox disabled for this recipient\n\n"
            "------------------------------------------------------------------------\n\n"
            "If your message was also sent to additional recipients, their delivery\n"
            "status is not included in this report.\n"), "7bit"),
        part("message/delivery-status", (
            "Reporting-MTA: dns; mail.colegioabogados.example\nArrival-Date: Mon, 30 Nov 2026 10:07:29 -0500\n"
            "Received-From-MTA: dns; mail.osce.test (mail.osce.test [200.48.225.130])\n\n"
            "Final-Recipient: rfc822; secretaria@colegioabogados.example\nAction: failed\nStatus: 5.0.0\n"
            "Remote-MTA: dns; buzon.colegioabogados.example ([10.1.1.4])\n"
            "Diagnostic-Code: smtp; 550 5.2.1 Mailbox disabled for this recipient\n"), "7bit"),
        part("text/rfc822-headers; charset=\"iso-8859-1\"", circular_headers("secretaria@colegioabogados.example"),
             "8bit"),
    ], "This is a MIME-formatted message.  If you see this text it means that your\n"
       "mail software cannot handle MIME-formatted messages.\n"),
    "Courier DSN whose From holds the empty address <@>: a report with a transcript.")

# OpenSMTPD: «Delivery status notification: error», multipart/mixed (no report), «please DO NOT REPLY».
add("m15_opensmtpd_bounce", "machine", "automatic", "mailer-daemon", "bounce-opensmtpd", "",
    header(
        ("Received", "from localhost (localhost [127.0.0.1])\n\tby relay.observatorio-compras.example (OpenSMTPD) "
                     "with ESMTPSA id 6a1f03c9\n\tfor <consultas@osce.test>;\n\tMon, 30 Nov 2026 10:12:40 -0500 (-05)"),
        ("Date", "Mon, 30 Nov 2026 10:12:40 -0500 (-05)"),
        ("From", "Mailer Daemon <MAILER-DAEMON@relay.observatorio-compras.example>"),
        ("To", OFFICE),
        ("Subject", "Delivery status notification: error"),
        ("Message-ID", "<1c2d3e4f5a6b7c8d.opensmtpd@relay.observatorio-compras.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/mixed;boundary=\"16988224.JHbb7Dp0U4dvyY5y/relay.observatorio-compras.example\""),
        ("Content-Language", "en-US"),
    )
    + "\r\n" + multipart("16988224.JHbb7Dp0U4dvyY5y/relay.observatorio-compras.example", [
        part("text/plain; charset=utf-8", (
            "Hi!\n\nThis is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n"
            "An error has occurred while attempting to deliver a message for\nthe following list of recipients:\n\n"
            "redaccion@observatorio-compras.example: 550 5.1.1 <redaccion@observatorio-compras.example>: "
            "Recipient address rejected: User unknown\n\nBelow is a copy of the original message:\n"),
            "8bit", ("Content-Description", "Notification")),
        part("message/rfc822", circular_whole("redaccion@observatorio-compras.example"), None,
             ("Content-Description", "Message headers")),
    ], "This is a MIME-encapsulated message.\n"),
    "OpenSMTPD bounce: multipart/mixed (no report), MAILER-DAEMON sender, the circular attached.")


# ----- Read receipts (RFC 8098) ---------------------------------------------------------------------------------

def exchange_read_receipt(who: str, addr: str, prefix: str, verb: str, date: str, message_id: str,
                          disposition: str) -> str:
    boundary = "_9d2e1f80-4a3b-4c7d-b1e2-0f3a4b5c6d7e_"
    text = (f"Su mensaje\n\n  Para:  {who}\n  Asunto:  {CIRCULAR_SUBJECT}\n"
            f"  Enviado:  lunes, 30 de noviembre de 2026 10:02:10 (UTC-05:00) Bogotá, Lima, Quito, Río Branco\n\n"
            f"{verb} el lunes, 30 de noviembre de 2026 11:47:52 (UTC-05:00) Bogotá, Lima, Quito, Río Branco.\n")
    fields = header(
        ("From", f"{who} <{addr}>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", f"{prefix}: " + ew(CIRCULAR_SUBJECT)),
        ("Thread-Topic", ew(CIRCULAR_SUBJECT)),
        ("Thread-Index", "AdtDJ5mVZq1cQ0tRSi2lxkQf4pJ9BwAFVq9A"),
        ("Date", date),
        ("Message-ID", f"<{message_id}>"),
        ("References", f"<{CIRCULAR_ID}>"),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("Content-Language", "es-PE"),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        ("Content-Type", f"multipart/report; report-type=disposition-notification;\n\tboundary=\"{boundary}\""),
        ("MIME-Version", "1.0"),
    )
    report = (f"Reporting-UA: {addr.split('@')[1]}; Microsoft Exchange Server\nFinal-Recipient: rfc822;{addr}\n"
              f"Original-Message-ID: <{CIRCULAR_ID}>\nDisposition: {disposition}\n")
    return fields + "\r\n" + multipart(boundary, [
        text_qp(text), part("message/disposition-notification", report)])


add("m16_read_receipt_exchange_es", "machine", "automatic", "read-receipt", "mdn-exchange", "gsalinas@regioncusco.gob.pe",
    exchange_read_receipt("Gustavo Salinas Quispe", "gsalinas@regioncusco.gob.pe", "Leído", "fue leído",
                          "Mon, 30 Nov 2026 16:47:53 +0000",
                          "MN2PR14MB40643B6F8C1D2E3A4F5B6C7D8E9F0A1B@MN2PR14MB4064.namprd14.prod.outlook.com",
                          "automatic-action/MDN-sent-automatically; displayed"),
    "Outlook/Exchange read receipt in Spanish («Leído:»), multipart/report disposition-notification, from the "
    "person's own address (not a null envelope).")

add("m17_not_read_receipt_exchange_es", "machine", "automatic", "read-receipt", "mdn-exchange", "mrojas@sunass.example",
    exchange_read_receipt("Milagros Rojas", "mrojas@sunass.example", "No leído", "se eliminó sin haber sido leído",
                          "Tue, 01 Dec 2026 13:20:05 +0000",
                          "BL1PR13MB51726A0B1C2D3E4F5A6B7C8D9E0F1A2B@BL1PR13MB5172.namprd13.prod.outlook.com",
                          "automatic-action/MDN-sent-automatically; deleted"),
    "Outlook «No leído:» receipt (deleted without being read): a report, not a consultation.")

add("m18_read_receipt_thunderbird_es", "machine", "automatic", "read-receipt", "mdn-thunderbird", "",
    header(
        ("Message-ID", "<7b3e2d1c-0a9f-4e8d-b7c6-5a4b3c2d1e0f@drtc-ayacucho.example>"),
        ("Date", "Mon, 30 Nov 2026 11:58:14 -0500"),
        ("MIME-Version", "1.0"),
        ("User-Agent", "Mozilla Thunderbird"),
        ("From", "Abastecimiento DRTC <abastecimiento@drtc-ayacucho.example>"),
        ("Subject", "Acuse de recibo (mostrado) - " + ew(CIRCULAR_SUBJECT)),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Content-Type", "multipart/report; report-type=disposition-notification;\n"
                         " boundary=\"------------8mZ3c0T1bQ2wX4yV5uR6sP7n\""),
    )
    + "\r\n" + multipart("------------8mZ3c0T1bQ2wX4yV5uR6sP7n", [
        part("text/plain; charset=UTF-8", (
            f"Este es un acuse de recibo del mensaje que envió a <abastecimiento@drtc-ayacucho.example> a las "
            f"30/11/2026 10:02.\n\nEsto sólo significa que el mensaje se ha mostrado en el ordenador del destinatario. "
            f"No hay garantía de que el destinatario haya leído o entendido el contenido del mensaje.\n"), "8bit"),
        part("message/disposition-notification; name=\"MDNPart2.txt\"", (
            "Reporting-UA: drtc-ayacucho.example; Mozilla Thunderbird\n"
            "Final-Recipient: rfc822;abastecimiento@drtc-ayacucho.example\n"
            f"Original-Message-ID: <{CIRCULAR_ID}>\nDisposition: manual-action/MDN-sent-manually; displayed\n"),
            "7bit", ("Content-Disposition", "inline")),
        part("text/rfc822-headers; name=\"MDNPart3.txt\"", circular_headers("abastecimiento@drtc-ayacucho.example"),
             "7bit", ("Content-Disposition", "inline")),
    ], "This is a multi-part message in MIME format."),
    "Thunderbird MDN («Acuse de recibo (mostrado)») with the three RFC 8098 parts; null envelope.")


# ----- Out-of-office and vacation responders --------------------------------------------------------------------

def exchange_ooo(who: str, addr: str, prefix: str, lang: str, date: str, message_id: str, text: str,
                 original_subject: str = CIRCULAR_SUBJECT, original_id: str = CIRCULAR_ID,
                 to: str = f"Consultas OSCE <{OFFICE}>", extra: tuple = ()) -> str:
    alt = "_000_" + message_id.split("@")[0][:24] + "_"
    fields = header(
        ("From", f"{who} <{addr}>"),
        ("To", to),
        ("Subject", f"{prefix}: {original_subject}"),
        ("Thread-Topic", original_subject),
        ("Thread-Index", "AQHZ0kq5f3u2Vb1mOE2Jp3yq8nV0Ag=="),
        ("Date", date),
        ("Message-ID", f"<{message_id}>"),
        ("References", f"<{original_id}>"),
        ("In-Reply-To", f"<{original_id}>"),
        ("Accept-Language", f"{lang}, en-US"),
        ("Content-Language", lang),
        ("X-MS-Has-Attach", ""),
        ("X-Auto-Response-Suppress", "All"),
        ("X-MS-Exchange-Inbox-Rules-Loop", addr),
        ("X-MS-TNEF-Correlator", ""),
        *extra,
        ("Content-Type", f"multipart/alternative;\n\tboundary=\"{alt}\""),
        ("MIME-Version", "1.0"),
    )
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>"
            + "".join(f"<div>{line or '<br>'}</div>" for line in text.split("\n")) + "</body></html>")
    return fields + "\r\n" + multipart(alt, [text_qp(text), html_qp(html)])


add("m19_exchange_ooo_es_circular", "machine", "automatic", "ms-auto-reply", "ooo-exchange", "",
    exchange_ooo("Patricia Chávez Ruiz", "pchavez@munitrujillo.example", "Respuesta automática", "es-PE",
                 "Mon, 30 Nov 2026 15:02:31 +0000",
                 "CH2PR04MB7030E5D4C3B2A19F8E7D6C5B4A392817@CH2PR04MB7030.namprd04.prod.outlook.com",
                 "Buenos días:\n\nMe encuentro de vacaciones del 30 de noviembre al 11 de diciembre. Para temas de "
                 "contrataciones y del SEACE comunicarse con Luis Alva (lalva@munitrujillo.example).\n\n"
                 "Saludos,\nPatricia Chávez Ruiz\nSubgerencia de Logística",
                 original_subject=ew(CIRCULAR_SUBJECT)),
    "Exchange out-of-office in Spanish: «Respuesta automática:», X-Auto-Response-Suppress: All, "
    "X-MS-Exchange-Inbox-Rules-Loop, no Auto-Submitted; null envelope. Its text names SEACE.")

add("m20_outlookcom_ooo_en", "machine", "automatic", "ms-auto-reply", "ooo-outlookcom", "",
    exchange_ooo("Daniel Ortiz", "daniel.ortiz.import@outlook.example", "Automatic reply", "en-US",
                 "Mon, 30 Nov 2026 15:02:44 +0000",
                 "PH0P220MB0456A1B2C3D4E5F60718293A4B5C6D7E@PH0P220MB0456.NAMP220.PROD.OUTLOOK.COM",
                 "Thank you for your email. I am travelling with limited access to email until December 7th. "
                 "For urgent matters regarding tenders please call +51 987 654 321.\n\nDaniel",
                 original_subject=ew(CIRCULAR_SUBJECT)),
    "Outlook.com out-of-office in English («Automatic reply:»), Exchange-style headers, null envelope.")

add("m21_exchange_ooo_pt", "machine", "automatic", "ms-auto-reply", "ooo-exchange", "",
    exchange_ooo("Fernanda Lima", "fernanda.lima@construtora-brasil.example", "Resposta automática", "pt-BR",
                 "Mon, 30 Nov 2026 15:03:02 +0000",
                 "RO2P152MB3021F0E1D2C3B4A5968778695A4B3C2D@RO2P152MB3021.LAMP152.PROD.OUTLOOK.COM",
                 "Olá,\n\nEstou fora do escritório até 04/12 com acesso limitado ao e-mail. Em caso de urgência, "
                 "contate comercial@construtora-brasil.example.\n\nAtenciosamente,\nFernanda Lima",
                 original_subject=ew(CIRCULAR_SUBJECT)),
    "Exchange out-of-office in Portuguese («Resposta automática:»): a foreign supplier on the circular's list.")

add("m22_gmail_vacation_es", "machine", "automatic", "auto-submitted", "ooo-gmail", "ing.rramirez.obras@gmail.example",
    header(
        ("MIME-Version", "1.0"),
        ("From", "Ricardo Ramírez <ing.rramirez.obras@gmail.example>"),
        ("Date", "Mon, 30 Nov 2026 07:02:29 -0800"),
        ("Auto-Submitted", "auto-replied"),
        ("Message-ID", "<CAGk3n9bX2mVfQ0w1e2r3t4y5u6i7o8p9a0s1d2f3g4h5j6k7l@mail.gmail.example>"),
        ("Subject", "Vacaciones"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("References", f"<{CIRCULAR_ID}>"),
        ("Content-Type", "multipart/alternative; boundary=\"0000000000004f8a2b05f5a6c3d1\""),
    )
    + "\r\n" + multipart("0000000000004f8a2b05f5a6c3d1", [
        part("text/plain; charset=\"UTF-8\"", qp("Estoy de vacaciones hasta el 14 de diciembre, sin acceso al "
                                                   "correo. Responderé a mi regreso.\n\nRicardo Ramírez\n"),
             "quoted-printable"),
        part("text/html; charset=\"UTF-8\"", qp("<div dir=\"ltr\">Estoy de vacaciones hasta el 14 de diciembre, sin "
                                                  "acceso al correo. Responderé a mi regreso.<br><br>Ricardo Ramírez"
                                                  "</div>\n"), "quoted-printable"),
    ]),
    "Gmail vacation responder with the user's own subject («Vacaciones»): Auto-Submitted: auto-replied; the "
    "envelope is the person's address.")

add("m23_sieve_vacation_dovecot_es", "machine", "automatic", "auto-submitted", "ooo-sieve", "",
    header(
        ("Message-ID", "<dovecot-sieve-1796052131-618003-0@correo.unsaac.example>"),
        ("Date", "Mon, 30 Nov 2026 10:02:11 -0500"),
        ("X-Sieve", "Pigeonhole Sieve 0.5.19"),
        ("From", "<mhuillca@unsaac.example>"),
        ("To", f"<{OFFICE}>"),
        ("Subject", "Auto: " + ew(CIRCULAR_SUBJECT)),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("References", f"<{CIRCULAR_ID}>"),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("Precedence", "bulk"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Me encuentro en comisión de servicio hasta el 4 de diciembre. Su correo será atendido a mi "
                    "retorno.\n\nMarco Huillca\nOficina de Abastecimiento\n"),
    "Dovecot Pigeonhole vacation (RFC 5230): «Auto: » subject, Auto-Submitted: auto-replied (vacation), "
    "Precedence: bulk, null envelope.")

add("m24_sogo_vacation_custom_subject", "machine", "automatic", "auto-submitted", "ooo-sieve", "",
    header(
        ("Date", "Mon, 30 Nov 2026 10:02:19 -0500"),
        ("From", "Ana Lucía Torres <altorres@ugel-arequipa.example>"),
        ("To", f"<{OFFICE}>"),
        ("Subject", ew("Fuera de oficina por capacitación")),
        ("Message-ID", "<cmu-sieve-22871-1796052139-0@mail.ugel-arequipa.example>"),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("Auto-Submitted", "auto-replied (vacation)"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Estimado(a):\n\nNo me encuentro en la oficina hasta el lunes 7. Para trámites urgentes "
                    "comuníquese con mesadepartes@ugel-arequipa.example.\n\nAna Lucía Torres\n"),
    "SOGo vacation through Cyrus Sieve with the user's own subject (no «Auto:»): only Auto-Submitted "
    "says it; null envelope.")

add("m25_zimbra_ooo", "machine", "automatic", "auto-submitted", "ooo-zimbra", "",
    header(
        ("Date", "Mon, 30 Nov 2026 10:02:26 -0500 (PET)"),
        ("From", "Hugo Mamani <hmamani@essalud-puno.example>"),
        ("To", OFFICE),
        ("Message-ID", "<1459285013.48211.1796052146221.JavaMail.zimbra@essalud-puno.example>"),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("Subject", "Re: " + ew(CIRCULAR_SUBJECT)),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "7bit"),
        ("Auto-Submitted", "auto-replied (zimbra; vacation)"),
        ("Precedence", "bulk"),
        ("X-Mailer", "Zimbra 10.0.6_GA_4614 (zclient/10.0.6_GA_4614)"),
    )
    + "\r\n" + crlf("Estare fuera de la oficina del 30/11 al 02/12. Atendere su correo a mi retorno.\n"
                    "Hugo Mamani - Logistica\n"),
    "Zimbra out-of-office: «Re:» subject (looks like a reply), Auto-Submitted: auto-replied (zimbra; vacation), "
    "Precedence: bulk.")

add("m26_hosting_autoresponder_x_autorespond", "machine", "automatic", "x-autoreply", "ooo-hosting",
    "ventas@importacionesmiraflores.example",
    header(
        ("From", "Importaciones Miraflores <ventas@importacionesmiraflores.example>"),
        ("To", OFFICE),
        ("Subject", "Gracias por escribirnos"),
        ("X-Autorespond", "Gracias por escribirnos"),
        ("Precedence", "auto_reply"),
        ("Date", "Mon, 30 Nov 2026 10:02:40 -0500"),
        ("Message-Id", "<E1kR0a2-0007Xy-9Q@server7.hostingperu.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"utf-8\""),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Hemos recibido su correo. Nuestro horario de atención es de lunes a viernes de 9:00 a 18:00. "
                    "Le responderemos a la brevedad.\n\nImportaciones Miraflores S.A.C.\n"),
    "A hosting panel's autoresponder (Exim autoreply transport): X-Autorespond and Precedence: auto_reply, no "
    "Auto-Submitted, the account's own envelope.")

add("m27_icloud_vacation_subject_only", "machine", "automatic", "subject", "ooo-icloud", "sofia.benavides@icloud.example",
    header(
        ("From", "sofia.benavides@icloud.example"),
        ("To", f"\"Consultas OSCE\" <{OFFICE}>"),
        ("Subject", "Auto reply: " + ew(CIRCULAR_SUBJECT)),
        ("Date", "Mon, 30 Nov 2026 15:02:52 +0000"),
        ("Message-id", "<4f0e2d1c-9b8a-4c7d-a6e5-f4d3c2b1a098-vac@icloud.example>"),
        ("In-Reply-To", f"<{CIRCULAR_ID}>"),
        ("References", f"<{CIRCULAR_ID}>"),
        ("X-Apple-Criteria", "{kind=VACATION,startDate=2026-11-27T05:00:00Z,endDate=2026-12-09T04:59:59Z}"),
        ("X-Apple-Action", "VACATION"),
        ("X-Apple-UUID", "4f0e2d1c-9b8a-4c7d-a6e5-f4d3c2b1a098"),
        ("Content-type", "text/plain; charset=UTF-8"),
    )
    + "\r\n" + crlf("Estoy de viaje hasta el 8 de diciembre. Gracias por su mensaje.\n"),
    "iCloud vacation: «Auto reply:» and Apple's X-Apple-Action: VACATION only; no Auto-Submitted, the person's "
    "envelope.")

add("m28_lotus_notes_ooo_auto_subject", "machine", "automatic", "subject", "ooo-notes", "jvargas@cementosdelsur.example",
    header(
        ("To", OFFICE),
        ("Subject", "AUTO: Javier Vargas se encuentra fuera de la oficina (regreso el 07/12/2026)"),
        ("From", "Javier Vargas <jvargas@cementosdelsur.example>"),
        ("Date", "Mon, 30 Nov 2026 10:02:58 -0500"),
        ("Message-ID", "<OFA1B2C3D4.E5F60718-ON05258B6A.00531F2A-05258B6A.00531F2B@cementosdelsur.example>"),
        ("X-Mailer", "Lotus Notes Release 9.0.1FP10 SHF383 May 15, 2019"),
        ("X-MIMETrack", "Serialize by Router on NOTES01/CEMENTOS(Release 9.0.1FP10|May 15, 2019) at\n 30/11/2026 10:02:58"),
        ("MIME-Version", "1.0"),
        ("Content-type", "text/plain; charset=ISO-8859-1"),
        ("Content-transfer-encoding", "quoted-printable"),
    )
    + "\r\n" + qp("Estaré fuera de la oficina a partir de 30/11/2026 y no volveré hasta el 07/12/2026.\n\n"
                  f"Responderé a su mensaje a mi regreso.\n\nNota: Éste es un mensaje automático en respuesta a "
                  f"«{CIRCULAR_SUBJECT}», enviado el 30/11/2026 10:02:10.\n", "iso-8859-1"),
    "Lotus Notes out-of-office: only the subject «AUTO: … se encuentra fuera de la oficina» and its words say "
    "it; the person's envelope, no RFC 3834 header. A known hard case (a citizen's «Auto:» subject exists too).")

add("m29_outlook_rule_template_reply", "machine", "automatic", "none", "ooo-client-rule", "recepcion@clinicasanpablo.example",
    header(
        ("From", "Recepción Clínica San Pablo <recepcion@clinicasanpablo.example>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", "RE: " + ew(CIRCULAR_SUBJECT)),
        ("Thread-Topic", ew(CIRCULAR_SUBJECT)),
        ("Thread-Index", "AdtDJ5mVZq1cQ0tRSi2lxkQf4pJ9BwABbcde"),
        ("Date", "Mon, 30 Nov 2026 15:03:30 +0000"),
        ("Message-ID", "<000601db4a2f$1a2b3c40$4f5e6d70$@clinicasanpablo.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"iso-8859-1\""),
        ("Content-Transfer-Encoding", "quoted-printable"),
        ("X-Mailer", "Microsoft Outlook 16.0"),
        ("Content-Language", "es-pe"),
    )
    + "\r\n" + qp("Gracias por comunicarse con la Clínica San Pablo. Este buzón es revisado de lunes a viernes; su "
                  "correo será derivado al área correspondiente.\n\nRecepción\n", "iso-8859-1"),
    "An Outlook client rule «reply using a template»: an ordinary-looking RE: with no automatic header at all "
    "(the rule sends it as the user would). Only its words say it is automatic; acknowledging it costs one "
    "acknowledgement to a responder that does not answer back.")


# ----- Ticketing systems ----------------------------------------------------------------------------------------

add("m30_osticket_autoresponse", "machine", "automatic", "x-autoreply", "ticketing-osticket", "soporte@seguridadprocesos.example",
    header(
        ("Date", "Tue, 01 Dec 2026 09:41:07 -0500"),
        ("From", "Mesa de Ayuda - Seguridad Procesos <soporte@seguridadprocesos.example>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", ew("Solicitud de soporte recibida [#482913]")),
        ("Message-ID", "<ZqX0-rQ3bLzT8w4-soporte@seguridadprocesos.example>"),
        ("In-Reply-To", "<DM6PR11MB4107A9B8C7D6E5F40312@DM6PR11MB4107.namprd11.prod.outlook.com>"),
        ("References", "<DM6PR11MB4107A9B8C7D6E5F40312@DM6PR11MB4107.namprd11.prod.outlook.com>"),
        ("X-Mailer", "osTicket Mailer"),
        ("Precedence", "auto_reply"),
        ("X-Autoreply", "yes"),
        ("X-Auto-Response-Suppress", "DR, RN, OOF, AutoReply"),
        ("Auto-Submitted", "auto-replied"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative;\n boundary=\"=_a1b2c3d4e5f60718293a4b5c6d7e8f90\""),
    )
    + "\r\n" + multipart("=_a1b2c3d4e5f60718293a4b5c6d7e8f90", [
        text_qp("Estimado(a) Consultas OSCE,\n\nSu solicitud de soporte «Acceso del personal de OSCE al módulo de "
                "reportes» fue recibida y se le asignó el número #482913. Un agente le responderá pronto.\n\n"
                "Puede ver el estado de su solicitud en https://soporte.seguridadprocesos.example/tickets.php?id=482913\n"),
        html_qp("<p>Estimado(a) Consultas OSCE,</p><p>Su solicitud de soporte <b>«Acceso del personal de OSCE al "
                "módulo de reportes»</b> fue recibida y se le asignó el número <b>#482913</b>.</p>"),
    ]),
    "osTicket autoresponse to mail the coordinator sent a vendor's helpdesk: X-Autoreply, Precedence: auto_reply, "
    "X-Auto-Response-Suppress, Auto-Submitted.")

add("m31_glpi_ticket_notification", "machine", "automatic", "auto-submitted", "ticketing-glpi", "glpi@osce.test",
    header(
        ("Date", "Tue, 01 Dec 2026 10:15:44 -0500"),
        ("From", "Mesa de Ayuda TI <glpi@osce.test>"),
        ("Reply-To", "Mesa de Ayuda TI <mesadeayuda.ti@osce.test>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", ew("[GLPI #0004521] Nuevo ticket Falla del escáner de mesa de partes")),
        ("Message-ID", "<GLPI_6a2f1e0d9c8b7-Ticket-4521/new.1796051744.931744202@glpi.osce.test>"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "OOF, DR, NDR, RN, NRN"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"_=_swift_1796051744_4a5b6c7d8e9f_=_\""),
    )
    + "\r\n" + multipart("_=_swift_1796051744_4a5b6c7d8e9f_=_", [
        text_qp("URL : https://glpi.osce.test/index.php?redirect=ticket_4521\n\nTicket: Descripción\n\n"
                "Título : Falla del escáner de mesa de partes\nSolicitante : Consultas OSCE\nFecha de apertura : "
                "01-12-2026 10:15\nDescripción : El escáner no digitaliza los expedientes del RNP.\n\n"
                "Categoría : Hardware > Escáner\n"),
        html_qp("<p>URL : <a href=\"https://glpi.osce.test/index.php?redirect=ticket_4521\">ticket 4521</a></p>"
                "<p><strong>Título :</strong> Falla del escáner de mesa de partes</p>"),
    ]),
    "GLPI notification from the agency's own IT helpdesk: Auto-Submitted: auto-generated and Exchange's "
    "suppression header; the office's domain; talks about the RNP.")

add("m32_zendesk_request_received", "machine", "automatic", "auto-submitted", "ticketing-zendesk", "support@courierandino.example",
    header(
        ("Date", "Tue, 01 Dec 2026 15:22:09 +0000"),
        ("From", "Courier Andino <support@courierandino.example>"),
        ("Reply-To", "Courier Andino <support+id77421@courierandino.zendesk.example>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Message-ID", "<8PL3QZ0R4V_6a3c2b1d9e8f7_1f2e3d4c5b6a_sprut@zendesk.example>"),
        ("In-Reply-To", "<DM6PR11MB4107F1E2D3C4B5A69788@DM6PR11MB4107.namprd11.prod.outlook.com>"),
        ("References", "<8PL3QZ0R4V@zendesk.example>\n <DM6PR11MB4107F1E2D3C4B5A69788@DM6PR11MB4107.namprd11.prod.outlook.com>"),
        ("Subject", ew("[Courier Andino] Recibimos tu solicitud (77421)")),
        ("Mime-Version", "1.0"),
        ("Content-Type", "multipart/alternative;\n boundary=\"--==_mimepart_6a3c2b1e0a1b2_7c8d9e0f11223\";\n charset=utf-8"),
        ("Content-Transfer-Encoding", "7bit"),
        ("X-Delivery-Context", "event-id-8812390044521"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "All"),
        ("X-Mailer", "Zendesk Mailer"),
        ("X-Zendesk-From-Account-Id", "9c1d2e3"),
        ("X-Zendesk-Email-Id", "01JF3Q8ZANW2HQSGH9BZZ4ZS8T"),
    )
    + "\r\n" + multipart("--==_mimepart_6a3c2b1e0a1b2_7c8d9e0f11223", [
        part("text/plain; charset=utf-8", qp("##- Por favor, escriba su respuesta encima de esta línea -##\n\n"
                                              "Recibimos tu solicitud (77421) sobre el envío de expedientes. Te "
                                              "responderemos en un plazo de 24 horas.\n\nCourier Andino\n"),
             "quoted-printable"),
        part("text/html; charset=utf-8", qp("<p style=\"color:#b5b5b5\">##- Por favor, escriba su respuesta encima "
                                             "de esta línea -##</p><p>Recibimos tu solicitud (77421).</p>\n"),
             "quoted-printable"),
    ]),
    "Zendesk «request received» to mail the office sent a courier's support: Auto-Submitted: auto-generated, "
    "X-Auto-Response-Suppress: All, X-Mailer: Zendesk Mailer.")


# ----- Lists and bulk mail --------------------------------------------------------------------------------------

add("m33_mailman2_list_post_with_question", "machine", "automatic", "list", "list-mailman2",
    "compras-publicas-bounces@lists.redcompras.example",
    header(
        ("From", "Pedro Aliaga <paliaga@consultoresandinos.example>"),
        ("To", "compras-publicas@lists.redcompras.example"),
        ("Date", "Tue, 01 Dec 2026 08:12:55 -0500"),
        ("Message-ID", "<CAP7v2Lm0qXoF9wS3eDgH4jK5lZ6xC7vB8nM9qW0eR1tY2u3i4o@mail.example>"),
        ("Subject", "[Compras-Publicas] " + ew("¿Plazo para observar las bases con la Ley 32069?")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"UTF-8\""),
        ("Content-Transfer-Encoding", "quoted-printable"),
        ("X-BeenThere", "compras-publicas@lists.redcompras.example"),
        ("X-Mailman-Version", "2.1.39"),
        ("Precedence", "list"),
        ("List-Id", "Red de compras publicas <compras-publicas.lists.redcompras.example>"),
        ("List-Unsubscribe", "<https://lists.redcompras.example/mailman/options/compras-publicas>,\n"
                             " <mailto:compras-publicas-request@lists.redcompras.example?subject=unsubscribe>"),
        ("List-Archive", "<https://lists.redcompras.example/pipermail/compras-publicas/>"),
        ("List-Post", "<mailto:compras-publicas@lists.redcompras.example>"),
        ("List-Help", "<mailto:compras-publicas-request@lists.redcompras.example?subject=help>"),
        ("List-Subscribe", "<https://lists.redcompras.example/mailman/listinfo/compras-publicas>,\n"
                           " <mailto:compras-publicas-request@lists.redcompras.example?subject=subscribe>"),
        ("Errors-To", "compras-publicas-bounces@lists.redcompras.example"),
        ("Sender", "\"Compras-Publicas\" <compras-publicas-bounces@lists.redcompras.example>"),
    )
    + "\r\n" + qp("Colegas, una consulta: con la nueva Ley General de Contrataciones Públicas, ¿cuántos días "
                  "hábiles hay para formular consultas y observaciones a las bases? En el SEACE el cronograma "
                  "me muestra 5 días.\n\nSaludos,\nPedro Aliaga\n\n_______________________________________________\n"
                  "Compras-Publicas mailing list\ncompras-publicas@lists.redcompras.example\n"
                  "https://lists.redcompras.example/mailman/listinfo/compras-publicas\n"),
    "A Mailman 2 post to a list the office is subscribed to: written by a person and shaped like a question "
    "about SEACE, but it reached consultas@ as list mail (List-*, Precedence: list, the list's bounce envelope).")

add("m34_mailman3_list_post", "machine", "automatic", "list", "list-mailman3", "foro-rnp-bounces@listas.gremiomype.example",
    header(
        ("From", "Gremio MYPE <secretaria@gremiomype.example>"),
        ("To", "foro-rnp@listas.gremiomype.example"),
        ("Date", "Tue, 01 Dec 2026 11:30:02 -0500"),
        ("Message-ID", "<173309460212.3310.4471209920153365541@gremiomype.example>"),
        ("Subject", "[foro-rnp] " + ew("Resumen: cambios en la inscripción de ejecutores de obra")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"utf-8\""),
        ("Content-Transfer-Encoding", "8bit"),
        ("Message-ID-Hash", "Q7K2M4XW3D5ZP6YV8N9RBT0LCJ1HGFAE"),
        ("X-Message-ID-Hash", "Q7K2M4XW3D5ZP6YV8N9RBT0LCJ1HGFAE"),
        ("X-MailFrom", "secretaria@gremiomype.example"),
        ("X-Mailman-Rule-Misses", "dmarc-mitigation; no-senders; approved; emergency; loop; banned-address;\n"
                                  " member-moderation; nonmember-moderation; administrivia; implicit-dest;\n"
                                  " max-recipients; max-size; news-moderation; no-subject; digests; suspicious-header"),
        ("X-Mailman-Version", "3.3.9"),
        ("Precedence", "list"),
        ("List-Id", "\"Foro RNP\" <foro-rnp.listas.gremiomype.example>"),
        ("Archived-At", "<https://listas.gremiomype.example/hyperkitty/list/foro-rnp@listas.gremiomype.example/message/"
                        "Q7K2M4XW3D5ZP6YV8N9RBT0LCJ1HGFAE/>"),
        ("List-Archive", "<https://listas.gremiomype.example/hyperkitty/list/foro-rnp@listas.gremiomype.example/>"),
        ("List-Help", "<mailto:foro-rnp-request@listas.gremiomype.example?subject=help>"),
        ("List-Owner", "<mailto:foro-rnp-owner@listas.gremiomype.example>"),
        ("List-Post", "<mailto:foro-rnp@listas.gremiomype.example>"),
        ("List-Subscribe", "<mailto:foro-rnp-join@listas.gremiomype.example>"),
        ("List-Unsubscribe", "<mailto:foro-rnp-leave@listas.gremiomype.example>"),
    )
    + "\r\n" + crlf("Estimados socios:\n\nCompartimos el resumen de la reunión con el RNP sobre la inscripción de "
                    "ejecutores de obra y la capacidad máxima de contratación.\n\nSecretaría del Gremio MYPE\n"
                    "_______________________________________________\nforo-rnp mailing list -- "
                    "foro-rnp@listas.gremiomype.example\nTo unsubscribe send an email to "
                    "foro-rnp-leave@listas.gremiomype.example\n"),
    "Mailman 3 (HyperKitty) list post: List-* set, Archived-At, X-Mailman-Version 3.")

add("m35_google_groups_post", "machine", "automatic", "list", "list-googlegroups",
    "proveedores-lima+bncBDV3Q5X7ZEBBBQ4X7HDQMGQE6ODT3TI@googlegroups.example",
    header(
        ("Date", "Tue, 01 Dec 2026 07:45:12 -0800 (PST)"),
        ("From", "Karina Soto <karina.soto.ventas@gmail.example>"),
        ("To", "proveedores-lima <proveedores-lima@googlegroups.example>"),
        ("Message-Id", "<8c2d4f6a-1b3e-4d5c-9f7a-2e4b6d8f0a1c@googlegroups.example>"),
        ("Subject", ew("Ofrezco servicio de elaboración de expedientes para el RNP")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"----=_Part_88712_1293847566.1796053512003\""),
        ("X-Original-Sender", "karina.soto.ventas@gmail.example"),
        ("X-Original-Authentication-Results", "gmr-mx.google.com;       dkim=pass header.i=@gmail.example"),
        ("Reply-To", "proveedores-lima@googlegroups.example"),
        ("Precedence", "list"),
        ("Mailing-list", "list proveedores-lima@googlegroups.example; contact proveedores-lima+owners@googlegroups.example"),
        ("List-ID", "<proveedores-lima.googlegroups.example>"),
        ("X-Spam-Checked-In-Group", "proveedores-lima@googlegroups.example"),
        ("X-Google-Group-Id", "811347205566"),
        ("List-Post", "<https://groups.google.example/group/proveedores-lima/post>, <mailto:proveedores-lima@googlegroups.example>"),
        ("List-Help", "<https://groups.google.example/support/>, <mailto:proveedores-lima+help@googlegroups.example>"),
        ("List-Archive", "<https://groups.google.example/group/proveedores-lima/>"),
        ("List-Unsubscribe", "<mailto:googlegroups-manage+811347205566+unsubscribe@googlegroups.example>,\n"
                             " <https://groups.google.example/group/proveedores-lima/subscribe>"),
    )
    + "\r\n" + multipart("----=_Part_88712_1293847566.1796053512003", [
        text_qp("Buenos días grupo, ofrezco el servicio de elaboración de expedientes para inscripción y renovación "
                "en el RNP. Escríbanme por interno.\n\nKarina\n\n-- \nHas recibido este mensaje porque estás suscrito "
                "al grupo \"proveedores-lima\" de Grupos de Google.\nPara cancelar la suscripción a este grupo y dejar "
                "de recibir sus mensajes, envía un correo electrónico a proveedores-lima+unsubscribe@googlegroups.example.\n"),
        html_qp("<div>Buenos días grupo, ofrezco el servicio de elaboración de expedientes para inscripción y "
                "renovación en el RNP.</div>"),
    ]),
    "Google Groups post (Mailing-list, List-ID, X-Google-Group-Id, Precedence: list) about the RNP.")

add("m36_sympa_list_post_xloop_other", "machine", "automatic", "list", "list-sympa", "abastecimiento-owner@listas.unmsm.example",
    header(
        ("From", "Coordinación de Abastecimiento <coord.abastecimiento@unmsm.example>"),
        ("To", "abastecimiento@listas.unmsm.example"),
        ("Date", "Tue, 01 Dec 2026 12:05:40 -0500"),
        ("Message-ID", "<5e1d2c3b-4a59-4687-b7c8-d9e0f1a2b3c4@unmsm.example>"),
        ("Subject", "[abastecimiento] " + ew("Cronograma de cierre del ejercicio 2026")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Loop", "abastecimiento@listas.unmsm.example"),
        ("X-Sequence", "1187"),
        ("Errors-To", "abastecimiento-owner@listas.unmsm.example"),
        ("Precedence", "list"),
        ("Precedence", "bulk"),
        ("Sender", "abastecimiento-request@listas.unmsm.example"),
        ("X-no-archive", "yes"),
        ("List-Id", "<abastecimiento.listas.unmsm.example>"),
        ("List-Help", "<mailto:sympa@listas.unmsm.example?subject=help>"),
        ("List-Subscribe", "<mailto:sympa@listas.unmsm.example?subject=subscribe%20abastecimiento>"),
        ("List-Unsubscribe", "<mailto:sympa@listas.unmsm.example?subject=unsubscribe%20abastecimiento>"),
        ("List-Post", "<mailto:abastecimiento@listas.unmsm.example>"),
        ("List-Owner", "<mailto:abastecimiento-request@listas.unmsm.example>"),
    )
    + "\r\n" + crlf("Se comunica el cronograma de cierre: los requerimientos de bienes y servicios se reciben hasta "
                    "el 11 de diciembre; las órdenes de compra en el SEACE hasta el 18.\n\nCoordinación de "
                    "Abastecimiento\n"),
    "Sympa list post: its own X-Loop (the list's address, not ours), two Precedence fields, List-*.")


def newsletter_html(title: str, lines: list[str], footer: str) -> str:
    rows = "".join(f"<tr><td style=\"padding:8px 24px;font-family:Arial;font-size:15px\">{line}</td></tr>"
                   for line in lines)
    return ("<!doctype html><html><head><meta charset=\"UTF-8\"><title>" + title + "</title></head>"
            "<body style=\"margin:0;background:#f4f4f4\"><center><table width=\"600\" cellpadding=\"0\" "
            "cellspacing=\"0\" style=\"background:#ffffff\"><tr><td style=\"padding:24px;font-family:Arial;"
            "font-size:22px;font-weight:bold\">" + title + "</td></tr>" + rows +
            "<tr><td style=\"padding:24px;font-family:Arial;font-size:11px;color:#777\">" + footer +
            "</td></tr></table><img src=\"https://track.example/open.gif?u=4b1f\" width=\"1\" height=\"1\">"
            "</center></body></html>")


add("m37_mailchimp_newsletter", "machine", "automatic", "list", "bulk-mailchimp",
    "bounce-mc.us21_118473920.8812345-consultas=osce.test@mail217.atl81.mcsv.example",
    header(
        ("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=mcsv.example; s=k3;\n t=1796053800; "
                           "bh=4v7Zk0fXl5S0c8yX2Y6p1q9w3E8rT5u2I7o0P4a6S1d=;\n h=From:Subject:To:List-Unsubscribe;"
                           " b=Xk9Lw0Qm3Ns5Pb7Rt2Yv4Za6Cd8Ef0Gh1Ij3Kl5Mn7Op9Qr="),
        ("From", "Capacita Compras Públicas <cursos@capacitacompras.example>"),
        ("Subject", ew("🎓 Último día: diplomado en la nueva Ley de Contrataciones (40% dcto.)")),
        ("To", f"<{OFFICE}>"),
        ("Date", "Tue, 01 Dec 2026 13:30:00 +0000"),
        ("Message-ID", "<a8f3c2e19d7b4a5c6e0f1d2b3a4c5d6e.20261201133000.1@mail217.atl81.mcsv.example>"),
        ("X-Mailer", "Mailchimp Mailer - **CID8d2f4a6b1c3e5d7f9a0b**"),
        ("X-Campaign", "mailchimp3b9e1f7a2c4d6e8f0a1b2c3d4.8d2f4a6b1c"),
        ("X-campaignid", "mailchimp3b9e1f7a2c4d6e8f0a1b2c3d4.8d2f4a6b1c"),
        ("X-Report-Abuse", "Please report abuse for this campaign here:\n https://mailchimp.example/contact/abuse/"
                           "?u=3b9e1f7a2c4d6e8f0a1b2c3d4&id=8d2f4a6b1c&e=5f7a9b1c3d"),
        ("X-MC-User", "3b9e1f7a2c4d6e8f0a1b2c3d4"),
        ("Feedback-ID", "118473920:118473920.8812345:us21:mc"),
        ("List-ID", "3b9e1f7a2c4d6e8f0a1b2c3d4mc list <3b9e1f7a2c4d6e8f0a1b2c3d4.118473920.list-id.mcsv.example>"),
        ("X-Accounttype", "pd"),
        ("List-Unsubscribe", "<https://capacitacompras.us21.list-manage.example/unsubscribe?u=3b9e1f7a2c&id=9a1b3c5d7e"
                             "&e=5f7a9b1c3d&c=8d2f4a6b1c>,\n <mailto:unsubscribe-mc.us21_118473920.8812345-5f7a9b1c3d@"
                             "unsubscribe.mailchimpapp.example?subject=unsubscribe>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Content-Type", "multipart/alternative; boundary=\"_----------=_MCPart_1796053800\""),
        ("MIME-Version", "1.0"),
    )
    + "\r\n" + multipart("_----------=_MCPart_1796053800", [
        text_qp("Último día para inscribirte en el Diplomado en Contrataciones con el Estado: nueva Ley 32069, "
                "SEACE, RNP y arbitraje. 40% de descuento.\n\nInscríbete: https://capacitacompras.example/diplomado\n\n"
                "¿Ya no deseas recibir estos correos? Puedes darte de baja aquí: https://capacitacompras.us21.list-"
                "manage.example/unsubscribe\n"),
        html_qp(newsletter_html("Diplomado en Contrataciones con el Estado",
                                ["Nueva Ley 32069, SEACE, RNP y arbitraje.", "<b>40% de descuento</b> hasta hoy."],
                                "Recibes este correo porque te suscribiste en capacitacompras.example. "
                                "<a href=\"https://capacitacompras.us21.list-manage.example/unsubscribe\">Darte de baja</a>")),
    ]),
    "Mailchimp newsletter (List-ID, List-Unsubscribe one-click, X-Mailer, Feedback-ID), SEACE/RNP words in it.")

add("m38_sendgrid_webinar_invite", "machine", "automatic", "list", "bulk-sendgrid",
    "bounces+28372913-8a1b-consultas=osce.test@em4521.estudiopacifico.example",
    header(
        ("From", "Estudio Pacífico Abogados <eventos@estudiopacifico.example>"),
        ("To", OFFICE),
        ("Subject", ew("Webinar gratuito: arbitraje en contrataciones del Estado")),
        ("Date", "Tue, 01 Dec 2026 16:00:03 +0000 (UTC)"),
        ("Message-ID", "<Xb3kT9qLR0a8w2ZpYv5c1A@geopod-ismtpd-12>"),
        ("Mime-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"7c0d4e3f2a1b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f\""),
        ("X-SG-EID", "u001.Z0ZpbC8xWmFxRlRnQ3hHS0Z3b2pLQmx2ZlFXVnFJc3ZsTHZkc1E9PQ"),
        ("X-SG-ID", "u001.SdBcvi+Evd/bQef8eZF3BgiH9p8+SfkLTNNydZc3d5nRWQ=="),
        ("X-Entity-ID", "u001.RWJ0m8n3Hh0aK5z7xJwq2g=="),
        ("List-Unsubscribe", "<mailto:unsubscribe@em4521.estudiopacifico.example?subject=unsubscribe:28372913>,\n"
                             " <https://u28372913.ct.sendgrid.example/asm/unsubscribe/?user_id=28372913&data=aF3kQ>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )
    + "\r\n" + multipart("7c0d4e3f2a1b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f", [
        text_qp("Le invitamos al webinar gratuito «Arbitraje y controversias en contrataciones del Estado», el 9 de "
                "diciembre a las 18:00.\n\nRegistro: https://estudiopacifico.example/webinar\n\nDarse de baja: "
                "https://u28372913.ct.sendgrid.example/asm/unsubscribe/\n"),
        html_qp(newsletter_html("Webinar gratuito", ["Arbitraje y controversias en contrataciones del Estado.",
                                                    "9 de diciembre, 18:00 horas."],
                                "<a href=\"https://u28372913.ct.sendgrid.example/asm/unsubscribe/\">Darse de baja</a>")),
    ]),
    "SendGrid marketing (X-SG-EID, List-Unsubscribe, bounce envelope); a law firm's webinar about arbitration "
    "(Legal words).")

add("m39_ses_newsletter", "machine", "automatic", "list", "bulk-ses",
    "0100018c2f4a1b3e-5d7c9e1f-2a4b-4c6d-8e0f-1a3b5c7d9e2f-000000@amazonses.example",
    header(
        ("From", "Boletín Contratación Pública <boletin@observatoriocompras.example>"),
        ("To", OFFICE),
        ("Subject", ew("Boletín semanal N° 48: adjudicaciones y sanciones del Tribunal")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative;\n boundary=\"----=_Part_1182736_1029384756.1796058000112\""),
        ("Message-ID", "<0100018c2f4a1b3e-5d7c9e1f-2a4b-4c6d-8e0f-1a3b5c7d9e2f-000000@email.amazonses.example>"),
        ("Date", "Tue, 01 Dec 2026 17:00:00 +0000"),
        ("List-Unsubscribe", "<https://observatoriocompras.example/baja?t=eyJ1IjoiY29uc3VsdGFzIn0>"),
        ("Feedback-ID", "1.us-east-1.Zt8QfY3x9s0dPq2r5V7w1A4bC6eG8iK0mO2qS4uW6yA=:AmazonSES"),
        ("X-SES-Outgoing", "2026.12.01-54.240.8.77"),
    )
    + "\r\n" + multipart("----=_Part_1182736_1029384756.1796058000112", [
        text_qp("Boletín semanal N° 48\n\n- 312 procedimientos adjudicados en el SEACE.\n- El Tribunal de "
                "Contrataciones Públicas sancionó a 27 proveedores.\n\nPara dejar de recibir este boletín: "
                "https://observatoriocompras.example/baja\n"),
        html_qp(newsletter_html("Boletín semanal N° 48", ["312 procedimientos adjudicados en el SEACE.",
                                                          "27 proveedores sancionados por el Tribunal."],
                                "<a href=\"https://observatoriocompras.example/baja\">Dejar de recibir</a>")),
    ]),
    "Amazon SES newsletter (Feedback-ID …:AmazonSES, List-Unsubscribe only, no List-Id).")

add("m40_hubspot_chamber_bulletin", "machine", "automatic", "list", "bulk-hubspot", "1axbtkjfv8xyz@bf03x.hubspotemail.example",
    header(
        ("From", "Cámara de Comercio del Sur <comunicaciones@camarasur.example>"),
        ("Reply-To", "comunicaciones@camarasur.example"),
        ("To", OFFICE),
        ("Subject", ew("Diciembre: agenda de capacitaciones para MYPES proveedoras del Estado")),
        ("Date", "Tue, 01 Dec 2026 14:10:55 +0000"),
        ("Message-ID", "<1796054455.a7c3e1f9@hubspotemail.example>"),
        ("X-HS-Cid", "a7c3e1f9b2d4"),
        ("X-Report-Abuse-To", "abuse@hubspot.example"),
        ("List-Unsubscribe", "<https://camarasur.example/hs/manage-preferences/unsubscribe?d=Vn9Q3k&v=3>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"----=_Part_2893_1182931.1796054455002\""),
    )
    + "\r\n" + multipart("----=_Part_2893_1182931.1796054455002", [
        text_qp("Agenda de diciembre: cómo inscribirse en el RNP, cómo participar en el SEACE y cómo presentar "
                "ofertas.\n\nAdministrar preferencias: https://camarasur.example/hs/manage-preferences\n"),
        html_qp(newsletter_html("Agenda de capacitaciones", ["Inscripción en el RNP", "Participar en el SEACE"],
                                "<a href=\"https://camarasur.example/hs/manage-preferences\">Preferencias</a>")),
    ]),
    "HubSpot bulletin: List-Unsubscribe and X-HS-Cid, a business sender, RNP/SEACE words.")

add("m41_precedence_bulk_php_bulletin", "machine", "automatic", "precedence", "bulk-php", "boletin@muniyanahuara.example",
    header(
        ("Date", "Tue, 01 Dec 2026 09:00:01 -0500"),
        ("To", OFFICE),
        ("From", "Municipalidad de Yanahuara <boletin@muniyanahuara.example>"),
        ("Subject", ew("Boletín informativo municipal - diciembre")),
        ("Message-ID", "<k3P9sL2qX8vT1mN4bZ7cR0wY5uE6aD@muniyanahuara.example>"),
        ("X-Mailer", "PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)"),
        ("Precedence", "bulk"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/html; charset=iso-8859-1"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + qp("<html><body><h2>Boletín informativo</h2><p>Convocatoria a proveedores locales: la "
                  "municipalidad requiere servicios de mantenimiento; los interesados deben estar inscritos en el "
                  "RNP.</p></body></html>\n", "iso-8859-1"),
    "A municipal bulletin sent by PHPMailer with only Precedence: bulk (no List-*), HTML only, Latin-1.")

add("m42_precedence_junk_tender_alerts", "machine", "automatic", "precedence", "bulk-alerts", "alertas@licitacionesya.example",
    header(
        ("From", "LicitacionesYa <alertas@licitacionesya.example>"),
        ("To", OFFICE),
        ("Subject", "Nuevas convocatorias publicadas hoy (14)"),
        ("Date", "Tue, 01 Dec 2026 06:00:02 -0500"),
        ("Message-ID", "<alerta.20261201.0600.88231@licitacionesya.example>"),
        ("Precedence", "junk"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Convocatorias publicadas en el SEACE que coinciden con su perfil:\n\n"
                    "1. AS-SM-45-2026-MPL - Adquisición de útiles de oficina\n2. LP-SM-3-2026-GRP - Ejecución de obra "
                    "vial\n...\n\nPara modificar su perfil ingrese a licitacionesya.example\n"),
    "A tender-alert service with Precedence: junk only, a plain list of SEACE tenders.")


# ----- Notifications --------------------------------------------------------------------------------------------

add("m43_sunat_buzon_sol_notice", "machine", "automatic", "none", "notice-government", "notificaciones.sol@sunat.example",
    header(
        ("From", "SUNAT - Buzón Electrónico <notificaciones.sol@sunat.example>"),
        ("To", OFFICE),
        ("Subject", ew("Aviso de notificación: tiene un nuevo documento en su Buzón SOL")),
        ("Date", "Tue, 01 Dec 2026 08:31:17 -0500"),
        ("Message-ID", "<1796045477118.20131370645.buzon@sunat.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/html; charset=UTF-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + qp("<html><body><p>Estimado contribuyente RUC 20131370645:</p><p>Se le comunica que se ha depositado "
                  "en su Buzón Electrónico SOL la Resolución de Intendencia N° 0230240067891. Ingrese a SUNAT "
                  "Operaciones en Línea para revisarla.</p><p>Este correo es generado automáticamente, por favor no "
                  "lo responda.</p></body></html>\n"),
    "A tax authority's notice that a document awaits in its electronic mailbox: no automatic header, no noreply "
    "sender; only its words («generado automáticamente, por favor no lo responda») say it. Hard case.")

add("m44_reniec_no_responder", "machine", "automatic", "noreply", "notice-government", "no-responder@reniec.example",
    header(
        ("From", "RENIEC <no-responder@reniec.example>"),
        ("To", OFFICE),
        ("Subject", ew("Constancia de trámite en línea N° 2026-884120")),
        ("Date", "Tue, 01 Dec 2026 10:44:50 -0500"),
        ("Message-ID", "<tramite.2026-884120.1796052290@reniec.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Su solicitud de certificado de inscripción fue registrada con el N° 2026-884120. Podrá descargar "
                    "el documento en 48 horas.\n\nNo responda a este mensaje.\n"),
    "A government service's receipt from «no-responder@» (the Spanish noreply).")

add("m45_bank_transfer_notice", "machine", "automatic", "noreply", "notice-bank", "noreply@notificaciones.bancoandino.example",
    header(
        ("From", "Banco Andino <noreply@notificaciones.bancoandino.example>"),
        ("To", OFFICE),
        ("Subject", ew("Constancia de transferencia recibida - S/ 125.00")),
        ("Date", "Tue, 01 Dec 2026 11:02:33 -0500"),
        ("Message-ID", "<20261201160233.88123.a1b2c3@mta2.notificaciones.bancoandino.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"b1_7e3f0a9c8d2b1e4f\""),
    )
    + "\r\n" + multipart("b1_7e3f0a9c8d2b1e4f", [
        text_qp("Recibiste una transferencia de S/ 125.00 por el concepto «Derecho de trámite RNP». "
                "Operación N° 00441287.\n"),
        html_qp("<p>Recibiste una transferencia de <b>S/ 125.00</b> por el concepto «Derecho de trámite RNP».</p>"),
    ]),
    "A bank's notification from noreply@ (names the RNP in the concept of the payment).")

add("m46_seace_platform_notification", "machine", "automatic", "auto-submitted", "notice-seace", "notificaciones@seace.example",
    header(
        ("From", "SEACE - Notificaciones <notificaciones@seace.example>"),
        ("To", OFFICE),
        ("Subject", ew("SEACE: se registró una consulta u observación al procedimiento AS-SM-12-2026-OSCE-1")),
        ("Date", "Tue, 01 Dec 2026 12:18:09 -0500"),
        ("Message-ID", "<notif.88120391.1796053089@seace.example>"),
        ("Auto-Submitted", "auto-generated"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + qp("Se registró una consulta u observación al procedimiento de selección AS-SM-12-2026-OSCE-1 "
                  "en el SEACE. Plazo para la absolución: 3 días hábiles.\n\nEste es un mensaje automático del SEACE.\n"),
    "The procurement platform's own notification (Auto-Submitted: auto-generated): every rule word for SEACE is "
    "in it, and it is not a consultation.")

add("m47_teams_missed_activity", "machine", "automatic", "noreply", "notice-microsoft", "noreply@email.teams.microsoft.example",
    header(
        ("From", "Microsoft Teams <noreply@email.teams.microsoft.example>"),
        ("To", "Consultas OSCE <consultas@osce.test>"),
        ("Subject", ew("Tienes mensajes sin leer en Teams")),
        ("Date", "Tue, 01 Dec 2026 20:05:31 +0000"),
        ("Message-ID", "<c8e1f7a2-3b4d-4e5f-9a0b-1c2d3e4f5a6b@az.westus.production.microsoft.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Transfer-Encoding", "base64"),
    )
    + "\r\n" + b64("<html><body><p>Rosa Huamán te envió un mensaje en el chat «Equipo RNP»: «¿Revisaste las "
                   "consultas pendientes?»</p><p><a href=\"https://teams.microsoft.example\">Responder en Teams</a>"
                   "</p></body></html>".encode()),
    "Teams activity digest from noreply@ (base64 HTML only).")

add("m48_google_forms_receipt", "machine", "automatic", "noreply", "notice-google", "forms-receipts-noreply@google.example",
    header(
        ("MIME-Version", "1.0"),
        ("Date", "Tue, 01 Dec 2026 08:02:11 -0800"),
        ("Message-ID", "<CAM+GxF0r2Zq8Wv5YpN3s1LkB7hTcD9eJ4uA6iM0oQ2xS@forms.google.example>"),
        ("Subject", ew("Gracias por completar «Encuesta de satisfacción - Capacitaciones 2026»")),
        ("From", "Formularios de Google <forms-receipts-noreply@google.example>"),
        ("To", OFFICE),
        ("Content-Type", "multipart/alternative; boundary=\"000000000000d1e2f305f5a7b8c9\""),
    )
    + "\r\n" + multipart("000000000000d1e2f305f5a7b8c9", [
        text_qp("Gracias por completar el formulario. Se registró tu respuesta.\n"),
        html_qp("<p>Gracias por completar el formulario. Se registró tu respuesta.</p>"),
    ]),
    "Google Forms receipt from forms-receipts-noreply@.")


def dmarc_zip() -> bytes:
    xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n  <report_metadata>\n    <org_name>"
           "google.example</org_name>\n    <email>noreply-dmarc-support@google.example</email>\n    <report_id>"
           "8812039475521033847</report_id>\n    <date_range><begin>1796083200</begin><end>1796169599</end>"
           "</date_range>\n  </report_metadata>\n  <policy_published><domain>osce.test</domain><p>none</p>"
           "</policy_published>\n  <record><row><source_ip>200.48.225.130</source_ip><count>41</count>"
           "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>"
           "</row><identifiers><header_from>osce.test</header_from></identifiers></record>\n</feedback>\n")
    buf = io.BytesIO()
    # Stored, not deflated: the same bytes whatever zlib this machine has.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        info = zipfile.ZipInfo("google.example!osce.test!1796083200!1796169599.xml", (2026, 12, 2, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 0
        z.writestr(info, xml)
    return buf.getvalue()


add("m49_dmarc_aggregate_report", "machine", "automatic", "noreply", "notice-dmarc", "noreply-dmarc-support@google.example",
    header(
        ("Date", "Wed, 02 Dec 2026 15:59:59 -0800"),
        ("Message-ID", "<8812039475521033847@google.example>"),
        ("Subject", "Report domain: osce.test Submitter: google.example Report-ID: 8812039475521033847"),
        ("From", "noreply-dmarc-support@google.example"),
        ("To", OFFICE),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/mixed; boundary=\"000000000000e2f3a405f5b8c9d0\""),
    )
    + "\r\n" + multipart("000000000000e2f3a405f5b8c9d0", [
        part("text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes", "\r\n", "base64"),
        part("application/zip; \n\tname=\"google.example!osce.test!1796083200!1796169599.zip\"", b64(dmarc_zip()),
             "base64", ("Content-Disposition", "attachment; \n\tfilename=\"google.example!osce.test!1796083200!1796169599.zip\"")),
    ]),
    "A DMARC aggregate report (the domain's rua points at this mailbox): a zip, an empty text part, a noreply "
    "sender.")

add("m50_cron_output", "machine", "automatic", "cron", "notice-cron", "root@srv-backup.osce.test",
    header(
        ("From", "root@srv-backup.osce.test (Cron Daemon)"),
        ("To", OFFICE),
        ("Subject", "Cron <root@srv-backup> /usr/local/sbin/respaldo-buzones.sh"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Cron-Env", "<SHELL=/bin/sh>"),
        ("X-Cron-Env", "<HOME=/root>"),
        ("X-Cron-Env", "<PATH=/usr/bin:/bin>"),
        ("X-Cron-Env", "<LOGNAME=root>"),
        ("Message-Id", "<20261202070001.7A31C2E0F1@srv-backup.osce.test>"),
        ("Date", "Wed,  2 Dec 2026 02:00:01 -0500 (-05)"),
    )
    + "\r\n" + crlf("rsync: [sender] link_stat \"/srv/vmail/osce.test/consultas/sdbox\" failed: No such file or "
                    "directory (2)\nrsync error: some files/attrs were not transferred (code 23)\n"),
    "Cron's output of a backup job mailed to the mailbox (X-Cron-Env, «Cron Daemon»).")

add("m51_mesa_partes_no_responder_underscore", "machine", "automatic", "noreply", "notice-government",
    "no_responder@mpv.produce.example",
    header(
        ("From", "Mesa de Partes Virtual PRODUCE <no_responder@mpv.produce.example>"),
        ("To", OFFICE),
        ("Subject", ew("Registro de documento - Expediente N° 00098812-2026")),
        ("Date", "Wed, 02 Dec 2026 09:14:27 -0500"),
        ("Message-ID", "<mpv.00098812-2026.1796220867@mpv.produce.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=ISO-8859-1"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + qp("Su documento OFICIO N° 1240-2026-OSCE/DRNP fue registrado con el expediente N° 00098812-2026 "
                  "el 02/12/2026 a las 09:14.\n\nEste buzón no recibe respuestas.\n", "iso-8859-1"),
    "Another agency's virtual front desk acknowledging an official letter the RNP sent: «no_responder@» with an "
    "underscore.")

add("m52_municipal_acuse_no_headers", "machine", "automatic", "none", "notice-government", "tramite@munichiclayo.example",
    header(
        ("From", f"{ew('Trámite Documentario', 'iso-8859-1')} <tramite@munichiclayo.example>"),
        ("To", OFFICE),
        ("Subject", ew("Acuse de recibo automático - Expediente 2026-031877")),
        ("Date", "Wed, 02 Dec 2026 10:20:02 -0500"),
        ("Message-ID", "<acuse.2026-031877@munichiclayo.example>"),
        ("X-Mailer", "PHPMailer 5.2.27 (https://github.com/PHPMailer/PHPMailer)"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=iso-8859-1"),
        ("Content-Transfer-Encoding", "8bit"),
    ).encode("ascii")
    + b"\r\n" + crlf("Se registr\u00f3 su documento con el expediente 2026-031877. Puede hacer seguimiento en el "
                     "portal de tr\u00e1mite documentario.\n").encode("iso-8859-1"),
    "A municipal document system's automatic receipt: no header, no noreply sender; the subject says «Acuse de "
    "recibo automático». Hard case.")


# ----- Mail loops -----------------------------------------------------------------------------------------------

add("m53_loop_exchange_rule_own_mailbox", "machine", "automatic", "loop", "loop-exchange", OFFICE,
    header(
        ("From", f"Consultas OSCE <{OFFICE}>"),
        ("To", "Capacitación RNP <capacitacion.rnp@osce.test>"),
        ("Subject", "RV: " + ew(CIRCULAR_SUBJECT)),
        ("Thread-Topic", ew(CIRCULAR_SUBJECT)),
        ("Thread-Index", "AdtDJ5mVZq1cQ0tRSi2lxkQf4pJ9BwACcDef"),
        ("Date", "Mon, 30 Nov 2026 15:02:13 +0000"),
        ("Message-ID", "<DM6PR11MB4107D1C2B3A4F5E6D7C8@DM6PR11MB4107.namprd11.prod.outlook.com>"),
        ("X-MS-Exchange-Inbox-Rules-Loop", OFFICE),
        ("X-MS-Exchange-Inbox-Rules-Loop", "capacitacion.rnp@osce.test"),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        ("Content-Type", "text/plain; charset=\"iso-8859-1\""),
        ("Content-Transfer-Encoding", "quoted-printable"),
        ("MIME-Version", "1.0"),
    )
    + "\r\n" + qp("\n\n-----Mensaje original-----\nDe: Consultas OSCE\nEnviado el: lunes, 30 de noviembre de 2026 "
                  f"10:02\nAsunto: {CIRCULAR_SUBJECT}\n\n{CIRCULAR_TEXT}\n", "iso-8859-1"),
    "Two inbox rules forwarding to each other (consultas@ → capacitacion.rnp@ → back): "
    "X-MS-Exchange-Inbox-Rules-Loop names our own mailbox.")

add("m54_loop_delivered_to_own_mailbox", "machine", "automatic", "loop", "loop-alias", "webmaster@osce.test",
    header(
        ("Delivered-To", OFFICE),
        ("Received", "from mail.osce.test (mail.osce.test [200.48.225.130])\n\tby reenvios.osce.test (Postfix) with "
                     "ESMTP id 4RnA1b2C3dz9Qw\n\tfor <contacto.web@osce.test>; Wed,  2 Dec 2026 08:00:03 -0500 (-05)"),
        ("Delivered-To", "contacto.web@osce.test"),
        ("Received", "from reenvios.osce.test (reenvios.osce.test [10.0.0.25])\n\tby mail.osce.test (Postfix) with "
                     "ESMTP id 4RnA1Z8xYtz7Lk\n\tfor <consultas@osce.test>; Wed,  2 Dec 2026 08:00:02 -0500 (-05)"),
        ("From", "Portal institucional <webmaster@osce.test>"),
        ("To", "contacto.web@osce.test"),
        ("Subject", ew("Formulario web: actualización de datos del portal")),
        ("Date", "Wed, 02 Dec 2026 08:00:01 -0500"),
        ("Message-ID", "<portal.20261202080001.55321@www.osce.test>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Se actualizó la sección «Preguntas frecuentes del RNP» del portal.\n"),
    "An alias loop: the message already carries «Delivered-To: consultas@osce.test» from an earlier pass through "
    "this mailbox (contacto.web@ forwards to consultas@, which forwarded to contacto.web@).")


# ----- Machine mail about the office's own mail: templates, filled in by the test --------------------------------

def ph(key: str, name: str) -> str:
    assert name in PLACEHOLDERS, name
    return f"%%{key}:{name}%%"


def beside(name: str, anchor: str, about: str, signal: str, family: str, mail_from: str, raw: str, note: str,
           **kw) -> None:
    add(name, "machine", "beside", signal, family, mail_from, raw, note, anchor=anchor, about=about, **kw)


beside("z01_postfix_dsn_of_reply", "A", "reply", "dsn", "bounce-postfix", "",
       postfix_dsn(
           "smtp.osce.test", "4RnC8d1FGhz2Wx", "1796225511", "Wed,  2 Dec 2026 11:51:51 -0500 (-05)",
           "Undelivered Mail Returned to Sender",
           POSTFIX_FAILED_EN.format(host="smtp.osce.test", reason=(
               f"<{ph('A', 'CITIZEN')}>: host mx.example.test[203.0.113.25] said: 550-5.1.1\n"
               "    The email account that you tried to reach does not exist. Please try\n"
               "    double-checking the recipient's email address for typos or unnecessary\n"
               "    spaces. (in reply to RCPT TO command)")),
           ph("A", "CITIZEN"), "failed", "5.1.1", "mx.example.test",
           "550-5.1.1 The email account that you tried to reach does not exist.",
           ph("A", "REPLY_HEADERS"),
       ),
       "Our own Postfix returns triaje's reply (the citizen's provider says the account does not exist): the "
       "returned headers carry the reply's Message-ID. The citizen did not get the answer.",
       undelivered=True)

beside("z02_exchange_ndr_es_of_reply", "B", "reply", "dsn", "bounce-exchange", "",
       exchange_ndr_es(
           "EXMBX02.example.test", "example.test", "Wed, 02 Dec 2026 12:03:17 -0500", ph("B", "CITIZEN"),
           EXCHANGE_ES_QUOTA,
           "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded",
           "5.2.2", ph("B", "REPLY_SUBJECT"), ph("B", "REPLY_ID"), "", ph("B", "REPLY_RAW"),
           "0e9d8c7b6a594837a6b5c4d3e2f1a0b9@EXMBX02.example.test",
       ),
       "The citizen's company Exchange accepts the reply and then returns it in Spanish (mailbox full): the whole "
       "reply in message/rfc822, In-Reply-To the reply.",
       undelivered=True)

beside("z03_exim_quota_of_reply", "C", "reply", "mailer-daemon", "bounce-exim", "",
       exim_bounce("server12.hostingperu.example", "1kRb2c-0002Zz-7M", "Wed, 02 Dec 2026 12:10:44 -0500",
                   ph("C", "CITIZEN"),
                   "mailbox is full: retry timeout exceeded",
                   ph("C", "REPLY_RAW"), "E1kRb2c-0002Zz-7M@server12.hostingperu.example"),
       "A hosting company's Exim returns the reply (quota), plain text with the whole reply after the marker.",
       undelivered=True)

beside("z04_qmail_of_reply", "A", "reply", "mailer-daemon", "bounce-qmail", "",
       header(
           ("Received", "(qmail 11207 invoked for bounce); 2 Dec 2026 17:20:03 -0000"),
           ("Date", "2 Dec 2026 17:20:03 -0000"),
           ("From", "MAILER-DAEMON@correo.isp-andino.example"),
           ("To", OFFICE),
           ("Subject", "failure notice"),
       )
       + "\r\n" + crlf(
           "Hi. This is the qmail-send program at correo.isp-andino.example.\n"
           "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
           "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
           f"<{ph('A', 'CITIZEN')}>:\n"
           "Sorry, no mailbox here by that name. vpopmail (#5.1.1)\n"
           "qmail-bounce-ref 11207-ISP-z04\n\n"
           "--- Below this line is a copy of the message.\n\n")
       + ph("A", "REPLY_RAW"),
       "qmail returns the reply with no MIME at all: only the copied header lines name the reply's Message-ID.",
       token="qmail-bounce-ref 11207-ISP-z04",
       undelivered=True)

beside("z05_postfix_delayed_of_reply", "B", "reply", "dsn", "bounce-postfix", "",
       postfix_dsn(
           "smtp.osce.test", "4RnD3e2GHjz5Yv", "1796240400", "Wed,  2 Dec 2026 16:00:00 -0500 (-05)",
           "Delayed Mail (still being retried)",
           POSTFIX_DELAYED_EN.format(host="smtp.osce.test", reason=(
               f"<{ph('B', 'CITIZEN')}>: host mx.example.test[203.0.113.25] said: 451 4.7.1\n"
               "    Greylisted, please try again later (in reply to RCPT TO command)")),
           ph("B", "CITIZEN"), "delayed", "4.7.1", "mx.example.test",
           "451 4.7.1 Greylisted, please try again later",
           ph("B", "REPLY_HEADERS"), extra_status="Will-Retry-Until: Mon, 7 Dec 2026 11:40:19 -0500 (-05)\n",
       ),
       "A delay warning about the reply (not a failure yet): still about that consultation.")

beside("z06_office365_ndr_of_reply", "C", "reply", "dsn", "bounce-office365", "",
       o365_ndr(ANCHORS[2].citizen, "examplecorp.onmicrosoft.com", "BN8PR12MB3395.namprd12.prod.outlook.com",
                "Wed, 02 Dec 2026 17:31:09 +0000", "12/2/2026 5:31:02 PM", ph("C", "REPLY_SUBJECT"),
                ph("C", "REPLY_SUBJECT"), ph("C", "REPLY_ID"), ph("C", "REPLY_HEADERS"),
                "f0e1d2c3-b4a5-4697-8877-66554433aa21@BN8PR12MB3395.namprd12.prod.outlook.com"),
       "Office 365 returns the reply (recipient not found at the citizen's tenant): report with the reply's headers.",
       undelivered=True)

beside("z07_exchange_ooo_to_reply", "A", "reply", "ms-auto-reply", "ooo-exchange", "",
       exchange_ooo("Rosa Huamán", ph("A", "CITIZEN"), "Respuesta automática", "es-PE",
                    "Wed, 02 Dec 2026 16:41:02 +0000",
                    "SJ0PR14MB52889A8B7C6D5E4F3A2B1C0D9E8F7A6B@SJ0PR14MB5288.namprd14.prod.outlook.com",
                    "Hola, estoy fuera de la oficina hasta el lunes. Para temas urgentes escriba a "
                    "logistica@example.test.\n\nRosa",
                    original_subject=ph("A", "REPLY_SUBJECT"), original_id=ph("A", "REPLY_ID")),
       "The citizen's Exchange out-of-office answers triaje's reply: «Respuesta automática: RE: …», threaded "
       "under the reply.")

beside("z08_gmail_vacation_to_reply", "B", "reply", "auto-submitted", "ooo-gmail", "ciudadano2@example.test",
       header(
           ("MIME-Version", "1.0"),
           ("From", f"Jorge Salas <{ph('B', 'CITIZEN')}>"),
           ("Date", "Wed, 02 Dec 2026 08:41:20 -0800"),
           ("Auto-Submitted", "auto-replied"),
           ("Message-ID", "<CAJx8s2QvWm0bR9tE4yU7iO1pA3sD5fG6hJ8kL0zX2cV4bN@mail.gmail.example>"),
           ("Subject", "Fuera de la ciudad"),
           ("To", f"Consultas OSCE <{OFFICE}>"),
           ("In-Reply-To", f"<{ph('B', 'REPLY_ID')}>"),
           ("References", f"<{ph('B', 'REPLY_ID')}>"),
           ("Content-Type", "multipart/alternative; boundary=\"0000000000007a8b9c05f5c1d2e3\""),
       )
       + "\r\n" + multipart("0000000000007a8b9c05f5c1d2e3", [
           part("text/plain; charset=\"UTF-8\"", qp("Estoy fuera de la ciudad hasta el 9 de diciembre. Gracias por "
                                                      "su correo.\n\nJorge\n"), "quoted-printable"),
           part("text/html; charset=\"UTF-8\"", qp("<div dir=\"ltr\">Estoy fuera de la ciudad hasta el 9 de "
                                                     "diciembre. Gracias por su correo.<br><br>Jorge</div>\n"),
                "quoted-printable"),
       ]),
       "The citizen's Gmail vacation answers the reply with its own subject; Auto-Submitted, In-Reply-To the reply.")

beside("z09_sieve_vacation_to_reply", "C", "reply", "auto-submitted", "ooo-sieve", "",
       header(
           ("Message-ID", "<dovecot-sieve-1796247711-991204-0@mail.example.test>"),
           ("Date", "Wed, 02 Dec 2026 13:21:51 -0500"),
           ("X-Sieve", "Pigeonhole Sieve 0.5.19"),
           ("From", f"<{ph('C', 'CITIZEN')}>"),
           ("To", f"<{OFFICE}>"),
           ("Subject", "Auto: " + ph("C", "REPLY_SUBJECT")),
           ("In-Reply-To", f"<{ph('C', 'REPLY_ID')}>"),
           ("References", f"<{ph('C', 'QUESTION_ID')}> <{ph('C', 'REPLY_ID')}>"),
           ("Auto-Submitted", "auto-replied (vacation)"),
           ("Precedence", "bulk"),
           ("MIME-Version", "1.0"),
           ("Content-Type", "text/plain; charset=utf-8"),
           ("Content-Transfer-Encoding", "8bit"),
       )
       + "\r\n" + crlf("Estoy de licencia hasta el 11 de diciembre.\nCarmen\n"),
       "The citizen's Sieve vacation answers the reply: «Auto: RE: …», RFC 3834 headers, null envelope.")

beside("z10_zendesk_answers_ack", "D", "ack", "auto-submitted", "ticketing-zendesk", "ciudadano4@example.test",
       header(
           ("Date", "Wed, 02 Dec 2026 14:05:12 +0000"),
           ("From", f"Soporte Paredes Ingenieros <{ph('D', 'CITIZEN')}>"),
           ("Reply-To", "Soporte Paredes Ingenieros <support+id30218@paredesing.zendesk.example>"),
           ("To", f"Consultas OSCE <{OFFICE}>"),
           ("Message-ID", "<Q2W8E4R6T0_6a4d3c2b1f0e9_8d7c6b5a4f3e_sprut@zendesk.example>"),
           ("In-Reply-To", f"<{ph('D', 'ACK_ID')}>"),
           ("References", f"<Q2W8E4R6T0@zendesk.example>\n <{ph('D', 'ACK_ID')}>"),
           ("Subject", "[Paredes Ingenieros] Re: " + ph("D", "ACK_SUBJECT")),
           ("Mime-Version", "1.0"),
           ("Content-Type", "multipart/alternative;\n boundary=\"--==_mimepart_6a4d3c2b2c3d4_5e6f7a8b99001\";\n charset=utf-8"),
           ("Content-Transfer-Encoding", "7bit"),
           ("X-Delivery-Context", "event-id-8812390047730"),
           ("Auto-Submitted", "auto-generated"),
           ("X-Auto-Response-Suppress", "All"),
           ("X-Mailer", "Zendesk Mailer"),
           ("X-Zendesk-From-Account-Id", "4e7a1b2"),
       )
       + "\r\n" + multipart("--==_mimepart_6a4d3c2b2c3d4_5e6f7a8b99001", [
           part("text/plain; charset=utf-8", qp("##- Por favor, escriba su respuesta encima de esta línea -##\n\n"
                                                 "Su solicitud (30218) ha sido recibida y será revisada por nuestro "
                                                 "personal de soporte.\n"), "quoted-printable"),
           part("text/html; charset=utf-8", qp("<p>Su solicitud (30218) ha sido recibida.</p>\n"), "quoted-printable"),
       ]),
       "The citizen wrote from an address behind Zendesk, which answers triaje's acknowledgement (it ignores "
       "the acknowledgement's Auto-Submitted): a responder answering a responder, about that consultation.")

beside("z11_challenge_response_to_ack", "D", "ack", "auto-submitted", "challenge-response", "",
       header(
           ("From", f"Verificación de remitente <{ph('D', 'CITIZEN')}>"),
           ("To", OFFICE),
           ("Subject", ew("Confirme su mensaje para Luis Paredes")),
           ("Date", "Wed, 02 Dec 2026 09:12:30 -0500"),
           ("Message-ID", "<cr.9f8e7d6c5b4a@verificacion.example.test>"),
           ("In-Reply-To", f"<{ph('D', 'ACK_ID')}>"),
           ("Auto-Submitted", "auto-replied"),
           ("MIME-Version", "1.0"),
           ("Content-Type", "text/plain; charset=utf-8"),
           ("Content-Transfer-Encoding", "8bit"),
       )
       + "\r\n" + crlf(
           "Hola,\n\nEnviaste un correo a Luis Paredes, que usa un sistema de verificación de remitentes contra el "
           "correo no deseado. Para que tu mensaje sea entregado, confirma que eres una persona en:\n\n"
           "https://verificacion.example.test/c/9f8e7d6c5b4a\n\n"
           f"Asunto de tu mensaje: {ph('D', 'ACK_SUBJECT')}\nEnviado: {ph('D', 'ACK_DATE')}\n\n"
           "Solo tienes que hacerlo una vez.\n"),
       "A challenge-response system answers the acknowledgement and asks a human to click a link.")

beside("z12_gateway_held_notice_of_ack", "D", "ack", "return-path-empty", "gateway-notice", "",
       header(
           ("From", "Postmaster <postmaster@example.test>"),
           ("To", OFFICE),
           ("Subject", ew("Mensaje retenido: ") + ph("D", "ACK_SUBJECT")),
           ("Date", "Wed, 02 Dec 2026 09:12:44 -0500"),
           ("Message-ID", "<held.5d4c3b2a1908@gw1.example.test>"),
           ("MIME-Version", "1.0"),
           ("Content-Type", "text/plain; charset=utf-8"),
           ("Content-Transfer-Encoding", "8bit"),
       )
       + "\r\n" + crlf(
           "El siguiente mensaje dirigido a un usuario de nuestra organización fue retenido por la política de "
           "seguridad del correo y no será entregado:\n\n"
           f"  Remitente:    {OFFICE}\n  Destinatario: {ph('D', 'CITIZEN')}\n  Asunto:       {ph('D', 'ACK_SUBJECT')}\n"
           f"  Message-ID:   <{ph('D', 'ACK_ID')}>\n  Motivo:       remitente externo sin autenticación DMARC "
           "alineada\n\nSi cree que es un error, comuníquese con el área de sistemas del destinatario.\n"),
       "A security gateway tells the sender of our acknowledgement that it was held: plain text naming the "
       "acknowledgement's Message-ID; only the null envelope and «Postmaster» say machine.",
       undelivered=True)

beside("z13_vacation1_answers_ack", "A", "ack", "precedence", "ooo-vacation1", "ciudadano1@example.test",
       header(
           ("From", ph("A", "CITIZEN")),
           ("To", OFFICE),
           ("Subject", "Re: " + ph("A", "ACK_SUBJECT")),
           ("Precedence", "bulk"),
           ("Date", "Wed, 02 Dec 2026 09:13:01 -0500"),
           ("Message-ID", "<202612021413.5A2ED1f8042211@correo.example.test>"),
       )
       + "\r\n" + crlf("Estoy de viaje y sin acceso regular al correo hasta el 10 de diciembre.\n-- Rosa\n"),
       "The old vacation(1) program: Precedence: bulk and «Re: <subject>», no In-Reply-To; from the citizen's own "
       "address.")

beside("z14_exchange_ooo_to_ack", "D", "ack", "ms-auto-reply", "ooo-exchange", "",
       exchange_ooo("Luis Paredes", ph("D", "CITIZEN"), "Respuesta automática", "es-PE",
                    "Wed, 02 Dec 2026 14:13:20 +0000",
                    "PH7PR10MB5712A0B1C2D3E4F5061728394A5B6C7D@PH7PR10MB5712.namprd10.prod.outlook.com",
                    "Gracias por su mensaje. Me encuentro en obra sin cobertura hasta el viernes.\n\nLuis Paredes",
                    original_subject=ph("D", "ACK_SUBJECT"), original_id=ph("D", "ACK_ID")),
       "The citizen's Exchange out-of-office answers triaje's acknowledgement (Exchange ignores Auto-Submitted).")

beside("z15_gmail_forward_returns_ack", "B", "ack", "loop", "loop-forward", "",
       header(
           ("X-Forwarded-To", OFFICE),
           ("X-Forwarded-For", f"{ph('B', 'CITIZEN')} {OFFICE}"),
           ("Delivered-To", ph("B", "CITIZEN")),
           ("Received", "by 2002:a05:6a10:8f1c:b0:5f2:1d3e:77aa with SMTP id hi-z15-gmail-forward-4f2a;\n"
                        "        Wed, 2 Dec 2026 06:13:07 -0800 (PST)"),
       )
       + ph("B", "ACK_RAW"),
       "The citizen's Gmail forwards everything to consultas@: triaje's own acknowledgement comes back intact "
       "(its X-Loop, X-Triaje-Ticket and Message-ID), with Gmail's forwarding headers and the null envelope.",
       token="hi-z15-gmail-forward-4f2a")


# ----- People's consultations that look like machine mail -------------------------------------------------------

def gmail_person(name: str, addr: str, subject: str, text: str, message_id: str, date: str,
                 *extra: tuple[str, str], to: str = OFFICE) -> str:
    boundary = "000000000000" + hashlib.sha256(message_id.encode()).hexdigest()[:16]
    html = "<div dir=\"ltr\">" + "".join(f"<div>{line or '<br>'}</div>" for line in text.split("\n")) + "</div>\n"
    return header(
        ("MIME-Version", "1.0"),
        ("Date", date),
        *extra,
        ("Message-ID", f"<{message_id}>"),
        ("Subject", subject),
        ("From", f"{ew(name) if not name.isascii() else name} <{addr}>"),
        ("To", to),
        ("Content-Type", f"multipart/alternative; boundary=\"{boundary}\""),
    ) + "\r\n" + multipart(boundary, [
        part("text/plain; charset=\"UTF-8\"", qp(text + "\n"), "quoted-printable"),
        part("text/html; charset=\"UTF-8\"", qp(html), "quoted-printable"),
    ])


def outlook_person(name: str, addr: str, subject: str, text: str, message_id: str, date: str,
                   *extra: tuple[str, str], to: str = f"Consultas OSCE <{OFFICE}>", charset: str = "iso-8859-1") -> str:
    boundary = "_000_" + hashlib.sha256(message_id.encode()).hexdigest()[:28] + "_"
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=" + charset + "\"></head>"
            "<body lang=\"ES-PE\"><div class=\"WordSection1\">"
            + "".join(f"<p class=\"MsoNormal\">{line or '&nbsp;'}</p>" for line in text.split("\n"))
            + "</div></body></html>")
    return header(
        ("From", f"{ew(name, charset) if not name.isascii() else name} <{addr}>"),
        ("To", to),
        ("Subject", subject),
        ("Thread-Topic", subject),
        ("Thread-Index", "AQHb" + hashlib.sha256(message_id.encode()).hexdigest()[:20]),
        ("Date", date),
        ("Message-ID", f"<{message_id}>"),
        ("Accept-Language", "es-PE, en-US"),
        ("Content-Language", "es-PE"),
        ("X-MS-Has-Attach", ""),
        ("X-MS-TNEF-Correlator", ""),
        *extra,
        ("Content-Type", f"multipart/alternative;\n\tboundary=\"{boundary}\""),
        ("MIME-Version", "1.0"),
    ) + "\r\n" + multipart(boundary, [text_qp(text, charset), html_qp(html, charset)])


add("p01_noresponder_account_with_person_reply_to", "person", "consultation", "noreply", "person-system-account",
    "noresponder@munivillarica.example",
    outlook_person("Municipalidad Distrital de Villa Rica - Logística", "noresponder@munivillarica.example",
                   ew("Consulta: ¿cómo registramos al comité de selección en el SEACE?"),
                   "Señores OSCE:\n\nSomos la Unidad de Logística de la Municipalidad Distrital de Villa Rica. "
                   "Necesitamos registrar a los nuevos miembros del comité de selección en el SEACE y el sistema "
                   "no nos permite agregar al tercer miembro. ¿Qué perfil debe tener el usuario que los registra?\n\n"
                   "Favor responder a jefe.logistica@munivillarica.example (esta cuenta es compartida).\n\n"
                   "Atentamente,\nCPC Edwin Ccori Huamán\nJefe de la Unidad de Logística",
                   "SN6PR08MB4879C1D2E3F4A5B6C7D8E9F0A1B2C3D4@SN6PR08MB4879.namprd08.prod.outlook.com",
                   "Tue, 01 Dec 2026 09:05:44 -0500",
                   ("Reply-To", "Edwin Ccori <jefe.logistica@munivillarica.example>")),
    "Contested on purpose: a municipality writes from its shared «noresponder@» account (set up for a system, "
    "used by people), signs with a name and asks to be answered at a Reply-To. We judge it a consultation; a "
    "detector that trusts the local part alone will file it apart.")

add("p02_supplier_crm_list_unsubscribe", "person", "consultation", "list", "person-crm", "ventas@distribuidoradelcentro.example",
    header(
        ("Date", "Tue, 01 Dec 2026 10:12:03 -0500"),
        ("From", f"{ew('Melissa Cárdenas')} <ventas@distribuidoradelcentro.example>"),
        ("To", OFFICE),
        ("Message-ID", "<zcrm.88412003.1796051523112@crm.zoho.example>"),
        ("Subject", ew("Consulta: ampliación de capacidad de contratación en el RNP")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"----=_Part_41822_7762.1796051523112\""),
        ("X-Mailer", "Zoho CRM"),
        ("List-Unsubscribe", "<https://crm.zoho.example/crm/unsubscribe?x=7f3e2d1c0b9a>"),
        ("X-ZohoCRM-Entity", "Contacts"),
    )
    + "\r\n" + multipart("----=_Part_41822_7762.1796051523112", [
        text_qp("Buenos días,\n\nsomos proveedores de bienes inscritos en el RNP. Queremos participar en un "
                "procedimiento mayor a nuestra capacidad. ¿Cómo se solicita el aumento de la capacidad máxima de "
                "contratación y cuánto demora?\n\nGracias,\nMelissa Cárdenas\nDistribuidora del Centro S.A.C.\n"),
        html_qp("<div>Buenos días,<br><br>somos proveedores de bienes inscritos en el RNP. Queremos participar en un "
                "procedimiento mayor a nuestra capacidad. ¿Cómo se solicita el aumento de la capacidad máxima de "
                "contratación y cuánto demora?<br><br>Gracias,<br>Melissa Cárdenas</div>"),
    ]),
    "A supplier writes one-to-one from her company's CRM, which adds List-Unsubscribe to everything it sends: a "
    "person's question behind a bulk-looking header.")

add("p03_outlook_meeting_request_x_ars", "person", "consultation", "ms-auto-reply", "person-outlook-meeting",
    "gerencia@consorciovial.example",
    header(
        ("From", "Gerencia Consorcio Vial <gerencia@consorciovial.example>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", ew("Reunión: consulta sobre ampliación de plazo de obra")),
        ("Thread-Topic", ew("Reunión: consulta sobre ampliación de plazo de obra")),
        ("Thread-Index", "AdtE1x7a9Bc2De3Fg4Hi5Jk6Lm7N"),
        ("Date", "Tue, 01 Dec 2026 15:40:21 +0000"),
        ("Message-ID", "<BY3PR05MB8011E2F3A4B5C6D7E8F9A0B1C2D3E4F5@BY3PR05MB8011.namprd05.prod.outlook.com>"),
        ("Accept-Language", "es-PE, en-US"),
        ("Content-Language", "es-PE"),
        ("X-MS-Has-Attach", ""),
        ("X-Auto-Response-Suppress", "All"),
        ("X-MS-TNEF-Correlator", ""),
        ("Content-Type", "multipart/alternative;\n\tboundary=\"_000_BY3PR05MB8011E2F3A4B5_\""),
        ("MIME-Version", "1.0"),
    )
    + "\r\n" + multipart("_000_BY3PR05MB8011E2F3A4B5_", [
        text_qp("Estimados, solicitamos una reunión virtual para consultar si procede una segunda ampliación de plazo "
                "de la obra cuando la entidad no se pronunció sobre la primera dentro del plazo. ¿Se aplica la "
                "aprobación ficta?\n\nGerencia Consorcio Vial\n"),
        html_qp("<p>Estimados, solicitamos una reunión virtual para consultar si procede una segunda ampliación de "
                "plazo de la obra. ¿Se aplica la aprobación ficta?</p>"),
        part("text/calendar; charset=\"utf-8\"; method=REQUEST", b64(crlf(
            "BEGIN:VCALENDAR\nMETHOD:REQUEST\nPRODID:Microsoft Exchange Server 2010\nVERSION:2.0\nBEGIN:VEVENT\n"
            "ORGANIZER;CN=Gerencia Consorcio Vial:mailto:gerencia@consorciovial.example\n"
            "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Consultas OSCE:mailto:consultas@osce.test\n"
            "SUMMARY;LANGUAGE=es-PE:Reunión: consulta sobre ampliación de plazo de obra\n"
            "DTSTART;TZID=SA Pacific Standard Time:20261204T100000\nDTEND;TZID=SA Pacific Standard Time:20261204T103000\n"
            "UID:040000008200E00074C5B7101A82E0080000000071C6D3D2A14BDB01000000000000000010000000\n"
            "DTSTAMP:20261201T154021Z\nSEQUENCE:0\nEND:VEVENT\nEND:VCALENDAR\n").encode()), "base64"),
    ]),
    "An Outlook meeting request (text/calendar) carries X-Auto-Response-Suppress: All, as Outlook adds to every "
    "meeting item; the invitation is a Legal question.")

add("p04_gateway_adds_x_ars_to_all_mail", "person", "consultation", "ms-auto-reply", "person-gateway",
    "asistente.compras@hospitalregional.example",
    outlook_person("Yessenia Flores", "asistente.compras@hospitalregional.example",
                   ew("Plazo para notificar la orden de compra en el SEACE"),
                   "Buenas tardes,\n\n¿en cuántos días hábiles debemos registrar en el SEACE la orden de compra "
                   "después de emitida? Nuestro sistema logístico la genera con fecha anterior.\n\nGracias.\n"
                   "Yessenia Flores\nÁrea de Compras - Hospital Regional",
                   "hrx.7712.a9b8c7d6e5f4@hospitalregional.example", "Tue, 01 Dec 2026 14:22:08 -0500",
                   ("X-Auto-Response-Suppress", "OOF, DR, RN, NRN, AutoReply"),
                   ("X-Gateway-Disclaimer", "applied")),
    "The hospital's mail gateway stamps X-Auto-Response-Suppress on all outgoing mail: an ordinary question.")

add("p05_forwards_gmail_bounce_inline", "person", "consultation", "mailer-daemon", "person-forwards-bounce",
    "kgutierrez.proveedora@gmail.example",
    gmail_person("Katherine Gutiérrez", "kgutierrez.proveedora@gmail.example",
                 "Fwd: Delivery Status Notification (Failure)",
                 "Buenas tardes, quise enviar mi subsanación a la mesa de ayuda del SEACE y me llegó este mensaje. "
                 "¿Qué significa? ¿A qué correo debo enviarla?\n\nKatherine\n\n"
                 "---------- Forwarded message ---------\n"
                 "De: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
                 "Date: mar, 1 dic 2026 a las 11:02\nSubject: Delivery Status Notification (Failure)\n"
                 "To: <kgutierrez.proveedora@gmail.example>\n\n\n"
                 "** Address not found **\n\nYour message wasn't delivered to mesadeayuda.seace@osce.test because the "
                 "address couldn't be found, or is unable to receive mail.\n\nThe response was:\n\n"
                 "550 5.1.1 <mesadeayuda.seace@osce.test>: Recipient address rejected: User unknown in virtual "
                 "mailbox table",
                 "CAL8j4Fqw2ZcX0vB9nM7kL5pO3iU1yT6rE4wQ2aS0dF8gH@mail.gmail.example",
                 "Tue, 01 Dec 2026 11:05:12 -0500"),
    "A supplier forwards (inline, Gmail) a bounce she received and asks what it means: the bounce's words and "
    "«mailer-daemon» are in the text, the message is hers.")

outlook_ndr_inner = exchange_ndr_es(
    "EXCH02.osce.test", "osce.test", "Mon, 30 Nov 2026 17:20:11 -0500", "inscripciones.rnp@osce.test",
    "No se encontró la dirección de correo electrónico que escribió. Compruebe la dirección del destinatario e "
    "inténtelo de nuevo.", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", "5.1.1",
    ew("Registro de proveedor - RUC 20601234567"), "MN0PR08MB5550A1A2A3A4A5A6@MN0PR08MB5550.namprd08.prod.outlook.com",
    header(("From", "Aldo Rios <arios@serviciosgenerales.example>"),
           ("To", "inscripciones.rnp@osce.test"), ("Subject", "Registro de proveedor - RUC 20601234567"),
           ("Date", "Mon, 30 Nov 2026 17:20:02 -0500")),
    header(("From", "Aldo Rios <arios@serviciosgenerales.example>"), ("To", "inscripciones.rnp@osce.test"),
           ("Subject", "Registro de proveedor - RUC 20601234567"), ("Date", "Mon, 30 Nov 2026 17:20:02 -0500"),
           ("Message-ID", "<MN0PR08MB5550A1A2A3A4A5A6@MN0PR08MB5550.namprd08.prod.outlook.com>"),
           ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=\"us-ascii\""))
    + "\r\nAdjunto la documentacion para mi inscripcion como proveedor de servicios.\r\n",
    "5a6b7c8d9e0f41a2b3c4d5e6f7a8b9c0@EXCH02.osce.test")
add("p06_forwards_exchange_ndr_as_attachment", "person", "consultation", "dsn", "person-forwards-bounce",
    "arios@serviciosgenerales.example",
    header(
        ("From", "Aldo Rios <arios@serviciosgenerales.example>"),
        ("To", f"Consultas OSCE <{OFFICE}>"),
        ("Subject", "RV: No se puede entregar: Registro de proveedor - RUC 20601234567"),
        ("Thread-Topic", "No se puede entregar: Registro de proveedor - RUC 20601234567"),
        ("Thread-Index", "AQHbRzX1c9Yt0aBcDeFgHiJkLm=="),
        ("Date", "Tue, 01 Dec 2026 08:47:36 -0500"),
        ("Message-ID", "<MN0PR08MB5550B7B8B9C0C1C2@MN0PR08MB5550.namprd08.prod.outlook.com>"),
        ("Content-Language", "es-PE"),
        ("X-MS-Has-Attach", "yes"),
        ("Content-Type", "multipart/mixed;\n\tboundary=\"_004_MN0PR08MB5550B7B8B9C0C1C2_\""),
        ("MIME-Version", "1.0"),
    )
    + "\r\n" + multipart("_004_MN0PR08MB5550B7B8B9C0C1C2_", [
        text_qp("Buenos días, envié mi solicitud de inscripción al correo inscripciones.rnp@osce.test que figura en "
                "una guía y me devolvió el mensaje adjunto. ¿Cuál es el correo correcto para presentar los "
                "documentos de inscripción en el RNP?\n\nAldo Ríos\n", "iso-8859-1"),
        part("message/rfc822", outlook_ndr_inner, None,
             ("Content-Disposition", "attachment; creation-date=\"Tue, 01 Dec 2026 13:47:33 GMT\"")),
    ]),
    "Outlook «forward as attachment» of an Exchange NDR: the attached message is a multipart/report with "
    "X-MS-Exchange-Message-Is-Ndr inside; the outer message is a person's question about the RNP.")

add("p07_subject_auto_vehicle_purchase", "person", "consultation", "subject", "person-auto-subject",
    "abastecimiento@redsaludsur.example",
    gmail_person("Abastecimiento Red de Salud Sur", "abastecimiento@redsaludsur.example",
                 ew("AUTO: compra de ambulancia por catálogo electrónico"),
                 "Buenos días, la Red de Salud necesita comprar una ambulancia tipo II. ¿Podemos hacerlo por los "
                 "catálogos electrónicos de Acuerdo Marco o debemos convocar una licitación pública? El monto "
                 "estimado es S/ 480,000.\n\nAbastecimiento - Red de Salud Sur",
                 "CAOp4xKz7YvT2mN8bQ0wE3rL5uI9oP1aS6dF2gH4jK@mail.gmail.example", "Tue, 01 Dec 2026 09:33:40 -0500"),
    "A purchasing office labels its vehicle purchases «AUTO:» in the subject: a consultation, not Lotus Notes.")

add("p08_subject_automatico_transmission", "person", "consultation", "subject", "person-auto-subject",
    "comite.seleccion@munitarma.example",
    outlook_person("Comité de Selección MDT", "comite.seleccion@munitarma.example",
                   ew("Automático: ¿podemos exigir transmisión automática en las camionetas?"),
                   "Señores:\n\nEn el requerimiento de camionetas para serenazgo, ¿exigir transmisión automática "
                   "restringe la competencia? Algunos postores dicen que solo una marca la ofrece.\n\n"
                   "Comité de Selección - Municipalidad de Tarma",
                   "ctarma.5561.b1a2c3d4@munitarma.example", "Tue, 01 Dec 2026 10:41:12 -0500"),
    "A subject starting «Automático:» (the gearbox), a real question about the technical specifications.")

add("p09_document_system_account_oficio", "person", "consultation", "none", "person-system-account",
    "std@munisanmiguel.example",
    header(
        ("Date", "Tue, 01 Dec 2026 11:58:20 -0500"),
        ("To", OFFICE),
        ("From", f"{ew('Sistema de Trámite Documentario')} <std@munisanmiguel.example>"),
        ("Reply-To", f"{ew('Gladys Pérez - Subgerencia de Logística')} <gperez@munisanmiguel.example>"),
        ("Subject", ew("OFICIO N° 0412-2026-SGL/MDSM - Consulta sobre penalidad por mora")),
        ("Message-ID", "<Xq7Lm2Np9Rs4Tv6Wy8Zb1Cd3Ef5@munisanmiguel.example>"),
        ("X-Mailer", "PHPMailer 6.5.0 (https://github.com/PHPMailer/PHPMailer)"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/mixed; boundary=\"b1_Xq7Lm2Np9Rs4Tv6Wy8Zb1Cd3Ef5\""),
    )
    + "\r\n" + multipart("b1_Xq7Lm2Np9Rs4Tv6Wy8Zb1Cd3Ef5", [
        text_qp("Se remite el OFICIO N° 0412-2026-SGL/MDSM de la Subgerencia de Logística:\n\n"
                "«Solicitamos opinión sobre el cálculo de la penalidad por mora cuando el contratista entregó los "
                "bienes en dos armadas y solo la segunda llegó tarde: ¿la penalidad se calcula sobre el monto total "
                "del contrato o sobre el de la segunda entrega?»\n\nAtentamente,\nGladys Pérez Valdivia\n"
                "Subgerente de Logística\n\nDocumento firmado digitalmente. Puede verificarlo en "
                "https://std.munisanmiguel.example/verifica\n"),
        part("application/pdf; name=\"OFICIO-0412-2026.pdf\"", b64(b"%PDF-1.4\n% oficio 0412-2026\n%%EOF\n"), "base64",
             ("Content-Disposition", "attachment; filename=\"OFICIO-0412-2026.pdf\"")),
    ]),
    "A municipal document system sends an official's letter from its system account (PHPMailer, Reply-To the "
    "official): a genuine Legal consultation from a machine-sent message. Contested, judged a consultation.")

add("p10_university_gateway_precedence_bulk", "person", "consultation", "precedence", "person-gateway",
    "20231458@alumnos.unjbg.example",
    header(
        ("Date", "Tue, 01 Dec 2026 16:10:05 -0500"),
        ("From", f"{ew('Diego Condori Mamani')} <20231458@alumnos.unjbg.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta para tesis: ¿dónde descargo las sanciones del Tribunal?")),
        ("Message-ID", "<b7e6f5d4-c3b2-4a19-8f7e-6d5c4b3a2910@alumnos.unjbg.example>"),
        ("User-Agent", "Roundcube Webmail/1.6.6"),
        ("Precedence", "bulk"),
        ("X-Gateway", "relay-alumnos.unjbg.example"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Buenas tardes,\n\nsoy estudiante de Derecho y estoy haciendo mi tesis sobre sanciones a "
                    "proveedores. ¿Dónde puedo descargar las resoluciones del Tribunal de Contrataciones Públicas "
                    "de 2025 y 2026 en formato abierto?\n\nDiego Condori\n"),
    "A university's student relay adds Precedence: bulk to everything it relays: a student's question.")

add("p11_webmail_auto_submitted_no", "person", "consultation", "auto-submitted", "person-explicit-no",
    "mrosales@constructorarosales.example",
    header(
        ("Date", "Tue, 01 Dec 2026 17:02:44 -0500"),
        ("From", "Mario Rosales <mrosales@constructorarosales.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consorcio: ¿cada integrante debe estar inscrito en el RNP?")),
        ("Message-ID", "<20261201220244.Horde.Kq3Lp0Zx8Vm2Nb4Cw6Re7Ty@webmail.constructorarosales.example>"),
        ("User-Agent", "Horde Application Framework 5"),
        ("Auto-Submitted", "no"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8; format=flowed; DelSp=Yes"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Vamos a participar en consorcio con otra empresa. ¿Cada integrante del consorcio debe tener "
                    "inscripción vigente en el RNP o basta con el operador tributario?\n\nMario Rosales\n"),
    "RFC 3834's explicit «Auto-Submitted: no» (some webmails and scripts write it): a person.")

add("p12_subject_starts_respuesta_automatica", "person", "consultation", "subject", "person-auto-subject",
    "fiorella.quispe.c@hotmail.example",
    outlook_person("Fiorella Quispe", "fiorella.quispe.c@hotmail.example",
                   ew("Respuesta automática de la plataforma no me llega al registrarme en el RNP"),
                   "Hola, me registré ayer en el RNP como proveedora de servicios y la plataforma dice que me "
                   "enviaría una respuesta automática con mi usuario, pero no me llegó nada (revisé spam). ¿Qué "
                   "hago?\n\nFiorella", "PAWP223MB1122A3B4C5D6E7F8091A2B3C4D5E6F70@PAWP223MB1122.NAMP223.PROD.OUTLOOK.COM",
                   "Tue, 01 Dec 2026 18:30:10 +0000", charset="utf-8"),
    "A subject that starts «Respuesta automática …» (without the colon Outlook writes): her question is about an "
    "automatic message that never came.")

add("p13_wordpress_contact_form", "person", "consultation", "none", "person-web-form", "wordpress@www.osce.test",
    header(
        ("Date", "Tue, 01 Dec 2026 19:44:02 +0000"),
        ("To", OFFICE),
        ("From", "Portal OSCE <wordpress@www.osce.test>"),
        ("Reply-To", "Rolando Tapia <rolando.tapia.ing@gmail.example>"),
        ("Subject", ew("[Portal OSCE] Consulta: garantía de fiel cumplimiento para MYPE")),
        ("Message-ID", "<Y8vQ2mK9pL3nR6sT1wX4zB7cE0fH@www.osce.test>"),
        ("X-Mailer", "PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("De: Rolando Tapia <rolando.tapia.ing@gmail.example>\nAsunto: Garantía de fiel cumplimiento\n\n"
                    "Cuerpo del mensaje:\nSoy MYPE y gané una buena pro de S/ 90,000. ¿Puedo pedir que la entidad "
                    "retenga el 10% en lugar de presentar carta fianza?\n\n-- \nEste mensaje se ha enviado desde un "
                    "formulario de contacto en Portal OSCE (https://www.osce.test)\n"),
    "The agency's own web form (Contact Form 7): From the site's wordpress@ account, the citizen in Reply-To. "
    "A consultation whose sender is a machine.")

add("p14_complaints_book_form_phpmailer", "person", "consultation", "none", "person-web-form", "lvalencia.abogada@yahoo.example",
    header(
        ("Date", "Tue, 01 Dec 2026 20:15:31 +0000"),
        ("To", OFFICE),
        ("From", "Lucia Valencia <lvalencia.abogada@yahoo.example>"),
        ("Subject", ew("Libro de Reclamaciones Virtual - Hoja N° 000231")),
        ("Message-ID", "<lrv.000231.1796069731@libro.osce.test>"),
        ("X-Mailer", "PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/html; charset=UTF-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + qp("<html><body><h3>Libro de Reclamaciones Virtual</h3><table><tr><td>Hoja N°</td><td>000231</td>"
                  "</tr><tr><td>Nombre</td><td>Lucía Valencia Ortiz</td></tr><tr><td>Tipo</td><td>Reclamo</td></tr>"
                  "<tr><td>Detalle</td><td>Presenté un recurso de apelación ante el Tribunal hace 40 días hábiles y no "
                  "se ha programado la audiencia. Solicito información sobre el estado del expediente 4512-2026-TCP."
                  "</td></tr></table></body></html>\n"),
    "The complaints-book form mails the entry with the citizen's address as From (PHPMailer, HTML table only).")

add("p15_subject_undelivered_mail_question", "person", "consultation", "subject", "person-bounce-words",
    "soporte.ti@ferreteriaelangel.example",
    gmail_person("Soporte TI Ferretería El Ángel", "soporte.ti@ferreteriaelangel.example",
                 ew("Undelivered Mail Returned to Sender: ¿por qué rebotan nuestros correos al OSCE?"),
                 "Buenas tardes, todos los correos que enviamos a direcciones @osce.test nos regresan con "
                 "«Undelivered Mail Returned to Sender» y el código 554 5.7.1. ¿Tienen bloqueado nuestro dominio? "
                 "Necesitamos enviar nuestra subsanación del RNP.\n\nÁrea de TI",
                 "CAHk2mQ9wV3bX7nZ0cL4pR8tY1uE6iO5aS2dF9gJ@mail.gmail.example", "Tue, 01 Dec 2026 15:55:20 -0500"),
    "A company's IT asks why their mail to the agency bounces; the subject is a bounce's subject.")

add("p16_person_at_notificaciones_address", "person", "consultation", "none", "person-lookalike-address",
    "notificaciones@estudiocontablegarcia.example",
    outlook_person("Estudio Contable García", "notificaciones@estudiocontablegarcia.example",
                   ew("Cambio de representante legal en el RNP"),
                   "Estimados señores:\n\nLes escribo en representación de mi cliente, una EIRL inscrita en el "
                   "RNP. Cambió su titular-gerente. ¿La actualización se hace en línea o debe presentarse la "
                   "vigencia de poder en mesa de partes?\n\nCPC Rocío García\nEstudio Contable García",
                   "estudio.garcia.20261201.7781@estudiocontablegarcia.example", "Tue, 01 Dec 2026 12:44:02 -0500"),
    "A person writing from her firm's «notificaciones@» address.")

add("p17_lawyer_heavy_outlook_with_pdf", "person", "consultation", "none", "person-baseline",
    "mzegarra@zegarraabogados.example",
    header(
        ("ARC-Seal", "i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.example; cv=none;\n b=Jq3Xz9Lm2Np4Rs6Tv8Wy0Za1Bc3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg3Hi5Jk7Lm9No="),
        ("ARC-Message-Signature", "i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.example;\n s=arcselector10001; "
                                  "h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\n bh=Zx8Cv7Bn6Mq5Wr4Et3Yu2Io1Pa0Sd9Fg8Hj7Kl6Zx5=;\n b=Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5Ef6Gh7Ij8Kl9Mn0="),
        ("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=zegarraabogados.example;\n s=selector1; "
                           "h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\n bh=Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc1Vb2Nm3Qw4=;\n b=Lz0Kx9Jc8Hv7Gb6Fn5Dm4Sq3Aw2Ze1Xr0Ct9Yv8Ub7In6Om5Pl4Ok3Ij2Uh1Yg0="),
        ("From", "Martín Zegarra <mzegarra@zegarraabogados.example>"),
        ("To", f"\"consultas@osce.test\" <{OFFICE}>"),
        ("Subject", ew("Consulta: nulidad de oficio después de suscrito el contrato")),
        ("Thread-Topic", ew("Consulta: nulidad de oficio después de suscrito el contrato")),
        ("Thread-Index", "AdtE9f0c1D2e3F4g5H6i7J8k9L0m"),
        ("Date", "Tue, 01 Dec 2026 21:02:40 +0000"),
        ("Message-ID", "<SA0PR19MB4410C9D8E7F6A5B4C3D2E1F0A9B8C7D6@SA0PR19MB4410.namprd19.prod.outlook.com>"),
        ("Accept-Language", "es-ES, en-US"),
        ("Content-Language", "es-ES"),
        ("X-MS-Has-Attach", "yes"),
        ("X-MS-TNEF-Correlator", ""),
        ("authentication-results", "dkim=none (message not signed)\n header.d=none;dmarc=none action=none header.from=zegarraabogados.example;"),
        ("x-ms-publictraffictype", "Email"),
        ("x-ms-traffictypediagnostic", "SA0PR19MB4410:EE_|BN0PR19MB5320:EE_"),
        ("x-ms-exchange-senderadcheck", "1"),
        ("x-microsoft-antispam", "BCL:0;ARA:13230040|366016|1800799024|376014|38070700018;"),
        ("Content-Type", "multipart/mixed;\n\tboundary=\"_004_SA0PR19MB4410C9D8E7F6_\""),
        ("MIME-Version", "1.0"),
    )
    + "\r\n" + multipart("_004_SA0PR19MB4410C9D8E7F6_", [
        "Content-Type: multipart/alternative;\r\n\tboundary=\"_000_SA0PR19MB4410C9D8E7F6_\"\r\n\r\n" +
        multipart("_000_SA0PR19MB4410C9D8E7F6_", [
            text_qp("Señores OSCE:\n\nMi patrocinada suscribió un contrato de servicios y, dos meses después, la "
                    "entidad pretende declarar su nulidad de oficio alegando un vicio en el otorgamiento de la buena "
                    "pro. ¿Cuál es el plazo máximo para declarar la nulidad después de suscrito el contrato y qué "
                    "causales proceden? Adjunto la carta notarial recibida.\n\nAtentamente,\n\nMartín Zegarra Díaz\n"
                    "Abogado - CAL 51234\n", "utf-8"),
            html_qp("<p>Señores OSCE:</p><p>Mi patrocinada suscribió un contrato de servicios y la entidad pretende "
                    "declarar su nulidad de oficio. ¿Cuál es el plazo máximo?</p>", "utf-8"),
        ]),
        part("application/pdf; name=\"carta-notarial.pdf\"", b64(b"%PDF-1.7\n% carta notarial\n%%EOF\n"), "base64",
             ("Content-Description", "carta-notarial.pdf"),
             ("Content-Disposition", "attachment; filename=\"carta-notarial.pdf\"; size=35;\n"
                                     "\tcreation-date=\"Tue, 01 Dec 2026 21:01:55 GMT\";\n"
                                     "\tmodification-date=\"Tue, 01 Dec 2026 21:02:40 GMT\"")),
    ]),
    "A lawyer from Microsoft 365 with all its headers (ARC, DKIM, X-MS-*) and a PDF: a Legal consultation.")

add("p18_reply_to_office_bulletin_quoting_unsubscribe", "person", "consultation", "list", "person-quotes-bulk",
    "jhuaman.contratista@gmail.example",
    gmail_person("Julio Huamán", "jhuaman.contratista@gmail.example",
                 ew("Re: Boletín OSCE - Diciembre 2026"),
                 "Buenas, sobre el boletín: ¿el nuevo reglamento ya permite subsanar la falta de firma en la "
                 "declaración jurada de la oferta?\n\nJulio\n\n"
                 "El mar, 1 dic 2026 a las 08:00, Boletín OSCE <boletin@osce.test> escribió:\n"
                 "> Novedades de diciembre: nuevo reglamento, cursos y capacitaciones.\n>\n"
                 "> Si no desea recibir este boletín, haga clic aquí para darse de baja.\n"
                 "> List-Unsubscribe: https://www.osce.test/boletin/baja",
                 "CAB9x2Vq7Wn4Mz1Lp8Ko5Ji3Hu6Yg0Tf2Rd4Es7Wa1Qz@mail.gmail.example", "Tue, 01 Dec 2026 13:12:55 -0500",
                 ("In-Reply-To", "<boletin.2026-12.0001@osce.test>"),
                 ("References", "<boletin.2026-12.0001@osce.test>")),
    "A citizen answers the agency's own bulletin with a new question; the quote carries the bulletin's "
    "unsubscribe text.")

add("p19_out_of_office_words_in_body", "person", "consultation", "subject", "person-ooo-words",
    "ppalomino@agricolasanjuan.example",
    gmail_person("Pilar Palomino", "ppalomino@agricolasanjuan.example",
                 ew("Viaje: ¿puedo presentar mi oferta antes del plazo?"),
                 "Hola, estaré fuera de la oficina desde el lunes hasta fin de mes, sin acceso al correo. ¿Puedo "
                 "registrar mi oferta en el SEACE antes de la fecha de presentación que indica el cronograma, o el "
                 "sistema solo lo permite ese día?\n\nPilar Palomino",
                 "CAF3r8Tq1Wz6Xv9Bn2Mk5Lj7Hg0Fd4Sa3Pe8Oi1Uy6@mail.gmail.example", "Tue, 01 Dec 2026 19:02:17 -0500"),
    "«Estaré fuera de la oficina … sin acceso al correo» in a person's question.")

add("p20_reply_to_seace_notification", "person", "consultation", "auto-submitted", "person-quotes-machine",
    "comite.obras@regionamazonas.example",
    outlook_person("Comité de Obras - Gobierno Regional Amazonas", "comite.obras@regionamazonas.example",
                   "RE: " + ew("SEACE: se registró una consulta u observación al procedimiento LP-SM-4-2026-GRA-1"),
                   "Señores, recibimos esta notificación pero no tenemos acceso al módulo de absolución de consultas "
                   "con el usuario del presidente del comité. ¿Cómo se habilita?\n\nComité de Obras\n\n"
                   "De: SEACE - Notificaciones <notificaciones@seace.example>\nEnviado el: martes, 1 de diciembre de "
                   "2026 08:10\nAsunto: SEACE: se registró una consulta u observación al procedimiento "
                   "LP-SM-4-2026-GRA-1\n\nSe registró una consulta u observación al procedimiento de selección "
                   "LP-SM-4-2026-GRA-1.\nEste es un mensaje automático del SEACE. Auto-Submitted: auto-generated. "
                   "Por favor no responda.",
                   "CO1PR11MB5089D0E1F2A3B4C5D6E7F8091A2B3C4D@CO1PR11MB5089.namprd11.prod.outlook.com",
                   "Tue, 01 Dec 2026 13:30:02 +0000",
                   ("In-Reply-To", "<notif.88120377.1796040600@seace.example>"),
                   ("References", "<notif.88120377.1796040600@seace.example>"), charset="utf-8"),
    "A committee answers a SEACE notification with a question; the quote says «mensaje automático … no responda».")

add("p21_gmail_short_baseline", "person", "consultation", "none", "person-baseline", "yovana.chura88@gmail.example",
    gmail_person("Yovana Chura", "yovana.chura88@gmail.example", ew("clave rnp"),
                 "buenas como recupero mi clave del rnp? ya no tengo acceso al correo que registre",
                 "CAE6u2Lp9Qx4Wm7Zn1Vb8Kc3Jd5Hf0Gs2Ta6Ry9Ew1Uq@mail.gmail.example", "Tue, 01 Dec 2026 22:41:09 -0500"),
    "Baseline: a short Gmail question, no accents, lower case.")

add("p22_outlookcom_baseline_heavy_headers", "person", "consultation", "none", "person-baseline",
    "renzo.alarcon@outlook.example",
    outlook_person("Renzo Alarcón", "renzo.alarcon@outlook.example", ew("Consulta sobre el RUC en el SEACE"),
                   "Buenas noches,\n\ncambié de domicilio fiscal en SUNAT y el SEACE sigue mostrando el anterior en "
                   "mi ficha. ¿Se actualiza solo o debo hacer un trámite?\n\nSaludos,\nRenzo Alarcón",
                   "BY5PR20MB4422A1B2C3D4E5F60718A9B0C1D2E3F4@BY5PR20MB4422.namprd20.prod.outlook.com",
                   "Wed, 02 Dec 2026 02:15:33 +0000",
                   ("x-ms-exchange-messagesentrepresentingtype", "1"),
                   ("x-tmn", "[Qk3Lw9Xz2Vn8Bm5Cr1Ty7Ue4Io0Pa6Sd]"),
                   ("x-ms-publictraffictype", "Email"),
                   ("x-microsoft-antispam-message-info", "Kq3Lp0Zx8Vm2Nb4Cw6Re7Ty9Ui1Op3As5Df7Gh9Jk1Lz3Xc5Vb7Nm9Qw1Er3Ty5Ui7="),
                   charset="utf-8"),
    "Baseline: Outlook.com with its X-MS-* headers (none of them machine signals).")

add("p23_yahoo_android_baseline", "person", "consultation", "none", "person-baseline", "hugo_lr1975@yahoo.example",
    header(
        ("Date", "Wed, 02 Dec 2026 03:22:47 +0000 (UTC)"),
        ("From", "Hugo Lazo <hugo_lr1975@yahoo.example>"),
        ("To", OFFICE),
        ("Message-ID", "<1129384756.2233445.1796095367123@mail.yahoo.example>"),
        ("Subject", ew("Inhabilitación para contratar")),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative;\n\tboundary=\"----=_Part_2233444_1129384755.1796095367122\""),
        ("X-Mailer", "WebService/1.1.23187 YMailAndroid"),
    )
    + "\r\n" + multipart("----=_Part_2233444_1129384755.1796095367122", [
        text_qp("Señores, fui sancionado con inhabilitación temporal por 6 meses en 2025. ¿Ya puedo volver a "
                "contratar con el Estado o tengo que pedir algo para que me retiren del registro?\n\n"
                "Enviado desde Yahoo Mail para Android\n"),
        html_qp("<div>Señores, fui sancionado con inhabilitación temporal por 6 meses en 2025. ¿Ya puedo volver a "
                "contratar con el Estado?</div><div><br></div><div id=\"ymail_android_signature\">Enviado desde "
                "Yahoo Mail para Android</div>"),
    ]),
    "Baseline: Yahoo Mail for Android.")

add("p24_foreign_supplier_english", "person", "consultation", "none", "person-baseline", "tenders@medsupply-intl.example",
    header(
        ("From", "Tenders Desk <tenders@medsupply-intl.example>"),
        ("To", OFFICE),
        ("Subject", "Foreign supplier registration (RNP) - documents required"),
        ("Date", "Wed, 02 Dec 2026 09:05:14 +0100"),
        ("Message-ID", "<20261202080514.88712.tenders@medsupply-intl.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Transfer-Encoding", "7bit"),
        ("User-Agent", "Mozilla Thunderbird"),
    )
    + "\r\n" + crlf("Dear Sirs,\n\nwe are a medical equipment manufacturer based in Spain without a branch in "
                    "Peru. Which documents must a foreign company without domicile submit to register in the RNP, "
                    "and must they be apostilled?\n\nKind regards,\nTenders Desk\nMedSupply International\n"),
    "Baseline: a foreign supplier in English from a «tenders@» desk.")

add("p25_forwards_ooo_from_other_agency", "person", "consultation", "ms-auto-reply", "person-forwards-ooo",
    "nvega.consultora@gmail.example",
    gmail_person("Nadia Vega", "nvega.consultora@gmail.example",
                 ew("Fwd: Respuesta automática: Solicitud de información del proceso CP-SM-8-2026"),
                 "Buenas tardes, escribí a la entidad convocante por el proceso CP-SM-8-2026 y solo me llega esta "
                 "respuesta automática. El plazo para observar las bases vence mañana. ¿Ante quién presento mis "
                 "observaciones si la entidad no responde?\n\nNadia Vega\n\n"
                 "---------- Forwarded message ---------\nDe: Logística UGEL Norte <logistica@ugelnorte.example>\n"
                 "Date: mié, 2 dic 2026 a las 09:01\nSubject: Respuesta automática: Solicitud de información del "
                 "proceso CP-SM-8-2026\nTo: Nadia Vega <nvega.consultora@gmail.example>\n\n\n"
                 "Gracias por escribirnos. Me encuentro fuera de la oficina hasta el 14 de diciembre.",
                 "CAD4m9Xq2Zw7Ev1Rt6Yu3Io8Pa5Sd0Fg2Hj7Kl4Zx9Cv@mail.gmail.example", "Wed, 02 Dec 2026 14:20:06 -0500"),
    "A citizen forwards an out-of-office she received («Fwd: Respuesta automática: …») with a real question.")

add("p26_forwards_sunat_noreply_notice", "person", "consultation", "noreply", "person-forwards-notice",
    "contabilidad@inversionesllanque.example",
    outlook_person("Contabilidad Inversiones Llanque", "contabilidad@inversionesllanque.example",
                   "RV: " + ew("Aviso de notificación: tiene un nuevo documento en su Buzón SOL"),
                   "Buenos días, nos llegó esta notificación de SUNAT por una deuda. ¿Tener deuda coactiva impide "
                   "renovar la inscripción en el RNP?\n\nÁrea de Contabilidad\n\n"
                   "De: SUNAT - Buzón Electrónico <notificaciones.sol@sunat.example>\nEnviado el: lunes, 30 de "
                   "noviembre de 2026 08:31\nPara: contabilidad@inversionesllanque.example\nAsunto: Aviso de "
                   "notificación: tiene un nuevo documento en su Buzón SOL\n\nEste correo es generado "
                   "automáticamente, por favor no lo responda. Remitente: no-reply@sunat.example",
                   "inv.llanque.20261202.3341@inversionesllanque.example", "Wed, 02 Dec 2026 09:50:41 -0500"),
    "A company forwards a tax notice (its quote: «generado automáticamente», «no-reply@») and asks about the RNP.")

add("p27_asks_for_read_receipt", "person", "consultation", "read-receipt", "person-receipt-request",
    "mesadepartes@ebsalud-cajamarca.example",
    outlook_person("Mesa de Partes EBS Cajamarca", "mesadepartes@ebsalud-cajamarca.example",
                   ew("Consulta: contratación directa por desabastecimiento"),
                   "Señores OSCE:\n\n¿Procede la contratación directa por situación de desabastecimiento para "
                   "adquirir oxígeno medicinal si el contrato anterior fue resuelto por incumplimiento del "
                   "proveedor?\n\nSírvanse confirmar la recepción.\n\nMesa de Partes",
                   "ebscaj.mp.8871.20261202@ebsalud-cajamarca.example", "Wed, 02 Dec 2026 10:12:19 -0500",
                   ("Disposition-Notification-To", "\"Mesa de Partes EBS Cajamarca\" <mesadepartes@ebsalud-cajamarca.example>"),
                   ("Return-Receipt-To", "mesadepartes@ebsalud-cajamarca.example"),
                   ("X-Confirm-Reading-To", "mesadepartes@ebsalud-cajamarca.example"),
                   ("Importance", "high"), ("X-Priority", "1")),
    "A message that asks for a read receipt (Disposition-Notification-To, Return-Receipt-To): it requests a "
    "report, it is not one.")

add("p28_sent_on_behalf_of", "person", "consultation", "none", "person-baseline", "secretaria.gerencia@agroinca.example",
    outlook_person("Gerencia General AgroInca", "gerencia@agroinca.example",
                   ew("Consulta sobre resolución de contrato por caso fortuito"),
                   "Estimados:\n\nPor encargo del Gerente General: la helada de noviembre destruyó la cosecha "
                   "comprometida en un contrato de suministro con una municipalidad. ¿Podemos resolver el contrato "
                   "por caso fortuito sin penalidad? ¿Qué documentos sustentan la causal?\n\nSecretaría de Gerencia",
                   "PR3PR02MB6123B1C2D3E4F5A6B7C8D9E0F1A2B3C4@PR3PR02MB6123.eurprd02.prod.outlook.com",
                   "Wed, 02 Dec 2026 15:30:44 +0000",
                   ("Sender", "Secretaria Gerencia <secretaria.gerencia@agroinca.example>")),
    "«Sent on behalf of»: Sender is the secretary, From the manager; a Legal question.")

add("p29_android_mail_latin1_baseline", "person", "consultation", "none", "person-baseline", "w.ccahuana@movistar.example",
    header(
        ("Date", "Wed, 02 Dec 2026 18:40:02 -0500"),
        ("From", f"{ew('Wilber Ccahuana', 'iso-8859-1')} <w.ccahuana@movistar.example>"),
        ("To", OFFICE),
        ("Subject", ew("Pregunta sobre la constancia de capacidad libre de contratación", "iso-8859-1")),
        ("Message-ID", "<d4e5f6a7-0b1c-4d2e-9f3a-4b5c6d7e8f90@email.android.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative; boundary=\"--_com.android.email_1796096402118\""),
    )
    + "\r\n" + multipart("--_com.android.email_1796096402118", [
        text_qp("Señores buenas noches, la entidad me pide constancia de capacidad libre de contratación para firmar "
                "el contrato de obra. ¿Dónde la solicito y cuánto demora?\n\nWilber Ccahuana\n", "iso-8859-1"),
        html_qp("<html><head></head><body><div>Señores buenas noches, la entidad me pide constancia de capacidad "
                "libre de contratación para firmar el contrato de obra.</div></body></html>", "iso-8859-1"),
    ]),
    "Baseline: Android's mail app, ISO-8859-1 text and HTML.")


# ----- Broken mail from real broken clients ---------------------------------------------------------------------

def latin1(text: str) -> bytes:
    return crlf(text).encode("latin-1")


def cp1252(text: str) -> bytes:
    return crlf(text).encode("cp1252")


add("b01_utf8_declared_latin1_body", "broken", "consultation", "none", "broken-charset", "jmontes@correo-municipal.example",
    header(
        ("From", "Jose Montes <jmontes@correo-municipal.example>"),
        ("To", OFFICE),
        ("Subject", "Consulta sobre adicional de obra"),
        ("Date", "Wed, 02 Dec 2026 08:12:09 -0500"),
        ("Message-ID", "<5f1e2d3c.4b5a.6978@correo-municipal.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Mailer", "SquirrelMail/1.4.22"),
    ).encode("ascii") + b"\r\n"
    + latin1("Señores, ¿el adicional de obra mayor al 15% requiere autorización previa de la Contraloría "
             "antes de ejecutarlo? La obra está paralizada.\n\nJosé Montes\nResidente de obra\n"),
    "An old webmail declares UTF-8 and sends Latin-1 bytes (ñ, ¿, á as single bytes).", sane=False)

add("b02_raw_8bit_headers_php_mail", "broken", "consultation", "none", "broken-8bit-headers", "www-data@vps-22817.example",
    b"To: " + OFFICE.encode() + b"\r\n"
    + b"Subject: Consulta: \xbfc\xf3mo me inscribo como consultor de obras en el RNP?\r\n"
    + b"From: Ra\xfal Pe\xf1a Ch\xe1vez <rpena.consultor@gmail.example>\r\n"
    + b"Message-ID: <c3a9f1b2e7d8a6c5b4f3e2d1@vps-22817.example>\r\n"
    + b"Date: Wed, 2 Dec 2026 08:40:33 -0500\r\n"
    + b"X-Mailer: PHP/7.4.33\r\n\r\n"
    + cp1252("Buenos d\u00edas, soy ingeniero civil y quiero inscribirme como consultor de obras. \u201c\u00bfQu\u00e9 "
             "experiencia m\u00ednima piden?\u201d \u2014 eso me dijeron que pregunte.\n\nRa\u00fal Pe\u00f1a\n"),
    "PHP mail() from a contact page: raw Windows-1252 in Subject and From (no RFC 2047), no MIME-Version, no "
    "charset anywhere; smart quotes and an em dash in the body.", sane=False)

add("b03_us_ascii_label_utf8_bytes", "broken", "consultation", "none", "broken-charset", "alertas@sistemalogistico.example",
    header(
        ("From", "Patricia Loayza <ploayza@sistemalogistico.example>"),
        ("To", OFFICE),
        ("Subject", "Consulta orden de servicio"),
        ("Date", "Wed, 02 Dec 2026 09:02:40 -0500"),
        ("Message-ID", "<ols.20261202.090240.7712@sistemalogistico.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Transfer-Encoding", "7bit"),
    ).encode("ascii") + b"\r\n"
    + crlf("¿Una orden de servicio menor a 8 UIT necesita registrarse en el SEACE? Nuestra área de "
           "contabilidad dice que sí.\n\nPatricia Loayza\n").encode("utf-8"),
    "A logistics system labels its mail us-ascii / 7bit and sends UTF-8 bytes.", sane=False)


def pdf_base64_truncated() -> str:
    data = b"%PDF-1.4\n" + bytes(range(256)) * 24
    text = b64(data)
    return text[: len(text) // 2 - 17]


add("b04_truncated_multipart_by_gateway", "broken", "consultation", "none", "broken-truncated", "c.ramos@transportesramos.example",
    header(
        ("From", "Carlos Ramos <c.ramos@transportesramos.example>"),
        ("To", OFFICE),
        ("Subject", ew("Documentos para inscripción RNP (adjunto)")),
        ("Date", "Wed, 02 Dec 2026 09:20:11 -0500"),
        ("Message-ID", "<01db4c2a$5e6f7a80$1b2c3d4e$@transportesramos.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/mixed; boundary=\"----=_NextPart_000_0031_01DB4C00.8E1F5A20\""),
        ("X-Mailer", "Microsoft Outlook 15.0"),
    )
    + "\r\n" + "This is a multi-part message in MIME format.\r\n\r\n"
    + "------=_NextPart_000_0031_01DB4C00.8E1F5A20\r\n"
    + text_qp("Adjunto los documentos para mi inscripción como proveedor de servicios de transporte en el RNP. "
              "¿Me confirman si están completos?\n\nCarlos Ramos\n", "iso-8859-1")
    + "\r\n------=_NextPart_000_0031_01DB4C00.8E1F5A20\r\n"
    + "Content-Type: application/pdf;\r\n\tname=\"documentos-rnp.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
    + "Content-Disposition: attachment;\r\n\tfilename=\"documentos-rnp.pdf\"\r\n\r\n"
    + pdf_base64_truncated(),
    "A gateway cut the message short: the PDF's base64 ends mid-line and the closing boundary never comes.",
    sane=False)

add("b05_bare_lf_unix_mailer", "broken", "consultation", "none", "broken-bare-lf", "daemon@erp.ferreteriacentral.example",
    ("From: Compras Ferreteria Central <compras@ferreteriacentral.example>\n"
     f"To: {OFFICE}\n"
     "Subject: Consulta: contratacion de servicios de vigilancia\n"
     "Date: Wed, 02 Dec 2026 09:45:00 -0500\n"
     "Message-ID: <erp.882190.20261202094500@erp.ferreteriacentral.example>\n"
     "MIME-Version: 1.0\n"
     "Content-Type: text/plain; charset=utf-8\n"
     "Content-Transfer-Encoding: 8bit\n\n"
     "Estimados, para un servicio de vigilancia de 12 meses, ¿se convoca concurso público o adjudicación "
     "simplificada? El valor estimado es S/ 380,000.\n\nÁrea de Compras\n").encode("utf-8"),
    "A Unix mailer's bare LF line ends (SMTP servers turn them into CRLF on the way: the test server's Postfix "
    "does).", sane=False)

add("b06_no_from_header", "broken", "consultation", "none", "broken-no-from", "oficina.tecnica@obras-lambayeque.example",
    header(
        ("To", OFFICE),
        ("Subject", ew("Consulta: ¿la liquidación de obra se registra en el SEACE?")),
        ("Date", "Wed, 02 Dec 2026 10:01:17 -0500"),
        ("Message-ID", "<noform.1796223677.4411@obras-lambayeque.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("¿La liquidación del contrato de obra debe registrarse en el SEACE y en qué plazo?\n\n"
                    "Oficina Técnica\n"),
    "No From header at all (a script). Only the envelope names a sender; note that the test server's Postfix "
    "adds «From: <envelope>» for mail from loopback (local_header_rewrite_clients), which a real MX would not.",
    sane=False)


def long_references(n: int) -> str:
    ids = [f"<{hashlib.sha256(f'ref{i}'.encode()).hexdigest()[:24]}@mail.hilo-largo.example>" for i in range(n)]
    return "\n ".join(ids)


add("b07_sixty_kb_references_header", "broken", "consultation", "none", "broken-huge-header",
    "coordinacion@consorciolosandes.example",
    header(
        ("From", f"{ew('Coordinación Consorcio Los Andes')} <coordinacion@consorciolosandes.example>"),
        ("To", OFFICE),
        ("Cc", "residente@consorciolosandes.example"),
        ("Subject", "RE: RE: RE: RE: RE: " + ew("Valorización N° 14 - consulta")),
        ("Date", "Wed, 02 Dec 2026 10:22:58 -0500"),
        ("Message-ID", "<CLA.20261202.102258.0001@consorciolosandes.example>"),
        ("In-Reply-To", "<f00e2b7c9a1d3e5f6a7b8c9d@mail.hilo-largo.example>"),
        ("References", long_references(1250)),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Estimados, en este largo hilo con la entidad no nos responden: ¿la entidad puede retener el "
                    "pago de la valorización N° 14 mientras revisa el adicional? Les copio por si pueden orientarnos."
                    "\n\nCoordinación\n"),
    "A reply deep in a long Outlook thread: a single References header of about 60 KB (1,250 Message-IDs).")


def thunderbird_forward(inner: str, note: str, subject: str, mid: str, date: str, frm: str) -> str:
    boundary = "------------" + hashlib.sha256(mid.encode()).hexdigest()[:24]
    return header(
        ("Message-ID", f"<{mid}>"),
        ("Date", date),
        ("MIME-Version", "1.0"),
        ("User-Agent", "Mozilla Thunderbird"),
        ("Content-Language", "es-ES"),
        ("To", OFFICE),
        ("From", frm),
        ("Subject", subject),
        ("Content-Type", f"multipart/mixed; boundary=\"{boundary}\""),
    ) + "\r\n" + multipart(boundary, [
        part("text/plain; charset=UTF-8; format=flowed", note, "8bit"),
        part("message/rfc822; name=\"Reenviado.eml\"", inner, "8bit",
             ("Content-Disposition", "attachment; filename=\"Reenviado.eml\"")),
    ], "This is a multi-part message in MIME format.")


innermost = header(
    ("From", f"{ew('Teresa Ñaupari')} <tnaupari@comunidadcampesina.example>"),
    ("To", "Alcaldía <alcaldia@munihuanta.example>"),
    ("Subject", ew("Consulta sobre obra por impuestos")),
    ("Date", "Fri, 27 Nov 2026 16:02:10 -0500"),
    ("Message-ID", "<tn.20261127.1602@comunidadcampesina.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
) + "\r\n" + crlf("Señor alcalde: la comunidad quiere saber si una empresa minera puede ejecutar la carretera por "
                  "obras por impuestos o si debe convocarse una licitación en el SEACE.\n\nTeresa Ñaupari\n")
level1 = thunderbird_forward(innermost, "Para su atención.\n", "Fwd: " + ew("Consulta sobre obra por impuestos"),
                             "fw1.a1b2c3@munihuanta.example", "Mon, 30 Nov 2026 09:00:00 -0500",
                             "Alcaldía <alcaldia@munihuanta.example>")
level2 = thunderbird_forward(level1, "Derivo a Logística.\n", "Fwd: Fwd: " + ew("Consulta sobre obra por impuestos"),
                             "fw2.d4e5f6@munihuanta.example", "Mon, 30 Nov 2026 11:30:00 -0500",
                             "Gerencia Municipal <gerencia@munihuanta.example>")
add("b08_nested_forwards_three_levels", "broken", "consultation", "none", "broken-nested-forward", "logistica@munihuanta.example",
    thunderbird_forward(level2, "Consultamos al OSCE, ver el correo original abajo.\n",
                        "Fwd: Fwd: Fwd: " + ew("Consulta sobre obra por impuestos"),
                        "fw3.a7b8c9@munihuanta.example", "Tue, 01 Dec 2026 10:05:00 -0500",
                        f"{ew('Logística Municipalidad de Huanta')} <logistica@munihuanta.example>"),
    "Three forwards as attachments (message/rfc822 inside message/rfc822 inside message/rfc822); the question "
    "is only in the innermost message.")


def tnef(subject: str, body: str) -> bytes:
    def attr(level: int, att: int, data: bytes) -> bytes:
        return (struct.pack("<BII", level, att, len(data)) + data
                + struct.pack("<H", sum(data) & 0xFFFF))
    out = struct.pack("<IH", 0x223E9F78, 0x0C1F)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += attr(1, 0x00069007, struct.pack("<II", 1252, 0))
    out += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00")
    out += attr(1, 0x00018004, subject.encode("cp1252") + b"\x00")
    out += attr(1, 0x0002800C, crlf(body).encode("cp1252") + b"\x00")
    return out


add("b09_tnef_winmail_dat_only", "broken", "consultation", "none", "broken-tnef", "olazo@estudiolazo.example",
    header(
        ("From", "Oscar Lazo <olazo@estudiolazo.example>"),
        ("To", OFFICE),
        ("Subject", "Consulta - arbitraje"),
        ("Date", "Wed, 02 Dec 2026 10:40:02 -0500"),
        ("Message-ID", "<000a01db4c36$7f8e9d10$7eaba730$@estudiolazo.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/mixed;\n\tboundary=\"----=_NextPart_000_000B_01DB4C0C.96B89510\""),
        ("X-Mailer", "Microsoft Outlook 14.0"),
        ("Content-Language", "es-pe"),
    )
    + "\r\n" + multipart("----=_NextPart_000_000B_01DB4C0C.96B89510", [
        part("text/plain;\r\n\tcharset=\"us-ascii\"", "\r\n", "7bit"),
        part("application/ms-tnef;\r\n\tname=\"winmail.dat\"",
             b64(tnef("Consulta - arbitraje",
                      "Estimados: ¿el plazo de caducidad para iniciar arbitraje por la resolución del contrato es de "
                      "30 días hábiles desde la notificación? Atte. Oscar Lazo")),
             "base64", ("Content-Disposition", "attachment;\r\n\tfilename=\"winmail.dat\"")),
    ], "This is a multipart message in MIME format."),
    "Outlook in rich-text mode to a non-Exchange server: an empty text part and the question only inside "
    "winmail.dat (TNEF, its attBody).")

add("b10_attached_eml_only", "broken", "consultation", "none", "broken-eml-only", "gcastro.proveedor@gmail.example",
    header(
        ("MIME-Version", "1.0"),
        ("Date", "Wed, 02 Dec 2026 11:02:45 -0500"),
        ("Message-ID", "<CAK2p8Wq4Xm7Zn0Bv3Lc6Rt9Yu1Ei5Ow8Pa2Sd4Fg7Hj@mail.gmail.example>"),
        ("From", "Gonzalo Castro <gcastro.proveedor@gmail.example>"),
        ("To", OFFICE),
        ("Content-Type", "multipart/mixed; boundary=\"000000000000f1e2d3c405f5c7a8b9\""),
    )
    + "\r\n" + multipart("000000000000f1e2d3c405f5c7a8b9", [
        part("message/rfc822; name=\"Consulta RNP.eml\"", header(
            ("From", "Gonzalo Castro <gcastro.proveedor@gmail.example>"),
            ("To", "rnp@osce.test"),
            ("Subject", ew("Vigencia de inscripción como ejecutor de obras")),
            ("Date", "Mon, 30 Nov 2026 18:22:10 -0500"),
            ("Message-ID", "<CAK2p8Wq4Xm7Zn0Bv3Lc6Rt9Yu1Ei5Ow8Pa2Sd4Fg7Hk@mail.gmail.example>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=\"UTF-8\""),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ) + "\r\n" + qp("Mi inscripción como ejecutor de obras vence el 15 de diciembre. Si la renuevo después, "
                        "¿pierdo la experiencia registrada y la capacidad de contratación?\n\nGonzalo Castro\n"),
             None, ("Content-Disposition", "attachment; filename=\"Consulta RNP.eml\"")),
    ]),
    "No subject, no text: the only part is an attached .eml (message/rfc822) holding the question.")

add("b11_base64_declared_plain_text_body", "broken", "consultation", "none", "broken-transfer-encoding",
    "asistente@drelima.example",
    header(
        ("From", "Asistente Administrativo DRE <asistente@drelima.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta sobre caja chica y compras menores")),
        ("Date", "Wed, 02 Dec 2026 11:20:30 -0500"),
        ("Message-ID", "<dre.ca.20261202.1120@drelima.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "base64"),
    )
    + "\r\n" + crlf("¿Las compras con caja chica menores a 1 UIT deben registrarse en el SEACE?\n"
                    "Gracias, Asistente Administrativo\n"),
    "Content-Transfer-Encoding says base64, the body is plain UTF-8 text (a mailer that set the header and "
    "forgot to encode).", sane=False)

add("b12_damaged_quoted_printable", "broken", "consultation", "none", "broken-transfer-encoding",
    "rvaldez@constructoravaldez.example",
    header(
        ("From", "Rosario Valdez <rvaldez@constructoravaldez.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta: subcontratación en obra")),
        ("Date", "Wed, 02 Dec 2026 11:41:00 -0500"),
        ("Message-ID", "<rv.20261202114100@constructoravaldez.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    + "\r\n" + crlf("Se=C3=B1ores, =C2=BFpuedo subcontratar el 40% de la obra sin autorizaci=C3=\n"
                    "=B3n de la entidad? El contrato dice =\"m=C3=A1ximo 40%=\" pero el residente dice que=20\n"
                    "se requiere aprobaci=C3=B3n previa =ZZ y no s=C3=A9 qu=E9 hacer.\n\nRosario Valdez=\n"),
    "Quoted-printable damaged: a soft break inside a UTF-8 sequence, bare «=\"», an invalid «=ZZ», a raw Latin-1 "
    "escape (=E9) in UTF-8 text.", sane=False)

add("b13_broken_encoded_words", "broken", "consultation", "none", "broken-encoded-words", "karen.ch@munisullana.example",
    header(
        ("From", "\"=?utf8?Q?Karen_Ch=C3=A1vez?=\" <karen.ch@munisullana.example>"),
        ("To", OFFICE),
        ("Subject", "=?UTF-8?Q?Consulta_sobre_el_comit=C3=A9_de_selecci=C3=B3n_y?= =?UTF-8?Q?_los_suplentes"),
        ("Date", "Wed, 02 Dec 2026 12:02:10 -0500"),
        ("Message-ID", "<ks.20261202.1202@munisullana.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("¿Un suplente del comité de selección puede firmar el acta si el titular está de licencia pero "
                    "no fue reemplazado formalmente?\n\nKaren Chávez\n"),
    "Broken RFC 2047: the charset spelled «utf8» inside quotes, and the subject's second encoded word never "
    "closes («?=» missing).", sane=False)

add("b14_multipart_without_boundary", "broken", "consultation", "none", "broken-mime-structure", "edu.paucar@hotmail.example",
    header(
        ("From", f"{ew('Eduardo Paucar')} <edu.paucar@hotmail.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta sobre garantía de seriedad de oferta")),
        ("Date", "Wed, 02 Dec 2026 12:30:44 -0500"),
        ("Message-ID", "<ep.mb.20261202123044@hotmail.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative"),
    )
    + "\r\n" + crlf("--Apple-Mail-6B1E0F2A\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                    "¿En los procedimientos de selección todavía se exige garantía de seriedad de oferta?\n\n"
                    "Eduardo Paucar\n--Apple-Mail-6B1E0F2A--\n"),
    "Content-Type: multipart/alternative with no boundary parameter; the body uses one anyway.", sane=False)

add("b15_html_only_conflicting_charsets", "broken", "consultation", "none", "broken-charset", "secretaria@ieplosandes.example",
    header(
        ("From", "Secretaria IEP Los Andes <secretaria@ieplosandes.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta - compra de uniformes escolares")),
        ("Date", "Wed, 02 Dec 2026 13:00:09 -0500"),
        ("Message-ID", "<iep.20261202130009.22@ieplosandes.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ).encode("ascii") + b"\r\n"
    + cp1252("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>"
             "<p>Se\u00f1ores: \u00bfuna instituci\u00f3n educativa p\u00fablica puede comprar uniformes escolares a "
             "una MYPE sin procedimiento de selecci\u00f3n si el monto es S/ 35,000?<p>Gracias<br>Secretar\u00eda"
             "</body></html>\n"),
    "HTML only: the header says UTF-8, the <meta> says windows-1252 and the bytes are windows-1252; unclosed "
    "tags.", sane=False)

add("b16_garbage_date_no_message_id", "broken", "consultation", "none", "broken-dates", "reloj.control@planta-cusco.example",
    header(
        ("From", "Operador Planta <reloj.control@planta-cusco.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta sobre servicio de mantenimiento de balanza")),
        ("Date", "31/11/2026 25:61"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + crlf("Consulta ref. PLT-7781: ¿el mantenimiento preventivo de la balanza de la planta se contrata como "
                    "servicio o como bien, si incluye repuestos?\n"),
    "An embedded device's mailer: an impossible Date («31/11/2026 25:61») and no Message-ID (the test server's "
    "Postfix adds one for mail from loopback).", token="Consulta ref. PLT-7781", sane=False)

add("b17_utf16_text_plain", "broken", "consultation", "none", "broken-charset", "admin@colegio-sanmartin.example",
    header(
        ("From", f"{ew('Administración Colegio San Martín')} <admin@colegio-sanmartin.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta: ¿debemos inscribirnos en el RNP para vender al Estado?")),
        ("Date", "Wed, 02 Dec 2026 13:30:40 -0500"),
        ("Message-ID", "<csm.u16.20261202133040@colegio-sanmartin.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=\"utf-16\""),
        ("Content-Transfer-Encoding", "base64"),
    )
    + "\r\n" + b64(crlf("Somos un colegio privado y queremos vender servicios de capacitación a una UGEL. ¿Necesitamos "
                        "inscripción en el RNP aunque el monto sea pequeño?\n\nAdministración\n").encode("utf-16")),
    "UTF-16 (with BOM) text/plain, base64: what some Windows mailers send.")

add("b18_blank_text_beside_html", "broken", "consultation", "none", "broken-blank-alternative", "lmedina@outlook-mac.example",
    header(
        ("From", "Lorena Medina <lmedina@outlook-mac.example>"),
        ("To", OFFICE),
        ("Subject", ew("Pregunta sobre el registro de contratos en el SEACE")),
        ("Date", "Wed, 02 Dec 2026 14:02:11 -0500"),
        ("Message-ID", "<C1D2E3F4-A5B6-4C7D-8E9F-0A1B2C3D4E5F@outlook-mac.example>"),
        ("Thread-Topic", ew("Pregunta sobre el registro de contratos en el SEACE")),
        ("User-Agent", "Microsoft-MacOutlook/16.90.24120115"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "multipart/alternative;\n\tboundary=\"B_3816253331_1922884451\""),
    )
    + "\r\n" + multipart("B_3816253331_1922884451", [
        part("text/plain;\r\n\tcharset=\"UTF-8\"", "\r\n\r\n", "quoted-printable"),
        html_qp("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>"
                "<div><span style=\"font-size:11pt\">¿En qué plazo debe la entidad registrar el contrato en el "
                "SEACE después de firmado? Soy proveedora y no lo veo publicado.</span></div><div>Lorena Medina"
                "</div></body></html>"),
    ], "> This message is in MIME format. Since your mail reader does not understand\n"
       "this format, some or all of this message may not be legible.\n"),
    "An alternative whose text part is blank and whose HTML part holds the question.")

add("b19_twenty_kb_single_line", "broken", "consultation", "none", "broken-long-line", "fgonzales@cooperativa-agraria.example",
    header(
        ("From", "Felipe Gonzales <fgonzales@cooperativa-agraria.example>"),
        ("To", OFFICE),
        ("Subject", ew("Consulta larga sobre compras a la agricultura familiar")),
        ("Date", "Wed, 02 Dec 2026 14:40:00 -0500"),
        ("Message-ID", "<fg.longline.20261202144000@cooperativa-agraria.example>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    + "\r\n" + ("Somos una cooperativa agraria y queremos vender alimentos a los programas sociales; "
                "¿las compras a la agricultura familiar están exceptuadas de la ley de contrataciones? "
                + "Explicamos nuestra situación con detalle: " + ("la cooperativa agrupa a 240 familias productoras "
                "de papa nativa, quinua y habas en tres distritos, vende directamente en ferias y a dos municipios, "
                "y no sabe si debe inscribirse en el RNP como proveedor de bienes o si basta con el registro "
                "municipal; ") * 60 + "gracias.\r\n"),
    "A textarea pasted as one 20 KB line (no line breaks at all).", sane=False)

forwarded_b64_inner = header(
    ("From", f"{ew('Sonia Ríos')} <sonia.rios@agroexport.example>"),
    ("To", "gerencia@agroexport.example"),
    ("Subject", ew("Duda sobre el RNP")),
    ("Date", "Tue, 01 Dec 2026 17:00:00 -0500"),
    ("Message-ID", "<sr.20261201170000@agroexport.example>"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Transfer-Encoding", "8bit"),
) + "\r\n" + crlf("Gerente: ¿nuestra inscripción en el RNP como proveedor de bienes nos permite vender servicios de "
                  "fumigación o hay que ampliar a servicios?\n\nSonia\n")
add("b20_rfc822_part_base64_encoded", "broken", "consultation", "none", "broken-mime-structure", "gerencia@agroexport.example",
    header(
        ("From", "Gerencia Agroexport <gerencia@agroexport.example>"),
        ("To", OFFICE),
        ("Subject", "Fwd: " + ew("Duda sobre el RNP")),
        ("Date", "Wed, 02 Dec 2026 08:10:10 -0500"),
        ("Message-ID", "<7F1E2D3C-4B5A-4968-8776-655443322110@agroexport.example>"),
        ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))"),
        ("Content-Type", "multipart/mixed;\n\tboundary=\"Apple-Mail=_9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D\""),
    )
    + "\r\n" + multipart("Apple-Mail=_9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D", [
        part("text/plain;\r\n\tcharset=utf-8", "Reenvío la duda de Sonia para que nos orienten.\r\n", "8bit"),
        part("message/rfc822;\r\n\tname=\"Duda sobre el RNP.eml\"", b64(forwarded_b64_inner.encode("utf-8")), "base64",
             ("Content-Disposition", "attachment;\r\n\tfilename=\"Duda sobre el RNP.eml\"")),
    ]),
    "A forwarded message attached as message/rfc822 but base64-encoded (RFC 2046 forbids it; some clients do it).",
    sane=False)

add("b21_subject_only_empty_body", "broken", "consultation", "none", "broken-empty-body", "mtorres.ing@gmail.example",
    header(
        ("MIME-Version", "1.0"),
        ("Date", "Wed, 02 Dec 2026 15:01:33 -0500"),
        ("Message-ID", "<CAM5k1Lq8Wz3Xn6Bv9Cr2Ty5Ue8Io1Pa4Sd7Fg0Hj3@mail.gmail.example>"),
        ("Subject", ew("¿Cuánto cuesta la inscripción en el RNP como ejecutor de obras?")),
        ("From", "Miguel Torres <mtorres.ing@gmail.example>"),
        ("To", OFFICE),
        ("Content-Type", "multipart/alternative; boundary=\"000000000000a9b8c7d605f5c8e9f0\""),
    )
    + "\r\n" + multipart("000000000000a9b8c7d605f5c8e9f0", [
        part("text/plain; charset=\"UTF-8\"", "\r\n"),
        part("text/html; charset=\"UTF-8\"", "<div dir=\"ltr\"><br></div>\r\n"),
    ]),
    "The whole question is in the subject; both alternatives are empty.")


# ---------------------------------------------------------------------------------------------------------------
# Splitting, writing and checking.

def seeded(name: str) -> str:
    return hashlib.sha256(f"{SEED}:{name}".encode()).hexdigest()


def split(cases: list[Case]) -> dict[str, list[Case]]:
    """Within each group (kind, and beside apart from the rest), order by the seeded hash and alternate: both
    halves hold every kind in equal measure, and no one chose which case went where."""
    halves: dict[str, list[Case]] = {"tune": [], "heldout": []}
    groups: dict[str, list[Case]] = {}
    for c in cases:
        groups.setdefault(f"{c.kind}/{c.expect == 'beside'}", []).append(c)
    for key in sorted(groups):
        for i, c in enumerate(sorted(groups[key], key=lambda c: seeded(c.name))):
            halves["tune" if i % 2 == 0 else "heldout"].append(c)
    for h in halves.values():
        h.sort(key=lambda c: c.name)
    return halves


def labels_toml(half: str, cases: list[Case]) -> str:
    out = [
        f"# Labels of tests/hostile_independent/{half}/ (written by make.py; do not edit).",
        "# kind: machine | person | broken; expect: automatic | consultation | error | beside;",
        "# signal: what makes it machine mail (for people: the machine-like sign it carries);",
        "# mail_from: the SMTP envelope sender (\"\" = MAIL FROM:<>); token: bytes only this case holds;",
        "# sane: well-formed MIME on purpose; anchor/about: beside cases, the consultation and what of ours they",
        "# answer. A beside case is a template: tests/hostile_independent.rs fills its %%X:NAME%% placeholders.",
        "# answer_to: people and broken mail, the address the acknowledgement must reach (Reply-To, From).",
        "# undelivered: a beside case saying our acknowledgement or reply did not reach the citizen.",
        "",
    ]
    for c in cases:
        out += [
            "[[case]]",
            f'file = "{c.name}.eml"',
            f'kind = "{c.kind}"',
            f'expect = "{c.expect}"',
            f'signal = "{c.signal}"',
            f'family = "{c.family}"',
            f"mail_from = {toml_str(c.mail_from)}",
            f"token = {toml_str(c.token)}",
            f"sane = {'true' if c.sane else 'false'}",
        ]
        if c.anchor:
            out += [f'anchor = "{c.anchor}"', f'about = "{c.about}"']
        if c.answer_to:
            out += [f'answer_to = "{c.answer_to}"']
        if c.undelivered:
            out += ["undelivered = true"]
        out += [f"note = {toml_str(c.note)}", ""]
    return "\n".join(out)


def outputs() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {HERE / "anchors.toml": anchors_toml().encode()}
    for half, cases in split(CASES).items():
        files[HERE / half / "labels.toml"] = labels_toml(half, cases).encode()
        for c in cases:
            files[HERE / half / f"{c.name}.eml"] = c.raw
    return files


def build() -> int:
    files = outputs()
    for half in ("tune", "heldout"):
        (HERE / half).mkdir(exist_ok=True)
        for old in (HERE / half).glob("*.eml"):
            if old not in files:
                old.unlink()
    for path, data in files.items():
        path.write_bytes(data)
    print(f"wrote {len(files)} files ({len(CASES)} cases) under {HERE}")
    return 0


# ----- MIME sanity -----

ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
TRANSFER_ENCODINGS = {"7bit", "8bit", "binary", "base64", "quoted-printable"}
BAD_QP = re.compile(r"=(?![0-9A-F]{2}|\r?\n|$)")


def sanity(raw: bytes) -> list[str]:
    """What is wrong with a message as MIME (RFC 5322, 2045–2047, 2046, 3464, 8098); empty when nothing."""
    problems: list[str] = []
    head_end = raw.find(b"\r\n\r\n")
    if head_end < 0:
        return ["no header/body separator with CRLF"]
    head = raw[:head_end + 2]
    if re.search(rb"(?<!\r)\n", raw):
        problems.append("bare LF")
    if re.search(rb"\r(?!\n)", raw):
        problems.append("bare CR")
    if any(len(line) > 998 for line in raw.split(b"\r\n")):
        problems.append("a line over 998 octets")
    if any(b >= 0x80 for b in head):
        problems.append("8-bit bytes in the header")
    fields = re.sub(rb"\r\n[ \t]", b" ", head).decode("ascii", "replace").split("\r\n")
    names = {f.split(":", 1)[0].strip().lower() for f in fields if ":" in f}
    for need in ("from", "date"):
        if need not in names:
            problems.append(f"no {need.title()} field")
    for f in fields:
        name, _, value = f.partition(":")
        if name.strip().lower() == "date":
            try:
                email.utils.parsedate_to_datetime(value.strip())
            except (TypeError, ValueError):
                problems.append(f"unreadable Date «{value.strip()}»")
        words = ENCODED_WORD.findall(value)
        if value.count("=?") != len(words):
            problems.append(f"a malformed encoded word in {name.strip()}")
        for charset, _, _ in words:
            try:
                "".encode(charset)
            except LookupError:
                problems.append(f"unknown charset «{charset}» in an encoded word")
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for p in msg.walk():
        for d in p.defects:
            problems.append(f"{type(d).__name__} in {p.get_content_type()}")
        ctype = p.get_content_type()
        cte = str(p.get("Content-Transfer-Encoding", "7bit")).strip().lower()
        if cte not in TRANSFER_ENCODINGS:
            problems.append(f"unknown transfer encoding «{cte}»")
        if ctype.startswith("multipart/") or ctype.startswith("message/"):
            if cte not in ("7bit", "8bit", "binary"):
                problems.append(f"{ctype} encoded {cte}")
            if ctype.startswith("multipart/"):
                boundary = p.get_boundary()
                if not boundary:
                    problems.append(f"{ctype} without a boundary")
                elif f"--{boundary}--".encode() not in raw:
                    problems.append(f"{ctype} never closed")
                report = p.get_param("report-type")
                if ctype == "multipart/report" and report:
                    wanted = {"delivery-status": "message/delivery-status",
                              "disposition-notification": "message/disposition-notification"}.get(str(report))
                    if wanted and not any(q.get_content_type() == wanted for q in p.get_payload()):
                        problems.append(f"report without its {wanted} part")
            continue
        # The bytes as they stand in the message (the parser keeps 8-bit bytes as surrogates).
        payload = p._payload  # noqa: SLF001 - get_payload() would re-decode them with the declared charset
        if not isinstance(payload, str):
            continue
        body = payload.encode("ascii", "surrogateescape")
        if cte in ("base64", "quoted-printable") and any(b >= 0x80 for b in body):
            problems.append(f"{ctype}: 8-bit bytes in {cte}")
        if cte == "base64":
            try:
                data = binascii.a2b_base64(re.sub(rb"\s", b"", body), strict_mode=True)
            except (binascii.Error, ValueError):
                problems.append(f"{ctype}: damaged base64")
                continue
        elif cte == "quoted-printable":
            if BAD_QP.search(body.decode("ascii", "replace")):
                problems.append(f"{ctype}: damaged quoted-printable")
            data = quopri.decodestring(body)
        else:
            data = body
            if cte == "7bit" and any(b >= 0x80 for b in data):
                problems.append(f"{ctype}: 8-bit bytes labelled 7bit")
        if ctype.startswith("text/"):
            charset = p.get_content_charset() or "us-ascii"
            try:
                data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                problems.append(f"{ctype}: not {charset}")
    return problems


def check() -> int:
    errors: list[str] = []
    files = outputs()
    for path, data in files.items():
        if not path.exists():
            errors.append(f"{path.relative_to(HERE)}: missing (run make.py)")
        elif path.read_bytes() != data:
            errors.append(f"{path.relative_to(HERE)}: differs from what make.py writes")
    for half in ("tune", "heldout"):
        for eml in (HERE / half).glob("*.eml"):
            if eml not in files:
                errors.append(f"{half}/{eml.name}: not written by make.py (no label)")
        labels = tomllib.loads((HERE / half / "labels.toml").read_text())["case"]
        for lab in labels:
            if not (HERE / half / lab["file"]).exists():
                errors.append(f"{half}/labels.toml: {lab['file']} has no file")
            if lab["kind"] not in KINDS or lab["expect"] not in EXPECTS or lab["signal"] not in SIGNALS:
                errors.append(f"{half}/{lab['file']}: kind/expect/signal out of vocabulary")
            if (lab["expect"] == "beside") != ("anchor" in lab):
                errors.append(f"{half}/{lab['file']}: beside cases, and only they, name an anchor")
            if lab["kind"] == "person" and lab["expect"] != "consultation":
                errors.append(f"{half}/{lab['file']}: a person's mail is a consultation")
            if (lab["kind"] != "machine") != ("@" in lab.get("answer_to", "")):
                errors.append(f"{half}/{lab['file']}: people and broken mail, and only they, name answer_to")
            if lab.get("answer_to") in {a.citizen for a in ANCHORS}:
                errors.append(f"{half}/{lab['file']}: answer_to is an anchor's citizen (a conversation)")
            if lab["kind"] == "broken" and lab["expect"] not in ("consultation", "error"):
                errors.append(f"{half}/{lab['file']}: broken mail is a consultation or an error")
    rendered = {c.name: render(c.raw) for c in CASES}
    anchor_ids = [a.message_id for a in ANCHORS]
    for c in CASES:
        holes = {(m[1].decode(), m[2].decode()) for m in PLACEHOLDER.finditer(c.raw)}
        if (c.expect == "beside") != bool(holes):
            errors.append(f"{c.name}: placeholders only and always in beside cases")
        if any(k != c.anchor or n not in PLACEHOLDERS for k, n in holes):
            errors.append(f"{c.name}: placeholders of another anchor or unknown names: {sorted(holes)}")
        token = c.token.encode()
        if token not in c.raw:
            errors.append(f"{c.name}: its token is not in its template")
        others = [o for o, raw in rendered.items() if o != c.name and token in raw]
        if others or any(c.token in a for a in anchor_ids):
            errors.append(f"{c.name}: token also in {others or 'an anchor'}")
        if b"%%" in rendered[c.name]:
            errors.append(f"{c.name}: a placeholder the test could not fill (split or misspelt)")
        problems = sanity(rendered[c.name])
        if c.sane and problems:
            errors.append(f"{c.name}: meant to be sane MIME, but: {'; '.join(problems)}")
        if not c.sane and not problems:
            errors.append(f"{c.name}: meant to be broken, but every check passes")
    if len({c.name for c in CASES}) != len(CASES):
        errors.append("two cases share a name")
    halves = split(CASES)
    census = Counter((h, c.kind, c.expect) for h, cs in halves.items() for c in cs)
    for (h, kind, expect), n in sorted(census.items()):
        print(f"  {h:8} {kind:8} {expect:13} {n:3}")
    signals = Counter(c.signal for c in CASES if c.kind == "machine")
    print("  machine signals: " + ", ".join(f"{s} {n}" for s, n in sorted(signals.items())))
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(f"{len(CASES)} cases, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv[1:] else build())
