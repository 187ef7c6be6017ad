-- KPI aggregates per local month, kept in the same transaction as each event like the
-- daily ones of 0006. With a million studies, exact turnaround percentiles over a year's
-- reports (a sort of ~500,000 values) took over a second, and summing a year of daily
-- rows per facility and class some 60 ms; a window of whole months now reads the
-- monthly tables, and only the days before its first and after its last whole month the
-- daily ones (and, for turnaround, the signed studies' index).
--
-- 1. Monthly roll-ups of the daily counts (kpi_study_monthly, kpi_consultation_monthly),
--    kept by triggers on the daily tables, so every writer of those stays as it is.
-- 2. Turnaround (ready -> signed) and SLA breaches: a histogram per local month of the
--    signature, facility, modality class and priority (kpi_turnaround_monthly).
--
-- Buckets grow by 10 %: bucket b holds turnarounds t (seconds) with
--   60 * (1.1^b - 1) <= t < 60 * (1.1^(b+1) - 1)
-- so b = 0 is [0 s, 6 s), b = 43 about [1 h, 1.1 h), b = 77 about [24 h, 26.4 h). The
-- server (src/kpi_histogram.cpp) interpolates percentiles within a bucket; see README,
-- "KPIs", for the resulting precision.
--
-- A breach is now a signature after the study's own deadline (sla_due_at, set when it
-- became ready and moved when its priority changed), not after the SLA configured today.

CREATE TABLE kpi_study_monthly (
    month          date    NOT NULL,  -- first local day of the month
    facility_id    bigint  NOT NULL REFERENCES facility (id),
    modality_class text    NOT NULL,
    received       integer NOT NULL DEFAULT 0,
    diagnosed      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (month, facility_id, modality_class)
);

CREATE TABLE kpi_consultation_monthly (
    month       date    NOT NULL,
    facility_id bigint  NOT NULL REFERENCES facility (id),
    booked      integer NOT NULL DEFAULT 0,
    completed   integer NOT NULL DEFAULT 0,
    cancelled   integer NOT NULL DEFAULT 0,
    no_show     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (month, facility_id)
);

-- A daily row's change (new minus old; its key never changes) added to its month.
CREATE FUNCTION kpi_roll_up_study_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d  kpi_study_daily := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    dr integer := CASE WHEN TG_OP = 'INSERT' THEN NEW.received
                       WHEN TG_OP = 'UPDATE' THEN NEW.received - OLD.received
                       ELSE -OLD.received END;
    dd integer := CASE WHEN TG_OP = 'INSERT' THEN NEW.diagnosed
                       WHEN TG_OP = 'UPDATE' THEN NEW.diagnosed - OLD.diagnosed
                       ELSE -OLD.diagnosed END;
BEGIN
    INSERT INTO kpi_study_monthly AS m (month, facility_id, modality_class, received, diagnosed)
    VALUES (date_trunc('month', d.day)::date, d.facility_id, d.modality_class, dr, dd)
    ON CONFLICT (month, facility_id, modality_class) DO UPDATE
        SET received = m.received + EXCLUDED.received,
            diagnosed = m.diagnosed + EXCLUDED.diagnosed;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_roll_up_study_day AFTER INSERT OR UPDATE OR DELETE ON kpi_study_daily
    FOR EACH ROW EXECUTE FUNCTION kpi_roll_up_study_day();

CREATE FUNCTION kpi_roll_up_consultation_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d    kpi_consultation_daily := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    sign integer := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;
    o    kpi_consultation_daily := CASE WHEN TG_OP = 'UPDATE' THEN OLD ELSE NULL END;
BEGIN
    INSERT INTO kpi_consultation_monthly AS m
        (month, facility_id, booked, completed, cancelled, no_show)
    VALUES (date_trunc('month', d.day)::date, d.facility_id,
            sign * d.booked - COALESCE(o.booked, 0),
            sign * d.completed - COALESCE(o.completed, 0),
            sign * d.cancelled - COALESCE(o.cancelled, 0),
            sign * d.no_show - COALESCE(o.no_show, 0))
    ON CONFLICT (month, facility_id) DO UPDATE
        SET booked = m.booked + EXCLUDED.booked,
            completed = m.completed + EXCLUDED.completed,
            cancelled = m.cancelled + EXCLUDED.cancelled,
            no_show = m.no_show + EXCLUDED.no_show;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_roll_up_consultation_day
    AFTER INSERT OR UPDATE OR DELETE ON kpi_consultation_daily
    FOR EACH ROW EXECUTE FUNCTION kpi_roll_up_consultation_day();

CREATE FUNCTION kpi_turnaround_bucket(secs double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT LEAST(floor(ln(1 + GREATEST(secs, 0) / 60.0) / ln(1.1)), 32767)::smallint
$$;

CREATE TABLE kpi_turnaround_monthly (
    month          date     NOT NULL,  -- first local day of the month of the signature
    facility_id    bigint   NOT NULL REFERENCES facility (id),
    modality_class text     NOT NULL,
    priority       smallint NOT NULL,
    bucket         smallint NOT NULL,
    signed         integer  NOT NULL DEFAULT 0,
    breaches       integer  NOT NULL DEFAULT 0,
    PRIMARY KEY (month, facility_id, modality_class, priority, bucket)
);

CREATE FUNCTION kpi_turnaround_contribution(s study, sign integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO kpi_turnaround_monthly AS k
        (month, facility_id, modality_class, priority, bucket, signed, breaches)
    SELECT date_trunc('month', kpi_local_day(s.reported_at))::date, s.facility_id,
           s.modality_class, s.priority,
           kpi_turnaround_bucket(extract(epoch FROM s.reported_at - s.ready_at)), sign,
           sign * (s.sla_due_at IS NOT NULL AND s.reported_at > s.sla_due_at)::integer
    WHERE s.status = 'reported' AND s.reported_at IS NOT NULL AND s.ready_at IS NOT NULL
    ON CONFLICT (month, facility_id, modality_class, priority, bucket) DO UPDATE
        SET signed = k.signed + EXCLUDED.signed,
            breaches = k.breaches + EXCLUDED.breaches
$$;

CREATE FUNCTION kpi_count_turnaround() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM kpi_turnaround_contribution(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM kpi_turnaround_contribution(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_count_turnaround_insert AFTER INSERT OR DELETE ON study
    FOR EACH ROW EXECUTE FUNCTION kpi_count_turnaround();
-- Only changes that move a signed study's contribution call the function.
CREATE TRIGGER kpi_count_turnaround_update AFTER UPDATE ON study FOR EACH ROW
    WHEN ((OLD.status = 'reported' OR NEW.status = 'reported')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
               OR OLD.ready_at IS DISTINCT FROM NEW.ready_at
               OR OLD.sla_due_at IS DISTINCT FROM NEW.sla_due_at
               OR OLD.priority IS DISTINCT FROM NEW.priority
               OR OLD.facility_id IS DISTINCT FROM NEW.facility_id
               OR OLD.modality_class IS DISTINCT FROM NEW.modality_class))
    EXECUTE FUNCTION kpi_count_turnaround();

-- Windows that do not cover whole months read their edge days' signed studies directly:
-- an index-only range scan that now carries the deadline too.
CREATE INDEX study_signed_kpi_idx ON study (reported_at)
    INCLUDE (ready_at, sla_due_at, priority, facility_id, modality_class)
    WHERE status = 'reported';
DROP INDEX study_reported_kpi_idx;

-- kpi_recount (0006) recounts the counts; the histogram joins it. kpi_set_time_zone calls
-- kpi_recount by name, so a change of zone recounts the histogram as well.
ALTER FUNCTION kpi_recount() RENAME TO kpi_recount_counts;

CREATE FUNCTION kpi_recount_turnaround() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE study IN SHARE MODE;
    DELETE FROM kpi_turnaround_monthly;
    INSERT INTO kpi_turnaround_monthly
        (month, facility_id, modality_class, priority, bucket, signed, breaches)
    SELECT date_trunc('month', kpi_local_day(reported_at))::date, facility_id, modality_class,
           priority, kpi_turnaround_bucket(extract(epoch FROM reported_at - ready_at)),
           count(*), count(*) FILTER (WHERE sla_due_at IS NOT NULL AND reported_at > sla_due_at)
    FROM study
    WHERE status = 'reported' AND reported_at IS NOT NULL AND ready_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
END $$;

-- The monthly roll-ups from the daily rows as they are now.
CREATE FUNCTION kpi_recount_months() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM kpi_study_monthly;
    INSERT INTO kpi_study_monthly (month, facility_id, modality_class, received, diagnosed)
    SELECT date_trunc('month', day)::date, facility_id, modality_class, sum(received),
           sum(diagnosed)
    FROM kpi_study_daily GROUP BY 1, 2, 3;
    DELETE FROM kpi_consultation_monthly;
    INSERT INTO kpi_consultation_monthly (month, facility_id, booked, completed, cancelled, no_show)
    SELECT date_trunc('month', day)::date, facility_id, sum(booked), sum(completed),
           sum(cancelled), sum(no_show)
    FROM kpi_consultation_daily GROUP BY 1, 2;
END $$;

CREATE FUNCTION kpi_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kpi_recount_counts();
    PERFORM kpi_recount_months();  -- exact whatever the triggers did during the recount
    PERFORM kpi_recount_turnaround();
END $$;

-- Everything counted before this migration.
DO $$ BEGIN PERFORM kpi_recount_months(); PERFORM kpi_recount_turnaround(); END $$;
