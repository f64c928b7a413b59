#!/usr/bin/env python3
"""Put the demo consultations into consultas@osce.test's INBOX with chosen arrival times (INTERNALDATE).

Each .eml in the folder may start with a line `X-Demo-Arrival: 2026-11-20 16:29` (Lima time); that line is
removed before delivery and becomes the message's INTERNALDATE, so the demo shows the cut-off and holiday rules.
"""
import datetime
import imaplib
import pathlib
import sys

port = int(sys.argv[1])
folder = pathlib.Path(sys.argv[2])
lima = datetime.timezone(datetime.timedelta(hours=-5))
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login("consultas@osce.test", "secret")
count = 0
for path in sorted(folder.glob("*.eml")):
    raw = path.read_bytes()
    arrival = datetime.datetime.now(lima)
    first, _, rest = raw.partition(b"\n")
    if first.startswith(b"X-Demo-Arrival:"):
        arrival = datetime.datetime.strptime(first.split(b":", 1)[1].strip().decode(), "%Y-%m-%d %H:%M").replace(tzinfo=lima)
        raw = rest
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    typ, data = imap.append("INBOX", None, imaplib.Time2Internaldate(arrival), raw)
    if typ != "OK":
        sys.exit(f"APPEND of {path.name} failed: {data}")
    count += 1
imap.logout()
print(f"{count} consultations delivered")
