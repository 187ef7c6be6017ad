-- Remote reading (issue 4): reports with addenda and their delivery back to the facility,
-- the audit trail, and login throttling.

-- One report per study. A draft is saved over and over (version bumps on every save, for
-- optimistic concurrency); signing makes it final and immutable: later words are addenda.
CREATE TABLE report (
    id                       bigserial PRIMARY KEY,
    study_id                 bigint NOT NULL UNIQUE REFERENCES study (id),
    status                   text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
    version                  integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    findings                 text NOT NULL DEFAULT '',
    impression               text NOT NULL DEFAULT '',
    icd_codes                text[] NOT NULL DEFAULT '{}',
    critical                 boolean NOT NULL DEFAULT false,
    author_id                bigint NOT NULL REFERENCES app_user (id),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    signed_by                bigint REFERENCES app_user (id),
    signed_at                timestamptz,
    -- a critical finding stays on top of the facility's inbox until one of its users
    -- acknowledges it
    critical_ack_by          bigint REFERENCES app_user (id),
    critical_ack_at          timestamptz,
    -- DICOM delivery to the facility's own PACS: 'none' when it has no return address,
    -- 'pending' until a C-STORE is acknowledged, then 'delivered'. Any server process
    -- may take a due job (delivery_next_at) and holds it by pushing delivery_next_at on.
    delivery_state           text NOT NULL DEFAULT 'none'
                             CHECK (delivery_state IN ('none', 'pending', 'delivered')),
    delivery_attempts        integer NOT NULL DEFAULT 0,
    delivery_last_error      text NOT NULL DEFAULT '',
    delivery_next_at         timestamptz,
    delivered_at             timestamptz,
    -- the SR instance being delivered: fixed per report revision so that a retry
    -- re-sends the same instance and the receiver sees a repeat, not a second document
    sr_series_uid            text,
    sr_instance_uid          text,
    CHECK ((status = 'final') = (signed_at IS NOT NULL AND signed_by IS NOT NULL))
);
CREATE INDEX report_delivery_due_idx ON report (delivery_next_at) WHERE delivery_state = 'pending';

CREATE TABLE report_addendum (
    id         bigserial PRIMARY KEY,
    report_id  bigint NOT NULL REFERENCES report (id),
    text       text NOT NULL CHECK (length(text) > 0),
    author_id  bigint NOT NULL REFERENCES app_user (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_addendum_report_idx ON report_addendum (report_id, id);

-- Signed reports and addenda are part of the medical record: the database itself refuses
-- to change a final report's content or to delete one, whatever the caller.
CREATE FUNCTION report_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'final' THEN
            RAISE EXCEPTION 'a final report cannot be deleted' USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'final' AND (NEW.status IS DISTINCT FROM OLD.status
            OR NEW.findings IS DISTINCT FROM OLD.findings
            OR NEW.impression IS DISTINCT FROM OLD.impression
            OR NEW.icd_codes IS DISTINCT FROM OLD.icd_codes
            OR NEW.critical IS DISTINCT FROM OLD.critical
            OR NEW.author_id IS DISTINCT FROM OLD.author_id
            OR NEW.signed_by IS DISTINCT FROM OLD.signed_by
            OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
            OR NEW.study_id IS DISTINCT FROM OLD.study_id) THEN
        RAISE EXCEPTION 'a final report is immutable; add an addendum' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER report_final_is_immutable BEFORE UPDATE OR DELETE ON report
    FOR EACH ROW EXECUTE FUNCTION report_final_is_immutable();

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER report_addendum_append_only BEFORE UPDATE OR DELETE ON report_addendum
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER report_addendum_no_truncate BEFORE TRUNCATE ON report_addendum
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- The facility inbox puts studies with an unacknowledged critical finding first. Kept on
-- the study row (set at sign, cleared at acknowledgement, in the same transaction) so the
-- inbox stays one indexed query.
ALTER TABLE study ADD COLUMN critical_pending boolean NOT NULL DEFAULT false;

-- The audit trail: every read or change of patient data and every login attempt.
-- Append-only; user fields are copied so the entry stays true if the account changes.
CREATE TABLE audit_event (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint,
    username    text NOT NULL DEFAULT '',
    role        text NOT NULL DEFAULT '',
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    remote_addr text NOT NULL DEFAULT '',
    outcome     text NOT NULL
);
CREATE INDEX audit_event_at_idx ON audit_event (at, id);
CREATE INDEX audit_event_username_idx ON audit_event (username, id);
CREATE INDEX audit_event_object_idx ON audit_event (object_id, id);
CREATE INDEX audit_event_action_idx ON audit_event (action, id);
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- Failed logins per username, whether or not the account exists (so a throttled answer
-- does not reveal which names are real). Reset by a successful login.
CREATE TABLE login_failure (
    username     text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    last_at      timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
);

-- Admin changes to accounts: when a password was last set (sessions before a reset die).
ALTER TABLE app_user ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
