#!/usr/bin/env python3
"""Held-out machine-mail / person corpus of issue 15: written once, before the detector was tuned further, and
NOT read while tuning it. tests/machine_detection.rs reports the detector's figures on it beside the figures on
the tuning set (tests/hostile/) and on the routing corpus (tests/corpus/, all people).

    python3 tests/hostile/heldout/make.py           # (re)write the .eml files
    python3 tests/hostile/heldout/make.py --check   # exit 1 unless the files on disk are what it writes

File names say the truth: `NN_machine_*.eml` were sent by a machine, `NN_person_*.eml` by a person. The
messages imitate what real servers and clients write (qmail, Exim, Exchange, Gmail, Zimbra, Lotus Notes,
Mailchimp, Mailman, Google Groups, cron, ticket systems; Gmail, Outlook.com, Yahoo and corporate clients).
Standard library only, deterministic.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
Q = "Buenos días, no puedo ingresar al SEACE porque mi usuario está bloqueado. ¿Cómo lo recupero?"


def msg(headers, body, ctype="text/plain; charset=utf-8"):
    h = list(headers)
    if not any(k.lower() == "content-type" for k, _ in h):
        h.append(("Content-Type", ctype))
    out = "".join("%s: %s\r\n" % (k, v) for k, v in h) + "\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n")
    return out.encode("utf-8")


def base(n, frm, subject, extra=()):
    return [("Return-Path", "<%s>" % frm.split("<")[-1].rstrip(">") if "<" in frm else "<%s>" % frm),
            ("From", frm), ("To", "consultas@osce.gob.pe"), ("Subject", subject),
            ("Date", "Tue, 24 Nov 2026 10:%02d:00 -0500" % n), ("Message-ID", "<heldout-%02d@example.pe>" % n),
            ("MIME-Version", "1.0")] + list(extra)


CASES = []


def case(name):
    def reg(fn):
        CASES.append((name, fn))
        return fn
    return reg


@case("machine_qmail_bounce")
def _(n):
    h = base(n, "MAILER-DAEMON@mail.proveedor.pe", "failure notice")
    h[0] = ("Return-Path", "<>")
    return msg(h, "Hi. This is the qmail-send program at mail.proveedor.pe.\nI'm afraid I wasn't able to deliver "
               "your message to the following addresses.\n\n<juan@noexiste.pe>:\nSorry, no mailbox here by that name.\n\n"
               "--- Below this line is a copy of the message.\n\nMessage-ID: <respuesta.CONS-2026-000321.aa@osce.gob.pe>\n"
               "Subject: RE: consulta\n\nSu consulta fue atendida.\n")


@case("machine_exchange_ndr")
def _(n):
    h = base(n, "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@empresa.pe>",
             "Undeliverable: RE: Consulta sobre el RNP",
             [("Content-Type", 'multipart/report; report-type=delivery-status; boundary="ndr"')])
    return msg(h, "--ndr\nContent-Type: text/html; charset=utf-8\n\n<p>Delivery has failed to these recipients</p>\n"
               "--ndr\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;EX01.empresa.pe\n\n"
               "Final-recipient: RFC822; gerente@empresa.pe\nAction: failed\nStatus: 5.1.10\n\n--ndr--\n")


@case("machine_gmail_vacation")
def _(n):
    h = base(n, "Pedro Salas <pedro.salas@gmail.com>", "Re: Recibimos su consulta CONS-2026-000400",
             [("Auto-Submitted", "auto-replied"), ("In-Reply-To", "<acuse.CONS-2026-000400@osce.gob.pe>")])
    return msg(h, "Estoy de vacaciones hasta el 1 de diciembre y responderé a mi regreso.\n")


@case("machine_zimbra_ausente")
def _(n):
    h = base(n, "Lucía Ramos <lramos@municipalidad.gob.pe>", "Ausente: Consulta SEACE",
             [("Auto-Submitted", "auto-replied (vacation)"), ("X-Mailer", "Zimbra 8.8.15")])
    return msg(h, "Me encuentro fuera de la oficina.\n")


@case("machine_mailchimp_newsletter")
def _(n):
    h = base(n, "Revista Contrataciones <noticias@revista.pe>", "Novedades de la Ley 32069 este mes",
             [("List-Unsubscribe", "<https://revista.us1.list-manage.com/unsubscribe?u=1>"),
              ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), ("Precedence", "bulk"),
              ("X-Mailer", "Mailchimp Mailer - **CID1**")])
    return msg(h, "Las novedades del SEACE y del RNP, en nuestro boletín.\n")


@case("machine_google_groups")
def _(n):
    h = base(n, "Foro Proveedores <foro-proveedores@googlegroups.com>", "[foro] ¿Alguien sabe del RNP?",
             [("List-Id", "<foro-proveedores.googlegroups.com>"), ("Mailing-list", "list foro-proveedores@googlegroups.com"),
              ("List-Post", "<mailto:foro-proveedores@googlegroups.com>"), ("Precedence", "list")])
    return msg(h, "¿Alguien sabe cómo renovar la inscripción en el RNP?\n")


@case("machine_mailman_digest")
def _(n):
    h = base(n, "contrataciones-request@lists.example.pe", "Contrataciones Digest, Vol 12, Issue 4",
             [("List-Id", "Lista de contrataciones <contrataciones.lists.example.pe>"),
              ("List-Help", "<mailto:contrataciones-request@lists.example.pe?subject=help>"), ("Errors-To", "x@lists.example.pe")])
    return msg(h, "Send Contrataciones mailing list submissions to contrataciones@lists.example.pe\n")


@case("machine_sunat_notification")
def _(n):
    h = base(n, "SUNAT <notificaciones-no-reply@sunat.gob.pe>", "Tiene una nueva notificación en su buzón electrónico")
    return msg(h, "Estimado contribuyente, tiene una nueva notificación.\n")


@case("machine_read_receipt")
def _(n):
    h = base(n, "Jorge Díaz <jdiaz@consorcio.pe>", "Leído: Consulta sobre penalidades",
             [("Content-Type", 'multipart/report; report-type=disposition-notification; boundary="mdn"')])
    return msg(h, "--mdn\nContent-Type: text/plain; charset=utf-8\n\nSu mensaje fue leído.\n--mdn\n"
               "Content-Type: message/disposition-notification\n\nFinal-Recipient: rfc822;jdiaz@consorcio.pe\n"
               "Disposition: manual-action/MDN-sent-manually; displayed\n--mdn--\n")


@case("machine_cron_output")
def _(n):
    h = base(n, "root@servidor.entidad.gob.pe (Cron Daemon)", "Cron <root@servidor> /usr/local/bin/respaldo",
             [("X-Cron-Env", "<SHELL=/bin/sh>"), ("X-Cron-Env", "<HOME=/root>")])
    return msg(h, "respaldo terminado con errores\n")


@case("machine_exim_bounce")
def _(n):
    h = base(n, "Mail Delivery System <Mailer-Daemon@mx.hosting.pe>", "Mail delivery failed: returning message to sender",
             [("X-Failed-Recipients", "ventas@cerrada.pe"), ("Auto-Submitted", "auto-replied")])
    h[0] = ("Return-Path", "<>")
    return msg(h, "This message was created automatically by mail delivery software.\n")


@case("machine_lotus_notes_ooo")
def _(n):
    h = base(n, "Carlos Vega <cvega@minera.pe>", "AUTO: Carlos Vega está fuera de la oficina (regreso 30/11/2026)")
    return msg(h, "Estaré fuera de la oficina hasta el 30/11/2026. No tendré acceso a mi correo.\n")


@case("machine_exchange_ooo_english")
def _(n):
    h = base(n, "Ana Ruiz <aruiz@empresa.com>", "Automatic reply: Consulta RNP",
             [("X-Auto-Response-Suppress", "All"), ("Thread-Topic", "Consulta RNP")])
    return msg(h, "I am out of the office until Monday.\n")


@case("machine_delayed_dsn")
def _(n):
    h = base(n, "postmaster@relay.pe", "Delivery Status Notification (Delay)",
             [("Content-Type", 'multipart/report; report-type=delivery-status; boundary="d"')])
    h[0] = ("Return-Path", "<>")
    return msg(h, "--d\nContent-Type: text/plain\n\nDelivery is delayed.\n--d\nContent-Type: message/delivery-status\n\n"
               "Final-Recipient: rfc822; a@b.pe\nAction: delayed\nStatus: 4.4.7\n--d--\n")


@case("machine_zendesk_autoack")
def _(n):
    h = base(n, "Soporte Proveedor <soporte@proveedor.zendesk.com>", "[Solicitud #4471] Recibimos su solicitud",
             [("Auto-Submitted", "auto-generated"), ("X-Mailer", "Zendesk Mailer")])
    return msg(h, "Su solicitud fue recibida y será atendida por un agente.\n")


@case("machine_no_responder_entidad")
def _(n):
    h = base(n, "Mesa de Partes Virtual <no.responder@entidad.gob.pe>", "Constancia de recepción de documento")
    return msg(h, "Se registró su documento con el expediente 2026-123.\n")


@case("machine_forwarded_back_acknowledgement")
def _(n):
    h = base(n, "Consultas OSCE <consultas@osce.gob.pe>", "Recibimos su consulta CONS-2026-000777: Clave SEACE",
             [("Auto-Submitted", "auto-replied"), ("X-Triaje-Ticket", "CONS-2026-000777"),
              ("X-Loop", "consultas@osce.gob.pe")])
    return msg(h, "Hemos recibido su consulta y la hemos registrado.\n")


@case("person_gmail_dkim_arc")
def _(n):
    h = base(n, "Rosa Huamán <rosa.huaman@gmail.com>", "Usuario bloqueado",
             [("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; h=to:subject:from"),
              ("ARC-Seal", "i=1; a=rsa-sha256; t=1732460000; cv=none; d=google.com; s=arc-20160816"),
              ("ARC-Authentication-Results", "i=1; mx.google.com; dkim=pass"), ("X-Gm-Message-State", "AOJu0Yw"),
              ("X-Google-Smtp-Source", "AGHT+IE")])
    return msg(h, Q + "\n\nSaludos,\nRosa\n")


@case("person_outlook_com")
def _(n):
    h = base(n, "Javier Torres <javier.torres@outlook.com>", "RV: Consulta sobre la buena pro",
             [("Thread-Topic", "Consulta sobre la buena pro"), ("Thread-Index", "AQHbPq1x"),
              ("X-MS-Has-Attach", ""), ("X-MS-TNEF-Correlator", ""), ("x-ms-traffictypediagnostic", "PH0PR"),
              ("X-MS-Exchange-Organization-AuthAs", "Anonymous"), ("Content-Language", "es-PE"),
              ("X-MS-Exchange-Transport-CrossTenantHeadersStamped", "PH0PR11MB")])
    return msg(h, "¿Cuál es el plazo para consentir la buena pro según el reglamento?\n")


@case("person_yahoo")
def _(n):
    h = base(n, "Elena Quispe <elena_quispe@yahoo.com>", "Inscripción RNP",
             [("X-YMail-OSG", "abc"), ("X-Sonic-MF", "<elena_quispe@yahoo.com>"), ("X-Mailer", "WebService/1.1.22")])
    return msg(h, "Quiero inscribirme en el RNP como proveedor de servicios.\n")


@case("person_reply_to_acknowledgement")
def _(n):
    h = base(n, "Pedro Salas <pedro.salas@gmail.com>", "RE: Recibimos su consulta CONS-2026-000400: Clave",
             [("In-Reply-To", "<acuse.CONS-2026-000400@osce.gob.pe>"),
              ("References", "<q1@gmail.com> <acuse.CONS-2026-000400@osce.gob.pe>")])
    return msg(h, "Gracias. Además quisiera saber si puedo cambiar el correo de mi usuario.\n\n"
               "El lun., 23 nov. 2026 a las 10:00, Consultas OSCE escribió:\n> Hemos recibido su consulta\n")


@case("person_company_named_automatico")
def _(n):
    h = base(n, "Automatizaciones Automáticas SAC <ventas@automatizaciones.pe>",
             "Consulta sobre la respuesta automática del SEACE")
    return msg(h, "El SEACE nos envió una respuesta automática que no entendemos; ¿qué significa?\n")


@case("person_forwarding_a_bounce")
def _(n):
    h = base(n, "Marco Ríos <marco.rios@hotmail.com>", "RV: Undelivered Mail Returned to Sender",
             [("Content-Type", 'multipart/mixed; boundary="fw"')])
    return msg(h, "--fw\nContent-Type: text/plain; charset=utf-8\n\n¿Por qué rebotó mi correo a ustedes? "
               "Necesito presentar mi consulta sobre el RNP.\n--fw\nContent-Type: message/rfc822\n\n"
               "From: MAILER-DAEMON@hotmail.com\nSubject: Undelivered Mail Returned to Sender\n"
               "Content-Type: multipart/report; report-type=delivery-status; boundary=\"in\"\n\n--in\n"
               "Content-Type: text/plain\n\nfailed\n--in\nContent-Type: message/delivery-status\n\nAction: failed\n--in--\n--fw--\n")


@case("person_urgent_priority")
def _(n):
    h = base(n, "Gerencia <gerencia@constructora.pe>", "URGENTE: plazo de firma de contrato",
             [("Importance", "high"), ("X-Priority", "1 (Highest)"), ("Priority", "urgent")])
    return msg(h, "El plazo para firmar el contrato vence mañana y el SEACE no nos deja registrar.\n")


@case("person_mentions_out_of_office")
def _(n):
    h = base(n, "Luis Paredes <lparedes@gmail.com>", "Consulta: el funcionario está fuera de la oficina")
    return msg(h, "El funcionario de la entidad estaba fuera de la oficina (out of office) y no firmó el contrato.\n")


@case("person_corporate_zimbra")
def _(n):
    h = base(n, "Logística <logistica@municipalidadx.gob.pe>", "Consulta sobre catálogo electrónico",
             [("X-Mailer", "Zimbra 9.0.0_GA_4546 (ZimbraWebClient - GC120)"), ("Thread-Topic", "Consulta"),
              ("X-Originating-IP", "[10.0.0.5]")])
    return msg(h, "¿Cómo agregamos un proveedor al catálogo electrónico?\n")


@case("person_subject_auto_vehicles")
def _(n):
    h = base(n, "Abastecimiento <abastecimiento@gore.gob.pe>", "Auto: adquisición de vehículos para la sede")
    return msg(h, "¿Podemos comprar vehículos mediante catálogo electrónico o debemos convocar?\n")


@case("person_reply_address_word")
def _(n):
    h = base(n, "Noé Replinger <noe.replinger@gmail.com>", "Consulta sobre penalidad")
    return msg(h, "La entidad me aplicó una penalidad; ¿cómo la impugno?\n")


@case("person_html_only_with_tracking")
def _(n):
    h = base(n, "Sandra Cruz <scruz@empresa.pe>", "Consulta sobre el RNP",
             [("X-Mailer", "Microsoft Outlook 16.0"), ("Content-Type", "text/html; charset=utf-8")])
    return msg(h, "<html><body><p>¿Cuánto cuesta renovar el RNP?</p><img src=\"https://tracking.example/p.gif\"></body></html>\n")


def generate():
    return {"%02d_%s.eml" % (i, name): fn(i) for i, (name, fn) in enumerate(CASES, start=1)}


def main(argv):
    files = generate()
    if "--check" in argv:
        bad = [name for name, data in files.items() if not (HERE / name).exists() or (HERE / name).read_bytes() != data]
        bad += [p.name for p in HERE.glob("*.eml") if p.name not in files]
        for b in bad:
            print("differs or stale: " + b, file=sys.stderr)
        print("%d held-out cases, %s" % (len(files), "OK" if not bad else "%d problems" % len(bad)))
        return 1 if bad else 0
    for p in HERE.glob("*.eml"):
        if p.name not in files:
            p.unlink()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print("%d held-out cases written to %s" % (len(files), HERE))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
