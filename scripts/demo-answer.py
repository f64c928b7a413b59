#!/usr/bin/env python3
"""Plays the people of the demo over IMAP, as their mail clients would.

  demo-answer.py PORT draft FOLDER SUBJECT_WORD TEXT   the assistant: Reply to the consultation in FOLDER whose
                                                       subject contains SUBJECT_WORD, write TEXT, sign, and drop
                                                       the draft into «Por enviar»
  demo-answer.py PORT approve                          the supervisor: answer every validation notice in his
                                                       inbox «Aprobado, puede enviarse.» above his signature
  demo-answer.py PORT inbox USER                       print the subjects in USER's inbox, and the 5-star survey link
"""
import base64
import email
import email.policy
import imaplib
import re
import sys
import time

port = int(sys.argv[1])
action = sys.argv[2]


def login(user):
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login(user, "secret")
    return imap


def utf7(name):
    """IMAP's modified UTF-7 for folder names (RFC 3501 §5.1.3), enough for Spanish accents."""
    out, buf = [], ""
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            if buf:
                enc = buf.encode("utf-16-be")
                out.append("&" + base64.b64encode(enc).decode().rstrip("=").replace("/", ",") + "-")
                buf = ""
            out.append("&-" if ch == "&" else ch)
        else:
            buf += ch
    if buf:
        out.append("&" + base64.b64encode(buf.encode("utf-16-be")).decode().rstrip("=").replace("/", ",") + "-")
    return "".join(out)


if action == "draft":
    folder, word, text = sys.argv[3], sys.argv[4], sys.argv[5]
    imap = login("consultas@osce.test")
    imap.select(f'"{folder}"', readonly=True)
    # The citizen's message, not triaje's ticket note beside it (which repeats its subject).
    _, data = imap.uid("SEARCH", None, "SUBJECT", f'"{word}"', "NOT", "HEADER", "X-Triaje-Note", '""')
    uids = data[0].split()
    if not uids:
        sys.exit(f"no message with «{word}» in {folder}")
    _, msg = imap.uid("FETCH", uids[0], "(BODY.PEEK[])")
    original = email.message_from_bytes(msg[0][1], policy=email.policy.default)
    draft = email.message.EmailMessage()
    draft["From"] = "Consultas OSCE <consultas@osce.test>"
    draft["To"] = original["Reply-To"] or original["From"]
    draft["Subject"] = "RE: " + str(original["Subject"])
    draft["Message-ID"] = email.utils.make_msgid(domain="osce.test")
    draft["In-Reply-To"] = original["Message-ID"]
    draft["References"] = original["Message-ID"]
    quoted = "\n".join("> " + line for line in original.get_body(("plain", "html")).get_content().splitlines()[:6])
    draft.set_content(f"{text}\n\nAtentamente,\nAna Torres\nMesa de ayuda - Consultas OSCE\n\n"
                      f"El {original['Date']}, {original['From']} escribió:\n{quoted}\n")
    imap.append('"Por enviar"', None, imaplib.Time2Internaldate(time.time()), draft.as_bytes())
    imap.logout()
    print(f"  borrador para «{original['Subject']}» dejado en «Por enviar»")
elif action == "approve":
    supervisor = login("supervisor@osce.test")
    supervisor.select("INBOX", readonly=True)
    _, data = supervisor.uid("SEARCH", None, "SUBJECT", "pendiente")
    uids = data[0].split()
    office = login("consultas@osce.test")
    for uid in uids:
        _, msg = supervisor.uid("FETCH", uid, "(BODY.PEEK[HEADER])")
        notice = email.message_from_bytes(msg[0][1], policy=email.policy.default)
        answer = email.message.EmailMessage()
        answer["From"] = "Víctor Campos <supervisor@osce.test>"
        answer["To"] = "consultas@osce.test"
        answer["Subject"] = "RE: " + str(notice["Subject"])
        answer["Message-ID"] = email.utils.make_msgid(domain="osce.test")
        answer["In-Reply-To"] = notice["Message-ID"]
        answer["References"] = notice["Message-ID"]
        answer.set_content("Aprobado, puede enviarse.\n\nVíctor Campos\nSupervisor de Calidad\n")
        # Delivered as his mail client's answer would be.
        office.append("INBOX", None, imaplib.Time2Internaldate(time.time()), answer.as_bytes())
    print(f"  el supervisor aprobó {len(uids)} respuesta(s) respondiendo «Aprobado, puede enviarse.» al aviso")
    office.logout()
    supervisor.logout()
elif action == "inbox":
    user = sys.argv[3]
    imap = login(user)
    imap.select("INBOX", readonly=True)
    _, data = imap.uid("SEARCH", None, "ALL")
    link = None
    for uid in data[0].split():
        _, msg = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        m = email.message_from_bytes(msg[0][1], policy=email.policy.default)
        print(f"  {user}: «{m['Subject']}»")
        body = m.get_body(("plain",))
        if body is not None and link is None:
            found = re.findall(r"(http://127\.0\.0\.1:\d+/encuesta/\S+)", body.get_content())
            link = found[4] if len(found) == 5 else None
    imap.logout()
    if link:
        print(f"SURVEY_LINK={link}")
else:
    sys.exit(__doc__)
