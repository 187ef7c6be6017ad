-- The report's state on the study row, like critical_pending: the worklist and the
-- facility inbox show it for every item of a page without a lookup per row. Set in the
-- same transactions that write the report (first draft save, signature).
ALTER TABLE study ADD COLUMN report_status text CHECK (report_status IN ('draft', 'final'));
UPDATE study s SET report_status = r.status FROM report r WHERE r.study_id = s.id;
