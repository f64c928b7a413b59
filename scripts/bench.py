#!/usr/bin/env python3
"""The triage benchmark (issue 7): imapfilter, the floor (a minimal batched IMAP client) and `triaje once`
(SQLite and PostgreSQL) on the same private Dovecot, the mailbox reset before each contender.

Usage: scripts/bench [--sizes 1000,5000,20000]   (writes bench/RESULTS.md)

For profiling one contender: `scripts/bench --sizes 2500 --only sqlite --keep --no-write` leaves the stack up
with its seeded folders; `--reuse` then skips the restart and the seeding; `--wrap "valgrind --tool=callgrind"`
runs triaje under a profiler. The other options never change what a full run measures.

Messages are realistic consultations built from tests/corpus (Spanish, 2-20 KB bodies, some HTML, one in 200 with
an attachment of 0.2-2 MB), deterministic. Each contender's wall time, CPU time and peak RSS are measured with
/usr/bin/time; triaje's run only counts if every message ended in a folder with a record.
"""
import argparse
import base64
import email
import email.message
import email.policy
import imaplib
import os
import pathlib
import platform
import random
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
IMAP_PORT = int(os.environ.get("BENCH_IMAP_PORT", "12143"))
SMTP_PORT, LMTP_PORT = IMAP_PORT - 118, IMAP_PORT - 119
# The PostgreSQL server the postgres contender uses (trust auth, user postgres, a database `test` to connect to):
# the machine's shared one by default; another port for a private server that logs or counts statements.
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
CONTENDERS = ["imapfilter", "floor", "sqlite", "postgres"]
REPEAT = [1]  # runs per cell, set from --repeat (written into the results' header)
USER = "consultas@osce.test"
# The kinds' folders too (README «Incidencias, reclamos y sugerencias»): some generated messages report a failure.
FOLDERS = ["SEACE", "RNP", "Legal", "Incidencias", "Reclamos", "Sugerencias", "Por clasificar", "Errores"]
# «Automáticos», in IMAP's modified UTF-7: machine mail (README «Machine mail»), recorded, never given keywords.
AUTOMATIC = "Autom&AOE-ticos"
AUTOMATIC_NAME = "Automáticos"
PARAGRAPH = ("Les escribo para consultar sobre el procedimiento de seleccion convocado por la entidad, pues el "
             "sistema no me permite continuar con el registro y necesito presentar la documentacion dentro del "
             "plazo establecido en el cronograma publicado. ")


def imap(user=USER):
    c = imaplib.IMAP4("127.0.0.1", IMAP_PORT)
    c.login(user, "secret")
    return c


def corpus():
    out = []
    for p in sorted((ROOT / "tests" / "corpus").glob("*.eml")):
        out.append(email.message_from_bytes(p.read_bytes(), policy=email.policy.default))
    return out


def build(n, seed=7):
    """n messages (bytes), deterministic."""
    rng = random.Random(seed)
    base = corpus()
    msgs = []
    for i in range(n):
        m = base[i % len(base)]
        text = ""
        body = m.get_body(("plain", "html"))
        if body is not None:
            text = body.get_content()
        target = rng.randint(2_000, 20_000)
        filler = (PARAGRAPH * (target // len(PARAGRAPH) + 1))[: max(0, target - len(text))]
        out = email.message.EmailMessage()
        out["From"] = m["From"] or "ciudadano@example.test"
        out["To"] = USER
        out["Subject"] = f"{m['Subject'] or 'Consulta'} ({i})"
        out["Message-ID"] = f"<bench{i}.{seed}@example.test>"
        out["Date"] = "Mon, 23 Nov 2026 10:00:00 -0500"
        full = text + "\n\n" + filler
        if i % 5 == 0:
            out.set_content(full)
            out.add_alternative("<html><body><p>" + full.replace("\n", "<br>") + "</p></body></html>", subtype="html")
        else:
            out.set_content(full)
        if i % 200 == 7:
            size = rng.randint(200_000, 2_000_000)
            out.add_attachment(rng.randbytes(size), maintype="application", subtype="pdf", filename=f"anexo{i}.pdf")
        msgs.append(out.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return msgs


def seeded(name, n):
    """Whether folder `name` already holds the n pristine messages (a stack kept by `--keep`)."""
    try:
        return count(name) == n
    except Exception:
        return False


def seed_folder(msgs, name):
    """Keeps a pristine copy of the messages in folder `name` (APPENDed once per size)."""
    c = imap()
    c.create(f'"{name}"')
    for raw in msgs:
        c.append(f'"{name}"', None, None, raw)
    c.logout()


def reset(seed_name):
    """Empties every folder and copies the pristine messages into INBOX (server-side)."""
    c = imap()
    for f in FOLDERS + ["INBOX"]:
        typ, data = c.select(f'"{f}"')
        if typ == "OK" and int(data[0]) > 0:
            c.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            c.expunge()
    c.select(f'"{seed_name}"', readonly=True)
    c.uid("COPY", "1:*", "INBOX")
    c.logout()


def count(folder, user=USER):
    c = imap(user)
    typ, data = c.select(f'"{folder}"', readonly=True)
    c.logout()
    return int(data[0]) if typ == "OK" else 0


def fresh_user(tag, seed_name):
    """A new mailbox user whose INBOX holds a server-side copy of the pristine messages (doveadm copy).

    Each triaje run gets its own, so no run profits from another's traces: Dovecot keeps every keyword a folder has
    ever seen (and its index caches), and when triaje still tagged each message with its ticket, the second backend
    on one INBOX reused the first run's keywords and skipped the cost of creating them (one `* FLAGS` list of all
    keywords per new one), which made SQLite look 20 times slower than PostgreSQL at N = 20,000. A fresh user is
    what a new installation sees.
    """
    stack = BENCH / "mailstack"
    local = f"{tag}-{int(time.time() * 1000)}"
    user = f"{local}@osce.test"
    with open(stack / "users", "a") as users:
        users.write(f"{user}:{{PLAIN}}secret:{os.stat(stack / 'mail').st_uid}:"
                    f"{os.stat(stack / 'mail').st_gid}::{stack / 'mail' / 'osce.test' / local}\n")
    copy = ["doveadm", "-c", str(stack / "dovecot.conf"), "copy", "-u", user, "INBOX", "user", USER, "mailbox",
            seed_name]
    # Dovecot notices the changed users file by its modification time: give it a moment (exit 67: no such user).
    for _ in range(10):
        res = subprocess.run(copy, capture_output=True, text=True)
        if res.returncode == 0:
            return user
        time.sleep(1)
    sys.exit(f"doveadm copy for {user} failed ({res.returncode}): {res.stderr}")


def measure(cmd, env=None):
    """Runs `cmd` under /usr/bin/time; returns (wall s, cpu s, peak RSS MB)."""
    start = time.monotonic()
    res = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    if res.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    user, system, rss = res.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(rss) / 1024


IMAPFILTER = """
options.timeout = 300
options.create = true
options.subscribe = false
account = IMAP {{ server = '127.0.0.1', port = {port}, username = '{user}', password = 'secret' }}
inbox = account.INBOX
local all = inbox:select_all()
local legal = inbox:contain_subject('penalidad') + inbox:contain_body('penalidad') + inbox:contain_body('arbitraje')
legal:move_messages(account['Legal'])
local rnp = inbox:contain_subject('RNP') + inbox:contain_body('Registro Nacional de Proveedores')
rnp:move_messages(account['RNP'])
local seace = inbox:contain_subject('SEACE') + inbox:contain_body('SEACE')
seace:move_messages(account['SEACE'])
"""

FLOOR = r'''
import imaplib, re, sys
c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); c.login(sys.argv[2], "secret"); c.select("INBOX")
uids = c.uid("SEARCH", None, "ALL")[1][0].split()
dest = {"SEACE": [], "RNP": [], "Legal": []}
for i in range(0, len(uids), 500):
    chunk = b",".join(uids[i:i + 500]).decode()
    typ, data = c.uid("FETCH", chunk, "(UID BODY.PEEK[])")
    for item in data:
        if not isinstance(item, tuple):
            continue
        uid = re.search(rb"UID (\d+)", item[0]).group(1).decode()
        body = item[1].lower()
        f = "Legal" if b"penalidad" in body else "RNP" if b"rnp" in body else "SEACE" if b"seace" in body else None
        if f:
            dest[f].append(uid)
for f, u in dest.items():
    if u:
        c.uid("MOVE", ",".join(u), f)
c.logout()
'''


def triaje_config(data, db_url, user):
    data.mkdir(parents=True, exist_ok=True)
    cfg = data / "config.toml"
    cfg.write_text(f"""data_dir = "{data}"
database_url = "{db_url}"
rules_dir = "{ROOT / 'rules'}"

[acknowledgement]
enabled = false

[[mailbox]]
name = "consultas"
address = "{user}"
[mailbox.imap]
host = "127.0.0.1"
port = {IMAP_PORT}
tls = "none"
username = "{user}"
password = "secret"
""")
    return cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--only", default=",".join(CONTENDERS),
                    help=f"comma-separated subset of {','.join(CONTENDERS)} (ratios need imapfilter and floor)")
    ap.add_argument("--keep", action="store_true", help="leave the mail stack and its seeded folders up")
    ap.add_argument("--reuse", action="store_true", help="use a stack left up by --keep (no restart, no reseed)")
    ap.add_argument("--wrap", default="", help="command prefix for triaje, e.g. 'valgrind --tool=callgrind'")
    ap.add_argument("--no-write", action="store_true", help="print the figures, leave bench/RESULTS.md alone")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per cell; the table shows the run with the median wall time (the VM is noisy)")
    ap.add_argument("--log", default="error",
                    help="triaje's log level (debug shows each batch's phases); the log goes to target/bench/triaje-*/once.log")
    args = ap.parse_args()
    REPEAT[0] = args.repeat
    sizes = [int(s) for s in args.sizes.split(",")]
    only = args.only.split(",")
    if unknown := set(only) - set(CONTENDERS):
        sys.exit(f"--only: unknown contenders {sorted(unknown)}; known: {CONTENDERS}")
    wrap = shlex.split(args.wrap)
    binary = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "triaje"
    env = dict(os.environ, MAILSTACK_DIR=str(BENCH / "mailstack"), IMAP_PORT=str(IMAP_PORT),
               SMTP_PORT=str(SMTP_PORT), LMTP_PORT=str(LMTP_PORT), MAILSTACK_USERS=USER)
    if not args.reuse:
        subprocess.run([str(ROOT / "scripts/mailstack/down.sh")], env=env, capture_output=True)
        shutil.rmtree(BENCH, ignore_errors=True)
        BENCH.mkdir(parents=True)
        with open(BENCH / "mailstack-up.log", "w") as log:
            subprocess.run([str(ROOT / "scripts/mailstack/up.sh")], env=env, stdout=log, stderr=log, check=True)
    lua = BENCH / "imapfilter.lua"
    lua.write_text(IMAPFILTER.format(port=IMAP_PORT, user=USER))
    floor = BENCH / "floor.py"
    floor.write_text(FLOOR)
    rows = []
    try:
        for n in sizes:
            print(f"== N = {n}: building and seeding", flush=True)
            msgs = build(n)
            mb = sum(len(m) for m in msgs) / 1e6
            seed_name = f"Semilla{n}"
            if not (args.reuse and seeded(seed_name, n)):
                seed_folder(msgs, seed_name)
            del msgs
            results = {}
            if "imapfilter" in only:
                runs = []
                for _ in range(args.repeat):
                    reset(seed_name)
                    runs.append(measure(["imapfilter", "-c", str(lua)]))
                results["imapfilter"] = median(runs)
            if "floor" in only:
                runs = []
                for _ in range(args.repeat):
                    reset(seed_name)
                    runs.append(measure([sys.executable, str(floor), str(IMAP_PORT), USER]))
                results["floor"] = median(runs)
            for backend in [b for b in ["sqlite", "postgres"] if b in only]:
                runs = [run_triaje(args, binary, wrap, backend, n, seed_name) for _ in range(args.repeat)]
                results[f"triaje ({backend})"] = median(runs)
            for name, (wall, cpu, rss) in results.items():
                if "imapfilter" in results and "floor" in results:
                    rows.append((n, mb, name, wall, cpu, rss, results["imapfilter"][0], results["floor"][0]))
                print(f"  {name:<18} {wall:7.2f} s  cpu {cpu:6.2f} s  rss {rss:6.1f} MB", flush=True)
    finally:
        if not args.keep:
            subprocess.run([str(ROOT / "scripts/mailstack/down.sh")], env=env, capture_output=True)
    if not args.no_write:
        write_results(rows)


def median(runs):
    """The run (wall, cpu, rss) with the median wall time."""
    return sorted(runs)[len(runs) // 2]


def run_triaje(args, binary, wrap, backend, n, seed_name):
    """One `triaje once` on a fresh mailbox user and an empty store, checked afterwards; returns its measure."""
    user = fresh_user(f"{backend}{n}", seed_name)
    data = BENCH / f"triaje-{backend}-{n}"
    shutil.rmtree(data, ignore_errors=True)
    if backend == "sqlite":
        url = f"sqlite://{data / 'triaje.db'}"
    else:
        name = f"triaje_bench_{n}"
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "-d", "test", "-c",
                        f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "-d", "test", "-c",
                        f"CREATE DATABASE {name}"], check=True)
        url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{name}"
    cfg = triaje_config(data, url, user)
    subprocess.run([str(binary), "--config", str(cfg), "--log", "error", "migrate"], check=True,
                   capture_output=True)
    result = measure(["sh", "-c", 'exec "$@" 2>"$0"', str(data / "once.log")]
                     + wrap + [str(binary), "--config", str(cfg), "--log", args.log, "once", "--quiet"])
    # A fast run that skipped work does not count. The generated mail holds out-of-office replies and bounces:
    # triaje files them in «Automáticos», recorded apart from the consultations («Correo automático: N»).
    status = subprocess.run([str(binary), "--config", str(cfg), "status"], capture_output=True,
                            text=True).stdout
    recorded = int(re.search(r"Registradas: (\d+)", status).group(1))
    automatic = re.search(r"Correo automático[^:]*: (\d+)", status)
    recorded += int(automatic.group(1)) if automatic else 0
    if count("INBOX", user) != 0 or recorded != n:
        sys.exit(f"triaje ({backend}) N={n}: inbox {count('INBOX', user)}, recorded {recorded}")
    check_filing(backend, n, user, url)
    # The copy is large (20,000 messages ≈ 230 MB) and no longer needed.
    shutil.rmtree(BENCH / "mailstack" / "mail" / "osce.test" / user.split("@")[0], ignore_errors=True)
    return result


def register(url):
    """{Message-ID: (folder, availability)} from triaje's store (SQLite file or PostgreSQL database)."""
    query = "SELECT message_id, folder, availability FROM consultations"
    if url.startswith("sqlite://"):
        import sqlite3
        db = sqlite3.connect(url[len("sqlite://"):])
        rows = db.execute(query).fetchall()
        db.close()
    else:
        out = subprocess.run(["psql", "-At", "-F", "\t", url, "-c", query], capture_output=True, text=True,
                             check=True).stdout
        rows = [line.split("\t") for line in out.splitlines() if line]
    return {mid: (folder, availability) for mid, folder, availability in rows}


def check_filing(backend, n, user, url):
    """Every message is in the folder its record names and carries its availability and due-date keywords."""
    recorded = register(url)
    c = imap(user)
    checked = 0
    for folder in FOLDERS + [AUTOMATIC]:
        typ, data = c.select(f'"{folder}"', readonly=True)
        if typ != "OK" or int(data[0]) == 0:
            continue
        typ, data = c.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        for item in data:
            if not isinstance(item, tuple):
                continue
            flags = re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split()
            mid = re.search(rb"<([^>]*)>", item[1]).group(1).decode()
            if mid.startswith("ficha."):
                continue  # triaje's ticket note beside a consultation, not a citizen's message
            where = recorded.get(mid)
            if where is None or where[0] != (AUTOMATIC_NAME if folder == AUTOMATIC else folder):
                sys.exit(f"triaje ({backend}) N={n}: <{mid}> is in {folder}, the register says {where}")
            if folder == AUTOMATIC:
                pass  # machine mail: no availability, no deadline, so no keywords
            elif where[1] not in flags or not any(f.startswith("Vence_") for f in flags):
                sys.exit(f"triaje ({backend}) N={n}: <{mid}> in {folder} lacks its keywords: {flags}")
            checked += 1
    c.logout()
    if checked != n:
        sys.exit(f"triaje ({backend}) N={n}: {checked} messages checked, {n} expected")


def write_results(rows):
    cpu = "unknown"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", pathlib.Path("/proc/cpuinfo").read_text()).group(1)
    except Exception:
        pass
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores ({cpu}), {platform.platform()}; Dovecot and imapfilter",
        f"from Debian; triaje release build; the run with the median wall time of {REPEAT[0]} per cell (times in seconds,",
        "wall clock). Produced by",
        "`scripts/bench`; the mailbox is reset (server-side copy from a pristine folder) before each contender.",
        "",
        "| N | MB | contender | wall s | CPU s | peak RSS MB | msgs/s | vs imapfilter | vs floor |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, mb, name, wall, cpu_s, rss, imf, floor in rows:
        lines.append(f"| {n} | {mb:.0f} | {name} | {wall:.2f} | {cpu_s:.2f} | {rss:.1f} | {n / wall:.0f} | "
                     f"{wall / imf:.2f}× | {wall / floor:.2f}× |")
    out = ROOT / "bench" / "RESULTS.md"
    out.parent.mkdir(exist_ok=True)
    previous = out.read_text() if out.exists() else ""
    notes = previous.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in previous else "\n"
    out.write_text("\n".join(lines) + "\n\n<!-- notes -->" + notes)
    print(f"written {out}")


if __name__ == "__main__":
    main()
