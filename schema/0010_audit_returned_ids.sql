-- Audit that an auditor would accept (issue 12, item 6).
--
-- returned_ids: a list read (worklist, facility inbox, e-examination list) records which
-- objects it returned (study UIDs, e-examination ids), not only that a list was read.
-- detail: what an entry does not otherwise say, e.g. the filters and result count of a
-- read of the audit trail itself. Constant defaults: PostgreSQL adds both columns without
-- rewriting the table.
ALTER TABLE audit_event
    ADD COLUMN returned_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN detail text NOT NULL DEFAULT '';
