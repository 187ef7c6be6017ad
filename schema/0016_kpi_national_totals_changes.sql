-- KPIs at national scale under concurrent users (issue 15, part 4). As issue 15 reports at
-- 1,000,000 studies, a year grouped by day read every signature of the year from the
-- signed studies' index (2.2 s), a /metrics scrape summed every daily row (448 ms), and
-- four users asking at once queued behind each other's repeated work. Three additions,
-- all kept by triggers in the same transaction as the event, like 0006 and 0007:
--
-- 1. A national turnaround histogram per local day and per local month of the signature,
--    modality class and priority (no facility): the questions without a facility or aimag
--    (the report, by day, by month, by modality) read it instead of the per-facility
--    histogram or, for days, the signed studies' index. Questions by facility or aimag
--    keep reading 0007's per-facility histogram and, for edge days, the index.
-- 2. Running totals per facility (and modality class) for the /metrics counters, kept by
--    triggers on the monthly tables: a scrape reads a few hundred rows, however many
--    days have passed.
-- 3. kpi_change: how many times the aggregates of a (local month, facility, modality
--    class) have changed; consultations count under class '', and a change of a
--    facility's code, name, aimag or active flag under month '-infinity'. Every
--    committed change of an input of a window's figures adds 1 to a row of the window's
--    months or to a '-infinity' row, so, read in the figures' own snapshot, the sum of
--    those rows is the same for two snapshots only if they hold the same figures
--    (PostgreSQL's snapshots of one server nest: a later one sees everything an earlier
--    one saw). The server keeps recent answers keyed by question and that sum
--    (src/kpi/kpi_figures_cache.h) and answers from memory while it is unchanged: exact,
--    never a timer. The rows are as fine as the monthly tables' own keys, so no writer
--    waits for another it did not already wait for; a change to 2026 leaves the 2025
--    answers valid. Rows are never deleted (the sums only grow).

CREATE TABLE kpi_turnaround_national_daily (
    day            date     NOT NULL,  -- local day of the signature
    modality_class text     NOT NULL,
    priority       smallint NOT NULL,
    bucket         smallint NOT NULL,  -- kpi_turnaround_bucket (0007)
    signed         integer  NOT NULL DEFAULT 0,
    breaches       integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (day, modality_class, priority, bucket)
);

CREATE TABLE kpi_turnaround_national_monthly (
    month          date     NOT NULL,  -- first local day of the month of the signature
    modality_class text     NOT NULL,
    priority       smallint NOT NULL,
    bucket         smallint NOT NULL,
    signed         integer  NOT NULL DEFAULT 0,
    breaches       integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (month, modality_class, priority, bucket)
);

CREATE TABLE kpi_study_total (
    facility_id    bigint NOT NULL REFERENCES facility (id),
    modality_class text   NOT NULL,
    received       bigint NOT NULL DEFAULT 0,
    diagnosed      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (facility_id, modality_class)
);

CREATE TABLE kpi_consultation_total (
    facility_id bigint NOT NULL REFERENCES facility (id) PRIMARY KEY,
    booked      bigint NOT NULL DEFAULT 0,
    completed   bigint NOT NULL DEFAULT 0,
    cancelled   bigint NOT NULL DEFAULT 0,
    no_show     bigint NOT NULL DEFAULT 0
);

-- No foreign key: nothing joins it, and a writer's note stays one index lookup.
CREATE TABLE kpi_change (
    month          date   NOT NULL,
    facility_id    bigint NOT NULL,
    modality_class text   NOT NULL,
    changes        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (month, facility_id, modality_class)
);

CREATE FUNCTION kpi_note_change(m date, f bigint, c text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO kpi_change AS k (month, facility_id, modality_class, changes) VALUES (m, f, c, 1)
    ON CONFLICT (month, facility_id, modality_class) DO UPDATE SET changes = k.changes + 1
$$;

-- A signed study's contribution: 0007's per-facility histogram, and now the national ones.
-- Same signature as 0007's, so its triggers call this one; the local day is found once.
CREATE OR REPLACE FUNCTION kpi_turnaround_contribution(s study, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d      date;
    b      smallint;
    breach integer;
BEGIN
    IF s.status <> 'reported' OR s.reported_at IS NULL OR s.ready_at IS NULL THEN
        RETURN;
    END IF;
    d := kpi_local_day(s.reported_at);
    b := kpi_turnaround_bucket(extract(epoch FROM s.reported_at - s.ready_at));
    breach := sign * (s.sla_due_at IS NOT NULL AND s.reported_at > s.sla_due_at)::integer;
    INSERT INTO kpi_turnaround_monthly AS k
        (month, facility_id, modality_class, priority, bucket, signed, breaches)
    VALUES (date_trunc('month', d)::date, s.facility_id, s.modality_class, s.priority, b, sign,
            breach)
    ON CONFLICT (month, facility_id, modality_class, priority, bucket) DO UPDATE
        SET signed = k.signed + EXCLUDED.signed, breaches = k.breaches + EXCLUDED.breaches;
    INSERT INTO kpi_turnaround_national_daily AS k
        (day, modality_class, priority, bucket, signed, breaches)
    VALUES (d, s.modality_class, s.priority, b, sign, breach)
    ON CONFLICT (day, modality_class, priority, bucket) DO UPDATE
        SET signed = k.signed + EXCLUDED.signed, breaches = k.breaches + EXCLUDED.breaches;
    INSERT INTO kpi_turnaround_national_monthly AS k
        (month, modality_class, priority, bucket, signed, breaches)
    VALUES (date_trunc('month', d)::date, s.modality_class, s.priority, b, sign, breach)
    ON CONFLICT (month, modality_class, priority, bucket) DO UPDATE
        SET signed = k.signed + EXCLUDED.signed, breaches = k.breaches + EXCLUDED.breaches;
END $$;

-- A monthly study row's change (new minus old; its key never changes) added to the
-- facility's running total, and noted as a change of its month.
CREATE FUNCTION kpi_total_study_month() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m  kpi_study_monthly := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    dr integer := CASE WHEN TG_OP = 'INSERT' THEN NEW.received
                       WHEN TG_OP = 'UPDATE' THEN NEW.received - OLD.received
                       ELSE -OLD.received END;
    dd integer := CASE WHEN TG_OP = 'INSERT' THEN NEW.diagnosed
                       WHEN TG_OP = 'UPDATE' THEN NEW.diagnosed - OLD.diagnosed
                       ELSE -OLD.diagnosed END;
BEGIN
    INSERT INTO kpi_study_total AS t (facility_id, modality_class, received, diagnosed)
    VALUES (m.facility_id, m.modality_class, dr, dd)
    ON CONFLICT (facility_id, modality_class) DO UPDATE
        SET received = t.received + EXCLUDED.received,
            diagnosed = t.diagnosed + EXCLUDED.diagnosed;
    PERFORM kpi_note_change(m.month, m.facility_id, m.modality_class);
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_total_study_month AFTER INSERT OR UPDATE OR DELETE ON kpi_study_monthly
    FOR EACH ROW EXECUTE FUNCTION kpi_total_study_month();

CREATE FUNCTION kpi_total_consultation_month() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m    kpi_consultation_monthly := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    sign integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
    o    kpi_consultation_monthly := CASE WHEN TG_OP = 'UPDATE' THEN OLD ELSE NULL END;
BEGIN
    INSERT INTO kpi_consultation_total AS t (facility_id, booked, completed, cancelled, no_show)
    VALUES (m.facility_id, sign * m.booked - COALESCE(o.booked, 0),
            sign * m.completed - COALESCE(o.completed, 0),
            sign * m.cancelled - COALESCE(o.cancelled, 0),
            sign * m.no_show - COALESCE(o.no_show, 0))
    ON CONFLICT (facility_id) DO UPDATE
        SET booked = t.booked + EXCLUDED.booked,
            completed = t.completed + EXCLUDED.completed,
            cancelled = t.cancelled + EXCLUDED.cancelled,
            no_show = t.no_show + EXCLUDED.no_show;
    PERFORM kpi_note_change(m.month, m.facility_id, '');
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_total_consultation_month
    AFTER INSERT OR UPDATE OR DELETE ON kpi_consultation_monthly
    FOR EACH ROW EXECUTE FUNCTION kpi_total_consultation_month();

-- Every change of the per-facility histogram (hence of the signed studies the edge days
-- read from the index: the same trigger moves both).
CREATE FUNCTION kpi_note_turnaround_month() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m kpi_turnaround_monthly := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    PERFORM kpi_note_change(m.month, m.facility_id, m.modality_class);
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_note_turnaround_month AFTER INSERT OR UPDATE OR DELETE ON kpi_turnaround_monthly
    FOR EACH ROW EXECUTE FUNCTION kpi_note_turnaround_month();

-- Figures carry a facility's code, name and aimag, and count only active ones.
CREATE FUNCTION kpi_note_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kpi_note_change('-infinity'::date, NEW.id, '');
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_note_facility AFTER UPDATE ON facility FOR EACH ROW
    WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.name IS DISTINCT FROM NEW.name
          OR OLD.aimag IS DISTINCT FROM NEW.aimag OR OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION kpi_note_facility();

CREATE FUNCTION kpi_recount_totals() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM kpi_study_total;
    INSERT INTO kpi_study_total (facility_id, modality_class, received, diagnosed)
    SELECT facility_id, modality_class, sum(received), sum(diagnosed)
    FROM kpi_study_monthly GROUP BY 1, 2;
    DELETE FROM kpi_consultation_total;
    INSERT INTO kpi_consultation_total (facility_id, booked, completed, cancelled, no_show)
    SELECT facility_id, sum(booked), sum(completed), sum(cancelled), sum(no_show)
    FROM kpi_consultation_monthly GROUP BY 1;
END $$;

-- The national histograms from the per-facility one's source, the signed studies.
CREATE FUNCTION kpi_recount_national_turnaround() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE study IN SHARE MODE;
    DELETE FROM kpi_turnaround_national_daily;
    INSERT INTO kpi_turnaround_national_daily
        (day, modality_class, priority, bucket, signed, breaches)
    SELECT kpi_local_day(reported_at), modality_class, priority,
           kpi_turnaround_bucket(extract(epoch FROM reported_at - ready_at)), count(*),
           count(*) FILTER (WHERE sla_due_at IS NOT NULL AND reported_at > sla_due_at)
    FROM study
    WHERE status = 'reported' AND reported_at IS NOT NULL AND ready_at IS NOT NULL
    GROUP BY 1, 2, 3, 4;
    DELETE FROM kpi_turnaround_national_monthly;
    INSERT INTO kpi_turnaround_national_monthly
        (month, modality_class, priority, bucket, signed, breaches)
    SELECT date_trunc('month', day)::date, modality_class, priority, bucket, sum(signed),
           sum(breaches)
    FROM kpi_turnaround_national_daily GROUP BY 1, 2, 3, 4;
END $$;

-- kpi_set_time_zone calls kpi_recount by name: a change of zone recounts these too.
CREATE OR REPLACE FUNCTION kpi_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kpi_recount_counts();
    PERFORM kpi_recount_months();  -- exact whatever the triggers did during the recount
    PERFORM kpi_recount_totals();
    PERFORM kpi_recount_turnaround();
    PERFORM kpi_recount_national_turnaround();
END $$;

-- Everything counted before this migration (kpi_change starts empty: no server has
-- remembered an answer yet).
DO $$ BEGIN PERFORM kpi_recount_totals(); PERFORM kpi_recount_national_turnaround(); END $$;
