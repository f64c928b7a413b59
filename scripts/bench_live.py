#!/usr/bin/env python3
"""The running daemon's benchmarks (issue 7): IDLE latency and 1 vs 3 daemons on 27 mailboxes.

Usage: scripts/bench-live [--idle-messages 200] [--per-mailbox 300] [--drafts 30] [--only drafts]
       (writes bench/LIVE.md; with --only drafts, only its reply-latency section)

1. IDLE latency: `triaje run` (SQLite) idles on consultas@; messages are sent over SMTP (Postfix delivering into
   Dovecot) one at a time at random intervals (0.05-1.0 s). Latency = the instant triaje recorded the message as
   filed (`filed_at` in its store, ms) minus the instant Postfix accepted it (after its 250): delivery through
   Postfix and LMTP, IDLE wake-up, fetch, classify, record, move.
2. Scale-out: 27 mailboxes on one PostgreSQL; 1 and then 3 `triaje run` are started and share the mailboxes out,
   then the same backlog lands in every INBOX at once (server-side copy); the time until the store says every
   message is filed, with the daemons' CPU time over that span.
3. Reply latency (issue 14): `triaje run` with SMTP on consultas@, `[replies] check_seconds = 600` (so only the
   reply folders' own watchers can act quickly) and Dovecot's IDLE keepalive at 10 s (`imap_idle_notify_interval`,
   «* OK Still here», which used to restart the inbox's IDLE timeout); N consultations are filed, then the
   assistant's drafts are APPENDed into «Por enviar» one at a time, 1-4 s apart, while the inbox stays quiet.
   Latency = the instant the SMTP server accepted the reply (`sent_at` in the outbox) and the instant it was in
   the citizen's INBOX, minus the instant the APPEND of the draft completed.
All on a private Dovecot + Postfix on loopback (ports 14143/14025/14024); triaje release build.
"""
import argparse
import email.message
import imaplib
import os
import pathlib
import platform
import random
import shutil
import smtplib
import sqlite3
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench-live"
IMAP_PORT, SMTP_PORT, LMTP_PORT = 14143, 14025, 14024
CONSULTAS = "consultas@osce.test"
MAILBOXES = [f"m{i:02}@osce.test" for i in range(1, 28)]
FOLDERS = ["SEACE", "RNP", "Legal", "Por clasificar", "Errores"]
BODIES = [
    ("Clave del SEACE", "No puedo ingresar al SEACE, mi usuario esta bloqueado y olvide la contrasena."),
    ("Renovacion RNP", "Quiero renovar mi inscripcion en el Registro Nacional de Proveedores."),
    ("Consulta sobre contrato", "La entidad no me paga la valorizacion del contrato, que puedo hacer segun la ley."),
    ("Consulta", "Buenos dias, quisiera informacion general sobre la oficina."),
]
FILLER = ("Les escribo para consultar sobre el procedimiento de seleccion convocado por la entidad, pues el sistema "
          "no me permite continuar con el registro y necesito presentar la documentacion dentro del plazo. ")


def binary():
    return pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "triaje"


def message(to, mid, n, size=4000):
    subject, body = BODIES[n % len(BODIES)]
    m = email.message.EmailMessage()
    m["From"] = f"ciudadano{n % 5 + 1}@example.test"
    m["To"] = to
    m["Subject"] = f"{subject} ({n})"
    m["Message-ID"] = f"<{mid}>"
    m.set_content(body + "\n\n" + (FILLER * (size // len(FILLER) + 1))[:size])
    return m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def config(path, data, db_url, mailboxes, replies=""):
    text = f"""data_dir = "{data}"
database_url = "{db_url}"
rules_dir = "{ROOT / 'rules'}"

[triage]
poll_seconds = 30

[acknowledgement]
enabled = false
{replies}
"""
    for address in mailboxes:
        text += f"""
[[mailbox]]
name = "{address.split('@')[0]}"
address = "{address}"
[mailbox.imap]
host = "127.0.0.1"
port = {IMAP_PORT}
tls = "none"
username = "{address}"
password = "secret"
"""
        if replies:
            text += f"""[mailbox.smtp]
host = "127.0.0.1"
port = {SMTP_PORT}
tls = "none"
"""
    path.write_text(text)


def imap(user):
    c = imaplib.IMAP4("127.0.0.1", IMAP_PORT)
    c.login(user, "secret")
    return c


def start(cfg, log):
    return subprocess.Popen([str(binary()), "--config", str(cfg), "--log", "warn", "run"],
                            stdout=subprocess.DEVNULL, stderr=open(log, "w"))


def cpu_seconds(pid):
    """User + system CPU of a live process, from /proc."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=120)


def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", sql], check=True,
                   capture_output=True)


def idle_latency(count, seed=11):
    rng = random.Random(seed)
    data = WORK / "idle"
    data.mkdir(parents=True)
    cfg = data / "config.toml"
    config(cfg, data, f"sqlite://{data / 'triaje.db'}", [CONSULTAS])
    proc = start(cfg, data / "run.log")
    time.sleep(3)  # connected and idling
    sent = {}
    smtp = smtplib.SMTP("127.0.0.1", SMTP_PORT)
    for i in range(count):
        mid = f"idle{i}@example.test"
        raw = message(CONSULTAS, mid, i)
        smtp.sendmail(f"ciudadano{i % 5 + 1}@example.test", [CONSULTAS], raw)
        sent[mid] = time.time()
        time.sleep(rng.uniform(0.05, 1.0))
    smtp.quit()
    db = sqlite3.connect(data / "triaje.db")
    deadline = time.time() + 120
    while True:
        rows = dict(db.execute("SELECT message_id, filed_at FROM consultations WHERE filed_at IS NOT NULL"))
        if len(rows) >= count or time.time() > deadline:
            break
        time.sleep(0.5)
    stop([proc])
    missing = [m for m in sent if m not in rows]
    if missing:
        sys.exit(f"IDLE benchmark: {len(missing)} messages never filed (e.g. {missing[0]}); see {data / 'run.log'}")
    lat = sorted(rows[m] / 1000 - t for m, t in sent.items())
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {"n": count, "median": statistics.median(lat), "p90": q[89], "p99": q[98], "max": lat[-1]}


def reply_latency(count, seed=14):
    """Drafts dropped into «Por enviar» while the inbox is quiet: seconds until the reply was accepted by the SMTP
    server, and until it was in the citizen's INBOX."""
    rng = random.Random(seed)
    data = WORK / "drafts"
    data.mkdir(parents=True)
    cfg = data / "config.toml"
    config(cfg, data, f"sqlite://{data / 'triaje.db'}", [CONSULTAS],
           replies="\n[replies]\ncheck_seconds = 600\n\n[outbox]\nretry_first_seconds = 1\n")
    proc = start(cfg, data / "run.log")
    time.sleep(3)
    citizen = "ciudadano1@example.test"
    smtp = smtplib.SMTP("127.0.0.1", SMTP_PORT)
    for i in range(count):
        smtp.sendmail(citizen, [CONSULTAS], message(CONSULTAS, f"draft-q{i}@example.test", 0))
    smtp.quit()
    db = sqlite3.connect(data / "triaje.db")
    deadline = time.time() + 120
    while db.execute("SELECT COUNT(*) FROM consultations WHERE filed_at IS NOT NULL").fetchone()[0] < count:
        if time.time() > deadline:
            stop([proc])
            sys.exit(f"reply benchmark: consultations never filed; see {data / 'run.log'}")
        time.sleep(0.2)
    time.sleep(12)  # the inbox is quiet; its IDLE hears the server's keepalive
    office, inbox = imap(CONSULTAS), imap(citizen)
    sent, received = [], []
    for i in range(count):
        m = email.message.EmailMessage()
        m["From"] = CONSULTAS
        m["To"] = citizen
        m["Subject"] = f"RE: {BODIES[0][0]} ({i})"
        m["Message-ID"] = f"<draft-{i}@osce.test>"
        m["In-Reply-To"] = f"<draft-q{i}@example.test>"
        m["References"] = f"<draft-q{i}@example.test>"
        m.set_content("Le enviamos el enlace para restablecer su contraseña.\n\nAtentamente,\nAna Torres\n")
        raw = m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        inbox.select("INBOX")
        before = len(inbox.search(None, "ALL")[1][0].split())
        office.append('"Por enviar"', None, None, raw)
        dropped = time.time()
        while True:
            inbox.noop()
            if len(inbox.search(None, "ALL")[1][0].split()) > before:
                received.append(time.time() - dropped)
                break
            if time.time() - dropped > 120:
                stop([proc])
                sys.exit(f"reply benchmark: draft {i} never reached the citizen; see {data / 'run.log'}")
            time.sleep(0.02)
        row = db.execute("SELECT o.sent_at FROM outbox o JOIN consultations c ON c.id = o.consultation_id "
                         "WHERE o.kind = 'reply' AND c.message_id = ?", (f"draft-q{i}@example.test",)).fetchone()
        if row and row[0]:
            sent.append(row[0] / 1000 - dropped)
        time.sleep(rng.uniform(1.0, 4.0))
    office.logout()
    inbox.logout()
    stop([proc])

    def summary(values):
        values = sorted(values)
        q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
        return {"median": statistics.median(values), "p90": q[89], "max": values[-1]}

    return {"n": count, "sent": summary(sent), "received": summary(received)}


def reply_section(r):
    row = lambda name, s: (f"| {name} | {s['median']:.2f} s | {s['p90']:.2f} s | {s['max']:.2f} s | "
                           "≤ 2 s |")
    return "\n".join([
        f"## Reply latency ({r['n']} drafts dropped into «Por enviar» while the inbox is quiet; Dovecot's IDLE "
        "keepalive at 10 s; `check_seconds = 600`)",
        "",
        "From the completed APPEND of the draft to the SMTP server's acceptance of the reply, and to the reply in "
        "the citizen's INBOX (Postfix and LMTP delivery included).",
        "",
        "| until | median | p90 | max | goal |",
        "|---|---:|---:|---:|---|",
        row("accepted by the SMTP server", r["sent"]),
        row("in the citizen's INBOX", r["received"]),
        "",
    ])


def seed_mailboxes(per_mailbox):
    """Each mailbox gets a pristine folder `Semilla` with the backlog (built once, copied server-side)."""
    raws = [message("x", f"seed{i}@example.test", i, size=random.Random(i).randint(2000, 20000))
            for i in range(per_mailbox)]
    for user in MAILBOXES:
        c = imap(user)
        c.create("Semilla")
        for raw in raws:
            c.append("Semilla", None, None, raw)
        c.logout()


def empty_mailboxes():
    for user in MAILBOXES:
        c = imap(user)
        for f in FOLDERS + ["INBOX"]:
            typ, data = c.select(f'"{f}"')
            if typ == "OK" and int(data[0]) > 0:
                c.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                c.expunge()
        c.logout()


def deliver_backlogs():
    """The backlog lands in every INBOX at once (server-side copy), while the daemons idle."""
    for user in MAILBOXES:
        c = imap(user)
        c.select("Semilla", readonly=True)
        c.uid("COPY", "1:*", "INBOX")
        c.logout()


def balanced(url, instances):
    """True when every daemon holds its share of the 27 mailboxes."""
    out = subprocess.run(["psql", "-tA", url, "-c",
                          "SELECT COUNT(*) FROM leases WHERE name LIKE 'mailbox:%' GROUP BY holder"],
                         capture_output=True, text=True).stdout.split()
    share = -(-len(MAILBOXES) // instances)
    return len(out) == instances and sum(map(int, out)) == len(MAILBOXES) and all(int(n) <= share for n in out)


def scale_run(instances, per_mailbox):
    empty_mailboxes()
    name = f"triaje_live_{instances}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    data = WORK / f"scale{instances}"
    data.mkdir(parents=True)
    cfg = data / "config.toml"
    config(cfg, data, url, MAILBOXES)
    subprocess.run([str(binary()), "--config", str(cfg), "--log", "error", "migrate"], check=True,
                   capture_output=True)
    total = per_mailbox * len(MAILBOXES)
    procs = [start(cfg, data / f"run{k}.log") for k in range(instances)]
    # The daemons first share the mailboxes out (a few 5 s rounds), then the mail arrives: the figure is the
    # steady state of a running service, not a start-up race.
    deadline = time.time() + 120
    while not balanced(url, instances):
        if time.time() > deadline:
            sys.exit(f"scale-out with {instances}: the mailboxes were not shared out within 120 s")
        time.sleep(0.5)
    cpu0 = sum(cpu_seconds(p.pid) for p in procs)
    t0 = time.time()
    deliver_backlogs()
    deadline = t0 + 1800
    while True:
        out = subprocess.run(["psql", "-tA", url, "-c",
                              "SELECT COUNT(*) FROM consultations WHERE filed_at IS NOT NULL"],
                             capture_output=True, text=True).stdout.strip()
        if out and int(out) >= total:
            break
        if time.time() > deadline:
            sys.exit(f"scale-out with {instances}: only {out} of {total} filed")
        time.sleep(0.25)
    wall = time.time() - t0
    cpu = sum(cpu_seconds(p.pid) for p in procs) - cpu0
    rss = max(peak_rss_mb(p.pid) for p in procs)
    stop(procs)
    return {"instances": instances, "messages": total, "wall": wall, "cpu": cpu, "rss": rss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idle-messages", type=int, default=200)
    ap.add_argument("--per-mailbox", type=int, default=300)
    ap.add_argument("--drafts", type=int, default=30)
    ap.add_argument("--only", choices=["drafts"], help="run only this benchmark and update only its section")
    args = ap.parse_args()
    env = dict(os.environ, MAILSTACK_DIR=str(WORK / "mailstack"), IMAP_PORT=str(IMAP_PORT),
               SMTP_PORT=str(SMTP_PORT), LMTP_PORT=str(LMTP_PORT), IDLE_NOTIFY_SECONDS="10",
               MAILSTACK_USERS=" ".join([CONSULTAS] + MAILBOXES + [f"ciudadano{i}@example.test" for i in range(1, 6)]))
    subprocess.run([str(ROOT / "scripts/mailstack/down.sh")], env=env, capture_output=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    with open(WORK / "mailstack-up.log", "w") as log:
        subprocess.run([str(ROOT / "scripts/mailstack/up.sh")], env=env, stdout=log, stderr=log, check=True)
    if args.only == "drafts":
        try:
            print(f"== reply latency: {args.drafts} drafts while the inbox is quiet", flush=True)
            replies = reply_latency(args.drafts)
        finally:
            subprocess.run([str(ROOT / "scripts/mailstack/down.sh")], env=env, capture_output=True)
        print_replies(replies)
        write_replies(replies)
        return
    try:
        print(f"== reply latency: {args.drafts} drafts while the inbox is quiet", flush=True)
        replies = reply_latency(args.drafts)
        print_replies(replies)
        print(f"== IDLE latency: {args.idle_messages} messages over SMTP at random intervals", flush=True)
        idle = idle_latency(args.idle_messages)
        print(f"  median {idle['median']:.2f} s, p90 {idle['p90']:.2f} s, p99 {idle['p99']:.2f} s, "
              f"max {idle['max']:.2f} s", flush=True)
        print(f"== scale-out: 27 mailboxes x {args.per_mailbox} messages on PostgreSQL", flush=True)
        seed_mailboxes(args.per_mailbox)
        scale = []
        for instances in (1, 3):
            r = scale_run(instances, args.per_mailbox)
            scale.append(r)
            print(f"  {instances} daemon(s): {r['wall']:.1f} s, cpu {r['cpu']:.1f} s, "
                  f"peak RSS {r['rss']:.0f} MB", flush=True)
    finally:
        subprocess.run([str(ROOT / "scripts/mailstack/down.sh")], env=env, capture_output=True)
    write(idle, scale, args)
    write_replies(replies)


def print_replies(r):
    print(f"  accepted by SMTP: median {r['sent']['median']:.2f} s, max {r['sent']['max']:.2f} s; "
          f"in the citizen's inbox: median {r['received']['median']:.2f} s, max {r['received']['max']:.2f} s",
          flush=True)


def write_replies(r):
    """Puts the reply-latency section in bench/LIVE.md, before the notes, replacing an earlier one."""
    path = ROOT / "bench" / "LIVE.md"
    text = path.read_text() if path.exists() else "<!-- notes -->\n"
    start = text.find("## Reply latency")
    if start >= 0:
        end = min(i for i in (text.find("\n## ", start + 1), text.find("<!-- notes -->", start)) if i >= 0)
        text = text[:start] + text[end:].lstrip("\n")
    at = text.find("<!-- notes -->")
    text = text[:at] + reply_section(r) + "\n" + text[at:]
    path.write_text(text)
    print(f"wrote {path}")


def write(idle, scale, args):
    cpu = "unknown"
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    out = [
        "# The running daemon: IDLE latency and scale-out",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.platform()}; Dovecot and Postfix from Debian on "
        f"loopback; triaje release build. Produced by `scripts/bench-live` on {time.strftime('%Y-%m-%d')}.",
        "",
        f"## IDLE latency ({idle['n']} messages over SMTP, one at a time, 0.05-1.0 s apart, `triaje run` on SQLite)",
        "",
        "From Postfix's 250 to triaje's record of the message as filed (delivery into Dovecot included).",
        "",
        "| median | p90 | p99 | max | goal |",
        "|---:|---:|---:|---:|---|",
        f"| {idle['median']:.2f} s | {idle['p90']:.2f} s | {idle['p99']:.2f} s | {idle['max']:.2f} s | "
        "median ≤ 1 s, p99 ≤ 3 s |",
        "",
        f"## Scale-out: 27 mailboxes x {args.per_mailbox} messages (2-20 KB) on one PostgreSQL",
        "",
        "| daemons | messages | wall s | msgs/s | CPU s (all daemons) | peak RSS MB (largest) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in scale:
        out.append(f"| {r['instances']} | {r['messages']} | {r['wall']:.1f} | {r['messages'] / r['wall']:.0f} | "
                   f"{r['cpu']:.1f} | {r['rss']:.0f} |")
    out.append("")
    path = ROOT / "bench" / "LIVE.md"
    old = path.read_text() if path.exists() else ""
    notes = old[old.index("<!-- notes -->"):] if "<!-- notes -->" in old else "<!-- notes -->\n"
    path.write_text("\n".join(out) + "\n" + notes)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
