#!/usr/bin/env python3
"""Build the development routing corpus: tests/routing/tune/ and tests/routing/heldout/.

Python 3.11, standard library only, deterministic: the same data always give the same bytes (fixed seeds,
no clock, no environment).

    python3 tests/routing/make.py            # (re)write tune/ and heldout/ (.eml files and labels.toml)
    python3 tests/routing/make.py --check    # verify the files on disk are exactly what make.py writes,
                                             # parse every .eml back (MIME sanity) and print the census

The consultations are hand-written in data/*.txt (format below). This script only dresses them as the mail
clients people really use would send them, with the dressing code of tests/corpus/make.py (Gmail, Outlook,
Thunderbird, iPhone, Android, Yahoo, municipal webmail; charsets, transfer encodings, quoting styles,
HTML-only, attachments, forwards), and splits them once, by a fixed seed, into a tuning part and a held-out
part. A message's part and its file name come from a seeded hash of its id alone, so adding messages never
moves the ones already written. See README.md (and never read heldout/ or data/ while tuning rules).

Data format (data/*.txt, UTF-8). A block starts with a line `=== ID`; ID `@name` defines a snippet (a
signature or an earlier message that others quote), any other ID is a message. Header lines `key: value`
come first, then sections, each opened by a line `--- body`, `--- sig` or `--- quote`:

    === r0001
    folder: SEACE                      SEACE | RNP | Legal | Por clasificar
    kind: consulta                     consulta | incidencia | reclamo | sugerencia
    hard: negacion, de-paso            what makes it hard (see HARD); some are added by the script
    note: why it belongs where it does
    subject: RE: Clave del SEACE
    from: Rosa Cárdenas <rcardenas@muni.gob.pe>    (default: a made-up person on a free mail service)
    client: outlook                    gmail android outlook outlook_old thunderbird iphone webmail yahoo
    html: only                         none | alt | only | only_style (default: what the client does)
    charset: / cte: / subject-enc:     override the client's choice
    accents: no                        the writer types no accents (subject, body, signature, quote)
    attach: captura.png, oficio.pdf
    cc: jefe@muni.gob.pe
    header: Importance: high           (repeatable)
    sig: @snippet                      or a `--- sig` section
    quote: reply | forward | rfc822    the earlier message shown (reply/forward) or attached (rfc822)
    quote-from: @osce                  or `Name <addr>`; @osce is the office's own mailbox
    quote-subject: Clave del SEACE
    quote-days: 2
    quote-text: @snippet               or a `--- quote` section
    --- body
    the new text the writer typed; a paragraph is one line
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import importlib.util
import random
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SPLITS = ("tune", "heldout")
# The split seed: fixed once and for all. Changing it reshuffles the parts and spoils the held-out set.
SPLIT_SEED = "triaje-routing-2025"
TUNE_PERCENT = 60
DRESS_SEED = "routing-dress"
FOLDERS = ("SEACE", "RNP", "Legal", "Por clasificar")
KINDS = ("consulta", "incidencia", "reclamo", "sugerencia")
# What makes a message hard to route. The first group is written by hand in the data; the second is added by
# the script from the message's form.
HARD = {
    "negacion": "niega la carpeta de una palabra que aparece («no es un tema legal, es del sistema»)",
    "de-paso": "menciona de paso hechos de otra carpeta («la apelación ya se resolvió; ahora el sistema…»)",
    "asunto-antiguo": "respuesta o reenvío cuyo asunto heredado habla de otra carpeta que el texto nuevo",
    "cita": "el texto citado o reenviado de otro tema no decide",
    "parafrasis": "nombra el tema sin sus palabras habituales («mis datos como proveedor del Estado»)",
    "firma": "firma o aviso legal con palabras de otra carpeta",
    "varios-temas": "varias preguntas de carpetas distintas; decide la regla de la guía",
    "trampa": "una palabra de otra carpeta usada en otro sentido («contrato» que se registra, «convocatoria CAS»)",
    "vago": "asunto vacío o genérico; solo el cuerpo decide",
    # added by the script
    "reenvio": "reenvío (en el cuerpo o como adjunto message/rfc822)",
    "html-solo": "solo text/html",
    "sin-tildes": "escrito sin tildes",
    "mayusculas": "escrito en mayúsculas",
    "una-linea": "el texto nuevo es una sola línea corta (200 caracteres o menos)",
    "nombres-nuevos": "usa los nombres de la Ley 32069 (OECE, Pladicop, Tribunal de Contrataciones Públicas…)",
}
WRITTEN_HARD = ("negacion", "de-paso", "asunto-antiguo", "cita", "parafrasis", "firma", "varios-temas", "trampa",
                "vago")
REPLY_PREFIX = re.compile(r"^(RE|RV|FW|FWD|Fwd|Re|Rv|Fw)\s*:", re.I)
NEW_NAMES = re.compile(r"\b(OECE|Pladicop|PLADICOP|32069|009-2025-EF|Contrataciones P[uú]blicas)\b", re.I)


def load_mailgen():
    """The mail-dressing code of tests/corpus/make.py, loaded as a library (its __main__ does not run)."""
    path = HERE.parent / "corpus" / "make.py"
    spec = importlib.util.spec_from_file_location("corpus_make", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


mailgen = load_mailgen()
OFFICE = ("Consultas OSCE", mailgen.MAILBOX)


# --------------------------------------------------------------------------------------
# Reading the data files
# --------------------------------------------------------------------------------------


class DataError(Exception):
    """A data file that does not follow the format; the message says file:line."""


@dataclass
class Entry:
    """One block of a data file, before it is turned into a message."""

    ident: str
    where: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: list[tuple[str, str]] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)


SINGLE_KEYS = {"folder", "kind", "hard", "note", "subject", "from", "client", "html", "charset", "cte",
               "subject-enc", "accents", "attach", "cc", "sig", "quote", "quote-from", "quote-subject",
               "quote-days", "quote-text"}
SECTIONS = {"body", "sig", "quote"}


def parse_file(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    cur: Entry | None = None
    section: str | None = None
    lines: list[str] = []

    def close_section() -> None:
        if cur is not None and section is not None:
            cur.sections[section] = "\n".join(lines).strip("\n")

    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        where = f"{path.name}:{n}"
        if line.startswith("=== "):
            close_section()
            cur = Entry(line[4:].strip(), where)
            entries.append(cur)
            section, lines = None, []
        elif cur is None:
            if line.strip() and not line.startswith("#"):
                raise DataError(f"{where}: text before the first `=== ID` line")
        elif line.startswith("--- ") and line[4:].strip() in SECTIONS:
            close_section()
            section, lines = line[4:].strip(), []
            if section in cur.sections:
                raise DataError(f"{where}: second `--- {section}` section in {cur.ident}")
        elif section is not None:
            lines.append(line.rstrip())
        elif line.strip() == "" or line.startswith("#"):
            continue
        else:
            key, sep, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if not sep:
                raise DataError(f"{where}: expected `key: value` or a `--- body` line, got {line!r}")
            if key == "header":
                name, sep2, hv = value.partition(":")
                if not sep2:
                    raise DataError(f"{where}: `header:` needs `Name: value`")
                cur.headers.append((name.strip(), hv.strip()))
            elif key in SINGLE_KEYS:
                if key in cur.fields:
                    raise DataError(f"{where}: `{key}` given twice in {cur.ident}")
                cur.fields[key] = value
            else:
                raise DataError(f"{where}: unknown key `{key}`")
    close_section()
    return entries


ADDRESS = re.compile(r"^(.*?)\s*<([^<>@\s]+@[^<>@\s]+)>$")


def parse_address(value: str, where: str) -> tuple[str, str]:
    if value == "@osce":
        return OFFICE
    found = ADDRESS.match(value)
    if not found:
        raise DataError(f"{where}: `{value}` is not `Name <addr>`")
    return found.group(1).strip().strip('"'), found.group(2)


@dataclass
class Message:
    """A consultation ready to be dressed, with its label."""

    ident: str
    folder: str
    kind: str
    hard: list[str]
    note: str
    spec: object  # mailgen.Spec

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{SPLIT_SEED}:{self.ident}".encode()).hexdigest()

    @property
    def split(self) -> str:
        return "tune" if int(self.digest[:8], 16) % 100 < TUNE_PERCENT else "heldout"

    @property
    def file(self) -> str:
        return self.digest[8:18] + ".eml"


def snippet(value: str, snippets: dict[str, str], where: str) -> str:
    if not value.startswith("@"):
        raise DataError(f"{where}: expected an @snippet, got {value!r}")
    if value not in snippets:
        raise DataError(f"{where}: unknown snippet {value}")
    return snippets[value]


def to_message(e: Entry, snippets: dict[str, str]) -> Message:
    f = e.fields
    for key in ("folder", "kind", "note", "subject"):
        if key not in f:
            raise DataError(f"{e.where}: {e.ident} has no `{key}`")
    if f["folder"] not in FOLDERS:
        raise DataError(f"{e.where}: folder `{f['folder']}` is not one of {', '.join(FOLDERS)}")
    if f["kind"] not in KINDS:
        raise DataError(f"{e.where}: kind `{f['kind']}` is not one of {', '.join(KINDS)}")
    hard = [h.strip() for h in f.get("hard", "").split(",") if h.strip()]
    for h in hard:
        if h not in WRITTEN_HARD:
            raise DataError(f"{e.where}: hard class `{h}` is not one of {', '.join(WRITTEN_HARD)}")
    if "body" not in e.sections:
        raise DataError(f"{e.where}: {e.ident} has no `--- body` section")
    if "sig" in f and "sig" in e.sections:
        raise DataError(f"{e.where}: {e.ident} has both `sig:` and a `--- sig` section")
    sig = snippet(f["sig"], snippets, e.where) if "sig" in f else e.sections.get("sig")

    quote = rfc822 = None
    if "quote" in f:
        kind = f["quote"]
        if kind not in ("reply", "forward", "rfc822"):
            raise DataError(f"{e.where}: quote `{kind}` is not reply, forward or rfc822")
        if "quote-text" in f and "quote" in e.sections:
            raise DataError(f"{e.where}: {e.ident} has both `quote-text:` and a `--- quote` section")
        text = snippet(f["quote-text"], snippets, e.where) if "quote-text" in f else e.sections.get("quote")
        if text is None:
            raise DataError(f"{e.where}: {e.ident} quotes nothing (`quote-text:` or `--- quote`)")
        frm = parse_address(f.get("quote-from", "@osce"), e.where)
        q = mailgen.Quote(frm, text, f.get("quote-subject", ""), days_before=float(f.get("quote-days", "2")),
                          kind="forward" if kind == "rfc822" else kind)
        if kind == "rfc822":
            rfc822 = q
        else:
            quote = q
    elif "quote" in e.sections or "quote-text" in f:
        raise DataError(f"{e.where}: {e.ident} has a quoted text but no `quote:` kind")

    client = f.get("client")
    if client is not None and client not in set(mailgen.CLIENTS):
        raise DataError(f"{e.where}: unknown client `{client}`")
    html = f.get("html")
    if html is not None and html not in ("none", "alt", "only", "only_style"):
        raise DataError(f"{e.where}: html `{html}` is not none, alt, only or only_style")
    frm = parse_address(f["from"], e.where) if "from" in f else signer_address(e.ident, e.sections["body"], client)
    spec = mailgen.Spec(
        folder=f["folder"], note=f["note"], subject=f["subject"], body=e.sections["body"], frm=frm,
        client=client, charset=f.get("charset"), cte=f.get("cte"), html=html, sig=sig, quote=quote,
        attach=[a.strip() for a in f.get("attach", "").split(",") if a.strip()],
        noaccents=f.get("accents", "yes") == "no",
        cc=[a.strip() for a in f.get("cc", "").split(",") if a.strip()],
        extra_headers=e.headers, subject_enc=f.get("subject-enc"), rfc822=rfc822)
    return Message(e.ident, f["folder"], f["kind"], hard + form_classes(spec), f["note"], spec)


NAME_LINE = re.compile(r"^(?:(?:Ing|Lic|Dr|Dra|Abog|Arq|CPC|Sr|Sra)\.\s)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?: [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+){1,3}$")
CLOSINGS = ("Saludos", "Atentamente", "Gracias", "Muchas gracias", "Atte", "Cordialmente", "Quedo", "Saludos cordiales")


def signer_address(ident: str, body: str, client: str | None) -> tuple[str, str] | None:
    """The sender of a message signed with a person's name and no `from:`: that person on a free mail service.

    Without a signature the dresser makes a person up (None).
    """
    lines = [ln.strip() for ln in body.strip().split("\n")[-3:]]
    name = next((ln for ln in lines if NAME_LINE.match(ln) and not ln.startswith(CLOSINGS)), None)
    if name is None:
        return None
    r = random.Random(f"{DRESS_SEED}-from-{ident}")
    words = [mailgen.strip_accents(w).lower().replace("ñ", "n") for w in name.split() if not w.endswith(".")]
    local = r.choice([".".join(words[:2]), words[0][0] + "".join(words[1:]), "_".join(words) + str(r.randint(1, 99))])
    domain = mailgen.FREE_DOMAINS.get(client or "", r.choice(["gmail.com", "gmail.com", "hotmail.com", "yahoo.es", "outlook.com"]))
    return (name if r.random() < 0.85 else ""), f"{local}@{domain}"


def form_classes(spec) -> list[str]:
    """The hard classes that follow from how the message is written and sent."""
    out = []
    if (spec.quote and spec.quote.kind == "forward") or spec.rfc822:
        out.append("reenvio")
    if spec.noaccents:
        out.append("sin-tildes")
    letters = [c for c in spec.body if c.isalpha()]
    if len(letters) > 20 and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        out.append("mayusculas")
    if spec.body and "\n" not in spec.body.strip() and len(spec.body) <= 200:
        out.append("una-linea")
    if NEW_NAMES.search(spec.subject + "\n" + spec.body):
        out.append("nombres-nuevos")
    return out


def load() -> list[Message]:
    entries = [e for path in sorted(DATA.glob("*.txt")) for e in parse_file(path)]
    snippets: dict[str, str] = {}
    for e in entries:
        if e.ident.startswith("@"):
            if e.ident in snippets:
                raise DataError(f"{e.where}: snippet {e.ident} defined twice")
            if set(e.sections) != {"body"} or e.fields:
                raise DataError(f"{e.where}: snippet {e.ident} must hold only a `--- body` section")
            snippets[e.ident] = e.sections["body"]
    messages, seen = [], {}
    for e in entries:
        if e.ident.startswith("@"):
            continue
        if not re.fullmatch(r"[a-z0-9-]+", e.ident):
            raise DataError(f"{e.where}: message id `{e.ident}` must be lower-case letters, digits and '-'")
        if e.ident in seen:
            raise DataError(f"{e.where}: message id {e.ident} already used at {seen[e.ident]}")
        seen[e.ident] = e.where
        messages.append(to_message(e, snippets))
    return messages


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------

LIMA = dt.timezone(dt.timedelta(hours=-5))
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 6, 10, 12, 12, 11, 8, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 2]


def arrival(ident: str) -> dt.datetime:
    """When the message reached the mailbox: any day from May 2025 to October 2026, mostly office hours."""
    r = random.Random(f"{DRESS_SEED}-when-{ident}")
    day = dt.datetime(2025, 5, 5, tzinfo=LIMA) + dt.timedelta(days=r.randrange(540))
    hour = r.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return day.replace(hour=hour, minute=r.randrange(60), second=r.randrange(60))


def html_only(raw: bytes) -> bool:
    """The message's text is HTML alone: no text/plain part outside attachments."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    kinds = {p.get_content_type() for p in msg.walk() if not p.is_attachment()}
    return "text/html" in kinds and "text/plain" not in kinds


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


LABELS_HEAD = {
    "tune": "# The tuning part of the development routing corpus (generated by tests/routing/make.py; do not edit).",
    "heldout": "# The HELD-OUT part of the development routing corpus (generated by tests/routing/make.py; do not\n"
               "# edit). Never read these messages while writing rules or weights: see tests/routing/README.md.",
}


def labels_toml(split: str, messages: list[Message]) -> str:
    out = [LABELS_HEAD[split],
           "# folder: SEACE | RNP | Legal | Por clasificar; kind: consulta | incidencia | reclamo | sugerencia;",
           "# hard: what makes the message hard to route (classes in tests/routing/README.md).", ""]
    for m in sorted(messages, key=lambda m: m.file):
        out += ["[[message]]", f"file = {toml_str(m.file)}", f"folder = {toml_str(m.folder)}",
                f"kind = {toml_str(m.kind)}", f"note = {toml_str(m.note)}"]
        if m.hard:
            out.append("hard = [" + ", ".join(toml_str(h) for h in m.hard) + "]")
        out.append("")
    return "\n".join(out)


def outputs(messages: list[Message]) -> dict[Path, bytes]:
    """Every file make.py writes, by path."""
    files: dict[Path, bytes] = {}
    for m in messages:
        data = mailgen.render(f"{DRESS_SEED}-{m.ident}", m.spec, arrival(m.ident))
        files[HERE / m.split / m.file] = data
        if html_only(data) and "html-solo" not in m.hard:
            # Also when the client chose it (webmail often sends HTML alone): known only once rendered.
            m.hard.append("html-solo")
    for split in SPLITS:
        part = [m for m in messages if m.split == split]
        files[HERE / split / "labels.toml"] = labels_toml(split, part).encode("utf-8")
    return files


def on_disk() -> set[Path]:
    return {p for split in SPLITS for p in (HERE / split).glob("*") if p.suffix in (".eml", ".toml")}


def build() -> int:
    messages = load()
    files = outputs(messages)
    for split in SPLITS:
        (HERE / split).mkdir(exist_ok=True)
    for stale in on_disk() - files.keys():
        stale.unlink()
    for path, data in files.items():
        path.write_bytes(data)
    readme = HERE / "README.md"
    readme.write_text(readme_with_census(readme.read_text(encoding="utf-8"), messages), encoding="utf-8")
    census(messages)
    return 0


# --------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------


def check() -> int:
    messages = load()
    expected = outputs(messages)
    problems = 0
    for path in sorted(on_disk() - expected.keys()):
        print(f"{path.relative_to(HERE)}: not written by make.py (stale file?)")
        problems += 1
    for path, data in sorted(expected.items()):
        rel = path.relative_to(HERE)
        if not path.exists():
            print(f"{rel}: missing (run python3 tests/routing/make.py)")
            problems += 1
        elif path.read_bytes() != data:
            print(f"{rel}: differs from what make.py writes (run python3 tests/routing/make.py)")
            problems += 1

    readme = (HERE / "README.md").read_text(encoding="utf-8")
    if readme_with_census(readme, messages) != readme:
        print("README.md: its counts differ from the corpus (run python3 tests/routing/make.py)")
        problems += 1

    # Labels and files agree, split by split.
    for split in SPLITS:
        labels_path = HERE / split / "labels.toml"
        if not labels_path.exists():
            continue
        labels = tomllib.loads(labels_path.read_text(encoding="utf-8")).get("message", [])
        names = sorted(p.name for p in (HERE / split).glob("*.eml"))
        if sorted(lb["file"] for lb in labels) != names:
            print(f"{split}/labels.toml: the labelled files and the .eml files differ")
            problems += 1
        for lb in labels:
            if lb.get("folder") not in FOLDERS or lb.get("kind") not in KINDS or not lb.get("note") \
                    or any(h not in HARD for h in lb.get("hard", [])):
                print(f"{split}/labels.toml: bad label {lb}")
                problems += 1

    # Every message parses back cleanly.
    stats: Counter[str] = Counter()
    for path in sorted(p for p in on_disk() if p.suffix == ".eml"):
        errs = mailgen.message_problems(path.read_bytes(), lambda k: stats.update([k]))
        if errs:
            print(f"{path.relative_to(HERE)}: " + "; ".join(sorted(set(errs))))
            problems += 1

    # The hand-written hard classes that can be verified from the message's shape.
    for m in messages:
        spec = m.spec
        if "asunto-antiguo" in m.hard and not (REPLY_PREFIX.match(spec.subject) and (spec.quote or spec.rfc822)):
            print(f"{m.ident}: asunto-antiguo without a reply or forward subject and a quoted message")
            problems += 1
        if "cita" in m.hard and not (spec.quote or spec.rfc822):
            print(f"{m.ident}: cita without a quoted or forwarded message")
            problems += 1
        if "firma" in m.hard and not spec.sig:
            print(f"{m.ident}: firma without a signature (`sig:` or `--- sig`)")
            problems += 1

    # No consultation written twice.
    bodies: dict[str, str] = {}
    for m in messages:
        key = " ".join(m.spec.body.lower().split())
        if key in bodies:
            print(f"{m.ident}: same text as {bodies[key]}")
            problems += 1
        bodies[key] = m.ident

    for k in sorted(stats):
        print(f"  {k}: {stats[k]}")
    census(messages)
    print(f"{len(messages)} messages, {problems} problems")
    return 1 if problems else 0


CENSUS_START, CENSUS_END = "<!-- census: written by make.py -->", "<!-- /census -->"


def census_markdown(messages: list[Message]) -> str:
    """The counts README.md shows, between its census markers."""
    total = len(messages)
    per_split = lambda pick: {s: sum(1 for m in messages if m.split == s and pick(m)) for s in SPLITS}  # noqa: E731
    out = ["| folder | tune | heldout | total | share |", "|---|---:|---:|---:|---:|"]
    for folder in FOLDERS:
        n = per_split(lambda m: m.folder == folder)
        both = n["tune"] + n["heldout"]
        out.append(f"| {folder} | {n['tune']} | {n['heldout']} | {both} | {both / max(total, 1):.0%} |")
    n = per_split(lambda m: True)
    out.append(f"| **total** | **{n['tune']}** | **{n['heldout']}** | **{total}** | |")
    out += ["", "| kind | tune | heldout |", "|---|---:|---:|"]
    for k in KINDS:
        n = per_split(lambda m: m.kind == k)
        out.append(f"| {k} | {n['tune']} | {n['heldout']} |")
    out += ["", "| hard class | tune | heldout |", "|---|---:|---:|"]
    for h in HARD:
        n = per_split(lambda m: h in m.hard)
        out.append(f"| `{h}` | {n['tune']} | {n['heldout']} |")
    for label, pick in (("hard by content (any hand-written class)", lambda m: any(h in WRITTEN_HARD for h in m.hard)),
                        ("any hard class", lambda m: bool(m.hard))):
        n = per_split(pick)
        both = n["tune"] + n["heldout"]
        out.append(f"| **{label}** | **{n['tune']}** | **{n['heldout']}** |")
    shares = []
    for label, pick in (("hard by content", lambda m: any(h in WRITTEN_HARD for h in m.hard)),
                        ("any hard class", lambda m: bool(m.hard))):
        n = sum(1 for m in messages if pick(m))
        shares.append(f"{label}: {n} of {total} ({n / max(total, 1):.0%})")
    out += ["", "; ".join(shares) + "."]
    return "\n".join(out)


def readme_with_census(text: str, messages: list[Message]) -> str:
    start, end = text.index(CENSUS_START) + len(CENSUS_START), text.index(CENSUS_END)
    return text[:start] + "\n" + census_markdown(messages) + "\n" + text[end:]


def census(messages: list[Message]) -> None:
    """Counts per folder and split, kinds and hard classes: the figures README.md quotes."""
    total = len(messages)
    print(f"{'folder':<16}{'tune':>6}{'heldout':>9}{'total':>7}{'share':>8}")
    for folder in FOLDERS + ("total",):
        row = [m for m in messages if folder in ("total", m.folder)]
        n = {s: sum(1 for m in row if m.split == s) for s in SPLITS}
        print(f"{folder:<16}{n['tune']:>6}{n['heldout']:>9}{len(row):>7}{len(row) / max(total, 1):>8.0%}")
    kinds = Counter(m.kind for m in messages)
    print("kinds: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
    hard = Counter(h for m in messages for h in m.hard)
    print("hard classes: " + ", ".join(f"{h} {hard[h]}" for h in HARD if hard[h]))
    written = sum(1 for m in messages if any(h in WRITTEN_HARD for h in m.hard))
    any_hard = sum(1 for m in messages if m.hard)
    print(f"hard by content (negacion … vago): {written} ({written / max(total, 1):.0%}); "
          f"any hard class: {any_hard} ({any_hard / max(total, 1):.0%})")


if __name__ == "__main__":
    try:
        sys.exit(check() if "--check" in sys.argv[1:] else build())
    except DataError as e:
        print(f"make.py: {e}", file=sys.stderr)
        sys.exit(2)
