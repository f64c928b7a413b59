#!/usr/bin/env python3
"""Build the held-out routing corpus: 0001.eml ... 0150.eml and labels.toml.

Python 3.11, standard library only, deterministic: the same script always writes the
same bytes (fixed seeds, no clock, no environment).

    python3 make.py            # (re)write the corpus next to this script
    python3 make.py --check    # parse every .eml back and verify it (RFC 5322 / MIME sanity)

The messages are hand-written consultations (see MESSAGES at the bottom); this file only
dresses them as the mail clients citizens really use would (Gmail, Outlook, Thunderbird,
iPhone, Android, municipal webmail), with their charsets, transfer encodings, quoting
styles, signatures and attachments. See README.md for the labelling guide.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email
import email.policy
import hashlib
import html
import html.entities
import random
import sys
import textwrap
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20251122
OUT = Path(__file__).resolve().parent
MAILBOX = "consultas@osce.gob.pe"
FOLDERS = ("SEACE", "RNP", "Legal", "Por clasificar")
LIMA = dt.timezone(dt.timedelta(hours=-5))
CRLF = "\r\n"

# --------------------------------------------------------------------------------------
# Message specification
# --------------------------------------------------------------------------------------


@dataclass
class Quote:
    """An earlier message shown below the new text (reply) or as the content (forward)."""

    frm: tuple[str, str]
    text: str
    subject: str
    to: tuple[str, str] | None = None
    days_before: float = 2.0
    kind: str = "reply"  # reply | forward


@dataclass
class Spec:
    folder: str
    note: str
    subject: str
    body: str
    frm: tuple[str, str] | None = None
    client: str | None = None  # gmail outlook outlook_old thunderbird iphone android webmail yahoo
    charset: str | None = None
    cte: str | None = None  # 7bit 8bit quoted-printable base64
    html: str | None = None  # none alt only only_style
    sig: str | None = None
    quote: Quote | None = None
    attach: list[str] = field(default_factory=list)
    noaccents: bool = False
    cc: list[str] = field(default_factory=list)
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    date: str | None = None  # literal Date header override
    subject_enc: str | None = None  # B Q partial
    rfc822: Quote | None = None  # forwarded as attachment (message/rfc822)
    raw_kind: str | None = None  # special whole-message kinds: bounce


MESSAGES: list[Spec] = []


def T(s: str) -> str:
    """Dedent a triple-quoted body and drop the first and last blank lines."""
    return textwrap.dedent(s).strip("\n")


def m(folder: str, note: str, subject: str, body: str, **kw) -> None:
    assert folder in FOLDERS, folder
    MESSAGES.append(Spec(folder, note, subject, T(body), **kw))


# --------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------

DIAS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
DIAS_AB = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre"]
MESES_AB = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]


def strip_accents(s: str) -> str:
    out = []
    for ch in s:
        if ch in "ñÑ¿¡":
            out.append(ch)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


def is_ascii(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


def unwrap(text: str) -> str:
    """Join the lines of a paragraph that the source file wrapped (mail clients send one long line).

    Short lines (signatures, addresses, lists) keep their breaks: only a line of 60+ characters
    that does not end a sentence, followed by a non-empty line, is treated as wrapped.
    """
    lines = text.split("\n")
    out: list[str] = []
    for ln in lines:
        if out and len(out[-1]) >= 60 and ln.strip() and not out[-1].rstrip().endswith((".", "?", "!", ":")) \
                and not out[-1].startswith((">", "-----", "De:", "Para:")) \
                and not ln.lstrip().startswith(("-", "•", ">", "De:", "Enviado", "Para:", "Asunto:")):
            out[-1] = out[-1] + " " + ln.strip()
        else:
            out.append(ln)
    return "\n".join(out)


def flow(text: str, width: int = 72) -> str:
    """RFC 3676 format=flowed: soft line breaks end in a space (Thunderbird style)."""
    out = []
    for ln in text.split("\n"):
        if ln.startswith(">") or len(ln) <= width or ln == "-- ":
            out.append(ln)
            continue
        words, cur = ln.split(" "), ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur + " ")
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        out.append(cur)
    return "\n".join(out)


def crlf(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\n", CRLF)


def quoted_lines(text: str, prefix: str = "> ") -> str:
    return "\n".join((prefix + ln) if ln else prefix.rstrip() for ln in text.split("\n"))


def fecha_larga(d: dt.datetime) -> str:
    return f"{DIAS[d.weekday()]}, {d.day} de {MESES[d.month - 1]} de {d.year} {d:%H:%M}"


def fecha_gmail(d: dt.datetime) -> str:
    return f"{DIAS_AB[d.weekday()]}, {d.day} {MESES_AB[d.month - 1]} {d.year} a las {d:%H:%M}"


def fecha_outlook_old(d: dt.datetime) -> str:
    h = d.hour % 12 or 12
    ampm = "a. m." if d.hour < 12 else "p. m."
    return f"{DIAS[d.weekday()]}, {d.day} de {MESES[d.month - 1]} de {d.year} {h:02d}:{d:%M} {ampm}"


# --------------------------------------------------------------------------------------
# RFC 2047 / 2231 / folding
# --------------------------------------------------------------------------------------

Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def q_encode(b: bytes, lower_hex: bool = False) -> str:
    out = []
    for c in b:
        if c in Q_SAFE:
            out.append(chr(c))
        elif c == 0x20:
            out.append("_")
        else:
            out.append(f"={c:02x}" if lower_hex else f"={c:02X}")
    return "".join(out)


def encoded_words(text: str, charset: str, enc: str, lower_hex: bool = False) -> list[str]:
    """Split text into RFC 2047 encoded words of at most 75 characters, never splitting a character."""
    prefix = f"=?{'UTF-8' if charset.lower() == 'utf-8' else charset}?{enc}?"
    room = 75 - len(prefix) - 2

    def encode(s: str) -> str:
        b = s.encode(charset)
        return base64.b64encode(b).decode() if enc == "B" else q_encode(b, lower_hex)

    words, cur = [], ""
    for ch in text:
        if cur and len(encode(cur + ch)) > room:
            words.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        words.append(cur)
    return [prefix + encode(w) + "?=" for w in words]


def fold_tokens(name: str, tokens: list[str]) -> str:
    """Join tokens with spaces, folding with CRLF+SP before a token that would pass 78 columns."""
    line = name + ":"
    lines = []
    for tok in tokens:
        if len(line) + 1 + len(tok) > 78 and line != name + ":":
            lines.append(line)
            line = " " + tok
        else:
            line += " " + tok
    lines.append(line)
    return CRLF.join(lines)


def unstructured(name: str, value: str, charset: str = "utf-8", enc: str = "B", lower_hex=False) -> str:
    """A header with unstructured text (Subject), RFC 2047-encoded when not ASCII."""
    if value == "":
        return name + ": "
    if is_ascii(value):
        return fold_tokens(name, value.split(" "))
    if enc == "partial":
        # Only the run from the first to the last non-ASCII word is encoded (Thunderbird/Apple style).
        parts = value.split(" ")
        idx = [i for i, p in enumerate(parts) if not is_ascii(p)]
        a, b = idx[0], idx[-1]
        toks = parts[:a] + encoded_words(" ".join(parts[a:b + 1]), charset, "Q", lower_hex) + parts[b + 1:]
        return fold_tokens(name, toks)
    return fold_tokens(name, encoded_words(value, charset, enc, lower_hex))


SPECIALS = set('()<>[]:;@\\,."')


def mailbox(name: str, addr: str, charset: str = "utf-8", enc: str = "B") -> list[str]:
    if not name:
        return [addr]
    if is_ascii(name):
        shown = f'"{name}"' if any(c in SPECIALS for c in name) else name
        return shown.split(" ") + [f"<{addr}>"]
    return encoded_words(name, charset, enc) + [f"<{addr}>"]


def address_header(hname: str, boxes: list[tuple[str, str]], charset="utf-8", enc="B") -> str:
    toks: list[str] = []
    for i, (n, a) in enumerate(boxes):
        t = mailbox(n, a, charset, enc)
        if i < len(boxes) - 1:
            t[-1] += ","
        toks += t
    return fold_tokens(hname, toks)


# --------------------------------------------------------------------------------------
# Body encodings
# --------------------------------------------------------------------------------------


def encode_body(text: str, charset: str, cte: str) -> bytes:
    raw = crlf(text).encode(charset)
    if cte in ("7bit", "8bit"):
        if cte == "7bit":
            assert all(c < 128 for c in raw), "7bit body with non-ASCII"
        return raw
    if cte == "quoted-printable":
        qp = binascii.b2a_qp(raw.replace(b"\r\n", b"\n"), quotetabs=False, istext=True, header=False)
        return qp.replace(b"\n", b"\r\n")
    if cte == "base64":
        b = base64.encodebytes(raw).replace(b"\n", b"\r\n")
        return b.rstrip(b"\r\n")
    raise ValueError(cte)


def b64_lines(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n").rstrip(b"\r\n")


# --------------------------------------------------------------------------------------
# Attachments (tiny but well-formed stubs)
# --------------------------------------------------------------------------------------

PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
JPG_STUB = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
    "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0bffda0008010100003f00d2cf20ffd9")


def pdf_stub(title: str) -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"3 0 obj << /Title (" + title.encode("ascii", "replace") + b") >> endobj\n"
            b"trailer << /Root 1 0 R /Info 3 0 R >>\n%%EOF\n")


def attachment_bytes(filename: str) -> tuple[str, bytes]:
    low = filename.lower()
    if low.endswith(".pdf"):
        return "application/pdf", pdf_stub(filename)
    if low.endswith(".png"):
        return "image/png", PNG_1x1
    if low.endswith((".jpg", ".jpeg")):
        return "image/jpeg", JPG_STUB
    if low.endswith(".docx"):
        return ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + filename.encode("utf-8"))
    if low.endswith(".xlsx"):
        return ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + filename.encode("utf-8"))
    return "application/octet-stream", filename.encode("utf-8")


# --------------------------------------------------------------------------------------
# Client styles
# --------------------------------------------------------------------------------------

CLIENTS = ["gmail", "gmail", "gmail", "outlook", "outlook", "outlook_old", "thunderbird", "iphone",
           "android", "webmail", "yahoo"]

OSCE = ("Consultas OSCE", MAILBOX)


def msgid(client: str, r: random.Random, addr: str) -> str:
    hx = lambda n: "".join(r.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    an = lambda n: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))  # noqa: E731
    dom = addr.split("@")[1]
    if client in ("gmail", "android"):
        return f"<CA{an(2)}+{an(38)}@mail.gmail.com>"
    if client in ("outlook", "outlook_old"):
        srv = f"{r.choice(['SJ0PR', 'CH3PR', 'BN8PR', 'DM6PR', 'PH7PR', 'SA1PR'])}{r.randint(10, 19)}MB{r.randint(1000, 9999)}"
        return f"<{srv}{an(20).upper()}{hx(6).upper()}@{srv}.namprd{r.randint(10, 19)}.prod.outlook.com>"
    if client == "thunderbird":
        return f"<{hx(8)}-{hx(4)}-{hx(4)}-{hx(4)}-{hx(12)}@{dom}>"
    if client == "iphone":
        return f"<{hx(8).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(12).upper()}@{dom}>"
    if client == "yahoo":
        return f"<{r.randint(10**8, 10**9)}.{r.randint(10**6, 10**7)}.{r.randint(10**12, 10**13)}@mail.yahoo.com>"
    return f"<{hx(32)}@{dom}>"


def boundary(client: str, r: random.Random, n: int) -> str:
    hx = lambda k: "".join(r.choice("0123456789abcdef") for _ in range(k))  # noqa: E731
    if client in ("gmail", "android"):
        return "0000000000" + hx(16)
    if client in ("outlook", "outlook_old"):
        return f"_00{n}_SJ0PR13MB{r.randint(1000, 9999)}{hx(12).upper()}namp_"
    if client == "thunderbird":
        return "------------" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(24))
    if client == "iphone":
        return f"Apple-Mail-{hx(8).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(4).upper()}-{hx(12).upper()}"
    if client == "yahoo":
        return f"----=_Part_{r.randint(100000, 999999)}_{r.randint(10**8, 10**9)}.{r.randint(10**12, 10**13)}"
    return f"=_{hx(32)}"


def text_to_html_fragment(text: str, client: str, entities: bool) -> str:
    """Render plain text as the HTML a client would send (one block per line)."""
    def esc(s: str) -> str:
        e = html.escape(s, quote=False)
        return _named_entities(e) if entities else e

    out = []
    for ln in text.split("\n"):
        if client in ("outlook", "outlook_old"):
            out.append(f'<p class="MsoNormal">{esc(ln) if ln else "<o:p>&nbsp;</o:p>"}</p>')
        elif client == "thunderbird":
            out.append(f"{esc(ln)}<br>" if ln else "<br>")
        else:
            out.append(f"<div>{esc(ln) if ln else '<br>'}</div>")
    return "\n".join(out)


def _named_entities(s: str) -> str:
    out = []
    for ch in s:
        if ord(ch) > 127:
            name = html.entities.codepoint2name.get(ord(ch))
            out.append(f"&{name};" if name else f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


STYLE_OUTLOOK = """<style><!--
/* Font Definitions */
@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif; mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; text-decoration:underline;}
span.EstiloCorreo17 {mso-style-type:personal-compose; font-family:"Calibri",sans-serif; color:windowtext;}
.MsoChpDefault {mso-style-type:export-only; font-family:"Calibri",sans-serif;}
@page WordSection1 {size:612.0pt 792.0pt; margin:70.85pt 3.0cm 70.85pt 3.0cm;}
div.WordSection1 {page:WordSection1;}
--></style>"""

STYLE_WEBMAIL = """<style type="text/css">
body { font-family: Arial, Helvetica, sans-serif; font-size: 12px; color: #222222; }
.firma { color: #7f7f7f; font-size: 10px; border-top: 1px solid #cccccc; padding-top: 6px; }
.aviso { color: #999999; font-size: 9px; font-style: italic; }
table.marco { border-collapse: collapse; width: 100%; }
</style>"""


def wrap_html(client: str, inner: str, charset: str, style: bool) -> str:
    if client in ("outlook", "outlook_old"):
        return (
            '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
            'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
            f"{STYLE_OUTLOOK}\n</head>\n"
            '<body lang="ES-PE" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n'
            f'<div class="WordSection1">\n{inner}\n</div>\n</body>\n</html>')
    if client == "thunderbird":
        return ("<!DOCTYPE html>\n<html>\n  <head>\n"
                f'    <meta http-equiv="content-type" content="text/html; charset={charset}">\n'
                f"  </head>\n  <body>\n{inner}\n  </body>\n</html>")
    if client in ("gmail", "android"):
        return f'<div dir="ltr">{inner}</div>'
    if client == "iphone":
        return f'<html><head><meta http-equiv="content-type" content="text/html; charset={charset}"></head><body dir="auto">{inner}</body></html>'
    head = f"<head>\n<meta charset=\"{charset}\">\n{STYLE_WEBMAIL if style else ''}\n</head>\n"
    return f"<html>\n{head}<body>\n{inner}\n</body>\n</html>"


# --------------------------------------------------------------------------------------
# Rendering one message
# --------------------------------------------------------------------------------------


class Part:
    """A MIME entity: headers + body bytes, or a multipart of parts."""

    def __init__(self, headers: list[str], body: bytes = b"", parts: list[Part] | None = None,
                 boundary: str | None = None, preamble: str | None = None):
        self.headers, self.body, self.parts, self.boundary, self.preamble = headers, body, parts, boundary, preamble

    def bytes(self, top_headers: list[str] | None = None) -> bytes:
        hs = (top_headers or []) + self.headers
        out = CRLF.join(hs).encode("ascii") + b"\r\n\r\n"
        if self.parts is None:
            return out + self.body + (b"" if self.body.endswith(b"\r\n") else b"\r\n")
        if self.preamble:
            out += self.preamble.encode("ascii") + b"\r\n\r\n"
        for p in self.parts:
            out += b"--" + self.boundary.encode() + b"\r\n" + p.bytes()
            if not out.endswith(b"\r\n"):
                out += b"\r\n"
        out += b"--" + self.boundary.encode() + b"--\r\n"
        return out


def text_part(subtype: str, text: str, charset: str, cte: str, flowed: bool = False, quote_cs: bool = False) -> Part:
    shown = f'"{charset}"' if quote_cs or charset.lower().startswith("windows") else charset
    ct = f"Content-Type: text/{subtype}; charset={shown}"
    if flowed:
        ct += "; format=flowed"
    return Part([ct, f"Content-Transfer-Encoding: {cte}"], encode_body(text, charset, cte))


def attach_part(filename: str, r: random.Random, client: str, inline_cid: str | None = None) -> Part:
    ctype, data = attachment_bytes(filename)
    if is_ascii(filename):
        fn = f'filename="{filename}"'
        nm = f'name="{filename}"'
    elif client in ("outlook", "outlook_old"):
        ew = encoded_words(filename, "iso-8859-1", "Q")[0]
        fn, nm = f'filename="{ew}"', f'name="{ew}"'
    else:
        pct = urllib.parse.quote(filename.encode("utf-8"))
        fn, nm = f"filename*=UTF-8''{pct}", f"name*=UTF-8''{pct}"
    hs = [f"Content-Type: {ctype};{CRLF} {nm}"]
    disp = "inline" if inline_cid else "attachment"
    hs.append(f"Content-Disposition: {disp};{CRLF} {fn}")
    hs.append("Content-Transfer-Encoding: base64")
    if inline_cid:
        hs.append(f"Content-ID: <{inline_cid}>")
    elif client in ("gmail", "android"):
        hs.append(f"Content-ID: <f_{''.join(r.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(11))}>")
        hs.append(f"X-Attachment-Id: f_{''.join(r.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(11))}")
    return Part(hs, b64_lines(data))


@dataclass
class Person:
    name: str
    addr: str


FIRST = ["Juan", "María", "Carlos", "Rosa", "Luis", "Ana", "Jorge", "Carmen", "José", "Elena", "Miguel",
         "Patricia", "César", "Lucía", "Raúl", "Milagros", "Víctor", "Gladys", "Óscar", "Yesenia", "Wilmer",
         "Karina", "Edwin", "Sofía", "Héctor", "Roxana", "Fredy", "Nélida", "Alberto", "Maribel"]
LAST = ["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Sánchez", "García", "Chávez", "Ramírez", "Torres",
        "Mendoza", "Vargas", "Castillo", "Ccori", "Paredes", "Gutiérrez", "Núñez", "Cárdenas", "Salazar",
        "Villanueva", "Espinoza", "Zegarra", "Ticona", "Pérez", "Yupanqui", "Córdova", "Llanos", "Ñahui"]
FREE_DOMAINS = {"gmail": "gmail.com", "android": "gmail.com", "outlook": "hotmail.com", "outlook_old": "outlook.com",
                "thunderbird": "gmail.com", "iphone": "icloud.com", "webmail": "hotmail.com", "yahoo": "yahoo.es"}


def random_person(r: random.Random, client: str) -> tuple[str, str]:
    f, l1, l2 = r.choice(FIRST), r.choice(LAST), r.choice(LAST)
    local = r.choice([
        f"{strip_accents(f).lower()}.{strip_accents(l1).lower()}",
        f"{strip_accents(f)[0].lower()}{strip_accents(l1).lower()}{r.randint(1, 99)}",
        f"{strip_accents(l1).lower()}{strip_accents(l2).lower()}.{strip_accents(f).lower()}",
        f"{strip_accents(f).lower()}_{r.randint(70, 2005)}",
    ]).replace("ñ", "n")
    style = r.random()
    name = f"{f} {l1} {l2}" if style < 0.5 else (f"{f} {l1}" if style < 0.8 else f"{f.upper()} {l1.upper()}")
    if r.random() < 0.12:
        name = ""
    return name, f"{local}@{FREE_DOMAINS[client]}"


def client_for(spec: Spec, r: random.Random) -> str:
    if spec.client:
        return spec.client
    if spec.frm:
        dom = spec.frm[1].split("@")[1]
        if dom in ("hotmail.com", "outlook.com", "outlook.es", "live.com"):
            return r.choice(["outlook", "outlook", "outlook_old", "iphone"])
        if dom.startswith("yahoo"):
            return "yahoo"
        if dom == "icloud.com":
            return "iphone"
        if dom == "gmail.com":
            return r.choice(["gmail", "gmail", "android", "iphone", "thunderbird"])
        return r.choice(["outlook", "outlook", "thunderbird", "webmail", "outlook_old"])
    return r.choice(CLIENTS)


def defaults(spec: Spec, client: str, r: random.Random) -> tuple[str, str, str]:
    """Charset, transfer encoding and HTML shape a client would pick."""
    charset = spec.charset
    cte = spec.cte
    shape = spec.html
    if charset is None:
        if client in ("outlook", "outlook_old"):
            charset = r.choice(["iso-8859-1", "windows-1252", "utf-8", "iso-8859-1"])
        elif client == "webmail":
            charset = r.choice(["utf-8", "iso-8859-1", "utf-8"])
        else:
            charset = "utf-8"
    if shape is None:
        shape = {"gmail": "alt", "android": "alt", "outlook": "alt", "outlook_old": "alt",
                 "thunderbird": r.choice(["none", "none", "alt"]), "iphone": r.choice(["none", "none", "alt"]),
                 "webmail": r.choice(["alt", "only", "only_style"]), "yahoo": "alt"}[client]
    if cte is None:
        cte = {"gmail": "quoted-printable", "android": r.choice(["quoted-printable", "base64"]),
               "outlook": "quoted-printable", "outlook_old": "quoted-printable",
               "thunderbird": "8bit", "iphone": "quoted-printable",
               "webmail": r.choice(["quoted-printable", "base64", "8bit"]), "yahoo": "base64"}[client]
    return charset, cte, shape


def render(i: int, spec: Spec, when: dt.datetime) -> bytes:
    r = random.Random(f"{SEED}-{i}")
    client = client_for(spec, r)
    frm = spec.frm or random_person(r, client)
    charset, cte, shape = defaults(spec, client, r)

    subject, body = spec.subject, unwrap(spec.body)
    sig = spec.sig
    if spec.noaccents:
        subject, body = strip_accents(subject), strip_accents(body)
        sig = strip_accents(sig) if sig else sig

    # ---- assemble the visible text: new text, signature, client footer, quoted/forwarded text
    text = body
    if sig:
        text += "\n\n" + (("-- \n" + sig) if client == "thunderbird" and r.random() < 0.5 else sig)
    if not body and not spec.attach:
        pass  # a truly empty message: the client adds nothing either
    elif client == "iphone":
        text += ("\n\n" if text else "") + "Enviado desde mi iPhone"
    elif client == "android" and r.random() < 0.6:
        text += "\n\n" + r.choice(["Enviado desde mi Galaxy", "Enviado desde mi smartphone Samsung Galaxy.",
                                   "Obtener Outlook para Android", "Enviado desde mi Huawei"])
    elif client == "yahoo" and r.random() < 0.5:
        text += "\n\nEnviado desde Yahoo Mail para Android"

    plain_q, html_q = "", ""
    in_reply_to = None
    q = spec.quote
    if q:
        q = Quote(q.frm, unwrap(q.text), q.subject, q.to, q.days_before, q.kind)
        qd = when - dt.timedelta(days=q.days_before, minutes=r.randint(5, 600))
        if q.frm[1] == MAILBOX:
            # The office answers within office hours, on the day before at the latest.
            qd = (when - dt.timedelta(days=max(1, round(q.days_before)))).replace(hour=r.randint(9, 16))
        qto = q.to or frm
        qname = q.frm[0] or q.frm[1]
        if q.kind == "reply":
            in_reply_to = "<" + hashlib.sha1(f"{i}{q.text}".encode()).hexdigest()[:24] + "@osce.gob.pe>" \
                if q.frm[1].endswith("osce.gob.pe") else msgid("gmail", r, q.frm[1])
            if client in ("gmail", "android"):
                attr = f"El {fecha_gmail(qd)}, {qname} (<{q.frm[1]}>) escribió:"
                plain_q = "\n\n" + attr + "\n\n" + quoted_lines(q.text)
                html_q = ('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">' + html.escape(attr)
                          + '<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                          'border-left:1px solid rgb(204,204,204);padding-left:1ex">'
                          + text_to_html_fragment(q.text, "gmail", False) + "</blockquote></div>")
            elif client == "thunderbird":
                attr = f"El {qd.day}/{qd.month:02d}/{qd.year} a las {qd:%H:%M}, {qname} escribió:"
                plain_q = "\n\n" + attr + "\n" + quoted_lines(q.text, ">")
                html_q = (f'<div class="moz-cite-prefix">{html.escape(attr)}<br></div><blockquote type="cite">'
                          + text_to_html_fragment(q.text, "thunderbird", False) + "</blockquote>")
            elif client == "iphone":
                attr = f"El {qd.day} {MESES_AB[qd.month - 1]} {qd.year}, a las {qd:%H:%M}, {qname} <{q.frm[1]}> escribió:"
                plain_q = "\n\n" + quoted_lines(attr + "\n\n" + q.text)
                html_q = (f"<div><br><blockquote type=\"cite\">{html.escape(attr)}<br><br>"
                          + text_to_html_fragment(q.text, "iphone", False) + "</blockquote></div>")
            elif client == "outlook_old":
                hdr = (f"-----Mensaje original-----\nDe: {qname} [mailto:{q.frm[1]}]\n"
                       f"Enviado el: {fecha_outlook_old(qd)}\nPara: {qto[1]}\nAsunto: {q.subject}")
                plain_q = "\n\n" + hdr + "\n\n" + q.text
                html_q = "<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>\n" + text_to_html_fragment(hdr + "\n\n" + q.text, "outlook", False)
            else:  # outlook, webmail, yahoo
                hdr = (f"________________________________\nDe: {qname} <{q.frm[1]}>\n"
                       f"Enviado: {fecha_larga(qd)}\nPara: {qto[0] or qto[1]} <{qto[1]}>\nAsunto: {q.subject}")
                plain_q = "\n\n" + hdr + "\n\n" + q.text
                html_q = ('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
                          + text_to_html_fragment(hdr, client, False) + "</div>\n"
                          + text_to_html_fragment(q.text, client, False))
        else:  # forward
            if client in ("gmail", "android", "iphone"):
                hdr = (f"---------- Mensaje reenviado ---------\nDe: {qname} <{q.frm[1]}>\n"
                       f"Date: {fecha_gmail(qd)}\nSubject: {q.subject}\nTo: <{qto[1]}>")
            elif client == "thunderbird":
                hdr = (f"-------- Mensaje reenviado --------\nAsunto: \t{q.subject}\nFecha: \t{qd:%d/%m/%Y %H:%M}\n"
                       f"De: \t{qname} <{q.frm[1]}>\nPara: \t{qto[1]}")
            elif client == "outlook_old":
                hdr = (f"-----Mensaje original-----\nDe: {qname} [mailto:{q.frm[1]}]\n"
                       f"Enviado el: {fecha_outlook_old(qd)}\nPara: {qto[1]}\nAsunto: {q.subject}")
            else:
                hdr = (f"________________________________\nDe: {qname} <{q.frm[1]}>\n"
                       f"Enviado: {fecha_larga(qd)}\nPara: {qto[0] or qto[1]} <{qto[1]}>\nAsunto: {q.subject}")
            plain_q = "\n\n" + hdr + "\n\n" + q.text
            html_q = text_to_html_fragment("\n" + hdr + "\n\n" + q.text, client, False)

    if spec.noaccents:
        plain_q, html_q = strip_accents(plain_q), strip_accents(html_q)
    plain = text + plain_q

    # ISO-8859-1 cannot carry typographic quotes or dashes; the client would have fallen back.
    try:
        plain.encode(charset)
    except UnicodeEncodeError:
        charset = "windows-1252" if charset == "iso-8859-1" else "utf-8"
        plain.encode(charset)
    if cte == "7bit" and not is_ascii(plain):
        cte = "quoted-printable"
    if cte == "8bit" and is_ascii(plain):
        cte = "7bit"

    entities = client in ("outlook", "outlook_old") and r.random() < 0.5
    html_inner = text_to_html_fragment(text, client, entities) + html_q
    html_doc = wrap_html(client, html_inner, charset, style=(shape == "only_style"))

    # How each client spells the charset parameter (Gmail: charset="UTF-8", Apple: charset=utf-8).
    if charset == "utf-8" and client in ("gmail", "android", "thunderbird", "yahoo"):
        charset = "UTF-8"
    qcs = client in ("gmail", "android", "outlook", "outlook_old")

    flowed = client == "thunderbird"
    if flowed:
        plain = flow(plain)
    nb = 0

    def next_boundary() -> str:
        nonlocal nb
        nb += 1
        return boundary(client, r, nb)

    if shape == "none":
        body_part = text_part("plain", plain, charset, cte, flowed, qcs)
    elif shape in ("only", "only_style"):
        body_part = text_part("html", html_doc, charset, cte, quote_cs=qcs)
    else:
        body_part = Part([f'Content-Type: multipart/alternative;{CRLF} boundary="{(b := next_boundary())}"'],
                         parts=[text_part("plain", plain, charset, cte, flowed, qcs),
                                text_part("html", html_doc, charset, cte, quote_cs=qcs)],
                         boundary=b)

    # Outlook signatures often carry an inline logo: multipart/related with image001.png.
    if client == "outlook" and shape == "alt" and spec.sig and r.random() < 0.5:
        cid = f"image001.png@01DB{r.randint(1000, 9999)}.{r.randint(10000000, 99999999):X}"
        body_part.parts[1] = text_part(
            "html", html_doc.replace("</div>\n</body>", f'<p class="MsoNormal"><img width="120" height="40" src="cid:{cid}"></p>\n</div>\n</body>'),
            charset, cte, quote_cs=qcs)
        b = next_boundary()
        body_part = Part([f'Content-Type: multipart/related;{CRLF} type="multipart/alternative";{CRLF} boundary="{b}"'],
                         parts=[body_part, attach_part("image001.png", r, client, inline_cid=cid)], boundary=b)

    top = body_part
    if spec.attach or spec.rfc822:
        parts = [body_part] + [attach_part(a, r, client) for a in spec.attach]
        if spec.rfc822:
            parts.append(rfc822_part(spec.rfc822, when, r))
        b = next_boundary()
        top = Part([f'Content-Type: multipart/mixed;{CRLF} boundary="{b}"'], parts=parts, boundary=b)

    # ---- top-level headers
    hcs = "utf-8" if charset == "utf-8" or client in ("gmail", "android", "iphone", "thunderbird") else charset
    senc = spec.subject_enc or {"gmail": "B", "android": "B", "outlook": "Q", "outlook_old": "Q",
                                "thunderbird": "partial", "iphone": "Q", "webmail": "B", "yahoo": "Q"}[client]
    hs: list[str] = []
    mta = {"gmail": "mail-ej1-f{}.google.com", "android": "mail-pj1-f{}.google.com",
           "outlook": "mail-{}.outbound.protection.outlook.com", "outlook_old": "mail-{}.outbound.protection.outlook.com",
           "thunderbird": "mail-wr1-f{}.google.com", "iphone": "st43p00im-zteg1010{}.me.com",
           "webmail": "mx{}.correo.gob.pe", "yahoo": "sonic3{}.consmr.mail.bf2.yahoo.com"}[client].format(r.randint(10, 99))
    hs.append(f"Return-Path: <{frm[1]}>")
    hs.append(f"Received: from {mta} ({mta} [{r.randint(20, 209)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}]){CRLF}"
              f"\tby mx1.osce.gob.pe (Postfix) with ESMTPS id {''.join(r.choice('0123456789ABCDEF') for _ in range(11))}{CRLF}"
              f"\tfor <{MAILBOX}>; {email.utils.format_datetime(when + dt.timedelta(seconds=r.randint(2, 40)))}")
    hs.append(address_header("From", [frm], hcs, "Q" if senc in ("Q", "partial") else "B"))
    to_style = r.random()
    to_box = ("Consultas OSCE", MAILBOX) if to_style < 0.4 else ("", MAILBOX)
    hs.append(address_header("To", [to_box]))
    if spec.cc:
        hs.append(address_header("Cc", [("", a) for a in spec.cc]))
    hs.append(unstructured("Subject", subject, hcs, senc, lower_hex=(client == "thunderbird")))
    hs.append("Date: " + (spec.date or email.utils.format_datetime(when)))
    hs.append("Message-ID: " + msgid(client, r, frm[1]))
    if in_reply_to:
        hs.append("In-Reply-To: " + in_reply_to)
        hs.append("References: " + in_reply_to)
    if client in ("outlook", "outlook_old"):
        hs.append(unstructured("Thread-Topic", subject, hcs, "Q"))
        hs.append("Thread-Index: " + base64.b64encode(r.randbytes(22)).decode())
        hs.append("Accept-Language: es-PE, es-ES, en-US")
        hs.append("Content-Language: es-PE")
        hs.append(f"X-MS-Has-Attach: {'yes' if spec.attach else ''}".rstrip())
        hs.append("X-MS-TNEF-Correlator:")
    elif client == "thunderbird":
        hs.append("User-Agent: Mozilla Thunderbird")
        hs.append("Content-Language: es-ES")
    elif client == "iphone":
        hs.append(f"X-Mailer: iPhone Mail ({r.choice(['21F90', '22B83', '22D72', '23A341'])})")
    elif client == "yahoo":
        hs.append("X-Mailer: WebService/1.1.23187 YMailNorrin")
    elif client == "webmail":
        hs.append(r.choice(["X-Mailer: Zimbra 8.8.15_GA_4581 (ZimbraWebClient - GC131 (Win)/8.8.15_GA_4581)",
                            "User-Agent: Roundcube Webmail/1.6.6", "X-Mailer: Open-Xchange Mailer v7.10.6"]))
    for k, v in spec.extra_headers:
        hs.append(f"{k}: {v}")
    hs.append("MIME-Version: 1.0")
    return top.bytes(hs)


def rfc822_part(q: Quote, when: dt.datetime, r: random.Random) -> Part:
    """An earlier message forwarded as an attachment (Thunderbird/Outlook 'reenviar como adjunto')."""
    qd = when - dt.timedelta(days=q.days_before)
    inner = text_part("plain", unwrap(q.text), "utf-8", "quoted-printable")
    hs = [address_header("From", [q.frm]), address_header("To", [q.to or ("", "logistica@example.pe")]),
          unstructured("Subject", q.subject, "utf-8", "B"), "Date: " + email.utils.format_datetime(qd),
          "Message-ID: " + msgid("outlook", r, q.frm[1]), "MIME-Version: 1.0"]
    raw = inner.bytes(hs)
    name = "mensaje reenviado.eml"
    return Part([f'Content-Type: message/rfc822;{CRLF} name="{name}"', f'Content-Disposition: attachment;{CRLF} filename="{name}"'],
                raw)


def render_bounce(i: int, spec: Spec, when: dt.datetime) -> bytes:
    """A delivery status notification (RFC 3464) for an earlier reply of the office."""
    r = random.Random(f"{SEED}-{i}")
    b = "9B1E62E0A1." + str(int(when.timestamp()))
    target = "jperez.contratista@hotmial.com"
    human = T(f"""
        This is the mail system at host mx1.osce.gob.pe.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        For further assistance, please send mail to postmaster.

        If you do so, please include this problem report. You can
        delete your own text from the attached returned message.

                           The mail system

        <{target}>: Host or domain name not found. Name service error for
            name=hotmial.com type=A: Host not found
        """)
    status = T(f"""
        Reporting-MTA: dns; mx1.osce.gob.pe
        X-Postfix-Queue-ID: 9B1E62E0A1
        Arrival-Date: {email.utils.format_datetime(when - dt.timedelta(minutes=1))}

        Final-Recipient: rfc822; {target}
        Original-Recipient: rfc822;{target}
        Action: failed
        Status: 5.4.4
        Diagnostic-Code: X-Postfix; Host or domain name not found. Name service error
            for name=hotmial.com type=A: Host not found
        """)
    orig = T(f"""
        From: Consultas OSCE <{MAILBOX}>
        To: <{target}>
        Subject: RE: Consulta sobre penalidad
        Date: {email.utils.format_datetime(when - dt.timedelta(minutes=2))}
        Message-ID: <a81c2f0e9d3b4c55@osce.gob.pe>
        """)
    parts = [Part(["Content-Description: Notification", "Content-Type: text/plain; charset=us-ascii"], crlf(human).encode()),
             Part(["Content-Description: Delivery report", "Content-Type: message/delivery-status"], crlf(status).encode()),
             Part(["Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers"], crlf(orig).encode())]
    top = Part([f'Content-Type: multipart/report; report-type=delivery-status;{CRLF} boundary="{b}"'],
               parts=parts, boundary=b, preamble="This is a MIME-encapsulated message.")
    hs = ["Return-Path: <>",
          f"Received: by mx1.osce.gob.pe (Postfix){CRLF}\tid 5C0A1E0B22; {email.utils.format_datetime(when)}",
          "Date: " + email.utils.format_datetime(when),
          "From: MAILER-DAEMON@mx1.osce.gob.pe (Mail Delivery System)",
          "Subject: Undelivered Mail Returned to Sender",
          f"To: {MAILBOX}",
          "Auto-Submitted: auto-replied",
          f"Message-ID: <20{when:%y%m%d%H%M%S}.5C0A1E0B22@mx1.osce.gob.pe>",
          "MIME-Version: 1.0"]
    return top.bytes(hs)


# --------------------------------------------------------------------------------------
# Dates: spread over a year and a half of office life, including weekends, holidays and
# evenings after the 16:30 cut-off.
# --------------------------------------------------------------------------------------


def arrival_times(n: int) -> list[dt.datetime]:
    r = random.Random(f"{SEED}-dates")
    start = dt.datetime(2025, 5, 5, 0, 0, tzinfo=LIMA)
    span_days = 560
    out = []
    for _ in range(n):
        day = start + dt.timedelta(days=r.randrange(span_days))
        hour = r.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 6, 10, 12, 12, 11, 8, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 2])[0]
        out.append(day.replace(hour=hour, minute=r.randrange(60), second=r.randrange(60)))
    return sorted(out)


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build() -> None:
    specs = list(MESSAGES)
    random.Random(SEED).shuffle(specs)
    times = arrival_times(len(specs))
    for old in OUT.glob("*.eml"):
        old.unlink()
    labels = ["# Labels for the held-out routing corpus (generated by make.py; do not edit by hand).",
              "# folder = where the OSCE coordinator files the message: SEACE | RNP | Legal | Por clasificar.", ""]
    for n, (spec, when) in enumerate(zip(specs, times), start=1):
        name = f"{n:04d}.eml"
        data = render_bounce(n, spec, when) if spec.raw_kind == "bounce" else render(n, spec, when)
        (OUT / name).write_bytes(data)
        labels += ["[[message]]", f"file = {toml_str(name)}", f"folder = {toml_str(spec.folder)}",
                   f"note = {toml_str(spec.note)}", ""]
    (OUT / "labels.toml").write_text("\n".join(labels), encoding="utf-8", newline="\n")
    counts = {f: sum(1 for s in specs if s.folder == f) for f in FOLDERS}
    print(f"wrote {len(specs)} messages:", ", ".join(f"{k}={v}" for k, v in counts.items()))


def message_problems(raw: bytes, bump) -> list[str]:
    """What a strict reader would stumble on in one raw message; counts its MIME shapes with bump(key).

    Shared with tests/routing/make.py, which checks its corpus the same way.
    """
    errs = []
    if b"\n" in raw.replace(b"\r\n", b""):
        errs.append("bare LF")
    if b"\r" in raw.replace(b"\r\n", b""):
        errs.append("bare CR")
    if any(len(ln) > 998 for ln in raw.split(b"\r\n")):
        errs.append("line over 998 octets")
    head = raw.split(b"\r\n\r\n", 1)[0]
    if any(c >= 128 for c in head):
        errs.append("8-bit header")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Message-ID", "Date", "From", "To", "MIME-Version", "Content-Type"):
        if msg[h] is None:
            errs.append(f"missing {h}")
    if msg["To"] and MAILBOX not in str(msg["To"]):
        errs.append("To is not the mailbox")
    try:
        str(msg["Subject"] or "")
        email.utils.parsedate_to_datetime(msg["Date"])
    except Exception as e:  # noqa: BLE001
        errs.append(f"header: {e}")
    texts = 0
    for part in msg.walk():
        if part.defects:
            errs.append(f"defects {part.defects}")
        ct = part.get_content_type()
        bump(f"part {ct}")
        cte = part.get("Content-Transfer-Encoding")
        if cte:
            bump(f"cte {cte.lower()}")
        cs = part.get_content_charset()
        if cs and part.get_content_maintype() == "text":
            bump(f"charset {cs}")
        if ct in ("text/plain", "text/html") and not part.is_attachment():
            try:
                part.get_content()
                texts += 1
            except Exception as e:  # noqa: BLE001
                errs.append(f"decode {ct}: {e}")
        if part.get_filename():
            bump("attachment")
    if msg.is_multipart():
        bump(f"top {msg.get_content_type()}")
    else:
        bump(f"top {msg.get_content_type()}")
    if "=?" in head.decode("ascii"):
        bump("rfc2047 headers")
    if texts == 0 and msg.get_content_type() != "multipart/report":
        bump("no text part")
    return errs


def check() -> int:
    """Parse every message back; report anything a strict reader would stumble on."""
    import tomllib
    labels = tomllib.loads((OUT / "labels.toml").read_text(encoding="utf-8"))["message"]
    files = sorted(OUT.glob("*.eml"))
    assert [lb["file"] for lb in labels] == [f.name for f in files], "labels.toml and files differ"
    problems = 0
    stats: dict[str, int] = {}

    def bump(k: str) -> None:
        stats[k] = stats.get(k, 0) + 1

    for f in files:
        raw = f.read_bytes()
        errs = message_problems(raw, bump)
        if errs:
            problems += 1
            print(f"{f.name}: " + "; ".join(sorted(set(errs))))
    for k in sorted(stats):
        print(f"  {k}: {stats[k]}")
    counts: dict[str, int] = {}
    for lb in labels:
        counts[lb["folder"]] = counts.get(lb["folder"], 0) + 1
    print(f"{len(files)} files, {problems} with problems; folders: {counts}")
    return 1 if problems else 0


# ======================================================================================
# THE MESSAGES
# ======================================================================================


# Earlier answers of the office, quoted by citizens who write again about something else.
OSCE_RNP = T("""
    Estimado(a) usuario(a):

    En atención a su consulta, le informamos que la inscripción en el Registro Nacional de
    Proveedores (RNP) como proveedor de bienes y/o servicios se realiza en línea, a través del
    portal institucional, opción "Trámites del RNP". Previamente deberá efectuar el pago del
    derecho de trámite según el TUPA vigente.

    Para mayor información puede revisar la guía del procedimiento en www.gob.pe/osce.

    Atentamente,

    Unidad de Atención al Usuario
    Organismo Supervisor de las Contrataciones del Estado - OSCE
    """)

OSCE_SEACE = T("""
    Estimado usuario:

    En relación a su consulta, para restablecer la contraseña de acceso al SEACE deberá ingresar
    a la opción "¿Olvidó su contraseña?" de la página de inicio del sistema e indicar el correo
    electrónico registrado. El sistema le remitirá un enlace válido por 24 horas.

    Saludos cordiales,

    Equipo de Atención al Usuario - SEACE
    OSCE
    """)

OSCE_LEGAL = T("""
    Estimada señora:

    Respecto de su consulta, cabe señalar que conforme al artículo 162 del Reglamento de la Ley
    de Contrataciones del Estado, en caso de retraso injustificado del contratista en la
    ejecución de las prestaciones objeto del contrato, la Entidad le aplica automáticamente una
    penalidad por mora por cada día de atraso, hasta por un monto máximo equivalente al diez
    por ciento (10%) del monto del contrato vigente.

    Sin perjuicio de ello, las consultas sobre la aplicación de la normativa a casos concretos
    deben ser evaluadas por la propia Entidad.

    Atentamente,

    Atención al Usuario
    OECE (antes OSCE)
    """)

OSCE_GENERIC = T("""
    Estimado(a) ciudadano(a):

    Hemos recibido su correo. Para atender su consulta, le agradeceremos precisar el número de
    procedimiento, la entidad convocante y, de ser el caso, adjuntar la captura de pantalla del
    mensaje que le muestra el sistema.

    Atentamente,
    Atención al Usuario - OSCE
    """)


def osce(text: str, subject: str, days: float = 3.0) -> Quote:
    return Quote(OSCE, text, subject, days_before=days)


SIG_MUNI_LIMA = T("""
    Lic. Adm. Rosa Elvira Cárdenas Núñez
    Jefa de la Unidad de Abastecimiento
    Municipalidad Distrital de Pachacámac
    Av. Paul Poblet s/n - Pachacámac
    Telf. (01) 231-0412 anexo 115
    """)

SIG_CONTRATOS = T("""
    Atentamente,

    Ing. Wilmer Rojas Paredes
    Gerente General
    CONTRATOS Y PROVEEDORES DEL NORTE S.A.C.
    Proveedor del Estado - Ejecución de obras, contratos de mantenimiento y consultoría
    RUC 20601234567 | Jr. San Martín 455, Cajamarca
    Cel. 976 112 334 | www.contratosyproveedoresdelnorte.com.pe

    AVISO DE CONFIDENCIALIDAD: Este mensaje y sus anexos son confidenciales y para uso exclusivo
    del destinatario. Si usted lo recibió por error, notifique al remitente y elimínelo. La
    empresa no se responsabiliza por contratos u obligaciones asumidos por este medio sin la
    firma del representante legal.
    """)

SIG_LEGAL_FIRM = T("""
    --
    Dra. Milagros Zegarra Llanos
    Abogada - CAL 58231
    Zegarra & Asociados - Asesoría en Contrataciones con el Estado, Arbitraje y RNP
    Calle Las Begonias 441, of. 702, San Isidro
    """)

# ---------------------------------------------------------------- SEACE (50) ----------

m("SEACE", "Entidad: restablecer contraseña de usuario SEACE", "Restablecer contraseña SEACE", """
    Buenos días:

    Soy la responsable del órgano encargado de las contrataciones de la Municipalidad Distrital de
    Pachacámac. Desde ayer no puedo ingresar al SEACE porque el sistema indica "usuario o
    contraseña incorrectos". Intenté con la opción de recuperar contraseña pero no me llega ningún
    correo a la cuenta institucional.

    Necesito publicar una convocatoria esta semana. ¿Cómo puedo restablecer la contraseña?

    Quedo atenta.
    """, frm=("Rosa Elvira Cárdenas Núñez", "rcardenas@munipachacamac.gob.pe"), sig=SIG_MUNI_LIMA, client="outlook")

m("SEACE", "Usuario bloqueado en SEACE (informal, sin tildes)", "seace bloqueado", """
    hola buenas noches no puedo entrar al seace me sale usuario bloqueado por intentos fallidos, q
    tengo que hacer?? mañana vence el plazo para presentar mi oferta
    """, client="iphone", noaccents=True)

m("SEACE", "Solicitud de certificado SEACE para nuevo funcionario", "Solicitud de certificado SEACE", """
    Señores OSCE:

    Por medio del presente, y en mi calidad de nuevo Jefe de Logística del Hospital Regional de
    Ica, solicito se me indique el procedimiento para obtener el certificado SEACE (usuario y
    contraseña) a mi nombre, toda vez que el anterior responsable ha dejado de laborar en la
    Entidad. ¿Debe remitirlo el Titular de la Entidad mediante oficio? ¿Qué formato se usa?

    Agradeceré su pronta respuesta.
    """, frm=("Héctor Villanueva Salazar", "logistica@hospitalregionalica.gob.pe"),
  sig="Héctor Villanueva Salazar\nJefe de la Unidad de Logística\nHospital Regional de Ica",
  client="webmail", html="only_style")

m("SEACE", "Error al publicar convocatoria, adjunta captura", "Error en el sistema", """
    Buenas tardes, al intentar publicar la convocatoria de la Adjudicación Simplificada N°
    007-2025-MDSJ/CS el SEACE muestra el mensaje "El archivo excede el tamaño máximo permitido"
    aunque el PDF de las bases pesa 9 MB. Adjunto captura de pantalla.

    ¿Cuál es el tamaño máximo? ¿Puedo dividir el archivo?

    Gracias.
    """, attach=["captura_error_seace.png"], client="gmail")

m("SEACE", "Registro de modificación del PAC en SEACE; asunto vago", "Consulta", """
    Estimados, buen día.

    La entidad aprobó la primera modificación del Plan Anual de Contrataciones (PAC) mediante
    resolución de alcaldía. Al momento de registrarla en el SEACE no encuentro la opción para
    incluir un nuevo procedimiento, solo me aparece "Ver PAC". ¿Debo primero retirar la versión
    publicada? ¿Cómo se registra la modificación en el sistema?

    Saludos,
    Edwin Ticona
    Área de Logística - Municipalidad Provincial de El Collao
    """, frm=("Edwin Ticona", "logistica.elcollao@gmail.com"))

m("SEACE", "Proveedor no ve el módulo de cotizaciones", "cotizaciones", """
    Buenas tardes

    Quisiera saber como envío una cotización por el SEACE. La municipalidad publicó un
    requerimiento para una contratación menor a 8 UIT y me dicen que las cotizaciones ahora se
    envían por el sistema pero cuando entro con mi usuario no me aparece la opción de
    cotizaciones en el menú.

    Atte.
    Fredy Llanos
    Ferretería El Progreso E.I.R.L.
    """, noaccents=True, client="yahoo")

m("SEACE", "Oferta electrónica no se pudo enviar al cierre; asunto URGENTE", "URGENTE!!!", """
    URGENTE POR FAVOR

    ESTABA ENVIANDO MI OFERTA EN EL SEACE PARA LA LICITACION PUBLICA N° 3-2025-GRA A LAS 23:48 Y EL
    SISTEMA SE QUEDÓ CARGANDO, CUANDO VOLVI A ENTRAR YA HABIA VENCIDO EL PLAZO. NO SE SI SE ENVIO O
    NO, EN "MIS PROCEDIMIENTOS" NO APARECE LA CONSTANCIA DE ENVIO. QUE PUEDO HACER?? ES UNA OBRA
    IMPORTANTE PARA NOSOTROS.

    CONSTRUCTORA ANDINA HUAMAN S.R.L.
    """, frm=("CONSTRUCTORA ANDINA HUAMAN", "construandinahuaman@hotmail.com"), client="outlook")

m("SEACE", "Cómo registrarse como participante", "registro de participantes", """
    Buenas, soy nuevo proveedor y quiero participar en una adjudicación simplificada que vi en el
    buscador. ¿Cómo me registro como participante en el SEACE? ¿tiene algún costo? ¿necesito un
    usuario distinto?

    Gracias de antemano.
    """, client="android")

m("SEACE", "Entidad no puede registrar otorgamiento de buena pro", "Registro de buena pro en el SEACE", """
    Estimados señores:

    El comité de selección otorgó la buena pro el día de hoy en acto privado, pero al intentar
    registrar el otorgamiento en el SEACE el sistema muestra: "La fecha de otorgamiento no
    corresponde al cronograma". Revisamos el cronograma y la fecha es correcta. ¿Se trata de un
    error del sistema? ¿Cómo podemos registrarlo para no afectar el plazo del consentimiento?

    Atentamente,

    Presidente del Comité de Selección
    Gobierno Regional de Cajamarca
    """, frm=("Comité de Selección GRC", "comite.seleccion@regioncajamarca.gob.pe"), client="outlook_old")

m("SEACE", "Contraseña SEACE caducada; menciona contrato pero el problema es de acceso",
  "contraseña vencida - registro de contrato", """
    Buenos días,

    Necesito registrar en el SEACE el contrato N° 012-2025-MDV derivado de la AS N° 4-2025, pero
    al ingresar me pide cambiar la contraseña porque "ha caducado" y luego de cambiarla me vuelve
    a salir la misma pantalla, no me deja pasar. El plazo para registrar el contrato se me está
    venciendo. Por favor su ayuda.

    Lucía Mendoza
    Especialista en contrataciones - Municipalidad Distrital de Villa Rica
    """, frm=("Lucía Mendoza", "lmendoza@munivillarica.gob.pe"))

m("SEACE", "Formular consultas y observaciones electrónicas", "Consultas y observaciones", """
    Hola

    Intento formular consultas y observaciones a las bases de una licitación pública por el SEACE
    pero no me aparece el botón. Me registré como participante hace dos días. El cronograma dice
    que el plazo de consultas vence mañana. ¿Por qué no aparece la opción?

    Saludos
    """, client="thunderbird")

m("SEACE", "No encuentra convocatoria en el buscador público", "no encuentro el proceso", """
    buenas tardes, busco en el buscador de procedimientos del seace la convocatoria
    CP-SM-2-2025-UGEL-CHICLAYO pero no sale nada, ni poniendo el año ni la entidad. mi amigo
    dice que si esta publicado. como busco bien? hay otra pagina?
    """, client="android", noaccents=True)

m("SEACE", "No puede descargar bases", "Descarga de bases", """
    Señores, no puedo descargar las bases integradas del procedimiento AS-SM-5-2025-MDL-1 desde el
    SEACE. Al hacer clic en el documento sale una página en blanco. He probado con Chrome y con
    Edge. ¿Es un problema del sistema?
    """, client="outlook")

m("SEACE", "Firma digital de la oferta: certificado digital no reconocido", "Firma de oferta electrónica", """
    Estimados:

    Al momento de firmar digitalmente los documentos de mi oferta en el SEACE, el componente de
    firma indica "No se encontró un certificado digital válido". Tengo mi certificado digital de
    RENIEC instalado en el token y funciona en otras plataformas. ¿Qué versión del componente
    debo instalar? ¿Hay un manual?

    Gracias,
    César Gutiérrez
    """, client="gmail")

m("SEACE", "Reporta SEACE caído", "SEACE NO FUNCIONA", """
    EL SEACE ESTA CAIDO DESDE LAS 9 DE LA MAÑANA, SALE "SERVICE UNAVAILABLE". HOY ES EL ULTIMO DIA
    DE PRESENTACION DE OFERTAS. VAN A AMPLIAR EL PLAZO??
    """, client="iphone")

m("SEACE", "Cómo registrar en el SEACE una nulidad ya declarada (operativo, no legal)",
  "Registro de nulidad en el sistema", """
    Buenos días:

    El Titular de la Entidad declaró la nulidad de oficio del procedimiento de selección y
    dispuso retrotraerlo a la etapa de convocatoria. La resolución ya está firmada. Mi consulta
    es operativa: ¿cómo registro esa nulidad en el SEACE y cómo vuelvo a publicar el cronograma?
    No me aparece la opción en la ficha del procedimiento.

    Saludos cordiales,
    """, sig="Karina Espinoza Córdova\nOEC - Universidad Nacional de San Cristóbal de Huamanga",
  frm=("Karina Espinoza Córdova", "kespinoza@unsch.edu.pe"), client="outlook", html="only_style")

m("SEACE", "Responde a respuesta anterior sobre RNP; nueva pregunta es contraseña SEACE",
  "Re: Consulta inscripción RNP", """
    Gracias por la respuesta, ya hice la inscripción.

    Ahora tengo otro problema: cuando entro al SEACE con el usuario que me dieron, me sale
    "contraseña incorrecta" aunque la copio tal cual. ¿Cómo la reseteo?
    """, quote=osce(OSCE_RNP, "Consulta inscripción RNP", 6), client="gmail")

m("SEACE", "Reenvío interno: error al registrar ofertas", "Fwd: error al registrar ofertas", """
    Buenos días, les reenvío el problema que reportó nuestro asistente. Seguimos sin poder
    registrar la oferta. Agradeceré su apoyo.
    """, quote=Quote(("Yesenia Ccori", "yccori.servicios@gmail.com"), T("""
        Ing. buenas, intenté subir la oferta de la AS 12-2025 al SEACE y sale "Error al cargar
        el archivo, inténtelo nuevamente". Lo intenté 5 veces, con el archivo en PDF y firmado.
        Le aviso para que consulte con OSCE.
        Yesenia
        """), "error al registrar ofertas", kind="forward", days_before=0.2), client="gmail")

m("SEACE", "Registro de órdenes de compra/servicio en SEACE", "Registro de órdenes de compra", """
    Estimados, consulta: las órdenes de compra y de servicio menores a 8 UIT, ¿se registran en el
    SEACE en el módulo de contrataciones menores? ¿Hasta cuántos días después de emitida la orden
    se tiene para registrarla? En el sistema no me sale la orden que emitimos el mes pasado.
    """, frm=("Patricia Castillo", "abastecimiento@ugelhuaral.gob.pe"), client="webmail")

m("SEACE", "No llegan notificaciones del SEACE", "Notificaciones", """
    Buenas tardes,

    No me llegan al correo las notificaciones del SEACE (por ejemplo la de absolución de
    consultas ni la del otorgamiento de la buena pro). Revisé la carpeta de spam. ¿Dónde configuro
    en el SEACE el correo para las notificaciones electrónicas?

    Gracias
    """, client="thunderbird")

m("SEACE", "Error inesperado al grabar ficha; adjunta JPG", "error 500", """
    Al guardar la ficha del procedimiento sale: "Ocurrió un error inesperado. Comuníquese con el
    administrador del sistema (Error 500)". Adjunto foto de la pantalla. Es la tercera vez.
    """, attach=["IMG_20250612_101533.jpg"], client="android")

m("SEACE", "Descargar acta de buena pro (palabra 'constancia' no decide)", "constancia", """
    Buenas tardes como descargo la constancia de la buena pro del seace? la entidad me pide el
    acta para firmar contrato y no la encuentro
    """, client="iphone", noaccents=True)

m("SEACE", "Ley 32069: dónde se registran ahora los procedimientos (plataforma)", "Nueva ley y SEACE", """
    Estimados:

    Con la entrada en vigencia de la Ley N° 32069 y su reglamento (D.S. 009-2025-EF), ¿el SEACE
    sigue siendo la plataforma donde se registran los procedimientos, o ya se usa la nueva
    plataforma digital? En nuestra entidad nadie sabe en qué sistema registrar el próximo
    procedimiento ni con qué usuario ingresar.

    Gracias.
    """, frm=("Jorge Salazar", "jsalazar@munisurco.gob.pe"), client="outlook")

m("SEACE", "Sistema exige PAC publicado para registrar expediente (Outlook QP windows-1252)",
  "No me deja registrar el expediente", """
    Buenas tardes:

    Al registrar el expediente de contratación en el SEACE me sale el mensaje “El procedimiento
    no se encuentra incluido en el PAC publicado”. Sin embargo el procedimiento sí está en el PAC
    aprobado – lo incluimos en la modificación N° 2 –. ¿Debo esperar algún tiempo a que se
    actualice? ¿O hay que vincularlo manualmente?

    Atentamente,
    """, sig="Miguel Ángel Ramírez\nUnidad de Abastecimiento\nMunicipalidad Provincial de Huancayo",
  frm=("Miguel Ángel Ramírez", "mramirez@munihuancayo.gob.pe"), client="outlook", charset="windows-1252")

m("SEACE", "Baja de certificado SEACE del funcionario anterior", "Baja de usuario", """
    Buenos días, el anterior jefe de logística ya no trabaja en la municipalidad pero su usuario
    del SEACE sigue activo. Queremos darlo de baja y que el nuevo jefe tenga su propio
    certificado. ¿Se hace por oficio o hay formulario en línea?
    """, frm=("Alberto Núñez", "sistemas@munichancay.gob.pe"), client="webmail")

m("SEACE", "Proveedor no ve sus procedimientos (mayúsculas)", "AYUDA", """
    BUENAS TARDES NO PUEDO VER LOS PROCESOS EN LOS QUE ME REGISTRE COMO PARTICIPANTE EN EL SEACE,
    ANTES SALIAN EN "MIS PROCESOS" Y AHORA LA LISTA ESTA VACIA. GRACIAS
    """, client="yahoo", noaccents=True)

m("SEACE", "Cómo adjuntar subsanación de oferta en el sistema", "Subsanación", """
    Estimados,

    El comité me solicitó subsanar mi oferta (falta la promesa de consorcio legalizada) dentro del
    plazo de 2 días. ¿Por dónde la subo en el SEACE? No veo la opción en la ficha y temo que se
    venza el plazo.

    Muchas gracias.
    """, client="gmail")

m("SEACE", "Botón Enviar oferta deshabilitado; firma con 'contratos' y 'proveedor' no decide",
  "Consulta urgente", """
    Señores:

    En el procedimiento LP-SM-1-2025-MPC-1 el botón "Enviar oferta" aparece deshabilitado aunque ya
    cargué todos los archivos y estoy dentro del plazo. ¿Qué requisito del sistema me falta?
    """, sig=SIG_CONTRATOS, frm=("Wilmer Rojas Paredes", "wrojas@contratosyproveedoresdelnorte.com.pe"),
  client="outlook", attach=["pantalla_envío_oferta.png"])

m("SEACE", "Sesión expira al cargar archivos (HTML en base64)", "sesion expirada", """
    Hola, cada vez que cargo los archivos de la oferta el SEACE me bota con "Su sesión ha
    expirado" y pierdo todo. Mi internet es lento (estoy en provincia). ¿Se puede ampliar el
    tiempo de sesión?
    """, client="webmail", html="only", cte="base64")

m("SEACE", "No aparece la opción de contratación directa en el sistema", "Contratación directa - SEACE", """
    Buenos días:

    Debemos registrar una contratación directa por situación de emergencia (aprobada por acuerdo
    de concejo) pero en el SEACE, al crear el procedimiento, el tipo "Contratación Directa" no
    aparece en la lista desplegable. ¿Hay que solicitar algún permiso adicional para el usuario?

    Gracias
    """, frm=("Víctor Huamán", "vhuaman@munisanjeronimo.gob.pe"), client="thunderbird")

m("SEACE", "Asunto decide: cuerpo vacío + captura adjunta", "error seace", "",
  attach=["captura.png"], client="iphone")

m("SEACE", "Integración SIAF-SEACE: certificación presupuestal no carga", "SIAF - SEACE", """
    Estimados:

    Al vincular la certificación de crédito presupuestario en el SEACE el sistema no trae los datos
    del SIAF ("No se encontró la certificación en el SIAF"). La certificación está aprobada desde
    hace una semana. ¿La interfaz SIAF-SEACE tiene algún retraso? ¿Cómo lo solucionamos?

    --
    Óscar Vargas
    Oficina de Logística
    Red de Salud Cusco Norte
    """, frm=("Óscar Vargas", "ovargas@redsaludcusconorte.gob.pe"), client="thunderbird")

m("SEACE", "Cómo registrar prórroga de cronograma en el sistema", "modificación de cronograma", """
    Buenas tardes, necesito prorrogar la etapa de presentación de ofertas de una AS porque el
    pronunciamiento demora. ¿Cómo registro la modificación del cronograma en el SEACE? ¿El sistema
    notifica solo a los participantes?
    """, client="outlook_old", frm=("Roxana Torres", "rtorres.logistica@outlook.com"))

m("SEACE", "Formato no permitido al subir oferta", "No sube mi oferta", """
    hola no me deja subir mi oferta dice formato no permitido, es pdf firmado digitalmente. que
    formato aceptan???
    """, client="android", noaccents=True)

m("SEACE", "Consulta por app/versión móvil del SEACE", "app", """
    Buenas, el SEACE tiene app para celular? quiero ver las convocatorias desde el teléfono
    porque no tengo computadora
    """, client="iphone")

m("SEACE", "Sistema en mantenimiento impidió registrarse como participante", "No pude registrarme", """
    Señores del OSCE:

    El día de ayer, último día de registro de participantes de la AS N° 9-2025-EPS, el SEACE
    mostró todo el día la página "Sistema en mantenimiento". Hoy ya no me deja registrarme.
    ¿Pueden habilitarme el registro? Tengo capturas de pantalla con la hora.

    Atentamente,
    Raúl Córdova Mamani
    DNI 41234567
    """, client="gmail", attach=["mantenimiento_1.png", "mantenimiento_2.png"])

m("SEACE", "Responde a respuesta legal (penalidades); nueva pregunta: registrar penalidad en módulo",
  "RE: Consulta sobre penalidad", """
    Muchas gracias por la absolución.

    Ya tenemos claro el cálculo. Ahora la consulta es operativa: ¿en qué parte del módulo de
    ejecución contractual del SEACE se registra la penalidad aplicada? No encuentro dónde
    consignar el monto descontado.
    """, quote=osce(OSCE_LEGAL, "Consulta sobre penalidad", 4), client="outlook",
  frm=("Gladys Paredes", "gparedes@munilambayeque.gob.pe"))

m("SEACE", "Registrar conformidad/culminación del contrato en el sistema", "Registro de conformidad", """
    Buenos días. ¿Cómo se registra en el SEACE la conformidad y la culminación del contrato? El
    contrato ya terminó pero en el sistema sigue figurando "en ejecución". Gracias.
    """, client="outlook", charset="iso-8859-1")

m("SEACE", "Subasta inversa electrónica: no aparece el lance (ISO-8859-1 QP)", "Subasta inversa", """
    Buenas tardes:

    Participo en una subasta inversa electrónica y en el periodo de lances no me aparece la
    opción para mejorar mi precio, solo veo mi oferta inicial. ¿Tengo que activar algo en el
    SEACE? Los lances empiezan a las 10:00 h.

    Gracias,
    Sofía Rojas
    """, client="outlook", charset="iso-8859-1", cte="quoted-printable")

m("SEACE", "Perfil no asignado en SEACE", "Usuario sin perfil", """
    El SEACE me muestra "El usuario no tiene perfil asignado" al ingresar. Soy miembro del comité
    de selección designado por resolución. ¿Quién asigna el perfil en el sistema?
    """, client="outlook_old", frm=("Luis Gutiérrez", "lgutierrez@regionpiura.gob.pe"))

m("SEACE", "No puede agregar miembros del comité en el sistema", "Registro de comité", """
    Buenas tardes, al registrar el comité de selección en el SEACE no me deja agregar al tercer
    miembro, sale "DNI no válido". El DNI es correcto. ¿Cómo lo soluciono?
    """, client="webmail", html="only")

m("SEACE", "Reenvío de TI municipal: navegador recomendado para SEACE", "RV: navegador para el SEACE", """
    Buenos días OSCE, reenvío la consulta de nuestra área de logística. ¿Qué navegador y qué
    configuración se recomienda para trabajar con el SEACE?
    """, quote=Quote(("Carmen Flores", "cflores@munipuno.gob.pe"), T("""
        Hola Alberto,
        El SEACE no carga bien en las PC nuevas con Windows 11, se desordenan las pantallas y el
        botón de guardar no responde. ¿Puedes consultar con OSCE qué navegador usar?
        Gracias,
        Carmen
        """), "navegador para el SEACE", to=("Alberto Paredes", "soporte@munipuno.gob.pe"),
        kind="forward", days_before=1), frm=("Alberto Paredes", "soporte@munipuno.gob.pe"), client="outlook")

m("SEACE", "Integración de bases: error por pronunciamiento pendiente", "integración de bases", """
    Al intentar publicar las bases integradas el SEACE indica "Existe pronunciamiento pendiente"
    pero el pronunciamiento ya fue emitido y publicado la semana pasada. ¿Cómo destrabo el
    registro?
    """, client="thunderbird", frm=("Elena Sánchez", "esanchez@sedapal.com.pe"))

m("SEACE", "Cambio de correo del usuario SEACE de la entidad", "cambio de correo", """
    Buenos días, el correo registrado en el usuario SEACE de nuestra entidad es de un dominio que
    ya no existe. ¿Cómo lo cambiamos? No podemos recuperar la contraseña porque llega a ese
    correo.
    """, client="outlook", frm=("Carlos Chávez", "cchavez@munimagdalena.gob.pe"))

m("SEACE", "Cadena Outlook interna (-----Mensaje original-----) sobre error SEACE",
  "RE: RE: problema con el SEACE", """
    Señores OSCE, les copio lo conversado internamente. El problema persiste desde el lunes.
    Quedamos a la espera de su apoyo.
    """, quote=Quote(("María Rojas", "mrojas@muniayacucho.gob.pe"), T("""
        Ing. Víctor,

        Seguimos sin poder registrar el contrato de la AS-3 en el SEACE. Sale "el proveedor
        adjudicado no coincide con el RUC registrado". ¿Ya consultó con el OSCE? El área usuaria
        pregunta todos los días.

        -----Mensaje original-----
        De: Víctor Espinoza [mailto:vespinoza@muniayacucho.gob.pe]
        Enviado el: lunes, 14 de julio de 2025 09:12 a. m.
        Para: mrojas@muniayacucho.gob.pe
        Asunto: RE: problema con el SEACE

        María, probé desde mi usuario y sale el mismo error. Voy a escribir a consultas.
        """), "RE: problema con el SEACE", to=("Víctor Espinoza", "vespinoza@muniayacucho.gob.pe"),
        days_before=1), frm=("Víctor Espinoza", "vespinoza@muniayacucho.gob.pe"), client="outlook_old")

m("SEACE", "PAC publicado no se visualiza en el buscador público", "PAC no visible", """
    Hola, publicamos el PAC 2026 hace 3 días en el SEACE y todavía no aparece en la consulta
    pública del PAC. ¿Cuánto demora en verse? Saludos.
    """, client="gmail", frm=("Maribel Ñahui", "maribel.nahui@gmail.com"))

m("SEACE", "Código de verificación para ingresar al SEACE no llega; HTML con estilo, sin asunto", "", """
    Buenas tardes:

    Al ingresar al SEACE me solicita un código de verificación que se envía al correo, pero el
    código nunca llega (revisé spam). Sin ese código no puedo acceder a mis procedimientos.

    Agradeceré su ayuda.
    """, client="webmail", html="only_style",
  sig="Ing. Jorge Mamani\nJefe de Proyectos\nServicios Generales Mamani S.A.C.")

m("SEACE", "Apple Mail con acentos, pregunta por reprogramar publicación del contrato", "Duda con el módulo de contratos", """
    Hola! Registré el contrato en el SEACE pero me equivoqué en el monto (puse 125 000 en vez de
    152 000). ¿Cómo corrijo el registro? ¿Se puede anular o hay que pedirlo a ustedes?
    """, client="iphone", frm=("Carmen Quispe", "carmenquispe@icloud.com"))

m("SEACE", "Proveedor: no puede ver el pliego de absolución de consultas", "pliego absolucion", """
    Buenos dias, el cronograma dice que el pliego de absolucion de consultas y observaciones se
    publicaba ayer pero en el seace no esta. Como lo descargo?
    """, client="yahoo")

m("SEACE", "Reemplazo de archivo en convocatoria ya publicada", "Archivo equivocado", """
    Estimados: publicamos la convocatoria con un anexo equivocado (el de otro procedimiento). ¿El
    SEACE permite reemplazar el archivo o debemos hacer una fe de erratas en el sistema?
    Gracias.
    """, client="outlook", charset="iso-8859-1", frm=("Lucía Vargas", "lvargas@essalud.gob.pe"))

# ---------------------------------------------------------------- RNP (42) ------------

m("RNP", "Inscripción persona natural como proveedor de bienes (informal)", "inscripcion", """
    hola buenas quisiera saber como me inscribo en el registro de proveedores, soy persona
    natural tengo ruc 10 y vendo utiles de oficina. que requisitos piden?? gracias
    """, client="android", noaccents=True)

m("RNP", "Empresa S.A.C. pregunta requisitos de inscripción como proveedor de servicios",
  "Requisitos de inscripción en el RNP - servicios", """
    Señores
    Organismo Supervisor de las Contrataciones del Estado
    Presente.-

    De nuestra consideración:

    Inversiones Huallaga S.A.C., con RUC N° 20587654321, se dirige a ustedes a fin de solicitar
    información sobre los requisitos para la inscripción en el Registro Nacional de Proveedores
    como proveedor de servicios (limpieza y mantenimiento de locales). En particular, quisiéramos
    saber si debemos presentar la vigencia de poder del representante legal y si la partida
    registral de la empresa debe tener una antigüedad mínima.

    Sin otro particular, quedamos de ustedes.

    Atentamente,
    """, sig="Ana María Huamán Torres\nGerente Administrativa\nInversiones Huallaga S.A.C.\nTelf. 062-514477",
  frm=("Ana María Huamán Torres", "administracion@inversioneshuallaga.com.pe"), client="outlook")

m("RNP", "Renovación del RNP (pregunta con idea antigua de vigencia anual)", "RNP por vencer", """
    Buenas tardes, mi RNP de bienes vence el 15 de este mes, como hago para renovarlo? tengo que
    pagar de nuevo? no quiero quedarme sin poder participar en los procesos.
    """, client="gmail")

m("RNP", "Vigencia indeterminada: ¿debe renovar?", "Vigencia de inscripción", """
    Estimados,

    En mi constancia del RNP dice "vigencia: indeterminada". ¿Eso significa que ya no tengo que
    renovar nunca? ¿O hay que hacer alguna actualización anual para que no se suspenda?

    Gracias.
    """, client="thunderbird", frm=("Jorge Castillo", "jcastillo@ingenieriaperu.pe"))

m("RNP", "No puede descargar constancia RNP; adjunta PDF", "constancia rnp", """
    Buenos días, al descargar la constancia de inscripción del RNP me sale un PDF en blanco (lo
    adjunto). La necesito para presentar mi oferta el viernes. ¿Cómo obtengo la constancia
    correcta?
    """, attach=["constancia_rnp.pdf"], client="gmail")

m("RNP", "Capacidad máxima de contratación del ejecutor de obras", "Capacidad máxima de contratación", """
    Estimados señores:

    Somos ejecutores de obras inscritos en el RNP. Nuestra capacidad máxima de contratación
    figura en S/ 2 850 000, pero queremos postular a una obra de S/ 4 millones. ¿Cómo se calcula la
    capacidad y qué trámite debemos hacer para aumentarla? ¿Se considera la experiencia en obras
    ejecutadas en consorcio?

    Atentamente,
    """, sig="Ing. Fredy Quispe Ccori\nRepresentante Legal\nConstructora Quispe & Ccori E.I.R.L.",
  frm=("Fredy Quispe Ccori", "constructoraqc@gmail.com"))

m("RNP", "Requisitos de inscripción como ejecutor de obras", "ejecutor de obras", """
    Buenos dias
    Queremos inscribir nuestra empresa como ejecutor de obras. Cuales son los requisitos?
    Necesitamos capital social minimo? tenemos que acreditar personal profesional?
    Saludos
    Carlos Mendoza - Mendoza Constructores S.R.L.
    """, client="outlook_old", frm=("Carlos Mendoza", "mendozaconstructores@outlook.com"))

m("RNP", "Consultor de obras: ampliación de categoría/especialidad", "Ampliación de especialidad - consultor de obras", """
    Estimados:

    Estoy inscrito como consultor de obras en la especialidad de obras urbanas y edificaciones,
    categoría B. Quiero ampliar a la especialidad de obras de saneamiento. ¿Es un trámite de
    ampliación o tengo que inscribirme de nuevo? ¿Qué experiencia debo acreditar?

    Ing. Raúl Salazar Núñez
    CIP 112233
    """, client="gmail", frm=("Raúl Salazar Núñez", "raul.salazar.ing@gmail.com"))

m("RNP", "Actualización de domicilio fiscal en el RNP", "Cambio de domicilio", """
    Buenas tardes. Nuestra empresa cambió de domicilio fiscal (ya actualizado en SUNAT). ¿Cómo
    actualizamos el domicilio en el RNP? ¿Se actualiza automáticamente o hay que hacer un trámite
    de actualización de información?
    """, client="webmail", frm=("Sistemas Integrales Lima", "contacto@sistemasintegraleslima.pe"))

m("RNP", "Cambio de gerente general / representante legal", "Actualización de representante legal", """
    Estimados:

    En junta general se nombró a un nuevo gerente general, inscrito ya en SUNARP. ¿Cómo
    actualizamos al representante legal en el RNP? ¿También hay que actualizar la relación de
    socios si hubo transferencia de acciones?

    Saludos cordiales,
    """, sig="Patricia Chávez\nContadora\nServicios Generales Mantaro E.I.R.L.",
  frm=("Patricia Chávez", "contabilidad@sgmantaro.com.pe"), client="outlook", charset="iso-8859-1")

m("RNP", "Costo de la inscripción y dónde pagar (tasas → RNP)", "costo", """
    cuanto cuesta la inscripcion en el rnp para bienes y servicios y donde se paga? en el banco
    de la nacion o por pagalo.pe?
    """, client="iphone", noaccents=True)

m("RNP", "Pago duplicado de la tasa del RNP, pide devolución", "Devolución de pago", """
    Señores OSCE:

    Por error realicé dos veces el pago del derecho de trámite para la inscripción en el RNP
    (operaciones N° 0045123 y N° 0045127 del Banco de la Nación, mismo día). Solicito la
    devolución de uno de los pagos. ¿Qué documento debo presentar y a dónde?

    Atentamente,
    Sofía Paredes Llanos
    DNI 45678912
    """, client="gmail", attach=["voucher_1.jpg", "voucher_2.jpg"])

m("RNP", "Figura inhabilitado en el RNP tras cumplir sanción", "Sigo apareciendo inhabilitado", """
    Buenas tardes,

    Mi empresa fue sancionada con inhabilitación temporal de 6 meses por el Tribunal. La sanción
    terminó el 30 de junio pero en la consulta del RNP todavía aparece "inhabilitado". ¿Cuándo se
    actualiza el estado en el registro? ¿Tengo que pedirlo?

    Gracias.
    """, client="outlook", frm=("Miguel Torres", "mtorres@serviciosmt.com.pe"))

m("RNP", "Trámite de inscripción observado, cómo subsanar", "tramite observado", """
    Hola, mi trámite de inscripción de servicios fue observado (dice "observado - documentación
    incompleta"). ¿Dónde veo qué tengo que subsanar y cuántos días tengo? ¿Pierdo el pago si no
    subsano a tiempo?
    """, client="android", attach=["observación_trámite.png"])

m("RNP", "Proveedor extranjero no domiciliado: inscripción", "Registration of foreign supplier / inscripción proveedor extranjero", """
    Estimados señores:

    Somos una empresa chilena sin sucursal en el Perú y deseamos inscribirnos en el Registro
    Nacional de Proveedores para participar en licitaciones. ¿Qué documentos debemos presentar?
    ¿Deben estar apostillados y traducidos? ¿Es necesario contar con RUC peruano?

    Kind regards / Saludos cordiales,
    Andrés Fuentes
    Export Manager - Equipos Médicos del Pacífico SpA
    Santiago, Chile
    """, frm=("Andrés Fuentes", "afuentes@equiposmedicospacifico.cl"), client="outlook")

m("RNP", "Responde a respuesta anterior sobre SEACE; nueva pregunta es constancia RNP",
  "RE: contraseña SEACE", """
    Gracias, ya pude entrar al SEACE.

    Otra consulta: la entidad me pide la constancia de no estar inhabilitado para contratar con el
    Estado. ¿Esa constancia la emite el RNP? ¿Tiene costo?
    """, quote=osce(OSCE_SEACE, "contraseña SEACE", 2), client="outlook",
  frm=("Yesenia Gutiérrez", "yesenia.gutierrez@hotmail.com"))

m("RNP", "Contador reenvía consulta de cliente sobre actualización de capacidad", "RV: capacidad de contratación", """
    Buenos días, les reenvío la consulta de mi cliente. Le agradeceré responder a ambos.

    CPC Luis Rojas
    """, quote=Quote(("Constructora Los Andes", "gerencia@constructoralosandes.pe"), T("""
        CPC Rojas:

        Ya se aprobó el aumento de capital a S/ 500 000 y se inscribió en registros públicos.
        Necesitamos que eso se refleje en el RNP para que suba la capacidad máxima de
        contratación. ¿Qué trámite corresponde? Por favor consulte al OSCE.

        Gerencia
        """), "capacidad de contratación", to=("Luis Rojas", "cpc.luisrojas@outlook.com"),
        kind="forward", days_before=1), frm=("Luis Rojas", "cpc.luisrojas@outlook.com"), client="outlook",
  cc=["gerencia@constructoralosandes.pe"])

m("RNP", "Olvidó clave del RNP para hacer trámites", "clave rnp", """
    Buenas tardes, olvidé la clave del RNP y necesito hacer la actualización de datos de mi
    empresa. ¿Cómo la recupero? El correo registrado ya no lo uso.
    """, client="gmail")

m("RNP", "¿Está inscrita mi empresa? (todo mayúsculas)", "CONSULTA RNP", """
    BUENOS DIAS NECESITO SABER SI MI EMPRESA ESTA INSCRITA EN EL RNP, EL RUC ES 20481234567. LA
    MUNICIPALIDAD ME DICE QUE NO APARECE. GRACIAS.
    """, client="yahoo", noaccents=True, date="Thu, 01 Jan 2099 08:14:02 -0500")

m("RNP", "Proveedor de bienes quiere agregar servicios", "Ampliar a servicios", """
    Hola, estoy inscrito en el RNP solo como proveedor de bienes. Ahora quiero ofrecer servicios
    de mantenimiento. ¿Tengo que hacer una nueva inscripción y pagar otra vez?
    """, client="iphone", frm=("Óscar Llanos", "oscarllanos@icloud.com"))

m("RNP", "Registrar experiencia de obras ejecutadas (ejecutor)", "Declaración de experiencia", """
    Estimados:
    Para el trámite de ampliación de capacidad como ejecutor de obras, ¿cómo declaro las obras
    ejecutadas? ¿Se adjunta el acta de recepción y la liquidación de cada obra, o basta con la
    declaración jurada?
    Atte.
    Ing. Yupanqui
    """, client="thunderbird", frm=("Edwin Yupanqui", "eyupanqui@consorciovial.pe"))

m("RNP", "Constancia de capacidad libre de contratación para firmar contrato (trampa 'contrato')",
  "Constancia de capacidad libre", """
    Buenas tardes:

    Obtuvimos la buena pro de una obra y la entidad nos pide, para la firma del contrato, la
    constancia de capacidad libre de contratación. ¿Cómo se solicita en el RNP? ¿Cuánto demora
    su emisión?

    Gracias,
    """, sig=SIG_CONTRATOS, frm=("Wilmer Rojas Paredes", "wrojas@contratosyproveedoresdelnorte.com.pe"), client="outlook")

m("RNP", "Entidad pregunta cómo verificar el estado RNP de un proveedor; HTML sin parte de texto",
  "Verificación de proveedores", """
    Buenos días:

    Como parte de la revisión de ofertas, ¿dónde podemos verificar si un proveedor tiene
    inscripción vigente en el RNP y si está inhabilitado o suspendido? ¿El reporte tiene validez
    para el expediente?

    Cordialmente,
    """, sig="Gutiérrez Salazar, César\nÓrgano Encargado de las Contrataciones\nMunicipalidad Provincial de Ica",
  frm=("Gutiérrez Salazar, César", "cgutierrez@muniica.gob.pe"), client="outlook", html="only")

m("RNP", "iPhone, corto: cómo saco mi RNP", "", """
    buenas como saco mi rnp soy persona natural con ruc 10
    """, client="iphone")

m("RNP", "Baja voluntaria del RNP (ISO-8859-1)", "Baja de inscripción", """
    Señores:

    Mi empresa dejará de operar y deseo solicitar la baja de la inscripción en el Registro
    Nacional de Proveedores. ¿Existe ese trámite? ¿Debo presentar algún formulario?

    Atentamente,
    Nélida Córdova
    """, client="outlook", charset="iso-8859-1", frm=("Nélida Córdova", "ncordova@live.com"))

m("RNP", "Inscripción rechazada por RUC no habido (menciona SUNAT, pero es RNP)", "Inscripción rechazada", """
    Hola, intenté inscribirme en el RNP y me sale "RUC en condición de NO HABIDO". Ya fui a SUNAT y
    regularicé el domicilio, hoy figura HABIDO. ¿Cuánto demora en actualizarse para que el RNP me
    deje continuar la inscripción? ¿Tengo que pagar de nuevo la tasa?
    """, client="gmail")

m("RNP", "Validación de identidad en trámite RNP falla (menciona RENIEC/DNI)", "error al validar DNI", """
    Buenas noches, al hacer el trámite de inscripción en el RNP no me valida el DNI, dice "no se
    pudo validar con RENIEC". Mi DNI está vigente. ¿Qué hago para continuar con la inscripción?
    """, client="android", noaccents=True)

m("RNP", "Firma de abogada con 'Contrataciones con el Estado'; pregunta sobre renovación RNP",
  "Consulta", """
    Estimados señores:

    Consulto en representación de un cliente, proveedor de bienes, cuya inscripción en el RNP
    figura como "no vigente" por no haber cumplido con la actualización de información. ¿Qué
    procedimiento debe seguir para recuperar la vigencia? ¿Puede participar mientras tanto en
    procedimientos de selección?

    Saludos cordiales,
    """, sig=SIG_LEGAL_FIRM, frm=("Milagros Zegarra Llanos", "mzegarra@zegarraasociados.pe"), client="thunderbird")

m("RNP", "Cambio de razón social", "cambio de razón social", """
    Buen día, nuestra empresa cambió de razón social (antes "Distribuidora Sánchez E.I.R.L.",
    ahora "DISAN Perú E.I.R.L.") manteniendo el mismo RUC. ¿Cómo se actualiza en el RNP?
    """, client="outlook_old", frm=("Distribuidora DISAN", "ventas@disanperu.com"))

m("RNP", "Estado 'no vigente' tras no actualizar información", "RNP NO VIGENTE", """
    Hola, entré a ver mi constancia y sale "NO VIGENTE". Nunca me avisaron nada. Hace un año me
    inscribí. ¿Qué tengo que hacer para que vuelva a estar vigente?
    """, client="gmail")

m("RNP", "Error en SEACE por RNP no vigente; pregunta si debe actualizar RNP", "no me deja registrarme", """
    Buenas tardes:

    Al registrarme como participante en una adjudicación simplificada, el SEACE indica "El
    proveedor no cuenta con inscripción vigente en el RNP". ¿Debo actualizar o renovar mi RNP? ¿Cuál
    es el trámite y cuánto demora? Necesito participar antes del viernes.

    Gracias
    """, client="webmail", html="only_style", sig="Ing. Roxana Mamani\nMamani Ingenieros S.A.C.")

m("RNP", "Voucher del pago no válido al iniciar trámite", "número de operación no válido", """
    Buenas. Pagué la tasa del RNP en el agente del Banco de la Nación pero al ingresar el número de
    operación en el trámite sale "el comprobante no es válido o ya fue utilizado". Adjunto foto del
    voucher. ¿Qué hago?
    """, attach=["WhatsApp Image 2025-08-04 at 11.32.10.jpeg"], client="android")

m("RNP", "Plazo de evaluación de inscripción de ejecutor de obras", "¿cuánto demora?", """
    Estimados, presenté la solicitud de inscripción como ejecutor de obras hace 12 días hábiles y
    sigue "en evaluación". ¿Cuál es el plazo máximo que tiene el RNP para resolver?
    """, client="thunderbird")

m("RNP", "Fusión de empresas: traspaso de experiencia en RNP", "Reorganización societaria", """
    Estimados señores:

    Nuestra empresa absorbió por fusión a otra empresa constructora. ¿Podemos registrar en el RNP
    la experiencia en obras de la empresa absorbida para incrementar nuestra capacidad máxima de
    contratación? ¿Qué documentos se requieren?

    Atentamente,
    Gerencia Legal - Grupo Constructor Mantaro S.A.
    """, client="outlook", frm=("Gerencia Legal GCM", "legal@grupomantaro.com.pe"))

m("RNP", "Empresa extranjera con sucursal domiciliada", "Sucursal en Perú", """
    Hello / Buenos días,

    Somos una empresa colombiana con sucursal inscrita en Lima. Para el RNP, ¿nos inscribimos como
    proveedor extranjero o como proveedor nacional (domiciliado)?

    Gracias,
    Diana Ortiz
    """, client="gmail", frm=("Diana Ortiz", "diana.ortiz.sucursalperu@gmail.com"))

m("RNP", "Sin asunto, Android: quiere registro de proveedor para vender a la municipalidad", "", """
    hola buenas tardes quiero sacar mi registro de proveedor del estado para vender a la
    municipalidad de mi distrito, soy comerciante. donde empiezo?
    """, client="android", noaccents=True)

m("RNP", "Actualización de personal profesional del consultor de obras", "actualización de plantel profesional", """
    Estimados,

    Como consultores de obras necesitamos actualizar el plantel profesional en el RNP porque un
    ingeniero dejó la empresa e ingresó otro. ¿Se hace como actualización de información? ¿Tiene
    costo?

    Saludos,
    """, client="outlook", frm=("Lucía Ramírez", "lramirez@consultoresandinos.pe"), charset="windows-1252")

m("RNP", "Persona natural sin RUC (Thunderbird, base64)", "Inscripción sin RUC", """
    Buenas noches, ¿puedo inscribirme en el Registro Nacional de Proveedores si todavía no tengo
    RUC? Soy técnico electricista y quiero ofrecer servicios a colegios.
    """, client="thunderbird", cte="base64")

m("RNP", "Sigue la cadena Outlook de una respuesta RNP; adjunta voucher", "RE: Consulta inscripción RNP", """
    Buenas tardes,

    Seguí los pasos que me indicaron pero el sistema del RNP sigue sin aceptar mi pago. Adjunto el
    voucher.

    Quedo atento.
    """, quote=osce(OSCE_RNP, "RE: Consulta inscripción RNP", 5), client="outlook_old",
  attach=["voucher_pago.pdf"], frm=("Héctor Salazar", "hsalazar_servicios@outlook.com"))

m("RNP", "Declaración jurada de veracidad en trámite RNP", "declaración jurada", """
    Hola, en el trámite del RNP me pide firmar la declaración jurada de veracidad. Soy apoderado,
    no representante legal. ¿Puedo firmarla yo o tiene que ser el gerente?
    """, client="gmail")

m("RNP", "Constancia RNP en inglés/apostillada para licitación en el extranjero", "Constancia del RNP en inglés", """
    Estimados,

    Participaremos en una licitación del BID en Bolivia y nos piden acreditar la inscripción en el
    registro de proveedores del Perú. ¿El RNP emite la constancia en inglés o es posible
    apostillarla?

    Gracias.
    """, client="outlook", frm=("Maribel Torres", "comercial@tecnoandes.com.pe"))

m("RNP", "Suspensión del derecho de participar por multa impaga: estado en el registro",
  "Suspendido en el RNP", """
    Buenos días:

    Al revisar mi constancia figura "SUSPENDIDO" por una multa que impuso el Tribunal hace dos
    años. Ya pagué la multa la semana pasada en el Banco de la Nación. ¿En cuánto tiempo se
    levanta la suspensión en el RNP? ¿Debo enviar el voucher a algún correo?

    Atentamente,
    Jorge Ñahui Ticona
    """, client="yahoo", frm=("Jorge Ñahui Ticona", "jnahuiticona@yahoo.com"))

# ---------------------------------------------------------------- Legal (35) ----------

m("Legal", "Penalidad por mora superior al 10%", "Consulta sobre penalidad", """
    Estimados señores:

    Somos contratistas de un servicio de mantenimiento de vehículos con una municipalidad. La
    entidad nos ha aplicado una penalidad por mora equivalente al 14% del monto del contrato,
    sumando además "otras penalidades" previstas en las bases. ¿Es legal que el total de la
    penalidad por mora supere el 10% del monto del contrato vigente? ¿Qué artículo del Reglamento
    lo regula?

    Atentamente,
    """, sig="Juan Carlos García Vargas\nTaller Automotriz García E.I.R.L.",
  frm=("Juan Carlos García Vargas", "tallergarcia@hotmail.com"), client="outlook")

m("Legal", "Ampliación de plazo no respondida: ¿aprobación ficta?", "Ampliación de plazo", """
    Buenas tardes,

    Solicité ampliación de plazo en un contrato de servicio por causas no imputables (la entidad
    entregó tarde la información). Han pasado más de 10 días hábiles y la entidad no se pronunció.
    ¿Se considera aprobada la ampliación? ¿Qué dice el Reglamento al respecto?

    Saludos
    Ing. Carlos Ramírez
    """, client="gmail")

m("Legal", "Adicionales de obra: límite del 15% y Contraloría", "Prestaciones adicionales de obra", """
    Estimados:

    La obra "Mejoramiento del servicio de agua potable en el C.P. Santa Rosa" requiere un
    adicional que, sumado a los anteriores y restando los deductivos vinculados, llega al 18% del
    monto del contrato original. ¿La entidad puede aprobarlo directamente o se requiere
    autorización previa de la Contraloría? ¿Cambia algo con la Ley 32069?

    Saludos cordiales,
    Gerencia de Infraestructura - Municipalidad Distrital de Santa Rosa
    """, frm=("Gerencia de Infraestructura", "infraestructura@munisantarosa.gob.pe"), client="outlook_old")

m("Legal", "Resolución de contrato por incumplimiento: procedimiento de carta notarial",
  "Resolución de contrato", """
    Buenos días:

    El contratista de un servicio de vigilancia incumple reiteradamente (faltan agentes en los
    turnos). ¿Cuál es el procedimiento para resolver el contrato? ¿Primero debemos requerirle por
    carta notarial que cumpla en un plazo? ¿Cuántos días se le otorga? ¿Podemos resolver
    directamente si ya acumuló el monto máximo de penalidad?

    Gracias.
    """, frm=("Patricia Flores", "pflores@hospitalcayetano.gob.pe"), client="outlook", charset="windows-1252")

m("Legal", "Nulidad de contrato por documento falso", "Documento falso detectado", """
    Estimados:

    Después de firmado el contrato, en la fiscalización posterior detectamos que un certificado
    de trabajo presentado en la oferta del contratista es falso. ¿La entidad puede declarar la
    nulidad del contrato? ¿Debe comunicar al Tribunal para el procedimiento sancionador?

    Atentamente,
    """, sig="Abog. Víctor Paredes\nOficina de Asesoría Jurídica\nUniversidad Nacional del Altiplano",
  frm=("Víctor Paredes", "vparedes@unap.edu.pe"), client="thunderbird")

m("Legal", "Retención del 10% como garantía de fiel cumplimiento (MYPE)", "garantia de fiel cumplimiento", """
    hola una consulta, soy mype y gane un proceso de bienes. en vez de la carta fianza puedo pedir
    que me retengan el 10%? eso aplica para cualquier monto o solo para montos pequeños?
    """, client="android", noaccents=True)

m("Legal", "Plazo para solicitar arbitraje tras resolución de contrato", "Arbitraje", """
    Buenas tardes:

    La entidad resolvió nuestro contrato mediante carta notarial recibida el 2 de septiembre.
    ¿Cuál es el plazo para someter la controversia a conciliación o arbitraje? ¿Si no lo hacemos
    queda consentida la resolución?

    Atentamente,
    """, sig="María Ticona\nApoderada\nTicona Ingenieros Contratistas S.R.L.",
  frm=("María Ticona", "mticona@ticonaingenieros.com.pe"), client="outlook")

m("Legal", "Conciliación: ¿puede la entidad conciliar y con qué requisitos?", "Conciliación extrajudicial", """
    Estimados,

    El contratista nos invitó a conciliar por el pago de mayores gastos generales. ¿La entidad
    puede conciliar? ¿Qué informes se necesitan (técnico y legal) y quién autoriza al procurador?

    Gracias.
    """, frm=("Procuraduría Pública Municipal", "procuraduria@munitrujillo.gob.pe"), client="webmail")

m("Legal", "Impedimento por parentesco con regidor", "¿puedo contratar con la municipalidad?", """
    Buenas noches

    Mi cuñado es regidor de la municipalidad provincial. Yo tengo una pequeña empresa de
    confecciones. ¿Estoy impedida de contratar con esa municipalidad? ¿Y con las municipalidades
    distritales de la misma provincia? ¿El impedimento sigue después de que él deje el cargo?

    Gracias, espero su respuesta.
    Carmen
    """, client="iphone")

m("Legal", "Recurso de apelación: plazo, ante quién y garantía", "recurso de apelación", """
    Buenos días, no estoy de acuerdo con la descalificación de mi oferta en una licitación
    pública de S/ 1 200 000. ¿En qué plazo puedo apelar? ¿Se presenta ante la entidad o ante el
    Tribunal? ¿Cuánto es la garantía por interposición del recurso?
    """, client="gmail")

m("Legal", "Descargos en procedimiento sancionador del Tribunal", "Procedimiento sancionador", """
    Señores:

    Me notificaron el inicio de un procedimiento administrativo sancionador en el Tribunal de
    Contrataciones del Estado por supuestamente haber presentado información inexacta. ¿Qué plazo
    tengo para presentar descargos? ¿Es obligatorio tener abogado? ¿La sanción podría ser
    inhabilitación?

    Atentamente,
    Edwin Mamani Castillo
    """, client="yahoo")

m("Legal", "Consorcio: responsabilidad solidaria y porcentaje de obligaciones", "Consulta sobre consorcio", """
    Estimados,

    Queremos presentarnos en consorcio con otra empresa. Si el consorcio gana y la otra empresa
    incumple su parte, ¿respondemos solidariamente? ¿Cómo se fija el porcentaje de obligaciones
    en la promesa de consorcio y puede modificarse después de firmado el contrato?

    Saludos,
    """, client="thunderbird", frm=("Rosa Villanueva", "rvillanueva@serviciosvr.pe"))

m("Legal", "Subcontratación en servicio de vigilancia (límite)", "subcontratar", """
    Tenemos contrato de limpieza con un hospital. Podemos subcontratar parte del servicio (el
    lavado de vidrios en altura)? hasta que porcentaje? la entidad tiene que aprobarlo?
    """, client="outlook_old", noaccents=True, frm=("Limpiezas Generales", "limpiezasgenerales@outlook.com"))

m("Legal", "Adelanto directo en obras y garantía", "Adelanto directo", """
    Estimados:

    En nuestro contrato de obra las bases prevén adelanto directo. ¿Hasta qué porcentaje podemos
    solicitar? ¿En qué plazo debemos pedirlo y qué garantía se exige? ¿La entidad puede negarse a
    entregarlo?

    Atentamente,
    """, sig=SIG_CONTRATOS, frm=("Wilmer Rojas Paredes", "wrojas@contratosyproveedoresdelnorte.com.pe"), client="outlook")

m("Legal", "Pregunta legal que menciona SEACE de paso: buena pro sin absolver consultas",
  "Consulta sobre absolución", """
    Buenas tardes,

    Formulé una consulta a las bases a través del SEACE dentro del plazo, pero el comité de
    selección no la absolvió en el pliego y aun así continuó con el procedimiento y otorgó la buena
    pro. ¿Es válido ese procedimiento? ¿Puedo pedir su nulidad o debo apelar?

    Gracias
    """, client="gmail")

m("Legal", "Ley 32069: ¿qué ley aplica a contratos firmados en 2024?", "Aplicación de la nueva ley", """
    Estimados:

    Tenemos un contrato de obra suscrito en noviembre de 2024 bajo la Ley 30225. Con la entrada en
    vigencia de la Ley N° 32069 el 22 de abril de 2025, ¿las ampliaciones de plazo y adicionales
    de ese contrato se rigen por la ley anterior o por la nueva? ¿Y los arbitrajes que se inicien
    ahora?

    Atentamente,
    """, frm=("Oficina de Asesoría Legal", "asesorialegal@regionloreto.gob.pe"), client="outlook", charset="iso-8859-1")

m("Legal", "Junta de Resolución de Disputas bajo Ley 32069 / D.S. 009-2025-EF", "JRD obligatoria?", """
    Buenos días, con el nuevo reglamento (D.S. N° 009-2025-EF) ¿es obligatorio pactar una Junta de
    Resolución de Disputas en los contratos de obra? ¿Desde qué monto? ¿Quién paga a los
    miembros?
    """, client="gmail", frm=("Héctor Cárdenas", "hcardenas.abogado@gmail.com"))

m("Legal", "Fraccionamiento en contrataciones menores a 8 UIT", "fraccionamiento", """
    Estimados, en nuestra entidad se compra papel y útiles tres veces al año, cada compra por
    menos de 8 UIT, con órdenes de compra. El órgano de control dice que es fraccionamiento. ¿Es
    correcto? ¿Qué dice la ley sobre las contrataciones menores a 8 UIT?
    """, client="webmail", frm=("Abastecimiento UGEL", "abastecimiento@ugelcusco.gob.pe"))

m("Legal", "Contratación directa por emergencia: regularización", "Contratación directa por emergencia", """
    Señores OSCE:

    Debido a las lluvias intensas, la municipalidad contrató de inmediato la limpieza de cauces
    sin procedimiento. ¿Qué plazo hay para regularizar la contratación directa por situación de
    emergencia? ¿Qué documentos deben aprobarse (informe técnico, legal, acuerdo de concejo)?

    Atentamente,
    """, sig="Wilmer Salazar Córdova\nGerente Municipal\nMunicipalidad Distrital de Huancabamba",
  frm=("Wilmer Salazar Córdova", "gerencia@munihuancabamba.gob.pe"), client="outlook_old")

m("Legal", "Vicios ocultos después de la conformidad", "vicios ocultos", """
    Buenas tardes. Dimos conformidad a la entrega de 40 computadoras y a los tres meses varias
    fallan por defectos de fábrica. ¿El contratista responde por vicios ocultos? ¿Por cuánto
    tiempo? ¿Podemos reclamar si ya se pagó?
    """, client="outlook", frm=("Elena Cárdenas", "ecardenas@uni.edu.pe"))

m("Legal", "Retraso en el pago: intereses legales", "La entidad no me paga", """
    La entidad me dio la conformidad hace 2 meses y todavía no me pagan. Me dicen que no hay
    presupuesto. ¿Cuál es el plazo que tienen para pagar? ¿Puedo cobrar intereses? ¿A quién
    reclamo?

    Atentamente
    Sofía Quispe - Confecciones Sofi E.I.R.L.
    """, client="gmail", noaccents=True)

m("Legal", "Responde a respuesta SEACE anterior; nueva pregunta legal sobre ampliación de plazo en obra",
  "Re: Restablecer contraseña", """
    Gracias, ya pude ingresar.

    Aprovecho para consultar otro tema: en una obra, la entidad nos notificó la denegatoria de la
    ampliación de plazo fuera del plazo de 15 días hábiles que tenía el inspector y la entidad.
    ¿Se tiene por aprobada? ¿Podemos ir a arbitraje si la denegaron?
    """, quote=osce(OSCE_SEACE, "Restablecer contraseña", 8), client="thunderbird",
  frm=("Luis Paredes", "lparedes@ingenierosyconstructores.pe"))

m("Legal", "Informal: penalidad por retraso causado por la entidad", "ayuda por favor", """
    buenas me quieren cobrar penalidad pero el retraso fue culpa de la entidad xq no me dieron
    acceso al local hasta 10 dias despues. q puedo hacer? puedo reclamar? ya me descontaron de la
    factura
    """, client="android", noaccents=True)

m("Legal", "Carta fianza no devuelta (mayúsculas)", "CARTA FIANZA", """
    SEÑORES OSCE, LA ENTIDAD NO ME QUIERE DEVOLVER MI CARTA FIANZA DE FIEL CUMPLIMIENTO A PESAR DE
    QUE LA OBRA YA FUE LIQUIDADA HACE 4 MESES. QUE NORMA LOS OBLIGA A DEVOLVERLA? ME ESTA COSTANDO
    RENOVARLA CADA MES.
    """, client="yahoo", noaccents=True)

m("Legal", "Prestaciones adicionales y reducciones en bienes (25%)", "Adicionales en contrato de bienes", """
    Estimados:
    ¿Una entidad puede ordenar prestaciones adicionales en un contrato de suministro de bienes
    hasta el 25%? ¿El contratista está obligado a aceptarlas? ¿Y la reducción, también hasta el
    25%, sin su consentimiento?
    Saludos.
    """, client="thunderbird", frm=("Gladys Rojas", "grojas@suministrosandinos.pe"))

m("Legal", "Pregunta solo dentro del mensaje reenviado como adjunto (message/rfc822)", "Fw: intervención económica", """
    Buenas tardes, les reenvío como adjunto la consulta del supervisor de obra. Gracias.
    """, rfc822=Quote(("Supervisión de Obras", "supervision@munichiclayo.gob.pe"), T("""
        Ing. Gerente:

        La obra de la AV. Bolognesi está paralizada por problemas financieros del contratista
        (no paga a proveedores ni a obreros). ¿En qué casos procede la intervención económica de
        la obra según el Reglamento? ¿El contratista puede negarse? Sugiero consultar al OSCE.
        """), "intervención económica", to=("Gerencia de Infraestructura", "gerencia.infra@munichiclayo.gob.pe"),
        days_before=1), client="thunderbird", frm=("Gerencia de Infraestructura", "gerencia.infra@munichiclayo.gob.pe"))
m("Legal", "Cómo solicitar una opinión normativa formal", "Solicitud de opinión", """
    Estimados:

    Necesitamos que el OSCE emita una opinión sobre la interpretación del artículo referido a
    la subsanación de ofertas. ¿Quiénes pueden solicitar una opinión a la Dirección Técnico
    Normativa y qué requisitos debe cumplir la consulta (informe legal de la entidad)?

    Gracias.
    """, frm=("Asesoría Jurídica", "asesoriajuridica@minedu.gob.pe"), client="outlook", charset="windows-1252")

m("Legal", "Suma alzada vs precios unitarios: mayores metrados", "metrados", """
    Consulta: contrato de obra a precios unitarios. En la ejecución los metrados reales son mayores
    a los del expediente. La entidad dice que es suma alzada y no paga. Pero las bases dicen
    precios unitarios. ¿Quién tiene razón? ¿Los mayores metrados requieren adicional?
    """, client="gmail", frm=("Raúl Torres", "raul.torres.ing@gmail.com"))

m("Legal", "Ley 32069: ¿cambió el umbral de 8 UIT?", "Nueva ley de contrataciones", """
    Hola, con la Ley General de Contrataciones Públicas (Ley 32069) ¿sigue existiendo el supuesto
    excluido de contrataciones iguales o menores a 8 UIT? ¿O cambió el monto? En la municipalidad
    hay dudas.
    """, client="iphone", frm=("Karina Quispe", "kquispe@icloud.com"))

m("Legal", "Recusación de árbitro", "Recusación", """
    Estimados:

    En un arbitraje con una entidad pública, el árbitro designado por la entidad no reveló que
    asesoró a esa misma entidad el año pasado. ¿Procede la recusación? ¿Ante quién se presenta y en
    qué plazo?

    Atentamente,
    """, sig=SIG_LEGAL_FIRM, frm=("Milagros Zegarra Llanos", "mzegarra@zegarraasociados.pe"), client="thunderbird")

m("Legal", "Empate en la evaluación: cómo se desempata", "empate", """
    Buenos días, en una adjudicación simplificada dos postores obtuvieron el mismo puntaje. ¿Cómo
    se resuelve el empate según el reglamento? ¿Se prefiere a la microempresa? ¿O es por sorteo?
    """, client="outlook", charset="iso-8859-1", frm=("Comité especial", "comite@unamad.edu.pe"))

m("Legal", "Acreditación de experiencia obtenida en consorcio", "Experiencia en consorcio", """
    Estimados:

    Participamos antes en un consorcio con 40% de obligaciones. Para un nuevo procedimiento, ¿la
    experiencia de esa obra se acredita por el monto total o solo por el 40%? ¿Qué documentos se
    presentan?

    Gracias
    """, client="gmail")

m("Legal", "Firma con 'Proveedor del Estado - RNP vigente'; pregunta sobre conciliación (firma no decide)",
  "Consulta", """
    Buenas tardes:

    Tenemos una controversia con una entidad por el pago de la liquidación. ¿Es obligatorio
    conciliar antes de ir a arbitraje? ¿El acta de no acuerdo interrumpe el plazo de caducidad?

    Atentamente,

    Ing. Óscar Mendoza
    MENDOZA & VARGAS INGENIEROS S.A.C.
    Proveedor del Estado - RNP vigente (Bienes, Servicios, Ejecutor y Consultor de Obras)
    Capacidad máxima de contratación: S/ 12 000 000
    Sistema de gestión ISO 9001 | SEACE: proveedor hábil
    """, client="outlook", frm=("Óscar Mendoza", "omendoza@mendozavargas.com.pe"))

m("Legal", "Reenvío de asesor legal: nulidad de oficio tras buena pro", "Fwd: nulidad de oficio", """
    Estimados, reenvío la consulta del área usuaria para su opinión. Gracias.
    """, quote=Quote(("Jefe de Logística", "logistica@munichorrillos.gob.pe"), T("""
        Doctor:

        Se advirtió que el requerimiento tenía un error en las especificaciones técnicas después
        de otorgada la buena pro (aún no consentida). ¿El titular puede declarar la nulidad de
        oficio y retrotraer el procedimiento? ¿Hasta cuándo puede hacerlo? ¿Hay que notificar a
        los postores?
        """), "nulidad de oficio", to=("Asesoría Legal", "asesorlegal@munichorrillos.gob.pe"),
        kind="forward", days_before=0.5), client="gmail", frm=("Asesoría Legal", "asesorlegal.munichorrillos@gmail.com"))

m("Legal", "Caso fortuito: suspensión del plazo de ejecución", "Suspensión de plazo por huaicos", """
    Estimados:

    Un huaico bloqueó la única vía de acceso a la obra durante 20 días. ¿Corresponde pedir
    ampliación de plazo o suspensión del plazo de ejecución? ¿Se reconocen mayores gastos
    generales en la suspensión? El contrato se rige por la Ley 30225 y su reglamento (D.S.
    344-2018-EF).

    Gracias.
    """, client="outlook_old", frm=("Residente de Obra", "residente.obra.huaylas@outlook.com"))

# ---------------------------------------------------------------- Por clasificar (23) -

m("Por clasificar", "Solo agradece; cita respuesta anterior sobre RNP (la cita no decide)", "RE: Consulta inscripción RNP", """
    Muchas gracias por la información, muy amables.
    """, quote=osce(OSCE_RNP, "Consulta inscripción RNP", 1), client="outlook",
  frm=("Ana Llanos", "ana.llanos75@hotmail.com"))

m("Por clasificar", "Solo saludo", "Buenos días", """
    Buenos días
    """, client="android")

m("Por clasificar", "Vacío: sin asunto ni cuerpo", "", "", client="iphone")

m("Por clasificar", "Pregunta para SUNAT (RUC, clave SOL)", "clave sol", """
    Buenas tardes, olvidé mi clave SOL y necesito emitir facturas electrónicas. ¿Cómo la recupero?
    También quiero saber cómo cambio mi RUC de régimen RUS a RER.
    """, client="gmail")

m("Por clasificar", "Pregunta para RENIEC (duplicado de DNI)", "DNI", """
    buenas noches, se me perdio mi dni, como saco el duplicado por internet y cuanto cuesta?
    """, client="android", noaccents=True)

m("Por clasificar", "Spam: base de datos de proveedores y licitaciones (palabras trampa)",
  "¡Gane más licitaciones del Estado! Base de datos 2026 de proveedores y convocatorias", """
    Estimado proveedor del Estado:

    ¿Quiere ganar más contratos con el Estado? Le ofrecemos la BASE DE DATOS 2026 con más de 45 000
    proveedores inscritos en el RNP, correos de jefes de logística y todas las convocatorias del
    SEACE clasificadas por rubro, enviadas a su correo cada mañana.

    Precio de lanzamiento: S/ 199 (antes S/ 450). Pague por Yape o transferencia.

    Responda este correo con la palabra QUIERO y le enviamos la demo.

    Si no desea recibir más mensajes, responda BAJA.
    """, client="webmail", html="only_style", frm=("Licitaciones Perú Pro", "ventas@licitacionesperupro.info"),
  extra_headers=[("List-Unsubscribe", "<mailto:baja@licitacionesperupro.info>"), ("Precedence", "bulk")])

m("Por clasificar", "Spam: préstamos para contratistas", "Prestamos rapidos para contratistas / Fast loans", """
    Hola!

    Necesitas capital de trabajo para ejecutar tu obra? Financiamos cartas fianza y adelantos para
    contratistas del Estado, aprobacion en 24 horas, sin aval. Escribenos al WhatsApp +51 900 000 111.

    Fast loans for government contractors, apply now.
    """, client="webmail", html="only", frm=("Financiera Rapida", "promo@financierarapida-pe.xyz"),
  extra_headers=[("Precedence", "bulk")])

m("Por clasificar", "Convocatoria CAS para trabajar en OSCE (la palabra 'convocatoria' no es SEACE)",
  "Convocatoria CAS", """
    Buenas tardes, postulé a la convocatoria CAS N° 045-2025-OSCE para asistente administrativo.
    ¿Cuándo publican los resultados de la evaluación curricular? No encuentro la información en la
    página.

    Gracias.
    """, client="gmail", frm=("Lucía Huamán Flores", "lucia.huaman.f@gmail.com"))

m("Por clasificar", "Pide que lo llamen, sin decir el tema", "URGENTE", """
    Por favor llámenme al 987 654 321, necesito una asesoría urgente. Gracias.
    """, client="iphone")

m("Por clasificar", "Respuesta automática fuera de oficina (Auto-Submitted)",
  "Respuesta automática: RE: Consulta sobre absolución", """
    Estaré fuera de la oficina del 21 al 25 de julio sin acceso al correo. Para temas urgentes
    comunicarse con logistica@munipiura.gob.pe o al anexo 204.

    Gracias.
    """, client="outlook", frm=("Maribel Sánchez", "msanchez@munipiura.gob.pe"),
  extra_headers=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")])

m("Por clasificar", "Rebote (DSN) de una respuesta enviada por la oficina", "Undelivered Mail Returned to Sender", "",
  raw_kind="bounce")

m("Por clasificar", "Boletín de normas legales (newsletter), no es consulta",
  "Boletín diario: normas legales de hoy", """
    BOLETÍN DE NORMAS LEGALES - Edición del día

    • Decreto Supremo que modifica el Reglamento de la Ley General de Contrataciones Públicas.
    • Resolución que aprueba la directiva de procedimientos de selección.
    • Resolución del Tribunal sobre impedimentos para contratar.
    • Ley que declara de interés nacional la construcción del hospital regional.

    Lea el resumen completo en nuestra web. Usted recibe este boletín porque se suscribió en
    nuestra página. Para desuscribirse haga clic aquí.
    """, client="webmail", html="only_style", frm=("Boletín Jurídico Perú", "boletin@juridicoperu.news"),
  extra_headers=[("List-Unsubscribe", "<https://juridicoperu.news/baja>"), ("Precedence", "list")])

m("Por clasificar", "Catálogos electrónicos de Acuerdos Marco: competencia de Perú Compras", "Catálogo electrónico", """
    Buenos días, quiero ofrecer mis productos en los Catálogos Electrónicos de Acuerdos Marco
    (tienda virtual PERÚ COMPRAS). ¿Cómo me adhiero al acuerdo marco de útiles de escritorio?
    """, client="outlook", frm=("Carlos Ccori", "carlos_ccori@hotmail.com"))

m("Por clasificar", "Queja genérica: nadie contesta el teléfono", "QUEJA", """
    LLEVO TODA LA MAÑANA LLAMANDO A LA CENTRAL Y NADIE CONTESTA. ES UNA VERGÜENZA. ASÍ ATIENDEN AL
    CIUDADANO???
    """, client="yahoo")

m("Por clasificar", "Mensaje de prueba", "prueba", """
    prueba
    """, client="thunderbird", frm=("Soporte TI", "soporte.ti@munilurin.gob.pe"))

m("Por clasificar", "Phishing: 'su buzón será desactivado'", "Aviso: su buzón de correo alcanzó el límite", """
    Estimado usuario de consultas@osce.gob.pe,

    Su buzón ha superado el límite de almacenamiento y será desactivado en 24 horas. Para evitar la
    pérdida de mensajes valide su cuenta en el siguiente enlace:

    http://osce-gob-pe.verificacion-cuenta.top/login

    Equipo de Soporte Técnico
    """, client="webmail", html="only", frm=("Soporte Técnico", "admin@mailbox-support.top"))

m("Por clasificar", "Pregunta para el MTC (licencia de conducir)", "licencia", """
    Hola buenas, quiero revalidar mi licencia de conducir A-IIb, ¿dónde saco la cita? gracias
    """, client="android", date="21 Aug 2025 22:10:05 +0000")

m("Por clasificar", "Publicidad de diplomado: lleno de términos legales pero no es consulta",
  "Diplomado en Contrataciones Públicas - Ley 32069 - Inicio 15 de agosto", """
    DIPLOMADO DE ESPECIALIZACIÓN EN CONTRATACIONES PÚBLICAS

    Nueva Ley N° 32069 y su Reglamento (D.S. N° 009-2025-EF)

    Módulos:
    - Actuaciones preparatorias, PAC y requerimiento
    - Procedimientos de selección y uso del SEACE
    - Ejecución contractual: penalidades, ampliaciones de plazo, adicionales
    - Resolución y nulidad de contrato, arbitraje y Junta de Resolución de Disputas
    - RNP, impedimentos y sanciones del Tribunal

    Certificación a nombre de la universidad. 120 horas académicas. Modalidad virtual.
    Inscripciones: WhatsApp 955 444 333. ¡Vacantes limitadas!
    """, client="webmail", html="only_style", frm=("Instituto de Gestión Pública", "informes@igp-capacitacion.edu.pe"),
  extra_headers=[("Precedence", "bulk")])

m("Por clasificar", "Agradece tras respuesta sobre SEACE", "Re: seace bloqueado", """
    ya pude ingresar gracias!!
    """, quote=osce(OSCE_SEACE, "seace bloqueado", 1), client="iphone")

m("Por clasificar", "Solo adjuntos sin texto ni tema claro", "documentos", "",
  attach=["DOC-20250903-WA0012.pdf", "DOC-20250903-WA0013.pdf"], client="android")

m("Por clasificar", "Saludo con 'quisiera hacer una consulta' sin decir cuál", "Consulta", """
    Buenas tardes, quisiera hacer una consulta. ¿A qué número puedo llamar o con quién me comunico?
    Gracias.
    """, client="gmail")

m("Por clasificar", "Horario de atención de una oficina desconcentrada", "horario de atención", """
    Buenos días, ¿cuál es el horario de atención de la oficina desconcentrada de Arequipa? ¿Atienden
    los sábados?
    """, client="outlook", frm=("Víctor Zegarra", "vzegarra@outlook.es"))

m("Por clasificar", "Inglés, oferta comercial de un proveedor extranjero (no es consulta)",
  "Partnership opportunity", """
    Dear Sir/Madam,

    We are a leading manufacturer of LED street lighting from Shenzhen. We would like to introduce
    our products to your organization and explore partnership opportunities. Please find our
    catalogue attached.

    Best regards,
    Kevin Zhang
    Sales Manager
    """, client="webmail", attach=["catalogue_2025.pdf"], frm=("Kevin Zhang", "kevin@ledlighting-sz.com"))


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv[1:] else (build() or 0))
