"""How each mail client writes a reply draft, at its defaults (and at the few settings a draft names).

One function per client: it takes the draft's spec and the placeholder values and returns the header list
(in the client's order) and the MIME tree. The sources of each fact are in README.md; comments here say
only what the code does differently from the obvious.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import zlib
from dataclasses import dataclass, field

from mime import (LIMA, Leaf, Multi, address, alnum, date_phrase, digest, encode_phrase, esc, hexpart,
                  parse_when, rfc5322_date, uuid_upper)

TOKEN = re.compile(r"\{\{[A-Z_]+\}\}")


def is_token(s: str) -> bool:
    return bool(TOKEN.fullmatch(s or ""))


@dataclass
class Spec:
    """One draft: who wrote it in which client, what they typed, and what triaje must make of it."""

    id: str
    client: str
    locale: str
    topic: str
    answer: list[str]  # paragraphs the assistant typed (a "\n" inside is a line break); may hold {{...}}
    closing: list[str]  # typed closing lines ("Atentamente," and a name), [] when none
    expect: str
    expected_text: str
    links_by: str
    note: str
    reason: str = ""
    sig: list[str] | None = None  # the client's configured signature, None when none is configured
    signed_by: str = "assistant"  # assistant | office | none (who the signature names)
    opt: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------
# what every client needs from the values


# what the quoted message shows, when Reply was pressed on the acknowledgement / on the consultation
QUOTED = {
    "q_name": ("MAILBOX_NAME", "CITIZEN_NAME"),
    "q_addr": ("MAILBOX_ADDR", "CITIZEN_ADDR"),
    "q_date": ("ACK_DATE", "CONSULTATION_DATE"),
    "q_text": ("ACK_TEXT", "CONSULTATION_TEXT"),
    "q_subject": ("ACK_SUBJECT", "CONSULTATION_SUBJECT"),
    "q_mid": ("ACK_MESSAGE_ID", "CONSULTATION_MESSAGE_ID"),
    "q_to_name": ("CITIZEN_NAME", "MAILBOX_NAME"),  # whom the quoted message was addressed to
    "q_to_addr": ("CITIZEN_ADDR", "MAILBOX_ADDR"),
}


@dataclass
class Ctx:
    s: Spec
    v: dict[str, str]
    when: dt.datetime  # the draft's own Date

    def __getattr__(self, name: str):
        if name.isupper():  # ctx.CITIZEN_NAME etc.
            return self.v[name]
        if name in QUOTED:  # ctx.q_name etc.: the message the assistant pressed Reply on
            on_ack, on_consultation = QUOTED[name]
            return self.v[on_ack if self.on_ack else on_consultation]
        raise AttributeError(name)

    @property
    def o(self) -> dict:
        return self.s.opt

    @property
    def on_ack(self) -> bool:
        return self.o.get("reply_to") == "ack"

    @property
    def domain(self) -> str:
        a = self.v["MAILBOX_ADDR"]
        return a.split("@", 1)[1] if "@" in a else "osce.gob.pe"

    def phrase(self, style: str) -> str:
        d = self.q_date
        return d if is_token(d) else date_phrase(style, parse_when(d))

    def irt(self) -> str:
        return self.q_mid

    def refs(self) -> str:
        if self.on_ack:
            return f"{self.v['CONSULTATION_MESSAGE_ID']} {self.v['ACK_MESSAGE_ID']}"
        return self.v["CONSULTATION_MESSAGE_ID"]

    def recipients(self) -> tuple[str, str]:
        to = self.o.get("to")
        if to:
            return to
        return (self.v["CITIZEN_NAME"], self.v["CITIZEN_ADDR"])

    def cc(self) -> tuple[str, str] | None:
        return self.o.get("cc")

    def subject(self, prefix: str) -> str:
        base = self.o.get("subject") or self.q_subject
        base = base.replace("{{CONSULTATION_SUBJECT}}", self.v["CONSULTATION_SUBJECT"])
        base = base.replace("{{TICKET}}", self.v["TICKET"])
        if self.o.get("new_message"):
            return base
        if prefix and re.match(r"(?i)re\s*:", base) and prefix.strip().lower() in ("re:",):
            return re.sub(r"(?i)^re\s*:\s*", prefix, base)
        return prefix + base

    def own_lines(self) -> list[str]:
        """What the assistant typed, line by line, blank lines between paragraphs, values filled in."""
        lines: list[str] = []
        paras = list(self.s.answer)
        if self.s.closing:
            paras.append("\n".join(self.s.closing))
        for i, p in enumerate(paras):
            if i:
                lines.append("")
            lines.extend(self.fill(p).split("\n"))
        return lines

    def fill(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.v.get(m.group(0)[2:-2], m.group(0)), text)

    def sig_lines(self) -> list[str]:
        return [self.fill(x) for x in (self.s.sig or [])]

    def quote_lines(self) -> list[str]:
        return self.q_text.replace("\r\n", "\n").rstrip("\n").split("\n")

    def key(self, *more: str) -> tuple[str, ...]:
        return (self.s.id,) + more


# ---------------------------------------------------------------------------------------------------------
# attachments and inline images, made here so the corpus has no binary files to trust


def tiny_png(seed: str) -> bytes:
    """A valid 24x8 PNG, colours from the seed (a stand-in for an office logo)."""
    w, h = 24, 8
    c = digest("png", seed)
    rows = b"".join(b"\x00" + bytes(c[(x + y) % 24] for x in range(w) for _ in range(3))[: w * 3] for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF whose only text is `title` (ASCII)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_leaf(name: str, style: str) -> Leaf:
    data = tiny_pdf(name)
    if style == "outlook":
        return Leaf(f'application/pdf;\r\n\tname="{name}"', "base64", data,
                    [("Content-Disposition", f'attachment;\r\n\tfilename="{name}"')])
    if style == "apple":
        return Leaf(f"application/pdf;\r\n\tx-unix-mode=0644;\r\n\tname=\"{name}\"", "base64", data,
                    [("Content-Disposition", f"attachment;\r\n\tfilename={name}")], cte_first=True)
    if style == "gmail":
        att = "f_" + alnum(9, "att", name, alphabet="abcdefghijklmnopqrstuvwxyz0123456789")
        return Leaf(f'application/pdf; name="{name}"', "base64", data,
                    [("Content-Disposition", f'attachment; filename="{name}"'), ("Content-ID", f"<{att}>"),
                     ("X-Attachment-Id", att)])
    if style == "exchange":
        return Leaf(f'application/pdf; name="{name}"', "base64", data,
                    [("Content-Description", name), ("Content-Disposition", f'attachment; filename="{name}";\r\n\tsize={len(data)}'),
                     ])
    # Thunderbird
    return Leaf(f'application/pdf; name="{name}"', "base64", data,
                [("Content-Disposition", f'attachment; filename="{name}"')])


# ---------------------------------------------------------------------------------------------------------
# plain-text helpers


def flowed(lines: list[str], prefix: str = "", width: int = 72) -> list[str]:
    """RFC 3676 format=flowed: long lines broken after a space (the space stays: a soft break), quoted lines
    carry the quote prefix on every piece, unquoted lines that start with a space, `>` or `From ` are
    space-stuffed, and the signature separator `-- ` is left alone."""
    out: list[str] = []
    for line in lines:
        if not prefix and line == "-- ":
            out.append(line)
            continue
        line = line.rstrip(" ")
        if not prefix and (line.startswith(" ") or line.startswith(">") or line.startswith("From ")):
            line = " " + line
        room = width - len(prefix)
        pieces: list[str] = []
        while len(line) > room and " " in line[1:room]:
            cut = line.rfind(" ", 1, room) + 1
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
        for p in pieces:
            out.append((prefix + p) if prefix and p else (prefix.rstrip() if prefix else p))
    return out


def quoted(lines: list[str], prefix: str = "> ", empty: str = ">") -> list[str]:
    return [prefix + x if x else empty for x in lines]


def wrap_words(text: str, width: int) -> list[str]:
    words, out, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return out


def text_leaf(lines: list[str], content_type: str, cte: str, **kw) -> Leaf:
    return Leaf(content_type, cte, ("\r\n".join(lines) + "\r\n").encode("utf-8"), **kw)


def pick_cte(data_lines: list[str], default: str) -> str:
    """Clients that say 7bit for pure ASCII and their `default` otherwise."""
    return "7bit" if all(ord(c) < 128 for c in "".join(data_lines)) else default


# =========================================================================================================
# Thunderbird (desktop): comm-central mailnews/mailnews.js, mail/app/profile/all-thunderbird.js,
# mailnews/compose/src/MimeMessage.sys.mjs, MimeEncoder.sys.mjs, nsMsgCompose.cpp; l10n composeMsgs.properties


def thunderbird(c: Ctx):
    o = c.o
    loc = c.s.locale
    style = {"es-ES": "tb-es", "es-AR": "tb-es", "es-MX": "tb-mx", "en-US": "tb-en"}[loc]
    phrase = c.phrase(style)
    name = c.q_name or c.q_addr
    if loc == "en-US":
        cite = f"On {phrase}, {name} wrote:"
    elif loc == "es-MX":
        cite = f"En {phrase}, {name} escribió:"
    else:
        cite = f"El {phrase}, {name} escribió:"
    on_top = o.get("answer_pos", "below") == "above"  # reply_on_top (default 0: below)
    sig_bottom = o.get("sig_pos", "below") == "below"  # sig_bottom (default true)
    quote = o.get("quote", True)
    own = c.own_lines()
    sig = c.sig_lines()
    # nsMsgCompose: the "-- " separator is left out when the signature sits above a quote on a top reply
    dashes = (not on_top) or sig_bottom or not quote
    mid = c.q_mid
    mid_bare = mid[1:-1] if mid.startswith("<") and mid.endswith(">") else mid

    if o.get("plain"):
        body: list[str] = []
        cite_block: list[str] = []
        if quote:  # each quoted line wrapped on its own, every piece keeping the "> " prefix
            cite_block = [cite]
            for x in c.quote_lines():
                cite_block += flowed([x], "> ") if x else [">"]
        sig_block = (["-- "] if dashes else []) + sig if sig else []
        own_f = flowed(own)
        if on_top:
            body = own_f + [""]
            if sig and not sig_bottom:
                body += sig_block + [""]
            body += cite_block
            if sig and sig_bottom:
                body += [""] + sig_block
        else:
            body = cite_block + ([""] if quote else []) + own_f
            if sig:
                body += [""] + sig_block
        if not own and not sig and not quote:
            body = [""]
        ct = "text/plain; charset=UTF-8; format=flowed"
        root = text_leaf(body, ct, pick_cte(body, "8bit"))
    else:
        h: list[str] = ["<!DOCTYPE html>", "<html>", "  <head>",
                        '    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', "  </head>",
                        "  <body>"]

        def own_html() -> list[str]:
            return ["    " + (esc(x) + "<br>" if x else "<br>") for x in own]

        def sig_html() -> list[str]:
            if not sig:
                return []
            if o.get("html_sig"):  # "Use HTML" ticked in the account's signature settings
                inner = ("-- <br>" if dashes else "") + "<br>".join(esc(x) for x in sig)
                return ['    <div class="moz-signature">' + inner + "</div>"]
            text = ("-- \n" if dashes else "") + "\n".join(esc(x) for x in sig)
            return ['    <pre class="moz-signature" cols="72">' + text + "</pre>"]

        def cite_html() -> list[str]:
            if not quote:
                return []
            qt = esc("\n".join(c.quote_lines()))
            return [f'    <div class="moz-cite-prefix">{esc(cite)}<br>', "    </div>",
                    '    <blockquote type="cite"', f'      cite="mid:{esc(mid_bare)}">',
                    f'      <pre class="moz-quote-pre" wrap="">{qt}', "</pre>", "    </blockquote>"]

        if on_top:
            h += own_html() + (["    <br>"] if own else [])
            if sig and not sig_bottom:
                h += sig_html()
            h += cite_html()
            if sig and sig_bottom:
                h += ["    <br>"] + sig_html()
        else:
            h += cite_html() + own_html()
            if sig:
                h += ["    <br>"] + sig_html()
        if not own and not sig and not quote:
            h += ["    <br>"]
        h += ["  </body>", "</html>"]
        root = text_leaf(h, "text/html; charset=UTF-8", pick_cte(h, "8bit"))

    if o.get("attach"):
        root = Multi("mixed", "------------" + alnum(24, *c.key("tb-b"), alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                     [root, pdf_leaf(o["attach"], "thunderbird")], fold_boundary="\r\n ",
                     preamble="This is a multi-part message in MIME format.")

    to_name, to_addr = c.recipients()
    hdrs = [
        ("Message-ID", f"<{uuid_upper(*c.key('tb-mid')).lower()}@{c.domain}>"),
        ("Date", rfc5322_date(c.when)),
        ("MIME-Version", "1.0"),
        ("User-Agent", "Mozilla Thunderbird"),
        ("Subject", encode_phrase(c.subject("Re: "), "Q", subject=True, minimal=True)),
        ("Content-Language", loc),
        ("To", address(to_name, to_addr, "Q")),
    ]
    if c.cc():
        hdrs.append(("Cc", address(*c.cc(), "Q")))
    if o.get("threading", "full") == "full":
        hdrs.append(("References", c.refs()))
    hdrs.append(("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "Q")))
    if o.get("threading", "full") == "full":
        hdrs.append(("In-Reply-To", c.irt()))
    hdrs += [
        ("X-Mozilla-Draft-Info", "internal/draft; vcard=0; receipt=0; DSN=0; uuencode=0;\r\n attachmentreminder=0; deliveryformat=0"),
        ("X-Identity-Key", "id1"),
        ("Fcc", f"imap://{c.MAILBOX_ADDR.replace('@', '%40')}@mail.{c.domain}/Sent"),
        ("{MIME}", ""),
    ]
    return hdrs, root


# =========================================================================================================
# Outlook (classic desktop, IMAP account): Message-ID `<xxxx01dc....$........$........$@domain>`,
# `X-Mailer: Microsoft Outlook 16.0`, Thread-Index, Content-Language, Word HTML, `----=_NextPart_` boundaries


def filetime_hex(c: Ctx) -> tuple[str, str]:
    t = c.when.astimezone(dt.timezone.utc)
    ft = int((t - dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)).total_seconds() * 10_000_000)
    ft += int.from_bytes(digest("ft", c.s.id)[:3], "big")
    return f"{ft >> 32:08X}", f"{ft & 0xFFFFFFFF:08X}"


def thread_index(c: Ctx, parent: str | None) -> str:
    """A reply's Thread-Index: the parent's 22 bytes (or a local one Outlook made when the message arrived
    without one) plus a 5-byte child block."""
    raw = None
    if parent and not is_token(parent):
        try:
            raw = base64.b64decode(parent)
        except ValueError:
            raw = None
    if raw is None:
        hi, lo = filetime_hex(c)
        ft = (int(hi, 16) << 32 | int(lo, 16)) - 3_600_000_000_0
        raw = (ft >> 16).to_bytes(6, "big") + digest("guid", c.s.id)[:16]
    if c.o.get("new_message"):  # a new message starts its own conversation: 22 bytes, no child block
        return base64.b64encode(raw).decode()
    child = digest("child", c.s.id)[:5]
    return base64.b64encode(raw + child).decode()


WORD_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
    'xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8">'
    '<meta name=Generator content="Microsoft Word 15 (filtered medium)">{IMG}<style><!--\n'
    "/* Font Definitions */\n@font-face\n\t{font-family:\"Cambria Math\";\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n"
    "@font-face\n\t{font-family:Aptos;}\n/* Style Definitions */\np.MsoNormal, li.MsoNormal, div.MsoNormal\n"
    "\t{margin:0cm;\n\tfont-size:12.0pt;\n\tfont-family:\"Aptos\",sans-serif;\n\tmso-ligatures:standardcontextual;\n"
    "\tmso-fareast-language:EN-US;}\na:link, span.MsoHyperlink\n\t{mso-style-priority:99;\n\tcolor:#467886;\n"
    "\ttext-decoration:underline;}\nspan.EstiloCorreo18\n\t{mso-style-type:personal-reply;\n"
    "\tfont-family:\"Aptos\",sans-serif;\n\tcolor:windowtext;}\n.MsoChpDefault\n\t{mso-style-type:export-only;\n"
    "\tfont-size:10.0pt;\n\tmso-ligatures:none;}\n@page WordSection1\n\t{size:612.0pt 792.0pt;\n"
    "\tmargin:70.85pt 3.0cm 70.85pt 3.0cm;}\ndiv.WordSection1\n\t{page:WordSection1;}\n--></style>"
    "<!--[if gte mso 9]><xml>\n<o:shapedefaults v:ext=\"edit\" spidmax=\"1026\" />\n</xml><![endif]-->"
    "<!--[if gte mso 9]><xml>\n<o:shapelayout v:ext=\"edit\">\n<o:idmap v:ext=\"edit\" data=\"1\" />\n"
    "</o:shapelayout></xml><![endif]--></head>"
)


def outlook_desktop(c: Ctx):
    o = c.o
    loc = c.s.locale
    en = loc.startswith("en")
    hi, lo = filetime_hex(c)
    dom = c.domain
    seq = int.from_bytes(digest("seq", c.s.id)[:1], "big") % 40
    msgid = f"<{seq:04x}{hi.lower()}${lo.lower()}${hexpart(8, *c.key('ol-mid'))}$@{dom}>"
    stamp = f"{hi}.{lo}"
    labels = ("From", "Sent", "To", "Cc", "Subject") if en else ("De", "Enviado el", "Para", "CC", "Asunto")
    phrase = c.phrase("outlook-en" if en else ("outlook-419" if loc == "es-PE" else "outlook-es"))
    own = c.own_lines()
    sig = c.sig_lines()
    quote = o.get("quote", True)
    logo = o.get("logo")
    prefix = "RV: " if o.get("forward") else "RE: "
    subj = c.subject(prefix)
    q_from = f"{c.q_name} <{c.q_addr}>" if c.q_name else c.q_addr
    q_to = c.q_to_addr

    # text/plain alternative: Outlook writes no ">" prefix, just the header block and the text
    if o.get("plain"):
        block = ["-----Original Message-----" if en else "-----Mensaje original-----",
                 f"{labels[0]}: {q_from} ", f"{labels[1]}: {phrase}", f"{labels[2]}: {q_to}",
                 f"{labels[4]}: {c.q_subject}", ""]
    else:
        block = [f"{labels[0]}: {q_from} ", f"{labels[1]}: {phrase}", f"{labels[2]}: {q_to}",
                 f"{labels[4]}: {c.q_subject}", ""]
    plain = own[:]
    if sig:
        plain += [""] + sig
    if quote:
        plain += ["", ""] + block + c.quote_lines()
    if not plain:
        plain = [""]

    def p(x: str) -> str:
        return f"<p class=MsoNormal>{esc(x)}<o:p></o:p></p>" if x else "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"

    body_html = "".join(p(x) for x in own)
    if sig:
        body_html += p("") + "".join(
            f"<p class=MsoNormal><span style='font-size:10.0pt;color:#1F3864'>{esc(x)}<o:p></o:p></span></p>" for x in sig)
    if logo:
        body_html += ("<p class=MsoNormal><span style='mso-ligatures:none;mso-fareast-language:ES-PE'>"
                      f"<img width=180 height=60 style='width:1.875in;height:.625in' id=\"Imagen_x0020_1\" "
                      f"src=\"cid:image001.png@{stamp}\" alt=\"{esc(logo)}\"></span><o:p></o:p></p>")
    if quote:
        hb = (f"<b>{labels[0]}:</b> {esc(q_from)} <br><b>{labels[1]}:</b> {esc(phrase)}<br>"
              f"<b>{labels[2]}:</b> {esc(q_to)}<br><b>{labels[4]}:</b> {esc(c.q_subject)}")
        body_html += (p("") + "<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>"
                      f"<p class=MsoNormal><b><span lang=ES style='font-size:11.0pt;font-family:\"Calibri\",sans-serif'>"
                      f"{hb}<o:p></o:p></span></p></div></div>" + p("")
                      + "".join(p(x) for x in c.quote_lines()))
    if not own and not quote and not sig:
        body_html = p("")
    lang = "EN-US" if en else "ES-PE"
    head = WORD_HEAD.replace("{IMG}", "")
    html_doc = (head + f"<body lang={lang} link=\"#467886\" vlink=\"#96607D\" style='word-wrap:break-word'>"
                f"<div class=WordSection1>{body_html}</div></body></html>")

    if o.get("plain"):
        root = text_leaf(plain, 'text/plain;\r\n\tcharset="utf-8"', "quoted-printable")
    else:
        alt = Multi("alternative", f"----=_NextPart_{'001' if logo else '000'}_{seq + 1:04X}_{stamp}", [
            text_leaf(plain, 'text/plain;\r\n\tcharset="utf-8"', "quoted-printable"),
            Leaf('text/html;\r\n\tcharset="utf-8"', "quoted-printable", html_doc.encode("utf-8")),
        ])
        root = alt
        if logo:
            img = Leaf('image/png;\r\n\tname="image001.png"', "base64", tiny_png(c.s.id),
                       [("Content-ID", f"<image001.png@{stamp}>")])
            root = Multi("related", f"----=_NextPart_000_{seq:04X}_{stamp}", [alt, img],
                         params=';\r\n\ttype="multipart/alternative"',
                         preamble="This is a multipart message in MIME format.")
        else:
            alt.preamble = "This is a multipart message in MIME format."
    if o.get("attach"):
        inner = root
        if isinstance(inner, Multi):
            inner.preamble = ""
            inner.boundary = inner.boundary.replace("_000_", "_001_", 1) if "_000_" in inner.boundary else inner.boundary
        root = Multi("mixed", f"----=_NextPart_000_{seq + 2:04X}_{stamp}",
                     [inner, pdf_leaf(o["attach"], "outlook")], preamble="This is a multipart message in MIME format.")

    to_name, to_addr = c.recipients()
    hdrs = [("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "q", "double")),
            ("To", address(to_name, to_addr, "q", "outlook"))]
    if c.cc():
        hdrs.append(("Cc", address(*c.cc(), "q", "outlook")))
    th = o.get("threading", "full")
    if th == "full":
        hdrs.append(("References", c.refs()))
    if th in ("full", "irt"):
        hdrs.append(("In-Reply-To", c.irt()))
    hdrs += [("Subject", encode_phrase(subj, "q", subject=True)), ("Date", rfc5322_date(c.when)), ("Message-ID", msgid),
             ("MIME-Version", "1.0"), ("{MIME}", ""), ("X-Mailer", "Microsoft Outlook 16.0")]
    if o.get("thread_topic"):
        hdrs.append(("Thread-Topic", encode_phrase(c.q_subject, "q", subject=True)))
    parent = c.v.get("CONSULTATION_THREAD_INDEX") if o.get("thread_index") == "child" else None
    hdrs += [("Thread-Index", thread_index(c, parent)), ("Content-Language", "en-us" if en else "es-pe")]
    return hdrs, root


# =========================================================================================================
# Outlook on the web / new Outlook (the message as Exchange writes it to MIME) and Outlook mobile


def exchange_ids(c: Ctx) -> tuple[str, str]:
    server = "SJ0PR19MB" + str(4000 + int.from_bytes(digest("srv", c.s.id)[:2], "big") % 5000)
    local = server + hexpart(32, *c.key("ex-mid"), upper=True)
    host = f"{server}.namprd19.prod.outlook.com"
    return f"<{local}@{host}>", "_000_" + local + server + "namp_"


def outlook_web(c: Ctx, mobile: str = ""):
    o = c.o
    loc = c.s.locale
    en = loc.startswith("en")
    labels = ("From", "Sent", "To", "Subject") if en else ("De", "Enviado", "Para", "Asunto")
    phrase = c.phrase(("mobile-en" if en else "mobile-es") if mobile else ("outlook-en" if en else "outlook-es"))
    own = c.own_lines()
    sig = c.sig_lines()
    quote = o.get("quote", True)
    q_from = f"{c.q_name} <{c.q_addr}>" if c.q_name else c.q_addr
    q_to = f"{c.q_to_name} <{c.q_to_addr}>" if c.q_to_name else c.q_to_addr
    promo = {"android": ("Get Outlook for Android", "Obtener Outlook para Android", "https://aka.ms/AAb9ysg"),
             "ios": ("Get Outlook for iOS", "Obtener Outlook para iOS", "https://aka.ms/o0ukef")}.get(mobile)

    plain = own[:]
    if sig:
        plain += [""] + sig
    if promo:
        plain += ["", (promo[0] if en else promo[1]) + f"<{promo[2]}>"]
    if quote:
        plain += ([""] if plain else []) + ["________________________________", f"{labels[0]}: {q_from}", f"{labels[1]}: {phrase}",
                  f"{labels[2]}: {q_to}", f"{labels[3]}: {c.q_subject}", ""] + c.quote_lines()
    if not plain:
        plain = [""]

    font = ('font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, Calibri, Helvetica, sans-serif; '
            'font-size: 12pt; color: rgb(0, 0, 0);')
    if mobile:
        body = "".join(f'<div dir="auto">{esc(x) if x else "<br>"}</div>' for x in own)
        if sig:
            body += "".join(f'<div dir="auto">{esc(x)}</div>' for x in sig)
        if promo:
            word = promo[0] if en else promo[1]
            lead, app = word.split(" ", 1)  # «Obtener <a>Outlook para Android</a>»
            body += (f'<div dir="auto"><br></div><div id="ms-outlook-mobile-signature" dir="auto">'
                     f'<div dir="auto">{esc(lead)} <a href="{promo[2]}">{esc(app)}</a></div></div>')
        body += '<div id="mail-editor-reference-message-container" dir="auto">' if quote else ""
    else:
        body = "".join(f'<div class="elementToProof" style="{font}">{esc(x) if x else "<br>"}</div>' for x in own)
        if sig:
            body += ('<div id="Signature" class="elementToProof"><div style="' + font + '">'
                     + "<br>".join(esc(x) for x in sig) + "</div></div>")
        body += '<div id="appendonsend"></div>'
    if quote:
        body += ('<hr style="display:inline-block;width:98%" tabindex="-1">'
                 '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" '
                 f'color="#000000"><b>{labels[0]}:</b> {esc(q_from)}<br><b>{labels[1]}:</b> {esc(phrase)}<br>'
                 f'<b>{labels[2]}:</b> {esc(q_to)}<br><b>{labels[3]}:</b> {esc(c.q_subject)}</font>'
                 '<div>&nbsp;</div></div><div class="BodyFragment"><font size="2"><span style="font-size:11pt;">'
                 '<div class="PlainText">' + "<br>\n".join(esc(x) for x in c.quote_lines()) + "<br>\n</div>"
                 "</span></font></div>")
        if mobile:
            body += "</div>"
    head = ('<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
            '</head>\n<body dir="ltr">\n')
    html_doc = head + body + "\n</body>\n</html>\n"
    cte = o.get("cte", "quoted-printable")
    msgid, boundary = exchange_ids(c)
    root = Multi("alternative", boundary, [
        text_leaf(plain, 'text/plain; charset="utf-8"', cte),
        Leaf('text/html; charset="utf-8"', cte, html_doc.encode("utf-8")),
    ], fold_boundary="\r\n\t")
    has_attach = bool(o.get("attach"))
    if has_attach:
        root.boundary = boundary.replace("_000_", "_004_", 1)
        root = Multi("mixed", boundary.replace("_000_", "_005_", 1),
                     [Multi("alternative", boundary, root.parts), pdf_leaf(o["attach"], "exchange")])
    to_name, to_addr = c.recipients()
    hdrs = [("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "X")), ("To", address(to_name, to_addr, "X"))]
    if c.cc():
        hdrs.append(("CC", address(*c.cc(), "X")))
    subj = c.subject("RE: ")
    hdrs += [("Subject", encode_phrase(subj, "X", subject=True)), ("Thread-Topic", encode_phrase(c.q_subject, "X", subject=True)),
             ("Thread-Index", thread_index(c, c.v.get("CONSULTATION_THREAD_INDEX")
                                             if o.get("thread_index") == "child" else None)),
             ("Date", rfc5322_date(c.when, "utc")), ("Message-ID", msgid)]
    if o.get("threading", "full") == "full":
        hdrs += [("References", c.refs()), ("In-Reply-To", c.irt())]
    lang = "en-US" if en else "es-PE"
    hdrs += [("Accept-Language", f"{lang}, en-US" if not en else "en-US"), ("Content-Language", lang),
             ("X-MS-Has-Attach", "yes" if has_attach else ""), ("X-MS-TNEF-Correlator", ""),
             ("{MIME}", ""), ("MIME-Version", "1.0")]
    return hdrs, root


# =========================================================================================================
# Gmail (web): Message-ID `<CA...@mail.gmail.com>`, boundary of 12 zeros + 16 hex, `<div dir="ltr">`,
# `gmail_quote`, attribution «El lun, 3 nov 2025 a las 10:15, Nombre (<addr>) escribió:», signature below
# the quote after `-- ` unless "insert before quoted text" is ticked


def gmail(c: Ctx):
    o = c.o
    loc = c.s.locale
    en = loc.startswith("en")
    phrase = c.phrase("gmail-en" if en else ("gmail-419" if loc == "es-419" else "gmail-es"))
    name, addr = c.q_name, c.q_addr
    if en:
        attr_plain = f"On {phrase} {name} <{addr}> wrote:"
        attr_html = (f'On {esc(phrase)} {esc(name)} &lt;<a href="mailto:{esc(addr)}">{esc(addr)}</a>&gt; wrote:')
    else:
        attr_plain = f"El {phrase}, {name} (<{addr}>) escribió:"
        attr_html = (f'El {esc(phrase)}, {esc(name)} (&lt;<a href="mailto:{esc(addr)}">{esc(addr)}</a>&gt;) '
                     "escribió:")
    own = c.own_lines()
    sig = c.sig_lines()
    quote = o.get("quote", True)
    sig_above = o.get("sig_pos") == "above"

    plain = own[:]
    if sig and sig_above:
        plain += [""] + sig
    if quote:
        plain += [""] + wrap_words(attr_plain, 78) + [""] + quoted(c.quote_lines(), "> ", ">") + [">"]
    if sig and not sig_above:
        plain += ["", "-- "] + sig
    if not plain:
        plain = [""]

    if own:
        first, rest = own[0], own[1:]
        inner = esc(first) + "".join(f"<div>{esc(x) if x else '<br>'}</div>" for x in rest)
        html = f'<div dir="ltr">{inner}'
    else:
        html = '<div dir="ltr"><br>'
    sig_html = ('<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">'
                + "".join(f"<div>{esc(x)}</div>" for x in sig) + "</div></div>") if sig else ""
    if sig and sig_above:
        html += '<br clear="all"><div><br></div>' + sig_html
    html += "</div>"
    if quote:
        html += ('<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
                 f"{attr_html}<br></div>"
                 '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
                 'rgb(204,204,204);padding-left:1ex"><div dir="ltr">'
                 + "<br>".join(esc(x) for x in c.quote_lines()) + "</div></blockquote></div>")
    if sig and not sig_above:
        html += '<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br>' + sig_html
    boundary = "000000000000" + hexpart(16, *c.key("gm-b"))
    alt = Multi("alternative", boundary, [
        text_leaf(plain, 'text/plain; charset="UTF-8"', pick_cte(plain, "quoted-printable")),
        Leaf('text/html; charset="UTF-8"', pick_cte([html], "quoted-printable"), (html + "\r\n").encode()),
    ], fold_boundary="")
    root = alt
    if o.get("attach"):
        root = Multi("mixed", "000000000000" + hexpart(16, *c.key("gm-m")),
                     [alt, pdf_leaf(o["attach"], "gmail")], fold_boundary="")
    to_name, to_addr = c.recipients()
    hdrs = [("MIME-Version", "1.0"), ("Date", rfc5322_date(c.when))]
    if o.get("threading", "full") == "full":
        hdrs += [("References", c.refs()), ("In-Reply-To", c.irt())]
    gid = "CA" + alnum(12, *c.key("gm1")) + "+" + alnum(30, *c.key("gm2")) + "=" + alnum(8, *c.key("gm3"))
    hdrs += [("Message-ID", f"<{gid}@mail.gmail.com>"), ("Subject", encode_phrase(c.subject("Re: "), "Q", subject=True, minimal=True)),
             ("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "Q")), ("To", address(to_name, to_addr, "Q"))]
    if c.cc():
        hdrs.append(("Cc", address(*c.cc(), "Q")))
    hdrs.append(("{MIME}", ""))
    return hdrs, root


# =========================================================================================================
# Apple Mail (macOS) and Mail on iPhone


def apple(c: Ctx, ios: bool = False):
    o = c.o
    en = c.s.locale.startswith("en")
    phrase = c.phrase("apple-en" if en else "apple-es")
    name, addr = c.q_name, c.q_addr
    who = f"{name} <{addr}>" if name else addr
    attr = f"On {phrase}, {who} wrote:" if en else f"El {phrase}, {who} escribió:"
    own = c.own_lines()
    sig = c.sig_lines()
    if ios:
        sig = sig or ["Sent from my iPhone" if en else "Enviado desde mi iPhone"]
    quote = o.get("quote", True)
    fmt_html = o.get("html") or ios

    plain = own[:]
    if sig:
        plain += [""] + sig  # "Place signature above quoted text" is on by default
    if quote:
        plain += [""] + quoted([attr, ""] + c.quote_lines(), "> ", "> ")
    if not plain:
        plain = [""]
    uuid = uuid_upper(*c.key("am-b"))
    boundary = (f"Apple-Mail-{uuid}" if ios else f"Apple-Mail={'_'}{uuid}")

    if fmt_html:
        if ios:
            body = "".join(f'<div dir="ltr">{esc(x) if x else "<br>"}</div>' for x in own)
            if sig:
                body += '<div dir="ltr"><br></div>' + "".join(f'<div dir="ltr">{esc(x)}</div>' for x in sig)
            if quote:
                body += (f'<div dir="ltr"><br><blockquote type="cite">{esc(attr)}<br><br></blockquote></div>'
                         '<blockquote type="cite"><div dir="ltr">\ufeff'
                         + "".join(f"<span>{esc(x)}</span><br>" for x in c.quote_lines()) + "</div></blockquote>")
            html = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
                    f'<body dir="auto">{body}</body></html>')
        else:
            first = esc(own[0]) if own else ""
            body = first + '<br id="lineBreakAtBeginningOfMessage">' + "".join(
                f"<div>{esc(x) if x else '<br>'}</div>" for x in own[1:])
            if sig:
                body += "<div><br></div>" + "".join(f"<div>{esc(x)}</div>" for x in sig)
            if quote:
                body += ('<div><br><blockquote type="cite"><div>' + esc(attr) + "</div><br "
                         'class="Apple-interchange-newline"><div><div>'
                         + "".join(f"<div>{esc(x) if x else '<br>'}</div>" for x in c.quote_lines())
                         + "</div></div></blockquote></div><br>")
            label = "message body" if en else "cuerpo del mensaje"
            html = ('<html aria-label="' + label + '"><head><meta http-equiv="content-type" '
                    'content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; '
                    '-webkit-nbsp-mode: space; line-break: after-white-space;">' + body + "</body></html>")
        root = Multi("alternative", boundary, [
            text_leaf(plain, "text/plain;\r\n\tcharset=utf-8", pick_cte(plain, "quoted-printable"), cte_first=True),
            Leaf("text/html;\r\n\tcharset=utf-8", pick_cte([html], "quoted-printable"), html.encode(), cte_first=True),
        ], quote_boundary=not ios)
    else:
        root = text_leaf(plain, "text/plain;\r\n\tcharset=utf-8", pick_cte(plain, "quoted-printable"))
    if o.get("attach"):
        inner = root
        if isinstance(inner, Leaf):
            inner.cte_first = True
        root = Multi("mixed", f"Apple-Mail={'_'}{uuid_upper(*c.key('am-m'))}",
                     [inner, pdf_leaf(o["attach"], "apple")])
    to_name, to_addr = c.recipients()
    msgid = f"<{uuid_upper(*c.key('am-mid'))}@{c.domain}>"
    if ios:
        top_cte = ("Content-Transfer-Encoding", "7bit") if isinstance(root, Multi) else ("{CTE}", "")
        hdrs = [("{CT}", ""), top_cte, ("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "q")),
                ("Mime-Version", "1.0 (1.0)"), ("Date", rfc5322_date(c.when)),
                ("Subject", encode_phrase(c.subject("Re: "), "q", subject=True, minimal=True)), ("Message-Id", msgid)]
        if o.get("threading", "full") == "full":
            hdrs.append(("References", c.refs()))
        if c.cc():
            hdrs.append(("Cc", address(*c.cc(), "q")))
        if o.get("threading", "full") == "full":
            hdrs.append(("In-Reply-To", c.irt()))
        hdrs += [("To", address(to_name, to_addr, "q")), ("X-Mailer", "iPhone Mail (22F76)")]
        return hdrs, root
    hdrs = [("{CT}", ""), ("Mime-Version", "1.0 (Mac OS X Mail 16.0 \\(3826.700.81\\))"),
            ("Subject", encode_phrase(c.subject("Re: "), "q", subject=True, minimal=True)),
            ("X-Universally-Unique-Identifier", uuid_upper(*c.key("am-uuid"))),
            ("X-Apple-Base-Url", f"x-msg://{2 + digest('n', c.s.id)[0] % 30}/"),
            ("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "q"))]
    if o.get("threading", "full") == "full":
        hdrs.append(("In-Reply-To", c.irt()))
    hdrs += [("X-Apple-Mail-Remote-Attachments", "NO"), ("Date", rfc5322_date(c.when)),
             ("X-Uniform-Type-Identifier", "com.apple.mail-draft"), ("{CTE}", ""), ("Message-Id", msgid)]
    if o.get("threading", "full") == "full":
        hdrs.append(("References", c.refs()))
    if c.cc():
        hdrs.append(("Cc", address(*c.cc(), "q")))
    hdrs.append(("To", address(to_name, to_addr, "q")))
    return hdrs, root


# =========================================================================================================
# Roundcube: config/defaults.inc.php (htmleditor 0, reply_mode 0, sig_below false, sig_separator true,
# send_format_flowed true, line_length 72), program/include/rcmail_sendmail.php, program/actions/mail/compose.php


def roundcube(c: Ctx):
    o = c.o
    en = c.s.locale.startswith("en")
    phrase = c.phrase("roundcube")
    who = c.q_name or c.q_addr
    intro = f"On {phrase}, {who} wrote:" if en else f"El {phrase}, {who} escribió:"
    own = c.own_lines()
    sig = c.sig_lines()
    quote = o.get("quote", True)
    top = o.get("answer_pos") == "above"  # reply_mode 1
    if not o.get("html"):
        qblock = [intro] + [ln for x in c.quote_lines() for ln in (flowed([x], "> ") if x else [">"])] if quote else []
        sigb = ["-- "] + sig if sig else []
        if top:
            body = flowed(own) + ([""] + sigb if sigb else []) + ["", ""] + qblock if quote else flowed(own) + [""] + sigb
        else:
            body = qblock + ([""] if quote else []) + flowed(own) + ([""] + sigb if sigb else [])
        cte = "8bit" if any(ord(ch) > 127 for ch in "".join(body)) else "7bit"
        charset = "UTF-8" if cte == "8bit" else "US-ASCII"
        root = text_leaf(body, f"text/plain; charset={charset};\r\n format=flowed", cte)
    else:
        parts = "".join(f"<p>{esc(x)}</p>" if x else "" for x in own)
        html = ""
        sig_div = ('<div id="_rc_sig">' + "<br />".join(esc(x) for x in (["-- "] + sig)) + "</div>") if sig else ""
        qhtml = (f'<p id="reply-intro">{esc(intro)}</p><blockquote><div class="pre">'
                 + "<br />".join(esc(x) for x in c.quote_lines()) + "</div></blockquote>") if quote else ""
        html = (parts + sig_div + "<br>" + qhtml) if top else (qhtml + parts + sig_div)
        html_doc = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /></head>'
                    "<body style='font-size: 10pt; font-family: Verdana,Geneva,sans-serif'>\r\n" + html
                    + "\r\n</body></html>\r\n")
        plain = flowed(own + (["", "-- "] + sig if sig else []))
        if quote:
            plain += ["", intro] + [ln for x in c.quote_lines() for ln in (flowed([x], "> ") if x else [">"])]
        b = "=_" + hexpart(32, *c.key("rc-b"))
        root = Multi("alternative", b, [
            text_leaf(plain, "text/plain; charset=UTF-8;\r\n format=flowed",
                      "8bit" if any(ord(ch) > 127 for ch in "".join(plain)) else "7bit"),
            Leaf("text/html; charset=UTF-8", "quoted-printable", html_doc.encode()),
        ], fold_boundary="\r\n ")
    to_name, to_addr = c.recipients()
    hdrs = [("MIME-Version", "1.0"), ("Date", rfc5322_date(c.when, "zero")),
            ("From", address(c.MAILBOX_NAME, c.MAILBOX_ADDR, "Q")), ("To", address(to_name, to_addr, "Q"))]
    if c.cc():
        hdrs.append(("Cc", address(*c.cc(), "Q")))
    hdrs.append(("Subject", encode_phrase(c.subject("Re: "), "Q", subject=True)))
    if o.get("threading", "full") == "full":
        hdrs += [("In-Reply-To", c.irt()), ("References", c.refs())]
    folder = o.get("folder", "SEACE")
    uid = 1000 + int.from_bytes(digest("uid", c.s.id)[:2], "big") % 9000
    hdrs += [("Message-ID", f"<{hexpart(32, *c.key('rc-mid'))}@{c.domain}>"), ("X-Sender", c.MAILBOX_ADDR),
             ("X-Draft-Info", f"type=reply; uid={uid}; folder=B::{base64.b64encode(folder.encode()).decode()}"),
             ("{MIME}", "")]
    return hdrs, root


BUILDERS = {
    "thunderbird": thunderbird,
    "outlook-desktop": outlook_desktop,
    "outlook-web": outlook_web,
    "outlook-android": lambda c: outlook_web(c, "android"),
    "outlook-ios": lambda c: outlook_web(c, "ios"),
    "gmail": gmail,
    "apple-mail": apple,
    "apple-mail-ios": lambda c: apple(c, ios=True),
    "roundcube": roundcube,
}

# the flags each client's draft carries when it is saved to the IMAP Drafts folder (a drag keeps them)
FLAGS = {
    "thunderbird": ["\\Seen", "\\Draft"],
    "outlook-desktop": ["\\Seen", "\\Draft"],
    "outlook-web": ["\\Seen", "\\Draft"],
    "outlook-android": ["\\Seen", "\\Draft"],
    "outlook-ios": ["\\Seen", "\\Draft"],
    "gmail": ["\\Seen", "\\Draft"],
    "apple-mail": ["\\Seen", "\\Draft"],
    "apple-mail-ios": ["\\Seen", "\\Draft"],
    "roundcube": ["\\Seen"],
}


def draft_date(s: Spec, v: dict[str, str], sample_date: str) -> dt.datetime:
    base = v["CONSULTATION_DATE"]
    t = parse_when(sample_date if is_token(base) else base)
    minutes = 25 + int.from_bytes(digest("when", s.id)[:2], "big") % 240
    return (t + dt.timedelta(minutes=minutes, seconds=digest("sec", s.id)[0] % 60)).astimezone(LIMA)
