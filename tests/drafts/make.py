#!/usr/bin/env python3
"""Build the reply-draft corpus: tests/drafts/tune/ and tests/drafts/heldout/.

Python 3.11, standard library only, deterministic (no clock, no randomness, no environment): the same code
always writes the same bytes.

    python3 tests/drafts/make.py                 # (re)write tune/, heldout/, their labels.toml, README counts
    python3 tests/drafts/make.py --check         # the files on disk are exactly what make.py writes; every
                                                 # draft (template and rendered with sample values) parses
                                                 # back with sane MIME; labels and files agree; the draft's
                                                 # shape matches its label; README counts are current
    python3 tests/drafts/make.py render FILE.eml [--values values.json]
                                                 # the draft as the client would have written it for your
                                                 # consultation: prints RFC 5322 bytes (CRLF) on stdout

Each draft is what one mail client, left at its defaults (or at the one setting the draft names), writes to
the IMAP Drafts folder when an assistant presses Reply on a consultation in the shared mailbox and saves. The
`.eml` files hold `{{PLACEHOLDER}}` tokens where the consultation's values go (README.md lists them); use
`render` to fill them: it encodes each value the way the client does (RFC 2047 words, quoted-printable,
base64, format=flowed, HTML escaping, quote prefixes, the client's date words). The client models are in
clients.py, the byte-level helpers in mime.py; the sources of every fact are in README.md.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import hashlib
import html as htmlmod
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True  # keep tests/drafts/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clients import BUILDERS, FLAGS, Ctx, Spec, draft_date, is_token  # noqa: E402
from mime import part_bytes  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = "triaje-drafts-2026:"
TUNE_SHARE = 50  # percent

PLACEHOLDERS = [
    "CITIZEN_NAME", "CITIZEN_ADDR", "MAILBOX_NAME", "MAILBOX_ADDR", "CONSULTATION_MESSAGE_ID",
    "CONSULTATION_SUBJECT", "CONSULTATION_DATE", "CONSULTATION_TEXT", "CONSULTATION_THREAD_INDEX", "TICKET",
    "ACK_MESSAGE_ID", "ACK_SUBJECT", "ACK_DATE", "ACK_TEXT",
]
TOKENS = {k: "{{" + k + "}}" for k in PLACEHOLDERS}

COLLEAGUE = ("Karina Vílchez Soto", "kvilchez@osce.gob.pe")
COORDINATOR = ("Coordinación Canal Virtual", "coordinacion.canalvirtual@osce.gob.pe")

# ---------------------------------------------------------------------------------------------------------
# sample consultations: what `render` fills in when no values are given, and what --check renders with


def ack_text(name: str, subject: str, ticket: str, desde: str, vence: str, mailbox: str) -> str:
    return (f"Estimado(a) {name}:\n\nHemos recibido su consulta «{subject}» y la hemos registrado con el número "
            f"{ticket}.\n\n- Fecha en que se considera recibida: {desde}\n- Le responderemos a más tardar el: "
            f"{vence}\n\nLas consultas que llegan después de las 16:30 o en días no hábiles se consideran "
            "recibidas el\nsiguiente día hábil. Si desea agregar información, responda a este mensaje "
            f"conservando el número {ticket}\nen el asunto.\n\nEste es un mensaje automático de acuse de recibo; "
            f"no es la respuesta a su consulta.\n\nAtentamente,\n{mailbox}")


TOPICS: dict[str, dict[str, str]] = {
    "rnp-inscripcion": dict(
        name="Juan Carlos Pérez Quispe", addr="jcperez.quispe@gmail.com", date="2026-11-23T09:12:00-05:00",
        subject="Consulta sobre inscripción en el RNP como proveedor de servicios",
        text="Buenos días,\n\nSoy persona natural con RUC 10456789012 y quiero inscribirme en el RNP como "
             "proveedor de servicios de mantenimiento. ¿Qué requisitos necesito y cuánto cuesta el trámite?\n\n"
             "Gracias de antemano,\nJuan Carlos Pérez"),
    "seace-clave": dict(
        name="María Elena Cárdenas Ríos", addr="mcardenas@munisanjeronimo.gob.pe", date="2026-11-23T10:41:00-05:00",
        subject="No puedo ingresar al SEACE - usuario bloqueado",
        text="Señores OSCE:\n\nDesde ayer el sistema me indica que mi usuario del SEACE está bloqueado por "
             "intentos fallidos. Soy la responsable de contrataciones de la municipalidad y tenemos un "
             "procedimiento con cronograma en curso.\n\nAgradeceré su pronta ayuda.\n\nMaría Elena Cárdenas"),
    "legal-penalidad": dict(
        name="Ñusta Huamaní Apaza", addr="nhuamani.abogada@outlook.com", date="2026-11-20T15:05:00-05:00",
        subject="Aplicación de penalidad por mora en contrato de bienes",
        text="Estimados:\n\nEn un contrato de suministro de bienes el contratista entregó con 12 días de "
             "retraso. ¿La penalidad por mora se calcula sobre el monto total del contrato o sobre el monto "
             "de la entrega parcial atrasada?\n\nSaludos,\nÑusta Huamaní"),
    "rnp-capacidad": dict(
        name="Constructora Los Andes S.A.C.", addr="licitaciones@constructoralosandes.pe",
        date="2026-11-19T11:30:00-05:00", subject="Capacidad máxima de contratación - ejecutor de obras",
        text="Buenas tardes,\n\nSomos ejecutores de obras inscritos en el RNP. Nuestra capacidad máxima de "
             "contratación no se ha actualizado luego de registrar dos obras culminadas. ¿Cómo solicitamos "
             "la actualización?\n\nArq. Renzo Tapia\nConstructora Los Andes"),
    "seace-pac": dict(
        name="Rubén Ccahuana Torres", addr="rccahuana@ugelcusco.edu.pe", date="2026-11-18T08:50:00-05:00",
        subject="Publicación del PAC en el SEACE",
        text="Hola,\n\nTengo que publicar la modificación del Plan Anual de Contrataciones de la UGEL pero no "
             "encuentro la opción en el SEACE. ¿En qué menú se registra?\n\nRubén"),
    "legal-ampliacion": dict(
        name="Gisella Montoya Rengifo", addr="gmontoya@consultoraamazonica.com", date="2026-11-17T16:10:00-05:00",
        subject="Solicitud de ampliación de plazo en contrato de servicios",
        text="Señores:\n\nNuestra empresa presta un servicio de consultoría y la entidad demoró 20 días en "
             "entregar información indispensable. ¿Podemos pedir ampliación de plazo y en qué plazo debemos "
             "presentarla?\n\nGisella Montoya\nGerente General"),
    "rnp-vigencia": dict(
        name="Walter Ayala Chumpitaz", addr="wayala.servicios@hotmail.com", date="2026-11-23T12:02:00-05:00",
        subject="Vigencia de mi inscripción en el RNP",
        text="Buen día, mi constancia del RNP dice vigencia indeterminada pero un comité me pidió "
             "renovarla. ¿Tengo que renovar cada año?\n\nWalter Ayala"),
    "seace-buena-pro": dict(
        name="Lizbeth Quiroz Alvarado", addr="lquiroz@distribuidoranorte.com.pe", date="2026-11-16T17:25:00-05:00",
        subject="Consentimiento de la buena pro en el SEACE",
        text="Estimados,\n\nNos otorgaron la buena pro de una adjudicación simplificada el viernes. ¿Cuándo "
             "queda consentida y desde cuándo corre el plazo para presentar los documentos para el "
             "contrato?\n\nLizbeth Quiroz"),
    "rnp-extranjero": dict(
        name="Andrés Felipe Gómez", addr="agomez@ingenieriaandina.co", date="2026-11-19T09:40:00-05:00",
        subject="Inscripción de proveedor extranjero no domiciliado",
        text="Good morning / Buenos días,\n\nWe are a Colombian engineering company without a branch in Peru. "
             "¿Podemos inscribirnos en el RNP como consultores de obras sin tener domicilio en el Perú?\n\n"
             "Andrés Felipe Gómez"),
    "legal-subcontratacion": dict(
        name="Héctor Villanueva Sáenz", addr="hvillanueva@hvsingenieros.pe", date="2026-11-20T10:20:00-05:00",
        subject="Subcontratación de partidas en contrato de obra",
        text="Estimados señores:\n\n¿Qué porcentaje de una obra se puede subcontratar y el subcontratista debe "
             "estar inscrito en el RNP?\n\nAtte.\nIng. Héctor Villanueva"),
    "seace-subasta": dict(
        name="Sofía Pachas Vega", addr="spachas@hospitalregionalica.gob.pe", date="2026-11-18T14:55:00-05:00",
        subject="Lances en subasta inversa electrónica",
        text="Buenas tardes:\n\nEn una subasta inversa electrónica, ¿qué pasa si solo un postor presenta "
             "lances? ¿Se puede otorgar la buena pro?\n\nSofía Pachas\nLogística"),
    "rnp-datos": dict(
        name="Edwin Ortiz Cahuana", addr="eortiz@grupoortiz.com.pe", date="2026-11-17T11:11:00-05:00",
        subject="Actualización de datos del representante legal en el RNP",
        text="Hola, cambiamos de gerente general el mes pasado. ¿Cómo actualizamos al representante legal en "
             "el RNP y hay algún costo?\n\nEdwin Ortiz"),
}

THREAD_INDEX_SAMPLE = "AdxcR2f8bF1hU1pNeE2oVq3K9tWmYA=="  # a 22-byte Thread-Index a citizen's Outlook wrote


def sample_values(topic: str) -> dict[str, str]:
    t = TOPICS[topic]
    n = sorted(TOPICS).index(topic) + 101
    ticket = f"CONS-2026-{n:06d}"
    h = hashlib.sha256(topic.encode()).hexdigest()
    mailbox_name, mailbox = "Consultas OSCE", "consultas@osce.gob.pe"
    ack_date = t["date"].replace(":00-05:00", ":41-05:00")  # the acknowledgement leaves 41 s later
    cmid = (f"<CA{h[:10].upper()}+{h[10:40]}@mail.gmail.com>" if "gmail" in t["addr"]
            else f"<{h[:24].upper()}@{t['addr'].split('@')[1]}>")
    return {
        "CITIZEN_NAME": t["name"], "CITIZEN_ADDR": t["addr"], "MAILBOX_NAME": mailbox_name, "MAILBOX_ADDR": mailbox,
        "CONSULTATION_MESSAGE_ID": cmid, "CONSULTATION_SUBJECT": t["subject"], "CONSULTATION_DATE": t["date"],
        "CONSULTATION_TEXT": t["text"], "CONSULTATION_THREAD_INDEX": THREAD_INDEX_SAMPLE, "TICKET": ticket,
        "ACK_MESSAGE_ID": f"<acuse.{ticket.lower()}.{h[40:52]}@osce.gob.pe>",
        "ACK_SUBJECT": f"Recibimos su consulta {ticket}: {t['subject']}", "ACK_DATE": ack_date,
        "ACK_TEXT": ack_text(t["name"], t["subject"], ticket, "23/11/2026", "24/11/2026", mailbox_name),
    }


# ---------------------------------------------------------------------------------------------------------
# the drafts. Names of people are made up; the answers are plausible, written for this corpus (not legal advice).

ATTE = "Atentamente,"
S = Spec
DRAFTS: list[Spec] = [
    # ---------------------------------------------------------------- Thunderbird (desktop) -------------
    S("tb-01", "thunderbird", "es-ES", "rnp-inscripcion",
      ["Estimado {{CITIZEN_NAME}}:",
       "Para inscribirse como proveedor de servicios debe contar con RUC activo y habido y con clave SOL.",
       "El trámite se realiza en línea en el portal del RNP; una vez pagada la tasa en el Banco de la Nación, la "
       "inscripción se aprueba de manera automática."],
      [ATTE, "Rosa Quispe Mamani", "Asistente de Atención al Usuario"], "send",
      "Para inscribirse como proveedor de servicios debe contar con RUC activo y habido y con clave SOL.",
      "in-reply-to", "Thunderbird at its defaults: HTML draft (text/html only, 8bit), answer typed below the "
      "quote, no signature configured, the assistant types her name"),
    S("tb-02", "thunderbird", "es-ES", "seace-clave",
      ["Estimada señora Cárdenas:",
       "Hemos desbloqueado su usuario del SEACE; al ingresar, el sistema le pedirá cambiar la contraseña.",
       "Le recomendamos no compartir su usuario con otros servidores de la entidad."],
      [], "send", "Hemos desbloqueado su usuario del SEACE; al ingresar, el sistema le pedirá cambiar la contraseña.",
      "in-reply-to", "Thunderbird defaults with an account signature: answer below the quote, the signature "
      "(`-- ` separator, <pre class=\"moz-signature\">) at the end",
      sig=["Luis Huamán Torres", "Asistente de Atención al Usuario - SEACE", "Organismo Supervisor de las Contrataciones del Estado"]),
    S("tb-03", "thunderbird", "en-US", "seace-pac",
      ["Estimado Rubén:",
       "La modificación del PAC se registra en el SEACE, módulo Plan Anual, opción Registrar modificación, con la "
       "resolución que la aprueba en formato PDF.",
       "Recuerde que debe publicarse dentro de los cinco días hábiles siguientes a su aprobación."],
      ["Saludos cordiales,", "Carmen Rojas Vela"], "send",
      "Recuerde que debe publicarse dentro de los cinco días hábiles siguientes a su aprobación.",
      "in-reply-to", "Thunderbird with an English interface: «On 11/18/26 8:50 AM, … wrote:», answer below"),
    S("tb-04", "thunderbird", "es-AR", "rnp-capacidad",
      ["Estimado arquitecto Tapia:",
       "La capacidad máxima de contratación se recalcula cuando usted registra en el RNP el trámite de "
       "aumento de capacidad con las constancias de conformidad de las obras culminadas.",
       "No es automática: el registro de las obras en su perfil no basta por sí solo."],
      [], "send", "No es automática: el registro de las obras en su perfil no basta por sí solo.",
      "in-reply-to", "Thunderbird with «start my reply above the quote» chosen but the signature left at its "
      "default place: answer above the quote, signature below it at the very end",
      sig=["Jorge Salazar Ccori", "Registro Nacional de Proveedores - Orientación"], opt=dict(answer_pos="above")),
    S("tb-05", "thunderbird", "es-ES", "rnp-vigencia",
      ["Estimado señor Ayala:",
       "Desde la vigencia de la inscripción indeterminada ya no es necesario renovar cada año; basta con "
       "mantener su RUC activo y habido y no estar sancionado.",
       "Si un comité le solicita renovarla, puede remitirle esta respuesta y la constancia descargada del portal."],
      [], "send", "Si un comité le solicita renovarla, puede remitirle esta respuesta y la constancia descargada del portal.",
      "in-reply-to", "Thunderbird, reply above and signature above the quote (sig_bottom=false): Thunderbird "
      "then leaves out the `-- ` separator",
      sig=["Patricia Flores Yupanqui", "Asistente de Atención al Usuario"],
      opt=dict(answer_pos="above", sig_pos="above")),
    S("tb-06", "thunderbird", "es-ES", "seace-buena-pro",
      ["Estimada Lizbeth:",
       "En una adjudicación simplificada la buena pro queda consentida a los cinco días hábiles de su "
       "notificación en el SEACE si nadie interpone apelación.",
       "Desde el día siguiente del consentimiento corren ocho días hábiles para presentar los documentos para "
       "perfeccionar el contrato."],
      [], "send", "Desde el día siguiente del consentimiento corren ocho días hábiles para presentar los documentos",
      "in-reply-to", "Thunderbird composing in plain text (account set to plain text): text/plain; "
      "format=flowed, quoted lines `> `, answer below, signature after `-- `",
      sig=["Diego Ramos León", "Mesa de Consultas SEACE"], opt=dict(plain=True)),
    S("tb-07", "thunderbird", "es-MX", "rnp-extranjero",
      ["Estimado señor Gómez:",
       "Sí, un consultor de obras extranjero no domiciliado puede inscribirse en el RNP sin sucursal en el Perú.",
       "Debe presentar la solicitud con los documentos de constitución apostillados o legalizados y "
       "traducidos al castellano, y pagar la tasa correspondiente.",
       "Copio a mi colega de Registro para su seguimiento."],
      [ATTE, "Silvia Mendoza Paredes"], "send",
      "Sí, un consultor de obras extranjero no domiciliado puede inscribirse en el RNP sin sucursal en el Perú.",
      "in-reply-to", "Thunderbird in Mexican Spanish, plain text flowed: «En 19/11/26 9:40, … escribió:»; a "
      "colleague in Cc that must be kept", opt=dict(plain=True, cc=COLLEAGUE)),
    S("tb-08", "thunderbird", "es-ES", "rnp-datos",
      ["Estimado señor Ortiz:",
       "La actualización del representante legal se realiza en línea desde el módulo de actualización de "
       "información legal del RNP y no tiene costo.",
       "Le adjunto la guía paso a paso en PDF."],
      [], "send", "La actualización del representante legal se realiza en línea desde el módulo de "
      "actualización de información legal del RNP y no tiene costo.",
      "in-reply-to", "Thunderbird HTML with a PDF attached (multipart/mixed) and an HTML signature "
      "(<div class=\"moz-signature\">)",
      sig=["Miguel Ángel Chávez Ruiz", "Asistente de Atención al Usuario - RNP"],
      opt=dict(attach="Guia_actualizacion_representante_RNP.pdf", html_sig=True)),
    S("tb-09", "thunderbird", "es-ES", "legal-penalidad",
      [], [], "refuse", "", "in-reply-to",
      "Thunderbird: Reply pressed and saved at once; the draft holds only the quote and the account signature",
      reason="no-own-text", sig=["Rosa Quispe Mamani", "Asistente de Atención al Usuario"]),
    S("tb-10", "thunderbird", "es-ES", "legal-ampliacion",
      ["Estimada señora Montoya:",
       "Puede solicitar la ampliación de plazo cuando un atraso no imputable a su empresa afecta el plazo del "
       "servicio; la solicitud se presenta dentro de los siete días hábiles de concluido el hecho."],
      [], "refuse",
      "Puede solicitar la ampliación de plazo cuando un atraso no imputable a su empresa afecta el plazo del servicio",
      "in-reply-to", "Thunderbird defaults, answer below the quote, but nobody signed it (no signature "
      "configured, no name typed)", reason="unsigned"),
    S("tb-11", "thunderbird", "es-ES", "seace-subasta",
      ["Estimada Sofía:",
       "Complementando el acuse de recibo de su consulta {{TICKET}}: si solo un postor presenta lances, la "
       "subasta continúa y se le puede otorgar la buena pro siempre que su oferta no supere el valor estimado."],
      [ATTE, "Carmen Rojas Vela"], "send",
      "si solo un postor presenta lances, la subasta continúa y se le puede otorgar la buena pro",
      "in-reply-to", "Thunderbird: the assistant pressed Reply on the acknowledgement (not on the citizen's "
      "message): In-Reply-To is the acknowledgement's Message-ID, the subject carries its «Recibimos su consulta "
      "CONS-…» and Thunderbird addresses it to the acknowledgement's recipient, the citizen",
      opt=dict(reply_to="ack")),
    S("tb-12", "thunderbird", "es-ES", "legal-subcontratacion",
      ["Estimado ingeniero Villanueva:",
       "El contratista puede subcontratar hasta el cuarenta por ciento del monto del contrato original, con "
       "autorización previa de la entidad.",
       "El subcontratista debe tener inscripción vigente en el RNP y no estar impedido ni sancionado."],
      [ATTE, "Jorge Salazar Ccori", "Asistente de Atención al Usuario"], "send",
      "El subcontratista debe tener inscripción vigente en el RNP y no estar impedido ni sancionado.",
      "ticket", "Thunderbird, written with Write (not Reply): no threading headers, no quote; the assistant "
      "typed the ticket in the subject", opt=dict(new_message=True, subject="Respuesta a su consulta {{TICKET}}",
                                                   threading="none", quote=False)),
    S("tb-13", "thunderbird", "es-ES", "seace-buena-pro",
      ["Estimada señora Quiroz:",
       "El plazo para perfeccionar el contrato se cuenta en días hábiles desde el consentimiento de la buena "
       "pro publicado en el SEACE, no desde la fecha del otorgamiento."],
      [ATTE], "refuse", "El plazo para perfeccionar el contrato se cuenta en días hábiles desde el consentimiento",
      "in-reply-to", "Thunderbird defaults with the shared account's signature, which names the office only "
      "(no assistant's name): unsigned by seed 002 §7.4.1.3 («colocando su firma de identificación»: the "
      "assistant's own signature, which says who answered)", reason="unsigned",
      sig=["Mesa de Consultas", "Organismo Supervisor de las Contrataciones del Estado",
           "Central telefónica (01) 614-3636"], signed_by="office"),
    S("tb-14", "thunderbird", "es-ES", "rnp-inscripcion",
      [], [], "refuse", "", "in-reply-to",
      "Thunderbird: the assistant selected everything and deleted it, then saved: an empty HTML body",
      reason="empty", opt=dict(quote=False)),
    # ---------------------------------------------------------------- Outlook (classic desktop) --------
    S("ol-01", "outlook-desktop", "es-PE", "legal-penalidad",
      ["Estimada Dra. Huamaní:",
       "La penalidad por mora se calcula sobre el monto de la prestación parcial que fue materia de retraso "
       "cuando el contrato prevé entregas parciales, y no sobre el monto total del contrato.",
       "Le sugerimos revisar la cláusula de penalidades de su contrato."],
      ["Saludos cordiales,", "Luis Huamán Torres", "Asistente de Atención al Usuario"], "send",
      "La penalidad por mora se calcula sobre el monto de la prestación parcial que fue materia de retraso",
      "in-reply-to", "Outlook (classic) over IMAP, Peruvian regional settings: multipart/alternative with Word "
      "HTML, header block «De: / Enviado el: / Para: / Asunto:» (12-hour «a. m.» clock), answer on top"),
    S("ol-02", "outlook-desktop", "es-ES", "legal-ampliacion",
      ["Estimada señora Montoya:",
       "Sí procede solicitar ampliación de plazo por la demora de la entidad en entregar información "
       "indispensable, siempre que dicha demora afecte la ruta crítica del servicio.",
       "La solicitud debe presentarse dentro de los siete días hábiles siguientes a la notificación de la "
       "aprobación o a la culminación del hecho generador."],
      [], "send",
      "Sí procede solicitar ampliación de plazo por la demora de la entidad en entregar información indispensable",
      "thread-index", "Outlook (classic) over IMAP writing neither In-Reply-To nor References, only Thread-Index; "
      "the citizen wrote from Outlook, so the draft's Thread-Index extends the consultation's; an Outlook "
      "signature with the assistant's name sits under the answer, above the quote",
      sig=["Patricia Flores Yupanqui", "Asistente de Atención al Usuario", "OSCE - Sede Central"],
      opt=dict(threading="none", thread_index="child")),
    S("ol-03", "outlook-desktop", "es-PE", "rnp-capacidad",
      ["Estimado Arq. Tapia:",
       "Para actualizar la capacidad máxima de contratación debe presentar el procedimiento de aumento de "
       "capacidad adjuntando las actas de recepción de obra y las liquidaciones aprobadas."],
      ["Atte.", "Diego Ramos León"], "send",
      "Para actualizar la capacidad máxima de contratación debe presentar el procedimiento de aumento de capacidad",
      "subject", "Outlook (classic) with no In-Reply-To/References and a Thread-Index of its own (the "
      "consultation had none): only the addressee and the subject link it", opt=dict(threading="none")),
    S("ol-04", "outlook-desktop", "es-PE", "rnp-inscripcion",
      ["Estimado Sr. Pérez:",
       "La tasa del procedimiento de inscripción como proveedor de servicios se paga en el Banco de la Nación "
       "o en línea, y su monto está publicado en el TUPA vigente.",
       "Una vez inscrito, su constancia se descarga desde el portal del RNP."],
      [], "send", "Una vez inscrito, su constancia se descarga desde el portal del RNP.",
      "in-reply-to", "Outlook (classic): In-Reply-To only (no References), a signature with the office logo "
      "inline (multipart/related, cid:image001.png@…)",
      sig=["Silvia Mendoza Paredes", "Asistente de Atención al Usuario"],
      opt=dict(threading="irt", logo="Logo OSCE")),
    S("ol-05", "outlook-desktop", "es-PE", "rnp-datos",
      ["Estimado Sr. Ortiz:",
       "Le remito adjunto el instructivo para actualizar el representante legal; el trámite es gratuito y se "
       "aprueba en línea si los datos coinciden con SUNARP."],
      ["Saludos,", "Miguel Ángel Chávez Ruiz"], "send",
      "el trámite es gratuito y se aprueba en línea si los datos coinciden con SUNARP",
      "in-reply-to", "Outlook (classic) with a PDF attached: multipart/mixed around multipart/alternative",
      opt=dict(attach="Instructivo_RNP_representante.pdf")),
    S("ol-06", "outlook-desktop", "en-US", "rnp-vigencia",
      ["Estimado Sr. Ayala:",
       "Su inscripción en el RNP tiene vigencia indeterminada; no necesita renovarla anualmente."],
      ["Best regards,", "Ana Lucía Torres"], "send",
      "Su inscripción en el RNP tiene vigencia indeterminada; no necesita renovarla anualmente.",
      "in-reply-to", "Outlook (classic) in English: «From: / Sent: / To: / Subject:» block"),
    S("ol-07", "outlook-desktop", "es-PE", "legal-subcontratacion",
      ["Estimado Ing. Villanueva:",
       "La subcontratación requiere la aprobación previa y por escrito de la entidad y no puede exceder el "
       "porcentaje previsto en la normativa.",
       "Con copia a nuestra área legal para su conocimiento."],
      [], "send", "La subcontratación requiere la aprobación previa y por escrito de la entidad",
      "in-reply-to", "Outlook (classic) with a colleague in Cc (Outlook quotes the names it took from received "
      "mail as \"'Name'\")", sig=["Jorge Salazar Ccori", "Asistente de Atención al Usuario"],
      opt=dict(cc=COLLEAGUE)),
    S("ol-08", "outlook-desktop", "es-PE", "rnp-extranjero",
      ["Estimado Sr. Gómez:",
       "Las empresas extranjeras no domiciliadas se inscriben en el RNP presentando su documentación legal "
       "apostillada; no necesitan RUC para el trámite de inscripción."],
      ["Atentamente,", "Carmen Rojas Vela"], "send",
      "no necesitan RUC para el trámite de inscripción",
      "ticket", "Outlook (classic) without threading headers; the assistant copied the ticket into the "
      "subject; Thread-Topic present", opt=dict(threading="none", thread_topic=True,
                                                subject="{{CONSULTATION_SUBJECT}} - {{TICKET}}")),
    S("ol-09", "outlook-desktop", "es-PE", "seace-clave",
      [], [], "refuse", "", "in-reply-to",
      "Outlook (classic): Reply and save; only the automatic signature with its logo and the quoted message",
      reason="no-own-text", sig=["Luis Huamán Torres", "Asistente de Atención al Usuario"],
      opt=dict(threading="irt", logo="Logo OSCE")),
    S("ol-10", "outlook-desktop", "es-PE", "legal-penalidad",
      ["Karina, por favor revisa esta consulta sobre penalidades antes de responder; creo que corresponde "
       "a segundo nivel."],
      ["Gracias,", "Luis Huamán Torres"], "refuse",
      "creo que corresponde a segundo nivel", "thread-index",
      "Outlook (classic): Forward (RV:) to a colleague dropped in Por enviar by mistake; addressed to the "
      "colleague, not the citizen", reason="wrong-recipient",
      opt=dict(forward=True, threading="none", thread_index="child", to=COLLEAGUE)),
    S("ol-11", "outlook-desktop", "es-ES", "seace-buena-pro",
      ["Estimada Sra. Quiroz:",
       "Si la buena pro se otorgó el viernes, el consentimiento se produce al quinto día hábil siguiente, "
       "salvo que se interponga recurso de apelación."],
      ["Saludos cordiales,", "Diego Ramos León"], "send",
      "el consentimiento se produce al quinto día hábil siguiente",
      "in-reply-to", "Outlook (classic) set to plain text: text/plain only, quoted-printable, «-----Mensaje "
      "original-----» block", opt=dict(plain=True)),
    S("ol-12", "outlook-desktop", "es-PE", "seace-pac",
      [], [], "refuse", "", "subject",
      "Outlook (classic): a new message with the citizen and the subject filled in and nothing else",
      reason="empty", opt=dict(threading="none", quote=False, new_message=True,
                               subject="RE: {{CONSULTATION_SUBJECT}}")),
    S("ol-13", "outlook-desktop", "es-PE", "legal-ampliacion",
      ["Estimada Sra. Montoya:",
       "Le reenvío su consulta con nuestra respuesta: la ampliación de plazo debe solicitarse por escrito a la "
       "entidad, sustentando el atraso y su efecto en el plazo."],
      ["Atentamente,", "Ana Lucía Torres"], "send",
      "la ampliación de plazo debe solicitarse por escrito a la entidad, sustentando el atraso",
      "thread-index", "Outlook (classic): the assistant pressed Forward (RV:) and addressed it to the citizen; a "
      "forward carries no In-Reply-To/References but keeps the conversation's Thread-Index",
      opt=dict(forward=True, threading="none", thread_index="child")),
    # ---------------------------------------------------------------- Outlook on the web / new Outlook ---
    S("owa-01", "outlook-web", "es-PE", "seace-pac",
      ["Hola Rubén:",
       "La opción está en el SEACE, módulo PAC, menú Modificaciones; allí adjunta el documento de aprobación "
       "y publica la versión modificada."],
      ["Saludos,", "Ana Lucía Torres", "Mesa de Consultas"], "send",
      "La opción está en el SEACE, módulo PAC, menú Modificaciones",
      "in-reply-to", "Outlook on the web / new Outlook: the MIME Exchange writes (Thread-Topic, Thread-Index, "
      "X-MS-Has-Attach, _000_ boundary), `divRplyFwdMsg` header block after a horizontal rule, «Enviado:»"),
    S("owa-02", "outlook-web", "es-PE", "seace-subasta",
      ["Estimada Sra. Pachas:",
       "Con un solo postor que presenta lances válidos, el comité puede otorgar la buena pro si la oferta "
       "cumple los requisitos y está dentro del valor estimado."],
      [], "send", "Con un solo postor que presenta lances válidos, el comité puede otorgar la buena pro",
      "in-reply-to", "Outlook on the web with a signature configured (<div id=\"Signature\">)",
      sig=["Miguel Ángel Chávez Ruiz", "Asistente de Atención al Usuario - SEACE"]),
    S("owa-03", "outlook-web", "en-US", "rnp-inscripcion",
      ["Estimado Juan Carlos:",
       "Como persona natural puede inscribirse en el RNP de bienes y servicios el mismo día en que paga la tasa."],
      ["Regards,", "Carmen Rojas Vela"], "send",
      "Como persona natural puede inscribirse en el RNP de bienes y servicios el mismo día en que paga la tasa.",
      "in-reply-to", "Outlook on the web in English: «From: / Sent: / To: / Subject:»"),
    S("owa-04", "outlook-web", "es-PE", "rnp-vigencia",
      ["Estimado Sr. Ayala:",
       "La constancia con vigencia indeterminada es válida; el comité no puede exigirle una renovación anual."],
      [], "refuse", "el comité no puede exigirle una renovación anual", "in-reply-to",
      "Outlook on the web: an answer with no signature and no name", reason="unsigned"),
    S("owa-05", "outlook-web", "es-PE", "legal-ampliacion",
      ["Estimada Sra. Montoya:",
       "Adjuntamos el modelo referencial de solicitud de ampliación de plazo; recuerde sustentar la causal y "
       "cuantificar el atraso.",
       "Copiamos a la especialista legal que revisó su caso."],
      ["Atentamente,", "Patricia Flores Yupanqui"], "send",
      "recuerde sustentar la causal y cuantificar el atraso",
      "in-reply-to", "Outlook on the web with a colleague in CC and a PDF attached; both text parts base64",
      opt=dict(cc=COLLEAGUE, attach="Modelo_solicitud_ampliacion.pdf", cte="base64")),
    S("owa-06", "outlook-web", "es-PE", "rnp-datos",
      ["Estimado Sr. Ortiz:",
       "En relación con su consulta {{TICKET}}, le confirmamos que el cambio de representante legal se "
       "actualiza en el RNP luego de inscrito en SUNARP."],
      ["Saludos cordiales,", "Silvia Mendoza Paredes"], "send",
      "el cambio de representante legal se actualiza en el RNP luego de inscrito en SUNARP",
      "in-reply-to", "Outlook on the web: Reply on the acknowledgement; it goes to the citizen, In-Reply-To is "
      "the acknowledgement", opt=dict(reply_to="ack")),
    S("owa-07", "outlook-web", "es-PE", "rnp-capacidad",
      ["Estimado Arq. Tapia:",
       "Le escribimos por su consulta {{TICKET}}: su solicitud de aumento de capacidad fue aprobada y la nueva "
       "capacidad máxima ya figura en su constancia."],
      ["Saludos cordiales,", "Ana Lucía Torres", "Mesa de Consultas"], "send",
      "su solicitud de aumento de capacidad fue aprobada y la nueva capacidad máxima ya figura en su constancia",
      "ticket", "Outlook on the web: a new message (not a Reply) to the citizen with the ticket in the subject; "
      "no In-Reply-To/References, a Thread-Index of its own, no quote",
      opt=dict(new_message=True, threading="none", quote=False, subject="Consulta {{TICKET}} - respuesta")),
    # ---------------------------------------------------------------- Outlook mobile -------------------
    S("olm-01", "outlook-android", "es-PE", "seace-clave",
      ["Sra. Cárdenas, ya se desbloqueó su usuario del SEACE, puede ingresar con su contraseña actual."],
      ["Luis Huamán", "Mesa de Consultas OSCE"], "send",
      "ya se desbloqueó su usuario del SEACE, puede ingresar con su contraseña actual",
      "in-reply-to", "Outlook for Android: `<div dir=\"auto\">`, the app's «Obtener Outlook para Android» "
      "signature block, the assistant's name typed above it"),
    S("olm-02", "outlook-android", "es-PE", "rnp-capacidad",
      ["Arq. Tapia, para actualizar su capacidad debe presentar el trámite de aumento de capacidad con las "
       "actas de recepción de obra."],
      [], "refuse", "debe presentar el trámite de aumento de capacidad con las actas de recepción de obra",
      "in-reply-to", "Outlook for Android: the only thing under the answer is the app's «Obtener Outlook para "
      "Android», which is not a signature", reason="unsigned"),
    S("olm-03", "outlook-ios", "en-US", "rnp-extranjero",
      ["Sr. Gómez, sí pueden inscribirse como consultores de obras extranjeros no domiciliados; el trámite es "
       "virtual."],
      ["Jorge Salazar", "OSCE"], "send", "el trámite es virtual",
      "in-reply-to", "Outlook for iOS in English: «Get Outlook for iOS», «Sent: Thursday, November 19, 2026 "
      "9:40:00 AM»"),
    S("olm-04", "outlook-ios", "es-PE", "seace-buena-pro",
      ["Lizbeth, el plazo de ocho días hábiles para presentar documentos empieza al día siguiente del "
       "consentimiento."],
      ["Saludos,", "Diego Ramos León"], "send",
      "el plazo de ocho días hábiles para presentar documentos empieza al día siguiente del consentimiento",
      "in-reply-to", "Outlook for iOS in Spanish: «Obtener Outlook para iOS»"),
    # ---------------------------------------------------------------- Gmail -----------------------------
    S("gm-01", "gmail", "es-419", "rnp-inscripcion",
      ["Estimado Juan Carlos:",
       "El costo del trámite de inscripción para proveedores de servicios está en el TUPA y se paga una sola vez.",
       "Puede seguir la guía de inscripción publicada en el portal del RNP."],
      [], "send", "El costo del trámite de inscripción para proveedores de servicios está en el TUPA y se paga una sola vez.",
      "in-reply-to", "Gmail at its defaults in Latin-American Spanish: answer on top, «El lun, 23 nov 2026 a la(s) "
      "9:12, … (<…>) escribió:», the signature after `-- ` below the quote (Gmail puts it there unless «insert "
      "before quoted text» is ticked)", sig=["Ana Lucía Torres", "Asistente de Atención al Usuario"]),
    S("gm-02", "gmail", "es-419", "legal-penalidad",
      ["Estimada Dra. Huamaní:",
       "Cuando el contrato contempla entregas parciales, la penalidad se aplica sobre el monto de la entrega "
       "atrasada.",
       "Si el contrato no distingue entregas parciales, se calcula sobre el monto vigente del contrato."],
      ["Saludos,", "Carmen Rojas Vela"], "send",
      "Si el contrato no distingue entregas parciales, se calcula sobre el monto vigente del contrato.",
      "in-reply-to", "Gmail without a configured signature; the assistant signs by hand above the quote"),
    S("gm-03", "gmail", "es-ES", "seace-pac",
      ["Hola Rubén:",
       "Antes de publicar la modificación del PAC verifique que la resolución de aprobación esté firmada por "
       "el titular de la entidad o por quien tenga la facultad delegada."],
      [], "send", "verifique que la resolución de aprobación esté firmada por el titular de la entidad",
      "in-reply-to", "Gmail in Spain Spanish («a las»), signature below the quote",
      sig=["Miguel Ángel Chávez Ruiz", "Mesa de Consultas SEACE"]),
    S("gm-04", "gmail", "en-US", "rnp-vigencia",
      ["Estimado Walter:",
       "Puede descargar su constancia de inscripción vigente desde el portal del RNP; tiene el mismo valor que "
       "una constancia impresa."],
      ["Saludos,", "Patricia Flores Yupanqui"], "send",
      "tiene el mismo valor que una constancia impresa",
      "in-reply-to", "Gmail in English: «On Mon, Nov 23, 2026 at 12:02 PM … <…> wrote:»"),
    S("gm-05", "gmail", "es-419", "legal-subcontratacion",
      ["Estimado Ing. Villanueva:",
       "No puede subcontratarse la totalidad de la obra ni las prestaciones esenciales vinculadas a los "
       "factores de evaluación."],
      [], "send", "No puede subcontratarse la totalidad de la obra ni las prestaciones esenciales",
      "in-reply-to", "Gmail with «insert this signature before quoted text» ticked: the signature sits under the "
      "answer, without `-- `", sig=["Silvia Mendoza Paredes", "Asistente de Atención al Usuario"],
      opt=dict(sig_pos="above")),
    S("gm-06", "gmail", "es-419", "rnp-datos",
      ["Estimado Edwin:",
       "Adjunto la lista de documentos que debe tener a la mano para actualizar los datos del representante legal."],
      [], "send", "Adjunto la lista de documentos que debe tener a la mano para actualizar los datos del representante legal.",
      "in-reply-to", "Gmail with a PDF attached (multipart/mixed, X-Attachment-Id)",
      sig=["Diego Ramos León", "Registro Nacional de Proveedores"], opt=dict(attach="Documentos_actualizacion_RNP.pdf")),
    S("gm-07", "gmail", "es-419", "legal-ampliacion",
      [], [], "refuse", "", "in-reply-to",
      "Gmail: Reply and close; nothing typed, the quote and the signature below it", reason="no-own-text",
      sig=["Ana Lucía Torres", "Asistente de Atención al Usuario"]),
    S("gm-08", "gmail", "es-419", "seace-subasta",
      ["Sofía:",
       "Si hay un único postor, la subasta inversa no se declara desierta por esa sola razón.",
       "Copio a Karina, especialista SEACE, por si necesita asistencia con el registro."],
      ["Saludos,", "Luis Huamán Torres"], "send",
      "Si hay un único postor, la subasta inversa no se declara desierta por esa sola razón.",
      "in-reply-to", "Gmail with a colleague in Cc", opt=dict(cc=COLLEAGUE)),
    S("gm-09", "gmail", "es-419", "rnp-extranjero",
      [], [], "refuse", "", "in-reply-to",
      "Gmail: the quote deleted and nothing typed (an empty <div dir=\"ltr\"><br></div>)", reason="empty",
      opt=dict(quote=False)),
    S("gm-10", "gmail", "es-419", "seace-clave",
      ["Estimada María Elena:",
       "Respecto de su consulta {{TICKET}}: el desbloqueo ya fue atendido y su cronograma no se ve afectado."],
      ["Saludos,", "Jorge Salazar Ccori"], "send",
      "el desbloqueo ya fue atendido y su cronograma no se ve afectado",
      "in-reply-to", "Gmail: Reply on the acknowledgement (Gmail addresses a reply to one's own message to its "
      "recipient, the citizen)", opt=dict(reply_to="ack")),
    # ---------------------------------------------------------------- Apple Mail -----------------------
    S("am-01", "apple-mail", "es-ES", "rnp-capacidad",
      ["Estimado arquitecto:",
       "Con las dos obras registradas puede solicitar el aumento de capacidad máxima en el módulo del "
       "ejecutor de obras; el resultado se refleja en su constancia al aprobarse."],
      ["Un saludo,", "Ana Lucía Torres"], "send",
      "el resultado se refleja en su constancia al aprobarse",
      "in-reply-to", "Apple Mail (macOS) replying to a plain-text consultation: it answers in plain text "
      "(«reply using the same format as the original»), answer on top, quote `> ` with «El 19 nov 2026, a las "
      "11:30, … <…> escribió:»"),
    S("am-02", "apple-mail", "es-ES", "seace-buena-pro",
      ["Estimada Lizbeth:",
       "El consentimiento de la buena pro se publica en el SEACE; revise la ficha del procedimiento para "
       "verificar la fecha."],
      [], "send", "revise la ficha del procedimiento para verificar la fecha",
      "in-reply-to", "Apple Mail (macOS) replying to an HTML consultation: multipart/alternative "
      "(Apple-Mail=_ boundary), <blockquote type=\"cite\">, signature above the quote (Apple's default)",
      sig=["Diego Ramos León", "Mesa de Consultas"], opt=dict(html=True)),
    S("am-03", "apple-mail", "en-US", "seace-subasta",
      ["Sofía:",
       "En la subasta inversa electrónica el periodo de lances se realiza aunque haya un solo postor habilitado."],
      ["Saludos,", "Miguel Ángel Chávez Ruiz"], "send",
      "el periodo de lances se realiza aunque haya un solo postor habilitado",
      "in-reply-to", "Apple Mail (macOS) in English: «On Nov 18, 2026, at 2:55 PM, … <…> wrote:»"),
    S("am-04", "apple-mail", "es-ES", "legal-ampliacion",
      ["Estimada Gisella:",
       "Le adjunto el extracto de la normativa sobre ampliaciones de plazo en contratos de servicios."],
      ["Atentamente,", "Silvia Mendoza Paredes"], "send",
      "Le adjunto el extracto de la normativa sobre ampliaciones de plazo en contratos de servicios.",
      "in-reply-to", "Apple Mail (macOS), plain text with a PDF attached (multipart/mixed)",
      opt=dict(attach="Extracto_ampliacion_plazo.pdf")),
    S("am-05", "apple-mail", "es-ES", "legal-subcontratacion",
      ["Estimado Ing. Villanueva:",
       "El subcontratista no puede estar inhabilitado para contratar con el Estado."],
      ["Saludos,", "Patricia Flores Yupanqui"], "refuse",
      "El subcontratista no puede estar inhabilitado para contratar con el Estado.", "in-reply-to",
      "Apple Mail (macOS): Reply on the acknowledgement, which Apple Mail addresses to the acknowledgement's "
      "sender — the office's own mailbox, not the citizen", reason="wrong-recipient",
      opt=dict(reply_to="ack", to=("{{MAILBOX_NAME}}", "{{MAILBOX_ADDR}}"))),
    S("am-06", "apple-mail-ios", "es-ES", "legal-penalidad",
      ["Dra. Huamaní, la penalidad se aplica sobre la entrega parcial atrasada si así lo prevé el contrato."],
      ["Carmen Rojas Vela"], "send",
      "la penalidad se aplica sobre la entrega parcial atrasada si así lo prevé el contrato",
      "in-reply-to", "Mail on iPhone: the name typed, then the default «Enviado desde mi iPhone», quote below"),
    S("am-07", "apple-mail-ios", "es-ES", "seace-pac",
      ["Rubén, la modificación del PAC se publica en el SEACE dentro de los cinco días hábiles de aprobada."],
      [], "refuse", "la modificación del PAC se publica en el SEACE dentro de los cinco días hábiles de aprobada",
      "in-reply-to", "Mail on iPhone: under the answer only «Enviado desde mi iPhone», which names nobody",
      reason="unsigned"),
    S("am-08", "apple-mail", "es-ES", "rnp-datos",
      ["Estimado Sr. Ortiz:",
       "Sobre su consulta {{TICKET}}: el cambio de representante legal no tiene costo y se registra en línea."],
      ["Saludos,", "Diego Ramos León"], "send",
      "el cambio de representante legal no tiene costo y se registra en línea",
      "ticket", "Apple Mail (macOS): New Message to the citizen, the ticket typed in the subject, no quote and "
      "no threading headers", opt=dict(new_message=True, threading="none", quote=False,
                                        subject="Respuesta {{TICKET}} - actualización de datos RNP")),
    # ---------------------------------------------------------------- Roundcube ------------------------
    S("rc-01", "roundcube", "es-ES", "seace-clave",
      ["Estimada Sra. Cárdenas:",
       "Su usuario fue desbloqueado. Si vuelve a bloquearse, el titular de la entidad debe solicitar la "
       "reasignación de usuario mediante el formulario del SEACE."],
      [], "send", "el titular de la entidad debe solicitar la reasignación de usuario",
      "in-reply-to", "Roundcube at its defaults: plain text, format=flowed, 8bit, «El 2026-11-23 10:41, … "
      "escribió:», quote first, answer below, signature after `-- `",
      sig=["Carmen Rojas Vela", "Asistente de Atención al Usuario"]),
    S("rc-02", "roundcube", "es-ES", "rnp-vigencia",
      ["Estimado Walter:",
       "No necesita renovar su inscripción; si sus datos cambiaron, solo debe actualizarlos en el RNP."],
      ["Atentamente,", "Luis Huamán Torres"], "send",
      "No necesita renovar su inscripción; si sus datos cambiaron, solo debe actualizarlos en el RNP.",
      "in-reply-to", "Roundcube defaults without an identity signature; name typed below the answer"),
    S("rc-03", "roundcube", "en-US", "rnp-extranjero",
      ["Estimado Andrés Felipe:",
       "La inscripción de consultores de obras extranjeros exige acreditar experiencia con contratos y "
       "conformidades legalizadas."],
      [], "send", "La inscripción de consultores de obras extranjeros exige acreditar experiencia",
      "in-reply-to", "Roundcube in English: «On 2026-11-19 09:40, … wrote:»",
      sig=["Jorge Salazar Ccori", "Registro Nacional de Proveedores"]),
    S("rc-04", "roundcube", "es-ES", "rnp-capacidad",
      ["Estimado arquitecto Tapia:",
       "La constancia de capacidad libre de contratación se emite en línea una vez actualizada su capacidad máxima."],
      [], "send", "La constancia de capacidad libre de contratación se emite en línea",
      "in-reply-to", "Roundcube with the HTML editor and top posting chosen: multipart/alternative, "
      "<p id=\"reply-intro\">, <blockquote>, signature in <div id=\"_rc_sig\"> as drafts keep it",
      sig=["Ana Lucía Torres", "Asistente de Atención al Usuario"], opt=dict(html=True, answer_pos="above")),
    S("rc-05", "roundcube", "es-ES", "seace-subasta",
      ["Coordinadora: esta consulta sobre subasta inversa ya fue respondida por teléfono, ¿la cerramos?"],
      ["Rosa Quispe"], "refuse", "esta consulta sobre subasta inversa ya fue respondida por teléfono",
      "in-reply-to", "Roundcube: a note to the coordinator written as a reply and dropped in Por enviar",
      reason="wrong-recipient", opt=dict(to=COORDINATOR)),
    S("rc-06", "roundcube", "es-ES", "rnp-datos",
      [], [], "refuse", "", "in-reply-to",
      "Roundcube defaults: the quote, an empty line where the answer goes, and the signature",
      reason="no-own-text", sig=["Miguel Ángel Chávez Ruiz", "Asistente de Atención al Usuario"]),
]


# ---------------------------------------------------------------------------------------------------------


def digest_of(ident: str) -> str:
    return hashlib.sha256((SEED + ident).encode()).hexdigest()


def split_of(ident: str) -> str:
    return "tune" if int(digest_of(ident)[:8], 16) % 100 < TUNE_SHARE else "heldout"


def file_of(ident: str) -> str:
    return digest_of(ident)[8:18] + ".eml"


def fill_opt(s: Spec, v: dict[str, str]) -> Spec:
    """The spec with placeholders inside its options (`to`) filled."""
    opt = dict(s.opt)
    if "to" in opt:
        opt["to"] = tuple(v.get(x[2:-2], x) if is_token(x) else x for x in opt["to"])
    return Spec(**{**s.__dict__, "opt": opt})


def build_draft(s: Spec, values: dict[str, str]) -> bytes:
    sample = sample_values(s.topic)
    spec = fill_opt(s, values)
    ctx = Ctx(spec, values, draft_date(s, values, sample["CONSULTATION_DATE"]))
    headers, root = BUILDERS[s.client](ctx)
    return part_bytes(root, headers).encode("utf-8")


def template(s: Spec) -> bytes:
    return build_draft(s, dict(TOKENS))


def rendered(s: Spec, values: dict[str, str] | None = None) -> bytes:
    v = sample_values(s.topic)
    v.update(values or {})
    return build_draft(s, v)


def layout(s: Spec) -> str:
    o = s.opt
    if not o.get("quote", True):
        ans = "answer-only" if (s.answer or s.closing) else "nothing"
    elif not (s.answer or s.closing):
        ans = "quote-only"
    elif s.client in ("thunderbird", "roundcube"):
        ans = "answer-above-quote" if o.get("answer_pos") == "above" else "answer-below-quote"
    else:
        ans = "answer-above-quote"
    typed = bool(s.closing) and s.closing != [ATTE]
    if s.client in ("apple-mail-ios", "outlook-android", "outlook-ios") and not s.sig:
        tag = "phone-tagline" if s.client == "apple-mail-ios" else "app-tagline"
        sig = f"typed-name+{tag}" if typed else tag
    elif not s.sig:
        sig = "typed-name" if typed else "no-signature"
    elif not o.get("quote", True):
        sig = "signature"
    elif s.client == "thunderbird":
        sig = "signature-below-quote" if o.get("sig_pos", "below") == "below" else "signature-above-quote"
    elif s.client == "gmail":
        sig = "signature-above-quote" if o.get("sig_pos") == "above" else "signature-below-quote"
    elif s.client == "roundcube":
        sig = "signature-above-quote" if o.get("answer_pos") == "above" else "signature-below-quote"
    else:
        sig = "signature-above-quote"
    fmt = mime_shape(s)
    return f"{ans}; {sig}; {fmt}"


def mime_shape(s: Spec) -> str:
    msg = email.message_from_bytes(rendered(s), policy=email.policy.compat32)

    def shape(p) -> str:
        if p.is_multipart():
            return p.get_content_type() + "(" + ", ".join(shape(x) for x in p.get_payload()) + ")"
        return p.get_content_type()

    return shape(msg)


def labels_for(s: Spec) -> dict:
    d = dict(file=file_of(s.id), id=s.id, client=s.client, locale=s.locale, layout=layout(s), expect=s.expect)
    if s.reason:
        d["reason"] = s.reason
    d["expected_text"] = s.expected_text
    d["links_by"] = s.links_by
    d["signed_by"] = "none" if (s.reason in ("unsigned", "empty") and s.signed_by != "office") \
        or (s.reason == "no-own-text" and not s.sig) else s.signed_by
    d["flags"] = FLAGS[s.client]
    d["reply_to"] = s.opt.get("reply_to", "consultation")
    if s.opt.get("thread_index"):
        d["thread_index"] = s.opt["thread_index"]
    if s.opt.get("cc"):
        d["cc"] = s.opt["cc"][1]
    if s.opt.get("attach"):
        d["attachment"] = s.opt["attach"]
    d["topic"] = s.topic
    d["note"] = s.note
    return d


def toml_value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def labels_toml(part: str, specs: list[Spec]) -> str:
    out = [f"# Labels of tests/drafts/{part}/ (written by make.py; see README.md for every key).", ""]
    for s in sorted(specs, key=lambda x: file_of(x.id)):
        out.append("[[draft]]")
        for k, v in labels_for(s).items():
            out.append(f"{k} = {toml_value(v)}")
        out.append("")
    return "\n".join(out)


def outputs() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    by_part: dict[str, list[Spec]] = {"tune": [], "heldout": []}
    for s in DRAFTS:
        part = split_of(s.id)
        by_part[part].append(s)
        files[HERE / part / file_of(s.id)] = template(s)
    for part, specs in by_part.items():
        files[HERE / part / "labels.toml"] = labels_toml(part, specs).encode()
    return files


# ---------------------------------------------------------------------------------------------------------
# census (README.md) and --check

CENSUS_START, CENSUS_END = "<!-- census: written by make.py -->", "<!-- /census -->"


def census_markdown() -> str:
    rows = Counter((s.client, split_of(s.id)) for s in DRAFTS)
    lines = ["| client | tune | heldout | total |", "|---|---:|---:|---:|"]
    for client in BUILDERS:
        t, h = rows[(client, "tune")], rows[(client, "heldout")]
        lines.append(f"| {client} | {t} | {h} | {t + h} |")
    tt = sum(1 for s in DRAFTS if split_of(s.id) == "tune")
    lines.append(f"| **total** | **{tt}** | **{len(DRAFTS) - tt}** | **{len(DRAFTS)}** |")
    lines += ["", "| expectation | tune | heldout |", "|---|---:|---:|"]
    kinds = Counter((s.expect + (f" ({s.reason})" if s.reason else ""), split_of(s.id)) for s in DRAFTS)
    for k in sorted({k for k, _ in kinds}, key=lambda x: (x != "send", x)):
        lines.append(f"| {k} | {kinds[(k, 'tune')]} | {kinds[(k, 'heldout')]} |")
    lines += ["", "| links_by | tune | heldout |", "|---|---:|---:|"]
    links = Counter((s.links_by, split_of(s.id)) for s in DRAFTS)
    for k in sorted({k for k, _ in links}):
        lines.append(f"| {k} | {links[(k, 'tune')]} | {links[(k, 'heldout')]} |")
    lines += ["", "| layout (answer; signature) | tune | heldout |", "|---|---:|---:|"]
    lay = Counter(("; ".join(layout(s).split("; ")[:2]), split_of(s.id)) for s in DRAFTS)
    for k in sorted({k for k, _ in lay}):
        lines.append(f"| {k} | {lay[(k, 'tune')]} | {lay[(k, 'heldout')]} |")
    return "\n".join(lines)


def readme_with_census(text: str) -> str:
    start, end = text.index(CENSUS_START) + len(CENSUS_START), text.index(CENSUS_END)
    return text[:start] + "\n" + census_markdown() + "\n" + text[end:]


def html_to_text(h: str) -> str:
    h = re.sub(r"(?is)<(style|head)\b.*?</\1>", " ", h)
    h = re.sub(r"(?i)<br\s*/?>|</(p|div|pre|blockquote)>", "\n", h)
    h = re.sub(r"<[^>]+>", " ", h)
    return htmlmod.unescape(h).replace("\xa0", " ")


def texts(msg) -> list[str]:
    out = []
    for p in msg.walk():
        if p.get_content_maintype() == "text" and not p.get_filename():
            raw = p.get_payload(decode=True) or b""
            t = raw.decode(p.get_content_charset() or "us-ascii")
            if p.get_content_subtype() == "flowed" or "format=flowed" in p.get("Content-Type", ""):
                t = re.sub(r" \r?\n", " ", t)
            out.append(html_to_text(t) if p.get_content_subtype() == "html" else t)
    return out


def squash(t: str) -> str:
    t = re.sub(r"(?m)^[> ]*>", " ", t)  # quote prefixes
    return re.sub(r"\s+", " ", t).strip()


def mime_problems(raw: bytes, where: str) -> list[str]:
    errs: list[str] = []
    if raw.count(b"\n") != raw.count(b"\r\n"):
        errs.append(f"{where}: bare LF line endings")
    head, _, _ = raw.partition(b"\r\n\r\n")
    if any(b > 127 for b in head):
        errs.append(f"{where}: 8-bit bytes in the header")
    for n, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 998:
            errs.append(f"{where}:{n}: line of {len(line)} bytes")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for p in msg.walk():
        if p.defects:
            errs.append(f"{where}: {p.get_content_type()}: {p.defects}")
        if p.is_multipart():
            b = p.get_boundary()
            if not b or f"--{b}--".encode() not in raw:
                errs.append(f"{where}: multipart without closing boundary")
            if not p.get_payload():
                errs.append(f"{where}: empty multipart")
            continue
        cte = p.get("Content-Transfer-Encoding", "7bit").lower()
        payload = p.get_payload(decode=False)
        if cte == "quoted-printable" and any(len(x.rstrip("\r")) > 76 for x in payload.split("\n")):
            errs.append(f"{where}: quoted-printable line over 76")
        if cte == "base64" and any(len(x.strip()) > 76 for x in payload.split("\n")):
            errs.append(f"{where}: base64 line over 76")
        data = p.get_payload(decode=True)
        if p.get_content_maintype() == "text":
            try:
                data.decode(p.get_content_charset() or "us-ascii")
            except (UnicodeDecodeError, LookupError) as e:
                errs.append(f"{where}: text part does not decode: {e}")
        if p.get_content_type() == "application/pdf" and not data.startswith(b"%PDF-"):
            errs.append(f"{where}: the PDF does not decode")
        if p.get_content_type() == "image/png" and not data.startswith(b"\x89PNG"):
            errs.append(f"{where}: the PNG does not decode")
    # a cid: reference has its part
    for cid in re.findall(rb"cid:([^\"'\s>]+)", raw):
        if b"<" + cid + b">" not in raw:
            errs.append(f"{where}: cid:{cid.decode()} has no part")
    return errs


def shape_problems(s: Spec) -> list[str]:
    """The draft (rendered with its topic's sample values) shows what its label says."""
    errs: list[str] = []
    v = sample_values(s.topic)
    raw = rendered(s)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    body = squash(" ".join(texts(msg)))
    where = s.id
    want = squash(Ctx(s, v, None).fill(s.expected_text))
    if s.expect == "send" and not want:
        errs.append(f"{where}: a draft to send needs expected_text")
    if want and want not in body:
        errs.append(f"{where}: expected_text is not in the rendered draft: {want!r}")
    has_irt, has_refs = "In-Reply-To" in msg, "References" in msg
    match s.links_by:
        case "in-reply-to":
            ok = has_irt
        case "references":
            ok = has_refs and not has_irt
        case "thread-index":
            ok = "Thread-Index" in msg and not has_irt and not has_refs and s.opt.get("thread_index") == "child"
        case "subject" | "ticket":
            ok = not has_irt and not has_refs and s.opt.get("thread_index") != "child"
        case _:
            ok = False
    if not ok:
        errs.append(f"{where}: links_by={s.links_by} does not match the draft's headers")
    if s.links_by == "ticket" and v["TICKET"] not in str(msg["Subject"]):
        errs.append(f"{where}: links_by=ticket but the subject has no ticket")
    to = str(msg.get("To", ""))
    if (s.reason == "wrong-recipient") == (v["CITIZEN_ADDR"] in to):
        errs.append(f"{where}: To ({to}) does not fit reason={s.reason or 'none'}")
    if s.expect == "refuse" and s.reason not in ("no-own-text", "unsigned", "wrong-recipient", "empty"):
        errs.append(f"{where}: refusal without a known reason")
    if s.expect == "send" and s.reason:
        errs.append(f"{where}: a draft to send has a reason")
    if s.reason == "empty" and body:
        errs.append(f"{where}: an empty draft has text: {body[:60]!r}")
    if s.reason in ("no-own-text", "empty") and (s.answer or s.closing):
        errs.append(f"{where}: {s.reason} but the assistant typed something")
    if s.reason == "no-own-text" and squash(v["CONSULTATION_TEXT"].split("\n")[-1]) not in body:
        errs.append(f"{where}: no-own-text draft without the quote")
    if s.opt.get("cc") and s.opt["cc"][1] not in str(msg.get("Cc", "")):
        errs.append(f"{where}: Cc missing")
    if s.opt.get("attach") and not any(p.get_filename() == s.opt["attach"] for p in msg.walk()):
        errs.append(f"{where}: attachment missing")
    return errs


def check() -> int:
    errs: list[str] = []
    ids = [s.id for s in DRAFTS]
    if len(ids) != len(set(ids)):
        errs.append("duplicate draft ids")
    files = outputs()
    for path, data in files.items():
        rel = path.relative_to(HERE)
        if not path.exists():
            errs.append(f"{rel}: missing (run make.py)")
        elif path.read_bytes() != data:
            errs.append(f"{rel}: differs from what make.py writes (run make.py)")
    for part in ("tune", "heldout"):
        for p in sorted((HERE / part).glob("*")):
            if p not in files:
                errs.append(f"{p.relative_to(HERE)}: not written by make.py")
    for part in ("tune", "heldout"):
        lab = (HERE / part / "labels.toml")
        if lab.exists():
            import tomllib

            entries = tomllib.loads(lab.read_text(encoding="utf-8"))["draft"]
            names = {e["file"] for e in entries}
            emls = {p.name for p in (HERE / part).glob("*.eml")}
            if names != emls:
                errs.append(f"{part}: labels and files disagree: {sorted(names ^ emls)}")
            for e in entries:
                for key in ("client", "locale", "layout", "expect", "expected_text", "links_by", "note", "flags"):
                    if key not in e:
                        errs.append(f"{part}/{e['file']}: label without {key}")
    for s in DRAFTS:
        where = f"{split_of(s.id)}/{file_of(s.id)} ({s.id})"
        errs += mime_problems(template(s), where + " template")
        errs += mime_problems(rendered(s), where + " rendered")
        errs += shape_problems(s)
        left = set(re.findall(rb"\{\{[A-Z_]+\}\}", rendered(s)))
        if left:
            errs.append(f"{where}: placeholders left after render: {sorted(left)}")
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    if readme_with_census(readme) != readme:
        errs.append("README.md: counts are out of date (run make.py)")
    for e in errs:
        print("drafts:", e, file=sys.stderr)
    print(census_markdown())
    print(f"drafts: {len(DRAFTS)} drafts, {len(errs)} problems")
    return 1 if errs else 0


def write() -> int:
    for part in ("tune", "heldout"):
        (HERE / part).mkdir(exist_ok=True)
        for p in (HERE / part).glob("*"):
            p.unlink()
    for path, data in outputs().items():
        path.write_bytes(data)
    readme = HERE / "README.md"
    readme.write_text(readme_with_census(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(census_markdown())
    return 0


def render_cmd(target: str, values_file: str | None) -> int:
    name = Path(target).name
    spec = next((s for s in DRAFTS if file_of(s.id) == name or s.id == target), None)
    if spec is None:
        print(f"drafts: no draft {target!r}", file=sys.stderr)
        return 2
    values = json.loads(Path(values_file).read_text(encoding="utf-8")) if values_file else {}
    unknown = set(values) - set(PLACEHOLDERS)
    if unknown:
        print(f"drafts: unknown placeholders {sorted(unknown)}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(rendered(spec, values))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("command", nargs="?", choices=["render"])
    ap.add_argument("target", nargs="?")
    ap.add_argument("--values")
    a = ap.parse_args()
    if a.command == "render":
        return render_cmd(a.target, a.values)
    return check() if a.check else write()


if __name__ == "__main__":
    sys.exit(main())
