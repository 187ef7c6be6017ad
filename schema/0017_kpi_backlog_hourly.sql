-- The backlog (studies ready or claimed, by priority and by age: under 1 hour, 1-4 hours,
-- 4-24 hours, 1-7 days, 7 days or more) without counting every waiting study (issue 15,
-- part 4). Every /metrics scrape and every KPI answer gives it as of now; counted from
-- study_backlog_kpi_idx it visited each waiting study's index entry, some 44,000 in the
-- KPI benchmark's million studies (20 ms of each scrape at 400,000).
--
-- kpi_backlog_hourly holds how many waiting studies of each priority became ready in each
-- hour (hours since the Unix epoch, so no time zone enters), kept by triggers in the
-- study's own transaction like the other KPI aggregates. An age boundary (now - 1 hour,
-- ...) falls inside one such hour: the studies of later hours are all younger, those of
-- earlier hours all older, and only that hour's are counted one by one from the index,
-- by the exact time. So the figures stay exactly those of counting every waiting study,
-- read in one snapshot, from a few hundred rows and four short index ranges per
-- priority. Rows are deleted when they reach zero: the table holds the hours in which a
-- study still waiting became ready, never more.
--
-- Who writes it: the stability sweep (studies becoming ready, this hour's row), a
-- radiologist's claim (no change: both states wait), a signature or a cancellation (the
-- study's own ready hour), a change of priority. Those are few and mostly on different
-- rows, so no writer waits on another it would not have waited on for the study itself.

CREATE TABLE kpi_backlog_hourly (
    priority smallint NOT NULL,
    hour     bigint   NOT NULL,  -- kpi_backlog_hour(ready_at)
    studies  integer  NOT NULL,
    PRIMARY KEY (priority, hour)
);

-- The hour a waiting study is counted under. One without a ready time counts as the
-- oldest (as the count over the index did): hour -1, before any boundary.
CREATE FUNCTION kpi_backlog_hour(ready_at timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ready_at IS NULL OR ready_at = '-infinity' THEN -1
                WHEN ready_at = 'infinity' THEN 9007199254740991
                ELSE floor(extract(epoch FROM ready_at) / 3600)::bigint END
$$;

CREATE FUNCTION kpi_backlog_add(p smallint, h bigint, n integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kpi_backlog_hourly AS k (priority, hour, studies) VALUES (p, h, n)
    ON CONFLICT (priority, hour) DO UPDATE SET studies = k.studies + EXCLUDED.studies;
    -- Under this transaction's row lock: a concurrent increment of the same hour waits,
    -- then finds no row and inserts one (INSERT ... ON CONFLICT's guarantee).
    IF n < 0 THEN
        DELETE FROM kpi_backlog_hourly WHERE priority = p AND hour = h AND studies = 0;
    END IF;
END $$;

CREATE FUNCTION kpi_count_backlog() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_waiting boolean := TG_OP <> 'INSERT' AND OLD.status IN ('ready', 'claimed');
    waits boolean := TG_OP <> 'DELETE' AND NEW.status IN ('ready', 'claimed');
BEGIN
    IF was_waiting AND waits AND OLD.priority = NEW.priority
       AND kpi_backlog_hour(OLD.ready_at) = kpi_backlog_hour(NEW.ready_at) THEN
        RETURN NULL;  -- a claim, or a ready time moved within its hour
    END IF;
    IF was_waiting THEN
        PERFORM kpi_backlog_add(OLD.priority, kpi_backlog_hour(OLD.ready_at), -1);
    END IF;
    IF waits THEN
        PERFORM kpi_backlog_add(NEW.priority, kpi_backlog_hour(NEW.ready_at), 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_count_backlog_insert AFTER INSERT ON study FOR EACH ROW
    WHEN (NEW.status IN ('ready', 'claimed')) EXECUTE FUNCTION kpi_count_backlog();
CREATE TRIGGER kpi_count_backlog_delete AFTER DELETE ON study FOR EACH ROW
    WHEN (OLD.status IN ('ready', 'claimed')) EXECUTE FUNCTION kpi_count_backlog();
-- Each new instance updates its study: the WHEN clause keeps those from calling it.
CREATE TRIGGER kpi_count_backlog_update AFTER UPDATE ON study FOR EACH ROW
    WHEN ((OLD.status IN ('ready', 'claimed')) IS DISTINCT FROM (NEW.status IN ('ready', 'claimed'))
          OR (NEW.status IN ('ready', 'claimed')
              AND (OLD.priority IS DISTINCT FROM NEW.priority
                   OR OLD.ready_at IS DISTINCT FROM NEW.ready_at)))
    EXECUTE FUNCTION kpi_count_backlog();

-- The counts from the studies themselves; kpi_recount calls it with the others.
CREATE FUNCTION kpi_recount_backlog() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE study IN SHARE MODE;
    DELETE FROM kpi_backlog_hourly;
    INSERT INTO kpi_backlog_hourly (priority, hour, studies)
    SELECT priority, kpi_backlog_hour(ready_at), count(*)
    FROM study WHERE status IN ('ready', 'claimed') GROUP BY 1, 2;
END $$;

CREATE OR REPLACE FUNCTION kpi_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kpi_recount_counts();
    PERFORM kpi_recount_months();  -- exact whatever the triggers did during the recount
    PERFORM kpi_recount_totals();
    PERFORM kpi_recount_turnaround();
    PERFORM kpi_recount_national_turnaround();
    PERFORM kpi_recount_backlog();
END $$;

-- The studies waiting when this migration runs (the trigger counts every later change:
-- the lock holds writers of studies until this transaction commits).
DO $$ BEGIN PERFORM kpi_recount_backlog(); END $$;
