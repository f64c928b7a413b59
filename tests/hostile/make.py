#!/usr/bin/env python3
"""Generates the hostile-mail corpus of tests/hostile_mail.rs: one .eml file per case.

    python3 tests/hostile/make.py           # (re)writes tests/hostile/*.eml
    python3 tests/hostile/make.py --check   # exit 1 unless the files on disk are exactly what it would write
    python3 tests/hostile/make.py --list    # name and purpose of every case (the README's table)

Standard library only and deterministic: no clock, no randomness, fixed order. The two very large cases (a
30 MB attachment and a 2 MB single line) are NOT written here: the Rust test generates them at run time so the
repository stays small. See README.md for what each case exercises.
"""

import base64
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRLF = b"\r\n"

# Realistic consultations a citizen writes to the OSCE/OECE mailbox.
BODIES = [
    "Buenos días, no puedo ingresar al SEACE: mi usuario está bloqueado y olvidé la contraseña. "
    "¿Cómo puedo recuperar el acceso? Necesito presentar mi oferta mañana.",
    "Señores del OSCE: quiero renovar mi inscripción en el Registro Nacional de Proveedores como proveedor "
    "de bienes. ¿Qué documentos debo adjuntar y cuánto cuesta el trámite?",
    "Estimados, consulto si según la Ley 32069 una entidad puede declarar desierto un procedimiento de "
    "selección cuando solo se presentó una oferta válida. Agradeceré su pronta respuesta.",
    "Hola, en el SEACE aparece que la buena pro fue consentida pero la entidad no me ha llamado a firmar "
    "el contrato. ¿Cuál es el plazo que tiene la entidad según el reglamento?",
    "Buenas tardes, mi constancia de capacidad libre de contratación del RNP no se genera. La página "
    "muestra un error y el plazo para la firma del contrato vence el viernes.",
    "Señorita/señor: ¿el Tribunal de Contrataciones Públicas sigue resolviendo los recursos de apelación "
    "presentados bajo la Ley 30225? Tengo un caso pendiente desde marzo.",
]


def body(i):
    return BODIES[i % len(BODIES)]


def firma(name="María Quispe Huamán"):
    return "\n\nAtentamente,\n" + name + "\nDNI 40123456\nCel. 987 654 321\n"


def text(i, name="María Quispe Huamán"):
    return body(i) + firma(name)


def crlf(s):
    """Text with \\n line ends → CRLF bytes (UTF-8)."""
    if isinstance(s, str):
        s = s.encode("utf-8")
    return s.replace(b"\r\n", b"\n").replace(b"\n", CRLF)


def std_headers(n, subject, **over):
    """The headers of an ordinary message; `over` replaces (None removes) any of them."""
    h = {
        "From": "María Quispe <maria.quispe@example.test>",
        "To": "consultas@osce.test",
        "Subject": subject,
        "Date": "Mon, 23 Nov 2026 09:%02d:00 -0500" % (n % 60),
        "Message-ID": "<hostile-%03d@example.test>" % n,
        "MIME-Version": "1.0",
    }
    for k, v in over.items():
        k = k.replace("_", "-")
        if v is None:
            h.pop(k, None)
        else:
            h[k] = v
    return h


def build(headers, payload, eol=CRLF):
    """headers: dict or list of (name, value); values str or bytes. payload: bytes (already with CRLF)."""
    items = headers.items() if isinstance(headers, dict) else headers
    out = bytearray()
    for k, v in items:
        if isinstance(v, str):
            v = v.encode("utf-8")
        out += k.encode("ascii") + b": " + v + eol
    out += eol
    out += payload
    return bytes(out)


def plain(n, subject, content, charset="utf-8", cte=None, **over):
    h = std_headers(n, subject, **over)
    h.setdefault("Content-Type", "text/plain; charset=%s" % charset)
    if cte:
        h["Content-Transfer-Encoding"] = cte
    if isinstance(content, str):
        content = content.encode("utf-8")
    return build(h, crlf(content))


def b64lines(data, width=76):
    enc = base64.b64encode(data)
    return b"".join(enc[i : i + width] + CRLF for i in range(0, len(enc), width))


CASES = []  # (name, purpose, bytes)


def case(name, purpose):
    def register(fn):
        CASES.append((name, purpose, fn))
        return fn

    return register


# ---------------------------------------------------------------- charsets
@case("charset_utf8_declared_latin1_bytes", "declared UTF-8, body and subject in Latin-1 bytes (invalid UTF-8)")
def _(n):
    h = std_headers(n, "Consulta sobre inscripci\xf3n en el RNP".encode("latin-1"))
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "8bit"
    return build(h, crlf(text(1).encode("latin-1")))


@case("charset_x_unknown", "charset=x-unknown on a 8-bit body")
def _(n):
    return plain(n, "Consulta SEACE", text(0).encode("latin-1"), charset="x-unknown", cte="8bit")


@case("charset_windows1252_smart_quotes", "windows-1252 with smart quotes, en dash, euro and ellipsis")
def _(n):
    t = "Estimados: el comité dijo \u201cno procede\u201d \u2013 ¿por qué? \u2018Ley 32069\u2019\u2026 costo \u20ac 0.\n" + text(2)
    return plain(n, "Consulta \u201clegal\u201d", t.encode("cp1252"), charset="windows-1252", cte="8bit")


@case("charset_iso2022jp", "ISO-2022-JP body (7-bit escapes) from a Japanese supplier")
def _(n):
    t = "OSCE御中\nSEACEの登録について質問があります。\n" + "Consulta sobre registro de proveedor extranjero en el RNP.\n"
    return plain(n, "=?ISO-2022-JP?B?" + base64.b64encode("登録".encode("iso2022_jp")).decode() + "?= RNP extranjero",
                 t.encode("iso2022_jp"), charset="ISO-2022-JP", cte="7bit")


@case("charset_utf16_no_bom", "charset=utf-16 without a BOM (little-endian bytes), base64")
def _(n):
    h = std_headers(n, "Consulta RNP en UTF-16")
    h["Content-Type"] = "text/plain; charset=utf-16"
    h["Content-Transfer-Encoding"] = "base64"
    return build(h, b64lines(text(1).encode("utf-16-le")))


@case("charset_utf16_raw_8bit", "charset=utf-16 sent raw as 8bit (NUL bytes every other byte in the body)")
def _(n):
    h = std_headers(n, "Consulta SEACE UTF-16 crudo")
    h["Content-Type"] = "text/plain; charset=utf-16be"
    h["Content-Transfer-Encoding"] = "binary"
    return build(h, text(0).replace("\n", "\r\n").encode("utf-16-be"))


@case("charset_missing_8bit", "no charset at all, raw UTF-8 body and raw UTF-8 headers (RFC 6532 style)")
def _(n):
    h = std_headers(n, "¿Cómo me inscribo en el RNP? ñandú", From="José Ñique <jose.nique@example.test>")
    h["Content-Type"] = "text/plain"
    return build(h, crlf(text(1, "José Ñique")))


@case("charset_utf8_invalid_sequences", "UTF-8 with overlong forms, surrogates and truncated sequences")
def _(n):
    junk = b"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82 \xff\xfe "
    return plain(n, "Consulta con bytes inv\xe1lidos".encode("latin-1") + junk, junk + text(3).encode() + junk, cte="8bit")


@case("charset_utf7", "charset=utf-7 body")
def _(n):
    return plain(n, "Consulta en UTF-7", text(2).encode("utf-7"), charset="utf-7", cte="7bit")


@case("charset_latin1_declared_as_ascii", "charset=us-ascii declared, Latin-1 8-bit bytes sent")
def _(n):
    return plain(n, "Consulta sobre penalidad", text(3).encode("latin-1"), charset="us-ascii")


# ---------------------------------------------------------------- RFC 2047
@case("rfc2047_split_mid_character", "an encoded-word split in the middle of a multi-byte UTF-8 character")
def _(n):
    raw = "Inscripción RNP ñ".encode("utf-8")
    cut = raw.index("ó".encode()) + 1
    a = base64.b64encode(raw[:cut]).decode()
    b = base64.b64encode(raw[cut:]).decode()
    return plain(n, "=?utf-8?B?%s?=\r\n =?utf-8?B?%s?=" % (a, b), text(1))


@case("rfc2047_bad_base64", "invalid base64 inside =?utf-8?B?...?=")
def _(n):
    return plain(n, "=?utf-8?B?Q29uc3VsdGEg!!@@##$$?= sobre SEACE =?utf-8?B?w7Mx=x=?=", text(0))


@case("rfc2047_unknown_charset", "an encoded-word in an unknown charset")
def _(n):
    return plain(n, "=?x-klingon-1?Q?Consulta_sobre_el_RNP?= y =?x-unknown?B?w7Nyw6lu?=", text(1))


@case("rfc2047_display_name", "encoded-words (one broken) in the From and To display names")
def _(n):
    return plain(n, "Consulta de un consorcio", text(2, "Ñusta Mamani"),
                 From="=?utf-8?Q?=C3=91usta_Mamani_=28Consorcio_Los_Andes=29?= <nusta@example.test>",
                 To="=?iso-8859-1?B?T1NDRSDRIGNvbnN1bHRhcw=?= <consultas@osce.test>",
                 Cc="=?utf-8?B?broken <cc@example.test>")


@case("rfc2047_missing_terminator", "an encoded-word without its closing ?=")
def _(n):
    return plain(n, "=?utf-8?Q?Consulta_sobre_el_plazo_de_apelaci=C3=B3n", text(5))


@case("rfc2047_bad_q_encoding", "Q-encoding with =ZZ, a lone =, and an empty encoded text")
def _(n):
    return plain(n, "=?utf-8?Q?Plazo_=ZZ_de_=?= =?utf-8?Q??= =?utf-8?X?desconocido?= consentimiento", text(3))


# ---------------------------------------------------------------- RFC 2231
def with_attachment(n, subject, disposition, data=b"%PDF-1.4\n% constancia\n", ctype="application/pdf"):
    h = std_headers(n, subject)
    h["Content-Type"] = 'multipart/mixed; boundary="b2231"'
    p = crlf("--b2231\nContent-Type: text/plain; charset=utf-8\n\n" + text(n) + "\n--b2231\n")
    p += b"Content-Type: " + ctype.encode() + CRLF + disposition.encode("latin-1") + CRLF
    p += b"Content-Transfer-Encoding: base64" + CRLF + CRLF + b64lines(data) + b"--b2231--" + CRLF
    return build(h, p)


@case("rfc2231_continuations", "RFC 2231 filename split over numbered, partly encoded continuations")
def _(n):
    return with_attachment(n, "Adjunto mi constancia del RNP",
                           "Content-Disposition: attachment;\r\n filename*0*=utf-8''Constancia%20de%20inscripci%C3%B3n;\r\n"
                           " filename*1=\" RNP \";\r\n filename*2*=%C3%B1and%C3%BA.pdf;\r\n filename*3=")


@case("rfc2231_percent_unknown_charset", "RFC 2231 percent-encoding in an unknown charset, bad escapes")
def _(n):
    return with_attachment(n, "Envío oferta técnica",
                           "Content-Disposition: attachment; filename*=x-mystery'es'Oferta%E9t%ZZcnica%%.pdf")


@case("rfc2231_out_of_order", "continuations out of order, a gap, a duplicate index and a huge index")
def _(n):
    return with_attachment(n, "Adjunto el contrato firmado",
                           "Content-Disposition: attachment; filename*3=fin.pdf; filename*0=contrato_;"
                           " filename*0=otra_vez; filename*99999999999=x; filename*1*=''%C3%A1")


# ---------------------------------------------------------------- broken MIME
@case("multipart_no_boundary", "multipart/mixed without a boundary parameter")
def _(n):
    h = std_headers(n, "Consulta con adjunto")
    h["Content-Type"] = "multipart/mixed"
    return build(h, crlf("--x\nContent-Type: text/plain\n\n" + text(0) + "\n--x--\n"))


@case("multipart_boundary_never_closed", "the closing boundary never comes")
def _(n):
    h = std_headers(n, "Consulta sin cierre")
    h["Content-Type"] = 'multipart/alternative; boundary="abierto"'
    return build(h, crlf("--abierto\nContent-Type: text/plain; charset=utf-8\n\n" + text(1)
                         + "\n--abierto\nContent-Type: text/html; charset=utf-8\n\n<p>" + body(1) + "</p>\n"))


@case("multipart_boundary_inside_body", "the boundary string also appears inside a part's text")
def _(n):
    h = std_headers(n, "Consulta con separador repetido")
    h["Content-Type"] = 'multipart/mixed; boundary="--"'
    return build(h, crlf("----\nContent-Type: text/plain; charset=utf-8\n\n" + body(2) + "\n------ no es el final\n"
                         + "---- tampoco\n" + firma() + "\n----\nContent-Type: text/plain\n\nsegunda parte\n------\n"))


@case("multipart_nested_200", "multipart nested 200 levels deep")
def _(n):
    depth = 200
    h = std_headers(n, "Consulta anidada")
    h["Content-Type"] = 'multipart/mixed; boundary="n0"'
    p = b""
    for i in range(1, depth):
        p += b"--n%d\r\nContent-Type: multipart/mixed; boundary=\"n%d\"\r\n\r\n" % (i - 1, i)
    p += b"--n%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" % (depth - 1) + crlf(text(0)) + CRLF
    for i in range(depth - 1, -1, -1):
        p += b"--n%d--\r\n" % i
    return build(h, p)


@case("multipart_5000_parts", "a multipart with 5,000 small parts")
def _(n):
    h = std_headers(n, "Consulta con muchas partes")
    h["Content-Type"] = 'multipart/mixed; boundary="p"'
    p = b"--p\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + crlf(text(4)) + CRLF
    for i in range(1, 5000):
        p += b"--p\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"p%04d.txt\"\r\n\r\nparte %d\r\n" % (i, i)
    p += b"--p--\r\n"
    return build(h, p)


@case("multipart_empty_parts", "empty parts: no headers and no body, back-to-back boundaries")
def _(n):
    h = std_headers(n, "Consulta con partes vacías")
    h["Content-Type"] = 'multipart/mixed; boundary="e"'
    return build(h, crlf("--e\n--e\n\n--e\nContent-Type: text/plain\n\n--e\nContent-Type: text/plain; charset=utf-8\n\n"
                         + text(5) + "\n--e\n--e--\n"))


@case("multipart_part_without_headers", "a part with no header block (body right after the boundary)")
def _(n):
    h = std_headers(n, "Consulta parte sin cabeceras")
    h["Content-Type"] = 'multipart/mixed; boundary="s"'
    return build(h, crlf("--s\n" + text(3) + "\n--s\nContent-Type: application/pdf\n\n%PDF\n--s--\n"))


@case("multipart_empty_boundary", 'boundary="" (an empty boundary) and preamble/epilogue text')
def _(n):
    h = std_headers(n, "Consulta boundary vacío")
    h["Content-Type"] = 'multipart/mixed; boundary=""'
    return build(h, crlf("Preámbulo.\n--\nContent-Type: text/plain\n\n" + text(0) + "\n----\nEpílogo.\n"))


@case("content_type_garbage", "Content-Type with no type, stray semicolons and unbalanced quotes")
def _(n):
    return plain(n, "Consulta tipo raro", text(1), Content_Type=';;; charset="utf-8; name="a\\"b; =; boundary')


@case("multipart_base64_encoded", "a multipart declared Content-Transfer-Encoding: base64 (forbidden)")
def _(n):
    h = std_headers(n, "Consulta multipart codificado")
    h["Content-Type"] = 'multipart/mixed; boundary="z"'
    h["Content-Transfer-Encoding"] = "base64"
    inner = crlf("--z\nContent-Type: text/plain; charset=utf-8\n\n" + text(2) + "\n--z--\n")
    return build(h, b64lines(inner))


# ---------------------------------------------------------------- transfer encodings
@case("base64_invalid_chars", "base64 body with characters outside the alphabet")
def _(n):
    enc = b64lines(text(0).encode())
    bad = enc[:40] + b"!*#\xc3\xb1~" + enc[40:100] + b" % \x7f" + enc[100:]
    h = std_headers(n, "Consulta base64 sucia")
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "base64"
    return build(h, bad)


@case("base64_wrong_padding", "base64 with missing, excess and mid-stream padding")
def _(n):
    enc = base64.b64encode(text(1).encode()).rstrip(b"=")
    bad = enc[:60] + b"==" + CRLF + enc[60:121] + CRLF + b"====" + CRLF + enc[121:] + b"=" + CRLF
    h = std_headers(n, "Consulta base64 relleno")
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "base64"
    return build(h, bad)


@case("qp_soft_break_eof", "quoted-printable ending in a soft line break (=) at end of file")
def _(n):
    q = "Buenos d=C3=ADas, consulto por el plazo de consentimiento de la buena pro en el SEACE=\r\n y su publicaci=C3=B3n.="
    h = std_headers(n, "Consulta QP cortado")
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "quoted-printable"
    return build(h, q.encode())


@case("qp_equals_non_hex", "quoted-printable with = followed by non-hex, lowercase hex and a lone = at line end")
def _(n):
    q = ("Se=F1ores: el costo es =ZZ 100 soles =\r\n= y la tasa =3d 5%; inscripci=c3=b3n en el RNP =G1=\r\n"
         + crlf(firma()).decode())
    h = std_headers(n, "Consulta QP inválido")
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "quoted-printable"
    return build(h, q.encode())


@case("unknown_transfer_encoding", "Content-Transfer-Encoding: x-uuencode and a binary body")
def _(n):
    return plain(n, "Consulta uuencode", "begin 644 oferta.txt\n" + text(2) + "\nend\n", cte="x-uuencode")


# ---------------------------------------------------------------- NUL, line endings, sizes
@case("nul_in_headers", "NUL bytes inside the Subject and From headers")
def _(n):
    h = std_headers(n, b"Consulta\x00 sobre\x00 SEACE", From=b"Mar\x00ia <maria\x00@example.test>")
    h["Content-Type"] = "text/plain; charset=utf-8"
    return build(h, crlf(text(0)))


@case("nul_in_body", "NUL bytes scattered through the body")
def _(n):
    return plain(n, "Consulta con NUL", text(1).encode().replace(b" ", b" \x00", 12) + b"\x00\x00\x00", cte="8bit")


@case("bare_lf", "bare LF line endings throughout")
def _(n):
    h = std_headers(n, "Consulta con LF", Content_Type="text/plain; charset=utf-8")
    return build(h, text(2).encode(), eol=b"\n")


@case("bare_cr", "bare CR line endings throughout (old Mac)")
def _(n):
    h = std_headers(n, "Consulta con CR", Content_Type="text/plain; charset=utf-8")
    return build(h, text(3).replace("\n", "\r").encode(), eol=b"\r")


@case("mixed_line_endings", "CRLF, LF, CR and LFCR mixed within headers and body")
def _(n):
    return (b"From: Ana Torres <ana@example.test>\r\nTo: consultas@osce.test\nSubject: Consulta mezcla\r"
            b"Date: Mon, 23 Nov 2026 10:00:00 -0500\n\rMessage-ID: <hostile-%03d@example.test>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\n" % n) + text(4).encode().replace(b"\n", b"\n\r")


@case("header_line_12000", "a single unfolded header line of 12,000 characters")
def _(n):
    return plain(n, "Consulta cabecera larga", text(0), X_Tracking="seace-" + "abcdefghij" * 1200)


@case("header_folded_5000_lines", "one header folded over 5,000 continuation lines")
def _(n):
    return plain(n, "Consulta cabecera plegada", text(1),
                 References="\r\n ".join("<ref-%05d@example.test>" % i for i in range(5000)))


@case("headers_2000", "2,000 header fields")
def _(n):
    h = list(std_headers(n, "Consulta con dos mil cabeceras").items())
    h += [("X-Relay-%04d" % i, "paso %d por el servidor intermedio" % i) for i in range(1994)]
    h += [("Content-Type", "text/plain; charset=utf-8")]
    return build(h, crlf(text(2)))


@case("subject_5000", "a subject of 5,000 characters (unfolded)")
def _(n):
    s = ("Consulta urgente sobre el SEACE y el RNP " * 200)[:5000]
    return plain(n, s, text(0))


@case("message_id_huge_and_spaces", "a 3,000-character Message-ID with spaces and no angle brackets")
def _(n):
    return plain(n, "Consulta id raro", text(5), Message_ID="id con espacios " + "x" * 3000)


# ---------------------------------------------------------------- missing and duplicated headers
@case("missing_from", "no From header")
def _(n):
    return plain(n, "Consulta sin remitente", text(1), From=None)


@case("missing_date", "no Date header")
def _(n):
    return plain(n, "Consulta sin fecha", text(2), Date=None)


@case("missing_subject", "no Subject header")
def _(n):
    return plain(n, "", text(3), Subject=None)


@case("missing_message_id", "no Message-ID header")
def _(n):
    return plain(n, "Consulta sin identificador", text(4), Message_ID=None)


@case("missing_all_standard", "none of From, To, Date, Subject, Message-ID, MIME-Version")
def _(n):
    return build([("X-Mailer", "Formulario web 1.0"), ("Content-Type", "text/plain; charset=utf-8")], crlf(text(0)))


@case("headers_only_no_body", "a header block with no blank line and no body")
def _(n):
    return b"From: ana@example.test\r\nTo: consultas@osce.test\r\nSubject: Solo cabeceras RNP\r\nMessage-ID: <hostile-%03d@example.test>\r\n" % n


@case("duplicated_headers", "two From, two Subject, two Date and two Content-Type headers")
def _(n):
    h = list(std_headers(n, "Consulta primera").items())
    h += [("From", "Otro <otro@example.test>"), ("Subject", "Consulta segunda"),
          ("Date", "Tue, 24 Nov 2026 10:00:00 -0500"), ("Content-Type", "text/plain; charset=utf-8"),
          ("Content-Type", "text/html; charset=iso-8859-1")]
    return build(h, crlf(text(5)))


@case("header_without_colon", "a line without a colon in the middle of the header block, and 'Subject :'")
def _(n):
    return (b"From: Ana <ana@example.test>\r\nTo: consultas@osce.test\r\nesto no es una cabecera\r\n"
            b"Subject : Consulta obsoleta RNP\r\nMessage-ID: <hostile-%03d@example.test>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" % n) + crlf(text(1))


@case("from_malformed", "unparseable From and Reply-To addresses")
def _(n):
    return plain(n, "Consulta dirección rota", text(2), From="<<<@@>>> \"sin cierre <x@", Reply_To="@;,:<>")


@case("from_group_empty", "From is an empty group (undisclosed-recipients:;)")
def _(n):
    return plain(n, "Consulta grupo vacío", text(3), From="undisclosed-recipients:;")


@case("from_own_mailbox", "From and Reply-To are the mailbox itself (must not be answered: mail loop)")
def _(n):
    return plain(n, "Consulta desde el propio buzón", text(0), From="Consultas OSCE <consultas@osce.test>",
                 Reply_To="consultas@osce.test")


@case("bidi_and_emoji", "right-to-left override, zero-width and emoji characters in subject and name")
def _(n):
    return plain(n, "Consulta \u202egpj.exe\u202c SEACE \U0001F621\u200b\u200b urgente", text(4),
                 From="=?utf-8?B?" + base64.b64encode("Pedro \u202eorteP\u202c \U0001F600".encode()).decode()
                 + "?= <pedro@example.test>")


@case("mbox_from_line", "starts with an mbox 'From ' line and has '>From' quoting in the body")
def _(n):
    return b"From maria@example.test Mon Nov 23 09:00:00 2026\r\n" + plain(
        n, "Consulta desde mbox", ">From the start: " + text(5))


# ---------------------------------------------------------------- dates
@case("date_year_0000", "Date in year 0000")
def _(n):
    return plain(n, "Consulta fecha año cero", text(0), Date="Sat, 01 Jan 0000 00:00:00 +0000")


@case("date_year_2099", "Date in 2099 (a citizen's clock far in the future)")
def _(n):
    return plain(n, "Consulta fecha 2099", text(1), Date="Thu, 31 Dec 2099 23:59:59 -0500")


@case("date_manana", "Date: mañana (free text, raw UTF-8)")
def _(n):
    return plain(n, "Consulta fecha en palabras", text(2), Date="mañana")


@case("date_tz_9999", "Date with timezone +9999 and day 31 of February")
def _(n):
    return plain(n, "Consulta zona horaria", text(3), Date="Tue, 31 Feb 2026 25:61:61 +9999")


# ---------------------------------------------------------------- duplicated Message-ID
@case("duplicate_message_id_a", "first of two DIFFERENT messages sharing one Message-ID")
def _(n):
    return plain(n, "Consulta SEACE (primera)", text(0), Message_ID="<duplicado@example.test>",
                 From="Luis Rojas <luis.rojas@example.test>")


@case("duplicate_message_id_b", "second of two DIFFERENT messages sharing one Message-ID")
def _(n):
    return plain(n, "Consulta RNP (segunda)", text(1, "Rosa Flores"), Message_ID="<duplicado@example.test>",
                 From="Rosa Flores <rosa.flores@example.test>")


# ---------------------------------------------------------------- forwarded mail
def rfc822_inner(n, subject, content):
    return plain(n + 1000, subject, content, From="Carlos Díaz <carlos@example.test>")


@case("forwarded_rfc822", "a forward with the original attached as message/rfc822")
def _(n):
    h = std_headers(n, "RV: Consulta sobre el RNP")
    h["Content-Type"] = 'multipart/mixed; boundary="fw"'
    p = crlf("--fw\nContent-Type: text/plain; charset=utf-8\n\nLes reenvío la consulta de mi colega.\n"
             "--fw\nContent-Type: message/rfc822\n\n")
    p += rfc822_inner(n, "Consulta sobre el RNP", text(1)) + crlf("\n--fw--\n")
    return build(h, p)


@case("nested_rfc822", "message/rfc822 inside message/rfc822 inside message/rfc822")
def _(n):
    inner = rfc822_inner(n, "Consulta original", text(2))
    for level in range(3):
        hh = std_headers(n + 2000 + level, "RV: " * (level + 1) + "Consulta original")
        hh["Content-Type"] = "message/rfc822"
        inner = build(hh, inner)
    return inner


@case("rfc822_truncated", "a message/rfc822 part that is empty and another that is only garbage")
def _(n):
    h = std_headers(n, "RV: consulta truncada")
    h["Content-Type"] = 'multipart/mixed; boundary="t"'
    return build(h, crlf("--t\nContent-Type: text/plain; charset=utf-8\n\n" + text(3)
                         + "\n--t\nContent-Type: message/rfc822\n\n--t\nContent-Type: message/rfc822\n\n\x01\x02 basura\n--t--\n"))


# ---------------------------------------------------------------- HTML
@case("html_script_style", "HTML only with <script>, <style>, javascript: links, event handlers and comments")
def _(n):
    html = ("<html><head><style>p{color:red} /* SEACE en estilo */</style><script>alert('SEACE');"
            "document.location='http://malo.test'</script></head><body onload=\"steal()\">"
            "<!-- comentario con RNP --><p>" + body(2) + "</p><a href=\"javascript:alert(1)\">ver</a>"
            "<a href=\"JaVaScRiPt:void(0)\">clic</a><img src=x onerror=alert(1)><iframe src=\"javascript:x\"></iframe>"
            "<p>" + firma().replace("\n", "<br>") + "</p><script>/* sin cerrar")
    return plain(n, "Consulta en HTML", html, Content_Type="text/html; charset=utf-8")


@case("html_1mb_tags", "HTML only, about 1 MB of nested and unclosed tags around a short consultation")
def _(n):
    open_tags = "<div><span><b><i>" * 50000
    html = "<html><body>" + open_tags + "<p>" + body(0) + "</p>" + "</i></b>" * 8000 + "<td><tr><table" * 10000 + "</body>"
    return plain(n, "Consulta HTML enorme", html, Content_Type="text/html; charset=utf-8")


# ---------------------------------------------------------------- automatic mail and special types
@case("ooo_microsoft", "Microsoft out-of-office without Auto-Submitted: «Respuesta automática:» + X-Auto-Response-Suppress")
def _(n):
    return plain(n, "Respuesta automática: Consulta sobre el SEACE",
                 "Estaré fuera de la oficina hasta el lunes 30 de noviembre, con acceso limitado al correo.\n"
                 "Para asuntos urgentes escriba a mesa.partes@example.test.\n",
                 X_Auto_Response_Suppress="All", X_MS_Exchange_Inbox_Rules_Loop="consultas@osce.test",
                 Thread_Topic="Consulta sobre el SEACE", In_Reply_To="<ack-123@osce.test>",
                 From="Jorge Salas <jorge.salas@empresa.test>")


@case("dsn_multipart_report", "RFC 3464 delivery status notification (multipart/report)")
def _(n):
    h = std_headers(n, "Undelivered Mail Returned to Sender",
                    From="MAILER-DAEMON@mx.example.test (Mail Delivery System)")
    h["Content-Type"] = 'multipart/report; report-type=delivery-status; boundary="dsn"'
    p = crlf("--dsn\nContent-Type: text/plain; charset=utf-8\n\nNo se pudo entregar su mensaje a ciudadano@noexiste.test.\n"
             "--dsn\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.test\n\n"
             "Final-Recipient: rfc822; ciudadano@noexiste.test\nAction: failed\nStatus: 5.1.1\n"
             "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n"
             "--dsn\nContent-Type: text/rfc822-headers\n\nFrom: consultas@osce.test\nTo: ciudadano@noexiste.test\n"
             "Subject: [CONS-2026-000001] Recibimos su consulta\n\n--dsn--\n")
    return build(h, p)


@case("only_attachments", "no text at all: only two attachments (PDF and image)")
def _(n):
    h = std_headers(n, "")
    h["Content-Type"] = 'multipart/mixed; boundary="oa"'
    p = crlf("--oa\nContent-Type: application/pdf; name=\"solicitud.pdf\"\nContent-Disposition: attachment; "
             "filename=\"solicitud.pdf\"\nContent-Transfer-Encoding: base64\n\n")
    p += b64lines(b"%PDF-1.4\n" + body(1).encode() * 20) + b"--oa\r\n"
    p += crlf("Content-Type: image/png\nContent-Disposition: attachment; filename=\"captura.png\"\n"
              "Content-Transfer-Encoding: base64\n\n") + b64lines(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    p += b"--oa--\r\n"
    return build(h, p)


@case("calendar_invitation", "a calendar invitation (text/calendar; method=REQUEST) with a text alternative")
def _(n):
    h = std_headers(n, "Invitación: Reunión sobre el RNP @ lun 30 nov 2026 10:00")
    h["Content-Type"] = 'multipart/alternative; boundary="cal"'
    ics = ("BEGIN:VCALENDAR\nMETHOD:REQUEST\nPRODID:-//Ejemplo//ES\nVERSION:2.0\nBEGIN:VEVENT\n"
           "UID:reunion-rnp@example.test\nDTSTART:20261130T150000Z\nDTEND:20261130T160000Z\n"
           "SUMMARY:Reunión sobre inscripción en el RNP\nORGANIZER:mailto:maria.quispe@example.test\n"
           "ATTENDEE;RSVP=TRUE:mailto:consultas@osce.test\nEND:VEVENT\nEND:VCALENDAR\n")
    p = crlf("--cal\nContent-Type: text/plain; charset=utf-8\n\nHa sido invitado a: Reunión sobre el RNP\n"
             "--cal\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\n\n" + ics + "--cal--\n")
    return build(h, p)


@case("calendar_only", "the whole message is text/calendar (no text alternative)")
def _(n):
    ics = ("BEGIN:VCALENDAR\nMETHOD:CANCEL\nVERSION:2.0\nBEGIN:VEVENT\nUID:x@example.test\n"
           "SUMMARY:Cancelada: capacitación SEACE\nEND:VEVENT\nEND:VCALENDAR\n")
    return plain(n, "Cancelada: capacitación SEACE", ics, Content_Type="text/calendar; method=CANCEL")


@case("binary_body_no_mime", "a text/plain body that is actually random binary (a PDF pasted raw)")
def _(n):
    blob = bytes((i * 37 + 11) % 256 for i in range(4096))
    return plain(n, "Consulta con PDF pegado", b"%PDF-1.7\n" + blob, cte="binary")


@case("deep_rfc2047_flood", "a subject made of 2,000 tiny encoded-words")
def _(n):
    words = " ".join("=?utf-8?B?%s?=" % base64.b64encode(("ñ%d" % i).encode()).decode() for i in range(2000))
    return plain(n, words, text(0))


@case("content_disposition_inline_html_and_text", "text/plain marked as an attachment and HTML marked inline")
def _(n):
    h = std_headers(n, "Consulta disposición invertida")
    h["Content-Type"] = 'multipart/mixed; boundary="d"'
    return build(h, crlf("--d\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: attachment; filename=consulta.txt\n\n"
                         + text(1) + "\n--d\nContent-Type: text/html; charset=utf-8\nContent-Disposition: inline\n\n<p>"
                         + body(1) + "</p>\n--d--\n"))


# ---------------------------------------------------------------- issue 15: machine mail (tuning set; the held-out
# set is tests/hostile/heldout/, never read while tuning)
def machine(n, subject, body_text="Aviso generado por el sistema.\n", **over):
    return plain(n, subject, body_text, **over)


@case("machine_null_return_path", "delivered with an empty return path (Return-Path: <>) and a person-looking From")
def _(n):
    return build([("Return-Path", "<>")] + list(std_headers(n, "Aviso de su trámite", From="Plataforma <plataforma@example.test>").items())
                 + [("Content-Type", "text/plain; charset=utf-8")], crlf("Su trámite fue registrado.\n"))


@case("machine_x_autoreply", "an auto-responder that sets X-Autoreply but not Auto-Submitted")
def _(n):
    return machine(n, "Re: Consulta SEACE", X_Autoreply="yes")


@case("machine_x_autorespond", "X-Autorespond (cPanel-style responder)")
def _(n):
    return machine(n, "Consulta SEACE", X_Autorespond="Consulta SEACE")


@case("machine_x_autogenerated", "X-Autogenerated: Reply")
def _(n):
    return machine(n, "Re: Consulta RNP", X_Autogenerated="Reply")


@case("machine_x_loop_own_mailbox", "X-Loop naming the office's own mailbox: a loop")
def _(n):
    return machine(n, "Consulta SEACE", text(0), X_Loop="consultas@osce.test")


@case("machine_exchange_rule_loop", "an Exchange inbox rule's mail naming the office's mailbox")
def _(n):
    return machine(n, "RV: Recibimos su consulta", text(0), X_MS_Exchange_Inbox_Rules_Loop="consultas@osce.test")


@case("machine_list_unsubscribe", "a newsletter: List-Unsubscribe and List-Id")
def _(n):
    return machine(n, "Boletín de contrataciones", text(2), List_Unsubscribe="<mailto:baja@example.test>",
                   List_Id="<boletin.example.test>")


@case("machine_precedence_bulk", "Precedence: bulk")
def _(n):
    return machine(n, "Oferta especial en capacitación SEACE", Precedence="bulk")


@case("machine_precedence_junk", "Precedence: junk")
def _(n):
    return machine(n, "Gane un premio", Precedence="junk")


@case("machine_noreply_sender", "a noreply sender")
def _(n):
    return machine(n, "Su constancia está lista", From="Registro <no-reply@registro.example.test>")


@case("machine_auto_submitted_generated", "Auto-Submitted: auto-generated (a system notification)")
def _(n):
    return machine(n, "Notificación del sistema", Auto_Submitted="auto-generated")


@case("machine_bounce_of_reply_plain", "a plain-text bounce (qmail style) quoting a reply's Message-ID and ticket")
def _(n):
    return machine(n, "failure notice",
                   "Hi. This is the qmail-send program.\nI was not able to deliver your message.\n\n"
                   "--- Below this line is a copy of the message.\n\nMessage-ID: <respuesta.CONS-2026-000001.ab@osce.test>\n"
                   "X-Triaje-Ticket: CONS-2026-000001\nSubject: RE: Consulta\n\nRespuesta.\n",
                   From="MAILER-DAEMON@mx.example.test")


# ---------------------------------------------------------------- issue 15: what a person sent, read as a person would
@case("forward_eml_attachment_alone", "no subject, no text: the consultation attached alone as an .eml file (base64)")
def _(n):
    inner = plain(900, "Renovación de inscripción RNP", text(1))
    h = std_headers(n, "", Subject=None)
    h["Content-Type"] = 'multipart/mixed; boundary="eml"'
    p = crlf("--eml\nContent-Type: application/octet-stream; name=\"consulta.eml\"\n"
             "Content-Disposition: attachment; filename=\"consulta.eml\"\nContent-Transfer-Encoding: base64\n\n")
    return build(h, p + b64lines(inner) + b"--eml--\r\n")


@case("forward_inline_gmail", "Gmail's inline forward under a one-line note")
def _(n):
    return plain(n, "Fwd: consulta", "Les paso esta consulta.\n\n---------- Forwarded message ---------\n"
                 "De: Colega <colega@example.test>\nDate: lun, 23 nov 2026\nSubject: RNP\nTo: yo@example.test\n\n" + text(1))


@case("base64_one_bad_line", "base64 text with one damaged line in the middle: the rest still reads")
def _(n):
    enc = b64lines(text(0).encode()).split(CRLF)
    enc[1] = enc[1][:50] + b"@@##$$" + enc[1][56:]
    h = std_headers(n, "Consulta con una línea dañada")
    h["Content-Type"] = "text/plain; charset=utf-8"
    h["Content-Transfer-Encoding"] = "base64"
    return build(h, CRLF.join(enc))


@case("blank_plain_beside_html", "a blank text/plain alternative beside the real HTML")
def _(n):
    h = std_headers(n, "Consulta")
    h["Content-Type"] = 'multipart/alternative; boundary="bh"'
    return build(h, crlf("--bh\nContent-Type: text/plain; charset=utf-8\n\n \n\n--bh\nContent-Type: text/html; charset=utf-8\n\n<p>"
                         + body(1) + "</p>\n--bh--\n"))


@case("from_raw_latin1_name", "an unlabelled raw Latin-1 display name in From")
def _(n):
    return plain(n, "Consulta SEACE", text(0), From="Jos\xe9 \xd1ique <jose.nique@example.test>".encode("latin-1"))


@case("from_unbalanced_quote", "From with an unbalanced quote around a name with a comma")
def _(n):
    return plain(n, "Consulta SEACE", text(0), From='"Quispe, María <maria.quispe@example.test>')


@case("from_comments", "From with comments inside the address and as the name")
def _(n):
    return plain(n, "Consulta SEACE", text(0), From="maria.quispe(trabajo)@example.test (María Quispe)")


@case("from_eai_address", "an internationalised (EAI, RFC 6532) address in raw UTF-8")
def _(n):
    return plain(n, "Consulta SEACE", text(0), From="José Ñique <josé.ñique@correo.example.test>")


@case("shared_message_id_sender_a", "first of two messages from two senders sharing one Message-ID")
def _(n):
    return plain(n, "Consulta de Ana", text(0), From="Ana <ana@example.test>", Message_ID="<compartido-15@example.test>")


@case("shared_message_id_sender_b", "second of two messages from two senders sharing one Message-ID")
def _(n):
    return plain(n, "Consulta de Beto", text(1), From="Beto <beto@example.test>", Message_ID="<compartido-15@example.test>")


@case("iso2022jp_unlabelled", "ISO-2022-JP body without any charset label")
def _(n):
    t = "SEACEの登録について。\nConsulta sobre registro de proveedor extranjero en el RNP.\n"
    h = std_headers(n, "RNP extranjero")
    h["Content-Type"] = "text/plain"
    return build(h, crlf(t.encode("iso2022_jp")))


@case("utf8_declared_latin1", "UTF-8 bytes declared as ISO-8859-1 (would read as mojibake)")
def _(n):
    return plain(n, "Consulta RNP", text(1).encode("utf-8"), charset="iso-8859-1", cte="8bit")



# ---------------------------------------------------------------- issue 15, round 2: weak signals are weighed against
# the signs of a person (a question, a person's Reply-To, a signature, an answer to the office's own mail); strong
# ones decide alone
ACK_ID = "<ack.CONS-2026-000007.3f9a@osce.test>"


@case("machine_subject_acuse_automatico_no_headers",
      "a front desk's «Acuse de recibo automático - Expediente …», no automatic header: the subject alone, nobody asks")
def _(n):
    return machine(n, "Acuse de recibo automático - Expediente 2026-004512",
                   "Su documento fue registrado con el expediente 2026-004512. Puede seguir su trámite en el portal.\n",
                   From="Trámite Documentario <tramite@municipalidad.example.test>", X_Mailer="PHPMailer 6.8.1")


@case("machine_subject_out_of_office_en_signed",
      "«Out of Office: …» with no header, signed by its owner: the subject outweighs a signature")
def _(n):
    return machine(n, "Out of Office: Consulta SEACE",
                   "I am out of the office until December 14 with limited access to e-mail.\n\nBest regards,\nJohn Carter\n",
                   From="John Carter <jcarter@supplier.example.test>")


@case("machine_subject_auto_lotus",
      "Lotus Notes' «AUTO: … está fuera de la oficina», no header")
def _(n):
    return machine(n, "AUTO: Juana Pérez está fuera de la oficina (regreso 14/12/2026)",
                   "Estaré fuera de la oficina del 7 al 14 de diciembre.\n",
                   From="Juana Pérez <jperez@entidad.example.test>")


@case("machine_ooo_subject_x_ars_answers_our_ack",
      "Exchange's out-of-office to our acknowledgement: «Respuesta automática:» and X-Auto-Response-Suppress outweigh "
      "its owner's signature and its In-Reply-To to our mail")
def _(n):
    return machine(n, "Respuesta automática: Hemos recibido su consulta CONS-2026-000007",
                   "Me encuentro de vacaciones hasta el lunes 14.\n\nSaludos,\nRosa Huamán Torres\nSubgerencia de Logística\n",
                   From="Rosa Huamán <rhuaman@muni.example.test>", X_Auto_Response_Suppress="All",
                   In_Reply_To=ACK_ID, References=ACK_ID)


@case("machine_delivered_to_loop_own_mailbox",
      "an alias loop: a Delivered-To naming our own mailbox below a Received header (it went through us before)")
def _(n):
    h = [("Received", "from reenvios.example.test (reenvios.example.test [10.0.0.25]) by mail.osce.test (Postfix) "
                      "for <consultas@osce.test>; Mon, 23 Nov 2026 09:00:02 -0500"),
         ("Delivered-To", "consultas@osce.test"),
         ("Received", "from mail.osce.test by reenvios.example.test (Postfix) for <avisos@example.test>; "
                      "Mon, 23 Nov 2026 09:00:01 -0500")]
    h += list(std_headers(n, "Formulario web: actualización de datos del portal",
                          From="Portal <webmaster@example.test>").items())
    h.append(("Content-Type", "text/plain; charset=utf-8"))
    return build(h, crlf("Se actualizó la sección de preguntas frecuentes del portal.\n"))


@case("machine_x_ars_alone_unsigned_notice",
      "X-Auto-Response-Suppress on a system notice that asks nothing and is signed by no one")
def _(n):
    return machine(n, "Notificación: documento disponible en la casilla electrónica",
                   "Se ha depositado un documento en su casilla electrónica.\n",
                   From="Casilla Electrónica <casilla@entidad.example.test>", X_Auto_Response_Suppress="All")


@case("machine_bulk_unsubscribe_pitch_question",
      "a newsletter: Precedence: bulk and List-Unsubscribe without List-Id, whatever its pitch asks («¿Te interesa…?»)")
def _(n):
    return machine(n, "Diplomado en contrataciones del Estado - últimas vacantes",
                   "¿Te interesa especializarte en la Ley 32069? Inscríbete hoy con 30% de descuento.\n",
                   From="Capacitaciones <cursos@instituto.example.test>", Precedence="bulk",
                   List_Unsubscribe="<https://instituto.example.test/baja?u=99>")


@case("machine_noreply_desk_reply_to_stock_question",
      "a noreply sender whose Reply-To is a desk (contacto@), with a stock «¿Necesitas ayuda?» line")
def _(n):
    return machine(n, "Su pago fue registrado",
                   "Su pago de S/ 150.00 fue registrado.\n¿Necesitas ayuda? Escríbenos.\n",
                   From="Banco <noreply@banco.example.test>", Reply_To="contacto@banco.example.test")


@case("machine_list_unsubscribe_alone_offer",
      "List-Unsubscribe alone on an offer that asks nothing and is signed by no one")
def _(n):
    return machine(n, "Nuevas fianzas para contratistas",
                   "Cartas fianza para contratistas del Estado con aprobación en 24 horas.\n",
                   From="Financiera <promo@financiera.example.test>",
                   List_Unsubscribe="<mailto:baja@financiera.example.test>")


@case("person_subject_respuesta_automatica_words",
      "a person whose subject starts with the words «Respuesta automática» but not the prefix form")
def _(n):
    return plain(n, "Respuesta automática del RNP llega con otro RUC", text(1))


@case("person_subject_auto_prefix_with_question",
      "a person's subject starting «AUTO:» (a car), with a question and a signature")
def _(n):
    return plain(n, "AUTO: ¿se puede ofertar una camioneta usada en la subasta inversa?",
                 "Buenos días, ¿una camioneta del año 2022 con 20 000 km puede ofertarse como bien nuevo?" + firma())


@case("person_x_ars_meeting_request",
      "an Outlook meeting request (X-Auto-Response-Suppress: All) that asks the office something")
def _(n):
    return plain(n, "Reunión: consulta sobre ampliación de plazo", text(1), X_Auto_Response_Suppress="All")


@case("person_x_ars_gateway_answers_our_ack",
      "a citizen answering our acknowledgement through a gateway that stamps X-Auto-Response-Suppress: no question, "
      "no signature, only the answer to our mail speaks for a person")
def _(n):
    return plain(n, "RE: Hemos recibido su consulta CONS-2026-000007", "Adjunto el documento que faltaba.\n",
                 X_Auto_Response_Suppress="OOF, DR, RN, NRN, AutoReply", In_Reply_To=ACK_ID, References=ACK_ID)


@case("person_noreply_account_reply_to_person",
      "a municipality's shared noresponder@ account with a person's Reply-To, a question and a signature")
def _(n):
    return plain(n, "Consulta: registro del comité de selección en el SEACE", text(1, "Edwin Ccori Huamán"),
                 From="Municipalidad - Logística <noresponder@municipalidad.example.test>",
                 Reply_To="Edwin Ccori <jefe.logistica@municipalidad.example.test>")


@case("person_list_unsubscribe_crm",
      "a supplier's salesman writing through a CRM that adds List-Unsubscribe, with a request and a signature")
def _(n):
    return plain(n, "Catálogo electrónico: inscripción de nuevos productos",
                 "Quisiera saber cómo incorporamos nuevas fichas de producto al catálogo electrónico." + firma("Luis Alva"),
                 From="Luis Alva <luis.alva@proveedor.example.test>",
                 List_Unsubscribe="<https://crm.example.test/unsubscribe/abc>")


@case("person_precedence_bulk_relay",
      "a university relay that adds Precedence: bulk to a teacher's question")
def _(n):
    return plain(n, "Consulta sobre el RNP para docentes", text(1), From="Ana Torres <atorres@universidad.example.test>",
                 Precedence="bulk")


@case("person_out_of_office_subject_question",
      "a person travelling: «Fuera de la oficina: ¿…?» with a question and a signature")
def _(n):
    return plain(n, "Fuera de la oficina: ¿puedo firmar el contrato con firma digital desde el extranjero?", text(1))


@case("person_english_automatic_reply_words",
      "an English subject with «Automatic reply» not as a prefix form, asking about it")
def _(n):
    return plain(n, "Automatic reply never arrived after my RNP registration",
                 "Hello, I registered as a foreign supplier yesterday. Could you confirm my registration was received?\n"
                 "\nRegards,\nJohn Carter\n", From="John Carter <jcarter@supplier.example.test>")



@case("person_subject_auto_prefix_signed_statement",
      "a citizen's «Auto: …» (vehicles) that asks nothing but is signed: a prefix alone is outweighed by a signature")
def _(n):
    return plain(n, "Auto: adquisición de camionetas para la municipalidad",
                 "La entidad pide tres cotizaciones para las camionetas y solo encontramos dos proveedores inscritos."
                 + firma("Carlos Mendoza Ríos"))



@case("machine_unsubscribe_header_and_footer_signed",
      "a mailing signed by a salesman: List-Unsubscribe backed by its unsubscribe footer outweighs the signature, and "
      "its pitch («¿Ya conoces…?») asks the office nothing")
def _(n):
    return machine(n, "Nuevas cartas fianza para contratistas",
                   "¿Ya conoces nuestras cartas fianza con aprobación en 24 horas?\n\n"
                   "Si no desea recibir más correos, responda con la palabra BAJA.\n\nSaludos cordiales,\nRicardo Salas\n",
                   From="Ricardo Salas <rsalas@financiera.example.test>",
                   List_Unsubscribe="<mailto:baja@financiera.example.test>")


def generate():
    """{file name: bytes} for every case, numbered in order."""
    out = {}
    for n, (name, _purpose, fn) in enumerate(CASES, start=1):
        data = fn(n)
        assert isinstance(data, bytes), name
        out["%02d_%s.eml" % (n, name)] = data
    return out


def main(argv):
    files = generate()
    if "--list" in argv:
        for n, (name, purpose, _fn) in enumerate(CASES, start=1):
            print("| `%02d_%s.eml` | %s |" % (n, name, purpose))
        return 0
    if "--check" in argv:
        bad = []
        for name, data in files.items():
            p = HERE / name
            if not p.exists():
                bad.append("missing: " + name)
            elif p.read_bytes() != data:
                bad.append("differs: " + name)
        for p in sorted(HERE.glob("*.eml")):
            if p.name not in files:
                bad.append("not generated (stale): " + p.name)
        for b in bad:
            print(b, file=sys.stderr)
        print("%d cases, %s" % (len(files), "OK" if not bad else "%d problems" % len(bad)))
        return 1 if bad else 0
    for p in HERE.glob("*.eml"):
        if p.name not in files:
            p.unlink()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print("%d cases written to %s" % (len(files), HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
