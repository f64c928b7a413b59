-- The learned opinion on the kind of attention (issue 18 point 1): each trained model also keeps the counts of
-- its kind model (consulta, incidencia, reclamo, sugerencia; `rules::learned::Counts` text form), trained from the
-- shipped kind seed plus the confirmed filings' kinds (the consultation's kind, which a drag into or out of a
-- kind's folder corrects). NULL: a model trained before this migration, whose daemons vote with the kind seed.
-- Keep the columns identical to migrations/postgres/0080_kind_model.sql.

ALTER TABLE routing_models ADD COLUMN kind_counts TEXT;
