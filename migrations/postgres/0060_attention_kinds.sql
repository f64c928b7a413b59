-- Kinds of attention (issue 18): an incident, complaint or suggestion is filed in its kind's folder and keeps the
-- area the rules decided for it (SEACE, RNP, Legal). Rows recorded before are consultations; their area was their
-- folder and stays NULL here (the register reads the folder then).
-- Keep the columns identical to migrations/sqlite/0060_attention_kinds.sql.

ALTER TABLE consultations ADD COLUMN kind TEXT NOT NULL DEFAULT 'consulta'
    CHECK (kind IN ('consulta', 'incidencia', 'reclamo', 'sugerencia'));
ALTER TABLE consultations ADD COLUMN area TEXT;

-- The register and indicators read attentions by kind (the complaints' 30-day clock).
CREATE INDEX consultations_kind ON consultations (kind, received_at);
