"""Byte-level helpers for tests/drafts/make.py: transfer encodings, RFC 2047 words, header folding, dates.

Standard library only, deterministic. Written for this corpus: each helper does what the mail clients in
README.md do, not what a general MIME library would choose (Outlook folds `Content-Type` with a tab,
Roundcube folds `format=flowed` onto its own line, Exchange labels names `iso-8859-1` when they fit, ...).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field

CRLF = "\r\n"
LIMA = dt.timezone(dt.timedelta(hours=-5))

# ---------------------------------------------------------------------------------------------------------
# deterministic noise: every id, boundary and date that a client would draw at random comes from a hash


def digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(("triaje-drafts",) + parts).encode()).digest()


def hexpart(n: int, *parts: str, upper: bool = False) -> str:
    h = (digest(*parts) + digest("more", *parts)).hex()[:n]
    return h.upper() if upper else h


def uuid_upper(*parts: str) -> str:
    h = hexpart(32, *parts, upper=True)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-A{h[17:20]}-{h[20:]}"


def alnum(n: int, *parts: str, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> str:
    raw = digest(*parts) + digest("again", *parts) + digest("third", *parts)
    return "".join(alphabet[b % len(alphabet)] for b in raw[:n])


# ---------------------------------------------------------------------------------------------------------
# transfer encodings


def qp_encode(data: bytes, maxline: int = 76) -> str:
    """Quoted-printable (RFC 2045 §6.7) of CRLF- or LF-separated text, soft breaks at `maxline`."""
    out_lines: list[str] = []
    for raw_line in data.replace(b"\r\n", b"\n").split(b"\n"):
        tokens: list[str] = []
        for i, b in enumerate(raw_line):
            last = i == len(raw_line) - 1
            if (33 <= b <= 126 and b != 61) or (b in (9, 32) and not last):
                tokens.append(chr(b))
            else:
                tokens.append(f"={b:02X}")
        line = ""
        for t in tokens:
            if len(line) + len(t) > maxline - 1:
                out_lines.append(line + "=")
                line = ""
            line += t
        out_lines.append(line)
    if out_lines and out_lines[-1] == "":
        out_lines.pop()
        return CRLF.join(out_lines) + CRLF
    return CRLF.join(out_lines)


def b64_encode(data: bytes, width: int = 76) -> str:
    s = base64.b64encode(data).decode("ascii")
    return CRLF.join(s[i : i + width] for i in range(0, len(s), width)) + CRLF


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", CRLF)


# ---------------------------------------------------------------------------------------------------------
# RFC 2047 encoded words and header folding


def needs_encoding(s: str) -> bool:
    return any(ord(c) > 126 for c in s)


def q_words(text: str, charset: str = "UTF-8", limit: int = 75, unstructured: bool = False) -> list[str]:
    """RFC 2047 Q encoding split into words no longer than `limit`, never splitting a character.
    In unstructured text (Subject) more characters may stay as they are than in a phrase (a name)."""
    enc = charset.lower()
    plain = r"[A-Za-z0-9!*+\-/]" if not unstructured else r"[A-Za-z0-9!*+\-/:;,.()'\[\]<>@\"#$%&{}|~^`]"
    words, cur = [], ""
    head, tail = f"=?{charset}?Q?", "?="
    for ch in text:
        raw = ch.encode("latin-1" if enc == "iso-8859-1" else "utf-8")
        if ch == " ":
            piece = "_"
        elif re.fullmatch(plain, ch):
            piece = ch
        else:
            piece = "".join(f"={b:02X}" for b in raw)
        if len(head) + len(cur) + len(piece) + len(tail) > limit:
            words.append(head + cur + tail)
            cur = ""
        cur += piece
    words.append(head + cur + tail)
    return words


def b_words(text: str, charset: str = "UTF-8", limit: int = 75) -> list[str]:
    enc = "latin-1" if charset.lower() == "iso-8859-1" else "utf-8"
    head, tail = f"=?{charset}?B?", "?="
    room = (limit - len(head) - len(tail)) // 4 * 3
    words, cur = [], b""
    for ch in text:
        raw = ch.encode(enc)
        if len(cur) + len(raw) > room:
            words.append(head + base64.b64encode(cur).decode() + tail)
            cur = b""
        cur += raw
    words.append(head + base64.b64encode(cur).decode() + tail)
    return words


def encode_phrase(text: str, style: str, subject: bool = False, minimal: bool = False) -> str:
    """A display name or a subject as the client writes it: raw when ASCII, else encoded words.

    style: "Q" / "B" (UTF-8, upper-case label), "q" / "b" (utf-8, lower-case label, as Outlook and Apple
    write it), "X" (Exchange: iso-8859-1 Q when the text fits Latin-1, else utf-8 B).
    minimal: encode only the runs of words that need it and leave the ASCII words as they are (Thunderbird,
    Gmail, Apple Mail); otherwise the whole value is encoded (Outlook, Exchange, Roundcube).
    """
    if not needs_encoding(text):
        return text
    if minimal:
        words = text.split(" ")
        out: list[str] = []
        i = 0
        while i < len(words):
            if not needs_encoding(words[i]):
                out.append(words[i])
                i += 1
                continue
            j = i
            while j + 1 < len(words) and needs_encoding(words[j + 1]):
                j += 1
            out.append(encode_phrase(" ".join(words[i : j + 1]), style, subject))
            i = j + 1
        return " ".join(out)
    if style == "X":
        try:
            text.encode("latin-1")
            return " ".join(q_words(text, "iso-8859-1", unstructured=subject))
        except UnicodeEncodeError:
            return " ".join(b_words(text, "utf-8"))
    charset = "UTF-8" if style in ("Q", "B") else "utf-8"
    words = q_words(text, charset, unstructured=subject) if style in ("Q", "q") else b_words(text, charset)
    return " ".join(words)


def quote_display(name: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~]*", name) and "{{" not in name:
        return name
    if "{{" in name:
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def address(name: str, addr: str, style: str, quoting: str = "plain") -> str:
    """`Name <addr>` as the client writes it. quoting: "plain" (quotes only when needed), "double" (always
    in double quotes, as Outlook desktop writes its own From), "outlook" (Outlook's `"'Name'"` for a name
    it took from a received message)."""
    if not name:
        return f"<{addr}>" if quoting == "outlook" else addr
    if quoting == "outlook":
        name = f"'{name}'"
    if needs_encoding(name):
        words = encode_phrase(name, style)
        if quoting == "outlook":  # Outlook leaves its apostrophes raw inside the encoded word
            words = words.replace("=27", "'")
        return f"{words} <{addr}>"
    if quoting in ("double", "outlook"):
        return f'"{name}" <{addr}>'
    return f"{quote_display(name)} <{addr}>"


def fold(name: str, value: str, width: int = 78, indent: str = " ") -> str:
    """`Name: value` folded at spaces so that lines stay within `width` where a space allows it."""
    line = f"{name}: "
    out: list[str] = []
    for i, tok in enumerate(value.split(" ")):
        sep = "" if i == 0 else " "
        if i > 0 and len(line) + 1 + len(tok) > width and line.strip():
            out.append(line)
            line = indent + tok
        else:
            line += sep + tok
    out.append(line)
    return CRLF.join(out)


# ---------------------------------------------------------------------------------------------------------
# MIME tree


@dataclass
class Leaf:
    content_type: str  # the header value, already folded as the client folds it (use "\r\n\t" / "\r\n ")
    cte: str  # "7bit" | "8bit" | "quoted-printable" | "base64"
    data: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)  # extra part headers, in order
    cte_first: bool = False  # Content-Transfer-Encoding before Content-Type (Apple Mail)

    def body(self) -> str:
        if self.cte == "quoted-printable":
            return qp_encode(self.data)
        if self.cte == "base64":
            return b64_encode(self.data)
        text = self.data.decode("utf-8")
        text = crlf(text)
        return text if text.endswith(CRLF) else text + CRLF


@dataclass
class Multi:
    subtype: str
    boundary: str
    parts: list
    params: str = ""  # extra parameters after the boundary, e.g. '; type="multipart/alternative"'
    quote_boundary: bool = True
    fold_boundary: str = "\r\n\t"  # how the client puts `boundary=` on the next line ("" keeps one line)
    preamble: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    epilogue: str = ""

    @property
    def content_type(self) -> str:
        b = f'"{self.boundary}"' if self.quote_boundary else self.boundary
        sep = ";" + self.fold_boundary if self.fold_boundary else "; "
        return f"multipart/{self.subtype}{sep}boundary={b}{self.params}"


def part_bytes(node, top_headers: list[tuple[str, str]] | None = None) -> str:
    """Serialise a node; `top_headers` (the message header, in order) may hold a `{CT}`/`{CTE}` slot."""
    if isinstance(node, Leaf):
        ct = ("Content-Type", node.content_type)
        cte = ("Content-Transfer-Encoding", node.cte)
        own = [cte, ct] if node.cte_first else [ct, cte]
        hdrs = place(top_headers, own) if top_headers is not None else own + node.headers
        if top_headers is not None:
            hdrs += node.headers
        return render_headers(hdrs) + CRLF + node.body()
    ct = ("Content-Type", node.content_type)
    hdrs = place(top_headers, [ct]) if top_headers is not None else [ct] + node.headers
    if top_headers is not None:
        hdrs += node.headers
    out = render_headers(hdrs) + CRLF
    if node.preamble:
        out += node.preamble + CRLF
    for i, p in enumerate(node.parts):
        out += (CRLF if i or node.preamble else "") + "--" + node.boundary + CRLF + part_bytes(p)
    out += CRLF + "--" + node.boundary + "--" + CRLF + node.epilogue
    return out


def place(top: list[tuple[str, str]], own: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put the body's own Content-* headers where the client writes them: at the `{MIME}` slot, or last."""
    out: list[tuple[str, str]] = []
    placed = False
    for name, value in top:
        if name == "{MIME}":
            out.extend(own)
            placed = True
        elif name == "{CT}":
            out.extend(h for h in own if h[0] == "Content-Type")
            placed = True
        elif name == "{CTE}":
            out.extend(h for h in own if h[0] != "Content-Type")
        else:
            out.append((name, value))
    if not placed:
        out.extend(own)
    return out


def render_headers(headers: list[tuple[str, str]]) -> str:
    out = ""
    for name, value in headers:
        if "\r\n" in value or name.startswith("="):
            out += f"{name}: {value}" + CRLF
        else:
            out += fold(name, value) + CRLF
    return out


# ---------------------------------------------------------------------------------------------------------
# dates as each client prints them

DIAS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
DIAS_CORTOS = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
         "noviembre", "diciembre"]
MESES_CORTOS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def h12(t: dt.datetime, seconds: bool = False, sep: str = " ") -> str:
    h = t.hour % 12 or 12
    s = f":{t.second:02d}" if seconds else ""
    return f"{h}:{t.minute:02d}{s}{sep}{'AM' if t.hour < 12 else 'PM'}"


def date_phrase(style: str, t: dt.datetime) -> str:
    """The date-and-time words a client puts in its quote header, in America/Lima time."""
    t = t.astimezone(LIMA)
    d, m, y = t.day, t.month, t.year
    hm = f"{t.hour}:{t.minute:02d}"
    hm0 = f"{t.hour:02d}:{t.minute:02d}"
    match style:
        case "tb-es":  # Intl short date + " a las " + short time (es-ES/es-AR: "El #2 a las #3")
            return f"{d}/{m}/{y % 100:02d} a las {hm}"
        case "tb-mx":  # es-MX: "En #2 #3"
            return f"{d}/{m}/{y % 100:02d} {hm}"
        case "tb-en":
            return f"{m}/{d}/{y % 100:02d} {h12(t)}"
        case "gmail-es":
            return f"{DIAS_CORTOS[t.weekday()]}, {d} {MESES_CORTOS[m - 1]} {y} a las {hm}"
        case "gmail-419":
            return f"{DIAS_CORTOS[t.weekday()]}, {d} {MESES_CORTOS[m - 1]} {y} a la(s) {hm}"
        case "gmail-en":
            return f"{DAYS[t.weekday()][:3]}, {MONTHS[m - 1][:3]} {d}, {y} at {h12(t)}"
        case "outlook-es":
            return f"{DIAS[t.weekday()]}, {d} de {MESES[m - 1]} de {y} {hm0}"
        case "outlook-419":  # es-419 / es-PE regional settings: 12-hour clock with "a. m." / "p. m."
            ap = "a. m." if t.hour < 12 else "p. m."
            return f"{DIAS[t.weekday()]}, {d} de {MESES[m - 1]} de {y} {t.hour % 12 or 12}:{t.minute:02d} {ap}"
        case "outlook-en":
            return f"{DAYS[t.weekday()]}, {MONTHS[m - 1]} {d}, {y} {h12(t)}"
        case "mobile-es":
            return f"{DIAS[t.weekday()]}, {d} de {MESES[m - 1]} de {y} {hm0}:{t.second:02d}"
        case "mobile-en":
            return f"{DAYS[t.weekday()]}, {MONTHS[m - 1]} {d}, {y} {h12(t, seconds=True)}"
        case "apple-es":
            return f"{d} {MESES_CORTOS[m - 1]} {y}, a las {hm}"
        case "apple-en":
            return f"{MONTHS[m - 1][:3]} {d}, {y}, at {h12(t)}"
        case "roundcube":
            return f"{y}-{m:02d}-{d:02d} {hm0}"
    raise ValueError(style)


def rfc5322_date(t: dt.datetime, style: str = "plain") -> str:
    """A `Date:` header value. style: "plain" (Thunderbird, Outlook: no leading zero), "zero" (Roundcube,
    PHP's 'r'), "utc" (Exchange writes +0000)."""
    if style == "utc":
        t = t.astimezone(dt.timezone.utc)
    else:
        t = t.astimezone(LIMA)
    day = f"{t.day:02d}" if style == "zero" else str(t.day)
    off = t.strftime("%z")
    return f"{DAYS[t.weekday()][:3]}, {day} {MONTHS[t.month - 1][:3]} {t.year} {t:%H:%M:%S} {off}"


def parse_when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def esc(s: str) -> str:
    return html.escape(s, quote=False)
