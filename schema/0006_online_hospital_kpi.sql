-- Online hospital and national KPIs (issue 5).
--
-- KPI figures come from PostgreSQL, never from one process's memory, so they are right
-- with several server processes and across restarts. Counts are kept in small daily
-- aggregate tables by triggers, in the same transaction as the event they count (a
-- study arriving, a report signed, an e-examination completed): a half-year report reads
-- a few thousand aggregate rows instead of scanning a million studies. Turnaround
-- percentiles cannot be summed, so they are computed from an index-only scan of the
-- reported studies (study_reported_kpi_idx).

-- Specialists of the online hospital (cardiologists, endocrinologists, ...) are not
-- radiologists: they take e-examinations and never see the image worklist.
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
    CHECK (role IN ('admin', 'radiologist', 'facility', 'ministry', 'specialist'));

-- An online-hospital e-examination (цахим үзлэг): a facility books it for a patient, a
-- specialist accepts it with a slot and completes it with a conclusion; or it is
-- cancelled, or the patient does not come (no_show). Every transition is one UPDATE
-- guarded by the expected status and version, like the study states.
CREATE TABLE consultation (
    id                 bigserial PRIMARY KEY,
    facility_id        bigint NOT NULL REFERENCES facility (id),
    patient_id         text NOT NULL,
    patient_name       text NOT NULL DEFAULT '',
    patient_birth_date date,
    patient_sex        text NOT NULL DEFAULT '',
    specialty          text NOT NULL CHECK (length(specialty) > 0),
    reason             text NOT NULL CHECK (length(reason) > 0),
    requested_at       timestamptz NOT NULL,  -- when the facility would like it to happen
    status             text NOT NULL DEFAULT 'requested'
                       CHECK (status IN ('requested', 'accepted', 'completed', 'cancelled', 'no_show')),
    slot_at            timestamptz,           -- the time the specialist gave
    specialist_id      bigint REFERENCES app_user (id),
    conclusion         text NOT NULL DEFAULT '',
    icd_codes          text[] NOT NULL DEFAULT '{}',
    cancel_reason      text NOT NULL DEFAULT '',
    version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by         bigint NOT NULL REFERENCES app_user (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    accepted_at        timestamptz,
    completed_at       timestamptz,
    closed_at          timestamptz,           -- cancelled or marked no-show
    CHECK ((status IN ('accepted', 'completed')) <= (slot_at IS NOT NULL AND specialist_id IS NOT NULL)),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CHECK ((status IN ('cancelled', 'no_show')) = (closed_at IS NOT NULL))
);
-- A facility's own list, newest first; the specialists' queue by status and time.
CREATE INDEX consultation_facility_idx ON consultation (facility_id, id);
CREATE INDEX consultation_status_idx ON consultation (status, id);
CREATE INDEX consultation_specialist_idx ON consultation (specialist_id, id);

-- The time zone KPI periods are counted in (config key time_zone). The aggregates below
-- are keyed by local day in this zone; the server that starts with another zone
-- recounts them (kpi_set_time_zone), so a day is always a day of the configured zone.
CREATE TABLE kpi_setting (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    time_zone text NOT NULL
);
INSERT INTO kpi_setting (time_zone) VALUES ('Asia/Ulaanbaatar');

-- Studies received (by local day of received_at) and remote diagnoses issued (signed
-- reports, by local day of reported_at), per facility and modality class.
CREATE TABLE kpi_study_daily (
    day            date NOT NULL,
    facility_id    bigint NOT NULL REFERENCES facility (id),
    modality_class text NOT NULL,
    received       integer NOT NULL DEFAULT 0,
    diagnosed      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, facility_id, modality_class)
);

-- E-examinations booked (by local day of created_at) and completed, cancelled or not
-- attended (by local day of the transition), per facility.
CREATE TABLE kpi_consultation_daily (
    day         date NOT NULL,
    facility_id bigint NOT NULL REFERENCES facility (id),
    booked      integer NOT NULL DEFAULT 0,
    completed   integer NOT NULL DEFAULT 0,
    cancelled   integer NOT NULL DEFAULT 0,
    no_show     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, facility_id)
);

-- The first local day a facility used each service: 'telemedicine' (sent a study) and
-- 'online_hospital' (an e-examination of its was completed). "Facilities with
-- telemedicine as of D" is then a count over at most one row per facility.
CREATE TABLE kpi_facility_activity (
    facility_id bigint NOT NULL REFERENCES facility (id),
    activity    text NOT NULL CHECK (activity IN ('telemedicine', 'online_hospital')),
    first_day   date NOT NULL,
    PRIMARY KEY (facility_id, activity)
);

-- Baselines and targets the ministry reports against, per indicator and period
-- ('2025', '2025H1', '2025Q2', '2025-05'). A half-year report falls back to the year's.
CREATE TABLE kpi_target (
    indicator  text NOT NULL,
    period     text NOT NULL,
    baseline   numeric,
    target     numeric,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator, period)
);

-- Turnaround (ready -> signed) and SLA breaches per period: an index-only range scan
-- over the reported studies of the period.
CREATE INDEX study_reported_kpi_idx ON study (reported_at)
    INCLUDE (ready_at, priority, facility_id, modality_class) WHERE status = 'reported';
-- The current backlog by priority and age.
CREATE INDEX study_backlog_kpi_idx ON study (priority, ready_at)
    WHERE status IN ('ready', 'claimed');

CREATE FUNCTION kpi_local_day(at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (at AT TIME ZONE (SELECT time_zone FROM kpi_setting))::date
$$;

CREATE FUNCTION kpi_add_study(d date, f bigint, c text, received integer, diagnosed integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO kpi_study_daily AS k (day, facility_id, modality_class, received, diagnosed)
    VALUES (d, f, c, received, diagnosed)
    ON CONFLICT (day, facility_id, modality_class) DO UPDATE
        SET received = k.received + EXCLUDED.received,
            diagnosed = k.diagnosed + EXCLUDED.diagnosed
$$;

-- Records a facility's first use of a service. The common case (already recorded, on an
-- earlier day) only reads, so concurrent events of one facility do not queue on a lock.
CREATE FUNCTION kpi_note_activity(f bigint, a text, d date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kpi_facility_activity
                   WHERE facility_id = f AND activity = a AND first_day <= d) THEN
        INSERT INTO kpi_facility_activity AS k (facility_id, activity, first_day)
        VALUES (f, a, d)
        ON CONFLICT (facility_id, activity) DO UPDATE
            SET first_day = LEAST(k.first_day, EXCLUDED.first_day);
    END IF;
END $$;

-- A study counts once as received (day of received_at) and, while reported, once as
-- diagnosed (day of reported_at). An update moves its counts when a key changes (a later
-- series turns an OTHER study into CT; the study is signed).
CREATE FUNCTION kpi_count_study() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM kpi_add_study(kpi_local_day(OLD.received_at), OLD.facility_id, OLD.modality_class, -1, 0);
        IF OLD.status = 'reported' AND OLD.reported_at IS NOT NULL THEN
            PERFORM kpi_add_study(kpi_local_day(OLD.reported_at), OLD.facility_id, OLD.modality_class, 0, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM kpi_add_study(kpi_local_day(NEW.received_at), NEW.facility_id, NEW.modality_class, 1, 0);
        PERFORM kpi_note_activity(NEW.facility_id, 'telemedicine', kpi_local_day(NEW.received_at));
        IF NEW.status = 'reported' AND NEW.reported_at IS NOT NULL THEN
            PERFORM kpi_add_study(kpi_local_day(NEW.reported_at), NEW.facility_id, NEW.modality_class, 0, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_count_study_insert AFTER INSERT OR DELETE ON study
    FOR EACH ROW EXECUTE FUNCTION kpi_count_study();
-- Most updates of a study (each new instance, a claim) change no key: the WHEN clause
-- keeps them from calling the function at all.
CREATE TRIGGER kpi_count_study_update AFTER UPDATE ON study FOR EACH ROW
    WHEN (OLD.facility_id IS DISTINCT FROM NEW.facility_id
          OR OLD.modality_class IS DISTINCT FROM NEW.modality_class
          OR OLD.received_at IS DISTINCT FROM NEW.received_at
          OR (OLD.status = 'reported') IS DISTINCT FROM (NEW.status = 'reported')
          OR OLD.reported_at IS DISTINCT FROM NEW.reported_at)
    EXECUTE FUNCTION kpi_count_study();

CREATE FUNCTION kpi_add_consultation(d date, f bigint, booked integer, completed integer,
                                     cancelled integer, no_show integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO kpi_consultation_daily AS k (day, facility_id, booked, completed, cancelled, no_show)
    VALUES (d, f, booked, completed, cancelled, no_show)
    ON CONFLICT (day, facility_id) DO UPDATE
        SET booked = k.booked + EXCLUDED.booked,
            completed = k.completed + EXCLUDED.completed,
            cancelled = k.cancelled + EXCLUDED.cancelled,
            no_show = k.no_show + EXCLUDED.no_show
$$;

-- A consultation's contribution: booked on the day it was created; completed, cancelled
-- or no-show on the day of that transition.
CREATE FUNCTION kpi_consultation_contribution(c consultation, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM kpi_add_consultation(kpi_local_day(c.created_at), c.facility_id, sign, 0, 0, 0);
    IF c.status = 'completed' THEN
        PERFORM kpi_add_consultation(kpi_local_day(c.completed_at), c.facility_id, 0, sign, 0, 0);
        IF sign > 0 THEN
            PERFORM kpi_note_activity(c.facility_id, 'online_hospital', kpi_local_day(c.completed_at));
        END IF;
    ELSIF c.status = 'cancelled' THEN
        PERFORM kpi_add_consultation(kpi_local_day(c.closed_at), c.facility_id, 0, 0, sign, 0);
    ELSIF c.status = 'no_show' THEN
        PERFORM kpi_add_consultation(kpi_local_day(c.closed_at), c.facility_id, 0, 0, 0, sign);
    END IF;
END $$;

CREATE FUNCTION kpi_count_consultation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM kpi_consultation_contribution(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM kpi_consultation_contribution(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kpi_count_consultation_insert AFTER INSERT OR DELETE ON consultation
    FOR EACH ROW EXECUTE FUNCTION kpi_count_consultation();
CREATE TRIGGER kpi_count_consultation_update AFTER UPDATE ON consultation FOR EACH ROW
    WHEN (OLD.facility_id IS DISTINCT FROM NEW.facility_id
          OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.created_at IS DISTINCT FROM NEW.created_at
          OR OLD.completed_at IS DISTINCT FROM NEW.completed_at
          OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)
    EXECUTE FUNCTION kpi_count_consultation();

-- Recounts every aggregate from the base tables. Writers of studies and consultations
-- wait meanwhile (SHARE locks), so no event is counted twice or lost.
CREATE FUNCTION kpi_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE study, consultation IN SHARE MODE;
    DELETE FROM kpi_study_daily;
    DELETE FROM kpi_consultation_daily;
    DELETE FROM kpi_facility_activity;
    INSERT INTO kpi_study_daily (day, facility_id, modality_class, received, diagnosed)
    SELECT day, facility_id, modality_class, sum(received), sum(diagnosed)
    FROM (SELECT kpi_local_day(received_at) AS day, facility_id, modality_class,
                 1 AS received, 0 AS diagnosed
          FROM study
          UNION ALL
          SELECT kpi_local_day(reported_at), facility_id, modality_class, 0, 1
          FROM study WHERE status = 'reported' AND reported_at IS NOT NULL) e
    GROUP BY day, facility_id, modality_class;
    INSERT INTO kpi_consultation_daily (day, facility_id, booked, completed, cancelled, no_show)
    SELECT day, facility_id, sum(b), sum(c), sum(x), sum(n)
    FROM (SELECT kpi_local_day(created_at) AS day, facility_id, 1 AS b, 0 AS c, 0 AS x, 0 AS n
          FROM consultation
          UNION ALL
          SELECT kpi_local_day(completed_at), facility_id, 0, 1, 0, 0
          FROM consultation WHERE status = 'completed'
          UNION ALL
          SELECT kpi_local_day(closed_at), facility_id, 0, 0,
                 (status = 'cancelled')::int, (status = 'no_show')::int
          FROM consultation WHERE status IN ('cancelled', 'no_show')) e
    GROUP BY day, facility_id;
    INSERT INTO kpi_facility_activity (facility_id, activity, first_day)
    SELECT facility_id, 'telemedicine', min(day) FROM kpi_study_daily
    WHERE received > 0 GROUP BY facility_id
    UNION ALL
    SELECT facility_id, 'online_hospital', min(day) FROM kpi_consultation_daily
    WHERE completed > 0 GROUP BY facility_id;
END $$;

-- Called by every server at start-up with its configured zone; recounts only when the
-- zone changes. Raises invalid_parameter_value (22023) for a zone PostgreSQL does not know.
CREATE FUNCTION kpi_set_time_zone(zone text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM now() AT TIME ZONE zone;
    LOCK TABLE kpi_setting IN EXCLUSIVE MODE;
    IF (SELECT time_zone FROM kpi_setting) = zone THEN
        RETURN false;
    END IF;
    UPDATE kpi_setting SET time_zone = zone;
    PERFORM kpi_recount();
    RETURN true;
END $$;

-- Studies and consultations already in the database when this migration runs.
DO $$ BEGIN PERFORM kpi_recount(); END $$;
