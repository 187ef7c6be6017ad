-- telerad initial schema: registry (facilities, users, sessions) and the study index.
-- Applied once by the migrator, in a transaction; never edited after release: later
-- changes go in new numbered files.

CREATE TABLE facility (
    id              bigserial PRIMARY KEY,
    code            text NOT NULL UNIQUE,
    name            text NOT NULL,
    aimag           text NOT NULL,
    soum            text NOT NULL DEFAULT '',
    ae_title        text NOT NULL UNIQUE CHECK (length(ae_title) BETWEEN 1 AND 16),
    active          boolean NOT NULL DEFAULT true,
    return_host     text,
    return_port     integer CHECK (return_port BETWEEN 1 AND 65535),
    return_ae_title text,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    role          text NOT NULL CHECK (role IN ('admin', 'radiologist', 'facility', 'ministry')),
    facility_id   bigint REFERENCES facility (id),
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    demo          boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- a facility user is bound to exactly one facility; nobody else is
    CHECK ((role = 'facility') = (facility_id IS NOT NULL))
);

-- Login sessions. Only a hash of the bearer token is stored: a leaked table grants nothing.
CREATE TABLE session (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES app_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX session_user_idx ON session (user_id);

-- One row per study. Patient demographics are kept as the facility sent them with the
-- study: patient IDs are only unique within a facility, and merging patients is a
-- clinical decision telerad does not make.
-- priority: 0 stat, 1 urgent, 2 routine (sorts most urgent first).
CREATE TABLE study (
    id                 bigserial PRIMARY KEY,
    study_uid          text NOT NULL UNIQUE,
    facility_id        bigint NOT NULL REFERENCES facility (id),
    status             text NOT NULL DEFAULT 'receiving'
                       CHECK (status IN ('receiving', 'ready', 'claimed', 'reported', 'cancelled')),
    priority           smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 0 AND 2),
    modality_class     text NOT NULL DEFAULT 'OTHER' CHECK (modality_class IN ('CT', 'XRAY', 'OTHER')),
    modalities         text[] NOT NULL DEFAULT '{}',
    patient_id         text NOT NULL DEFAULT '',
    patient_name       text NOT NULL DEFAULT '',
    patient_birth_date date,
    patient_sex        text NOT NULL DEFAULT '',
    accession_number   text NOT NULL DEFAULT '',
    study_date         date,
    description        text NOT NULL DEFAULT '',
    clinical_info      text NOT NULL DEFAULT '',
    num_series         integer NOT NULL DEFAULT 0,
    num_instances      integer NOT NULL DEFAULT 0,
    size_bytes         bigint NOT NULL DEFAULT 0,
    received_at        timestamptz NOT NULL DEFAULT now(),
    last_instance_at   timestamptz NOT NULL DEFAULT now(),
    ready_at           timestamptz,
    sla_due_at         timestamptz,
    claimed_by         bigint REFERENCES app_user (id),
    claim_expires_at   timestamptz,
    reported_at        timestamptz
);
-- the stability sweep reads only studies still receiving
CREATE INDEX study_receiving_idx ON study (last_instance_at) WHERE status = 'receiving';
-- the worklist order: most urgent first, then by SLA deadline
CREATE INDEX study_worklist_idx ON study (status, priority, sla_due_at, id);
CREATE INDEX study_facility_idx ON study (facility_id, received_at);

CREATE TABLE series (
    id            bigserial PRIMARY KEY,
    study_id      bigint NOT NULL REFERENCES study (id),
    series_uid    text NOT NULL UNIQUE,
    modality      text NOT NULL DEFAULT '',
    series_number integer,
    description   text NOT NULL DEFAULT '',
    num_instances integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_study_idx ON series (study_id);

CREATE TABLE instance (
    id                  bigserial PRIMARY KEY,
    series_id           bigint NOT NULL REFERENCES series (id),
    sop_instance_uid    text NOT NULL UNIQUE,
    sop_class_uid       text NOT NULL,
    transfer_syntax_uid text NOT NULL,
    instance_number     integer,
    size_bytes          bigint NOT NULL,
    storage_key         text NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_series_idx ON instance (series_id);
