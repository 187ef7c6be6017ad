-- Worklist and facility inbox at scale (issue 4, bench/worklist.sh). With 1,000,000
-- studies the worklist query could not use study_worklist_idx for its order: the order
-- is on COALESCE(sla_due_at, 'infinity') (never NULL, so that a keyset cursor can page
-- through it) and that index is on the bare column. PostgreSQL read every ready study and
-- sorted them, in parallel workers: 9.5 ms for the first page of ready CT studies and
-- 185 ms for a page 20,000 rows deep. These indexes are on the exact sort expressions,
-- after the equality filters a request uses, so a page is an index range scan.

-- Radiologists' worklist: status, then the order (priority, deadline, id).
DROP INDEX study_worklist_idx;
CREATE INDEX study_worklist_order_idx
    ON study (status, priority, (COALESCE(sla_due_at, 'infinity'::timestamptz)), id);
-- The same with the modality class, the filter nearly every reader sets (CT or X-ray).
CREATE INDEX study_worklist_modality_idx
    ON study (status, modality_class, priority, (COALESCE(sla_due_at, 'infinity'::timestamptz)), id);
-- A facility's inbox: its own studies, unacknowledged critical findings first.
CREATE INDEX study_inbox_idx
    ON study (facility_id, (NOT critical_pending), priority,
              (COALESCE(sla_due_at, 'infinity'::timestamptz)), id);
